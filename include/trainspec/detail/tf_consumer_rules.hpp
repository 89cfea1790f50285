#pragma once
// What the consumers derive from the cluster and task TFConfigClusterResolver
// reads: tf.distribute's multi_worker_util (the TF2 strategies) and
// tf.estimator.RunConfig's session master, with their checks, in their order
// and words. The TF_CONFIG reader and consume/consumer_views.hpp call them.

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include <trainspec/consume/parsed_tf_config.hpp>
#include <trainspec/consume/tf_cluster_rules.hpp>
#include <trainspec/detail/json_text.hpp>
#include <trainspec/detail/pyjson.hpp>
#include <trainspec/spec/enum_names.hpp>
#include <trainspec/spec/task_type.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// `cluster.worker`, or `cluster["my job"]` for a name that is not a plain word.
inline std::string tf_job_field(std::string_view job) {
    const bool plain =
        !job.empty() && !(job[0] >= '0' && job[0] <= '9') && std::all_of(job.begin(), job.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        });
    return plain ? "cluster." + std::string(job) : "cluster[" + quote_json(job) + "]";
}

inline std::string tf_job_field(task_type type) { return tf_job_field(enum_name(type)); }

/// Whether a job name (a task's type) is that of a plan's task type.
inline bool is_task_type(std::string_view name, task_type type) { return name == enum_name(type); }

/// The same for a task type that may be None.
inline bool has_task_type(const std::optional<std::string>& name, task_type type) {
    return name && is_task_type(*name, type);
}

/// A task type as Python's %r shows it: 'worker', or None.
inline std::string tf_repr(const std::optional<std::string>& type) {
    return type ? pyjson::repr_string(*type) : "None";
}

/// An int as the resolver holds it.
inline pyjson::integer tf_integer(long long value) {
    const std::string digits = std::to_string(value);
    return value < 0 ? pyjson::integer::from_digits(true, std::string_view(digits).substr(1))
                     : pyjson::integer::from_digits(false, digits);
}

/// A task id as the resolver holds it, None when absent.
inline std::optional<pyjson::integer> tf_task_id(std::optional<long long> id) {
    return id ? std::optional<pyjson::integer>(tf_integer(*id)) : std::nullopt;
}

/// multi_worker_util._validate_cluster_spec(cluster, task_type, task_id);
/// a null task_id is None.
inline void validate_tf2_cluster(const tf_cluster_spec& cluster, const std::optional<std::string>& type,
                                 const pyjson::integer* task_id) {
    // The TF2 task types are those of a plan.
    auto is_allowed = [](const std::string& name) { return enum_from_name<task_type>(name).has_value(); };
    for (const auto& job : cluster.as_dict())
        if (!is_allowed(job.first))
            throw tf_config_error(tf_job_field(job.first), tf_disallowed_task_type("is " + cluster.str()));
    if (type && !is_allowed(*type))
        throw tf_config_error("task.type", fmt::format("Unrecognized task_type: {}, valid task types are: {}",
                                                       pyjson::shown(*type), tf_task_types));
    if (type && !type->empty() && !cluster.has_job(*type) && !is_task_type(*type, task_type::evaluator))
        throw tf_config_error("task.type", "`task_type` " + tf_repr(type) + " not found in cluster_spec.");
    if (cluster.count(task_type::chief) > 1)
        throw tf_config_error(tf_job_field(task_type::chief), "There must be at most one 'chief' job.");
    if (cluster.count(task_type::evaluator) > 1)
        throw tf_config_error(tf_job_field(task_type::evaluator), "There must be at most one 'evaluator' job.");
    if (type && cluster.has_job(*type)) {
        if (!task_id)
            throw tf_config_error("task.index",
                                  "is not set ('>=' not supported between instances of 'NoneType' and 'int')");
        if (!task_id->less_than(cluster.count(*type)))
            throw tf_config_error("task.index", "The `task_id` " + task_id->text + " exceeds the maximum id of " +
                                                    pyjson::shown(*type) + ".");
    }
}

