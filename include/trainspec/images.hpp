#pragma once
// The default container image and Python version of each TensorFlow version.
//
//   const framework_image& framework_image_for(std::string_view framework_version);
//
// Images are the official TensorFlow ones on Docker Hub. Up to 2.1 the tags
// carry "-py3" (the Python 2 images had the bare tags); from 2.2 on, the
// images are Python 3 only and the tags are plain. Each entry names one
// patch release: edit the table to move to a newer patch.
//
// `python` is the interpreter version a conda environment pins
// (`python=3.x`): one that the version's wheels were built for.
//
// | TF        | python | CPU image                            | GPU image                                |
// |-----------|--------|--------------------------------------|------------------------------------------|
// | 1.10      | 3.6    | tensorflow/tensorflow:1.10.0-py3     | tensorflow/tensorflow:1.10.0-gpu-py3     |
// | 1.12      | 3.6    | tensorflow/tensorflow:1.12.0-py3     | tensorflow/tensorflow:1.12.0-gpu-py3     |
// | 1.13      | 3.6    | tensorflow/tensorflow:1.13.2-py3     | tensorflow/tensorflow:1.13.2-gpu-py3     |
// | 1.14      | 3.7    | tensorflow/tensorflow:1.14.0-py3     | tensorflow/tensorflow:1.14.0-gpu-py3     |
// | 1.15      | 3.7    | tensorflow/tensorflow:1.15.5-py3     | tensorflow/tensorflow:1.15.5-gpu-py3     |
// | 2.0       | 3.7    | tensorflow/tensorflow:2.0.0-py3      | tensorflow/tensorflow:2.0.0-gpu-py3      |
// | 2.1       | 3.7    | tensorflow/tensorflow:2.1.0-py3      | tensorflow/tensorflow:2.1.0-gpu-py3      |
// | 2.2-2.4   | 3.8    | tensorflow/tensorflow:2.X.0          | tensorflow/tensorflow:2.X.0-gpu          |
// | 2.5-2.8   | 3.9    | tensorflow/tensorflow:2.X.0          | tensorflow/tensorflow:2.X.0-gpu          |
// | 2.9-2.11  | 3.10   | tensorflow/tensorflow:2.X.0          | tensorflow/tensorflow:2.X.0-gpu          |
// | 2.12-2.15 | 3.11   | tensorflow/tensorflow:2.X.0          | tensorflow/tensorflow:2.X.0-gpu          |
// | 2.16      | 3.12   | tensorflow/tensorflow:2.16.1         | tensorflow/tensorflow:2.16.1-gpu         |
// | 2.17-2.20 | 3.12   | tensorflow/tensorflow:2.X.0          | tensorflow/tensorflow:2.X.0-gpu          |
//
// 2.16 has no 2.16.0 release (the first was 2.16.1). The 2.20.0 tags are the
// newest in the table; check Docker Hub before relying on them.

#include <array>
#include <stdexcept>
#include <string>
#include <string_view>

#include <trainspec/framework.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

struct framework_image {
    std::string_view framework_version;  ///< as in supported_framework_versions
    std::string_view python;             ///< for `python=3.x` in a conda environment
    std::string_view cpu_image;
    std::string_view gpu_image;
};

