#pragma once
// Test helper: a real net-snmp agent (Debian's /usr/sbin/snmpd) in the foreground on loopback,
// with a private configuration and persistent folder, a v2c community, a v3 authPriv user
// (SHA/AES) and fixed system values; stopped (SIGTERM, then SIGKILL) and reaped at the end.
// Header-only, standard library, POSIX and GoogleTest only, so any test can include it.

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

extern char** environ;

namespace netspine::test {

struct SnmpdOptions {
  /// Where snmpd listens: empty for 127.0.0.1 on a free UDP port, or "udp:0.0.0.0:PORT"
  /// (PORT 0: a free port of the wildcard address) to be reached at any 127.x address.
  std::string bindAddress;
  std::string community = "netspine-ro";
  std::string user = "netspine";  // v3, SHA and AES, authPriv
  std::string authPassword = "netspine-auth";
  std::string privPassword = "netspine-priv";
  std::string sysName = "netspine-agent";
  std::string sysDescr = "netspine test agent";
  std::string sysObjectID = "1.3.6.1.4.1.8072.3.2.10";
  std::string sysLocation = "loopback";
  /// Extra OCTET STRING objects: numeric OID -> value, served with snmpd's `override`.
  /// e.g. {"1.3.6.1.2.1.47.1.1.1.1.11.1", "SN-0001"}: ENTITY-MIB entPhysicalSerialNum.1.
  std::vector<std::pair<std::string, std::string>> strings;
  std::chrono::milliseconds startTimeout{10000};
};

class Snmpd {
 public:
  static constexpr const char* kBinary = "/usr/sbin/snmpd";

  explicit Snmpd(SnmpdOptions options = {}) : options_(std::move(options)) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "netspine-snmpd-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("snmpd fixture: mkdtemp failed");
    dir_ = pattern;
    try {
      start();
    } catch (...) {
      stop();
      cleanup();
      throw;
    }
  }
  ~Snmpd() {
    stop();
    cleanup();
  }
  Snmpd(const Snmpd&) = delete;
  Snmpd& operator=(const Snmpd&) = delete;

  static bool available() { return ::access(kBinary, X_OK) == 0; }

  std::uint16_t port() const { return port_; }
  /// The address to reach it at (127.0.0.1; with a wildcard bind any 127.x works too).
  std::string address() const { return "127.0.0.1"; }
  const SnmpdOptions& options() const { return options_; }
  pid_t pid() const { return pid_; }
  std::string logText() const { return readFile(dir_ / "snmpd.log"); }

  /// One v2c GET of `oid` (numeric) with `community`: true when any response came back.
  static bool answers(const std::string& host, std::uint16_t port, const std::string& community,
                      std::chrono::milliseconds wait,
                      const std::string& oid = "1.3.6.1.2.1.1.5.0") {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    ::inet_pton(AF_INET, host.c_str(), &to.sin_addr);
    const std::string packet = getRequest(community, oid, 0x4e53);
    bool ok = false;
    if (::sendto(fd, packet.data(), packet.size(), 0, reinterpret_cast<sockaddr*>(&to),
                 sizeof to) == static_cast<ssize_t>(packet.size())) {
      pollfd p{fd, POLLIN, 0};
      char buf[2048];
      ok = ::poll(&p, 1, static_cast<int>(wait.count())) == 1 && ::recv(fd, buf, sizeof buf, 0) > 0;
    }
    ::close(fd);
    return ok;
  }