/// multi_worker_util.is_chief: the chief, the evaluator (its own chief), or
/// worker 0 of a cluster without a chief.
inline bool tf2_is_chief(const tf_cluster_spec& cluster, const std::optional<std::string>& type,
                         const pyjson::integer* task_id) {
    validate_tf2_cluster(cluster, type, task_id);
    if (has_task_type(type, task_type::chief) || has_task_type(type, task_type::evaluator)) return true;
    return !cluster.has_job(task_type::chief) && has_task_type(type, task_type::worker) && task_id &&
           task_id->text == "0";
}

/// multi_worker_util.collective_leader: "" for a local run and for the evaluator.
inline std::string tf2_collective_leader(const tf_cluster_spec& cluster, const std::optional<std::string>& type,
                                         const pyjson::integer* task_id) {
    if (cluster.empty()) return "";
    validate_tf2_cluster(cluster, type, task_id);
    if (has_task_type(type, task_type::evaluator)) return "";
    return fmt::format("/job:{}/replica:0/task:0",
                       enum_name(cluster.has_job(task_type::chief) ? task_type::chief : task_type::worker));
}

/// multi_worker_util.worker_count: chief + workers, or the evaluators for
/// the evaluator (which it looks up in the cluster).
inline int tf2_worker_count(const tf_cluster_spec& cluster, const std::optional<std::string>& type) {
    const pyjson::integer zero;
    validate_tf2_cluster(cluster, type, &zero);
    if (!has_task_type(type, task_type::chief) && !has_task_type(type, task_type::worker) &&
        !has_task_type(type, task_type::evaluator))
        throw tf_config_error("task.type", "Unexpected `task_type` " + tf_repr(type));
    if (has_task_type(type, task_type::evaluator)) {
        if (!cluster.has_job(task_type::evaluator))
            throw tf_config_error("task.type",
                                  "KeyError: 'evaluator' (worker_count() looks the evaluator up in the cluster: an "
                                  "evaluator outside it runs without the strategy)");
        return cluster.count(task_type::evaluator);
    }
    return cluster.count(task_type::chief) + cluster.count(task_type::worker);
}

/// multi_worker_util.id_in_cluster: the chief 0, then the workers; the
/// evaluator its own index; no id for any other task.
inline int tf2_id_in_cluster(const tf_cluster_spec& cluster, const std::optional<std::string>& type,
                             const pyjson::integer* task_id) {
    validate_tf2_cluster(cluster, type, task_id);
    // Validated: the index of a chief or worker is in range; an evaluator's
    // that does not fit is refused by the reader.
    const int index = task_id && task_id->fits_int() ? static_cast<int>(*task_id->small) : 0;
    if (has_task_type(type, task_type::chief)) return 0;
    if (has_task_type(type, task_type::worker)) return index + cluster.count(task_type::chief);
    if (has_task_type(type, task_type::evaluator)) return index;
    throw tf_config_error("task.type", "There is no id for task_type " + tf_repr(type));
}

/// run_config._get_session_master for a validated task of a non-empty
/// cluster: session_master, "" for a cluster of one task, else
/// "grpc://" + the task's address (whatever the rpc_layer).
inline std::string estimator_session_master(const parsed_tf_config& config) {
    if (config.session_master) return *config.session_master;
    const auto& jobs = config.cluster.as_dict();
    if (jobs.size() == 1 && config.cluster.job_tasks_size(jobs.begin()->first) == 1) return "";
    const auto& tasks = config.cluster.tasks(config.task_type);
    const auto found = tasks.find(config.task_index.value_or(0));
    // A sparse job's job_tasks() has None where an index is missing.
    if (found == tasks.end()) throw tf_config_error("task.index", "can only concatenate str (not \"NoneType\") to str");
    return "grpc://" + found->second;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
