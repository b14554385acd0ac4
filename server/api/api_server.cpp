#include "api/api_server.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <istream>
#include <thread>

#include "api/json_io.hpp"
#include "application/config_service.hpp"
#include "domain/errors.hpp"
#include "infra/database.hpp"

namespace netspine::api {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> splitPath(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t start = 1;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    parts.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Percent-decoding of a path segment or query part; `what` names it in the 400.
std::string decode(std::string_view text, bool plusAsSpace, const std::string& what) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      const int hi = i + 2 < text.size() ? hexValue(text[i + 1]) : -1;
      const int lo = i + 2 < text.size() ? hexValue(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) throw badField(what, "invalid percent-encoding");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plusAsSpace) {
      out += ' ';
    } else {
      out += c;
    }
  }
  if (!validUtf8(out)) throw badField(what, "not valid UTF-8");
  if (out.find('\0') != std::string::npos) throw badField(what, "contains a NUL character");
  return out;
}

std::vector<std::pair<std::string, std::string>> parseQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t start = 0;
  while (start < query.size()) {
    auto end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const auto part = query.substr(start, end - start);
    if (!part.empty()) {
      const auto eq = part.find('=');
      auto name = decode(part.substr(0, eq), true, "query");
      auto value =
          eq == std::string_view::npos ? std::string() : decode(part.substr(eq + 1), true, name);
      out.emplace_back(std::move(name), std::move(value));
    }
    start = end + 1;
  }
  return out;
}

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(ApiServer& server) : server_(server) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    server_.handle(request, response);
  }

 private:
  ApiServer& server_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(ApiServer& server) : server_(server) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(server_);
  }

 private:
  ApiServer& server_;
};

std::string routeLabel(const Route& r) {
  return r.method + " " + r.pattern;
}

std::vector<std::string> routeLabels(const std::vector<Route>& routes) {
  std::vector<std::string> labels;
  for (const auto& r : routes) labels.push_back(routeLabel(r));
  return labels;
}

/// Reads and drops what is left of a request body, at most `limit` bytes; false when more was
/// left.
bool drain(std::istream& in, std::int64_t limit) {
  char sink[16384];
  std::int64_t read = 0;
  while (read <= limit && (in.read(sink, sizeof sink) || in.gcount() > 0)) read += in.gcount();
  return read <= limit;
}

bool hasBody(const std::string& method) {
  return method == "POST" || method == "PATCH" || method == "PUT" || method == "DELETE";
}

}  // namespace

// ------------------------------------------------------------------------------ Request

std::vector<std::string> Request::all(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : query) {
    if (k != name) continue;
    std::size_t start = 0;
    while (start <= v.size()) {
      auto end = v.find(',', start);
      if (end == std::string::npos) end = v.size();
      if (end > start) out.push_back(v.substr(start, end - start));
      start = end + 1;
    }
  }
  return out;
}

std::optional<std::string> Request::one(const std::string& name) const {
  std::optional<std::string> found;
  for (const auto& [k, v] : query) {
    if (k != name) continue;
    if (found) throw badField(name, "given more than once");
    found = v;
  }
  return found;
}

std::optional<std::int64_t> Request::integer(const std::string& name, std::int64_t min,
                                             std::int64_t max) const {
  auto text = one(name);
  if (!text) return std::nullopt;
  const bool digits =
      !text->empty() && text->size() <= 18 &&
      std::all_of(text->begin(), text->end(), [](char c) { return c >= '0' && c <= '9'; });
  const std::int64_t n = digits ? std::stoll(*text) : -1;
  if (!digits || n < min || n > max)
    throw badField(name,
                   fmt::format("expected a whole number from {} to {}, got '{}'", min, max, *text));
  return n;
}

bool Request::flag(const std::string& name) const {
  auto text = one(name);
  if (!text) return false;
  if (*text == "true" || *text == "1" || text->empty()) return true;
  if (*text == "false" || *text == "0") return false;
  throw badField(name, fmt::format("expected true or false, got '{}'", *text));
}

// ------------------------------------------------------------------------------ ApiServer

ApiServer::ApiServer(ServerEnvironment env)
    : env_(std::move(env)), routes_(apiRoutes()), metrics_(routeLabels(routes_)) {
  for (const auto& r : routes_) patterns_.push_back(splitPath(r.pattern));
  pool_ = std::make_unique<BackendPool>(env_, env_.config.server.connections);
  openApi_ = openApiDocument(routes_, env_.version);
}

ApiServer::~ApiServer() {
  if (server_) stop(std::chrono::seconds(0));
}

