#pragma once
// Where a job runs: a named compute target (or "local"), what its nodes hold,
// and optionally the hosts themselves.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <trainspec/detail/member_equality.hpp>
#include <trainspec/spec/enum_names.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// One machine and how many processes it may run (Horovod's `host:slots`).
struct host {
    std::string name;
    int slots = 1;

    friend bool operator==(const host& a, const host& b) { return a.name == b.name && a.slots == b.slots; }
    friend bool operator!=(const host& a, const host& b) { return !(a == b); }
};

/// The name of the compute target that means "this machine".
inline constexpr const char* local_compute_target = "local";

struct compute_target {
    std::string name;                  ///< a cluster's name, or "local"
    std::optional<int> gpus_per_node;  ///< declared GPUs per node (0 = CPU-only)
    std::optional<int> cpus_per_node;  ///< declared CPU slots per node
    std::optional<int> max_nodes;      ///< the most nodes the target can give
    std::vector<host> hosts;           ///< known hosts, in placement order

    compute_target() = default;
    compute_target(std::string target_name) : name(std::move(target_name)) {}
    compute_target(const char* target_name) : name(target_name) {}

    bool is_local() const { return name == local_compute_target; }

    /// True when only the name is set (the JSON spec then writes a string).
    bool is_name_only() const { return !gpus_per_node && !cpus_per_node && !max_nodes && hosts.empty(); }

    friend bool operator==(const compute_target& a, const compute_target& b) {
        return detail::members_equal(a, b, &compute_target::name, &compute_target::gpus_per_node,
                                     &compute_target::cpus_per_node, &compute_target::max_nodes,
                                     &compute_target::hosts);
    }
    friend bool operator!=(const compute_target& a, const compute_target& b) { return !(a == b); }
};

/// The keys of a host written as an object, `{"name": "a", "slots": 2}`.
enum class host_key { name, slots };

template <>
struct enum_names<host_key> {
    static constexpr std::array<enum_entry<host_key>, 2> table{{
        {host_key::name, "name"},
        {host_key::slots, "slots"},
    }};
};

/// The keys of the spec's `compute_target` object, in the order a spec is written.
enum class compute_target_key { name, gpus_per_node, cpus_per_node, max_nodes, hosts };

template <>
struct enum_names<compute_target_key> {
    static constexpr std::array<enum_entry<compute_target_key>, 5> table{{
        {compute_target_key::name, "name"},
        {compute_target_key::gpus_per_node, "gpus_per_node"},
        {compute_target_key::cpus_per_node, "cpus_per_node"},
        {compute_target_key::max_nodes, "max_nodes"},
        {compute_target_key::hosts, "hosts"},
    }};
};

inline const std::vector<std::string>& compute_target_keys() { return enum_name_strings<compute_target_key>(); }

TRAINSPEC_END_NAMESPACE
