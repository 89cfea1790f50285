#pragma once
// How an MPI job is launched: the options of mpirun_command() (mpi.hpp), and
// the command it returns. docs/mpi.md says what each option writes.

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <trainspec/detail/linkage.hpp>
#include <trainspec/render/shell_quote.hpp>
#include <trainspec/spec/hosts.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/mpi_flavor.hpp>
#include <trainspec/spec/mpi_settings.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// horovodrun's controller: --gloo or --mpi.
enum class horovod_controller { gloo, mpi };

/// Open MPI MCA parameters in order. Setting a name that is present replaces
/// its value in place, so no parameter is ever given twice; names are found
/// through an index, so setting n parameters is linear (a spec may set
/// thousands, docs/limits.md).
class mca_parameters {
public:
    using value_type = std::pair<std::string, std::string>;
    using const_iterator = std::vector<value_type>::const_iterator;

    mca_parameters() = default;
    mca_parameters(std::initializer_list<value_type> items) {
        for (const auto& [name, value] : items) set(name, value);
    }

    /// Sets `name` to `value`: in place when present, else at the end.
    mca_parameters& set(std::string name, std::string value) {
        const auto [at, added] = index_.emplace(name, items_.size());
        if (!added) {
            items_[at->second].second = std::move(value);
            return *this;
        }
        items_.emplace_back(std::move(name), std::move(value));
        return *this;
    }

    /// Removes `name`; true when it was present.
    bool erase(std::string_view name) {
        const auto it = index_.find(std::string(name));
        if (it == index_.end()) return false;
        const auto place = it->second;
        items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(place));
        index_.erase(it);
        for (auto& entry : index_)
            if (entry.second > place) --entry.second;
        return true;
    }

    /// The value of `name`, or nullptr.
    const std::string* find(std::string_view name) const {
        const auto it = index_.find(std::string(name));
        return it == index_.end() ? nullptr : &items_[it->second].second;
    }

    void clear() noexcept {
        items_.clear();
        index_.clear();
    }
    const_iterator begin() const noexcept { return items_.begin(); }
    const_iterator end() const noexcept { return items_.end(); }
    std::size_t size() const noexcept { return items_.size(); }
    bool empty() const noexcept { return items_.empty(); }

    friend bool operator==(const mca_parameters& a, const mca_parameters& b) { return a.items_ == b.items_; }
    friend bool operator!=(const mca_parameters& a, const mca_parameters& b) { return !(a == b); }

private:
    std::vector<value_type> items_;
    std::unordered_map<std::string, std::size_t> index_;  ///< each name's place in items_
};

/// How to launch. The defaults are Horovod's profile for Open MPI 4, minus
/// running as root, which must be asked for.
struct mpi_launch_options {
    TRAINSPEC_SPECIAL_MEMBERS(mpi_launch_options);

    mpi_flavor flavor = mpi_flavor::openmpi;
    /// The launcher program; default: mpirun (openmpi, intel), mpiexec
    /// (mpich), horovodrun.
    std::optional<std::string> launcher;
    /// Open MPI's major version: 5 switches to PRRTE's names (docs/mpi.md);
    /// below 3, `-H host:N` is not understood and `hostfile` is required.
    int open_mpi_major = 4;
    run_as_root allow_run_as_root = run_as_root::not_allowed;

    // ---- Horovod's profile: replace a value, or reset it to remove the flag ----
    bool tag_output = true;                                  ///< Open MPI --tag-output; Hydra -l
    std::optional<std::string> bind_to = "none";             ///< -bind-to (Open MPI, MPICH)
    std::optional<std::string> map_by = "slot";              ///< -map-by (Open MPI, MPICH)
    mca_parameters mca{{"pml", "ob1"}, {"btl", "^openib"}};  ///< Open MPI -mca NAME VALUE, in order
    /// From this many hosts on, Open MPI gets plm_rsh_no_tree_spawn and
    /// plm_rsh_num_concurrent (Horovod's large-cluster work-around);
    /// nullopt: never.
    std::optional<int> large_cluster_hosts = 64;

    // ---- off by default ----
    bool timestamp_output = false;                 ///< Open MPI --timestamp-output
    std::optional<int> ssh_port;                   ///< the port of sshd on the hosts
    std::optional<std::string> network_interface;  ///< TCP/NCCL interface, e.g. eth0
    std::optional<std::string> output_filename;    ///< per-rank output files
    /// A hostfile written with hostfile_text(); used instead of listing the
    /// hosts (required by Hydra when hosts have different slot counts).
    std::optional<std::string> hostfile;
    /// Inside a resource manager's allocation (Slurm): the launcher takes the
    /// hosts from it, so no host list or hostfile is written; the layout's
    /// hosts still give -np and (Hydra) -ppn. Not for horovodrun.
    bool hosts_from_allocation = false;
    std::optional<horovod_controller> controller;  ///< horovodrun only

