#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netspine::cli {

/// Rows in aligned columns under a header line, for list output.
class TextTable {
 public:
  explicit TextTable(std::vector<std::string> headers);
  void reserve(std::size_t rows) { rows_.reserve(rows); }
  void addRow(std::vector<std::string> cells);
  /// Appends the table, one line per row, columns two spaces apart.
  void render(std::string& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

/// "key: value" lines with the values aligned, for show output.
class KeyValueBlock {
 public:
  KeyValueBlock& add(std::string key, std::string value);
  void render(std::string& out) const;

 private:
  std::vector<std::pair<std::string, std::string>> lines_;
};

/// "a,b,c".
std::string joinComma(const std::vector<std::string>& items);

}  // namespace netspine::cli