 private:
  void start() {
    if (!available()) throw std::runtime_error(std::string("snmpd fixture: no ") + kBinary);
    std::string bind = options_.bindAddress;
    std::string host = "127.0.0.1";
    if (bind.empty()) {
      port_ = freeUdpPort("127.0.0.1");
      bind = "udp:127.0.0.1:" + std::to_string(port_);
    } else {
      const auto colon = bind.rfind(':');
      if (colon == std::string::npos) throw std::runtime_error("snmpd fixture: bad bind " + bind);
      port_ = static_cast<std::uint16_t>(std::stoi(bind.substr(colon + 1)));
      const auto first = bind.find(':');
      const std::string ip = bind.substr(first + 1, colon - first - 1);
      if (port_ == 0) {
        port_ = freeUdpPort(ip);
        bind = bind.substr(0, colon + 1) + std::to_string(port_);
      }
    }
    std::filesystem::create_directories(dir_ / "persist");
    std::ostringstream conf;
    conf << "agentAddress " << bind << "\n"
         << "rocommunity " << quote(options_.community) << " 127.0.0.0/8\n"
         << "createUser " << options_.user << " SHA " << quote(options_.authPassword) << " AES "
         << quote(options_.privPassword) << "\n"
         << "rouser " << options_.user << " priv\n"
         << "sysName " << options_.sysName << "\n"
         << "sysDescr " << options_.sysDescr << "\n"
         << "sysObjectID " << options_.sysObjectID << "\n"
         << "sysLocation " << options_.sysLocation << "\n"
         << "sysContact netspine\n"
         << "sysServices 72\n";
    for (const auto& [oid, value] : options_.strings) {
      conf << "override ." << oid << " octet_str " << quote(value) << "\n";
    }
    // A batch of thousands of requests arrives at once: room in the receive buffer.
    conf << "[snmp] serverRecvBuf 8388608\n[snmp] serverSendBuf 8388608\n";
    writeFile(dir_ / "snmpd.conf", conf.str());

    const std::string confPath = (dir_ / "snmpd.conf").string();
    const std::string logPath = (dir_ / "snmpd.log").string();
    const std::string pidPath = (dir_ / "snmpd.pid").string();
    std::vector<std::string> args = {kBinary, "-f", "-C",    "-c",   confPath, "-Lf",
                                     logPath, "-p", pidPath, "-r",   "-M",     "/nonexistent",
                                     "-m",    "",   "-I",    "-smux"};
    std::vector<std::string> env = {"SNMP_PERSISTENT_DIR=" + (dir_ / "persist").string(),
                                    "SNMPCONFPATH=" + dir_.string(), "PATH=/usr/bin:/bin"};
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    const std::string outPath = (dir_ / "snmpd.out").string();
    posix_spawn_file_actions_addopen(&actions, 1, outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    const int rc = posix_spawn(&pid_, kBinary, &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      pid_ = -1;
      throw std::runtime_error("snmpd fixture: cannot start snmpd: " +
                               std::string(std::strerror(rc)));
    }

    const auto deadline = std::chrono::steady_clock::now() + options_.startTimeout;
    while (true) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("snmpd fixture: snmpd exited at start (status " +
                                 std::to_string(status) + "); log:\n" + logText() +
                                 readFile(dir_ / "snmpd.out"));
      }
      if (answers(host, port_, options_.community, std::chrono::milliseconds(100))) return;
      if (std::chrono::steady_clock::now() > deadline) {
        throw std::runtime_error("snmpd fixture: no answer on " + bind + " within " +
                                 std::to_string(options_.startTimeout.count()) + " ms; log:\n" +
                                 logText() + readFile(dir_ / "snmpd.out"));
      }
    }
  }

  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
  }

  void cleanup() {
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

  static std::string quote(const std::string& s) { return "\"" + s + "\""; }

  static std::uint16_t freeUdpPort(const std::string& ip) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    ::inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
    socklen_t len = sizeof a;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      if (fd >= 0) ::close(fd);
      throw std::runtime_error("snmpd fixture: no free UDP port on " + ip);
    }
    ::close(fd);
    return ntohs(a.sin_port);
  }

  // BER, just enough for a v2c GetRequest of one OID.
  static std::string tlv(unsigned char tag, const std::string& value) {
    std::string out(1, static_cast<char>(tag));
    const auto n = value.size();
    if (n < 128) {
      out += static_cast<char>(n);
    } else if (n < 256) {
      out += '\x81';
      out += static_cast<char>(n);
    } else {
      out += '\x82';
      out += static_cast<char>(n >> 8);
      out += static_cast<char>(n & 0xff);
    }
    return out + value;
  }
  static std::string integer(unsigned value) {
    std::string bytes;
    do {
      bytes.insert(bytes.begin(), static_cast<char>(value & 0xff));
      value >>= 8;
    } while (value);
    if (static_cast<unsigned char>(bytes[0]) & 0x80) bytes.insert(bytes.begin(), '\0');
    return tlv(0x02, bytes);
  }
  static std::string objectId(const std::string& dotted) {
    std::vector<unsigned long> parts;
    std::stringstream in(dotted[0] == '.' ? dotted.substr(1) : dotted);
    for (std::string p; std::getline(in, p, '.');) parts.push_back(std::stoul(p));
    std::string body(1, static_cast<char>(parts.at(0) * 40 + parts.at(1)));
    for (std::size_t i = 2; i < parts.size(); ++i) {
      std::string enc(1, static_cast<char>(parts[i] & 0x7f));
      for (auto v = parts[i] >> 7; v; v >>= 7) {
        enc.insert(enc.begin(), static_cast<char>(0x80 | (v & 0x7f)));
      }
      body += enc;
    }
    return tlv(0x06, body);
  }
  static std::string getRequest(const std::string& community, const std::string& oid,
                                unsigned reqid) {
    const std::string varbind = tlv(0x30, objectId(oid) + std::string("\x05\x00", 2));
    const std::string pdu =
        tlv(0xa0, integer(reqid) + integer(0) + integer(0) + tlv(0x30, varbind));
    return tlv(0x30, integer(1) + tlv(0x04, community) + pdu);
  }

  static void writeFile(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out) throw std::runtime_error("snmpd fixture: cannot write " + path.string());
  }
  static std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  SnmpdOptions options_;
  std::filesystem::path dir_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace netspine::test
