#pragma once
// The launch command of an MPI (Horovod) job for Open MPI's mpirun, MPICH's
// and Intel MPI's Hydra mpiexec, and horovodrun, built argv first.
//
//   auto c = trainspec::plan(job);                 // cluster<mpi>
//   trainspec::mpi_launch_options o;
//   o.allow_run_as_root = trainspec::run_as_root::flag;
//   auto cmd = trainspec::mpirun_command(c, o);
//   cmd.argv                  // {"mpirun", "--allow-run-as-root", "--tag-output", "-np", "4", ...}
//   cmd.launcher_environment  // variables to add to the launcher's own environment
//   cmd.shell_line()          // the same, quoted for POSIX sh
//
// The command runs `command_prefix... entry_script script_params...`
// (default prefix: `python`) on every rank.
//
// A job spec's `mpi` object (mpi_settings.hpp) says the same in JSON:
// mpi_launch_options_from(job.spec()) gives the options it describes.
//
// Open MPI (Horovod's conventions, flag for flag; docs/mpi.md):
//   mpirun [--allow-run-as-root] [--tag-output] -np N -H h1:2,h2:2
//          [-bind-to none] [-map-by slot] [-mca pml ob1 -mca btl ^openib]
//          [-mca plm_rsh_no_tree_spawn true -mca plm_rsh_num_concurrent H]   (64 hosts or more)
//          [--timestamp-output] [-mca plm_rsh_args "-p P"]
//          [-mca btl_tcp_if_include IF -x NCCL_SOCKET_IFNAME=IF]
//          [--output-filename F] [-x NAME[=value]]... [extra_args...] python train.py ...
//   With open_mpi_major >= 5 (PRRTE instead of ORTE): --bind-to, --map-by
//   and --mca are written with two dashes, and the launcher's own settings
//   use PRRTE's names: --prtemca plm_ssh_args "-p P", --prtemca
//   plm_ssh_no_tree_spawn true, --prtemca plm_ssh_num_concurrent H (the
//   ORTE names plm_rsh_* and OMPI_MCA_orte_* are silently ignored by Open
//   MPI 5). Everything else is the same.
//
// MPICH / Intel MPI (Hydra):
//   mpiexec [-l] -n N -ppn P -hosts h1,h2 [-bind-to none -map-by slot]   (MPICH only)
//          [-bootstrap ssh -bootstrap-exec-args "-p P"]                 (Intel only)
//          [-iface IF -genv NCCL_SOCKET_IFNAME IF] [-outfile-pattern F]
//          [-genv NAME VALUE]... [-genvlist a,b] [extra_args...] python train.py ...
//   Hosts with different slot counts need a hostfile (option `hostfile`,
//   written with hostfile_text()): MPICH `-f FILE`, Intel `-machinefile FILE`
//   (Intel's -f would ignore the counts). No Open MPI option ever reaches
//   Hydra, and extra_args holding one (or an Open MPI-only one holding a
//   Hydra option) are rejected before the launcher would.
//
// horovodrun:
//   horovodrun -np N -H h1:2,h2:2 [--network-interface IF] [--ssh-port P]
//              [--gloo|--mpi] [--output-filename F] [--prefix-output-with-timestamp]
//              [extra_args...] python train.py ...
//   horovodrun forwards its whole environment and applies Horovod's profile
//   itself, so job variables go into launcher_environment.
//
// Settings and flavors. The Horovod profile (tag_output, bind_to, map_by,
// mca, allow_run_as_root, large_cluster_hosts) is on by default and is
// rendered where the launcher has the setting: Hydra has no MCA parameters
// and needs no root permission, Intel MPI gets no binding arguments (as in
// Horovod; Intel pins with I_MPI_PIN_*), horovodrun renders the profile
// itself. Settings that are off by default and that a launcher cannot
// honour are errors: timestamp_output on Hydra, ssh_port on MPICH (Hydra
// 4.0 has no -bootstrap-exec-args: "unrecognized argument"; put the port
// in ~/.ssh/config), controller on anything but horovodrun.
//
// No flag twice: every profile setting can be replaced or removed (reset
// the optional, erase the MCA key), a setting that two options would write
// (an MCA key that ssh_port also sets, NCCL_SOCKET_IFNAME set as a variable
// and by network_interface) is an error, and extra_args that repeat a
// rendered flag (also under another spelling: -n/-np, --mca/-mca, -x NAME)
// are rejected, naming the setting to change instead.
//
// Environment: the job's environment_variables, then `environment` (a
// name in both takes the option's value), sent with values; `export_names`
// are sent by name, their values taken from the launcher's environment.
// Open MPI gets one `-x` per variable, sorted by name; a value holding
// whitespace, a quote or a backslash is not written as `-x NAME=value`
// (Open MPI's -x parser does not understand quoting) but as `-x NAME`, with
// the value in launcher_environment; with allow_launcher_environment =
// false that is an error instead. Hydra gets `-genv NAME VALUE` (exact for
// any value) and `-genvlist`, which makes Hydra pass only the listed
// variables, as Open MPI does. Names Horovod never exports (BASH_FUNC_*,
// OLDPWD, *CUDA_VISIBLE_DEVICES*, _HOROVOD_SECRET_KEY) are dropped from
// export_names and are errors when given a value.
//
// Running as root is never a silent default: allow_run_as_root is
// not_allowed (Open MPI refuses root) unless set to `flag`
// (--allow-run-as-root) or `environment` (OMPI_ALLOW_RUN_AS_ROOT=1 and
// OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 in launcher_environment; Open MPI 4.0.2+).

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <trainspec/detail/rules.hpp>
#include <trainspec/job.hpp>
#include <trainspec/plan.hpp>
#include <trainspec/render/mpi_hostfile.hpp>
#include <trainspec/render/rank_table.hpp>
#include <trainspec/render/shell_quote.hpp>
#include <trainspec/render/training_command.hpp>
#include <trainspec/spec/backend.hpp>
#include <trainspec/spec/hosts.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/mpi_flavor.hpp>
#include <trainspec/spec/mpi_settings.hpp>
#include <trainspec/spec/names.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// horovodrun's controller: --gloo or --mpi.
enum class horovod_controller { gloo, mpi };

