#pragma once
// The root object a plugin library creates, and the macro that exports it.
//
// A plugin library exports three C symbols (see NETSPINE_PLUGIN below):
//   netspine_plugin_handshake  -> const Handshake*  (read first: API version and ABI tag)
//   netspine_plugin_manifest   -> const Manifest*   (static data: never constructs anything)
//   netspine_plugin_create     -> Plugin*           (owned by the host, deleted through destroy)
// Nothing may throw out of them, nor out of any interface method: report errors in results.
// The host still catches everything, and refuses or fails the plugin that throws.

#include <netspine/plugin/manifest.hpp>
#include <netspine/plugin/version.hpp>

namespace netspine::plugin {

class Platform;
class Engine;

// What netspine_plugin_create returns: one platform or one engine.
class Plugin {
 public:
  virtual ~Plugin() = default;
  virtual Platform* asPlatform() { return nullptr; }
  virtual Engine* asEngine() { return nullptr; }
};

}  // namespace netspine::plugin

#define NETSPINE_PLUGIN_EXPORT extern "C" __attribute__((visibility("default")))

// Exports a plugin: MANIFEST_EXPR is an expression giving a netspine::plugin::Manifest, TYPE a
// default-constructible class deriving from Platform or Engine (and hence from Plugin).
#define NETSPINE_PLUGIN(TYPE, MANIFEST_EXPR)                                                    \
  NETSPINE_PLUGIN_EXPORT const ::netspine::plugin::Handshake* netspine_plugin_handshake() {     \
    static const ::netspine::plugin::Handshake handshake{                                       \
        ::netspine::plugin::kApiMajor, ::netspine::plugin::kApiMinor, NETSPINE_PLUGIN_ABI_TAG}; \
    return &handshake;                                                                          \
  }                                                                                             \
  NETSPINE_PLUGIN_EXPORT const ::netspine::plugin::Manifest* netspine_plugin_manifest() {       \
    static const ::netspine::plugin::Manifest manifest = (MANIFEST_EXPR);                       \
    return &manifest;                                                                           \
  }                                                                                             \
  NETSPINE_PLUGIN_EXPORT ::netspine::plugin::Plugin* netspine_plugin_create() {                 \
    return new TYPE();                                                                          \
  }                                                                                             \
  NETSPINE_PLUGIN_EXPORT void netspine_plugin_destroy(::netspine::plugin::Plugin* plugin) {     \
    delete plugin;                                                                              \
  }

// Optional, API 1.1: an engine that works on many devices in one request (an ICMP sweep, SNMP
// polling: one event loop for the batch) says how many devices it takes at most. The worker then
// hands it up to that many tasks of one run in one request. Without it, one device per request.
#define NETSPINE_ENGINE_BATCH(MAX_DEVICES)                      \
  NETSPINE_PLUGIN_EXPORT unsigned netspine_engine_max_batch() { \
    return (MAX_DEVICES);                                       \
  }
