#pragma once
// The rules of the software a job runs with: its TensorFlow, packages,
// container, built image and the releases pinned for them.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include <trainspec/detail/conda_match_spec.hpp>
#include <trainspec/detail/pep508.hpp>
#include <trainspec/detail/rule_context.hpp>
#include <trainspec/detail/rules.hpp>
#include <trainspec/detail/slurm_environment_rule.hpp>
#include <trainspec/detail/source_rules.hpp>
#include <trainspec/spec/images.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/names.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline void check_framework(spec_rule_context& rules) {
    if (rules.spec.framework_version && !is_supported_framework_version(*rules.spec.framework_version))
        rules.add("framework_version", rules.q(*rules.spec.framework_version),
                  "unsupported; supported versions: " + supported_framework_versions_text());
    if (rules.is(backend_kind::multi_worker) && framework_major(effective_framework_version(rules.spec)) < 2 &&
        is_supported_framework_version(effective_framework_version(rules.spec)))
        rules.add("framework_version", rules.q(effective_framework_version(rules.spec)),
                  "distributed_backend " + rules.name_of(backend_kind::multi_worker) +
                      " (MultiWorkerMirroredStrategy) needs TensorFlow 2.0 or later");
}

/// Each entry one package specifier of its installer (`spec_problem`):
/// never an option, an index or a URL of it (docs/spec.md).
inline void check_package_list(spec_rule_context& rules, const char* field, const std::vector<std::string>& list,
                               std::optional<std::string> (*spec_problem)(std::string_view)) {
    const auto earlier = earlier_same(list, [](const std::string& p) { return std::string_view(p); });
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto path = fmt::format("{}[{}]", field, i);
        const auto& p = list[i];
        const bool control = has_control_character(p);
        if (p.empty() || p.find_first_not_of(' ') == std::string::npos)
            rules.add(path, rules.q(p), "must name a package");
        else if (p.front() == ' ' || p.back() == ' ')
            rules.add(path, rules.q(p), "must not start or end with a space");
        else if (control)
            rules.add(path, rules.q(p), "must not contain control characters (one package per entry)");
        else if (auto why = spec_problem(p))
            rules.add(path, rules.q(p), *why);
        if (earlier[i] != std::string_view::npos)
            rules.add(path, rules.q(p), fmt::format("duplicates {}[{}]", field, earlier[i]));
    }
}

inline void check_packages(spec_rule_context& rules) {
    check_package_list(rules, "conda_packages", rules.spec.conda_packages, conda_match_spec_problem);
    check_package_list(rules, "pip_packages", rules.spec.pip_packages, pip_requirement_problem);
    if (rules.spec.conda_dependencies_file) {
        const auto v = rules.q(*rules.spec.conda_dependencies_file);
        if (!rules.spec.conda_packages.empty())
            rules.add("conda_dependencies_file", v, "conflicts with conda_packages: list them in the file");
        if (!rules.spec.pip_packages.empty())
            rules.add("conda_dependencies_file", v, "conflicts with pip_packages: list them in the file's pip section");
        if (rules.spec.pip_requirements_file)
            rules.add("conda_dependencies_file", v,
                      "conflicts with pip_requirements_file: list the requirements in the file's pip section");
    }
    if (effective_user_managed(rules.spec)) {
        auto conflict = [&](bool present, const char* field) {
            if (present)
                rules.add("user_managed", "true",
                          fmt::format("the image already has everything; {} would be ignored", field));
        };
        conflict(!rules.spec.conda_packages.empty(), "conda_packages");
        conflict(!rules.spec.pip_packages.empty(), "pip_packages");
        conflict(rules.spec.conda_dependencies_file.has_value(), "conda_dependencies_file");
        conflict(rules.spec.pip_requirements_file.has_value(), "pip_requirements_file");
    }
}

inline void check_container(spec_rule_context& rules) {
    const bool docker = effective_use_docker(rules.spec);
    if (rules.spec.custom_docker_image) {
        if (!docker)
            rules.add("custom_docker_image", rules.q(*rules.spec.custom_docker_image), "needs use_docker = true");
        if (auto why = image_reference_problem(*rules.spec.custom_docker_image))
            rules.add("custom_docker_image", rules.q(*rules.spec.custom_docker_image), std::string(*why));
    }
    if (rules.spec.shm_size) {
        if (!parse_docker_size(*rules.spec.shm_size))
            rules.add("shm_size", rules.q(*rules.spec.shm_size),
                      "must be a number greater than 0 with an optional unit b, k, m or g (Docker's --shm-size)");
        if (!docker)
            rules.add("shm_size", rules.q(*rules.spec.shm_size),
                      "is container shared memory and needs use_docker = true");
    }
}

