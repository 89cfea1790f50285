#pragma once
// The rules of where a job runs and how many tasks it starts: the compute
// target, the counts of each backend, and the slots and GPUs they need.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <trainspec/detail/rule_context.hpp>
#include <trainspec/detail/rules.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/names.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline void check_required(spec_rule_context& rules) {
    if (rules.spec.source_directory.empty()) rules.add("source_directory", "", "is required");
    if (rules.spec.entry_script.empty()) rules.add("entry_script", "", "is required");
    if (!rules.spec.target && !rules.spec.vm_size && rules.all_known("compute_target", "vm_size"))
        rules.add("compute_target", "", "is required: Either compute target or VM size should be specified.");
}

inline void check_compute(spec_rule_context& rules) {
    if (rules.spec.target && rules.spec.vm_size)
        rules.add("vm_size", rules.q(*rules.spec.vm_size),
                  "give either compute_target or vm_size, not both (vm_size creates a target on the fly)");
    if (rules.spec.vm_size && !is_vm_size_name(*rules.spec.vm_size))
        rules.add("vm_size", rules.q(*rules.spec.vm_size),
                  "must be an Azure VM size name such as Standard_NC6 ([A-Za-z0-9_]+)");
    if (rules.spec.vm_priority) {
        if (*rules.spec.vm_priority != "dedicated" && *rules.spec.vm_priority != "lowpriority")
            rules.add("vm_priority", rules.q(*rules.spec.vm_priority), "must be \"dedicated\" or \"lowpriority\"");
        if (!rules.spec.vm_size && rules.known("vm_size"))
            rules.add("vm_priority", rules.q(*rules.spec.vm_priority), "applies only together with vm_size");
    }
    if (!rules.spec.target) return;
    const auto& t = *rules.spec.target;
    if (!is_compute_target_name(t.name))
        rules.add("compute_target.name", rules.q(t.name),
                  "must be a compute target name ([A-Za-z0-9] then [A-Za-z0-9._-]) or \"local\"");
    if (t.gpus_per_node && *t.gpus_per_node < 0)
        rules.add("compute_target.gpus_per_node", rules.n(*t.gpus_per_node), "must be at least 0");
    if (t.cpus_per_node && *t.cpus_per_node < 1)
        rules.add("compute_target.cpus_per_node", rules.n(*t.cpus_per_node), "must be at least 1");
    if (t.max_nodes && *t.max_nodes < 1)
        rules.add("compute_target.max_nodes", rules.n(*t.max_nodes), "must be at least 1");
    if (t.is_local() && !t.hosts.empty())
        rules.add("compute_target.hosts", "", "a \"local\" compute target is this machine; it takes no host list");
    const auto earlier = earlier_same(t.hosts, [](const host& h) { return std::string_view(h.name); });
    for (std::size_t i = 0; i < t.hosts.size(); ++i) {
        const auto& h = t.hosts[i];
        const auto path = fmt::format("compute_target.hosts[{}]", i);
        if (auto why = host_name_problem(h.name)) rules.add(path + ".name", rules.q(h.name), *why);
        if (auto why = host_slots_problem(h.slots)) rules.add(path + ".slots", rules.n(h.slots), *why);
        if (earlier[i] != std::string_view::npos)
            rules.add(path + ".name", rules.q(h.name), duplicate_host_rule(h.name));
    }
}

