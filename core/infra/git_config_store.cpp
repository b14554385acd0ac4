#include "infra/git_config_store.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <git2.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <set>

#include "domain/errors.hpp"

namespace netspine::infra {

namespace {

// ---- libgit2 handles -------------------------------------------------------------------------

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* handle) const {
    Free(handle);
  }
};
template <typename T, auto Free>
using Handle = std::unique_ptr<T, Deleter<Free>>;

using RepositoryPtr = Handle<git_repository, git_repository_free>;
using ObjectPtr = Handle<git_object, git_object_free>;
using CommitPtr = Handle<git_commit, git_commit_free>;
using TreePtr = Handle<git_tree, git_tree_free>;
using TreeEntryPtr = Handle<git_tree_entry, git_tree_entry_free>;
using TreeBuilderPtr = Handle<git_treebuilder, git_treebuilder_free>;
using BlobPtr = Handle<git_blob, git_blob_free>;
using ReferencePtr = Handle<git_reference, git_reference_free>;
using SignaturePtr = Handle<git_signature, git_signature_free>;
using RevwalkPtr = Handle<git_revwalk, git_revwalk_free>;
using DiffPtr = Handle<git_diff, git_diff_free>;
using IndexPtr = Handle<git_index, git_index_free>;
using RemotePtr = Handle<git_remote, git_remote_free>;

/// A git_buf that frees itself.
struct Buffer {
  git_buf buf = GIT_BUF_INIT;
  Buffer() = default;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  ~Buffer() { git_buf_dispose(&buf); }
  std::string str() const { return buf.ptr ? std::string(buf.ptr, buf.size) : std::string(); }
};

void initLibgit2() {
  static const int once = [] {
    const int rc = git_libgit2_init();
    if (rc < 0) throw GitError("cannot initialise libgit2");
    return rc;
  }();
  (void)once;
}

std::string lastMessage() {
  const git_error* error = git_error_last();
  return error && error->message ? error->message : "unknown libgit2 error";
}

/// Throws GitError for a failed libgit2 call (rc < 0), naming `what`.
void check(int rc, const std::string& what) {
  if (rc < 0) throw GitError(fmt::format("{}: {}", what, lastMessage()));
}

/// A path relative to the repository's root, with nothing that could leave it or touch .git.
void validatePath(const std::string& path) {
  const auto refuse = [&](const char* why) {
    throw domain::ValidationError(fmt::format("backup path '{}': {}", path, why), "path");
  };
  if (path.empty()) refuse("empty");
  if (path.front() == '/') refuse("must be relative to the repository");
  if (path.find('\0') != std::string::npos) refuse("contains a NUL character");
  std::size_t start = 0;
  while (true) {
    const std::size_t end = path.find('/', start);
    const std::string segment =
        path.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (segment.empty()) refuse("has an empty segment");
    if (segment == "." || segment == "..") refuse("has a '.' or '..' segment");
    if (segment == ".git") refuse("has a '.git' segment");
    if (end == std::string::npos) break;
    start = end + 1;
  }
}

/// An exclusive flock on a file, held until destruction.
class FileLock {
 public:
  explicit FileLock(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) {
      throw GitError(fmt::format("{}: cannot open the lock file: {}", path, std::strerror(errno)));
    }
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      ::close(fd_);
      throw GitError(fmt::format("{}: cannot lock: {}", path, std::strerror(error)));
    }
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock() { ::close(fd_); }  // closing releases the lock

 private:
  int fd_ = -1;
};

}  // namespace

struct GitConfigStore::Impl {
  RepositoryPtr repo;
  std::string path;      // the working directory (the git dir for a bare repository)
  std::string lockPath;  // <git dir>/netspine.lock
  std::mutex mutex;

