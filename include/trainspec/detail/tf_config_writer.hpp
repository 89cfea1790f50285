#pragma once
// The TF_CONFIG writer behind render/tf_config.hpp: the cluster part is
// serialised once per job, each task's part appended to it.

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <trainspec/consume/tf_cluster_rules.hpp>
#include <trainspec/detail/json_text.hpp>
#include <trainspec/detail/linkage.hpp>
#include <trainspec/detail/rules.hpp>
#include <trainspec/error.hpp>
#include <trainspec/launch.hpp>
#include <trainspec/plan.hpp>
#include <trainspec/render/tf_config.hpp>
#include <trainspec/spec/limits.hpp>
#include <trainspec/spec/names.hpp>
#include <trainspec/spec/tf_config_options.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// Everything but the task-specific part, prepared once per job.
class tf_config_writer {
public:
    /// Checks the cluster against its consumer's rules and prepares the
    /// cluster part.
    template <class Backend>
    tf_config_writer(const cluster<Backend>& c, const tf_config_options& options)
        : tf_config_writer(c, options, checks_only{}) {
        hosts_ = &c.hosts();
        total_tasks_ = c.tasks().size();
        if (profile_ == tf_profile::kubeflow) {
            kubeflow_prefix_ = effective_job_name(spec_) + '-';
            kubeflow_suffix_ = '.' + options.kubernetes_namespace + ".svc";
            if (!options.cluster_domain.empty()) kubeflow_suffix_ += '.' + options.cluster_domain;
            // The TFJob's tfjob-port: the planned port of the model's owner
            // (launch.hpp), from which the operator writes every address.
            kubeflow_suffix_ += ':' + std::to_string(c.find(model_owner_of(spec_).type, 0).port);
        }
        // A plan's indices of one type are 0..count-1.
        std::size_t counts[4] = {};
        for (const auto& t : c.tasks()) ++counts[static_cast<int>(t.type)];
        for (int type = 0; type < 4; ++type) by_index_[type].resize(counts[type]);
        for (const auto& t : c.tasks()) by_index_[static_cast<int>(t.type)][static_cast<std::size_t>(t.index)] = &t;
        build_dense_cluster();
        check_size();
    }

    /// Checks the cluster against its consumer's rules and the TF_CONFIG's
    /// size (a renderer whose launcher writes the TF_CONFIG, such as the
    /// TFJob's operator).
    template <class Backend>
    static void check_consumer_rules(const cluster<Backend>& c, const tf_config_options& options) {
        (void)tf_config_writer(c, options);
    }

    /// nullopt when the profile's launcher sets no TF_CONFIG for this job
    /// (Kubeflow: a job of exactly one replica).
    std::optional<std::string> render(task_type type, int index) const {
        std::string out;
        if (!render_into(out, type, index)) return std::nullopt;
        return out;
    }

    /// Replaces `out` with the task's TF_CONFIG, reusing its capacity; false
    /// (and `out` empty) when the profile's launcher sets none.
    bool render_into(std::string& out, task_type type, int index) const {
        // A task the plan does not have is an error, whatever the profile.
        if (index < 0 || static_cast<std::size_t>(index) >= tasks_of(type).size()) throw_no_such_task(type, index);
        out.clear();
        if (profile_ == tf_profile::kubeflow && total_tasks_ == 1) return false;
        if (sparse_) {
            render_sparse(out, type, index);
            return true;
        }
        out.reserve(cluster_json_.size() + 96);
        out += "{\"cluster\":";
        out += cluster_json_;
        append_task(out, type, index);
        append_tail(out);
        return true;
    }

    tf_profile profile() const noexcept { return profile_; }
    bool sparse() const noexcept { return sparse_; }

    /// The key of a task type in "cluster" and "task" ("master" for the
    /// sagemaker profile's chief).
    std::string_view job_key(task_type type) const {
        if (type == task_type::chief && profile_ == tf_profile::sagemaker) return master_job;
        return enum_name(type);
    }

    bool in_cluster(task_type type) const {
        return type != task_type::evaluator || cluster_shape(spec_, profile_).evaluator_in_cluster;
    }

    /// What follows the task in a dense TF_CONFIG: environment, rpc_layer and
    /// the closing brace.
    std::string tail() const {
        std::string out;
        append_tail(out);
        return out;
    }

private:
    struct checks_only {};

    /// The settings, checked; nothing prepared.
    template <class Backend>
    tf_config_writer(const cluster<Backend>& c, const tf_config_options& options, checks_only) : spec_(c.job().spec()) {
        const auto& settings = spec_.tf_config;
        profile_ = options.profile.value_or(effective_profile(spec_));
        rpc_layer_ = options.rpc_layer ? options.rpc_layer
                                       : (settings && settings->rpc_layer ? settings->rpc_layer : std::nullopt);
        sparse_ = options.sparse.value_or(settings && settings->sparse.value_or(false));
        check(options);
        if (profile_ == tf_profile::sagemaker) check_sagemaker_layout(c);
    }

