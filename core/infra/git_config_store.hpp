#pragma once

// The Git repository of configuration backups: one file per device, one commit per backup run.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "application/config_archive.hpp"

namespace netspine::infra {

/// A libgit2 call failed; the message names the operation and carries libgit2's own message.
class GitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Configuration backups in one non-bare Git repository.
///
/// Commits are built in memory from HEAD's tree (git_tree_create_updated), never from the
/// working directory or the index, so a stale or edited working tree cannot leak into a commit.
/// After each commit the changed files are checked out (working tree and index), so that a
/// person sees the backups with plain `git` and `git status` is clean; the working tree is a
/// view only, edits made there are overwritten by the next commit of the same file.
///
/// Commits are serialised: a mutex within the process, and an exclusive flock on
/// "<git dir>/netspine.lock" across processes (and across stores on the same repository).
/// Reads share the mutex (a libgit2 repository handle is not for concurrent use) but not the
/// file lock: Git's object store and atomic ref updates keep them consistent.
class GitConfigStore {
 public:
  /// A file to store: `path` relative to the repository's root ("emea/ams1/r1.cfg"). The
  /// archive's own type, so that the archive hands its files over without a copy.
  using ConfigFile = app::ConfigArchive::File;
  struct CommitInfo {
    std::string id;  // full hex id
    std::string author;
    std::string email;
    std::int64_t time = 0;  // author time, seconds since the epoch
    std::string message;    // as recorded, without the trailing newline
  };

  /// Opens the repository at `path` (exactly there, no search upwards), or creates the folder
  /// and a new non-bare repository with an unborn HEAD.
  static GitConfigStore open(const std::string& path);
  GitConfigStore(GitConfigStore&&) noexcept;
  GitConfigStore& operator=(GitConfigStore&&) noexcept;
  ~GitConfigStore();

  /// Stores every file in ONE commit on the current branch. Files whose content equals their
  /// blob at HEAD are skipped; nothing changed: no commit, nullopt. Else the new commit's id.
  /// Throws domain::ValidationError for a bad path (absolute, "..", empty segment, ".git"),
  /// a path given twice, or an empty author name, email or message.
  std::optional<std::string> commit(const std::vector<ConfigFile>& files,
                                    const std::string& authorName, const std::string& authorEmail,
                                    const std::string& message);

  /// The file's content at `rev` (full or short id, "HEAD", "HEAD~1", a branch...); nullopt
  /// when no file is there. domain::NotFoundError when `rev` does not resolve to a commit
  /// (also "HEAD" before the first commit).
  std::optional<std::string> read(const std::string& path, const std::string& rev = "HEAD");

  /// The commits that changed `path` (added, modified or removed it), newest first; at most
  /// `limit` of them (0: all). Empty before the first commit.
  std::vector<CommitInfo> history(const std::string& path, std::size_t limit = 0);

  /// The unified diff of `path` from `fromRev` to `toRev` as `git diff` prints it (3 lines of
  /// context); empty when the file is the same in both.
  std::string diff(const std::string& path, const std::string& fromRev, const std::string& toRev);

  /// The id of HEAD's commit; nullopt before the first commit.
  std::optional<std::string> head();

  /// Pushes the current branch to the same branch of `url` (a path or file:// URL of another
  /// repository, or a transport URL libgit2 handles without credentials). Throws GitError when
  /// the push fails or the remote refuses the update (it is not a fast-forward).
  void push(const std::string& url);

  /// The repository's working directory.
  const std::string& path() const;

 private:
  struct Impl;
  explicit GitConfigStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace netspine::infra
