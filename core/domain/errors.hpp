#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace netspine::domain {

/// What kind of rule an error breaks; the edges (CLI, API) map it to exit codes and statuses.
enum class ErrorKind { Validation, NotFound, Conflict, Stale };

/// Base of every error a user can act on: the message names the object, the field and the rule.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string message, std::string field = {})
      : std::runtime_error(std::move(message)), kind_(kind), field_(std::move(field)) {}
  ErrorKind kind() const { return kind_; }
  /// The input field the error is about ("address", "vid"); empty when it is about the whole.
  const std::string& field() const { return field_; }

 private:
  ErrorKind kind_;
  std::string field_;
};

/// A value breaks a rule of its own ("vlan 4095 out of range 1-4094").
class ValidationError : public Error {
 public:
  explicit ValidationError(std::string message, std::string field = {})
      : Error(ErrorKind::Validation, std::move(message), std::move(field)) {}
};

/// The named object does not exist.
class NotFoundError : public Error {
 public:
  explicit NotFoundError(std::string message, std::string field = {})
      : Error(ErrorKind::NotFound, std::move(message), std::move(field)) {}
};

/// The change collides with other objects: a duplicate name, a delete with dependents.
class ConflictError : public Error {
 public:
  explicit ConflictError(std::string message, std::string field = {})
      : Error(ErrorKind::Conflict, std::move(message), std::move(field)) {}
};

/// A write made against a version of the object that is no longer current (the API's If-Match).
class StaleError : public Error {
 public:
  explicit StaleError(std::string message, std::string field = {})
      : Error(ErrorKind::Stale, std::move(message), std::move(field)) {}
};

/// A job the automation policy refuses: one reason per device ("r1: status FAILED allows no
/// push"). A conflict to the CLI; the API answers it with 422 and the reasons per device.
class PolicyRefusedError : public ConflictError {
 public:
  PolicyRefusedError(std::string message, std::vector<std::pair<std::string, std::string>> reasons)
      : ConflictError(std::move(message), "devices"), reasons_(std::move(reasons)) {}
  /// (device, reason) pairs.
  const std::vector<std::pair<std::string, std::string>>& reasons() const { return reasons_; }

 private:
  std::vector<std::pair<std::string, std::string>> reasons_;
};

}  // namespace netspine::domain
