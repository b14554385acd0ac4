#pragma once
// The plugin-API version and the ABI tag a plugin and the host must share.

#include <cstdint>

namespace netspine::plugin {

// Major changes break plugins (the host refuses another major); minor changes only add, so the
// host accepts a plugin built against its own minor or an older one.
inline constexpr std::uint32_t kApiMajor = 1;
inline constexpr std::uint32_t kApiMinor = 2;
// 1.1: an engine may export netspine_engine_max_batch (NETSPINE_ENGINE_BATCH in plugin.hpp).
// 1.2: RunContext::refusal and RunContext::keep (engine.hpp), for engines that change devices.

#define NETSPINE_PLUGIN_STRINGIFY_(x) #x
#define NETSPINE_PLUGIN_STRINGIFY(x) NETSPINE_PLUGIN_STRINGIFY_(x)

// The C++ types that cross the boundary (std::string, std::vector, vtables) must be laid out the
// same on both sides: the tag names the standard library, its string ABI and the C++ standard.
#if defined(_LIBCPP_VERSION)
#define NETSPINE_PLUGIN_STDLIB "libc++" NETSPINE_PLUGIN_STRINGIFY(_LIBCPP_ABI_VERSION)
#elif defined(__GLIBCXX__)
#define NETSPINE_PLUGIN_STDLIB \
  "libstdc++-cxx11abi" NETSPINE_PLUGIN_STRINGIFY(_GLIBCXX_USE_CXX11_ABI)
#else
#define NETSPINE_PLUGIN_STDLIB "unknown-stdlib"
#endif

#if defined(__x86_64__)
#define NETSPINE_PLUGIN_ARCH "x86_64"
#elif defined(__aarch64__)
#define NETSPINE_PLUGIN_ARCH "aarch64"
#else
#define NETSPINE_PLUGIN_ARCH "other-arch"
#endif

#define NETSPINE_PLUGIN_ABI_TAG                           \
  NETSPINE_PLUGIN_ARCH "/itanium/" NETSPINE_PLUGIN_STDLIB \
                       "/cxx" NETSPINE_PLUGIN_STRINGIFY(__cplusplus)

inline constexpr const char* kAbiTag = NETSPINE_PLUGIN_ABI_TAG;

// What a plugin exports first, a C-layout struct, so the host can read it before trusting any C++
// type the plugin was built with.
struct Handshake {
  std::uint32_t apiMajor;
  std::uint32_t apiMinor;
  const char* abiTag;
};

}  // namespace netspine::plugin
