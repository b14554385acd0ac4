#pragma once
// What the three CLIs share: the line editor, the pager, questions ('Password: ',
// 'Destination filename [startup-config]? '), output pipes, content faults, and the exec channel.

#include <functional>
#include <memory>
#include <optional>

#include <netspine/sim/device.hpp>

#include "command_table.hpp"
#include "line_editor.hpp"
#include "output_filter.hpp"
#include "pager.hpp"
#include "simulated_device.hpp"

namespace netspine::sim {

// What one command prints.
struct Reply {
  std::string text;     // '\n' line ends; the session adds the pty's '\r'
  bool paged = true;    // false after '| no-more'
  bool failed = false;  // an error: the exec channel's exit status is 1

  static Reply error(std::string text) { return {std::move(text), true, true}; }
};

class ShellSession : public CliSession {
 public:
  ShellSession(std::shared_ptr<SimulatedDevice> device, std::string moreMarker,
               std::string moreErase);

  std::string start() override;
  std::string input(std::string_view bytes) override;
  [[nodiscard]] bool finished() const override { return finished_; }

  // The exec channel: one command, its whole output, no echo, pager or prompt.
  ExecResult exec(std::string_view command);

 protected:
  virtual std::string banner() = 0;  // before the first prompt
  virtual std::string prompt() = 0;
  virtual Reply execute(std::string_view line) = 0;
  virtual Reply interrupt() { return {}; }  // Ctrl-C
  virtual Reply suspend() { return {}; }    // Ctrl-Z
  // A pager key other than space, Enter and q: IOS/EOS quit, Junos ignores it.
  virtual bool otherKeyQuitsPager() const { return true; }

  // The next line answers `question` instead of being a command.
  void ask(std::string question, std::function<Reply(std::string_view)> answer,
           bool hidden = false);
  void finish() { finished_ = true; }
  // Columns before the typed text on the current line (the '^' marker is offset by it).
  [[nodiscard]] std::size_t promptWidth();
  [[nodiscard]] bool interactive() const { return interactive_; }

  // Applies a command's pipes to its output; nullopt and `errorColumn` set for an unknown one.
  // 'no-more' clears `paged`; display set/omit are left to the caller in `display`.
  std::optional<Reply> filtered(Reply reply, const std::vector<Pipe>& pipes,
                                std::size_t& errorColumn);
  // Content faults on a show command's output: Fault::Garbage.
  std::string showOutput(std::string text) const;

  SimulatedDevice& device() { return *device_; }
  const std::shared_ptr<SimulatedDevice>& devicePtr() { return device_; }
  std::size_t pageLength_ = 24;  // 0: paging off

 private:
  std::string submit(std::string line);
  std::string emit(const Reply& reply);
  std::string afterOutput();

  std::shared_ptr<SimulatedDevice> device_;
  LineEditor editor_;
  Pager pager_;
  struct Question {
    std::string text;
    std::function<Reply(std::string_view)> answer;
    bool hidden;
  };
  std::optional<Question> question_;
  bool interactive_ = true;
  bool finished_ = false;
  bool skipLf_ = false;  // "\r\n" is one Enter
};

}  // namespace netspine::sim
