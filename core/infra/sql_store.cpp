#include "infra/sql_store.hpp"

#include <stdexcept>

#include "infra/sql_repositories.hpp"

namespace netspine::infra {

void requireRow(std::size_t affected, std::string_view what) {
  if (affected == 0) throw domain::NotFoundError(fmt::format("{} not found", what));
}

/// One transaction on the store's connection, holding the store for its lifetime.
class SqlUnitOfWork : public app::UnitOfWork {
 public:
  explicit SqlUnitOfWork(SqlStore& store, bool readOnly = false)
      : store_(store),
        lock_(acquire(store)),
        areas_(store.db_),
        platforms_(store.db_),
        devices_(store.db_),
        vlans_(store.db_),
        changes_(store.db_) {
    try {
      guarded("starting a transaction",
              [&] { readOnly ? store_.db_.beginRead() : store_.db_.begin(); });
    } catch (...) {
      store_.owner_ = std::thread::id();
      throw;
    }
  }

  ~SqlUnitOfWork() override {
    if (store_.db_.inTransaction()) {
      try {
        store_.db_.rollback();
      } catch (...) {  // a destructor must not throw; the connection reports it on next use
      }
    }
    store_.owner_ = std::thread::id();
  }

  app::AreaRepository& areas() override { return areas_; }
  app::PlatformRepository& platforms() override { return platforms_; }
  app::DeviceRepository& devices() override { return devices_; }
  app::VlanRepository& vlans() override { return vlans_; }
  app::ChangeLogRepository& changes() override { return changes_; }

  void commit() override {
    if (!store_.db_.inTransaction()) throw std::logic_error("unit of work already ended");
    guarded("committing a transaction", [&] { store_.db_.commit(); });
  }

 private:
  static std::unique_lock<std::mutex> acquire(SqlStore& store) {
    if (store.owner_.load() == std::this_thread::get_id())
      throw std::logic_error("a unit of work of this store is already open on this thread");
    std::unique_lock<std::mutex> lock(store.mutex_);
    store.owner_ = std::this_thread::get_id();
    return lock;
  }

  SqlStore& store_;
  std::unique_lock<std::mutex> lock_;
  SqlAreaRepository areas_;
  SqlPlatformRepository platforms_;
  SqlDeviceRepository devices_;
  SqlVlanRepository vlans_;
  SqlChangeLogRepository changes_;
};

SqlStore::SqlStore(Database& db) : db_(db) {}

SqlStore::SqlStore(std::string_view url) : owned_(std::make_unique<Database>(url)), db_(*owned_) {}

std::unique_ptr<app::UnitOfWork> SqlStore::begin() {
  return std::make_unique<SqlUnitOfWork>(*this);
}

std::unique_ptr<app::UnitOfWork> SqlStore::read() {
  return std::make_unique<SqlUnitOfWork>(*this, true);
}

}  // namespace netspine::infra
