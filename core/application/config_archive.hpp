#pragma once
// Configuration backups as the application sees them: the revisions the database records, the
// archive (a Git repository) that holds their text, and the reads that history and diffs need.
//
// A backup's text goes into the archive first (one commit for a batch of devices), then one
// revision row per device into the database in the same transaction as the task's result. The
// rows make history and diffs a lookup: nothing walks the Git log.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "application/store.hpp"

namespace netspine::app {

/// One stored revision of one device's configuration.
struct ConfigRevision {
  Id id = 0;
  Id deviceId = 0;
  std::string path;      // the file in the archive: "emea/ams1/r1.cfg"
  std::string commit;    // the full commit id at which the file holds this text
  std::string storedAt;  // ISO time
  std::int64_t bytes = 0;
  std::string sha256;  // of the stored text
  Id runId = 0;        // the run that stored it
};

/// A device's SSH host key as netspine pinned it on first contact.
struct HostKey {
  Id deviceId = 0;
  std::string key;  // "<type> <base64>"
  std::string firstSeen;
  Id runId = 0;
};

/// Where the text of configurations is kept. Thread-safe; commits are serialised across
/// processes by the implementation.
class ConfigArchive {
 public:
  struct File {
    std::string path;
    std::string content;
  };
  virtual ~ConfigArchive() = default;

  /// Stores the files in ONE commit with `message`; returns the id of the commit at which every
  /// one of them holds the given text (the new commit, or the current one when none changed).
  virtual std::string store(const std::vector<File>& files, const std::string& message) = 0;
  /// Sends the commits to the configured remote; the problem, or nothing when it worked or
  /// there is no remote.
  virtual std::optional<std::string> push() = 0;
  /// The file's text at `commit`; nothing when it is not there.
  virtual std::optional<std::string> read(const std::string& path, const std::string& commit) = 0;
  /// The unified diff of the file between two commits; empty when the text is the same.
  virtual std::string diff(const std::string& path, const std::string& from,
                           const std::string& to) = 0;
};

/// `backup:` in the config file: where each device's file goes and who signs the commits.
struct BackupSettings {
  /// Placeholders: {area} (the area path, "emea/ams1"), {device}, {platform}.
  std::string pathTemplate = "{area}/{device}.cfg";
  std::string authorName = "netspine";
  std::string authorEmail = "netspine@localhost";
};

/// The archive path of a device's file; empty segments (a device without an area) drop out.
/// Throws domain::ValidationError for a template without {device} or with an unknown
/// placeholder.
std::string configPath(const std::string& pathTemplate, const std::string& areaPath,
                       const std::string& device, const std::string& platform);
/// Checks a path template (the config file's `backup.path`); the problem, or nothing.
std::optional<std::string> checkPathTemplate(const std::string& pathTemplate);

}  // namespace netspine::app
