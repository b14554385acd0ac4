#pragma once
// The Juniper Junos CLI: operational mode, configuration mode on a shared or private
// candidate, show | compare, commit (check, confirmed, and-quit), rollback.

#include "shell_session.hpp"

namespace netspine::sim {

class JunosCli : public ShellSession {
 public:
  explicit JunosCli(std::shared_ptr<SimulatedDevice> device);

 protected:
  std::string banner() override;
  std::string prompt() override;
  Reply execute(std::string_view line) override;
  Reply interrupt() override { return {}; }
  bool otherKeyQuitsPager() const override { return false; }

 private:
  Reply operational(std::string_view line);
  Reply configuration(std::string_view line);
  Reply syntaxError(const CommandTable::Error& error, bool firstWordUnknown);
  Reply caret(std::size_t column, const std::string& message);
  // A configuration (or the part at `path`) as 'show configuration' prints it, through pipes.
  Reply showConfig(const ConfigTree& tree, std::vector<std::string> path,
                   const std::vector<Pipe>& pipes, bool header);
  Reply commit(const std::string& arguments);
  Reply leaveConfiguration();
  Reply enterConfiguration(bool privateCandidate);

  ConfigTree candidate();
  void editCandidate(const SimulatedDevice::Edit& edit);
  bool candidateChanged();

  bool config_ = false;
  std::optional<ConfigTree> private_;  // 'configure private': this session's own candidate
  std::vector<std::string> editPath_;  // words of the 'edit' level, [edit ...]
};

}  // namespace netspine::sim
