#pragma once
// A unified diff of two texts, as EOS prints 'show session-config diffs'.

#include <string>
#include <string_view>

namespace netspine::sim {

// "--- fromName\n+++ toName\n@@ -a,b +c,d @@\n ..." with three lines of context; empty when equal.
std::string unifiedDiff(std::string_view from, std::string_view to, std::string_view fromName,
                        std::string_view toName);

}  // namespace netspine::sim
