#pragma once
// Kubernetes manifests for the Kubeflow operators, written from the launch
// model (launch.hpp): TFJob (kubeflow.org/v1, training operator) for
// parameter-server and multi-worker jobs, MPIJob (kubeflow.org/v2beta1, MPI
// operator) for MPI (Horovod) jobs. What each field makes the operator do,
// and the defaults chosen, is in docs/kubeflow.md.
//
//   nlohmann::ordered_json tfjob_manifest(const cluster<parameter_server>&, const kubeflow_options&);
//   nlohmann::ordered_json tfjob_manifest(const cluster<multi_worker>&, const kubeflow_options&);
//   nlohmann::ordered_json mpijob_manifest(const cluster<mpi>&, const kubeflow_options&);
//
// The operators' admission rules (and the ones they forget: derived names
// within 63 characters) are checked before rendering; every violation is
// reported at once as a validation_error naming the option or job field.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/detail/rules.hpp>
#include <trainspec/error.hpp>
#include <trainspec/job.hpp>
#include <trainspec/launch.hpp>
#include <trainspec/plan.hpp>
#include <trainspec/render/job_image.hpp>
#include <trainspec/render/mpi.hpp>
#include <trainspec/render/tf_config.hpp>
#include <trainspec/spec/backend.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/mpi_flavor.hpp>
#include <trainspec/spec/names.hpp>
#include <trainspec/spec/resource_names.hpp>
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

/// A toleration of the pods (Kubernetes' Toleration).
struct kubernetes_toleration {
    std::string key;
    std::string operator_name = "Equal";  ///< Equal or Exists
    std::string value;
    std::string effect;  ///< "" (all), NoSchedule, PreferNoSchedule or NoExecute
};

/// A PersistentVolumeClaim mounted into every container of the job.
struct kubernetes_volume {
    std::string claim;       ///< the claim's name
    std::string mount_path;  ///< absolute path in the container
    bool read_only = true;
};

/// The MPI operator's worker command: sshd in the foreground, logging to
/// stderr, as its v2beta1 examples run it.
inline const std::vector<std::string>& default_mpi_worker_command() {
    static const std::vector<std::string> command{"/usr/sbin/sshd", "-De"};
    return command;
}

struct kubeflow_options {
    std::string kubernetes_namespace = "default";  ///< metadata.namespace; also in the TF_CONFIG addresses
    std::string cluster_domain;                    ///< the operator's custom cluster domain ("" = none)
    /// The container image; empty: the job's image (image_of()), whose tag
    /// needs the contents of the job's own environment files.
    std::string image;
    environment_file_contents environment_files;
    /// Always, IfNotPresent or Never; default: Always for the job's built
    /// image in a registry (its tag stays when only the source changes),
    /// IfNotPresent for a local one, else Kubernetes' own default.
    std::optional<std::string> image_pull_policy;
    /// Replaces the training step's argv (the post steps stay): TFJob tasks,
    /// MPIJob ranks. Empty: the job's own.
    std::vector<std::string> command;
    /// Every replica's restartPolicy; unset: TFJob ExitCode, MPIJob
    /// Launcher OnFailure and Worker Never (docs/kubeflow.md).
    std::optional<std::string> restart_policy;
    /// Per replica type (Chief, Worker, PS, Evaluator; Launcher, Worker),
    /// over restart_policy.
    std::vector<std::pair<std::string, std::string>> replica_restart_policy;
    std::string clean_pod_policy = "Running";  ///< All, Running (the operators' default) or None
    /// metadata.labels, in this order.
    std::vector<std::pair<std::string, std::string>> labels;
    /// MPIJob: overrides the job's mpi.flavor.
    std::optional<mpi_flavor> flavor;
    /// MPIJob: AtStartup or WaitForWorkersReady.
    std::string launcher_creation_policy = "WaitForWorkersReady";
    /// MPIJob: the workers' argv; empty: default_mpi_worker_command().
    std::vector<std::string> worker_command;
    std::vector<std::string> image_pull_secrets;                     ///< pod imagePullSecrets, by name
    std::vector<std::pair<std::string, std::string>> node_selector;  ///< pod nodeSelector, in order
    std::vector<kubernetes_toleration> tolerations;
    std::vector<kubernetes_volume> volumes;
    std::optional<std::string> working_directory;  ///< the containers' workingDir; default container_workdir
    std::optional<std::string> memory;             ///< each task container's memory request and limit (quantity)
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

/// A Kubernetes quantity as a memory size is written: digits, an optional
/// fraction, an optional suffix (Ki Mi Gi Ti Pi Ei, k M G T P E).
inline bool is_memory_quantity(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == 0) return false;
    if (i < s.size() && s[i] == '.') {
        const auto start = ++i;
        while (i < s.size() && is_digit(s[i])) ++i;
        if (i == start) return false;
    }
    const auto suffix = s.substr(i);
    for (std::string_view known : {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "k", "M", "G", "T", "P", "E"})
        if (suffix == known) return true;
    return false;
}

