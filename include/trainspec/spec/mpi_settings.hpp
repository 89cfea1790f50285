#pragma once
// The spec's `mpi` object: how an `mpi` job is launched, as plain data.
// Every field is optional; an unset field leaves mpi_launch_options' default
// (Horovod's profile for Open MPI 4, minus running as root). Kept free of
// mpi.hpp so that job_spec stays light; mpi_launch_options_from() (mpi.hpp)
// turns these settings into launch options.
//
//   "mpi": {
//     "flavor": "openmpi",                 openmpi (default), mpich, intel, horovodrun
//     "allow_run_as_root": "flag",         false (default), "flag", "environment"
//     "network_interface": "eth0",
//     "ssh_port": 2222,
//     "open_mpi_major": 5,                 4 (default) or 5
//     "bind_to": "core",                   a value replaces Horovod's "none"; null removes -bind-to
//     "map_by": null,                      a value replaces Horovod's "slot"; null removes -map-by
//     "mca": {"btl": null, "pml": "ucx"},  a value sets the parameter; null removes a default one
//     "extra_args": ["--report-bindings"], before the command
//     "command_prefix": ["python3", "-u"], runs the entry script (default ["python"])
//     "trusted_launcher_settings": true    allows extra_args, command_prefix and MCA parameters
//   }                                      that name programs or paths (docs/security.md)

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <trainspec/detail/member_equality.hpp>
#include <trainspec/spec/enum_names.hpp>
#include <trainspec/spec/mpi_flavor.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// How Open MPI is allowed to run as root.
enum class run_as_root {
    not_allowed,  ///< nothing rendered: Open MPI refuses to start as root
    flag,         ///< --allow-run-as-root
    environment,  ///< OMPI_ALLOW_RUN_AS_ROOT=1 and OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 in launcher_environment
};

/// not_allowed has no name: the spec writes it as false.
template <>
struct enum_names<run_as_root> {
    static constexpr std::array<enum_entry<run_as_root>, 2> table{{
        {run_as_root::flag, "flag"},
        {run_as_root::environment, "environment"},
    }};
};

/// "flag", "environment"; "" for not_allowed (which the spec writes as false).
constexpr std::string_view run_as_root_name(run_as_root r) noexcept { return enum_name(r); }

/// Parses "flag" or "environment"; nullopt otherwise.
constexpr std::optional<run_as_root> run_as_root_from_name(std::string_view name) noexcept {
    return enum_from_name<run_as_root>(name);
}

/// One entry of the spec's `mpi.mca`: a value sets the MCA parameter, no
/// value (JSON null) removes it from the defaults.
struct mca_setting {
    std::string name;
    std::optional<std::string> value;

    friend bool operator==(const mca_setting& a, const mca_setting& b) {
        return a.name == b.name && a.value == b.value;
    }
    friend bool operator!=(const mca_setting& a, const mca_setting& b) { return !(a == b); }
};

/// The spec's `mpi` object. bind_to and map_by have three states: unset
/// (Horovod's default), a value (replaces it), or an empty inner optional
/// (JSON null: the flag is left out).
struct mpi_settings {
    std::optional<mpi_flavor> flavor;
    std::optional<run_as_root> allow_run_as_root;
    std::optional<std::string> network_interface;
    std::optional<int> ssh_port;
    std::optional<int> open_mpi_major;
    std::optional<std::optional<std::string>> bind_to;
    std::optional<std::optional<std::string>> map_by;
    std::vector<mca_setting> mca;                            ///< in the user's order
    std::vector<std::string> extra_args;                     ///< before the command
    std::optional<std::vector<std::string>> command_prefix;  ///< default {"python"}; empty: run the entry script itself
    /// The spec's author vouches for the settings that run programs
    /// (docs/security.md); unset counts as false.
    std::optional<bool> trusted_launcher_settings;

    friend bool operator==(const mpi_settings& a, const mpi_settings& b) {
        return detail::members_equal(a, b, &mpi_settings::flavor, &mpi_settings::allow_run_as_root,
                                     &mpi_settings::network_interface, &mpi_settings::ssh_port,
                                     &mpi_settings::open_mpi_major, &mpi_settings::bind_to, &mpi_settings::map_by,
                                     &mpi_settings::mca, &mpi_settings::extra_args, &mpi_settings::command_prefix,
                                     &mpi_settings::trusted_launcher_settings);
    }
    friend bool operator!=(const mpi_settings& a, const mpi_settings& b) { return !(a == b); }
};

/// The keys of the spec's `mpi` object, in the order a spec is written.
enum class mpi_key {
    flavor,
    allow_run_as_root,
    network_interface,
    ssh_port,
    open_mpi_major,
    bind_to,
    map_by,
    mca,
    extra_args,
    command_prefix,
    trusted_launcher_settings,
};

template <>
struct enum_names<mpi_key> {
    static constexpr std::array<enum_entry<mpi_key>, 11> table{{
        {mpi_key::flavor, "flavor"},
        {mpi_key::allow_run_as_root, "allow_run_as_root"},
        {mpi_key::network_interface, "network_interface"},
        {mpi_key::ssh_port, "ssh_port"},
        {mpi_key::open_mpi_major, "open_mpi_major"},
        {mpi_key::bind_to, "bind_to"},
        {mpi_key::map_by, "map_by"},
        {mpi_key::mca, "mca"},
        {mpi_key::extra_args, "extra_args"},
        {mpi_key::command_prefix, "command_prefix"},
        {mpi_key::trusted_launcher_settings, "trusted_launcher_settings"},
    }};
};

/// The keys of the spec's `mpi` object, in the order to_json() writes them.
inline const std::vector<std::string>& mpi_settings_keys() { return enum_name_strings<mpi_key>(); }

TRAINSPEC_END_NAMESPACE
