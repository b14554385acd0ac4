// Batch engines (NETSPINE_ENGINE_BATCH): the worker hands the tasks of one run to the engine
// together, and JobResultService keeps a runtime status per device and check.

#include <fmt/format.h>

#include <map>
#include <set>

#include "job_fixture.hpp"

namespace netspine::test {
namespace {

using domain::DeviceStatus;
using domain::RunState;
using domain::TaskState;

/// A string value of a task's data (a JSON object of strings).
std::string dataValue(const domain::Task& t, const std::string& key) {
  const std::string needle = "\"" + key + "\":\"";
  auto at = t.data.find(needle);
  if (at == std::string::npos) return {};
  at += needle.size();
  return t.data.substr(at, t.data.find('"', at) - at);
}

std::vector<std::string> addDevices(JobTest& test, const std::string& prefix, int n,
                                    const std::function<domain::Device(const std::string&)>& add) {
  (void)test;
  std::vector<std::string> names;
  for (int i = 0; i < n; ++i) {
    names.push_back(fmt::format("{}{:03}", prefix, i));
    add(names.back());
  }
  return names;
}

class BatchTest : public JobTest {
 protected:
  std::vector<std::string> devices(const std::string& prefix, int n) {
    return addDevices(*this, prefix, n, [&](const std::string& name) { return addDevice(name); });
  }

