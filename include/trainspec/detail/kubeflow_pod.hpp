#pragma once
// The parts every Kubeflow manifest shares: metadata, run policy, and the
// pod template of a replica, in the operators' field order.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <trainspec/detail/job_image_build.hpp>
#include <trainspec/detail/kubernetes_syntax.hpp>
#include <trainspec/launch.hpp>
#include <trainspec/render/job_image.hpp>
#include <trainspec/render/kubeflow_options.hpp>
#include <trainspec/render/training_command.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/names.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

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

/// The options with the job's image filled in when none is given.
inline kubeflow_options with_job_image(const job_spec& s, kubeflow_options o) {
    if (!o.image.empty()) return o;
    const auto image = image_for(s, o.environment_files);
    o.image = image.reference;
    if (!o.image_pull_policy && image.built) o.image_pull_policy = image.pushed ? "Always" : "IfNotPresent";
    return o;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
