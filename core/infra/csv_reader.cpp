// Devices from CSV (RFC 4180), with NetBox export column names understood.

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "application/inventory_importer.hpp"
#include "domain/errors.hpp"
#include "infra/device_fields.hpp"
#include "infra/inventory_reader.hpp"
#include "infra/problem_list.hpp"

namespace netspine::infra {
namespace {

struct CsvCell {
  std::string text;
  int line = 0;  // where the cell starts
};

struct CsvRecord {
  int line = 0;  // where the record starts
  std::vector<CsvCell> cells;
  bool blank() const {
    return std::all_of(cells.begin(), cells.end(), [](const CsvCell& c) {
      return c.text.find_first_not_of(" \t") == std::string::npos;
    });
  }
};

/// Splits RFC 4180 text into records: quoted fields may hold commas, doubled quotes and line
/// breaks; records end at CRLF, LF or CR; a leading UTF-8 BOM is skipped.
std::vector<CsvRecord> splitCsv(std::string_view text, ProblemList& problems) {
  std::vector<CsvRecord> records;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::size_t i = 0;
  int line = 1;
  const auto atLineBreak = [&] { return i < text.size() && (text[i] == '\n' || text[i] == '\r'); };
  // Consumes one line break (CRLF counts once) and appends it to `out` when given.
  const auto takeLineBreak = [&](std::string* out) {
    const std::size_t len = text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n' ? 2 : 1;
    if (out) out->append(text.substr(i, len));
    i += len;
    ++line;
  };
  while (i < text.size()) {
    CsvRecord record{line, {}};
    for (;;) {
      CsvCell cell{{}, line};
      if (i < text.size() && text[i] == '"') {
        const int opened = line;
        ++i;
        for (;;) {
          if (i >= text.size()) {
            problems.add(opened, "unterminated quoted field (a '\"' opens here and never closes)");
            return records;
          }
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              cell.text += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (atLineBreak()) {
            takeLineBreak(&cell.text);
          } else {
            cell.text += text[i++];
          }
        }
        if (i < text.size() && text[i] != ',' && !atLineBreak()) {
          problems.add(line, fmt::format("unexpected '{}' after a closing quote (a quote inside a "
                                         "quoted field is written twice: \"\")",
                                         text[i]));
          while (i < text.size() && text[i] != ',' && !atLineBreak()) cell.text += text[i++];
        }
      } else {
        while (i < text.size() && text[i] != ',' && !atLineBreak()) cell.text += text[i++];
      }
      record.cells.push_back(std::move(cell));
      if (i < text.size() && text[i] == ',') {
        ++i;
        continue;
      }
      if (atLineBreak()) takeLineBreak(nullptr);
      break;
    }
    records.push_back(std::move(record));
  }
  return records;
}

// NetBox device export columns that netspine has no field for; they are skipped, not errors.
constexpr std::string_view kIgnoredColumns[] = {
    // what the device is and where it sits
    "id", "display", "url", "tenant", "tenant_group", "manufacturer", "device_type", "type",
    "airflow", "asset_tag", "region", "site_group", "rack", "position", "position_u", "face",
    "rack_face", "latitude", "longitude", "parent", "parent_device", "device_bay",
    // clustering, configuration, notes
    "cluster", "cluster_group", "virtual_chassis", "vc_position", "vc_priority", "oob_ip",
    "config_template", "contacts", "comments", "description", "created", "last_updated",
    // component counts
    "console_ports", "console_server_ports", "power_ports", "power_outlets", "interfaces",
    "front_ports", "rear_ports", "device_bays", "module_bays", "inventory_items"};

bool ignored(std::string_view normalized) {
  return std::find(std::begin(kIgnoredColumns), std::end(kIgnoredColumns), normalized) !=
         std::end(kIgnoredColumns);
}

struct Column {
  std::string header;            // as written
  std::optional<DeviceKey> key;  // empty: ignored or unknown
  bool unnamed = false;
};

std::vector<Column> readHeader(const CsvRecord& header, ProblemList& problems) {
  std::vector<Column> columns;
  std::map<std::string, std::size_t> seen;  // normalised name -> column number
  std::vector<bool> given(deviceFieldNames().size(), false);
  std::vector<std::string_view> suggestions(deviceKeyNames().begin(), deviceKeyNames().end());
  suggestions.insert(suggestions.end(), std::begin(kIgnoredColumns), std::end(kIgnoredColumns));
  for (std::size_t n = 0; n < header.cells.size(); ++n) {
    Column column{header.cells[n].text, std::nullopt, false};
    const auto name = normalizeKey(column.header);
    if (name.empty()) {
      column.unnamed = true;
    } else if (auto [it, fresh] = seen.emplace(name, n + 1); !fresh) {
      problems.add(header.line, fmt::format("duplicate column '{}' (columns {} and {})",
                                            column.header, it->second, n + 1));
    } else if (auto key = findDeviceKey(name)) {
      column.key = key;
      given[static_cast<std::size_t>(key->field)] = true;
    } else if (!ignored(name)) {
      problems.add(header.line,
                   fmt::format("unknown column '{}'{}; known columns: {}", column.header,
                               didYouMean(name, suggestions), joinNames(deviceFieldNames())));
    }
    columns.push_back(std::move(column));
  }
  std::vector<std::string_view> required;
  for (std::size_t f = 0; f < given.size(); ++f) {
    if (isRequired(static_cast<DeviceField>(f))) required.push_back(deviceFieldNames()[f]);
  }
  for (std::size_t f = 0; f < given.size(); ++f) {
    if (isRequired(static_cast<DeviceField>(f)) && !given[f]) {
      problems.add(header.line, fmt::format("missing column '{}' (required: {})",
                                            deviceFieldNames()[f], joinNames(required)));
    }
  }
  return columns;
}

}  // namespace

app::InventoryDocument readDevicesCsv(const std::string& path) {
  std::string text;
  try {
    text = readTextFile(path);
  } catch (const domain::ValidationError& e) {
    throw app::ImportError({e.what()});
  }
  ProblemList problems(path);
  app::InventoryDocument doc;
  auto records = splitCsv(text, problems);
  std::erase_if(records, [](const CsvRecord& r) { return r.blank(); });
  if (records.empty()) {
    problems.add(
        1, fmt::format("no header row (expected columns: {})", joinNames(deviceFieldNames())));
    throw app::ImportError(problems.messages());
  }
  const auto columns = readHeader(records.front(), problems);
  std::vector<bool> reportedUnnamed(columns.size(), false);
  for (std::size_t r = 1; r < records.size() && !problems.full(); ++r) {
    const auto& record = records[r];
    if (record.cells.size() != columns.size()) {
      problems.add(record.line, fmt::format("row has {} fields, the header has {}",
                                            record.cells.size(), columns.size()));
      continue;
    }
    DeviceRecord device(app::SourceRef{path, record.line});
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const auto& cell = record.cells[c];
      if (columns[c].key) {
        device.set(*columns[c].key, cell.text, cell.line);
      } else if (columns[c].unnamed && !reportedUnnamed[c] &&
                 cell.text.find_first_not_of(" \t") != std::string::npos) {
        problems.add(cell.line,
                     fmt::format("column {} has no name in the header row but holds '{}'", c + 1,
                                 cell.text));
        reportedUnnamed[c] = true;
      }
    }
    doc.devices.push_back(device.build(problems));
  }
  if (!problems.empty()) throw app::ImportError(problems.messages());
  return doc;
}

}  // namespace netspine::infra
