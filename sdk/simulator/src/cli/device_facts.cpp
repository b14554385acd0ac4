#include "device_facts.hpp"

#include "text_util.hpp"

namespace netspine::sim {

DeviceFacts deviceFacts(const DeviceProfile& profile) {
  Rng rng(fnv1a(profile.name) ^ 0x5eed);
  constexpr std::string_view kUpper = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
  DeviceFacts facts;
  switch (profile.os) {
    case OsKind::CiscoIos:
      facts.model = "WS-C3750X-48P-S";
      facts.osVersion = "15.2(4)E10";
      facts.serial =
          "FDO" + strf("%04u", static_cast<unsigned>(rng.range(1000, 2399))) + rng.chars(4, kUpper);
      break;
    case OsKind::JuniperJunos:
      facts.model = "mx480";
      facts.osVersion = "20.4R3.8";
      facts.serial = "JN" + rng.chars(10, "0123456789ABCDEF");
      break;
    case OsKind::AristaEos:
      facts.model = "DCS-7050SX3-48YC8";
      facts.osVersion = "4.27.3F";
      facts.serial = "JPE" + strf("%08u", static_cast<unsigned>(rng.range(10000000, 99999999)));
      break;
  }
  facts.mac = strf("%04x.%04x.%04x", static_cast<unsigned>(rng.range(0x0000, 0xffff)) & 0xfcff,
                   static_cast<unsigned>(rng.range(0, 0xffff)),
                   static_cast<unsigned>(rng.range(0, 0xffff)));
  facts.uptimeAtStart = std::chrono::seconds(rng.range(3600, 400 * 86400));
  return facts;
}

}  // namespace netspine::sim