/// onnx_export: relative paths (inside the run's directory) and an opset
/// tf2onnx converts to.
inline void check_onnx_export(spec_rule_context& rules) {
    if (!rules.spec.onnx_export) return;
    const auto& o = *rules.spec.onnx_export;
    for (auto [path, field] :
         {std::pair{"onnx_export.saved_model", &o.saved_model}, {"onnx_export.output", &o.output}}) {
        if (!*field) continue;
        if ((*field)->empty()) rules.add(path, "\"\"", "must not be empty");
        check_relative_path(rules, path, **field);
    }
    if (o.saved_model && o.output && *o.saved_model == *o.output && !o.output->empty())
        rules.add("onnx_export.output", rules.q(*o.output), "must differ from onnx_export.saved_model");
    if (o.opset && (*o.opset < min_onnx_opset || *o.opset > max_onnx_opset))
        rules.add("onnx_export.opset", rules.n(*o.opset),
                  fmt::format("must be an ONNX opset from {} to {} (tf2onnx's range)", min_onnx_opset, max_onnx_opset));
    if (rules.spec.writable_source_directory == false)
        rules.add("writable_source_directory", "false",
                  "onnx_export writes its SavedModel and ONNX file into the source directory; it must be writable");
}

/// Where the built image goes, what it can be built with, and how Slurm
/// reaches it.
inline void check_image(spec_rule_context& rules) {
    const bool docker = effective_use_docker(rules.spec);
    if (rules.spec.image_registry) {
        const auto& r = *rules.spec.image_registry;
        if (auto why = image_repository_problem(r)) rules.add("image_registry", rules.q(r), std::string(*why));
        if (!docker && rules.known("use_docker"))
            rules.add("image_registry", rules.q(r), "is where the job's image goes; the job has use_docker = false");
        else if (effective_user_managed(rules.spec) && rules.known("user_managed"))
            rules.add("image_registry", rules.q(r),
                      "is where the job's built image goes; a user_managed job runs its image as it is");
    }
    if (rules.spec.slurm_environment && rules.all_known("use_docker", "user_managed", "pip_requirements_file"))
        if (auto why = slurm_environment_problem(rules.spec, *rules.spec.slurm_environment))
            rules.add("slurm_environment", rules.q(enum_name(*rules.spec.slurm_environment)), *why);
}

/// The releases the job's environment installs, from the table of the
/// ones known to work with its TensorFlow (images.hpp).
inline void check_release_pins(spec_rule_context& rules) {
    if (effective_user_managed(rules.spec) || !rules.all_known("framework_version", "user_managed")) return;
    const auto version = effective_framework_version(rules.spec);
    if (!is_supported_framework_version(version)) return;
    const auto& pins = framework_image_for(version);
    if (rules.is(backend_kind::mpi) && pins.horovod.empty())
        rules.add("framework_version", rules.q(version),
                  "has no Horovod release known to build against it (Horovod " +
                      release_ranges(&framework_image::horovod) +
                      "; 2.16 moved to Keras 3): use such a version, or user_managed with an image that has Horovod");
    if (!rules.spec.onnx_export) return;
    if (pins.tf2onnx.empty())
        rules.add("onnx_export", "",
                  "has no tf2onnx release known to convert TensorFlow " + version + " (tf2onnx " +
                      release_ranges(&framework_image::tf2onnx) +
                      "): use such a version, or user_managed with an image that has tf2onnx");
    else if (effective_onnx_opset(rules.spec) > tf2onnx_max_opset(pins.tf2onnx))
        rules.add("onnx_export.opset", rules.n(effective_onnx_opset(rules.spec)),
                  fmt::format("tf2onnx {}, the release for TensorFlow {}, converts to opset {} at most", pins.tf2onnx,
                              version, tf2onnx_max_opset(pins.tf2onnx)));
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
