#include "probes/snmp_probe.hpp"

// clang-format off: net-snmp's headers must come in this order.
#include <net-snmp/library/large_fd_set.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
// clang-format on

#include <arpa/inet.h>
#include <dlfcn.h>
#include <poll.h>
#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <tuple>

namespace netspine::reach {
namespace {

using plugin::ErrorCategory;

// net-snmp keeps process-wide state the single-session API does not protect: the USM user
// list, engine times, request ids. Every call into the library holds this lock; a batch drops
// it only around poll(), so batches on several threads interleave safely.
std::mutex& libraryLock() {
  static std::mutex lock;
  return lock;
}

void initLibrary() {
  static std::once_flag once;
  std::call_once(once, [] {
    // No snmp.conf, no persistent files: a host's configuration must not change the probe, and
    // nothing may be written under /var/lib/snmp.
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_LOAD_HOST_FILES, 1);
    netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_PERSISTENT_DIR, "/nonexistent");
    // We print nothing through the MIB and never parse names: no MIB files to read.
    netsnmp_set_mib_directory("/nonexistent");
    netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIB_WARNINGS, 0);
    // The library logs to stderr when no handler is on (MIB modules not found, …); every
    // failure reaches the result instead.
    snmp_disable_log();
    netsnmp_register_loghandler(NETSNMP_LOGHANDLER_NONE, LOG_DEBUG);
    // net-snmp keeps its state in its own globals and is initialised once per process; the
    // plugin that uses it may be unloaded and loaded again, so the library is pinned
    // (RTLD_NODELETE): its state stays valid and reachable, never initialised twice.
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&init_snmp), &info) != 0 && info.dli_fname) {
      dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
    }
    init_snmp("netspine-reach");
  });
}

struct AuthProto {
  const char* name;
  const oid* id;
  std::size_t len;
};
struct PrivProto {
  const char* name;
  const oid* id;
  std::size_t len;
};

std::optional<AuthProto> authProtocol(const std::string& name) {
  static const AuthProto table[] = {
      {"MD5", usmHMACMD5AuthProtocol, USM_AUTH_PROTO_MD5_LEN},
      {"SHA", usmHMACSHA1AuthProtocol, USM_AUTH_PROTO_SHA_LEN},
      {"SHA-1", usmHMACSHA1AuthProtocol, USM_AUTH_PROTO_SHA_LEN},
      {"SHA-224", usmHMAC128SHA224AuthProtocol, OID_LENGTH(usmHMAC128SHA224AuthProtocol)},
      {"SHA-256", usmHMAC192SHA256AuthProtocol, OID_LENGTH(usmHMAC192SHA256AuthProtocol)},
      {"SHA-384", usmHMAC256SHA384AuthProtocol, OID_LENGTH(usmHMAC256SHA384AuthProtocol)},
      {"SHA-512", usmHMAC384SHA512AuthProtocol, OID_LENGTH(usmHMAC384SHA512AuthProtocol)},
  };
  for (const auto& p : table) {
    if (strcasecmp(p.name, name.c_str()) == 0) return p;
  }
  return std::nullopt;
}

std::optional<PrivProto> privProtocol(const std::string& name) {
  static const PrivProto table[] = {
      {"DES", usmDESPrivProtocol, USM_PRIV_PROTO_DES_LEN},
      {"AES", usmAESPrivProtocol, USM_PRIV_PROTO_AES_LEN},
      {"AES-128", usmAESPrivProtocol, USM_PRIV_PROTO_AES_LEN},
      {"AES128", usmAESPrivProtocol, USM_PRIV_PROTO_AES_LEN},
  };
  for (const auto& p : table) {
    if (strcasecmp(p.name, name.c_str()) == 0) return p;
  }
  return std::nullopt;
}

