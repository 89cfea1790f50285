#pragma once
// TensorFlow's rules for a TF_CONFIG document: tf.train.ClusterSpec,
// TFConfigClusterResolver, then those of the consumer, in TensorFlow's order
// and words (docs/tf_config.md). consume/tf_config.hpp calls it.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <trainspec/consume/parsed_tf_config.hpp>
#include <trainspec/consume/tf_cluster_rules.hpp>
#include <trainspec/detail/json_text.hpp>
#include <trainspec/detail/pyjson.hpp>
#include <trainspec/detail/tf_consumer_rules.hpp>
#include <trainspec/spec/enum_names.hpp>
#include <trainspec/spec/task_type.hpp>
#include <trainspec/spec/tf_config_options.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// Reads one TF_CONFIG document for one consumer.
class tf_config_reader {
    using value = pyjson::value;

public:
    explicit tf_config_reader(tf_consumer consumer) : consumer_(consumer) {}

    parsed_tf_config read(std::string_view text) {
        // An empty text goes to json.loads as it is: TensorFlow replaces only
        // an unset TF_CONFIG with "{}" (tf_config_from_env does the same).
        const value doc = load(text);
        if (doc.type != value::kind::dict)
            throw tf_config_error("$", std::string("TF_CONFIG must be a JSON object with \"cluster\" and \"task\", "
                                                   "not ") +
                                           pyjson::json_kind(doc));
        if (doc.find("sparseCluster"))
            throw tf_config_error(
                "sparseCluster",
                "TensorFlow does not read \"sparseCluster\" (the key Kubeflow training operator releases before "
                "1.7 wrote for enableDynamicWorker): it sees no cluster at all; the sparse form belongs under "
                "\"cluster\"");
        parsed_tf_config out;
        out.consumer = consumer_;
        // RunConfig reads model_dir first (_get_model_dir); no other consumer reads it.
        if (consumer_ == tf_consumer::estimator)
            out.model_dir = estimator_model_dir(doc.find("model_dir"));
        else if (const value* dir = doc.find("model_dir"); dir && dir->type == value::kind::string)
            out.model_dir = dir->text;
        out.environment = optional_string(doc, "environment", "such as \"cloud\"");
        if (out.environment && *out.environment == "google")
            throw tf_config_error(
                "environment",
                "\"google\" has a special meaning inside TensorFlow (Google's own infrastructure starts the "
                "servers): tf.estimator and the distribute coordinator then start no in-process server and the "
                "tasks never connect; launchers write \"cloud\"");
        out.rpc_layer = optional_string(doc, "rpc_layer", "such as \"grpc\"");
        out.session_master = optional_string(doc, "session_master", "such as \"grpc://host:2222\"");
        out.eval_session_master = optional_string(doc, "eval_session_master", "such as \"grpc://host:2222\"");

        static const value no_task = [] {
            value v;
            v.type = value::kind::dict;
            return v;
        }();
        const value* task = doc.find("task");
        if (!task) task = &no_task;
        if (task->type != value::kind::dict)
            throw tf_config_error("task", std::string("must be an object such as {\"type\": \"worker\", \"index\": "
                                                      "0}, not ") +
                                              pyjson::json_kind(*task));
        raw_type_ = task->find("type");
        raw_index_ = task->find("index");

        if (consumer_ == tf_consumer::estimator) {
            if (const value* service = doc.find("service");
                service && service->type != value::kind::none && service->type != value::kind::dict)
                throw tf_config_error("service", std::string("If \"service\" is set in TF_CONFIG, it must be a dict. "
                                                             "Given <class '") +
                                                     pyjson::type_name(*service) + "'>");
        }
        cluster_ = read_cluster(doc.find("cluster"));

        if (consumer_ == tf_consumer::estimator) check_estimator();
        // TFConfigClusterResolver.task_type / task_id.
        if (raw_type_) type_ = pyjson::str(*raw_type_);
        if (raw_index_) index_ = to_int(*raw_index_, "task.index");
        switch (consumer_) {
            case tf_consumer::custom:
                check_custom();
                break;
            case tf_consumer::estimator:
                break;
            case tf_consumer::parameter_server_strategy:
                check_parameter_server_strategy();
                break;
            case tf_consumer::multi_worker_mirrored_strategy:
                check_multi_worker_mirrored_strategy();
                break;
        }

        out.cluster = std::move(cluster_);
        out.task_type = type_.value_or("");
        if (index_) {
            if (!index_->fits_int())
                throw tf_config_error("task.index", index_->text + " does not fit a task index (at most " +
                                                        std::to_string(std::numeric_limits<int>::max()) + ")");
            out.task_index = static_cast<int>(*index_->small);
        }
        // RunConfig looks its master up; a sparse job's hole fails there.
        if (consumer_ == tf_consumer::estimator && !out.cluster.empty() &&
            !is_task_type(out.task_type, task_type::evaluator))
            estimator_session_master(out);
        return out;
    }

private:
    /// json.loads(text); its JSONDecodeError is about the whole document.
    static value load(std::string_view text) {
        try {
            return pyjson::reader(text).read();
        } catch (const pyjson::python_error& e) {
            throw tf_config_error("$", e.what());
        }
    }

