// trainspec 0.1.0: distributed TensorFlow/Keras training jobs, described once.
// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trainspec authors
//
// GENERATED FILE: do not edit. This is include/trainspec/ amalgamated into one
// header by tools/amalgamate.py; edit the headers there and run the script.

#pragma once

// begin file include/trainspec/trainspec.hpp
// trainspec: distributed TensorFlow/Keras training jobs, described once.
// The umbrella header: includes every public header.

// begin file include/trainspec/version.hpp

#define TRAINSPEC_VERSION_MAJOR 0
#define TRAINSPEC_VERSION_MINOR 1
#define TRAINSPEC_VERSION_PATCH 0
#define TRAINSPEC_VERSION_STRING "0.1.0"

// The inline namespace carries the version so that objects built against two
// different trainspec versions cannot be linked together by accident.
#define TRAINSPEC_ABI_NAMESPACE v0_1_0
#define TRAINSPEC_BEGIN_NAMESPACE \
    namespace trainspec {         \
    inline namespace TRAINSPEC_ABI_NAMESPACE {
#define TRAINSPEC_END_NAMESPACE \
    }                           \
    }

TRAINSPEC_BEGIN_NAMESPACE
inline constexpr int version_major = TRAINSPEC_VERSION_MAJOR;
inline constexpr int version_minor = TRAINSPEC_VERSION_MINOR;
inline constexpr int version_patch = TRAINSPEC_VERSION_PATCH;
inline constexpr const char* version_string = TRAINSPEC_VERSION_STRING;
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/version.hpp
// begin file include/trainspec/problem.hpp
// A problem found in a job: which field, which value, which rule.

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE

/// One violated rule. `path` uses the spec's own key names
/// (`node_count`, `compute_target.gpus_per_node`, `conda_packages[2]`,
/// `script_params["--lr"]`), so the same text points into a JSON spec file
/// and into a builder call.
struct problem {
    std::string path;   ///< where: the field path
    std::string value;  ///< the offending value, as JSON text ("" when absent)
    std::string rule;   ///< what is required, in words

    friend bool operator==(const problem& a, const problem& b) {
        return a.path == b.path && a.value == b.value && a.rule == b.rule;
    }
};

/// `path = value: rule`, or `path: rule` when there is no value to show.
inline std::string to_string(const problem& p) {
    std::string text = p.path;
    if (!p.value.empty()) {
        text += " = ";
        text += p.value;
    }
    text += ": ";
    text += p.rule;
    return text;
}

using problems = std::vector<problem>;

/// Thrown when a job is built from invalid values. what() lists every
/// problem, one per line; problems() gives them as data.
class validation_error : public std::invalid_argument {
public:
    explicit validation_error(problems found)
        : std::invalid_argument(describe(found)), problems_(std::move(found)) {}

    const problems& all() const noexcept { return problems_; }

private:
    static std::string describe(const problems& found) {
        std::string text = found.size() == 1 ? "invalid job: 1 problem"
                                             : "invalid job: " + std::to_string(found.size()) + " problems";
        for (const auto& p : found) {
            text += "\n  ";
            text += to_string(p);
        }
        return text;
    }

    problems problems_;
};

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/problem.hpp
// begin file include/trainspec/backend.hpp
// The distributed backends. Each is a type (so that the backend can be part
// of a job's type) and an enumerator (for the runtime front end).

#include <optional>
#include <string_view>
#include <type_traits>


TRAINSPEC_BEGIN_NAMESPACE

enum class backend_kind {
    single_node,       ///< no distributed_backend: one process on one node
    mpi,               ///< Horovod over MPI: node_count x process_count_per_node ranks
    parameter_server,  ///< "ps": chief, workers, parameter servers, evaluator, with TF_CONFIG
    multi_worker,      ///< TF2 MultiWorkerMirroredStrategy: workers only, with TF_CONFIG
};

struct single_node {
    static constexpr backend_kind kind = backend_kind::single_node;
};
struct mpi {
    static constexpr backend_kind kind = backend_kind::mpi;
};
struct parameter_server {
    static constexpr backend_kind kind = backend_kind::parameter_server;
};
struct multi_worker {
    static constexpr backend_kind kind = backend_kind::multi_worker;
};

template <class T>
struct is_backend
    : std::bool_constant<std::is_same_v<T, single_node> || std::is_same_v<T, mpi> ||
                         std::is_same_v<T, parameter_server> || std::is_same_v<T, multi_worker>> {};
template <class T>
inline constexpr bool is_backend_v = is_backend<T>::value;

/// The spelling used by the JSON spec's `distributed_backend` (Azure ML's
/// names, plus trainspec's "multi_worker"). A single-node job has none.
constexpr std::string_view spec_name(backend_kind kind) noexcept {
    switch (kind) {
        case backend_kind::mpi:
            return "mpi";
        case backend_kind::parameter_server:
            return "ps";
        case backend_kind::multi_worker:
            return "multi_worker";
        case backend_kind::single_node:
            break;
    }
    return "";
}

/// Parses a `distributed_backend` value; nullopt for an unknown name.
constexpr std::optional<backend_kind> backend_from_spec_name(std::string_view name) noexcept {
    if (name == "mpi") return backend_kind::mpi;
    if (name == "ps") return backend_kind::parameter_server;
    if (name == "multi_worker") return backend_kind::multi_worker;
    return std::nullopt;
}

inline constexpr std::string_view supported_backend_names = "mpi, ps, multi_worker";

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/backend.hpp
// begin file include/trainspec/names.hpp
// Syntax rules for the names a job carries into other systems: Kubernetes
// resource names, environment variable names, host names, image references,
// and Docker's size syntax.

#include <cstdint>
#include <optional>
#include <string_view>


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

/// Why a Docker image reference is malformed, or nullopt when it is fine.
/// The rules are Docker's (distribution/reference):
/// `[registry[:port]/]path[:tag][@algorithm:hex]`; the first component is a
/// registry when it contains '.' or ':', is `localhost`, or has upper-case
/// letters; the path is lower case, its components `[a-z0-9]+` joined by
/// '.', '_', '__' or dashes, the name at most 255 characters; a tag has at
/// most 128 characters of `[A-Za-z0-9_.-]`, not starting with '.' or '-'.
inline std::optional<std::string_view> image_reference_problem(std::string_view ref) {
    if (ref.empty()) return "must not be empty";
    for (char c : ref)
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return "must not contain spaces or control characters";
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
    if (auto slash = name.find('/'); slash != std::string_view::npos) {
        const auto first = name.substr(0, slash);
        bool upper = false;
        for (char c : first) upper = upper || (c >= 'A' && c <= 'Z');
        if (first.find_first_of(".:") != std::string_view::npos || first == "localhost" || upper) {
            if (!detail::is_registry(first)) return "the registry must be a host name with an optional :port";
            path = name.substr(slash + 1);
        }
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
// end file include/trainspec/names.hpp
// begin file include/trainspec/script_params.hpp
// script_params: the entry script's command-line arguments, in the order the
// user wrote them, and their rendering to argv.
//
// Rendering follows Azure ML's estimator:
//   * key, then value;                        {"--lr": 0.01}      -> --lr 0.01
//   * a list expands to several arguments;    {"--x": [1, 2]}     -> --x 1 2
//   * null or "" gives a bare flag;           {"--verbose": null} -> --verbose
//   * integers print as integers, other numbers as Python's str() prints a
//     float: the shortest form that reads back to the same double (0.01,
//     not 0.010000; 1e-05; 1e+21), and 2.0 stays 2.0;
//   * booleans print the way Python's str() does, as Azure ML passed them:
//     true -> True, false -> False. An argparse store_true flag is a bare
//     flag (null), not a boolean.

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>

// begin file include/trainspec/detail/json_text.hpp
// Minimal JSON text for values shown in messages, so the core headers do not
// need a JSON library.

#include <cstdint>
#include <string>
#include <string_view>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline std::string quote_json(std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (byte < 0x20) {
                    out += "\\u00";
                    out += hex[byte >> 4];
                    out += hex[byte & 0xF];
                } else {
                    out += c;
                }
        }
    }
    out += '"';
    return out;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/json_text.hpp

TRAINSPEC_BEGIN_NAMESPACE

/// One element of a list-valued parameter.
class param_scalar {
public:
    using storage = std::variant<bool, std::int64_t, double, std::string>;

    param_scalar(bool b) : value_(b) {}
    template <class Int, std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool> &&
                                              !std::is_same_v<Int, char>,
                                          int> = 0>
    param_scalar(Int i) : value_(static_cast<std::int64_t>(i)) {}
    template <class Float, std::enable_if_t<std::is_floating_point_v<Float>, int> = 0>
    param_scalar(Float d) : value_(static_cast<double>(d)) {}
    param_scalar(const char* s) : value_(std::string(s)) {}
    param_scalar(std::string s) : value_(std::move(s)) {}
    param_scalar(std::string_view s) : value_(std::string(s)) {}

    const storage& get() const noexcept { return value_; }

    friend bool operator==(const param_scalar& a, const param_scalar& b) { return a.value_ == b.value_; }
    friend bool operator!=(const param_scalar& a, const param_scalar& b) { return !(a == b); }

private:
    storage value_;
};

/// A parameter's value: a bare flag (null), a scalar, or a list of scalars.
class param_value {
public:
    using list = std::vector<param_scalar>;
    using storage = std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, list>;

    param_value() : value_(nullptr) {}
    param_value(std::nullptr_t) : value_(nullptr) {}
    param_value(bool b) : value_(b) {}
    template <class Int, std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool> &&
                                              !std::is_same_v<Int, char>,
                                          int> = 0>
    param_value(Int i) : value_(static_cast<std::int64_t>(i)) {}
    template <class Float, std::enable_if_t<std::is_floating_point_v<Float>, int> = 0>
    param_value(Float d) : value_(static_cast<double>(d)) {}
    param_value(const char* s) : value_(std::string(s)) {}
    param_value(std::string s) : value_(std::move(s)) {}
    param_value(std::string_view s) : value_(std::string(s)) {}
    param_value(list l) : value_(std::move(l)) {}
    param_value(std::initializer_list<param_scalar> l) : value_(list(l)) {}

    const storage& get() const noexcept { return value_; }

    /// True when the parameter renders as its key alone.
    bool is_flag() const noexcept {
        if (std::holds_alternative<std::nullptr_t>(value_)) return true;
        const auto* s = std::get_if<std::string>(&value_);
        return s != nullptr && s->empty();
    }

    friend bool operator==(const param_value& a, const param_value& b) { return a.value_ == b.value_; }
    friend bool operator!=(const param_value& a, const param_value& b) { return !(a == b); }

private:
    storage value_;
};

/// Spelling for a bare flag in a builder call: {"--verbose", trainspec::flag}.
inline constexpr std::nullptr_t flag = nullptr;

struct script_param {
    std::string key;
    param_value value;

    friend bool operator==(const script_param& a, const script_param& b) {
        return a.key == b.key && a.value == b.value;
    }
    friend bool operator!=(const script_param& a, const script_param& b) { return !(a == b); }
};

/// Ordered parameters. Keys may repeat (an argparse "append" option), which
/// the JSON spec writes as an array of [key, value] pairs.
class script_params {
public:
    using value_type = script_param;
    using const_iterator = std::vector<script_param>::const_iterator;

    script_params() = default;
    script_params(std::initializer_list<script_param> items) : items_(items) {}

    script_params& add(std::string key, param_value value) {
        items_.push_back({std::move(key), std::move(value)});
        return *this;
    }