std::optional<std::vector<oid>> parseOid(const std::string& text) {
  std::vector<oid> out;
  std::size_t i = text.size() > 0 && text[0] == '.' ? 1 : 0;
  while (i < text.size()) {
    std::size_t j = i;
    unsigned long long value = 0;
    while (j < text.size() && text[j] >= '0' && text[j] <= '9') {
      value = value * 10 + static_cast<unsigned>(text[j] - '0');
      if (value > 0xffffffffULL) return std::nullopt;
      ++j;
    }
    if (j == i) return std::nullopt;
    out.push_back(static_cast<oid>(value));
    if (j < text.size() && (text[j] != '.' || j + 1 == text.size())) return std::nullopt;
    i = j + 1;
  }
  if (out.size() < 2 || out.size() > MAX_OID_LEN) return std::nullopt;
  return out;
}

std::string oidText(const oid* id, std::size_t len) {
  std::string out;
  for (std::size_t i = 0; i < len; ++i) {
    if (i) out += '.';
    out += std::to_string(id[i]);
  }
  return out;
}

std::string valueText(const netsnmp_variable_list* v) {
  switch (v->type) {
    case ASN_OCTET_STR: {
      const auto* s = v->val.string;
      std::size_t n = v->val_len;
      bool printable = true;
      for (std::size_t i = 0; i < n; ++i) {
        const unsigned char c = s[i];
        if ((c < 0x20 || c > 0x7e) && c != '\r' && c != '\n' && c != '\t') printable = false;
      }
      if (printable) return std::string(reinterpret_cast<const char*>(s), n);
      std::string hex;
      char buf[4];
      for (std::size_t i = 0; i < n; ++i) {
        std::snprintf(buf, sizeof buf, i ? ":%02x" : "%02x", s[i]);
        hex += buf;
      }
      return hex;
    }
    case ASN_OBJECT_ID:
      return oidText(v->val.objid, v->val_len / sizeof(oid));
    case ASN_INTEGER:
      return std::to_string(*v->val.integer);
    case ASN_TIMETICKS:
    case ASN_COUNTER:
    case ASN_GAUGE:
      return std::to_string(static_cast<unsigned long>(*v->val.integer) & 0xffffffffUL);
    case ASN_COUNTER64: {
      const auto* c = v->val.counter64;
      return std::to_string((static_cast<unsigned long long>(c->high) << 32) | c->low);
    }
    case ASN_IPADDRESS:
      if (v->val_len == 4) {
        char buf[INET_ADDRSTRLEN];
        if (inet_ntop(AF_INET, v->val.string, buf, sizeof buf)) return buf;
      }
      [[fallthrough]];
    default: {
      std::string hex;
      char buf[4];
      for (std::size_t i = 0; i < v->val_len; ++i) {
        std::snprintf(buf, sizeof buf, i ? ":%02x" : "%02x", v->val.string[i]);
        hex += buf;
      }
      return hex;
    }
  }
}

const char* errorStatusName(long status) {
  static const char* names[] = {"noError",
                                "tooBig",
                                "noSuchName",
                                "badValue",
                                "readOnly",
                                "genErr",
                                "noAccess",
                                "wrongType",
                                "wrongLength",
                                "wrongEncoding",
                                "wrongValue",
                                "noCreation",
                                "inconsistentValue",
                                "resourceUnavailable",
                                "commitFailed",
                                "undoFailed",
                                "authorizationError",
                                "notWritable",
                                "inconsistentName"};
  if (status >= 0 && status < static_cast<long>(std::size(names))) return names[status];
  return "unknown error-status";
}

