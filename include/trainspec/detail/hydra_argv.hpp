#pragma once
// The mpiexec line of Hydra, MPICH's and Intel MPI's launcher (docs/mpi.md).

#include <string>
#include <vector>

#include <trainspec/detail/join.hpp>
#include <trainspec/detail/mpi_argv.hpp>
#include <trainspec/detail/mpi_exports.hpp>
#include <trainspec/detail/rules.hpp>
#include <trainspec/render/mpi_options.hpp>
#include <trainspec/spec/hosts.hpp>
#include <trainspec/spec/mpi_flavor.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline void render_hydra(command_builder& b, const mpi_launch_options& o, const mpi_launch_layout& l, int np,
                         const std::vector<export_item>& exports) {
    if (o.tag_output) b.option("tag_output", {"-l"});
    b.option("np (from the plan or layout)", {"-n", std::to_string(np)});
    if (o.hostfile) {
        b.option("hostfile", {o.flavor == mpi_flavor::intel ? "-machinefile" : "-f", *o.hostfile});
    } else if (!needs_hydra_hostfile(l.hosts)) {
        b.option(hosts_setting, {"-ppn", std::to_string(l.hosts.front().slots)});
        if (!o.hosts_from_allocation) {
            b.option(hosts_setting, {"-hosts", join(l.hosts, ",", [](const host& h) { return h.name; })});
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

}  // namespace detail
TRAINSPEC_END_NAMESPACE