    /// int(v), Python's error at `field`.
    static pyjson::integer to_int(const value& v, const std::string& field) {
        try {
            return pyjson::to_int(v);
        } catch (const pyjson::python_error& e) {
            throw tf_config_error(field, e.what());
        }
    }

    /// run_config._get_model_dir, then _validate_properties' rule for it.
    static std::optional<std::string> estimator_model_dir(const value* dir) {
        if (!dir || dir->type == value::kind::none) return std::nullopt;
        if (dir->type == value::kind::string) {
            if (dir->text.empty()) throw tf_config_error("model_dir", "model_dir in TF_CONFIG should be non-empty.");
            return dir->text;
        }
        if (!pyjson::truthy(*dir)) throw tf_config_error("model_dir", "model_dir should be non-empty");
        throw tf_config_error("model_dir", std::string("must be a string such as \"gs://bucket/model\", not ") +
                                               pyjson::json_kind(*dir) +
                                               " (RunConfig keeps it; the Estimator fails when it uses it as a path)");
    }

    static std::optional<std::string> optional_string(const value& doc, const char* key, const char* example) {
        const value* v = doc.find(key);
        if (!v || v->type == value::kind::none) return std::nullopt;
        if (v->type != value::kind::string)
            throw tf_config_error(key, std::string("must be a string ") + example + ", not " + pyjson::json_kind(*v));
        return v->text;
    }

