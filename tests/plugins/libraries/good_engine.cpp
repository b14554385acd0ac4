// A working engine plugin: operations test.echo, test.throw, test.silent.
#include "test_plugins.hpp"

NETSPINE_PLUGIN(netspine::test_plugins::EchoEngine, netspine::test_plugins::engineManifest())
