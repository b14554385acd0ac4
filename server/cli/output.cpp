#include "cli/output.hpp"

#include "application/area_service.hpp"

namespace netspine::cli {

void printDeleted(CliContext& ctx, std::string_view type, std::string_view id) {
  if (ctx.json()) {
    app::JsonWriter w;
    w.beginObject().key("type").value(type).key("id").value(id).key("deleted").value(true);
    w.endObject();
    ctx.printJson(w);
    return;
  }
  std::string line = "deleted ";
  line.append(type).append(" '").append(id).append("'\n");
  ctx.print(line);
}

AreaPaths::AreaPaths(CliContext& ctx) : tree_(app::AreaService(ctx.store()).list()) {}

const std::string& AreaPaths::operator()(app::Id id) {
  auto it = cache_.find(id);
  if (it == cache_.end()) it = cache_.emplace(id, tree_.path(id)).first;
  return it->second;
}

}  // namespace netspine::cli
