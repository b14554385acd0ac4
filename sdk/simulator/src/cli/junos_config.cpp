#include "junos_config.hpp"

#include <algorithm>
#include <array>

#include "text_util.hpp"

namespace netspine::sim {

namespace {

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& set, std::string_view word) {
  return std::find(set.begin(), set.end(), word) != set.end();
}

// Containers whose children are bare names: 'interfaces ge-0/0/0 { ... }'.
constexpr std::array<std::string_view, 9> kNameParents = {
    "interfaces",     "vlans",         "routing-instances", "groups",       "name-server",
    "tacplus-server", "radius-server", "interface-range",   "security-zone"};
// Keywords that open a level on their own: 'system { ... }'.
constexpr std::array<std::string_view, 45> kContainers = {"system",
                                                          "login",
                                                          "authentication",
                                                          "root-authentication",
                                                          "services",
                                                          "ssh",
                                                          "netconf",
                                                          "syslog",
                                                          "ntp",
                                                          "snmp",
                                                          "protocols",
                                                          "ospf",
                                                          "ospf3",
                                                          "bgp",
                                                          "lldp",
                                                          "routing-options",
                                                          "static",
                                                          "policy-options",
                                                          "firewall",
                                                          "security",
                                                          "ike",
                                                          "ipsec",
                                                          "from",
                                                          "then",
                                                          "chassis",
                                                          "forwarding-options",
                                                          "class-of-service",
                                                          "ethernet-switching",
                                                          "switch-options",
                                                          "rstp",
                                                          "mpls",
                                                          "ldp",
                                                          "rsvp",
                                                          "gigether-options",
                                                          "ether-options",
                                                          "aggregated-ether-options",
                                                          "web-management",
                                                          "archival",
                                                          "configuration",
                                                          "clients",
                                                          "zones",
                                                          "policies",
                                                          "nat",
                                                          "traceoptions",
                                                          "vlan"};
// Keywords that open a level named by the next word: 'unit 0 { ... }'. Also multi-valued.
constexpr std::array<std::string_view, 26> kNamed = {
    "unit",      "family",           "area",   "interface",   "group",    "neighbor",
    "user",      "community",        "server", "host",        "file",     "term",
    "filter",    "policy-statement", "route",  "prefix-list", "proposal", "policy",
    "gateway",   "trap-group",       "class",  "rule",        "rule-set", "application",
    "from-zone", "to-zone"};
// Leaves that may appear several times side by side.
constexpr std::array<std::string_view, 6> kMultiLeaves = {
    "address", "members", "next-hop", "source-address", "destination-address", "trusted-key"};

// The identity of a statement among its siblings: single-valued leaves are keyed by keyword.
std::string_view keyOf(std::string_view text) {
  std::string_view word = firstWord(text);
  if (word.size() == text.size()) return text;
  if (contains(kNamed, word) || contains(kMultiLeaves, word)) return text;
  return word;
}

// `recentOnly` looks at the last few siblings only: the generator appends in order.
ConfigNode* findByKey(std::vector<ConfigNode>& nodes, std::string_view key, bool recentOnly) {
  std::size_t looked = 0;
  for (std::size_t i = nodes.size(); i-- > 0;) {
    if (keyOf(nodes[i].text) == key) return &nodes[i];
    if (recentOnly && ++looked == 32) break;
  }
  return nullptr;
}

void indent(std::size_t depth, std::string& out) {
  out.append(depth * 4, ' ');
}

bool isSecret(std::string_view text) {
  return text.find("\"$9$") != std::string_view::npos ||
         text.find("\"$6$") != std::string_view::npos ||
         text.find("\"$1$") != std::string_view::npos;
}

void compareLevel(const std::vector<ConfigNode>& from, const std::vector<ConfigNode>& to,
                  const std::string& path, std::string& out) {
  std::string lines;
  auto emit = [&](char mark, const ConfigNode& node) {
    std::string rendered;
    renderJunos({node}, 1, rendered);
    forEachLine(rendered, [&](std::string_view line) {
      lines += mark;
      lines += line.substr(1);
      lines += '\n';
    });
  };
  auto findIn = [](const std::vector<ConfigNode>& nodes, std::string_view key) {
    for (const auto& node : nodes)
      if (keyOf(node.text) == key) return &node;
    return static_cast<const ConfigNode*>(nullptr);
  };
  std::vector<std::pair<const ConfigNode*, const ConfigNode*>> common;
  for (const auto& node : from) {
    const ConfigNode* other = findIn(to, keyOf(node.text));
    if (!other) {
      emit('-', node);
    } else if (other->text != node.text) {
      emit('-', node);
      emit('+', *other);
    } else if (node.children != other->children) {
      common.push_back({&node, other});
    }
  }
  for (const auto& node : to)
    if (!findIn(from, keyOf(node.text))) emit('+', node);
  if (!lines.empty()) out += "[edit" + path + "]\n" + lines;
  for (auto [a, b] : common) compareLevel(a->children, b->children, path + " " + a->text, out);
}

}  // namespace

