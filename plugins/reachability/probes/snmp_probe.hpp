#pragma once
// SNMP GET batch probe (v2c and v3 authPriv) on net-snmp's single-session API: one GET per
// target for a fixed set of OIDs, every target of the batch in flight from one thread and one
// poll() loop (no fd_set, so more than FD_SETSIZE sockets work).

#include <netspine/plugin/secret.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "probe.hpp"

namespace netspine::reach {

struct SnmpCredentials {
  enum class Version { V2c, V3 } version = Version::V2c;
  plugin::Secret community;  // v2c
  std::string user;          // v3, security level authPriv
  plugin::Secret authPassword, privPassword;
  std::string authProtocol = "SHA";  // MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512
  std::string privProtocol = "AES";  // DES, AES (AES-128)
};

struct SnmpTarget {
  ProbeTarget target;
  SnmpCredentials credentials;
};

/// sys_descr, sys_object_id, sys_uptime and sys_name (the instances .0 of system).
std::vector<std::pair<std::string, std::string>> defaultSystemOids();

struct SnmpOptions {
  std::chrono::milliseconds timeout{1000};  // per try
  int retries = 1;                          // tries = retries + 1
  std::uint16_t defaultPort = 161;
  /// Sessions (sockets) open at once; 0: the whole batch. The soft RLIMIT_NOFILE is raised
  /// towards the hard one when needed.
  std::size_t maxInFlight = 0;
  /// name -> numeric OID ("1.3.6.1.2.1.1.5.0"), all fetched in ONE GET per target.
  std::vector<std::pair<std::string, std::string>> oids = defaultSystemOids();
};

/// One result per target, in order. data: the oids' names -> value as text (OCTET STRING as is
/// when printable, else hex "xx:xx"; OBJECT IDENTIFIER dotted numeric; TimeTicks in hundredths;
/// integers in decimal); an object the agent lacks is absent. latency: from the GET to its
/// response (after the v3 engine discovery); attempts: GETs sent (discovery probes when the
/// discovery itself got no answer).
std::vector<ProbeResult> snmpGet(const std::vector<SnmpTarget>& targets, const SnmpOptions& options,
                                 const CancelCheck& cancel = {});

/// Validates credentials without sending anything: the problem, or empty (unknown protocol, v3
/// without user or with passwords shorter than 8 characters, v2c without community).
std::string checkCredentials(const SnmpCredentials& credentials);

}  // namespace netspine::reach
