#pragma once
// IOS and EOS semantics on the configuration tree: configuration-mode lines applied to the right
// section ('interface X' opens one, 'no ...' removes), and the indented rendering.

#include <string>
#include <string_view>
#include <vector>

#include "config_tree.hpp"

namespace netspine::sim {

enum class CiscoDialect { Ios, Eos };

// Sections with children indented `step` spaces per level (IOS 1, EOS 3); '!' runs collapsed.
void renderCisco(const std::vector<ConfigNode>& nodes, std::size_t step, std::string& out);

struct CiscoEdit {
  bool accepted = true;              // false: no such configuration command ('% Invalid input')
  std::vector<std::string> context;  // the section the session is in afterwards
};

// Applies one configuration-mode line typed in section `context` (empty: global). A global
// command typed inside a section leaves it, as IOS does; 'exit' goes up one section.
CiscoEdit applyCiscoLine(ConfigTree& tree, const std::vector<std::string>& context,
                         std::string_view line, CiscoDialect dialect);

// The prompt's mode for a section path: "config", "config-if", "config-router-af"; EOS
// "config-if-Et1", "config-router-bgp", "config-vlan-10".
std::string ciscoModeName(const std::vector<std::string>& context, CiscoDialect dialect);

// Expands what IOS/EOS expand before storing: "int gi0/1" -> "interface GigabitEthernet0/1".
std::string normalizeCiscoLine(std::string_view line, CiscoDialect dialect);

}  // namespace netspine::sim
