#pragma once
// Kubernetes' syntax of variable names, labels and quantities, as its API
// server checks them.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <trainspec/spec/names.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// Kubernetes' environment variable names: `[-._a-zA-Z][-._a-zA-Z0-9]*`,
/// not `.`, not starting with `..`.
constexpr bool is_kubernetes_env_name(std::string_view s) noexcept {
    if (s.empty() || s == "." || s.substr(0, 2) == "..") return false;
    if (is_digit(s.front())) return false;
    for (char c : s)
        if (!is_alnum(c) && c != '-' && c != '.' && c != '_') return false;
    return true;
}

/// Label values: at most 63, `(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?`.
constexpr bool is_label_value(std::string_view s) noexcept {
    if (s.empty()) return true;
    if (s.size() > max_dns_label_length || !is_alnum(s.front()) || !is_alnum(s.back())) return false;
    for (char c : s)
        if (!is_alnum(c) && c != '-' && c != '_' && c != '.') return false;
    return true;
}

/// Label keys: `[prefix/]name`, the prefix a DNS-1123 subdomain, the name a
/// non-empty label value.
constexpr bool is_label_key(std::string_view s) noexcept {
    const auto slash = s.find('/');
    std::string_view name = s;
    if (slash != std::string_view::npos) {
        if (!is_dns1123_subdomain(s.substr(0, slash))) return false;
        name = s.substr(slash + 1);
    }
    return !name.empty() && is_label_value(name);
}

/// A Docker size as a Kubernetes quantity: binary suffixes where the bytes
/// divide exactly (2g -> 2Gi, 512m -> 512Mi), else plain bytes.
inline std::string kubernetes_quantity(std::uint64_t bytes) {
    constexpr std::pair<std::uint64_t, const char*> units[] = {
        {std::uint64_t{1} << 60, "Ei"}, {std::uint64_t{1} << 50, "Pi"}, {std::uint64_t{1} << 40, "Ti"},
        {std::uint64_t{1} << 30, "Gi"}, {std::uint64_t{1} << 20, "Mi"}, {std::uint64_t{1} << 10, "Ki"}};
    for (const auto& [size, suffix] : units)
        if (bytes % size == 0) return std::to_string(bytes / size) + suffix;
    return std::to_string(bytes);
}

/// A Kubernetes quantity as a memory size is written: digits, an optional
/// fraction, an optional suffix (Ki Mi Gi Ti Pi Ei, k M G T P E).
inline bool is_memory_quantity(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == 0) return false;
    if (i < s.size() && s[i] == '.') {
        const auto start = ++i;
        while (i < s.size() && is_digit(s[i])) ++i;
        if (i == start) return false;
    }
    const auto suffix = s.substr(i);
    for (std::string_view known : {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "k", "M", "G", "T", "P", "E"})
        if (suffix == known) return true;
    return false;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
