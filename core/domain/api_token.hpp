#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace netspine::domain {

/// What an API token may do: read reads, operate also runs jobs, admin also changes everything.
enum class Role { Read, Operate, Admin };

std::string_view toString(Role role);
/// "read", "operate", "admin" in any case; nothing for anything else.
std::optional<Role> parseRole(std::string_view text);
/// parseRole, or a ValidationError on field "role" naming the accepted roles.
Role requireRole(std::string_view text);
/// Whether a token of role `have` may do what needs `need` (admin ⊇ operate ⊇ read).
bool allows(Role have, Role need);

}  // namespace netspine::domain
