#include "application/change_source.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <netspine/plugin/platform.hpp>
#include <set>

#include "application/config_template.hpp"
#include "domain/errors.hpp"

namespace netspine::app {

bool isChangeOption(const std::string& parameter) {
  static const char* const kOptions[] = {"lines", "template", "dry_run",     "confirm_minutes",
                                         "save",  "confirm",  "secret_mode", "max_config_bytes"};
  for (const char* option : kOptions) {
    if (parameter == option) return true;
  }
  return false;
}

namespace {

std::string lowerFirstWord(std::string_view text) {
  std::size_t begin = 0;
  while (begin < text.size() && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  std::size_t end = begin;
  while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
  std::string word(text.substr(begin, end - begin));
  std::transform(word.begin(), word.end(), word.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return word;
}

// `word` is `command` or an abbreviation of it, as the CLIs accept ("conf", "wr", "ex").
bool abbreviates(const std::string& word, const std::string& command) {
  return !word.empty() && command.starts_with(word);
}

}  // namespace

std::optional<std::string> sessionCommandIn(std::string_view lines,
                                            const plugin::Configuration& configuration) {
  static const char* const kLevels[] = {"end", "exit", "quit", "edit", "top", "up"};
  static const char* const kExec[] = {"do", "run"};
  std::set<std::string> own;
  for (const std::string* command :
       {&configuration.enter, &configuration.leave, &configuration.check, &configuration.compare,
        &configuration.commit, &configuration.commitConfirmed, &configuration.confirm,
        &configuration.abort, &configuration.rollback, &configuration.save,
        &configuration.replace}) {
    if (auto word = lowerFirstWord(*command); !word.empty()) own.insert(std::move(word));
  }
  std::size_t number = 0;
  std::size_t begin = 0;
  while (begin < lines.size()) {
    auto end = lines.find('\n', begin);
    if (end == std::string_view::npos) end = lines.size();
    auto line = lines.substr(begin, end - begin);
    begin = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::string word = lowerFirstWord(line);
    if (word.empty()) continue;
    const auto where = [&] {
      const auto first = line.find_first_not_of(" \t");
      return fmt::format("line {} '{}'", number, line.substr(first));
    };
    for (const char* level : kLevels) {
      if (abbreviates(word, level)) {
        return fmt::format(
            "{}: moves between configuration levels, which netspine does itself: give sections "
            "by indentation (IOS, EOS) or whole `set`/`delete` statements (Junos)",
            where());
      }
    }
    for (const char* exec : kExec) {
      if (abbreviates(word, exec)) {
        return fmt::format(
            "{}: runs a command outside the configuration; push configuration "
            "statements only",
            where());
      }
    }
    for (const auto& command : own) {
      if (abbreviates(word, command)) {
        return fmt::format(
            "{}: a session command ({}…) that netspine sends itself around the change; push "
            "configuration statements only",
            where(), command);
      }
    }
  }
  return std::nullopt;
}

std::optional<ChangeSource> ChangeSource::of(const std::map<std::string, std::string>& parameters) {
  auto lines = parameters.find("lines");
  auto text = parameters.find("template");
  if (lines == parameters.end() && text == parameters.end()) return std::nullopt;
  if (lines != parameters.end() && text != parameters.end()) {
    throw domain::ValidationError("give `lines` or `template`, not both", "param");
  }
  ChangeSource source;
  if (lines != parameters.end()) {
    source.lines_ = lines->second;
    return source;
  }
  try {
    source.template_ = std::make_shared<const ConfigTemplate>(text->second);
  } catch (const domain::ValidationError& e) {
    throw domain::ValidationError(e.what(), "template");
  }
  for (const auto& [name, value] : parameters) {
    if (!isChangeOption(name)) source.variables_.emplace(name, value);
  }
  return source;
}

std::string ChangeSource::linesFor(const domain::Device& device, const std::string& areaPath,
                                   const plugin::Configuration* configuration) const {
  std::string lines = lines_;
  if (template_) {
    const auto slash = areaPath.rfind('/');
    auto values = templateValues(
        device, slash == std::string::npos ? areaPath : areaPath.substr(slash + 1), variables_);
    values["device.area_path"] = areaPath;
    try {
      lines = template_->render(values);
    } catch (const domain::ValidationError& e) {
      throw domain::ValidationError(fmt::format("device {}: {}", device.name, e.what()),
                                    "template");
    }
  }
  if (configuration) {
    if (auto problem = sessionCommandIn(lines, *configuration)) {
      throw domain::ValidationError(fmt::format("device {}: {}", device.name, *problem),
                                    template_ ? "template" : "lines");
    }
  }
  return lines;
}

}  // namespace netspine::app