/// Open MPI MCA parameters in order. Setting a name that is present replaces
/// its value in place, so no parameter is ever given twice.
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
        for (auto& item : items_)
            if (item.first == name) {
                item.second = std::move(value);
                return *this;
            }
        items_.emplace_back(std::move(name), std::move(value));
        return *this;
    }

    /// Removes `name`; true when it was present.
    bool erase(std::string_view name) {
        const auto it = std::find_if(items_.begin(), items_.end(), [name](const auto& i) { return i.first == name; });
        if (it == items_.end()) return false;
        items_.erase(it);
        return true;
    }

    /// The value of `name`, or nullptr.
    const std::string* find(std::string_view name) const {
        for (const auto& item : items_)
            if (item.first == name) return &item.second;
        return nullptr;
    }

    void clear() noexcept { items_.clear(); }
    const_iterator begin() const noexcept { return items_.begin(); }
    const_iterator end() const noexcept { return items_.end(); }
    std::size_t size() const noexcept { return items_.size(); }
    bool empty() const noexcept { return items_.empty(); }

    friend bool operator==(const mca_parameters& a, const mca_parameters& b) { return a.items_ == b.items_; }
    friend bool operator!=(const mca_parameters& a, const mca_parameters& b) { return !(a == b); }

private:
    std::vector<value_type> items_;
};

/// How to launch. The defaults are Horovod's profile for Open MPI 4, minus
/// running as root, which must be asked for.
struct mpi_launch_options {
    mpi_flavor flavor = mpi_flavor::openmpi;
    /// The launcher program; default: mpirun (openmpi, intel), mpiexec
    /// (mpich), horovodrun.
    std::optional<std::string> launcher;
    /// Open MPI's major version: 5 switches to PRRTE's names (see above);
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

/// The layout of a planned MPI job: each host with the ranks the plan put
/// there, every rank, the job's command and variables.
inline mpi_launch_layout launch_layout(const cluster<mpi>& c) {
    return {ranks_per_host(c), static_cast<int>(c.tasks().size()), c.job().script_argv(),
            c.job().spec().environment_variables};
}

/// A rendered launch: run argv with launcher_environment added to the
/// environment; shell_line() is the same as one POSIX sh line.
struct launch_command {
    std::vector<std::string> argv;
    std::vector<environment_variable> launcher_environment;

