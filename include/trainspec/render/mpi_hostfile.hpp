#pragma once
// Hostfiles in each launcher's syntax, one host per line, in rank order:
//
//   openmpi, horovodrun   node-0 slots=2     (Horovod's reader takes this form,
//                                             and no comment or blank line)
//   mpich, intel          node-0:2           (Hydra's -f / -machinefile)
//
// For a planned job the slot count is the number of ranks the plan put on
// the host (see ranks_per_host()), so that `-np N` with this file places the
// ranks as the plan did. parse_hostfile() reads every form back.

#include <string>
#include <vector>

#include <trainspec/detail/linkage.hpp>
#include <trainspec/plan.hpp>
#include <trainspec/render/rank_table.hpp>
#include <trainspec/spec/compute_target.hpp>
#include <trainspec/spec/mpi_flavor.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// The hostfile for `hosts` in `flavor`'s syntax. Throws mpi_launch_error
/// for hosts a launcher cannot take (bad names, duplicates, no slots).
std::string hostfile_text(const std::vector<host>& hosts, mpi_flavor flavor);

/// The hostfile of a planned MPI job: each host with the ranks placed there.
std::string hostfile_text(const cluster<mpi>& c, mpi_flavor flavor);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <trainspec/detail/launch_hosts.hpp>

TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_INLINE std::string hostfile_text(const std::vector<host>& hosts, mpi_flavor flavor) {
    detail::check_launch_hosts(hosts);
    std::string text;
    for (const auto& h : hosts) {
        text += h.name;
        text += is_hydra(flavor) ? ":" : " slots=";
        text += std::to_string(h.slots);
        text += '\n';
    }
    return text;
}

TRAINSPEC_INLINE std::string hostfile_text(const cluster<mpi>& c, mpi_flavor flavor) {
    return hostfile_text(ranks_per_host(c), flavor);
}
TRAINSPEC_END_NAMESPACE
#endif