inline constexpr std::string_view tfjob_restart_policies[] = {"Always", "OnFailure", "Never", "ExitCode"};
inline constexpr std::string_view mpijob_restart_policies[] = {"OnFailure", "Never"};

template <std::size_t N>
std::string one_of(const std::string_view (&names)[N]) {
    std::string list;
    for (auto name : names) list += (list.empty() ? "" : ", ") + std::string(name);
    return list;
}

template <std::size_t N>
bool is_one_of(const std::string_view (&names)[N], std::string_view value) {
    return std::find(std::begin(names), std::end(names), value) != std::end(names);
}

/// The checks of every manifest. `replica_types`: the operator's names of the
/// job's replicas.
template <std::size_t N>
void check_common(kubeflow_checker& check, const job_spec& s, const kubeflow_options& o,
                  const std::string_view (&allowed_restart)[N], const std::vector<std::string>& replica_types,
                  bool tfjob) {
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
                  std::string(dns1123_label_rule));
    if (!o.cluster_domain.empty())
        check.require(is_dns1123_subdomain(o.cluster_domain), "cluster_domain", o.cluster_domain,
                      std::string(cluster_domain_rule));
    if (auto why = image_reference_problem(o.image)) check.require(false, "image", o.image, std::string(*why));
    if (o.image_pull_policy)
        check.require(*o.image_pull_policy == "Always" || *o.image_pull_policy == "IfNotPresent" ||
                          *o.image_pull_policy == "Never",
                      "image_pull_policy", *o.image_pull_policy, "must be Always, IfNotPresent or Never");
    if (o.restart_policy)
        check.require(is_one_of(allowed_restart, *o.restart_policy), "restart_policy", *o.restart_policy,
                      "must be one of " + one_of(allowed_restart));
    for (const auto& [type, policy] : o.replica_restart_policy) {
        const std::string path = "restart_policy[" + kubeflow_quote(type) + "]";
        std::string types;
        for (const auto& t : replica_types) types += (types.empty() ? "" : ", ") + t;
        check.require(std::find(replica_types.begin(), replica_types.end(), type) != replica_types.end(), path, type,
                      "this job's replica types are " + types);
        check.require(is_one_of(allowed_restart, policy), path, policy, "must be one of " + one_of(allowed_restart));
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
    for (std::size_t i = 0; i < o.node_selector.size(); ++i) {
        const auto& [key, value] = o.node_selector[i];
        const std::string path = "node_selector[" + kubeflow_quote(key) + "]";
        check.require(is_label_key(key), path, key, "a node selector key is a label key ([prefix/]name)");
        check.require(is_label_value(value), path, value, "a node selector value is a label value");
        for (std::size_t j = 0; j < i; ++j)
            if (o.node_selector[j].first == key) check.require(false, path, key, "the key is given twice");
    }
    for (std::size_t i = 0; i < o.image_pull_secrets.size(); ++i)
        check.require(is_dns1123_subdomain(o.image_pull_secrets[i]), fmt::format("image_pull_secrets[{}]", i),
                      o.image_pull_secrets[i], "a Secret's name is a DNS-1123 subdomain");
    for (std::size_t i = 0; i < o.tolerations.size(); ++i) {
        const auto& t = o.tolerations[i];
        const auto path = fmt::format("tolerations[{}]", i);
        check.require(t.key.empty() || is_label_key(t.key), path + ".key", t.key, "a taint key is a label key");
        check.require(t.operator_name == "Equal" || t.operator_name == "Exists", path + ".operator", t.operator_name,
                      "must be Equal or Exists");
        check.require(t.operator_name != "Exists" || t.value.empty(), path + ".value", t.value,
                      "operator Exists takes no value");
        check.require(t.value.empty() || is_label_value(t.value), path + ".value", t.value,
                      "a taint value is a label value");
        check.require(
            t.effect.empty() || t.effect == "NoSchedule" || t.effect == "PreferNoSchedule" || t.effect == "NoExecute",
            path + ".effect", t.effect, "must be NoSchedule, PreferNoSchedule or NoExecute (or empty: all)");
        check.require(!t.key.empty() || t.operator_name == "Exists", path + ".key", t.key,
                      "an empty key matches every taint only with operator Exists");
    }
    for (std::size_t i = 0; i < o.volumes.size(); ++i) {
        const auto& v = o.volumes[i];
        const auto path = fmt::format("volumes[{}]", i);
        check.require(is_dns1123_subdomain(v.claim), path + ".claim", v.claim,
                      "a PersistentVolumeClaim's name is a DNS-1123 subdomain");
        check.require(!v.mount_path.empty() && v.mount_path.front() == '/' &&
                          v.mount_path.find(':') == std::string::npos && v.mount_path.find('\0') == std::string::npos &&
                          v.mount_path != "/dev/shm",
                      path + ".mount_path", v.mount_path,
                      "must be an absolute path without ':' (and not /dev/shm, which holds shm_size)");
        for (std::size_t j = 0; j < i; ++j)
            if (o.volumes[j].mount_path == v.mount_path)
                check.require(false, path + ".mount_path", v.mount_path, "two volumes are mounted at the same path");
    }
    if (o.working_directory)
        check.require(!o.working_directory->empty() && o.working_directory->front() == '/' &&
                          o.working_directory->find('\0') == std::string::npos,
                      "working_directory", *o.working_directory, "must be an absolute path in the container");
    if (o.memory)
        check.require(is_memory_quantity(*o.memory), "memory", *o.memory,
                      "must be a Kubernetes quantity such as 16Gi or 512Mi");
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

/// The restartPolicy of one replica type.
inline std::string restart_policy_of(const kubeflow_options& o, std::string_view type, std::string_view fallback) {
    for (const auto& [t, policy] : o.replica_restart_policy)
        if (t == type) return policy;
    return o.restart_policy.value_or(std::string(fallback));
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

inline constexpr const char* shm_volume_name = "dshm";
/// The training operator's pod label holding the replica's index.
inline constexpr const char* replica_index_label = "training.kubeflow.org/replica-index";

inline std::string volume_name(std::size_t i) { return "data-" + std::to_string(i); }

/// What a container runs and is given, before the engine's own fields.
struct container_launch {
    std::vector<std::string> argv;
    std::vector<environment_variable> environment;
    bool index_from_label = false;  ///< TRAINSPEC_TASK_INDEX from the replica-index label
    int gpus = 0;
    std::optional<int> cpus;
    bool with_shm = true;
};

/// One container, in the operators' field order, and its pod spec.
inline nlohmann::ordered_json pod_template(const char* container_name, const container_launch& c, const job_spec& s,
                                           const kubeflow_options& o,
                                           const std::vector<std::pair<std::string, int>>& ports) {
    nlohmann::ordered_json container;
    container["name"] = container_name;
    container["image"] = o.image;
    if (o.image_pull_policy) container["imagePullPolicy"] = *o.image_pull_policy;
    if (!c.argv.empty()) {
        container["command"] = nlohmann::ordered_json::array({c.argv.front()});
        if (c.argv.size() > 1) container["args"] = std::vector<std::string>(c.argv.begin() + 1, c.argv.end());
    }
    container["workingDir"] = o.working_directory.value_or(container_workdir);
    nlohmann::ordered_json env = kubeflow_env(c.environment);
    if (c.index_from_label)
        env.push_back(
            {{"name", task_index_variable},
             {"valueFrom",
              {{"fieldRef", {{"fieldPath", std::string("metadata.labels['") + replica_index_label + "']"}}}}}});
    if (!env.empty()) container["env"] = std::move(env);
    if (!ports.empty()) {
        auto list = nlohmann::ordered_json::array();
        for (const auto& [name, port] : ports) list.push_back({{"name", name}, {"containerPort", port}});
        container["ports"] = std::move(list);
    }
    nlohmann::ordered_json requests = nlohmann::ordered_json::object();
    nlohmann::ordered_json limits = nlohmann::ordered_json::object();
    if (c.cpus) requests["cpu"] = *c.cpus;
    if (o.memory) {
        requests["memory"] = *o.memory;
        limits["memory"] = *o.memory;
    }
    if (c.gpus > 0) limits["nvidia.com/gpu"] = c.gpus;
    if (!requests.empty() || !limits.empty()) {
        nlohmann::ordered_json resources = nlohmann::ordered_json::object();
        if (!requests.empty()) resources["requests"] = std::move(requests);
        if (!limits.empty()) resources["limits"] = std::move(limits);
        container["resources"] = std::move(resources);
    }
    auto mounts = nlohmann::ordered_json::array();
    auto volumes = nlohmann::ordered_json::array();
    if (c.with_shm) {
        mounts.push_back({{"name", shm_volume_name}, {"mountPath", "/dev/shm"}});
        nlohmann::ordered_json empty_dir{{"medium", "Memory"}};
        if (const auto bytes = parse_docker_size(effective_shm_size(s)))  // validated with the job
            empty_dir["sizeLimit"] = kubernetes_quantity(*bytes);
        volumes.push_back({{"name", shm_volume_name}, {"emptyDir", empty_dir}});
    }
    for (std::size_t i = 0; i < o.volumes.size(); ++i) {
        const auto& v = o.volumes[i];
        nlohmann::ordered_json mount{{"name", volume_name(i)}, {"mountPath", v.mount_path}};
        if (v.read_only) mount["readOnly"] = true;
        mounts.push_back(std::move(mount));
        nlohmann::ordered_json claim{{"claimName", v.claim}};
        if (v.read_only) claim["readOnly"] = true;
        volumes.push_back({{"name", volume_name(i)}, {"persistentVolumeClaim", std::move(claim)}});
    }
    if (!mounts.empty()) container["volumeMounts"] = std::move(mounts);

    nlohmann::ordered_json spec;
    spec["containers"] = nlohmann::ordered_json::array({std::move(container)});
    if (!volumes.empty()) spec["volumes"] = std::move(volumes);
    if (!o.image_pull_secrets.empty()) {
        auto secrets = nlohmann::ordered_json::array();
        for (const auto& name : o.image_pull_secrets) secrets.push_back({{"name", name}});
        spec["imagePullSecrets"] = std::move(secrets);
    }
    if (!o.node_selector.empty()) {
        nlohmann::ordered_json selector = nlohmann::ordered_json::object();
        for (const auto& [key, value] : o.node_selector) selector[key] = value;
        spec["nodeSelector"] = std::move(selector);
    }
    if (!o.tolerations.empty()) {
        auto list = nlohmann::ordered_json::array();
        for (const auto& t : o.tolerations) {
            nlohmann::ordered_json toleration;
            if (!t.key.empty()) toleration["key"] = t.key;
            toleration["operator"] = t.operator_name;
            if (!t.value.empty()) toleration["value"] = t.value;
            if (!t.effect.empty()) toleration["effect"] = t.effect;
            list.push_back(std::move(toleration));
        }
        spec["tolerations"] = std::move(list);
    }
    return {{"spec", std::move(spec)}};
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

/// The launch steps with the training argv replaced by options.command.
inline std::vector<launch_step> kubeflow_steps(const launch_model& m, const kubeflow_options& o) {
    auto steps = m.steps;
    if (!o.command.empty()) steps.front().argv = o.command;
    return steps;
}

/// A GPU job's task that must see no GPU gets CUDA_VISIBLE_DEVICES empty.
inline std::vector<environment_variable> role_environment(const launch_model& m, const launch_role& role) {
    auto env = m.environment;
    if (role.gpus_hidden) env.push_back({"CUDA_VISIBLE_DEVICES", ""});
    return env;
}

/// The options with the job's image filled in when none is given.
inline kubeflow_options with_job_image(const job_spec& s, kubeflow_options o) {
    if (!o.image.empty()) return o;
    const auto image = image_for(s, o.environment_files);
    o.image = image.reference;
    if (!o.image_pull_policy && image.built) o.image_pull_policy = image.pushed ? "Always" : "IfNotPresent";
    return o;
}

template <class Backend>
nlohmann::ordered_json render_tfjob(const cluster<Backend>& c, const kubeflow_options& given) {
    const auto& s = c.job().spec();
    const auto o = with_job_image(s, given);
    const auto m = describe_launch(c);
    std::vector<std::string> types;
    for (const auto& role : m.roles) types.emplace_back(tfjob_replica_type(role.type));
    kubeflow_checker check;
    check_common(check, s, o, tfjob_restart_policies, types, true);
    check.throw_if_any();
    // The kubeflow profile's own checks: the consumer's cluster rules.
    tf_config_options tf;
    tf.profile = tf_profile::kubeflow;
    tf.kubernetes_namespace = o.kubernetes_namespace;
    tf.cluster_domain = o.cluster_domain;
    (void)tf_config_writer(c, tf);

    const auto steps = kubeflow_steps(m, o);
    nlohmann::ordered_json replicas = nlohmann::ordered_json::object();
    for (const auto& role : m.roles) {
        container_launch launch;
        // The chief is a replica type of its own; worker 0 shares the Worker
        // template and learns its index from the operator's label.
        const auto check_owner = !role.has_model_owner || !has_post_steps(steps) ? owner_check::not_owner
                                 : role.count == 1                               ? owner_check::owner
                                                                                 : owner_check::task_index;
        launch.argv = task_command(steps, check_owner);
        launch.index_from_label = check_owner == owner_check::task_index;
        launch.environment = role_environment(m, role);
        launch.gpus = role.gpus_per_task;
        launch.cpus = m.cpus_per_task;
        nlohmann::ordered_json replica;
        replica["replicas"] = role.count;
        replica["restartPolicy"] = restart_policy_of(o, tfjob_replica_type(role.type), "ExitCode");
        replica["template"] =
            pod_template(tfjob_container_name, launch, s, o, {{tfjob_port_name, m.port.value_or(default_port)}});
        replicas[tfjob_replica_type(role.type)] = std::move(replica);
    }
    nlohmann::ordered_json manifest;
    manifest["apiVersion"] = tfjob_api_version;
    manifest["kind"] = "TFJob";
    manifest["metadata"] = kubeflow_metadata(s, o);
    nlohmann::ordered_json spec;
    spec["runPolicy"] = kubeflow_run_policy(s, o);
    if (s.tf_config && s.tf_config->sparse.value_or(false)) spec["enableDynamicWorker"] = true;
    spec["tfReplicaSpecs"] = std::move(replicas);
    manifest["spec"] = std::move(spec);
    return manifest;
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
inline nlohmann::ordered_json mpijob_manifest(const cluster<mpi>& c, const kubeflow_options& given) {
    const auto& s = c.job().spec();
    const auto o = detail::with_job_image(s, given);
    const auto m = describe_launch(c);
    detail::kubeflow_checker check;
    detail::check_common(check, s, o, detail::mpijob_restart_policies, {"Launcher", "Worker"}, false);
    check.require(o.launcher_creation_policy == "AtStartup" || o.launcher_creation_policy == "WaitForWorkersReady",
                  "launcher_creation_policy", o.launcher_creation_policy, "must be AtStartup or WaitForWorkersReady");
    if (!o.worker_command.empty())
        check.require(!o.worker_command.front().empty(), "worker_command[0]", o.worker_command.front(),
                      "the program must not be empty");
    check.throw_if_any();

    auto launch = mpi_launch_options_from(s);
    if (o.flavor) launch.flavor = *o.flavor;
    // The pods run as root (the operator mounts its ssh keys at /root/.ssh);
    // Open MPI refuses root unless told, so the flag is the default here.
    const bool root_chosen = s.mpi && s.mpi->allow_run_as_root;
    if (!root_chosen && launch.flavor == mpi_flavor::openmpi) launch.allow_run_as_root = run_as_root::flag;
    launch.hostfile = mpi_operator_hostfile;
    auto layout = launch_layout(c);
    layout.script_argv = task_command(detail::kubeflow_steps(m, o), owner_check::mpi_rank);
    launch.command_prefix.clear();
    const auto command = mpirun_command(layout, launch);

    const auto* ranks = find_role(m, task_type::worker);
    const int per_node = effective_process_count_per_node(s);

    detail::container_launch launcher;
    launcher.argv = command.argv;
    launcher.environment = command.launcher_environment;
    launcher.with_shm = false;
    nlohmann::ordered_json launcher_replica;
    launcher_replica["replicas"] = 1;
    launcher_replica["restartPolicy"] = detail::restart_policy_of(o, "Launcher", "OnFailure");
    launcher_replica["template"] = detail::pod_template(mpijob_launcher_container_name, launcher, s, o, {});

    detail::container_launch worker;
    worker.argv = o.worker_command.empty() ? default_mpi_worker_command() : o.worker_command;
    worker.environment = m.environment;
    worker.gpus = ranks != nullptr ? ranks->gpus_per_task * per_node : 0;
    if (m.cpus_per_task) worker.cpus = *m.cpus_per_task * per_node;
    nlohmann::ordered_json worker_replica;
    worker_replica["replicas"] = c.job().node_count();
    worker_replica["restartPolicy"] = detail::restart_policy_of(o, "Worker", "Never");
    worker_replica["template"] = detail::pod_template(mpijob_worker_container_name, worker, s, o, {});

    nlohmann::ordered_json manifest;
    manifest["apiVersion"] = mpijob_api_version;
    manifest["kind"] = "MPIJob";
    manifest["metadata"] = detail::kubeflow_metadata(s, o);
    nlohmann::ordered_json spec;
    spec["slotsPerWorker"] = per_node;
    spec["runPolicy"] = detail::kubeflow_run_policy(s, o);
    spec["mpiImplementation"] = detail::mpi_implementation(launch.flavor);
    spec["launcherCreationPolicy"] = o.launcher_creation_policy;
    spec["mpiReplicaSpecs"] = {{"Launcher", std::move(launcher_replica)}, {"Worker", std::move(worker_replica)}};
    manifest["spec"] = std::move(spec);
    return manifest;
}

TRAINSPEC_END_NAMESPACE
