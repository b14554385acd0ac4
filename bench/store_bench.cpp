// In-process benchmarks of the SQLite store: bulk insert and list of N devices (default 100,000),
// the paths under `netspine import` and `netspine device list`. Run:
//   build/default/bench/netspine_store_bench --benchmark_repetitions=5
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <stdlib.h>

#include <filesystem>

#include "infra/migrations.hpp"
#include "infra/sql_store.hpp"

namespace netspine {
namespace {

std::vector<domain::Device> makeDevices(int n, domain::Id area) {
  std::vector<domain::Device> devices(n);
  for (int i = 0; i < n; ++i) {
    auto& d = devices[i];
    d.name = fmt::format("dev-{:06}", i);
    d.address = fmt::format("10.{}.{}.{}", i >> 16, (i >> 8) & 255, i & 255);
    d.platform = i % 2 ? "cisco_ios" : "arista_eos";
    d.areaId = area;
    d.status = i % 2 ? domain::DeviceStatus::Active : domain::DeviceStatus::Staged;
    d.role = "leaf";
    d.tags = {fmt::format("rack{}", i % 50), "prod"};
    d.version = 1;
    d.createdAt = d.updatedAt = "2026-11-27T10:00:00.000Z";
  }
  return devices;
}

/// A migrated SQLite database with one area, in a temporary folder.
struct BenchDatabase {
  BenchDatabase() {
    std::string pattern = (std::filesystem::temp_directory_path() / "netspine-bench-XXXXXX");
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    dir = pattern;
    db = std::make_unique<infra::Database>((dir / "bench.db").string());
    infra::Migrator(*db).migrate();
    store = std::make_unique<infra::SqlStore>(*db);
    auto uow = store->begin();
    area = uow->areas().insert({0, "dc1", std::nullopt, ""});
    uow->commit();
  }
  ~BenchDatabase() {
    store.reset();
    db.reset();
    std::filesystem::remove_all(dir);
  }
  std::filesystem::path dir;
  std::unique_ptr<infra::Database> db;
  std::unique_ptr<infra::SqlStore> store;
  domain::Id area = 0;
};

void BM_InsertMany(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    auto b = std::make_unique<BenchDatabase>();
    auto devices = makeDevices(static_cast<int>(state.range(0)), b->area);
    state.ResumeTiming();
    auto uow = b->store->begin();
    uow->devices().insertMany(devices);
    uow->commit();
    state.PauseTiming();  // removing the database is not part of the insert
    uow.reset();
    b.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_InsertMany)->Arg(100'000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ListByStatus(benchmark::State& state) {
  BenchDatabase b;
  auto devices = makeDevices(static_cast<int>(state.range(0)), b.area);
  {
    auto uow = b.store->begin();
    uow->devices().insertMany(devices);
    uow->commit();
  }
  app::DeviceFilter active;
  active.statuses = {domain::DeviceStatus::Active};
  std::size_t listed = 0;
  for (auto _ : state) {
    auto uow = b.store->begin();
    listed = uow->devices().list(active).size();
    benchmark::DoNotOptimize(listed);
  }
  state.counters["devices"] = static_cast<double>(listed);
}
BENCHMARK(BM_ListByStatus)->Arg(100'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace netspine

BENCHMARK_MAIN();
