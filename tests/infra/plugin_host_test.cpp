// Load tests of the plugin host: real shared libraries (tests/plugins/libraries), good and
// deliberately broken, opened through the real loader; and the platform plugins netspine builds.

#include "infra/plugin_host.hpp"

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include "support/temp_folder.hpp"

#ifndef NETSPINE_TEST_PLUGIN_DIR
#error "NETSPINE_TEST_PLUGIN_DIR must name the folder of the test plugins (tests/plugins)"
#endif

namespace netspine::infra {
namespace {

namespace fs = std::filesystem;
using plugin::ErrorCategory;

/// A built test library: tests/plugins/libraries/NAME.cpp.
std::string library(const std::string& name) {
  return (fs::path(NETSPINE_TEST_PLUGIN_DIR) / (name + ".so")).string();
}

/// The reason `file` was refused, or "" when it was not.
std::string refusal(const LoadReport& report, const std::string& file) {
  for (const auto& r : report.refused) {
    if (r.file == file) return r.reason;
  }
  return "";
}

std::vector<std::string> ids(const LoadReport& report) {
  std::vector<std::string> out;
  for (const auto& p : report.loaded) out.push_back(p.manifest.id);
  return out;
}

std::string describe(const LoadReport& report) {
  std::string out;
  for (const auto& p : report.loaded) out += "loaded " + p.manifest.id + " from " + p.file + "\n";
  for (const auto& r : report.refused) out += "refused " + r.line() + "\n";
  return out;
}

/// Whether the library at `path` is mapped into this process (without loading it).
bool isLoaded(const std::string& path) {
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
  if (!handle) return false;
  ::dlclose(handle);
  return true;
}

/// Collects what an engine reports.
class RecordingContext : public plugin::RunContext {
 public:
  void report(plugin::DeviceResult result) override {
    std::lock_guard lock(mutex_);
    results.push_back(std::move(result));
  }
  void log(const std::string&, plugin::LogLevel, const std::string&) override {}
  bool cancelled() const override { return false; }

  std::vector<plugin::DeviceResult> results;

 private:
  std::mutex mutex_;
};

plugin::EngineRequest request(const std::string& operation, int devices) {
  plugin::EngineRequest r;
  r.operation = operation;
  r.parameters["text"] = "hello";
  for (int i = 1; i <= devices; ++i) {
    plugin::DeviceTarget d;
    d.id = i;
    d.name = "r" + std::to_string(i);
    r.devices.push_back(d);
  }
  return r;
}

/// A plugin folder of its own (mode 0700, as mkdtemp makes it) holding copies of test libraries.
class PluginHostTest : public ::testing::Test {
 protected:
  /// Copies library `name` into the folder as `as` (default NAME.so) and returns its path.
  std::string add(const std::string& name, std::string as = {}, const std::string& dir = "") {
    if (as.empty()) as = name + ".so";
    const auto folder = dir.empty() ? dir_.path("plugins") : dir;
    fs::create_directories(folder);
    const auto target = (fs::path(folder) / as).string();
    fs::copy_file(library(name), target, fs::copy_options::overwrite_existing);
    fs::permissions(target, fs::perms(0644));
    return target;
  }

  std::string plugins() const { return dir_.path("plugins"); }