    const_iterator begin() const noexcept { return items_.begin(); }
    const_iterator end() const noexcept { return items_.end(); }
    std::size_t size() const noexcept { return items_.size(); }
    bool empty() const noexcept { return items_.empty(); }
    const script_param& operator[](std::size_t i) const { return items_[i]; }

    /// True when some key appears more than once (then the JSON spec must
    /// use the array-of-pairs form).
    bool has_repeated_keys() const {
        for (std::size_t i = 0; i < items_.size(); ++i)
            for (std::size_t j = i + 1; j < items_.size(); ++j)
                if (items_[i].key == items_[j].key) return true;
        return false;
    }

    friend bool operator==(const script_params& a, const script_params& b) { return a.items_ == b.items_; }
    friend bool operator!=(const script_params& a, const script_params& b) { return !(a == b); }

private:
    std::vector<script_param> items_;
};

namespace detail {

/// A double as Python's repr() and str() write it: the shortest text that
/// reads back as the same double ({fmt}'s default, which switches to
/// exponent notation at the same points), and a float stays a float: 2.0,
/// -0.0, 1000000000000000.0 (where {fmt} writes 2, -0, 1000000000000000).
inline std::string format_number(double d) {
    std::string text = fmt::format("{}", d);
    if (std::isfinite(d) && text.find_first_of(".e") == std::string::npos) text += ".0";
    return text;
}

inline std::string format_bool(bool b) { return b ? "True" : "False"; }

struct argument_text {
    std::string operator()(bool b) const { return format_bool(b); }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return format_number(d); }
    std::string operator()(const std::string& s) const { return s; }
};

/// The value as JSON text, for messages.
struct value_json_text {
    std::string operator()(std::nullptr_t) const { return "null"; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const {
        return std::isfinite(d) ? format_number(d) : std::string(std::isnan(d) ? "NaN" : "Infinity");
    }
    std::string operator()(const std::string& s) const { return quote_json(s); }
    std::string operator()(const param_scalar& s) const { return std::visit(*this, s.get()); }
    std::string operator()(const param_value::list& l) const {
        std::string out = "[";
        for (std::size_t i = 0; i < l.size(); ++i) {
            if (i != 0) out += ',';
            out += (*this)(l[i]);
        }
        return out + "]";
    }
};

}  // namespace detail

/// One argument's text, as the entry script receives it.
inline std::string to_argument(const param_scalar& value) {
    return std::visit(detail::argument_text{}, value.get());
}

/// The parameters as the entry script's argv (without the script itself).
inline std::vector<std::string> to_argv(const script_params& params) {
    std::vector<std::string> argv;
    argv.reserve(params.size() * 2);
    for (const auto& [key, value] : params) {
        argv.push_back(key);
        if (value.is_flag()) continue;
        std::visit(
            [&argv](const auto& v) {
                using V = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<V, std::nullptr_t>) {
                } else if constexpr (std::is_same_v<V, param_value::list>) {
                    for (const auto& item : v) argv.push_back(to_argument(item));
                } else {
                    argv.push_back(detail::argument_text{}(v));
                }
            },
            value.get());
    }
    return argv;
}

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/script_params.hpp
// begin file include/trainspec/compute_target.hpp
// Where a job runs: a named compute target (or "local"), what its nodes hold,
// and optionally the hosts themselves.

#include <optional>
#include <string>
#include <tuple>
#include <vector>


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
        return std::tie(a.name, a.gpus_per_node, a.cpus_per_node, a.max_nodes, a.hosts) ==
               std::tie(b.name, b.gpus_per_node, b.cpus_per_node, b.max_nodes, b.hosts);
    }
    friend bool operator!=(const compute_target& a, const compute_target& b) { return !(a == b); }
};

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/compute_target.hpp
// begin file include/trainspec/framework.hpp
// The TensorFlow versions trainspec knows how to launch.

#include <algorithm>
#include <array>
#include <string>
#include <string_view>


TRAINSPEC_BEGIN_NAMESPACE

/// Azure ML v1's supported versions (1.10-2.2) and every later 2.x release
/// up to 2.20. Keep sorted; the last entry is the default.
inline constexpr std::array<std::string_view, 26> supported_framework_versions = {
    "1.10", "1.12", "1.13", "1.14", "1.15", "2.0",  "2.1",  "2.2",  "2.3",  "2.4",  "2.5",  "2.6",  "2.7",
    "2.8",  "2.9",  "2.10", "2.11", "2.12", "2.13", "2.14", "2.15", "2.16", "2.17", "2.18", "2.19", "2.20"};

/// Used when a job names no framework_version (Azure ML used to fall back to
/// an old 1.x release with a warning; trainspec takes the newest it knows).
inline constexpr std::string_view default_framework_version = supported_framework_versions.back();

inline bool is_supported_framework_version(std::string_view version) {
    return std::find(supported_framework_versions.begin(), supported_framework_versions.end(), version) !=
           supported_framework_versions.end();
}

/// "1.10, 1.12, ..., 2.20" for messages.
inline std::string supported_framework_versions_text() {
    std::string text;
    for (auto v : supported_framework_versions) {
        if (!text.empty()) text += ", ";
        text += v;
    }
    return text;
}

/// The major version (1 or 2) of a supported version string.
inline int framework_major(std::string_view version) { return version.empty() ? 0 : version.front() - '0'; }

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/framework.hpp
// begin file include/trainspec/job_spec.hpp
// job_spec: the estimator's parameters as plain, unvalidated data. It is what
// the JSON front end reads and writes and what the builder fills; validate()
// checks it and make_job() turns it into a typed, validated job.
//
// Optional fields stay empty when the user did not set them, so a spec
// round-trips exactly; the effective_*() functions apply the documented
// defaults.

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE

struct environment_variable {
    std::string name;
    std::string value;

    friend bool operator==(const environment_variable& a, const environment_variable& b) {
        return a.name == b.name && a.value == b.value;
    }
    friend bool operator!=(const environment_variable& a, const environment_variable& b) { return !(a == b); }
};

/// Container shared memory when shm_size is not given (Azure ML's default).
inline constexpr const char* default_shm_size = "2g";

struct job_spec {
    std::optional<std::string> name;  ///< job name; becomes Kubernetes resource names
    std::string source_directory;     ///< project folder sent to the run
    std::string entry_script;         ///< relative to source_directory
    script_params params;             ///< JSON key `script_params`
    std::optional<compute_target> target;  ///< JSON key `compute_target`
    std::optional<std::string> vm_size;    ///< create a target on the fly instead
    std::optional<std::string> vm_priority;  ///< "dedicated" or "lowpriority"
    std::optional<int> node_count;
    std::optional<int> process_count_per_node;  ///< mpi only
    std::optional<backend_kind> distributed_backend;
    std::optional<int> worker_count;            ///< ps and multi_worker
    std::optional<int> parameter_server_count;  ///< ps
    std::optional<int> chief_count;             ///< ps: 0 or 1
    std::optional<int> evaluator_count;         ///< ps: 0 or 1
    std::optional<bool> use_gpu;
    std::optional<bool> use_docker;
    std::optional<std::string> custom_docker_image;
    std::optional<bool> user_managed;
    std::vector<std::string> conda_packages;
    std::vector<std::string> pip_packages;
    std::optional<std::string> conda_dependencies_file;
    std::optional<std::string> pip_requirements_file;
    std::vector<environment_variable> environment_variables;  ///< in the user's order
    std::optional<std::string> shm_size;                      ///< Docker syntax: 2g, 512m
    std::optional<std::int64_t> max_run_duration_seconds;
    std::optional<std::string> framework_version;
    std::optional<bool> keras;  ///< the job trains a Keras model (adds the keras package)
};

namespace detail {
inline auto tie_fields(const job_spec& s) {
    return std::tie(s.name, s.source_directory, s.entry_script, s.params, s.target, s.vm_size, s.vm_priority,
                    s.node_count, s.process_count_per_node, s.distributed_backend, s.worker_count,
                    s.parameter_server_count, s.chief_count, s.evaluator_count, s.use_gpu, s.use_docker,
                    s.custom_docker_image, s.user_managed, s.conda_packages, s.pip_packages,
                    s.conda_dependencies_file, s.pip_requirements_file, s.environment_variables, s.shm_size,
                    s.max_run_duration_seconds, s.framework_version, s.keras);
}
}  // namespace detail

inline bool operator==(const job_spec& a, const job_spec& b) { return detail::tie_fields(a) == detail::tie_fields(b); }
inline bool operator!=(const job_spec& a, const job_spec& b) { return !(a == b); }

// Effective values: the documented defaults applied.

inline backend_kind effective_backend(const job_spec& s) {
    return s.distributed_backend.value_or(backend_kind::single_node);
}
inline int effective_node_count(const job_spec& s) { return s.node_count.value_or(1); }
inline int effective_process_count_per_node(const job_spec& s) { return s.process_count_per_node.value_or(1); }

/// ps: 1 (Azure ML's default); multi_worker: one worker per node (Azure's
/// documented MultiWorkerMirroredStrategy set-up); other backends: 0.
inline int effective_worker_count(const job_spec& s) {
    switch (effective_backend(s)) {
        case backend_kind::parameter_server:
            return s.worker_count.value_or(1);
        case backend_kind::multi_worker:
            return s.worker_count.value_or(effective_node_count(s));
        default:
            return 0;
    }
}
inline int effective_parameter_server_count(const job_spec& s) {
    return effective_backend(s) == backend_kind::parameter_server ? s.parameter_server_count.value_or(1) : 0;
}
inline int effective_chief_count(const job_spec& s) {
    return effective_backend(s) == backend_kind::parameter_server ? s.chief_count.value_or(0) : 0;
}
inline int effective_evaluator_count(const job_spec& s) {
    return effective_backend(s) == backend_kind::parameter_server ? s.evaluator_count.value_or(0) : 0;
}

/// Processes (MPI ranks or TensorFlow tasks) the job starts in total.
inline std::int64_t effective_task_count(const job_spec& s) {
    switch (effective_backend(s)) {
        case backend_kind::mpi:
            return std::int64_t{effective_node_count(s)} * effective_process_count_per_node(s);
        case backend_kind::parameter_server:
            return std::int64_t{effective_worker_count(s)} + effective_parameter_server_count(s) +
                   effective_chief_count(s) + effective_evaluator_count(s);
        case backend_kind::multi_worker:
            return effective_worker_count(s);
        case backend_kind::single_node:
            break;
    }
    return 1;
}

inline bool effective_use_gpu(const job_spec& s) { return s.use_gpu.value_or(false); }
inline bool effective_use_docker(const job_spec& s) { return s.use_docker.value_or(true); }
inline bool effective_user_managed(const job_spec& s) { return s.user_managed.value_or(false); }
inline bool effective_keras(const job_spec& s) { return s.keras.value_or(false); }
inline std::string effective_shm_size(const job_spec& s) { return s.shm_size.value_or(default_shm_size); }
inline std::string effective_framework_version(const job_spec& s) {
    return s.framework_version.value_or(std::string(default_framework_version));
}

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/job_spec.hpp
// begin file include/trainspec/resource_names.hpp
// The job name and the resource names derived from it on Kubernetes
// (`<job>-<type>-<index>` per task, `<job>-launcher` for MPI).

#include <algorithm>
#include <string>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE

