#pragma once
// What a job's environment installs (pip list, conda environment), behind
// render/environment_files.hpp and the job's image (docs/environments.md).

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/error.hpp>
#include <trainspec/job.hpp>
#include <trainspec/spec/framework.hpp>
#include <trainspec/spec/images.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/resource_names.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

[[noreturn]] inline void container_error(const char* artifact, const job_spec& s, const std::string& why) {
    throw artifact_error(artifact, effective_job_name(s), why);
}

/// The keras package of the keras switch, or "" when tf.keras is the one:
/// 1.x: multi-backend Keras 2.2/2.3 (the last releases that run on TF 1);
/// 2.0-2.5: nothing (tf.keras ships inside the tensorflow wheel);
/// 2.6-2.15: keras==2.X.* (the separate package tf.keras is, same version);
/// 2.16 and later: keras>=3 (Keras 3, which tf.keras is from 2.16 on; Keras
/// 2 code needs the tf_keras package, added through pip_packages).
inline std::string keras_requirement(std::string_view version) {
    if (framework_major(version) < 2) return "keras>=2.2,<2.4";
    const auto minor = std::stoi(std::string(version.substr(2)));
    if (minor <= 5) return "";
    if (minor <= 15) return "keras==" + std::string(version) + ".*";
    return "keras>=3";
}

/// `name==version` of a pinned release (validation has refused the job
/// when the table knows none).
inline std::string pinned(std::string_view name, std::string_view version) {
    return std::string(name) + "==" + std::string(version);
}

/// The pip list; `base_has_cuda`: the image it is installed into has CUDA
/// (the official TensorFlow GPU images, a custom image), else GPU wheels that
/// need it bring it (tensorflow_requirement()).
inline std::vector<std::string> pip_list(const job_spec& s, bool base_has_cuda = true) {
    const auto version = effective_framework_version(s);
    const auto& pins = framework_image_for(version);
    std::vector<std::string> list{tensorflow_requirement(version, effective_use_gpu(s), base_has_cuda)};
    if (effective_backend(s) == backend_kind::mpi) list.push_back(pinned("horovod", pins.horovod));
    if (effective_keras(s))
        if (auto keras = keras_requirement(version); !keras.empty()) list.push_back(std::move(keras));
    if (effective_onnx_export(s)) list.push_back(pinned("tf2onnx", pins.tf2onnx));
    list.insert(list.end(), s.pip_packages.begin(), s.pip_packages.end());
    return list;
}

inline bool is_yaml_plain_safe(std::string_view text) {
    if (text.empty() || !((text[0] >= 'a' && text[0] <= 'z') || (text[0] >= 'A' && text[0] <= 'Z'))) return false;
    for (char c : text)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
              c == '=' || c == '-'))
            return false;
    static constexpr std::string_view special[] = {"y",  "n",   "yes",  "no",  "true", "false",
                                                   "on", "off", "null", "nan", "inf"};
    std::string lower(text);
    for (auto& c : lower)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    for (auto word : special)
        if (lower == word) return false;
    return true;
}

/// A YAML scalar that reads back as the string `text`: plain when that is
/// unambiguous, else double-quoted (JSON escapes are YAML escapes).
inline std::string yaml_string(std::string_view text) {
    return is_yaml_plain_safe(text) ? std::string(text) : quote_json(text);
}

inline bool conda_used(const job_spec& s) {
    return !effective_user_managed(s) && (!s.conda_packages.empty() || s.conda_dependencies_file.has_value());
}

/// Whether the conda environment is built on an image with CUDA: Azure ML's
/// base image for the version's CUDA, or a custom image (the user's, CUDA
/// included).
inline bool conda_base_has_cuda(const job_spec& s) {
    return s.custom_docker_image || azureml_base_has_cuda(effective_framework_version(s));
}

inline std::string environment_yaml(const job_spec& s) {
    if (effective_user_managed(s))
        container_error("environment.yml", s, "is user_managed: the image already has everything");
    if (s.conda_dependencies_file)
        container_error("environment.yml", s,
                        "uses its own conda_dependencies_file " + quote_json(*s.conda_dependencies_file));
    const auto& entry = framework_image_for(effective_framework_version(s));
    std::string y = "name: " + yaml_string(effective_job_name(s)) + "\n";
    y += "channels:\n  - conda-forge\n  - defaults\n";
    y += "dependencies:\n";
    y += "  - " + yaml_string("python=" + std::string(entry.python)) + "\n";
    y += "  - pip\n";
    for (const auto& p : s.conda_packages) y += "  - " + yaml_string(p) + "\n";
    y += "  - pip:\n";
    for (const auto& p : pip_list(s, conda_base_has_cuda(s))) y += "      - " + yaml_string(p) + "\n";
    return y;
}

inline std::string requirements_text(const job_spec& s) {
    if (effective_user_managed(s))
        container_error("requirements.txt", s, "is user_managed: the image already has everything");
    std::string text;
    for (const auto& p : pip_list(s)) text += p + "\n";
    return text;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