  std::map<std::string, domain::DeviceRuntime> runtimeOf(const std::string& device) {
    auto id = *inventory_->begin()->devices().findByName(device);
    std::map<std::string, domain::DeviceRuntime> out;
    for (auto& row : jobs_->begin()->runtime(id.id)) out.emplace(row.check, row);
    return out;
  }
};

TEST_F(BatchTest, TheEngineGetsTheTasksOfARunInBatchesUpToItsSize) {
  ASSERT_EQ(catalog_.maxBatch("test_batch"), 50u);
  ASSERT_EQ(catalog_.maxBatch("test_read"), 1u);
  const auto names = devices("d", 120);
  auto job = submit("test_batch", names);
  drain(2);
  EXPECT_EQ(run(job.run.id).state, RunState::Succeeded);
  const auto all = tasks(job.run.id);
  ASSERT_EQ(all.size(), 120u);
  // Every batch is named by its first device: the tasks naming it are exactly the batch.
  std::map<std::string, std::size_t> members;
  std::map<std::string, std::size_t> sizes;
  std::size_t largest = 0;
  for (const auto& t : all) {
    EXPECT_EQ(t.category, "ok") << t.device;
    const auto first = dataValue(t, "batch_first");
    const auto size = std::stoul(dataValue(t, "batch_size"));
    EXPECT_LE(size, 50u) << t.device;
    ++members[first];
    sizes[first] = size;
    largest = std::max(largest, size);
  }
  for (const auto& [first, n] : members) EXPECT_EQ(n, sizes[first]) << "batch of " << first;
  EXPECT_GT(largest, 1u) << "no task ran in a batch";
  EXPECT_LT(members.size(), 120u);
}

TEST_F(BatchTest, BatchesNeverMixRunsAndOneDeviceEngineStaysOneDevicePerRequest) {
  const auto a = devices("a", 30);
  const auto b = devices("b", 30);
  auto runA = submit("test_batch", a);
  auto runB = submit("test_batch", b);
  auto single = submit("test_read", {a[0], a[1], a[2]});
  drain(2);
  for (const auto& [run, prefix] : {std::pair{runA.run.id, 'a'}, std::pair{runB.run.id, 'b'}}) {
    for (const auto& t : tasks(run)) {
      EXPECT_EQ(t.category, "ok");
      EXPECT_EQ(dataValue(t, "batch_first").at(0), prefix) << t.device << " " << t.data;
    }
  }
  for (const auto& t : tasks(single.run.id)) {
    EXPECT_EQ(dataValue(t, "batch_size"), "1") << t.device;
    EXPECT_EQ(dataValue(t, "batch_first"), t.device);
  }
}

TEST_F(BatchTest, StatusIsRecheckedPerDeviceOfABatch) {
  const auto names = devices("s", 20);
  auto job = submit("test_batch", names);
  setStatus("s003", DeviceStatus::Failed);
  setStatus("s017", DeviceStatus::Decommissioning);
  drain(2);
  for (const auto& t : tasks(job.run.id)) {
    if (t.device == "s003" || t.device == "s017") {
      EXPECT_EQ(t.state, TaskState::Skipped) << t.device;
      EXPECT_EQ(t.category, "policy_skipped");
      EXPECT_EQ(dataValue(t, "batch_size"), "") << "the engine never saw " << t.device;
    } else {
      EXPECT_EQ(t.category, "ok") << t.device;
    }
  }
}

TEST_F(BatchTest, ABatchPastItsTimeLimitEndsEveryTaskAsTimeout) {
  const auto names = devices("t", 5);
  settings.taskTimeout = std::chrono::milliseconds(200);
  settings.maxAttempts = 1;
  auto job = submit("test_batch", names, {{"delay_ms", "60000"}});
  drain(1);
  for (const auto& t : tasks(job.run.id)) {
    EXPECT_EQ(t.category, "timeout") << t.device;
    EXPECT_EQ(t.state, TaskState::Done);
  }
  EXPECT_EQ(run(job.run.id).state, RunState::Failed);
}

TEST_F(BatchTest, AStoppedWorkerGivesTheWholeBatchBack) {
  const auto names = devices("r", 10);
  auto job = submit("test_batch", names, {{"delay_ms", "60000"}});
  {
    auto w = startWorker("w", 1);
    ASSERT_TRUE(eventually([&] {
      std::size_t running = 0;
      for (const auto& t : tasks(job.run.id)) running += t.state == TaskState::Running;
      return running == 10;
    }));
  }  // stops the worker
  for (const auto& t : tasks(job.run.id)) {
    EXPECT_EQ(t.state, TaskState::Queued) << t.device;
    EXPECT_EQ(t.attempts, 0) << t.device;
  }
}

TEST_F(BatchTest, ChecksKeepARuntimeStatusEachAndTheLogSaysWhatChanged) {
  const auto names = devices("c", 3);
  settings.maxAttempts = 3;
  auto first = submit("test_batch", names, {{"down", "c001"}});
  drain(1);
  {
    const auto t = tasks(first.run.id);
    EXPECT_EQ(t.at(1).category, "timeout");
    EXPECT_EQ(t.at(1).attempts, 1) << "a measured result is an answer, not retried";
    auto up = runtimeOf("c000");
    ASSERT_TRUE(up.count("probe"));
    EXPECT_TRUE(up["probe"].up);
    EXPECT_EQ(up["probe"].latencyUs, 250);
    EXPECT_FALSE(up["probe"].lastSeen.empty());
    auto down = runtimeOf("c001");
    ASSERT_TRUE(down.count("probe"));
    EXPECT_FALSE(down["probe"].up);
    EXPECT_EQ(down["probe"].lastError, "timeout: no reply");
    EXPECT_TRUE(down["probe"].lastSeen.empty());
    ASSERT_TRUE(down.count("test_batch")) << "the job kind keeps its row too";
    EXPECT_FALSE(down["test_batch"].up);
    for (const auto& line : log(first.run.id)) {
      EXPECT_EQ(line.message.find("went down"), std::string::npos) << "nothing known before";
    }
  }
  auto second = submit("test_batch", names, {{"down", "c000"}});
  drain(1);
  std::map<std::string, std::string> changes;
  for (const auto& line : log(second.run.id)) {
    if (line.message.find("probe went down") != std::string::npos ||
        line.message.find("probe came back up") != std::string::npos) {
      changes[line.device] = line.message;
    }
  }
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_NE(changes["c000"].find("probe went down: timeout: no reply; last seen up 20"),
            std::string::npos)
      << changes["c000"];
  EXPECT_NE(changes["c001"].find("probe came back up (250 µs); it was down (timeout: no reply), "
                                 "last seen up never"),
            std::string::npos)
      << changes["c001"];
  EXPECT_FALSE(runtimeOf("c000")["probe"].up);
  EXPECT_FALSE(runtimeOf("c000")["probe"].lastSeen.empty()) << "last seen kept across a failure";
  EXPECT_TRUE(runtimeOf("c001")["probe"].up);
}

}  // namespace
}  // namespace netspine::test
