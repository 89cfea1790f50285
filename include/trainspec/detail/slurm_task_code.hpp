#pragma once
// The sh code each Slurm task runs: the job's variables, the success
// task's end stopping the others, and the srun step that runs it all.

#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include <trainspec/detail/launcher_settings.hpp>
#include <trainspec/detail/slurm_runtime.hpp>
#include <trainspec/launch.hpp>
#include <trainspec/plan.hpp>
#include <trainspec/render/shell_quote.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// The prefix of every task: the job's variables, set in the task only, so
/// that they never change how scontrol, srun or mpirun run. The task-only
/// ones are left to the program's own words (task_variable_words()): the
/// task's shell still runs scancel and the runtime's prefix.
inline std::string export_lines(const std::vector<environment_variable>& vars) {
    std::string out;
    for (const auto& v : shared_variables(vars)) out += "export " + shell_assignment(v.name, v.value) + "\n";
    return out;
}

/// Runs the task. The end of the success task stops the others: it sends
/// the step SIGUSR1, which each task's shell traps (set first thing, see
/// stop_trap_code) and answers by stopping its program with SIGTERM and
/// exiting 0. A program that SIGUSR1 itself ended (its default action) was
/// stopped the same way, whatever the order in which the signals arrived.
inline std::string success_run_code(const task_id& success, const std::string& post_line) {
    std::string code = "set +e\n";
    code += fmt::format("if [ \"$trainspec_type:$trainspec_index\" = {}:{} ]; then\n", enum_name(success.type),
                        success.index);
    code += "    \"$@\"\n";
    code += "    trainspec_status=$?\n";
    if (!post_line.empty())
        code += "    if [ \"$trainspec_status\" -eq 0 ]; then\n        " + post_line +
                "\n        trainspec_status=$?\n    fi\n";
    code += "    trap '' USR1\n";
    code += "    scancel --quiet --signal=USR1 \"${SLURM_JOB_ID:?}.${SLURM_STEP_ID:?}\"\n";
    code += "    exit \"$trainspec_status\"\n";
    code += "fi\n";
    code += "\"$@\" &\n";
    code += "trainspec_pid=$!\n";
    code += "while :; do\n";
    code += "    wait \"$trainspec_pid\"\n";
    code += "    trainspec_status=$?\n";
    code += "    kill -0 \"$trainspec_pid\" 2>/dev/null || break\n";
    code += "done\n";
    code +=
        "if [ -n \"${trainspec_stopped:-}\" ] || [ \"$(kill -l \"$trainspec_status\" 2>/dev/null)\" = USR1 ]; then\n";
    code += "    exit 0\n";
    code += "fi\n";
    code += "exit \"$trainspec_status\"\n";
    return code;
}

/// The first line of a task that may be stopped: SIGUSR1 stops its program,
/// if started, else ends the task with success at once. Slurm signals every
/// process of the step, so a stop during the task's preparation also kills
/// the command it is waiting for; without the exit, `set -e` would end the
/// task with that command's status 138.
inline constexpr std::string_view stop_trap_code =
    "trap 'trainspec_stopped=1; if [ -n \"${trainspec_pid:-}\" ]; then kill -TERM \"$trainspec_pid\" 2>/dev/null; "
    "else exit 0; fi' USR1\n";

/// The post steps as one sh line (empty when there are none).
inline std::string post_line(const std::vector<launch_step>& steps, const std::vector<std::string>& prefix) {
    std::string line;
    for (const auto& step : steps)
        if (step.model_owner_only) {
            auto words = prefix;
            words.insert(words.end(), step.argv.begin(), step.argv.end());
            line += (line.empty() ? "" : " && ") + slurm_words(words);
        }
    return line;
}

/// A here-document delimiter that is no line of `text`: TRAINSPEC_TASK, else
/// TRAINSPEC_TASK_1, _2, ... (the job's values are in the text).
inline std::string heredoc_delimiter(const std::string& text) {
    std::string delimiter = "TRAINSPEC_TASK";
    for (int n = 1;; ++n) {
        bool used = false;
        for (std::size_t start = 0; start <= text.size() && !used;) {
            auto end = text.find('\n', start);
            if (end == std::string::npos) end = text.size();
            used = text.compare(start, end - start, delimiter) == 0;
            start = end + 1;
        }
        if (!used) return delimiter;
        delimiter = "TRAINSPEC_TASK_" + std::to_string(n);
    }
}

/// The task code, kept in a variable, and the step that runs it on every task.
inline std::string task_step(const std::vector<std::string>& step_words, const std::string& task_code,
                             const std::vector<std::string>& argv) {
    const auto delimiter = heredoc_delimiter(task_code);
    const auto line = slurm_words(step_words) + " /bin/sh -c \"$trainspec_task\" trainspec-task " + slurm_words(argv);
    return "trainspec_task=$(cat <<'" + delimiter + "'\n" + task_code + delimiter + "\n)\n" + "exec " + line + "\n";
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
