// Another plugin with the id test_os: whichever loads second is refused.
#include "test_plugins.hpp"

NETSPINE_PLUGIN(netspine::test_plugins::TestOsPlatform,
                netspine::test_plugins::platformManifest("2.0.0"))
