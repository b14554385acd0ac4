#pragma once
// Reading configuration backups: a device's revisions, one revision's text, and the diff
// between two revisions. Revisions come from the database rows; the text from the archive.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "application/config_archive.hpp"
#include "application/job_store.hpp"

namespace netspine::app {

/// SHA-256 of `text`, lower-case hex.
std::string sha256Hex(std::string_view text);

struct ConfigText {
  ConfigRevision revision;
  std::string text;
};

struct ConfigDiff {
  ConfigRevision from;
  ConfigRevision to;
  std::string diff;  // unified; empty when the two texts are the same
};

class ConfigService {
 public:
  ConfigService(JobStore& jobs, ConfigArchive& archive) : jobs_(jobs), archive_(archive) {}

  /// The device's revisions, newest first. NotFoundError for an unknown device.
  std::vector<ConfigRevision> history(const std::string& device, std::int64_t limit = 0,
                                      std::int64_t offset = 0);
  /// The device's last backup attempt (`kind`'s runtime row: result, time, run) and its last
  /// success (lastSeen); nothing before the first attempt.
  std::optional<domain::DeviceRuntime> lastAttempt(const std::string& device,
                                                   const std::string& kind = "backup");
  /// One revision: `rev` is a commit id or a prefix of one (at least 4 hex digits) among the
  /// device's revisions, or empty for the newest. NotFoundError when there is none,
  /// ValidationError for a malformed or ambiguous `rev`.
  ConfigRevision revision(const std::string& device, const std::string& rev = {});
  ConfigText show(const std::string& device, const std::string& rev = {});
  /// From `fromRev` to `toRev`. Both empty: from the previous revision to the newest; only
  /// `toRev` empty: from `fromRev` to the newest.
  ConfigDiff diff(const std::string& device, const std::string& fromRev = {},
                  const std::string& toRev = {});

 private:
  domain::Device device(JobTxn& txn, const std::string& name);
  ConfigRevision resolve(JobTxn& txn, const domain::Device& device, const std::string& rev);

  JobStore& jobs_;
  ConfigArchive& archive_;
};

}  // namespace netspine::app
