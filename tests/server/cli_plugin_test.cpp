// netspine plugin list | check | install, in-process, on the test libraries of tests/plugins.

#include <sys/stat.h>

#include "cli_fixture.hpp"

#ifndef NETSPINE_TEST_PLUGIN_DIR
#error "NETSPINE_TEST_PLUGIN_DIR must name the folder of the test plugins (tests/plugins)"
#endif

namespace netspine::cli::testing {
namespace {

std::string library(const std::string& name) {
  return (fs::path(NETSPINE_TEST_PLUGIN_DIR) / (name + ".so")).string();
}

/// A config whose plugin_dirs is [plugins] (relative to the config file), and helpers.
class CliPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    unsetenv("NETSPINE_CONFIG");
    config_ = dir_.write("netspine.yaml", "plugin_dirs: [plugins]\n");
  }

  std::string plugins() const { return dir_.path("plugins"); }

  std::string add(const std::string& name, std::string as = {}) {
    if (as.empty()) as = name + ".so";
    fs::create_directories(plugins());
    const auto target = (fs::path(plugins()) / as).string();
    fs::copy_file(library(name), target, fs::copy_options::overwrite_existing);
    fs::permissions(target, fs::perms(0644));
    return target;
  }

  CliResult run(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--config", config_});
    return runNetspine(args);
  }

  TempFolder dir_;
  std::string config_;
};

TEST_F(CliPluginTest, ListShowsLoadedPluginsAndWarnsOfRefusedOnes) {
  const auto engine = add("good_engine");
  const auto platform = add("good_platform");
  const auto bad = add("wrong_major");
  auto r = run({"plugin", "list"});
  ASSERT_EQ(r.code, 0) << r;
  auto out = lines(r.out);
  ASSERT_EQ(out.size(), 3u) << r;
  EXPECT_EQ(cells(out[0]), (std::vector<std::string>{"ID", "KIND", "VERSION", "FILE", "PROVIDES"}));
  EXPECT_EQ(cells(out[1]), (std::vector<std::string>{"test_echo", "engine", "1.0.0", engine,
                                                     "test.echo,test.throw,test.silent"}));
  EXPECT_EQ(cells(out[2]),
            (std::vector<std::string>{"test_os", "platform", "1.0.0", platform, "test_os"}));
  EXPECT_EQ(r.err, "netspine: warning: refused " + bad +
                       ": plugin API version mismatch: built for major version 2, netspine "
                       "supports 1\n");
}

TEST_F(CliPluginTest, ListJson) {
  add("good_platform");
  const auto text = dir_.write("plugins/notes.so", "text\n");
  ::chmod(text.c_str(), 0644);
  auto r = run({"plugin", "list", "--json"});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.err, "");
  auto json = parseObject(r.out);
  EXPECT_EQ(json->getArray("plugin_dirs")->getElement<std::string>(0), plugins());
  auto loaded = json->getArray("plugins");
  ASSERT_EQ(loaded->size(), 1u);
  auto p = loaded->getObject(0);
  EXPECT_EQ(p->getValue<std::string>("id"), "test_os");
  EXPECT_EQ(p->getValue<std::string>("kind"), "platform");
  EXPECT_EQ(p->getValue<std::string>("api_version"), "1.2");
  EXPECT_EQ(p->getArray("provides")->getElement<std::string>(0), "test_os");
  auto refused = json->getArray("refused");
  ASSERT_EQ(refused->size(), 1u);
  EXPECT_EQ(refused->getObject(0)->getValue<std::string>("file"), text);
  EXPECT_EQ(refused->getObject(0)->getValue<std::string>("reason"),
            "not a shared library (no ELF header)");
}

TEST_F(CliPluginTest, ListOfAMissingFolderWarns) {
  auto r = run({"plugin", "list"});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "ID  KIND  VERSION  FILE  PROVIDES\n");
  EXPECT_EQ(r.err, "netspine: warning: refused " + plugins() +
                       ": plugin directory does not exist; none of its plugins is loaded\n");
}

TEST_F(CliPluginTest, CheckGoodFile) {
  auto r = runNetspine({"plugin", "check", library("good_platform")});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, library("good_platform") +
                       ": ok: platform test_os 1.0.0 (provides test_os; plugin API 1.2)\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(CliPluginTest, CheckBadFilesGivesTheReason) {
  auto r = runNetspine({"plugin", "check", library("throwing_factory")});
  EXPECT_EQ(r.code, kExitValidation) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "netspine: error: " + library("throwing_factory") +
                       ": the factory threw: constructor exploded\n");

  const auto text = dir_.write("text.so", "hello\n");
  r = runNetspine({"plugin", "check", text});
  EXPECT_EQ(r.code, kExitValidation) << r;
  EXPECT_EQ(r.err, "netspine: error: " + text + ": not a shared library (no ELF header)\n");

  r = runNetspine({"plugin", "check", dir_.path("missing.so")});
  EXPECT_EQ(r.code, kExitNotFound) << r;
  EXPECT_EQ(r.err, "netspine: error: " + dir_.path("missing.so") + ": no such file\n");

  r = runNetspine({"plugin", "check"});
  EXPECT_EQ(r.code, kExitUsage) << r;
}

