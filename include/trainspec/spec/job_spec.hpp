#pragma once
// job_spec: the estimator's parameters as plain, unvalidated data. It is what
// the JSON front end reads and writes and what the builder fills; validate()
// checks it and make_job() turns it into a typed, validated job.
//
// Optional fields stay empty when the user did not set them, so a spec
// round-trips exactly; the effective_*() functions apply the documented
// defaults.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <trainspec/detail/linkage.hpp>
#include <trainspec/detail/member_equality.hpp>
#include <trainspec/spec/backend.hpp>
#include <trainspec/spec/compute_target.hpp>
#include <trainspec/spec/enum_names.hpp>
#include <trainspec/spec/framework.hpp>
#include <trainspec/spec/images.hpp>
#include <trainspec/spec/mpi_settings.hpp>
#include <trainspec/spec/script_params.hpp>
#include <trainspec/spec/slurm_environment.hpp>
#include <trainspec/spec/sweep.hpp>
#include <trainspec/spec/tf_config_options.hpp>
#include <trainspec/spec/vm_sizes.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

struct environment_variable {
    std::string name;
    std::string value;

    friend bool operator==(const environment_variable& a, const environment_variable& b) {
        return a.name == b.name && a.value == b.value;
    }
    friend bool operator!=(const environment_variable& a, const environment_variable& b) { return !(a == b); }
};

/// The ONNX export step run after training (tf2onnx's converter). Unset
/// fields take the defaults below; paths are relative to the working
/// directory of the run (the source directory in the container).
struct onnx_export_settings {
    std::optional<std::string> saved_model;  ///< the SavedModel directory the training writes
    std::optional<std::string> output;       ///< the .onnx file to write
    std::optional<int> opset;                ///< ONNX opset, min_onnx_opset..max_onnx_opset

    friend bool operator==(const onnx_export_settings& a, const onnx_export_settings& b) {
        return detail::members_equal(a, b, &onnx_export_settings::saved_model, &onnx_export_settings::output,
                                     &onnx_export_settings::opset);
    }
    friend bool operator!=(const onnx_export_settings& a, const onnx_export_settings& b) { return !(a == b); }
};

/// The keys of the spec's `onnx_export` object, in the order a spec is written.
enum class onnx_export_key { saved_model, output, opset };

template <>
struct enum_names<onnx_export_key> {
    static constexpr std::array<enum_entry<onnx_export_key>, 3> table{{
        {onnx_export_key::saved_model, "saved_model"},
        {onnx_export_key::output, "output"},
        {onnx_export_key::opset, "opset"},
    }};
};

inline constexpr const char* default_onnx_saved_model = "outputs/model";
inline constexpr const char* default_onnx_output = "outputs/model.onnx";
/// tf2onnx's default for many releases; accepted range 9-18 (the opsets
/// tf2onnx 1.9-1.16 convert to; newer releases test 14-18).
inline constexpr int default_onnx_opset = 13;
inline constexpr int min_onnx_opset = 9;
inline constexpr int max_onnx_opset = 18;

/// Container shared memory when shm_size is not given (Azure ML's default).
inline constexpr const char* default_shm_size = "2g";

struct job_spec {
    TRAINSPEC_SPECIAL_MEMBERS(job_spec);

    std::optional<std::string> name;                ///< job name; becomes Kubernetes resource names
    std::string source_directory;                   ///< project folder sent to the run
    std::optional<bool> writable_source_directory;  ///< containers mount it writable (default: with onnx_export)
    std::string entry_script;                       ///< relative to source_directory
    script_params params;                           ///< JSON key `script_params`
    std::optional<compute_target> target;           ///< JSON key `compute_target`
    std::optional<std::string> vm_size;             ///< create a target on the fly instead
    std::optional<std::string> vm_priority;         ///< "dedicated" or "lowpriority"
    std::optional<int> node_count;
    std::optional<int> process_count_per_node;        ///< mpi only
    std::optional<backend_kind> distributed_backend;  ///< single_node: "no backend" said explicitly (JSON null)
    std::optional<int> worker_count;                  ///< ps and multi_worker
    std::optional<int> parameter_server_count;        ///< ps
    std::optional<int> chief_count;                   ///< ps: 0 or 1
    std::optional<int> evaluator_count;               ///< ps: 0 or 1
    std::optional<bool> use_gpu;
    std::optional<bool> use_docker;
    std::optional<std::string> custom_docker_image;
    std::optional<bool> user_managed;
    std::vector<std::string> conda_packages;
    std::vector<std::string> pip_packages;
    std::optional<std::string> conda_dependencies_file;
    std::optional<std::string> pip_requirements_file;
    std::vector<environment_variable> environment_variables;  ///< in the user's order
    std::optional<std::string> shm_size;                      ///< Docker syntax: 2g, 512m
    std::optional<std::int64_t> max_run_duration_seconds;
    std::optional<std::string> framework_version;
    std::optional<bool> keras;                        ///< the job trains a Keras model (adds the keras package)
    std::optional<int> port;                          ///< first port of the TensorFlow tasks on a host (default 2222)
    std::optional<tf_config_settings> tf_config;      ///< how TF_CONFIG is written and read
    std::optional<mpi_settings> mpi;                  ///< how an mpi job is launched
    std::optional<onnx_export_settings> onnx_export;  ///< convert the trained SavedModel to ONNX
    std::optional<std::string> image_registry;        ///< where the built image goes: registry/repository
    std::optional<slurm_environment_kind> slurm_environment;  ///< how Slurm tasks reach the environment
    std::optional<sweep_settings> sweep;                      ///< a hyperparameter sweep over script_params
};

