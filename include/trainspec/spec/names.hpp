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

/// Kubernetes DNS-1123 label (namespaces): `[a-z0-9]([-a-z0-9]*[a-z0-9])?`,
/// at most 63 characters.
constexpr bool is_dns1123_label(std::string_view s) noexcept {
    if (s.empty() || s.size() > max_dns_label_length) return false;
    if (!detail::is_lower_alnum(s.front()) || !detail::is_lower_alnum(s.back())) return false;
    for (char c : s)
        if (!detail::is_lower_alnum(c) && c != '-') return false;
    return true;
}

/// Kubernetes DNS-1123 subdomain: dot-separated DNS-1123 labels, at most
/// 253 characters.
constexpr bool is_dns1123_subdomain(std::string_view s) noexcept {
    if (s.empty() || s.size() > 253) return false;
    std::size_t start = 0;
    while (true) {
        const auto dot = s.find('.', start);
        if (!is_dns1123_label(s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start)))
            return false;
        if (dot == std::string_view::npos) return true;
        start = dot + 1;
    }
}

/// A variable name every POSIX shell and every launcher can pass on:
/// `[A-Za-z_][A-Za-z0-9_]*`.
inline constexpr std::string_view portable_env_name_rule = "the name must match [A-Za-z_][A-Za-z0-9_]*";
constexpr bool is_portable_env_name(std::string_view s) noexcept {
    if (s.empty() || detail::is_digit(s.front())) return false;
    for (char c : s)
        if (!detail::is_alnum(c) && c != '_') return false;
    return true;
}

/// True when a program that reads options would read `s` as one.
constexpr bool starts_like_option(std::string_view s) noexcept { return !s.empty() && s.front() == '-'; }

/// An ASCII control character: C0 (NUL, tab, line breaks, ...) or DEL.
constexpr bool is_control_character(char c) noexcept { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }

/// True when `s` holds a control character.
constexpr bool has_control_character(std::string_view s) noexcept {
    for (char c : s)
        if (is_control_character(c)) return true;
    return false;
}

/// A character of a host name as launchers accept it (Horovod's `[\w.-]`).
constexpr bool is_host_name_character(char c) noexcept {
    return detail::is_alnum(c) || c == '_' || c == '.' || c == '-';
}