// A v3 REPORT: the counter it names, and whether it means the credentials were refused.
std::pair<std::string, ErrorCategory> reportMeaning(netsnmp_pdu* pdu) {
  switch (snmpv3_get_report_type(pdu)) {
    case SNMPERR_UNKNOWN_USER_NAME:
      return {"usmStatsUnknownUserNames (unknown user)", ErrorCategory::AuthFailed};
    case SNMPERR_AUTHENTICATION_FAILURE:
      return {"usmStatsWrongDigests (wrong authentication password or protocol)",
              ErrorCategory::AuthFailed};
    case SNMPERR_DECRYPTION_ERR:
      return {"usmStatsDecryptionErrors (wrong privacy password or protocol)",
              ErrorCategory::AuthFailed};
    case SNMPERR_UNSUPPORTED_SEC_LEVEL:
      return {"usmStatsUnsupportedSecLevels (the user has no authPriv)", ErrorCategory::AuthFailed};
    case SNMPERR_NOT_IN_TIME_WINDOW:
      return {"usmStatsNotInTimeWindows", ErrorCategory::ProtocolError};
    case SNMPERR_UNKNOWN_ENG_ID:
      return {"usmStatsUnknownEngineIDs", ErrorCategory::ProtocolError};
    default: {
      std::string what = "an unknown REPORT";
      if (pdu->variables) {
        what += " (" + oidText(pdu->variables->name, pdu->variables->name_length) + ")";
      }
      return {what, ErrorCategory::ProtocolError};
    }
  }
}

// USM keys (Ku) cost a million hash rounds each: computed once per password and protocol in a
// batch, not once per target.
using KeyCache = std::map<std::tuple<std::string, std::string>, std::string>;

std::string masterKey(KeyCache& cache, const AuthProto& auth, const std::string& password) {
  auto key = std::make_tuple(std::string(auth.name), password);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  u_char ku[USM_AUTH_KU_LEN];
  size_t kuLen = sizeof ku;
  std::string out;
  if (generate_Ku(auth.id, static_cast<u_int>(auth.len),
                  reinterpret_cast<const u_char*>(password.data()), password.size(), ku,
                  &kuLen) == SNMPERR_SUCCESS) {
    out.assign(reinterpret_cast<const char*>(ku), kuLen);
  }
  std::memset(ku, 0, sizeof ku);
  return cache[key] = out;
}

// net-snmp keeps one USM user per (engine ID, user name) for the whole process. Two targets
// that share an agent engine and user name but not passwords (a wrong-password check next to
// the right one) would silently share keys; so the user entry is owned while a target uses it,
// a target with other keys waits until it is free, and the entry goes when its last user ends.
struct UsmSlot {
  std::string fingerprint;
  int users = 0;
};
std::map<std::string, UsmSlot>& usmSlots() {
  static std::map<std::string, UsmSlot> slots;
  return slots;
}

void dropUsmUser(const std::string& engineId, const std::string& user) {
  auto* entry =
      usm_get_user(reinterpret_cast<const u_char*>(engineId.data()), engineId.size(), user.c_str());
  if (entry) {
    usm_remove_user(entry);
    usm_free_user(entry);
  }
}

enum class Phase { Pending, Discovering, WaitUser, Requesting, Done };

struct Target {
  std::size_t index = 0;
  Phase phase = Phase::Pending;
  void* session = nullptr;
  int fd = -1;
  int tries = 0;       // sends of the current phase
  int reqid = 0;       // the request we wait for
  bool event = false;  // set by the callback, handled by the loop
  int op = 0;
  Clock::time_point sentAt{};
  Clock::time_point deadline{};
  Clock::time_point giveUp{};  // the library's request vanished without a callback after this
  // What the callback saw.
  int command = 0;
  long errstat = 0, errindex = 0;
  std::map<std::string, std::string> values;
  std::string failedOid;
  std::string reportText;
  ErrorCategory reportCategory = ErrorCategory::Ok;
  std::string engineId;  // discovered (v3)
  std::string slotKey;   // held USM slot, empty when none
  std::string fingerprint;
  std::string authKu, privKu;
};

