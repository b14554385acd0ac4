#pragma once
// Device credentials: a Secret never prints what it holds.

#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace netspine::plugin {

// A password, enable secret, key or community. Printing one, or formatting it into a message,
// shows "******"; only reveal() gives the value, for the protocol library that needs it.
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret&) = default;
  Secret(Secret&&) noexcept = default;
  Secret& operator=(const Secret&) = default;
  Secret& operator=(Secret&&) noexcept = default;
  ~Secret() {
    // Best effort: do not leave the value in freed memory.
    for (auto& c : value_) {
      *static_cast<volatile char*>(&c) = 0;
    }
  }

  [[nodiscard]] const std::string& reveal() const { return value_; }
  [[nodiscard]] bool empty() const { return value_.empty(); }
  [[nodiscard]] std::string masked() const { return value_.empty() ? "" : "******"; }

  friend std::ostream& operator<<(std::ostream& out, const Secret& s) { return out << s.masked(); }
  friend bool operator==(const Secret& a, const Secret& b) { return a.value_ == b.value_; }

 private:
  std::string value_;
};

// One set of login credentials; a device may have several, tried in order.
struct Credentials {
  std::string name;  // the credential set's name in the secrets file
  std::string username;
  Secret password;             // password or keyboard-interactive answer
  Secret enableSecret;         // privilege escalation, where the platform has it
  std::string privateKeyPath;  // public-key authentication, when set
  Secret privateKeyPassphrase;
  Secret snmpCommunity;  // SNMP v2c
  std::string snmpUser;  // SNMP v3 (authPriv)
  Secret snmpAuthPassword;
  Secret snmpPrivPassword;
};

inline std::ostream& operator<<(std::ostream& out, const Credentials& c) {
  return out << "credentials '" << c.name << "' (user '" << c.username << "')";
}

}  // namespace netspine::plugin
