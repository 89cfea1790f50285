#pragma once
// What a TF_CONFIG reads as: the cluster as tf.train.ClusterSpec holds it,
// the task as TFConfigClusterResolver sees it, and the error TensorFlow
// would raise. consume/tf_config.hpp reads them (docs/tf_config.md).

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <trainspec/consume/tf_cluster_rules.hpp>
#include <trainspec/detail/json_text.hpp>
#include <trainspec/detail/linkage.hpp>
#include <trainspec/error.hpp>
#include <trainspec/spec/enum_names.hpp>
#include <trainspec/spec/task_type.hpp>
#include <trainspec/spec/tf_config_options.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

namespace detail {
/// repr() of a Python str holding `utf8`, as TensorFlow's messages show it.
std::string python_repr(std::string_view utf8);
}  // namespace detail

/// A TF_CONFIG that TensorFlow would reject. message() is TensorFlow's
/// wording (or Python's, where TensorFlow lets a Python error through);
/// field() says where: `$` (the document), `cluster`, `cluster.worker`,
/// `cluster.worker[1]`, `task.type`, `task.index`, ... what() is
/// `field: message`, or the message alone when there is no field.
class tf_config_error : public error {
public:
    explicit tf_config_error(std::string message) : tf_config_error(std::string(), std::move(message)) {}
    tf_config_error(std::string field, std::string message)
        : error(field.empty() ? message : field + ": " + message, {{field.empty() ? "TF_CONFIG" : field, "", message}}),
          field_(std::move(field)) {}

    /// The field as TensorFlow names it, empty for the whole TF_CONFIG
    /// (path() is then "TF_CONFIG"); rule() is TensorFlow's message.
    const std::string& field() const noexcept { return field_; }

private:
    std::string field_;
};

/// The cluster as tf.train.ClusterSpec holds it: jobs sorted by name, each
/// a map from task index to address. A job written as a list has the
/// indices 0..n-1 (dense); one written as a dictionary may have any
/// (sparse), as Kubeflow's enableDynamicWorker form has.
class tf_cluster_spec {
public:
    using job_map = std::map<int, std::string>;
    using cluster_map = std::map<std::string, job_map, std::less<>>;

    tf_cluster_spec() = default;
    explicit tf_cluster_spec(cluster_map jobs) : jobs_(std::move(jobs)) {}

    /// No jobs at all (a ClusterSpec that is false).
    bool empty() const noexcept { return jobs_.empty(); }

    /// The job names, sorted.
    std::vector<std::string> jobs() const {
        std::vector<std::string> names;
        names.reserve(jobs_.size());
        for (const auto& job : jobs_) names.push_back(job.first);
        return names;
    }

    bool has_job(std::string_view job) const { return jobs_.find(job) != jobs_.end(); }
    bool has_job(task_type type) const { return has_job(enum_name(type)); }

    /// Throws tf_config_error "No such job in cluster: 'x'".
    int num_tasks(std::string_view job) const { return static_cast<int>(tasks(job).size()); }

    /// 0 for a job the cluster does not have.
    int count(std::string_view job) const {
        const auto found = jobs_.find(job);
        return found == jobs_.end() ? 0 : static_cast<int>(found->second.size());
    }
    int count(task_type type) const { return count(enum_name(type)); }

    /// The job's task indices, sorted. Throws tf_config_error "No such job in cluster: 'x'".
    std::vector<int> task_indices(std::string_view job) const {
        std::vector<int> indices;
        for (const auto& task : tasks(job)) indices.push_back(task.first);
        return indices;
    }

    /// Throws tf_config_error "No such job in cluster: 'x'" or
    /// "No task with index 3 in job 'worker'".
    const std::string& task_address(std::string_view job, int index) const {
        const auto& job_tasks = tasks(job);
        const auto found = job_tasks.find(index);
        if (found == job_tasks.end())
            throw tf_config_error(fmt::format("No task with index {} in job {}", index, detail::python_repr(job)));
        return found->second;
    }

    /// The job's tasks, index -> address. Throws tf_config_error "No such job in cluster: 'x'".
    const job_map& tasks(std::string_view job) const {
        const auto found = jobs_.find(job);
        if (found == jobs_.end()) throw tf_config_error("No such job in cluster: " + detail::python_repr(job));
        return found->second;
    }

    /// len(ClusterSpec.job_tasks(job)): the highest index + 1 (a sparse job's
    /// list has None where an index is missing). Throws like tasks().
    int job_tasks_size(std::string_view job) const {
        const auto& job_tasks = tasks(job);
        return job_tasks.empty() ? 0 : job_tasks.rbegin()->first + 1;
    }

    /// Whether the job's indices are 0..n-1, n > 0: as_dict() gives it as a
    /// list (an empty job is given as {}). Throws like tasks().
    bool is_dense(std::string_view job) const {
        const auto& job_tasks = tasks(job);
        return !job_tasks.empty() && job_tasks.begin()->first == 0 &&
               job_tasks.rbegin()->first == static_cast<int>(job_tasks.size()) - 1;
    }

