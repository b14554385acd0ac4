#pragma once
// The one DeviceState implementation: configurations (running, startup, candidates, commit
// history, EOS sessions) behind a mutex, generated from the profile until first changed.

#include <deque>
#include <map>
#include <mutex>
#include <vector>

#include <netspine/sim/device.hpp>

#include "config_tree.hpp"
#include "device_facts.hpp"
#include "text_util.hpp"

namespace netspine::sim {

class SimulatedDevice final : public DeviceState {
 public:
  using Tree = std::shared_ptr<const ConfigTree>;
  using Edit = std::function<void(ConfigTree&)>;

  SimulatedDevice(DeviceProfile profile, Clock clock);

  const DeviceProfile& profile() const override { return profile_; }
  std::string runningConfig() const override;
  std::string startupConfig() const override;
  bool runningHasLine(std::string_view line) const override;

  [[nodiscard]] TimePoint now() const;
  [[nodiscard]] const DeviceFacts& facts() const { return facts_; }
  [[nodiscard]] std::chrono::seconds uptime() const;
  [[nodiscard]] std::string hostname() const;
  [[nodiscard]] bool hasFault(Fault fault) const { return profile_.faults.count(fault) > 0; }

  [[nodiscard]] Tree running() const;
  [[nodiscard]] Tree startup() const;
  // Changes the running configuration in place (IOS/EOS 'configure terminal').
  void editRunning(const Edit& edit);
  void saveStartup();  // 'write memory'

  // Replaces the running configuration (a commit). With `confirmWithin` the previous one comes
  // back unless confirmCommit() is called in time; `owner` names what made it (an EOS session).
  void commit(const ConfigTree& candidate,
              std::optional<std::chrono::seconds> confirmWithin = std::nullopt,
              std::string owner = {});
  // Confirms a pending commit confirmed; false when there was none.
  bool confirmCommit();
  [[nodiscard]] bool commitPending() const;
  // Rolls a pending commit confirmed back now, as if its time had run out; with `owner`, only
  // one committed by that owner. False when there was none to roll back.
  bool rollbackPending(std::string_view owner = {});
  // Junos 'rollback N': 0 is the running configuration; nullopt past the history.
  [[nodiscard]] std::optional<ConfigTree> rollback(std::size_t n) const;

  // The Junos shared candidate ('configure').
  [[nodiscard]] ConfigTree candidate() const;
  void editCandidate(const Edit& edit);
  void setCandidate(ConfigTree tree);
  void discardCandidate();
  [[nodiscard]] bool candidateChanged() const;

  // IOS/EOS flash: named configuration snapshots ('copy running-config flash:NAME').
  struct File {
    std::string name;
    std::size_t bytes = 0;  // the running configuration's size as printed when it was copied
    TimePoint saved;
  };
  // Stores the running configuration as file `name` (replacing one of that name).
  File saveRunningToFile(const std::string& name);
  // 'configure replace': the file's configuration becomes the running one at once; false when
  // there is no such file.
  bool replaceRunningFromFile(const std::string& name);
  bool deleteFile(const std::string& name);       // false when there is no such file
  [[nodiscard]] std::vector<File> files() const;  // by name

  // EOS configuration sessions, by name, device-wide as on EOS.
  [[nodiscard]] ConfigTree session(const std::string& name) const;
  void editSession(const std::string& name, const Edit& edit);
  void endSession(const std::string& name);
  [[nodiscard]] bool hasSession(const std::string& name) const;

 private:
  Tree runningLocked() const;
  ConfigTree& mutableRunningLocked();
  void expireLocked() const;
  void setRunningLocked(std::shared_ptr<ConfigTree> tree);
  void restorePendingLocked() const;

  const DeviceProfile profile_;
  const Clock clock_;
  const DeviceFacts facts_;
  const TimePoint started_;

  mutable std::mutex mutex_;
  // Null until first changed: the generated configuration stands in for it.
  mutable std::shared_ptr<ConfigTree> running_;
  mutable std::weak_ptr<const ConfigTree> generated_;  // shared by concurrent readers only
  mutable Tree hugeGenerated_;  // Fault::HugeConfig: kept, regenerating 20 MB per read is slow
  Tree startup_;
  mutable TimePoint lastSave_;
  mutable std::string hostname_;
  mutable std::deque<Tree> history_;  // [0] is the running configuration once committed
  struct Pending {
    TimePoint deadline;
    Tree previous;
    std::string owner;
  };
  mutable std::optional<Pending> pending_;
  mutable std::shared_ptr<ConfigTree> candidate_;  // null: same as running
  std::map<std::string, ConfigTree> sessions_;
  struct StoredFile {
    Tree tree;
    File info;
  };
  std::map<std::string, StoredFile> files_;
};

}  // namespace netspine::sim
