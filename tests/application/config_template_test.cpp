#include "application/config_template.hpp"

#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "domain/errors.hpp"

namespace netspine::app {
namespace {

using domain::ValidationError;

std::string render(std::string_view text, const TemplateValues& values = {}) {
  return ConfigTemplate(text).render(values);
}

// The message of the ValidationError that parsing and rendering `text` throws; fails the test
// when nothing (or something else) is thrown.
std::string errorOf(std::string_view text, const TemplateValues& values = {}) {
  try {
    ConfigTemplate(text).render(values);
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "template");
    return e.what();
  }
  ADD_FAILURE() << "no ValidationError for: " << text;
  return {};
}

bool startsWith(const std::string& s, std::string_view prefix) {
  return s.rfind(prefix, 0) == 0;
}

TEST(ConfigTemplate, IosInterfaceBlockWithVlanLoop) {
  const char* text =
      "hostname {{ device.name }}\n"
      "!\n"
      "{% for vlan in vlans %}\n"
      "vlan {{ vlan }}\n"
      " name {{ vlan_prefix | default('users') | upper }}_{{ vlan }}\n"
      "{% endfor %}\n"
      "!\n"
      "interface {{ uplink }}\n"
      " description uplink to {{ peer | default('core') }}\n"
      " switchport mode trunk\n"
      " switchport trunk allowed vlan {{ vlans | replace(' ', '') }}\n"
      "!\n";
  TemplateValues values{
      {"device.name", "acc-1.ams1"}, {"vlans", "10, 20,30"}, {"uplink", "GigabitEthernet0/1"}};
  EXPECT_EQ(render(text, values),
            "hostname acc-1.ams1\n"
            "!\n"
            "vlan 10\n"
            " name USERS_10\n"
            "vlan 20\n"
            " name USERS_20\n"
            "vlan 30\n"
            " name USERS_30\n"
            "!\n"
            "interface GigabitEthernet0/1\n"
            " description uplink to core\n"
            " switchport mode trunk\n"
            " switchport trunk allowed vlan 10,20,30\n"
            "!\n");
  values["peer"] = "dist-2";
  values["vlan_prefix"] = "voice";
  EXPECT_NE(render(text, values).find(" name VOICE_20\n"), std::string::npos);
  EXPECT_NE(render(text, values).find("uplink to dist-2\n"), std::string::npos);
}

TEST(ConfigTemplate, JunosSetLines) {
  const char* text =
      "{# Junos: one VLAN and one member line per VLAN #}\n"
      "set system host-name {{ device.name }}\n"
      "{% for vlan in vlans %}\n"
      "set vlans v{{ vlan }} vlan-id {{ vlan }}\n"
      "set interfaces {{ port }} unit 0 family ethernet-switching vlan members v{{ vlan }}\n"
      "{% endfor %}\n"
      "{% if description is defined %}\n"
      "set interfaces {{ port }} description \"{{ description }}\"\n"
      "{% endif %}\n";
  TemplateValues values{{"device.name", "ex-1"}, {"vlans", "100,200"}, {"port", "ge-0/0/1"}};
  EXPECT_EQ(render(text, values),
            "set system host-name ex-1\n"
            "set vlans v100 vlan-id 100\n"
            "set interfaces ge-0/0/1 unit 0 family ethernet-switching vlan members v100\n"
            "set vlans v200 vlan-id 200\n"
            "set interfaces ge-0/0/1 unit 0 family ethernet-switching vlan members v200\n");
  values["description"] = "to srv-7";
  EXPECT_NE(render(text, values).find("set interfaces ge-0/0/1 description \"to srv-7\"\n"),
            std::string::npos);
}

TEST(ConfigTemplate, IfElifElseOnThePlatformOfADevice) {
  const ConfigTemplate t(
      "{% if device.platform == 'cisco_ios' %}\n"
      "ntp server {{ ntp }}\n"
      "{% elif device.platform == 'juniper_junos' or device.platform == 'juniper_srx' %}\n"
      "set system ntp server {{ ntp }}\n"
      "{% else %}\n"
      "# no NTP syntax for {{ device.platform }}\n"
      "{% endif %}\n");
  domain::Device d;
  d.name = "r1";
  d.platform = "cisco_ios";
  EXPECT_EQ(t.render(templateValues(d, "ams1", {{"ntp", "10.0.0.1"}})), "ntp server 10.0.0.1\n");
  d.platform = "juniper_srx";
  EXPECT_EQ(t.render(templateValues(d, "ams1", {{"ntp", "10.0.0.1"}})),
            "set system ntp server 10.0.0.1\n");
  d.platform = "arista_eos";
  EXPECT_EQ(t.render(templateValues(d, "ams1", {{"ntp", "10.0.0.1"}})),
            "# no NTP syntax for arista_eos\n");
}

TEST(ConfigTemplate, Filters) {
  TemplateValues v{{"name", "  Core-1  "}, {"intf", "Gi0/1"}};
  EXPECT_EQ(render("{{ name | trim | upper }}|{{ name | trim | lower }}|{{ name }}", v),
            "CORE-1|core-1|  Core-1  \n");
  EXPECT_EQ(render("{{ intf | replace('Gi', 'GigabitEthernet') }}", v), "GigabitEthernet0/1\n");
  EXPECT_EQ(render("{{ intf | replace(\"/\", \"-\") | lower() }}", v), "gi0-1\n");
  EXPECT_EQ(render("{{ 'it\\'s' | upper }} {{ \"a\\\\b\" }}"), "IT'S a\\b\n");
  EXPECT_EQ(render("{{ 'x' }}{{ 42 }}"), "x42\n");
  // "|" inside a quoted argument is text, not a filter, and "%}" in quotes does not close a tag.
  EXPECT_EQ(render("{{ intf | replace('/', '|') }}{% if '%}' %}!{% endif %}", v), "Gi0|1!\n");
}

TEST(ConfigTemplate, DefaultOnlyReplacesUndefinedValues) {
  TemplateValues v{{"empty", ""}, {"mtu", "9000"}};
  EXPECT_EQ(render("mtu {{ mtu | default('1500') }}", v), "mtu 9000\n");
  EXPECT_EQ(render("mtu {{ jumbo | default('1500') }}", v), "mtu 1500\n");
  EXPECT_EQ(render("[{{ empty | default('x') }}]", v), "[]\n");
  EXPECT_EQ(render("{{ missing | default('a-b') | replace('-', '_') | upper }}", v), "A_B\n");
  EXPECT_EQ(render("{% if shutdown | default('no') %}shutdown{% else %}no shutdown{% endif %}", v),
            "no shutdown\n");
  EXPECT_EQ(render("{% if mtu is defined and jumbo is not defined %}ok{% endif %}", v), "ok\n");
  EXPECT_EQ(render("{% if jumbo is defined %}a{% elif not (mtu is not defined) %}b{% endif %}", v),
            "b\n");
}

TEST(ConfigTemplate, ConditionsTruthinessAndPrecedence) {
  for (const char* falsy : {"", "false", "FALSE", "No", "no", "0"}) {
    EXPECT_EQ(render("{% if x %}T{% else %}F{% endif %}", {{"x", falsy}}), "F\n") << falsy;
  }
  for (const char* truthy : {"true", "yes", "1", "00", "off", " "}) {
    EXPECT_EQ(render("{% if x %}T{% else %}F{% endif %}", {{"x", truthy}}), "T\n") << truthy;
  }
  const TemplateValues v{{"a", "yes"}, {"b", "no"}, {"c", "no"}, {"vlan_id", "20"}};
  EXPECT_EQ(render("{% if a or b and c %}T{% else %}F{% endif %}", v), "T\n");  // and first
  EXPECT_EQ(render("{% if (a or b) and c %}T{% else %}F{% endif %}", v), "F\n");
  EXPECT_EQ(render("{% if not a or not b %}T{% else %}F{% endif %}", v), "T\n");
  EXPECT_EQ(render("{% if not not a %}T{% else %}F{% endif %}", v), "T\n");
  EXPECT_EQ(render("{% if vlan_id == 20 and vlan_id != '30' %}T{% else %}F{% endif %}", v), "T\n");
  EXPECT_EQ(render("{% if vlan_id == '020' %}T{% else %}F{% endif %}", v), "F\n");  // text
  // "or" stops at the first true operand: the undefined name after it is never read.
  EXPECT_EQ(render("{% if a or nothing %}T{% endif %}", v), "T\n");
}

TEST(ConfigTemplate, NestedLoopsWithLoopVariables) {
  const char* text =
      "{% for sw in switches %}\n"
      "{{ loop.index }}. {{ sw }}\n"
      "{% for port in ports %}\n"
      "  {{ sw }}:{{ port }} #{{ loop.index }}/{{ loop.length }}"
      "{% if loop.first %} first{% endif %}{% if loop.last %} last{% endif %}\n"
      "{% endfor %}\n"
      "end {{ loop.index }}{% if not loop.last %}, more{% endif %}\n"
      "{% endfor %}\n";
  EXPECT_EQ(render(text, {{"switches", "s1,s2"}, {"ports", "p1, ,p2,p3,"}}),
            "1. s1\n"
            "  s1:p1 #1/3 first\n"
            "  s1:p2 #2/3\n"
            "  s1:p3 #3/3 last\n"
            "end 1, more\n"
            "2. s2\n"
            "  s2:p1 #1/3 first\n"
            "  s2:p2 #2/3\n"
            "  s2:p3 #3/3 last\n"
            "end 2\n");
  EXPECT_EQ(render("{% for x in xs %}{{ x }}{% endfor %}", {{"xs", " , ,"}}), "");
  EXPECT_EQ(render("{% for x in 'a,b' %}{{ loop.index0 }}{{ x }} {% endfor %}"), "0a 1b \n");
}

TEST(ConfigTemplate, TheLoopVariableShadowsOuterNamesInsideTheLoopOnly) {
  const TemplateValues v{{"vlan", "outer"}, {"vlans", "10,20"}, {"vlan.name", "x"}};
  EXPECT_EQ(render("{% for vlan in vlans %}{{ vlan }} {% endfor %}{{ vlan }} {{ vlan.name }}", v),
            "10 20 outer x\n");
  EXPECT_EQ(errorOf("{% for vlan in vlans %}\n{{ vlan.name }}\n{% endfor %}", v),
            "template line 2: undefined variable 'vlan.name'");
  // Outside any loop, "loop" is an ordinary (here undefined) name.
  EXPECT_EQ(errorOf("{{ loop.index }}"), "template line 1: undefined variable 'loop.index'");
}

TEST(ConfigTemplate, LinesOfOnlyBlockTagsAndCommentsOutputNothing) {
  const TemplateValues v{{"t", "yes"}, {"f", "no"}, {"e", ""}};
  EXPECT_EQ(render("a\n  {% if t %}  \nb\n\t{% endif %}\nc\n", v), "a\nb\nc\n");
  EXPECT_EQ(render("a\n{# a comment #}\n  {# two #} {% if f %}{% endif %}\nb\n", v), "a\nb\n");
  EXPECT_EQ(render("{#\n  a comment\n  over lines\n#}\nb\n", v), "b\n");
  // Text beside a block tag keeps the line, as written.
  EXPECT_EQ(render("x {% if t %}y{% endif %}\n", v), "x y\n");
  EXPECT_EQ(render("x {% if f %}y{% endif %}\n", v), "x \n");
  EXPECT_EQ(render(" a {# note #}b\n", v), " a b\n");
  // An output tag is not a block: its line stays even when the value is empty.
  EXPECT_EQ(render("[\n{{ e }}\n]\n", v), "[\n\n]\n");
  // Blank lines and indentation are kept; the last line gets its '\n'; CRLF becomes LF.
  EXPECT_EQ(render("a\n\n  b", v), "a\n\n  b\n");
  EXPECT_EQ(render("a\r\n{% if t %}\r\nb\r\n{% endif %}\r\n", v), "a\nb\n");
  EXPECT_EQ(render("", v), "");
  EXPECT_EQ(render("{% if f %}\nx\n{% endif %}\n", v), "");
  // Jinja2's explicit "-" strips whitespace, newlines included, on its side of the tag.
  EXPECT_EQ(render("a  \n  {{- 'b' -}}  \n c\n", v), "abc\n");
}

TEST(ConfigTemplate, ListsTheVariablesItReads) {
  const ConfigTemplate t(
      "{{ device.name }} {{ 'literal' }}\n"
      "{% for vlan in vlans %}{{ vlan }}{{ loop.index }}{{ vlan_prefix }}{% endfor %}\n"
      "{% if mtu is defined and device.role == 'core' %}{{ mtu | default('1500') }}{% endif %}\n");
  EXPECT_EQ(t.variables(), (std::vector<std::string>{"device.name", "device.role", "mtu",
                                                     "vlan_prefix", "vlans"}));
}

TEST(ConfigTemplate, UndefinedVariablesAreErrorsWithTheirLine) {
  EXPECT_EQ(errorOf("interface Vlan1\n"
                    "{% if svi %}\n"
                    " ip address {{ address }}\n"
                    " vlan {{ vlan_id }}\n"
                    "{% endif %}\n",
                    {{"svi", "yes"}, {"address", "10.0.0.1 255.255.255.0"}}),
            "template line 4: undefined variable 'vlan_id'");
  EXPECT_EQ(errorOf("a\n{% if shutdown %}x{% endif %}"),
            "template line 2: undefined variable 'shutdown'");
  EXPECT_EQ(errorOf("{% if a %}\n{% elif role == 'core' %}\n{% endif %}", {{"a", "no"}}),
            "template line 2: undefined variable 'role'");
  EXPECT_EQ(errorOf("\n\n{% for v in vlans %}{% endfor %}"),
            "template line 3: undefined variable 'vlans'");
  EXPECT_EQ(errorOf("{{ name | upper | trim }}"), "template line 1: undefined variable 'name'");
  EXPECT_EQ(errorOf("{% if 'x' != other %}{% endif %}"),
            "template line 1: undefined variable 'other'");
  EXPECT_EQ(errorOf("{% if a and b %}{% endif %}", {{"a", "yes"}}),
            "template line 1: undefined variable 'b'");
}

TEST(ConfigTemplate, SyntaxErrorsNameTheProblemAndTheLine) {
  EXPECT_TRUE(startsWith(errorOf("a\n{{ x | uper }}"), "template line 2: unknown filter 'uper'"));
  EXPECT_EQ(errorOf("a\nb\n{% for v in vlans %}\n4\n{% if x %}\n{% endif %}\n7\n8\n9\n"),
            "template line 9: {% for %} opened on line 3 is never closed");
  EXPECT_EQ(errorOf("a\n{% endif %}"), "template line 2: {% endif %} without {% if %}");
  EXPECT_EQ(errorOf("{% endfor %}"), "template line 1: {% endfor %} without {% for %}");
  EXPECT_EQ(errorOf("{% for v in l %}\n{% if x %}\n{% endfor %}"),
            "template line 3: {% endfor %} where {% endif %} is expected (for the {% if %} of "
            "line 2)");
  EXPECT_EQ(errorOf("x\n{% else %}"), "template line 2: {% else %} without {% if %}");
  EXPECT_EQ(errorOf("{% if a %}\n{% for v in l %}\n{% elif b %}"),
            "template line 3: {% elif %} inside the {% for %} of line 2; close it with "
            "{% endfor %} first");
  EXPECT_EQ(errorOf("{% if a %}\n{% else %}\n{% elif b %}\n{% endif %}"),
            "template line 3: {% elif %} after the {% else %} of line 2");
  EXPECT_TRUE(startsWith(errorOf("\n{% set x = 1 %}"), "template line 2: unknown tag 'set'"));
  EXPECT_EQ(errorOf("a\nb {{ device.name\nc"), "template line 2: '{{' is never closed");
  EXPECT_EQ(errorOf("{% if x "), "template line 1: '{%' is never closed");
  EXPECT_EQ(errorOf("\n\n{# note"), "template line 3: '{#' is never closed");
  EXPECT_EQ(errorOf("{{ }}"), "template line 1: empty {{ }}");
  EXPECT_EQ(errorOf("{%  %}"), "template line 1: empty {% %}");
  EXPECT_EQ(errorOf("{{ x | replace('a') }}"),
            "template line 1: filter 'replace' takes 2 arguments, got 1");
  EXPECT_EQ(errorOf("{{ x | default }}"),
            "template line 1: filter 'default' takes 1 argument, got 0");
  EXPECT_EQ(errorOf("{{ x | upper('a') }}"),
            "template line 1: filter 'upper' takes 0 arguments, got 1");
  EXPECT_EQ(errorOf("{{ x | default(y) }}"),
            "template line 1: expected a quoted text as argument of filter 'default' in {{ }}, "
            "found 'y'");
  EXPECT_EQ(errorOf("{{ x | replace('', 'b') }}"),
            "template line 1: filter 'replace' needs a non-empty text to find");
  EXPECT_EQ(errorOf("{{ x | }}"),
            "template line 1: expected a filter name after '|' in {{ }}, found the end of {{ }}");
  EXPECT_EQ(errorOf("{{ x y }}"), "template line 1: unexpected 'y' in {{ }}");
  EXPECT_EQ(errorOf("{{ x + 1 }}"), "template line 1: unexpected character '+' in {{ }}");
  EXPECT_EQ(errorOf("{{ x | replace('a, 'b') }}"), "template line 1: '{{' is never closed");
  EXPECT_EQ(errorOf("{% if x is fine %}{% endif %}"),
            "template line 1: expected 'defined' after 'is' in {% if %}, found 'fine'");
  EXPECT_EQ(errorOf("{% if %}{% endif %}"), "template line 1: {% if %} needs a condition");
  EXPECT_EQ(errorOf("{% if (a %}{% endif %}"),
            "template line 1: expected ')' in {% if %}, found the end of {% if %}");
  EXPECT_EQ(errorOf("{% else x %}"), "template line 1: {% else %} without {% if %}");
  EXPECT_EQ(errorOf("{% if a %}{% else x %}{% endif %}"),
            "template line 1: unexpected 'x' in {% else %}");
  EXPECT_TRUE(startsWith(errorOf("{% for in vlans %}{% endfor %}"),
                         "template line 1: expected a loop variable name after 'for'"));
  EXPECT_EQ(errorOf("{% for v of vlans %}{% endfor %}"),
            "template line 1: expected 'in' after the loop variable in {% for %}, found 'of'");
  EXPECT_EQ(errorOf("{% for loop in vlans %}{% endfor %}"),
            "template line 1: 'loop' is reserved for loop.index and friends");
  EXPECT_EQ(errorOf("{{ '\x01 }}"), "template line 1: '{{' is never closed");
  EXPECT_EQ(errorOf("{{ \x01 }}"), "template line 1: unexpected character '\\x01' in {{ }}");
}

TEST(ConfigTemplate, DeepOrHugeTemplatesAreErrorsNotCrashesOrHangs) {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "{% if a %}";
  EXPECT_EQ(errorOf(deep), "template line 1: blocks nested deeper than 64 levels");
  EXPECT_EQ(errorOf("{% if " + std::string(100000, '(') + "a %}{% endif %}"),
            "template line 1: condition nested deeper than 64 levels");
  std::string nots;
  for (int i = 0; i < 1000; ++i) nots += "not ";
  EXPECT_EQ(errorOf("{% if " + nots + "a %}{% endif %}"),
            "template line 1: condition nested deeper than 64 levels");
  // A long flat condition is fine.
  std::string flat = "{% if a";
  for (int i = 0; i < 20000; ++i) flat += " or a";
  EXPECT_EQ(render(flat + " %}y{% endif %}", {{"a", "yes"}}), "y\n");
  // Nested loops over long lists would run for ages: the work limit stops them.
  std::string list(4000, 'x');
  for (std::size_t i = 1; i < list.size(); i += 2) list[i] = ',';
  const auto message = errorOf(
      "{% for a in l %}\n{% for b in l %}\n{% for c in l %}{{ c }}{% endfor %}\n{% endfor %}\n"
      "{% endfor %}",
      {{"l", list}});
  EXPECT_TRUE(startsWith(message, "template line 3: rendering takes more than")) << message;
  // Chained replaces grow a value geometrically: the size limit stops them.
  std::string grow = "{{ x";
  for (int i = 0; i < 40; ++i) grow += " | replace('a', 'aaaa')";
  EXPECT_TRUE(startsWith(errorOf(grow + " }}", {{"x", "a"}}), "template line 1: a value grows"));
}

TEST(ConfigTemplate, FuzzedAndTruncatedTemplatesGiveAnErrorOrARendering) {
  const TemplateValues values{{"device.name", "r1"}, {"vlans", "10,20"}, {"x", "yes"}, {"a", "no"}};
  int rendered = 0, refused = 0;
  auto attempt = [&](const std::string& text) {
    try {
      ConfigTemplate t(text);
      (void)t.variables();
      t.render(values);
      ++rendered;
    } catch (const ValidationError& e) {
      EXPECT_TRUE(startsWith(e.what(), "template line ")) << e.what();
      ++refused;
    } catch (const std::exception& e) {
      ADD_FAILURE() << "unexpected " << e.what() << " for: " << text;
    }
  };
  const std::string full =
      "hostname {{ device.name | upper }}\n"
      "{# vlans #}\n"
      "{% for v in vlans %}\n"
      "vlan {{ v }}{% if loop.last and x %} last{% elif a is not defined %}?{% else %}.{% endif "
      "%}\n"
      "{% endfor %}\n"
      "{{ missing | default('none') | replace('n', \"N\") }}\n";
  for (std::size_t n = 0; n <= full.size(); ++n) attempt(full.substr(0, n));
  EXPECT_GT(rendered, 0);
  EXPECT_GT(refused, 0);

  // Random text built mostly from the language's own characters and words, plus any byte.
  static const char* const kParts[] = {"{{",
                                       "}}",
                                       "{%",
                                       "%}",
                                       "{#",
                                       "#}",
                                       "{%-",
                                       "-%}",
                                       " ",
                                       "\n",
                                       "'",
                                       "\"",
                                       "(",
                                       ")",
                                       "|",
                                       ",",
                                       "==",
                                       "!=",
                                       "if ",
                                       "elif ",
                                       "else",
                                       "endif",
                                       "for ",
                                       " in ",
                                       "endfor",
                                       "not ",
                                       " and ",
                                       " or ",
                                       " is ",
                                       "defined",
                                       "x",
                                       "a",
                                       "vlans",
                                       "device.name",
                                       "loop.index",
                                       "upper",
                                       "default('d')",
                                       "replace('a','b')",
                                       "\\",
                                       ".",
                                       "{",
                                       "}",
                                       "%",
                                       "#"};
  std::mt19937 random(20261128);  // fixed: a failure can be replayed
  std::uniform_int_distribution<int> pick(0, static_cast<int>(std::size(kParts)));
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(1, 40);
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    for (int k = length(random); k > 0; --k) {
      const int p = pick(random);
      if (p == static_cast<int>(std::size(kParts))) {
        text += static_cast<char>(byte(random));
      } else {
        text += kParts[p];
      }
    }
    attempt(text);
  }
  EXPECT_GT(refused, 1000);
}

