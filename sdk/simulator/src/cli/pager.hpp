#pragma once
// The '--More--' / '---(more)---' pager: shows an output a page at a time.

#include <string>
#include <string_view>

namespace netspine::sim {

class Pager {
 public:
  // `marker` waits for a key (" --More-- "); `erase` wipes it before the next text.
  Pager(std::string marker, std::string erase)
      : marker_(std::move(marker)), erase_(std::move(erase)) {}

  // Starts showing `text` ('\n' lines). Returns what to print: the whole text when it fits in a
  // page, else the first page and the marker (active() is then true). `endless` never ends:
  // the text starts over at its end.
  std::string begin(std::string text, std::size_t pageLength, bool endless);
  enum class Key { Page, Line, Quit };
  std::string advance(Key key);
  [[nodiscard]] bool active() const { return active_; }

 private:
  std::string take(std::size_t lines);

  std::string marker_, erase_, text_;
  std::size_t pos_ = 0, pageLength_ = 24;
  bool endless_ = false, active_ = false;
};

}  // namespace netspine::sim
