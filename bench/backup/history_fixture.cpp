// Builds the fixture of the history and diff benchmark (history_bench.sh): a migrated SQLite
// database and a backup repository with COMMITS commits, written the way netspine writes them
// (GitConfigStore commits, one revision row per changed device). Device r1 changes in every
// commit; nine other devices change in turn, so the repository has ten files.
//
//   netspine_history_fixture DIR COMMITS

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "application/config_service.hpp"
#include "infra/database.hpp"
#include "infra/git_config_store.hpp"
#include "infra/migrations.hpp"
#include "infra/sql_job_store.hpp"
#include "infra/sql_store.hpp"

using namespace netspine;

namespace {

/// About 50 KB of configuration, with `version` in one interface description.
std::string configText(const std::string& device, int version) {
  std::string text = "hostname " + device + "\n!\n";
  for (int i = 0; i < 1000; ++i) {
    text += "interface GigabitEthernet1/0/" + std::to_string(i) + "\n description port " +
            std::to_string(i) + (i == 500 ? " v" + std::to_string(version) : "") +
            "\n switchport\n!\n";
  }
  return text + "end\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s DIR COMMITS\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const int commits = std::stoi(argv[2]);
  infra::Database db(dir + "/netspine.db");
  infra::Migrator(db).migrate();
  infra::SqlStore inventory(db);
  infra::SqlJobStore jobs(db);
  std::vector<app::Id> ids;
  {
    auto uow = inventory.begin();
    const auto lab = uow->areas().insert({0, "lab", std::nullopt, ""});
    for (int i = 1; i <= 10; ++i) {
      app::Device d;
      d.name = "r" + std::to_string(i);
      d.address = "127.0.0.1";
      d.platform = "cisco_ios";
      d.areaId = lab;
      d.status = app::DeviceStatus::Active;
      d.version = 1;
      d.createdAt = d.updatedAt = "2026-11-27T00:00:00.000Z";
      ids.push_back(uow->devices().insert(d));
    }
    uow->commit();
  }
  auto repo = infra::GitConfigStore::open(dir + "/configs");
  const auto start = std::chrono::steady_clock::now();
  std::vector<app::ConfigRevision> rows;
  for (int c = 1; c <= commits; ++c) {
    std::vector<infra::GitConfigStore::ConfigFile> files;
    std::vector<int> devices = {0};
    if (c <= 10 || c % 10 != 0) devices.push_back(c % 10 == 0 ? 9 : c % 10);
    if (c == 1) devices = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    for (int d : devices) {
      const auto name = "r" + std::to_string(d + 1);
      files.push_back({"lab/" + name + ".cfg", configText(name, c)});
    }
    const auto id = repo.commit(
        files, "netspine", "netspine@localhost",
        "backup run " + std::to_string(c) + ": " + std::to_string(files.size()) + " changed");
    for (std::size_t i = 0; i < files.size(); ++i) {
      app::ConfigRevision r;
      r.deviceId = ids[devices[i]];
      r.path = files[i].path;
      r.commit = id.value_or("");
      r.storedAt = "2026-11-27T00:00:00.000Z";
      r.bytes = static_cast<std::int64_t>(files[i].content.size());
      r.sha256 = app::sha256Hex(files[i].content);
      r.runId = c;
      rows.push_back(std::move(r));
    }
    if (rows.size() >= 5000 || c == commits) {
      auto txn = jobs.begin();
      txn->insertConfigs(rows);
      txn->commit();
      rows.clear();
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%d commits in %.1f s (%.2f ms each)\n", commits, seconds, seconds * 1000 / commits);
  return 0;
}
