#pragma once
// The top-level keys of a trainspec/v1 spec, in the order a spec is written.
// The spec's field table (detail/spec_field_tables.hpp), the did-you-mean
// hints and the builder's record of which setters were called all key on
// this one list.

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <trainspec/spec/backend.hpp>
#include <trainspec/spec/enum_names.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// The value of a spec's `apiVersion`.
inline constexpr const char* spec_api_version = "trainspec/v1";

enum class spec_key {
    api_version,
    name,
    source_directory,
    writable_source_directory,
    entry_script,
    script_params,
    compute_target,
    vm_size,
    vm_priority,
    node_count,
    process_count_per_node,
    distributed_backend,
    worker_count,
    parameter_server_count,
    chief_count,
    evaluator_count,
    use_gpu,
    use_docker,
    custom_docker_image,
    user_managed,
    conda_packages,
    pip_packages,
    conda_dependencies_file,
    pip_requirements_file,
    environment_variables,
    shm_size,
    max_run_duration_seconds,
    framework_version,
    keras,
    port,
    tf_config,
    mpi,
    onnx_export,
    image_registry,
    slurm_environment,
    sweep,
};

template <>
struct enum_names<spec_key> {
    static constexpr std::array<enum_entry<spec_key>, 36> table{{
        {spec_key::api_version, "apiVersion"},
        {spec_key::name, "name"},
        {spec_key::source_directory, "source_directory"},
        {spec_key::writable_source_directory, "writable_source_directory"},
        {spec_key::entry_script, "entry_script"},
        {spec_key::script_params, "script_params"},
        {spec_key::compute_target, "compute_target"},
        {spec_key::vm_size, "vm_size"},
        {spec_key::vm_priority, "vm_priority"},
        {spec_key::node_count, "node_count"},
        {spec_key::process_count_per_node, "process_count_per_node"},
        {spec_key::distributed_backend, "distributed_backend"},
        {spec_key::worker_count, "worker_count"},
        {spec_key::parameter_server_count, "parameter_server_count"},
        {spec_key::chief_count, "chief_count"},
        {spec_key::evaluator_count, "evaluator_count"},
        {spec_key::use_gpu, "use_gpu"},
        {spec_key::use_docker, "use_docker"},
        {spec_key::custom_docker_image, "custom_docker_image"},
        {spec_key::user_managed, "user_managed"},
        {spec_key::conda_packages, "conda_packages"},
        {spec_key::pip_packages, "pip_packages"},
        {spec_key::conda_dependencies_file, "conda_dependencies_file"},
        {spec_key::pip_requirements_file, "pip_requirements_file"},
        {spec_key::environment_variables, "environment_variables"},
        {spec_key::shm_size, "shm_size"},
        {spec_key::max_run_duration_seconds, "max_run_duration_seconds"},
        {spec_key::framework_version, "framework_version"},
        {spec_key::keras, "keras"},
        {spec_key::port, "port"},
        {spec_key::tf_config, "tf_config"},
        {spec_key::mpi, "mpi"},
        {spec_key::onnx_export, "onnx_export"},
        {spec_key::image_registry, "image_registry"},
        {spec_key::slurm_environment, "slurm_environment"},
        {spec_key::sweep, "sweep"},
    }};
};

/// The top-level keys of a trainspec/v1 spec, in the order to_json() writes them.
inline const std::vector<std::string>& spec_keys() { return enum_name_strings<spec_key>(); }

/// Whether a key means anything for a backend: the builder refuses its setter
/// at compile time and validate() its value otherwise.
constexpr bool key_applies_to(spec_key key, backend_kind backend) noexcept {
    const bool tensorflow_servers = backend == backend_kind::parameter_server || backend == backend_kind::multi_worker;
    switch (key) {
        case spec_key::worker_count:
        case spec_key::port:
        case spec_key::tf_config:
            return tensorflow_servers;
        case spec_key::parameter_server_count:
        case spec_key::chief_count:
        case spec_key::evaluator_count:
            return backend == backend_kind::parameter_server;
        case spec_key::process_count_per_node:
        case spec_key::mpi:
            return backend == backend_kind::mpi;
        default:
            return true;
    }
}

TRAINSPEC_END_NAMESPACE
