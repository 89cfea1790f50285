#pragma once
// The launch model: one engine-independent description of how a planned job
// runs, which every engine renderer (TFJob, MPIJob, Slurm, docker run,
// Azure ML, mpirun) writes in its own syntax without adding meaning of its
// own. docs/launch.md describes each part and how every engine expresses it.
//
//   launch_model m = describe_launch(cluster);

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <trainspec/detail/linkage.hpp>
#include <trainspec/plan.hpp>
#include <trainspec/render/training_command.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// Where a container runs the steps: the source directory is there (copied
/// into the job's image, or mounted).
inline constexpr const char* container_workdir = "/workspace";

/// `source` mounted at container_workdir: read-only unless the job writes
/// into it (writable_source_directory); see docs/security.md.
inline std::string source_mount(const std::string& source, const job_spec& s) {
    return source + ":" + container_workdir + (effective_writable_source_directory(s) ? "" : ":ro");
}

/// A task of the plan by type and index (MPI ranks are worker:<rank>).
struct task_id {
    task_type type = task_type::worker;
    int index = 0;

    friend bool operator==(const task_id& a, const task_id& b) { return a.type == b.type && a.index == b.index; }
    friend bool operator!=(const task_id& a, const task_id& b) { return !(a == b); }
};

/// The tasks of one type and what each of them is given.
struct launch_role {
    task_type type = task_type::worker;
    int count = 0;
    /// GPUs the engine gives each task: the plan's (1 for a task it leaves
    /// unrestricted), 0 without use_gpu or for a task that computes on none.
    int gpus_per_task = 0;
    /// A task of a GPU job that must see no GPU (a parameter server):
    /// CUDA_VISIBLE_DEVICES is set empty.
    bool gpus_hidden = false;
    /// Index 0 of this type owns the model and runs the post steps.
    bool has_model_owner = false;
};

struct launch_model {
    backend_kind backend = backend_kind::single_node;
    std::vector<launch_step> steps;                     ///< training, then post steps (model owner only)
    std::vector<environment_variable> environment;      ///< the job's variables, on every task
    std::string source_directory;                       ///< where the steps run on a host (relative: the submit dir's)
    std::string working_directory = container_workdir;  ///< where they run in a container
    std::vector<launch_role> roles;                     ///< in the order chief, worker, ps, evaluator
    task_id model_owner;                                ///< runs the post steps
    /// The task whose end ends the job (the chief, else worker 0), the others
    /// being stopped then (parameter servers never exit on their own);
    /// nullopt: the job ends when every task has ended (MPI, single node).
    std::optional<task_id> success_task;
    std::optional<int> cpus_per_task;  ///< the node's CPUs shared by its busiest host's tasks, when known
    std::string shm_size;              ///< container shared memory, Docker syntax
    std::optional<int> port;           ///< TensorFlow servers' first port
    bool use_gpu = false;
};

/// The owner of the trained model: the chief, else worker 0 (rank 0).
inline task_id model_owner_of(const job_spec& s) {
    return {effective_chief_count(s) > 0 ? task_type::chief : task_type::worker, 0};
}

namespace detail {

/// The GPUs an engine gives one task: the plan's, 1 for an unrestricted one.
inline int granted_gpus(const job_spec& s, const task& t) {
    if (!effective_use_gpu(s)) return 0;
    return t.gpus ? static_cast<int>(t.gpus->size()) : 1;
}

/// The node's CPUs shared by the tasks of the busiest host (tasks come host
/// by host in a plan), when the CPU count is known.
inline std::optional<int> cpus_per_task(const job_spec& s, const std::vector<task>& tasks) {
    const auto cpus = effective_cpus_per_node(s);
    if (!cpus.count || tasks.empty()) return std::nullopt;
    int most = 0;
    int run = 0;
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        run = i > 0 && tasks[i].host_index == tasks[i - 1].host_index ? run + 1 : 1;
        most = std::max(most, run);
    }
    return std::max(1, *cpus.count / most);
}

}  // namespace detail

/// The launch model of a planned job.
template <class Backend>
launch_model describe_launch(const cluster<Backend>& c);

namespace detail {

/// The launch steps with the training step's argv replaced by `command`
/// (an engine's command option) unless it is empty; the post steps stay.
inline std::vector<launch_step> steps_with_command(const launch_model& m, const std::vector<std::string>& command) {
    auto steps = m.steps;
    if (!command.empty()) steps.front().argv = command;
    return steps;
}

}  // namespace detail

/// The role of a task type, or nullptr when the job has none.
inline const launch_role* find_role(const launch_model& m, task_type type) {
    for (const auto& r : m.roles)
        if (r.type == type) return &r;
    return nullptr;
}

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <trainspec/detail/launch_steps.hpp>

TRAINSPEC_BEGIN_NAMESPACE
template <class Backend>
launch_model describe_launch(const cluster<Backend>& c) {
    const auto& s = c.job().spec();
    launch_model m;
    m.backend = Backend::kind;
    m.steps = detail::launch_steps(s);
    m.environment = s.environment_variables;
    m.source_directory = s.source_directory;
    m.model_owner = model_owner_of(s);
    if (m.backend == backend_kind::parameter_server || m.backend == backend_kind::multi_worker) {
        m.success_task = m.model_owner;
        m.port = c.tasks().empty() ? effective_port(s) : c.find(m.model_owner.type, 0).port;
    }
    m.cpus_per_task = detail::cpus_per_task(s, c.tasks());
    m.shm_size = effective_shm_size(s);
    m.use_gpu = effective_use_gpu(s);
    for (auto type : {task_type::chief, task_type::worker, task_type::ps, task_type::evaluator}) {
        launch_role role;
        role.type = type;
        for (const auto& t : c.tasks()) {
            if (t.type != type) continue;
            ++role.count;
            role.gpus_per_task = std::max(role.gpus_per_task, detail::granted_gpus(s, t));
        }
        if (role.count == 0) continue;
        role.gpus_hidden = m.use_gpu && role.gpus_per_task == 0;
        role.has_model_owner = type == m.model_owner.type;
        m.roles.push_back(role);
    }
    return m;
}
TRAINSPEC_END_NAMESPACE
#endif

#ifdef TRAINSPEC_COMPILED_LIB
#define TRAINSPEC_DESCRIBE_LAUNCH(B) TRAINSPEC_INSTANTIATE launch_model describe_launch(const cluster<B>& c);
TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_FOR_EACH_BACKEND(TRAINSPEC_DESCRIBE_LAUNCH)
TRAINSPEC_END_NAMESPACE
#undef TRAINSPEC_DESCRIBE_LAUNCH
#endif
