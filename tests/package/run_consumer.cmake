# cmake -P run_consumer.cmake: configures, builds and runs the consumer project
# in one mode, in a fresh build directory, with the parent build's toolchain.
#
#   -DMODE=find_package|add_subdirectory|single_include -DCOMPILED=ON|OFF
#   -DSOURCE_DIR=<consumer project> -DBINARY_DIR=<fresh build dir>
#   -DTRAINSPEC_SOURCE_DIR=... -DPREFIX=<install prefix> -DLIBDIR=<CMAKE_INSTALL_LIBDIR> -DVERSION=<expected>
#   -DGENERATOR=... -DMAKE_PROGRAM=... -DCXX_COMPILER=... -DCXX_FLAGS=...
#   -DLINKER_FLAGS=... -DBUILD_TYPE=... -DCONFIG=... -DDEPENDENCY_DIRS=<-Dx_DIR=... list>

cmake_minimum_required(VERSION 3.16)

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${MODE} consumer: ${what} failed (${rc})\n${out}\n${err}")
  endif()
  set(output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE "${BINARY_DIR}")
file(MAKE_DIRECTORY "${BINARY_DIR}")

set(configure "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${BINARY_DIR}" -G "${GENERATOR}"
    "-DTRAINSPEC_CONSUMER_MODE=${MODE}" "-DTRAINSPEC_SOURCE_DIR=${TRAINSPEC_SOURCE_DIR}"
    "-DTRAINSPEC_CONSUMER_COMPILED=${COMPILED}" "-DTRAINSPEC_EXPECTED_VERSION=${VERSION}"
    "-DTRAINSPEC_EXPECTED_PREFIX=${PREFIX}" "-DTRAINSPEC_EXPECTED_LIBDIR=${LIBDIR}"
    "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
    "-DCMAKE_EXE_LINKER_FLAGS=${LINKER_FLAGS}" "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}")
if(MAKE_PROGRAM)
  list(APPEND configure "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
foreach(dir IN LISTS DEPENDENCY_DIRS)
  list(APPEND configure "${dir}")
endforeach()
if(MODE STREQUAL "find_package")
  list(APPEND configure "-DCMAKE_PREFIX_PATH=${PREFIX}")
endif()
run("configure" ${configure})

set(build "${CMAKE_COMMAND}" --build "${BINARY_DIR}")
if(CONFIG)
  list(APPEND build --config "${CONFIG}")
endif()
run("build" ${build})

set(program "${BINARY_DIR}/consumer${CMAKE_EXECUTABLE_SUFFIX}")
if(CONFIG AND NOT EXISTS "${program}")
  set(program "${BINARY_DIR}/${CONFIG}/consumer${CMAKE_EXECUTABLE_SUFFIX}")
endif()
if(COMPILED)
  set(linkage "compiled")
else()
  set(linkage "header-only")
endif()
run("run" "${program}")
message("${output}")
foreach(line "trainspec ${VERSION}: 2 ranks" "linkage: ${linkage}")
  string(FIND "${output}" "${line}\n" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${MODE} consumer printed '${output}', expected the line '${line}'")
  endif()
endforeach()

# Under add_subdirectory(), trainspec's static library is built only when the
# consumer links it.
if(MODE STREQUAL "add_subdirectory")
  file(GLOB_RECURSE libraries "${BINARY_DIR}/trainspec/*trainspec.a" "${BINARY_DIR}/trainspec/*trainspec.lib")
  if(COMPILED AND NOT libraries)
    message(FATAL_ERROR "add_subdirectory consumer: linked trainspec::compiled, but no trainspec library was built")
  elseif(NOT COMPILED AND libraries)
    message(FATAL_ERROR "add_subdirectory consumer: built ${libraries}, which nothing links")
  endif()
endif()
