#pragma once
// What a run executes: the training step on every task, then the post steps
// (the ONNX export) on the one task that owns the trained model, and how
// that task finds out at run time. docs/launch.md has the whole model.
//
//   training_command(job)         one argv per step: {python train.py args...}, {python -m tf2onnx.convert ...}
//   training_shell_command(job)   the steps as one sh line joined by " && " (single-task runs)
//   task_command(steps, check)    the argv one task runs: the training argv, or sh -c with the guarded post steps

#include <string>
#include <vector>

#include <trainspec/detail/linkage.hpp>
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

/// True when some step runs only on the task that owns the model.
inline bool has_post_steps(const std::vector<launch_step>& steps) {
    return std::any_of(steps.begin(), steps.end(), [](const launch_step& s) { return s.model_owner_only; });
}

/// The steps one task runs as one sh line: the training argv alone when no
/// post step can apply to it, else `TRAIN && if OWNER; then exec POST; fi`,
/// so that a failed training skips the post steps and is the task's status.
std::string task_shell_line(const std::vector<launch_step>& steps, owner_check check);

/// The argv one task runs: the training argv, or `sh -c` with
/// task_shell_line() when post steps may apply to it.
std::vector<std::string> task_command(const std::vector<launch_step>& steps, owner_check check);

/// The steps of a run, one argv each: training, then the ONNX export if any.
template <class Backend>
std::vector<std::vector<std::string>> training_command(const job<Backend>& j);
std::vector<std::vector<std::string>> training_command(const any_job& j);

/// The steps as one POSIX sh line, each argv quoted, joined by " && ": what
/// the one task of a run that has no other tasks executes.
template <class Backend>
std::string training_shell_command(const job<Backend>& j);
std::string training_shell_command(const any_job& j);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <trainspec/detail/launch_steps.hpp>
#endif

#ifdef TRAINSPEC_COMPILED_LIB
#define TRAINSPEC_TRAINING_COMMAND(B)                                                              \
    TRAINSPEC_INSTANTIATE std::vector<std::vector<std::string>> training_command(const job<B>& j); \
    TRAINSPEC_INSTANTIATE std::string training_shell_command(const job<B>& j);
TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_FOR_EACH_BACKEND(TRAINSPEC_TRAINING_COMMAND)
TRAINSPEC_END_NAMESPACE
#undef TRAINSPEC_TRAINING_COMMAND
#endif