    /// `NAME=value ... argv...`, every word quoted for POSIX sh.
    std::string shell_line() const {
        std::string line;
        for (const auto& v : launcher_environment) line += v.name + "=" + shell_quote(v.value) + " ";
        return line + shell_join(argv);
    }
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

namespace detail {

struct export_item {
    std::string name;
    std::optional<std::string> value;  ///< nullopt: by name
    std::string setting;               ///< the option it comes from, for messages
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
        if (!is_portable_env_name(v.name))
            throw mpi_launch_error(setting, "the name must match [A-Za-z_][A-Za-z0-9_]*");
        if (v.value.find('\0') != std::string::npos) throw mpi_launch_error(setting, "the value contains NUL");
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
        items.push_back({v.name, v.value, setting});
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
            throw mpi_launch_error(setting, quote_json(name) + ": the name must match [A-Za-z_][A-Za-z0-9_]*");
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

/// An option word without its dashes and `=value`, or "" for a word that
/// is no option.
inline std::string option_name(std::string_view word) {
    if (word.size() < 2 || word[0] != '-') return "";
    word.remove_prefix(word[1] == '-' ? 2 : 1);
    return std::string(word.substr(0, word.find('=')));
}

/// The canonical spelling of an option word (option_name() with aliases
/// folded), or "" for a word that is no option.
inline std::string canonical_option(mpi_flavor f, std::string_view word) {
    const std::string w = option_name(word);
    if (w.empty()) return w;
    auto fold = [&w](std::initializer_list<std::pair<const char*, const char*>> aliases) {
        for (const auto& [from, to] : aliases)
            if (w == from) return std::string(to);
        return w;
    };
    switch (f) {
        case mpi_flavor::openmpi:
            return fold({{"n", "np"},
                         {"c", "np"},
                         {"H", "hosts"},
                         {"host", "hosts"},
                         {"hostfile", "hosts"},
                         {"machinefile", "hosts"},
                         {"gmca", "mca"},
                         {"prtemca", "mca"},
                         {"pmixmca", "mca"}});
        case mpi_flavor::mpich:
        case mpi_flavor::intel:
            return fold({{"np", "n"},
                         {"perhost", "ppn"},
                         {"f", "hosts"},
                         {"hostfile", "hosts"},
                         {"machinefile", "hosts"},
                         {"machine", "hosts"},
                         {"prepend-rank", "l"},
                         {"bootstrap", "launcher"},
                         {"env", "genv"},
                         {"genvall", "genvlist"},
                         {"genvnone", "genvlist"}});
        case mpi_flavor::horovodrun:
            return fold({{"num-proc", "np"},
                         {"H", "hosts"},
                         {"hostfile", "hosts"},
                         {"network-interfaces", "network-interface"},
                         {"p", "ssh-port"},
                         {"mpi", "gloo"}});
    }
    return w;
}

/// True when `name` is one of the space-separated words of `list`.
inline bool is_listed(std::string_view list, const std::string& name) {
    std::size_t start = 0;
    while (start < list.size()) {
        auto end = list.find(' ', start);
        if (end == std::string_view::npos) end = list.size();
        if (list.substr(start, end - start) == name) return true;
        start = end + 1;
    }
    return false;
}

/// Open MPI options that Hydra rejects ("unrecognized argument"), and Hydra
/// options that Open MPI rejects ("unknown option"), by option_name().
inline bool is_open_mpi_only(mpi_flavor f, const std::string& name) {
    constexpr std::string_view open_mpi =
        "x mca gmca prtemca pmixmca allow-run-as-root tag-output timestamp-output output-filename output H host "
        "oversubscribe npernode report-bindings display-map rankfile";
    return is_listed(open_mpi, name) || (f == mpi_flavor::intel && (name == "bind-to" || name == "map-by"));
}
inline bool is_hydra_only(const std::string& name) {
    constexpr std::string_view hydra =
        "genv genvlist genvall genvnone env envlist envall envnone ppn perhost hosts f iface bootstrap "
        "bootstrap-exec bootstrap-exec-args launcher launcher-exec outfile-pattern errfile-pattern prepend-rank "
        "prepend-pattern l";
    return is_listed(hydra, name);
}

/// Builds the argv and remembers which setting wrote which option, so that
/// extra_args cannot repeat one.
class command_builder {
public:
    command_builder(mpi_flavor flavor, std::string launcher) : flavor_(flavor) {
        out_.argv.push_back(std::move(launcher));
    }

