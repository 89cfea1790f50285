#pragma once
// Placement: which hosts a plan uses and where each task runs on them, by the
// rules listed in plan.hpp (docs/plan.md). Linear in tasks and hosts.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include <trainspec/detail/linkage.hpp>
#include <trainspec/detail/rules.hpp>
#include <trainspec/error.hpp>
#include <trainspec/plan.hpp>
#include <trainspec/spec/backend.hpp>
#include <trainspec/spec/compute_target.hpp>
#include <trainspec/spec/hosts.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/names.hpp>
#include <trainspec/spec/task_type.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline void plan_problem(const std::string& path, const std::string& value, const std::string& rule) {
    throw validation_error({{path, value, rule}});
}

/// The hosts a plan uses, and where they came from (for messages).
inline std::vector<host> choose_hosts(const job_spec& s, const plan_options& options, std::int64_t tasks,
                                      std::string& source) {
    const int nodes = effective_node_count(s);
    std::vector<host> hosts;
    if (!options.hosts.empty()) {
        hosts = options.hosts;
        source = "hosts";
    } else if (s.target && !s.target->hosts.empty()) {
        hosts = s.target->hosts;
        source = "compute_target.hosts";
    } else {
        const std::int64_t per_node_count = (tasks + nodes - 1) / nodes;
        if (per_node_count > max_host_slots)
            plan_problem("node_count", std::to_string(nodes),
                         fmt::format("{} tasks on {} node(s) put {} on one node; a host has at most {} slots", tasks,
                                     nodes, per_node_count, max_host_slots));
        const int per_node = static_cast<int>(per_node_count);
        if (s.target && s.target->is_local()) return {{"localhost", per_node}};
        source = "generated hosts";
        return generate_hosts(effective_job_name(s) + "-node-{index}", nodes, per_node);
    }
    // Explicit hosts need not come from parse_host_list(): a name that is no
    // host name would reach hostfiles and command lines, and a host without
    // slots would skew the slot count.
    if (auto why = host_count_problem(hosts.size())) plan_problem(source, std::to_string(hosts.size()), *why);
    const auto earlier = earlier_same(hosts, [](const host& h) { return std::string_view(h.name); });
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        const auto& h = hosts[i];
        if (auto why = host_name_problem(h.name)) plan_problem(source, quote_json(h.name), *why);
        if (auto why = host_slots_problem(h.slots)) plan_problem(source, format_host_list({h}), *why);
        if (earlier[i] != std::string_view::npos) plan_problem(source, quote_json(h.name), duplicate_host_rule(h.name));
    }
    if (static_cast<int>(hosts.size()) < nodes)
        plan_problem(source, std::to_string(hosts.size()),
                     fmt::format("{} host(s) given; node_count is {}", hosts.size(), nodes));
    hosts.resize(static_cast<std::size_t>(nodes));
    return hosts;
}

inline bool computes_on_gpu(backend_kind backend, task_type type) {
    return backend == backend_kind::mpi || backend == backend_kind::single_node || type != task_type::ps;
}