  /// The commit `rev` names; domain::NotFoundError when it names none.
  CommitPtr resolve(const std::string& rev) {
    git_object* raw = nullptr;
    const int rc = git_revparse_single(&raw, repo.get(), rev.c_str());
    if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC || rc == GIT_EUNBORNBRANCH) {
      throw domain::NotFoundError(fmt::format("revision '{}' not found", rev), "rev");
    }
    check(rc, fmt::format("{}: resolve revision '{}'", path, rev));
    ObjectPtr object(raw);
    git_object* peeled = nullptr;
    if (git_object_peel(&peeled, object.get(), GIT_OBJECT_COMMIT) < 0) {
      throw domain::NotFoundError(fmt::format("revision '{}' is not a commit", rev), "rev");
    }
    return CommitPtr(reinterpret_cast<git_commit*>(peeled));
  }

  TreePtr treeOf(const git_commit* commit) {
    git_tree* tree = nullptr;
    check(git_commit_tree(&tree, commit), fmt::format("{}: read a commit's tree", path));
    return TreePtr(tree);
  }

  TreePtr emptyTree() {
    git_treebuilder* raw = nullptr;
    check(git_treebuilder_new(&raw, repo.get(), nullptr), "create a tree builder");
    TreeBuilderPtr builder(raw);
    git_oid id;
    check(git_treebuilder_write(&id, builder.get()), fmt::format("{}: write the empty tree", path));
    git_tree* tree = nullptr;
    check(git_tree_lookup(&tree, repo.get(), &id), fmt::format("{}: read the empty tree", path));
    return TreePtr(tree);
  }

  /// HEAD's commit; null while HEAD is unborn.
  CommitPtr head() {
    git_reference* raw = nullptr;
    const int rc = git_repository_head(&raw, repo.get());
    if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND) return nullptr;
    check(rc, fmt::format("{}: read HEAD", path));
    ReferencePtr ref(raw);
    git_object* commit = nullptr;
    check(git_reference_peel(&commit, ref.get(), GIT_OBJECT_COMMIT),
          fmt::format("{}: read HEAD's commit", path));
    return CommitPtr(reinterpret_cast<git_commit*>(commit));
  }

  /// The blob at `file` in `tree`; nullopt when there is none (nothing, or a folder).
  std::optional<git_oid> blobAt(const git_tree* tree, const std::string& file) {
    git_tree_entry* raw = nullptr;
    const int rc = git_tree_entry_bypath(&raw, tree, file.c_str());
    if (rc == GIT_ENOTFOUND) return std::nullopt;
    check(rc, fmt::format("{}: look up '{}'", path, file));
    TreeEntryPtr entry(raw);
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB) return std::nullopt;
    return *git_tree_entry_id(entry.get());
  }

  static bool same(const std::optional<git_oid>& a, const std::optional<git_oid>& b) {
    if (a.has_value() != b.has_value()) return false;
    return !a || git_oid_equal(&*a, &*b);
  }
};

GitConfigStore::GitConfigStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GitConfigStore::GitConfigStore(GitConfigStore&&) noexcept = default;
GitConfigStore& GitConfigStore::operator=(GitConfigStore&&) noexcept = default;
GitConfigStore::~GitConfigStore() = default;

const std::string& GitConfigStore::path() const {
  return impl_->path;
}