int onResponse(int op, netsnmp_session*, int reqid, netsnmp_pdu* pdu, void* magic) {
  auto* t = static_cast<Target*>(magic);
  if (t->event || op == NETSNMP_CALLBACK_OP_RESEND) return 1;  // a resend is no outcome
  // A REPORT to an encrypted request cannot carry its request id (the agent could not read
  // it): net-snmp matched it by message id, so it is ours whatever reqid says. Anything else
  // must be the request we wait for, not a stale one.
  const bool report =
      pdu && pdu->command == SNMP_MSG_REPORT &&
      (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE || op == NETSNMP_CALLBACK_OP_SEC_ERROR);
  if (!report && reqid != t->reqid) return 1;
  t->event = true;
  t->op = report ? NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE : op;
  if (!pdu || t->op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE) return 1;
  t->command = pdu->command;
  if (report) {
    auto [text, category] = reportMeaning(pdu);
    t->reportText = std::move(text);
    t->reportCategory = category;
    if (pdu->securityEngineIDLen) {
      t->engineId.assign(reinterpret_cast<const char*>(pdu->securityEngineID),
                         pdu->securityEngineIDLen);
    }
    return 1;
  }
  t->errstat = pdu->errstat;
  t->errindex = pdu->errindex;
  // Values are copied here: the library frees the PDU when the callback returns.
  t->values.clear();
  long i = 1;
  for (auto* v = pdu->variables; v; v = v->next_variable, ++i) {
    if (i == pdu->errindex) t->failedOid = oidText(v->name, v->name_length);
    if (v->type == SNMP_NOSUCHOBJECT || v->type == SNMP_NOSUCHINSTANCE ||
        v->type == SNMP_ENDOFMIBVIEW) {
      continue;
    }
    t->values.emplace(oidText(v->name, v->name_length), valueText(v));
  }
  return 1;
}

std::string sessionError(void* session) {
  int liberr = 0, syserr = 0;
  char* text = nullptr;
  snmp_sess_error(session, &liberr, &syserr, &text);
  std::string out = text ? text : "unknown net-snmp error";
  SNMP_FREE(text);
  return out;
}