inline void check_counts(spec_rule_context& rules) {
    auto at_least = [&](const char* path, const std::optional<int>& v, int min, const char* azure_text) {
        if (v && *v < min)
            rules.add(path, rules.n(*v),
                      azure_text ? fmt::format("must be at least {}: {}", min, azure_text)
                                 : fmt::format("must be at least {}", min));
    };
    at_least("node_count", rules.spec.node_count, 1, "Node count should be at least 1.");
    at_least("process_count_per_node", rules.spec.process_count_per_node, 1,
             "Process count per node should be at least 1.");
    at_least("worker_count", rules.spec.worker_count, 1, nullptr);
    // 0 is accepted for multi_worker; with an unreadable backend, the lower bound of every backend.
    const bool ps_optional = rules.is(backend_kind::multi_worker) || !rules.known("distributed_backend");
    at_least("parameter_server_count", rules.spec.parameter_server_count, ps_optional ? 0 : 1, nullptr);
    for (auto [path, v] :
         {std::pair{"chief_count", &rules.spec.chief_count}, {"evaluator_count", &rules.spec.evaluator_count}})
        if (*v && (**v < 0 || **v > 1)) rules.add(path, rules.n(**v), "must be 0 or 1");
    if (rules.spec.max_run_duration_seconds && *rules.spec.max_run_duration_seconds < 1)
        rules.add("max_run_duration_seconds", rules.n(*rules.spec.max_run_duration_seconds), "must be at least 1");
}

inline void check_backend_fields(spec_rule_context& rules) {
    if (!rules.known("distributed_backend")) return;  // every rule here depends on the backend
    const bool ps = rules.is(backend_kind::parameter_server);
    const bool mw = rules.is(backend_kind::multi_worker);
    const bool single = rules.is(backend_kind::single_node);
    if (single && ((rules.spec.node_count && *rules.spec.node_count > 1) ||
                   (rules.spec.process_count_per_node && *rules.spec.process_count_per_node > 1)))
        rules.add("distributed_backend", "",
                  "'distributed_backend' must be specified when node_count > 1 or process_count_per_node > 1.");
    if (rules.spec.worker_count && !rules.applies(spec_key::worker_count))
        rules.add("worker_count", rules.n(*rules.spec.worker_count),
                  fmt::format("applies only with distributed_backend {} (backend is {})",
                              rules.tensorflow_cluster_backends(), rules.backend_text()));
    if (rules.spec.parameter_server_count && !rules.applies(spec_key::parameter_server_count) &&
        !(mw && *rules.spec.parameter_server_count == 0))
        rules.add("parameter_server_count", rules.n(*rules.spec.parameter_server_count),
                  mw ? std::string("a multi_worker job has no parameter servers (0 is accepted, as Azure ML "
                                   "documents for MultiWorkerMirroredStrategy)")
                     : fmt::format("applies only with distributed_backend {} (backend is {})",
                                   rules.name_of(backend_kind::parameter_server), rules.backend_text()));
    for (auto [key, v] : {std::pair{spec_key::chief_count, &rules.spec.chief_count},
                          {spec_key::evaluator_count, &rules.spec.evaluator_count}})
        if (*v && !rules.applies(key))
            rules.add(std::string(enum_name(key)), rules.n(**v),
                      fmt::format("applies only with distributed_backend {} (backend is {})",
                                  rules.name_of(backend_kind::parameter_server), rules.backend_text()));
    if (rules.spec.process_count_per_node && !rules.applies(spec_key::process_count_per_node) &&
        !(single && *rules.spec.process_count_per_node <= 1))
        rules.add("process_count_per_node", rules.n(*rules.spec.process_count_per_node),
                  fmt::format("applies only with distributed_backend {} (backend is {}); {} starts one process "
                              "per task",
                              rules.name_of(backend_kind::mpi), rules.backend_text(),
                              single ? "a single-node job" : "TensorFlow's cluster"));
    // Idle nodes are paid for and never used.
    if ((ps || mw) && rules.spec.node_count && rules.task_count_known()) {
        const auto tasks = effective_task_count(rules.spec);
        if (*rules.spec.node_count > tasks)
            rules.add("node_count", rules.n(*rules.spec.node_count),
                      fmt::format("exceeds the {} task(s) of this {} job; {} node(s) would stay idle", tasks,
                                  enum_name(effective_backend(rules.spec)), *rules.spec.node_count - tasks));
    }
}

inline const char* count_field(const spec_rule_context& rules) {
    switch (effective_backend(rules.spec)) {
        case backend_kind::mpi:
            return "process_count_per_node";
        case backend_kind::parameter_server:
        case backend_kind::multi_worker:
            return "worker_count";
        case backend_kind::single_node:
            break;
    }
    return "node_count";
}

