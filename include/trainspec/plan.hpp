#pragma once
// The cluster plan: every task of a job with its type, index, host, port,
// rank, local rank and GPUs. Every renderer reads the same plan, so the
// TF_CONFIG, the hostfile and the manifests of one job cannot disagree.
//
// Placement (deterministic):
//   * hosts: the ones given to plan(), else the compute target's host list,
//     else "localhost" for the local target, else generated
//     `<job>-node-<i>` names; the first node_count hosts are used, in order;
//   * mpi: host i runs ranks i*P .. i*P+P-1 (P = process_count_per_node);
//   * ps / multi_worker: tasks in the order chief, worker 0.., ps 0..,
//     evaluator are dealt to the hosts round-robin, skipping full hosts, so
//     parameter servers share nodes with workers (as Batch AI ran them on
//     2222 and 2223);
//   * ranks count host by host (a host's tasks are consecutive ranks); the
//     local rank is the position on the host;
//   * ports (TensorFlow tasks only): the k-th task on a host listens on
//     port + k; with unique_ports every task gets port + rank, for hosts that
//     share one address;
//   * GPUs (use_gpu): a host's GPUs are split evenly among the tasks that
//     compute (all MPI ranks; chief, workers and evaluator); parameter
//     servers get none, so they do not take GPU memory. Without a declared
//     GPU count, a lone GPU task is not restricted and several share by
//     local ordinal, one GPU each.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include <trainspec/detail/linkage.hpp>
#include <trainspec/error.hpp>
#include <trainspec/job.hpp>
#include <trainspec/spec/backend.hpp>
#include <trainspec/spec/compute_target.hpp>
#include <trainspec/spec/hosts.hpp>
#include <trainspec/spec/names.hpp>
#include <trainspec/spec/task_type.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

struct task {
    task_type type = task_type::worker;
    int index = 0;
    std::size_t host_index = 0;  ///< the task's host: cluster::hosts()[host_index]
    int port = 0;                ///< 0 for tasks that listen on no port (MPI ranks, single node)
    int rank = 0;
    int local_rank = 0;
    /// nullopt: not restricted (CUDA_VISIBLE_DEVICES unset); empty: no GPU.
    std::optional<std::vector<int>> gpus;

    friend bool operator==(const task& a, const task& b) {
        return a.type == b.type && a.index == b.index && a.host_index == b.host_index && a.port == b.port &&
               a.rank == b.rank && a.local_rank == b.local_rank && a.gpus == b.gpus;
    }
};

struct plan_options {
    std::vector<host> hosts;    ///< explicit hosts; empty: the compute target's, or generated
    std::optional<int> port;    ///< overrides the job's port
    bool unique_ports = false;  ///< every task its own port (hosts sharing one address)
};

template <class Backend>
class cluster;

namespace detail {
template <class Backend>
cluster<Backend> make_cluster(job<Backend> j, std::vector<host> hosts, std::vector<task> tasks,
                              std::vector<int> tasks_per_host);
[[noreturn]] void throw_no_such_task(task_type type, int index);
}  // namespace detail

/// A planned job. The backend stays in the type, so that only plans of
/// parameter-server and multi-worker jobs have a TF_CONFIG.
template <class Backend>
class cluster {
public:
    using backend = Backend;

    const trainspec::job<Backend>& job() const noexcept { return job_; }
    /// The hosts in use (node_count of them), in placement order.
    const std::vector<host>& hosts() const noexcept { return hosts_; }
    /// Every task, by rank; a host's tasks are consecutive.
    const std::vector<task>& tasks() const noexcept { return tasks_; }
    /// The number of tasks on each host, in hosts() order.
    const std::vector<int>& tasks_per_host() const noexcept { return tasks_per_host_; }

    /// The host a task runs on.
    const host& host_of(const task& t) const { return hosts_[t.host_index]; }

    /// A task's `host:port`.
    std::string address(const task& t) const {
        const auto& name = host_of(t).name;
        std::string out;
        out.reserve(name.size() + 6);
        out += name;
        out += ':';
        out += std::to_string(t.port);
        return out;
    }

    int count(task_type type) const {
        return static_cast<int>(
            std::count_if(tasks_.begin(), tasks_.end(), [type](const task& t) { return t.type == type; }));
    }

    /// The task of this type and index; throws trainspec::error.
    const task& find(task_type type, int index) const {
        for (const auto& t : tasks_)
            if (t.type == type && t.index == index) return t;
        detail::throw_no_such_task(type, index);
    }

    /// The addresses of one task type, by index.
    std::vector<std::string> addresses(task_type type) const {
        // A plan's indices of one type are 0..count-1.
        std::vector<std::string> out(static_cast<std::size_t>(count(type)));
        for (const auto& t : tasks_)
            if (t.type == type) out[static_cast<std::size_t>(t.index)] = address(t);
        return out;
    }

private:
    cluster(trainspec::job<Backend> j, std::vector<host> hosts, std::vector<task> tasks,
            std::vector<int> tasks_per_host)
        : job_(std::move(j)),
          hosts_(std::move(hosts)),
          tasks_(std::move(tasks)),
          tasks_per_host_(std::move(tasks_per_host)) {}
    friend cluster detail::make_cluster<Backend>(trainspec::job<Backend>, std::vector<host>, std::vector<task>,
                                                 std::vector<int>);

    trainspec::job<Backend> job_;
    std::vector<host> hosts_;
    std::vector<task> tasks_;
    std::vector<int> tasks_per_host_;
};

using any_cluster = std::variant<cluster<single_node>, cluster<mpi>, cluster<parameter_server>, cluster<multi_worker>>;

namespace detail {

template <class Backend>
cluster<Backend> make_cluster(job<Backend> j, std::vector<host> hosts, std::vector<task> tasks,
                              std::vector<int> tasks_per_host) {
    return cluster<Backend>(std::move(j), std::move(hosts), std::move(tasks), std::move(tasks_per_host));
}

/// The hosts a job uses and its tasks placed on them.
struct placement {
    std::vector<host> hosts;
    std::vector<task> tasks;
    std::vector<int> tasks_per_host;
};

/// Places the job's tasks (the rules above). Throws validation_error.
placement place_tasks(const job_spec& s, const plan_options& options);

}  // namespace detail

/// Plans a validated job. Throws validation_error naming the cause when the
/// hosts cannot hold it (too few hosts or slots, duplicates, ports out of
/// range, GPUs over-subscribed).
template <class Backend>
cluster<Backend> plan(const job<Backend>& j, const plan_options& options = {}) {
    auto placed = detail::place_tasks(j.spec(), options);
    return detail::make_cluster<Backend>(j, std::move(placed.hosts), std::move(placed.tasks),
                                         std::move(placed.tasks_per_host));
}

/// Plans a runtime job.
any_cluster plan(const any_job& j, const plan_options& options = {});

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <trainspec/detail/placement.hpp>
#endif
