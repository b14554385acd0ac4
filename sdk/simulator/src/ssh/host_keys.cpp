#include "host_keys.hpp"

#include <mutex>
#include <stdexcept>
#include <string>

namespace netspine::sim {
namespace {

SshKey generate(ssh_keytypes_e type, int bits) {
  ssh_key key = nullptr;
  if (ssh_pki_generate(type, bits, &key) != SSH_OK) {
    throw std::runtime_error("cannot generate an SSH host key");
  }
  return SshKey(key);
}

SshKey loadOrCreate(const std::filesystem::path& file, ssh_keytypes_e type, int bits) {
  const std::string path = file.string();
  if (std::filesystem::exists(file)) {
    ssh_key key = nullptr;
    if (ssh_pki_import_privkey_file(path.c_str(), nullptr, nullptr, nullptr, &key) != SSH_OK) {
      throw std::runtime_error("cannot read the host key " + path +
                               " (delete it to have a new one generated)");
    }
    return SshKey(key);
  }
  auto key = generate(type, bits);
  // Written to a temporary name first so that two simulators starting at once never read half
  // a file.
  const std::string partial = path + ".partial";
  if (ssh_pki_export_privkey_file(key.get(), nullptr, nullptr, nullptr, partial.c_str()) !=
      SSH_OK) {
    throw std::runtime_error("cannot write the host key " + partial);
  }
  std::filesystem::rename(partial, file);
  return key;
}

}  // namespace

std::shared_ptr<const HostKeys> HostKeys::load(const std::filesystem::path& stateDir) {
  if (stateDir.empty()) {
    static std::mutex mutex;
    static std::shared_ptr<const HostKeys> inMemory;
    std::lock_guard lock(mutex);
    if (!inMemory) {
      auto keys = std::make_shared<HostKeys>();
      keys->ed25519_ = generate(SSH_KEYTYPE_ED25519, 0);
      keys->rsa_ = generate(SSH_KEYTYPE_RSA, 2048);
      inMemory = std::move(keys);
    }
    return inMemory;
  }
  std::filesystem::create_directories(stateDir);
  auto keys = std::make_shared<HostKeys>();
  keys->ed25519_ = loadOrCreate(stateDir / "ssh_host_ed25519_key", SSH_KEYTYPE_ED25519, 0);
  keys->rsa_ = loadOrCreate(stateDir / "ssh_host_rsa_key", SSH_KEYTYPE_RSA, 2048);
  return keys;
}

SshKey HostKeys::generateEd25519() {
  return generate(SSH_KEYTYPE_ED25519, 0);
}

}  // namespace netspine::sim
