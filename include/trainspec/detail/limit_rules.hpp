#pragma once
// validate()'s ceilings (spec/limits.hpp): the tasks and hosts of a job, the
// entries of its lists, and the bytes of its paths, keys, arguments and of
// the command line a task's execve takes. Checked before any plan or render;
// each number and its source: docs/limits.md.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include <trainspec/detail/limit_text.hpp>
#include <trainspec/detail/param_text.hpp>
#include <trainspec/detail/rule_context.hpp>
#include <trainspec/detail/rules.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/limits.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// A size as a problem shows it, instead of a value too long to repeat.
inline std::string byte_count(std::size_t n) { return fmt::format("{} bytes", n); }

/// `what` is one of: a path, an argument, a key.
inline void check_bytes(spec_rule_context& rules, const std::string& path, std::size_t bytes, std::size_t max,
                        std::string_view what) {
    if (bytes > max)
        rules.add(path, byte_count(bytes), fmt::format("{} has at most {} bytes (docs/limits.md)", what, max));
}

inline void check_path_bytes(spec_rule_context& rules, const std::string& path, const std::string& value) {
    check_bytes(rules, path, value.size(), max_path_bytes, path_limit_text);
}
inline void check_argument_bytes(spec_rule_context& rules, const std::string& path, std::size_t bytes) {
    check_bytes(rules, path, bytes, max_argument_bytes, argument_limit_text);
}
inline void check_key_bytes(spec_rule_context& rules, const std::string& path, const std::string& key) {
    check_bytes(rules, path, key.size(), max_key_bytes, key_limit_text);
}

inline void check_entries(spec_rule_context& rules, const std::string& path, std::size_t count) {
    if (count > max_list_entries)
        rules.add(path, fmt::format("{} entries", count),
                  fmt::format("a list has at most {} entries (docs/limits.md)", max_list_entries));
}

/// Tasks, counted as the plan counts them; the problem names the count
/// that contributes most.
inline void check_task_count(spec_rule_context& rules) {
    if (!rules.task_count_known()) return;
    const auto& s = rules.spec;
    const auto tasks = effective_task_count(s);
    if (tasks <= max_tasks) return;
    std::pair<const char*, int> largest{"node_count", effective_node_count(s)};
    switch (effective_backend(s)) {
        case backend_kind::mpi:
            if (effective_process_count_per_node(s) > largest.second)
                largest = {"process_count_per_node", effective_process_count_per_node(s)};
            break;
        case backend_kind::parameter_server:
            largest = {"worker_count", effective_worker_count(s)};
            if (effective_parameter_server_count(s) > largest.second)
                largest = {"parameter_server_count", effective_parameter_server_count(s)};
            break;
        case backend_kind::multi_worker:
            if (s.worker_count) largest = {"worker_count", *s.worker_count};
            break;
        case backend_kind::single_node:
            break;
    }
    rules.add(largest.first, rules.n(largest.second),
              fmt::format("the job would start {} tasks; a job has at most {} (docs/limits.md)", tasks, max_tasks));
}

/// What execve counts for the job's own words on a task's command line
/// (the launcher's are not the job's) and for its variables, by the field
/// each part comes from (the largest names the problem).
class command_line_bytes {
public:
    void add(const char* field, std::size_t bytes) {
        const auto counted = bytes + execve_bytes_per_string;
        total_ += counted;
        for (auto& part : parts_)
            if (part.first == field) {
                part.second += counted;
                return;
            }
        parts_.emplace_back(field, counted);
    }
    std::size_t total() const noexcept { return total_; }
    const std::pair<std::string_view, std::size_t>& largest() const {
        return *std::max_element(parts_.begin(), parts_.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
    }

private:
    std::size_t total_ = 0;
    std::vector<std::pair<std::string_view, std::size_t>> parts_;
};

/// The longest argument a swept parameter's values render to (a drawn
/// number is at most 24 characters, as repr() writes a double).
inline std::size_t longest_swept_value(const sweep_parameter& p) {
    std::size_t longest = 24;
    for (const auto& v : p.value.values) longest = std::max(longest, to_argument(v).size());
    return longest;
}

inline void check_command_line(spec_rule_context& rules) {
    const auto& s = rules.spec;
    command_line_bytes line;
    if (s.mpi && s.mpi->command_prefix)
        for (const auto& word : *s.mpi->command_prefix) line.add("mpi.command_prefix", word.size());
    line.add("entry_script", s.entry_script.size());
    for (const auto& argument : to_argv(s.params)) line.add("script_params", argument.size());
    if (s.sweep)
        for (const auto& p : s.sweep->search_space) {
            line.add("sweep.search_space", p.name.size());
            line.add("sweep.search_space", longest_swept_value(p));
        }
    if (s.mpi)
        for (const auto& word : s.mpi->extra_args) line.add("mpi.extra_args", word.size());
    for (const auto& v : s.environment_variables) line.add("environment_variables", v.name.size() + 1 + v.value.size());
    if (line.total() <= max_command_line_bytes) return;
    const auto& [field, bytes] = line.largest();
    rules.add(std::string(field), byte_count(bytes),
              fmt::format("a task's command line and environment would take {} bytes as execve counts them (each "
                          "string, its NUL and a pointer); trainspec allows at most {} (docs/limits.md)",
                          line.total(), max_command_line_bytes));
}

inline void check_script_param_limits(spec_rule_context& rules) {
    check_entries(rules, "script_params", rules.spec.params.size());
    for (const auto& [key, value] : rules.spec.params) {
        const auto path = fmt::format("script_params[{}]", rules.q(key));
        check_key_bytes(rules, path, key);
        std::size_t longest = key.size();
        std::visit(
            [&](const auto& v) {
                using V = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<V, param_value::list>) {
                    for (const auto& item : v) longest = std::max(longest, to_argument(item).size());
                } else if constexpr (!std::is_same_v<V, std::nullptr_t>) {
                    longest = std::max(longest, to_argument(param_scalar(v)).size());
                }
            },
            value.get());
        check_argument_bytes(rules, path, longest);
    }
}

