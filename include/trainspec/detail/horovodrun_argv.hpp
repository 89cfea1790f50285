#pragma once
// horovodrun's line: it applies Horovod's profile and forwards its own
// environment itself (docs/mpi.md).

#include <string>
#include <vector>

#include <trainspec/detail/mpi_argv.hpp>
#include <trainspec/detail/mpi_exports.hpp>
#include <trainspec/render/mpi_options.hpp>
#include <trainspec/spec/hosts.hpp>
#include <trainspec/spec/mpi_flavor.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline void render_horovodrun(command_builder& b, const mpi_launch_options& o, const mpi_launch_layout& l, int np,
                              const std::vector<export_item>& exports) {
    b.option("np (from the plan or layout)", {"-np", std::to_string(np)});
    if (o.hostfile)
        b.option("hostfile", {"--hostfile", *o.hostfile});
    else
        b.option(hosts_setting, {"-H", format_host_list(l.hosts)});
    if (o.network_interface) b.option("network_interface", {"--network-interface", *o.network_interface});
    if (o.ssh_port) b.option("ssh_port", {"--ssh-port", std::to_string(*o.ssh_port)});
    if (o.controller) b.option("controller", {*o.controller == horovod_controller::gloo ? "--gloo" : "--mpi"});
    if (o.output_filename) b.option("output_filename", {"--output-filename", *o.output_filename});
    if (o.timestamp_output) b.option("timestamp_output", {"--prefix-output-with-timestamp"});
    // horovodrun sends its whole environment to the ranks.
    for (const auto& e : exports) {
        if (!e.value) continue;
        if (e.task_only) {
            b.task_variable(e.name, *e.value);
            continue;
        }
        if (!o.allow_launcher_environment)
            throw mpi_launch_error(e.setting,
                                   "horovodrun takes variables only from its own environment, but "
                                   "allow_launcher_environment is false");
        b.launcher_variable(e.name, *e.value);
    }
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
