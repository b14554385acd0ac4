// The built `netspine` executable, run as a separate process: exit codes, and results on stdout
// apart from errors on stderr.

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <thread>

#include "cli_fixture.hpp"

namespace netspine::cli::testing {
namespace {

class ServerBinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* binary = std::getenv("NETSPINE_BINARY");
    ASSERT_TRUE(binary && *binary)
        << "NETSPINE_BINARY must name the built netspine (ctest sets it)";
    binary_ = binary;
    ASSERT_TRUE(fs::exists(binary_)) << binary_;
    db_ = dir_.path("netspine.db");
  }

  CliResult exec(std::vector<std::string> args) {
    Poco::Pipe out, err;
    auto handle = Poco::Process::launch(binary_, args, nullptr, &out, &err);
    CliResult r;
    // Both pipes are drained at once, so a child that fills one cannot block on it.
    std::thread errReader([&] {
      Poco::PipeInputStream errStream(err);
      Poco::StreamCopier::copyToString(errStream, r.err);
    });
    Poco::PipeInputStream outStream(out);
    Poco::StreamCopier::copyToString(outStream, r.out);
    errReader.join();
    r.code = handle.wait();
    return r;
  }

  CliResult execDb(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    return exec(args);
  }

  std::string binary_;
  TempFolder dir_;
  std::string db_;
};

TEST_F(ServerBinaryTest, VersionGoesToStdout) {
  auto r = exec({"--version"});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out.rfind("netspine ", 0), 0u) << r;
  EXPECT_EQ(r.err, "");
}

TEST_F(ServerBinaryTest, UsageErrorGoesToStderrWithExitCode2) {
  auto r = exec({"frobnicate"});
  EXPECT_EQ(r.code, 2) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("netspine: error: unknown command 'frobnicate'", 0), 0u) << r;
}

TEST_F(ServerBinaryTest, ExitCodesOfAWholeSession) {
  ASSERT_EQ(execDb({"migrate"}).code, 0);
  auto r = execDb({"area", "add", "dc1"});
  ASSERT_EQ(r.code, 0) << r;

  r = execDb({"device", "add", "r1", "--address", "999.1.1.1", "--platform", "cisco_ios", "--area",
              "dc1"});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("address"), std::string::npos) << r;

  r = execDb(
      {"device", "add", "r1", "--address", "10.0.0.1", "--platform", "cisco_ios", "--area", "dc1"});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.err, "");

  r = execDb({"device", "show", "ghost"});
  EXPECT_EQ(r.code, 4) << r;
  EXPECT_EQ(r.out, "");

  r = execDb({"--json", "device", "list"});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(parseArray(r.out)->size(), 1u);

  r = exec({"--db", "postgresql://u:hunter2pw@127.0.0.1:1/x", "device", "list"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.find("hunter2pw"), std::string::npos) << r;
}

}  // namespace
}  // namespace netspine::cli::testing
