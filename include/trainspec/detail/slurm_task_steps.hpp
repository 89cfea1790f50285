#pragma once
// The step of a Slurm script that starts the tasks, per backend: ps and
// multi_worker tasks build their TF_CONFIG from the allocated hosts, MPI
// ranks start through srun or mpirun, a single-node job runs one task.

#include <string>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/detail/launcher_settings.hpp>
#include <trainspec/detail/slurm_option_checks.hpp>
#include <trainspec/detail/slurm_runtime.hpp>
#include <trainspec/detail/slurm_task_code.hpp>
#include <trainspec/detail/slurm_task_table.hpp>
#include <trainspec/launch.hpp>
#include <trainspec/plan.hpp>
#include <trainspec/render/mpi.hpp>
#include <trainspec/render/shell_quote.hpp>
#include <trainspec/render/slurm_options.hpp>
#include <trainspec/render/tf_config.hpp>
#include <trainspec/render/training_command.hpp>
#include <trainspec/spec/backend.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/mpi_flavor.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// What every task step of a script shares.
struct slurm_task_context {
    launch_model launch;
    slurm_runtime runtime;
    std::vector<launch_step> steps;       ///< with the command option applied
    std::vector<std::string> step_words;  ///< `srun` and its options
    /// The words before every program of a task: the runtime's prefix,
    /// then the task-only variables, set for the program alone
    /// (docs/security.md).
    std::vector<std::string> task_prefix() const {
        auto words = runtime.prefix;
        const auto variables = task_variable_words(launch.environment);
        words.insert(words.end(), variables.begin(), variables.end());
        return words;
    }
    std::vector<std::string> with_prefix(std::vector<std::string> argv) const {
        const auto words = task_prefix();
        argv.insert(argv.begin(), words.begin(), words.end());
        return argv;
    }
};

/// ps and multi_worker: each task finds its row of the task table and
/// builds its TF_CONFIG from the allocated hosts (docs/slurm.md).
template <class Backend>
std::string tf_cluster_task_steps(const cluster<Backend>& c, const slurm_options& o, const slurm_task_context& t) {
    const auto& m = t.launch;
    const auto& runtime = t.runtime;
    const auto& steps = t.steps;
    const auto& hosts = c.hosts();
    const auto& tasks = c.tasks();
    const int nodes = static_cast<int>(hosts.size());
    std::string task_code = "set -eu\n";
    std::string out;
    const tf_config_writer writer(c, o.tf_config);
    if (writer.profile() == tf_profile::kubeflow)
        slurm_problem("tf_config.profile", quote_json(enum_name(writer.profile())),
                      "the kubeflow profile writes Kubernetes Service names; Slurm tasks reach each "
                      "other at the hosts Slurm allocates");
    const auto table = task_table(tasks);
    if (table.size() > max_slurm_task_table)
        slurm_problem("node_count", std::to_string(nodes),
                      fmt::format("the task table of {} tasks has {} bytes; a Slurm task receives at "
                                  "most {} in one variable (Linux's MAX_ARG_STRLEN is 128 KiB)",
                                  tasks.size(), table.size(), max_slurm_task_table));
    out += "\n# The allocated hosts, in node order.\n";
    out += "TRAINSPEC_HOSTS=$(scontrol show hostnames \"$SLURM_JOB_NODELIST\" | tr '\\n' ' ')\n";
    out += "for trainspec_host in $TRAINSPEC_HOSTS; do\n";
    out += "    case $trainspec_host in\n";
    out += "        *[!A-Za-z0-9._-]*)\n";
    out += "            echo \"trainspec: unexpected host name '$trainspec_host'\" >&2\n";
    out += "            exit 1\n";
    out += "            ;;\n";
    out += "    esac\n";
    out += "done\n";
    out += "set -- $TRAINSPEC_HOSTS\n";
    out += fmt::format("if [ \"$#\" -ne {} ]; then\n", nodes);
    out += fmt::format("    echo \"trainspec: the plan needs {} node(s), Slurm allocated $#\" >&2\n", nodes);
    out += "    exit 1\n";
    out += "fi\n";
    out += "# The plan's tasks: node, local id, type, index, port, GPUs (positions; - all, none hidden).\n";
    out += "TRAINSPEC_TASKS=" + shell_quote(table) + "\n";
    out += "TRAINSPEC_TF_KEYS=" + shell_quote(tf_config_keys(c, writer)) + "\n";
    out += "TRAINSPEC_TF_OWN_KEY=" + shell_quote(std::string(writer.job_key(task_type::evaluator))) + "\n";
    out += "TRAINSPEC_TF_TAIL=" + shell_quote(writer.tail()) + "\n";
    out += "export TRAINSPEC_HOSTS TRAINSPEC_TASKS TRAINSPEC_TF_KEYS TRAINSPEC_TF_OWN_KEY TRAINSPEC_TF_TAIL\n";

    task_code += std::string(stop_trap_code);
    task_code +=
        "trainspec_row=$(printf '%s' \"$TRAINSPEC_TASKS\" | awk -v me=\"${SLURM_NODEID:?}:${SLURM_LOCALID:?}\" "
        "'$1 \":\" $2 == me { print $3, $4, $6; exit }')\n";
    task_code += "[ -n \"$trainspec_row\" ] || exit 0  # a slot the plan leaves free\n";
    task_code +=
        "read -r trainspec_type trainspec_index trainspec_gpus <<TRAINSPEC_ROW\n$trainspec_row\nTRAINSPEC_ROW\n";
    task_code += std::string(slurm_tf_config_code);
    task_code += std::string(slurm_gpu_code);
    task_code += "unset TRAINSPEC_HOSTS TRAINSPEC_TASKS TRAINSPEC_TF_KEYS TRAINSPEC_TF_OWN_KEY TRAINSPEC_TF_TAIL\n";
    task_code += runtime.activation + export_lines(m.environment);
    task_code += success_run_code(*m.success_task, post_line(steps, t.task_prefix()));
    out += "\n# Each task finds its row by (SLURM_NODEID, SLURM_LOCALID).\n";
    out += task_step(t.step_words, task_code, t.with_prefix(steps.front().argv));
    return out;
}

