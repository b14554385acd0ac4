#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "application/change_context.hpp"
#include "application/inventory_document.hpp"
#include "application/store.hpp"
#include "domain/errors.hpp"

namespace netspine::app {

enum class ImportMode {
  Create,  // every object is new; an existing name is an error
  Upsert,  // existing devices (by name) are updated with the given fields
};

struct ImportSummary {
  std::int64_t areas = 0;
  std::int64_t platforms = 0;
  std::int64_t devicesCreated = 0;
  std::int64_t devicesUpdated = 0;
  std::int64_t vlans = 0;
};

/// An import refused as a whole; each problem names the record (file:line) and the field.
class ImportError : public domain::ValidationError {
 public:
  explicit ImportError(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

/// Writes an InventoryDocument all-or-nothing: every record is checked by the same rules as the
/// services' create (up to `maxProblems` problems are collected), then everything is written
/// in one transaction with one change-log entry per object. Large device lists are checked in
/// memory and inserted in bulk.
class InventoryImporter {
 public:
  explicit InventoryImporter(Store& store, Clock clock = utcNow)
      : store_(store), clock_(std::move(clock)) {}
  ImportSummary run(const InventoryDocument& doc, const ChangeContext& ctx,
                    ImportMode mode = ImportMode::Create, std::size_t maxProblems = 20);

 private:
  Store& store_;
  Clock clock_;
};

}  // namespace netspine::app