    void check(const tf_config_options& options) const {
        problems found;
        tf_config_settings effective = spec_.tf_config.value_or(tf_config_settings{});
        effective.profile = profile_;
        effective.rpc_layer = rpc_layer_;
        effective.sparse = sparse_;
        job_spec checked = spec_;
        checked.tf_config = effective;
        found = check_tf_cluster(checked, profile_, effective_consumer(spec_));
        // The spec's own rpc_layer passed validate(); an override has not.
        if (options.rpc_layer && !is_rpc_layer_name(*options.rpc_layer))
            found.push_back({"tf_config.rpc_layer", quote_json(*options.rpc_layer), rpc_layer_rule});
        if (profile_ == tf_profile::kubeflow) {
            if (!is_dns1123_label(options.kubernetes_namespace))
                found.push_back(
                    {"namespace", quote_json(options.kubernetes_namespace), std::string(dns1123_label_rule)});
            if (!options.cluster_domain.empty() && !is_dns1123_subdomain(options.cluster_domain))
                found.push_back(
                    {"cluster_domain", quote_json(options.cluster_domain), std::string(cluster_domain_rule)});
        }
        if (!found.empty()) throw validation_error(std::move(found));
    }

    /// SageMaker's hosts each run one ps, one port above the host's master
    /// (the first host) or worker (the others): 2222 and 2223. The task
    /// counts passed check_tf_cluster(); the placement depends on the hosts'
    /// slots and on unique_ports, so it is checked on the plan.
    template <class Backend>
    static void check_sagemaker_layout(const cluster<Backend>& c) {
        const auto& hosts = c.hosts();
        const int port = c.find(task_type::chief, 0).port;
        for (std::size_t i = 0; i < hosts.size(); ++i) {
            const int n = static_cast<int>(i);
            const task& main = n == 0 ? c.find(task_type::chief, 0) : c.find(task_type::worker, n - 1);
            const task& ps = c.find(task_type::ps, n);
            if (main.host_index == i && main.port == port && ps.host_index == i && ps.port == port + 1) continue;
            const std::string main_name =
                n == 0 ? std::string(master_job) : fmt::format("{} {}", enum_name(task_type::worker), n - 1);
            throw validation_error(
                {{"tf_config.profile", quote_json(enum_name(tf_profile::sagemaker)),
                  fmt::format("SageMaker runs the master on the first host, worker i on host i+1, and ps i on host "
                              "i one port above them: host {} should run {} on {}:{} and ps {} on {}:{}, but the "
                              "plan puts them at {} and {} (give every host 2 slots, without unique_ports)",
                              quote_json(hosts[i].name), main_name, hosts[i].name, port, n, hosts[i].name, port + 1,
                              c.address(main), c.address(ps))}});
        }
    }

    const std::vector<const task*>& tasks_of(task_type type) const { return by_index_[static_cast<int>(type)]; }

    /// Every task's TF_CONFIG reaches it as one environment string, which
    /// Linux bounds (MAX_ARG_STRLEN): a larger one could never be set, and
    /// every task's would repeat the cluster (docs/limits.md). The longest
    /// is the last task of a type (dense), or a worker's (sparse: it lists
    /// the parameter servers).
    void check_size() const {
        std::string longest;
        std::string buffer;
        for (auto type : {task_type::chief, task_type::worker, task_type::ps, task_type::evaluator}) {
            const auto count = tasks_of(type).size();
            if (count == 0 || !render_into(buffer, type, static_cast<int>(count - 1))) continue;
            if (buffer.size() > longest.size()) std::swap(longest, buffer);
        }
        if (longest.size() <= max_tf_config_bytes) return;
        throw validation_error(
            {{"tf_config", fmt::format("{} bytes", longest.size()),
              fmt::format("a task's TF_CONFIG would have {} bytes ({} tasks); TF_CONFIG=... reaches the task as "
                          "one environment string, so the value has at most {} bytes (Linux's MAX_ARG_STRLEN, "
                          "{}, counts the name and the NUL): fewer tasks or shorter host names (docs/limits.md)",
                          longest.size(), total_tasks_, max_tf_config_bytes, max_argument_bytes + 1)}});
    }