/// The longest name of each kind that the engines derive from `job_name`
/// for this spec's backend and counts (the highest index of each task type).
inline std::vector<std::string> derived_resource_names(const job_spec& s, const std::string& job_name) {
    std::vector<std::string> names;
    auto last = [&](const char* type, int count) {
        if (count > 0) names.push_back(job_name + "-" + type + "-" + std::to_string(count - 1));
    };
    switch (effective_backend(s)) {
        case backend_kind::mpi:
            names.push_back(job_name + "-launcher");
            last("worker", effective_node_count(s));
            break;
        case backend_kind::parameter_server:
            last("chief", effective_chief_count(s));
            last("worker", effective_worker_count(s));
            last("ps", effective_parameter_server_count(s));
            last("evaluator", effective_evaluator_count(s));
            break;
        case backend_kind::multi_worker:
            last("worker", effective_worker_count(s));
            break;
        case backend_kind::single_node:
            break;
    }
    return names;
}

/// The job's name: `name` when given, otherwise one made from the entry
/// script's file name (`tf_mnist.py` -> `tf-mnist`), shortened so that every
/// derived resource name still fits 63 characters.
inline std::string effective_job_name(const job_spec& s) {
    if (s.name) return *s.name;
    std::string stem = s.entry_script;
    if (auto slash = stem.find_last_of('/'); slash != std::string::npos) stem.erase(0, slash + 1);
    if (auto dot = stem.find_last_of('.'); dot != std::string::npos && dot > 0) stem.erase(dot);
    std::string base;
    for (char c : stem) {
        char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        bool keep = detail::is_lower_alnum(lower);
        if (keep)
            base += lower;
        else if (!base.empty() && base.back() != '-')
            base += '-';
    }
    while (!base.empty() && !(base.front() >= 'a' && base.front() <= 'z')) base.erase(0, 1);
    if (base.empty()) base = "job";
    std::size_t longest_suffix = 0;
    for (const auto& derived : derived_resource_names(s, std::string())) longest_suffix = std::max(longest_suffix, derived.size());
    const std::size_t room = max_dns_label_length > longest_suffix ? max_dns_label_length - longest_suffix : 1;
    if (base.size() > room) base.resize(room);
    while (base.size() > 1 && base.back() == '-') base.pop_back();
    return base;
}

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/resource_names.hpp
// begin file include/trainspec/validate.hpp
// The rules a job must satisfy. validate() checks every rule and returns
// every problem, so a user fixes a spec in one pass.
//
// The rules are Azure ML v1's (with its wording where it had one) plus the
// ones v1 left silent and trainspec makes errors: backend-only counts without
// their backend, slots and GPUs the compute target cannot give, conflicting
// package options, names Kubernetes would reject.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// True when `path` is `prefix` or lies inside it (`prefix.x`, `prefix[0]`).
inline bool path_within(std::string_view path, std::string_view prefix) {
    if (path.compare(0, prefix.size(), prefix) != 0) return false;
    return path.size() == prefix.size() || path[prefix.size()] == '.' || path[prefix.size()] == '[';
}

class rule_checker {
public:
    /// `unreadable`: paths whose values could not be read (a JSON type
    /// error); a rule that reads such a field is skipped, since its verdict
    /// would be about a value the user did not write.
    explicit rule_checker(const job_spec& s, std::vector<std::string> unreadable = {})
        : s_(s), unreadable_(std::move(unreadable)) {}

    problems run() {
        check_required();
        check_compute();
        check_counts();
        check_backend_fields();
        check_capacity();
        check_framework();
        check_paths();
        check_packages();
        check_container();
        check_environment();
        check_script_params();
        check_name();
        return std::move(found_);
    }

private:
    void add(std::string path, std::string value, std::string rule) {
        found_.push_back({std::move(path), std::move(value), std::move(rule)});
    }
    static std::string q(std::string_view text) { return quote_json(text); }
    static std::string n(std::int64_t v) { return std::to_string(v); }

    bool is(backend_kind k) const { return effective_backend(s_) == k; }

    /// False when the value at `field` (or a part of it, or a field it is
    /// part of) could not be read.
    bool known(std::string_view field) const {
        for (const auto& bad : unreadable_)
            if (path_within(bad, field) || path_within(field, bad)) return false;
        return true;
    }
    template <class... Fields>
    bool all_known(Fields... fields) const {
        return (known(fields) && ...);
    }
    /// The fields that decide how many tasks the job starts.
    bool task_count_known() const {
        return all_known("distributed_backend", "node_count", "process_count_per_node", "worker_count",
                         "parameter_server_count", "chief_count", "evaluator_count");
    }
    std::string backend_text() const {
        return is(backend_kind::single_node) ? std::string("none") : q(spec_name(effective_backend(s_)));
    }

    void check_required() {
        if (s_.source_directory.empty()) add("source_directory", "", "is required");
        if (s_.entry_script.empty()) add("entry_script", "", "is required");
        if (!s_.target && !s_.vm_size && all_known("compute_target", "vm_size"))
            add("compute_target", "", "is required: Either compute target or VM size should be specified.");
    }

    void check_compute() {
        if (s_.target && s_.vm_size)
            add("vm_size", q(*s_.vm_size),
                "give either compute_target or vm_size, not both (vm_size creates a target on the fly)");
        if (s_.vm_size && !is_vm_size_name(*s_.vm_size))
            add("vm_size", q(*s_.vm_size), "must be an Azure VM size name such as Standard_NC6 ([A-Za-z0-9_]+)");
        if (s_.vm_priority) {
            if (*s_.vm_priority != "dedicated" && *s_.vm_priority != "lowpriority")
                add("vm_priority", q(*s_.vm_priority), "must be \"dedicated\" or \"lowpriority\"");
            if (!s_.vm_size && known("vm_size")) add("vm_priority", q(*s_.vm_priority), "applies only together with vm_size");
        }
        if (!s_.target) return;
        const auto& t = *s_.target;
        if (!is_compute_target_name(t.name))
            add("compute_target.name", q(t.name),
                "must be a compute target name ([A-Za-z0-9] then [A-Za-z0-9._-]) or \"local\"");
        if (t.gpus_per_node && *t.gpus_per_node < 0)
            add("compute_target.gpus_per_node", n(*t.gpus_per_node), "must be at least 0");
        if (t.cpus_per_node && *t.cpus_per_node < 1)
            add("compute_target.cpus_per_node", n(*t.cpus_per_node), "must be at least 1");
        if (t.max_nodes && *t.max_nodes < 1) add("compute_target.max_nodes", n(*t.max_nodes), "must be at least 1");
        if (t.is_local() && !t.hosts.empty())
            add("compute_target.hosts", "", "a \"local\" compute target is this machine; it takes no host list");
        for (std::size_t i = 0; i < t.hosts.size(); ++i) {
            const auto& h = t.hosts[i];
            const auto path = fmt::format("compute_target.hosts[{}]", i);
            if (!is_host_name(h.name))
                add(path + ".name", q(h.name), "must be a host name of letters, digits, '_', '.', '-'");
            if (h.slots < 1) add(path + ".slots", n(h.slots), "must be at least 1");
            for (std::size_t j = 0; j < i; ++j)
                if (t.hosts[j].name == h.name) {
                    add(path + ".name", q(h.name), fmt::format("duplicates compute_target.hosts[{}]", j));
                    break;
                }
        }
    }

    void check_counts() {
        auto at_least = [&](const char* path, const std::optional<int>& v, int min, const char* azure_text) {
            if (v && *v < min)
                add(path, n(*v),
                    azure_text ? fmt::format("must be at least {}: {}", min, azure_text)
                               : fmt::format("must be at least {}", min));
        };
        at_least("node_count", s_.node_count, 1, "Node count should be at least 1.");
        at_least("process_count_per_node", s_.process_count_per_node, 1,
                 "Process count per node should be at least 1.");
        at_least("worker_count", s_.worker_count, 1, nullptr);
        // 0 is accepted for multi_worker; with an unreadable backend, the lower bound of every backend.
        const bool ps_optional = is(backend_kind::multi_worker) || !known("distributed_backend");
        at_least("parameter_server_count", s_.parameter_server_count, ps_optional ? 0 : 1, nullptr);
        for (auto [path, v] : {std::pair{"chief_count", &s_.chief_count}, {"evaluator_count", &s_.evaluator_count}})
            if (*v && (**v < 0 || **v > 1)) add(path, n(**v), "must be 0 or 1");
        if (s_.max_run_duration_seconds && *s_.max_run_duration_seconds < 1)
            add("max_run_duration_seconds", n(*s_.max_run_duration_seconds), "must be at least 1");
    }

    void check_backend_fields() {
        if (!known("distributed_backend")) return;  // every rule here depends on the backend
        const bool ps = is(backend_kind::parameter_server);
        const bool mw = is(backend_kind::multi_worker);
        const bool mpi = is(backend_kind::mpi);
        const bool single = is(backend_kind::single_node);
        if (single && ((s_.node_count && *s_.node_count > 1) ||
                       (s_.process_count_per_node && *s_.process_count_per_node > 1)))
            add("distributed_backend", "",
                "'distributed_backend' must be specified when node_count > 1 or process_count_per_node > 1.");
        if (s_.worker_count && !ps && !mw)
            add("worker_count", n(*s_.worker_count),
                fmt::format("applies only with distributed_backend \"ps\" or \"multi_worker\" (backend is {})",
                            backend_text()));
        if (s_.parameter_server_count && !ps && !(mw && *s_.parameter_server_count == 0))
            add("parameter_server_count", n(*s_.parameter_server_count),
                mw ? std::string("a multi_worker job has no parameter servers (0 is accepted, as Azure ML "
                                 "documents for MultiWorkerMirroredStrategy)")
                   : fmt::format("applies only with distributed_backend \"ps\" (backend is {})", backend_text()));
        for (auto [path, v] : {std::pair{"chief_count", &s_.chief_count}, {"evaluator_count", &s_.evaluator_count}})
            if (*v && !ps)
                add(path, n(**v),
                    fmt::format("applies only with distributed_backend \"ps\" (backend is {})", backend_text()));
        if (s_.process_count_per_node && !mpi && !(single && *s_.process_count_per_node <= 1))
            add("process_count_per_node", n(*s_.process_count_per_node),
                fmt::format("applies only with distributed_backend \"mpi\" (backend is {}); {} starts one process "
                            "per task",
                            backend_text(), single ? "a single-node job" : "TensorFlow's cluster"));
        // Idle nodes are paid for and never used.
        if ((ps || mw) && s_.node_count && task_count_known()) {
            const auto tasks = effective_task_count(s_);
            if (*s_.node_count > tasks)
                add("node_count", n(*s_.node_count),
                    fmt::format("exceeds the {} task(s) of this {} job; {} node(s) would stay idle", tasks,
                                spec_name(effective_backend(s_)), *s_.node_count - tasks));
        }
    }

