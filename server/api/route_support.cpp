#include "api/route_support.hpp"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>

#include <sstream>

#include "api/json_io.hpp"
#include "application/config_service.hpp"

namespace netspine::api {

std::vector<QueryParam> pagingParams(bool ordering) {
  std::vector<QueryParam> params = {
      {"limit", "integer",
       fmt::format("page size, 1 to {} (default {})", kMaxLimit, kDefaultLimit)},
      {"offset", "integer", "how many results to skip (default 0)"},
  };
  if (ordering) params.push_back({"ordering", "string", "sort field, '-' in front for descending"});
  return params;
}

Paging pagingOf(const Request& request) {
  Paging p;
  if (auto n = request.integer("limit", 1, kMaxLimit)) p.limit = *n;
  if (auto n = request.integer("offset", 0, std::int64_t{1} << 53)) p.offset = *n;
  return p;
}

Response jsonResponse(std::string body, int status, std::string etag) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.etag = std::move(etag);
  return r;
}

namespace {

std::string encodeQueryPart(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ',' || c == '/' ||
        c == ':') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::string linkWith(const Request& request, const std::string& name, const std::string& value,
                     const std::string& drop) {
  std::string out = request.path + "?";
  bool first = true;
  auto add = [&](const std::string& k, const std::string& v) {
    if (!first) out += '&';
    first = false;
    out += encodeQueryPart(k) + "=" + encodeQueryPart(v);
  };
  for (const auto& [k, v] : request.query) {
    if (k != name && k != drop) add(k, v);
  }
  add(name, value);
  return out;
}

Response countedPage(const Request& request, const Paging& paging, std::int64_t count,
                     const std::string& results) {
  app::JsonWriter w;
  w.beginObject().key("count").value(count).key("next");
  if (paging.offset + paging.limit < count) {
    w.value(linkWith(request, "offset", std::to_string(paging.offset + paging.limit)));
  } else {
    w.null();
  }
  w.key("previous");
  if (paging.offset > 0) {
    w.value(linkWith(request, "offset",
                     std::to_string(std::max<std::int64_t>(0, paging.offset - paging.limit))));
  } else {
    w.null();
  }
  w.key("results").raw(results).endObject();
  return jsonResponse(w.take());
}

Response cursorPage(const Request& request, const std::string& cursor, const std::string& results) {
  app::JsonWriter w;
  w.beginObject().key("next");
  if (cursor.empty()) {
    w.null();
  } else {
    w.value(linkWith(request, "cursor", cursor, "offset"));
  }
  w.key("results").raw(results).endObject();
  return jsonResponse(w.take());
}

std::string contentTag(const std::string& json) {
  return app::sha256Hex(json).substr(0, 16);
}

namespace {

/// The entity tags of an If-Match header: `"a", W/"b"` gives a, b; `*` gives *.
std::vector<std::string> tagsOf(const std::string& header) {
  std::vector<std::string> tags;
  std::size_t i = 0;
  while (i < header.size()) {
    while (i < header.size() && (header[i] == ' ' || header[i] == ',')) ++i;
    if (i >= header.size()) break;
    if (header[i] == '*') {
      tags.push_back("*");
      ++i;
      continue;
    }
    if (header.compare(i, 2, "W/") == 0) i += 2;
    std::string tag;
    if (i < header.size() && header[i] == '"') {
      const auto end = header.find('"', i + 1);
      if (end == std::string::npos) throw badField("If-Match", "an entity tag is not closed");
      tag = header.substr(i + 1, end - i - 1);
      i = end + 1;
    } else {
      const auto end = header.find(',', i);
      tag = header.substr(i, end == std::string::npos ? std::string::npos : end - i);
      i = end == std::string::npos ? header.size() : end;
    }
    // Only a bare * is the wildcard; "*" or W/* is a tag no object has.
    tags.push_back(tag == "*" ? std::string("\x01*") : tag);
  }
  return tags;
}

}  // namespace

void requireMatch(const Request& request, const std::string& current) {
  if (request.ifMatch.empty()) return;
  for (const auto& t : tagsOf(request.ifMatch)) {
    if (t == "*" || t == current) return;
  }
  throw ApiError(412, "stale",
                 fmt::format("If-Match: the object changed; its ETag is now \"{}\": read it "
                             "again",
                             current));
}

std::string deviceTag(std::int64_t id, std::int64_t version) {
  return fmt::format("{}-{}", id, version);
}

std::optional<std::int64_t> versionFromIfMatch(const Request& request, std::int64_t id) {
  if (request.ifMatch.empty()) return std::nullopt;
  const auto tags = tagsOf(request.ifMatch);
  if (std::find(tags.begin(), tags.end(), "*") != tags.end()) return std::nullopt;
  const auto prefix = std::to_string(id) + "-";
  for (const auto& t : tags) {
    if (t.starts_with(prefix) && t.size() > prefix.size() && t.size() - prefix.size() <= 18 &&
        std::all_of(t.begin() + static_cast<long>(prefix.size()), t.end(),
                    [](char c) { return c >= '0' && c <= '9'; })) {
      return std::stoll(t.substr(prefix.size()));
    }
  }
  throw ApiError(412, "stale", "If-Match: names another version of this device: read it again");
}

std::string encodeCursor(const std::string& text) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
  encoder.rdbuf()->setLineLength(0);
  encoder << text;
  encoder.close();
  return out.str();
}

std::string decodeCursor(const std::string& cursor) {
  try {
    std::istringstream in(cursor);
    Poco::Base64Decoder decoder(in, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    std::string out((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
    if (out.empty() || !validUtf8(out)) throw badField("cursor", "not a cursor this API gave");
    return out;
  } catch (const Poco::Exception&) {
    throw badField("cursor", "not a cursor this API gave");
  }
}

}  // namespace netspine::api