/// GPUs per task (use_gpu). MPI ranks: one each, the one of their local
/// rank (Horovod's model; validate() makes process_count_per_node match a
/// known GPU count). TensorFlow tasks that compute: every one the same
/// number, gpus_per_node / the most such tasks on one host, and a host that
/// runs such tasks uses all its GPUs (one pod template per task type cannot
/// give two workers different counts); parameter servers none. Without a
/// known count, a lone task is not restricted and several get one each.
inline void assign_gpus(const job_spec& s, std::vector<task>& tasks, const std::vector<host>& hosts) {
    if (!effective_use_gpu(s)) return;
    const auto backend = effective_backend(s);
    const auto capacity = effective_gpus_per_node(s);
    // -1: not known (a plain int: g++ warns about optional<int> here at -O3).
    const int declared = capacity.count ? *capacity.count : -1;
    // Tasks are grouped by host: ranks count host by host.
    std::vector<std::vector<task*>> users(hosts.size());
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        auto& t = tasks[i];
        if (computes_on_gpu(backend, t.type))
            users[t.host_index].push_back(&t);
        else
            t.gpus = std::vector<int>{};
    }
    std::size_t most = 0;
    for (const auto& u : users) most = std::max(most, u.size());
    if (most == 0) return;
    if (backend == backend_kind::mpi || declared < 0) {
        for (auto& u : users) {
            if (u.size() == 1 && declared < 0) continue;  // a lone task may use every GPU there is
            for (std::size_t i = 0; i < u.size(); ++i) u[i]->gpus = std::vector<int>{static_cast<int>(i)};
        }
        return;
    }
    const int per_task = declared / static_cast<int>(most);
    const bool declared_by_target = s.target && s.target->gpus_per_node;
    const std::string path = declared_by_target ? "compute_target.gpus_per_node" : "vm_size";
    const std::string value = declared_by_target ? std::to_string(declared) : quote_json(s.vm_size.value_or(""));
    for (std::size_t i = 0; i < users.size(); ++i) {
        const auto& u = users[i];
        if (u.empty()) continue;  // parameter servers only: their node's GPUs idle by the layout (docs/plan.md)
        if (per_task < 1)
            plan_problem(path, value,
                         fmt::format("host {} runs {} GPU tasks but has {}: GPUs would be over-subscribed",
                                     quote_json(hosts[i].name), u.size(), capacity.source));
        const int used = per_task * static_cast<int>(u.size());
        if (used != declared)
            plan_problem(
                path, value,
                fmt::format("host {} runs {} GPU task(s) of {} GPU(s) each (the same for every task: "
                            "{} GPU tasks on the busiest host), leaving {} of the GPUs of {} idle; "
                            "give every host the same number of GPU tasks",
                            quote_json(hosts[i].name), u.size(), per_task, most, declared - used, capacity.source));
        for (std::size_t k = 0; k < u.size(); ++k) {
            std::vector<int> gpus;
            for (int g = 0; g < per_task; ++g) gpus.push_back(static_cast<int>(k) * per_task + g);
            u[k]->gpus = std::move(gpus);
        }
    }
}

/// The TensorFlow tasks in the order they are dealt to the hosts: chief,
/// workers, parameter servers, evaluator.
struct tensorflow_task_order {
    int chiefs, workers, parameter_servers, evaluators;

    explicit tensorflow_task_order(const job_spec& s)
        : chiefs(effective_chief_count(s)),
          workers(effective_worker_count(s)),
          parameter_servers(effective_parameter_server_count(s)),
          evaluators(effective_evaluator_count(s)) {}

    std::size_t size() const {
        return static_cast<std::size_t>(chiefs) + static_cast<std::size_t>(workers) +
               static_cast<std::size_t>(parameter_servers) + static_cast<std::size_t>(evaluators);
    }

    /// The type and index of the i-th task in this order.
    task operator[](std::size_t i) const {
        task t;
        int k = static_cast<int>(i);
        for (const auto& [type, count] :
             {std::pair{task_type::chief, chiefs}, std::pair{task_type::worker, workers},
              std::pair{task_type::ps, parameter_servers}, std::pair{task_type::evaluator, evaluators}}) {
            if (k < count) {
                t.type = type;
                t.index = k;
                break;
            }
            k -= count;
        }
        return t;
    }
};