    void check_capacity() {
        if (!s_.target) return;
        const auto& t = *s_.target;
        const int nodes = effective_node_count(s_);
        const bool gpu = effective_use_gpu(s_);
        if (gpu && t.gpus_per_node && *t.gpus_per_node == 0)
            add("use_gpu", "true", fmt::format("compute target {} declares 0 GPUs per node", q(t.name)));
        if (t.max_nodes && nodes > *t.max_nodes)
            add("node_count", n(nodes),
                fmt::format("exceeds compute_target.max_nodes = {} of {}", *t.max_nodes, q(t.name)));
        if (t.is_local() && nodes > 1) add("node_count", n(nodes), "a \"local\" compute target has exactly 1 node");
        if (!t.hosts.empty() && nodes > static_cast<int>(t.hosts.size()) && known("compute_target.hosts"))
            add("node_count", n(nodes), fmt::format("needs {} hosts; compute_target.hosts lists {}", nodes,
                                                    t.hosts.size()));
        // The rules below count tasks and slots: moot when a count, the GPU
        // switch or the host list could not be read.
        if (!task_count_known() || !known("use_gpu")) return;
        // Slots per node: one GPU per process on GPU jobs, else the CPUs.
        const auto tasks = effective_task_count(s_);
        std::optional<int> slots = gpu ? t.gpus_per_node : t.cpus_per_node;
        const char* slot_field = gpu ? "compute_target.gpus_per_node" : "compute_target.cpus_per_node";
        if (slots && *slots > 0) {
            if (is(backend_kind::mpi) && effective_process_count_per_node(s_) > *slots)
                add("process_count_per_node", n(effective_process_count_per_node(s_)),
                    fmt::format("exceeds {} = {}: each process needs its own slot", slot_field, *slots));
            else if (tasks > std::int64_t{nodes} * *slots)
                add(count_field(), n(tasks),
                    fmt::format("{} tasks do not fit {} node(s) x {} = {} slots", tasks, nodes, slot_field,
                                std::int64_t{nodes} * *slots));
        }
        if (!t.hosts.empty() && nodes <= static_cast<int>(t.hosts.size()) && known("compute_target.hosts")) {
            std::int64_t host_slots = 0;
            for (int i = 0; i < nodes; ++i) host_slots += t.hosts[static_cast<std::size_t>(i)].slots;
            if (tasks > host_slots)
                add(count_field(), n(tasks),
                    fmt::format("{} tasks do not fit the {} slots of the first {} host(s) of compute_target.hosts",
                                tasks, host_slots, nodes));
        }
    }

    const char* count_field() const {
        switch (effective_backend(s_)) {
            case backend_kind::mpi:
                return "process_count_per_node";
            case backend_kind::parameter_server:
            case backend_kind::multi_worker:
                return "worker_count";
            case backend_kind::single_node:
                break;
        }
        return "node_count";
    }

    void check_framework() {
        if (s_.framework_version && !is_supported_framework_version(*s_.framework_version))
            add("framework_version", q(*s_.framework_version),
                "unsupported; supported versions: " + supported_framework_versions_text());
        if (is(backend_kind::multi_worker) && framework_major(effective_framework_version(s_)) < 2 &&
            is_supported_framework_version(effective_framework_version(s_)))
            add("framework_version", q(effective_framework_version(s_)),
                "distributed_backend \"multi_worker\" (MultiWorkerMirroredStrategy) needs TensorFlow 2.0 or later");
    }

    /// A file inside source_directory: relative, no '..' component.
    void check_relative_path(const char* path, const std::string& value) {
        if (value.empty()) return;
        if (value.front() == '/' || value.front() == '\\')
            add(path, q(value), "must be relative to source_directory");
        std::size_t start = 0;
        while (start <= value.size()) {
            auto end = value.find('/', start);
            if (end == std::string::npos) end = value.size();
            if (value.compare(start, end - start, "..") == 0) {
                add(path, q(value), "must stay inside source_directory (no '..')");
                break;
            }
            start = end + 1;
        }
        if (value.find('\0') != std::string::npos) add(path, q(value), "must not contain NUL");
    }

    void check_paths() {
        check_relative_path("entry_script", s_.entry_script);
        if (s_.conda_dependencies_file) {
            if (s_.conda_dependencies_file->empty()) add("conda_dependencies_file", "\"\"", "must not be empty");
            check_relative_path("conda_dependencies_file", *s_.conda_dependencies_file);
        }
        if (s_.pip_requirements_file) {
            if (s_.pip_requirements_file->empty()) add("pip_requirements_file", "\"\"", "must not be empty");
            check_relative_path("pip_requirements_file", *s_.pip_requirements_file);
        }
        if (s_.source_directory.find('\0') != std::string::npos)
            add("source_directory", q(s_.source_directory), "must not contain NUL");
    }

    void check_package_list(const char* field, const std::vector<std::string>& list) {
        for (std::size_t i = 0; i < list.size(); ++i) {
            const auto path = fmt::format("{}[{}]", field, i);
            const auto& p = list[i];
            if (p.empty() || p.find_first_not_of(' ') == std::string::npos)
                add(path, q(p), "must name a package");
            else if (p.front() == ' ' || p.back() == ' ')
                add(path, q(p), "must not start or end with a space");
            for (char c : p)
                if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
                    add(path, q(p), "must not contain control characters (one package per entry)");
                    break;
                }
            for (std::size_t j = 0; j < i; ++j)
                if (list[j] == p) {
                    add(path, q(p), fmt::format("duplicates {}[{}]", field, j));
                    break;
                }
        }
    }

    void check_packages() {
        check_package_list("conda_packages", s_.conda_packages);
        check_package_list("pip_packages", s_.pip_packages);
        if (s_.conda_dependencies_file) {
            const auto v = q(*s_.conda_dependencies_file);
            if (!s_.conda_packages.empty())
                add("conda_dependencies_file", v, "conflicts with conda_packages: list them in the file");
            if (!s_.pip_packages.empty())
                add("conda_dependencies_file", v, "conflicts with pip_packages: list them in the file's pip section");
            if (s_.pip_requirements_file)
                add("conda_dependencies_file", v,
                    "conflicts with pip_requirements_file: list the requirements in the file's pip section");
        }
        if (effective_user_managed(s_)) {
            auto conflict = [&](bool present, const char* field) {
                if (present)
                    add("user_managed", "true",
                        fmt::format("the image already has everything; {} would be ignored", field));
            };
            conflict(!s_.conda_packages.empty(), "conda_packages");
            conflict(!s_.pip_packages.empty(), "pip_packages");
            conflict(s_.conda_dependencies_file.has_value(), "conda_dependencies_file");
            conflict(s_.pip_requirements_file.has_value(), "pip_requirements_file");
        }
    }

    void check_container() {
        const bool docker = effective_use_docker(s_);
        if (s_.custom_docker_image) {
            if (!docker)
                add("custom_docker_image", q(*s_.custom_docker_image), "needs use_docker = true");
            if (auto why = image_reference_problem(*s_.custom_docker_image))
                add("custom_docker_image", q(*s_.custom_docker_image), std::string(*why));
        }
        if (s_.shm_size) {
            if (!parse_docker_size(*s_.shm_size))
                add("shm_size", q(*s_.shm_size),
                    "must be a number greater than 0 with an optional unit b, k, m or g (Docker's --shm-size)");
            if (!docker) add("shm_size", q(*s_.shm_size), "is container shared memory and needs use_docker = true");
        }
    }

    void check_environment() {
        const auto& vars = s_.environment_variables;
        for (std::size_t i = 0; i < vars.size(); ++i) {
            const auto path = fmt::format("environment_variables[{}]", q(vars[i].name));
            if (!is_portable_env_name(vars[i].name))
                add(path, q(vars[i].value), "the name must match [A-Za-z_][A-Za-z0-9_]*");
            if (vars[i].value.find('\0') != std::string::npos) add(path, q(vars[i].value), "must not contain NUL");
            if (vars[i].name == "TF_CONFIG" &&
                (is(backend_kind::parameter_server) || is(backend_kind::multi_worker)))
                add(path, q(vars[i].value), "is written by trainspec for every task of a ps or multi_worker job");
            for (std::size_t j = 0; j < i; ++j)
                if (vars[j].name == vars[i].name) {
                    add(path, q(vars[i].value), "is set twice");
                    break;
                }
        }
    }

    void check_script_params() {
        for (const auto& [key, value] : s_.params) {
            const auto path = fmt::format("script_params[{}]", q(key));
            const auto shown = std::visit(value_json_text{}, value.get());
            if (key.empty()) add(path, shown, "the key must not be empty");
            if (key.find('\0') != std::string::npos) add(path, shown, "the key must not contain NUL");
            auto check_scalar = [&](const auto& v) {
                using V = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<V, double>) {
                    if (!std::isfinite(v)) add(path, shown, "a number must be finite");
                } else if constexpr (std::is_same_v<V, std::string>) {
                    if (v.find('\0') != std::string::npos) add(path, shown, "must not contain NUL");
                }
            };
            std::visit(
                [&](const auto& v) {
                    using V = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<V, param_value::list>) {
                        if (v.empty()) add(path, shown, "a list needs at least one element (null gives a bare flag)");
                        for (const auto& item : v) std::visit(check_scalar, item.get());
                    } else {
                        check_scalar(v);
                    }
                },
                value.get());
        }
    }

    void check_name() {
        if (!s_.name) return;
        const auto& name = *s_.name;
        if (!is_dns1035_label(name)) {
            add("name", q(name),
                "must be a DNS-1035 label: lower-case letters, digits and '-', starting with a letter, ending "
                "with a letter or digit, at most 63 characters");
            return;
        }
        for (const auto& derived : derived_resource_names(s_, name))
            if (derived.size() > max_dns_label_length) {
                add("name", q(name),
                    fmt::format("the derived resource name \"{}\" has {} characters; Kubernetes allows at most 63",
                                derived, derived.size()));
                break;
            }
    }

    const job_spec& s_;
    std::vector<std::string> unreadable_;
    problems found_;
};

}  // namespace detail

/// Every problem of `spec`, in field order; empty when the job is valid.
inline problems validate(const job_spec& spec) { return detail::rule_checker(spec).run(); }

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/validate.hpp
// begin file include/trainspec/job.hpp
// job<Backend>: a validated job whose backend is part of its type, and
// any_job, the runtime choice among them that the JSON front end returns.

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE

template <class Backend>
class job;

namespace detail {
template <class Backend>
job<Backend> make_validated(job_spec spec);
}

/// A job that passed validate(). Copyable and immutable; every back end reads
/// only this. Count accessors exist only for the backends they belong to.
template <class Backend>
class job {
    static_assert(is_backend_v<Backend>,
                  "job<Backend>: Backend must be single_node, mpi, parameter_server or multi_worker");

public:
    using backend = Backend;

    const job_spec& spec() const noexcept { return spec_; }

    std::string name() const { return effective_job_name(spec_); }
    const std::string& source_directory() const noexcept { return spec_.source_directory; }
    const std::string& entry_script() const noexcept { return spec_.entry_script; }
    const trainspec::script_params& script_params() const noexcept { return spec_.params; }
    int node_count() const noexcept { return effective_node_count(spec_); }
    bool use_gpu() const noexcept { return effective_use_gpu(spec_); }
    bool use_docker() const noexcept { return effective_use_docker(spec_); }
    bool user_managed() const noexcept { return effective_user_managed(spec_); }
    bool keras() const noexcept { return effective_keras(spec_); }
    std::string framework_version() const { return effective_framework_version(spec_); }
    std::string shm_size() const { return effective_shm_size(spec_); }

    /// The entry script and its parameters: `entry_script args...`.
    std::vector<std::string> script_argv() const {
        std::vector<std::string> argv{spec_.entry_script};
        auto params = to_argv(spec_.params);
        argv.insert(argv.end(), std::make_move_iterator(params.begin()), std::make_move_iterator(params.end()));
        return argv;
    }

    /// Processes (MPI ranks or TensorFlow tasks) started in total.
    std::int64_t task_count() const noexcept { return effective_task_count(spec_); }

    template <class B = Backend, std::enable_if_t<std::is_same_v<B, mpi>, int> = 0>
    int process_count_per_node() const noexcept {
        return effective_process_count_per_node(spec_);
    }
    template <class B = Backend,
              std::enable_if_t<std::is_same_v<B, parameter_server> || std::is_same_v<B, multi_worker>, int> = 0>
    int worker_count() const noexcept {
        return effective_worker_count(spec_);
    }
    template <class B = Backend, std::enable_if_t<std::is_same_v<B, parameter_server>, int> = 0>
    int parameter_server_count() const noexcept {
        return effective_parameter_server_count(spec_);
    }
    template <class B = Backend, std::enable_if_t<std::is_same_v<B, parameter_server>, int> = 0>
    int chief_count() const noexcept {
        return effective_chief_count(spec_);
    }
    template <class B = Backend, std::enable_if_t<std::is_same_v<B, parameter_server>, int> = 0>
    int evaluator_count() const noexcept {
        return effective_evaluator_count(spec_);
    }

