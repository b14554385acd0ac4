#pragma once

// Plugins for the load tests: a working engine and platform, and the pieces the broken libraries
// are made of. Each library is one .cpp of this folder (see ../CMakeLists.txt).

#include <netspine/plugin/engine.hpp>
#include <netspine/plugin/platform.hpp>
#include <netspine/plugin/plugin.hpp>

#include <stdexcept>
#include <string>
#include <utility>

namespace netspine::test_plugins {

using namespace netspine::plugin;

/// test.echo reports every device ok with the "text" parameter; test.throw reports the first
/// device and throws; test.silent reports nothing. validate throws for test.throw.
class EchoEngine : public Engine {
 public:
  std::optional<std::string> validate(const std::string& operation,
                                      const Parameters& parameters) const override {
    if (operation == "test.throw") throw std::runtime_error("validate exploded");
    if (operation == "test.echo" && !parameters.count("text")) return "text: missing";
    return std::nullopt;
  }

  void run(const EngineRequest& request, RunContext& context) override {
    if (request.operation == "test.silent") return;
    for (const auto& device : request.devices) {
      DeviceResult result;
      result.deviceId = device.id;
      result.device = device.name;
      auto text = request.parameters.find("text");
      if (text != request.parameters.end()) result.data["echo"] = text->second;
      context.report(std::move(result));
      if (request.operation == "test.throw") throw std::runtime_error("engine exploded");
    }
  }
};

/// A platform that is all declaration and no parsing.
class TestPlatform : public Platform {
 public:
  explicit TestPlatform(std::string id) {
    spec_.id = std::move(id);
    spec_.displayName = "Test OS";
    spec_.prompts.privileged = R"([\w.-]+#)";
  }
  const PlatformSpec& spec() const override { return spec_; }
  BackupText assembleBackup(const std::vector<std::string>& outputs, SecretMode) const override {
    return {outputs.empty() ? std::string() : outputs.back(), std::nullopt};
  }
  std::string normalize(std::string_view config, SecretMode) const override {
    return std::string(config);
  }
  std::optional<std::string> incompleteReason(std::string_view) const override {
    return std::nullopt;
  }
  std::optional<std::string> findError(std::string_view) const override { return std::nullopt; }
  Facts parseFacts(std::string_view) const override { return {}; }
  std::vector<std::string> teardownLines(std::string_view) const override { return {}; }

 private:
  PlatformSpec spec_;
};

class TestOsPlatform : public TestPlatform {
 public:
  TestOsPlatform() : TestPlatform("test_os") {}
};

inline Manifest engineManifest() {
  return {.id = "test_echo",
          .version = "1.0.0",
          .kind = PluginKind::Engine,
          .description = "echoes its parameters",
          .provides = {"test.echo", "test.throw", "test.silent"},
          .minHostVersion = "0.1.0"};
}

inline Manifest platformManifest(std::string version = "1.0.0") {
  return {.id = "test_os",
          .version = std::move(version),
          .kind = PluginKind::Platform,
          .description = "a test platform",
          .provides = {"test_os"},
          .minHostVersion = "0.1"};
}

}  // namespace netspine::test_plugins

// The exports after the handshake, for libraries whose handshake is the broken part.
#define TEST_PLUGIN_EXPORTS_AFTER_HANDSHAKE(TYPE, MANIFEST_EXPR)                            \
  NETSPINE_PLUGIN_EXPORT const ::netspine::plugin::Manifest* netspine_plugin_manifest() {   \
    static const ::netspine::plugin::Manifest manifest = (MANIFEST_EXPR);                   \
    return &manifest;                                                                       \
  }                                                                                         \
  NETSPINE_PLUGIN_EXPORT ::netspine::plugin::Plugin* netspine_plugin_create() {             \
    return new TYPE();                                                                      \
  }                                                                                         \
  NETSPINE_PLUGIN_EXPORT void netspine_plugin_destroy(::netspine::plugin::Plugin* plugin) { \
    delete plugin;                                                                          \
  }

#define TEST_PLUGIN_HANDSHAKE(MAJOR, MINOR, TAG)                                            \
  NETSPINE_PLUGIN_EXPORT const ::netspine::plugin::Handshake* netspine_plugin_handshake() { \
    static const ::netspine::plugin::Handshake handshake{MAJOR, MINOR, TAG};                \
    return &handshake;                                                                      \
  }
