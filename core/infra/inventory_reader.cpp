#include "infra/inventory_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "application/inventory_importer.hpp"

namespace netspine::infra {

app::InventoryDocument readInventoryFile(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".csv") return readDevicesCsv(path);
  if (ext == ".json" || ext == ".yaml" || ext == ".yml") return readInventoryTree(path);
  throw app::ImportError(
      {fmt::format("{}: unsupported file type {} (supported: .csv, .json, .yaml, .yml)", path,
                   ext.empty() ? std::string("(no extension)") : "'" + ext + "'")});
}

}  // namespace netspine::infra
