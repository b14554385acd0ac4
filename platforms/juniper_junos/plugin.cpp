// The juniper_junos plugin library: exports JuniperJunosPlatform.
#include "juniper_junos_platform.hpp"

NETSPINE_PLUGIN(netspine::platforms::juniper_junos::JuniperJunosPlatform,
                netspine::platforms::juniper_junos::manifest())
