#include "command_table.hpp"

#include <algorithm>
#include <set>

namespace netspine::sim {

namespace {

bool isArg(const std::string& word) {
  return word == "<arg>";
}
bool isRest(const std::string& word) {
  return word == "<rest>" || word == "[rest]";
}

}  // namespace

CommandTable& CommandTable::add(int id, std::string_view pattern) {
  specs_.push_back({id, words(pattern)});
  return *this;
}

std::variant<CommandTable::Match, CommandTable::Error> CommandTable::match(
    std::string_view line) const {
  const std::vector<Token> tokens = tokenize(line);
  std::vector<const Spec*> candidates;
  for (const auto& spec : specs_) candidates.push_back(&spec);
  // Candidates that reached a rest word: they take everything from that word on.
  std::vector<std::pair<const Spec*, std::size_t>> restMatches;

  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string& typed = tokens[i].text;
    std::vector<const Spec*> next;
    bool exact = false;
    std::set<std::string> keywords;
    for (const Spec* spec : candidates) {
      if (i >= spec->words.size()) continue;
      const std::string& word = spec->words[i];
      if (isRest(word)) {
        restMatches.push_back({spec, i});
      } else if (isArg(word)) {
        next.push_back(spec);
      } else if (abbreviates(typed, word)) {
        next.push_back(spec);
        keywords.insert(word);
        if (iequals(typed, word)) exact = true;
      }
    }
    if (exact) {
      std::erase_if(next, [&](const Spec* spec) {
        const std::string& word = spec->words[i];
        return !isArg(word) && !iequals(typed, word);
      });
    } else if (keywords.size() > 1) {
      const bool anyArg =
          std::any_of(next.begin(), next.end(), [&](const Spec* s) { return isArg(s->words[i]); });
      if (!anyArg && restMatches.empty())
        return Error{Error::Ambiguous, tokens[i].column, typed, i};
    }
    if (next.empty() && restMatches.empty())
      return Error{Error::Invalid, tokens[i].column, typed, i};
    candidates = std::move(next);
    if (candidates.empty()) break;
  }

  auto build = [&](const Spec* spec, std::size_t restAt) {
    Match match{spec->id, {}, {}};
    for (std::size_t i = 0; i < std::min(restAt, tokens.size()); ++i)
      if (isArg(spec->words[i])) match.args.push_back(tokens[i].text);
    if (restAt < tokens.size()) match.rest = std::string(trim(line.substr(tokens[restAt].column)));
    return match;
  };
  for (const Spec* spec : candidates) {
    if (spec->words.size() == tokens.size()) return build(spec, tokens.size());
    if (spec->words.size() == tokens.size() + 1 && spec->words.back() == "[rest]")
      return build(spec, tokens.size());
  }
  if (!restMatches.empty()) {
    // The longest keyword match wins: "show running-config [rest]" over "show <rest>".
    auto best = std::max_element(restMatches.begin(), restMatches.end(),
                                 [](auto& a, auto& b) { return a.second < b.second; });
    return build(best->first, best->second);
  }
  const std::size_t end = line.size();
  return Error{Error::Incomplete, end, "", tokens.size()};
}

}  // namespace netspine::sim
