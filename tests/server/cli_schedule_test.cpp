// netspine schedule list: the config file's schedules and their next fire times, at a fixed time.

#include <stdlib.h>

#include "cli_fixture.hpp"

namespace netspine::cli::testing {
namespace {

constexpr const char* kSchedules = R"(schedules:
  - name: nightly-backup
    kind: backup
    select: status=active area=dc1
    cron: "30 2 * * *"
    timezone: Europe/Zurich
    parameters:
      keep: 30
  - name: reach
    kind: check
    devices: [r1, r2]
    every: 1h30m
  - name: feb30
    kind: backup
    devices: [r1]
    cron: "0 0 30 2 *"
)";

// The night Zurich moves from +0100 to +0200 (2026-03-29, 02:00 -> 03:00).
constexpr const char* kBeforeDst = "2026-03-27T12:00:00Z";

class CliScheduleTest : public ::testing::Test {
 protected:
  void SetUp() override { unsetenv("NETSPINE_CONFIG"); }

  CliResult list(std::vector<std::string> extra, const char* config = kSchedules) {
    std::vector<std::string> args{"--config", dir_.write("netspine.yaml", config), "schedule",
                                  "list"};
    args.insert(args.end(), extra.begin(), extra.end());
    return runNetspine(args);
  }

  TempFolder dir_;
};

TEST_F(CliScheduleTest, ListsNextFireTimesInEachZoneAcrossDst) {
  auto r = list({"--from", kBeforeDst});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.err, "");
  // 02:30 does not exist on 2026-03-29 in Zurich: that run fires at the change, 03:00 +0200.
  EXPECT_EQ(
      r.out,
      R"(NAME            KIND    TARGET                         WHEN                             NEXT
nightly-backup  backup  select status=active area=dc1  cron '30 2 * * *' Europe/Zurich  2026-03-28 02:30 +0100
                                                                                        2026-03-29 03:00 +0200
                                                                                        2026-03-30 02:30 +0200
reach           check   devices r1,r2                  every 1h30m                      2026-03-27 13:30 +0000
                                                                                        2026-03-27 15:00 +0000
                                                                                        2026-03-27 16:30 +0000
feb30           backup  devices r1                     cron '0 0 30 2 *' UTC            never
)");
}

TEST_F(CliScheduleTest, CountSetsHowManyFireTimes) {
  auto r = list({"--from", "2026-10-24T23:00:00+00:00", "--count", "2"});
  ASSERT_EQ(r.code, 0) << r;
  const auto out = lines(r.out);
  ASSERT_EQ(out.size(), 6u) << r;  // header, 2 + 2 + 1 (never)
  // Back to +0100 on 2026-10-25 at 03:00.
  EXPECT_TRUE(out[1].ends_with("2026-10-25 02:30 +0200")) << out[1];
  EXPECT_TRUE(out[2].ends_with("2026-10-26 02:30 +0100")) << out[2];
  EXPECT_TRUE(out[3].starts_with("reach ")) << out[3];
}

TEST_F(CliScheduleTest, JsonHasTheScheduleAndRfc3339FireTimes) {
  auto r = list({"--json", "--from", kBeforeDst});
  ASSERT_EQ(r.code, 0) << r;
  auto items = parseArray(r.out);
  ASSERT_EQ(items->size(), 3u);

  auto nightly = items->getObject(0);
  EXPECT_EQ(nightly->getValue<std::string>("name"), "nightly-backup");
  EXPECT_EQ(nightly->getValue<std::string>("kind"), "backup");
  EXPECT_EQ(nightly->getValue<std::string>("select"), "status=active area=dc1");
  EXPECT_FALSE(nightly->has("devices"));
  EXPECT_EQ(nightly->getValue<std::string>("cron"), "30 2 * * *");
  EXPECT_EQ(nightly->getValue<std::string>("timezone"), "Europe/Zurich");
  EXPECT_FALSE(nightly->has("every"));
  EXPECT_EQ(nightly->getObject("parameters")->getValue<std::string>("keep"), "30");
  auto next = nightly->getArray("next");
  ASSERT_EQ(next->size(), 3u);
  EXPECT_EQ(next->getElement<std::string>(0), "2026-03-28T02:30:00+01:00");
  EXPECT_EQ(next->getElement<std::string>(1), "2026-03-29T03:00:00+02:00");
  EXPECT_EQ(next->getElement<std::string>(2), "2026-03-30T02:30:00+02:00");

  auto reach = items->getObject(1);
  EXPECT_FALSE(reach->has("select"));
  auto devices = reach->getArray("devices");
  ASSERT_EQ(devices->size(), 2u);
  EXPECT_EQ(devices->getElement<std::string>(1), "r2");
  EXPECT_EQ(reach->getValue<std::string>("every"), "1h30m");
  EXPECT_EQ(reach->getValue<int>("every_seconds"), 5400);
  EXPECT_FALSE(reach->has("cron"));
  EXPECT_EQ(reach->getArray("next")->getElement<std::string>(0), "2026-03-27T13:30:00+00:00");

  auto never = items->getObject(2);
  EXPECT_EQ(never->getArray("next")->size(), 0u);
  EXPECT_EQ(never->getValue<std::string>("timezone"), "UTC");
}

TEST_F(CliScheduleTest, NoSchedulesGiveAnEmptyList) {
  auto r = list({}, "data_dir: x\n");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "NAME  KIND  TARGET  WHEN  NEXT\n");
  r = list({"--json"}, "data_dir: x\n");
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "[]\n");
}

TEST_F(CliScheduleTest, WithoutFromTheTimesAreAfterNow) {
  auto r = list({"--json", "--count", "1"});
  ASSERT_EQ(r.code, 0) << r;
  auto first = parseArray(r.out)->getObject(1)->getArray("next")->getElement<std::string>(0);
  EXPECT_GT(first, "2026-01-01") << first;  // not the fixed --from times of the other tests
}

TEST_F(CliScheduleTest, BadOptionsAreUsageErrors) {
  for (const auto& extra : std::vector<std::vector<std::string>>{
           {"--count", "-1"}, {"--count", "1001"}, {"--from", "yesterday"}, {"--from", "2026"}}) {
    auto r = list(extra);
    EXPECT_EQ(r.code, kExitUsage) << r;
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(r.err.starts_with("netspine: error: ")) << r;
  }
  auto r = list({"--from", "yesterday"});
  EXPECT_NE(r.err.find("--from: expected a time such as 2026-03-29T00:00:00Z"), std::string::npos)
      << r;
}

TEST_F(CliScheduleTest, AnInvalidScheduleIsRefusedWithFileAndLine) {
  auto r = list({},
                "schedules:\n  - name: a\n    kind: backup\n    devices: [r1]\n"
                "    cron: '0 24 * * *'\n");
  EXPECT_EQ(r.code, kExitValidation) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("netspine.yaml:5: schedules[0].cron: '0 24 * * *': hour: 24 is out of "
                       "range 0-23"),
            std::string::npos)
      << r;
}

}  // namespace
}  // namespace netspine::cli::testing
