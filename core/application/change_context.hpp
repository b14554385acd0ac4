#pragma once

#include <functional>
#include <string>

namespace netspine::app {

/// Who makes a change and why; recorded in the change log with every write.
struct ChangeContext {
  std::string actor;    // "cli:alice", "api:token-name", "run:42"
  std::string message;  // optional free text
};

/// Returns the current time as ISO 8601 UTC with milliseconds ("2026-11-27T08:30:53.123Z").
using Clock = std::function<std::string()>;
std::string utcNow();

}  // namespace netspine::app
