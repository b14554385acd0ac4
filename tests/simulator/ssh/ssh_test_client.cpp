#include "ssh_test_client.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace netspine::sim::test {

SshTestClient::SshTestClient(const std::string& address, std::uint16_t port, std::string user)
    : session_(ssh_new()) {
  const unsigned int p = port;
  const long timeoutSeconds = 20;
  const int no = 0;
  ssh_options_set(session_, SSH_OPTIONS_HOST, address.c_str());
  ssh_options_set(session_, SSH_OPTIONS_PORT, &p);
  ssh_options_set(session_, SSH_OPTIONS_USER, user.c_str());
  ssh_options_set(session_, SSH_OPTIONS_TIMEOUT, &timeoutSeconds);
  ssh_options_set(session_, SSH_OPTIONS_PROCESS_CONFIG, &no);
  ssh_options_set(session_, SSH_OPTIONS_KNOWNHOSTS, "/dev/null");
}

SshTestClient::~SshTestClient() {
  if (channel_) ssh_channel_free(channel_);
  ssh_disconnect(session_);
  ssh_free(session_);
}

bool SshTestClient::connect() {
  return ssh_connect(session_) == SSH_OK;
}

bool SshTestClient::loginPassword(const std::string& password) {
  return ssh_userauth_password(session_, nullptr, password.c_str()) == SSH_AUTH_SUCCESS;
}

bool SshTestClient::loginKey(ssh_key privateKey) {
  return ssh_userauth_publickey(session_, nullptr, privateKey) == SSH_AUTH_SUCCESS;
}

bool SshTestClient::loginKeyboardInteractive(const std::string& password) {
  int rc = ssh_userauth_kbdint(session_, nullptr, nullptr);
  while (rc == SSH_AUTH_INFO) {
    for (int i = 0; i < ssh_userauth_kbdint_getnprompts(session_); ++i) {
      ssh_userauth_kbdint_setanswer(session_, static_cast<unsigned>(i), password.c_str());
    }
    rc = ssh_userauth_kbdint(session_, nullptr, nullptr);
  }
  return rc == SSH_AUTH_SUCCESS;
}

std::string SshTestClient::issueBanner() const {
  char* banner = ssh_get_issue_banner(session_);
  if (!banner) return {};
  std::string text(banner);
  ssh_string_free_char(banner);
  return text;
}

std::string SshTestClient::serverIdentification() const {
  const char* banner = ssh_get_serverbanner(session_);
  return banner ? banner : "";
}

std::string SshTestClient::hostKeyHash() const {
  ssh_key key = nullptr;
  if (ssh_get_server_publickey(session_, &key) != SSH_OK) return {};
  unsigned char* hash = nullptr;
  std::size_t length = 0;
  std::string text;
  if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) == SSH_OK) {
    char* hex = ssh_get_hexa(hash, length);
    text = hex;
    ssh_string_free_char(hex);
    ssh_clean_pubkey_hash(&hash);
  }
  ssh_key_free(key);
  return text;
}

bool SshTestClient::openShell() {
  channel_ = ssh_channel_new(session_);
  return channel_ && ssh_channel_open_session(channel_) == SSH_OK &&
         ssh_channel_request_pty_size(channel_, "vt100", 80, 24) == SSH_OK &&
         ssh_channel_request_shell(channel_) == SSH_OK;
}

bool SshTestClient::openSubsystem(const std::string& name) {
  channel_ = ssh_channel_new(session_);
  return channel_ && ssh_channel_open_session(channel_) == SSH_OK &&
         ssh_channel_request_subsystem(channel_, name.c_str()) == SSH_OK;
}

void SshTestClient::write(std::string_view bytes) {
  ssh_channel_write(channel_, bytes.data(), static_cast<uint32_t>(bytes.size()));
}

int SshTestClient::readSome(std::chrono::milliseconds timeout) {
  char buffer[65536];
  const int n = ssh_channel_read_timeout(channel_, buffer, sizeof buffer, 0,
                                         static_cast<int>(timeout.count()));
  if (n > 0) {
    output_.append(buffer, static_cast<std::size_t>(n));
    largestRead_ = std::max(largestRead_, static_cast<std::size_t>(n));
    return n;
  }
  if (n == 0 && !ssh_channel_is_eof(channel_) && !ssh_channel_is_closed(channel_)) return 0;
  return -1;
}

bool SshTestClient::readUntil(std::string_view marker, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t searchFrom = 0;
  for (;;) {
    if (output_.find(marker, searchFrom) != std::string::npos) return true;
    searchFrom = output_.size() > marker.size() ? output_.size() - marker.size() : 0;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    if (readSome(std::min(left, std::chrono::milliseconds(200))) < 0) {
      return output_.find(marker) != std::string::npos;
    }
  }
}

int SshTestClient::readUntilEndsWith(std::initializer_list<std::string_view> markers,
                                     std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::string_view text = output_;
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    int index = 0;
    for (auto marker : markers) {
      if (text.ends_with(marker)) return index;
      ++index;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || readSome(std::min(left, std::chrono::milliseconds(200))) < 0) {
      return -1;
    }
  }
}

std::string SshTestClient::take() {
  return std::exchange(output_, {});
}

bool SshTestClient::readToEof(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (readSome(200ms) < 0) return ssh_channel_is_eof(channel_) != 0;
  }
  return false;
}

bool SshTestClient::channelClosed() const {
  return channel_ == nullptr || ssh_channel_is_closed(channel_) || ssh_channel_is_eof(channel_);
}

bool SshTestClient::execStart(const std::string& command) {
  channel_ = ssh_channel_new(session_);
  return channel_ && ssh_channel_open_session(channel_) == SSH_OK &&
         ssh_channel_request_exec(channel_, command.c_str()) == SSH_OK;
}

void SshTestClient::hangUp() {
  if (const int fd = ssh_get_fd(session_); fd >= 0) ::shutdown(fd, SHUT_RDWR);
}

SshTestClient::Exec SshTestClient::exec(const std::string& command,
                                        std::chrono::milliseconds timeout) {
  Exec result;
  if (!execStart(command)) return result;
  result.complete = readToEof(timeout);
  result.output = take();
  if (result.complete) result.exitStatus = ssh_channel_get_exit_status(channel_);
  return result;
}

TestKey::TestKey() {
  if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key) != SSH_OK) {
    throw std::runtime_error("cannot generate a test key");
  }
  char* base64 = nullptr;
  ssh_pki_export_pubkey_base64(key, &base64);
  publicLine = std::string("ssh-ed25519 ") + base64 + " test@netspine";
  ssh_string_free_char(base64);
}

TestKey::~TestKey() {
  ssh_key_free(key);
}

}  // namespace netspine::sim::test
