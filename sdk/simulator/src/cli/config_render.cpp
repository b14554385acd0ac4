#include "config_render.hpp"

#include "cisco_config.hpp"
#include "junos_config.hpp"

namespace netspine::sim {

std::string renderBody(OsKind os, const ConfigTree& tree) {
  std::string out;
  out.reserve(countNodes(tree.nodes) * 48);
  switch (os) {
    case OsKind::CiscoIos:
      renderCisco(tree.nodes, 1, out);
      break;
    case OsKind::AristaEos:
      renderCisco(tree.nodes, 3, out);
      break;
    case OsKind::JuniperJunos:
      renderJunos(tree.nodes, 0, out);
      break;
  }
  return out;
}

std::string renderRunning(const DeviceProfile& profile, const DeviceFacts& facts,
                          const ConfigTree& tree, const RenderTimes& times) {
  std::string body = renderBody(profile.os, tree);
  std::string out;
  switch (profile.os) {
    case OsKind::CiscoIos: {
      std::string config = "!\n! Last configuration change at " + iosTime(times.now) + " by " +
                           profile.username + "\n! NVRAM config last updated at " +
                           iosTime(times.lastSave) + " by " + profile.username + "\n!\n" + body +
                           "end\n";
      out =
          strf("Building configuration...\n\nCurrent configuration : %zu bytes\n", config.size()) +
          config;
      break;
    }
    case OsKind::AristaEos:
      out = "! Command: show running-config\n! device: " + profile.name + " (" + facts.model +
            ", EOS-" + facts.osVersion + ")\n! Time: " + eosTime(times.now) + "\n!\n" + body +
            "end\n";
      break;
    case OsKind::JuniperJunos:
      out = "## Last commit: " + junosTime(times.now) + " by " + profile.username + "\n" + body;
      break;
  }
  if (profile.faults.count(Fault::TruncatedConfig)) out = truncateConfig(std::move(out));
  return out;
}

std::string renderStartup(const DeviceProfile& profile, const DeviceFacts& facts,
                          const ConfigTree& tree, const RenderTimes& times) {
  std::string body = renderBody(profile.os, tree);
  switch (profile.os) {
    case OsKind::CiscoIos: {
      std::string config = "!\n! Last configuration change at " + iosTime(times.lastSave) + " by " +
                           profile.username + "\n! NVRAM config last updated at " +
                           iosTime(times.lastSave) + " by " + profile.username + "\n!\n" + body +
                           "end\n";
      return strf("Using %zu out of 524288 bytes\n", config.size()) + config;
    }
    case OsKind::AristaEos:
      return "! Startup-config last modified at " + eosTime(times.lastSave) + " by " +
             profile.username + "\n! device: " + profile.name + " (" + facts.model + ", EOS-" +
             facts.osVersion + ")\n!\n" + body + "end\n";
    case OsKind::JuniperJunos:
      return "## Last commit: " + junosTime(times.lastSave) + " by " + profile.username + "\n" +
             body;
  }
  return body;
}

std::string truncateConfig(std::string text) {
  // Cut inside an open brace block (Junos) or a section (IOS/EOS), then half a line further.
  std::size_t cut = text.size() * 3 / 5;
  std::size_t open = text.find("{\n", cut);
  if (open != std::string::npos) cut = open + 2;
  std::size_t lineEnd = text.find('\n', cut);
  if (lineEnd != std::string::npos) cut += (lineEnd - cut) / 2 + 1;
  text.resize(std::min(cut, text.size()));
  return text;
}

}  // namespace netspine::sim
