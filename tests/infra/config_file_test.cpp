#include "infra/config_file.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/errors.hpp"
#include "support/temp_folder.hpp"

namespace netspine::infra {
namespace {

using domain::DeviceStatus;
using domain::Operation;
using Ops = std::vector<Operation>;

class ConfigFileTest : public ::testing::Test {
 protected:
  Config load(std::string_view text) {
    path_ = dir_.write("netspine.yaml", text);
    return loadConfig(path_);
  }

  /// The error loading `text` gives, with the temp folder left out of the file names.
  std::string error(std::string_view text) {
    try {
      load(text);
    } catch (const domain::ValidationError& e) {
      std::string message = e.what();
      for (auto at = message.find(path_); at != std::string::npos; at = message.find(path_)) {
        message.replace(at, path_.size(), "netspine.yaml");
      }
      return message;
    }
    ADD_FAILURE() << "expected a ValidationError";
    return {};
  }

  static void expectDefaultPolicy(const Config& config) {
    const auto defaults = domain::AutomationPolicy::defaults();
    for (auto status : domain::kAllStatuses) {
      EXPECT_EQ(config.automationPolicy.allowed(status), defaults.allowed(status))
          << domain::toString(status);
    }
  }

  test::TempFolder dir_;
  std::string path_;
};

TEST_F(ConfigFileTest, DefaultsNeedNoFile) {
  Config config;
  EXPECT_EQ(config.sourcePath, "");
  EXPECT_EQ(config.dataDir, "netspine-data");
  EXPECT_EQ(config.effectiveDatabaseUrl(), "netspine-data/netspine.db");
}

TEST_F(ConfigFileTest, AnEmptyFileGivesTheDefaults) {
  for (auto text : {"", "# nothing set yet\n", "---\n"}) {
    auto config = load(text);
    EXPECT_EQ(config.sourcePath, path_);
    EXPECT_EQ(config.dataDir, dir_.path("netspine-data"));  // next to the file
    EXPECT_EQ(config.databaseUrl, "");
    EXPECT_EQ(config.effectiveDatabaseUrl(), dir_.path("netspine-data/netspine.db"));
    expectDefaultPolicy(config);
  }
}

TEST_F(ConfigFileTest, ReadsEveryKey) {
  auto config = load(R"(data_dir: ../var
database:
  url: postgresql://netspine@db.example.net/netspine
automation_policy:
  active: [read, discover, push, provision]
  Failed: [read]
  decommissioning: []
)");
  EXPECT_EQ(config.dataDir,
            (std::filesystem::path(dir_.path("")).parent_path().parent_path() / "var").string());
  EXPECT_EQ(config.databaseUrl, "postgresql://netspine@db.example.net/netspine");
  EXPECT_EQ(config.effectiveDatabaseUrl(), "postgresql://netspine@db.example.net/netspine");
  const auto& policy = config.automationPolicy;
  EXPECT_EQ(policy.allowed(DeviceStatus::Active),
            (Ops{Operation::Read, Operation::Discover, Operation::Provision, Operation::Push}));
  EXPECT_EQ(policy.allowed(DeviceStatus::Failed), (Ops{Operation::Read}));
  EXPECT_EQ(policy.allowed(DeviceStatus::Decommissioning), Ops{});
  // Statuses not named keep their defaults.
  EXPECT_EQ(policy.allowed(DeviceStatus::Staged),
            (Ops{Operation::Read, Operation::Discover, Operation::Provision}));
  EXPECT_EQ(policy.allowed(DeviceStatus::Inventory), (Ops{Operation::Read}));
  EXPECT_EQ(policy.allowed(DeviceStatus::Planned), (Ops{Operation::Read}));
}

TEST_F(ConfigFileTest, AStatusWithNothingListedAllowsNothing) {
  auto config = load("automation_policy:\n  ACTIVE:\n");
  EXPECT_EQ(config.automationPolicy.allowed(DeviceStatus::Active), Ops{});
  EXPECT_FALSE(config.automationPolicy.allows(DeviceStatus::Active, Operation::Read));
}

TEST_F(ConfigFileTest, AnAbsoluteDataDirStays) {
  auto config = load("data_dir: /srv/netspine\n");
  EXPECT_EQ(config.dataDir, "/srv/netspine");
  EXPECT_EQ(config.effectiveDatabaseUrl(), "/srv/netspine/netspine.db");
}

TEST_F(ConfigFileTest, AnUnknownKeyIsNamedWithASuggestion) {
  EXPECT_EQ(error("data_dir: x\ndatabse:\n  url: x\n"),
            "netspine.yaml:2: unknown key 'databse' (did you mean 'database'?)");
  EXPECT_EQ(error("database:\n  urll: x\n"),
            "netspine.yaml:2: unknown key 'database.urll' (did you mean 'database.url'?)");
  EXPECT_EQ(error("listen: 127.0.0.1:8080\n"),
            "netspine.yaml:1: unknown key 'listen' (known keys: data_dir, database, "
            "automation_policy, plugin_dirs)");
}

TEST_F(ConfigFileTest, BadOperationsAndStatusesNameTheKeyPath) {
  EXPECT_EQ(error("automation_policy:\n  active: [read, discover, pushh]\n"),
            "netspine.yaml:2: automation_policy.active[2]: unknown operation 'pushh' (expected "
            "one of read, discover, provision, push, teardown)");
  EXPECT_EQ(error("automation_policy:\n  actve:\n    - read\n"),
            "netspine.yaml:2: automation_policy.actve: unknown status 'actve' (expected one of "
            "INVENTORY, PLANNED, STAGED, ACTIVE, FAILED, DECOMMISSIONING)");
  EXPECT_EQ(error("automation_policy:\n  active: [read]\n  ACTIVE: [push]\n"),
            "netspine.yaml:3: automation_policy.ACTIVE: status ACTIVE is already set at line 2");
}

TEST_F(ConfigFileTest, OperationsIgnoreCase) {
  auto config = load("automation_policy:\n  staged: [Read, PROVISION]\n");
  EXPECT_EQ(config.automationPolicy.allowed(DeviceStatus::Staged),
            (Ops{Operation::Read, Operation::Provision}));
}

TEST_F(ConfigFileTest, WrongTypesNameTheLineAndKey) {
  EXPECT_EQ(error("data_dir: [a, b]\n"),
            "netspine.yaml:1: data_dir: expected a string, got a list");
  EXPECT_EQ(error("data_dir: ''\n"), "netspine.yaml:1: data_dir: must not be empty");
  EXPECT_EQ(error("database: sqlite\n"),
            "netspine.yaml:1: database: expected an object, got 'sqlite'");
  EXPECT_EQ(error("database:\n  url: {host: x}\n"),
            "netspine.yaml:2: database.url: expected a string, got an object");
  EXPECT_EQ(error("automation_policy: [read]\n"),
            "netspine.yaml:1: automation_policy: expected an object, got a list");
  EXPECT_EQ(error("automation_policy:\n  active: read\n"),
            "netspine.yaml:2: automation_policy.active: expected a list, got 'read'");
  EXPECT_EQ(error("automation_policy:\n  active:\n    - read\n    - [push]\n"),
            "netspine.yaml:4: automation_policy.active[1]: expected a string, got a list");
  EXPECT_EQ(error("- data_dir\n"),
            "netspine.yaml:1: expected an object with keys data_dir, database, "
            "automation_policy, plugin_dirs, got a list");
}

TEST_F(ConfigFileTest, ReportsEveryProblemOfTheFileAtOnce) {
  EXPECT_EQ(error("databse: x\nautomation_policy:\n  active: [pushh]\n  failed: [x]\n"),
            "netspine.yaml:1: unknown key 'databse' (did you mean 'database'?)\n"
            "netspine.yaml:3: automation_policy.active[0]: unknown operation 'pushh' (expected "
            "one of read, discover, provision, push, teardown)\n"
            "netspine.yaml:4: automation_policy.failed[0]: unknown operation 'x' (expected one "
            "of read, discover, provision, push, teardown)");
}

TEST_F(ConfigFileTest, PluginDirsResolveAgainstTheFilesFolder) {
  auto config = load("plugin_dirs:\n  - plugins\n  - /opt/vendor/netspine-plugins\n");
  EXPECT_EQ(config.effectivePluginDirs(),
            (std::vector<std::string>{dir_.path("plugins"), "/opt/vendor/netspine-plugins"}));
  EXPECT_EQ(load("plugin_dirs: []\n").effectivePluginDirs(), std::vector<std::string>{});
}

TEST_F(ConfigFileTest, PluginDirsDefaultNextToTheExecutable) {
  // <executable's folder>/../lib/netspine/plugins: the build tree and an install share it.
  for (const auto& config : {Config{}, load("data_dir: x\n"), load("plugin_dirs:\n")}) {
    const auto dirs = config.effectivePluginDirs();
    ASSERT_EQ(dirs.size(), 1u);
    EXPECT_TRUE(dirs[0].ends_with("/lib/netspine/plugins")) << dirs[0];
    EXPECT_TRUE(std::filesystem::path(dirs[0]).is_absolute()) << dirs[0];
  }
}

TEST_F(ConfigFileTest, PluginDirsMustBeAListOfFolders) {
  EXPECT_EQ(error("plugin_dirs: /opt/plugins\n"),
            "netspine.yaml:1: plugin_dirs: expected a list, got '/opt/plugins'");
  EXPECT_EQ(error("plugin_dirs:\n  - a\n  - ''\n"),
            "netspine.yaml:3: plugin_dirs[1]: must not be empty");
  EXPECT_EQ(error("plugin_dirs:\n  - [a]\n"),
            "netspine.yaml:2: plugin_dirs[0]: expected a string, got a list");
  EXPECT_EQ(error("plugin_dirs:\n  -\n"),
            "netspine.yaml:1: plugin_dirs[0]: expected a folder, got nothing");
}

TEST_F(ConfigFileTest, ADuplicateKeyIsAProblem) {
  EXPECT_EQ(error("data_dir: a\ndata_dir: b\n"),
            "netspine.yaml:2: duplicate key 'data_dir' (first at line 1)");
}

TEST_F(ConfigFileTest, ASyntaxErrorNamesLineAndColumn) {
  auto message = error("database:\n  url: [x\ndata_dir: y\n");
  EXPECT_TRUE(message.starts_with("netspine.yaml:3:9: syntax error: ")) << message;
}

TEST_F(ConfigFileTest, AMissingFileIsNamed) {
  const auto missing = dir_.path("nope.yaml");
  try {
    loadConfig(missing);
    FAIL() << "expected a ValidationError";
  } catch (const domain::ValidationError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot open " + missing + ": No such file or directory");
  }
}

TEST_F(ConfigFileTest, TheExampleConfigLoads) {
  const auto example = test::sourceDir() / "examples/netspine.yaml";
  auto config = loadConfig(example.string());
  // Run from the repository root, the demo keeps its data under ./var.
  EXPECT_EQ(config.dataDir, (test::sourceDir() / "examples/../var").lexically_normal().string());
  EXPECT_EQ(config.databaseUrl, "");
  EXPECT_EQ(config.effectiveDatabaseUrl(), config.dataDir + "/netspine.db");
  expectDefaultPolicy(config);
}

}  // namespace
}  // namespace netspine::infra
