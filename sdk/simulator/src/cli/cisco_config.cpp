#include "cisco_config.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "text_util.hpp"

namespace netspine::sim {

namespace {

using Words = std::vector<std::string>;

bool wordsStartWith(const Words& words, std::initializer_list<std::string_view> prefix) {
  if (words.size() < prefix.size()) return false;
  std::size_t i = 0;
  for (auto word : prefix)
    if (words[i++] != word) return false;
  return true;
}

// First words a global configuration line may start with; anything else is invalid input.
constexpr std::array<std::string_view, 62> kGlobalKeywords = {
    "aaa",          "access-list",   "alias",         "archive",
    "banner",       "boot",          "cdp",           "class-map",
    "clock",        "control-plane", "crypto",        "daemon",
    "default",      "dns",           "enable",        "errdisable",
    "event",        "hardware",      "hostname",      "interface",
    "ip",           "ipv6",          "key",           "license",
    "line",         "lldp",          "logging",       "mac",
    "management",   "monitor",       "mpls",          "ntp",
    "object-track", "platform",      "policy-map",    "power",
    "privilege",    "queue-monitor", "radius",        "radius-server",
    "redundancy",   "route-map",     "router",        "scheduler",
    "service",      "sflow",         "snmp-server",   "spanning-tree",
    "system",       "tacacs",        "tacacs-server", "track",
    "transceiver",  "username",      "version",       "vlan",
    "vrf",          "vtp",           "login",         "memory",
    "file",         "parser"};

bool isGlobalKeyword(std::string_view word) {
  return std::find(kGlobalKeywords.begin(), kGlobalKeywords.end(), word) != kGlobalKeywords.end();
}

// Lines that belong to the global level even when typed inside a section.
bool isGlobalCommand(const Words& w) {
  if (w.empty()) return false;
  static constexpr std::array<std::string_view, 26> kAlways = {
      "hostname",    "interface",   "router",      "line",          "route-map",     "class-map",
      "policy-map",  "access-list", "snmp-server", "ntp",           "username",      "enable",
      "aaa",         "banner",      "service",     "tacacs-server", "radius-server", "crypto",
      "clock",       "boot",        "archive",     "spanning-tree", "control-plane", "management",
      "transceiver", "dns"};
  if (std::find(kAlways.begin(), kAlways.end(), w[0]) != kAlways.end()) return true;
  if (w[0] == "vlan" && w.size() > 1 && std::isdigit(static_cast<unsigned char>(w[1][0])))
    return true;
  if (w[0] == "ip" && w.size() > 1) {
    static constexpr std::array<std::string_view, 13> kIp = {
        "route", "access-list", "domain",           "domain-name", "name-server", "ssh", "http",
        "vrf",   "routing",     "forward-protocol", "cef",         "prefix-list", "dhcp"};
    return std::find(kIp.begin(), kIp.end(), w[1]) != kIp.end();
  }
  if (w[0] == "logging" && w.size() > 1) {
    static constexpr std::array<std::string_view, 6> kLogging = {
        "host", "buffered", "trap", "console", "source-interface", "on"};
    return std::find(kLogging.begin(), kLogging.end(), w[1]) != kLogging.end();
  }
  return wordsStartWith(w, {"vrf", "definition"}) || wordsStartWith(w, {"key", "chain"}) ||
         wordsStartWith(w, {"tacacs", "server"}) || wordsStartWith(w, {"radius", "server"}) ||
         wordsStartWith(w, {"ipv6", "route"}) || wordsStartWith(w, {"ipv6", "unicast-routing"});
}

// The IOS mode a statement opens at `depth`, or nothing when it is a plain line.
std::optional<std::string> sectionMode(const Words& w, std::size_t depth) {
  if (w.empty()) return std::nullopt;
  if (depth >= 1) {
    if (w[0] == "address-family") return "router-af";
    if (w[0] == "vrf" && w.size() > 1 && depth == 1) return "router-vrf";
    return std::nullopt;
  }
  if (w[0] == "interface" && w.size() > 1) return "if";
  if (w[0] == "router" && w.size() > 1) return "router";
  if (w[0] == "line" && w.size() > 1) return "line";
  if (w[0] == "vlan" && w.size() > 1 && std::isdigit(static_cast<unsigned char>(w[1][0])))
    return "vlan";
  if (wordsStartWith(w, {"ip", "access-list", "standard"})) return "std-nacl";
  if (wordsStartWith(w, {"ip", "access-list"}) && w.size() > 2) return "ext-nacl";
  if (wordsStartWith(w, {"ipv6", "access-list"}) && w.size() > 2) return "ipv6-acl";
  if (w[0] == "route-map" && w.size() > 1) return "route-map";
  if (w[0] == "class-map" && w.size() > 1) return "cmap";
  if (w[0] == "policy-map" && w.size() > 1) return "pmap";
  if (wordsStartWith(w, {"key", "chain"}) && w.size() > 2) return "keychain";
  if (wordsStartWith(w, {"ip", "vrf"}) && w.size() > 2) return "vrf";
  if (wordsStartWith(w, {"vrf", "definition"}) && w.size() > 2) return "vrf";
  if (wordsStartWith(w, {"vrf", "instance"}) && w.size() > 2) return "vrf";
  if (wordsStartWith(w, {"tacacs", "server"}) && w.size() > 2) return "server-tacacs";
  if (wordsStartWith(w, {"radius", "server"}) && w.size() > 2) return "radius-server";
  if (wordsStartWith(w, {"crypto", "isakmp", "policy"}) && w.size() > 3) return "isakmp";
  if (wordsStartWith(w, {"crypto", "map"}) && w.size() > 3) return "crypto-map";
  if (wordsStartWith(w, {"aaa", "group", "server"}) && w.size() > 4) return "sg";
  if (wordsStartWith(w, {"ip", "dhcp", "pool"}) && w.size() > 3) return "dhcp";
  if (w.size() == 1 && w[0] == "control-plane") return "cp";
  if (w.size() == 1 && w[0] == "archive") return "archive";
  if (w[0] == "management" && w.size() > 1) return "mgmt";
  if (wordsStartWith(w, {"spanning-tree", "mst", "configuration"})) return "mst";
  return std::nullopt;
}

// Statements that hold one value per section: a new one replaces the old.
std::optional<std::string> singleKey(const Words& w) {
  static constexpr std::array<std::string_view, 16> kOneWord = {
      "description", "hostname",     "duplex",        "speed",
      "mtu",         "bandwidth",    "encapsulation", "router-id",
      "name",        "exec-timeout", "shutdown",      "switchport",
      "version",     "remote-as",    "vrf",           "default-information"};
  if (w.empty()) return std::nullopt;
  if (w[0] == "ip" && w.size() > 1 && w[1] == "address" && w.back() != "secondary")
    return "ip address";
  if (wordsStartWith(w, {"enable", "secret"})) return "enable secret";
  if (wordsStartWith(w, {"switchport", "mode"})) return "switchport mode";
  if (wordsStartWith(w, {"switchport", "access", "vlan"})) return "switchport access vlan";
  if (wordsStartWith(w, {"snmp-server", "location"})) return "snmp-server location";
  if (wordsStartWith(w, {"snmp-server", "contact"})) return "snmp-server contact";
  if (wordsStartWith(w, {"clock", "timezone"})) return "clock timezone";
  if (wordsStartWith(w, {"spanning-tree", "mode"})) return "spanning-tree mode";
  if (wordsStartWith(w, {"logging", "buffered"})) return "logging buffered";
  if (wordsStartWith(w, {"transport", "input"})) return "transport input";
  if (w[0] == "neighbor" && w.size() > 3) return joinWords({w[0], w[1], w[2]});
  if (w[0] == "switchport" && w.size() > 1) return std::nullopt;
  if (std::find(kOneWord.begin(), kOneWord.end(), w[0]) != kOneWord.end() && w.size() > 1)
    return w[0];
  return std::nullopt;
}

std::string groupKey(std::string_view text) {
  Words w = words(text);
  if (w.empty()) return "";
  if ((w[0] == "ip" || w[0] == "ipv6" || w[0] == "no" || w[0] == "aaa") && w.size() > 1)
    return w[0] + " " + w[1];
  return w[0];
}

std::vector<ConfigNode>* resolve(ConfigTree& tree, const std::vector<std::string>& context) {
  std::vector<ConfigNode>* level = &tree.nodes;
  for (const auto& text : context) {
    auto it = std::find_if(level->begin(), level->end(),
                           [&](const ConfigNode& node) { return node.text == text; });
    if (it == level->end()) {  // removed by another session meanwhile: recreate it
      level->push_back({text, {}});
      it = level->end() - 1;
    }
    level = &it->children;
  }
  return level;
}

void insertGlobal(std::vector<ConfigNode>& nodes, ConfigNode node, bool section) {
  const std::string key = groupKey(node.text);
  std::size_t at = nodes.size();
  bool found = false;
  for (std::size_t i = nodes.size(); i-- > 0;) {
    if (groupKey(nodes[i].text) == key) {
      at = i + 1;
      found = true;
      break;
    }
  }
  if (!found) {
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (startsWith(nodes[i].text, "line ") || startsWith(nodes[i].text, "banner ") ||
          startsWith(nodes[i].text, "management ")) {
        at = i;
        break;
      }
    }
  } else if (section && at < nodes.size() && nodes[at].text == "!") {
    ++at;
  }
  auto pos = nodes.insert(nodes.begin() + static_cast<std::ptrdiff_t>(at), std::move(node));
  if (section) nodes.insert(pos + 1, ConfigNode{"!", {}});
}

void insertInSection(std::vector<ConfigNode>& nodes, ConfigNode node) {
  std::size_t at = nodes.size();
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].text == "!" || !nodes[i].children.empty() || startsWith(nodes[i].text, "exit-")) {
      at = i;
      break;
    }
  }
  nodes.insert(nodes.begin() + static_cast<std::ptrdiff_t>(at), std::move(node));
}

