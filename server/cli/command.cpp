#include "cli/command.hpp"

#include <fmt/format.h>

#include "cli/usage_error.hpp"

namespace netspine::cli {

std::optional<std::string> Args::text(const char* name) const {
  if (!has(name)) return std::nullopt;
  return vm_[name].as<std::string>();
}

std::string Args::textOr(const char* name, std::string fallback) const {
  return has(name) ? vm_[name].as<std::string>() : std::move(fallback);
}

std::vector<std::string> Args::list(const char* name) const {
  if (!has(name)) return {};
  return vm_[name].as<std::vector<std::string>>();
}

std::optional<int> Args::integer(const char* name) const {
  if (!has(name)) return std::nullopt;
  return vm_[name].as<int>();
}

std::int64_t Args::count(const char* name, std::int64_t fallback) const {
  if (!has(name)) return fallback;
  auto value = vm_[name].as<std::int64_t>();
  if (value < 0) {
    throw UsageError(
        fmt::format("the argument ('{}') for option '--{}' must not be negative", value, name));
  }
  return value;
}

}  // namespace netspine::cli