    friend bool operator==(const job& a, const job& b) { return a.spec_ == b.spec_; }
    friend bool operator!=(const job& a, const job& b) { return !(a == b); }

private:
    explicit job(job_spec spec) : spec_(std::move(spec)) {}
    friend job detail::make_validated<Backend>(job_spec spec);

    job_spec spec_;
};

using any_job = std::variant<job<single_node>, job<mpi>, job<parameter_server>, job<multi_worker>>;

namespace detail {
template <class Backend>
job<Backend> make_validated(job_spec spec) {
    return job<Backend>(std::move(spec));
}
}  // namespace detail

/// Validates `spec` and returns the job typed by its backend.
/// Throws validation_error listing every problem.
inline any_job make_job(job_spec spec) {
    if (auto found = validate(spec); !found.empty()) throw validation_error(std::move(found));
    switch (effective_backend(spec)) {
        case backend_kind::mpi:
            return detail::make_validated<mpi>(std::move(spec));
        case backend_kind::parameter_server:
            return detail::make_validated<parameter_server>(std::move(spec));
        case backend_kind::multi_worker:
            return detail::make_validated<multi_worker>(std::move(spec));
        case backend_kind::single_node:
            break;
    }
    return detail::make_validated<single_node>(std::move(spec));
}

/// Validates `spec` as a job of the given backend. Throws validation_error
/// listing every problem, including a backend that differs from Backend.
template <class Backend>
job<Backend> make_job_as(job_spec spec) {
    auto found = validate(spec);
    if (effective_backend(spec) != Backend::kind)
        found.push_back({"distributed_backend",
                         effective_backend(spec) == backend_kind::single_node
                             ? std::string()
                             : detail::quote_json(spec_name(effective_backend(spec))),
                         Backend::kind == backend_kind::single_node
                             ? std::string("must be absent (or null) for a single-node job")
                             : "must be \"" + std::string(spec_name(Backend::kind)) + "\" for this job type"});
    if (!found.empty()) throw validation_error(std::move(found));
    return detail::make_validated<Backend>(std::move(spec));
}

/// The backend of a runtime job.
inline backend_kind backend_of(const any_job& j) {
    return std::visit([](const auto& typed) { return std::decay_t<decltype(typed)>::backend::kind; }, j);
}

/// The spec behind a runtime job.
inline const job_spec& spec_of(const any_job& j) {
    return std::visit([](const auto& typed) -> const job_spec& { return typed.spec(); }, j);
}

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/job.hpp
// begin file include/trainspec/builder.hpp
// The typed builder: trainspec::tensorflow() and trainspec::keras().
//
// The builder's type records which setters have been called, the chosen
// backend and a node count given as a compile-time constant. Misuse the type
// can see is one readable static_assert:
//   * build() without source_directory(), entry_script() or compute_target();
//   * a backend-only setter before its backend was chosen (worker_count()
//     needs parameter_server or multi_worker; parameter_server_count(),
//     chief_count() and evaluator_count() need parameter_server;
//     process_count_per_node() needs mpi);
//   * a second distributed_backend(), or any setter called twice;
//   * compile-time counts out of range (node_count<0>(), chief_count<2>()),
//     and node_count<N>() with N > 1 but no backend at build();
//   * user_managed() together with packages or package files, and
//     conda_dependencies_file() together with package lists.
// Setters copy the builder, so a partly built estimator can be reused.
// build() then checks values at run time and throws validation_error listing
// every problem; validate() returns the problems instead.
//
// Each rule is also a static constexpr bool of the builder type (accepts_*,
// ready_to_build), so tests and generic code can ask without failing.

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

// One bit per setter, so that the type knows what has been called.
enum builder_bit : unsigned {
    set_source_directory = 1u << 0,
    set_entry_script = 1u << 1,
    set_compute_target = 1u << 2,
    set_backend = 1u << 3,
    set_node_count = 1u << 4,
    set_process_count_per_node = 1u << 5,
    set_worker_count = 1u << 6,
    set_parameter_server_count = 1u << 7,
    set_chief_count = 1u << 8,
    set_evaluator_count = 1u << 9,
    set_user_managed = 1u << 10,
    set_conda_packages = 1u << 11,
    set_pip_packages = 1u << 12,
    set_conda_dependencies_file = 1u << 13,
    set_pip_requirements_file = 1u << 14,
    set_script_params = 1u << 15,
    set_name = 1u << 16,
    set_use_gpu = 1u << 17,
    set_use_docker = 1u << 18,
    set_custom_docker_image = 1u << 19,
    set_environment_variables = 1u << 20,
    set_shm_size = 1u << 21,
    set_max_run_duration = 1u << 22,
    set_framework_version = 1u << 23,
    set_vm_size = 1u << 24,
    set_vm_priority = 1u << 25,
};

/// NodeCount when the node count is not a compile-time constant.
inline constexpr int runtime_count = -1;

/// The backend distributed_backend(B) switches to. A B that is no backend
/// keeps the current one: its static_assert has already said what is wrong,
/// and a job_builder<B> (or B::kind) would only add errors after it.
template <class B, class Current>
using chosen_backend_t = std::conditional_t<is_backend_v<B>, B, Current>;

}  // namespace detail

template <class Backend = single_node, unsigned Flags = 0, int NodeCount = detail::runtime_count>
class job_builder {
    static_assert(is_backend_v<Backend>,
                  "job_builder<Backend>: Backend must be single_node, mpi, parameter_server or multi_worker");

    static constexpr bool has(unsigned bit) { return (Flags & bit) != 0; }
    static constexpr bool is_ps = std::is_same_v<Backend, parameter_server>;
    static constexpr bool is_multi_worker = std::is_same_v<Backend, multi_worker>;
    static constexpr bool is_mpi = std::is_same_v<Backend, mpi>;
    static constexpr unsigned package_bits =
        detail::set_conda_packages | detail::set_pip_packages | detail::set_pip_requirements_file;

public:
    using backend = Backend;

    // ---- what the type allows (each static_assert below checks one) ----
    static constexpr bool has_source_directory = has(detail::set_source_directory);
    static constexpr bool has_entry_script = has(detail::set_entry_script);
    static constexpr bool has_compute_target = has(detail::set_compute_target) || has(detail::set_vm_size);
    static constexpr bool node_count_needs_backend =
        NodeCount > 1 && std::is_same_v<Backend, single_node>;
    static constexpr bool ready_to_build =
        has_source_directory && has_entry_script && has_compute_target && !node_count_needs_backend;

    static constexpr bool accepts_backend = !has(detail::set_backend);
    static constexpr bool accepts_worker_count = (is_ps || is_multi_worker) && !has(detail::set_worker_count);
    static constexpr bool accepts_parameter_server_count = is_ps && !has(detail::set_parameter_server_count);
    static constexpr bool accepts_chief_count = is_ps && !has(detail::set_chief_count);
    static constexpr bool accepts_evaluator_count = is_ps && !has(detail::set_evaluator_count);
    static constexpr bool accepts_process_count_per_node = is_mpi && !has(detail::set_process_count_per_node);
    static constexpr bool accepts_user_managed = !has(detail::set_user_managed) && !(Flags & package_bits) &&
                                                 !has(detail::set_conda_dependencies_file);
    static constexpr bool accepts_packages = !has(detail::set_user_managed) && !has(detail::set_conda_dependencies_file);
    static constexpr bool accepts_conda_dependencies_file =
        !has(detail::set_user_managed) && !(Flags & package_bits) && !has(detail::set_conda_dependencies_file);
    template <int N>
    static constexpr bool accepts_node_count = N >= 1 && !has(detail::set_node_count);

    job_builder() = default;

    // ---- the estimator's parameters ----

    job_builder<Backend, Flags | detail::set_name, NodeCount> name(std::string job_name) const {
        static_assert(!has(detail::set_name), "name() is already set");
        return next<detail::set_name>([&](job_spec& s) { s.name = std::move(job_name); });
    }

    job_builder<Backend, Flags | detail::set_source_directory, NodeCount> source_directory(std::string dir) const {
        static_assert(!has_source_directory, "source_directory() is already set");
        return next<detail::set_source_directory>([&](job_spec& s) { s.source_directory = std::move(dir); });
    }

    job_builder<Backend, Flags | detail::set_entry_script, NodeCount> entry_script(std::string script) const {
        static_assert(!has_entry_script, "entry_script() is already set");
        return next<detail::set_entry_script>([&](job_spec& s) { s.entry_script = std::move(script); });
    }

    job_builder<Backend, Flags | detail::set_script_params, NodeCount> script_params(
        trainspec::script_params params) const {
        static_assert(!has(detail::set_script_params), "script_params() is already set");
        return next<detail::set_script_params>([&](job_spec& s) { s.params = std::move(params); });
    }

    /// A named target ("gpu-cluster", "local") or a compute_target with its
    /// node shape and hosts.
    job_builder<Backend, Flags | detail::set_compute_target, NodeCount> compute_target(
        trainspec::compute_target target) const {
        static_assert(!has(detail::set_compute_target), "compute_target() is already set");
        return next<detail::set_compute_target>([&](job_spec& s) { s.target = std::move(target); });
    }

    /// Creates a target of this VM size instead of naming one (Azure ML).
    job_builder<Backend, Flags | detail::set_vm_size, NodeCount> vm_size(std::string size) const {
        static_assert(!has(detail::set_vm_size), "vm_size() is already set");
        return next<detail::set_vm_size>([&](job_spec& s) { s.vm_size = std::move(size); });
    }

    job_builder<Backend, Flags | detail::set_vm_priority, NodeCount> vm_priority(std::string priority) const {
        static_assert(!has(detail::set_vm_priority), "vm_priority() is already set");
        return next<detail::set_vm_priority>([&](job_spec& s) { s.vm_priority = std::move(priority); });
    }

    job_builder<Backend, Flags | detail::set_node_count, NodeCount> node_count(int nodes) const {
        static_assert(!has(detail::set_node_count), "node_count() is already set");
        return next<detail::set_node_count>([&](job_spec& s) { s.node_count = nodes; });
    }

    /// A node count known at compile time: its rules are checked at compile
    /// time (at least 1; above 1 only with a distributed backend).
    template <int N>
    job_builder<Backend, Flags | detail::set_node_count, N> node_count() const {
        static_assert(!has(detail::set_node_count), "node_count() is already set");
        static_assert(has(detail::set_node_count) || N >= 1,
                      "node_count<N>(): N must be at least 1 (Node count should be at least 1.)");
        return next<detail::set_node_count, Backend, N>([&](job_spec& s) { s.node_count = N; });
    }

    /// Chooses the backend: trainspec::mpi{}, parameter_server{} or
    /// multi_worker{}. Backend-only setters become available after it.
    template <class B>
    job_builder<detail::chosen_backend_t<B, Backend>, Flags | detail::set_backend, NodeCount> distributed_backend(
        B = {}) const {
        static_assert(is_backend_v<B>,
                      "distributed_backend(): choose trainspec::mpi, trainspec::parameter_server or "
                      "trainspec::multi_worker");
        static_assert(!is_backend_v<B> || accepts_backend,
                      "distributed_backend() can be chosen only once per job");
        static_assert(!is_backend_v<B> || !accepts_backend || !std::is_same_v<B, single_node>,
                      "distributed_backend(): single_node is what a job without a backend is; choose "
                      "trainspec::mpi, trainspec::parameter_server or trainspec::multi_worker");
        using chosen = detail::chosen_backend_t<B, Backend>;
        return next<detail::set_backend, chosen>([&](job_spec& s) { s.distributed_backend = chosen::kind; });
    }