    /// tf.train.ClusterSpec(cluster): the job values in the document's
    /// order, then the addresses job by job (sorted) and task by task.
    static tf_cluster_spec read_cluster(const value* cluster) {
        if (!cluster) return {};
        if (cluster->type != value::kind::dict)
            throw tf_config_error("cluster",
                                  "`cluster` must be a dictionary mapping one or more job names to lists of network "
                                  "addresses, or a `ClusterDef` protocol buffer");
        struct pending {
            pyjson::integer index;
            std::string field;
            const value* address;
        };
        std::map<std::string, std::vector<pending>> jobs;
        for (std::size_t j = 0; j < cluster->keys.size(); ++j) {
            const std::string& name = cluster->keys[j];
            const value& tasks = cluster->items[j];
            const std::string field = tf_job_field(name);
            auto& list = jobs[name];
            if (tasks.type == value::kind::list) {
                for (std::size_t i = 0; i < tasks.items.size(); ++i)
                    list.push_back({pyjson::integer::from_digits(false, std::to_string(i)),
                                    field + "[" + std::to_string(i) + "]", &tasks.items[i]});
            } else if (tasks.type == value::kind::dict) {
                for (std::size_t i = 0; i < tasks.keys.size(); ++i) {
                    const std::string key_field = field + "[" + quote_json(tasks.keys[i]) + "]";
                    value key;
                    key.type = value::kind::string;
                    key.text = tasks.keys[i];
                    pyjson::integer index;
                    try {
                        index = pyjson::to_int(key);
                    } catch (const pyjson::python_error& e) {
                        throw tf_config_error(key_field, std::string(e.what()) + " (The tasks for job " +
                                                             pyjson::repr_string(name) +
                                                             " must be a list or a dictionary from integers to "
                                                             "strings.)");
                    }
                    // {int(i): task ...}: a repeated index keeps the last address.
                    const auto same = std::find_if(list.begin(), list.end(),
                                                   [&](const pending& p) { return p.index.text == index.text; });
                    if (same != list.end())
                        *same = {std::move(index), key_field, &tasks.items[i]};
                    else
                        list.push_back({std::move(index), key_field, &tasks.items[i]});
                }
            } else {
                throw tf_config_error(field, "The tasks for job " + pyjson::repr_string(name) +
                                                 " must be a list or a dictionary from integers to strings.");
            }
        }
        tf_cluster_spec::cluster_map out;
        for (auto& [name, list] : jobs) {
            std::sort(list.begin(), list.end(), [](const pending& a, const pending& b) { return a.index < b.index; });
            auto& job = out[name];
            for (const auto& task : list) {
                if (task.address->type != value::kind::string)
                    throw tf_config_error(task.field,
                                          "Task address " + pyjson::repr(*task.address) + " must be bytes or unicode");
                // The indices of a ClusterDef are int32.
                if (!task.index.fits_int()) throw tf_config_error(task.field, "Value out of range: " + task.index.text);
                job.emplace(static_cast<int>(*task.index.small), task.address->text);
            }
        }
        return tf_cluster_spec(std::move(out));
    }

    std::string repr_type() const { return pyjson::repr_string(*type_); }

    /// For code that builds its own tf.train.ClusterSpec and Server: the
    /// task must be one of the cluster (task_address() must find it); an
    /// evaluator may run outside it. An empty cluster is a local run.
    void check_custom() const {
        if (cluster_.empty() || !type_ || is_task_type(*type_, task_type::evaluator)) return;
        if (!cluster_.has_job(*type_)) throw tf_config_error("task.type", "No such job in cluster: " + repr_type());
        if (!index_) return;
        const auto& tasks = cluster_.tasks(*type_);
        if (!index_->fits_int() || tasks.find(static_cast<int>(*index_->small)) == tasks.end())
            throw tf_config_error("task.index", "No task with index " + index_->text + " in job " + repr_type());
    }

    /// tf.distribute.experimental.ParameterServerStrategy (TF2):
    /// _verify_args_and_config, then the coordinator, which runs as "chief".
    void check_parameter_server_strategy() const {
        if (cluster_.empty())
            throw tf_config_error(
                "cluster", "Cluster spec must be non-empty in `tf.distribute.cluster_resolver.ClusterResolver`.");
        validate_tf2_cluster(cluster_, type_, index_ ? &*index_ : nullptr);
        if (cluster_.count(task_type::ps) < 1) throw tf_config_error(tf_job_field(task_type::ps), tf_needs_a_ps);
        if (cluster_.count(task_type::worker) < 1)
            throw tf_config_error(tf_job_field(task_type::worker), tf_needs_a_worker);
        if (!cluster_.has_job(task_type::chief))
            throw tf_config_error(tf_job_field(task_type::chief), tf_coordinator_needs_chief);
    }

    /// tf.distribute.MultiWorkerMirroredStrategy: an empty cluster is a local
    /// run; else _initialize_multi_worker (id_in_cluster, worker_count).
    void check_multi_worker_mirrored_strategy() const {
        if (cluster_.empty()) return;
        if (!type_ || !index_)
            throw tf_config_error("task",
                                  "When `cluster_spec` is given, you must also specify `task_type` and `task_id`.");
        tf2_id_in_cluster(cluster_, type_, &*index_);
        if (tf2_worker_count(cluster_, type_) == 0)
            throw tf_config_error("cluster",
                                  "No `worker`, `chief` or `evaluator` tasks can be found in `cluster_spec`.");
        if (cluster_.has_job(task_type::ps)) throw tf_config_error(tf_job_field(task_type::ps), tf_mirrored_has_no_ps);
    }

