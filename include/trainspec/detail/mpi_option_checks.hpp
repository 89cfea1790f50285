#pragma once
// The checks of mpi_launch_options that do not depend on the hosts.

#include <string>

#include <fmt/format.h>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/detail/rules.hpp>
#include <trainspec/render/mpi_options.hpp>
#include <trainspec/spec/hosts.hpp>
#include <trainspec/spec/mpi_flavor.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline void check_word(const std::string& setting, const std::string& value) {
    if (value.empty()) throw mpi_launch_error(setting, "is empty; reset it (std::nullopt) to leave the flag out");
    for (char c : value)
        if (is_space(c) || c == '\0') throw mpi_launch_error(setting, quote_json(value) + " must be one word");
}

inline void check_options(const mpi_launch_options& o) {
    if (o.launcher && o.launcher->empty()) throw mpi_launch_error("launcher", "is empty");
    // argv may start with `env NAME=value ...`: a launcher that env would
    // read as an option or as one more variable cannot follow.
    if (o.launcher) {
        if (auto why = option_like_problem(*o.launcher, "env")) throw mpi_launch_error("launcher", *why);
        if (o.launcher->find('=') != std::string::npos)
            throw mpi_launch_error("launcher", quote_json(*o.launcher) +
                                                   " contains '=': env would read it as a variable, not the program");
    }
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

}  // namespace detail
TRAINSPEC_END_NAMESPACE
