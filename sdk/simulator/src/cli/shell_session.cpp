#include "shell_session.hpp"

namespace netspine::sim {

ShellSession::ShellSession(std::shared_ptr<SimulatedDevice> device, std::string moreMarker,
                           std::string moreErase)
    : device_(std::move(device)), pager_(std::move(moreMarker), std::move(moreErase)) {}

std::string ShellSession::start() {
  return toCrlf(banner() + prompt());
}

std::string ShellSession::input(std::string_view bytes) {
  std::string out;
  for (char c : bytes) {
    if (finished_) break;
    if (c == '\n' && skipLf_) {
      skipLf_ = false;
      continue;
    }
    skipLf_ = c == '\r';
    if (pager_.active()) {
      if (c == ' ') {
        out += toCrlf(pager_.advance(Pager::Key::Page));
      } else if (c == '\r' || c == '\n') {
        out += toCrlf(pager_.advance(Pager::Key::Line));
      } else if (c == 'q' || c == 'Q' || c == '\x03' || otherKeyQuitsPager()) {
        out += toCrlf(pager_.advance(Pager::Key::Quit));
      }
      if (!pager_.active()) out += afterOutput();
      continue;
    }
    auto event = editor_.feed(c, out);
    if (!event) continue;
    switch (event->key) {
      case LineEditor::Key::Enter:
        out += submit(std::move(event->line));
        break;
      case LineEditor::Key::CtrlC:
        question_.reset();
        editor_.setHidden(false);
        out += emit(interrupt());
        break;
      case LineEditor::Key::CtrlZ:
        question_.reset();
        editor_.setHidden(false);
        out += emit(suspend());
        break;
    }
  }
  return out;
}

std::string ShellSession::submit(std::string line) {
  Reply reply;
  if (question_) {
    Question question = std::move(*question_);
    question_.reset();
    editor_.setHidden(false);
    reply = question.answer(line);
  } else {
    reply = execute(line);
  }
  return emit(reply);
}

std::string ShellSession::emit(const Reply& reply) {
  const bool endless = device_->hasFault(Fault::EndlessPaging) && countLines(reply.text) > 1;
  if (endless || (reply.paged && pageLength_ > 0)) {
    std::string out = toCrlf(pager_.begin(reply.text, pageLength_ > 0 ? pageLength_ : 24, endless));
    if (pager_.active()) return out;
    return out + afterOutput();
  }
  return toCrlf(reply.text) + afterOutput();
}

std::string ShellSession::afterOutput() {
  if (finished_) return "";
  if (question_) {
    editor_.setHidden(question_->hidden);
    return toCrlf(question_->text);
  }
  return toCrlf(prompt());
}

void ShellSession::ask(std::string question, std::function<Reply(std::string_view)> answer,
                       bool hidden) {
  question_ = Question{std::move(question), std::move(answer), hidden};
}

std::size_t ShellSession::promptWidth() {
  if (!interactive_) return 0;
  const std::string text = prompt();
  const std::size_t newline = text.rfind('\n');
  return newline == std::string::npos ? text.size() : text.size() - newline - 1;
}

ExecResult ShellSession::exec(std::string_view command) {
  interactive_ = false;
  pageLength_ = 0;
  Reply reply = execute(command);
  ExecResult result{reply.text, reply.failed ? 1 : 0};
  // A question (a confirmation) takes its default answer, as an empty line would.
  for (int i = 0; i < 4 && question_; ++i) {
    Question question = std::move(*question_);
    question_.reset();
    result.output += question.text + "\n";
    Reply answer = question.answer("");
    result.output += answer.text;
    if (answer.failed) result.exitStatus = 1;
  }
  return result;
}

std::optional<Reply> ShellSession::filtered(Reply reply, const std::vector<Pipe>& pipes,
                                            std::size_t& errorColumn) {
  for (const auto& pipe : pipes) {
    auto filter = parseFilter(device_->profile().os, pipe, errorColumn);
    if (!filter) return std::nullopt;
    if (filter->kind == FilterKind::NoMore)
      reply.paged = false;
    else
      reply.text = applyFilter(device_->profile().os, *filter, reply.text);
  }
  return reply;
}

std::string ShellSession::showOutput(std::string text) const {
  if (!device_->hasFault(Fault::Garbage) || text.empty()) return text;
  // Binary bytes (no newline) in the middle of the output, the same for every read.
  Rng rng(fnv1a(device_->profile().name) ^ text.size());
  std::string garbage;
  for (int i = 0; i < 48; ++i) {
    char c = static_cast<char>(rng.range(0, 255));
    garbage += c == '\n' ? '\x80' : c;
  }
  std::size_t middle = text.find('\n', text.size() / 2);
  if (middle == std::string::npos) middle = text.size();
  text.insert(middle, garbage);
  return text;
}

}  // namespace netspine::sim
