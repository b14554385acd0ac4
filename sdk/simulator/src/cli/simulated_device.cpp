#include "simulated_device.hpp"

#include "config_generator.hpp"
#include "config_render.hpp"
#include "junos_config.hpp"

namespace netspine::sim {

namespace {

constexpr std::size_t kHistory = 50;  // Junos keeps rollback 0..49

std::string hostnameOf(OsKind os, const ConfigTree& tree, const std::string& fallback) {
  if (os == OsKind::JuniperJunos) {
    if (auto* system = junosFind(tree, {"system"}))
      for (const auto& node : *system)
        if (startsWith(node.text, "host-name ")) return node.text.substr(10);
    return fallback;
  }
  for (const auto& node : tree.nodes)
    if (startsWith(node.text, "hostname ")) return node.text.substr(9);
  return fallback;
}

}  // namespace

SimulatedDevice::SimulatedDevice(DeviceProfile profile, Clock clock)
    : profile_(std::move(profile)),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::system_clock::now(); })),
      facts_(deviceFacts(profile_)),
      started_(clock_()),
      lastSave_(started_ - facts_.uptimeAtStart / 2),
      hostname_(profile_.name) {}

TimePoint SimulatedDevice::now() const {
  return clock_();
}

std::chrono::seconds SimulatedDevice::uptime() const {
  return std::chrono::duration_cast<std::chrono::seconds>(now() - started_) + facts_.uptimeAtStart;
}

std::string SimulatedDevice::hostname() const {
  std::lock_guard lock(mutex_);
  expireLocked();
  return hostname_;
}

SimulatedDevice::Tree SimulatedDevice::runningLocked() const {
  expireLocked();
  if (running_) return running_;
  if (auto generated = generated_.lock()) return generated;
  auto generated = std::make_shared<const ConfigTree>(generateConfig(profile_));
  generated_ = generated;
  if (hasFault(Fault::HugeConfig)) hugeGenerated_ = generated;
  return generated;
}

ConfigTree& SimulatedDevice::mutableRunningLocked() {
  expireLocked();
  if (!running_)
    running_ = std::make_shared<ConfigTree>(*runningLocked());
  else if (running_.use_count() > 1)  // a reader or the history holds it: copy on write
    running_ = std::make_shared<ConfigTree>(*running_);
  return *running_;
}

void SimulatedDevice::setRunningLocked(std::shared_ptr<ConfigTree> tree) {
  running_ = std::move(tree);
  hostname_ = hostnameOf(profile_.os, *running_, profile_.name);
}

void SimulatedDevice::expireLocked() const {
  // The commit was not confirmed in time: the previous configuration comes back.
  if (pending_ && clock_() >= pending_->deadline) restorePendingLocked();
}

void SimulatedDevice::restorePendingLocked() const {
  auto previous = std::make_shared<ConfigTree>(*pending_->previous);
  pending_.reset();
  running_ = previous;
  hostname_ = hostnameOf(profile_.os, *running_, profile_.name);
  history_.push_front(running_);
  if (history_.size() > kHistory) history_.pop_back();
  candidate_.reset();
}

SimulatedDevice::Tree SimulatedDevice::running() const {
  std::lock_guard lock(mutex_);
  return runningLocked();
}

SimulatedDevice::Tree SimulatedDevice::startup() const {
  std::lock_guard lock(mutex_);
  if (startup_) return startup_;
  if (!running_) return runningLocked();  // unchanged since boot: the generated one
  if (auto generated = generated_.lock()) return generated;
  auto generated = std::make_shared<const ConfigTree>(generateConfig(profile_));
  generated_ = generated;
  return generated;
}

std::string SimulatedDevice::runningConfig() const {
  Tree tree;
  RenderTimes times;
  {
    std::lock_guard lock(mutex_);
    tree = runningLocked();
    times = {clock_(), lastSave_};
  }
  return renderRunning(profile_, facts_, *tree, times);
}

std::string SimulatedDevice::startupConfig() const {
  Tree tree = startup();
  TimePoint lastSave;
  {
    std::lock_guard lock(mutex_);
    lastSave = lastSave_;
  }
  return renderStartup(profile_, facts_, *tree, {now(), lastSave});
}

bool SimulatedDevice::runningHasLine(std::string_view line) const {
  Tree tree = running();
  if (profile_.os == OsKind::JuniperJunos && startsWith(trim(line), "set ")) {
    std::string set;
    renderJunosSet(tree->nodes, "set ", set);
    return textHasLine(set, line);
  }
  return textHasLine(renderBody(profile_.os, *tree), line);
}

void SimulatedDevice::editRunning(const Edit& edit) {
  std::lock_guard lock(mutex_);
  edit(mutableRunningLocked());
  hostname_ = hostnameOf(profile_.os, *running_, profile_.name);
}

void SimulatedDevice::saveStartup() {
  std::lock_guard lock(mutex_);
  startup_ = runningLocked();
  lastSave_ = clock_();
}

