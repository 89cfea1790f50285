#pragma once
// The steps of a run (training, then the ONNX export) and the sh conditions
// that tell a task whether it owns the model, behind render/training_command.hpp
// (docs/launch.md).

#include <algorithm>
#include <string>
#include <variant>
#include <vector>

#include <trainspec/detail/linkage.hpp>
#include <trainspec/job.hpp>
#include <trainspec/render/shell_quote.hpp>
#include <trainspec/render/training_command.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/script_params.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
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
TRAINSPEC_END_NAMESPACE

// The entry points of <trainspec/render/training_command.hpp> (compiled once in compiled mode).
#if TRAINSPEC_DEFINITIONS
TRAINSPEC_BEGIN_NAMESPACE
template <class Backend>
std::vector<std::vector<std::string>> training_command(const job<Backend>& j) {
    std::vector<std::vector<std::string>> out;
    for (auto& step : detail::launch_steps(j.spec())) out.push_back(std::move(step.argv));
    return out;
}

template <class Backend>
std::string training_shell_command(const job<Backend>& j) {
    return detail::join_steps(detail::launch_steps(j.spec()));
}

TRAINSPEC_INLINE std::string task_shell_line(const std::vector<launch_step>& steps, owner_check check) {
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

TRAINSPEC_INLINE std::vector<std::string> task_command(const std::vector<launch_step>& steps, owner_check check) {
    if (!has_post_steps(steps) || check == owner_check::not_owner) return steps.front().argv;
    return {"sh", "-c", task_shell_line(steps, check)};
}

TRAINSPEC_INLINE std::vector<std::vector<std::string>> training_command(const any_job& j) {
    return std::visit([](const auto& typed) { return training_command(typed); }, j);
}

TRAINSPEC_INLINE std::string training_shell_command(const any_job& j) {
    return detail::join_steps(detail::launch_steps(spec_of(j)));
}
TRAINSPEC_END_NAMESPACE
#endif