/// The tasks placed on the hosts, grouped by host; tasks_per_host counts
/// them. Linear: MPI ranks fill the hosts in order, TensorFlow tasks are
/// dealt round-robin and then grouped by a counting sort.
inline std::vector<task> place(const job_spec& s, const std::vector<host>& hosts, const std::string& source,
                               const plan_options& options, std::vector<int>& tasks_per_host) {
    const auto backend = effective_backend(s);
    const bool ranks_only = backend == backend_kind::mpi || backend == backend_kind::single_node;
    std::vector<task> tasks;
    tasks_per_host.assign(hosts.size(), 0);
    if (ranks_only) {
        const int per_node = backend == backend_kind::mpi ? effective_process_count_per_node(s) : 1;
        for (std::size_t h = 0; h < hosts.size(); ++h) {
            if (hosts[h].slots < per_node)
                plan_problem(source, format_host_list({hosts[h]}),
                             fmt::format("host {} has {} slot(s); process_count_per_node is {}",
                                         quote_json(hosts[h].name), hosts[h].slots, per_node));
            tasks_per_host[h] = per_node;
        }
        tasks.resize(hosts.size() * static_cast<std::size_t>(per_node));
    } else {
        const tensorflow_task_order order(s);
        std::int64_t total_slots = 0;
        for (const auto& h : hosts) total_slots += h.slots;
        if (static_cast<std::int64_t>(order.size()) > total_slots)
            plan_problem(source, format_host_list(hosts),
                         fmt::format("{} tasks need {} slots; the {} host(s) have {}", order.size(), order.size(),
                                     hosts.size(), total_slots));
        std::vector<std::size_t> host_of(order.size());
        std::size_t next = 0;
        for (auto& h : host_of) {
            while (tasks_per_host[next] >= hosts[next].slots) next = (next + 1) % hosts.size();
            h = next;
            ++tasks_per_host[next];
            next = (next + 1) % hosts.size();
        }
        // Which task of the order each place of the grouped table holds: the
        // scatter goes into this small table, and the tasks are then
        // written in order (a scatter of whole tasks misses the cache and
        // the TLB once per task).
        std::vector<std::size_t> next_of_host(hosts.size(), 0);
        for (std::size_t h = 1; h < hosts.size(); ++h)
            next_of_host[h] = next_of_host[h - 1] + static_cast<std::size_t>(tasks_per_host[h - 1]);
        std::vector<std::size_t> order_at(order.size());
        for (std::size_t i = 0; i < order.size(); ++i) order_at[next_of_host[host_of[i]]++] = i;
        host_of = {};
        tasks.reserve(order.size());
        for (const auto i : order_at) tasks.push_back(order[i]);
    }
    const bool listens = backend == backend_kind::parameter_server || backend == backend_kind::multi_worker;
    const int port = options.port.value_or(effective_port(s));
    int rank = 0;
    std::size_t i = 0;
    for (std::size_t h = 0; h < hosts.size(); ++h) {
        for (int local = 0; local < tasks_per_host[h]; ++local, ++rank, ++i) {
            auto& t = tasks[i];
            t.host_index = h;
            t.rank = rank;
            t.local_rank = local;
            if (backend == backend_kind::mpi) t.index = rank;
            if (listens) {
                const std::int64_t p = std::int64_t{port} + (options.unique_ports ? rank : local);
                if (port < 1 || p > 65535)
                    plan_problem("port", std::to_string(port),
                                 fmt::format("task {}:{} on host {} would listen on port {}; ports are 1-65535",
                                             enum_name(t.type), t.index, quote_json(hosts[h].name), p));
                t.port = static_cast<int>(p);
            }
        }
    }
    assign_gpus(s, tasks, hosts);
    return tasks;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE

// The entry points of <trainspec/plan.hpp> (compiled once in compiled mode).
#if TRAINSPEC_DEFINITIONS
TRAINSPEC_BEGIN_NAMESPACE
namespace detail {
TRAINSPEC_INLINE placement place_tasks(const job_spec& s, const plan_options& options) {
    std::string source;
    auto hosts = choose_hosts(s, options, effective_task_count(s), source);
    std::vector<int> per_host;
    auto tasks = place(s, hosts, source, options, per_host);
    return {std::move(hosts), std::move(tasks), std::move(per_host)};
}

TRAINSPEC_INLINE void throw_no_such_task(task_type type, int index) {
    throw error({"task", fmt::format("{}:{}", enum_name(type), index), "no such task in this plan"});
}
}  // namespace detail

TRAINSPEC_INLINE any_cluster plan(const any_job& j, const plan_options& options) {
    return std::visit([&options](const auto& typed) -> any_cluster { return plan(typed, options); }, j);
}
TRAINSPEC_END_NAMESPACE
#endif