void SimulatedDevice::commit(const ConfigTree& candidate,
                             std::optional<std::chrono::seconds> confirmWithin, std::string owner) {
  std::lock_guard lock(mutex_);
  Tree previous = runningLocked();
  if (history_.empty()) history_.push_front(previous);
  setRunningLocked(std::make_shared<ConfigTree>(candidate));
  history_.push_front(std::make_shared<const ConfigTree>(candidate));
  if (history_.size() > kHistory) history_.pop_back();
  if (confirmWithin) {
    // A second 'commit confirmed' keeps the first configuration as the one to return to.
    Tree restore = pending_ ? pending_->previous : previous;
    pending_ = Pending{clock_() + *confirmWithin, restore, std::move(owner)};
  } else {
    pending_.reset();
  }
  lastSave_ = clock_();
}

bool SimulatedDevice::confirmCommit() {
  std::lock_guard lock(mutex_);
  expireLocked();
  const bool had = pending_.has_value();
  pending_.reset();
  return had;
}

bool SimulatedDevice::commitPending() const {
  std::lock_guard lock(mutex_);
  expireLocked();
  return pending_.has_value();
}

bool SimulatedDevice::rollbackPending(std::string_view owner) {
  std::lock_guard lock(mutex_);
  expireLocked();
  if (!pending_ || (!owner.empty() && pending_->owner != owner)) return false;
  restorePendingLocked();
  return true;
}

SimulatedDevice::File SimulatedDevice::saveRunningToFile(const std::string& name) {
  Tree tree;
  TimePoint now;
  {
    std::lock_guard lock(mutex_);
    tree = runningLocked();
    now = clock_();
  }
  // Sized as 'show running-config' prints it, without the lock: a huge one takes a while.
  File info{name, renderRunning(profile_, facts_, *tree, {now, now}).size(), now};
  std::lock_guard lock(mutex_);
  files_[name] = StoredFile{std::move(tree), info};
  return info;
}

bool SimulatedDevice::replaceRunningFromFile(const std::string& name) {
  std::lock_guard lock(mutex_);
  expireLocked();
  auto it = files_.find(name);
  if (it == files_.end()) return false;
  setRunningLocked(std::make_shared<ConfigTree>(*it->second.tree));
  // Our choice: a pending 'commit timer' is cancelled. The replaced configuration is what was
  // asked for last and is the new truth; a timer firing later would bring back an older one
  // behind the operator's back.
  pending_.reset();
  return true;
}

bool SimulatedDevice::deleteFile(const std::string& name) {
  std::lock_guard lock(mutex_);
  return files_.erase(name) > 0;
}

std::vector<SimulatedDevice::File> SimulatedDevice::files() const {
  std::lock_guard lock(mutex_);
  std::vector<File> out;
  for (const auto& [name, file] : files_) out.push_back(file.info);
  return out;
}

std::optional<ConfigTree> SimulatedDevice::rollback(std::size_t n) const {
  std::lock_guard lock(mutex_);
  if (n == 0) return *runningLocked();
  expireLocked();
  if (n < history_.size()) return *history_[n];
  return std::nullopt;
}

ConfigTree SimulatedDevice::candidate() const {
  std::lock_guard lock(mutex_);
  expireLocked();
  return candidate_ ? *candidate_ : *runningLocked();
}

void SimulatedDevice::editCandidate(const Edit& edit) {
  std::lock_guard lock(mutex_);
  expireLocked();
  if (!candidate_) candidate_ = std::make_shared<ConfigTree>(*runningLocked());
  edit(*candidate_);
}

void SimulatedDevice::setCandidate(ConfigTree tree) {
  std::lock_guard lock(mutex_);
  expireLocked();
  candidate_ = std::make_shared<ConfigTree>(std::move(tree));
}

void SimulatedDevice::discardCandidate() {
  std::lock_guard lock(mutex_);
  candidate_.reset();
}

bool SimulatedDevice::candidateChanged() const {
  std::lock_guard lock(mutex_);
  expireLocked();
  return candidate_ && *candidate_ != *runningLocked();
}

ConfigTree SimulatedDevice::session(const std::string& name) const {
  std::lock_guard lock(mutex_);
  if (auto it = sessions_.find(name); it != sessions_.end()) return it->second;
  return *runningLocked();
}

void SimulatedDevice::editSession(const std::string& name, const Edit& edit) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(name);
  if (it == sessions_.end()) it = sessions_.emplace(name, *runningLocked()).first;
  edit(it->second);
}

void SimulatedDevice::endSession(const std::string& name) {
  std::lock_guard lock(mutex_);
  sessions_.erase(name);
}

bool SimulatedDevice::hasSession(const std::string& name) const {
  std::lock_guard lock(mutex_);
  return sessions_.count(name) > 0;
}

std::shared_ptr<DeviceState> DeviceState::create(DeviceProfile profile, Clock clock) {
  return std::make_shared<SimulatedDevice>(std::move(profile), std::move(clock));
}

}  // namespace netspine::sim
