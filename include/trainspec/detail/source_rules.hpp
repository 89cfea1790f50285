#pragma once
// The rules of what the entry script is given: its files inside
// source_directory, its environment variables and its parameters.

#include <cmath>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include <trainspec/detail/launcher_settings.hpp>
#include <trainspec/detail/param_text.hpp>
#include <trainspec/detail/rule_context.hpp>
#include <trainspec/detail/rules.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/names.hpp>
#include <trainspec/spec/script_params.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// What source_directory is relative to.
inline constexpr const char* project_directory_name = "the project (the working directory)";

/// A path inside `inside` (source_directory, or the project for
/// source_directory itself): relative, no '..' component.
inline void check_relative_path(spec_rule_context& rules, const char* path, const std::string& value,
                                const char* inside = "source_directory") {
    if (value.empty()) return;
    if (value.front() == '/' || value.front() == '\\')
        rules.add(path, rules.q(value), std::string("must be relative to ") + inside);
    std::size_t start = 0;
    while (start <= value.size()) {
        auto end = value.find('/', start);
        if (end == std::string::npos) end = value.size();
        if (value.compare(start, end - start, "..") == 0) {
            rules.add(path, rules.q(value), std::string("must stay inside ") + inside + " (no '..')");
            break;
        }
        start = end + 1;
    }
    if (has_control_character(value))
        rules.add(path, rules.q(value),
                  "must not contain NUL or other control characters (line breaks and tabs split the launchers' "
                  "line-based files and logs)");
}

/// A value a program takes where a leading '-' starts an option.
inline void check_not_option(spec_rule_context& rules, const char* path, const std::string& value,
                             std::string_view program) {
    if (auto why = option_like_problem(value, program)) rules.add(path, rules.q(value), *why);
}

inline void check_paths(spec_rule_context& rules) {
    check_relative_path(rules, "entry_script", rules.spec.entry_script);
    check_not_option(rules, "entry_script", rules.spec.entry_script, "python");
    check_not_option(rules, "source_directory", rules.spec.source_directory, "cd, docker and the launchers");
    if (rules.spec.conda_dependencies_file)
        check_not_option(rules, "conda_dependencies_file", *rules.spec.conda_dependencies_file, "conda");
    if (rules.spec.pip_requirements_file)
        check_not_option(rules, "pip_requirements_file", *rules.spec.pip_requirements_file, "pip");
    if (rules.spec.conda_dependencies_file) {
        if (rules.spec.conda_dependencies_file->empty())
            rules.add("conda_dependencies_file", "\"\"", "must not be empty");
        check_relative_path(rules, "conda_dependencies_file", *rules.spec.conda_dependencies_file);
    }
    if (rules.spec.pip_requirements_file) {
        if (rules.spec.pip_requirements_file->empty()) rules.add("pip_requirements_file", "\"\"", "must not be empty");
        check_relative_path(rules, "pip_requirements_file", *rules.spec.pip_requirements_file);
    }
    // A spec travels; the directory it names is mounted into containers and
    // uploaded, so it stays inside the project (docs/security.md).
    check_relative_path(rules, "source_directory", rules.spec.source_directory, project_directory_name);
}

inline void check_environment(spec_rule_context& rules) {
    const auto& vars = rules.spec.environment_variables;
    const auto earlier = earlier_same(vars, [](const environment_variable& v) { return std::string_view(v.name); });
    for (std::size_t i = 0; i < vars.size(); ++i) {
        const auto path = fmt::format("environment_variables[{}]", rules.q(vars[i].name));
        if (!is_portable_env_name(vars[i].name))
            rules.add(path, rules.q(vars[i].value), std::string(portable_env_name_rule));
        if (vars[i].value.find('\0') != std::string::npos)
            rules.add(path, rules.q(vars[i].value), "must not contain NUL");
        if (auto why = refused_variable_rule(vars[i].name))
            rules.add(path, rules.q(vars[i].value), vars[i].name + " " + *why);
        if (vars[i].name == "TF_CONFIG" &&
            (rules.is(backend_kind::parameter_server) || rules.is(backend_kind::multi_worker)))
            rules.add(path, rules.q(vars[i].value),
                      "is written by trainspec for every task of a ps or multi_worker job");
        if (earlier[i] != std::string_view::npos) rules.add(path, rules.q(vars[i].value), "is set twice");
    }
}

inline void check_script_params(spec_rule_context& rules) {
    for (const auto& [key, value] : rules.spec.params) {
        const auto path = fmt::format("script_params[{}]", rules.q(key));
        const auto shown = std::visit(value_json_text{}, value.get());
        if (key.empty()) rules.add(path, shown, "the key must not be empty");
        if (key.find('\0') != std::string::npos) rules.add(path, shown, "the key must not contain NUL");
        if (key.find('\x01') != std::string::npos)
            rules.add(path, shown, "the key must not contain U+0001, a control character the renderers reserve");
        auto check_scalar = [&](const auto& v) {
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, double>) {
                if (!std::isfinite(v)) rules.add(path, shown, "a number must be finite");
            } else if constexpr (std::is_same_v<V, std::string>) {
                if (v.find('\0') != std::string::npos) rules.add(path, shown, "must not contain NUL");
                if (v.find('\x01') != std::string::npos)
                    rules.add(path, shown, "must not contain U+0001, a control character the renderers reserve");
            }
        };
        std::visit(
            [&](const auto& v) {
                using V = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<V, param_value::list>) {
                    if (v.empty()) rules.add(path, shown, "a list needs at least one element (null gives a bare flag)");
                    for (const auto& item : v) std::visit(check_scalar, item.get());
                } else {
                    check_scalar(v);
                }
            },
            value.get());
    }
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