    // ---- environment ----
    std::vector<environment_variable> environment;  ///< with values; overrides the job's
    std::vector<std::string> export_names;          ///< by name; values from the launcher's environment
    /// False: fail instead of returning variables for the launcher's own
    /// environment (for callers that can only run argv as it is).
    bool allow_launcher_environment = true;

    // ---- the rest of the line ----
    std::vector<std::string> extra_args;                ///< before the command
    std::vector<std::string> command_prefix{"python"};  ///< runs the entry script
};

/// `options` with the spec's `mpi` settings applied: each setting that is
/// set replaces the option's value (bind_to / map_by null and mca null
/// remove Horovod's default), extra_args are appended, unset settings leave
/// `options` as they are. Apply explicit choices (a command line's) to the
/// result afterwards.
inline mpi_launch_options apply_mpi_settings(mpi_launch_options options, const mpi_settings& s) {
    if (s.flavor) options.flavor = *s.flavor;
    if (s.allow_run_as_root) options.allow_run_as_root = *s.allow_run_as_root;
    if (s.network_interface) options.network_interface = *s.network_interface;
    if (s.ssh_port) options.ssh_port = *s.ssh_port;
    if (s.open_mpi_major) options.open_mpi_major = *s.open_mpi_major;
    if (s.bind_to) options.bind_to = *s.bind_to;
    if (s.map_by) options.map_by = *s.map_by;
    for (const auto& m : s.mca) {
        if (m.value)
            options.mca.set(m.name, *m.value);
        else
            options.mca.erase(m.name);
    }
    options.extra_args.insert(options.extra_args.end(), s.extra_args.begin(), s.extra_args.end());
    if (s.command_prefix) options.command_prefix = *s.command_prefix;
    return options;
}

/// The launch options of a job spec: the defaults with its `mpi` settings
/// applied (the defaults alone when it has none).
inline mpi_launch_options mpi_launch_options_from(const job_spec& spec) {
    return spec.mpi ? apply_mpi_settings({}, *spec.mpi) : mpi_launch_options{};
}

/// What a launch needs: the hosts (slots = processes each may run), the
/// process count, the command and the job's variables. launch_layout()
/// derives it from a plan; build one by hand for Horovod-style host lists.
struct mpi_launch_layout {
    std::vector<host> hosts;                        ///< in rank order
    int np = 0;                                     ///< processes; 0: one per slot
    std::vector<std::string> script_argv;           ///< entry script and its parameters
    std::vector<environment_variable> environment;  ///< the job's variables
};

/// A rendered launch. argv runs by itself (execvp, a subprocess, a
/// container's command): when the launcher needs variables in its own
/// environment, it starts with `env NAME=value ...`, which sets them.
struct launch_command {
    std::vector<std::string> argv;
    /// The variables the launcher itself needs, which argv's env sets.
    std::vector<environment_variable> launcher_environment;

    /// The launcher and its arguments: argv without the env prefix, for a
    /// caller that sets launcher_environment itself.
    std::vector<std::string> launcher_argv() const;

    /// `NAME=value ... launcher words`, every word quoted for POSIX sh.
    std::string shell_line() const;
};

/// The launcher program a flavor uses unless options.launcher says otherwise.
constexpr std::string_view default_launcher(mpi_flavor f) noexcept {
    switch (f) {
        case mpi_flavor::mpich:
            return "mpiexec";
        case mpi_flavor::horovodrun:
            return "horovodrun";
        case mpi_flavor::openmpi:
        case mpi_flavor::intel:
            break;
    }
    return "mpirun";
}

/// True for names Horovod never exports: BASH_FUNC_*, OLDPWD, anything
/// containing CUDA_VISIBLE_DEVICES (each rank's GPUs are its own), and
/// Horovod's secret key. As Horovod matches them (Python's re.match: at the
/// start of the name, not anchored at its end).
inline bool is_never_exported(std::string_view name) noexcept {
    auto starts = [name](std::string_view p) { return name.substr(0, p.size()) == p; };
    return starts("BASH_FUNC_") || starts("OLDPWD") || starts("_HOROVOD_SECRET_KEY") ||
           name.find("CUDA_VISIBLE_DEVICES") != std::string_view::npos;
}

/// True when Open MPI's `-x NAME=value` cannot carry `value`: whitespace,
/// quotes or backslashes.
inline bool needs_export_by_name(std::string_view value) noexcept {
    return value.find_first_of(" \t\n\r\v\f'\"\\") != std::string_view::npos;
}

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_DEFAULT_SPECIAL_MEMBERS(mpi_launch_options);

TRAINSPEC_INLINE std::vector<std::string> launch_command::launcher_argv() const {
    const std::size_t prefix = launcher_environment.empty() ? 0 : launcher_environment.size() + 1;
    return {argv.begin() + static_cast<std::ptrdiff_t>(std::min(prefix, argv.size())), argv.end()};
}

TRAINSPEC_INLINE std::string launch_command::shell_line() const {
    std::string line;
    for (const auto& v : launcher_environment) line += detail::shell_assignment(v.name, v.value) + " ";
    return line + shell_join(launcher_argv());
}
TRAINSPEC_END_NAMESPACE
#endif
