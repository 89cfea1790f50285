#pragma once
// What a run executes: the training step on every task, then the post steps
// (the ONNX export) on the one task that owns the trained model, and how
// that task finds out at run time. docs/launch.md has the whole model.
//
//   training_command(job)         one argv per step: {python train.py args...}, {python -m tf2onnx.convert ...}
//   training_shell_command(job)   the steps as one sh line joined by " && " (single-task runs)
//   task_command(steps, check)    the argv one task runs: the training argv, or sh -c with the guarded post steps

#include <algorithm>
#include <string>
#include <variant>
#include <vector>

#include <trainspec/job.hpp>
#include <trainspec/render/shell_quote.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/script_params.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// The Python interpreter the steps start (on PATH in the image).
inline constexpr const char* training_python = "python";

/// One step of a run.
struct launch_step {
    std::vector<std::string> argv;
    bool model_owner_only = false;  ///< a post step: only the task that owns the model runs it, after training

    friend bool operator==(const launch_step& a, const launch_step& b) {
        return a.argv == b.argv && a.model_owner_only == b.model_owner_only;
    }
};

/// How a task learns, when it starts, whether it owns the trained model
/// (the chief, else worker 0; MPI rank 0; the one task of a single-node job).
enum class owner_check {
    owner,       ///< the engine starts this task on its own and knows it is the owner
    not_owner,   ///< the engine knows it is not
    mpi_rank,    ///< rank 0 by the launcher's variables (Horovod's order, then PMIx and Slurm)
    task_index,  ///< TRAINSPEC_TASK_INDEX is 0 (the engine sets it for tasks of the owner's type)
    tf_config,   ///< TF_CONFIG's task is the chief, or worker 0 of a cluster without one
};

/// The variable an engine sets for owner_check::task_index.
inline constexpr const char* task_index_variable = "TRAINSPEC_TASK_INDEX";

namespace detail {

inline std::vector<std::string> training_argv(const job_spec& s) {
    std::vector<std::string> argv{training_python};
    if (effective_backend(s) == backend_kind::mpi && s.mpi && s.mpi->command_prefix) argv = *s.mpi->command_prefix;
    argv.push_back(s.entry_script);
    for (auto& arg : to_argv(s.params)) argv.push_back(std::move(arg));
    return argv;
}

inline std::vector<launch_step> launch_steps(const job_spec& s) {
    std::vector<launch_step> steps{{training_argv(s), false}};
    if (effective_onnx_export(s))
        steps.push_back({{training_python, "-m", "tf2onnx.convert", "--saved-model", effective_onnx_saved_model(s),
                          "--output", effective_onnx_output(s), "--opset", std::to_string(effective_onnx_opset(s))},
                         true});
    return steps;
}

inline std::string join_steps(const std::vector<launch_step>& steps) {
    std::string line;
    for (const auto& step : steps) {
        if (!line.empty()) line += " && ";
        line += shell_join(step.argv);
    }
    return line;
}

/// The sh condition that is true on the task that owns the model.
inline std::string owner_condition(owner_check check) {
    switch (check) {
        case owner_check::owner:
            return "true";
        case owner_check::not_owner:
            return "false";
        case owner_check::mpi_rank:
            return "[ \"${HOROVOD_RANK:-${OMPI_COMM_WORLD_RANK:-${PMI_RANK:-${PMIX_RANK:-${SLURM_PROCID:-0}}}}}\" = 0 "
                   "]";
        case owner_check::task_index:
            return std::string("[ \"${") + task_index_variable + ":-}\" = 0 ]";
        case owner_check::tf_config:
            break;
    }
    return shell_join({training_python, "-c",
                       "import json, os, sys; c = json.loads(os.environ.get(\"TF_CONFIG\") or \"{}\"); "
                       "t = c.get(\"task\", {}); "
                       "sys.exit(0 if t.get(\"type\") == \"chief\" or (t.get(\"type\") == \"worker\" and "
                       "int(t.get(\"index\", 0)) == 0 and \"chief\" not in c.get(\"cluster\", {})) else 1)"});
}

/// The sh condition that is true when TF_CONFIG's task is of `type`.
inline std::string tf_config_task_is(std::string_view type) {
    return "[ \"$(" +
           shell_join({training_python, "-c",
                       "import json, os; print(json.loads(os.environ.get(\"TF_CONFIG\") or \"{}\")"
                       ".get(\"task\", {}).get(\"type\", \"\"))"}) +
           ")\" = " + shell_quote(type) + " ]";
}

}  // namespace detail

/// True when some step runs only on the task that owns the model.
inline bool has_post_steps(const std::vector<launch_step>& steps) {
    return std::any_of(steps.begin(), steps.end(), [](const launch_step& s) { return s.model_owner_only; });
}

/// The steps one task runs as one sh line: the training argv alone when no
/// post step can apply to it, else `TRAIN && if OWNER; then exec POST; fi`,
/// so that a failed training skips the post steps and is the task's status.
inline std::string task_shell_line(const std::vector<launch_step>& steps, owner_check check) {
    std::string post;
    std::size_t count = 0;
    for (const auto& step : steps)
        if (step.model_owner_only) ++count;
    if (count == 0 || check == owner_check::not_owner) return shell_join(steps.front().argv);
    for (const auto& step : steps) {
        if (!step.model_owner_only) continue;
        if (!post.empty()) post += " && ";
        post += (--count == 0 ? "exec " : "") + shell_join(step.argv);
    }
    const std::string train = shell_join(steps.front().argv) + " && ";
    if (check == owner_check::owner) return train + post;
    return train + "if " + detail::owner_condition(check) + "; then " + post + "; fi";
}

/// The argv one task runs: the training argv, or `sh -c` with
/// task_shell_line() when post steps may apply to it.
inline std::vector<std::string> task_command(const std::vector<launch_step>& steps, owner_check check) {
    if (!has_post_steps(steps) || check == owner_check::not_owner) return steps.front().argv;
    return {"sh", "-c", task_shell_line(steps, check)};
}

/// The steps of a run, one argv each: training, then the ONNX export if any.
template <class Backend>
std::vector<std::vector<std::string>> training_command(const job<Backend>& j) {
    std::vector<std::vector<std::string>> out;
    for (auto& step : detail::launch_steps(j.spec())) out.push_back(std::move(step.argv));
    return out;
}
inline std::vector<std::vector<std::string>> training_command(const any_job& j) {
    return std::visit([](const auto& typed) { return training_command(typed); }, j);
}

/// The steps as one POSIX sh line, each argv quoted, joined by " && ": what
/// the one task of a run that has no other tasks executes.
template <class Backend>
std::string training_shell_command(const job<Backend>& j) {
    return detail::join_steps(detail::launch_steps(j.spec()));
}
inline std::string training_shell_command(const any_job& j) {
    return detail::join_steps(detail::launch_steps(spec_of(j)));
}

TRAINSPEC_END_NAMESPACE