  test::TempFolder dir_;
};

TEST_F(PluginHostTest, LoadsAGoodEngineAndPlatform) {
  add("good_engine");
  add("good_platform");
  PluginHost host;
  auto report = host.loadDirectories({plugins()});
  EXPECT_TRUE(report.refused.empty()) << describe(report);
  EXPECT_EQ(ids(report), (std::vector<std::string>{"test_echo", "test_os"}));
  ASSERT_EQ(host.plugins().size(), 2u);
  EXPECT_EQ(host.plugins()[0].file, fs::path(plugins()) / "good_engine.so");
  EXPECT_EQ(host.plugins()[0].manifest.kind, plugin::PluginKind::Engine);
  EXPECT_EQ(host.plugins()[0].handshake.apiMajor, plugin::kApiMajor);

  auto platform = host.platform("test_os");
  ASSERT_TRUE(platform);
  EXPECT_EQ(platform->spec().id, "test_os");
  EXPECT_FALSE(host.platform("test_echo")) << "an engine is not a platform";
  EXPECT_FALSE(host.platform("nope"));

  auto engine = host.engineFor("test.echo");
  ASSERT_TRUE(engine);
  EXPECT_EQ(engine, host.engineFor("test.silent")) << "one engine, several operations";
  EXPECT_FALSE(host.engineFor("nope"));
  RecordingContext context;
  runEngine(*engine, request("test.echo", 2), context);
  ASSERT_EQ(context.results.size(), 2u);
  EXPECT_EQ(context.results[0].category, ErrorCategory::Ok);
  EXPECT_EQ(context.results[1].data["echo"], "hello");
}

TEST_F(PluginHostTest, EachBrokenLibraryRefusedWithItsReasonWhileTheGoodOnesLoad) {
  add("good_engine", "10_good_engine.so");
  add("good_platform", "10_good_platform.so");
  const std::map<std::string, std::string> broken = {
      {"no_symbols", "missing symbol netspine_plugin_handshake"},
      {"missing_create", "missing symbol netspine_plugin_create"},
      {"wrong_major",
       "plugin API version mismatch: built for major version 2, netspine supports 1"},
      {"newer_minor", "plugin API version mismatch: built for 1.3, newer than netspine's 1.2"},
      {"wrong_abi", "ABI tag mismatch: plugin 'x86_64/msvc/msvcprt/cxx202002', netspine '"},
      {"throwing_factory", "the factory threw: constructor exploded"},
      {"null_factory", "the factory returned no object"},
      {"kind_mismatch", "manifest says engine, the factory made no engine"},
      {"future_host", "needs netspine 99.0.0 or later, this is "},
      {"empty_id", "manifest: empty plugin id"},
      {"duplicate_platform", "duplicate plugin id 'test_os': already loaded from "},
  };
  std::map<std::string, std::string> files;
  for (const auto& [name, reason] : broken) files[name] = add(name, "20_" + name + ".so");
  files["text"] = dir_.write("plugins/20_text.so", "this is not a library\n");
  ::chmod(files["text"].c_str(), 0644);

  PluginHost host;
  auto report = host.loadDirectories({plugins()});
  EXPECT_EQ(ids(report), (std::vector<std::string>{"test_echo", "test_os"})) << describe(report);
  EXPECT_EQ(report.refused.size(), broken.size() + 1) << describe(report);
  for (const auto& [name, reason] : broken) {
    EXPECT_EQ(refusal(report, files[name]).rfind(reason, 0), 0u)
        << name << ": expected a reason starting with '" << reason << "'\n"
        << describe(report);
  }
  EXPECT_EQ(refusal(report, files["text"]), "not a shared library (no ELF header)");
  EXPECT_EQ(host.platform("test_os")->spec().id, "test_os");
  EXPECT_EQ(host.plugins()[1].manifest.version, "1.0.0") << "the first test_os wins";
}

TEST_F(PluginHostTest, DuplicateIdFirstInNameOrderWins) {
  add("good_platform", "b_platform.so");
  const auto first = add("duplicate_platform", "a_platform.so");
  PluginHost host;
  auto report = host.loadDirectories({plugins()});
  ASSERT_EQ(report.loaded.size(), 1u) << describe(report);
  EXPECT_EQ(report.loaded[0].file, first);
  EXPECT_EQ(report.loaded[0].manifest.version, "2.0.0");
  ASSERT_EQ(report.refused.size(), 1u);
  EXPECT_EQ(report.refused[0].reason,
            "duplicate plugin id 'test_os': already loaded from " + first);
}

TEST_F(PluginHostTest, LaterDirectoryCannotReplaceAnEarlierPlugin) {
  const auto second = dir_.path("second");
  add("good_engine");
  const auto again = add("good_engine", "", second);
  PluginHost host;
  auto report = host.loadDirectories({plugins(), second});
  EXPECT_EQ(ids(report), std::vector<std::string>{"test_echo"});
  EXPECT_EQ(refusal(report, again).rfind("duplicate plugin id 'test_echo'", 0), 0u)
      << describe(report);
}

TEST_F(PluginHostTest, WorldWritableFileRefused) {
  const auto file = add("good_platform");
  ASSERT_EQ(::chmod(file.c_str(), 0666), 0);
  PluginHost host;
  auto report = host.loadDirectories({plugins()});
  EXPECT_TRUE(report.loaded.empty());
  EXPECT_EQ(refusal(report, file),
            "unsafe permissions: plugin file is writable by others (mode 0666)");
  EXPECT_FALSE(isLoaded(file)) << "refused before dlopen";
}

TEST_F(PluginHostTest, GroupWritableFileRefused) {
  const auto file = add("good_platform");
  ASSERT_EQ(::chmod(file.c_str(), 0664), 0);
  PluginHost host;
  auto report = host.loadFile(file);
  EXPECT_EQ(refusal(report, file),
            "unsafe permissions: plugin file is writable by its group (mode 0664)");
}

TEST_F(PluginHostTest, WorldWritableDirectoryRefusedWhole) {
  const auto file = add("good_platform");
  ASSERT_EQ(::chmod(plugins().c_str(), 0777), 0);
  const auto safe = dir_.path("safe");
  add("good_engine", "", safe);
  PluginHost host;
  auto report = host.loadDirectories({plugins(), safe});
  EXPECT_EQ(ids(report), std::vector<std::string>{"test_echo"}) << describe(report);
  EXPECT_EQ(refusal(report, plugins()),
            "unsafe permissions: plugin directory is writable by others (mode 0777); none of its "
            "plugins is loaded");
  EXPECT_EQ(refusal(report, file), "") << "the file is not even looked at";
}

TEST_F(PluginHostTest, FileOfAnotherUserRefused) {
  const auto file = add("good_platform");
  if (::chown(file.c_str(), 4242, static_cast<gid_t>(-1)) != 0) {
    GTEST_SKIP() << "chown needs root: " << std::strerror(errno);
  }
  PluginHost host;
  auto report = host.loadFile(file);
  EXPECT_EQ(refusal(report, file).rfind("unsafe owner: plugin file belongs to uid 4242", 0), 0u)
      << describe(report);
}

TEST_F(PluginHostTest, MissingDirectoryAndOtherFilesReported) {
  add("good_engine");
  dir_.write("plugins/README.txt", "not a plugin, not looked at\n");
  fs::create_directories(dir_.path("plugins/folder.so"));
  PluginHost host;
  auto report = host.loadDirectories({dir_.path("missing"), plugins()});
  EXPECT_EQ(ids(report), std::vector<std::string>{"test_echo"});
  EXPECT_EQ(refusal(report, dir_.path("missing")),
            "plugin directory does not exist; none of its plugins is loaded");
  EXPECT_EQ(refusal(report, dir_.path("plugins/folder.so")), "not a regular file");
  EXPECT_EQ(report.refused.size(), 2u) << describe(report);
}

TEST_F(PluginHostTest, EmptyAndTruncatedFilesRefused) {
  const auto empty = dir_.write("plugins/empty.so", "");
  std::ifstream in(library("good_engine"), std::ios::binary);
  std::string bytes(4096, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  const auto truncated = dir_.write("plugins/truncated.so", bytes);
  ::chmod(empty.c_str(), 0644);
  ::chmod(truncated.c_str(), 0644);
  PluginHost host;
  auto report = host.loadDirectories({plugins()});
  EXPECT_EQ(refusal(report, empty), "not a shared library (no ELF header)");
  EXPECT_EQ(refusal(report, truncated).rfind("truncated: a segment ends at byte ", 0), 0u)
      << describe(report);
}

TEST_F(PluginHostTest, ExecutablesAndForeignLibrariesRefused) {
  const auto self = add("good_engine", "self.so");
  fs::copy_file("/proc/self/exe", self, fs::copy_options::overwrite_existing);
  ::chmod(self.c_str(), 0644);
  auto elf = [&](const std::string& name, auto patch) {
    std::ifstream in(library("good_engine"), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    patch(bytes);
    const auto file = dir_.write("plugins/" + name, bytes);
    ::chmod(file.c_str(), 0644);
    return file;
  };
  const auto arm32 = elf("arm32.so", [](std::string& b) { b[4] = 1; });  // ELFCLASS32
  const auto riscv = elf("riscv.so", [](std::string& b) {
    b[18] = static_cast<char>(243);  // e_machine EM_RISCV
    b[19] = 0;
  });
  PluginHost host;
  auto report = host.loadDirectories({plugins()});
  // Test executables are position-independent (ET_DYN) like libraries: dlopen refuses them.
  EXPECT_EQ(refusal(report, self).rfind("cannot load the library: ", 0), 0u) << describe(report);
  EXPECT_EQ(refusal(report, arm32), "not a 64-bit library");
  EXPECT_EQ(refusal(report, riscv).rfind("built for another architecture (ELF machine 243", 0), 0u)
      << describe(report);
}

TEST_F(PluginHostTest, CheckValidatesWithoutKeepingTheLibraryLoaded) {
  const auto good = add("good_platform");
  auto result = PluginHost::check(good);
  ASSERT_TRUE(result.ok()) << *result.refusal;
  EXPECT_EQ(result.plugin->manifest.id, "test_os");
  EXPECT_EQ(result.plugin->file, good);
  EXPECT_FALSE(isLoaded(good));

  const auto bad = add("wrong_abi");
  result = PluginHost::check(bad);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.refusal->rfind("ABI tag mismatch", 0), 0u) << *result.refusal;
  EXPECT_FALSE(isLoaded(bad));

  EXPECT_EQ(*PluginHost::check(dir_.path("plugins/none.so")).refusal,
            "cannot read its permissions: No such file or directory");
}

TEST_F(PluginHostTest, CheckCanIgnorePermissionsOfAFileAboutToBeCopied) {
  const auto file = add("good_platform");
  ASSERT_EQ(::chmod(file.c_str(), 0666), 0);
  EXPECT_FALSE(PluginHost::check(file).ok());
  EXPECT_TRUE(PluginHost::check(file, false).ok());
}

TEST_F(PluginHostTest, ObjectsKeepTheirLibraryLoadedAfterTheHostIsGone) {
  const auto file = add("good_engine");
  std::shared_ptr<plugin::Engine> engine;
  {
    PluginHost host;
    auto report = host.loadFile(file);
    ASSERT_EQ(report.loaded.size(), 1u) << describe(report);
    engine = host.engineFor("test.echo");
  }
  ASSERT_TRUE(engine);
  EXPECT_TRUE(isLoaded(file));
  RecordingContext context;
  runEngine(*engine, request("test.echo", 1), context);  // code in the library, still mapped
  ASSERT_EQ(context.results.size(), 1u);
  EXPECT_EQ(context.results[0].data["echo"], "hello");

  engine.reset();
  EXPECT_FALSE(isLoaded(file)) << "the last object gone, the library is unloaded";
}

TEST_F(PluginHostTest, PlatformOutlivesTheHost) {
  const auto file = add("good_platform");
  std::shared_ptr<const plugin::Platform> platform;
  std::weak_ptr<const plugin::Platform> weak;
  {
    PluginHost host;
    host.loadFile(file);
    platform = host.platform("test_os");
    weak = platform;
  }
  ASSERT_TRUE(platform);
  EXPECT_EQ(platform->assembleBackup({"hostname r1"}, plugin::SecretMode::Mask).config,
            "hostname r1");
  platform.reset();
  EXPECT_FALSE(isLoaded(file)) << "a weak_ptr must not hold the library";
  EXPECT_TRUE(weak.expired());
}

TEST_F(PluginHostTest, ThrowingEngineBecomesPluginErrorForItsUnreportedDevices) {
  PluginHost host;
  host.loadFile(add("good_engine"));
  auto engine = host.engineFor("test.throw");
  ASSERT_TRUE(engine);
  RecordingContext context;
  runEngine(*engine, request("test.throw", 3), context);
  ASSERT_EQ(context.results.size(), 3u);
  EXPECT_EQ(context.results[0].category, ErrorCategory::Ok);
  for (int i : {1, 2}) {
    EXPECT_EQ(context.results[i].category, ErrorCategory::PluginError);
    EXPECT_EQ(context.results[i].message, "the engine failed: engine exploded");
    EXPECT_EQ(context.results[i].device, "r" + std::to_string(i + 1));
  }
}

TEST_F(PluginHostTest, SilentEngineStillReportsEveryDevice) {
  PluginHost host;
  host.loadFile(add("good_engine"));
  RecordingContext context;
  runEngine(*host.engineFor("test.silent"), request("test.silent", 2), context);
  ASSERT_EQ(context.results.size(), 2u);
  EXPECT_EQ(context.results[0].category, ErrorCategory::PluginError);
  EXPECT_EQ(context.results[0].message,
            "the engine for 'test.silent' returned without a result for it");
}

TEST_F(PluginHostTest, ThrowingValidateBecomesAProblem) {
  PluginHost host;
  host.loadFile(add("good_engine"));
  auto engine = host.engineFor("test.echo");
  EXPECT_EQ(validateEngine(*engine, "test.echo", {}), "text: missing");
  EXPECT_EQ(validateEngine(*engine, "test.echo", {{"text", "x"}}), std::nullopt);
  EXPECT_EQ(validateEngine(*engine, "test.throw", {}),
            "the engine failed to validate the parameters: validate exploded");
}

TEST(DefaultPluginDirTest, NextToTheExecutable) {
  // Test executables are built into <build>/bin, as netspine is: the default is the build's
  // plugin folder.
  EXPECT_EQ(fs::path(defaultPluginDir()), fs::path(NETSPINE_BUILD_PLUGIN_DIR).lexically_normal());
}

// The platform plugins netspine builds, loaded through the host from where the build puts them.
TEST(BuiltPluginsTest, PlatformPluginsLoad) {
  PluginHost host;
  auto report = host.loadDirectories({NETSPINE_BUILD_PLUGIN_DIR});
  EXPECT_TRUE(report.refused.empty()) << describe(report);
  for (const char* id : {"cisco_ios", "juniper_junos", "arista_eos"}) {
    auto platform = host.platform(id);
    ASSERT_TRUE(platform) << id << " not loaded from " << NETSPINE_BUILD_PLUGIN_DIR << "\n"
                          << describe(report);
    EXPECT_EQ(platform->spec().id, id);
    EXPECT_FALSE(platform->spec().backup.empty()) << id;
  }
}

}  // namespace
}  // namespace netspine::infra
