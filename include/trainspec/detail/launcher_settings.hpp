#pragma once
// Settings that decide what the launcher runs, and the variables that
// change how the launcher, the shell or the scheduler runs: validate() and
// the renderers share these rules (docs/security.md).

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/detail/mpi_option_names.hpp>
#include <trainspec/detail/rules.hpp>
#include <trainspec/render/shell_quote.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/names.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// How to opt in to a trusted launcher setting, for messages.
inline constexpr std::string_view trust_opt_in =
    "allowed only when the spec sets \"mpi\": {\"trusted_launcher_settings\": true} (trainspec-gen: "
    "--trust-launcher-settings)";

/// True when the MCA parameter `name` names a program, its arguments, a
/// path, a directory or variables: Open MPI runs, loads or reads what it
/// names (plm_rsh_agent, orte_launch_agent, mca_base_param_files,
/// mca_base_env_list, ...). Derived from Open MPI 4.1's parameter list.
inline bool is_program_mca_name(std::string_view name) {
    constexpr std::string_view words[] = {
        "agent",   "args",  "argv",     "cmd",       "command", "exec", "program", "script",   "path",     "paths",
        "prefix",  "dir",   "dirs",     "directory", "tmpdir",  "file", "files",   "filename", "hostfile", "rankfile",
        "libpath", "chdir", "debugger", "xterm",     "server",  "env",  "environ", "envar",    "output",   "topology"};
    std::size_t start = 0;
    while (start <= name.size()) {
        auto end = name.find('_', start);
        if (end == std::string_view::npos) end = name.size();
        for (auto w : words)
            if (name.substr(start, end - start) == w) return true;
        start = end + 1;
    }
    return false;
}

/// Where a job variable may be set (docs/security.md): anywhere, in the
/// task only (never in front of a launcher), or nowhere.
enum class variable_reach { anywhere, task_only, refused };

inline bool has_prefix(std::string_view name, std::initializer_list<std::string_view> prefixes) {
    for (auto p : prefixes)
        if (name.substr(0, p.size()) == p) return true;
    return false;
}

/// The MCA parameter a variable sets (Open MPI, PMIx and PRRTE read
/// OMPI_MCA_name, PMIX_MCA_name, PRTE_MCA_name), or "".
inline std::string_view mca_parameter_of(std::string_view name) {
    for (std::string_view prefix : {"OMPI_MCA_", "PMIX_MCA_", "PRTE_MCA_"})
        if (name.substr(0, prefix.size()) == prefix) return name.substr(prefix.size());
    return {};
}

/// Why the job may not set `name`, or nullopt.
inline std::optional<std::string> refused_variable_rule(std::string_view name) {
    if (const auto mca = mca_parameter_of(name); !mca.empty()) {
        if (!is_program_mca_name(mca)) return std::nullopt;  // the ranks' MPI library reads it: task only
        return "sets the MCA parameter " + std::string(mca) +
               ", which names a program, a path or variables; set it in mpi.mca, which allows it with "
               "trusted_launcher_settings";
    }
    for (std::string_view shell :
         {"IFS", "BASH_ENV", "ENV", "CDPATH", "PS4", "SHELL", "SHELLOPTS", "BASHOPTS", "GLOBIGNORE", "PROMPT_COMMAND"})
        if (name == shell) return "changes how the job's shells run (every launch script and task runs through sh)";
    if (has_prefix(name, {"OMPI_", "PMIX_", "PRTE_", "HYDRA_", "MPIEXEC_"}))
        return "is read by the MPI launcher or set by it for each rank; use the mpi settings instead";
    if (has_prefix(name, {"SLURM_", "SBATCH_", "SRUN_", "SALLOC_"}))
        return "is read by Slurm's commands as their options and set by Slurm in each task";
    return std::nullopt;
}

inline variable_reach reach_of(std::string_view name) {
    if (refused_variable_rule(name)) return variable_reach::refused;
    if (name == "PATH" || name == "HOME" || has_prefix(name, {"LD_", "PYTHON", "HOROVOD_", "I_MPI_"}) ||
        !mca_parameter_of(name).empty())
        return variable_reach::task_only;
    return variable_reach::anywhere;
}

/// `env -- NAME=value...`: sets the task-only variables of `vars` for the
/// program the words precede, after every launcher has started; empty when
/// there are none.
inline std::vector<std::string> task_variable_words(const std::vector<environment_variable>& vars) {
    std::vector<std::string> words;
    for (const auto& v : vars)
        if (reach_of(v.name) == variable_reach::task_only) words.push_back(v.name + "=" + v.value);
    if (!words.empty()) words.insert(words.begin(), {"env", "--"});
    return words;
}

/// The variables that may also be in a launcher's environment: all but
/// the task-only ones.
inline std::vector<environment_variable> shared_variables(const std::vector<environment_variable>& vars) {
    std::vector<environment_variable> out;
    for (const auto& v : vars)
        if (reach_of(v.name) != variable_reach::task_only) out.push_back(v);
    return out;
}

/// `NAME=value; export NAME; ` for each task-only variable: for a command
/// line that a launcher's shell runs in each task.
inline std::string task_variable_exports(const std::vector<environment_variable>& vars) {
    std::string out;
    for (const auto& v : vars)
        if (reach_of(v.name) == variable_reach::task_only)
            out += shell_assignment(v.name, v.value) + "; export " + v.name + "; ";
    return out;
}

/// A problem of one argument of extra_args.
struct argument_problem {
    std::size_t index;
    std::string value;  ///< quoted
    std::string rule;
};

/// The MCA parameters and variables that extra_args sets (-mca NAME VALUE
/// in every spelling, -x NAME[=VALUE]), held to the rules of mpi.mca and
/// environment_variables: Open MPI copies them onto its remote daemons'
/// command line, which a shell reads.
inline std::vector<argument_problem> extra_args_problems(const std::vector<std::string>& args) {
    std::vector<argument_problem> found;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto name = option_name(args[i]);
        const bool mca = is_listed("mca gmca prtemca pmixmca omca", name);
        if (!mca && name != "x") continue;
        if (args[i].find('=') != std::string::npos) {
            found.push_back({i, quote_json(args[i]), "give the option's argument as the next word"});
            continue;
        }
        if (i + 1 >= args.size()) break;  // the launcher's own error (check_extra_args)
        const auto& key = args[i + 1];
        if (mca) {
            const auto shown = quote_json(key) + (i + 2 < args.size() ? " " + quote_json(args[i + 2]) : "");
            if (auto why = mca_name_problem(key)) found.push_back({i + 1, shown, *why});
            if (i + 2 < args.size())
                if (auto why = mca_value_problem(args[i + 2])) found.push_back({i + 2, shown, *why});
            i += 2;
            continue;
        }
        const auto equals = key.find('=');
        const auto variable = key.substr(0, equals);
        if (!is_portable_env_name(variable))
            found.push_back({i + 1, quote_json(key), std::string(portable_env_name_rule)});
        else if (auto why = refused_variable_rule(variable))
            found.push_back({i + 1, quote_json(key), variable + " " + *why});
        if (equals != std::string::npos)
            if (auto why = mca_value_problem(key.substr(equals + 1))) found.push_back({i + 1, quote_json(key), *why});
        ++i;
    }
    return found;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
