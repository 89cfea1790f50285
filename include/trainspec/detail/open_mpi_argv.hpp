#pragma once
// Open MPI's mpirun line, ORTE's and PRRTE's spellings (docs/mpi.md).

#include <string>
#include <utility>
#include <vector>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/detail/mpi_argv.hpp>
#include <trainspec/detail/mpi_exports.hpp>
#include <trainspec/render/mpi_options.hpp>
#include <trainspec/spec/hosts.hpp>
#include <trainspec/spec/mpi_flavor.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline void render_open_mpi(command_builder& b, const mpi_launch_options& o, const mpi_launch_layout& l, int np,
                            const std::vector<export_item>& exports) {
    const bool prrte = o.open_mpi_major >= 5;
    const std::string mca_flag = prrte ? "--mca" : "-mca";
    const std::string launcher_mca_flag = prrte ? "--prtemca" : "-mca";
    const std::string plm = prrte ? "plm_ssh_" : "plm_rsh_";

    // The MCA parameters other settings write: none may also be in `mca`.
    const bool large = o.large_cluster_hosts && static_cast<int>(l.hosts.size()) >= *o.large_cluster_hosts;
    for (const auto& derived :
         derived_mca_parameters(prrte, o.ssh_port.has_value(), o.network_interface.has_value(), large))
        if (o.mca.find(derived.name))
            throw mpi_launch_error("mca[" + quote_json(derived.name) + "]", derived_mca_rule(derived));

    if (o.allow_run_as_root == run_as_root::flag) b.option("allow_run_as_root", {"--allow-run-as-root"});
    if (o.tag_output) b.option("tag_output", {"--tag-output"});
    b.option("np (from the plan or layout)", {"-np", std::to_string(np)});
    if (o.hostfile)
        b.option("hostfile", {"--hostfile", *o.hostfile});
    else if (!o.hosts_from_allocation)
        b.option(hosts_setting, {"-H", format_host_list(l.hosts)});
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
        } else if (e.task_only) {
            b.task_variable(e.name, *e.value);
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

}  // namespace detail
TRAINSPEC_END_NAMESPACE