    static bool is_string(const value* v, std::string_view text) {
        return v && v->type == value::kind::string && v->text == text;
    }

    /// tf.estimator.RunConfig: _init_distributed_setting_from_environment_var.
    void check_estimator() const {
        if (cluster_.empty()) {
            // Local mode: task type defaults to worker, index to 0.
            const pyjson::integer index = raw_index_ ? to_int(*raw_index_, "task.index") : pyjson::integer{};
            if (raw_type_ && !is_string(raw_type_, enum_name(task_type::worker)))
                throw tf_config_error("task.type", "If \"cluster\" is not set in TF_CONFIG, task type must be WORKER.");
            if (index.text != "0")
                throw tf_config_error("task.index", "If \"cluster\" is not set in TF_CONFIG, task index must be 0.");
            return;
        }
        if (cluster_.has_job(master_job)) {
            // The legacy cluster with a master instead of a chief.
            if (cluster_.has_job(task_type::chief))
                throw tf_config_error(tf_job_field(task_type::chief),
                                      "If `master` node exists in `cluster`, job `chief` is not "
                                      "supported.");
            check_estimator_task(master_job);
            if (is_string(raw_type_, enum_name(task_type::evaluator)))
                throw tf_config_error("task.type",
                                      "If `master` node exists in `cluster`, task_type `evaluator` is not "
                                      "supported.");
            return;
        }
        check_estimator_task(enum_name(task_type::chief));
    }

    /// run_config._validate_task_type_and_task_id.
    void check_estimator_task(std::string_view chief) const {
        const auto chief_field = tf_job_field(chief);
        if (!cluster_.has_job(chief) || cluster_.tasks(chief).empty())
            throw tf_config_error(chief_field, tf_estimator_needs_one(chief));
        if (cluster_.tasks(chief).rbegin()->first > 0)  // len(job_tasks(chief)) > 1: highest index + 1
            throw tf_config_error(chief_field,
                                  fmt::format("The \"cluster\" in TF_CONFIG must have only one \"{}\" node.", chief));
        if (!raw_type_ || !pyjson::truthy(*raw_type_))
            throw tf_config_error("task.type", "If \"cluster\" is set in TF_CONFIG, task type must be set.");
        if (!raw_index_ || raw_index_->type == value::kind::none)
            throw tf_config_error("task.index", "If \"cluster\" is set in TF_CONFIG, task index must be set.");
        const auto index = to_int(*raw_index_, "task.index");
        if (index.less_than(0)) throw tf_config_error("task.index", "Task index must be non-negative number.");
        // The evaluator is not part of the training cluster: no upper bound.
        if (is_string(raw_type_, enum_name(task_type::evaluator))) return;
        const std::string type = pyjson::str(*raw_type_);
        const std::string note = "\n\nNote that these values may be coming from the TF_CONFIG environment variable.";
        if (raw_type_->type != value::kind::string || !cluster_.has_job(type))
            throw tf_config_error("task.type", fmt::format("{} is not a valid task_type in the cluster_spec:\n{}{}",
                                                           pyjson::shown(type), cluster_.str(), note));
        const auto& tasks = cluster_.tasks(type);
        const std::int64_t size = tasks.empty() ? 0 : std::int64_t{tasks.rbegin()->first} + 1;  // len(job_tasks(type))
        if (!index.less_than(size))
            throw tf_config_error("task.index",
                                  fmt::format("{} is not a valid task_id for task_type {} in the cluster_spec:\n{}{}",
                                              index.text, pyjson::shown(type), cluster_.str(), note));
    }

    tf_consumer consumer_;
    tf_cluster_spec cluster_;
    const value* raw_type_ = nullptr;
    const value* raw_index_ = nullptr;
    std::optional<std::string> type_;
    std::optional<pyjson::integer> index_;
};

}  // namespace detail
TRAINSPEC_END_NAMESPACE