/// One entry per supported framework version, in the same order.
inline constexpr std::array<framework_image, 26> framework_images = {{
    {"1.10", "3.6", "tensorflow/tensorflow:1.10.0-py3", "tensorflow/tensorflow:1.10.0-gpu-py3"},
    {"1.12", "3.6", "tensorflow/tensorflow:1.12.0-py3", "tensorflow/tensorflow:1.12.0-gpu-py3"},
    {"1.13", "3.6", "tensorflow/tensorflow:1.13.2-py3", "tensorflow/tensorflow:1.13.2-gpu-py3"},
    {"1.14", "3.7", "tensorflow/tensorflow:1.14.0-py3", "tensorflow/tensorflow:1.14.0-gpu-py3"},
    {"1.15", "3.7", "tensorflow/tensorflow:1.15.5-py3", "tensorflow/tensorflow:1.15.5-gpu-py3"},
    {"2.0", "3.7", "tensorflow/tensorflow:2.0.0-py3", "tensorflow/tensorflow:2.0.0-gpu-py3"},
    {"2.1", "3.7", "tensorflow/tensorflow:2.1.0-py3", "tensorflow/tensorflow:2.1.0-gpu-py3"},
    {"2.2", "3.8", "tensorflow/tensorflow:2.2.0", "tensorflow/tensorflow:2.2.0-gpu"},
    {"2.3", "3.8", "tensorflow/tensorflow:2.3.0", "tensorflow/tensorflow:2.3.0-gpu"},
    {"2.4", "3.8", "tensorflow/tensorflow:2.4.0", "tensorflow/tensorflow:2.4.0-gpu"},
    {"2.5", "3.9", "tensorflow/tensorflow:2.5.0", "tensorflow/tensorflow:2.5.0-gpu"},
    {"2.6", "3.9", "tensorflow/tensorflow:2.6.0", "tensorflow/tensorflow:2.6.0-gpu"},
    {"2.7", "3.9", "tensorflow/tensorflow:2.7.0", "tensorflow/tensorflow:2.7.0-gpu"},
    {"2.8", "3.9", "tensorflow/tensorflow:2.8.0", "tensorflow/tensorflow:2.8.0-gpu"},
    {"2.9", "3.10", "tensorflow/tensorflow:2.9.0", "tensorflow/tensorflow:2.9.0-gpu"},
    {"2.10", "3.10", "tensorflow/tensorflow:2.10.0", "tensorflow/tensorflow:2.10.0-gpu"},
    {"2.11", "3.10", "tensorflow/tensorflow:2.11.0", "tensorflow/tensorflow:2.11.0-gpu"},
    {"2.12", "3.11", "tensorflow/tensorflow:2.12.0", "tensorflow/tensorflow:2.12.0-gpu"},
    {"2.13", "3.11", "tensorflow/tensorflow:2.13.0", "tensorflow/tensorflow:2.13.0-gpu"},
    {"2.14", "3.11", "tensorflow/tensorflow:2.14.0", "tensorflow/tensorflow:2.14.0-gpu"},
    {"2.15", "3.11", "tensorflow/tensorflow:2.15.0", "tensorflow/tensorflow:2.15.0-gpu"},
    {"2.16", "3.12", "tensorflow/tensorflow:2.16.1", "tensorflow/tensorflow:2.16.1-gpu"},
    {"2.17", "3.12", "tensorflow/tensorflow:2.17.0", "tensorflow/tensorflow:2.17.0-gpu"},
    {"2.18", "3.12", "tensorflow/tensorflow:2.18.0", "tensorflow/tensorflow:2.18.0-gpu"},
    {"2.19", "3.12", "tensorflow/tensorflow:2.19.0", "tensorflow/tensorflow:2.19.0-gpu"},
    {"2.20", "3.12", "tensorflow/tensorflow:2.20.0", "tensorflow/tensorflow:2.20.0-gpu"},
}};

namespace detail {
constexpr bool framework_images_match_versions() {
    if (framework_images.size() != supported_framework_versions.size()) return false;
    for (std::size_t i = 0; i < framework_images.size(); ++i)
        if (framework_images[i].framework_version != supported_framework_versions[i]) return false;
    return true;
}
static_assert(framework_images_match_versions(),
              "framework_images needs one entry per supported_framework_versions entry, in the same order");
}  // namespace detail

/// The table entry of a supported version; throws std::invalid_argument otherwise.
inline const framework_image& framework_image_for(std::string_view framework_version) {
    for (const auto& entry : framework_images)
        if (entry.framework_version == framework_version) return entry;
    throw std::invalid_argument("trainspec: no image for framework_version \"" + std::string(framework_version) +
                                "\"; supported versions: " + supported_framework_versions_text());
}

TRAINSPEC_END_NAMESPACE
