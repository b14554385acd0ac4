#pragma once

#include <stdexcept>
#include <string>

namespace netspine::cli {

/// The command line itself is wrong (exit code 2); the message names the option or argument.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace netspine::cli