void ApiServer::start() {
  const auto& s = env_.config.server;
  const std::string where = s.host.find(':') != std::string::npos
                                ? fmt::format("[{}]:{}", s.host, s.port)
                                : fmt::format("{}:{}", s.host, s.port);
  auto params = Poco::AutoPtr<Poco::Net::HTTPServerParams>(new Poco::Net::HTTPServerParams);
  params->setMaxThreads(static_cast<int>(s.threads));
  params->setMaxQueued(static_cast<int>(s.queue));
  params->setKeepAlive(s.keepAlive);
  params->setMaxKeepAliveRequests(static_cast<int>(s.keepAliveRequests));
  params->setKeepAliveTimeout(Poco::Timespan(
      std::chrono::duration_cast<std::chrono::microseconds>(s.keepAliveTimeout).count()));
  params->setTimeout(
      Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(s.timeout).count()));
  params->setServerName("netspine");
  params->setSoftwareVersion("netspine/" + env_.version);
  try {
    Poco::Net::SocketAddress address(s.host, static_cast<Poco::UInt16>(s.port));
    std::unique_ptr<Poco::Net::ServerSocket> socket;
    if (!s.tlsCert.empty()) {
      for (const auto& [key, file] : {std::pair{"tls_cert", s.tlsCert}, {"tls_key", s.tlsKey}}) {
        if (::access(file.c_str(), R_OK) != 0)
          throw std::runtime_error(
              fmt::format("server.{}: cannot read {}: {}", key, file, std::strerror(errno)));
      }
      Poco::Net::Context::Ptr context;
      try {
        context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, s.tlsKey, s.tlsCert,
                                         "", Poco::Net::Context::VERIFY_NONE, 9, false,
                                         "ALL:!ADH:!LOW:!EXP:!MD5:!RC4:!3DES:@STRENGTH");
      } catch (const Poco::Exception& e) {
        throw std::runtime_error(fmt::format(
            "server.tls_cert, server.tls_key: cannot load {} and {} (PEM, key not encrypted): {}",
            s.tlsCert, s.tlsKey, e.displayText()));
      }
      context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                                Poco::Net::Context::PROTO_TLSV1 |
                                Poco::Net::Context::PROTO_TLSV1_1);
      socket = std::make_unique<Poco::Net::SecureServerSocket>(context);
      scheme_ = "https";
    } else {
      socket = std::make_unique<Poco::Net::ServerSocket>();
    }
    // SO_REUSEADDR for quick restarts, but never SO_REUSEPORT: a second server on the same
    // port must fail here, not silently share the port's connections.
    socket->bind(address, true, false);
    socket->listen(128);
    port_ = socket->address().port();
    static Poco::ThreadPool* threads = nullptr;  // one per process, sized by the first server
    if (!threads) threads = new Poco::ThreadPool(2, static_cast<int>(s.threads) + 4, 60, 0);
    server_ =
        std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), *threads, *socket, params);
    server_->start();
    startedAt_ = Clock::now();
  } catch (const Poco::Exception& e) {
    throw std::runtime_error(
        fmt::format("server.listen: cannot serve on {}: {}", where, e.displayText()));
  }
}

