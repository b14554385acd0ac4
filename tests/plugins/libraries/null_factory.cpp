// A factory that returns no object.
#include "test_plugins.hpp"

NETSPINE_PLUGIN_EXPORT const netspine::plugin::Handshake* netspine_plugin_handshake() {
  static const netspine::plugin::Handshake handshake{
      netspine::plugin::kApiMajor, netspine::plugin::kApiMinor, NETSPINE_PLUGIN_ABI_TAG};
  return &handshake;
}
NETSPINE_PLUGIN_EXPORT const netspine::plugin::Manifest* netspine_plugin_manifest() {
  static const netspine::plugin::Manifest manifest = netspine::test_plugins::platformManifest();
  return &manifest;
}
NETSPINE_PLUGIN_EXPORT netspine::plugin::Plugin* netspine_plugin_create() {
  return nullptr;
}
NETSPINE_PLUGIN_EXPORT void netspine_plugin_destroy(netspine::plugin::Plugin* plugin) {
  delete plugin;
}
