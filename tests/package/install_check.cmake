# cmake -P install_check.cmake: installs the current build into a fresh
# prefix and checks the layout of the package.
#
#   -DBUILD_DIR=<trainspec build> -DPREFIX=<fresh prefix> -DVERSION=<x.y.z> -DCONFIG=<config or empty>
#   -DLIBDIR=<CMAKE_INSTALL_LIBDIR> -DSIZEOF_VOID_P=<CMAKE_SIZEOF_VOID_P> -DSINGLE_HEADER=<ON|OFF>
#   -DLIBRARY=<file name of trainspec::compiled, or empty with TRAINSPEC_SINGLE_HEADER>

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

# The compiled library makes the package architecture-dependent: the CMake
# package and the pkg-config files sit in the library directory.
set(cmakedir "${PREFIX}/${LIBDIR}/cmake/trainspec")
set(pkgconfigdir "${PREFIX}/${LIBDIR}/pkgconfig")
set(files include/trainspec/trainspec.hpp ${LIBDIR}/cmake/trainspec/trainspecConfig.cmake
          ${LIBDIR}/cmake/trainspec/trainspecConfigVersion.cmake ${LIBDIR}/cmake/trainspec/trainspecTargets.cmake
          ${LIBDIR}/pkgconfig/trainspec.pc share/doc/trainspec/LICENSE)
# With TRAINSPEC_SINGLE_HEADER the headers are the single header alone.
if(NOT SINGLE_HEADER)
  list(APPEND files include/trainspec/version.hpp)
endif()
if(LIBRARY)
  list(APPEND files ${LIBDIR}/${LIBRARY} ${LIBDIR}/pkgconfig/trainspec-compiled.pc)
endif()
foreach(file IN LISTS files)
  if(NOT EXISTS "${PREFIX}/${file}")
    message(FATAL_ERROR "the package lacks ${file}")
  endif()
endforeach()
foreach(file share/cmake/trainspec share/pkgconfig/trainspec.pc)
  if(EXISTS "${PREFIX}/${file}")
    message(FATAL_ERROR "the package installs ${file}: its CMake package and pkg-config files belong in ${LIBDIR}")
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

# Only the libraries are exported: trainspec::trainspec, and
# trainspec::compiled unless the build had only the single header.
file(READ "${cmakedir}/trainspecTargets.cmake" targets)
if(targets MATCHES "warnings|-Werror")
  message(FATAL_ERROR "the warnings target leaked into trainspecTargets.cmake")
endif()
if(NOT targets MATCHES "add_library\\(trainspec::trainspec INTERFACE IMPORTED\\)")
  message(FATAL_ERROR "trainspecTargets.cmake does not define trainspec::trainspec")
endif()
if(LIBRARY AND NOT targets MATCHES "add_library\\(trainspec::compiled STATIC IMPORTED\\)")
  message(FATAL_ERROR "trainspecTargets.cmake does not define trainspec::compiled as a static library")
elseif(NOT LIBRARY AND targets MATCHES "trainspec::compiled")
  message(FATAL_ERROR "trainspecTargets.cmake defines trainspec::compiled, which this build does not have")
endif()
if(targets MATCHES "TRAINSPEC_BUILDING_LIB")
  message(FATAL_ERROR "TRAINSPEC_BUILDING_LIB leaked into trainspecTargets.cmake: only the library is built with it")
endif()

# The version file, asked as find_package() would from a project whose
# pointers are SIZE bytes: the library's architecture only.
file(READ "${cmakedir}/trainspecConfigVersion.cmake" version_file)
function(ask_version_file requested size)
  set(PACKAGE_FIND_VERSION "${requested}")
  string(REPLACE "." ";" parts "${requested}")
  list(GET parts 0 PACKAGE_FIND_VERSION_MAJOR)
  list(GET parts 1 PACKAGE_FIND_VERSION_MINOR)
  set(CMAKE_SIZEOF_VOID_P ${size})
  include("${cmakedir}/trainspecConfigVersion.cmake")
  set(compatible "${PACKAGE_VERSION_COMPATIBLE}" PARENT_SCOPE)
  set(unsuitable "${PACKAGE_VERSION_UNSUITABLE}" PARENT_SCOPE)
endfunction()
ask_version_file("${VERSION}" ${SIZEOF_VOID_P})
if(unsuitable OR NOT compatible)
  message(FATAL_ERROR "trainspecConfigVersion.cmake refuses its own version ${VERSION}")
endif()
if(SIZEOF_VOID_P EQUAL 8)
  set(other_size 4)
else()
  set(other_size 8)
endif()
ask_version_file("${VERSION}" ${other_size})
if(NOT unsuitable)
  message(FATAL_ERROR "trainspecConfigVersion.cmake accepts a consumer with ${other_size}-byte pointers: "
                      "the package can hold a compiled library, it must not be ARCH_INDEPENDENT")
endif()
ask_version_file("99.0" ${SIZEOF_VOID_P})
if(compatible)
  message(FATAL_ERROR "trainspecConfigVersion.cmake accepts version 99.0")
endif()
if(NOT version_file MATCHES "set\\(PACKAGE_VERSION \"${VERSION}\"\\)")
  message(FATAL_ERROR "trainspecConfigVersion.cmake does not carry version ${VERSION}")
endif()

file(STRINGS "${pkgconfigdir}/trainspec.pc" pc)
foreach(line "Requires: nlohmann_json fmt" "Version: ${VERSION}")
  if(NOT line IN_LIST pc)
    message(FATAL_ERROR "trainspec.pc lacks the line '${line}'")
  endif()
endforeach()
if(LIBRARY)
  file(STRINGS "${pkgconfigdir}/trainspec-compiled.pc" pc)
  foreach(line "Requires: trainspec = ${VERSION}" "Version: ${VERSION}" "Cflags: -DTRAINSPEC_COMPILED_LIB"
               "Libs: -L\${libdir} -ltrainspec")
    if(NOT line IN_LIST pc)
      message(FATAL_ERROR "trainspec-compiled.pc lacks the line '${line}'")
    endif()
  endforeach()
endif()

message("trainspec ${VERSION} installed to ${PREFIX}")