    job_builder<Backend, Flags | detail::set_process_count_per_node, NodeCount> process_count_per_node(
        int processes) const {
        assert_process_count_per_node();
        return next<detail::set_process_count_per_node>([&](job_spec& s) { s.process_count_per_node = processes; });
    }
    template <int N>
    job_builder<Backend, Flags | detail::set_process_count_per_node, NodeCount> process_count_per_node() const {
        assert_process_count_per_node();
        static_assert(!accepts_process_count_per_node || N >= 1,
                      "process_count_per_node<N>(): N must be at least 1 (Process count per node should be at "
                      "least 1.)");
        return process_count_per_node(N);
    }

    job_builder<Backend, Flags | detail::set_worker_count, NodeCount> worker_count(int workers) const {
        static_assert(is_ps || is_multi_worker,
                      "worker_count() applies only to distributed_backend(trainspec::parameter_server{}) or "
                      "distributed_backend(trainspec::multi_worker{}); choose the backend first");
        static_assert(!(is_ps || is_multi_worker) || accepts_worker_count, "worker_count() is already set");
        return next<detail::set_worker_count>([&](job_spec& s) { s.worker_count = workers; });
    }
    template <int N>
    job_builder<Backend, Flags | detail::set_worker_count, NodeCount> worker_count() const {
        static_assert(!accepts_worker_count || N >= 1, "worker_count<N>(): N must be at least 1");
        return worker_count(N);
    }

    job_builder<Backend, Flags | detail::set_parameter_server_count, NodeCount> parameter_server_count(
        int servers) const {
        static_assert(is_ps,
                      "parameter_server_count() applies only to distributed_backend(trainspec::parameter_server{}); "
                      "choose the backend first");
        static_assert(!is_ps || accepts_parameter_server_count, "parameter_server_count() is already set");
        return next<detail::set_parameter_server_count>([&](job_spec& s) { s.parameter_server_count = servers; });
    }
    template <int N>
    job_builder<Backend, Flags | detail::set_parameter_server_count, NodeCount> parameter_server_count() const {
        static_assert(!accepts_parameter_server_count || N >= 1,
                      "parameter_server_count<N>(): N must be at least 1 for a parameter-server job");
        return parameter_server_count(N);
    }

    job_builder<Backend, Flags | detail::set_chief_count, NodeCount> chief_count(int chiefs) const {
        static_assert(is_ps,
                      "chief_count() applies only to distributed_backend(trainspec::parameter_server{}); choose "
                      "the backend first");
        static_assert(!is_ps || accepts_chief_count, "chief_count() is already set");
        return next<detail::set_chief_count>([&](job_spec& s) { s.chief_count = chiefs; });
    }
    template <int N>
    job_builder<Backend, Flags | detail::set_chief_count, NodeCount> chief_count() const {
        static_assert(!accepts_chief_count || N == 0 || N == 1, "chief_count<N>(): N must be 0 or 1");
        return chief_count(N);
    }

    job_builder<Backend, Flags | detail::set_evaluator_count, NodeCount> evaluator_count(int evaluators) const {
        static_assert(is_ps,
                      "evaluator_count() applies only to distributed_backend(trainspec::parameter_server{}); "
                      "choose the backend first");
        static_assert(!is_ps || accepts_evaluator_count, "evaluator_count() is already set");
        return next<detail::set_evaluator_count>([&](job_spec& s) { s.evaluator_count = evaluators; });
    }
    template <int N>
    job_builder<Backend, Flags | detail::set_evaluator_count, NodeCount> evaluator_count() const {
        static_assert(!accepts_evaluator_count || N == 0 || N == 1, "evaluator_count<N>(): N must be 0 or 1");
        return evaluator_count(N);
    }

    job_builder<Backend, Flags | detail::set_use_gpu, NodeCount> use_gpu(bool gpu = true) const {
        static_assert(!has(detail::set_use_gpu), "use_gpu() is already set");
        return next<detail::set_use_gpu>([&](job_spec& s) { s.use_gpu = gpu; });
    }

    job_builder<Backend, Flags | detail::set_use_docker, NodeCount> use_docker(bool docker) const {
        static_assert(!has(detail::set_use_docker), "use_docker() is already set");
        return next<detail::set_use_docker>([&](job_spec& s) { s.use_docker = docker; });
    }

    job_builder<Backend, Flags | detail::set_custom_docker_image, NodeCount> custom_docker_image(
        std::string image) const {
        static_assert(!has(detail::set_custom_docker_image), "custom_docker_image() is already set");
        return next<detail::set_custom_docker_image>([&](job_spec& s) { s.custom_docker_image = std::move(image); });
    }

    /// The image already holds every package: no package lists or files.
    job_builder<Backend, Flags | detail::set_user_managed, NodeCount> user_managed() const {
        static_assert(!has(detail::set_user_managed), "user_managed() is already set");
        static_assert(has(detail::set_user_managed) || accepts_user_managed,
                      "user_managed() means the image already has everything: it cannot be combined with "
                      "conda_packages(), pip_packages(), conda_dependencies_file() or pip_requirements_file()");
        return next<detail::set_user_managed>([&](job_spec& s) { s.user_managed = true; });
    }

    job_builder<Backend, Flags | detail::set_conda_packages, NodeCount> conda_packages(
        std::vector<std::string> packages) const {
        assert_package_setter<detail::set_conda_packages>();
        return next<detail::set_conda_packages>([&](job_spec& s) { s.conda_packages = std::move(packages); });
    }

    job_builder<Backend, Flags | detail::set_pip_packages, NodeCount> pip_packages(
        std::vector<std::string> packages) const {
        assert_package_setter<detail::set_pip_packages>();
        return next<detail::set_pip_packages>([&](job_spec& s) { s.pip_packages = std::move(packages); });
    }

    job_builder<Backend, Flags | detail::set_pip_requirements_file, NodeCount> pip_requirements_file(
        std::string file) const {
        assert_package_setter<detail::set_pip_requirements_file>();
        return next<detail::set_pip_requirements_file>([&](job_spec& s) { s.pip_requirements_file = std::move(file); });
    }

    /// A conda environment file that lists every package of the job.
    job_builder<Backend, Flags | detail::set_conda_dependencies_file, NodeCount> conda_dependencies_file(
        std::string file) const {
        static_assert(!has(detail::set_conda_dependencies_file), "conda_dependencies_file() is already set");
        static_assert(has(detail::set_conda_dependencies_file) || !has(detail::set_user_managed),
                      "user_managed() means the image already has everything: it cannot be combined with "
                      "conda_packages(), pip_packages(), conda_dependencies_file() or pip_requirements_file()");
        static_assert(has(detail::set_conda_dependencies_file) || has(detail::set_user_managed) ||
                          !(Flags & package_bits),
                      "conda_dependencies_file() lists every package: it cannot be combined with "
                      "conda_packages(), pip_packages() or pip_requirements_file()");
        return next<detail::set_conda_dependencies_file>(
            [&](job_spec& s) { s.conda_dependencies_file = std::move(file); });
    }

    job_builder<Backend, Flags | detail::set_environment_variables, NodeCount> environment_variables(
        std::vector<environment_variable> variables) const {
        static_assert(!has(detail::set_environment_variables), "environment_variables() is already set");
        return next<detail::set_environment_variables>(
            [&](job_spec& s) { s.environment_variables = std::move(variables); });
    }

    job_builder<Backend, Flags | detail::set_shm_size, NodeCount> shm_size(std::string size) const {
        static_assert(!has(detail::set_shm_size), "shm_size() is already set");
        return next<detail::set_shm_size>([&](job_spec& s) { s.shm_size = std::move(size); });
    }

    job_builder<Backend, Flags | detail::set_max_run_duration, NodeCount> max_run_duration_seconds(
        std::int64_t seconds) const {
        static_assert(!has(detail::set_max_run_duration), "max_run_duration_seconds() is already set");
        return next<detail::set_max_run_duration>([&](job_spec& s) { s.max_run_duration_seconds = seconds; });
    }

    job_builder<Backend, Flags | detail::set_framework_version, NodeCount> framework_version(
        std::string version) const {
        static_assert(!has(detail::set_framework_version), "framework_version() is already set");
        return next<detail::set_framework_version>([&](job_spec& s) { s.framework_version = std::move(version); });
    }

    // ---- results ----

    /// The spec as set so far (not validated).
    const job_spec& spec() const noexcept { return spec_; }

    /// Every run-time problem of the job as set so far.
    problems validate() const { return trainspec::validate(spec_); }

    /// The validated job. Throws validation_error listing every problem.
    job<Backend> build() const {
        static_assert(has_source_directory, "build(): source_directory() is missing; every job needs one");
        static_assert(!has_source_directory || has_entry_script,
                      "build(): entry_script() is missing; every job needs one");
        static_assert(!has_source_directory || !has_entry_script || has_compute_target,
                      "build(): compute_target() is missing (or vm_size()); every job needs one");
        static_assert(!has_source_directory || !has_entry_script || !has_compute_target || !node_count_needs_backend,
                      "build(): node_count<N>() with N > 1 needs distributed_backend(trainspec::mpi{}), "
                      "(trainspec::parameter_server{}) or (trainspec::multi_worker{})");
        return make_job_as<Backend>(spec_);
    }

private:
    template <class, unsigned, int>
    friend class job_builder;
    friend job_builder<> tensorflow();
    friend job_builder<> keras();

    explicit job_builder(job_spec spec) : spec_(std::move(spec)) {}

    template <unsigned Bit, class NextBackend = Backend, int NextNodeCount = NodeCount, class Change>
    job_builder<NextBackend, Flags | Bit, NextNodeCount> next(Change&& change) const {
        job_spec copy = spec_;
        change(copy);
        return job_builder<NextBackend, Flags | Bit, NextNodeCount>(std::move(copy));
    }

    static constexpr void assert_process_count_per_node() {
        static_assert(is_mpi,
                      "process_count_per_node() applies only to distributed_backend(trainspec::mpi{}); a "
                      "parameter-server or multi-worker job starts one process per task");
        static_assert(!is_mpi || accepts_process_count_per_node, "process_count_per_node() is already set");
    }

    template <unsigned Bit>
    static constexpr void assert_package_setter() {
        static_assert(!has(Bit), "this package setter is already set");
        static_assert(has(Bit) || !has(detail::set_user_managed),
                      "user_managed() means the image already has everything: it cannot be combined with "
                      "conda_packages(), pip_packages(), conda_dependencies_file() or pip_requirements_file()");
        static_assert(has(Bit) || has(detail::set_user_managed) || !has(detail::set_conda_dependencies_file),
                      "conda_dependencies_file() lists every package: it cannot be combined with "
                      "conda_packages(), pip_packages() or pip_requirements_file()");
    }

    job_spec spec_;
};

/// Starts a TensorFlow job, as Azure ML's `TensorFlow(...)` estimator.
inline job_builder<> tensorflow() { return job_builder<>(job_spec{}); }

