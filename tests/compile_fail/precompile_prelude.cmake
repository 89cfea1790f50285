# Precompiles the compile_fail prelude when it is missing or older than a
# header; run as `cmake -D... -P`.
#
#   CXX      the compiler
#   FLAGS    its arguments (a list), those of the cases but -fsyntax-only
#   PRELUDE  the prelude header
#   OUTPUT   the precompiled header beside it (.gch for g++, .pch for clang)
#   HEADERS  the directory of the headers it depends on
#
# Written to a temporary name and renamed, so that a case never reads half a
# file.

cmake_minimum_required(VERSION 3.16)

foreach(var CXX FLAGS PRELUDE OUTPUT HEADERS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "precompile_prelude.cmake: ${var} is not set")
  endif()
endforeach()

set(current TRUE)
if(NOT EXISTS "${OUTPUT}" OR "${PRELUDE}" IS_NEWER_THAN "${OUTPUT}")
  set(current FALSE)
else()
  file(GLOB_RECURSE headers "${HEADERS}/*.hpp")
  foreach(header IN LISTS headers)
    if("${header}" IS_NEWER_THAN "${OUTPUT}")
      set(current FALSE)
      break()
    endif()
  endforeach()
endif()
if(current)
  message(STATUS "current: ${OUTPUT}")
  return()
endif()

set(partial "${OUTPUT}.partial")
execute_process(COMMAND "${CXX}" ${FLAGS} -x c++-header "${PRELUDE}" -o "${partial}" RESULT_VARIABLE status
                ERROR_VARIABLE diagnostics)
if(NOT status EQUAL 0)
  file(REMOVE "${partial}")
  message(FATAL_ERROR "precompiling ${PRELUDE} failed:\n${diagnostics}")
endif()
file(RENAME "${partial}" "${OUTPUT}")
message(STATUS "precompiled: ${OUTPUT}")
