# No English phrase as a literal error argument: a French sentence of the catalog must not carry
# one (messages.cpp substitutes arguments as they are). A literal argument of two words or more
# starting with a lower-case word — fail(Errc::X, {"too large"}) — is reported, and so is a
# system message (ec.message(), strerror()); use a language-neutral argument (identifier,
# number, file or field name, core::errnoName) or core::frEn(fr, en).
# Covers the modules cleaned so far (one call per line is all this checks).
set(dirs crypto billing reader/card reader/pcsc reader/apcv reader/scanner reader/image cli core app ui)
set(sources "")
foreach(d IN LISTS dirs)
  file(GLOB_RECURSE found "${SRC}/${d}/*.cpp" "${SRC}/${d}/*.hpp")
  list(APPEND sources ${found})
endforeach()
list(APPEND sources "${SRC}/app/fse_inputs.cpp")
set(bad "")
foreach(f IN LISTS sources)
  if(NOT EXISTS "${f}")
    continue()
  endif()
  file(STRINGS "${f}" lines REGEX
       "((fail|makeError)\\((core::)?Errc::[A-Za-z0-9]+, {\"[a-z]+ [a-z])|(Errc::[A-Za-z0-9]+, {[^}]*(ec\\.message\\(\\)|strerror\\())")
  foreach(l IN LISTS lines)
    file(RELATIVE_PATH rel "${SRC}" "${f}")
    string(STRIP "${l}" l)
    list(APPEND bad "${rel}: ${l}")
  endforeach()
endforeach()
if(bad)
  string(REPLACE ";" "\n  " text "${bad}")
  message(FATAL_ERROR "English phrases as error arguments (use core::frEn or a neutral value):\n  ${text}")
endif()
list(LENGTH sources count)
message(STATUS "check_error_args: ${count} files, no English phrase as an error argument")