std::string expandInterface(std::string_view name, CiscoDialect dialect) {
  static constexpr std::array<std::string_view, 9> kIos = {
      "GigabitEthernet", "FastEthernet", "TenGigabitEthernet",
      "Loopback",        "Tunnel",       "Vlan",
      "Port-channel",    "Serial",       "Ethernet"};
  static constexpr std::array<std::string_view, 6> kEos = {"Ethernet",     "Management", "Loopback",
                                                           "Port-Channel", "Vlan",       "Vxlan"};
  std::size_t letters = 0;
  while (letters < name.size() &&
         (std::isalpha(static_cast<unsigned char>(name[letters])) || name[letters] == '-'))
    ++letters;
  if (letters == 0 || letters == name.size()) return std::string(name);
  const std::string_view typed = name.substr(0, letters);
  std::string_view match;
  int matches = 0;
  auto consider = [&](std::string_view full) {
    if (abbreviates(typed, full)) {
      match = full;
      ++matches;
    }
  };
  if (dialect == CiscoDialect::Ios)
    for (auto full : kIos) consider(full);
  else
    for (auto full : kEos) consider(full);
  if (matches != 1) return std::string(name);
  return std::string(match) + std::string(name.substr(letters));
}

std::string shortInterface(std::string_view name) {
  std::size_t letters = 0;
  while (letters < name.size() && !std::isdigit(static_cast<unsigned char>(name[letters])))
    ++letters;
  return std::string(name.substr(0, std::min<std::size_t>(letters, 2))) +
         std::string(name.substr(letters));
}

}  // namespace

