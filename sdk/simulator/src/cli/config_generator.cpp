#include "config_generator.hpp"

#include <algorithm>

#include "device_facts.hpp"
#include "junos_config.hpp"
#include "text_util.hpp"

namespace netspine::sim {

namespace {

constexpr std::string_view kCryptAlphabet =
    "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kJunos9Alphabet =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./-";
constexpr std::string_view kHex = "0123456789ABCDEF";

// The secret formats each OS prints; values are random-looking but fixed per device.
struct Secrets {
  Rng& rng;
  std::string type5() {
    return "$1$" + rng.chars(4, kCryptAlphabet) + "$" + rng.chars(22, kCryptAlphabet);
  }
  std::string type9() {
    return "$9$" + rng.chars(14, kCryptAlphabet) + "$" + rng.chars(43, kCryptAlphabet);
  }
  std::string type7() {
    return strf("%02u", static_cast<unsigned>(rng.range(0, 15))) +
           rng.chars(2 * rng.range(6, 10), kHex);
  }
  std::string sha512() {
    return "$6$" + rng.chars(16, kCryptAlphabet) + "$" + rng.chars(86, kCryptAlphabet);
  }
  std::string junos9() { return "$9$" + rng.chars(rng.range(18, 40), kJunos9Alphabet); }
  std::string eosBgp7() { return rng.chars(22, kCryptAlphabet.substr(2)) + "=="; }
  std::string community() { return rng.chars(rng.range(8, 14), kCryptAlphabet.substr(2)); }
  std::string plain() { return rng.chars(rng.range(10, 16), kCryptAlphabet.substr(2)); }
};

// How the requested size is spread over the repeated parts of a configuration.
struct Budget {
  std::size_t interfaces, vlans, aclEntries, routes;
};

Budget budgetFor(const DeviceProfile& profile, std::size_t baseLines, std::size_t bytesPerLine) {
  std::size_t lines = profile.configLines;
  if (profile.faults.count(Fault::HugeConfig)) lines = kHugeConfigBytes / bytesPerLine;
  const std::size_t rest = lines > baseLines ? lines - baseLines : 0;
  Budget budget{};
  budget.interfaces = std::clamp<std::size_t>(rest / 24, 2, 48);
  budget.vlans = std::min<std::size_t>(rest / 16, 400);
  const std::size_t used = budget.interfaces * 6 + budget.vlans * 3;
  const std::size_t left = rest > used ? rest - used : 0;
  budget.aclEntries = left / 2;
  budget.routes = left - budget.aclEntries;
  return budget;
}

std::string ip(unsigned a, unsigned b, unsigned c, unsigned d) {
  return strf("%u.%u.%u.%u", a, b, c, d);
}

// The r-th generated static route: /24s in 172.16/12, then host routes in 100.64/10.
std::string routePrefix(std::size_t r, bool cidr) {
  if (r < 4096)
    return strf("172.%zu.%zu.0", 16 + r / 256, r % 256) + (cidr ? "/24" : " 255.255.255.0");
  r -= 4096;
  return strf("100.%zu.%zu.%zu", 64 + r / 65536 % 64, r / 256 % 256, r % 256) +
         (cidr ? "/32" : " 255.255.255.255");
}

class CiscoBuilder {
 public:
  void line(std::string text) { tree_.nodes.push_back({std::move(text), {}}); }
  void bang() { line("!"); }
  ConfigNode& section(std::string header) {
    tree_.nodes.push_back({std::move(header), {}});
    return tree_.nodes.back();
  }
  static void add(ConfigNode& node, std::string text) {
    node.children.push_back({std::move(text), {}});
  }
  ConfigTree take() { return std::move(tree_); }