void raiseFileLimit(std::size_t sockets) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t wanted = static_cast<rlim_t>(sockets) + 64;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted) {
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(limit.rlim_max, wanted);
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> defaultSystemOids() {
  return {{"sys_descr", "1.3.6.1.2.1.1.1.0"},
          {"sys_object_id", "1.3.6.1.2.1.1.2.0"},
          {"sys_uptime", "1.3.6.1.2.1.1.3.0"},
          {"sys_name", "1.3.6.1.2.1.1.5.0"}};
}

std::string checkCredentials(const SnmpCredentials& c) {
  if (c.version == SnmpCredentials::Version::V2c) {
    return c.community.empty() ? "SNMP v2c needs a community" : "";
  }
  if (c.user.empty()) return "SNMP v3 needs a user";
  if (!authProtocol(c.authProtocol)) {
    return "unknown SNMP v3 authentication protocol '" + c.authProtocol +
           "' (MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512)";
  }
  if (!privProtocol(c.privProtocol)) {
    return "unknown SNMP v3 privacy protocol '" + c.privProtocol + "' (DES, AES)";
  }
  if (c.authPassword.reveal().size() < 8) {
    return "SNMP v3 user '" + c.user + "': the authentication password is shorter than 8";
  }
  if (c.privPassword.reveal().size() < 8) {
    return "SNMP v3 user '" + c.user + "': the privacy password is shorter than 8";
  }
  return "";
}

std::vector<ProbeResult> snmpGet(const std::vector<SnmpTarget>& targets, const SnmpOptions& options,
                                 const CancelCheck& cancel) {
  std::vector<ProbeResult> out(targets.size());
  if (targets.empty()) return out;

  auto name = [&](std::size_t i) {
    const auto& t = targets[i].target;
    const auto port = t.port ? t.port : options.defaultPort;
    return (t.address.find(':') != std::string::npos ? "[" + t.address + "]" : t.address) + ":" +
           std::to_string(port);
  };
  auto finish = [&](std::size_t i, ErrorCategory category, std::string error) {
    out[i].category = category;
    out[i].error = category == ErrorCategory::Ok ? "" : "SNMP " + name(i) + ": " + error;
  };

  // Options that spoil the whole batch: every target gets the same plugin error.
  std::vector<std::pair<std::string, std::vector<oid>>> oids;
  std::string optionError;
  for (const auto& [key, text] : options.oids) {
    auto parsed = parseOid(text);
    if (!parsed) {
      optionError = "bad OID '" + text + "' for '" + key + "' (numeric, dotted)";
      break;
    }
    oids.emplace_back(key, std::move(*parsed));
  }
  if (oids.empty() && optionError.empty()) optionError = "no OIDs to get";
  if (options.timeout.count() <= 0 || options.retries < 0) optionError = "bad timeout or retries";
  if (!optionError.empty()) {
    for (std::size_t i = 0; i < targets.size(); ++i) {
      finish(i, ErrorCategory::PluginError, optionError);
    }
    return out;
  }
  const int tries = options.retries + 1;
  const auto timeout = options.timeout;
  const std::size_t limit =
      options.maxInFlight == 0 ? targets.size() : std::min(options.maxInFlight, targets.size());

  initLibrary();
  {
    std::lock_guard lock(libraryLock());
    raiseFileLimit(limit);
  }

  std::vector<Target> state(targets.size());
  std::deque<std::size_t> pending;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    state[i].index = i;
    pending.push_back(i);
  }
  KeyCache keys;
  std::size_t inFlight = 0;
  std::size_t maxFd = 0;
  std::vector<std::size_t> active;  // targets with an open session

  netsnmp_large_fd_set readSet;
  netsnmp_large_fd_set_init(&readSet, FD_SETSIZE);

  // All below run with the library lock held.
  auto closeTarget = [&](Target& t) {
    if (!t.slotKey.empty()) {
      auto& slots = usmSlots();
      auto it = slots.find(t.slotKey);
      if (it != slots.end() && --it->second.users == 0) {
        dropUsmUser(t.engineId, targets[t.index].credentials.user);
        free_enginetime(reinterpret_cast<u_char*>(t.engineId.data()), t.engineId.size());
        slots.erase(it);
      }
      t.slotKey.clear();
    }
    if (t.session) {
      snmp_sess_close(t.session);
      t.session = nullptr;
      --inFlight;
    }
    t.phase = Phase::Done;
  };
  auto fail = [&](Target& t, ErrorCategory category, std::string error) {
    finish(t.index, category, std::move(error));
    closeTarget(t);
  };

  // Sends the GET (or, v3 without an engine ID yet, the discovery probe).
  auto send = [&](Target& t) {
    const bool probe = t.phase == Phase::Discovering;
    netsnmp_pdu* pdu = snmp_pdu_create(SNMP_MSG_GET);
    if (probe) {
      // What net-snmp's own (synchronous) discovery sends: an empty, unauthenticated GET
      // that the agent answers with a usmStatsUnknownEngineIDs REPORT carrying its engine ID.
      pdu->version = SNMP_VERSION_3;
      pdu->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
      pdu->securityModel = SNMP_SEC_MODEL_USM;
      pdu->securityName = static_cast<char*>(calloc(1, 1));
      pdu->securityNameLen = 0;
    } else {
      for (const auto& [key, id] : oids) snmp_add_null_var(pdu, id.data(), id.size());
    }
    t.event = false;
    t.reqid = pdu->reqid;
    t.sentAt = Clock::now();
    if (!snmp_sess_async_send(t.session, pdu, onResponse, &t)) {
      snmp_free_pdu(pdu);
      fail(t, ErrorCategory::PluginError, "cannot send: " + sessionError(t.session));
      return;
    }
    ++t.tries;
    ++out[t.index].attempts;
    // The library's own expiry is computed before ours, so ours never fires first.
    t.deadline = Clock::now() + timeout;
    t.giveUp = t.deadline + timeout;
  };

  auto startGet = [&](Target& t) {
    t.phase = Phase::Requesting;
    t.tries = 0;
    out[t.index].attempts = 0;
    send(t);
  };

  // v3: the engine ID is known; own (or wait for) its USM user entry, then GET.
  auto claimUser = [&](Target& t) {
    const auto& c = targets[t.index].credentials;
    auto key = t.engineId + std::string(1, '\0') + c.user;
    auto& slot = usmSlots()[key];
    if (slot.users > 0 && slot.fingerprint != t.fingerprint) {
      t.phase = Phase::WaitUser;
      return;
    }
    if (slot.users == 0) {
      slot.fingerprint = t.fingerprint;
      dropUsmUser(t.engineId, c.user);  // stale keys from elsewhere
    }
    ++slot.users;
    t.slotKey = key;
    netsnmp_session* s = snmp_sess_session(t.session);
    if (s->securityEngineIDLen == 0) {
      s->securityEngineID =
          static_cast<u_char*>(netsnmp_memdup(t.engineId.data(), t.engineId.size()));
      s->securityEngineIDLen = t.engineId.size();
    }
    if (s->contextEngineIDLen == 0) {
      s->contextEngineID =
          static_cast<u_char*>(netsnmp_memdup(t.engineId.data(), t.engineId.size()));
      s->contextEngineIDLen = t.engineId.size();
    }
    // Set by snmp_sess_open even though there was no engine ID yet to create the user for.
    s->flags &= ~SNMP_FLAGS_USER_CREATED;
    if (usm_create_user_from_session(s) != SNMPERR_SUCCESS) {
      fail(t, ErrorCategory::PluginError, "cannot set up the SNMP v3 user");
      return;
    }
    startGet(t);
  };

  // Opens target i's session and sends its first request; false when out of sockets.
  auto start = [&](std::size_t i) -> bool {
    auto& t = state[i];
    const auto& target = targets[i].target;
    const auto& c = targets[i].credentials;
    in6_addr buf{};
    const bool v6 = target.address.find(':') != std::string::npos;
    if (inet_pton(v6 ? AF_INET6 : AF_INET, target.address.c_str(), &buf) != 1) {
      finish(i, ErrorCategory::PluginError,
             "bad address '" + target.address + "' (numeric IPv4 or IPv6)");
      t.phase = Phase::Done;
      return true;
    }
    if (auto problem = checkCredentials(c); !problem.empty()) {
      finish(i, ErrorCategory::PluginError, problem);
      t.phase = Phase::Done;
      return true;
    }
    const auto port = target.port ? target.port : options.defaultPort;
    std::string peer = (v6 ? "udp6:[" + target.address + "]" : "udp:" + target.address) + ":" +
                       std::to_string(port);
    netsnmp_session s;
    snmp_sess_init(&s);
    s.peername = peer.data();
    s.timeout = static_cast<long>(std::chrono::microseconds(timeout).count());
    s.retries = 0;  // our own retries: exact attempt counts, one deadline per target
    s.callback = onResponse;
    s.callback_magic = &t;
    // No synchronous engine-ID probe inside snmp_sess_open: the loop discovers it.
    s.flags |= SNMP_FLAGS_DONT_PROBE;
    std::string community;
    if (c.version == SnmpCredentials::Version::V2c) {
      s.version = SNMP_VERSION_2c;
      community = c.community.reveal();
      s.community = reinterpret_cast<u_char*>(community.data());
      s.community_len = community.size();
    } else {
      const auto auth = *authProtocol(c.authProtocol);
      const auto priv = *privProtocol(c.privProtocol);
      t.authKu = masterKey(keys, auth, c.authPassword.reveal());
      t.privKu = masterKey(keys, auth, c.privPassword.reveal());
      if (t.authKu.empty() || t.privKu.empty()) {
        finish(i, ErrorCategory::PluginError, "cannot derive the SNMP v3 keys");
        t.phase = Phase::Done;
        return true;
      }
      t.fingerprint = std::string(auth.name) + '\0' + priv.name + '\0' + t.authKu + '\0' + t.privKu;
      s.version = SNMP_VERSION_3;
      s.securityName = const_cast<char*>(c.user.c_str());
      s.securityNameLen = c.user.size();
      s.securityLevel = SNMP_SEC_LEVEL_AUTHPRIV;
      s.securityAuthProto = const_cast<oid*>(auth.id);
      s.securityAuthProtoLen = auth.len;
      s.securityPrivProto = const_cast<oid*>(priv.id);
      s.securityPrivProtoLen = priv.len;
      std::memcpy(s.securityAuthKey, t.authKu.data(), t.authKu.size());
      s.securityAuthKeyLen = t.authKu.size();
      std::memcpy(s.securityPrivKey, t.privKu.data(), t.privKu.size());
      s.securityPrivKeyLen = t.privKu.size();
    }
    errno = 0;
    t.session = snmp_sess_open(&s);
    std::fill(community.begin(), community.end(), '\0');
    if (!t.session) {
      if ((errno == EMFILE || errno == ENFILE) && inFlight > 0) return false;
      int liberr = 0, syserr = 0;
      char* text = nullptr;
      snmp_error(&s, &liberr, &syserr, &text);
      finish(i, ErrorCategory::PluginError,
             std::string("cannot open a session: ") + (text ? text : "unknown error"));
      SNMP_FREE(text);
      t.phase = Phase::Done;
      return true;
    }
    ++inFlight;
    // snmp_sess_open skips its probe for SNMP_FLAGS_DONT_PROBE but clears the flag, and then
    // the first snmp_sess_async_send of a v3 PDU probes synchronously (a blocking round trip of
    // up to the timeout, per target): set it again so the discovery stays ours and async.
    snmp_sess_session(t.session)->flags |= SNMP_FLAGS_DONT_PROBE;
    auto* transport = snmp_sess_transport(t.session);
    t.fd = transport ? transport->sock : -1;
    maxFd = std::max(maxFd, static_cast<std::size_t>(std::max(t.fd, 0)));
    active.push_back(i);
    t.phase = c.version == SnmpCredentials::Version::V3 ? Phase::Discovering : Phase::Requesting;
    send(t);
    return true;
  };

  // What the callback recorded for t, acted on outside the library's own loop.
  auto handle = [&](Target& t) {
    t.event = false;
    auto& r = out[t.index];
    if (t.op == NETSNMP_CALLBACK_OP_TIMED_OUT) {
      if (t.tries < tries) {
        send(t);
        return;
      }
      fail(
          t, ErrorCategory::Timeout,
          "no SNMP response after " + std::to_string(t.tries) + (t.tries == 1 ? " try" : " tries"));
      return;
    }
    if (t.op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE) {
      fail(t, ErrorCategory::ProtocolError,
           "the response could not be read (net-snmp callback " + std::to_string(t.op) + ")");
      return;
    }
    if (t.phase == Phase::Discovering) {
      if (t.command == SNMP_MSG_REPORT && !t.engineId.empty()) {
        claimUser(t);
      } else {
        fail(t, ErrorCategory::ProtocolError, "no engine ID in the answer to the discovery");
      }
      return;
    }
    if (t.command == SNMP_MSG_REPORT) {
      fail(t, t.reportCategory,
           "user '" + targets[t.index].credentials.user + "' refused: " + t.reportText);
      return;
    }
    if (t.command != SNMP_MSG_RESPONSE) {
      fail(t, ErrorCategory::ProtocolError, "unexpected PDU type " + std::to_string(t.command));
      return;
    }
    r.latency = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t.sentAt);
    if (t.errstat != SNMP_ERR_NOERROR) {
      std::string where = t.failedOid.empty() ? "" : " for " + t.failedOid;
      fail(t, ErrorCategory::ProtocolError,
           std::string("error-status ") + errorStatusName(t.errstat) + " (" +
               std::to_string(t.errstat) + ") at varbind " + std::to_string(t.errindex) + where);
      return;
    }
    for (const auto& [key, id] : oids) {
      auto it = t.values.find(oidText(id.data(), id.size()));
      if (it != t.values.end()) r.data[key] = it->second;
    }
    finish(t.index, ErrorCategory::Ok, "");
    closeTarget(t);
  };

  std::vector<pollfd> fds;
  std::vector<std::size_t> owners;
  std::size_t allowed = limit;
  bool cancelled = false;
  auto lastCancelCheck = Clock::now() - std::chrono::seconds(1);

  std::unique_lock lock(libraryLock());
  while (true) {
    // Fill free slots; a target waiting for a USM user entry retries when one may be free.
    for (auto i : active) {
      auto& t = state[i];
      if (t.phase == Phase::WaitUser) claimUser(t);
    }
    while (!pending.empty() && inFlight < allowed && !cancelled) {
      const auto i = pending.front();
      if (!start(i)) {
        allowed = inFlight;  // out of sockets: go on with what is open
        break;
      }
      pending.pop_front();
    }
    std::erase_if(active, [&](std::size_t i) { return state[i].phase == Phase::Done; });
    if (active.empty() && (pending.empty() || cancelled)) break;

    fds.clear();
    owners.clear();
    auto now = Clock::now();
    auto wake = now + std::chrono::milliseconds(50);  // the cancel check's period
    for (auto i : active) {
      const auto& t = state[i];
      if (t.phase == Phase::WaitUser) continue;
      fds.push_back({t.fd, POLLIN, 0});
      owners.push_back(i);
      wake = std::min(wake, t.deadline);
    }
    const int waitMs = static_cast<int>(
        std::max<long>(0, std::chrono::ceil<std::chrono::milliseconds>(wake - now).count()));
    lock.unlock();
    const int ready = poll(fds.data(), fds.size(), waitMs);
    const int pollErrno = errno;
    if (cancel && Clock::now() - lastCancelCheck >= std::chrono::milliseconds(20)) {
      lastCancelCheck = Clock::now();
      cancelled = cancel();
    }
    lock.lock();
    if (cancelled) {
      for (auto i : active) {
        finish(i, ErrorCategory::Cancelled, "cancelled");
        closeTarget(state[i]);
      }
      for (auto i : pending) finish(i, ErrorCategory::Cancelled, "cancelled");
      pending.clear();
      active.clear();
      break;
    }
    if (ready < 0 && pollErrno != EINTR) {
      for (auto i : active) {
        finish(i, ErrorCategory::PluginError, std::string("poll: ") + std::strerror(pollErrno));
        closeTarget(state[i]);
      }
      for (auto i : pending) finish(i, ErrorCategory::PluginError, "poll failed");
      pending.clear();
      active.clear();
      break;
    }
    if (maxFd + 1 > static_cast<std::size_t>(readSet.lfs_setsize)) {
      netsnmp_large_fd_set_resize(&readSet, static_cast<int>(maxFd + 1));
    }
    for (std::size_t k = 0; ready > 0 && k < fds.size(); ++k) {
      if (!fds[k].revents) continue;
      auto& t = state[owners[k]];
      // snmp_sess_read2 reads only its session's socket, if set in the (large) set.
      NETSNMP_LARGE_FD_SET(t.fd, &readSet);
      snmp_sess_read2(t.session, &readSet);
      NETSNMP_LARGE_FD_CLR(t.fd, &readSet);
      if (t.event) handle(t);
    }
    now = Clock::now();
    for (auto i : active) {
      auto& t = state[i];
      if (t.phase == Phase::Done || t.phase == Phase::WaitUser || now < t.deadline) continue;
      snmp_sess_timeout(t.session);
      if (!t.event && now >= t.giveUp) {
        // The library dropped the request without telling (a REPORT it would not pass on):
        // count it as an unanswered try.
        t.event = true;
        t.op = NETSNMP_CALLBACK_OP_TIMED_OUT;
      }
      if (t.event) {
        handle(t);
      } else {
        // The library re-armed the request (a v3 notInTimeWindow resend): look again soon.
        t.deadline = now + std::chrono::milliseconds(10);
      }
    }
  }
  lock.unlock();
  netsnmp_large_fd_set_cleanup(&readSet);
  return out;
}

}  // namespace netspine::reach
