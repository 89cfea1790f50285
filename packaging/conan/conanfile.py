"""Conan 2 recipe for trainspec, a header-only library.

From the repository root:
    conan create packaging/conan --build=missing
"""

import os
import re

from conan import ConanFile
from conan.errors import ConanInvalidConfiguration
from conan.tools.build import check_min_cppstd
from conan.tools.files import copy, load
from conan.tools.layout import basic_layout

required_conan_version = ">=2.0"


class TrainspecConan(ConanFile):
    name = "trainspec"
    description = (
        "Distributed TensorFlow/Keras training jobs, described once and launched right: a typed C++17 "
        "builder and a JSON job spec with the Azure ML estimator's parameters, validated before launch."
    )
    license = "MIT"
    topics = ("tensorflow", "keras", "distributed-training", "horovod", "header-only")
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"
    no_copy_source = True

    @property
    def _repository(self):
        return os.path.join(self.recipe_folder, "..", "..")

    def set_version(self):
        # The version lives in one place: include/trainspec/version.hpp.
        header = load(self, os.path.join(self._repository, "include", "trainspec", "version.hpp"))
        match = re.search(r'#define\s+TRAINSPEC_VERSION_STRING\s+"([^"]+)"', header)
        if not match:
            raise ConanInvalidConfiguration("include/trainspec/version.hpp has no TRAINSPEC_VERSION_STRING")
        self.version = match.group(1)

    def export_sources(self):
        copy(self, "LICENSE", self._repository, self.export_sources_folder)
        copy(self, "*.hpp", os.path.join(self._repository, "include"), os.path.join(self.export_sources_folder, "include"))

    def layout(self):
        basic_layout(self, src_folder=".")

    def requirements(self):
        self.requires("nlohmann_json/[>=3.11 <4]")
        self.requires("fmt/[>=9 <12]")

    def package_id(self):
        self.info.clear()

    def validate(self):
        if self.settings.get_safe("compiler.cppstd"):
            check_min_cppstd(self, 17)

    def package(self):
        copy(self, "LICENSE", self.source_folder, os.path.join(self.package_folder, "licenses"))
        copy(self, "*.hpp", os.path.join(self.source_folder, "include"), os.path.join(self.package_folder, "include"))

    def package_info(self):
        self.cpp_info.bindirs = []
        self.cpp_info.libdirs = []
        self.cpp_info.requires = ["nlohmann_json::nlohmann_json", "fmt::fmt"]
        self.cpp_info.set_property("cmake_file_name", "trainspec")
        self.cpp_info.set_property("cmake_target_name", "trainspec::trainspec")
        self.cpp_info.set_property("pkg_config_name", "trainspec")