TEST(ConfigTemplate, RendersFromSeveralThreadsAtOnce) {
  const ConfigTemplate t("{% for v in vlans %}vlan {{ v }} on {{ device.name }}\n{% endfor %}");
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] {
      std::string out;
      const TemplateValues v{{"device.name", "r" + std::to_string(i)}, {"vlans", "1,2,3"}};
      for (int k = 0; k < 200; ++k) out = t.render(v);
      results[i] = out;
    });
  }
  for (auto& th : threads) th.join();
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto name = "r" + std::to_string(i);
    EXPECT_EQ(results[i],
              "vlan 1 on " + name + "\nvlan 2 on " + name + "\nvlan 3 on " + name + "\n");
  }
}

TEST(TemplateValues, HoldsTheDeviceFieldsAndTheParameters) {
  domain::Device d;
  d.name = "core-1.ams1";
  d.address = "192.0.2.1";
  d.platform = "cisco_ios";
  d.status = domain::DeviceStatus::Active;
  d.role = "core";
  d.serial = "FOC1234X";
  d.osVersion = "15.2(4)M7";
  d.tags = {"core", "pe"};
  auto v = templateValues(d, "ams1", {{"vlan_id", "20"}, {"vlans", "10,20"}});
  EXPECT_EQ(v, (TemplateValues{{"device.name", "core-1.ams1"},
                               {"device.address", "192.0.2.1"},
                               {"device.platform", "cisco_ios"},
                               {"device.status", "ACTIVE"},
                               {"device.role", "core"},
                               {"device.serial", "FOC1234X"},
                               {"device.os_version", "15.2(4)M7"},
                               {"device.area", "ams1"},
                               {"device.tags", "core,pe"},
                               {"vlan_id", "20"},
                               {"vlans", "10,20"}}));
  d.sshPort = 2222;
  d.snmpPort = 1161;
  v = templateValues(d, "ams1", {});
  EXPECT_EQ(v.at("device.ssh_port"), "2222");
  EXPECT_EQ(v.at("device.snmp_port"), "1161");
  EXPECT_EQ(render("{% for t in device.tags %}{{ t }};{% endfor %}", v), "core;pe;\n");
  try {
    templateValues(d, "ams1", {{"device.name", "fake"}});
    ADD_FAILURE() << "a parameter named device.name was accepted";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.field(), "parameters");
    EXPECT_NE(std::string(e.what()).find("'device.name'"), std::string::npos);
  }
}

}  // namespace
}  // namespace netspine::app
