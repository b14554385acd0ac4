// A shared library that is not a netspine plugin: no handshake.
#include <netspine/plugin/plugin.hpp>

NETSPINE_PLUGIN_EXPORT int not_a_plugin_answer() {
  return 42;
}
