#pragma once
// The simulator's SSH host keys: one ED25519 and one RSA key per process, cached on disk.

#include <libssh/libssh.h>

#include <filesystem>
#include <memory>

namespace netspine::sim {

struct SshKeyDeleter {
  void operator()(ssh_key key) const { ssh_key_free(key); }
};
using SshKey = std::unique_ptr<std::remove_pointer_t<ssh_key>, SshKeyDeleter>;

// ED25519 for today's clients, RSA for old ones; every device of a process shares them, so that
// 1,000 devices cost no key generation (RSA takes a noticeable time).
class HostKeys {
 public:
  // Loads the keys from `stateDir`, creating them there on first use; with an empty path the
  // keys live in memory, generated once per process.
  static std::shared_ptr<const HostKeys> load(const std::filesystem::path& stateDir);

  [[nodiscard]] ssh_key ed25519() const { return ed25519_.get(); }
  [[nodiscard]] ssh_key rsa() const { return rsa_.get(); }

  // A fresh ED25519 key, for a device whose host key changes on every connection.
  static SshKey generateEd25519();

 private:
  SshKey ed25519_;
  SshKey rsa_;
};

}  // namespace netspine::sim