TEST_F(CliPluginTest, InstallCopiesIntoTheFirstPluginFolder) {
  auto r = run({"plugin", "install", library("good_engine")});
  ASSERT_EQ(r.code, 0) << r;
  const auto target = (fs::path(plugins()) / "good_engine.so").string();
  EXPECT_EQ(r.out,
            "installed engine test_echo 1.0.0 (provides test.echo, test.throw, "
            "test.silent; plugin API 1.2) as " +
                target + "\n");
  EXPECT_EQ(fs::status(target).permissions() & fs::perms::mask, fs::perms(0644));
  EXPECT_EQ(fs::status(plugins()).permissions() & fs::perms::mask, fs::perms(0755));
  for (const auto& entry : fs::directory_iterator(plugins())) {
    EXPECT_EQ(entry.path(), target) << "no temporary file left behind";
  }
  r = run({"plugin", "list"});
  EXPECT_EQ(cells(lines(r.out).at(1)).at(0), "test_echo") << r;

  r = run({"plugin", "install", library("good_engine")});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "test_echo is already installed as " + target + "\n");
}

TEST_F(CliPluginTest, InstallGivesTheCopyASafeModeWhateverTheSource) {
  const auto source = dir_.path("build/good_platform.so");
  fs::create_directories(dir_.path("build"));
  fs::copy_file(library("good_platform"), source);
  ::chmod(source.c_str(), 0666);
  auto r = run({"plugin", "install", source});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(fs::status(plugins() + "/good_platform.so").permissions() & fs::perms::mask,
            fs::perms(0644));
}

TEST_F(CliPluginTest, InstallRefusesABadFileAndWritesNothing) {
  auto r = run({"plugin", "install", library("wrong_abi")});
  EXPECT_EQ(r.code, kExitValidation) << r;
  EXPECT_EQ(r.err.rfind("netspine: error: " + library("wrong_abi") + ": ABI tag mismatch", 0), 0u)
      << r;
  EXPECT_FALSE(fs::exists(plugins() + "/wrong_abi.so"));
}

TEST_F(CliPluginTest, InstallRefusesToOverwriteADifferentPluginWithoutForce) {
  add("good_platform", "test_os.so");
  const auto newer = dir_.path("new/test_os.so");
  fs::create_directories(dir_.path("new"));
  fs::copy_file(library("duplicate_platform"), newer);  // test_os 2.0.0
  auto r = run({"plugin", "install", newer});
  EXPECT_EQ(r.code, kExitValidation) << r;
  EXPECT_EQ(r.err, "netspine: error: " + plugins() +
                       "/test_os.so exists and differs (platform test_os 1.0.0 (provides "
                       "test_os; plugin API 1.2)); give --force to replace it\n");

  r = run({"plugin", "install", newer, "--force"});
  ASSERT_EQ(r.code, 0) << r;
  r = run({"plugin", "list", "--json"});
  auto p = parseObject(r.out)->getArray("plugins")->getObject(0);
  EXPECT_EQ(p->getValue<std::string>("version"), "2.0.0");
}

TEST_F(CliPluginTest, InstallRefusesAnIdInstalledUnderAnotherName) {
  const auto existing = add("good_platform", "test_os.so");
  auto r = run({"plugin", "install", library("duplicate_platform"), "--force"});
  EXPECT_EQ(r.code, kExitValidation) << r;
  EXPECT_EQ(r.err, "netspine: error: plugin 'test_os' is already installed as " + existing +
                       "; remove that file first\n");
  EXPECT_FALSE(fs::exists(plugins() + "/duplicate_platform.so"));
}

TEST_F(CliPluginTest, InstallRefusesAnUnsafeFolder) {
  fs::create_directories(plugins());
  fs::permissions(plugins(), fs::perms(0777));
  auto r = run({"plugin", "install", library("good_engine")});
  EXPECT_EQ(r.code, kExitValidation) << r;
  EXPECT_EQ(r.err, "netspine: error: " + plugins() +
                       ": unsafe permissions: plugin directory is writable by others (mode "
                       "0777)\n");
}

TEST_F(CliPluginTest, PluginDirsFromTheConfigFile) {
  const auto other = dir_.path("elsewhere");
  fs::create_directories(other);
  fs::copy_file(library("good_engine"), other + "/e.so");
  config_ = dir_.write("netspine.yaml", "plugin_dirs:\n  - plugins\n  - " + other + "\n");
  add("good_platform");
  auto r = run({"plugin", "list", "--json"});
  ASSERT_EQ(r.code, 0) << r;
  auto json = parseObject(r.out);
  EXPECT_EQ(json->getArray("plugins")->size(), 2u) << r;
  EXPECT_EQ(json->getArray("plugin_dirs")->getElement<std::string>(1), other);
}

}  // namespace
}  // namespace netspine::cli::testing
