#pragma once
// Kubernetes manifests for the Kubeflow operators: TFJob (kubeflow.org/v1,
// training operator) for parameter-server and multi-worker jobs, MPIJob
// (kubeflow.org/v2beta1, MPI operator) for MPI (Horovod) jobs. The facts
// are in reference/kubernetes.md; the manifests validate against the real
// CRDs (tests/k8s).
//
//   auto c = trainspec::plan(job);                     // cluster<parameter_server>
//   trainspec::kubeflow_options o;
//   o.image = "tensorflow/tensorflow:1.13.1-gpu-py3";
//   nlohmann::ordered_json m = trainspec::tfjob_manifest(c, o);
//   std::string text = m.dump(2);                      // kubectl apply -f accepts JSON
//
//   nlohmann::ordered_json tfjob_manifest(const cluster<parameter_server>&, const kubeflow_options&);
//   nlohmann::ordered_json tfjob_manifest(const cluster<multi_worker>&, const kubeflow_options&);
//   nlohmann::ordered_json mpijob_manifest(const cluster<mpi>&, const kubeflow_options&);
//
// There is no TFJob of an mpi job and no MPIJob of a TensorFlow job: those
// calls do not compile.
//
// TFJob: one replica spec per task type the plan has (Chief, Worker, PS,
// Evaluator), replicas = the plan's counts. Each pod runs one container
// named `tensorflow` (the only one the operator gives TF_CONFIG) with the
// port `tfjob-port` = the job's port, the command (options.command, else
// `python entry_script script_params...`), the job's environment variables
// (never TF_CONFIG: the operator injects it), `nvidia.com/gpu` limits for
// the tasks that compute (the plan's GPUs per task; parameter servers get
// none), and /dev/shm as a memory-backed emptyDir of shm_size. The
// operator's TF_CONFIG for every pod is what
//   trainspec::tf_config(c, type, index, {tf_profile::kubeflow, ..., namespace, cluster_domain})
// returns (tests/unit/unit-kubeflow.cpp derives it from the manifest).
// A job whose tf_config.sparse is set gets `enableDynamicWorker: true`.
//
// MPIJob: slotsPerWorker = process_count_per_node, mpiImplementation from
// the MPI flavor (Open MPI and horovodrun: OpenMPI; Intel; MPICH),
// launcherCreationPolicy WaitForWorkersReady (no "could not resolve
// hostname" race), a Launcher (1 replica, container `mpi-launcher`)
// running mpirun_command() with the operator's hostfile /etc/mpi/hostfile
// and -np = every rank, and node_count Workers (container `mpi-worker`,
// the image's own command unless worker_command is set, GPU limits of the
// ranks on a node). The launch options are the job's `mpi` settings
// (mpi_launch_options_from()); variables the launcher needs in its own
// environment go into the Launcher container's env.
//
// Both: metadata name = the job's name, namespace, labels (in the given
// order); runPolicy.cleanPodPolicy and activeDeadlineSeconds (the job's
// max_run_duration_seconds). Keys are written in a fixed order, so one job
// gives the same bytes every time.
//
// Before rendering, the operators' admission rules (and the ones they
// forget) are checked; every violation is reported at once as a
// validation_error whose paths name the option (`image`, `namespace`,
// `restart_policy`, `labels["k"]`, ...) or the job field (`name`,
// `environment_variables["NAME"]`): the job name must be a DNS-1035 label,
// every derived name (`<job>-<type>-<index>`, `<job>-launcher`) too (the
// training operator does not check this and such jobs never start); the
// namespace a DNS-1123 label; an image is required; restart policies are
// the CRD's (MPIJob: Never or OnFailure only); variable names are ones
// Kubernetes accepts. A TFJob also runs the kubeflow TF_CONFIG profile's
// checks, so a cluster its consumer would reject never renders.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <trainspec/backend.hpp>
#include <trainspec/detail/json_text.hpp>
#include <trainspec/job.hpp>
#include <trainspec/job_spec.hpp>
#include <trainspec/mpi.hpp>
#include <trainspec/mpi_flavor.hpp>
#include <trainspec/names.hpp>
#include <trainspec/plan.hpp>
#include <trainspec/problem.hpp>
#include <trainspec/resource_names.hpp>
#include <trainspec/tf_config.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// The operators' fixed names and defaults.
inline constexpr const char* tfjob_api_version = "kubeflow.org/v1";
inline constexpr const char* mpijob_api_version = "kubeflow.org/v2beta1";
inline constexpr const char* tfjob_container_name = "tensorflow";
inline constexpr const char* tfjob_port_name = "tfjob-port";
inline constexpr const char* mpijob_launcher_container_name = "mpi-launcher";
inline constexpr const char* mpijob_worker_container_name = "mpi-worker";
/// Where the MPI operator mounts the hostfile it writes.
inline constexpr const char* mpi_operator_hostfile = "/etc/mpi/hostfile";

