#pragma once
// The batch script as a whole: the request Slurm reads, then the step that
// starts the tasks (docs/slurm.md).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include <trainspec/detail/slurm_array.hpp>
#include <trainspec/detail/slurm_option_checks.hpp>
#include <trainspec/detail/slurm_runtime.hpp>
#include <trainspec/detail/slurm_task_steps.hpp>
#include <trainspec/detail/slurm_task_table.hpp>
#include <trainspec/launch.hpp>
#include <trainspec/plan.hpp>
#include <trainspec/render/shell_quote.hpp>
#include <trainspec/render/slurm_options.hpp>
#include <trainspec/render/tf_config.hpp>
#include <trainspec/spec/backend.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/resource_names.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline std::string slurm_time(std::int64_t minutes) {
    const std::int64_t days = minutes / (24 * 60);
    const std::int64_t hours = minutes / 60 % 24;
    return fmt::format("{}-{:02}:{:02}:00", days, hours, minutes % 60);
}

template <class Backend>
std::optional<cluster<Backend>> slurm_replan(const cluster<Backend>& c, const slurm_options& o) {
    if (!o.port && !o.unique_ports) return std::nullopt;
    plan_options p;
    p.hosts = c.hosts();
    p.port = o.port;
    p.unique_ports = o.unique_ports;
    if (!o.port && c.job().spec().port) p.port = c.job().spec().port;
    return plan(c.job(), p);
}

/// `--opt=value` words common to the batch request and the step.
inline std::vector<std::string> resource_words(int nodes, int tasks, int per_node, std::optional<int> cpus, int gpus,
                                               bool gres) {
    std::vector<std::string> words{fmt::format("--nodes={}", nodes), fmt::format("--ntasks={}", tasks),
                                   fmt::format("--ntasks-per-node={}", per_node)};
    if (cpus) words.push_back(fmt::format("--cpus-per-task={}", *cpus));
    if (gpus > 0) words.push_back(gres ? fmt::format("--gres=gpu:{}", gpus) : fmt::format("--gpus-per-node={}", gpus));
    return words;
}

/// The batch request: the #SBATCH lines, a summary, the source directory
/// and the environment check.
inline std::string sbatch_header(const job_spec& s, const slurm_options& o, const launch_model& m,
                                 const std::vector<std::string>& resources, const std::vector<int>& per_node,
                                 std::size_t task_count, const slurm_runtime& runtime,
                                 const slurm_array* array = nullptr) {
    const auto name = effective_job_name(s);
    const std::string output = o.output.value_or(name + (array ? "-%A_%a.out" : "-%j.out"));
    const auto nodes = per_node.size();
    const int most = per_node.empty() ? 1 : *std::max_element(per_node.begin(), per_node.end());
    const bool uniform = std::all_of(per_node.begin(), per_node.end(), [most](int n) { return n == most; });

    std::optional<std::int64_t> minutes;
    if (o.time_limit_minutes)
        minutes = *o.time_limit_minutes;
    else if (s.max_run_duration_seconds && *s.max_run_duration_seconds > 0)
        minutes = (*s.max_run_duration_seconds + 59) / 60;

    std::string out = "#!/bin/sh\n";
    out += "#SBATCH --job-name=" + name + "\n";
    if (array)
        out += fmt::format("#SBATCH --array=0-{}{}\n", array->trials - 1,
                           array->concurrent < array->trials ? fmt::format("%{}", array->concurrent) : "");
    for (const auto& word : resources) out += "#SBATCH " + word + "\n";
    if (o.memory) out += "#SBATCH --mem=" + *o.memory + "\n";
    if (minutes) out += "#SBATCH --time=" + slurm_time(*minutes) + "\n";
    if (o.partition) out += "#SBATCH --partition=" + *o.partition + "\n";
    if (o.account) out += "#SBATCH --account=" + *o.account + "\n";
    if (o.qos) out += "#SBATCH --qos=" + *o.qos + "\n";
    if (o.exclusive) out += "#SBATCH --exclusive\n";
    if (o.working_directory) out += "#SBATCH --chdir=" + *o.working_directory + "\n";
    out += "#SBATCH --output=" + output + "\n";
    out += fmt::format("# trainspec: {} job {}, {} task(s) on {} node(s)", backend_label(effective_backend(s)), name,
                       task_count, nodes);
    if (!uniform) {
        out += "; per node:";
        for (int n : per_node) out += fmt::format(" {}", n);
        out += " (free slots exit at once)";
    }
    out += "\nset -eu\n";
    const auto source = o.source_directory.value_or(m.source_directory);
    out += "cd -- " + shell_quote(source.empty() ? "." : source) + "\n";
    // A missing environment stops the job here, with its status, before
    // any task: in the tasks, srun would kill the others and report theirs.
    // The batch shell does not activate it: srun and scontrol run as they are.
    out += runtime.check;
    if (array) out += array->table;
    return out;
}

template <class Backend>
std::string render_sbatch_steps(const cluster<Backend>& planned, const slurm_options& o, const slurm_array* array);

/// The script of a planned job (sbatch_script()); a sweep's is a job array
/// whose tasks run the job of the trial template, each with its trial.
template <class Backend>
std::string render_sbatch(const cluster<Backend>& planned, const slurm_options& o) {
    const auto& s = planned.job().spec();
    if (!s.sweep) return render_sbatch_steps(planned, o, nullptr);
    const auto array = slurm_array_of(s);
    plan_options p;
    p.hosts = planned.hosts();
    p.port = s.port;
    // The markers are ours: the template is the validated job with other values.
    const auto trial = plan(make_validated<Backend>(slurm_trial_template(s)), p);
    return render_sbatch_steps(trial, o, &array);
}

template <class Backend>
std::string render_sbatch_steps(const cluster<Backend>& planned, const slurm_options& o, const slurm_array* array) {
    const auto replanned = slurm_replan(planned, o);
    const auto& c = replanned ? *replanned : planned;
    const auto& s = c.job().spec();
    check_options(s, o);
    slurm_task_context t{describe_launch(c), slurm_runtime_for(s, o), {}, {"srun"}};
    t.steps = steps_with_command(t.launch, o.command);

    const auto& hosts = c.hosts();
    const auto& tasks = c.tasks();
    const auto& per_node = c.tasks_per_host();
    const int nodes = static_cast<int>(hosts.size());
    const int most = per_node.empty() ? 1 : *std::max_element(per_node.begin(), per_node.end());
    const auto cpus = o.cpus_per_task ? o.cpus_per_task : t.launch.cpus_per_task;
    const auto resources =
        resource_words(nodes, nodes * most, most, cpus, gpus_per_node(s, tasks, hosts.size()), o.gres);

    std::string out = sbatch_header(s, o, t.launch, resources, per_node, tasks.size(), t.runtime, array);
    t.step_words.insert(t.step_words.end(), resources.begin(), resources.end());
    t.step_words.push_back("--kill-on-bad-exit=1");
    t.step_words.insert(t.step_words.end(), t.runtime.srun_options.begin(), t.runtime.srun_options.end());
    if constexpr (has_tf_config_v<Backend>)
        out += tf_cluster_task_steps(c, o, t);
    else if constexpr (std::is_same_v<Backend, mpi>)
        out += mpi_task_steps(c, o, t);
    else
        out += single_task_step(c, t);
    return out;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
