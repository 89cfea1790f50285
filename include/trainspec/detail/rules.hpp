#pragma once
// The rules several stages check, each defined once: validate(), plan(),
// the host-list and hostfile parsers, rank_table() and the MPI renderers
// call these and report the returned rule in their own vocabulary (a spec
// path, --hosts, a launch setting). docs/rules.md says where each limit
// comes from.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/spec/limits.hpp>
#include <trainspec/spec/names.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// Why `value`, given to `program` where a leading '-' starts an option,
/// would be read as one, or nullopt. Refused rather than escaped: no such
/// value is meant (docs/security.md).
inline std::optional<std::string> option_like_problem(std::string_view value, std::string_view program) {
    if (!starts_like_option(value)) return std::nullopt;
    return "must not start with '-': " + std::string(program) + " would read it as an option";
}

using trainspec::max_host_slots;  // spec/limits.hpp; the host rules below read it

/// Why `name` is no host name a launcher accepts (Horovod's `[\w.-]+`, DNS's
/// 253 characters), or nullopt.
inline std::optional<std::string> host_name_problem(std::string_view name) {
    if (name.empty()) return "the host name is empty";
    if (name.size() > 253) return "a host name has at most 253 characters";
    if (auto why = option_like_problem(name, "ssh (through mpirun -H, Hydra's -hosts, a hostfile)"))
        return "a host name " + *why;
    if (!is_host_name(name)) return "a host name may only contain letters, digits, '_', '.', '-'";
    return std::nullopt;
}

/// Why `slots` is no slot count, or nullopt.
inline std::optional<std::string> host_slots_problem(std::int64_t slots) {
    if (slots < 1) return "a host needs at least 1 slot";
    if (slots > max_host_slots) return "a host has at most " + std::to_string(max_host_slots) + " slots";
    return std::nullopt;
}

/// Why `count` hosts are too many for one list (a spec's, --hosts, a
/// hostfile), or nullopt. The parsers stop at the first host past the limit.
inline std::optional<std::string> host_count_problem(std::size_t count) {
    if (count <= static_cast<std::size_t>(max_hosts)) return std::nullopt;
    return "lists " + std::to_string(count) + " hosts; a list of hosts has at most " + std::to_string(max_hosts) +
           " (docs/limits.md)";
}

inline std::string duplicate_host_rule(std::string_view name) {
    return "host " + quote_json(name) + " is listed twice; give its slots once";
}

/// For each item, the index of the first earlier item with the same key, or
/// npos. Linear.
template <class Items, class Key>
std::vector<std::size_t> earlier_same(const Items& items, Key key) {
    std::vector<std::size_t> found;
    found.reserve(items.size());
    std::unordered_map<std::string_view, std::size_t> seen;
    seen.reserve(items.size());
    for (const auto& item : items) {
        const auto [at, fresh] = seen.emplace(key(item), found.size());
        found.push_back(fresh ? std::string_view::npos : at->second);
    }
    return found;
}

/// Why `name` is no network interface name, or nullopt: Linux keeps at most
/// IFNAMSIZ - 1 = 15 characters, and an address label (`eth0:1`, which
/// getifaddrs() reports and Open MPI matches) within the same limit.
inline std::optional<std::string> network_interface_problem(std::string_view name) {
    bool ok = !name.empty() && name != "." && name != "..";
    for (char c : name) ok = ok && (is_alnum(c) || c == '_' || c == '.' || c == ':' || c == '-');
    if (!ok) return "must be a network interface name such as \"eth0\" ([A-Za-z0-9_.:-]+)";
    if (name.size() > 15)
        return "has " + std::to_string(name.size()) + " characters; a network interface name has at most 15";
    return std::nullopt;
}

/// Why `name` is no MCA parameter name, or nullopt.
inline std::optional<std::string> mca_name_problem(std::string_view name) {
    bool ok = !name.empty();
    for (char c : name) ok = ok && (is_alnum(c) || c == '_');
    if (!ok) return "an MCA parameter name has only letters, digits and '_'";
    return std::nullopt;
}

/// Why `value` cannot be an MCA value, or nullopt: Open MPI hands MCA values
/// to its remote daemons inside double quotes on the ssh command line.
inline std::optional<std::string> mca_value_problem(std::string_view value) {
    if (value.empty()) return "must not be empty (to remove a parameter, leave it out, or null in a spec)";
    if (value.find_first_of(std::string_view("\"`$\\\n\r\0", 7)) != std::string_view::npos)
        return "Open MPI passes MCA values to remote daemons in double quotes through ssh; the value must not hold "
               "\", `, $, \\, a line break or NUL";
    return std::nullopt;
}

/// An MCA parameter Open MPI's launch line derives from another setting.
struct derived_mca_parameter {
    std::string name;
    const char* setting;
};

/// The MCA parameters that `ssh_port`, `network_interface` and a large
/// cluster write on Open MPI's launch line (plm_ssh_* from Open MPI 5,
/// PRRTE); none may also be set as a raw MCA parameter.
inline std::vector<derived_mca_parameter> derived_mca_parameters(bool open_mpi_5, bool ssh_port, bool network_interface,
                                                                 bool large_cluster) {
    const std::string plm = open_mpi_5 ? "plm_ssh_" : "plm_rsh_";
    std::vector<derived_mca_parameter> out;
    if (large_cluster) {
        out.push_back({plm + "no_tree_spawn", "large_cluster_hosts"});
        out.push_back({plm + "num_concurrent", "large_cluster_hosts"});
    }
    if (ssh_port) out.push_back({plm + "args", "ssh_port"});
    if (network_interface) out.push_back({"btl_tcp_if_include", "network_interface"});
    return out;
}

inline std::string derived_mca_rule(const derived_mca_parameter& p) {
    return std::string("is also written by ") + p.setting + "; set one of them (erase the MCA key)";
}

/// Why `port` is no TCP port, or nullopt.
inline std::optional<std::string> tcp_port_problem(std::int64_t port) {
    if (port < 1 || port > 65535) return "must be a TCP port, 1-65535";
    return std::nullopt;
}

/// Kubernetes' names (is_dns1123_label(), is_dns1123_subdomain()).
inline constexpr std::string_view dns1123_label_rule =
    "must be a DNS-1123 label: [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters";
inline constexpr std::string_view cluster_domain_rule = "must be a DNS-1123 subdomain such as cluster.local";

/// Hydra's `-ppn` gives every host the same slot count: hosts that differ
/// need a hostfile.
template <class Hosts>
bool needs_hydra_hostfile(const Hosts& hosts) {
    for (const auto& h : hosts)
        if (h.slots != hosts.front().slots) return true;
    return false;
}
inline std::string hydra_hostfile_rule(const std::string& hosts) {
    return "the hosts have different slot counts (" + hosts +
           ") and Hydra's -ppn takes one: give a hostfile (hostfile_text(), trainspec-gen hostfile)";
}

/// MPICH's mpiexec has no way to pass an ssh port.
inline constexpr std::string_view mpich_ssh_port_rule =
    "MPICH's mpiexec cannot pass ssh arguments (-bootstrap-exec-args is Intel MPI's: \"unrecognized argument\"); "
    "set the port in ~/.ssh/config on the launching host";

}  // namespace detail
TRAINSPEC_END_NAMESPACE
