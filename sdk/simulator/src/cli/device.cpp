// The public entry points of the CLI half: names, sessions, exec, NETCONF hello, login banner.

#include <netspine/sim/device.hpp>

#include <array>
#include <stdexcept>
#include <utility>

#include "eos_cli.hpp"
#include "ios_cli.hpp"
#include "junos_cli.hpp"
#include "text_util.hpp"

namespace netspine::sim {

namespace {

constexpr std::array<std::pair<Fault, const char*>, 15> kFaultNames = {{
    {Fault::WrongPassword, "wrong_password"},
    {Fault::SlowBanner, "slow_banner"},
    {Fault::HangAfterLogin, "hang_after_login"},
    {Fault::DisconnectMidOutput, "disconnect_mid_output"},
    {Fault::Trickle, "trickle"},
    {Fault::HostKeyChanges, "host_key_changes"},
    {Fault::ConnectionRefused, "connection_refused"},
    {Fault::ConnectionReset, "connection_reset"},
    {Fault::MaxSessions, "max_sessions"},
    {Fault::EndlessPaging, "endless_paging"},
    {Fault::Garbage, "garbage"},
    {Fault::HugeConfig, "huge_config"},
    {Fault::CommandErrors, "command_errors"},
    {Fault::TruncatedConfig, "truncated_config"},
    {Fault::DropAfterCommitConfirmed, "drop_after_commit_confirmed"},
}};

std::shared_ptr<SimulatedDevice> simulated(const std::shared_ptr<DeviceState>& device) {
  auto simulated = std::dynamic_pointer_cast<SimulatedDevice>(device);
  if (!simulated) throw std::invalid_argument("device state was not made by DeviceState::create");
  return simulated;
}

std::unique_ptr<ShellSession> makeSession(std::shared_ptr<SimulatedDevice> device) {
  switch (device->profile().os) {
    case OsKind::CiscoIos:
      return std::make_unique<IosCli>(std::move(device));
    case OsKind::JuniperJunos:
      return std::make_unique<JunosCli>(std::move(device));
    case OsKind::AristaEos:
      return std::make_unique<EosCli>(std::move(device));
  }
  return nullptr;
}

}  // namespace

const char* platformId(OsKind os) {
  switch (os) {
    case OsKind::CiscoIos:
      return "cisco_ios";
    case OsKind::JuniperJunos:
      return "juniper_junos";
    case OsKind::AristaEos:
      return "arista_eos";
  }
  return "";
}

std::optional<OsKind> parseOsKind(std::string_view id) {
  for (OsKind os : {OsKind::CiscoIos, OsKind::JuniperJunos, OsKind::AristaEos})
    if (id == platformId(os)) return os;
  return std::nullopt;
}

const char* toString(Fault fault) {
  for (const auto& [value, name] : kFaultNames)
    if (value == fault) return name;
  return "";
}

std::optional<Fault> parseFault(std::string_view text) {
  for (const auto& [value, name] : kFaultNames)
    if (text == name) return value;
  return std::nullopt;
}

std::unique_ptr<CliSession> openShell(std::shared_ptr<DeviceState> device) {
  return makeSession(simulated(device));
}

ExecResult runExec(DeviceState& device, std::string_view command) {
  auto* simulatedDevice = dynamic_cast<SimulatedDevice*>(&device);
  if (!simulatedDevice)
    throw std::invalid_argument("device state was not made by DeviceState::create");
  // A non-owning pointer: the session lives only for this call.
  std::shared_ptr<SimulatedDevice> borrowed(std::shared_ptr<SimulatedDevice>(), simulatedDevice);
  return makeSession(borrowed)->exec(command);
}

std::string netconfHello(const DeviceState& device, std::uint32_t sessionId) {
  std::string capabilities =
      "    <capability>urn:ietf:params:netconf:base:1.0</capability>\n"
      "    <capability>urn:ietf:params:netconf:base:1.1</capability>\n"
      "    <capability>urn:ietf:params:netconf:capability:candidate:1.0</capability>\n"
      "    <capability>urn:ietf:params:netconf:capability:validate:1.0</capability>\n";
  switch (device.profile().os) {
    case OsKind::JuniperJunos:
      capabilities +=
          "    <capability>urn:ietf:params:netconf:capability:confirmed-commit:1.0</capability>\n"
          "    "
          "<capability>urn:ietf:params:netconf:capability:url:1.0?scheme=http,ftp,file</"
          "capability>\n"
          "    <capability>urn:ietf:params:xml:ns:netconf:base:1.0</capability>\n"
          "    <capability>urn:ietf:params:xml:ns:netconf:capability:candidate:1.0</capability>\n"
          "    <capability>http://xml.juniper.net/netconf/junos/1.0</capability>\n"
          "    <capability>http://xml.juniper.net/dmi/system/1.0</capability>\n";
      break;
    case OsKind::AristaEos:
      capabilities +=
          "    <capability>urn:ietf:params:netconf:capability:writable-running:1.0</capability>\n"
          "    <capability>urn:ietf:params:netconf:capability:rollback-on-error:1.0</capability>\n"
          "    "
          "<capability>http://openconfig.net/yang/"
          "interfaces?module=openconfig-interfaces&amp;revision=2021-04-06</capability>\n"
          "    "
          "<capability>http://arista.com/yang/openconfig/interfaces/"
          "augments?module=arista-intf-augments&amp;revision=2021-05-10</capability>\n";
      break;
    case OsKind::CiscoIos:
      capabilities +=
          "    <capability>urn:ietf:params:netconf:capability:writable-running:1.0</capability>\n"
          "    <capability>urn:cisco:params:netconf:capability:pi-data-model:1.0</capability>\n";
      break;
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<hello xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\">\n  <capabilities>\n" +
         capabilities + "  </capabilities>\n  <session-id>" + std::to_string(sessionId) +
         "</session-id>\n</hello>\n]]>]]>";
}

std::string loginBanner(const DeviceProfile& profile) {
  const std::string warning =
      "WARNING: Unauthorized access to this system is forbidden and will be\n"
      "prosecuted by law. By accessing this system, you agree that your actions\n"
      "may be monitored if unauthorized usage is suspected.\n";
  switch (profile.os) {
    case OsKind::CiscoIos:
      return "\n****************************************************************************\n" +
             warning +
             "****************************************************************************\n\n";
    case OsKind::JuniperJunos:
      return warning + "\n";
    case OsKind::AristaEos:
      return "\n" + profile.name + " - authorized access only\n" + warning + "\n";
  }
  return warning;
}

}  // namespace netspine::sim
