// The ssh_cli engine against simulated devices over real SSH on 127.0.0.1: backups of the three
// built-in platforms, secret modes, enable, every simulator fault, host keys, credentials,
// legacy algorithms, cancellation and public-key login.
#include <gtest/gtest.h>
#include <libssh/libssh.h>
#include <netspine/plugin/text.hpp>
#include <netspine/sim/test_device.hpp>

#include <dlfcn.h>
#include <unistd.h>
#include <arista_eos_platform.hpp>
#include <atomic>
#include <chrono>
#include <cisco_ios_platform.hpp>
#include <filesystem>
#include <juniper_junos_platform.hpp>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "engine_test_support.hpp"
#include "ssh_cli_engine.hpp"

namespace netspine::plugins::ssh_cli {
namespace {

using namespace std::chrono_literals;
using plugin::Credentials;
using plugin::DeviceResult;
using plugin::DeviceTarget;
using plugin::ErrorCategory;
using plugin::Secret;
using sim::Fault;
using sim::OsKind;
using sim::TestDevice;

using test_support::platformFor;
using test_support::RecordingContext;

Credentials credentials(std::string name, const std::string& user, const std::string& password,
                        const std::string& enable = "enable") {
  Credentials c;
  c.name = std::move(name);
  c.username = user;
  c.password = Secret(password);
  c.enableSecret = Secret(enable);
  return c;
}

DeviceTarget targetFor(const TestDevice& device) {
  return test_support::simulatedTarget(device, 3s, 20s);
}

DeviceResult backup(const DeviceTarget& target, plugin::Parameters parameters = {},
                    RecordingContext* context = nullptr) {
  SshCliEngine engine;
  RecordingContext own;
  RecordingContext& ctx = context ? *context : own;
  engine.run({.operation = "backup", .parameters = std::move(parameters), .devices = {target}},
             ctx);
  EXPECT_EQ(ctx.results.size(), 1u);
  if (ctx.results.empty()) return {};
  return ctx.results.front();
}

sim::DeviceProfile profile(OsKind os, std::set<Fault> faults = {}, std::size_t lines = 120) {
  sim::DeviceProfile p;
  p.name = "r1";
  p.os = os;
  p.configLines = lines;
  p.faults = std::move(faults);
  return p;
}

// Everything a result shows a person: no secret may be in it.
std::string shown(const DeviceResult& r) {
  std::string text = r.message;
  for (const auto& line : r.log) text += "\n" + line.message;
  for (const auto& [key, value] : r.data) text += "\n" + key + "=" + value;
  return text;
}

// The secret values of the device's configuration, as the platform's secret rules find them.
std::vector<std::string> secretsOf(const TestDevice& device) {
  const plugin::LineRules rules(platformFor(device.profile().os).spec().secrets);
  const std::string config = device.state().runningConfig();
  std::vector<std::string> values;
  for (auto line : plugin::splitLines(config)) {
    for (const auto& span : rules.capturedSpans(line)) {
      std::string value(line.substr(span.begin, span.end - span.begin));
      if (value.size() >= 8) values.push_back(value);
    }
  }
  return values;
}

std::string hostnameLine(OsKind os) {
  return os == OsKind::JuniperJunos ? "host-name r1" : "hostname r1";
}

class BackupTest : public ::testing::TestWithParam<OsKind> {};

TEST_P(BackupTest, BacksUpTheConfigurationWithSecretsMasked) {
  TestDevice device(profile(GetParam()));
  const auto result = backup(targetFor(device));
  ASSERT_EQ(result.category, ErrorCategory::Ok) << result.message;
  EXPECT_TRUE(result.message.empty());
  EXPECT_NE(result.artifact.find(hostnameLine(GetParam())), std::string::npos);
  EXPECT_NE(result.artifact.find(plugin::kSecretMask), std::string::npos);
  const auto secrets = secretsOf(device);
  ASSERT_FALSE(secrets.empty());
  for (const auto& secret : secrets) EXPECT_EQ(result.artifact.find(secret), std::string::npos);
  // No volatile line (timestamps, uptime) is left.
  const plugin::LineRules volatileRules(platformFor(GetParam()).spec().volatileLines);
  for (auto line : plugin::splitLines(result.artifact)) {
    EXPECT_FALSE(volatileRules.matchesWholeLine(line)) << line;
  }
  // No prompt and no echo of a command.
  EXPECT_EQ(result.artifact.find("show running-config\n"), std::string::npos);
  EXPECT_EQ(result.data.at("sha256").size(), 64u);
  EXPECT_EQ(result.data.at("bytes"), std::to_string(result.artifact.size()));
  EXPECT_NE(result.data.at("lines"), "0");
  EXPECT_EQ(result.data.at("credentials"), "main");
  EXPECT_TRUE(result.data.at("ssh.host_key").starts_with("ssh-ed25519 "));
  EXPECT_EQ(result.deviceId, 7);
  EXPECT_GT(result.duration.count(), 0);
  EXPECT_GE(result.log.size(), 3u);
  EXPECT_EQ(shown(result).find(device.password()), std::string::npos);
}

TEST_P(BackupTest, KeepsOrRemovesSecretsAsAsked) {
  TestDevice device(profile(GetParam()));
  const auto secrets = secretsOf(device);
  ASSERT_FALSE(secrets.empty());
  const auto kept = backup(targetFor(device), {{"secret_mode", "keep"}});
  ASSERT_EQ(kept.category, ErrorCategory::Ok) << kept.message;
  std::size_t found = 0;
  for (const auto& secret : secrets) found += kept.artifact.find(secret) != std::string::npos;
  EXPECT_GT(found, 0u);
  EXPECT_EQ(kept.artifact.find(plugin::kSecretMask), std::string::npos);

  const auto removed = backup(targetFor(device), {{"secret_mode", "remove"}});
  ASSERT_EQ(removed.category, ErrorCategory::Ok) << removed.message;
  EXPECT_EQ(removed.artifact.find(plugin::kSecretMask), std::string::npos);
  for (const auto& secret : secrets) EXPECT_EQ(removed.artifact.find(secret), std::string::npos);
  EXPECT_LT(removed.artifact.size(), kept.artifact.size());
}

INSTANTIATE_TEST_SUITE_P(Platforms, BackupTest,
                         ::testing::Values(OsKind::CiscoIos, OsKind::JuniperJunos,
                                           OsKind::AristaEos),
                         [](const auto& info) { return std::string(sim::platformId(info.param)); });

class EnableTest : public ::testing::TestWithParam<OsKind> {};

TEST_P(EnableTest, EntersPrivilegedModeWithTheEnableSecret) {
  auto p = profile(GetParam());
  p.startPrivileged = false;
  TestDevice device(p);
  const auto result = backup(targetFor(device));
  ASSERT_EQ(result.category, ErrorCategory::Ok) << result.message;
  EXPECT_NE(result.artifact.find(hostnameLine(GetParam())), std::string::npos);
  EXPECT_EQ(shown(result).find(device.enableSecret()), std::string::npos);
}

TEST_P(EnableTest, AWrongEnableSecretIsAuthFailed) {
  auto p = profile(GetParam());
  p.startPrivileged = false;
  TestDevice device(p);
  auto target = targetFor(device);
  target.credentials[0].enableSecret = Secret("not-the-enable-secret");
  const auto result = backup(target);
  EXPECT_EQ(result.category, ErrorCategory::AuthFailed) << result.message;
  EXPECT_EQ(shown(result).find("not-the-enable-secret"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Platforms, EnableTest,
                         ::testing::Values(OsKind::CiscoIos, OsKind::AristaEos),
                         [](const auto& info) { return std::string(sim::platformId(info.param)); });

// ---- faults

struct FaultCase {
  Fault fault;
  ErrorCategory expected;
  std::string messagePart;
};

class FaultTest : public ::testing::TestWithParam<FaultCase> {};

TEST_P(FaultTest, EndsInTheExpectedCategory) {
  const auto& c = GetParam();
  auto p = profile(OsKind::CiscoIos, {c.fault});
  p.maxSessions = 0;  // MaxSessions: every session is one too many
  sim::TransportOptions transport;
  transport.bannerDelay = 4s;  // beyond the 1 s connect timeout
  transport.trickleBytes = 512;
  transport.trickleInterval = 1ms;
  transport.disconnectAfter = 2048;
  TestDevice device(p, transport);
  auto target = targetFor(device);
  target.timeouts.connect = 1s;
  target.timeouts.command = 1500ms;
  plugin::Parameters parameters;
  if (c.fault == Fault::HugeConfig) {
    parameters["max_config_bytes"] = "1000000";
    target.timeouts.command = 20s;  // the simulator builds 20 MB before the first byte
  }
  const auto started = std::chrono::steady_clock::now();
  const auto result = backup(target, parameters);
  EXPECT_EQ(result.category, c.expected) << toString(result.category) << ": " << result.message;
  EXPECT_NE(result.message.find(c.messagePart), std::string::npos) << result.message;
  if (c.expected != ErrorCategory::Ok) {
    EXPECT_TRUE(result.artifact.empty());
  }
  EXPECT_EQ(shown(result).find(device.password()), std::string::npos);
  // A sanity bound only: far above every limit of the target.
  EXPECT_LT(std::chrono::steady_clock::now() - started, 15s);
}

INSTANTIATE_TEST_SUITE_P(
    Simulator, FaultTest,
    ::testing::Values(
        FaultCase{Fault::WrongPassword, ErrorCategory::AuthFailed, "'main'"},
        FaultCase{Fault::SlowBanner, ErrorCategory::Timeout, "connect timed out after 1 s"},
        FaultCase{Fault::HangAfterLogin, ErrorCategory::Timeout, "no prompt within 1.5 s"},
        FaultCase{Fault::DisconnectMidOutput, ErrorCategory::ProtocolError, "closed"},
        FaultCase{Fault::Trickle, ErrorCategory::Ok, ""},
        FaultCase{Fault::ConnectionRefused, ErrorCategory::Unreachable, "cannot connect"},
        FaultCase{Fault::ConnectionReset, ErrorCategory::Unreachable, "cannot connect"},
        FaultCase{Fault::MaxSessions, ErrorCategory::Unreachable, "cannot connect"},
        FaultCase{Fault::EndlessPaging, ErrorCategory::Timeout, "after 'show"},
        FaultCase{Fault::Garbage, ErrorCategory::ProtocolError, "binary"},
        FaultCase{Fault::HugeConfig, ErrorCategory::IncompleteOutput, "max_config_bytes"},
        FaultCase{Fault::CommandErrors, ErrorCategory::CommandError, "%"},
        FaultCase{Fault::TruncatedConfig, ErrorCategory::IncompleteOutput, ""}),
    [](const auto& info) { return std::string(sim::toString(info.param.fault)); });

// The content faults on the other two platforms: their own error texts, braces, pagers.
class ContentFaultTest : public ::testing::TestWithParam<std::tuple<OsKind, FaultCase>> {};

TEST_P(ContentFaultTest, EndsInTheExpectedCategory) {
  const auto& [os, c] = GetParam();
  TestDevice device(profile(os, {c.fault}));
  auto target = targetFor(device);
  target.timeouts.command = 1500ms;
  const auto result = backup(target);
  EXPECT_EQ(result.category, c.expected) << toString(result.category) << ": " << result.message;
  EXPECT_TRUE(result.artifact.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Simulator, ContentFaultTest,
    ::testing::Combine(
        ::testing::Values(OsKind::JuniperJunos, OsKind::AristaEos),
        ::testing::Values(FaultCase{Fault::CommandErrors, ErrorCategory::CommandError, ""},
                          FaultCase{Fault::TruncatedConfig, ErrorCategory::IncompleteOutput, ""},
                          FaultCase{Fault::Garbage, ErrorCategory::ProtocolError, ""},
                          FaultCase{Fault::DisconnectMidOutput, ErrorCategory::ProtocolError, ""},
                          FaultCase{Fault::EndlessPaging, ErrorCategory::Timeout, ""})),
    [](const auto& info) {
      return std::string(sim::platformId(std::get<0>(info.param))) + "_" +
             sim::toString(std::get<1>(info.param).fault);
    });

TEST(SshCliEngineTest, TheDeviceTotalTimeoutBoundsEverything) {
  TestDevice device(profile(OsKind::CiscoIos, {Fault::HangAfterLogin}));
  auto target = targetFor(device);
  target.timeouts.command = 30s;
  target.timeouts.total = 1500ms;
  const auto result = backup(target);
  EXPECT_EQ(result.category, ErrorCategory::Timeout);
  EXPECT_EQ(result.message, "device total timeout of 1.5 s");
  EXPECT_TRUE(result.data.contains("ssh.host_key"));
}

TEST(SshCliEngineTest, AHugeConfigurationIsBackedUpWhole) {
  TestDevice device(profile(OsKind::AristaEos, {Fault::HugeConfig}));
  auto target = targetFor(device);
  target.timeouts.command = 30s;
  target.timeouts.total = 40s;
  const auto result = backup(target);
  ASSERT_EQ(result.category, ErrorCategory::Ok) << result.message;
  EXPECT_GT(result.artifact.size(), 10'000'000u);
  EXPECT_NE(result.artifact.find("hostname r1"), std::string::npos);
}

// ---- host keys

TEST(SshCliEngineTest, TofuReportsTheOfferedKeyAndAPinnedKeyMatches) {
  TestDevice device(profile(OsKind::CiscoIos));
  auto target = targetFor(device);
  const auto first = backup(target);
  ASSERT_EQ(first.category, ErrorCategory::Ok) << first.message;
  const std::string key = first.data.at("ssh.host_key");
  target.attributes["ssh.host_key"] = key;
  target.attributes["ssh.host_key_policy"] = "strict";
  const auto second = backup(target);
  EXPECT_EQ(second.category, ErrorCategory::Ok) << second.message;
  EXPECT_EQ(second.data.at("ssh.host_key"), key);
}

std::string freshKeyLine() {
  ssh_key key = nullptr;
  EXPECT_EQ(ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key), SSH_OK);
  char* base64 = nullptr;
  ssh_pki_export_pubkey_base64(key, &base64);
  std::string line = std::string("ssh-ed25519 ") + base64;
  ssh_string_free_char(base64);
  ssh_key_free(key);
  return line;
}

TEST(SshCliEngineTest, APinnedKeyMismatchSendsNoCredentials) {
  TestDevice device(profile(OsKind::CiscoIos));
  auto target = targetFor(device);
  target.attributes["ssh.host_key"] = freshKeyLine();
  const auto result = backup(target);
  EXPECT_EQ(result.category, ErrorCategory::HostKeyMismatch) << result.message;
  EXPECT_NE(result.message.find("SHA256:"), std::string::npos);
  EXPECT_TRUE(result.data.at("ssh.host_key").starts_with("ssh-ed25519 "));
  EXPECT_EQ(device.stats().logins, 0u);
  EXPECT_EQ(shown(result).find(device.password()), std::string::npos);
}

TEST(SshCliEngineTest, StrictWithoutAPinnedKeyIsRefused) {
  TestDevice device(profile(OsKind::JuniperJunos));
  auto target = targetFor(device);
  target.attributes["ssh.host_key_policy"] = "strict";
  const auto result = backup(target);
  EXPECT_EQ(result.category, ErrorCategory::HostKeyMismatch);
  EXPECT_NE(result.message.find("no pinned host key and host_key_policy is strict"),
            std::string::npos);
  EXPECT_EQ(device.stats().logins, 0u);
}

TEST(SshCliEngineTest, AChangedHostKeyIsAMismatch) {
  TestDevice device(profile(OsKind::AristaEos, {Fault::HostKeyChanges}));
  auto target = targetFor(device);
  const auto first = backup(target);
  ASSERT_EQ(first.category, ErrorCategory::Ok) << first.message;
  target.attributes["ssh.host_key"] = first.data.at("ssh.host_key");
  const auto second = backup(target);
  EXPECT_EQ(second.category, ErrorCategory::HostKeyMismatch);
  EXPECT_NE(second.data.at("ssh.host_key"), first.data.at("ssh.host_key"));
  EXPECT_EQ(device.stats().logins, 1u);
}

// ---- credentials

TEST(SshCliEngineTest, FallsBackToTheNextCredentialSet) {
  TestDevice device(profile(OsKind::CiscoIos));
  auto target = targetFor(device);
  target.credentials = {credentials("stale", device.username(), "old-password-1"),
                        credentials("other-user", "nobody", "old-password-2"),
                        credentials("current", device.username(), device.password())};
  const auto result = backup(target);
  ASSERT_EQ(result.category, ErrorCategory::Ok) << result.message;
  EXPECT_EQ(result.data.at("credentials"), "current");
}

TEST(SshCliEngineTest, EveryRefusedSetIsAuthFailedNamingTheSets) {
  TestDevice device(profile(OsKind::JuniperJunos));
  auto target = targetFor(device);
  target.credentials = {credentials("first", device.username(), "wrong-password-1"),
                        credentials("second", device.username(), "wrong-password-2")};
  const auto result = backup(target);
  EXPECT_EQ(result.category, ErrorCategory::AuthFailed);
  EXPECT_NE(result.message.find("'first', 'second'"), std::string::npos) << result.message;
  EXPECT_EQ(shown(result).find("wrong-password"), std::string::npos);
  EXPECT_EQ(device.stats().logins, 0u);
}

TEST(SshCliEngineTest, LogsInWithAPublicKey) {
  ssh_key key = nullptr;
  ASSERT_EQ(ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key), SSH_OK);
  const auto path = std::filesystem::temp_directory_path() /
                    ("netspine-ssh-cli-key-" + std::to_string(::getpid()));
  ASSERT_EQ(
      ssh_pki_export_privkey_file(key, "key-passphrase", nullptr, nullptr, path.string().c_str()),
      SSH_OK);
  char* base64 = nullptr;
  ssh_pki_export_pubkey_base64(key, &base64);
  auto p = profile(OsKind::AristaEos);
  p.authorizedKey = std::string("ssh-ed25519 ") + base64 + " netspine";
  ssh_string_free_char(base64);
  ssh_key_free(key);
  TestDevice device(p);
  auto target = targetFor(device);
  Credentials c;
  c.name = "key";
  c.username = device.username();
  c.privateKeyPath = path.string();
  c.privateKeyPassphrase = Secret("key-passphrase");
  target.credentials = {c};
  const auto result = backup(target);
  std::filesystem::remove(path);
  ASSERT_EQ(result.category, ErrorCategory::Ok) << result.message;
  EXPECT_EQ(result.data.at("credentials"), "key");
  EXPECT_EQ(shown(result).find("key-passphrase"), std::string::npos);
}

// ---- legacy algorithms

TEST(SshCliEngineTest, LegacyAlgorithmsAreEnabledPerDeviceOnly) {
  sim::TransportOptions legacy;
  legacy.kex = {"diffie-hellman-group14-sha1"};
  legacy.hostKeys = {"ssh-rsa"};
  TestDevice old(profile(OsKind::CiscoIos), legacy);
  TestDevice modern(profile(OsKind::CiscoIos));

  const auto refused = backup(targetFor(old));
  EXPECT_EQ(refused.category, ErrorCategory::ProtocolError) << refused.message;
  EXPECT_EQ(old.stats().logins, 0u);

  auto target = targetFor(old);
  target.attributes["ssh.kex"] = "diffie-hellman-group14-sha1";
  target.attributes["ssh.hostkeys"] = "ssh-rsa";
  const auto accepted = backup(target);
  ASSERT_EQ(accepted.category, ErrorCategory::Ok) << accepted.message;
  EXPECT_TRUE(accepted.data.at("ssh.host_key").starts_with("ssh-rsa "))
      << accepted.data.at("ssh.host_key");

  // The attributes of one device change nothing for another, nor the defaults.
  const auto other = backup(targetFor(modern));
  EXPECT_EQ(other.category, ErrorCategory::Ok) << other.message;
  EXPECT_TRUE(other.data.at("ssh.host_key").starts_with("ssh-ed25519 "));
  auto modernWithExtras = targetFor(modern);
  modernWithExtras.attributes = target.attributes;
  const auto extras = backup(modernWithExtras);
  EXPECT_EQ(extras.category, ErrorCategory::Ok) << extras.message;
  EXPECT_TRUE(extras.data.at("ssh.host_key").starts_with("ssh-ed25519 "));
}

TEST(SshCliEngineTest, LegacyCiphersAreEnabledPerDevice) {
  sim::TransportOptions legacy;
  legacy.ciphers = {"aes128-cbc"};
  TestDevice old(profile(OsKind::AristaEos), legacy);
  EXPECT_EQ(backup(targetFor(old)).category, ErrorCategory::ProtocolError);
  auto target = targetFor(old);
  target.attributes["ssh.ciphers"] = "aes128-cbc, aes256-cbc";
  target.attributes["ssh.macs"] = "hmac-sha1";
  const auto result = backup(target);
  EXPECT_EQ(result.category, ErrorCategory::Ok) << result.message;
}

TEST(SshCliEngineTest, AnUnknownAlgorithmIsAPluginError) {
  TestDevice device(profile(OsKind::CiscoIos));
  auto target = targetFor(device);
  target.attributes["ssh.kex"] = "no-such-kex";
  const auto result = backup(target);
  EXPECT_EQ(result.category, ErrorCategory::PluginError);
  EXPECT_NE(result.message.find("ssh.kex"), std::string::npos);
}

// ---- cancellation, requests, parameters

TEST(SshCliEngineTest, CancellationStopsAWaitingDevice) {
  TestDevice device(profile(OsKind::CiscoIos, {Fault::HangAfterLogin}));
  auto target = targetFor(device);
  target.timeouts.command = 60s;
  target.timeouts.total = 60s;
  RecordingContext context;
  std::thread canceller([&] {
    std::this_thread::sleep_for(300ms);
    context.cancel = true;
  });
  const auto result = backup(target, {}, &context);
  canceller.join();
  EXPECT_EQ(result.category, ErrorCategory::Cancelled) << result.message;
}

TEST(SshCliEngineTest, ACancelledRunReportsEveryDevice) {
  TestDevice device(profile(OsKind::CiscoIos));
  RecordingContext context;
  context.cancel = true;
  SshCliEngine engine;
  engine.run({.operation = "backup", .devices = {targetFor(device), targetFor(device)}}, context);
  ASSERT_EQ(context.results.size(), 2u);
  for (const auto& r : context.results) EXPECT_EQ(r.category, ErrorCategory::Cancelled);
}

TEST(SshCliEngineTest, RunsSeveralDevicesConcurrently) {
  TestDevice ios(profile(OsKind::CiscoIos));
  TestDevice junos(profile(OsKind::JuniperJunos));
  TestDevice eos(profile(OsKind::AristaEos));
  RecordingContext context;
  SshCliEngine engine;
  auto missing = targetFor(ios);
  missing.platform = nullptr;
  missing.platformId = "vendor_x";
  engine.run({.operation = "backup",
              .devices = {targetFor(ios), targetFor(junos), targetFor(eos), missing},
              .concurrency = 0},
             context);
  ASSERT_EQ(context.results.size(), 4u);
  std::size_t ok = 0;
  for (const auto& r : context.results) {
    if (r.category == ErrorCategory::Ok) {
      ++ok;
    } else {
      EXPECT_EQ(r.category, ErrorCategory::PluginError);
      EXPECT_EQ(r.message, "no platform plugin for 'vendor_x'");
    }
  }
  EXPECT_EQ(ok, 3u);
}

TEST(SshCliEngineTest, ThePluginLibraryExportsTheEngine) {
  void* library = ::dlopen(NETSPINE_SSH_CLI_PLUGIN, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(library, nullptr) << ::dlerror();
  using ManifestFn = const plugin::Manifest* (*)();
  auto manifestOf = reinterpret_cast<ManifestFn>(::dlsym(library, "netspine_plugin_manifest"));
  ASSERT_NE(manifestOf, nullptr);
  const plugin::Manifest* m = manifestOf();
  EXPECT_EQ(m->id, "ssh_cli");
  EXPECT_EQ(m->kind, plugin::PluginKind::Engine);
  EXPECT_EQ(m->provides, (std::vector<std::string>{"backup", "push", "provision", "teardown"}));
  ::dlclose(library);
}

// One simulator per device: sessions of one simulator event loop disturb each other under
// load (libssh flushes inside ssh_channel_write and polls the whole loop), which is not what this
// test is about.
TEST(SshCliEngineTest, ManyDevicesShareNoState) {
  std::vector<std::unique_ptr<TestDevice>> devices;
  const OsKind kinds[] = {OsKind::CiscoIos, OsKind::JuniperJunos, OsKind::AristaEos};
  plugin::EngineRequest request{.operation = "backup", .concurrency = 6};
  for (int i = 0; i < 12; ++i) {
    auto p = profile(kinds[i % 3], {}, 200);
    p.name = "dev" + std::to_string(i);
    p.startPrivileged = i % 2 == 0;
    devices.push_back(std::make_unique<TestDevice>(p));
    auto t = targetFor(*devices.back());
    t.id = i;
    request.devices.push_back(t);
  }
  RecordingContext context;
  SshCliEngine().run(request, context);
  ASSERT_EQ(context.results.size(), devices.size());
  std::set<std::int64_t> reported;
  for (const auto& r : context.results) {
    reported.insert(r.deviceId);
    ASSERT_EQ(r.category, ErrorCategory::Ok) << r.device << ": " << r.message;
    // Each artifact is its own device's configuration.
    const bool junos = kinds[r.deviceId % 3] == OsKind::JuniperJunos;
    EXPECT_NE(r.artifact.find((junos ? "host-name " : "hostname ") + r.device), std::string::npos);
  }
  EXPECT_EQ(reported.size(), devices.size());
}

TEST(SshCliEngineTest, ValidatesParameters) {
  SshCliEngine engine;
  EXPECT_EQ(engine.validate("backup", {}), std::nullopt);
  EXPECT_EQ(engine.validate("backup", {{"secret_mode", "remove"}, {"max_config_bytes", "1024"}}),
            std::nullopt);
  EXPECT_NE(engine.validate("backup", {{"secret_mode", "show"}}), std::nullopt);
  EXPECT_NE(engine.validate("backup", {{"max_config_bytes", "0"}}), std::nullopt);
  EXPECT_NE(engine.validate("backup", {{"max_config_bytes", "-5"}}), std::nullopt);
  const auto unknown = engine.validate("backup", {{"verbose", "1"}});
  ASSERT_TRUE(unknown);
  EXPECT_NE(unknown->find("'verbose'"), std::string::npos);
  EXPECT_NE(engine.validate("push", {}), std::nullopt);
}

}  // namespace
}  // namespace netspine::plugins::ssh_cli