struct kubeflow_options {
    std::string kubernetes_namespace = "default";  ///< metadata.namespace; also in the TF_CONFIG addresses
    std::string cluster_domain;                    ///< the operator's custom cluster domain ("" = none)
    std::string image;                             ///< required: the container image
    /// The container's argv. TFJob: empty runs `python entry_script
    /// script_params...`. MPIJob: what every rank runs; empty runs the job's
    /// command_prefix (default `python`), entry script and parameters.
    std::vector<std::string> command;
    /// Every replica's restartPolicy; unset: the operators' defaults (TFJob
    /// Never; MPIJob Launcher OnFailure, Worker Never).
    std::optional<std::string> restart_policy;
    std::string clean_pod_policy = "None";  ///< All, Running or None (the operators' default)
    /// metadata.labels, in this order.
    std::vector<std::pair<std::string, std::string>> labels;
    /// MPIJob: overrides the job's mpi.flavor.
    std::optional<mpi_flavor> flavor;
    /// MPIJob: AtStartup or WaitForWorkersReady.
    std::string launcher_creation_policy = "WaitForWorkersReady";
    /// MPIJob: the workers' argv (e.g. {"/usr/sbin/sshd", "-De"}); empty: the image's own.
    std::vector<std::string> worker_command;
};

namespace detail {

/// Kubernetes' environment variable names: `[-._a-zA-Z][-._a-zA-Z0-9]*`,
/// not `.`, not starting with `..`.
constexpr bool is_kubernetes_env_name(std::string_view s) noexcept {
    if (s.empty() || s == "." || s.substr(0, 2) == "..") return false;
    if (is_digit(s.front())) return false;
    for (char c : s)
        if (!is_alnum(c) && c != '-' && c != '.' && c != '_') return false;
    return true;
}

/// Label values: at most 63, `(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?`.
constexpr bool is_label_value(std::string_view s) noexcept {
    if (s.empty()) return true;
    if (s.size() > max_dns_label_length || !is_alnum(s.front()) || !is_alnum(s.back())) return false;
    for (char c : s)
        if (!is_alnum(c) && c != '-' && c != '_' && c != '.') return false;
    return true;
}

/// Label keys: `[prefix/]name`, the prefix a DNS-1123 subdomain, the name a
/// non-empty label value.
constexpr bool is_label_key(std::string_view s) noexcept {
    const auto slash = s.find('/');
    std::string_view name = s;
    if (slash != std::string_view::npos) {
        if (!is_dns1123_subdomain(s.substr(0, slash))) return false;
        name = s.substr(slash + 1);
    }
    return !name.empty() && is_label_value(name);
}

/// A Docker size as a Kubernetes quantity: binary suffixes where the bytes
/// divide exactly (2g -> 2Gi, 512m -> 512Mi), else plain bytes.
inline std::string kubernetes_quantity(std::uint64_t bytes) {
    constexpr std::pair<std::uint64_t, const char*> units[] = {
        {std::uint64_t{1} << 60, "Ei"}, {std::uint64_t{1} << 50, "Pi"}, {std::uint64_t{1} << 40, "Ti"},
        {std::uint64_t{1} << 30, "Gi"}, {std::uint64_t{1} << 20, "Mi"}, {std::uint64_t{1} << 10, "Ki"}};
    for (const auto& [size, suffix] : units)
        if (bytes % size == 0) return std::to_string(bytes / size) + suffix;
    return std::to_string(bytes);
}

inline std::string kubeflow_quote(std::string_view s) { return quote_json(s); }

class kubeflow_checker {
public:
    void require(bool ok, std::string path, std::string_view value, std::string rule) {
        if (!ok) found_.push_back({std::move(path), kubeflow_quote(value), std::move(rule)});
    }
    void add(std::string path, std::string value, std::string rule) {
        found_.push_back({std::move(path), std::move(value), std::move(rule)});
    }
    void throw_if_any() {
        if (!found_.empty()) throw validation_error(std::move(found_));
    }

private:
    problems found_;
};

inline void check_common(kubeflow_checker& check, const job_spec& s, const kubeflow_options& o,
                         const std::vector<std::string>& allowed_restart, bool tfjob) {
    const std::string name = effective_job_name(s);
    check.require(is_dns1035_label(name), "name", name,
                  "the job's Kubernetes name must be a DNS-1035 label: [a-z]([-a-z0-9]*[a-z0-9])?, at most 63 "
                  "characters");
    if (is_dns1035_label(name))
        for (const auto& derived : derived_resource_names(s, name))
            check.require(is_dns1035_label(derived), "name", name,
                          fmt::format("the operator names a resource {} ({} characters); a Service name is a "
                                      "DNS-1035 label of at most 63 characters: shorten the job name",
                                      derived, derived.size()));
    check.require(is_dns1123_label(o.kubernetes_namespace), "namespace", o.kubernetes_namespace,
                  "must be a DNS-1123 label: [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters");
    if (!o.cluster_domain.empty())
        check.require(is_dns1123_subdomain(o.cluster_domain), "cluster_domain", o.cluster_domain,
                      "must be a DNS-1123 subdomain such as cluster.local");
    if (o.image.empty())
        check.add("image", "", "every replica needs a container image; set kubeflow_options::image");
    else if (auto why = image_reference_problem(o.image))
        check.require(false, "image", o.image, std::string(*why));
    if (o.restart_policy) {
        const bool ok =
            std::find(allowed_restart.begin(), allowed_restart.end(), *o.restart_policy) != allowed_restart.end();
        std::string list;
        for (const auto& r : allowed_restart) list += (list.empty() ? "" : ", ") + r;
        check.require(ok, "restart_policy", *o.restart_policy, "must be one of " + list);
    }
    check.require(o.clean_pod_policy == "All" || o.clean_pod_policy == "Running" || o.clean_pod_policy == "None",
                  "clean_pod_policy", o.clean_pod_policy, "must be All, Running or None");
    for (std::size_t i = 0; i < o.labels.size(); ++i) {
        const auto& [key, value] = o.labels[i];
        const std::string path = "labels[" + kubeflow_quote(key) + "]";
        check.require(is_label_key(key), path, key,
                      "a label key is [prefix/]name: the prefix a DNS-1123 subdomain, the name at most 63 "
                      "characters of [-A-Za-z0-9_.], starting and ending with a letter or digit");
        check.require(is_label_value(value), path, value,
                      "a label value has at most 63 characters of [-A-Za-z0-9_.], starting and ending with a "
                      "letter or digit");
        for (std::size_t j = 0; j < i; ++j)
            if (o.labels[j].first == key) check.require(false, path, key, "the label is given twice");
    }
    if (!o.command.empty())
        check.require(!o.command.front().empty(), "command[0]", o.command.front(), "the program must not be empty");
    const auto& env = s.environment_variables;
    for (std::size_t i = 0; i < env.size(); ++i) {
        const std::string path = "environment_variables[" + kubeflow_quote(env[i].name) + "]";
        check.require(is_kubernetes_env_name(env[i].name), path, env[i].name,
                      "Kubernetes accepts variable names of [-._a-zA-Z][-._a-zA-Z0-9]*, not '.' and not starting "
                      "with '..'");
        if (tfjob)
            check.require(env[i].name != "TF_CONFIG", path, env[i].name,
                          "the training operator sets TF_CONFIG itself; a second definition would override its "
                          "cluster");
    }
}

inline nlohmann::ordered_json kubeflow_metadata(const job_spec& s, const kubeflow_options& o) {
    nlohmann::ordered_json m;
    m["name"] = effective_job_name(s);
    m["namespace"] = o.kubernetes_namespace;
    if (!o.labels.empty()) {
        nlohmann::ordered_json labels = nlohmann::ordered_json::object();
        for (const auto& [key, value] : o.labels) labels[key] = value;
        m["labels"] = std::move(labels);
    }
    return m;
}

inline nlohmann::ordered_json kubeflow_run_policy(const job_spec& s, const kubeflow_options& o) {
    nlohmann::ordered_json r;
    r["cleanPodPolicy"] = o.clean_pod_policy;
    if (s.max_run_duration_seconds) r["activeDeadlineSeconds"] = *s.max_run_duration_seconds;
    return r;
}

inline nlohmann::ordered_json kubeflow_env(const std::vector<environment_variable>& vars) {
    nlohmann::ordered_json env = nlohmann::ordered_json::array();
    for (const auto& v : vars) env.push_back({{"name", v.name}, {"value", v.value}});
    return env;
}

/// The GPUs one pod needs for `tasks`: each task's planned GPUs, or one for
/// a GPU task the plan leaves unrestricted.
inline int pod_gpus(const job_spec& s, const std::vector<const task*>& tasks) {
    if (!effective_use_gpu(s)) return 0;
    int total = 0;
    for (const auto* t : tasks) total += t->gpus ? static_cast<int>(t->gpus->size()) : 1;
    return total;
}

inline constexpr const char* shm_volume_name = "dshm";

/// The container's resources, /dev/shm mount and the pod's volume.
inline void add_resources_and_shm(nlohmann::ordered_json& container, nlohmann::ordered_json& pod_spec,
                                  const job_spec& s, int gpus) {
    if (gpus > 0) container["resources"] = {{"limits", {{"nvidia.com/gpu", gpus}}}};
    container["volumeMounts"] = nlohmann::ordered_json::array({{{"name", shm_volume_name}, {"mountPath", "/dev/shm"}}});
    const auto bytes = parse_docker_size(effective_shm_size(s));  // validated with the job
    nlohmann::ordered_json empty_dir{{"medium", "Memory"}};
    if (bytes) empty_dir["sizeLimit"] = kubernetes_quantity(*bytes);
    pod_spec["volumes"] = nlohmann::ordered_json::array({{{"name", shm_volume_name}, {"emptyDir", empty_dir}}});
}

inline void set_argv(nlohmann::ordered_json& container, const std::vector<std::string>& argv) {
    if (argv.empty()) return;
    container["command"] = nlohmann::ordered_json::array({argv.front()});
    if (argv.size() > 1) container["args"] = std::vector<std::string>(argv.begin() + 1, argv.end());
}

inline const char* tfjob_replica_type(task_type t) {
    switch (t) {
        case task_type::chief:
            return "Chief";
        case task_type::worker:
            return "Worker";
        case task_type::ps:
            return "PS";
        case task_type::evaluator:
            return "Evaluator";
    }
    return "";
}

template <class Backend>
nlohmann::ordered_json render_tfjob(const cluster<Backend>& c, const kubeflow_options& o) {
    const auto& s = c.job().spec();
    kubeflow_checker check;
    check_common(check, s, o, {"Always", "OnFailure", "Never", "ExitCode"}, true);
    check.throw_if_any();
    // The kubeflow profile's own checks: the consumer's cluster rules.
    tf_config_options tf;
    tf.profile = tf_profile::kubeflow;
    tf.kubernetes_namespace = o.kubernetes_namespace;
    tf.cluster_domain = o.cluster_domain;
    (void)tf_config_writer(c, tf);

    std::vector<std::string> argv = o.command;
    if (argv.empty()) {
        argv.push_back("python");
        auto script = c.job().script_argv();
        argv.insert(argv.end(), script.begin(), script.end());
    }
    nlohmann::ordered_json replicas = nlohmann::ordered_json::object();
    for (auto type : {task_type::chief, task_type::worker, task_type::ps, task_type::evaluator}) {
        const int count = c.count(type);
        if (count == 0) continue;
        int gpus = 0;
        for (const auto& t : c.tasks())
            if (t.type == type) gpus = std::max(gpus, pod_gpus(s, {&t}));
        nlohmann::ordered_json container;
        container["name"] = tfjob_container_name;
        container["image"] = o.image;
        set_argv(container, argv);
        if (!s.environment_variables.empty()) container["env"] = kubeflow_env(s.environment_variables);
        container["ports"] =
            nlohmann::ordered_json::array({{{"name", tfjob_port_name}, {"containerPort", effective_port(s)}}});
        nlohmann::ordered_json pod_spec;
        add_resources_and_shm(container, pod_spec, s, gpus);
        nlohmann::ordered_json spec;
        spec["containers"] = nlohmann::ordered_json::array({std::move(container)});
        spec["volumes"] = std::move(pod_spec["volumes"]);
        nlohmann::ordered_json replica;
        replica["replicas"] = count;
        replica["restartPolicy"] = o.restart_policy.value_or("Never");
        replica["template"] = {{"spec", std::move(spec)}};
        replicas[tfjob_replica_type(type)] = std::move(replica);
    }
    nlohmann::ordered_json m;
    m["apiVersion"] = tfjob_api_version;
    m["kind"] = "TFJob";
    m["metadata"] = kubeflow_metadata(s, o);
    nlohmann::ordered_json spec;
    spec["runPolicy"] = kubeflow_run_policy(s, o);
    if (s.tf_config && s.tf_config->sparse.value_or(false)) spec["enableDynamicWorker"] = true;
    spec["tfReplicaSpecs"] = std::move(replicas);
    m["spec"] = std::move(spec);
    return m;
}

inline const char* mpi_implementation(mpi_flavor f) {
    switch (f) {
        case mpi_flavor::intel:
            return "Intel";
        case mpi_flavor::mpich:
            return "MPICH";
        case mpi_flavor::openmpi:
        case mpi_flavor::horovodrun:
            break;
    }
    return "OpenMPI";
}

}  // namespace detail

