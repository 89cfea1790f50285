#pragma once
// What a run executes: the training script, then the optional ONNX export.
//
//   std::vector<std::vector<std::string>> training_command(const job<B>& job);
//   std::vector<std::vector<std::string>> training_command(const any_job& job);
//   std::string training_shell_command(const job<B>& job);
//   std::string training_shell_command(const any_job& job);
//
// training_command() gives one argv per step:
//
//   {"python", entry_script, script_params...}
//   {"python", "-m", "tf2onnx.convert", "--saved-model", S, "--output", O, "--opset", N}   (onnx_export)
//
// training_shell_command() quotes each step with shell_join() and joins the
// steps with " && ", so the export runs only after a successful training.
// This line is what the container, the Slurm script and the manifests run.
// For an mpi job it is the per-rank command (the launcher wraps it).

#include <string>
#include <variant>
#include <vector>

#include <trainspec/job.hpp>
#include <trainspec/job_spec.hpp>
#include <trainspec/script_params.hpp>
#include <trainspec/shell_quote.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// The Python interpreter the steps start (on PATH in the image).
inline constexpr const char* training_python = "python";

namespace detail {
inline std::vector<std::vector<std::string>> training_steps(const job_spec& s) {
    std::vector<std::vector<std::string>> steps;
    std::vector<std::string> train{training_python, s.entry_script};
    for (auto& arg : to_argv(s.params)) train.push_back(std::move(arg));
    steps.push_back(std::move(train));
    if (effective_onnx_export(s))
        steps.push_back({training_python, "-m", "tf2onnx.convert", "--saved-model", effective_onnx_saved_model(s),
                         "--output", effective_onnx_output(s), "--opset", std::to_string(effective_onnx_opset(s))});
    return steps;
}

inline std::string join_steps(const std::vector<std::vector<std::string>>& steps) {
    std::string line;
    for (const auto& step : steps) {
        if (!line.empty()) line += " && ";
        line += shell_join(step);
    }
    return line;
}
}  // namespace detail

/// The steps of a run, one argv each: training, then the ONNX export if any.
template <class Backend>
std::vector<std::vector<std::string>> training_command(const job<Backend>& j) {
    return detail::training_steps(j.spec());
}
inline std::vector<std::vector<std::string>> training_command(const any_job& j) {
    return detail::training_steps(spec_of(j));
}

/// The steps as one POSIX sh line: each argv quoted, joined by " && ".
template <class Backend>
std::string training_shell_command(const job<Backend>& j) {
    return detail::join_steps(training_command(j));
}
inline std::string training_shell_command(const any_job& j) { return detail::join_steps(training_command(j)); }

TRAINSPEC_END_NAMESPACE
