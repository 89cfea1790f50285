# cmake -P pkg_config_consumer.cmake: compiles the consumer with the flags
# `pkg-config --cflags --libs <module>` gives for the installed package:
# trainspec (header-only) or trainspec-compiled (the compiled library, whose
# object must then leave the library's entry points undefined).
#
#   -DPKG_CONFIG=<pkg-config> -DMODULE=trainspec|trainspec-compiled -DPREFIX=<install prefix>
#   -DLIBDIR=<CMAKE_INSTALL_LIBDIR> -DVERSION=<x.y.z> -DNM=<nm> -DSOURCE=<main.cpp>
#   -DCHECK_OBJECT=<check_compiled_object.cmake> -DBINARY_DIR=<fresh dir>
#   -DCXX_COMPILER=... -DCXX_FLAGS=... -DLINKER_FLAGS=...

cmake_minimum_required(VERSION 3.16)

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config consumer (${MODULE}): ${what} failed (${rc})\n${out}\n${err}")
  endif()
  set(output "${out}" PARENT_SCOPE)
endfunction()

set(ENV{PKG_CONFIG_PATH} "${PREFIX}/${LIBDIR}/pkgconfig")
run("pkg-config --modversion" "${PKG_CONFIG}" --print-errors --modversion ${MODULE})
if(NOT output STREQUAL VERSION)
  message(FATAL_ERROR "pkg-config says ${MODULE} ${output}, expected ${VERSION}")
endif()
run("pkg-config --cflags" "${PKG_CONFIG}" --print-errors --cflags ${MODULE})
set(cflags "${output}")
run("pkg-config --libs" "${PKG_CONFIG}" --print-errors --libs ${MODULE})
set(libs "${output}")
string(FIND "${cflags}" "-I${PREFIX}/" at)
if(at EQUAL -1)
  message(FATAL_ERROR "pkg-config's flags do not point into ${PREFIX}: ${cflags}")
endif()
if(MODULE STREQUAL "trainspec-compiled")
  set(linkage "compiled")
  if(NOT " ${cflags} " MATCHES " -DTRAINSPEC_COMPILED_LIB ")
    message(FATAL_ERROR "pkg-config --cflags ${MODULE} lacks -DTRAINSPEC_COMPILED_LIB: ${cflags}")
  endif()
  string(FIND "${libs}" "-L${PREFIX}/" at)
  if(at EQUAL -1 OR NOT " ${libs} " MATCHES " -ltrainspec ")
    message(FATAL_ERROR "pkg-config --libs ${MODULE} does not link -ltrainspec from ${PREFIX}: ${libs}")
  endif()
else()
  set(linkage "header-only")
  if(cflags MATCHES "TRAINSPEC_COMPILED_LIB" OR " ${libs} " MATCHES " -ltrainspec ")
    message(FATAL_ERROR "pkg-config ${MODULE} must be header-only: ${cflags} ${libs}")
  endif()
endif()
separate_arguments(cflags UNIX_COMMAND "${cflags}")
separate_arguments(libs UNIX_COMMAND "${libs}")
separate_arguments(cxx_flags UNIX_COMMAND "${CXX_FLAGS}")
separate_arguments(linker_flags UNIX_COMMAND "${LINKER_FLAGS}")

file(REMOVE_RECURSE "${BINARY_DIR}")
file(MAKE_DIRECTORY "${BINARY_DIR}")
set(object "${BINARY_DIR}/main.o")
set(program "${BINARY_DIR}/consumer${CMAKE_EXECUTABLE_SUFFIX}")
run("compile" "${CXX_COMPILER}" -std=c++17 ${cxx_flags} ${cflags} -c "${SOURCE}" -o "${object}")
if(linkage STREQUAL "compiled")
  run("the check of the object" "${CMAKE_COMMAND}" "-DNM=${NM}" "-DOBJECTS=${object}" -P "${CHECK_OBJECT}")
endif()
run("link" "${CXX_COMPILER}" ${cxx_flags} "${object}" -o "${program}" ${libs} ${linker_flags})
run("run" "${program}")
message("${output}")
set(expected "trainspec ${VERSION}: 2 ranks\nlinkage: ${linkage}")
if(NOT output STREQUAL expected)
  message(FATAL_ERROR "pkg-config consumer (${MODULE}) printed '${output}', expected '${expected}'")
endif()
