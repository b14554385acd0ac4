#pragma once
// Junos semantics on the configuration tree: 'set'/'delete' paths, the brace and 'display set'
// renderings, and the '[edit ...]' diff of 'show | compare'.

#include <string>
#include <string_view>
#include <vector>

#include "config_tree.hpp"

namespace netspine::sim {

// Turns the words after 'set'/'delete' into the statements they name, one per level:
// "interfaces ge-0/0/0 unit 0 family inet address 10.0.0.1/24" ->
// ["interfaces", "ge-0/0/0", "unit 0", "family inet", "address 10.0.0.1/24"].
std::vector<std::string> junosPath(const std::vector<std::string>& words);

// Adds the statement at `path`, replacing a single-valued leaf ('description', 'host-name').
// `appendOnly` (the generator) looks only at the last siblings, keeping generation linear.
void junosSet(ConfigTree& tree, const std::vector<std::string>& path, bool appendOnly = false);
// Removes the statement at `path`; false when there is none.
bool junosDelete(ConfigTree& tree, const std::vector<std::string>& path);
// The statement at `path`, or nullptr.
const ConfigNode* junosFindNode(const ConfigTree& tree, const std::vector<std::string>& path);
// The children at `path` (an 'edit' level), or nullptr.
const std::vector<ConfigNode>* junosFind(const ConfigTree& tree,
                                         const std::vector<std::string>& path);

void renderJunos(const std::vector<ConfigNode>& nodes, std::size_t depth, std::string& out);
void renderJunosSet(const std::vector<ConfigNode>& nodes, const std::string& prefix,
                    std::string& out);
// 'show | compare': "[edit system]\n-   host-name a;\n+   host-name b;\n"; empty when equal.
std::string junosCompare(const ConfigTree& from, const ConfigTree& to);

}  // namespace netspine::sim