/// The value of count_field(), as the user wrote it or defaulted.
inline int count_value(const spec_rule_context& rules) {
    switch (effective_backend(rules.spec)) {
        case backend_kind::mpi:
            return effective_process_count_per_node(rules.spec);
        case backend_kind::parameter_server:
        case backend_kind::multi_worker:
            return effective_worker_count(rules.spec);
        case backend_kind::single_node:
            break;
    }
    return effective_node_count(rules.spec);
}

inline void check_capacity(spec_rule_context& rules) {
    const int nodes = effective_node_count(rules.spec);
    const bool gpu = effective_use_gpu(rules.spec);
    const auto gpus = effective_gpus_per_node(rules.spec);
    if (gpu && gpus.count && *gpus.count == 0 && rules.known("use_gpu"))
        rules.add("use_gpu", "true", gpus.source + ": the nodes have no GPU");
    if (rules.spec.target) {
        const auto& t = *rules.spec.target;
        if (t.max_nodes && nodes > *t.max_nodes)
            rules.add("node_count", rules.n(nodes),
                      fmt::format("exceeds compute_target.max_nodes = {} of {}", *t.max_nodes, rules.q(t.name)));
        if (t.is_local() && nodes > 1)
            rules.add("node_count", rules.n(nodes), "a \"local\" compute target has exactly 1 node");
        if (!t.hosts.empty() && nodes > static_cast<int>(t.hosts.size()) && rules.known("compute_target.hosts"))
            rules.add("node_count", rules.n(nodes),
                      fmt::format("needs {} hosts; compute_target.hosts lists {}", nodes, t.hosts.size()));
    }
    // The rules below count tasks and slots: moot when a count, the GPU
    // switch or the host list could not be read.
    if (!rules.task_count_known() || !rules.known("use_gpu")) return;
    // Slots per node: one GPU per process on GPU jobs, else the CPUs.
    const auto tasks = effective_task_count(rules.spec);
    const auto slots = gpu ? gpus : effective_cpus_per_node(rules.spec);
    // Parameter servers take a CPU slot but no GPU.
    const auto slot_tasks = gpu ? tasks - effective_parameter_server_count(rules.spec) : tasks;
    if (slots.count && *slots.count > 0) {
        const int per_node = effective_process_count_per_node(rules.spec);
        if (rules.is(backend_kind::mpi) && per_node > *slots.count)
            rules.add("process_count_per_node", rules.n(per_node),
                      fmt::format("exceeds {}: each process needs its own {}", slots.source, gpu ? "GPU" : "CPU"));
        else if (rules.is(backend_kind::mpi) && gpu && per_node < *slots.count)
            rules.add("process_count_per_node", rules.n(per_node),
                      fmt::format("uses {} of the GPUs of {}: Horovod runs one process per GPU, so {} would stay "
                                  "idle on every node; set process_count_per_node to {}",
                                  per_node, slots.source, *slots.count - per_node, *slots.count));
        else if (slot_tasks > std::int64_t{nodes} * *slots.count)
            rules.add(count_field(rules), rules.n(count_value(rules)),
                      fmt::format("{} {}tasks do not fit {} node(s) of {}: {} slots", slot_tasks, gpu ? "GPU " : "",
                                  nodes, slots.source, std::int64_t{nodes} * *slots.count));
    }
    if (rules.spec.target && !rules.spec.target->hosts.empty() &&
        nodes <= static_cast<int>(rules.spec.target->hosts.size()) && rules.known("compute_target.hosts")) {
        std::int64_t host_slots = 0;
        for (int i = 0; i < nodes; ++i) host_slots += rules.spec.target->hosts[static_cast<std::size_t>(i)].slots;
        if (tasks > host_slots)
            rules.add(count_field(rules), rules.n(count_value(rules)),
                      fmt::format("{} tasks do not fit the {} slots of the first {} host(s) of compute_target.hosts",
                                  tasks, host_slots, nodes));
    }
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
