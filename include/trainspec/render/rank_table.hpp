#pragma once
// The rank table of an MPI (Horovod) job, computed the way Horovod assigns
// ranks, and the per-rank environment of Horovod's Gloo mode.
//
// Assignment (Horovod's get_host_assignments()):
//   * hosts in the given order; each host takes the next ranks, up to its
//     slots, until np ranks are placed (a host may get fewer, or none);
//   * local_rank: 0.. on each host; local_size: the ranks on that host;
//   * cross_rank: the host's position among the hosts that have a rank with
//     that local rank; cross_size: how many hosts have that local rank.
// With slots a:2,b:1,c:3 and np 6:
//   rank        0 1 2 3 4 5
//   host        a a b c c c
//   local_rank  0 1 0 0 1 2
//   local_size  2 2 1 3 3 3
//   cross_rank  0 0 1 2 1 0      (local rank 0 is on a, b, c; 1 on a, c; 2 on c)
//   cross_size  3 2 3 3 2 1
//
// Unlike Horovod's mpirun path, np larger than the slots is an error here.
//
// For a planned job, ranks_per_host() gives each host the ranks the plan put
// there (process_count_per_node), not the host's capacity: a host listed
// with 8 slots that runs 2 ranks appears as host:2 in every command line and
// hostfile, so that the launcher places ranks exactly as the plan did.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <trainspec/detail/linkage.hpp>
#include <trainspec/plan.hpp>
#include <trainspec/spec/backend.hpp>
#include <trainspec/spec/compute_target.hpp>
#include <trainspec/spec/hosts.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/mpi_flavor.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// One rank as Horovod sees it (its SlotInfo). The host is referred to by
/// its position in the hosts the table was made from (those given to
/// rank_table(), or the plan's hosts()).
struct rank_info {
    std::size_t host_index = 0;
    int rank = 0;
    int size = 0;
    int local_rank = 0;
    int local_size = 0;
    int cross_rank = 0;
    int cross_size = 0;

    friend bool operator==(const rank_info& a, const rank_info& b) {
        return a.host_index == b.host_index && a.rank == b.rank && a.size == b.size && a.local_rank == b.local_rank &&
               a.local_size == b.local_size && a.cross_rank == b.cross_rank && a.cross_size == b.cross_size;
    }
    friend bool operator!=(const rank_info& a, const rank_info& b) { return !(a == b); }
};

/// The ranks of `np` processes on `hosts` (np 0: one per slot), as Horovod
/// assigns them. Throws mpi_launch_error when np exceeds the slots (Horovod
/// would oversubscribe), np is negative, or the hosts are unusable.
std::vector<rank_info> rank_table(const std::vector<host>& hosts, int np = 0);

/// The plan's hosts, each with the number of ranks the plan placed on it.
std::vector<host> ranks_per_host(const cluster<mpi>& c);

/// The rank table of a planned MPI job; it agrees with the plan's ranks,
/// local ranks and hosts.
std::vector<rank_info> rank_table(const cluster<mpi>& c);

/// Where the processes of a Gloo job meet: the launcher's rendezvous server
/// and the network interfaces for Gloo and NCCL.
struct gloo_rendezvous {
    std::string address;                  ///< HOROVOD_GLOO_RENDEZVOUS_ADDR, reachable from every host
    int port = 0;                         ///< HOROVOD_GLOO_RENDEZVOUS_PORT
    std::vector<std::string> interfaces;  ///< HOROVOD_GLOO_IFACE is the first; NCCL_SOCKET_IFNAME all, comma-separated
};

/// The environment Horovod's Gloo launcher gives one process: its slot
/// variables, then the job-wide rendezvous ones, in Horovod's order. `hosts`
/// are the ones its rank table was made from.
std::vector<environment_variable> gloo_environment(const std::vector<host>& hosts, const rank_info& r,
                                                   const gloo_rendezvous& g);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <fmt/format.h>