inline void check_sweep_limits(spec_rule_context& rules) {
    if (!rules.spec.sweep) return;
    const auto& space = rules.spec.sweep->search_space;
    check_entries(rules, "sweep.search_space", space.size());
    for (const auto& p : space) {
        const auto path = fmt::format("sweep.search_space[{}]", rules.q(p.name));
        check_key_bytes(rules, path, p.name);
        check_entries(rules, path + ".values", p.value.values.size());
        check_argument_bytes(rules, path, longest_swept_value(p));
    }
    if (const auto& objective = rules.spec.sweep->objective; objective && objective->primary_metric)
        check_argument_bytes(rules, "sweep.objective.primary_metric", objective->primary_metric->size());
}

inline void check_mpi_limits(spec_rule_context& rules) {
    if (!rules.spec.mpi) return;
    const auto& m = *rules.spec.mpi;
    check_entries(rules, "mpi.mca", m.mca.size());
    for (const auto& p : m.mca) {
        const auto path = fmt::format("mpi.mca[{}]", rules.q(p.name));
        check_key_bytes(rules, path, p.name);
        if (p.value) check_argument_bytes(rules, path, p.value->size());
    }
    auto words = [&](const char* field, const std::vector<std::string>& list) {
        check_entries(rules, field, list.size());
        for (std::size_t i = 0; i < list.size(); ++i)
            check_argument_bytes(rules, fmt::format("{}[{}]", field, i), list[i].size());
    };
    words("mpi.extra_args", m.extra_args);
    if (m.command_prefix) words("mpi.command_prefix", *m.command_prefix);
    for (auto [path, field] : {std::pair{"mpi.bind_to", &m.bind_to}, {"mpi.map_by", &m.map_by}})
        if (*field && **field) check_argument_bytes(rules, path, (**field)->size());
}

/// Every ceiling of docs/limits.md that a spec's own values can reach.
inline void check_limits(spec_rule_context& rules) {
    const auto& s = rules.spec;
    check_task_count(rules);
    if (s.target) {
        if (auto why = host_count_problem(s.target->hosts.size()))
            rules.add("compute_target.hosts", fmt::format("{} hosts", s.target->hosts.size()), *why);
        check_argument_bytes(rules, "compute_target.name", s.target->name.size());
    }
    check_path_bytes(rules, "source_directory", s.source_directory);
    check_path_bytes(rules, "entry_script", s.entry_script);
    if (s.conda_dependencies_file) check_path_bytes(rules, "conda_dependencies_file", *s.conda_dependencies_file);
    if (s.pip_requirements_file) check_path_bytes(rules, "pip_requirements_file", *s.pip_requirements_file);
    if (s.onnx_export) {
        if (s.onnx_export->saved_model) check_path_bytes(rules, "onnx_export.saved_model", *s.onnx_export->saved_model);
        if (s.onnx_export->output) check_path_bytes(rules, "onnx_export.output", *s.onnx_export->output);
    }
    for (auto [path, field] :
         {std::pair{"vm_size", &s.vm_size}, {"vm_priority", &s.vm_priority}, {"shm_size", &s.shm_size}})
        if (*field) check_argument_bytes(rules, path, (*field)->size());
    if (s.tf_config && s.tf_config->rpc_layer)
        check_argument_bytes(rules, "tf_config.rpc_layer", s.tf_config->rpc_layer->size());
    for (auto [path, list] : {std::pair{"conda_packages", &s.conda_packages}, {"pip_packages", &s.pip_packages}}) {
        check_entries(rules, path, list->size());
        for (std::size_t i = 0; i < list->size(); ++i)
            check_argument_bytes(rules, fmt::format("{}[{}]", path, i), (*list)[i].size());
    }
    check_entries(rules, "environment_variables", s.environment_variables.size());
    for (const auto& v : s.environment_variables) {
        const auto path = fmt::format("environment_variables[{}]", rules.q(v.name));
        check_key_bytes(rules, path, v.name);
        check_argument_bytes(rules, path, v.name.size() + 1 + v.value.size());
    }
    check_script_param_limits(rules);
    check_sweep_limits(rules);
    check_mpi_limits(rules);
    check_command_line(rules);
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