void ApiServer::stop(std::chrono::milliseconds grace) {
  if (!server_) return;
  // No new connections; connections in a request finish it and then close (no keep-alive).
  server_->stopAll(false);
  // From here a request that had not started yet is answered 503 without touching the
  // database; those in progress finish. POCO's own connection count can miss a request its
  // threads are about to serve, so the requests are counted here, around handle().
  closed_ = true;
  const auto until = Clock::now() + grace;
  while ((server_->currentConnections() > 0 || inFlight_.load() > 0) && Clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  server_.reset();
  // Handlers that outlived the grace (a stuck database) must not find the pool gone.
  while (inFlight_.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

void ApiServer::authenticate(Call& call, const Route& route, Poco::Net::HTTPServerRequest& raw) {
  Request& request = call.request;
  const std::string header = raw.get("Authorization", "");
  static constexpr std::string_view kBearer = "Bearer ";
  if (header.empty()) {
    throw ApiError(401, "unauthenticated",
                   "this endpoint needs a token: send 'Authorization: Bearer <token>' (create one "
                   "with `netspine token create`)");
  }
  if (header.size() <= kBearer.size() ||
      !std::equal(kBearer.begin(), kBearer.end(), header.begin(),
                  [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
    throw ApiError(401, "unauthenticated",
                   "Authorization: expected 'Bearer <token>', got another scheme");
  }
  const std::string secret = header.substr(kBearer.size());
  auto& backend = call.backend();
  const auto now = app::systemNow();
  // A token checked at this inventory version is valid until it expires or the version moves
  // (creating and revoking tokens are in the change log too); its last use is still written
  // at most once a minute, by a full check.
  const auto stamp = call.stamp();
  const auto hash = app::sha256Hex(secret);
  std::optional<app::ApiToken> token;
  if (stamp) token = backend.cache().token(hash, *stamp);
  if (token) {
    const auto nowText = app::isoTime(now);
    if (!token->expiresAt.empty() && nowText >= token->expiresAt) token.reset();
    if (token && app::isoTime(now - app::TokenService::kTouchInterval) >= token->lastUsedAt) {
      token = backend.tokens.authenticate(secret, now);
      if (token && stamp) backend.cache().storeToken(hash, *stamp, *token);
    }
  } else {
    token = backend.tokens.authenticate(secret, now);
    if (token && stamp && backend.inventoryStamp() == stamp)
      backend.cache().storeToken(hash, *stamp, *token);
  }
  if (!token) throw ApiError(401, "invalid_token", "the token is unknown, revoked or expired");
  request.principal = {token->name, token->role};
  if (!domain::allows(token->role, *route.role)) {
    throw ApiError(403, "forbidden",
                   fmt::format("token '{}' has role {}; {} {} needs role {}", token->name,
                               domain::toString(token->role), route.method, route.pattern,
                               domain::toString(*route.role)));
  }
}

Response ApiServer::dispatch(Call& call, std::size_t& routeIndex, bool& closeConnection,
                             Poco::Net::HTTPServerRequest& raw) {
  Request& request = call.request;
  if (request.path.empty() || request.path[0] != '/')
    throw ApiError(400, "invalid", "the request target must be a path");
  std::string_view path = request.path;
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  const auto parts = splitPath(path);
  std::vector<std::string> allowed;
  const Route* route = nullptr;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const auto& pattern = patterns_[i];
    if (pattern.size() != parts.size()) continue;
    bool match = true;
    for (std::size_t k = 0; k < parts.size() && match; ++k) {
      const bool variable = pattern[k].size() > 2 && pattern[k].front() == '{';
      match = variable ? !parts[k].empty() : pattern[k] == parts[k];
    }
    if (!match) continue;
    if (routes_[i].method != request.method) {
      allowed.push_back(routes_[i].method);
      continue;
    }
    route = &routes_[i];
    routeIndex = i;
    for (std::size_t k = 0; k < parts.size(); ++k) {
      if (pattern[k].front() == '{') {
        const auto name = pattern[k].substr(1, pattern[k].size() - 2);
        request.pathParams[name] = decode(parts[k], false, name);
      }
    }
    break;
  }
  if (!route) {
    if (!allowed.empty()) {
      std::sort(allowed.begin(), allowed.end());
      allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
      std::string list;
      for (const auto& m : allowed) list += (list.empty() ? "" : ", ") + m;
      ApiError error(
          405, "method_not_allowed",
          fmt::format("{} is not allowed on {} (allowed: {})", request.method, request.path, list));
      error.headers.emplace_back("Allow", list);
      throw error;
    }
    throw ApiError(404, "not_found",
                   fmt::format("no endpoint {} (see /api/v1/openapi.json)", std::string(path)));
  }

  request.query = parseQuery(request.rawQuery);
  for (const auto& [name, value] : request.query) {
    const auto& known = route->doc.query;
    if (std::none_of(known.begin(), known.end(),
                     [&](const QueryParam& q) { return q.name == name; })) {
      std::string names;
      for (const auto& q : known) names += (names.empty() ? "" : ", ") + q.name;
      throw badField(name, fmt::format("unknown query parameter (known here: {})",
                                       names.empty() ? "none" : names));
    }
  }

  if (route->role) authenticate(call, *route, raw);

  if (hasBody(request.method) && !route->doc.requestSchema.empty()) {
    const auto limit = env_.config.server.maxBodyBytes;
    const auto length = raw.getContentLength64();
    if (length > limit) {
      closeConnection = true;
      throw ApiError(413, "too_large",
                     fmt::format("the body has {} bytes; the limit is {} (server.max_body_bytes)",
                                 length, limit));
    }
    std::istream& in = raw.stream();
    std::string body;
    char buffer[16384];
    while (in) {
      in.read(buffer, sizeof buffer);
      body.append(buffer, static_cast<std::size_t>(in.gcount()));
      if (static_cast<std::int64_t>(body.size()) > limit) {
        closeConnection = true;
        throw ApiError(
            413, "too_large",
            fmt::format("the body is over the limit of {} bytes (server.max_body_bytes)", limit));
      }
    }
    request.body = std::move(body);
  }
  request.ifMatch = raw.get("If-Match", "");

  return route->handler(call);
}

void ApiServer::handle(Poco::Net::HTTPServerRequest& raw, Poco::Net::HTTPServerResponse& out) {
  ++inFlight_;
  struct Done {
    std::atomic<int>& n;
    ~Done() { --n; }
  } done{inFlight_};
  if (closed_) {
    const std::string body = errorBody(ApiError(503, "stopping", "the server is stopping"));
    out.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE);
    out.setKeepAlive(false);
    out.setContentType("application/json");
    out.setContentLength(static_cast<std::streamsize>(body.size()));
    try {
      out.send() << body;
    } catch (const std::exception&) {
    }
    return;
  }
  const auto started = Clock::now();
  std::size_t routeIndex = routes_.size();
  bool closeConnection = false;
  Response response;
  Request request;
  try {
    request.method = raw.getMethod();
    const std::string& uri = raw.getURI();
    const auto q = uri.find('?');
    request.path = uri.substr(0, q);
    if (q != std::string::npos) request.rawQuery = uri.substr(q + 1);
    Call call(*this, request);
    response = dispatch(call, routeIndex, closeConnection, raw);
  } catch (const ApiError& e) {
    response.status = e.status();
    response.body = errorBody(e);
    response.headers = e.headers;
  } catch (const domain::PolicyRefusedError& e) {
    std::vector<std::string> reasons;
    for (const auto& [device, reason] : e.reasons()) reasons.push_back(device + ": " + reason);
    response.status = 422;
    response.body = errorBody(ApiError(422, "refused", e.what(), {{"devices", reasons}}));
  } catch (const domain::Error& e) {
    static constexpr std::pair<int, const char*> kMap[] = {
        {400, "invalid"}, {404, "not_found"}, {409, "conflict"}, {412, "stale"}};
    const auto [status, code] = kMap[static_cast<int>(e.kind())];
    std::map<std::string, std::vector<std::string>> fields;
    if (e.kind() == domain::ErrorKind::Validation)
      fields[e.field().empty() ? "body" : e.field()].push_back(e.what());
    response.status = status;
    response.body = errorBody(ApiError(status, code, e.what(), std::move(fields)));
  } catch (const infra::DatabaseError& e) {
    response.status = 503;
    response.body =
        errorBody(ApiError(503, "database_unavailable", infra::redactSecrets(e.what())));
    if (env_.log) env_.log("database error: " + infra::redactSecrets(e.what()));
  } catch (const Poco::Exception& e) {
    response.status = 500;
    response.body = errorBody(ApiError(500, "internal", "internal error; see the server log"));
    if (env_.log)
      env_.log(fmt::format("{} {}: internal error: {}", request.method, request.path,
                           infra::redactSecrets(e.displayText())));
  } catch (const std::exception& e) {
    response.status = 500;
    response.body = errorBody(ApiError(500, "internal", "internal error; see the server log"));
    if (env_.log)
      env_.log(fmt::format("{} {}: internal error: {}", request.method, request.path,
                           infra::redactSecrets(e.what())));
  }
  // Whatever of the body no handler read (a route without a body, an early error) is read
  // now: on a kept-alive connection it would otherwise be parsed as the next request. A body
  // too large to read is not read; the connection closes after the answer instead.
  if (!closeConnection) {
    try {
      closeConnection = !drain(raw.stream(), env_.config.server.maxBodyBytes);
    } catch (const std::exception&) {
      closeConnection = true;
    }
  }
  try {
    out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
    if (response.status == 401) out.set("WWW-Authenticate", "Bearer realm=\"netspine\"");
    if (!response.etag.empty()) out.set("ETag", "\"" + response.etag + "\"");
    for (const auto& [k, v] : response.headers) out.set(k, v);
    if (closeConnection) out.setKeepAlive(false);
    if (response.status == 204) {
      out.setContentLength(0);
      out.send();
    } else {
      out.setContentType(response.contentType);
      out.setContentLength(static_cast<std::streamsize>(response.body.size()));
      out.send().write(response.body.data(), static_cast<std::streamsize>(response.body.size()));
    }
  } catch (const std::exception&) {
    // The client went away; nothing to answer.
  }
  if (closeConnection) {
    // The answer is out (a 413 at once, before any of the body). A client still sending the
    // body gets a short while to finish, so that closing does not reset the connection before
    // it has read the answer; one that waits is not waited for long.
    try {
      if (auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&raw)) {
        impl->socket().setReceiveTimeout(Poco::Timespan(1, 0));
        drain(raw.stream(), 8 * 1024 * 1024);
      }
    } catch (const std::exception&) {
    }
  }
  metrics_.record(routeIndex, response.status, Clock::now() - started);
}

}  // namespace netspine::api
