#pragma once
// SSH probes: the server's identification line over a bare TCP connection (no SSH library), and
// a NETCONF <hello> over a real SSH login (libssh).

#include <netspine/plugin/secret.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "probe.hpp"

namespace netspine::reach {

struct BannerOptions {
  std::chrono::milliseconds timeout{5000};  // connect and banner together
  std::uint16_t defaultPort = 22;
  std::size_t maxInFlight = 0;  // 0: as many as the fd limit allows
};

/// Connects and reads the server's identification line "SSH-2.0-…" (RFC 4253 4.2: lines before
/// it that do not start with "SSH-" are skipped; at most 255 bytes a line, a limited number of
/// lines) without sending anything but our own identification line, then closes.
/// data["banner"] = the line without CR LF; latency = time to the banner.
std::vector<ProbeResult> sshBanner(const std::vector<ProbeTarget>& targets,
                                   const BannerOptions& options, const CancelCheck& cancelled = {});

struct NetconfLogin {
  std::string username;
  plugin::Secret password;     // tried as password, then keyboard-interactive
  std::string privateKeyPath;  // tried after the password, when set
  plugin::Secret passphrase;   // of the private key
};

struct NetconfTarget {
  ProbeTarget target;
  std::vector<NetconfLogin> logins;  // tried in order
  // "<type> <base64>", the format plugins/ssh_cli uses for attribute "ssh.host_key"; empty:
  // accept any key and report it.
  std::string pinnedHostKey;
};

struct NetconfOptions {
  std::chrono::milliseconds timeout{10000};  // the whole exchange, per target
  std::uint16_t defaultPort = 830;
  std::size_t maxInFlight = 64;  // sessions open at once (0: 64)
};

/// SSH to the target, authenticate, open the "netconf" subsystem, read the server's <hello> up to
/// the "]]>]]>" end-of-message (NETCONF 1.0 framing; the server's hello always uses it), parse its
/// <capability> elements and <session-id>, send our own hello (base:1.0 only), close.
/// data["capabilities"] = the capability URIs joined by "\n", data["session_id"],
/// data["ssh.host_key"] = the host key seen (the ssh_cli format), latency = time to the hello.
/// A pinned host key that differs: HostKeyMismatch, and no credential is sent.
std::vector<ProbeResult> netconfHello(const std::vector<NetconfTarget>& targets,
                                      const NetconfOptions& options,
                                      const CancelCheck& cancelled = {});

}  // namespace netspine::reach
