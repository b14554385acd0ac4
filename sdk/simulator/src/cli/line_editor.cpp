#include "line_editor.hpp"

namespace netspine::sim {

std::optional<LineEditor::Event> LineEditor::feed(char c, std::string& echo) {
  const auto byte = static_cast<unsigned char>(c);
  if (escape_ == 1) {
    escape_ = (c == '[' || c == 'O') ? 2 : 0;
    return std::nullopt;
  }
  if (escape_ == 2) {
    if (byte >= 0x40 && byte <= 0x7e) escape_ = 0;
    return std::nullopt;
  }
  switch (c) {
    case '\r':
    case '\n': {
      echo += "\r\n";
      Event event{Key::Enter, std::move(line_)};
      line_.clear();
      return event;
    }
    case '\x03':
      line_.clear();
      echo += "^C\r\n";
      return Event{Key::CtrlC, {}};
    case '\x1a':
      line_.clear();
      echo += "^Z\r\n";
      return Event{Key::CtrlZ, {}};
    case '\b':
    case '\x7f':
      if (!line_.empty()) {
        line_.pop_back();
        if (!hidden_) echo += "\b \b";
      }
      return std::nullopt;
    case '\x15':  // Ctrl-U: erase the line
      if (!hidden_)
        for (std::size_t i = 0; i < line_.size(); ++i) echo += "\b \b";
      line_.clear();
      return std::nullopt;
    case '\x1b':
      escape_ = 1;
      return std::nullopt;
    case '\t':
      c = ' ';  // no completion: a tab separates words
      break;
    default:
      if (byte < 0x20) return std::nullopt;
  }
  line_ += c;
  if (!hidden_) echo += c;
  return std::nullopt;
}

}  // namespace netspine::sim