    /// Every job with its tasks.
    const cluster_map& as_dict() const noexcept { return jobs_; }

    /// The cluster as compact JSON, in the shape of ClusterSpec.as_dict():
    /// a dense job as an array, any other as an object keyed by index.
    std::string to_json() const { return as_dict_text(detail::quote_json, ",", ":", true); }

    /// str(ClusterSpec): "ClusterSpec({'ps': ['h:2222'], 'worker': {1: 'h:2223'}})".
    std::string str() const { return "ClusterSpec(" + as_dict_text(detail::python_repr, ", ", ": ", false) + ")"; }

    friend bool operator==(const tf_cluster_spec& a, const tf_cluster_spec& b) { return a.jobs_ == b.jobs_; }
    friend bool operator!=(const tf_cluster_spec& a, const tf_cluster_spec& b) { return !(a == b); }

private:
    /// as_dict() written out with `quote` for every string: a dense job as a
    /// list, any other as a dictionary keyed by index.
    std::string as_dict_text(std::string (*quote)(std::string_view), std::string_view comma, std::string_view colon,
                             bool quote_index) const {
        std::string out = "{";
        for (const auto& [name, job_tasks] : jobs_) {
            if (out.size() > 1) out += comma;
            out += quote(name);
            out += colon;
            const bool dense = is_dense(name);
            out += dense ? '[' : '{';
            bool first = true;
            for (const auto& [index, address] : job_tasks) {
                if (!first) out += comma;
                first = false;
                if (!dense) {
                    out += quote_index ? quote(std::to_string(index)) : std::to_string(index);
                    out += colon;
                }
                out += quote(address);
            }
            out += dense ? ']' : '}';
        }
        return out + "}";
    }

    cluster_map jobs_;
};

/// A TF_CONFIG as TensorFlow reads it: TFConfigClusterResolver's view (the
/// `custom` consumer's); consume/tf_config_views.hpp derives what RunConfig
/// and the TF2 strategies conclude from it.
struct parsed_tf_config {
    tf_consumer consumer = tf_consumer::custom;  ///< whose rules it was read with
    tf_cluster_spec cluster;
    std::string task_type;          ///< str(task.type); "" when absent
    std::optional<int> task_index;  ///< int(task.index)
    std::optional<std::string> rpc_layer, session_master, environment;
    std::optional<std::string> eval_session_master;  ///< RunConfig's evaluation_master for an evaluator
    std::optional<std::string> model_dir;            ///< RunConfig's model_dir

    /// multi_worker_util.is_chief: the chief; worker 0 when the cluster has
    /// no chief; the evaluator is its own chief. A `master` (tf.estimator's
    /// legacy name for the chief) is the chief when there is no `chief` job,
    /// and then worker 0 is not. A task of an empty cluster (one local
    /// process) is the chief.
    bool is_chief() const {
        using type = trainspec::task_type;
        const auto known = enum_from_name<type>(task_type);
        if (known == type::chief || known == type::evaluator) return true;
        const bool has_chief = cluster.has_job(type::chief);
        if (task_type == detail::master_job) return !has_chief;
        if (known == type::worker && task_index == 0) return !has_chief && !cluster.has_job(detail::master_job);
        return cluster.empty() && task_type.empty();
    }

    /// Workers that train: chief + worker (+ master), as RunConfig counts
    /// num_worker_replicas.
    int num_workers() const {
        return cluster.count(trainspec::task_type::chief) + cluster.count(trainspec::task_type::worker) +
               cluster.count(detail::master_job);
    }

    int num_ps() const { return cluster.count(trainspec::task_type::ps); }

    /// TFConfigClusterResolver.master(): session_master when set; "" for an
    /// empty cluster or one of a single task; else this task's address,
    /// prefixed with "<rpc_layer>://" when an rpc layer is set. Throws like
    /// task_address() when the task is not in the cluster.
    std::string master() const {
        if (session_master) return *session_master;
        const auto& jobs = cluster.as_dict();
        if (jobs.empty()) return "";
        // len(job_tasks(job)) == 1: the highest index is 0.
        if (jobs.size() == 1) {
            const auto& only = jobs.begin()->second;
            if (!only.empty() && only.rbegin()->first == 0) return "";
        }
        const std::string& address = task_address();
        return rpc_layer && !rpc_layer->empty() ? *rpc_layer + "://" + address : address;
    }

    /// This task's address. Throws tf_config_error "No such job in cluster:
    /// ..." or "No task with index ... in job ..." (an evaluator that is not
    /// part of the cluster has none).
    std::string task_address() const {
        if (task_type.empty()) throw tf_config_error("No such job in cluster: None");
        if (!task_index) {
            cluster.tasks(task_type);
            throw tf_config_error("No task with index None in job " + detail::python_repr(task_type));
        }
        return cluster.task_address(task_type, *task_index);
    }
};

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <trainspec/detail/pyjson.hpp>

TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_INLINE std::string detail::python_repr(std::string_view utf8) { return pyjson::repr_string(utf8); }
TRAINSPEC_END_NAMESPACE
#endif