std::vector<std::string> junosPath(const std::vector<std::string>& words) {
  std::vector<std::string> path;
  bool nameNext = false;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    const std::size_t remaining = words.size() - i;
    if (nameNext) {
      path.push_back(word);
      nameNext = false;
    } else if (remaining > 1 && contains(kNameParents, word)) {
      path.push_back(word);
      nameNext = true;
    } else if (remaining > 1 && contains(kContainers, word)) {
      path.push_back(word);
    } else if (remaining > 2 && contains(kNamed, word)) {
      path.push_back(word + " " + words[i + 1]);
      ++i;
    } else {
      path.push_back(joinWords(words, i));
      break;
    }
  }
  return path;
}

void junosSet(ConfigTree& tree, const std::vector<std::string>& path, bool appendOnly) {
  std::vector<ConfigNode>* level = &tree.nodes;
  for (std::size_t i = 0; i < path.size(); ++i) {
    ConfigNode* node = findByKey(*level, keyOf(path[i]), appendOnly);
    if (!node) {
      level->push_back({path[i], {}});
      node = &level->back();
    } else if (i + 1 == path.size()) {
      node->text = path[i];
    }
    level = &node->children;
  }
}

bool junosDelete(ConfigTree& tree, const std::vector<std::string>& path) {
  if (path.empty()) return false;
  std::vector<ConfigNode>* level = &tree.nodes;
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    ConfigNode* node = findByKey(*level, keyOf(path[i]), false);
    if (!node) return false;
    level = &node->children;
  }
  // 'delete ... description' names a single-valued leaf by its keyword alone.
  for (std::size_t i = level->size(); i-- > 0;) {
    const std::string& text = (*level)[i].text;
    if (text == path.back() || keyOf(text) == path.back()) {
      level->erase(level->begin() + static_cast<std::ptrdiff_t>(i));
      return true;
    }
  }
  return false;
}

const ConfigNode* junosFindNode(const ConfigTree& tree, const std::vector<std::string>& path) {
  const std::vector<ConfigNode>* level = &tree.nodes;
  const ConfigNode* found = nullptr;
  for (const auto& element : path) {
    found = nullptr;
    for (const auto& node : *level)
      if (keyOf(node.text) == keyOf(element)) found = &node;
    if (!found) return nullptr;
    level = &found->children;
  }
  return found;
}

const std::vector<ConfigNode>* junosFind(const ConfigTree& tree,
                                         const std::vector<std::string>& path) {
  if (path.empty()) return &tree.nodes;
  const ConfigNode* node = junosFindNode(tree, path);
  return node ? &node->children : nullptr;
}

void renderJunos(const std::vector<ConfigNode>& nodes, std::size_t depth, std::string& out) {
  for (const auto& node : nodes) {
    indent(depth, out);
    out += node.text;
    if (node.children.empty()) {
      out += isSecret(node.text) ? "; ## SECRET-DATA\n" : ";\n";
      continue;
    }
    out += " {\n";
    renderJunos(node.children, depth + 1, out);
    indent(depth, out);
    out += "}\n";
  }
}

void renderJunosSet(const std::vector<ConfigNode>& nodes, const std::string& prefix,
                    std::string& out) {
  for (const auto& node : nodes) {
    if (node.children.empty()) {
      out += prefix;
      out += node.text;
      out += '\n';
    } else {
      renderJunosSet(node.children, prefix + node.text + " ", out);
    }
  }
}

std::string junosCompare(const ConfigTree& from, const ConfigTree& to) {
  std::string out;
  compareLevel(from.nodes, to.nodes, "", out);
  return out;
}

}  // namespace netspine::sim
