// The arista_eos plugin library: exports AristaEosPlatform.
#include "arista_eos_platform.hpp"

NETSPINE_PLUGIN(netspine::platforms::arista_eos::AristaEosPlatform,
                netspine::platforms::arista_eos::manifest())