    /// Appends `words`; the first is an option written by `setting`, keyed
    /// by its canonical name (plus `key` for -mca NAME, -x NAME, -genv NAME).
    void option(const std::string& setting, std::initializer_list<std::string> words, std::string key = "") {
        auto canonical = canonical_option(flavor_, *words.begin());
        if (!key.empty()) canonical += " " + key;
        written_.emplace_back(std::move(canonical), setting);
        out_.argv.insert(out_.argv.end(), words.begin(), words.end());
    }

    void launcher_variable(std::string name, std::string value) {
        out_.launcher_environment.push_back({std::move(name), std::move(value)});
    }

    /// The setting that wrote `canonical`, or nullptr.
    const std::string* writer(const std::string& canonical) const {
        for (const auto& [c, setting] : written_)
            if (c == canonical) return &setting;
        return nullptr;
    }

    void append(const std::vector<std::string>& words) {
        out_.argv.insert(out_.argv.end(), words.begin(), words.end());
    }

    launch_command take() { return std::move(out_); }

private:
    mpi_flavor flavor_;
    launch_command out_;
    std::vector<std::pair<std::string, std::string>> written_;
};

/// Rejects extra_args that the launcher would reject, or that repeat an
/// option a setting already wrote.
inline void check_extra_args(const mpi_launch_options& o, const command_builder& b) {
    const auto& args = o.extra_args;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto setting = fmt::format("extra_args[{}]", i);
        const auto name = option_name(args[i]);
        auto c = canonical_option(o.flavor, args[i]);
        if (c.empty()) continue;
        if (is_hydra(o.flavor) && is_open_mpi_only(o.flavor, name))
            throw mpi_launch_error(setting, quote_json(args[i]) + " is an Open MPI option; " +
                                                (o.flavor == mpi_flavor::intel ? "Intel MPI" : "MPICH") +
                                                "'s mpiexec rejects it (\"unrecognized argument " + name + "\")");
        if (o.flavor == mpi_flavor::openmpi && is_hydra_only(name))
            throw mpi_launch_error(setting, quote_json(args[i]) +
                                                " is a Hydra (MPICH, Intel MPI) option; Open MPI's mpirun rejects "
                                                "it (\"unknown option\")");
        // -mca NAME VALUE, -x NAME[=VALUE], -genv NAME VALUE (or NAME=VALUE)
        // are keyed by NAME; the words after them are no options.
        std::size_t skip = 0;
        std::string shown = quote_json(args[i]);
        if (c == "mca" || c == "x" || c == "genv") {
            if (i + 1 >= args.size()) throw mpi_launch_error(setting, shown + " lacks its argument");
            const auto& key = args[i + 1];
            const bool inline_value = key.find('=') != std::string::npos;
            c += " " + key.substr(0, key.find('='));
            shown += " " + quote_json(key);
            skip = c.rfind("x ", 0) == 0 || (c.rfind("genv ", 0) == 0 && inline_value) ? 1 : 2;
        }
        if (const auto* by = b.writer(c))
            throw mpi_launch_error(setting, shown + " repeats an option already written from " + *by +
                                                "; change that setting instead of adding the flag again");
        i += skip;
    }
}

inline void check_word(const std::string& setting, const std::string& value) {
    if (value.empty()) throw mpi_launch_error(setting, "is empty; reset it (std::nullopt) to leave the flag out");
    for (char c : value)
        if (is_space(c) || c == '\0') throw mpi_launch_error(setting, quote_json(value) + " must be one word");
}

inline void check_options(const mpi_launch_options& o) {
    if (o.launcher && o.launcher->empty()) throw mpi_launch_error("launcher", "is empty");
    if (o.bind_to) check_word("bind_to", *o.bind_to);
    if (o.map_by) check_word("map_by", *o.map_by);
    for (const auto& [name, value] : o.mca) {
        const auto setting = "mca[" + quote_json(name) + "]";
        if (auto why = mca_name_problem(name)) throw mpi_launch_error(setting, *why);
        if (auto why = mca_value_problem(value)) throw mpi_launch_error(setting, quote_json(value) + ": " + *why);
    }
    if (o.large_cluster_hosts && *o.large_cluster_hosts < 1)
        throw mpi_launch_error("large_cluster_hosts",
                               fmt::format("is {}; it must be at least 1 (or nullopt: never)", *o.large_cluster_hosts));
    if (o.ssh_port)
        if (auto why = tcp_port_problem(*o.ssh_port))
            throw mpi_launch_error("ssh_port", fmt::format("{}: {}", *o.ssh_port, *why));
    if (o.network_interface)
        if (auto why = network_interface_problem(*o.network_interface))
            throw mpi_launch_error("network_interface", quote_json(*o.network_interface) + ": " + *why);
    if (o.output_filename) check_word("output_filename", *o.output_filename);
    if (o.hostfile && o.hostfile->empty()) throw mpi_launch_error("hostfile", "the path is empty");
    if (o.hostfile && o.hostfile->find('\0') != std::string::npos)
        throw mpi_launch_error("hostfile", "the path contains NUL");
    if (o.open_mpi_major < 1)
        throw mpi_launch_error("open_mpi_major", fmt::format("{} is no version", o.open_mpi_major));
    if (o.controller && o.flavor != mpi_flavor::horovodrun)
        throw mpi_launch_error(
            "controller", "is horovodrun's --gloo/--mpi; " + std::string(enum_name(o.flavor)) + " has no such choice");
    if (o.flavor == mpi_flavor::openmpi && o.open_mpi_major < 3 && !o.hostfile)
        throw mpi_launch_error("open_mpi_major",
                               fmt::format("Open MPI {} reads host:N in -H as a host name (ssh: \"Could not resolve "
                                           "hostname\"); set hostfile, written with hostfile_text()",
                                           o.open_mpi_major));
    if (is_hydra(o.flavor) && o.timestamp_output)
        throw mpi_launch_error("timestamp_output", "Hydra's mpiexec has no --timestamp-output");
    if (o.hosts_from_allocation && (o.hostfile || o.flavor == mpi_flavor::horovodrun))
        throw mpi_launch_error("hosts_from_allocation",
                               o.hostfile ? "takes the hosts from the allocation; a hostfile would override it"
                                          : "horovodrun takes no hosts from an allocation; give it -H or a hostfile");
    if (o.flavor == mpi_flavor::mpich && o.ssh_port)
        throw mpi_launch_error("ssh_port", std::string(mpich_ssh_port_rule));
}

inline void render_open_mpi(command_builder& b, const mpi_launch_options& o, const mpi_launch_layout& l, int np,
                            const std::vector<export_item>& exports) {
    const bool prrte = o.open_mpi_major >= 5;
    const std::string mca_flag = prrte ? "--mca" : "-mca";
    const std::string launcher_mca_flag = prrte ? "--prtemca" : "-mca";
    const std::string plm = prrte ? "plm_ssh_" : "plm_rsh_";

    // The MCA parameters other settings write: none may also be in `mca`.
    std::vector<std::pair<std::string, std::string>> derived;  // name, setting
    const bool large = o.large_cluster_hosts && static_cast<int>(l.hosts.size()) >= *o.large_cluster_hosts;
    if (large) {
        derived.emplace_back(plm + "no_tree_spawn", "large_cluster_hosts");
        derived.emplace_back(plm + "num_concurrent", "large_cluster_hosts");
    }
    if (o.ssh_port) derived.emplace_back(plm + "args", "ssh_port");
    if (o.network_interface) derived.emplace_back("btl_tcp_if_include", "network_interface");
    for (const auto& [name, setting] : derived)
        if (o.mca.find(name))
            throw mpi_launch_error("mca[" + quote_json(name) + "]",
                                   "is also written by " + setting + "; set one of them (erase the MCA key)");

    if (o.allow_run_as_root == run_as_root::flag) b.option("allow_run_as_root", {"--allow-run-as-root"});
    if (o.tag_output) b.option("tag_output", {"--tag-output"});
    b.option("np (from the plan or layout)", {"-np", std::to_string(np)});
    if (o.hostfile)
        b.option("hostfile", {"--hostfile", *o.hostfile});
    else if (!o.hosts_from_allocation)
        b.option("hosts (from the plan or layout)", {"-H", format_host_list(l.hosts)});
    if (o.bind_to) b.option("bind_to", {prrte ? "--bind-to" : "-bind-to", *o.bind_to});
    if (o.map_by) b.option("map_by", {prrte ? "--map-by" : "-map-by", *o.map_by});
    for (const auto& [name, value] : o.mca) b.option("mca[" + quote_json(name) + "]", {mca_flag, name, value}, name);
    if (large) {
        b.option("large_cluster_hosts", {launcher_mca_flag, plm + "no_tree_spawn", "true"}, plm + "no_tree_spawn");
        b.option("large_cluster_hosts", {launcher_mca_flag, plm + "num_concurrent", std::to_string(l.hosts.size())},
                 plm + "num_concurrent");
    }
    if (o.timestamp_output) b.option("timestamp_output", {"--timestamp-output"});
    if (o.ssh_port)
        b.option("ssh_port", {launcher_mca_flag, plm + "args", "-p " + std::to_string(*o.ssh_port)}, plm + "args");
    if (o.network_interface) {
        b.option("network_interface", {mca_flag, "btl_tcp_if_include", *o.network_interface}, "btl_tcp_if_include");
        b.option("network_interface", {"-x", "NCCL_SOCKET_IFNAME=" + *o.network_interface}, "NCCL_SOCKET_IFNAME");
    }
    if (o.output_filename) b.option("output_filename", {"--output-filename", *o.output_filename});
    for (const auto& e : exports) {
        const auto& setting = e.setting;
        if (!e.value) {
            b.option(setting, {"-x", e.name}, e.name);
        } else if (!needs_export_by_name(*e.value)) {
            b.option(setting, {"-x", e.name + "=" + *e.value}, e.name);
        } else {
            if (!o.allow_launcher_environment)
                throw mpi_launch_error(setting,
                                       "the value holds whitespace, a quote or a backslash, which Open MPI's -x "
                                       "cannot carry; it must be exported by name from the launcher's environment, "
                                       "but allow_launcher_environment is false");
            b.option(setting, {"-x", e.name}, e.name);
            b.launcher_variable(e.name, *e.value);
        }
    }
}

inline void render_hydra(command_builder& b, const mpi_launch_options& o, const mpi_launch_layout& l, int np,
                         const std::vector<export_item>& exports) {
    if (o.tag_output) b.option("tag_output", {"-l"});
    b.option("np (from the plan or layout)", {"-n", std::to_string(np)});
    if (o.hostfile) {
        b.option("hostfile", {o.flavor == mpi_flavor::intel ? "-machinefile" : "-f", *o.hostfile});
    } else if (!needs_hydra_hostfile(l.hosts)) {
        b.option("hosts (from the plan or layout)", {"-ppn", std::to_string(l.hosts.front().slots)});
        if (!o.hosts_from_allocation) {
            std::string names;
            for (const auto& h : l.hosts) names += (names.empty() ? "" : ",") + h.name;
            b.option("hosts (from the plan or layout)", {"-hosts", names});
        }
    } else {
        throw mpi_launch_error("hostfile", hydra_hostfile_rule(format_host_list(l.hosts)));
    }
    if (o.flavor == mpi_flavor::mpich) {
        if (o.bind_to) b.option("bind_to", {"-bind-to", *o.bind_to});
        if (o.map_by) b.option("map_by", {"-map-by", *o.map_by});
    }
    if (o.ssh_port)  // Intel only (checked)
        b.option("ssh_port", {"-bootstrap", "ssh", "-bootstrap-exec-args", "-p " + std::to_string(*o.ssh_port)});
    if (o.network_interface) {
        b.option("network_interface", {"-iface", *o.network_interface});
        b.option("network_interface", {"-genv", "NCCL_SOCKET_IFNAME", *o.network_interface}, "NCCL_SOCKET_IFNAME");
    }
    if (o.output_filename) b.option("output_filename", {"-outfile-pattern", *o.output_filename});
    std::string by_name;
    for (const auto& e : exports) {
        if (e.value)
            b.option(e.setting, {"-genv", e.name, *e.value}, e.name);
        else
            by_name += (by_name.empty() ? "" : ",") + e.name;
    }
    if (!by_name.empty()) b.option("export_names", {"-genvlist", by_name});
}

inline void render_horovodrun(command_builder& b, const mpi_launch_options& o, const mpi_launch_layout& l, int np,
                              const std::vector<export_item>& exports) {
    b.option("np (from the plan or layout)", {"-np", std::to_string(np)});
    if (o.hostfile)
        b.option("hostfile", {"--hostfile", *o.hostfile});
    else
        b.option("hosts (from the plan or layout)", {"-H", format_host_list(l.hosts)});
    if (o.network_interface) b.option("network_interface", {"--network-interface", *o.network_interface});
    if (o.ssh_port) b.option("ssh_port", {"--ssh-port", std::to_string(*o.ssh_port)});
    if (o.controller) b.option("controller", {*o.controller == horovod_controller::gloo ? "--gloo" : "--mpi"});
    if (o.output_filename) b.option("output_filename", {"--output-filename", *o.output_filename});
    if (o.timestamp_output) b.option("timestamp_output", {"--prefix-output-with-timestamp"});
    // horovodrun sends its whole environment to the ranks.
    for (const auto& e : exports) {
        if (!e.value) continue;
        if (!o.allow_launcher_environment)
            throw mpi_launch_error(e.setting,
                                   "horovodrun takes variables only from its own environment, but "
                                   "allow_launcher_environment is false");
        b.launcher_variable(e.name, *e.value);
    }
}

}  // namespace detail

/// The launch command for `layout` (hosts, process count, command). Throws
/// mpi_launch_error naming the setting when the launch cannot be written.
inline launch_command mpirun_command(const mpi_launch_layout& layout, const mpi_launch_options& o) {
    detail::check_options(o);
    const auto ranks = rank_table(layout.hosts, layout.np);  // checks the hosts and np
    const int np = static_cast<int>(ranks.size());
    const auto exports = detail::resolve_exports(layout.environment, o);
    if (layout.script_argv.empty() && o.command_prefix.empty())
        throw mpi_launch_error("command_prefix", "there is no command to run");

    detail::command_builder b(o.flavor, o.launcher ? *o.launcher : std::string(default_launcher(o.flavor)));
    if (o.flavor == mpi_flavor::openmpi && o.allow_run_as_root == run_as_root::environment) {
        if (!o.allow_launcher_environment)
            throw mpi_launch_error("allow_run_as_root",
                                   "the environment form sets OMPI_ALLOW_RUN_AS_ROOT in the launcher's environment, "
                                   "but allow_launcher_environment is false; use run_as_root::flag");
        b.launcher_variable("OMPI_ALLOW_RUN_AS_ROOT", "1");
        b.launcher_variable("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
    }
    switch (o.flavor) {
        case mpi_flavor::openmpi:
            detail::render_open_mpi(b, o, layout, np, exports);
            break;
        case mpi_flavor::mpich:
        case mpi_flavor::intel:
            detail::render_hydra(b, o, layout, np, exports);
            break;
        case mpi_flavor::horovodrun:
            detail::render_horovodrun(b, o, layout, np, exports);
            break;
    }
    detail::check_extra_args(o, b);
    b.append(o.extra_args);
    b.append(o.command_prefix);
    b.append(layout.script_argv);
    return b.take();
}

/// The launch command of a planned MPI job: `command_prefix entry_script
/// script_params...` on every rank, placed as the plan placed them; with
/// post steps (the ONNX export), each rank runs them after training when it
/// is rank 0 (task_command()).
inline launch_command mpirun_command(const cluster<mpi>& c, const mpi_launch_options& o) {
    auto layout = launch_layout(c);
    auto steps = detail::launch_steps(c.job().spec());
    if (steps.size() == 1) return mpirun_command(layout, o);
    steps.front().argv = o.command_prefix;
    steps.front().argv.insert(steps.front().argv.end(), layout.script_argv.begin(), layout.script_argv.end());
    layout.script_argv = task_command(steps, owner_check::mpi_rank);
    auto options = o;
    options.command_prefix.clear();
    return mpirun_command(layout, options);
}

TRAINSPEC_END_NAMESPACE
