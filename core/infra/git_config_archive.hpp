#pragma once
// The application's ConfigArchive on the Git repository of GitConfigStore.

#include <string>

#include "application/config_archive.hpp"
#include "infra/git_config_store.hpp"

namespace netspine::infra {

class GitConfigArchive : public app::ConfigArchive {
 public:
  /// Opens (or creates) the repository at `path`; commits are signed by `author`, and pushed to
  /// `remote` after each commit when it is not empty.
  GitConfigArchive(const std::string& path, app::BackupSettings author, std::string remote);

  std::string store(const std::vector<File>& files, const std::string& message) override;
  std::optional<std::string> push() override;
  std::optional<std::string> read(const std::string& path, const std::string& commit) override;
  std::string diff(const std::string& path, const std::string& from,
                   const std::string& to) override;

  GitConfigStore& repository() { return store_; }

 private:
  GitConfigStore store_;
  app::BackupSettings author_;
  std::string remote_;
};

}  // namespace netspine::infra
