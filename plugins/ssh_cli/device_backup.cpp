// backupDevice: a CLI session, the platform's backup commands, the assembled configuration.
#include <openssl/evp.h>
#include <netspine/plugin/text.hpp>

#include <algorithm>
#include <chrono>
#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli_session.hpp"
#include "ssh_cli_engine.hpp"

namespace netspine::plugins::ssh_cli {

using namespace netspine::plugin;

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::string hex(const unsigned char* data, std::size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(digits[data[i] >> 4]);
    out.push_back(digits[data[i] & 0xf]);
  }
  return out;
}

std::string sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr) != 1) return {};
  return hex(digest, size);
}

}  // namespace

std::vector<std::string> runBackupCommands(CliSession& session) {
  const auto& spec = session.platform().spec();
  const auto started = Clock::now();
  std::vector<std::string> outputs;
  std::size_t received = 0;
  for (const auto& backup : spec.backup) {
    outputs.push_back(session.execute(backup.command, CliSession::Expect::Exec, true));
    received += outputs.back().size();
    if (auto error = session.platform().findError(outputs.back())) {
      session.logout();
      fail(ErrorCategory::CommandError, std::string(*error));
    }
  }
  const auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
  session.log(LogLevel::Info, std::to_string(received) + " bytes in " +
                                  std::to_string(took.count()) + " ms (" +
                                  std::to_string(spec.backup.size()) + " commands)");
  return outputs;
}

std::string assembleConfig(const Platform& platform, const std::vector<std::string>& outputs,
                           SecretMode mode, std::size_t maxBytes) {
  BackupText text = platform.assembleBackup(outputs, mode);
  if (text.incomplete) fail(ErrorCategory::IncompleteOutput, *text.incomplete);
  if (trim(text.config).empty()) fail(ErrorCategory::IncompleteOutput, "empty configuration");
  if (text.config.size() > maxBytes) {
    fail(ErrorCategory::IncompleteOutput,
         "the configuration is over " + std::to_string(maxBytes) + " bytes (max_config_bytes)");
  }
  return std::move(text.config);
}

void describeConfig(const std::string& config, std::map<std::string, std::string>& data) {
  data["sha256"] = sha256Hex(config);
  data["bytes"] = std::to_string(config.size());
  data["lines"] = std::to_string(std::count(config.begin(), config.end(), '\n') +
                                 (config.ends_with('\n') ? 0 : 1));
}

DeviceResult backupDevice(const DeviceTarget& device, const BackupOptions& options,
                          const RunContext& context) {
  const auto start = Clock::now();
  DeviceResult result;
  result.deviceId = device.id;
  result.device = device.name;
  try {
    CliSession session(device, context, result, options.maxConfigBytes);
    try {
      session.open();
      session.prepare();
      const std::vector<std::string> outputs = runBackupCommands(session);
      session.logout();
      std::string config =
          assembleConfig(session.platform(), outputs, options.secretMode, options.maxConfigBytes);
      result.category = ErrorCategory::Ok;
      describeConfig(config, result.data);
      result.artifact = std::move(config);
    } catch (const Failure& failure) {
      result.category = failure.category;
      result.message = failure.message;
      result.artifact.clear();
    } catch (const std::exception& e) {
      result.category = ErrorCategory::PluginError;
      result.message = std::string("ssh_cli failed: ") + e.what();
      result.artifact.clear();
    }
  } catch (...) {
    result.category = ErrorCategory::PluginError;
    result.message = "ssh_cli failed";
    result.artifact.clear();
  }
  result.duration = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  return result;
}

}  // namespace netspine::plugins::ssh_cli
