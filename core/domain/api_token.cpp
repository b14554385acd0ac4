#include "domain/api_token.hpp"

#include <fmt/format.h>

#include <cctype>

#include "domain/errors.hpp"

namespace netspine::domain {

std::string_view toString(Role role) {
  switch (role) {
    case Role::Read:
      return "read";
    case Role::Operate:
      return "operate";
    case Role::Admin:
      return "admin";
  }
  return "read";
}

std::optional<Role> parseRole(std::string_view text) {
  std::string lower(text);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (Role role : {Role::Read, Role::Operate, Role::Admin}) {
    if (lower == toString(role)) return role;
  }
  return std::nullopt;
}

Role requireRole(std::string_view text) {
  if (auto role = parseRole(text)) return *role;
  throw ValidationError(fmt::format("role: '{}' is not a role (read, operate or admin)", text),
                        "role");
}

bool allows(Role have, Role need) {
  return static_cast<int>(have) >= static_cast<int>(need);
}

}  // namespace netspine::domain
