#pragma once
// The commands one CLI mode accepts, matched the way IOS, Junos and EOS match them: any unique
// abbreviation of a keyword ("sh run", "conf t", "term len 0"), with the failing word's column.

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "text_util.hpp"

namespace netspine::sim {

class CommandTable {
 public:
  struct Match {
    int id = 0;
    std::vector<std::string> args;  // the words matched by <arg>
    std::string rest;               // the raw text matched by <rest> / [rest]
  };
  struct Error {
    enum Kind { Invalid, Incomplete, Ambiguous } kind;
    std::size_t column = 0;  // where the '^' marker goes
    std::string word;        // the offending word
    std::size_t wordIndex = 0;
  };

  // `pattern`: keywords, "<arg>" (one word), "<rest>" (one or more words to the end) or
  // "[rest]" (zero or more). The first pattern that matches completely wins.
  CommandTable& add(int id, std::string_view pattern);
  [[nodiscard]] std::variant<Match, Error> match(std::string_view line) const;

 private:
  struct Spec {
    int id;
    std::vector<std::string> words;
  };
  std::vector<Spec> specs_;
};

}  // namespace netspine::sim
