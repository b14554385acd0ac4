# netspine_add_plugin(NAME SOURCES file...): a netspine plugin as a shared library named NAME.so,
# built with hidden visibility against the plugin API only. Used in-tree and by the SDK package.
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
  # Everything resolved at link time: a missing symbol fails the build, not the load.
  target_link_options(${name} PRIVATE -Wl,--no-undefined)
  if(DEFINED NETSPINE_PLUGIN_OUTPUT_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${NETSPINE_PLUGIN_OUTPUT_DIR})
  endif()
endfunction()
