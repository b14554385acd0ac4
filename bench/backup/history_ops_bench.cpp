// In-process: netspine's history, show and diff of one device on the fixture of
// history_fixture.cpp (HISTORY_FIXTURE=DIR), without the process start `netspine config …` pays.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "application/config_service.hpp"
#include "infra/git_config_archive.hpp"
#include "infra/sql_job_store.hpp"

using namespace netspine;

namespace {

struct Fixture {
  std::string dir;
  infra::SqlJobStore jobs;
  infra::GitConfigArchive archive;
  app::ConfigService service;
  std::string first;  // r1's oldest revision
  explicit Fixture(std::string d)
      : dir(std::move(d)),
        jobs(dir + "/netspine.db"),
        archive(dir + "/configs", {}, ""),
        service(jobs, archive) {
    first = service.history("r1", 1, static_cast<std::int64_t>(count()) - 1).at(0).commit;
  }
  std::size_t count() { return service.history("r1").size(); }
};

Fixture& fixture() {
  static Fixture f([] {
    const char* dir = std::getenv("HISTORY_FIXTURE");
    if (!dir) throw std::runtime_error("set HISTORY_FIXTURE to a folder history_fixture made");
    return std::string(dir);
  }());
  return f;
}

void BM_History50(benchmark::State& state) {
  auto& f = fixture();
  for (auto _ : state) benchmark::DoNotOptimize(f.service.history("r1", 50, 0));
}
void BM_ShowNewest(benchmark::State& state) {
  auto& f = fixture();
  for (auto _ : state) benchmark::DoNotOptimize(f.service.show("r1"));
}
void BM_DiffPreviousToNewest(benchmark::State& state) {
  auto& f = fixture();
  for (auto _ : state) benchmark::DoNotOptimize(f.service.diff("r1"));
}
void BM_DiffFirstToNewest(benchmark::State& state) {
  auto& f = fixture();
  for (auto _ : state) benchmark::DoNotOptimize(f.service.diff("r1", f.first));
}

}  // namespace

BENCHMARK(BM_History50)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ShowNewest)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DiffPreviousToNewest)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DiffFirstToNewest)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
