#pragma once
// The line discipline of a CLI on a pty: echo, backspace, Ctrl-U, control keys, escape sequences.

#include <optional>
#include <string>

namespace netspine::sim {

class LineEditor {
 public:
  enum class Key { Enter, CtrlC, CtrlZ };
  struct Event {
    Key key;
    std::string line;  // the line typed, for Enter
  };

  // Feeds one typed byte (CR/LF pairing is the caller's); the echo is appended to `echo`.
  std::optional<Event> feed(char c, std::string& echo);
  // Hidden input (passwords): nothing echoed but the final newline.
  void setHidden(bool hidden) { hidden_ = hidden; }

 private:
  std::string line_;
  bool hidden_ = false;
  int escape_ = 0;  // 1 after ESC, 2 inside "ESC [" until the final byte
};

}  // namespace netspine::sim
