#pragma once

// Drives the netspine CLI in-process against a fresh SQLite database in a temporary folder.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "cli/context.hpp"
#include "support/temp_folder.hpp"

namespace netspine::cli::testing {

namespace fs = std::filesystem;

/// What one netspine invocation returned.
struct CliResult {
  int code = -1;
  std::string out;
  std::string err;
};

inline std::ostream& operator<<(std::ostream& os, const CliResult& r) {
  return os << "exit " << r.code << "\n--- stdout\n" << r.out << "--- stderr\n" << r.err;
}

using test::TempFolder;

inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

/// The "key: value" lines of show output.
inline std::map<std::string, std::string> block(const std::string& text) {
  std::map<std::string, std::string> out;
  for (const auto& line : lines(text)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    auto value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    out[line.substr(0, colon)] = value;
  }
  return out;
}

/// The cells of a table line (columns hold no spaces in these tests).
inline std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string cell; in >> cell;) out.push_back(cell);
  return out;
}

inline Poco::JSON::Array::Ptr parseArray(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Array::Ptr>();
}

inline Poco::JSON::Object::Ptr parseObject(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

/// Runs the CLI in-process.
inline CliResult runNetspine(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  CliResult r;
  r.code = runCli(args, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

/// A migrated SQLite database, and a few helpers to fill it.
class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    unsetenv("NETSPINE_CONFIG");  // a developer's own config must not leak into the tests
    db_ = dir_.path("netspine.db");
    auto r = run({"migrate"});
    ASSERT_EQ(r.code, 0) << r;
  }

  /// `netspine --db DB --actor cli:test ARGS…`
  CliResult run(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--db", db_, "--actor", "cli:test"});
    return runNetspine(args);
  }

  /// Runs and expects success.
  std::string ok(std::vector<std::string> args) const {
    auto r = run(args);
    EXPECT_EQ(r.code, 0) << r;
    EXPECT_EQ(r.err, "") << r;
    return r.out;
  }

  /// Areas emea and emea/dc1, platform lab_os (beside the built-in ones).
  void seedAreas() {
    ok({"area", "add", "emea"});
    ok({"area", "add", "dc1", "--parent", "emea"});
    ok({"platform", "add", "lab_os", "--name", "Lab OS", "--vendor", "Lab"});
  }

  void addDevice(const std::string& name, const std::string& address,
                 std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"device",     "add",    name,     "--address", address,
                                  "--platform", "lab_os", "--area", "dc1"};
    args.insert(args.end(), extra.begin(), extra.end());
    ok(args);
  }

  TempFolder dir_;
  std::string db_;
};

}  // namespace netspine::cli::testing
