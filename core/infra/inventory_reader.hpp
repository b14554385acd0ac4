#pragma once

#include <string>

#include "application/inventory_document.hpp"

namespace netspine::infra {

/// Reads an inventory file by its extension: .csv (devices, one per row), .json, .yaml/.yml
/// (areas, platforms, devices, VLANs; or a plain list of devices; or a NetBox API export).
/// Throws app::ImportError whose problems each name FILE:LINE and the field.
app::InventoryDocument readInventoryFile(const std::string& path);

/// CSV devices with a header row; NetBox export column names are understood.
app::InventoryDocument readDevicesCsv(const std::string& path);
/// JSON or YAML (YAML is a superset of JSON), with line numbers for every record and field.
app::InventoryDocument readInventoryTree(const std::string& path);

}  // namespace netspine::infra
