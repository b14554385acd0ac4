// The cisco_ios plugin library: exports CiscoIosPlatform.
#include "cisco_ios_platform.hpp"

NETSPINE_PLUGIN(netspine::platforms::cisco_ios::CiscoIosPlatform,
                netspine::platforms::cisco_ios::manifest())
