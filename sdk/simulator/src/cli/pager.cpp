#include "pager.hpp"

#include "text_util.hpp"

namespace netspine::sim {

std::string Pager::begin(std::string text, std::size_t pageLength, bool endless) {
  pageLength_ = pageLength < 2 ? 2 : pageLength;
  endless_ = endless && !text.empty();
  if (!endless_ && countLines(text) < pageLength_) return text;
  if (!text.empty() && text.back() != '\n') text += '\n';
  text_ = std::move(text);
  pos_ = 0;
  active_ = true;
  return take(pageLength_ - 1) + marker_;
}

std::string Pager::advance(Key key) {
  if (!active_) return "";
  if (key == Key::Quit) {
    active_ = false;
    text_.clear();
    return erase_;
  }
  std::string out = erase_ + take(key == Key::Page ? pageLength_ - 1 : 1);
  if (pos_ >= text_.size() && !endless_) {
    active_ = false;
    text_.clear();
    return out;
  }
  return out + marker_;
}

std::string Pager::take(std::size_t lines) {
  std::string out;
  while (lines > 0) {
    if (pos_ >= text_.size()) {
      if (!endless_) break;
      pos_ = 0;
    }
    std::size_t end = text_.find('\n', pos_);
    end = end == std::string::npos ? text_.size() : end + 1;
    out.append(text_, pos_, end - pos_);
    pos_ = end;
    --lines;
  }
  return out;
}

}  // namespace netspine::sim