#include <trainspec/detail/launch_hosts.hpp>
#include <trainspec/detail/rules.hpp>
#include <trainspec/spec/names.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {
/// The table of `ranks_on_host[h]` ranks on each host h, in host order.
inline std::vector<rank_info> rank_table_of(const std::vector<int>& ranks_on_host, int size) {
    // Per local rank: how many hosts have it (the cross size).
    std::vector<int> hosts_with_local_rank;
    for (const int ranks : ranks_on_host) {
        if (hosts_with_local_rank.size() < static_cast<std::size_t>(ranks))
            hosts_with_local_rank.resize(static_cast<std::size_t>(ranks), 0);
        for (int local = 0; local < ranks; ++local) ++hosts_with_local_rank[static_cast<std::size_t>(local)];
    }
    // A host's cross rank for a local rank is the number of hosts before it
    // with that local rank: counted while walking the hosts in order.
    std::vector<int> hosts_seen_with_local_rank(hosts_with_local_rank.size(), 0);
    std::vector<rank_info> table;
    table.reserve(static_cast<std::size_t>(size));
    int rank = 0;
    for (std::size_t h = 0; h < ranks_on_host.size(); ++h)
        for (int local = 0; local < ranks_on_host[h]; ++local, ++rank) {
            const auto l = static_cast<std::size_t>(local);
            const int cross_rank = hosts_seen_with_local_rank[l]++;
            table.push_back({h, rank, size, local, ranks_on_host[h], cross_rank, hosts_with_local_rank[l]});
        }
    return table;
}
}  // namespace detail

TRAINSPEC_INLINE std::vector<rank_info> rank_table(const std::vector<host>& hosts, int np) {
    const int size = detail::launch_size(hosts, np);
    std::vector<int> ranks_on_host(hosts.size(), 0);
    int placed = 0;
    for (std::size_t h = 0; h < hosts.size() && placed < size; ++h) {
        ranks_on_host[h] = std::min(hosts[h].slots, size - placed);
        placed += ranks_on_host[h];
    }
    return detail::rank_table_of(ranks_on_host, size);
}

TRAINSPEC_INLINE std::vector<host> ranks_per_host(const cluster<mpi>& c) {
    std::vector<host> out;
    const auto& counts = c.tasks_per_host();
    for (std::size_t i = 0; i < counts.size(); ++i)
        if (counts[i] > 0) out.push_back({c.hosts()[i].name, counts[i]});
    return out;
}

TRAINSPEC_INLINE std::vector<rank_info> rank_table(const cluster<mpi>& c) {
    return detail::rank_table_of(c.tasks_per_host(), static_cast<int>(c.tasks().size()));
}

TRAINSPEC_INLINE std::vector<environment_variable> gloo_environment(const std::vector<host>& hosts, const rank_info& r,
                                                                    const gloo_rendezvous& g) {
    if (r.host_index >= hosts.size())
        throw mpi_launch_error("hosts",
                               fmt::format("rank {} refers to host {} of {}", r.rank, r.host_index, hosts.size()));
    if (g.address.empty()) throw mpi_launch_error("gloo.address", "the rendezvous address is empty");
    for (char c : g.address)
        if (detail::is_space(c) || c == ',')
            throw mpi_launch_error("gloo.address", "the rendezvous address " + detail::quote_json(g.address) +
                                                       " contains whitespace or ','");
    if (g.port < 1 || g.port > 65535)
        throw mpi_launch_error("gloo.port", fmt::format("port {} is outside 1-65535", g.port));
    if (g.interfaces.empty())
        throw mpi_launch_error("gloo.interfaces", "Gloo needs at least one network interface (as horovodrun does)");
    std::string nics;
    for (const auto& nic : g.interfaces) {
        if (auto why = detail::network_interface_problem(nic))
            throw mpi_launch_error("gloo.interfaces", detail::quote_json(nic) + ": " + *why);
        if (!nics.empty()) nics += ',';
        nics += nic;
    }
    return {
        {"HOROVOD_HOSTNAME", hosts[r.host_index].name},
        {"HOROVOD_RANK", std::to_string(r.rank)},
        {"HOROVOD_SIZE", std::to_string(r.size)},
        {"HOROVOD_LOCAL_RANK", std::to_string(r.local_rank)},
        {"HOROVOD_LOCAL_SIZE", std::to_string(r.local_size)},
        {"HOROVOD_CROSS_RANK", std::to_string(r.cross_rank)},
        {"HOROVOD_CROSS_SIZE", std::to_string(r.cross_size)},
        {"HOROVOD_GLOO_RENDEZVOUS_ADDR", g.address},
        {"HOROVOD_GLOO_RENDEZVOUS_PORT", std::to_string(g.port)},
        {"HOROVOD_CONTROLLER", "gloo"},
        {"HOROVOD_CPU_OPERATIONS", "gloo"},
        {"HOROVOD_GLOO_IFACE", g.interfaces.front()},
        {"NCCL_SOCKET_IFNAME", nics},
    };
}
TRAINSPEC_END_NAMESPACE
#endif