void renderCisco(const std::vector<ConfigNode>& nodes, std::size_t step, std::string& out) {
  struct Frame {
    const std::vector<ConfigNode>* nodes;
    std::size_t index;
  };
  std::vector<Frame> stack{{&nodes, 0}};
  bool lastBang = false;
  while (!stack.empty()) {
    Frame& frame = stack.back();
    if (frame.index == frame.nodes->size()) {
      stack.pop_back();
      continue;
    }
    const ConfigNode& node = (*frame.nodes)[frame.index++];
    const std::size_t depth = stack.size() - 1;
    if (node.text == "!" && depth == 0 && lastBang) continue;
    lastBang = node.text == "!" && depth == 0;
    // 'exit-address-family' closes its section at the section's own indent.
    const bool closer = depth > 0 && startsWith(node.text, "exit-");
    out.append((closer ? depth - 1 : depth) * step, ' ');
    out += node.text;
    out += '\n';
    if (!node.children.empty()) stack.push_back({&node.children, 0});
  }
}

std::string normalizeCiscoLine(std::string_view line, CiscoDialect dialect) {
  Words w = words(line);
  if (w.empty()) return "";
  static constexpr std::array<std::string_view, 8> kKeywords = {
      "interface", "description", "shutdown", "hostname", "router", "username", "exit", "no"};
  auto expand = [&](std::string& word) {
    if (word.size() < 2) return;
    std::string_view match;
    int matches = 0;
    for (auto keyword : kKeywords) {
      if (abbreviates(word, keyword)) {
        match = keyword;
        ++matches;
      }
    }
    if (matches == 1 && (word.size() >= 3 || match == "no")) word = std::string(match);
  };
  std::size_t first = 0;
  expand(w[0]);
  if (w[0] == "no" && w.size() > 1) {
    first = 1;
    expand(w[1]);
  }
  if (w[first] == "interface" && w.size() > first + 1)
    w[first + 1] = expandInterface(w[first + 1], dialect);
  if (w[first] == "ip" && w.size() > first + 1 && w[first + 1].size() >= 3 &&
      abbreviates(w[first + 1], "address"))
    w[first + 1] = "address";
  return joinWords(w);
}

