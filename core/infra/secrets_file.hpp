#pragma once
// The secrets file: the credential sets devices name by their credentials reference. Kept out of
// the config file and the database, readable by netspine's user only.
//
//   credentials:
//     dc-admin:                 # the reference a device carries
//       - username: netops      # tried first
//         password: "..."
//         enable: "..."
//       - username: backup      # then this one
//         private_key: /etc/netspine/keys/backup   # relative: to this file's folder
//         passphrase: "..."
//     snmp-ro:
//       - snmp_community: "..."

#include <netspine/plugin/secret.hpp>

#include <map>
#include <string>
#include <vector>

namespace netspine::infra {

/// Every credential set of a secrets file, by name; each set is a list tried in order.
class Secrets {
 public:
  /// Reads `path`. Throws domain::ValidationError with every problem as "FILE:LINE: message"
  /// (unknown keys, wrong types, an empty set, a set without username or community) and when
  /// the file may be read or written by group or others. No message holds a secret's value.
  static Secrets load(const std::string& path);

  /// The set named `name`, or nothing.
  const std::vector<plugin::Credentials>* find(const std::string& name) const;
  std::vector<std::string> names() const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::map<std::string, std::vector<plugin::Credentials>> sets_;
};

}  // namespace netspine::infra
