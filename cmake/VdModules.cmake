# The dependency rules of docs/architecture.md, enforced by the link graph.
#
#   core <- crypto <- reader, billing <- app <- ui, cli ;  sim uses core, crypto, reader, billing.
#
# vd_module_link() refuses (at configure time) any link between VitaleDesk modules that the
# rules forbid, so a forbidden dependency cannot be built at all. tests/check_includes.cmake
# applies the same table to the #include lines of the sources.

set(VD_ALLOWED_vd_core "")
set(VD_ALLOWED_vd_crypto "vd_core")
set(VD_ALLOWED_vd_reader "vd_core;vd_crypto")
set(VD_ALLOWED_vd_billing "vd_core;vd_crypto")
set(VD_ALLOWED_vd_sim "vd_core;vd_crypto;vd_reader;vd_billing")
# The demo mode composes the simulator in-process, so the composition root may use it.
set(VD_ALLOWED_vd_app "vd_core;vd_crypto;vd_reader;vd_billing;vd_sim")
set(VD_ALLOWED_vd_ui "vd_core;vd_crypto;vd_reader;vd_billing;vd_sim;vd_app")
set(VD_ALLOWED_vitaledesk "vd_core;vd_app;vd_ui")
set(VD_ALLOWED_vitaledesk-cli "vd_core;vd_crypto;vd_reader;vd_billing;vd_sim;vd_app")
set(VD_ALLOWED_vitaledesk-sim "vd_core;vd_crypto;vd_reader;vd_billing;vd_sim")

function(vd_module_link target scope)
  foreach(dep IN LISTS ARGN)
    if(dep MATCHES "^vd_" OR dep MATCHES "^vitaledesk")
      if(NOT DEFINED VD_ALLOWED_${target})
        message(FATAL_ERROR "vd_module_link: ${target} is not a VitaleDesk module")
      endif()
      if(NOT dep IN_LIST VD_ALLOWED_${target})
        message(FATAL_ERROR "Dependency rule broken: ${target} may not use ${dep} "
                            "(allowed: ${VD_ALLOWED_${target}}). See docs/architecture.md.")
      endif()
    endif()
  endforeach()
  target_link_libraries(${target} ${scope} ${ARGN})
endfunction()

# A module library: sources relative to the caller, include root is src/.
function(vd_add_module name)
  add_library(${name} STATIC ${ARGN})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
endfunction()
