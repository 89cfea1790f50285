#pragma once
// What each consumer concludes from a TF_CONFIG it accepts: the properties
// of tf.estimator.RunConfig, and multi_worker_util's answers for the TF2
// strategies. parsed_tf_config itself is TFConfigClusterResolver's view (the
// `custom` consumer). docs/tf_config.md gives the rules and their sources.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <trainspec/consume/parsed_tf_config.hpp>
#include <trainspec/detail/linkage.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// tf.estimator.RunConfig's distributed properties, under RunConfig's names.
struct run_config_view {
    /// {} in local mode and for the evaluator, which is not part of the
    /// training cluster.
    tf_cluster_spec cluster_spec;
    std::string task_type = "worker";  ///< "worker" in local mode
    int task_id = 0;
    std::string master;             ///< "grpc://host:port", "" for one task, or session_master
    std::string evaluation_master;  ///< eval_session_master for the evaluator (and in local mode)
    bool is_chief = true;           ///< the chief (or master); never the evaluator
    int num_worker_replicas = 1;    ///< chief (or master) + workers; 0 for the evaluator
    int num_ps_replicas = 0;
    std::optional<int> global_id_in_cluster = 0;  ///< chief 0, other jobs by name, ps last; None for the evaluator
    std::optional<std::string> model_dir;
    /// session_config.device_filters RunConfig sets for between-graph
    /// training: whom this task talks to. None when it sets no session_config.
    std::optional<std::vector<std::string>> device_filters;
};

/// What RunConfig() concludes from a TF_CONFIG read with
/// tf_consumer::estimator. Throws std::invalid_argument for one read with
/// another consumer's rules (RunConfig's were not checked).
run_config_view run_config_of(const parsed_tf_config& config);

/// What the TF2 strategies conclude through multi_worker_util (and, for a
/// local run, MultiWorkerMirroredStrategy's _initialize_local).
struct strategy_view {
    bool local = true;     ///< no cluster: this process trains alone
    bool is_chief = true;  ///< the chief; worker 0 without one; the evaluator
    std::optional<int> id_in_cluster = 0;
    std::optional<int> worker_count = 1;
    std::string collective_leader;  ///< "/job:chief/replica:0/task:0"; "" locally and for the evaluator
    /// The jobs that train: chief and worker for MultiWorkerMirroredStrategy;
    /// chief (the coordinator), ps and worker for ParameterServerStrategy.
    std::vector<std::string> training_jobs;
    bool in_training_cluster = true;  ///< whether this task is of one of them
    /// The functions that raise for this task, with TensorFlow's message
    /// (a ps has no id_in_cluster or worker_count).
    std::vector<std::pair<std::string, std::string>> errors;
};

/// What multi_worker_util answers for the task of a TF_CONFIG read with
/// tf_consumer::parameter_server_strategy or multi_worker_mirrored_strategy.
/// Throws std::invalid_argument for one read with another consumer's rules.
strategy_view strategy_view_of(const parsed_tf_config& config);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <algorithm>
#include <stdexcept>

#include <trainspec/detail/tf_consumer_rules.hpp>
#include <trainspec/spec/enum_names.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline void require_consumer(const parsed_tf_config& config, bool expected, const char* function,
                             const char* consumers) {
    if (!expected)
        throw std::invalid_argument(std::string(function) + ": the TF_CONFIG was read with the rules of " +
                                    std::string(enum_name(config.consumer)) + "; read it with " + consumers);
}

/// run_config._get_global_id_in_cluster: the chief job first, the other
/// jobs by name, ps last, each counting len(job_tasks()).
inline int estimator_global_id(const tf_cluster_spec& cluster, const std::string& chief_job, const std::string& type,
                               int index) {
    const std::string ps(enum_name(task_type::ps));
    int next = 0;
    auto id_after = [&](const std::string& job) -> std::optional<int> {
        if (job == type) return next + index;
        next += cluster.job_tasks_size(job);
        return std::nullopt;
    };
    if (auto id = id_after(chief_job)) return *id;
    for (const auto& job : cluster.as_dict())
        if (job.first != chief_job && job.first != ps)
            if (auto id = id_after(job.first)) return *id;
    return next + index;  // validated: the task is a ps
}

