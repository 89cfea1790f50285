# Install rules and the CMake package: included by the top-level
# CMakeLists.txt when TRAINSPEC_INSTALL is ON.
#
#   include/trainspec/...                    the headers (or the single header)
#   lib/libtrainspec.a                       trainspec::compiled (docs/compiled.md); not
#                                            with TRAINSPEC_SINGLE_HEADER
#   lib/cmake/trainspec/                     trainspecConfig.cmake, ...ConfigVersion.cmake,
#                                            trainspecTargets.cmake (targets trainspec::trainspec
#                                            and trainspec::compiled)
#   lib/pkgconfig/trainspec.pc               pkg-config file of the headers
#   lib/pkgconfig/trainspec-compiled.pc      ... and of the compiled library
#   share/doc/trainspec/LICENSE
#
# lib/ is ${CMAKE_INSTALL_LIBDIR} (lib/<multiarch triplet> on Debian with the
# prefix /usr). The compiled library makes the package depend on the
# architecture, so the CMake package and the pkg-config files sit beside it
# and the version file refuses a consumer whose pointer size differs.

include(CMakePackageConfigHelpers)

set(TRAINSPEC_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/trainspec"
    CACHE STRING "Where to install trainspecConfig.cmake, relative to the prefix")
set(TRAINSPEC_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig"
    CACHE STRING "Where to install trainspec.pc and trainspec-compiled.pc, relative to the prefix")
mark_as_advanced(TRAINSPEC_INSTALL_CMAKEDIR TRAINSPEC_INSTALL_PKGCONFIGDIR)

# Headers: the directory the target uses (include/ or single_include/).
install(DIRECTORY "${TRAINSPEC_INCLUDE_DIR}/trainspec" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        FILES_MATCHING PATTERN "*.hpp")

# Only the library targets are exported; trainspec_warnings stays private to
# this build (trainspec_compiled links it only inside the build tree).
if(TARGET trainspec_compiled)
  install(TARGETS trainspec trainspec_compiled EXPORT trainspecTargets
          ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}")
else()
  install(TARGETS trainspec EXPORT trainspecTargets)
endif()
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
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY ${_trainspec_compatibility})
unset(_trainspec_compatibility)

install(FILES "${CMAKE_CURRENT_BINARY_DIR}/trainspecConfig.cmake"
              "${CMAKE_CURRENT_BINARY_DIR}/trainspecConfigVersion.cmake"
        DESTINATION "${TRAINSPEC_INSTALL_CMAKEDIR}")

# pkg-config: includedir and libdir relative to the .pc file, so the prefix
# can move. trainspec-compiled.pc adds the library to trainspec.pc.
file(RELATIVE_PATH TRAINSPEC_PC_PREFIX_FROM_PCDIR "/${TRAINSPEC_INSTALL_PKGCONFIGDIR}" "/")
string(REGEX REPLACE "/$" "" TRAINSPEC_PC_PREFIX_FROM_PCDIR "${TRAINSPEC_PC_PREFIX_FROM_PCDIR}")
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(TRAINSPEC_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(TRAINSPEC_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(TRAINSPEC_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  set(TRAINSPEC_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
configure_file("${CMAKE_CURRENT_LIST_DIR}/trainspec.pc.in" "${CMAKE_CURRENT_BINARY_DIR}/trainspec.pc" @ONLY)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/trainspec.pc" DESTINATION "${TRAINSPEC_INSTALL_PKGCONFIGDIR}")
if(TARGET trainspec_compiled)
  configure_file("${CMAKE_CURRENT_LIST_DIR}/trainspec-compiled.pc.in"
                 "${CMAKE_CURRENT_BINARY_DIR}/trainspec-compiled.pc" @ONLY)
  install(FILES "${CMAKE_CURRENT_BINARY_DIR}/trainspec-compiled.pc" DESTINATION "${TRAINSPEC_INSTALL_PKGCONFIGDIR}")
endif()

install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/doc/trainspec")
