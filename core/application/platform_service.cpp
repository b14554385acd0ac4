#include "application/platform_service.hpp"

#include <fmt/format.h>

#include "application/service_support.hpp"
#include "domain/errors.hpp"
#include "domain/validation.hpp"

namespace netspine::app {
namespace {

Platform requirePlatform(UnitOfWork& uow, std::string_view id) {
  auto p = uow.platforms().get(id);
  if (!p) throw domain::NotFoundError(fmt::format("platform '{}' not found", id));
  return *p;
}

}  // namespace

Platform PlatformService::createIn(UnitOfWork& uow, const Platform& platform,
                                   const ChangeContext& ctx) {
  domain::validate(platform);
  if (uow.platforms().get(platform.id)) {
    throw domain::ConflictError(fmt::format("id: platform '{}' already exists", platform.id), "id");
  }
  uow.platforms().insert(platform);
  uow.changes().append(detail::makeChange(clock_, ctx, "create", "platform", platform.id,
                                          platform.id, "", detail::platformJson(platform)));
  return platform;
}

Platform PlatformService::create(const Platform& platform, const ChangeContext& ctx) {
  auto uow = store_.begin();
  auto p = createIn(*uow, platform, ctx);
  uow->commit();
  return p;
}

Platform PlatformService::updateIn(UnitOfWork& uow, std::string_view id, const PlatformPatch& patch,
                                   const ChangeContext& ctx) {
  const Platform before = requirePlatform(uow, id);
  Platform after = before;
  if (patch.name) after.name = *patch.name;
  if (patch.vendor) after.vendor = *patch.vendor;
  domain::validate(after);
  if (after == before) return before;
  uow.platforms().update(after);
  uow.changes().append(detail::makeChange(clock_, ctx, "update", "platform", after.id, after.id,
                                          detail::platformJson(before),
                                          detail::platformJson(after)));
  return after;
}

Platform PlatformService::update(std::string_view id, const PlatformPatch& patch,
                                 const ChangeContext& ctx) {
  auto uow = store_.begin();
  auto result = updateIn(*uow, id, patch, ctx);
  uow->commit();
  return result;
}

void PlatformService::removeIn(UnitOfWork& uow, std::string_view id, const ChangeContext& ctx) {
  const Platform platform = requirePlatform(uow, id);
  if (auto n = uow.platforms().deviceCount(id); n > 0) {
    throw domain::ConflictError(
        fmt::format("platform '{}' is used by {} device(s): change or delete them first", id, n));
  }
  uow.platforms().remove(id);
  uow.changes().append(detail::makeChange(clock_, ctx, "delete", "platform", platform.id,
                                          platform.id, detail::platformJson(platform), ""));
}

void PlatformService::remove(std::string_view id, const ChangeContext& ctx) {
  auto uow = store_.begin();
  removeIn(*uow, id, ctx);
  uow->commit();
}

Platform PlatformService::get(std::string_view id) {
  auto uow = store_.read();
  return requirePlatform(*uow, id);
}

std::vector<Platform> PlatformService::list() {
  auto uow = store_.read();
  return uow->platforms().list();
}

}  // namespace netspine::app
