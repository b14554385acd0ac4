#include "show_output.hpp"

#include <ctime>

namespace netspine::sim {

namespace {

std::string iosVersion(const SimulatedDevice& device) {
  const auto& f = device.facts();
  const auto& name = device.hostname();
  const TimePoint restarted = device.now() - device.uptime();
  return "Cisco IOS Software, C3750E Software (C3750E-UNIVERSALK9-M), Version " + f.osVersion +
         ", RELEASE SOFTWARE (fc2)\n"
         "Technical Support: http://www.cisco.com/techsupport\n"
         "Copyright (c) 1986-2020 by Cisco Systems, Inc.\n"
         "Compiled Thu 09-Jul-20 21:49 by prod_rel_team\n\n"
         "ROM: Bootstrap program is C3750E boot loader\n"
         "BOOTLDR: C3750E Boot Loader (C3750X-HBOOT-M) Version 12.2(58r)SE, RELEASE SOFTWARE "
         "(fc1)\n\n" +
         name + " uptime is " + uptimeText(device.uptime(), false) +
         "\nSystem returned to ROM by power-on\nSystem restarted at " + iosTime(restarted) +
         "\nSystem image file is \"flash:/c3750e-universalk9-mz.152-4.E10.bin\"\n"
         "Last reload reason: power-on\n\n\n\n"
         "This product contains cryptographic features and is subject to United\n"
         "States and local country laws governing import, export, transfer and\n"
         "use. Delivery of Cisco cryptographic products does not imply\n"
         "third-party authority to import, export, distribute or use encryption.\n\n"
         "License Level: ipservices\nLicense Type: Permanent Right-To-Use\n"
         "Next reload license Level: ipservices\n\n"
         "cisco " +
         f.model +
         " (PowerPC405) processor (revision A0) with 262144K bytes of memory.\n"
         "Processor board ID " +
         f.serial +
         "\n"
         "Last reset from power-on\n"
         "2 Virtual Ethernet interfaces\n"
         "1 FastEthernet interface\n"
         "52 Gigabit Ethernet interfaces\n"
         "2 Ten Gigabit Ethernet interfaces\n"
         "The password-recovery mechanism is enabled.\n\n"
         "512K bytes of flash-simulated non-volatile configuration memory.\n"
         "Base ethernet MAC Address       : " +
         f.mac +
         "\n"
         "Motherboard assembly number     : 73-12554-08\n"
         "Motherboard serial number       : FDO" +
         f.serial.substr(3, 4) +
         "0Q3B\n"
         "Model revision number           : A0\n"
         "Model number                    : " +
         f.model +
         "\n"
         "System serial number            : " +
         f.serial +
         "\n\n\n"
         "Switch Ports Model                     SW Version            SW Image\n"
         "------ ----- -----                     ----------            ----------\n"
         "*    1 54    " +
         f.model + "            " + f.osVersion +
         "            C3750E-UNIVERSALK9-M\n\n\n"
         "Configuration register is 0xF\n";
}

std::string junosVersion(const SimulatedDevice& device) {
  const auto& f = device.facts();
  return "Hostname: " + device.hostname() + "\nModel: " + f.model + "\nJunos: " + f.osVersion +
         "\nJUNOS OS Kernel 64-bit  [20210618.f43645e_builder_stable_11-204ab]\n"
         "JUNOS OS libs [20210618.f43645e_builder_stable_11-204ab]\n"
         "JUNOS OS runtime [20210618.f43645e_builder_stable_11-204ab]\n"
         "JUNOS OS time zone information [20210618.f43645e_builder_stable_11-204ab]\n"
         "JUNOS network stack and utilities [20210712.043232_builder_junos_204_r3]\n"
         "JUNOS libs [20210712.043232_builder_junos_204_r3]\n"
         "JUNOS OS libs compat32 [20210618.f43645e_builder_stable_11-204ab]\n"
         "JUNOS OS 32-bit compatibility [20210618.f43645e_builder_stable_11-204ab]\n"
         "JUNOS libs compat32 [20210712.043232_builder_junos_204_r3]\n"
         "JUNOS runtime [20210712.043232_builder_junos_204_r3]\n"
         "JUNOS Packet Forwarding Engine Simulation Package "
         "[20210712.043232_builder_junos_204_r3]\n"
         "JUNOS py extensions [20210712.043232_builder_junos_204_r3]\n"
         "JUNOS py base [20210712.043232_builder_junos_204_r3]\n"
         "JUNOS OS vmguest [20210618.f43645e_builder_stable_11-204ab]\n"
         "JUNOS OS crypto [20210618.f43645e_builder_stable_11-204ab]\n"
         "JUNOS mx libs [20210712.043232_builder_junos_204_r3]\n"
         "JUNOS mx runtime [20210712.043232_builder_junos_204_r3]\n"
         "JUNOS Kernel Software Suite [20210712.043232_builder_junos_204_r3]\n"
         "JUNOS Routing Software Suite [20210712.043232_builder_junos_204_r3]\n";
}

std::string eosVersion(const SimulatedDevice& device) {
  const auto& f = device.facts();
  return "Arista " + f.model + "-F\nHardware version: 11.01\nSerial number: " + f.serial +
         "\nHardware MAC address: " + f.mac + "\nSystem MAC address: " + f.mac +
         "\n\nSoftware image version: " + f.osVersion +
         "\nArchitecture: x86_64\nInternal build version: " + f.osVersion +
         "-26379303.4273F\nInternal build ID: 7b0b1ce6-3d2f-41b8-9f1f-d8a3b4a5c6d7\n"
         "Image format version: 1.0\nImage optimization: Strata-4GB\n\nUptime: " +
         uptimeText(device.uptime(), true) +
         "\nTotal memory: 8098984 kB\nFree memory: 6293012 kB\n\n";
}

std::string iosInventory(const SimulatedDevice& device) {
  const auto& f = device.facts();
  Rng rng(fnv1a(f.serial));
  auto serial = [&] { return "FDO" + rng.chars(8, "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"); };
  return "NAME: \"1\", DESCR: \"" + f.model + "\"\nPID: " + f.model +
         "   , VID: V07  , SN: " + f.serial +
         "\n\nNAME: \"Switch 1 - Power Supply 0\", DESCR: \"FRU Power Supply\"\n"
         "PID: C3KX-PWR-715WAC    , VID: V02  , SN: " +
         serial() +
         "\n\nNAME: \"Switch 1 - FRULink Slot 1 - FRULink Module\", DESCR: \"FRULink 10G SFP+ "
         "Module\"\nPID: C3KX-NM-10G        , VID: V03  , SN: " +
         serial() +
         "\n\nNAME: \"TenGigabitEthernet1/1/1\", DESCR: \"SFP-10GBase-SR\"\n"
         "PID: SFP-10G-SR         , VID: V03  , SN: " +
         serial() + "\n\n";
}

std::string junosChassis(const SimulatedDevice& device) {
  const auto& f = device.facts();
  Rng rng(fnv1a(f.serial));
  auto serial = [&] { return rng.chars(8, "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"); };
  return "Hardware inventory:\n"
         "Item             Version  Part number  Serial number     Description\n"
         "Chassis                                " +
         f.serial +
         "      MX480\n"
         "Midplane         REV 05   750-047862   " +
         serial() +
         "          Enhanced MX480 Midplane\n"
         "FPM Board        REV 03   710-017254   " +
         serial() +
         "          Front Panel Display\n"
         "PEM 0            Rev 10   740-029970   " +
         serial() +
         "          PS 1.4-2.52kW; 90-264V AC in\n"
         "Routing Engine 0 REV 07   750-072923   " +
         serial() +
         "          RE-S-2X00x6\n"
         "CB 0             REV 10   750-062572   " +
         serial() +
         "          Enhanced MX SCB 2\n"
         "FPC 0            REV 42   750-053323   " +
         serial() +
         "          MPC7E 3D 40XGE\n"
         "  CPU            REV 19   750-057177   " +
         serial() +
         "          SMPC PMB\n"
         "  PIC 0                   BUILTIN      BUILTIN           20XGE SFPP PIC\n"
         "    Xcvr 0       REV 01   740-031980   " +
         serial() +
         "          SFP+-10G-SR\n"
         "Fan Tray 0       REV 01   760-070201   " +
         serial() + "          Enhanced Fan Tray\n";
}

std::string eosInventory(const SimulatedDevice& device) {
  const auto& f = device.facts();
  Rng rng(fnv1a(f.serial));
  auto serial = [&] { return "JPE" + rng.chars(8, "0123456789"); };
  return "System information\n"
         "  Model                    Description\n"
         "  ------------------------ ----------------------------------------------------\n"
         "  " +
         f.model +
         "-F      48x25G SFP & 8x100G QSFP Switch\n\n"
         "  HW Version  Serial Number  Mfg Date   Epoch\n"
         "  ----------- -------------- ---------- -----\n"
         "  11.01       " +
         f.serial +
         "    2019-05-06 01.00\n\n"
         "System has 2 power supply slots\n"
         "  Slot Model            Serial Number\n"
         "  ---- ---------------- ----------------\n"
         "  1    PWR-500AC-F      " +
         serial() +
         "\n"
         "  2    PWR-500AC-F      " +
         serial() +
         "\n\n"
         "System has 4 fan modules\n"
         "  Module  Number of Fans  Model            Serial Number\n"
         "  ------- --------------- ---------------- ----------------\n"
         "  1       1               FAN-7000-F       N/A\n"
         "  2       1               FAN-7000-F       N/A\n"
         "  3       1               FAN-7000-F       N/A\n"
         "  4       1               FAN-7000-F       N/A\n\n";
}

}  // namespace

std::string showVersion(const SimulatedDevice& device) {
  switch (device.profile().os) {
    case OsKind::CiscoIos:
      return iosVersion(device);
    case OsKind::JuniperJunos:
      return junosVersion(device);
    case OsKind::AristaEos:
      return eosVersion(device);
  }
  return "";
}

std::string showInventory(const SimulatedDevice& device) {
  switch (device.profile().os) {
    case OsKind::CiscoIos:
      return iosInventory(device);
    case OsKind::JuniperJunos:
      return junosChassis(device);
    case OsKind::AristaEos:
      return eosInventory(device);
  }
  return "";
}

std::string showClock(const SimulatedDevice& device) {
  const TimePoint now = device.now();
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  switch (device.profile().os) {
    case OsKind::CiscoIos: {
      std::string time = iosTime(now);  // "10:11:12 UTC Mon Mar 4 2024"
      return "*" + time.substr(0, 8) + strf(".%03lld", static_cast<long long>(millis)) +
             time.substr(8) + "\n";
    }
    case OsKind::AristaEos:
      return eosTime(now) + "\nTimezone: UTC\nClock source: NTP server (10.0.0.123)\n";
    case OsKind::JuniperJunos:
      return "Current time: " + junosTime(now) + "\n";
  }
  return "";
}

std::string showInterfaces(const SimulatedDevice& device) {
  auto tree = device.running();
  std::string out;
  if (device.profile().os == OsKind::JuniperJunos) {
    out = "Interface               Admin Link Proto    Local                 Remote\n";
    for (const auto& top : tree->nodes) {
      if (top.text != "interfaces") continue;
      for (const auto& intf : top.children) out += strf("%-24sup    up\n", intf.text.c_str());
    }
    return out;
  }
  const bool ios = device.profile().os == OsKind::CiscoIos;
  out = ios ? "Interface              IP-Address      OK? Method Status                Protocol\n"
            : "Interface         IP Address         Status     Protocol         MTU    Owner\n"
              "----------------- ------------------ ---------- ---------------- ------ -------\n";
  for (const auto& node : tree->nodes) {
    if (!startsWith(node.text, "interface ")) continue;
    std::string address = "unassigned";
    bool down = false;
    for (const auto& child : node.children) {
      if (startsWith(child.text, "ip address ")) address = words(child.text)[2];
      if (child.text == "shutdown") down = true;
    }
    const std::string name = node.text.substr(10);
    if (ios)
      out += strf("%-22s %-15s YES NVRAM  %-21s %s\n", name.c_str(), address.c_str(),
                  down ? "administratively down" : "up", down ? "down" : "up");
    else
      out += strf("%-17s %-18s %-10s %-16s %-6s\n", name.c_str(), address.c_str(),
                  down ? "admin down" : "up", down ? "down" : "up", "1500");
  }
  return out;
}

std::string shellBanner(const SimulatedDevice& device) {
  switch (device.profile().os) {
    case OsKind::CiscoIos:
      return "\nAuthorized access only. " + device.profile().name + " is monitored.\n\n";
    case OsKind::JuniperJunos:
      return "Last login: " + junosTime(device.now() - std::chrono::hours(26)) +
             " from 10.0.0.10\n--- JUNOS " + device.facts().osVersion +
             " built 2021-07-12 04:32:32 UTC\n";
    case OsKind::AristaEos:
      return "Last login: " + eosTime(device.now() - std::chrono::hours(26)) + " from 10.0.0.10\n";
  }
  return "";
}

}  // namespace netspine::sim
