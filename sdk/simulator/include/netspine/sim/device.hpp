#pragma once
// A simulated network device: its profile, its shared state, and the CLI sessions open on it.
//
// This is the protocol-free half of netspine-sim: it turns typed bytes into the bytes a Cisco
// IOS, Juniper Junos or Arista EOS CLI would print. The SSH half (ssh_server.hpp) carries those
// bytes over real SSH channels and adds the transport faults.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace netspine::sim {

enum class OsKind { CiscoIos, JuniperJunos, AristaEos };

// "cisco_ios", "juniper_junos", "arista_eos" (netspine's platform ids).
const char* platformId(OsKind os);
std::optional<OsKind> parseOsKind(std::string_view platformId);

// Faults chosen per device. The CLI half implements the content faults; the SSH half the rest.
enum class Fault {
  // transport (SSH half)
  WrongPassword,        // the device's real password differs from the advertised one: auth fails
  SlowBanner,           // the SSH identification line comes after a delay
  HangAfterLogin,       // the shell opens but no prompt is ever printed
  DisconnectMidOutput,  // the connection drops halfway through a long output
  Trickle,              // output leaves a few bytes at a time
  HostKeyChanges,       // a new host key on every connection
  ConnectionRefused,    // nothing listens
  ConnectionReset,      // accepts, then resets before the SSH banner
  MaxSessions,          // more than profile.maxSessions concurrent sessions are refused
  // content (CLI half)
  EndlessPaging,    // the pager never stops, even after paging is disabled
  Garbage,          // binary garbage inside show outputs
  HugeConfig,       // a ~20 MB running configuration
  CommandErrors,    // every show command answers with the OS's error text
  TruncatedConfig,  // the running configuration is cut short (no 'end', unbalanced braces)
  // Junos: a successful 'commit confirmed N' is applied and pending, then the session ends at
  // once (the channel closes, nothing more is printed), as when the change cuts the management
  // path; the commit rolls back by itself N minutes later unless confirmed from elsewhere.
  DropAfterCommitConfirmed,
};
constexpr Fault kLastFault = Fault::DropAfterCommitConfirmed;  // for loops over every fault

const char* toString(Fault fault);  // "wrong_password", "slow_banner", ... (snake_case)
std::optional<Fault> parseFault(std::string_view text);

struct DeviceProfile {
  std::string name;  // the hostname, also the seed of the generated configuration
  OsKind os = OsKind::CiscoIos;
  std::string username = "admin";
  std::string password = "admin";
  std::string enableSecret = "enable";
  bool startPrivileged = true;    // IOS/EOS: false starts at '>' and needs 'enable'
  std::size_t configLines = 400;  // approximate size of the generated running configuration
  std::string authorizedKey;      // OpenSSH public key line accepted for public-key auth, or empty
  unsigned maxSessions = 16;      // with Fault::MaxSessions
  std::set<Fault> faults;
};

using Clock = std::function<std::chrono::system_clock::time_point()>;

// One device's state, shared by every session to it (thread-safe): running, startup and
// candidate configurations, commit history, a pending commit-confirmed. Time-based events (a
// commit confirmed that expires) take effect at the next call, using the clock.
class DeviceState {
 public:
  static std::shared_ptr<DeviceState> create(DeviceProfile profile, Clock clock = {});
  virtual ~DeviceState() = default;

  [[nodiscard]] virtual const DeviceProfile& profile() const = 0;
  // The running configuration as 'show running-config' / 'show configuration' prints it now,
  // volatile lines (timestamps) included.
  [[nodiscard]] virtual std::string runningConfig() const = 0;
  [[nodiscard]] virtual std::string startupConfig() const = 0;
  // True when the running configuration holds this exact line (after trimming), for tests.
  // Junos: either a 'set ...' line (as '| display set' prints it) or a hierarchical one.
  [[nodiscard]] virtual bool runningHasLine(std::string_view line) const = 0;
};

// One interactive shell on a pty: bytes typed in, bytes printed out (echo included).
class CliSession {
 public:
  virtual ~CliSession() = default;
  // What the device prints once the shell opens: MOTD/banner if any, then the first prompt.
  virtual std::string start() = 0;
  // Bytes the client typed; returns what the device prints in response. Output longer than a
  // page stops at the pager marker until the next input, unless paging is off.
  virtual std::string input(std::string_view bytes) = 0;
  // The user logged out ('exit', 'quit', 'logout'): the channel should close.
  [[nodiscard]] virtual bool finished() const = 0;
};

std::unique_ptr<CliSession> openShell(std::shared_ptr<DeviceState> device);

// An exec channel: one command, its whole output (no pager, no prompt), and the exit status.
struct ExecResult {
  std::string output;
  int exitStatus = 0;
};
ExecResult runExec(DeviceState& device, std::string_view command);

// The NETCONF 1.0 server <hello> with capabilities and a session id, ending in "]]>]]>".
std::string netconfHello(const DeviceState& device, std::uint32_t sessionId);

// The login banner printed before authentication (SSH banner message).
std::string loginBanner(const DeviceProfile& profile);

}  // namespace netspine::sim