/// mpi: `srun --mpi=PLUGIN` starts the ranks, or mpirun inside the
/// allocation.
inline std::string mpi_task_steps(const cluster<mpi>& c, const slurm_options& o, const slurm_task_context& t) {
    const auto& s = c.job().spec();
    const auto& m = t.launch;
    const auto& runtime = t.runtime;
    auto step_words = t.step_words;
    std::string task_code = "set -eu\n";
    std::string out;
    const auto command = task_command(t.steps, owner_check::mpi_rank);
    if (o.launcher == "srun") {
        const auto argv = t.with_prefix(command);
        task_code += runtime.activation + export_lines(m.environment) + "exec \"$@\"\n";
        step_words.push_back("--mpi=" + o.srun_mpi.value_or(std::string(default_srun_mpi(effective_mpi_flavor(s)))));
        out += "\n" + task_step(step_words, task_code, argv);
    } else {
        auto launch = mpi_launch_options_from(s);
        launch.hosts_from_allocation = true;
        auto layout = launch_layout(c);
        // mpirun sets the job's variables for the ranks itself.
        layout.script_argv = command;
        layout.script_argv.insert(layout.script_argv.begin(), runtime.prefix.begin(), runtime.prefix.end());
        launch.command_prefix.clear();
        const auto launcher = mpirun_command(layout, launch);
        // The batch shell has checked the environment above: mpirun starts in it.
        out += "\n" + runtime.activate;
        for (const auto& v : launcher.launcher_environment)
            out += shell_assignment(v.name, v.value) + "; export " + v.name + "\n";
        out += "exec " + slurm_words(launcher.launcher_argv()) + "\n";
    }
    return out;
}

/// single_node: the one task.
template <class Backend>
std::string single_task_step(const cluster<Backend>& c, const slurm_task_context& t) {
    const auto& m = t.launch;
    const auto& runtime = t.runtime;
    std::string task_code = "set -eu\n";
    std::string out;
    task_code += "trainspec_gpus=" + shell_quote(gpu_field(c.tasks().front().gpus)) + "\n";
    task_code += std::string(slurm_gpu_code);
    task_code += runtime.activation + export_lines(m.environment) + "exec \"$@\"\n";
    out += "\n" + task_step(t.step_words, task_code, t.with_prefix(task_command(t.steps, owner_check::owner)));
    return out;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