 private:
  ConfigTree tree_;
};

ConfigTree generateIos(const DeviceProfile& profile) {
  Rng rng(fnv1a(profile.name));
  Secrets secret{rng};
  const unsigned site = static_cast<unsigned>(rng.range(1, 250));
  const unsigned host = static_cast<unsigned>(rng.range(1, 250));
  const unsigned asn = static_cast<unsigned>(rng.range(64512, 65534));
  const Budget budget = budgetFor(profile, 120, 66);
  const std::string loopback = ip(10, 255, site, host);
  CiscoBuilder b;

  b.line("version 15.2");
  b.line("no service pad");
  b.line("service timestamps debug datetime msec");
  b.line("service timestamps log datetime msec");
  b.line("service password-encryption");
  b.bang();
  b.line("hostname " + profile.name);
  b.bang();
  b.line("boot-start-marker");
  b.line("boot-end-marker");
  b.bang();
  b.line("logging buffered 51200 warnings");
  b.line("enable secret 9 " + secret.type9());
  b.bang();
  b.line("username " + profile.username + " privilege 15 secret 9 " + secret.type9());
  b.line("username netops privilege 15 secret 5 " + secret.type5());
  b.line("username backup privilege 1 password 7 " + secret.type7());
  b.line("aaa new-model");
  b.bang();
  b.line("aaa group server tacacs+ TACACS");
  b.line(" server name TAC1");
  b.bang();
  b.line("aaa authentication login default group TACACS local");
  b.line("aaa authorization exec default group TACACS local");
  b.line("aaa accounting exec default start-stop group TACACS");
  b.bang();
  b.line("aaa session-id common");
  b.line("clock timezone UTC 0 0");
  b.line("switch 1 provision ws-c3750x-48p");
  b.line("system mtu routing 1500");
  b.line("ip routing");
  b.bang();
  b.line("ip domain-name example.net");
  b.line("ip name-server " + ip(10, site, 0, 53));
  b.line("no ip domain-lookup");
  b.bang();
  auto& isakmp = b.section("crypto isakmp policy 10");
  CiscoBuilder::add(isakmp, "encr aes 256");
  CiscoBuilder::add(isakmp, "authentication pre-share");
  CiscoBuilder::add(isakmp, "group 14");
  b.line("crypto isakmp key " + secret.plain() + " address " + ip(203, 0, 113, site));
  b.bang();
  b.line("spanning-tree mode rapid-pvst");
  b.line("spanning-tree extend system-id");
  b.bang();
  for (std::size_t v = 0; v < budget.vlans; ++v) {
    auto& vlan = b.section(strf("vlan %zu", 100 + v));
    CiscoBuilder::add(vlan, strf("name %s-%zu",
                                 v % 3 == 0   ? "SERVERS"
                                 : v % 3 == 1 ? "USERS"
                                              : "VOICE",
                                 100 + v));
    b.bang();
  }
  auto& lo = b.section("interface Loopback0");
  CiscoBuilder::add(lo, "description router-id");
  CiscoBuilder::add(lo, "ip address " + loopback + " 255.255.255.255");
  b.bang();
  for (std::size_t i = 0; i < budget.interfaces; ++i) {
    auto& intf = b.section(strf("interface GigabitEthernet1/0/%zu", i + 1));
    if (i < 2) {
      CiscoBuilder::add(intf,
                        strf("description uplink to core-%02zu Te1/1/%u", i + 1, site % 4 + 1));
      CiscoBuilder::add(intf, "no switchport");
      CiscoBuilder::add(
          intf, "ip address " + ip(10, site, static_cast<unsigned>(i), 2) + " 255.255.255.252");
      CiscoBuilder::add(intf, "ip ospf message-digest-key 1 md5 7 " + secret.type7());
      CiscoBuilder::add(intf, "ip ospf authentication message-digest");
    } else if (i % 7 == 6) {
      CiscoBuilder::add(intf, "description unused");
      CiscoBuilder::add(intf, "shutdown");
    } else {
      CiscoBuilder::add(intf,
                        strf("description access port %zu desk %u-%zu", i + 1, site, i * 3 % 97));
      CiscoBuilder::add(intf, strf("switchport access vlan %zu",
                                   100 + i % std::max<std::size_t>(budget.vlans, 1)));
      CiscoBuilder::add(intf, "switchport mode access");
      CiscoBuilder::add(intf, "spanning-tree portfast");
    }
    b.bang();
  }
  auto& vlan1 = b.section("interface Vlan1");
  CiscoBuilder::add(vlan1, "no ip address");
  CiscoBuilder::add(vlan1, "shutdown");
  b.bang();
  auto& ospf = b.section("router ospf 1");
  CiscoBuilder::add(ospf, "router-id " + loopback);
  CiscoBuilder::add(ospf, "passive-interface default");
  CiscoBuilder::add(ospf, "no passive-interface GigabitEthernet1/0/1");
  CiscoBuilder::add(ospf, "no passive-interface GigabitEthernet1/0/2");
  CiscoBuilder::add(ospf, "network 10.0.0.0 0.255.255.255 area 0");
  b.bang();
  auto& bgp = b.section(strf("router bgp %u", asn));
  CiscoBuilder::add(bgp, "bgp router-id " + loopback);
  CiscoBuilder::add(bgp, "bgp log-neighbor-changes");
  const std::string peer = ip(192, 0, 2, site % 254 + 1);
  CiscoBuilder::add(bgp, "neighbor " + peer + " remote-as 64512");
  CiscoBuilder::add(bgp, "neighbor " + peer + " description transit-a");
  CiscoBuilder::add(bgp, "neighbor " + peer + " password 7 " + secret.type7());
  CiscoBuilder::add(bgp, "!");
  ConfigNode af{"address-family ipv4", {}};
  CiscoBuilder::add(af, strf("network 10.%u.0.0 mask 255.255.0.0", site));
  CiscoBuilder::add(af, "neighbor " + peer + " activate");
  CiscoBuilder::add(af, "exit-address-family");
  bgp.children.push_back(std::move(af));
  b.bang();
  b.line("ip forward-protocol nd");
  b.line("no ip http server");
  b.line("no ip http secure-server");
  b.bang();
  b.line("ip route 0.0.0.0 0.0.0.0 " + ip(10, site, 0, 1));
  for (std::size_t r = 0; r < budget.routes; ++r)
    b.line("ip route " + routePrefix(r, false) +
           strf(" 10.%u.%zu.1 name route-%zu", site, r % 2, r));
  b.line("ip ssh version 2");
  b.bang();
  auto& acl = b.section("ip access-list extended MGMT-IN");
  CiscoBuilder::add(acl, "permit tcp 10.0.0.0 0.255.255.255 any eq 22");
  for (std::size_t a = 0; a < budget.aclEntries; ++a)
    CiscoBuilder::add(acl, strf("permit tcp 10.%zu.%zu.0 0.0.0.255 host 10.%u.0.%zu eq %zu",
                                a / 256 % 256, a % 256, site, a % 250 + 1, 443 + a % 3 * 1000));
  CiscoBuilder::add(acl, "deny   ip any any log");
  b.bang();
  b.line("access-list 10 permit 10.0.0.0 0.255.255.255");
  b.line("logging host " + ip(10, site, 0, 514 % 256));
  b.bang();
  b.line("snmp-server community " + secret.community() + " RO 10");
  b.line("snmp-server community " + secret.community() + " RW 10");
  b.line(
      strf("snmp-server location DC%u row %u rack %u", site % 4 + 1, host % 20 + 1, host % 42 + 1));
  b.line("snmp-server contact noc@example.net");
  b.line("snmp-server enable traps snmp linkdown linkup");
  b.line("snmp-server host " + ip(10, site, 0, 162) + " version 2c " + secret.community());
  b.line("tacacs-server host " + ip(10, site, 0, 49) + " key 7 " + secret.type7());
  b.line("tacacs server TAC1");
  b.line(" address ipv4 " + ip(10, site, 0, 49));
  b.line(" key 7 " + secret.type7());
  b.line("radius-server host " + ip(10, site, 0, 18) + " auth-port 1812 acct-port 1813");
  b.line("radius-server key 7 " + secret.type7());
  b.bang();
  b.line("banner motd ^C\nAuthorized access only. " + profile.name + " is monitored.\n^C");
  b.bang();
  auto& con = b.section("line con 0");
  CiscoBuilder::add(con, "exec-timeout 15 0");
  CiscoBuilder::add(con, "logging synchronous");
  auto& vty = b.section("line vty 0 4");
  CiscoBuilder::add(vty, "access-class 10 in");
  CiscoBuilder::add(vty, "exec-timeout 15 0");
  CiscoBuilder::add(vty, "transport input ssh");
  auto& vty2 = b.section("line vty 5 15");
  CiscoBuilder::add(vty2, "transport input ssh");
  b.bang();
  b.line("ntp authentication-key 1 md5 " + secret.type7() + " 7");
  b.line("ntp authenticate");
  b.line("ntp trusted-key 1");
  b.line("ntp server " + ip(10, site, 0, 123) + " key 1");
  return b.take();
}

ConfigTree generateEos(const DeviceProfile& profile) {
  Rng rng(fnv1a(profile.name));
  Secrets secret{rng};
  const unsigned site = static_cast<unsigned>(rng.range(1, 250));
  const unsigned host = static_cast<unsigned>(rng.range(1, 250));
  const unsigned asn = static_cast<unsigned>(rng.range(64512, 65534));
  const Budget budget = budgetFor(profile, 110, 61);
  const std::string loopback = ip(10, 255, site, host);
  CiscoBuilder b;

  b.line("! boot system flash:/EOS-4.27.3F.swi");
  b.bang();
  b.line("no aaa root");
  b.bang();
  b.line("username " + profile.username + " privilege 15 role network-admin secret sha512 " +
         secret.sha512());
  b.line("username netops privilege 15 role network-operator secret sha512 " + secret.sha512());
  b.bang();
  b.line("transceiver qsfp default-mode 4x10G");
  b.bang();
  b.line("service routing protocols model multi-agent");
  b.bang();
  b.line("hostname " + profile.name);
  b.line("ip name-server vrf default " + ip(10, site, 0, 53));
  b.line("dns domain example.net");
  b.bang();
  b.line("ntp authentication-key 1 md5 7 " + secret.type7());
  b.line("ntp trusted-key 1");
  b.line("ntp server " + ip(10, site, 0, 123) + " key 1");
  b.bang();
  b.line("snmp-server contact noc@example.net");
  b.line(
      strf("snmp-server location DC%u row %u rack %u", site % 4 + 1, host % 20 + 1, host % 42 + 1));
  b.line("snmp-server community " + secret.community() + " ro");
  b.line("snmp-server community " + secret.community() + " rw");
  b.bang();
  b.line("spanning-tree mode mstp");
  b.bang();
  b.line("tacacs-server host " + ip(10, site, 0, 49) + " key 7 " + secret.type7());
  b.line("radius-server host " + ip(10, site, 0, 18) + " key 7 " + secret.type7());
  b.bang();
  auto& group = b.section("aaa group server tacacs+ TACACS");
  CiscoBuilder::add(group, "server " + ip(10, site, 0, 49));
  b.bang();
  b.line("aaa authentication login default group TACACS local");
  b.line("aaa authorization exec default group TACACS local");
  b.line("aaa accounting commands all default start-stop group TACACS");
  b.bang();
  b.line("enable secret sha512 " + secret.sha512());
  b.bang();
  for (std::size_t v = 0; v < budget.vlans; ++v) {
    auto& vlan = b.section(strf("vlan %zu", 100 + v));
    CiscoBuilder::add(vlan, strf("name %s-%zu", v % 2 ? "servers" : "storage", 100 + v));
    b.bang();
  }
  for (std::size_t i = 0; i < budget.interfaces; ++i) {
    auto& intf = b.section(strf("interface Ethernet%zu", i + 1));
    if (i < 2) {
      CiscoBuilder::add(intf, strf("description spine-%02zu Ethernet%u", i + 1, site % 32 + 1));
      CiscoBuilder::add(intf, "no switchport");
      CiscoBuilder::add(intf, "ip address " + ip(10, site, static_cast<unsigned>(i), 1) + "/31");
      CiscoBuilder::add(intf, "ip ospf authentication-key 7 " + secret.type7());
    } else if (i % 7 == 6) {
      CiscoBuilder::add(intf, "description unused");
      CiscoBuilder::add(intf, "shutdown");
    } else {
      CiscoBuilder::add(intf, strf("description server-%u-%zu eth0", site, i));
      CiscoBuilder::add(intf, strf("switchport access vlan %zu",
                                   100 + i % std::max<std::size_t>(budget.vlans, 1)));
      CiscoBuilder::add(intf, "spanning-tree portfast");
    }
    b.bang();
  }
  auto& lo = b.section("interface Loopback0");
  CiscoBuilder::add(lo, "ip address " + loopback + "/32");
  b.bang();
  auto& mgmt = b.section("interface Management1");
  CiscoBuilder::add(mgmt, "ip address " + ip(192, 168, site, host) + "/24");
  b.bang();
  auto& acl = b.section("ip access-list MGMT-IN");
  CiscoBuilder::add(acl, "10 permit tcp 10.0.0.0/8 any eq ssh");
  for (std::size_t a = 0; a < budget.aclEntries; ++a)
    CiscoBuilder::add(acl,
                      strf("%zu permit tcp 10.%zu.%zu.0/24 host 10.%u.0.%zu eq %zu", 20 + a * 10,
                           a / 256 % 256, a % 256, site, a % 250 + 1, 443 + a % 3 * 1000));
  CiscoBuilder::add(acl, strf("%zu deny ip any any log", 20 + budget.aclEntries * 10));
  b.bang();
  b.line("ip routing");
  b.bang();
  b.line("ip route 0.0.0.0/0 " + ip(192, 168, site, 1));
  for (std::size_t r = 0; r < budget.routes; ++r)
    b.line("ip route " + routePrefix(r, true) +
           strf(" 10.%u.%zu.0 name route-%zu", site, r % 2, r));
  b.bang();
  auto& bgp = b.section(strf("router bgp %u", asn));
  CiscoBuilder::add(bgp, "router-id " + loopback);
  CiscoBuilder::add(bgp, "maximum-paths 4 ecmp 4");
  for (unsigned n = 0; n < 2; ++n) {
    const std::string peer = ip(10, site, n, 0);
    CiscoBuilder::add(bgp, strf("neighbor %s remote-as %u", peer.c_str(), 65000 + n));
    CiscoBuilder::add(bgp, "neighbor " + peer + " password 7 " + secret.eosBgp7());
  }
  CiscoBuilder::add(bgp, strf("network 10.%u.0.0/16", site));
  b.bang();
  auto& ospf = b.section("router ospf 1");
  CiscoBuilder::add(ospf, "router-id " + loopback);
  CiscoBuilder::add(ospf, "passive-interface default");
  CiscoBuilder::add(ospf, "no passive-interface Ethernet1");
  CiscoBuilder::add(ospf, "network 10.0.0.0/8 area 0.0.0.0");
  b.bang();
  b.line("logging host " + ip(10, site, 0, 2));
  b.bang();
  b.line("banner login\nAuthorized access only. " + profile.name + " is monitored.\nEOF");
  b.bang();
  auto& api = b.section("management api http-commands");
  CiscoBuilder::add(api, "no shutdown");
  return b.take();
}

ConfigTree generateJunos(const DeviceProfile& profile) {
  Rng rng(fnv1a(profile.name));
  Secrets secret{rng};
  const unsigned site = static_cast<unsigned>(rng.range(1, 250));
  const unsigned host = static_cast<unsigned>(rng.range(1, 250));
  const unsigned asn = static_cast<unsigned>(rng.range(64512, 65534));
  const Budget budget = budgetFor(profile, 140, 82);
  const std::string loopback = ip(10, 255, site, host);
  ConfigTree tree;
  auto set = [&](const std::string& statement) { junosSet(tree, junosPath(words(statement))); };
  // The children of an existing statement, to append to directly.
  auto level = [&](std::initializer_list<std::string_view> path) -> std::vector<ConfigNode>& {
    std::vector<ConfigNode>* nodes = &tree.nodes;
    for (auto text : path)
      for (auto& node : *nodes)
        if (node.text == text) {
          nodes = &node.children;
          break;
        }
    return *nodes;
  };

  set("version 20.4R3.8");
  set("system host-name " + profile.name);
  set("system root-authentication encrypted-password \"" + secret.sha512() + "\"");
  set("system login class noc permissions view-configuration");
  set("system login user " + profile.username + " uid 2000");
  set("system login user " + profile.username + " class super-user");
  set("system login user " + profile.username + " authentication encrypted-password \"" +
      secret.sha512() + "\"");
  set("system login user netops uid 2001");
  set("system login user netops class noc");
  set("system login user netops authentication encrypted-password \"" + secret.sha512() + "\"");
  set("system services ssh root-login deny");
  set("system services ssh protocol-version v2");
  set("system services netconf ssh");
  set("system domain-name example.net");
  set("system time-zone UTC");
  set("system authentication-order tacplus");
  set("system name-server " + ip(10, site, 0, 53));
  set("system tacplus-server " + ip(10, site, 0, 49) + " secret \"" + secret.junos9() + "\"");
  set("system tacplus-server " + ip(10, site, 0, 49) + " source-address " + loopback);
  set("system radius-server " + ip(10, site, 0, 18) + " secret \"" + secret.junos9() + "\"");
  set("system syslog user * any emergency");
  set("system syslog host " + ip(10, site, 0, 2) + " any notice");
  set("system syslog file messages any notice");
  set("system syslog file messages authorization info");
  set("system ntp authentication-key 1 type md5 value \"" + secret.junos9() + "\"");
  set("system ntp server " + ip(10, site, 0, 123) + " key 1");
  set("system ntp trusted-key 1");
  set("chassis aggregated-devices ethernet device-count 4");
  set("interfaces lo0 unit 0 family inet address " + loopback + "/32");
  for (std::size_t i = 0; i < budget.interfaces; ++i) {
    const std::string name = strf("ge-0/0/%zu", i);
    if (i < 2) {
      set("interfaces " + name + strf(" description \"uplink to core-%02zu\"", i + 1));
      set("interfaces " + name + " unit 0 family inet address " +
          ip(10, site, static_cast<unsigned>(i), 2) + "/30");
    } else if (i % 7 == 6) {
      set("interfaces " + name + " disable");
    } else {
      set("interfaces " + name + strf(" description \"server-%u-%zu eth0\"", site, i));
      set("interfaces " + name +
          strf(" unit 0 family ethernet-switching vlan members v%zu",
               100 + i % std::max<std::size_t>(budget.vlans, 1)));
    }
  }
  set("snmp location \"" + strf("DC%u row %u rack %u", site % 4 + 1, host % 20 + 1, host % 42 + 1) +
      "\"");
  set("snmp contact \"noc@example.net\"");
  set("snmp community " + secret.community() + " authorization read-only");
  set("snmp community " + secret.community() + " authorization read-write");
  set("routing-options router-id " + loopback);
  set(strf("routing-options autonomous-system %u", asn));
  set("routing-options static route 0.0.0.0/0 next-hop " + ip(10, site, 0, 1));
  // The bulk is appended directly: parsing half a million 'set' lines would be too slow.
  auto& routes = level({"routing-options", "static"});
  for (std::size_t r = 0; r < budget.routes; ++r)
    routes.push_back(
        {"route " + routePrefix(r, true), {{strf("next-hop 10.%u.%zu.1", site, r % 2), {}}}});
  set("protocols ospf area 0.0.0.0 interface ge-0/0/0.0 authentication md5 1 key \"" +
      secret.junos9() + "\"");
  set("protocols ospf area 0.0.0.0 interface lo0.0 passive");
  set("protocols bgp group transit type external");
  set("protocols bgp group transit peer-as 64512");
  const std::string peer = ip(192, 0, 2, site % 254 + 1);
  set("protocols bgp group transit neighbor " + peer + " description transit-a");
  set("protocols bgp group transit neighbor " + peer + " authentication-key \"" + secret.junos9() +
      "\"");
  set("protocols lldp interface all");
  set("firewall family inet filter PROTECT-RE term ssh from source-address 10.0.0.0/8");
  set("firewall family inet filter PROTECT-RE term ssh from protocol tcp");
  set("firewall family inet filter PROTECT-RE term ssh from destination-port ssh");
  set("firewall family inet filter PROTECT-RE term ssh then accept");
  auto& terms = level({"firewall", "family inet", "filter PROTECT-RE"});
  for (std::size_t a = 0; a < budget.aclEntries / 3; ++a) {
    terms.push_back({strf("term t%zu", a),
                     {{"from",
                       {{strf("source-address 10.%zu.%zu.0/24", a / 256 % 256, a % 256), {}},
                        {strf("destination-port %zu", 443 + a % 3 * 1000), {}}}},
                      {"then", {{"accept", {}}}}}});
  }
  set("firewall family inet filter PROTECT-RE term deny then discard");
  set("security ike policy IKE-POL mode main");
  set("security ike policy IKE-POL proposal-set standard");
  set("security ike policy IKE-POL pre-shared-key ascii-text \"" + secret.junos9() + "\"");
  set("security ike gateway GW1 ike-policy IKE-POL");
  set("security ike gateway GW1 address " + ip(203, 0, 113, site));
  set("security ike gateway GW1 external-interface ge-0/0/1.0");
  set("vlans default vlan-id 1");
  auto& vlans = level({"vlans"});
  for (std::size_t v = 0; v < budget.vlans; ++v)
    vlans.push_back({strf("v%zu", 100 + v), {{strf("vlan-id %zu", 100 + v), {}}}});
  return tree;
}

}  // namespace

ConfigTree generateConfig(const DeviceProfile& profile) {
  switch (profile.os) {
    case OsKind::CiscoIos:
      return generateIos(profile);
    case OsKind::JuniperJunos:
      return generateJunos(profile);
    case OsKind::AristaEos:
      return generateEos(profile);
  }
  return {};
}

}  // namespace netspine::sim
