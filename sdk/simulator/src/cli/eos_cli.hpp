#pragma once
// The Arista EOS CLI: the IOS-like exec and configuration modes with EOS's messages, plus
// configuration sessions (configure session, show session-config diffs, commit, abort).

#include "ios_cli.hpp"

namespace netspine::sim {

class EosCli : public IosCli {
 public:
  explicit EosCli(std::shared_ptr<SimulatedDevice> device);

 protected:
  Reply runCommand(int id, const CommandTable::Match& match,
                   const std::vector<Pipe>& pipes) override;
  Reply configLine(std::string_view line) override;
  Reply errorReply(const CommandTable::Error& error, std::string_view line, bool execMode) override;
  void editConfig(const SimulatedDevice::Edit& edit) override;
  std::string configMode() const override;
  Reply enterConfig() override;
  Reply leaveConfig() override;
  Reply terminalLength(std::size_t lines) override;
  Reply terminalWidth(std::size_t columns) override;
  Reply saveConfig() override;
  Reply denied() override;

 private:
  Reply commitSession(std::optional<std::chrono::seconds> timer);
  std::string sessionDiffs();

  std::string session_;  // the configuration session this shell is in, or empty
};

}  // namespace netspine::sim