bool operator==(const job_spec& a, const job_spec& b);
inline bool operator!=(const job_spec& a, const job_spec& b) { return !(a == b); }

// Effective values: the documented defaults applied.

inline backend_kind effective_backend(const job_spec& s) {
    return s.distributed_backend.value_or(backend_kind::single_node);
}
inline int effective_node_count(const job_spec& s) { return s.node_count.value_or(1); }
inline int effective_process_count_per_node(const job_spec& s) { return s.process_count_per_node.value_or(1); }

/// ps: 1 (Azure ML's default); multi_worker: one worker per node (Azure's
/// documented MultiWorkerMirroredStrategy set-up); other backends: 0.
inline int effective_worker_count(const job_spec& s) {
    switch (effective_backend(s)) {
        case backend_kind::parameter_server:
            return s.worker_count.value_or(1);
        case backend_kind::multi_worker:
            return s.worker_count.value_or(effective_node_count(s));
        default:
            return 0;
    }
}
inline int effective_parameter_server_count(const job_spec& s) {
    return effective_backend(s) == backend_kind::parameter_server ? s.parameter_server_count.value_or(1) : 0;
}
inline int effective_chief_count(const job_spec& s) {
    return effective_backend(s) == backend_kind::parameter_server ? s.chief_count.value_or(0) : 0;
}
inline int effective_evaluator_count(const job_spec& s) {
    return effective_backend(s) == backend_kind::parameter_server ? s.evaluator_count.value_or(0) : 0;
}

/// Processes (MPI ranks or TensorFlow tasks) the job starts in total.
inline std::int64_t effective_task_count(const job_spec& s) {
    switch (effective_backend(s)) {
        case backend_kind::mpi:
            return std::int64_t{effective_node_count(s)} * effective_process_count_per_node(s);
        case backend_kind::parameter_server:
            return std::int64_t{effective_worker_count(s)} + effective_parameter_server_count(s) +
                   effective_chief_count(s) + effective_evaluator_count(s);
        case backend_kind::multi_worker:
            return effective_worker_count(s);
        case backend_kind::single_node:
            break;
    }
    return 1;
}

inline bool effective_use_gpu(const job_spec& s) { return s.use_gpu.value_or(false); }

/// What one node has: the compute target's declared count, else the known
/// VM size's (vm_sizes.hpp), else unknown. `source` names where it comes
/// from, for messages: `compute_target.gpus_per_node = 4`, `vm_size
/// "Standard_NC6" (1 GPU)`.
struct node_capacity {
    std::optional<int> count;
    std::string source;
};

inline node_capacity effective_gpus_per_node(const job_spec& s) {
    if (s.target && s.target->gpus_per_node)
        return {s.target->gpus_per_node, "compute_target.gpus_per_node = " + std::to_string(*s.target->gpus_per_node)};
    if (s.vm_size)
        if (auto size = find_vm_size(*s.vm_size))
            return {size->gpus, "vm_size \"" + std::string(size->name) + "\" (" + std::to_string(size->gpus) +
                                    (size->gpus == 1 ? " GPU)" : " GPUs)")};
    return {};
}

