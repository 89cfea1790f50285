# cmake -P install_check.cmake: installs the current build into a fresh
# prefix and checks the layout of the package.
#
#   -DBUILD_DIR=<trainspec build> -DPREFIX=<fresh prefix> -DVERSION=<x.y.z> -DCONFIG=<config or empty>

cmake_minimum_required(VERSION 3.16)

file(REMOVE_RECURSE "${PREFIX}")
set(install "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}")
if(CONFIG)
  list(APPEND install --config "${CONFIG}")
endif()
execute_process(COMMAND ${install} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${rc})\n${out}\n${err}")
endif()

set(cmakedir "${PREFIX}/share/cmake/trainspec")
foreach(file include/trainspec/trainspec.hpp include/trainspec/version.hpp share/cmake/trainspec/trainspecConfig.cmake
             share/cmake/trainspec/trainspecConfigVersion.cmake share/cmake/trainspec/trainspecTargets.cmake
             share/pkgconfig/trainspec.pc share/doc/trainspec/LICENSE)
  if(NOT EXISTS "${PREFIX}/${file}")
    message(FATAL_ERROR "the package lacks ${file}")
  endif()
endforeach()

# The config finds the dependencies before it includes the targets.
file(READ "${cmakedir}/trainspecConfig.cmake" config)
string(FIND "${config}" "find_dependency(nlohmann_json 3.11)" json_at)
string(FIND "${config}" "find_dependency(fmt 9)" fmt_at)
string(FIND "${config}" "trainspecTargets.cmake" targets_at)
if(json_at EQUAL -1 OR fmt_at EQUAL -1 OR NOT json_at LESS targets_at OR NOT fmt_at LESS targets_at)
  message(FATAL_ERROR "trainspecConfig.cmake must call find_dependency(nlohmann_json 3.11) and "
                      "find_dependency(fmt 9) before it includes trainspecTargets.cmake:\n${config}")
endif()

# Only the library is exported.
file(READ "${cmakedir}/trainspecTargets.cmake" targets)
if(targets MATCHES "warnings|-Werror")
  message(FATAL_ERROR "the warnings target leaked into trainspecTargets.cmake")
endif()
if(NOT targets MATCHES "add_library\\(trainspec::trainspec INTERFACE IMPORTED\\)")
  message(FATAL_ERROR "trainspecTargets.cmake does not define trainspec::trainspec")
endif()

# Header-only: the version file must not depend on the architecture.
file(READ "${cmakedir}/trainspecConfigVersion.cmake" version_file)
# Ask the version file as find_package() would, from a 32-bit project.
function(ask_version_file requested)
  set(PACKAGE_FIND_VERSION "${requested}")
  string(REPLACE "." ";" parts "${requested}")
  list(GET parts 0 PACKAGE_FIND_VERSION_MAJOR)
  list(GET parts 1 PACKAGE_FIND_VERSION_MINOR)
  set(CMAKE_SIZEOF_VOID_P 4)
  include("${cmakedir}/trainspecConfigVersion.cmake")
  set(compatible "${PACKAGE_VERSION_COMPATIBLE}" PARENT_SCOPE)
  set(unsuitable "${PACKAGE_VERSION_UNSUITABLE}" PARENT_SCOPE)
endfunction()
ask_version_file("${VERSION}")
if(unsuitable)
  message(FATAL_ERROR "trainspecConfigVersion.cmake must be ARCH_INDEPENDENT (it refuses a 32-bit consumer)")
endif()
if(NOT compatible)
  message(FATAL_ERROR "trainspecConfigVersion.cmake refuses its own version ${VERSION}")
endif()
ask_version_file("99.0")
if(compatible)
  message(FATAL_ERROR "trainspecConfigVersion.cmake accepts version 99.0")
endif()
if(NOT version_file MATCHES "set\\(PACKAGE_VERSION \"${VERSION}\"\\)")
  message(FATAL_ERROR "trainspecConfigVersion.cmake does not carry version ${VERSION}")
endif()

file(STRINGS "${PREFIX}/share/pkgconfig/trainspec.pc" pc)
foreach(line "Requires: nlohmann_json fmt" "Version: ${VERSION}")
  if(NOT line IN_LIST pc)
    message(FATAL_ERROR "trainspec.pc lacks the line '${line}'")
  endif()
endforeach()

message("trainspec ${VERSION} installed to ${PREFIX}")
