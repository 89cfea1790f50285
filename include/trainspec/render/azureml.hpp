#pragma once
// An Azure Machine Learning SDK/CLI v2 command job (`az ml job create -f`),
// written from the launch model: JSON (valid YAML), keys in a fixed order.
// docs/azureml.md maps every field and gives the GPU image table.
//
//   nlohmann::ordered_json azureml_command_job(const job<B>& job, const azureml_options& options = {});
//   nlohmann::ordered_json azureml_command_job(const any_job& job, const azureml_options& options = {});
//
// Jobs v2 cannot run throw artifact_error naming the field: a chief
// or evaluator, use_docker = false, compute target "local", a
// pip_requirements_file.

#include <optional>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include <trainspec/detail/linkage.hpp>
#include <trainspec/error.hpp>
#include <trainspec/job.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

inline constexpr const char* azureml_command_job_schema =
    "https://azuremlschemas.azureedge.net/latest/commandJob.schema.json";

struct azureml_options {
    std::optional<std::string> experiment_name;
    /// The generated conda environment file, relative to the job file.
    std::string conda_file = "environment.yml";
    /// The source directory as the job file reaches it (Azure resolves
    /// `code` against the job file's directory); default source_directory.
    std::optional<std::string> code;
};

namespace detail {
nlohmann::ordered_json azureml_job(const job_spec& s, const azureml_options& o);
/// The path of the first text of the spec that holds "${{", or "": Azure ML
/// evaluates every ${{ <expression> }} of a job (docs/azureml.md).
std::string azureml_expression_path(const job_spec& s);
/// azureml_job() of a spec whose text is all its own (no expression).
nlohmann::ordered_json azureml_command_job_of(const job_spec& s, const azureml_options& o);
}  // namespace detail

/// The job as an Azure ML v2 command job (JSON, valid as YAML).
template <class Backend>
nlohmann::ordered_json azureml_command_job(const job<Backend>& j, const azureml_options& options = {}) {
    return detail::azureml_command_job_of(j.spec(), options);
}
inline nlohmann::ordered_json azureml_command_job(const any_job& j, const azureml_options& options = {}) {
    return detail::azureml_command_job_of(spec_of(j), options);
}

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <stdexcept>
#include <trainspec/detail/launch_steps.hpp>

#include <trainspec/detail/launcher_settings.hpp>
#include <trainspec/detail/spec_paths.hpp>
#include <trainspec/render/job_image.hpp>
#include <trainspec/render/training_command.hpp>
#include <trainspec/spec/images.hpp>
#include <trainspec/spec/resource_names.hpp>
#include <trainspec/spec_json.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// How a task of an Azure ML job learns it owns the model: Azure starts MPI
/// ranks with mpirun (OMPI_COMM_WORLD_RANK) and gives TensorFlow tasks their
/// TF_CONFIG.
inline owner_check azureml_owner_check(backend_kind backend) {
    switch (backend) {
        case backend_kind::mpi:
            return owner_check::mpi_rank;
        case backend_kind::parameter_server:
        case backend_kind::multi_worker:
            return owner_check::tf_config;
        case backend_kind::single_node:
            break;
    }
    return owner_check::owner;
}

[[noreturn]] inline void azureml_error(const job_spec& s, const std::string& why) {
    throw artifact_error("Azure ML command job", effective_job_name(s), why);
}

