#pragma once

// How commands print: one object as `key: value` lines or a JSON object, a list as a table or a
// JSON array. The whole output is built in memory and written once.

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "application/area_tree.hpp"
#include "application/json_writer.hpp"
#include "cli/context.hpp"
#include "cli/text_output.hpp"

namespace netspine::cli {

/// One object: `json(writer)` writes its JSON, `block` holds its text form.
template <class WriteJson>
void printObject(CliContext& ctx, WriteJson json, const KeyValueBlock& block) {
  if (ctx.json()) {
    app::JsonWriter w;
    json(w);
    ctx.printJson(w);
    return;
  }
  std::string out;
  block.render(out);
  ctx.print(out);
}

/// A list: `json(writer, item)` writes one item's JSON, `row(item)` its table cells.
template <class Items, class WriteJson, class Row>
void printList(CliContext& ctx, Items& items, std::vector<std::string> headers, WriteJson json,
               Row row) {
  if (ctx.json()) {
    // Written in chunks: a list of 100,000 devices never sits in memory as one string.
    constexpr std::size_t kChunk = 1 << 20;
    app::JsonWriter w;
    w.beginArray();
    for (auto& item : items) {
      json(w, item);
      if (w.str().size() >= kChunk) {
        ctx.print(w.str());
        w.flushed();
      }
    }
    w.endArray();
    ctx.printJson(w);
    return;
  }
  TextTable table(std::move(headers));
  table.reserve(items.size());
  for (auto& item : items) table.addRow(row(item));
  std::string out;
  table.render(out);
  ctx.print(out);
}

/// A delete's confirmation: "deleted device 'r1'", or {"type":"device","id":"r1","deleted":true}.
void printDeleted(CliContext& ctx, std::string_view type, std::string_view id);

/// Every area with its path, for output over many objects.
app::AreaTree loadAreaTree(CliContext& ctx);

}  // namespace netspine::cli
