#pragma once
// Owning handles for libssh objects, and the host key as netspine pins it: shared by every
// engine that speaks SSH, so that a key one engine pinned is the same text the other compares.

#include <libssh/libssh.h>

#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

namespace netspine::sshsupport {

struct SessionDeleter {
  void operator()(ssh_session s) const {
    if (ssh_is_connected(s)) ssh_disconnect(s);
    ssh_free(s);
  }
};
struct ChannelDeleter {
  void operator()(ssh_channel c) const { ssh_channel_free(c); }
};
struct KeyDeleter {
  void operator()(ssh_key k) const { ssh_key_free(k); }
};
using Session = std::unique_ptr<std::remove_pointer_t<ssh_session>, SessionDeleter>;
using Channel = std::unique_ptr<std::remove_pointer_t<ssh_channel>, ChannelDeleter>;
using Key = std::unique_ptr<std::remove_pointer_t<ssh_key>, KeyDeleter>;

/// The options every netspine client session starts with: no ~/.ssh/config or /etc/ssh (they are
/// not netspine's), no libssh logging, no known_hosts files (netspine pins keys itself),
/// TCP_NODELAY, and the port. The host is set by the caller, which reports a bad address.
inline void setBaseOptions(ssh_session s, unsigned port) {
  const bool processConfig = false;
  const int verbosity = SSH_LOG_NOLOG;
  const int nodelay = 1;
  ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &processConfig);
  ssh_options_set(s, SSH_OPTIONS_LOG_VERBOSITY, &verbosity);
  ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, "/dev/null");
  ssh_options_set(s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
  ssh_options_set(s, SSH_OPTIONS_NODELAY, &nodelay);
  ssh_options_set(s, SSH_OPTIONS_PORT, &port);
}

/// The attribute and result value "ssh.host_key": "<type> <base64>"; empty when it cannot be
/// exported.
inline std::string keyText(ssh_key key) {
  char* base64 = nullptr;
  if (ssh_pki_export_pubkey_base64(key, &base64) != SSH_OK || !base64) return {};
  std::string text = std::string(ssh_key_type_to_char(ssh_key_type(key))) + " " + base64;
  ssh_string_free_char(base64);
  return text;
}

/// "SHA256:…", for messages; "?" when it cannot be computed.
inline std::string fingerprint(ssh_key key) {
  unsigned char* hash = nullptr;
  std::size_t size = 0;
  if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &size) != SSH_OK) return "?";
  char* text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, size);
  ssh_clean_pubkey_hash(&hash);
  std::string out = text ? text : "?";
  ssh_string_free_char(text);
  return out;
}

/// The pinned text "<type> <base64>" (a trailing comment allowed) as a key; null when it is not
/// one.
inline Key parseKey(std::string_view text) {
  const auto trim = [](std::string_view t) {
    const auto first = t.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return std::string_view();
    return t.substr(first, t.find_last_not_of(" \t\r\n") - first + 1);
  };
  text = trim(text);
  const auto space = text.find(' ');
  if (space == std::string_view::npos) return nullptr;
  const std::string type(text.substr(0, space));
  std::string base64(trim(text.substr(space + 1)));
  base64 = base64.substr(0, base64.find(' '));
  ssh_key key = nullptr;
  if (ssh_pki_import_pubkey_base64(base64.c_str(), ssh_key_type_from_name(type.c_str()), &key) !=
      SSH_OK) {
    return nullptr;
  }
  return Key(key);
}

}  // namespace netspine::sshsupport