TRAINSPEC_INLINE nlohmann::ordered_json azureml_job(const job_spec& s, const azureml_options& o) {
    if (!effective_use_docker(s))
        azureml_error(s, "has use_docker = false; Azure ML v2 command jobs always run in a container");
    if (s.target && s.target->is_local())
        azureml_error(s, "has compute_target \"local\"; give an Azure ML compute target or vm_size");
    if (s.pip_requirements_file)
        azureml_error(s, "has pip_requirements_file " + quote_json(*s.pip_requirements_file) +
                             "; an inline Azure ML environment takes a conda file only: list the packages in "
                             "pip_packages or in a conda_dependencies_file");
    if (effective_chief_count(s) > 0 || effective_evaluator_count(s) > 0)
        azureml_error(s, "has chief_count " + std::to_string(effective_chief_count(s)) + " and evaluator_count " +
                             std::to_string(effective_evaluator_count(s)) +
                             "; Azure ML's tensorflow distribution has only worker_count and "
                             "parameter_server_count: set both to 0");

    nlohmann::ordered_json j;
    j["$schema"] = azureml_command_job_schema;
    j["type"] = "command";
    if (s.name) j["name"] = *s.name;
    if (o.experiment_name) j["experiment_name"] = *o.experiment_name;
    const std::string code = o.code.value_or(s.source_directory);
    j["code"] = code;
    std::string command = task_shell_line(launch_steps(s), azureml_owner_check(effective_backend(s)));
    // Azure starts every task with the same command: a parameter server of a
    // GPU job learns from TF_CONFIG that it must see no GPU.
    if (effective_backend(s) == backend_kind::parameter_server && effective_use_gpu(s))
        command = "if " + tf_config_task_is("ps") + "; then CUDA_VISIBLE_DEVICES=; export CUDA_VISIBLE_DEVICES; fi; " +
                  command;
    // Azure ML's own launcher (mpirun, for an mpi job) starts in the job's
    // environment: the task-only variables are set by each task's shell.
    j["command"] = detail::task_variable_exports(s.environment_variables) + command;

    nlohmann::ordered_json environment;
    const auto version = effective_framework_version(s);
    environment["image"] = s.custom_docker_image || effective_user_managed(s)
                               ? base_image_of(s)
                               : azureml_base_image(version, effective_use_gpu(s));
    if (!effective_user_managed(s)) {
        if (s.conda_dependencies_file) {
            std::string dir = code;
            while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
            environment["conda_file"] =
                dir.empty() || dir == "." ? *s.conda_dependencies_file : dir + "/" + *s.conda_dependencies_file;
        } else {
            environment["conda_file"] = o.conda_file;
        }
    }
    j["environment"] = std::move(environment);

    if (const auto shared = detail::shared_variables(s.environment_variables); !shared.empty()) {
        nlohmann::ordered_json vars = nlohmann::ordered_json::object();
        for (const auto& v : shared) vars[v.name] = v.value;
        j["environment_variables"] = std::move(vars);
    }
    if (s.target) j["compute"] = "azureml:" + s.target->name;

    nlohmann::ordered_json resources;
    resources["instance_count"] = effective_node_count(s);
    if (s.vm_size) resources["instance_type"] = *s.vm_size;
    resources["shm_size"] = effective_shm_size(s);
    j["resources"] = std::move(resources);
    // v1's vm_priority of an on-the-fly VM is v2's job tier on serverless compute.
    if (s.vm_priority) j["queue_settings"] = {{"job_tier", *s.vm_priority == "lowpriority" ? "spot" : "standard"}};

    if (s.max_run_duration_seconds) j["limits"] = {{"timeout", *s.max_run_duration_seconds}};

    nlohmann::ordered_json distribution;
    switch (effective_backend(s)) {
        case backend_kind::mpi:
            distribution["type"] = "mpi";
            distribution["process_count_per_instance"] = effective_process_count_per_node(s);
            break;
        case backend_kind::parameter_server:
        case backend_kind::multi_worker:
            distribution["type"] = "tensorflow";
            distribution["worker_count"] = effective_worker_count(s);
            distribution["parameter_server_count"] = effective_parameter_server_count(s);
            break;
        case backend_kind::single_node:
            break;
    }
    if (!distribution.is_null()) j["distribution"] = std::move(distribution);
    return j;
}

TRAINSPEC_INLINE std::string azureml_expression_path(const job_spec& s) {
    return first_text_path(to_json(s), [](const std::string& text) { return text.find("${{") != std::string::npos; });
}

TRAINSPEC_INLINE nlohmann::ordered_json azureml_command_job_of(const job_spec& s, const azureml_options& o) {
    if (const auto path = azureml_expression_path(s); !path.empty())
        azureml_error(s, "has \"${{\" in " + path +
                             "; Azure ML evaluates every ${{ <expression> }} in a job, and this one is no "
                             "expression of the job's");
    return azureml_job(s, o);
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
#endif
