#pragma once
// Helpers the route files share: JSON responses, paging, ETags, If-Match.

#include <fmt/format.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "api/api_server.hpp"
#include "api/http.hpp"
#include "application/json_writer.hpp"

namespace netspine::api {

/// One row of the route table.
inline Route route(std::string method, std::string pattern, std::optional<domain::Role> role,
                   RouteDoc doc, Handler handler) {
  return Route{std::move(method), std::move(pattern), role, std::move(handler), std::move(doc)};
}

/// A counted page of a list already in memory (areas, platforms, VLANs: small tables).
template <class T, class Each>
Response pageOf(const Request& request, const std::vector<T>& items, Each each);

inline constexpr std::int64_t kDefaultLimit = 50;
inline constexpr std::int64_t kMaxLimit = 1000;
inline constexpr std::size_t kMaxBulk = 1000;

/// The query parameters every counted list takes: limit, offset, ordering.
std::vector<QueryParam> pagingParams(bool ordering = false);

struct Paging {
  std::int64_t limit = kDefaultLimit;
  std::int64_t offset = 0;
};
Paging pagingOf(const Request& request);

Response jsonResponse(std::string body, int status = 200, std::string etag = {});

/// {count, next, previous, results}: `results` is a JSON array already written.
Response countedPage(const Request& request, const Paging& paging, std::int64_t count,
                     const std::string& results);
/// {next, results} where next carries `cursor` (empty: the last page).
Response cursorPage(const Request& request, const std::string& cursor, const std::string& results);

/// The request's path and query with `name` set to `value` (and `drop` removed).
std::string linkWith(const Request& request, const std::string& name, const std::string& value,
                     const std::string& drop = {});

/// A strong ETag from a representation: the first 16 hex digits of its SHA-256.
std::string contentTag(const std::string& json);
/// When the request has If-Match, it must name `current` (or be '*'): else 412.
void requireMatch(const Request& request, const std::string& current);
/// The version an If-Match of the form "<id>-<version>" names, for devices (checked in the
/// service's transaction); nothing without If-Match or with '*'. 412 when it names another id.
std::optional<std::int64_t> versionFromIfMatch(const Request& request, std::int64_t id);
std::string deviceTag(std::int64_t id, std::int64_t version);

/// Opaque cursors: base64url of the text.
std::string encodeCursor(const std::string& text);
std::string decodeCursor(const std::string& cursor);

/// The entries of a JSON array written by `each` for every element of `items`.
template <class T, class Each>
std::string jsonArray(const std::vector<T>& items, Each each) {
  app::JsonWriter w;
  w.beginArray();
  for (const auto& item : items) each(w, item);
  w.endArray();
  return w.take();
}

template <class T, class Each>
Response pageOf(const Request& request, const std::vector<T>& items, Each each) {
  const auto paging = pagingOf(request);
  const auto count = static_cast<std::int64_t>(items.size());
  app::JsonWriter w;
  w.beginArray();
  for (auto i = paging.offset; i < std::min(count, paging.offset + paging.limit); ++i)
    each(w, items[static_cast<std::size_t>(i)]);
  w.endArray();
  return countedPage(request, paging, count, w.str());
}

// The routes of each resource group.
void inventoryRoutes(std::vector<Route>& routes);
void jobRoutes(std::vector<Route>& routes);
void systemRoutes(std::vector<Route>& routes);

}  // namespace netspine::api