inline node_capacity effective_cpus_per_node(const job_spec& s) {
    if (s.target && s.target->cpus_per_node)
        return {s.target->cpus_per_node, "compute_target.cpus_per_node = " + std::to_string(*s.target->cpus_per_node)};
    if (s.vm_size)
        if (auto size = find_vm_size(*s.vm_size))
            return {size->vcpus,
                    "vm_size \"" + std::string(size->name) + "\" (" + std::to_string(size->vcpus) + " vCPUs)"};
    return {};
}
inline bool effective_use_docker(const job_spec& s) { return s.use_docker.value_or(true); }
inline bool effective_user_managed(const job_spec& s) { return s.user_managed.value_or(false); }
inline bool effective_keras(const job_spec& s) { return s.keras.value_or(false); }
inline std::string effective_shm_size(const job_spec& s) { return s.shm_size.value_or(default_shm_size); }
/// The first port of TensorFlow tasks on a host (TensorFlow's customary 2222).
inline constexpr int default_port = 2222;
inline int effective_port(const job_spec& s) { return s.port.value_or(default_port); }

inline tf_profile effective_profile(const job_spec& s) {
    return s.tf_config && s.tf_config->profile ? *s.tf_config->profile : tf_profile::tf2;
}

/// custom for ps jobs (the seed's hand-written ClusterSpec with ps + worker
/// and no chief must pass); MultiWorkerMirroredStrategy for multi_worker.
inline tf_consumer effective_consumer(const job_spec& s) {
    if (s.tf_config && s.tf_config->consumer) return *s.tf_config->consumer;
    return s.distributed_backend == backend_kind::multi_worker ? tf_consumer::multi_worker_mirrored_strategy
                                                               : tf_consumer::custom;
}

/// The MPI launcher of an mpi job: the spec's mpi.flavor, else Open MPI.
inline mpi_flavor effective_mpi_flavor(const job_spec& s) {
    return s.mpi && s.mpi->flavor ? *s.mpi->flavor : mpi_flavor::openmpi;
}

inline bool effective_onnx_export(const job_spec& s) { return s.onnx_export.has_value(); }
/// Whether containers may write into the mounted source directory: when
/// asked, else when onnx_export writes its files there.
inline bool effective_writable_source_directory(const job_spec& s) {
    return s.writable_source_directory.value_or(effective_onnx_export(s));
}
inline std::string effective_onnx_saved_model(const job_spec& s) {
    return s.onnx_export && s.onnx_export->saved_model ? *s.onnx_export->saved_model : default_onnx_saved_model;
}
inline std::string effective_onnx_output(const job_spec& s) {
    return s.onnx_export && s.onnx_export->output ? *s.onnx_export->output : default_onnx_output;
}
inline int effective_onnx_opset(const job_spec& s) {
    return s.onnx_export && s.onnx_export->opset ? *s.onnx_export->opset : default_onnx_opset;
}

/// framework_version, else the newest version whose environment can hold
/// what the job installs: Horovod for mpi jobs, tf2onnx for onnx_export
/// (images.hpp), else default_framework_version.
inline std::string effective_framework_version(const job_spec& s) {
    if (s.framework_version) return *s.framework_version;
    const bool mpi = effective_backend(s) == backend_kind::mpi;
    for (auto it = framework_images.rbegin(); it != framework_images.rend(); ++it)
        if ((!mpi || !it->horovod.empty()) && (!effective_onnx_export(s) || !it->tf2onnx.empty()))
            return std::string(it->framework_version);
    return std::string(default_framework_version);
}

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
TRAINSPEC_BEGIN_NAMESPACE

TRAINSPEC_DEFAULT_SPECIAL_MEMBERS(job_spec);

TRAINSPEC_INLINE bool operator==(const job_spec& a, const job_spec& b) {
    using s = job_spec;
    return detail::members_equal(
        a, b, &s::name, &s::source_directory, &s::writable_source_directory, &s::entry_script, &s::params, &s::target,
        &s::vm_size, &s::vm_priority, &s::node_count, &s::process_count_per_node, &s::distributed_backend,
        &s::worker_count, &s::parameter_server_count, &s::chief_count, &s::evaluator_count, &s::use_gpu, &s::use_docker,
        &s::custom_docker_image, &s::user_managed, &s::conda_packages, &s::pip_packages, &s::conda_dependencies_file,
        &s::pip_requirements_file, &s::environment_variables, &s::shm_size, &s::max_run_duration_seconds,
        &s::framework_version, &s::keras, &s::port, &s::tf_config, &s::mpi, &s::onnx_export, &s::image_registry,
        &s::slurm_environment, &s::sweep);
}
TRAINSPEC_END_NAMESPACE
#endif