GitConfigStore GitConfigStore::open(const std::string& path) {
  initLibgit2();
  git_repository* raw = nullptr;
  int rc = git_repository_open_ext(&raw, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
  if (rc == GIT_ENOTFOUND) {
    std::error_code error;
    std::filesystem::create_directories(path, error);
    if (error) {
      throw GitError(fmt::format("{}: cannot create the folder: {}", path, error.message()));
    }
    rc = git_repository_init(&raw, path.c_str(), /*is_bare=*/0);
    check(rc, fmt::format("{}: create the repository", path));
  } else {
    check(rc, fmt::format("{}: open the repository", path));
  }
  auto impl = std::make_unique<Impl>();
  impl->repo.reset(raw);
  const char* workdir = git_repository_workdir(raw);
  const char* gitdir = git_repository_path(raw);
  impl->path = workdir ? workdir : gitdir;
  impl->lockPath = (std::filesystem::path(gitdir) / "netspine.lock").string();
  return GitConfigStore(std::move(impl));
}

std::optional<std::string> GitConfigStore::commit(const std::vector<ConfigFile>& files,
                                                  const std::string& authorName,
                                                  const std::string& authorEmail,
                                                  const std::string& message) {
  std::set<std::string> seen;
  for (const auto& file : files) {
    validatePath(file.path);
    if (!seen.insert(file.path).second) {
      throw domain::ValidationError(
          fmt::format("backup path '{}' is given twice in one commit", file.path), "path");
    }
  }
  if (authorName.empty()) throw domain::ValidationError("commit author name is empty", "author");
  if (authorEmail.empty()) throw domain::ValidationError("commit author email is empty", "email");
  if (message.empty()) throw domain::ValidationError("commit message is empty", "message");

  Impl& s = *impl_;
  std::lock_guard guard(s.mutex);
  FileLock lock(s.lockPath);

  // Everything from here reads the repository afresh, under the lock.
  CommitPtr parent = s.head();
  TreePtr baseline = parent ? s.treeOf(parent.get()) : s.emptyTree();

  std::vector<git_tree_update> updates;
  std::vector<const char*> changedPaths;
  for (const auto& file : files) {
    git_oid id;
    check(git_odb_hash(&id, file.content.data(), file.content.size(), GIT_OBJECT_BLOB),
          "hash a blob");
    if (Impl::same(s.blobAt(baseline.get(), file.path), id)) continue;
    check(git_blob_create_from_buffer(&id, s.repo.get(), file.content.data(), file.content.size()),
          fmt::format("{}: write the blob of '{}'", s.path, file.path));
    git_tree_update update{};
    update.action = GIT_TREE_UPDATE_UPSERT;
    update.id = id;
    update.filemode = GIT_FILEMODE_BLOB;
    update.path = file.path.c_str();
    updates.push_back(update);
    changedPaths.push_back(file.path.c_str());
  }
  if (updates.empty()) return std::nullopt;

  git_oid treeId;
  check(git_tree_create_updated(&treeId, s.repo.get(), baseline.get(), updates.size(),
                                updates.data()),
        fmt::format("{}: build the new tree", s.path));
  git_tree* rawTree = nullptr;
  check(git_tree_lookup(&rawTree, s.repo.get(), &treeId),
        fmt::format("{}: read the new tree", s.path));
  TreePtr tree(rawTree);

  git_signature* rawSignature = nullptr;
  check(git_signature_now(&rawSignature, authorName.c_str(), authorEmail.c_str()),
        fmt::format("commit author '{} <{}>'", authorName, authorEmail));
  SignaturePtr signature(rawSignature);
  Buffer prettyMessage;
  check(git_message_prettify(&prettyMessage.buf, message.c_str(), /*strip_comments=*/0, '#'),
        "clean up the commit message");

  // "HEAD" as the ref to update: libgit2 moves the current branch (creating it when unborn) and
  // refuses when its tip is no longer `parent`, a backstop behind the lock.
  const git_commit* parents[] = {parent.get()};
  git_oid commitId;
  check(git_commit_create(&commitId, s.repo.get(), "HEAD", signature.get(), signature.get(),
                          nullptr, prettyMessage.buf.ptr, tree.get(), parent ? 1 : 0, parents),
        fmt::format("{}: commit", s.path));
  const std::string id = git_oid_tostr_s(&commitId);

  if (!git_repository_is_bare(s.repo.get())) {
    // Bring the working directory and the index up to date for the changed files only. Forced:
    // the working tree is a view of the repository, not an input.
    git_index* rawIndex = nullptr;
    check(git_repository_index(&rawIndex, s.repo.get()), fmt::format("{}: open the index", s.path));
    IndexPtr index(rawIndex);
    git_checkout_options options;
    git_checkout_options_init(&options, GIT_CHECKOUT_OPTIONS_VERSION);
    options.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH;
    options.paths.strings = const_cast<char**>(changedPaths.data());
    options.paths.count = changedPaths.size();
    options.baseline = baseline.get();
    const int rc = git_index_read(index.get(), /*force=*/1);
    const int checkout =
        rc < 0
            ? rc
            : git_checkout_tree(s.repo.get(), reinterpret_cast<git_object*>(tree.get()), &options);
    check(checkout, fmt::format("{}: commit {} is recorded, but the working tree was not updated",
                                s.path, id));
  }
  return id;
}

std::optional<std::string> GitConfigStore::read(const std::string& path, const std::string& rev) {
  validatePath(path);
  Impl& s = *impl_;
  std::lock_guard guard(s.mutex);
  CommitPtr commit = s.resolve(rev);
  TreePtr tree = s.treeOf(commit.get());
  const auto id = s.blobAt(tree.get(), path);
  if (!id) return std::nullopt;
  git_blob* raw = nullptr;
  check(git_blob_lookup(&raw, s.repo.get(), &*id),
        fmt::format("{}: read '{}' at {}", s.path, path, rev));
  BlobPtr blob(raw);
  return std::string(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                     static_cast<std::size_t>(git_blob_rawsize(blob.get())));
}

std::vector<GitConfigStore::CommitInfo> GitConfigStore::history(const std::string& path,
                                                                std::size_t limit) {
  validatePath(path);
  Impl& s = *impl_;
  std::lock_guard guard(s.mutex);
  std::vector<CommitInfo> commits;
  CommitPtr head = s.head();
  if (!head) return commits;

  git_revwalk* rawWalk = nullptr;
  check(git_revwalk_new(&rawWalk, s.repo.get()), fmt::format("{}: walk the history", s.path));
  RevwalkPtr walk(rawWalk);
  check(git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME), "sort the history");
  check(git_revwalk_push(walk.get(), git_commit_id(head.get())),
        fmt::format("{}: walk the history", s.path));

  git_oid id;
  int rc = 0;
  while ((rc = git_revwalk_next(&id, walk.get())) == 0) {
    git_commit* rawCommit = nullptr;
    check(git_commit_lookup(&rawCommit, s.repo.get(), &id),
          fmt::format("{}: read commit {}", s.path, git_oid_tostr_s(&id)));
    CommitPtr commit(rawCommit);
    const auto now = s.blobAt(s.treeOf(commit.get()).get(), path);
    std::optional<git_oid> before;
    if (git_commit_parentcount(commit.get()) > 0) {
      git_commit* rawParent = nullptr;
      check(git_commit_parent(&rawParent, commit.get(), 0),
            fmt::format("{}: read the parent of {}", s.path, git_oid_tostr_s(&id)));
      CommitPtr parent(rawParent);
      before = s.blobAt(s.treeOf(parent.get()).get(), path);
    }
    if (Impl::same(now, before)) continue;

    const git_signature* author = git_commit_author(commit.get());
    std::string message = git_commit_message(commit.get()) ? git_commit_message(commit.get()) : "";
    while (!message.empty() && message.back() == '\n') message.pop_back();
    commits.push_back(CommitInfo{.id = git_oid_tostr_s(&id),
                                 .author = author->name ? author->name : "",
                                 .email = author->email ? author->email : "",
                                 .time = static_cast<std::int64_t>(author->when.time),
                                 .message = std::move(message)});
    if (limit != 0 && commits.size() >= limit) break;
  }
  if (rc != GIT_ITEROVER && rc < 0) check(rc, fmt::format("{}: walk the history", s.path));
  return commits;
}

