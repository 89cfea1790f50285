# vcpkg port of trainspec: the headers and the compiled library
# (trainspec::compiled, a static library). The port builds the repository it
# lives in:
#   vcpkg install trainspec --overlay-ports=<repository>/packaging/vcpkg
vcpkg_check_linkage(ONLY_STATIC_LIBRARY)

get_filename_component(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)

vcpkg_cmake_configure(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS
        -DTRAINSPEC_BUILD_TESTS=OFF
        -DTRAINSPEC_BUILD_EXAMPLES=OFF
        -DTRAINSPEC_INSTALL=ON
)
vcpkg_cmake_install()
# The CMake package and the pkg-config files sit in the library directory.
vcpkg_cmake_config_fixup(CONFIG_PATH lib/cmake/trainspec)
vcpkg_fixup_pkgconfig()

file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug/include" "${CURRENT_PACKAGES_DIR}/debug/share"
     "${CURRENT_PACKAGES_DIR}/share/doc")
file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
