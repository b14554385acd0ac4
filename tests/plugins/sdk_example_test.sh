#!/usr/bin/env bash
# The SDK proven from outside netspine's build: install the SDK into a fresh prefix, build the
# example plugin as a separate CMake project against it, run its own tests, then load it with the
# built netspine (plugin check, plugin install, plugin list).
# Usage: sdk_example_test.sh BUILD_DIR EXAMPLE_DIR WORK_DIR NETSPINE CXX CXX_FLAGS BUILD_TYPE MAKE
set -euo pipefail

build=$1 example=$2 work=$3 netspine=$4 cxx=$5 cxxflags=$6 buildtype=$7 make=$8
step() { printf '\n=== %s\n' "$*"; }

rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix

step "install the SDK into $prefix"
cmake --install "$build" --prefix "$prefix" --component sdk
for f in include/netspine/plugin/plugin.hpp include/netspine/plugin/version.hpp \
         lib/cmake/netspine-sdk/netspine-sdkConfig.cmake \
         lib/cmake/netspine-sdk/netspine-sdkConfigVersion.cmake \
         lib/cmake/netspine-sdk/netspine-sdkTargets.cmake \
         lib/cmake/netspine-sdk/NetspinePlugin.cmake; do
  [[ -f $prefix/$f ]] || { echo "missing after install: $f" >&2; exit 1; }
done

step "configure the example against the installed SDK only"
# The example's source is copied out of the netspine tree, so nothing can reach netspine's own
# headers by a relative path.
cp -r "$example" "$work/src"
cmake -S "$work/src" -B "$work/build" -G Ninja -DCMAKE_MAKE_PROGRAM="$make" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_FLAGS="$cxxflags" \
  -DCMAKE_BUILD_TYPE="${buildtype:-RelWithDebInfo}"

step "build"
cmake --build "$work/build" -j2

step "the example's own tests"
ctest --test-dir "$work/build" --output-on-failure

plugin=$work/build/mikrotik_routeros.so
step "netspine plugin check $plugin"
out=$("$netspine" plugin check "$plugin")
echo "$out"
[[ $out == *mikrotik_routeros* ]] || { echo "check did not name the plugin" >&2; exit 1; }

step "netspine plugin install, then plugin list"
mkdir -m 0755 "$work/plugins"
printf 'plugin_dirs: [plugins]\n' > "$work/netspine.yaml"
"$netspine" --config "$work/netspine.yaml" plugin install "$plugin"
listed=$("$netspine" --config "$work/netspine.yaml" plugin list)
echo "$listed"
grep -Eq '^mikrotik_routeros +platform +1\.0\.0 ' <<<"$listed" ||
  { echo "plugin list does not show the installed plugin" >&2; exit 1; }

step "the SDK's simulator: a test of an out-of-tree project starts a TestDevice and gets its banner"
mkdir -p "$work/simsrc"
cat >"$work/simsrc/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(sim_consumer LANGUAGES CXX)
find_package(netspine-sdk REQUIRED)
find_package(GTest REQUIRED)
add_executable(sim_consumer_test sim_consumer_test.cpp)
target_compile_features(sim_consumer_test PRIVATE cxx_std_20)
target_link_libraries(sim_consumer_test PRIVATE netspine::sim GTest::gtest_main)
CMAKE
cat >"$work/simsrc/sim_consumer_test.cpp" <<'CPP'
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netspine/sim/test_device.hpp>
#include <string>

TEST(SimFromSdk, TestDeviceServesSshOnLoopback) {
  netspine::sim::TestDevice device(netspine::sim::OsKind::JuniperJunos);
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(device.port());
  ASSERT_EQ(::inet_pton(AF_INET, device.address().c_str(), &addr.sin_addr), 1);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  char buffer[64] = {};
  ASSERT_GT(::read(fd, buffer, sizeof buffer - 1), 0);
  ::close(fd);
  EXPECT_EQ(std::string(buffer).rfind("SSH-2.0-", 0), 0u) << buffer;
  EXPECT_TRUE(device.state().runningHasLine("set system host-name r1"));
}
CPP
cmake -S "$work/simsrc" -B "$work/simbuild" -G Ninja -DCMAKE_MAKE_PROGRAM="$make" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_FLAGS="$cxxflags" \
  -DCMAKE_BUILD_TYPE="${buildtype:-RelWithDebInfo}"
cmake --build "$work/simbuild" -j2
"$work/simbuild/sim_consumer_test"
[[ -x $prefix/bin/netspine-sim ]] || { echo "netspine-sim is not installed with the SDK" >&2; exit 1; }
echo "ok"
