# cmake -P pkg_config_consumer.cmake: compiles the consumer with the flags
# `pkg-config --cflags --libs trainspec` gives for the installed package.
#
#   -DPKG_CONFIG=<pkg-config> -DPREFIX=<install prefix> -DVERSION=<x.y.z>
#   -DSOURCE=<main.cpp> -DBINARY_DIR=<fresh dir> -DCXX_COMPILER=... -DCXX_FLAGS=... -DLINKER_FLAGS=...

cmake_minimum_required(VERSION 3.16)

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config consumer: ${what} failed (${rc})\n${out}\n${err}")
  endif()
  set(output "${out}" PARENT_SCOPE)
endfunction()

set(ENV{PKG_CONFIG_PATH} "${PREFIX}/share/pkgconfig")
run("pkg-config --modversion" "${PKG_CONFIG}" --print-errors --modversion trainspec)
if(NOT output STREQUAL VERSION)
  message(FATAL_ERROR "pkg-config says trainspec ${output}, expected ${VERSION}")
endif()
run("pkg-config --cflags --libs" "${PKG_CONFIG}" --print-errors --cflags --libs trainspec)
separate_arguments(pc_flags UNIX_COMMAND "${output}")
separate_arguments(cxx_flags UNIX_COMMAND "${CXX_FLAGS}")
separate_arguments(linker_flags UNIX_COMMAND "${LINKER_FLAGS}")
string(FIND "${output}" "-I${PREFIX}/" at)
if(at EQUAL -1)
  message(FATAL_ERROR "pkg-config's flags do not point into ${PREFIX}: ${output}")
endif()

file(REMOVE_RECURSE "${BINARY_DIR}")
file(MAKE_DIRECTORY "${BINARY_DIR}")
set(program "${BINARY_DIR}/consumer${CMAKE_EXECUTABLE_SUFFIX}")
run("compile" "${CXX_COMPILER}" -std=c++17 ${cxx_flags} "${SOURCE}" -o "${program}" ${pc_flags} ${linker_flags})
run("run" "${program}")
message("${output}")
if(NOT output STREQUAL "trainspec ${VERSION}: 2 ranks")
  message(FATAL_ERROR "pkg-config consumer printed '${output}', expected 'trainspec ${VERSION}: 2 ranks'")
endif()
