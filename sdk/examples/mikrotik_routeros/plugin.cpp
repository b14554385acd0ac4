// The mikrotik_routeros plugin library: exports RouterOsPlatform.
#include "routeros_platform.hpp"

NETSPINE_PLUGIN(example::mikrotik_routeros::RouterOsPlatform,
                example::mikrotik_routeros::manifest())
