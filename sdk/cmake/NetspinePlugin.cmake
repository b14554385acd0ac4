# netspine_add_plugin(NAME SOURCES file...): a netspine plugin as a shared library named NAME.so,
# built with hidden visibility against the plugin API only. Used in-tree and by the SDK package
# (find_package(netspine-sdk)), where netspine::plugin-api is the installed, imported target.
#   NETSPINE_PLUGIN_OUTPUT_DIR   where NAME.so is built (default: CMake's own choice)
#   NETSPINE_PLUGIN_INSTALL_DIR  if set, `cmake --install` puts NAME.so there; netspine sets it
#                                for its own plugins only, an SDK user installs as they like
function(netspine_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES")
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "netspine_add_plugin(${name}): no SOURCES")
  endif()
  add_library(${name} MODULE ${arg_SOURCES})
  target_link_libraries(${name} PRIVATE netspine::plugin-api)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    CXX_STANDARD 20
    CXX_STANDARD_REQUIRED ON
    CXX_EXTENSIONS OFF)
  # g++ binds inline variables and template statics (std::piecewise_construct…) as
  # STB_GNU_UNIQUE, which makes glibc pin the library for good; a plugin is self-contained
  # (RTLD_LOCAL, hidden visibility), so it needs no unique binding and must stay unloadable.
  target_compile_options(${name} PRIVATE $<$<CXX_COMPILER_ID:GNU>:-fno-gnu-unique>)
  # Everything resolved at link time: a missing symbol fails the build, not the load.
  target_link_options(${name} PRIVATE -Wl,--no-undefined)
  if(DEFINED NETSPINE_PLUGIN_OUTPUT_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${NETSPINE_PLUGIN_OUTPUT_DIR})
  endif()
  if(DEFINED NETSPINE_PLUGIN_INSTALL_DIR)
    # Mode 0644: the plugin host refuses a plugin that group or others may write.
    install(TARGETS ${name} LIBRARY DESTINATION ${NETSPINE_PLUGIN_INSTALL_DIR}
      PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
    set_property(GLOBAL APPEND PROPERTY NETSPINE_BUNDLED_PLUGINS ${name})
  endif()
endfunction()
