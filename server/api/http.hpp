#pragma once
// The REST API's request, response and error types, and the route table every endpoint is one
// row of: the server dispatches from it, checks roles from it and writes the OpenAPI document
// from it, so no endpoint can exist undocumented or unguarded.

#include <Poco/JSON/Object.h>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "domain/api_token.hpp"

namespace netspine::api {

class Call;

/// An error the API answers with its status: {"error": {"code", "message", "fields"}}.
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, std::string message,
           std::map<std::string, std::vector<std::string>> fields = {})
      : std::runtime_error(std::move(message)),
        status_(status),
        code_(std::move(code)),
        fields_(std::move(fields)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::map<std::string, std::vector<std::string>>& fields() const { return fields_; }
  /// Headers the answer carries (Allow on a 405).
  std::vector<std::pair<std::string, std::string>> headers;

 private:
  int status_;
  std::string code_;
  std::map<std::string, std::vector<std::string>> fields_;
};

/// 400 about one field.
ApiError badField(const std::string& field, const std::string& message);

/// Who makes the request: the token's name and role (empty name: no token, public route).
struct Principal {
  std::string token;
  domain::Role role = domain::Role::Read;
};

struct Request {
  std::string method;
  std::string path;
  std::string rawQuery;
  std::map<std::string, std::string> pathParams;
  std::vector<std::pair<std::string, std::string>> query;
  std::string body;
  std::string ifMatch;  // the If-Match header, as sent
  Principal principal;
  /// The parsed body, when the route takes one.
  Poco::JSON::Object::Ptr json;

  const std::string& param(const std::string& name) const { return pathParams.at(name); }
  /// Every value of a query parameter; "a,b" counts as two values.
  std::vector<std::string> all(const std::string& name) const;
  /// A query parameter given at most once (400 otherwise).
  std::optional<std::string> one(const std::string& name) const;
  std::optional<std::int64_t> integer(const std::string& name, std::int64_t min,
                                      std::int64_t max) const;
  bool flag(const std::string& name) const;
  /// The actor recorded in the change log: "api:<token name>".
  std::string actor() const { return "api:" + principal.token; }
};

struct Response {
  int status = 200;
  std::string body;
  std::string contentType = "application/json";
  std::string etag;  // without quotes; empty: none
  std::vector<std::pair<std::string, std::string>> headers;
};

/// A query parameter of an endpoint, for validation messages and the OpenAPI document.
struct QueryParam {
  std::string name;
  std::string type = "string";  // string | integer | boolean
  std::string description;
  bool repeated = false;
  std::vector<std::string> values;  // an enum, when the values are fixed
};

/// What the OpenAPI document says about an endpoint.
struct RouteDoc {
  std::string operationId;
  std::string summary;
  std::string tag;
  std::vector<QueryParam> query;
  std::string requestSchema;   // a component name, or "" when no body
  std::string responseSchema;  // a component name; "" for no content (204)
  bool list = false;           // the response is a page of responseSchema
  bool cursor = false;         // a cursor page (next only) rather than a counted one
  int success = 200;
  std::vector<int> errors;  // the statuses it can answer besides 401/403/500
  std::string shape;        // "list": the response is a JSON array of responseSchema
  std::string description;
};

using Handler = std::function<Response(Call&)>;

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/devices/{name}"
  /// The least role that may call it; nothing: no token needed (/health, /metrics, openapi).
  std::optional<domain::Role> role;
  Handler handler;
  RouteDoc doc;
};

}  // namespace netspine::api
