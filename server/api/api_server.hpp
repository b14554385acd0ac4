#pragma once
// The REST API server of `netspine serve`: POCO's HTTPServer (a thread per connection, from a
// bounded pool), one route table, bearer-token auth with roles, JSON errors, metrics.

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "api/backend.hpp"
#include "api/http.hpp"
#include "api/metrics.hpp"

namespace Poco::Net {
class HTTPServer;
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Poco::Net

namespace netspine::api {

/// Every endpoint of the API, in the order the OpenAPI document lists them.
std::vector<Route> apiRoutes();
/// The OpenAPI 3 document of `routes`.
std::string openApiDocument(const std::vector<Route>& routes, const std::string& version);

class ApiServer {
 public:
  explicit ApiServer(ServerEnvironment env);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  /// Binds `server.listen` (TLS when tls_cert and tls_key are set) and starts serving. Throws
  /// std::runtime_error naming the address when it cannot.
  void start();
  /// Stops accepting, lets requests in progress finish (at most `grace`), then returns.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  /// The bound port (the configured one, or the kernel's choice for port 0).
  int port() const { return port_; }
  const std::string& scheme() const { return scheme_; }

  /// Serves one request (the HTTP handler calls this).
  void handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

  const ServerEnvironment& environment() const { return env_; }
  const std::vector<Route>& routes() const { return routes_; }
  Metrics& metrics() { return metrics_; }
  BackendPool& pool() { return *pool_; }
  const std::string& openApi() const { return openApi_; }
  std::chrono::steady_clock::time_point startedAt() const { return startedAt_; }

 private:
  Response dispatch(Call& call, std::size_t& routeIndex, bool& closeConnection,
                    Poco::Net::HTTPServerRequest& raw);
  void authenticate(Call& call, const Route& route, Poco::Net::HTTPServerRequest& raw);

  ServerEnvironment env_;
  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> patterns_;  // each route's path split at '/'
  Metrics metrics_;
  std::unique_ptr<BackendPool> pool_;
  std::string openApi_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  int port_ = 0;
  std::string scheme_ = "http";
  std::chrono::steady_clock::time_point startedAt_;
  std::atomic<int> inFlight_{0};     // requests inside handle()
  std::atomic<bool> closed_{false};  // stop() has begun: new requests get 503
};

/// One request being served: the server, the request, and a database connection leased on
/// first use and returned when the call ends.
class Call {
 public:
  Call(ApiServer& server, Request& request) : server(server), request(request) {}
  ApiServer& server;
  Request& request;
  Backend& backend() {
    if (!lease_) lease_ = std::make_unique<BackendPool::Lease>(server.pool().lease());
    return **lease_;
  }
  /// The inventory's version at the start of the call (read once; nothing on PostgreSQL).
  std::optional<std::int64_t> stamp() {
    if (!stampRead_) {
      stamp_ = backend().inventoryStamp();
      stampRead_ = true;
    }
    return stamp_;
  }

 private:
  std::unique_ptr<BackendPool::Lease> lease_;
  std::optional<std::int64_t> stamp_;
  bool stampRead_ = false;
};

}  // namespace netspine::api
