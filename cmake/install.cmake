# Install rules and the CMake package: included by the top-level
# CMakeLists.txt when TRAINSPEC_INSTALL is ON.
#
#   include/trainspec/...                    the headers (or the single header)
#   share/cmake/trainspec/                   trainspecConfig.cmake, ...ConfigVersion.cmake,
#                                            trainspecTargets.cmake (target trainspec::trainspec)
#   share/pkgconfig/trainspec.pc             pkg-config file
#   share/doc/trainspec/LICENSE
#
# trainspec is header-only, so everything goes under share/ and the version
# file is architecture-independent: one install serves every architecture.

include(CMakePackageConfigHelpers)

set(TRAINSPEC_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATAROOTDIR}/cmake/trainspec"
    CACHE STRING "Where to install trainspecConfig.cmake, relative to the prefix")
set(TRAINSPEC_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_DATAROOTDIR}/pkgconfig"
    CACHE STRING "Where to install trainspec.pc, relative to the prefix")
mark_as_advanced(TRAINSPEC_INSTALL_CMAKEDIR TRAINSPEC_INSTALL_PKGCONFIGDIR)

# Headers: the directory the target uses (include/ or single_include/).
install(DIRECTORY "${TRAINSPEC_INCLUDE_DIR}/trainspec" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        FILES_MATCHING PATTERN "*.hpp")

# Only the library target is exported; trainspec_warnings stays private to
# this build (it is never linked to trainspec).
install(TARGETS trainspec EXPORT trainspecTargets)
install(EXPORT trainspecTargets NAMESPACE trainspec:: FILE trainspecTargets.cmake
        DESTINATION "${TRAINSPEC_INSTALL_CMAKEDIR}")

configure_package_config_file("${CMAKE_CURRENT_LIST_DIR}/trainspecConfig.cmake.in"
                              "${CMAKE_CURRENT_BINARY_DIR}/trainspecConfig.cmake"
                              INSTALL_DESTINATION "${TRAINSPEC_INSTALL_CMAKEDIR}")

# Before 1.0 a minor release may break the API; from 1.0 on, a major one.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(_trainspec_compatibility SameMinorVersion)
else()
  set(_trainspec_compatibility SameMajorVersion)
endif()
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/trainspecConfigVersion.cmake"
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY ${_trainspec_compatibility}
                                 ARCH_INDEPENDENT)
unset(_trainspec_compatibility)

install(FILES "${CMAKE_CURRENT_BINARY_DIR}/trainspecConfig.cmake"
              "${CMAKE_CURRENT_BINARY_DIR}/trainspecConfigVersion.cmake"
        DESTINATION "${TRAINSPEC_INSTALL_CMAKEDIR}")

# pkg-config: includedir relative to the .pc file, so the prefix can move.
file(RELATIVE_PATH TRAINSPEC_PC_PREFIX_FROM_PCDIR "/${TRAINSPEC_INSTALL_PKGCONFIGDIR}" "/")
string(REGEX REPLACE "/$" "" TRAINSPEC_PC_PREFIX_FROM_PCDIR "${TRAINSPEC_PC_PREFIX_FROM_PCDIR}")
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(TRAINSPEC_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(TRAINSPEC_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file("${CMAKE_CURRENT_LIST_DIR}/trainspec.pc.in" "${CMAKE_CURRENT_BINARY_DIR}/trainspec.pc" @ONLY)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/trainspec.pc" DESTINATION "${TRAINSPEC_INSTALL_PKGCONFIGDIR}")

install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/doc/trainspec")