/// The TFJob of a parameter-server job. Throws validation_error (see above).
inline nlohmann::ordered_json tfjob_manifest(const cluster<parameter_server>& c, const kubeflow_options& o) {
    return detail::render_tfjob(c, o);
}

/// The TFJob of a multi-worker (MultiWorkerMirroredStrategy) job.
inline nlohmann::ordered_json tfjob_manifest(const cluster<multi_worker>& c, const kubeflow_options& o) {
    return detail::render_tfjob(c, o);
}

/// The MPIJob (v2beta1) of an MPI job. Throws validation_error for the
/// rules above, mpi_launch_error when the launch command cannot be written.
inline nlohmann::ordered_json mpijob_manifest(const cluster<mpi>& c, const kubeflow_options& o) {
    const auto& s = c.job().spec();
    detail::kubeflow_checker check;
    detail::check_common(check, s, o, {"OnFailure", "Never"}, false);
    check.require(o.launcher_creation_policy == "AtStartup" || o.launcher_creation_policy == "WaitForWorkersReady",
                  "launcher_creation_policy", o.launcher_creation_policy, "must be AtStartup or WaitForWorkersReady");
    if (!o.worker_command.empty())
        check.require(!o.worker_command.front().empty(), "worker_command[0]", o.worker_command.front(),
                      "the program must not be empty");
    check.throw_if_any();

    auto launch = mpi_launch_options_from(s);
    if (o.flavor) launch.flavor = *o.flavor;
    launch.hostfile = mpi_operator_hostfile;
    auto layout = launch_layout(c);
    if (!o.command.empty()) {
        layout.script_argv = o.command;
        launch.command_prefix.clear();
    }
    const auto command = mpirun_command(layout, launch);

    const int per_node = effective_process_count_per_node(s);
    int gpus = 0;
    for (const auto& h : c.hosts()) {
        std::vector<const task*> on_host;
        for (const auto& t : c.tasks())
            if (t.host == h.name) on_host.push_back(&t);
        gpus = std::max(gpus, detail::pod_gpus(s, on_host));
    }

    nlohmann::ordered_json launcher_container;
    launcher_container["name"] = mpijob_launcher_container_name;
    launcher_container["image"] = o.image;
    launcher_container["command"] = command.argv;
    if (!command.launcher_environment.empty())
        launcher_container["env"] = detail::kubeflow_env(command.launcher_environment);
    nlohmann::ordered_json launcher;
    launcher["replicas"] = 1;
    launcher["restartPolicy"] = o.restart_policy.value_or("OnFailure");
    launcher["template"] = {{"spec", {{"containers", nlohmann::ordered_json::array({launcher_container})}}}};

    nlohmann::ordered_json worker_container;
    worker_container["name"] = mpijob_worker_container_name;
    worker_container["image"] = o.image;
    detail::set_argv(worker_container, o.worker_command);
    if (!s.environment_variables.empty()) worker_container["env"] = detail::kubeflow_env(s.environment_variables);
    nlohmann::ordered_json pod_spec;
    detail::add_resources_and_shm(worker_container, pod_spec, s, gpus);
    nlohmann::ordered_json worker_spec;
    worker_spec["containers"] = nlohmann::ordered_json::array({std::move(worker_container)});
    worker_spec["volumes"] = std::move(pod_spec["volumes"]);
    nlohmann::ordered_json worker;
    worker["replicas"] = c.job().node_count();
    worker["restartPolicy"] = o.restart_policy.value_or("Never");
    worker["template"] = {{"spec", std::move(worker_spec)}};

    nlohmann::ordered_json m;
    m["apiVersion"] = mpijob_api_version;
    m["kind"] = "MPIJob";
    m["metadata"] = detail::kubeflow_metadata(s, o);
    nlohmann::ordered_json spec;
    spec["slotsPerWorker"] = per_node;
    spec["runPolicy"] = detail::kubeflow_run_policy(s, o);
    spec["mpiImplementation"] = detail::mpi_implementation(launch.flavor);
    spec["launcherCreationPolicy"] = o.launcher_creation_policy;
    spec["mpiReplicaSpecs"] = {{"Launcher", std::move(launcher)}, {"Worker", std::move(worker)}};
    m["spec"] = std::move(spec);
    return m;
}

TRAINSPEC_END_NAMESPACE
