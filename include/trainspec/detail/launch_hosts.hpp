#pragma once
// The hosts and the process count a launcher is given, checked once for the
// rank table, the hostfiles and the launch lines (docs/mpi.md).

#include <cstdint>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/detail/rules.hpp>
#include <trainspec/spec/compute_target.hpp>
#include <trainspec/spec/hosts.hpp>
#include <trainspec/spec/mpi_flavor.hpp>
#include <trainspec/spec/names.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// Hosts that a launcher can be given: names it accepts, each once, each
/// with at least one slot. Throws mpi_launch_error("hosts", ...).
inline std::int64_t check_launch_hosts(const std::vector<host>& hosts) {
    if (hosts.empty()) throw mpi_launch_error("hosts", "no host given");
    const auto earlier = earlier_same(hosts, [](const host& h) { return std::string_view(h.name); });
    std::int64_t slots = 0;
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        const auto& h = hosts[i];
        if (auto why = host_name_problem(h.name)) throw mpi_launch_error("hosts", quote_json(h.name) + ": " + *why);
        if (auto why = host_slots_problem(h.slots))
            throw mpi_launch_error("hosts", fmt::format("{}: {} (it has {})", quote_json(h.name), *why, h.slots));
        if (earlier[i] != std::string_view::npos) throw mpi_launch_error("hosts", duplicate_host_rule(h.name));
        slots += h.slots;
    }
    return slots;
}

/// The processes of a launch of `np` (0: one per slot) on `hosts`, after
/// checking both: np is not negative and each process has a slot (Horovod
/// would oversubscribe). Throws mpi_launch_error.
inline int launch_size(const std::vector<host>& hosts, int np) {
    const auto slots = check_launch_hosts(hosts);
    if (np < 0) throw mpi_launch_error("np", fmt::format("np is {}; it must be at least 1", np));
    if (np > slots)
        throw mpi_launch_error("np", fmt::format("np = {} is larger than the {} slot(s) of the hosts ({}); each "
                                                 "process needs a slot",
                                                 np, slots, format_host_list(hosts)));
    return np == 0 ? static_cast<int>(slots) : np;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