/// Starts a Keras job on TensorFlow: the keras switch is on, which adds the
/// keras package to the environment.
inline job_builder<> keras() {
    job_spec spec;
    spec.keras = true;
    return job_builder<>(std::move(spec));
}

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/builder.hpp
// begin file include/trainspec/spec_json.hpp
// The JSON job spec (`"apiVersion": "trainspec/v1"`), both directions.
//
// Keys are Azure ML's estimator parameter names. Reading collects every
// problem at once: syntax errors with line and column, duplicate keys,
// unknown keys (with a "did you mean" hint), wrong types, then the job rules
// of validate(); each problem names its JSON path. Writing gives the same
// spec back: spec -> JSON -> spec is the identity, and script_params keep
// their order.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>


TRAINSPEC_BEGIN_NAMESPACE

inline constexpr const char* spec_api_version = "trainspec/v1";

/// The top-level keys of a trainspec/v1 spec, in the order to_json() writes them.
inline const std::vector<std::string>& spec_keys() {
    static const std::vector<std::string> keys = {
        "apiVersion",      "name",          "source_directory",      "entry_script",
        "script_params",   "compute_target", "vm_size",              "vm_priority",
        "node_count",      "process_count_per_node", "distributed_backend", "worker_count",
        "parameter_server_count", "chief_count", "evaluator_count", "use_gpu",
        "use_docker",      "custom_docker_image", "user_managed",     "conda_packages",
        "pip_packages",    "conda_dependencies_file", "pip_requirements_file", "environment_variables",
        "shm_size",        "max_run_duration_seconds", "framework_version", "keras"};
    return keys;
}

inline const std::vector<std::string>& compute_target_keys() {
    static const std::vector<std::string> keys = {"name", "gpus_per_node", "cpus_per_node", "max_nodes", "hosts"};
    return keys;
}

/// Edit distance, for "did you mean" hints.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

/// The closest candidate within a third of the word's length, if any; case
/// does not count ("MPI" is close to "mpi").
inline std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates) {
    auto lower = [](std::string_view text) {
        std::string out(text);
        for (auto& c : out)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        return out;
    };
    const auto key = lower(word);
    std::optional<std::string> best;
    std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
    for (const auto& c : candidates) {
        const auto d = edit_distance(key, lower(c));
        if (d < best_distance) {
            best_distance = d;
            best = c;
        }
    }
    return best;
}

namespace detail {

using ojson = nlohmann::ordered_json;

inline std::string json_type_name(const ojson& v) {
    if (v.is_number_integer()) return "integer";
    if (v.is_number_float()) return "number";
    return v.type_name();
}

inline std::string shown(const ojson& v) { return v.dump(); }

/// Reads one JSON document into a job_spec, noting every problem.
class spec_reader {
public:
    explicit spec_reader(problems& found) : found_(found) {}

    job_spec read(const ojson& doc) {
        job_spec s;
        if (!doc.is_object()) {
            type_error("$", doc, "a JSON object");
            return s;
        }
        for (const auto& [key, value] : doc.items()) {
            if (std::find(spec_keys().begin(), spec_keys().end(), key) == spec_keys().end()) {
                unknown_key(key, key, spec_keys(), &compute_target_keys(),
                            "a key of compute_target, not a top-level key");
                continue;
            }
            read_field(s, key, value);
        }
        return s;
    }

    /// Paths whose value had the wrong type: rules about them are moot.
    const std::vector<std::string>& bad_paths() const { return bad_paths_; }

private:
    void add(std::string path, std::string value, std::string rule) {
        found_.push_back({std::move(path), std::move(value), std::move(rule)});
    }
    void type_error(const std::string& path, const ojson& v, const std::string& expected) {
        add(path, shown(v), "must be " + expected + ", not " + json_type_name(v));
        bad_paths_.push_back(path);
    }
    /// `elsewhere`: the keys of another level, for a key written at the wrong level.
    void unknown_key(const std::string& path, const std::string& key, const std::vector<std::string>& known,
                     const std::vector<std::string>* elsewhere = nullptr, const char* elsewhere_is = nullptr) {
        std::string rule = "unknown key";
        if (auto hint = closest_match(key, known))
            rule += "; did you mean \"" + *hint + "\"?";
        else if (auto other = elsewhere ? closest_match(key, *elsewhere) : std::nullopt)
            rule += "; did you mean \"" + *other + "\"? It is " + elsewhere_is;
        add(path, "", rule);
    }

    std::optional<std::string> string_at(const std::string& path, const ojson& v, const char* extra = nullptr) {
        if (v.is_string()) return v.get<std::string>();
        type_error(path, v, extra ? std::string("a string (") + extra + ")" : std::string("a string"));
        return std::nullopt;
    }
    std::optional<bool> bool_at(const std::string& path, const ojson& v) {
        if (v.is_boolean()) return v.get<bool>();
        type_error(path, v, "true or false");
        return std::nullopt;
    }
    std::optional<std::int64_t> integer_at(const std::string& path, const ojson& v, std::int64_t max) {
        if (v.is_number_integer()) {
            if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
                add(path, shown(v), "must be at most " + std::to_string(max));
                bad_paths_.push_back(path);
                return std::nullopt;
            }
            const auto i = v.get<std::int64_t>();
            if (i > max || i < -max) {
                add(path, shown(v), "must be between " + std::to_string(-max) + " and " + std::to_string(max));
                bad_paths_.push_back(path);
                return std::nullopt;
            }
            return i;
        }
        type_error(path, v, "an integer");
        return std::nullopt;
    }
    std::optional<int> int_at(const std::string& path, const ojson& v) {
        auto i = integer_at(path, v, std::numeric_limits<int>::max());
        if (!i) return std::nullopt;
        return static_cast<int>(*i);
    }
    std::vector<std::string> strings_at(const std::string& path, const ojson& v) {
        std::vector<std::string> out;
        if (!v.is_array()) {
            type_error(path, v, "an array of strings");
            return out;
        }
        for (std::size_t i = 0; i < v.size(); ++i)
            if (auto s = string_at(path + "[" + std::to_string(i) + "]", v[i])) out.push_back(*s);
        return out;
    }

    void read_field(job_spec& s, const std::string& key, const ojson& v) {
        if (key == "apiVersion") {
            if (auto api = string_at(key, v); api && *api != spec_api_version)
                add(key, shown(v), std::string("must be \"") + spec_api_version + "\"");
        } else if (key == "name") {
            s.name = string_at(key, v);
        } else if (key == "source_directory") {
            s.source_directory = string_at(key, v).value_or("");
        } else if (key == "entry_script") {
            s.entry_script = string_at(key, v).value_or("");
        } else if (key == "script_params") {
            s.params = read_script_params(v);
        } else if (key == "compute_target") {
            s.target = read_compute_target(v);
        } else if (key == "vm_size") {
            s.vm_size = string_at(key, v);
        } else if (key == "vm_priority") {
            s.vm_priority = string_at(key, v);
        } else if (key == "node_count") {
            s.node_count = int_at(key, v);
        } else if (key == "process_count_per_node") {
            s.process_count_per_node = int_at(key, v);
        } else if (key == "distributed_backend") {
            read_backend(s, v);
        } else if (key == "worker_count") {
            s.worker_count = int_at(key, v);
        } else if (key == "parameter_server_count") {
            s.parameter_server_count = int_at(key, v);
        } else if (key == "chief_count") {
            s.chief_count = int_at(key, v);
        } else if (key == "evaluator_count") {
            s.evaluator_count = int_at(key, v);
        } else if (key == "use_gpu") {
            s.use_gpu = bool_at(key, v);
        } else if (key == "use_docker") {
            s.use_docker = bool_at(key, v);
        } else if (key == "custom_docker_image") {
            s.custom_docker_image = string_at(key, v);
        } else if (key == "user_managed") {
            s.user_managed = bool_at(key, v);
        } else if (key == "conda_packages") {
            s.conda_packages = strings_at(key, v);
        } else if (key == "pip_packages") {
            s.pip_packages = strings_at(key, v);
        } else if (key == "conda_dependencies_file") {
            s.conda_dependencies_file = string_at(key, v);
        } else if (key == "pip_requirements_file") {
            s.pip_requirements_file = string_at(key, v);
        } else if (key == "environment_variables") {
            s.environment_variables = read_environment(v);
        } else if (key == "shm_size") {
            s.shm_size = string_at(key, v, "Docker syntax such as \"2g\"");
        } else if (key == "max_run_duration_seconds") {
            s.max_run_duration_seconds = integer_at(key, v, std::numeric_limits<std::int64_t>::max());
        } else if (key == "framework_version") {
            // A number would lose "2.10" to 2.1, so only strings are accepted.
            s.framework_version = string_at(key, v, "for example \"2.16\"; a number cannot say 2.10");
        } else if (key == "keras") {
            s.keras = bool_at(key, v);
        }
    }

    void read_backend(job_spec& s, const ojson& v) {
        if (v.is_null()) {  // Azure ML's None: no backend, said explicitly
            s.distributed_backend = backend_kind::single_node;
            return;
        }
        auto name = string_at("distributed_backend", v);
        if (!name) return;
        if (auto kind = backend_from_spec_name(*name)) {
            s.distributed_backend = *kind;
            return;
        }
        std::string rule = "Unsupported distributed backend value: " + *name + ". Supported backend(s): " +
                           std::string(supported_backend_names) + ".";
        if (auto hint = closest_match(*name, {"mpi", "ps", "multi_worker"})) rule += " Did you mean \"" + *hint + "\"?";
        add("distributed_backend", shown(v), rule);
        bad_paths_.push_back("distributed_backend");
    }

    std::optional<param_value> read_param_value(const std::string& path, const ojson& v) {
        if (v.is_null()) return param_value(nullptr);
        if (v.is_boolean()) return param_value(v.get<bool>());
        if (v.is_number_integer()) {
            if (v.is_number_unsigned() &&
                v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
                add(path, shown(v), "an integer must fit 64 bits");
                return std::nullopt;
            }
            return param_value(v.get<std::int64_t>());
        }
        if (v.is_number_float()) return param_value(v.get<double>());
        if (v.is_string()) return param_value(v.get<std::string>());
        if (v.is_array()) {
            param_value::list items;
            for (std::size_t i = 0; i < v.size(); ++i) {
                const auto& e = v[i];
                const auto item_path = path + "[" + std::to_string(i) + "]";
                if (e.is_boolean())
                    items.emplace_back(e.get<bool>());
                else if (e.is_number_integer() && !e.is_number_unsigned())
                    items.emplace_back(e.get<std::int64_t>());
                else if (e.is_number_integer() &&
                         e.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                    items.emplace_back(static_cast<std::int64_t>(e.get<std::uint64_t>()));
                else if (e.is_number_float())
                    items.emplace_back(e.get<double>());
                else if (e.is_string())
                    items.emplace_back(e.get<std::string>());
                else {
                    type_error(item_path, e, "a string, number or boolean (lists do not nest)");
                    return std::nullopt;
                }
            }
            return param_value(std::move(items));
        }
        type_error(path, v, "null, a boolean, a number, a string or a list of those");
        return std::nullopt;
    }

    script_params read_script_params(const ojson& v) {
        script_params params;
        if (v.is_object()) {
            for (const auto& [key, value] : v.items()) {
                auto path = "script_params[" + quote_json(key) + "]";
                if (auto pv = read_param_value(path, value)) params.add(key, std::move(*pv));
            }
        } else if (v.is_array()) {
            // [["--x", 1], ["--x", 2]]: the form that allows repeated keys.
            for (std::size_t i = 0; i < v.size(); ++i) {
                const auto& pair = v[i];
                auto path = "script_params[" + std::to_string(i) + "]";
                if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string()) {
                    type_error(path, pair, "a [key, value] pair with a string key");
                    continue;
                }
                auto key = pair[0].get<std::string>();
                if (auto pv = read_param_value("script_params[" + quote_json(key) + "]", pair[1]))
                    params.add(std::move(key), std::move(*pv));
            }
        } else {
            type_error("script_params", v, "an object or an array of [key, value] pairs");
        }
        return params;
    }

