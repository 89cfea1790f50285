#pragma once
// Which variables an MPI launch sends to the ranks, with values or by name
// (docs/mpi.md, Variables).

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/detail/launcher_settings.hpp>
#include <trainspec/render/mpi_options.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/mpi_flavor.hpp>
#include <trainspec/spec/names.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

struct export_item {
    std::string name;
    std::optional<std::string> value;  ///< nullopt: by name
    std::string setting;               ///< the option it comes from, for messages
    /// Never in the launcher's environment (docs/security.md): what the
    /// launcher cannot pass to the ranks is set for their program instead.
    bool task_only = false;
};

inline std::string env_setting(const char* field, const std::string& name) {
    return std::string(field) + "[" + quote_json(name) + "]";
}

/// The variables to send, sorted by name: the job's, overridden by the
/// options', plus the names to export.
inline std::vector<export_item> resolve_exports(const std::vector<environment_variable>& job_env,
                                                const mpi_launch_options& o) {
    std::vector<export_item> items;
    std::vector<std::string> origin;
    auto add_valued = [&](const environment_variable& v, const char* field) {
        const auto setting = env_setting(field, v.name);
        if (!is_portable_env_name(v.name)) throw mpi_launch_error(setting, std::string(portable_env_name_rule));
        if (v.value.find('\0') != std::string::npos) throw mpi_launch_error(setting, "the value contains NUL");
        if (auto why = refused_variable_rule(v.name)) throw mpi_launch_error(setting, v.name + " " + *why);
        if (is_never_exported(v.name))
            throw mpi_launch_error(setting, v.name +
                                                " is never exported to the ranks (Horovod's rule: BASH_FUNC_*, "
                                                "OLDPWD, *CUDA_VISIBLE_DEVICES*; each rank's GPUs come from its "
                                                "local rank)");
        if (v.name == "NCCL_SOCKET_IFNAME" && o.network_interface)
            throw mpi_launch_error(setting, "NCCL_SOCKET_IFNAME is also set by network_interface; set one of them");
        for (std::size_t i = 0; i < items.size(); ++i)
            if (items[i].name == v.name) {
                if (origin[i] == field) throw mpi_launch_error(setting, "is set twice");
                items[i].value = v.value;  // the options override the job
                items[i].setting = setting;
                origin[i] = field;
                return;
            }
        items.push_back({v.name, v.value, setting, reach_of(v.name) == variable_reach::task_only});
        origin.emplace_back(field);
    };
    for (const auto& v : job_env) add_valued(v, "environment_variables");
    for (const auto& v : o.environment) add_valued(v, "environment");
    for (std::size_t i = 0; i < o.export_names.size(); ++i) {
        const auto& name = o.export_names[i];
        const auto setting = fmt::format("export_names[{}]", i);
        // Dropped as Horovod filters the environment it exports; first, since
        // bash names exported functions BASH_FUNC_name%%.
        if (is_never_exported(name)) continue;
        if (!is_portable_env_name(name))
            throw mpi_launch_error(setting, quote_json(name) + ": " + std::string(portable_env_name_rule));
        if (name == "NCCL_SOCKET_IFNAME" && o.network_interface)
            throw mpi_launch_error(setting, "NCCL_SOCKET_IFNAME is also set by network_interface; set one of them");
        const auto it = std::find_if(items.begin(), items.end(), [&](const auto& x) { return x.name == name; });
        if (it == items.end()) {
            items.push_back({name, std::nullopt, setting});
        } else if (it->value) {
            throw mpi_launch_error(setting,
                                   name + " is given a value in " +
                                       env_setting(origin[static_cast<std::size_t>(it - items.begin())].c_str(), name) +
                                       "; export it by name or with a value, not both");
        }
    }
    std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return items;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