/// RunConfig._get_default_session_config_distributed's device filters.
inline std::optional<std::vector<std::string>> estimator_device_filters(const std::string& type, int index) {
    const std::string ps = "/job:ps";
    if (type == master_job) return std::vector<std::string>{ps, "/job:master"};
    if (is_task_type(type, task_type::chief)) return std::vector<std::string>{ps, "/job:chief"};
    if (is_task_type(type, task_type::worker))
        return std::vector<std::string>{ps, "/job:worker/task:" + std::to_string(index)};
    if (is_task_type(type, task_type::ps))
        return std::vector<std::string>{ps, "/job:worker", "/job:chief", "/job:master"};
    return std::nullopt;
}

}  // namespace detail

TRAINSPEC_INLINE run_config_view run_config_of(const parsed_tf_config& config) {
    detail::require_consumer(config, config.consumer == tf_consumer::estimator, "run_config_of",
                             "tf_consumer::estimator");
    run_config_view view;
    view.model_dir = config.model_dir;
    if (config.cluster.empty()) {  // local mode; the reader checked the task is worker 0
        view.master = config.session_master.value_or("");
        view.evaluation_master = config.eval_session_master.value_or("");
        return view;
    }
    view.task_type = config.task_type;
    view.task_id = config.task_index.value_or(0);
    if (detail::is_task_type(config.task_type, task_type::evaluator)) {
        view.evaluation_master = config.eval_session_master.value_or("");
        view.is_chief = false;
        view.num_worker_replicas = 0;
        view.global_id_in_cluster.reset();
        return view;
    }
    const std::string chief_job(config.cluster.has_job(detail::master_job) ? detail::master_job
                                                                           : enum_name(task_type::chief));
    view.cluster_spec = config.cluster;
    view.master = detail::estimator_session_master(config);
    view.is_chief = config.task_type == chief_job;
    view.num_worker_replicas = config.cluster.count(task_type::worker) + config.cluster.count(chief_job);
    view.num_ps_replicas = config.cluster.count(task_type::ps);
    view.global_id_in_cluster = detail::estimator_global_id(config.cluster, chief_job, view.task_type, view.task_id);
    view.device_filters = detail::estimator_device_filters(view.task_type, view.task_id);
    return view;
}

TRAINSPEC_INLINE strategy_view strategy_view_of(const parsed_tf_config& config) {
    const bool parameter_servers = config.consumer == tf_consumer::parameter_server_strategy;
    detail::require_consumer(
        config, parameter_servers || config.consumer == tf_consumer::multi_worker_mirrored_strategy, "strategy_view_of",
        "tf_consumer::parameter_server_strategy or tf_consumer::multi_worker_mirrored_strategy");
    strategy_view view;
    if (config.cluster.empty()) return view;  // MultiWorkerMirroredStrategy's local run
    view.local = false;
    // The reader refused a type of "": an empty one is None.
    const auto type = config.task_type.empty() ? std::nullopt : std::optional<std::string>(config.task_type);
    const auto id = detail::tf_task_id(config.task_index);
    const auto* task_id = id ? &*id : nullptr;
    view.is_chief = detail::tf2_is_chief(config.cluster, type, task_id);
    view.collective_leader = detail::tf2_collective_leader(config.cluster, type, task_id);
    auto record = [&](const char* function, auto answer, auto& into) {
        try {
            into = answer();
        } catch (const tf_config_error& e) {
            into.reset();
            view.errors.emplace_back(function, e.rule());
        }
    };
    record(
        "id_in_cluster", [&] { return detail::tf2_id_in_cluster(config.cluster, type, task_id); }, view.id_in_cluster);
    record(
        "worker_count", [&] { return detail::tf2_worker_count(config.cluster, type); }, view.worker_count);
    for (const auto& job : config.cluster.as_dict()) {
        const auto known = enum_from_name<task_type>(job.first);
        if (known == task_type::chief || known == task_type::worker || (parameter_servers && known == task_type::ps))
            view.training_jobs.push_back(job.first);
    }
    view.in_training_cluster =
        std::find(view.training_jobs.begin(), view.training_jobs.end(), config.task_type) != view.training_jobs.end();
    return view;
}

TRAINSPEC_END_NAMESPACE
#endif
