#pragma once
// tf.distribute's multi_worker_util on a cluster as TFConfigClusterResolver
// reads it: the answers the TF2 strategies get, or TensorFlow's error
// (tf_config_error, field and message). A task type of std::nullopt is
// Python's None, as is a task id of std::nullopt.

#include <optional>
#include <string>

#include <trainspec/consume/parsed_tf_config.hpp>
#include <trainspec/detail/linkage.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace multi_worker_util {

/// _validate_cluster_spec: only chief, worker, evaluator and ps jobs; the
/// task's job in the cluster (the evaluator may be outside); at most one
/// chief and one evaluator; the id in range.
void validate_cluster_spec(const tf_cluster_spec& cluster, const std::optional<std::string>& task_type,
                           std::optional<long long> task_id);

/// The chief; worker 0 of a cluster without a chief; the evaluator.
bool is_chief(const tf_cluster_spec& cluster, const std::optional<std::string>& task_type,
              std::optional<long long> task_id);

/// The leader of collective ops: "/job:chief/replica:0/task:0", else worker
/// 0's; "" for an empty cluster and for the evaluator.
std::string collective_leader(const tf_cluster_spec& cluster, const std::optional<std::string>& task_type,
                              std::optional<long long> task_id);

/// Chief + workers (the evaluator: the evaluators); a ps raises.
int worker_count(const tf_cluster_spec& cluster, const std::optional<std::string>& task_type);

/// The chief 0, workers after it, the evaluator its index; a ps raises.
int id_in_cluster(const tf_cluster_spec& cluster, const std::optional<std::string>& task_type,
                  std::optional<long long> task_id);

}  // namespace multi_worker_util
TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <trainspec/detail/tf_consumer_rules.hpp>

TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_INLINE void multi_worker_util::validate_cluster_spec(const tf_cluster_spec& cluster,
                                                               const std::optional<std::string>& task_type,
                                                               std::optional<long long> task_id) {
    const auto id = detail::tf_task_id(task_id);
    detail::validate_tf2_cluster(cluster, task_type, id ? &*id : nullptr);
}

TRAINSPEC_INLINE bool multi_worker_util::is_chief(const tf_cluster_spec& cluster,
                                                  const std::optional<std::string>& task_type,
                                                  std::optional<long long> task_id) {
    const auto id = detail::tf_task_id(task_id);
    return detail::tf2_is_chief(cluster, task_type, id ? &*id : nullptr);
}

TRAINSPEC_INLINE std::string multi_worker_util::collective_leader(const tf_cluster_spec& cluster,
                                                                  const std::optional<std::string>& task_type,
                                                                  std::optional<long long> task_id) {
    const auto id = detail::tf_task_id(task_id);
    return detail::tf2_collective_leader(cluster, task_type, id ? &*id : nullptr);
}

TRAINSPEC_INLINE int multi_worker_util::worker_count(const tf_cluster_spec& cluster,
                                                     const std::optional<std::string>& task_type) {
    return detail::tf2_worker_count(cluster, task_type);
}

TRAINSPEC_INLINE int multi_worker_util::id_in_cluster(const tf_cluster_spec& cluster,
                                                      const std::optional<std::string>& task_type,
                                                      std::optional<long long> task_id) {
    const auto id = detail::tf_task_id(task_id);
    return detail::tf2_id_in_cluster(cluster, task_type, id ? &*id : nullptr);
}
TRAINSPEC_END_NAMESPACE
#endif