/// A host name as launchers accept it (Horovod's `[\w.-]+`), not starting
/// with '-' (ssh would read an option).
constexpr bool is_host_name(std::string_view s) noexcept {
    if (s.empty() || s.size() > 253 || starts_like_option(s)) return false;
    for (char c : s)
        if (!is_host_name_character(c)) return false;
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

namespace detail {
/// Docker's domain-component: `[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?`.
constexpr bool is_domain_component(std::string_view s) noexcept {
    if (s.empty() || !is_alnum(s.front()) || !is_alnum(s.back())) return false;
    for (char c : s)
        if (!is_alnum(c) && c != '-') return false;
    return true;
}

/// Docker's registry: `host[:port]`, host a dotted domain name or `[IPv6]`.
constexpr bool is_registry(std::string_view s) noexcept {
    std::string_view host = s;
    const bool ipv6 = !s.empty() && s.front() == '[';
    if (ipv6) {
        const auto close = s.find(']');
        if (close == std::string_view::npos || close == 1) return false;
        for (char c : s.substr(1, close - 1))
            if (!is_digit(c) && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F') && c != ':') return false;
        host = {};
        s.remove_prefix(close + 1);
        if (!s.empty() && s.front() != ':') return false;
    } else if (const auto colon = s.find(':'); colon != std::string_view::npos) {
        host = s.substr(0, colon);
        s.remove_prefix(colon);
    } else {
        s = {};
    }
    if (!ipv6 && host.empty()) return false;
    if (!s.empty()) {  // ":port"
        s.remove_prefix(1);
        if (s.empty()) return false;
        for (char c : s)
            if (!is_digit(c)) return false;
    }
    while (!host.empty()) {
        const auto dot = host.find('.');
        if (!is_domain_component(host.substr(0, dot))) return false;
        if (dot == std::string_view::npos) break;
        host.remove_prefix(dot + 1);
        if (host.empty()) return false;  // a trailing '.'
    }
    return true;
}

/// Docker's path-component: `[a-z0-9]+` joined by one separator `.`, `_`,
/// `__` or a run of `-`.
constexpr bool is_path_component(std::string_view s) noexcept {
    if (s.empty() || !is_lower_alnum(s.front()) || !is_lower_alnum(s.back())) return false;
    std::size_t i = 0;
    while (i < s.size()) {
        if (is_lower_alnum(s[i])) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < s.size() && !is_lower_alnum(s[j])) ++j;
        const auto separator = s.substr(i, j - i);
        const bool dashes = separator.find_first_not_of('-') == std::string_view::npos;
        if (!dashes && separator != "." && separator != "_" && separator != "__") return false;
        i = j;
    }
    return true;
}

/// Docker's digest: `algorithm:hex`, the algorithm `[A-Za-z][A-Za-z0-9]*`
/// parts joined by `+`, `.`, `_` or `-`, the hex at least 32 digits.
constexpr bool is_digest(std::string_view s) noexcept {
    const auto colon = s.find(':');
    if (colon == std::string_view::npos) return false;
    const auto algorithm = s.substr(0, colon);
    const auto hex = s.substr(colon + 1);
    if (algorithm.empty() || !is_alpha(algorithm.front()) || !is_alnum(algorithm.back())) return false;
    for (std::size_t i = 0; i < algorithm.size(); ++i) {
        const char c = algorithm[i];
        if (is_alnum(c)) continue;
        if (c != '+' && c != '.' && c != '_' && c != '-') return false;
        if (!is_alpha(algorithm[i + 1])) return false;  // each part starts with a letter
    }
    if (hex.size() < 32) return false;
    for (char c : hex)
        if (!is_digit(c) && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F')) return false;
    return true;
}
}  // namespace detail

/// The registry part of an image reference ("" for Docker Hub): its first
/// '/'-separated part when that has '.' or ':', is `localhost`, or has
/// upper-case letters (Docker's rule).
constexpr std::string_view image_registry_host(std::string_view ref) noexcept {
    const auto slash = ref.find('/');
    if (slash == std::string_view::npos) return {};
    const auto first = ref.substr(0, slash);
    bool upper = false;
    for (char c : first) upper = upper || (c >= 'A' && c <= 'Z');
    return first.find_first_of(".:") != std::string_view::npos || first == "localhost" || upper ? first
                                                                                                : std::string_view{};
}

/// Why a Docker image reference is malformed, or nullopt when it is fine.
/// The rules are Docker's (distribution/reference):
/// `[registry[:port]/]path[:tag][@algorithm:hex]`; the first component is a
/// registry when it contains '.' or ':', is `localhost`, or has upper-case
/// letters; the path is lower case, its components `[a-z0-9]+` joined by
/// '.', '_', '__' or dashes, the name at most 255 characters; a tag has at
/// most 128 characters of `[A-Za-z0-9_.-]`, not starting with '.' or '-'.
inline std::optional<std::string_view> image_reference_problem(std::string_view ref) {
    if (ref.empty()) return "must not be empty";
    if (starts_like_option(ref))
        return "must not start with '-': docker and the container runtimes would read it as an option";
    if (ref.find(' ') != std::string_view::npos || has_control_character(ref))
        return "must not contain spaces or control characters";
    std::string_view name = ref;
    if (auto at = name.find('@'); at != std::string_view::npos) {
        if (!detail::is_digest(name.substr(at + 1)))
            return "the digest after '@' must be algorithm:hex with at least 32 hex digits (sha256:...)";
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
    if (name.size() > 255) return "the name must have at most 255 characters";
    std::string_view path = name;
    if (const auto registry = image_registry_host(name); !registry.empty()) {
        if (!detail::is_registry(registry)) return "the registry must be a host name with an optional :port";
        path = name.substr(registry.size() + 1);
    }
    if (path.empty()) return "must name a repository";
    for (char c : path) {
        if (c >= 'A' && c <= 'Z') return "the repository name must be lowercase";
        if (!detail::is_lower_alnum(c) && c != '/' && c != '.' && c != '_' && c != '-')
            return "the repository name may only contain a-z, 0-9, '/', '.', '_', '-'";
    }
    for (std::size_t start = 0; start <= path.size();) {
        auto end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        if (!detail::is_path_component(path.substr(start, end - start)))
            return "each '/'-separated part of the repository name must start and end with a letter or digit, "
                   "joined inside only by '.', '_', '__' or dashes";
        start = end + 1;
    }
    return std::nullopt;
}

/// Why a Docker repository (`[registry[:port]/]path`, the image name
/// without tag or digest) is malformed, or nullopt when it is fine.
inline std::optional<std::string_view> image_repository_problem(std::string_view repository) {
    if (auto why = image_reference_problem(repository)) return why;
    if (repository.find('@') != std::string_view::npos)
        return "must name a repository without a digest: the tag comes from the image's content";
    const auto slash = repository.rfind('/');
    if (repository.find(':', slash == std::string_view::npos ? 0 : slash) != std::string_view::npos)
        return "must name a repository without a tag: the tag comes from the image's content";
    return std::nullopt;
}

/// Bytes of a Docker size (`--shm-size`): a number greater than 0 and an
/// optional unit b, k, m or g (either case). nullopt when malformed or when
/// the bytes do not fit Docker's 64-bit signed size.
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
    if (s.empty()) return std::nullopt;
    constexpr std::uint64_t max_bytes = static_cast<std::uint64_t>(INT64_MAX);
    std::uint64_t n = 0;
    for (char c : s) {
        if (!detail::is_digit(c)) return std::nullopt;
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (n > (max_bytes - digit) / 10) return std::nullopt;
        n = n * 10 + digit;
    }
    if (n == 0 || n > max_bytes / unit) return std::nullopt;
    return n * unit;
}

TRAINSPEC_END_NAMESPACE
