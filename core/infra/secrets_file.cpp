#include "infra/secrets_file.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "domain/errors.hpp"
#include "infra/yaml_support.hpp"

namespace netspine::infra {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTopKeys[] = {"credentials"};
constexpr std::string_view kCredentialKeys[] = {
    "username",    "password",           "enable",
    "private_key", "passphrase",         "snmp_community",
    "snmp_user",   "snmp_auth_password", "snmp_priv_password"};

/// Refuses a file that group or others may read or write: it holds passwords.
void checkPermissions(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    throw domain::ValidationError(fmt::format("cannot open {}: {}", path, std::strerror(errno)),
                                  "secrets_file");
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    throw domain::ValidationError(
        fmt::format("{}: mode {:04o} lets group or others read it; it holds passwords: "
                    "chmod 600 {}",
                    path, st.st_mode & 07777, path),
        "secrets_file");
  }
}

/// One credential set entry (a mapping) into `out`; false when it has a problem.
bool readCredentials(const YAML::Node& node, const std::string& where, const fs::path& base,
                     plugin::Credentials& out, ProblemList& problems) {
  const int line = lineOf(node);
  if (!expectMap(node, line, where, problems)) return false;
  bool valid = true;
  for (const auto& e : entriesOf(node, where + ".", problems)) {
    if (std::find(std::begin(kCredentialKeys), std::end(kCredentialKeys), e.key) ==
        std::end(kCredentialKeys)) {
      reportUnknownKey(e, where + ".", kCredentialKeys, problems);
      valid = false;
      continue;
    }
    // A secret's value never goes into a message: only its key and line.
    auto value = scalarText(e.value, e.line, where + "." + e.key, problems);
    if (!value) {
      if (e.value.IsNull()) problems.add(e.line, fmt::format("{}.{}: empty", where, e.key));
      valid = false;
      continue;
    }
    if (e.key == "username") {
      out.username = *value;
    } else if (e.key == "password") {
      out.password = plugin::Secret(*value);
    } else if (e.key == "enable") {
      out.enableSecret = plugin::Secret(*value);
    } else if (e.key == "private_key") {
      out.privateKeyPath =
          fs::path(*value).is_absolute() ? *value : (base / *value).lexically_normal().string();
    } else if (e.key == "passphrase") {
      out.privateKeyPassphrase = plugin::Secret(*value);
    } else if (e.key == "snmp_community") {
      out.snmpCommunity = plugin::Secret(*value);
    } else if (e.key == "snmp_user") {
      out.snmpUser = *value;
    } else if (e.key == "snmp_auth_password") {
      out.snmpAuthPassword = plugin::Secret(*value);
    } else if (e.key == "snmp_priv_password") {
      out.snmpPrivPassword = plugin::Secret(*value);
    }
  }
  if (valid && out.username.empty() && out.snmpCommunity.empty() && out.snmpUser.empty()) {
    problems.add(line, fmt::format("{}: needs a username (or snmp_community / snmp_user)", where));
    valid = false;
  }
  if (valid && !out.username.empty() && out.password.empty() && out.privateKeyPath.empty()) {
    problems.add(line, fmt::format("{}: user '{}' has neither a password nor a private_key", where,
                                   out.username));
    valid = false;
  }
  return valid;
}

}  // namespace

Secrets Secrets::load(const std::string& path) {
  checkPermissions(path);
  const YAML::Node root = parseYaml(readTextFile(path), path);
  ProblemList problems(path);
  Secrets secrets;
  secrets.path_ = path;
  const fs::path base = fs::path(path).parent_path();
  if (!root.IsNull() && expectMap(root, lineOf(root), "secrets file", problems)) {
    for (const auto& top : entriesOf(root, "", problems)) {
      if (top.key != "credentials") {
        reportUnknownKey(top, "", kTopKeys, problems);
        continue;
      }
      if (!expectMap(top.value, top.line, "credentials", problems)) continue;
      for (const auto& set : entriesOf(top.value, "credentials.", problems)) {
        const std::string where = "credentials." + set.key;
        if (!expectList(set.value, set.line, where, problems)) continue;
        if (set.value.size() == 0) {
          problems.add(set.line, fmt::format("{}: an empty list: give at least one login", where));
          continue;
        }
        std::vector<plugin::Credentials> list;
        bool valid = true;
        for (std::size_t i = 0; i < set.value.size(); ++i) {
          plugin::Credentials c;
          c.name = set.key;
          if (readCredentials(set.value[i], fmt::format("{}[{}]", where, i), base, c, problems)) {
            list.push_back(std::move(c));
          } else {
            valid = false;
          }
        }
        if (valid) secrets.sets_.emplace(set.key, std::move(list));
      }
    }
  }
  if (!problems.empty()) {
    std::string message;
    for (const auto& m : problems.messages()) message += (message.empty() ? "" : "\n") + m;
    throw domain::ValidationError(message, "secrets_file");
  }
  return secrets;
}

const std::vector<plugin::Credentials>* Secrets::find(const std::string& name) const {
  auto it = sets_.find(name);
  return it == sets_.end() ? nullptr : &it->second;
}

std::vector<std::string> Secrets::names() const {
  std::vector<std::string> out;
  for (const auto& [name, set] : sets_) out.push_back(name);
  return out;
}

}  // namespace netspine::infra
