# cmake -P versions_check.cmake -DVERSION=<project version> -DSOURCE_DIR=<repository>:
# every place that states trainspec's version states the same one.

cmake_minimum_required(VERSION 3.16)

set(mismatches "")
function(expect_version where found)
  if(NOT found STREQUAL VERSION)
    set(mismatches "${mismatches}\n  ${where}: '${found}'" PARENT_SCOPE)
  endif()
endfunction()

file(READ "${SOURCE_DIR}/include/trainspec/version.hpp" header)
string(REGEX MATCH "#define TRAINSPEC_VERSION_STRING \"([^\"]*)\"" _ "${header}")
expect_version("include/trainspec/version.hpp TRAINSPEC_VERSION_STRING" "${CMAKE_MATCH_1}")
foreach(part MAJOR MINOR PATCH)
  string(REGEX MATCH "#define TRAINSPEC_VERSION_${part} ([0-9]+)" _ "${header}")
  list(APPEND numbers "${CMAKE_MATCH_1}")
endforeach()
string(REPLACE ";" "." numbers "${numbers}")
expect_version("include/trainspec/version.hpp TRAINSPEC_VERSION_MAJOR/MINOR/PATCH" "${numbers}")
string(REPLACE "." "_" abi "v${VERSION}")
if(NOT header MATCHES "#define TRAINSPEC_ABI_NAMESPACE ${abi}\n")
  set(mismatches "${mismatches}\n  include/trainspec/version.hpp TRAINSPEC_ABI_NAMESPACE is not ${abi}")
endif()

file(READ "${SOURCE_DIR}/packaging/vcpkg/trainspec/vcpkg.json" manifest)
string(REGEX MATCH "\"version\": *\"([^\"]*)\"" _ "${manifest}")
expect_version("packaging/vcpkg/trainspec/vcpkg.json" "${CMAKE_MATCH_1}")

file(READ "${SOURCE_DIR}/single_include/trainspec/trainspec.hpp" single)
string(REGEX MATCH "#define TRAINSPEC_VERSION_STRING \"([^\"]*)\"" _ "${single}")
expect_version("single_include/trainspec/trainspec.hpp" "${CMAKE_MATCH_1}")

if(mismatches)
  message(FATAL_ERROR "CMakeLists.txt says version ${VERSION}; these differ:${mismatches}")
endif()
message("trainspec ${VERSION} everywhere")