std::string GitConfigStore::diff(const std::string& path, const std::string& fromRev,
                                 const std::string& toRev) {
  validatePath(path);
  Impl& s = *impl_;
  std::lock_guard guard(s.mutex);
  CommitPtr from = s.resolve(fromRev);
  CommitPtr to = s.resolve(toRev);
  TreePtr fromTree = s.treeOf(from.get());
  TreePtr toTree = s.treeOf(to.get());

  git_diff_options options;
  git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
  std::string pathspec = path;
  char* paths[] = {pathspec.data()};
  options.pathspec.strings = paths;
  options.pathspec.count = 1;
  options.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
  options.context_lines = 3;

  git_diff* rawDiff = nullptr;
  check(git_diff_tree_to_tree(&rawDiff, s.repo.get(), fromTree.get(), toTree.get(), &options),
        fmt::format("{}: diff '{}' from {} to {}", s.path, path, fromRev, toRev));
  DiffPtr diff(rawDiff);
  Buffer text;
  check(git_diff_to_buf(&text.buf, diff.get(), GIT_DIFF_FORMAT_PATCH),
        fmt::format("{}: print the diff of '{}'", s.path, path));
  return text.str();
}

std::optional<std::string> GitConfigStore::head() {
  Impl& s = *impl_;
  std::lock_guard guard(s.mutex);
  CommitPtr commit = s.head();
  if (!commit) return std::nullopt;
  char hex[GIT_OID_HEXSZ + 1] = {};
  git_oid_tostr(hex, sizeof hex, git_commit_id(commit.get()));
  return std::string(hex);
}

namespace {

/// Collects the remote's refusals: git_remote_push succeeds even when the remote refuses a ref.
int onPushUpdate(const char* ref, const char* status, void* payload) {
  if (status) {
    auto* refused = static_cast<std::string*>(payload);
    *refused += fmt::format("{}{}: {}", refused->empty() ? "" : "; ", ref, status);
  }
  return 0;
}

}  // namespace

void GitConfigStore::push(const std::string& url) {
  Impl& s = *impl_;
  std::lock_guard guard(s.mutex);
  FileLock lock(s.lockPath);  // one push at a time, and never during a commit
  git_reference* rawHead = nullptr;
  const int rc = git_repository_head(&rawHead, s.repo.get());
  if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND) return;  // nothing committed yet
  check(rc, fmt::format("{}: read HEAD", s.path));
  ReferencePtr head(rawHead);
  const std::string branch = git_reference_name(head.get());
  git_remote* rawRemote = nullptr;
  check(git_remote_create_anonymous(&rawRemote, s.repo.get(), url.c_str()),
        fmt::format("{}: remote '{}'", s.path, url));
  RemotePtr remote(rawRemote);
  std::string spec = branch + ":" + branch;
  char* specs[] = {spec.data()};
  git_strarray refspecs{specs, 1};
  git_push_options options;
  git_push_options_init(&options, GIT_PUSH_OPTIONS_VERSION);
  std::string refused;
  options.callbacks.push_update_reference = onPushUpdate;
  options.callbacks.payload = &refused;
  check(git_remote_push(remote.get(), &refspecs, &options),
        fmt::format("{}: push {} to '{}'", s.path, branch, url));
  if (!refused.empty()) {
    throw GitError(fmt::format("{}: push to '{}' refused: {}", s.path, url, refused));
  }
}

}  // namespace netspine::infra
