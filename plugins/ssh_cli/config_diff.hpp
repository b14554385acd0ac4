#pragma once
// Pure text functions of the change operations: the intended lines, the diff a device without a
// candidate configuration (IOS) would get from them, and the check that a running configuration
// holds them. No IO.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace netspine::plugins::ssh_cli {

// The lines of `text` (the "change.lines" attribute) to send one by one: right-trimmed, blank
// lines left out, leading blanks kept (IOS/EOS indentation gives the section).
std::vector<std::string> changeLines(std::string_view text);

// What the intended lines would change in an indented (IOS/EOS) running configuration: a line
// already present in its section is unchanged, an absent one is "+ line", a "no X" line whose X
// (or a line starting with X) is present removes it ("- X"); a "no X" whose X is absent changes
// nothing. Section headers are printed as context (" interface Gi0/1"), one blank of indentation
// per level, unified-diff style.
struct IndentedDiff {
  std::string text;  // empty when nothing would change
  std::size_t added = 0;
  std::size_t removed = 0;
  [[nodiscard]] bool changed() const { return added + removed > 0; }
};
IndentedDiff indentedDiff(std::string_view runningConfig, const std::vector<std::string>& lines);

// The intended lines that an indented running configuration does not reflect: a line absent from
// its section, or a "no X" line whose X is still there. Each as "line" or "line (in 'section')".
std::vector<std::string> missingIndented(std::string_view runningConfig,
                                         const std::vector<std::string>& lines);

// True when every line is a Junos-style statement command ("set ...", "delete ...").
bool isSetStyle(const std::vector<std::string>& lines);

// The Junos-style lines that a '| display set' output does not reflect: a "set X" with no line
// "set X" or "set X ..." (quotes ignored), a "delete X" whose statement is still there. Lines
// of other commands are not checked.
std::vector<std::string> missingSetLines(std::string_view displaySet,
                                         const std::vector<std::string>& lines);

}  // namespace netspine::plugins::ssh_cli
