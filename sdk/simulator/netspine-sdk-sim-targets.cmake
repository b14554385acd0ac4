# The device simulator part of netspine-sdk: netspine::sim (TestDevice, SshServer) and
# netspine::sim_cli. Static libraries, so their own dependencies are found here first.
include(CMakeFindDependencyMacro)
find_dependency(Threads)
find_dependency(yaml-cpp)
find_dependency(PkgConfig)
if(NOT TARGET PkgConfig::LIBSSH)
  pkg_check_modules(LIBSSH REQUIRED IMPORTED_TARGET libssh)
endif()
include("${CMAKE_CURRENT_LIST_DIR}/netspine-sdk-sim-exports.cmake")
