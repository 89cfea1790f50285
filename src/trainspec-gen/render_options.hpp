#pragma once
// The options of `render` and `generate` that reach the renderers, each
// declared once: its name, value and help for --help, the targets it applies
// to (render refuses an option its target would ignore), the setting of the
// library it fills (problems about that setting are named by the option),
// and how its value is read into the engine's options.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "artifacts.hpp"
#include "cli.hpp"
#include "input.hpp"
#include "options.hpp"

namespace trainspec_gen {

struct render_option {
    const option* declaration;
    std::string_view help;  ///< render's help for a shared option; "" for the declaration's
    std::vector<artifact> targets;
    std::string_view setting;  ///< the library's path in problems ("" for none)
    /// Reads the option's values (every one given, in order) into `settings`;
    /// throws input_error for a value that cannot be read.
    void (*apply)(render_settings& settings, const std::vector<std::string>& values);
    /// The spec key whose value the option replaces (its problems are the spec's).
    std::string_view spec_key = {};
};

// ---- the options only the renderers read ----

inline const option image_option{"--image", "IMAGE",
                                 "tfjob, mpijob, slurm, docker: the container image (default: the job's image)"};
inline const option registry_option{"--registry", "REPOSITORY",
                                    "tfjob, mpijob, slurm, docker, build: where the job's built image goes, for\n"
                                    "example ghcr.io/acme/mnist (the spec's image_registry; default: the local\n"
                                    "trainspec/<job name>, not pushed)"};
inline const option image_pull_policy_option{
    "--image-pull-policy", "P",
    "tfjob, mpijob: Always, IfNotPresent or Never (default: Always for a built image\n"
    "in a registry, IfNotPresent for a local one)"};
inline const option clean_pod_policy_option{
    "--clean-pod-policy", "P", "tfjob, mpijob: All, Running (default) or None: pods removed when the job ends"};
inline const option restart_policy_option{
    "--restart-policy", "[TYPE=]P,...",
    "tfjob, mpijob: restartPolicy of every replica, or of one type (Chief, Worker, PS,\n"
    "Evaluator; Launcher, Worker); default TFJob ExitCode, MPIJob Launcher OnFailure,\n"
    "Worker Never"};
inline const option worker_command_option{"--worker-command", "JSON",
                                          "mpijob: the workers' argv (default [\"/usr/sbin/sshd\", \"-De\"])"};
inline const option image_pull_secret_option{"--image-pull-secret", "NAME",
                                             "tfjob, mpijob: a Secret to pull the image with (repeatable)"};
inline const option node_selector_option{"--node-selector", "KEY=VALUE",
                                         "tfjob, mpijob: a node label the pods need (repeatable)"};
inline const option toleration_option{"--toleration", "KEY[=VALUE][:EFFECT]",
                                      "tfjob, mpijob: a taint the pods tolerate (repeatable)"};
inline const option volume_option{"--volume", "CLAIM:PATH[:rw]",
                                  "tfjob, mpijob: mount a PersistentVolumeClaim in every container, read-only\n"
                                  "unless :rw (repeatable)"};
inline const option working_directory_option{"--working-directory", "DIR",
                                             "tfjob, mpijob: the containers' working directory (default /workspace)"};
inline const option memory_option{"--memory", "SIZE",
                                  "tfjob, mpijob: each task's memory (16Gi); slurm: #SBATCH --mem per node (16G)"};
inline const option partition_option{"--partition", "P", "slurm: #SBATCH --partition=P"};
inline const option account_option{"--account", "A", "slurm: #SBATCH --account=A"};
inline const option qos_option{"--qos", "Q", "slurm: #SBATCH --qos=Q"};
inline const option exclusive_option{"--exclusive", "", "slurm: whole nodes (#SBATCH --exclusive)"};
inline const option time_option{"--time", "MINUTES", "slurm: --time (default: max_run_duration_seconds, rounded up)"};
inline const option cpus_per_task_option{"--cpus-per-task", "N",
                                         "slurm: --cpus-per-task (default: the compute target's CPUs per task)"};
inline const option gres_option{"--gres", "", "slurm: ask for GPUs with --gres=gpu:N instead of --gpus-per-node=N"};
inline const option launcher_option{"--launcher", "L",
                                    "slurm, mpi jobs: srun (default) or mpirun inside the allocation"};
inline const option srun_mpi_option{"--srun-mpi", "PLUGIN",
                                    "slurm, mpi jobs: srun --mpi=PLUGIN (default pmix; pmi2 for mpich, intel)"};
inline const option slurm_environment_option{
    "--slurm-environment", "E",
    "slurm: how tasks reach the job's environment: apptainer, singularity, pyxis,\n"
    "conda or none (default: the spec's slurm_environment, else apptainer for\n"
    "container jobs)"};
inline const option source_path_option{
    "--source-path", "PATH",
    "docker: the host directory mounted at /workspace, inside the working directory (default: source_directory)"};
inline const option experiment_name_option{"--experiment-name", "NAME", "azureml: the job's experiment_name"};

namespace detail {

inline std::string shown_value(std::string_view option, const std::string& value) {
    return std::string(option) + " '" + one_line(value) + "'";
}

inline std::string nonempty(std::string_view option, const std::vector<std::string>& values) {
    const auto& value = values.back();
    if (value.empty()) throw input_error(std::string(option) + ": the value is empty");
    return value;
}

inline int positive(std::string_view option, const std::vector<std::string>& values, int max) {
    const auto number = parse_whole_number(values.back(), max);
    if (!number || *number < 1)
        throw input_error(shown_value(option, values.back()) + ": expected a whole number from 1 to " +
                          std::to_string(max));
    return *number;
}

/// `KEY=VALUE`.
inline std::pair<std::string, std::string> key_value(std::string_view option, const std::string& value) {
    const auto eq = value.find('=');
    if (eq == std::string::npos || eq == 0) throw input_error(shown_value(option, value) + ": expected KEY=VALUE");
    return {value.substr(0, eq), value.substr(eq + 1)};
}

/// `[TYPE=]POLICY[,TYPE=POLICY...]`.
inline void restart_policies(render_settings& s, const std::vector<std::string>& values) {
    for (const auto& value : values) {
        std::size_t start = 0;
        while (start <= value.size()) {
            auto comma = value.find(',', start);
            if (comma == std::string::npos) comma = value.size();
            const auto item = value.substr(start, comma - start);
            if (item.empty()) throw input_error(shown_value(restart_policy_option.name, value) + ": an empty item");
            if (item.find('=') == std::string::npos)
                s.kubeflow.restart_policy = item;
            else
                s.kubeflow.replica_restart_policy.push_back(key_value(restart_policy_option.name, item));
            start = comma + 1;
        }
    }
}

/// `KEY[=VALUE][:EFFECT]`, kubectl taint's syntax; without a value the
/// toleration matches the key with operator Exists.
inline void tolerations(render_settings& s, const std::vector<std::string>& values) {
    for (const auto& value : values) {
        trainspec::kubernetes_toleration t;
        std::string rest = value;
        if (const auto colon = rest.rfind(':'); colon != std::string::npos) {
            t.effect = rest.substr(colon + 1);
            rest.erase(colon);
        }
        if (const auto eq = rest.find('='); eq != std::string::npos) {
            t.key = rest.substr(0, eq);
            t.value = rest.substr(eq + 1);
        } else {
            t.key = rest;
            t.operator_name = "Exists";
        }
        if (t.key.empty())
            throw input_error(shown_value(toleration_option.name, value) + ": expected KEY[=VALUE][:EFFECT]");
        s.kubeflow.tolerations.push_back(std::move(t));
    }
}

/// `CLAIM:PATH[:rw]`: a PersistentVolumeClaim, mounted read-only unless `:rw`.
inline void volumes(render_settings& s, const std::vector<std::string>& values) {
    for (const auto& value : values) {
        trainspec::kubernetes_volume v;
        std::string rest = value;
        if (rest.size() > 3 && rest.compare(rest.size() - 3, 3, ":rw") == 0) {
            v.read_only = false;
            rest.erase(rest.size() - 3);
        } else if (rest.size() > 3 && rest.compare(rest.size() - 3, 3, ":ro") == 0) {
            rest.erase(rest.size() - 3);
        }
        const auto colon = rest.find(':');
        if (colon == std::string::npos || colon == 0)
            throw input_error(shown_value(volume_option.name, value) + ": expected CLAIM:PATH[:rw]");
        v.claim = rest.substr(0, colon);
        v.mount_path = rest.substr(colon + 1);
        s.kubeflow.volumes.push_back(std::move(v));
    }
}

inline void slurm_environment(render_settings& s, const std::vector<std::string>& values) {
    const auto& name = values.back();
    s.slurm.environment = trainspec::enum_from_name<trainspec::slurm_environment_kind>(name);
    if (!s.slurm.environment)
        throw input_error(shown_value(slurm_environment_option.name, name) + ": expected one of " +
                          trainspec::enum_name_list<trainspec::slurm_environment_kind>());
}

/// A JSON array of strings: an argv.
inline std::vector<std::string> argv_json(std::string_view option, const std::string& value) {
    const auto doc = nlohmann::json::parse(value, nullptr, false);
    bool ok = doc.is_array() && !doc.empty();
    if (ok)
        for (const auto& word : doc) ok = ok && word.is_string();
    if (!ok)
        throw input_error(shown_value(option, value) +
                          ": expected a JSON array of strings, for example '[\"/usr/sbin/sshd\", \"-De\"]'");
    return doc.get<std::vector<std::string>>();
}

}  // namespace detail

/// Every option, in the order --help lists them.
inline const std::vector<render_option>& render_options() {
    using a = artifact;
    namespace d = detail;
    static const std::vector<render_option> table = {
        {&hosts_option,
         "tfjob, slurm: plan with these hosts (host:slots,... or a hostfile): the GPU share of\n"
         "each task, the tasks per node (an MPIJob's workers are the operator's to place)",
         {a::tfjob, a::slurm},
         "hosts",
         nullptr},
        {&image_option,
         {},
         {a::tfjob, a::mpijob, a::slurm, a::docker},
         "image",
         [](render_settings& s, const std::vector<std::string>& v) { s.image = v.back(); }},
        {&registry_option,
         {},
         {a::tfjob, a::mpijob, a::slurm, a::docker, a::build},
         "image_registry",
         nullptr,
         "image_registry"},
        {&image_pull_policy_option,
         {},
         {a::tfjob, a::mpijob},
         "image_pull_policy",
         [](render_settings& s, const std::vector<std::string>& v) { s.kubeflow.image_pull_policy = v.back(); }},
        {&namespace_option,
         {},
         {a::tfjob, a::mpijob},
         "namespace",
         [](render_settings& s, const std::vector<std::string>& v) { s.kubeflow.kubernetes_namespace = v.back(); }},
        {&cluster_domain_option,
         {},
         {a::tfjob, a::mpijob},
         "cluster_domain",
         [](render_settings& s, const std::vector<std::string>& v) { s.kubeflow.cluster_domain = v.back(); }},
        {&clean_pod_policy_option,
         {},
         {a::tfjob, a::mpijob},
         "clean_pod_policy",
         [](render_settings& s, const std::vector<std::string>& v) { s.kubeflow.clean_pod_policy = v.back(); }},
        {&restart_policy_option, {}, {a::tfjob, a::mpijob}, "restart_policy", d::restart_policies},
        {&worker_command_option,
         {},
         {a::mpijob},
         "worker_command",
         [](render_settings& s, const std::vector<std::string>& v) {
             s.kubeflow.worker_command = d::argv_json(worker_command_option.name, v.back());
         }},
        {&image_pull_secret_option,
         {},
         {a::tfjob, a::mpijob},
         "image_pull_secrets",
         [](render_settings& s, const std::vector<std::string>& v) { s.kubeflow.image_pull_secrets = v; }},
        {&node_selector_option,
         {},
         {a::tfjob, a::mpijob},
         "node_selector",
         [](render_settings& s, const std::vector<std::string>& v) {
             for (const auto& item : v)
                 s.kubeflow.node_selector.push_back(d::key_value(node_selector_option.name, item));
         }},
        {&toleration_option, {}, {a::tfjob, a::mpijob}, "tolerations", d::tolerations},
        {&volume_option, {}, {a::tfjob, a::mpijob}, "volumes", d::volumes},
        {&working_directory_option,
         {},
         {a::tfjob, a::mpijob},
         "working_directory",
         [](render_settings& s, const std::vector<std::string>& v) { s.kubeflow.working_directory = v.back(); }},
        {&memory_option,
         {},
         {a::tfjob, a::mpijob, a::slurm},
         "memory",
         [](render_settings& s, const std::vector<std::string>& v) {
             s.kubeflow.memory = v.back();
             s.slurm.memory = v.back();
         }},
        {&partition_option,
         {},
         {a::slurm},
         "partition",
         [](render_settings& s, const std::vector<std::string>& v) { s.slurm.partition = v.back(); }},
        {&account_option,
         {},
         {a::slurm},
         "account",
         [](render_settings& s, const std::vector<std::string>& v) { s.slurm.account = v.back(); }},
        {&qos_option,
         {},
         {a::slurm},
         "qos",
         [](render_settings& s, const std::vector<std::string>& v) { s.slurm.qos = v.back(); }},
        {&exclusive_option,
         {},
         {a::slurm},
         "exclusive",
         [](render_settings& s, const std::vector<std::string>&) { s.slurm.exclusive = true; }},
        {&time_option,
         {},
         {a::slurm},
         "time_limit_minutes",
         [](render_settings& s, const std::vector<std::string>& v) {
             s.slurm.time_limit_minutes = d::positive(time_option.name, v, 100'000'000);
         }},
        {&cpus_per_task_option,
         {},
         {a::slurm},
         "cpus_per_task",
         [](render_settings& s, const std::vector<std::string>& v) {
             s.slurm.cpus_per_task = d::positive(cpus_per_task_option.name, v, 100'000);
         }},
        {&gres_option,
         {},
         {a::slurm},
         "gres",
         [](render_settings& s, const std::vector<std::string>&) { s.slurm.gres = true; }},
        {&launcher_option,
         {},
         {a::slurm},
         "launcher",
         [](render_settings& s, const std::vector<std::string>& v) { s.slurm.launcher = v.back(); }},
        {&srun_mpi_option,
         {},
         {a::slurm},
         "srun_mpi",
         [](render_settings& s, const std::vector<std::string>& v) { s.slurm.srun_mpi = v.back(); }},
        {&slurm_environment_option, {}, {a::slurm}, "slurm_environment", d::slurm_environment},
        {&source_path_option,
         {},
         {a::docker},
         "source_path",
         [](render_settings& s, const std::vector<std::string>& v) {
             auto path = d::nonempty(source_path_option.name, v);
             check_project_directory(path, std::string(source_path_option.name) + " '" + one_line(path) + "'");
             s.docker.source_path = std::move(path);
         }},
        {&experiment_name_option,
         {},
         {a::azureml},
         "experiment_name",
         [](render_settings& s, const std::vector<std::string>& v) { s.azureml.experiment_name = v.back(); }},
    };
    return table;
}

/// The settings the command line gives; throws input_error.
inline render_settings render_settings_from(const arguments& args) {
    render_settings settings;
    for (const auto& o : render_options()) {
        if (o.apply == nullptr) continue;
        const auto values = args.values(*o.declaration);
        if (!values.empty()) o.apply(settings, values);
    }
    return settings;
}

}  // namespace trainspec_gen
