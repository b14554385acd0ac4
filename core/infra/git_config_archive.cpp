#include "infra/git_config_archive.hpp"

namespace netspine::infra {

GitConfigArchive::GitConfigArchive(const std::string& path, app::BackupSettings author,
                                   std::string remote)
    : store_(GitConfigStore::open(path)), author_(std::move(author)), remote_(std::move(remote)) {}

std::string GitConfigArchive::store(const std::vector<File>& files, const std::string& message) {
  if (auto id = store_.commit(files, author_.authorName, author_.authorEmail, message)) {
    return *id;
  }
  // Nothing changed in Git (a revision whose row was lost): the files are current at HEAD.
  auto head = store_.head();
  if (!head) throw GitError(store_.path() + ": nothing committed and no HEAD");
  return *head;
}

std::optional<std::string> GitConfigArchive::push() {
  if (remote_.empty()) return std::nullopt;
  try {
    store_.push(remote_);
  } catch (const std::exception& e) {
    return std::string(e.what());
  }
  return std::nullopt;
}

std::optional<std::string> GitConfigArchive::read(const std::string& path,
                                                  const std::string& commit) {
  return store_.read(path, commit);
}

std::string GitConfigArchive::diff(const std::string& path, const std::string& from,
                                   const std::string& to) {
  return store_.diff(path, from, to);
}

}  // namespace netspine::infra
