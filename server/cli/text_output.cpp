#include "cli/text_output.hpp"

#include <algorithm>

namespace netspine::cli {

TextTable::TextTable(std::vector<std::string> headers) : headers_(std::move(headers)) {}

void TextTable::addRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  rows_.push_back(std::move(cells));
}

void TextTable::render(std::string& out) const {
  std::vector<std::size_t> widths(headers_.size());
  for (std::size_t c = 0; c < headers_.size(); ++c) widths[c] = headers_[c].size();
  std::size_t total = 0;
  for (const auto& row : rows_) {
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  for (auto w : widths) total += w + 2;
  out.reserve(out.size() + total * (rows_.size() + 1));

  auto line = [&](const std::vector<std::string>& cells) {
    std::size_t start = out.size();
    for (std::size_t c = 0; c < cells.size(); ++c) {
      out += cells[c];
      if (c + 1 < cells.size()) out.append(widths[c] - cells[c].size() + 2, ' ');
    }
    // Empty trailing cells would leave trailing blanks.
    while (out.size() > start && out.back() == ' ') out.pop_back();
    out += '\n';
  };
  line(headers_);
  for (const auto& row : rows_) line(row);
}

KeyValueBlock& KeyValueBlock::add(std::string key, std::string value) {
  lines_.emplace_back(std::move(key), std::move(value));
  return *this;
}

void KeyValueBlock::render(std::string& out) const {
  std::size_t width = 0;
  for (const auto& [key, value] : lines_) width = std::max(width, key.size());
  for (const auto& [key, value] : lines_) {
    out += key;
    out += ':';
    if (!value.empty()) {
      out.append(width - key.size() + 1, ' ');
      out += value;
    }
    out += '\n';
  }
}

std::string joinComma(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

}  // namespace netspine::cli
