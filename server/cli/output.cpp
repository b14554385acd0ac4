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

app::AreaTree loadAreaTree(CliContext& ctx) {
  return app::AreaTree(app::AreaService(ctx.store()).list());
}

}  // namespace netspine::cli
