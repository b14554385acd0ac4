#pragma once
// The Cisco IOS CLI: user/privileged exec, 'enable', configure terminal with sections,
// write memory. The Arista EOS CLI (eos_cli.hpp) builds on it.

#include "cisco_config.hpp"
#include "shell_session.hpp"

namespace netspine::sim {

class IosCli : public ShellSession {
 public:
  explicit IosCli(std::shared_ptr<SimulatedDevice> device);

  // Exec-mode command ids; EOS adds its own above kFirstEosCommand.
  enum Command {
    kEnable,
    kDisable,
    kExit,
    kConfigureTerminal,
    kConfigure,
    kTerminalLength,
    kTerminalWidth,
    kTerminalOther,
    kShowRunning,
    kShowStartup,
    kShowVersion,
    kShowInventory,
    kShowClock,
    kShowInterfacesBrief,
    kShowPrivilege,
    kShowOther,
    kWriteMemory,
    kCopyRunStart,
    kCopyRunFile,            // copy running-config flash:NAME
    kConfigureReplace,       // configure replace flash:NAME
    kConfigureReplaceForce,  // ... force
    kDeleteFile,             // delete flash:NAME
    kDeleteFileForce,        // delete /force flash:NAME
    kDir,                    // dir [flash:]
    kQuiet,
    kEosConfigureSession = 100,
    kEosSessionCommit,
    kEosSessionAbort,
    kEosShowSessions
  };

 protected:
  IosCli(std::shared_ptr<SimulatedDevice> device, CiscoDialect dialect);

  std::string banner() override;
  std::string prompt() override;
  Reply execute(std::string_view line) override;
  Reply interrupt() override;
  Reply suspend() override;

  // Hooks where EOS differs.
  virtual const CommandTable& execTable() const;
  virtual Reply runCommand(int id, const CommandTable::Match& match,
                           const std::vector<Pipe>& pipes);
  virtual Reply configLine(std::string_view line);
  virtual Reply errorReply(const CommandTable::Error& error, std::string_view line, bool execMode);
  virtual void editConfig(const SimulatedDevice::Edit& edit);
  virtual std::string configMode() const;
  virtual Reply enterConfig();
  virtual Reply leaveConfig();
  virtual Reply terminalLength(std::size_t lines);
  virtual Reply terminalWidth(std::size_t columns);
  virtual Reply saveConfig();
  virtual Reply denied();  // a wrong enable secret

  // A show command's output through its pipes, with the content faults.
  Reply show(std::string text, const std::vector<Pipe>& pipes, std::string_view command);
  Reply invalidAt(std::size_t column);
  void askEnableSecret();

  // The flash files holding configuration snapshots, for rollbacks ('file prompt quiet': no
  // confirmation questions but configure replace's own).
  Reply copyRunningToFile(const std::string& destination);
  Reply configureReplace(const std::string& source, bool force);
  Reply replaceNow(const std::string& source);
  Reply deleteFile(const std::string& path);
  std::string directory();

  const CiscoDialect dialect_;
  bool privileged_;
  bool config_ = false;
  std::vector<std::string> context_;  // the configuration section the session is in
  int enableTries_ = 0;
};

}  // namespace netspine::sim