    /// Appends the address of a task as a JSON string: the plan's host and
    /// port, or (kubeflow) the operator's service name.
    void append_address(std::string& out, task_type type, std::size_t index) const {
        out += '"';
        if (profile_ == tf_profile::kubeflow) {
            append_json_escaped(out, kubeflow_prefix_);
            append_json_escaped(out, enum_name(type));
            out += '-';
            out += std::to_string(index);
            append_json_escaped(out, kubeflow_suffix_);
        } else {
            const task& t = *tasks_of(type)[index];
            append_json_escaped(out, (*hosts_)[t.host_index].name);
            out += ':';
            out += std::to_string(t.port);
        }
        out += '"';
    }

    void build_dense_cluster() {
        // Sorted by job name: chief (or master), evaluator, ps, worker.
        std::vector<std::pair<std::string_view, task_type>> jobs;
        for (auto type : {task_type::chief, task_type::worker, task_type::ps, task_type::evaluator})
            if (!tasks_of(type).empty() && in_cluster(type)) jobs.push_back({job_key(type), type});
        std::sort(jobs.begin(), jobs.end());
        cluster_json_ += '{';
        bool first_job = true;
        for (const auto& [key, type] : jobs) {
            if (!first_job) cluster_json_ += ',';
            first_job = false;
            append_quoted_json(cluster_json_, key);
            cluster_json_ += ":[";
            for (std::size_t i = 0; i < tasks_of(type).size(); ++i) {
                if (i != 0) cluster_json_ += ',';
                append_address(cluster_json_, type, i);
            }
            cluster_json_ += ']';
        }
        cluster_json_ += '}';
    }

    void append_task(std::string& out, task_type type, int index) const {
        out += ",\"task\":{\"type\":";
        append_quoted_json(out, job_key(type));
        out += ",\"index\":";
        out += std::to_string(index);
        out += '}';
    }

    void append_tail(std::string& out) const {
        if (profile_ != tf_profile::tf2) out += ",\"environment\":\"cloud\"";
        if (rpc_layer_) {
            out += ",\"rpc_layer\":";
            append_quoted_json(out, *rpc_layer_);
        }
        out += '}';
    }

    /// The Kubeflow operator's enableDynamicWorker form: a worker knows only
    /// itself and the parameter servers; a ps only itself. Go writes a
    /// missing ps job as null.
    void render_sparse(std::string& out, task_type type, int index) const {
        const std::size_t ps = tasks_of(task_type::ps).size();
        out += "{\"cluster\":{\"worker\":{";
        if (type == task_type::worker) {
            out += '"' + std::to_string(index) + "\":";
            append_address(out, task_type::worker, static_cast<std::size_t>(index));
        }
        out += "},\"ps\":";
        if (type == task_type::ps) {
            out += '[';
            append_address(out, task_type::ps, static_cast<std::size_t>(index));
            out += ']';
        } else if (type == task_type::worker && ps == 0) {
            out += "null";
        } else if (type == task_type::worker) {
            out += '[';
            for (std::size_t i = 0; i < ps; ++i) {
                if (i != 0) out += ',';
                append_address(out, task_type::ps, i);
            }
            out += ']';
        } else {
            out += "[]";
        }
        out += '}';
        append_task(out, type, index);
        out += '}';
    }

    const job_spec& spec_;
    tf_profile profile_ = tf_profile::tf2;
    std::optional<std::string> rpc_layer_;
    bool sparse_ = false;
    const std::vector<host>* hosts_ = nullptr;
    std::vector<const task*> by_index_[4];
    std::size_t total_tasks_ = 0;
    std::string kubeflow_prefix_, kubeflow_suffix_;
    std::string cluster_json_;
};

}  // namespace detail
TRAINSPEC_END_NAMESPACE

// The entry points of <trainspec/render/tf_config.hpp> (compiled once in compiled mode).
#if TRAINSPEC_DEFINITIONS
TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

template <class Backend>
std::optional<std::string> task_tf_config_json(const cluster<Backend>& c, task_type type, int index,
                                               const tf_config_options& options) {
    return tf_config_writer(c, options).render(type, index);
}

template <class Backend>
std::vector<task_tf_config> every_tf_config(const cluster<Backend>& c, const tf_config_options& options) {
    const tf_config_writer writer(c, options);
    std::vector<task_tf_config> out;
    out.reserve(c.tasks().size());
    for (const auto& t : c.tasks())
        if (auto json = writer.render(t.type, t.index)) out.push_back({t.type, t.index, std::move(*json)});
    return out;
}

template <class Backend>
void visit_tf_configs(const cluster<Backend>& c, tf_config_sink sink, const tf_config_options& options) {
    const tf_config_writer writer(c, options);
    std::string buffer;
    for (const auto& t : c.tasks())
        if (writer.render_into(buffer, t.type, t.index)) sink.call(sink.context, t, std::string_view(buffer));
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
#endif