std::string ciscoModeName(const std::vector<std::string>& context, CiscoDialect dialect) {
  if (context.empty()) return "config";
  const Words w = words(context.back());
  const std::string mode = sectionMode(w, context.size() - 1).value_or("unknown");
  if (dialect == CiscoDialect::Ios) return mode == "dhcp" ? "dhcp-config" : "config-" + mode;
  // EOS names the section in the mode.
  if (mode == "if") return "config-if-" + shortInterface(w[1]);
  if (mode == "router") return "config-router-" + w[1];
  if (mode == "vlan") return "config-vlan-" + w[1];
  if (mode == "ext-nacl" || mode == "std-nacl") return "config-acl-" + w.back();
  if (mode == "router-af") return "config-router-" + words(context.front())[1] + "-af";
  if (mode == "router-vrf") return "config-router-" + words(context.front())[1] + "-vrf-" + w[1];
  if (mode == "mgmt" && w.size() > 2 && w[1] == "api") return "config-mgmt-api-http-cmds";
  if (mode == "mgmt") return "config-mgmt-" + w[1];
  return "config-" + mode;
}

CiscoEdit applyCiscoLine(ConfigTree& tree, const std::vector<std::string>& context,
                         std::string_view line, CiscoDialect dialect) {
  const std::string normalized = normalizeCiscoLine(line, dialect);
  Words w = words(normalized);
  if (w.empty()) return {true, context};
  if (w[0] == "exit" || (w[0] == "exit-address-family" && context.size() > 1)) {
    CiscoEdit edit{true, context};
    if (!edit.context.empty()) edit.context.pop_back();
    return edit;
  }
  const bool negate = w[0] == "no";
  Words body(w.begin() + (negate ? 1 : 0), w.end());
  if (body.empty()) return {false, context};
  const std::string bodyText = joinWords(body);

  std::vector<std::string> ctx = context;
  if (!ctx.empty() && isGlobalCommand(body)) ctx.clear();
  if (ctx.empty() && !isGlobalKeyword(body[0])) return {false, context};
  std::vector<ConfigNode>& nodes = *resolve(tree, ctx);

  auto findText = [&](std::string_view text) {
    return std::find_if(nodes.begin(), nodes.end(),
                        [&](const ConfigNode& node) { return node.text == text; });
  };
  if (sectionMode(body, ctx.size())) {
    if (negate) {
      if (auto it = findText(bodyText); it != nodes.end()) nodes.erase(it);
      return {true, ctx};
    }
    if (findText(bodyText) == nodes.end()) {
      if (ctx.empty())
        insertGlobal(nodes, {bodyText, {}}, true);
      else
        nodes.push_back({bodyText, {}});
    }
    ctx.push_back(bodyText);
    return {true, ctx};
  }

  if (negate) {
    const auto before = nodes.size();
    std::erase_if(nodes, [&](const ConfigNode& node) {
      return node.text == bodyText || startsWith(node.text, bodyText + " ");
    });
    const bool keepsNo = body[0] != "shutdown" && body[0] != "description";
    if (nodes.size() == before && keepsNo && findText("no " + bodyText) == nodes.end()) {
      if (ctx.empty())
        insertGlobal(nodes, {"no " + bodyText, {}}, false);
      else
        insertInSection(nodes, {"no " + bodyText, {}});
    }
    return {true, ctx};
  }
  if (auto it = findText("no " + bodyText); it != nodes.end()) nodes.erase(it);
  if (findText(bodyText) != nodes.end()) return {true, ctx};
  if (auto key = singleKey(body)) {
    for (auto& node : nodes) {
      if (node.children.empty() && singleKey(words(node.text)) == key) {
        node.text = bodyText;
        return {true, ctx};
      }
    }
  }
  if (ctx.empty())
    insertGlobal(nodes, {bodyText, {}}, false);
  else
    insertInSection(nodes, {bodyText, {}});
  return {true, ctx};
}

}  // namespace netspine::sim
