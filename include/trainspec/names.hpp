#pragma once
// Syntax rules for the names a job carries into other systems: Kubernetes
// resource names, environment variable names, host names, image references,
// and Docker's size syntax.

#include <cstdint>
#include <optional>
#include <string_view>

#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

inline constexpr std::size_t max_dns_label_length = 63;

namespace detail {
constexpr bool is_lower_alnum(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
constexpr bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_alnum(char c) noexcept { return is_alpha(c) || is_digit(c); }
}  // namespace detail

/// Kubernetes DNS-1035 label (Service names): `[a-z]([-a-z0-9]*[a-z0-9])?`,
/// at most 63 characters.
constexpr bool is_dns1035_label(std::string_view s) noexcept {
    if (s.empty() || s.size() > max_dns_label_length) return false;
    if (!(s.front() >= 'a' && s.front() <= 'z') || !detail::is_lower_alnum(s.back())) return false;
    for (char c : s)
        if (!detail::is_lower_alnum(c) && c != '-') return false;
    return true;
}

/// A variable name every POSIX shell and every launcher can pass on:
/// `[A-Za-z_][A-Za-z0-9_]*`.
constexpr bool is_portable_env_name(std::string_view s) noexcept {
    if (s.empty() || detail::is_digit(s.front())) return false;
    for (char c : s)
        if (!detail::is_alnum(c) && c != '_') return false;
    return true;
}

/// A host name as launchers accept it (Horovod's `[\w.-]+`).
constexpr bool is_host_name(std::string_view s) noexcept {
    if (s.empty() || s.size() > 253) return false;
    for (char c : s)
        if (!detail::is_alnum(c) && c != '_' && c != '.' && c != '-') return false;
    return true;
}

/// Compute target names: a letter or digit, then letters, digits, '.', '_', '-'.
constexpr bool is_compute_target_name(std::string_view s) noexcept {
    if (s.empty() || !detail::is_alnum(s.front())) return false;
    for (char c : s)
        if (!detail::is_alnum(c) && c != '_' && c != '.' && c != '-') return false;
    return true;
}

/// Azure VM size names such as Standard_NC6s_v3.
constexpr bool is_vm_size_name(std::string_view s) noexcept {
    if (s.empty()) return false;
    for (char c : s)
        if (!detail::is_alnum(c) && c != '_') return false;
    return true;
}

/// Why a Docker image reference is malformed, or nullopt when it is fine.
/// The rules are Docker's: `[registry[:port]/]path[:tag][@digest]`, the path
/// in lower case, a tag of at most 128 characters of `[A-Za-z0-9_.-]` not
/// starting with '.' or '-'.
inline std::optional<std::string_view> image_reference_problem(std::string_view ref) {
    if (ref.empty()) return "must not be empty";
    for (char c : ref)
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return "must not contain spaces or control characters";
    std::string_view name = ref;
    if (auto at = name.find('@'); at != std::string_view::npos) {
        auto digest = name.substr(at + 1);
        if (digest.find(':') == std::string_view::npos) return "the digest after '@' must be algorithm:hex";
        name = name.substr(0, at);
    }
    const auto last_slash = name.rfind('/');
    const auto colon = name.rfind(':');
    if (colon != std::string_view::npos && (last_slash == std::string_view::npos || colon > last_slash)) {
        auto tag = name.substr(colon + 1);
        if (tag.empty() || tag.size() > 128) return "a tag must have 1 to 128 characters";
        if (tag.front() == '.' || tag.front() == '-') return "a tag must not start with '.' or '-'";
        for (char c : tag)
            if (!detail::is_alnum(c) && c != '_' && c != '.' && c != '-')
                return "a tag may only contain letters, digits, '_', '.', '-'";
        name = name.substr(0, colon);
    }
    // The first component is a registry when it looks like a host.
    std::string_view path = name;
    if (auto slash = name.find('/'); slash != std::string_view::npos) {
        auto first = name.substr(0, slash);
        if (first.find_first_of(".:") != std::string_view::npos || first == "localhost") path = name.substr(slash + 1);
    }
    if (path.empty()) return "must name a repository";
    for (char c : path) {
        if (c >= 'A' && c <= 'Z') return "the repository name must be lowercase";
        if (!detail::is_lower_alnum(c) && c != '/' && c != '.' && c != '_' && c != '-')
            return "the repository name may only contain a-z, 0-9, '/', '.', '_', '-'";
    }
    if (!detail::is_lower_alnum(path.front()) || !detail::is_lower_alnum(path.back()))
        return "the repository name must start and end with a letter or digit";
    return std::nullopt;
}

/// Bytes of a Docker size (`--shm-size`): a number greater than 0 and an
/// optional unit b, k, m or g (either case). nullopt when malformed.
constexpr std::optional<std::uint64_t> parse_docker_size(std::string_view s) noexcept {
    if (s.empty()) return std::nullopt;
    std::uint64_t unit = 1;
    switch (s.back()) {
        case 'b':
        case 'B':
            s.remove_suffix(1);
            break;
        case 'k':
        case 'K':
            unit = 1024;
            s.remove_suffix(1);
            break;
        case 'm':
        case 'M':
            unit = 1024 * 1024;
            s.remove_suffix(1);
            break;
        case 'g':
        case 'G':
            unit = 1024 * 1024 * 1024;
            s.remove_suffix(1);
            break;
        default:
            break;
    }
    if (s.empty() || s.size() > 15) return std::nullopt;
    std::uint64_t n = 0;
    for (char c : s) {
        if (!detail::is_digit(c)) return std::nullopt;
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (n == 0 || n > UINT64_MAX / unit) return std::nullopt;
    return n * unit;
}

TRAINSPEC_END_NAMESPACE
