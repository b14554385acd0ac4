#pragma once

// Internal to the file readers (inventory, config): located problems, key suggestions, files.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace netspine::infra {

/// The problems found in one input file, each "FILE:LINE: message", in the order found.
/// Readers go on after a problem so that a user sees all of them at once, up to `max`.
class ProblemList {
 public:
  explicit ProblemList(std::string file, std::size_t max = 20)
      : file_(std::move(file)), max_(max) {}

  const std::string& file() const { return file_; }
  /// "FILE:LINE: message", or "FILE: message" when `line` is 0.
  void add(int line, std::string_view message);
  bool empty() const { return list_.empty(); }
  /// The cap is reached: readers may stop early.
  bool full() const { return list_.size() >= max_; }
  /// Every problem, plus a last line saying the reader stopped when the cap was reached.
  std::vector<std::string> messages() const;

 private:
  std::string file_;
  std::size_t max_;
  std::vector<std::string> list_;
};

/// The candidate closest to `word` by edit distance (ignoring case), or empty when none is
/// close enough to be a likely typo.
std::string closestMatch(std::string_view word, std::span<const std::string_view> candidates);

/// " (did you mean 'x'?)", or empty when nothing is close.
std::string didYouMean(std::string_view word, std::span<const std::string_view> candidates);

/// "a, b, c".
std::string joinNames(std::span<const std::string_view> names);

/// A decimal integer (optional '-'), or a problem "FIELD: expected an integer, got 'x'".
std::optional<int> parseInteger(std::string_view text, int line, std::string_view field,
                                ProblemList& problems);

/// The whole file. Throws domain::ValidationError "cannot open FILE: <OS reason>".
std::string readTextFile(const std::string& path);

}  // namespace netspine::infra