    std::optional<host> read_host(const std::string& path, const ojson& v) {
        if (v.is_string()) {
            // "name" or "name:slots", Horovod's syntax.
            const auto text = v.get<std::string>();
            const auto colon = text.rfind(':');
            if (colon == std::string::npos) return host{text, 1};
            const auto slots = text.substr(colon + 1);
            if (slots.empty() || slots.size() > 9 || slots.find_first_not_of("0123456789") != std::string::npos) {
                add(path, shown(v), "must be \"host\" or \"host:slots\" with slots a positive integer");
                bad_paths_.push_back(path);
                return std::nullopt;
            }
            return host{text.substr(0, colon), std::stoi(slots)};
        }
        if (v.is_object()) {
            host h;
            bool named = false;
            for (const auto& [key, value] : v.items()) {
                if (key == "name") {
                    if (auto n = string_at(path + ".name", value)) {
                        h.name = *n;
                        named = true;
                    }
                } else if (key == "slots") {
                    if (auto n = int_at(path + ".slots", value)) h.slots = *n;
                } else {
                    unknown_key(path + "." + key, key, {"name", "slots"});
                }
            }
            if (!named) {
                add(path + ".name", "", "is required");
                return std::nullopt;
            }
            return h;
        }
        type_error(path, v, "\"host:slots\" or {\"name\", \"slots\"}");
        return std::nullopt;
    }

    std::optional<compute_target> read_compute_target(const ojson& v) {
        if (v.is_string()) return compute_target(v.get<std::string>());
        if (!v.is_object()) {
            type_error("compute_target", v, "a name or an object");
            return std::nullopt;
        }
        compute_target t;
        bool named = false;
        for (const auto& [key, value] : v.items()) {
            const auto path = "compute_target." + key;
            if (key == "name") {
                if (auto n = string_at(path, value)) {
                    t.name = *n;
                    named = true;
                }
            } else if (key == "gpus_per_node") {
                t.gpus_per_node = int_at(path, value);
            } else if (key == "cpus_per_node") {
                t.cpus_per_node = int_at(path, value);
            } else if (key == "max_nodes") {
                t.max_nodes = int_at(path, value);
            } else if (key == "hosts") {
                if (!value.is_array()) {
                    type_error(path, value, "an array of \"host:slots\"");
                    continue;
                }
                for (std::size_t i = 0; i < value.size(); ++i)
                    if (auto h = read_host(path + "[" + std::to_string(i) + "]", value[i])) t.hosts.push_back(*h);
            } else {
                unknown_key(path, key, compute_target_keys(), &spec_keys(),
                            "a top-level key, not part of compute_target");
            }
        }
        if (!named) {
            add("compute_target.name", "", "is required");
            bad_paths_.push_back("compute_target");
        }
        return t;
    }

    std::vector<environment_variable> read_environment(const ojson& v) {
        std::vector<environment_variable> vars;
        if (!v.is_object()) {
            type_error("environment_variables", v, "an object of name: string value");
            return vars;
        }
        for (const auto& [key, value] : v.items()) {
            const auto path = "environment_variables[" + quote_json(key) + "]";
            if (value.is_string())
                vars.push_back({key, value.get<std::string>()});
            else
                type_error(path, value, "a string (write numbers in quotes, as the environment holds text)");
        }
        return vars;
    }

    problems& found_;
    std::vector<std::string> bad_paths_;
};

/// The path of a key inside the object at `parent` ("" for the document).
/// The maps of free-form names use the bracket form of validate().
inline std::string key_path(const std::string& parent, const std::string& key) {
    if (parent.empty()) return key;
    if (parent == "script_params" || parent == "environment_variables") return parent + "[" + quote_json(key) + "]";
    return parent + "." + key;
}

/// Parses `text` into `out`. Duplicate keys (nlohmann keeps only one of them
/// silently) and a syntax error go to `found`; false on a syntax error.
inline bool parse_spec_text(std::string_view text, ojson& out, problems& found) {
    struct level {
        std::string path;
        bool is_array = false;
        std::size_t index = 0;  // arrays: the element being read
        std::string key;        // objects: the last key read
        std::set<std::string> keys;
    };
    std::vector<level> stack;
    auto child_path = [&stack]() -> std::string {
        if (stack.empty()) return {};
        const auto& parent = stack.back();
        return parent.is_array ? parent.path + "[" + std::to_string(parent.index) + "]"
                               : key_path(parent.path, parent.key);
    };
    auto element_done = [&stack]() {
        if (!stack.empty() && stack.back().is_array) ++stack.back().index;
    };
    auto callback = [&](int /*depth*/, ojson::parse_event_t event, ojson& parsed) {
        switch (event) {
            case ojson::parse_event_t::object_start:
            case ojson::parse_event_t::array_start: {
                level next;
                next.path = child_path();
                next.is_array = event == ojson::parse_event_t::array_start;
                stack.push_back(std::move(next));
                break;
            }
            case ojson::parse_event_t::object_end:
            case ojson::parse_event_t::array_end:
                if (!stack.empty()) stack.pop_back();
                element_done();
                break;
            case ojson::parse_event_t::key: {
                if (stack.empty()) break;
                auto& object = stack.back();
                object.key = parsed.get<std::string>();
                if (!object.keys.insert(object.key).second) {
                    std::string rule = "duplicate key; JSON readers keep only one of them";
                    if (object.path == "script_params")
                        rule += " (a repeated parameter needs the array form [[\"--x\", 1], [\"--x\", 2]])";
                    found.push_back({key_path(object.path, object.key), "", std::move(rule)});
                }
                break;
            }
            case ojson::parse_event_t::value:
                element_done();
                break;
        }
        return true;
    };
    try {
        out = ojson::parse(text.begin(), text.end(), callback);
    } catch (const ojson::parse_error& e) {
        std::string message = e.what();
        // "[json.exception.parse_error.101] parse error at line 1, column 5: ..." -> "at line 1, column 5: ..."
        if (auto at = message.find(" at line "); at != std::string::npos) message.erase(0, at + 1);
        found.push_back({"$", "", "syntax error " + message});
        return false;
    }
    return true;
}

}  // namespace detail

/// Reads a spec document's fields. Problems of syntax and type go to
/// `found` (every one of them); the job rules are not checked here.
inline job_spec read_spec(std::string_view text, problems& found) {
    detail::ojson doc;
    if (!detail::parse_spec_text(text, doc, found)) return {};
    detail::spec_reader reader(found);
    return reader.read(doc);
}

/// Every problem of a spec document: syntax, keys and types, then the job
/// rules (leaving out rules about values that already had the wrong type).
inline problems check_spec(std::string_view text) {
    problems found;
    detail::ojson doc;
    if (!detail::parse_spec_text(text, doc, found)) return found;
    detail::spec_reader reader(found);
    const auto spec = reader.read(doc);
    if (!doc.is_object()) return found;
    // Rules that read an unreadable value are skipped; so is any rule about a path inside one.
    for (auto& p : detail::rule_checker(spec, reader.bad_paths()).run()) {
        const bool moot = std::any_of(reader.bad_paths().begin(), reader.bad_paths().end(),
                                      [&](const std::string& bad) { return detail::path_within(p.path, bad); });
        if (!moot) found.push_back(std::move(p));
    }
    return found;
}

/// Reads and validates a spec document. Throws validation_error listing
/// every problem.
inline any_job load_job(std::string_view text) {
    auto found = check_spec(text);
    if (!found.empty()) throw validation_error(std::move(found));
    problems none;
    return make_job(read_spec(text, none));
}

namespace detail {
inline ojson param_json(const param_scalar& v) {
    return std::visit([](const auto& x) { return ojson(x); }, v.get());
}
inline ojson param_json(const param_value& v) {
    return std::visit(
        [](const auto& x) -> ojson {
            using V = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<V, param_value::list>) {
                ojson list = ojson::array();
                for (const auto& item : x) list.push_back(param_json(item));
                return list;
            } else {
                return ojson(x);
            }
        },
        v.get());
}
}  // namespace detail

/// The spec as a trainspec/v1 JSON document; only the fields that are set,
/// in spec_keys() order.
inline nlohmann::ordered_json to_json(const job_spec& s) {
    detail::ojson j;
    j["apiVersion"] = spec_api_version;
    if (s.name) j["name"] = *s.name;
    j["source_directory"] = s.source_directory;
    j["entry_script"] = s.entry_script;
    if (!s.params.empty()) {
        if (s.params.has_repeated_keys()) {
            auto pairs = detail::ojson::array();
            for (const auto& [key, value] : s.params) pairs.push_back({key, detail::param_json(value)});
            j["script_params"] = std::move(pairs);
        } else {
            detail::ojson object = detail::ojson::object();
            for (const auto& [key, value] : s.params) object[key] = detail::param_json(value);
            j["script_params"] = std::move(object);
        }
    }
    if (s.target) {
        const auto& t = *s.target;
        if (t.is_name_only()) {
            j["compute_target"] = t.name;
        } else {
            detail::ojson target;
            target["name"] = t.name;
            if (t.gpus_per_node) target["gpus_per_node"] = *t.gpus_per_node;
            if (t.cpus_per_node) target["cpus_per_node"] = *t.cpus_per_node;
            if (t.max_nodes) target["max_nodes"] = *t.max_nodes;
            if (!t.hosts.empty()) {
                auto hosts = detail::ojson::array();
                for (const auto& h : t.hosts) hosts.push_back(h.name + ":" + std::to_string(h.slots));
                target["hosts"] = std::move(hosts);
            }
            j["compute_target"] = std::move(target);
        }
    }
    auto put = [&j](const char* key, const auto& optional) {
        if (optional) j[key] = *optional;
    };
    put("vm_size", s.vm_size);
    put("vm_priority", s.vm_priority);
    put("node_count", s.node_count);
    put("process_count_per_node", s.process_count_per_node);
    if (s.distributed_backend) {
        // An explicit single_node is written as null, which reads back as single_node.
        const auto name = spec_name(*s.distributed_backend);
        j["distributed_backend"] = name.empty() ? detail::ojson(nullptr) : detail::ojson(std::string(name));
    }
    put("worker_count", s.worker_count);
    put("parameter_server_count", s.parameter_server_count);
    put("chief_count", s.chief_count);
    put("evaluator_count", s.evaluator_count);
    put("use_gpu", s.use_gpu);
    put("use_docker", s.use_docker);
    put("custom_docker_image", s.custom_docker_image);
    put("user_managed", s.user_managed);
    if (!s.conda_packages.empty()) j["conda_packages"] = s.conda_packages;
    if (!s.pip_packages.empty()) j["pip_packages"] = s.pip_packages;
    put("conda_dependencies_file", s.conda_dependencies_file);
    put("pip_requirements_file", s.pip_requirements_file);
    if (!s.environment_variables.empty()) {
        detail::ojson env = detail::ojson::object();
        for (const auto& v : s.environment_variables) env[v.name] = v.value;
        j["environment_variables"] = std::move(env);
    }
    put("shm_size", s.shm_size);
    put("max_run_duration_seconds", s.max_run_duration_seconds);
    put("framework_version", s.framework_version);
    put("keras", s.keras);
    return j;
}

/// The spec as text: 2-space indented JSON with a final newline.
inline std::string dump_spec(const job_spec& s) { return to_json(s).dump(2) + "\n"; }

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/spec_json.hpp
// end file include/trainspec/trainspec.hpp
