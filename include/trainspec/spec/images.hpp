#pragma once
// What each TensorFlow version runs with: the official images, the Python
// its wheels are built for, the CUDA of its GPU wheel, and the Horovod and
// tf2onnx releases known to work with it. docs/environments.md gives the
// table with its sources; edit the table here to move to a newer release.

#include <array>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/error.hpp>
#include <trainspec/spec/framework.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

struct framework_image {
    std::string_view framework_version;  ///< as in supported_framework_versions
    std::string_view python;             ///< for `python=3.x` in a conda environment
    std::string_view cpu_image;
    std::string_view gpu_image;
    std::string_view cuda;     ///< the CUDA the GPU wheel is built against (TensorFlow's tested configurations)
    std::string_view horovod;  ///< the Horovod release an mpi job builds ("" when none is known to work)
    std::string_view tf2onnx;  ///< the tf2onnx release of the ONNX step ("" when none is known to work)
};

/// One entry per supported framework version, in the same order.
inline constexpr std::array<framework_image, 26> framework_images = {{
    {"1.10", "3.6", "tensorflow/tensorflow:1.10.0-py3", "tensorflow/tensorflow:1.10.0-gpu-py3", "9.0", "0.19.5", ""},
    {"1.12", "3.6", "tensorflow/tensorflow:1.12.0-py3", "tensorflow/tensorflow:1.12.0-gpu-py3", "9.0", "0.19.5",
     "1.9.3"},
    {"1.13", "3.6", "tensorflow/tensorflow:1.13.2-py3", "tensorflow/tensorflow:1.13.2-gpu-py3", "10.0", "0.19.5",
     "1.9.3"},
    {"1.14", "3.7", "tensorflow/tensorflow:1.14.0-py3", "tensorflow/tensorflow:1.14.0-gpu-py3", "10.0", "0.19.5",
     "1.9.3"},
    {"1.15", "3.7", "tensorflow/tensorflow:1.15.5-py3", "tensorflow/tensorflow:1.15.5-gpu-py3", "10.0", "0.19.5",
     "1.9.3"},
    {"2.0", "3.7", "tensorflow/tensorflow:2.0.0-py3", "tensorflow/tensorflow:2.0.0-gpu-py3", "10.0", "0.19.5", "1.9.3"},
    {"2.1", "3.7", "tensorflow/tensorflow:2.1.0-py3", "tensorflow/tensorflow:2.1.0-gpu-py3", "10.1", "0.19.5", "1.9.3"},
    {"2.2", "3.8", "tensorflow/tensorflow:2.2.0", "tensorflow/tensorflow:2.2.0-gpu", "10.1", "0.21.3", "1.9.3"},
    {"2.3", "3.8", "tensorflow/tensorflow:2.3.0", "tensorflow/tensorflow:2.3.0-gpu", "10.1", "0.21.3", "1.9.3"},
    {"2.4", "3.8", "tensorflow/tensorflow:2.4.0", "tensorflow/tensorflow:2.4.0-gpu", "11.0", "0.21.3", "1.9.3"},
    {"2.5", "3.9", "tensorflow/tensorflow:2.5.0", "tensorflow/tensorflow:2.5.0-gpu", "11.2", "0.22.1", "1.9.3"},
    {"2.6", "3.9", "tensorflow/tensorflow:2.6.0", "tensorflow/tensorflow:2.6.0-gpu", "11.2", "0.24.3", "1.9.3"},
    {"2.7", "3.9", "tensorflow/tensorflow:2.7.0", "tensorflow/tensorflow:2.7.0-gpu", "11.2", "0.24.3", "1.9.3"},
    {"2.8", "3.9", "tensorflow/tensorflow:2.8.0", "tensorflow/tensorflow:2.8.0-gpu", "11.2", "0.24.3", "1.9.3"},
    {"2.9", "3.10", "tensorflow/tensorflow:2.9.0", "tensorflow/tensorflow:2.9.0-gpu", "11.2", "0.26.1", "1.16.1"},
    {"2.10", "3.10", "tensorflow/tensorflow:2.10.0", "tensorflow/tensorflow:2.10.0-gpu", "11.2", "0.26.1", "1.16.1"},
    {"2.11", "3.10", "tensorflow/tensorflow:2.11.0", "tensorflow/tensorflow:2.11.0-gpu", "11.2", "0.28.1", "1.16.1"},
    {"2.12", "3.11", "tensorflow/tensorflow:2.12.0", "tensorflow/tensorflow:2.12.0-gpu", "11.8", "0.28.1", "1.16.1"},
    {"2.13", "3.11", "tensorflow/tensorflow:2.13.0", "tensorflow/tensorflow:2.13.0-gpu", "11.8", "0.28.1", "1.16.1"},
    {"2.14", "3.11", "tensorflow/tensorflow:2.14.0", "tensorflow/tensorflow:2.14.0-gpu", "11.8", "0.28.1", "1.16.1"},
    {"2.15", "3.11", "tensorflow/tensorflow:2.15.0", "tensorflow/tensorflow:2.15.0-gpu", "12.2", "0.28.1", "1.16.1"},
    {"2.16", "3.12", "tensorflow/tensorflow:2.16.1", "tensorflow/tensorflow:2.16.1-gpu", "12.3", "", ""},
    {"2.17", "3.12", "tensorflow/tensorflow:2.17.0", "tensorflow/tensorflow:2.17.0-gpu", "12.3", "", ""},
    {"2.18", "3.12", "tensorflow/tensorflow:2.18.0", "tensorflow/tensorflow:2.18.0-gpu", "12.5", "", ""},
    {"2.19", "3.12", "tensorflow/tensorflow:2.19.0", "tensorflow/tensorflow:2.19.0-gpu", "12.5", "", ""},
    {"2.20", "3.12", "tensorflow/tensorflow:2.20.0", "tensorflow/tensorflow:2.20.0-gpu", "12.5", "", ""},
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

/// TensorFlow's pip requirement for a version: `tensorflow-gpu` up to 2.0
/// on GPU (the GPU wheel was separate), `tensorflow` from 2.1 (GPU support
/// built in, CUDA from the image), `tensorflow[and-cuda]` from 2.14 when the
/// base image has no CUDA (pip brings it).
inline std::string tensorflow_requirement(std::string_view version, bool gpu, bool base_has_cuda) {
    const bool separate_gpu_wheel = framework_major(version) < 2 || version == "2.0";
    const bool and_cuda = gpu && !base_has_cuda && !separate_gpu_wheel && version.size() > 2 &&
                          std::stoi(std::string(version.substr(2))) >= 14;
    return std::string(gpu && separate_gpu_wheel ? "tensorflow-gpu"
                       : and_cuda                ? "tensorflow[and-cuda]"
                                                 : "tensorflow") +
           "==" + std::string(version) + ".*";
}

/// Azure ML's base images (conda and MPI): CPU, and one per CUDA of the GPU
/// wheels (Azure/AzureML-Containers; TensorFlow 1.x's CUDA 9.0 image comes
/// with Intel MPI, as Azure's TensorFlow 1.x images did). From TensorFlow
/// 2.14 pip brings CUDA (tensorflow[and-cuda]), so the CPU image serves.
inline constexpr const char* azureml_cpu_base_image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04";

/// The Azure ML base image of a job: CPU, or the one with the CUDA of its
/// TensorFlow version's GPU wheel.
inline std::string azureml_base_image(std::string_view version, bool gpu);

/// True when the Azure ML base image of a GPU job has CUDA itself.
inline bool azureml_base_has_cuda(std::string_view version) {
    return version.size() <= 2 || framework_major(version) < 2 || std::stoi(std::string(version.substr(2))) < 14;
}

/// The tf2onnx releases of the table and the highest ONNX opset each
/// converts to (their release notes).
inline constexpr std::pair<std::string_view, int> tf2onnx_releases[] = {{"1.9.3", 15}, {"1.16.1", 18}};

/// The highest ONNX opset a tf2onnx release of the table converts to.
constexpr int tf2onnx_max_opset(std::string_view tf2onnx) noexcept {
    for (const auto& [release, opset] : tf2onnx_releases)
        if (release == tf2onnx) return opset;
    return 0;
}

/// "0.19.5 covers 1.10-2.1, 0.21.3 covers 2.2-2.4, ...": the framework
/// versions each release in the column `pin` of the table is used for.
inline std::string release_ranges(std::string_view framework_image::*pin) {
    std::string text;
    for (std::size_t i = 0; i < framework_images.size();) {
        const auto release = framework_images[i].*pin;
        std::size_t j = i;
        while (j + 1 < framework_images.size() && framework_images[j + 1].*pin == release) ++j;
        if (!release.empty()) {
            text += (text.empty() ? "" : ", ") + std::string(release) + " covers " +
                    std::string(framework_images[i].framework_version);
            if (j > i) text += "-" + std::string(framework_images[j].framework_version);
        }
        i = j + 1;
    }
    return text;
}

/// The table entry of a supported version; throws trainspec::error otherwise.
inline const framework_image& framework_image_for(std::string_view framework_version) {
    for (const auto& entry : framework_images)
        if (entry.framework_version == framework_version) return entry;
    throw error({"framework_version", detail::quote_json(framework_version),
                 "no image; supported versions: " + supported_framework_versions_text()});
}

inline std::string azureml_base_image(std::string_view version, bool gpu) {
    if (!gpu || !azureml_base_has_cuda(version)) return azureml_cpu_base_image;
    constexpr std::pair<std::string_view, std::string_view> by_cuda[] = {
        {"9.0", "mcr.microsoft.com/azureml/intelmpi2018.3-cuda9.0-cudnn7-ubuntu16.04"},
        {"10.0", "mcr.microsoft.com/azureml/openmpi3.1.2-cuda10.0-cudnn7-ubuntu18.04"},
        {"10.1", "mcr.microsoft.com/azureml/openmpi3.1.2-cuda10.1-cudnn7-ubuntu18.04"},
        {"11.0", "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.0.3-cudnn8-ubuntu18.04"},
        {"11.2", "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.2-cudnn8-ubuntu20.04"},
        {"11.8", "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04"},
    };
    const auto cuda = framework_image_for(version).cuda;
    for (const auto& [c, image] : by_cuda)
        if (c == cuda) return std::string(image);
    return azureml_cpu_base_image;
}

TRAINSPEC_END_NAMESPACE
