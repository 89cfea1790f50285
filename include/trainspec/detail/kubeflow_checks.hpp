#pragma once
// The operators' admission rules, and the ones they forget (derived names
// within 63 characters), checked before a manifest is written: every
// violation at once, as a validation_error naming the option or job field.

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <trainspec/detail/join.hpp>
#include <trainspec/detail/json_text.hpp>
#include <trainspec/detail/kubernetes_syntax.hpp>
#include <trainspec/detail/rules.hpp>
#include <trainspec/error.hpp>
#include <trainspec/render/job_image.hpp>
#include <trainspec/render/kubeflow_options.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/names.hpp>
#include <trainspec/spec/resource_names.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

class kubeflow_checker {
public:
    void require(bool ok, std::string path, std::string_view value, std::string rule) {
        if (!ok) found_.push_back({std::move(path), quote_json(value), std::move(rule)});
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

inline constexpr std::string_view tfjob_restart_policies[] = {"Always", "OnFailure", "Never", "ExitCode"};
inline constexpr std::string_view mpijob_restart_policies[] = {"OnFailure", "Never"};

template <std::size_t N>
std::string one_of(const std::string_view (&names)[N]) {
    return join(names, ", ", [](std::string_view name) { return name; });
}

template <std::size_t N>
bool is_one_of(const std::string_view (&names)[N], std::string_view value) {
    return std::find(std::begin(names), std::end(names), value) != std::end(names);
}

/// The checks of what the pods are given: labels, scheduling, volumes,
/// working directory, memory.
inline void check_pod_options(kubeflow_checker& check, const kubeflow_options& o) {
    for (std::size_t i = 0; i < o.labels.size(); ++i) {
        const auto& [key, value] = o.labels[i];
        const std::string path = "labels[" + quote_json(key) + "]";
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
        const std::string path = "node_selector[" + quote_json(key) + "]";
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
}

/// The checks of what the task containers run: the command and the job's
/// variables (the training operator writes TF_CONFIG itself).
inline void check_task_container(kubeflow_checker& check, const job_spec& s, const kubeflow_options& o, bool tfjob) {
    if (!o.command.empty())
        check.require(!o.command.front().empty(), "command[0]", o.command.front(), "the program must not be empty");
    const auto& env = s.environment_variables;
    for (std::size_t i = 0; i < env.size(); ++i) {
        const std::string path = "environment_variables[" + quote_json(env[i].name) + "]";
        check.require(is_kubernetes_env_name(env[i].name), path, env[i].name,
                      "Kubernetes accepts variable names of [-._a-zA-Z][-._a-zA-Z0-9]*, not '.' and not starting "
                      "with '..'");
        if (tfjob)
            check.require(env[i].name != "TF_CONFIG", path, env[i].name,
                          "the training operator sets TF_CONFIG itself; a second definition would override its "
                          "cluster");
    }
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
        const std::string path = "restart_policy[" + quote_json(type) + "]";
        const auto types = join(replica_types, ", ", [](const std::string& t) { return t; });
        check.require(std::find(replica_types.begin(), replica_types.end(), type) != replica_types.end(), path, type,
                      "this job's replica types are " + types);
        check.require(is_one_of(allowed_restart, policy), path, policy, "must be one of " + one_of(allowed_restart));
    }
    check.require(o.clean_pod_policy == "All" || o.clean_pod_policy == "Running" || o.clean_pod_policy == "None",
                  "clean_pod_policy", o.clean_pod_policy, "must be All, Running or None");
    check_pod_options(check, o);
    check_task_container(check, s, o, tfjob);
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
