// trainspec 0.2.0: distributed TensorFlow/Keras training jobs, described once.
// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trainspec authors
//
// GENERATED FILE: do not edit. This is include/trainspec/ amalgamated into one
// header by tools/amalgamate.py; edit the headers there and run the script.

#pragma once

// The single header is header-only: its definitions sections depend on
// where each header was first included, so the compiled mode (docs/compiled.md)
// needs include/.
#ifdef TRAINSPEC_COMPILED_LIB
#error "single_include/trainspec/trainspec.hpp is header-only; TRAINSPEC_COMPILED_LIB needs include/ and trainspec::compiled"
#endif

// begin file include/trainspec/trainspec.hpp
// trainspec: distributed TensorFlow/Keras training jobs, described once.
// The umbrella header, in pipeline order: front ends → job → plan → launch
// model → back ends, then the in-process consumer (docs/contributing.md).
// Kept in the pipeline's order, not the alphabet's:
// clang-format off

// begin file include/trainspec/version.hpp

#define TRAINSPEC_VERSION_MAJOR 0
#define TRAINSPEC_VERSION_MINOR 2
#define TRAINSPEC_VERSION_PATCH 0
#define TRAINSPEC_VERSION_STRING "0.2.0"

// The inline namespace carries the version so that objects built against two
// different trainspec versions cannot be linked together by accident.
#define TRAINSPEC_ABI_NAMESPACE v0_2_0
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
// begin file include/trainspec/error.hpp
// What the library reports: a problem (which field, which value, which
// rule), and trainspec::error, the base of every exception it throws.

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

// begin file include/trainspec/detail/json_text.hpp
// Minimal JSON text, for values shown in messages and for the TF_CONFIG
// writer, so the core headers do not need a JSON library.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// Appends `text` to `out` escaped for the inside of a JSON string.
inline void append_json_escaped(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    std::size_t plain = 0;  // the start of the run of characters copied as they are
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte >= 0x20 && byte != '"' && byte != '\\') continue;
        out.append(text.data() + plain, i - plain);
        plain = i + 1;
        switch (byte) {
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
                out += "\\u00";
                out += hex[byte >> 4];
                out += hex[byte & 0xF];
        }
    }
    out.append(text.data() + plain, text.size() - plain);
}

/// Appends `text` as a JSON string to `out`.
inline void append_quoted_json(std::string& out, std::string_view text) {
    out += '"';
    append_json_escaped(out, text);
    out += '"';
}

inline std::string quote_json(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    append_quoted_json(out, text);
    return out;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/json_text.hpp

TRAINSPEC_BEGIN_NAMESPACE

/// One violated rule. `path` uses the spec's own key names
/// (`node_count`, `compute_target.gpus_per_node`, `conda_packages[2]`,
/// `script_params["--lr"]`), so the same text points into a JSON spec file
/// and into a builder call; other errors name their own field (`hosts`,
/// `ssh_port`, `task.index`, an artifact).
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

/// The base of everything the library throws (`catch (const
/// trainspec::error&)` catches them all): what() is a sentence, all() the
/// problems behind it, at least one.
class error : public std::invalid_argument {
public:
    explicit error(const problem& p) : error(to_string(p), problems{p}) {}
    error(const std::string& what, problems found) : std::invalid_argument(what), problems_(std::move(found)) {}

    const problems& all() const noexcept { return problems_; }
    /// The first problem's parts.
    const std::string& path() const noexcept { return problems_.front().path; }
    const std::string& value() const noexcept { return problems_.front().value; }
    const std::string& rule() const noexcept { return problems_.front().rule; }

private:
    problems problems_;
};

/// A job built from invalid values. what() lists every problem, one per line.
class validation_error : public error {
public:
    explicit validation_error(problems found) : error(describe(found), found) {}

private:
    static std::string describe(const problems& found) {
        std::string text =
            found.size() == 1 ? "invalid job: 1 problem" : "invalid job: " + std::to_string(found.size()) + " problems";
        for (const auto& p : found) {
            text += "\n  ";
            text += to_string(p);
        }
        return text;
    }
};

/// An artifact the job cannot have (a Dockerfile for use_docker = false, an
/// Azure ML job with a chief, ...): `artifact: job "name" reason`.
class artifact_error : public error {
public:
    artifact_error(std::string artifact, const std::string& job, std::string reason)
        : error(artifact + ": job " + detail::quote_json(job) + " " + reason,
                {{artifact, detail::quote_json(job), reason}}),
          artifact_(std::move(artifact)) {}

    const std::string& artifact() const noexcept { return artifact_; }

private:
    std::string artifact_;
};

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/error.hpp

// The job's parameters, as plain data
// begin file include/trainspec/spec/enum_names.hpp
// One naming scheme for every enum a spec, a command line or a message spells:
// next to each enum, one table of (enumerator, name) pairs; these functions
// are the only readers of those tables.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// begin file include/trainspec/detail/join.hpp
// Lists written into messages and command lines: "a, b, c", "h1,h2".

#include <string>
#include <string_view>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// text(item) for every item, `separator` between them (none after an
/// empty beginning).
template <class Items, class Text>
std::string join(const Items& items, std::string_view separator, Text text) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += text(item);
    }
    return out;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/join.hpp

TRAINSPEC_BEGIN_NAMESPACE

/// One row of an enum's name table (an aggregate: cheaper to compile than a
/// std::pair in constant tables).
template <class Enum>
struct enum_entry {
    Enum value;
    std::string_view name;
};

/// Specialised next to each enum with
/// `static constexpr std::array<enum_entry<Enum>, N> table`.
template <class Enum>
struct enum_names;

/// The enumerator's name; empty for an enumerator the table leaves out.
template <class Enum>
constexpr std::string_view enum_name(Enum value) noexcept {
    for (const auto& entry : enum_names<Enum>::table)
        if (entry.value == value) return entry.name;
    return {};
}

/// The enumerator a name spells; nullopt for any other text.
template <class Enum>
constexpr std::optional<Enum> enum_from_name(std::string_view name) noexcept {
    for (const auto& entry : enum_names<Enum>::table)
        if (entry.name == name) return entry.value;
    return std::nullopt;
}

/// Every named enumerator, in the table's order.
template <class Enum>
constexpr auto enum_values() noexcept {
    constexpr auto& table = enum_names<Enum>::table;
    std::array<Enum, table.size()> values{};
    for (std::size_t i = 0; i < table.size(); ++i) values[i] = table[i].value;
    return values;
}

/// The names for a message: "a, b, c".
template <class Enum>
std::string enum_name_list() {
    return detail::join(enum_names<Enum>::table, ", ", [](const auto& entry) { return entry.name; });
}

/// The names as strings, in the table's order: key lists and "did you mean"
/// candidates.
template <class Enum>
const std::vector<std::string>& enum_name_strings() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& entry : enum_names<Enum>::table) out.emplace_back(entry.name);
        return out;
    }();
    return names;
}

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/spec/enum_names.hpp
// begin file include/trainspec/spec/backend.hpp
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
struct is_backend : std::bool_constant<std::is_same_v<T, single_node> || std::is_same_v<T, mpi> ||
                                       std::is_same_v<T, parameter_server> || std::is_same_v<T, multi_worker>> {};
template <class T>
inline constexpr bool is_backend_v = is_backend<T>::value;

/// The spelling of the JSON spec's `distributed_backend` (Azure ML's names,
/// plus trainspec's "multi_worker"). A single-node job has none.
template <>
struct enum_names<backend_kind> {
    static constexpr std::array<enum_entry<backend_kind>, 3> table{{
        {backend_kind::mpi, "mpi"},
        {backend_kind::parameter_server, "ps"},
        {backend_kind::multi_worker, "multi_worker"},
    }};
};

/// The backend in messages and comments: its spec name, "single-node" for none.
constexpr std::string_view backend_label(backend_kind kind) noexcept {
    return kind == backend_kind::single_node ? "single-node" : enum_name(kind);
}

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/spec/backend.hpp
// begin file include/trainspec/spec/compute_target.hpp
// Where a job runs: a named compute target (or "local"), what its nodes hold,
// and optionally the hosts themselves.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// begin file include/trainspec/detail/member_equality.hpp
// Equality of plain structs, member by member: one fold over member
// pointers, much cheaper to compile than comparing two std::tie tuples.


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

template <class T, class... Members>
bool members_equal(const T& a, const T& b, Members T::*... members) {
    return ((a.*members == b.*members) && ...);
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/member_equality.hpp

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
// end file include/trainspec/spec/compute_target.hpp
// begin file include/trainspec/spec/did_you_mean.hpp
// "Did you mean" hints: the known word closest to a misspelt one. The spec
// reader and the command line both use them.

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE

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

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/spec/did_you_mean.hpp
// begin file include/trainspec/spec/framework.hpp
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
// end file include/trainspec/spec/framework.hpp
// begin file include/trainspec/spec/hosts.hpp
// Host lists: Horovod's `host:slots,host:slots`, hostfiles in Open MPI and
// Hydra syntax, and hosts generated from a naming pattern.
//
// Stricter than Horovod's parser on purpose: whitespace inside a list (which
// would split the mpirun word), duplicate hosts and malformed items are
// errors naming the item and the reason.

#include <string>
#include <string_view>
#include <vector>

// begin file include/trainspec/detail/linkage.hpp
// Header-only (the default) or compiled mode (docs/compiled.md). With
// TRAINSPEC_COMPILED_LIB the public headers only declare the library's
// entry points and trainspec::compiled defines them; the library itself is
// built with TRAINSPEC_BUILDING_LIB as well, in one translation unit
// (src/trainspec/library.cpp), so that each definition is compiled once.

#if defined(TRAINSPEC_BUILDING_LIB) && !defined(TRAINSPEC_COMPILED_LIB)
#error "TRAINSPEC_BUILDING_LIB needs TRAINSPEC_COMPILED_LIB: the library is built in compiled mode"
#endif

// 1 where the entry points' definitions are compiled: header-only users, and
// the library.
#if defined(TRAINSPEC_COMPILED_LIB) && !defined(TRAINSPEC_BUILDING_LIB)
#define TRAINSPEC_DEFINITIONS 0
#else
#define TRAINSPEC_DEFINITIONS 1
#endif

// An entry point's definition: inline in header-only mode, an ordinary
// (external) definition in the library.
#ifdef TRAINSPEC_COMPILED_LIB
#define TRAINSPEC_INLINE
#else
#define TRAINSPEC_INLINE inline
#endif

// The explicit instantiations of the templates over backends, written once
// beside each template: defined by the library, declared extern for its
// users (compiled mode only).
#ifdef TRAINSPEC_BUILDING_LIB
#define TRAINSPEC_INSTANTIATE template
#else
#define TRAINSPEC_INSTANTIATE extern template
#endif

// X(backend) for each of the four backends: the instantiations of a template
// over backends are listed once, for all of them.
#define TRAINSPEC_FOR_EACH_BACKEND(X) X(single_node) X(mpi) X(parameter_server) X(multi_worker)

// A struct's constructors, assignments and destructor, declared in the
// struct and defined (defaulted) with the entry points: a struct of many
// members is then copied and destroyed by code compiled once, in the
// library, not in every caller.
#define TRAINSPEC_SPECIAL_MEMBERS(T) \
    T();                             \
    T(const T&);                     \
    T(T&&) noexcept;                 \
    T& operator=(const T&);          \
    T& operator=(T&&) noexcept;      \
    ~T()
#define TRAINSPEC_DEFAULT_SPECIAL_MEMBERS(T)                  \
    TRAINSPEC_INLINE T::T() = default;                        \
    TRAINSPEC_INLINE T::T(const T&) = default;                \
    TRAINSPEC_INLINE T::T(T&&) noexcept = default;            \
    TRAINSPEC_INLINE T& T::operator=(const T&) = default;     \
    TRAINSPEC_INLINE T& T::operator=(T&&) noexcept = default; \
    TRAINSPEC_INLINE T::~T() = default
// end file include/trainspec/detail/linkage.hpp

TRAINSPEC_BEGIN_NAMESPACE

/// A host list or hostfile that cannot be used: which item, and why.
class host_list_error : public error {
public:
    host_list_error(std::string item, const std::string& reason)
        : error("invalid host " + detail::quote_json(item) + ": " + reason,
                {{"hosts", detail::quote_json(item), reason}}),
          item_(std::move(item)) {}

    /// The entry as written (value() is its JSON quoting); rule() says why.
    const std::string& item() const noexcept { return item_; }

private:
    std::string item_;
};

namespace detail {
/// The whitespace of C's isspace() in the "C" locale.
inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }
}  // namespace detail

/// Parses `host:slots,host:slots` (a bare `host` has 1 slot).
std::vector<host> parse_host_list(std::string_view text);

/// Parses a hostfile: one host per line, `#` starts a comment, blank lines
/// are ignored. An error names the line and the start of its entry only
/// (hostfile_word_shown()). A line is `host`, `host:N` (Hydra), or `host slots=N
/// [max_slots=M]` (Open MPI).
std::vector<host> parse_hostfile(std::string_view text);

/// `count` hosts named by `pattern`, where `{index}` becomes 0, 1, ...
/// (for example "node-{index}" or "{index}.workers.example"), each with
/// `slots` slots.
std::vector<host> generate_hosts(std::string_view pattern, int count, int slots);

/// `host:slots,host:slots`: the form parse_host_list() reads back.
std::string format_host_list(const std::vector<host>& hosts);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
// begin file include/trainspec/detail/host_parsing.hpp
// The parsers behind spec/hosts.hpp: host lists, hostfiles (Open MPI and Hydra
// syntax) and generated names, each error naming the item and the rule.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

// begin file include/trainspec/detail/rules.hpp
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

// begin file include/trainspec/spec/limits.hpp
// The ceilings of a job and of what trainspec reads: validate() and the
// readers check them before any plan or render, so that the work and the
// artifacts of an accepted job stay bounded. Each number, its source and
// what it costs at the ceiling: docs/limits.md.

#include <cstddef>
#include <cstdint>


TRAINSPEC_BEGIN_NAMESPACE

/// Tasks of one job, counted as the plan counts them (2^20, above the
/// largest training clusters in service).
inline constexpr std::int64_t max_tasks = std::int64_t{1} << 20;
/// Hosts in a host list, a hostfile or compute_target.hosts.
inline constexpr std::int64_t max_hosts = std::int64_t{1} << 20;
/// Slots of one host.
inline constexpr std::int64_t max_host_slots = 1'000'000;

/// Bytes of one argument or environment string: Linux's MAX_ARG_STRLEN
/// (32 pages, 131072) counts the terminating NUL.
inline constexpr std::size_t max_argument_bytes = 131071;
/// Bytes execve counts for a task's command line and the job's variables:
/// half of what it takes under the default 8 MiB stack limit.
inline constexpr std::size_t max_command_line_bytes = std::size_t{1} << 20;
/// What execve adds to each string: its NUL and a pointer to it.
inline constexpr std::size_t execve_bytes_per_string = 1 + sizeof(void*);
/// Bytes of a path: Linux's PATH_MAX (4096) counts the terminating NUL.
inline constexpr std::size_t max_path_bytes = 4095;
/// Bytes of a TF_CONFIG: the environment string `TF_CONFIG=...` is one
/// string of at most max_argument_bytes.
inline constexpr std::size_t max_tf_config_bytes = max_argument_bytes - 10;

/// Entries of each list and map of a spec (environment_variables,
/// pip_packages, conda_packages, script_params, mpi.mca, mpi.extra_args,
/// mpi.command_prefix, a sweep's parameters and its choice values).
inline constexpr std::size_t max_list_entries = 65536;
/// Bytes of a key of a spec's object: keys are names (a variable, a
/// parameter, an MCA parameter), and every problem's path holds its keys.
inline constexpr std::size_t max_key_bytes = 256;

/// Bytes of a spec document.
inline constexpr std::size_t max_spec_bytes = std::size_t{4} << 20;
/// Nesting of a spec document's arrays and objects.
inline constexpr int max_spec_depth = 64;
/// Problems listed for one spec; the rest are counted in one more problem.
inline constexpr std::size_t max_listed_problems = 1000;

/// Bytes of a hostfile and of an environment file that trainspec-gen reads.
inline constexpr std::size_t max_hostfile_bytes = std::size_t{64} << 20;
inline constexpr std::size_t max_environment_file_bytes = std::size_t{1} << 20;

/// The most trials a sweep may ask for: a ceiling on the work of expanding
/// it (Azure ML runs at most 1000; Slurm's MaxArraySize at most 4,000,001).
inline constexpr int max_sweep_trials = 1'000'000;

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/spec/limits.hpp
// begin file include/trainspec/spec/names.hpp
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
// end file include/trainspec/spec/names.hpp

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
// end file include/trainspec/detail/rules.hpp

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// The digits after `separator` (':' in `host:N`, '=' in `slots=N`).
inline int parse_slots(std::string_view digits, const std::string& item, char separator = ':') {
    if (digits.empty()) throw host_list_error(item, std::string("the slot count after '") + separator + "' is missing");
    std::int64_t n = 0;
    for (char c : digits) {
        if (!is_digit(c)) throw host_list_error(item, "the slot count must be a whole number");
        n = n * 10 + (c - '0');
        if (n > max_host_slots) break;
    }
    if (auto why = host_slots_problem(n)) throw host_list_error(item, *why);
    return static_cast<int>(n);
}

inline void check_host_name(std::string_view name, const std::string& item) {
    if (auto why = host_name_problem(name)) throw host_list_error(item, *why);
}

/// Throws for the first host listed twice, naming its second item.
inline void check_unique(const std::vector<host>& hosts, const std::vector<std::string>& items) {
    const auto earlier = earlier_same(hosts, [](const host& h) { return std::string_view(h.name); });
    for (std::size_t i = 0; i < hosts.size(); ++i)
        if (earlier[i] != std::string_view::npos) throw host_list_error(items[i], duplicate_host_rule(hosts[i].name));
}

/// `name` or `name:slots`.
inline host parse_host_item(std::string_view text, const std::string& item) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) {
        check_host_name(text, item);
        return {std::string(text), 1};
    }
    if (text.find(':', colon + 1) != std::string_view::npos)
        throw host_list_error(item, "expected host:slots with a single ':'");
    check_host_name(text.substr(0, colon), item);
    return {std::string(text.substr(0, colon)), parse_slots(text.substr(colon + 1), item)};
}

/// The start of a hostfile's word as an error shows it: the characters a
/// host entry may hold, at most 64. A file that is no hostfile (a secret
/// named by mistake) is not printed beyond them.
inline std::string hostfile_word_shown(std::string_view word) {
    constexpr std::size_t max_shown = 64;
    std::size_t n = 0;
    while (n < word.size() && n < max_shown && (is_host_name_character(word[n]) || word[n] == ':' || word[n] == '='))
        ++n;
    return std::string(word.substr(0, n)) + (n < word.size() ? "..." : "");
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE

// The entry points of <trainspec/spec/hosts.hpp> (compiled once in compiled mode).
#if TRAINSPEC_DEFINITIONS
TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_INLINE std::vector<host> parse_host_list(std::string_view text) {
    std::vector<host> hosts;
    std::vector<std::string> items;
    if (text.empty()) throw host_list_error("", "the host list is empty");
    std::size_t start = 0;
    while (true) {
        const auto comma = text.find(',', start);
        const auto piece = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        const std::string item(piece);
        for (char c : piece)
            if (detail::is_space(c))
                throw host_list_error(item,
                                      "whitespace inside the host list; write host:slots,host:slots without spaces");
        if (piece.empty()) throw host_list_error(item, "empty item (two commas in a row, or a comma at an end)");
        if (auto why = detail::host_count_problem(hosts.size() + 1)) throw host_list_error("", "the host list " + *why);
        hosts.push_back(detail::parse_host_item(piece, item));
        items.push_back(item);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    detail::check_unique(hosts, items);
    return hosts;
}

TRAINSPEC_INLINE std::vector<host> parse_hostfile(std::string_view text) {
    if (text.size() > max_hostfile_bytes)
        throw host_list_error("", "the hostfile has " + std::to_string(text.size()) +
                                      " bytes; a hostfile has at most " + std::to_string(max_hostfile_bytes) +
                                      " (docs/limits.md)");
    std::vector<host> hosts;
    std::vector<std::string> items;
    std::size_t line_number = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = text.find('\n', start);
        auto line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        ++line_number;
        start = end == std::string_view::npos ? text.size() + 1 : end + 1;
        if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
        std::vector<std::string_view> words;
        std::size_t i = 0;
        while (i < line.size()) {
            while (i < line.size() && detail::is_space(line[i])) ++i;
            const auto word_start = i;
            while (i < line.size() && !detail::is_space(line[i])) ++i;
            if (i > word_start) words.push_back(line.substr(word_start, i - word_start));
        }
        if (words.empty()) continue;
        const std::string item =
            "line " + std::to_string(line_number) + ": " + detail::hostfile_word_shown(words.front());
        host h = detail::parse_host_item(words.front(), item);
        bool slots_given = words.front().find(':') != std::string_view::npos;
        int max_slots = 0;
        for (std::size_t w = 1; w < words.size(); ++w) {
            const auto word = words[w];
            const auto eq = word.find('=');
            const auto key = word.substr(0, eq);
            if (eq == std::string_view::npos || (key != "slots" && key != "max_slots" && key != "max-slots"))
                throw host_list_error(item, "unknown field " + detail::quote_json(detail::hostfile_word_shown(word)) +
                                                "; expected slots=N or max_slots=N");
            const int n = detail::parse_slots(word.substr(eq + 1), item, '=');
            if (key == "slots") {
                if (slots_given) throw host_list_error(item, "the slot count is given twice");
                h.slots = n;
                slots_given = true;
            } else {
                max_slots = n;
            }
        }
        if (max_slots != 0 && max_slots < h.slots) throw host_list_error(item, "max_slots is smaller than slots");
        if (auto why = detail::host_count_problem(hosts.size() + 1))
            throw host_list_error(item, "the hostfile " + *why);
        hosts.push_back(std::move(h));
        items.push_back(item);
    }
    if (hosts.empty()) throw host_list_error("", "the hostfile lists no host");
    detail::check_unique(hosts, items);
    return hosts;
}

TRAINSPEC_INLINE std::vector<host> generate_hosts(std::string_view pattern, int count, int slots) {
    const auto at = pattern.find("{index}");
    if (at == std::string_view::npos) throw host_list_error(std::string(pattern), "the pattern needs {index}");
    if (count < 0) throw host_list_error(std::string(pattern), "the host count must be at least 0");
    // Slots that parse_host_list() would reject are rejected here too, so
    // that format_host_list() of generated hosts reads back.
    if (auto why = detail::host_slots_problem(slots)) throw host_list_error(std::string(pattern), *why);
    if (auto why = detail::host_count_problem(static_cast<std::size_t>(count)))
        throw host_list_error(std::string(pattern), "the pattern " + *why);
    std::vector<host> hosts;
    for (int i = 0; i < count; ++i) {
        std::string name(pattern.substr(0, at));
        name += std::to_string(i);
        name += pattern.substr(at + 7);
        detail::check_host_name(name, name);
        hosts.push_back({std::move(name), slots});
    }
    return hosts;
}

TRAINSPEC_INLINE std::string format_host_list(const std::vector<host>& hosts) {
    std::string text;
    for (const auto& h : hosts) {
        if (!text.empty()) text += ',';
        text += h.name + ":" + std::to_string(h.slots);
    }
    return text;
}
TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/detail/host_parsing.hpp
#endif
// end file include/trainspec/spec/hosts.hpp
// begin file include/trainspec/spec/images.hpp
// What each TensorFlow version runs with: the official images, the Python
// its wheels are built for, the CUDA of its GPU wheel, and the Horovod and
// tf2onnx releases known to work with it. docs/environments.md gives the
// table with its sources; edit the table here to move to a newer release.

#include <array>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>


TRAINSPEC_BEGIN_NAMESPACE

struct framework_image {
    std::string_view framework_version;  ///< as in supported_framework_versions
    std::string_view python;             ///< for `python=3.x` in a conda environment
    std::string_view cpu_image;
    std::string_view gpu_image;
    std::string_view cuda;     ///< the CUDA the GPU wheel is built against (TensorFlow's tested configurations)
    std::string_view horovod;  ///< the Horovod release an mpi job builds ("" when none is known to work)
    std::string_view tf2onnx;  ///< the tf2onnx release of the ONNX step ("" when none is known to work)
};

/// One entry per supported framework version, in the same order.
inline constexpr std::array<framework_image, 26> framework_images = {{
    {"1.10", "3.6", "tensorflow/tensorflow:1.10.0-py3", "tensorflow/tensorflow:1.10.0-gpu-py3", "9.0", "0.19.5", ""},
    {"1.12", "3.6", "tensorflow/tensorflow:1.12.0-py3", "tensorflow/tensorflow:1.12.0-gpu-py3", "9.0", "0.19.5",
     "1.9.3"},
    {"1.13", "3.6", "tensorflow/tensorflow:1.13.2-py3", "tensorflow/tensorflow:1.13.2-gpu-py3", "10.0", "0.19.5",
     "1.9.3"},
    {"1.14", "3.7", "tensorflow/tensorflow:1.14.0-py3", "tensorflow/tensorflow:1.14.0-gpu-py3", "10.0", "0.19.5",
     "1.9.3"},
    {"1.15", "3.7", "tensorflow/tensorflow:1.15.5-py3", "tensorflow/tensorflow:1.15.5-gpu-py3", "10.0", "0.19.5",
     "1.9.3"},
    {"2.0", "3.7", "tensorflow/tensorflow:2.0.0-py3", "tensorflow/tensorflow:2.0.0-gpu-py3", "10.0", "0.19.5", "1.9.3"},
    {"2.1", "3.7", "tensorflow/tensorflow:2.1.0-py3", "tensorflow/tensorflow:2.1.0-gpu-py3", "10.1", "0.19.5", "1.9.3"},
    {"2.2", "3.8", "tensorflow/tensorflow:2.2.0", "tensorflow/tensorflow:2.2.0-gpu", "10.1", "0.21.3", "1.9.3"},
    {"2.3", "3.8", "tensorflow/tensorflow:2.3.0", "tensorflow/tensorflow:2.3.0-gpu", "10.1", "0.21.3", "1.9.3"},
    {"2.4", "3.8", "tensorflow/tensorflow:2.4.0", "tensorflow/tensorflow:2.4.0-gpu", "11.0", "0.21.3", "1.9.3"},
    {"2.5", "3.9", "tensorflow/tensorflow:2.5.0", "tensorflow/tensorflow:2.5.0-gpu", "11.2", "0.22.1", "1.9.3"},
    {"2.6", "3.9", "tensorflow/tensorflow:2.6.0", "tensorflow/tensorflow:2.6.0-gpu", "11.2", "0.24.3", "1.9.3"},
    {"2.7", "3.9", "tensorflow/tensorflow:2.7.0", "tensorflow/tensorflow:2.7.0-gpu", "11.2", "0.24.3", "1.9.3"},
    {"2.8", "3.9", "tensorflow/tensorflow:2.8.0", "tensorflow/tensorflow:2.8.0-gpu", "11.2", "0.24.3", "1.9.3"},
    {"2.9", "3.10", "tensorflow/tensorflow:2.9.0", "tensorflow/tensorflow:2.9.0-gpu", "11.2", "0.26.1", "1.16.1"},
    {"2.10", "3.10", "tensorflow/tensorflow:2.10.0", "tensorflow/tensorflow:2.10.0-gpu", "11.2", "0.26.1", "1.16.1"},
    {"2.11", "3.10", "tensorflow/tensorflow:2.11.0", "tensorflow/tensorflow:2.11.0-gpu", "11.2", "0.28.1", "1.16.1"},
    {"2.12", "3.11", "tensorflow/tensorflow:2.12.0", "tensorflow/tensorflow:2.12.0-gpu", "11.8", "0.28.1", "1.16.1"},
    {"2.13", "3.11", "tensorflow/tensorflow:2.13.0", "tensorflow/tensorflow:2.13.0-gpu", "11.8", "0.28.1", "1.16.1"},
    {"2.14", "3.11", "tensorflow/tensorflow:2.14.0", "tensorflow/tensorflow:2.14.0-gpu", "11.8", "0.28.1", "1.16.1"},
    {"2.15", "3.11", "tensorflow/tensorflow:2.15.0", "tensorflow/tensorflow:2.15.0-gpu", "12.2", "0.28.1", "1.16.1"},
    {"2.16", "3.12", "tensorflow/tensorflow:2.16.1", "tensorflow/tensorflow:2.16.1-gpu", "12.3", "", ""},
    {"2.17", "3.12", "tensorflow/tensorflow:2.17.0", "tensorflow/tensorflow:2.17.0-gpu", "12.3", "", ""},
    {"2.18", "3.12", "tensorflow/tensorflow:2.18.0", "tensorflow/tensorflow:2.18.0-gpu", "12.5", "", ""},
    {"2.19", "3.12", "tensorflow/tensorflow:2.19.0", "tensorflow/tensorflow:2.19.0-gpu", "12.5", "", ""},
    {"2.20", "3.12", "tensorflow/tensorflow:2.20.0", "tensorflow/tensorflow:2.20.0-gpu", "12.5", "", ""},
}};

namespace detail {
constexpr bool framework_images_match_versions() {
    if (framework_images.size() != supported_framework_versions.size()) return false;
    for (std::size_t i = 0; i < framework_images.size(); ++i)
        if (framework_images[i].framework_version != supported_framework_versions[i]) return false;
    return true;
}
static_assert(framework_images_match_versions(),
              "framework_images needs one entry per supported_framework_versions entry, in the same order");
}  // namespace detail

/// TensorFlow's pip requirement for a version: `tensorflow-gpu` up to 2.0
/// on GPU (the GPU wheel was separate), `tensorflow` from 2.1 (GPU support
/// built in, CUDA from the image), `tensorflow[and-cuda]` from 2.14 when the
/// base image has no CUDA (pip brings it).
inline std::string tensorflow_requirement(std::string_view version, bool gpu, bool base_has_cuda) {
    const bool separate_gpu_wheel = framework_major(version) < 2 || version == "2.0";
    const bool and_cuda = gpu && !base_has_cuda && !separate_gpu_wheel && version.size() > 2 &&
                          std::stoi(std::string(version.substr(2))) >= 14;
    return std::string(gpu && separate_gpu_wheel ? "tensorflow-gpu"
                       : and_cuda                ? "tensorflow[and-cuda]"
                                                 : "tensorflow") +
           "==" + std::string(version) + ".*";
}

/// Azure ML's base images (conda and MPI): CPU, and one per CUDA of the GPU
/// wheels (Azure/AzureML-Containers; TensorFlow 1.x's CUDA 9.0 image comes
/// with Intel MPI, as Azure's TensorFlow 1.x images did). From TensorFlow
/// 2.14 pip brings CUDA (tensorflow[and-cuda]), so the CPU image serves.
inline constexpr const char* azureml_cpu_base_image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04";

/// The Azure ML base image of a job: CPU, or the one with the CUDA of its
/// TensorFlow version's GPU wheel.
inline std::string azureml_base_image(std::string_view version, bool gpu);

/// True when the Azure ML base image of a GPU job has CUDA itself.
inline bool azureml_base_has_cuda(std::string_view version) {
    return version.size() <= 2 || framework_major(version) < 2 || std::stoi(std::string(version.substr(2))) < 14;
}

/// The tf2onnx releases of the table and the highest ONNX opset each
/// converts to (their release notes).
inline constexpr std::pair<std::string_view, int> tf2onnx_releases[] = {{"1.9.3", 15}, {"1.16.1", 18}};

/// The highest ONNX opset a tf2onnx release of the table converts to.
constexpr int tf2onnx_max_opset(std::string_view tf2onnx) noexcept {
    for (const auto& [release, opset] : tf2onnx_releases)
        if (release == tf2onnx) return opset;
    return 0;
}

/// "0.19.5 covers 1.10-2.1, 0.21.3 covers 2.2-2.4, ...": the framework
/// versions each release in the column `pin` of the table is used for.
inline std::string release_ranges(std::string_view framework_image::*pin) {
    std::string text;
    for (std::size_t i = 0; i < framework_images.size();) {
        const auto release = framework_images[i].*pin;
        std::size_t j = i;
        while (j + 1 < framework_images.size() && framework_images[j + 1].*pin == release) ++j;
        if (!release.empty()) {
            text += (text.empty() ? "" : ", ") + std::string(release) + " covers " +
                    std::string(framework_images[i].framework_version);
            if (j > i) text += "-" + std::string(framework_images[j].framework_version);
        }
        i = j + 1;
    }
    return text;
}

/// The table entry of a supported version; throws trainspec::error otherwise.
inline const framework_image& framework_image_for(std::string_view framework_version) {
    for (const auto& entry : framework_images)
        if (entry.framework_version == framework_version) return entry;
    throw error({"framework_version", detail::quote_json(framework_version),
                 "no image; supported versions: " + supported_framework_versions_text()});
}

inline std::string azureml_base_image(std::string_view version, bool gpu) {
    if (!gpu || !azureml_base_has_cuda(version)) return azureml_cpu_base_image;
    constexpr std::pair<std::string_view, std::string_view> by_cuda[] = {
        {"9.0", "mcr.microsoft.com/azureml/intelmpi2018.3-cuda9.0-cudnn7-ubuntu16.04"},
        {"10.0", "mcr.microsoft.com/azureml/openmpi3.1.2-cuda10.0-cudnn7-ubuntu18.04"},
        {"10.1", "mcr.microsoft.com/azureml/openmpi3.1.2-cuda10.1-cudnn7-ubuntu18.04"},
        {"11.0", "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.0.3-cudnn8-ubuntu18.04"},
        {"11.2", "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.2-cudnn8-ubuntu20.04"},
        {"11.8", "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04"},
    };
    const auto cuda = framework_image_for(version).cuda;
    for (const auto& [c, image] : by_cuda)
        if (c == cuda) return std::string(image);
    return azureml_cpu_base_image;
}

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/spec/images.hpp
// begin file include/trainspec/spec/job_spec.hpp
// job_spec: the estimator's parameters as plain, unvalidated data. It is what
// the JSON front end reads and writes and what the builder fills; validate()
// checks it and make_job() turns it into a typed, validated job.
//
// Optional fields stay empty when the user did not set them, so a spec
// round-trips exactly; the effective_*() functions apply the documented
// defaults.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// begin file include/trainspec/spec/mpi_settings.hpp
// The spec's `mpi` object: how an `mpi` job is launched, as plain data.
// Every field is optional; an unset field leaves mpi_launch_options' default
// (Horovod's profile for Open MPI 4, minus running as root). Kept free of
// mpi.hpp so that job_spec stays light; mpi_launch_options_from() (mpi.hpp)
// turns these settings into launch options.
//
//   "mpi": {
//     "flavor": "openmpi",                 openmpi (default), mpich, intel, horovodrun
//     "allow_run_as_root": "flag",         false (default), "flag", "environment"
//     "network_interface": "eth0",
//     "ssh_port": 2222,
//     "open_mpi_major": 5,                 4 (default) or 5
//     "bind_to": "core",                   a value replaces Horovod's "none"; null removes -bind-to
//     "map_by": null,                      a value replaces Horovod's "slot"; null removes -map-by
//     "mca": {"btl": null, "pml": "ucx"},  a value sets the parameter; null removes a default one
//     "extra_args": ["--report-bindings"], before the command
//     "command_prefix": ["python3", "-u"], runs the entry script (default ["python"])
//     "trusted_launcher_settings": true    allows extra_args, command_prefix and MCA parameters
//   }                                      that name programs or paths (docs/security.md)

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// begin file include/trainspec/spec/mpi_flavor.hpp
// The MPI launchers trainspec renders for, and the error every MPI renderer
// throws when a launch cannot be written.
//
//   openmpi      Open MPI's mpirun (4.x; 5.x with mpi_launch_options::open_mpi_major)
//   mpich        MPICH's Hydra mpiexec
//   intel        Intel MPI's mpirun / mpiexec.hydra (Hydra syntax)
//   horovodrun   Horovod's own launcher, which runs mpirun or Gloo itself

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>


TRAINSPEC_BEGIN_NAMESPACE

enum class mpi_flavor { openmpi, mpich, intel, horovodrun };

template <>
struct enum_names<mpi_flavor> {
    static constexpr std::array<enum_entry<mpi_flavor>, 4> table{{
        {mpi_flavor::openmpi, "openmpi"},
        {mpi_flavor::mpich, "mpich"},
        {mpi_flavor::intel, "intel"},
        {mpi_flavor::horovodrun, "horovodrun"},
    }};
};

/// True for the launchers that use MPICH's Hydra syntax (MPICH, Intel MPI).
constexpr bool is_hydra(mpi_flavor f) noexcept { return f == mpi_flavor::mpich || f == mpi_flavor::intel; }

/// A launch that cannot be rendered: which setting, and why. `setting` names
/// the mpi_launch_options field (`ssh_port`, `environment["A"]`,
/// `extra_args[2]`), or `hosts` / `np` for the layout.
class mpi_launch_error : public error {
public:
    /// path(): the setting; rule(): why it cannot be rendered.
    mpi_launch_error(const std::string& setting, const std::string& reason)
        : error(setting + ": " + reason, {{setting, "", reason}}) {}
};

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/spec/mpi_flavor.hpp

TRAINSPEC_BEGIN_NAMESPACE

/// How Open MPI is allowed to run as root.
enum class run_as_root {
    not_allowed,  ///< nothing rendered: Open MPI refuses to start as root
    flag,         ///< --allow-run-as-root
    environment,  ///< OMPI_ALLOW_RUN_AS_ROOT=1 and OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 in launcher_environment
};

/// not_allowed has no name: the spec writes it as false.
template <>
struct enum_names<run_as_root> {
    static constexpr std::array<enum_entry<run_as_root>, 2> table{{
        {run_as_root::flag, "flag"},
        {run_as_root::environment, "environment"},
    }};
};

/// "flag", "environment"; "" for not_allowed (which the spec writes as false).
constexpr std::string_view run_as_root_name(run_as_root r) noexcept { return enum_name(r); }

/// Parses "flag" or "environment"; nullopt otherwise.
constexpr std::optional<run_as_root> run_as_root_from_name(std::string_view name) noexcept {
    return enum_from_name<run_as_root>(name);
}

/// One entry of the spec's `mpi.mca`: a value sets the MCA parameter, no
/// value (JSON null) removes it from the defaults.
struct mca_setting {
    std::string name;
    std::optional<std::string> value;

    friend bool operator==(const mca_setting& a, const mca_setting& b) {
        return a.name == b.name && a.value == b.value;
    }
    friend bool operator!=(const mca_setting& a, const mca_setting& b) { return !(a == b); }
};

/// The spec's `mpi` object. bind_to and map_by have three states: unset
/// (Horovod's default), a value (replaces it), or an empty inner optional
/// (JSON null: the flag is left out).
struct mpi_settings {
    std::optional<mpi_flavor> flavor;
    std::optional<run_as_root> allow_run_as_root;
    std::optional<std::string> network_interface;
    std::optional<int> ssh_port;
    std::optional<int> open_mpi_major;
    std::optional<std::optional<std::string>> bind_to;
    std::optional<std::optional<std::string>> map_by;
    std::vector<mca_setting> mca;                            ///< in the user's order
    std::vector<std::string> extra_args;                     ///< before the command
    std::optional<std::vector<std::string>> command_prefix;  ///< default {"python"}; empty: run the entry script itself
    /// The spec's author vouches for the settings that run programs
    /// (docs/security.md); unset counts as false.
    std::optional<bool> trusted_launcher_settings;

    friend bool operator==(const mpi_settings& a, const mpi_settings& b) {
        return detail::members_equal(a, b, &mpi_settings::flavor, &mpi_settings::allow_run_as_root,
                                     &mpi_settings::network_interface, &mpi_settings::ssh_port,
                                     &mpi_settings::open_mpi_major, &mpi_settings::bind_to, &mpi_settings::map_by,
                                     &mpi_settings::mca, &mpi_settings::extra_args, &mpi_settings::command_prefix,
                                     &mpi_settings::trusted_launcher_settings);
    }
    friend bool operator!=(const mpi_settings& a, const mpi_settings& b) { return !(a == b); }
};

/// The keys of the spec's `mpi` object, in the order a spec is written.
enum class mpi_key {
    flavor,
    allow_run_as_root,
    network_interface,
    ssh_port,
    open_mpi_major,
    bind_to,
    map_by,
    mca,
    extra_args,
    command_prefix,
    trusted_launcher_settings,
};

template <>
struct enum_names<mpi_key> {
    static constexpr std::array<enum_entry<mpi_key>, 11> table{{
        {mpi_key::flavor, "flavor"},
        {mpi_key::allow_run_as_root, "allow_run_as_root"},
        {mpi_key::network_interface, "network_interface"},
        {mpi_key::ssh_port, "ssh_port"},
        {mpi_key::open_mpi_major, "open_mpi_major"},
        {mpi_key::bind_to, "bind_to"},
        {mpi_key::map_by, "map_by"},
        {mpi_key::mca, "mca"},
        {mpi_key::extra_args, "extra_args"},
        {mpi_key::command_prefix, "command_prefix"},
        {mpi_key::trusted_launcher_settings, "trusted_launcher_settings"},
    }};
};

/// The keys of the spec's `mpi` object, in the order to_json() writes them.
inline const std::vector<std::string>& mpi_settings_keys() { return enum_name_strings<mpi_key>(); }

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/spec/mpi_settings.hpp
// begin file include/trainspec/spec/script_params.hpp
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

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE

/// One element of a list-valued parameter.
class param_scalar {
public:
    using storage = std::variant<bool, std::int64_t, double, std::string>;

    param_scalar(bool b) : value_(b) {}
    template <
        class Int,
        std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool> && !std::is_same_v<Int, char>, int> = 0>
    param_scalar(Int i) : value_(static_cast<std::int64_t>(i)) {}
    template <class Float, std::enable_if_t<std::is_floating_point_v<Float>, int> = 0>
    param_scalar(Float d) : value_(static_cast<double>(d)) {}
    param_scalar(const char* s) : value_(std::string(s)) {}
    param_scalar(std::string s) : value_(std::move(s)) {}
    param_scalar(std::string_view s) : value_(std::string(s)) {}

    const storage& get() const noexcept { return value_; }

    friend bool operator==(const param_scalar& a, const param_scalar& b);
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
    template <
        class Int,
        std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool> && !std::is_same_v<Int, char>, int> = 0>
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

    friend bool operator==(const param_value& a, const param_value& b);
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
        std::unordered_set<std::string_view> seen;
        seen.reserve(items_.size());
        for (const auto& item : items_)
            if (!seen.insert(item.key).second) return true;
        return false;
    }

    friend bool operator==(const script_params& a, const script_params& b) { return a.items_ == b.items_; }
    friend bool operator!=(const script_params& a, const script_params& b) { return !(a == b); }

private:
    std::vector<script_param> items_;
};

/// One argument's text, as the entry script receives it.
std::string to_argument(const param_scalar& value);

/// The words a value gives after its key: none for a flag, one per item of
/// a list, else one.
std::vector<std::string> to_arguments(const param_value& value);

/// The parameters as the entry script's argv (without the script itself).
std::vector<std::string> to_argv(const script_params& params);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
// begin file include/trainspec/detail/param_text.hpp
// The text of a script parameter's value: as the entry script receives it
// (Python's str()), and as JSON for messages.

#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include <fmt/format.h>


TRAINSPEC_BEGIN_NAMESPACE
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

/// Appends the words `value` gives after its key (to_arguments()).
inline void append_arguments(const param_value& value, std::vector<std::string>& words) {
    if (value.is_flag()) return;
    std::visit(
        [&words](const auto& v) {
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, param_value::list>) {
                for (const auto& item : v) words.push_back(to_argument(item));
            } else if constexpr (!std::is_same_v<V, std::nullptr_t>) {
                words.push_back(argument_text{}(v));
            }
        },
        value.get());
}

/// The value as JSON text, for messages.
struct value_json_text {
    std::string operator()(std::nullptr_t) const { return "null"; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const {
        return std::isfinite(d) ? format_number(d)
                                : std::string(std::isnan(d) ? "NaN"
                                              : d < 0       ? "-Infinity"
                                                            : "Infinity");
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
TRAINSPEC_END_NAMESPACE

// The entry points of <trainspec/spec/script_params.hpp> (compiled once in compiled mode).
#if TRAINSPEC_DEFINITIONS
TRAINSPEC_BEGIN_NAMESPACE

TRAINSPEC_INLINE bool operator==(const param_scalar& a, const param_scalar& b) { return a.value_ == b.value_; }
TRAINSPEC_INLINE bool operator==(const param_value& a, const param_value& b) { return a.value_ == b.value_; }

TRAINSPEC_INLINE std::string to_argument(const param_scalar& value) {
    return std::visit(detail::argument_text{}, value.get());
}

TRAINSPEC_INLINE std::vector<std::string> to_arguments(const param_value& value) {
    std::vector<std::string> words;
    detail::append_arguments(value, words);
    return words;
}

TRAINSPEC_INLINE std::vector<std::string> to_argv(const script_params& params) {
    std::vector<std::string> argv;
    argv.reserve(params.size() * 2);
    for (const auto& [key, value] : params) {
        argv.push_back(key);
        detail::append_arguments(value, argv);
    }
    return argv;
}

TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/detail/param_text.hpp
#endif
// end file include/trainspec/spec/script_params.hpp
// begin file include/trainspec/spec/slurm_environment.hpp
// How a Slurm job's tasks reach the job's environment (docs/environments.md):
//
//   apptainer    `apptainer exec` of the job's image
//   singularity  the same through `singularity exec` (SingularityCE, older sites)
//   pyxis        `srun --container-image` (NVIDIA's Pyxis plugin, enroot)
//   conda        a conda environment made from environment.yml, activated by name
//   none         the nodes' own Python (a site that manages its environment)

#include <optional>
#include <string_view>


TRAINSPEC_BEGIN_NAMESPACE

enum class slurm_environment_kind { apptainer, singularity, pyxis, conda, none };

template <>
struct enum_names<slurm_environment_kind> {
    static constexpr std::array<enum_entry<slurm_environment_kind>, 5> table{{
        {slurm_environment_kind::apptainer, "apptainer"},
        {slurm_environment_kind::singularity, "singularity"},
        {slurm_environment_kind::pyxis, "pyxis"},
        {slurm_environment_kind::conda, "conda"},
        {slurm_environment_kind::none, "none"},
    }};
};

/// True for the ways that run the job's container image.
constexpr bool runs_container(slurm_environment_kind e) noexcept {
    return e == slurm_environment_kind::apptainer || e == slurm_environment_kind::singularity ||
           e == slurm_environment_kind::pyxis;
}

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/spec/slurm_environment.hpp
// begin file include/trainspec/spec/sweep.hpp
// The spec's `sweep` object: a hyperparameter sweep over the entry script's
// parameters, under Azure ML v2's names (docs/sweeps.md). Plain, unvalidated
// data, as job_spec is; validate() checks it and the renderers map it to
// each engine.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE

enum class sampling_kind { grid, random, bayesian };

template <>
struct enum_names<sampling_kind> {
    static constexpr std::array<enum_entry<sampling_kind>, 3> table{{
        {sampling_kind::grid, "grid"},
        {sampling_kind::random, "random"},
        {sampling_kind::bayesian, "bayesian"},
    }};
};

/// Azure ML's random sampling rule: pseudo-random, or a Sobol sequence.
enum class random_rule { random, sobol };

template <>
struct enum_names<random_rule> {
    static constexpr std::array<enum_entry<random_rule>, 2> table{{
        {random_rule::random, "random"},
        {random_rule::sobol, "sobol"},
    }};
};

/// HyperDrive's parameter expressions (azureml.train.hyperdrive), by their
/// Azure ML v2 type names.
enum class distribution_kind {
    choice,
    randint,
    uniform,
    quniform,
    loguniform,
    qloguniform,
    normal,
    qnormal,
    lognormal,
    qlognormal,
};

template <>
struct enum_names<distribution_kind> {
    static constexpr std::array<enum_entry<distribution_kind>, 10> table{{
        {distribution_kind::choice, "choice"},
        {distribution_kind::randint, "randint"},
        {distribution_kind::uniform, "uniform"},
        {distribution_kind::quniform, "quniform"},
        {distribution_kind::loguniform, "loguniform"},
        {distribution_kind::qloguniform, "qloguniform"},
        {distribution_kind::normal, "normal"},
        {distribution_kind::qnormal, "qnormal"},
        {distribution_kind::lognormal, "lognormal"},
        {distribution_kind::qlognormal, "qlognormal"},
    }};
};

enum class objective_goal { maximize, minimize };

template <>
struct enum_names<objective_goal> {
    static constexpr std::array<enum_entry<objective_goal>, 2> table{{
        {objective_goal::maximize, "maximize"},
        {objective_goal::minimize, "minimize"},
    }};
};

enum class early_termination_kind { bandit, median_stopping, truncation_selection };

template <>
struct enum_names<early_termination_kind> {
    static constexpr std::array<enum_entry<early_termination_kind>, 3> table{{
        {early_termination_kind::bandit, "bandit"},
        {early_termination_kind::median_stopping, "median_stopping"},
        {early_termination_kind::truncation_selection, "truncation_selection"},
    }};
};

/// `sampling_algorithm`: "grid", "random", "bayesian", or an object with a
/// `type` (random also takes `seed` and `rule`).
struct sampling_algorithm {
    std::optional<sampling_kind> type;
    std::optional<std::int64_t> seed;
    std::optional<random_rule> rule;

    friend bool operator==(const sampling_algorithm& a, const sampling_algorithm& b) {
        return detail::members_equal(a, b, &sampling_algorithm::type, &sampling_algorithm::seed,
                                     &sampling_algorithm::rule);
    }
    friend bool operator!=(const sampling_algorithm& a, const sampling_algorithm& b) { return !(a == b); }
};

enum class sampling_algorithm_key { type, seed, rule };

template <>
struct enum_names<sampling_algorithm_key> {
    static constexpr std::array<enum_entry<sampling_algorithm_key>, 3> table{{
        {sampling_algorithm_key::type, "type"},
        {sampling_algorithm_key::seed, "seed"},
        {sampling_algorithm_key::rule, "rule"},
    }};
};

/// One expression of the search space; which members it takes depends on
/// its type (choice: values; randint: upper; uniform and loguniform:
/// min_value, max_value, plus q for the q-variants; normal and lognormal:
/// mu, sigma, plus q). loguniform's bounds are exponents, as HyperDrive's.
struct search_distribution {
    std::optional<distribution_kind> type;
    std::vector<param_scalar> values;
    std::optional<std::int64_t> upper;
    std::optional<double> min_value, max_value, mu, sigma, q;

    friend bool operator==(const search_distribution& a, const search_distribution& b) {
        using d = search_distribution;
        return detail::members_equal(a, b, &d::type, &d::values, &d::upper, &d::min_value, &d::max_value, &d::mu,
                                     &d::sigma, &d::q);
    }
    friend bool operator!=(const search_distribution& a, const search_distribution& b) { return !(a == b); }
};

enum class distribution_key { type, values, upper, min_value, max_value, mu, sigma, q };

template <>
struct enum_names<distribution_key> {
    static constexpr std::array<enum_entry<distribution_key>, 8> table{{
        {distribution_key::type, "type"},
        {distribution_key::values, "values"},
        {distribution_key::upper, "upper"},
        {distribution_key::min_value, "min_value"},
        {distribution_key::max_value, "max_value"},
        {distribution_key::mu, "mu"},
        {distribution_key::sigma, "sigma"},
        {distribution_key::q, "q"},
    }};
};

/// A swept parameter: the entry script's argument `name` (as a
/// script_params key) and the expression its values come from.
struct sweep_parameter {
    std::string name;
    search_distribution value;

    friend bool operator==(const sweep_parameter& a, const sweep_parameter& b) {
        return a.name == b.name && a.value == b.value;
    }
    friend bool operator!=(const sweep_parameter& a, const sweep_parameter& b) { return !(a == b); }
};

/// The metric the training logs, and whether more is better.
struct sweep_objective {
    std::optional<std::string> primary_metric;
    std::optional<objective_goal> goal;

    friend bool operator==(const sweep_objective& a, const sweep_objective& b) {
        return detail::members_equal(a, b, &sweep_objective::primary_metric, &sweep_objective::goal);
    }
    friend bool operator!=(const sweep_objective& a, const sweep_objective& b) { return !(a == b); }
};

enum class sweep_objective_key { primary_metric, goal };

template <>
struct enum_names<sweep_objective_key> {
    static constexpr std::array<enum_entry<sweep_objective_key>, 2> table{{
        {sweep_objective_key::primary_metric, "primary_metric"},
        {sweep_objective_key::goal, "goal"},
    }};
};

/// Trial counts and durations (seconds).
struct sweep_limits {
    std::optional<int> max_total_trials;
    std::optional<int> max_concurrent_trials;  ///< default: all at once
    std::optional<std::int64_t> timeout;       ///< the whole sweep
    std::optional<std::int64_t> trial_timeout;

    friend bool operator==(const sweep_limits& a, const sweep_limits& b) {
        return detail::members_equal(a, b, &sweep_limits::max_total_trials, &sweep_limits::max_concurrent_trials,
                                     &sweep_limits::timeout, &sweep_limits::trial_timeout);
    }
    friend bool operator!=(const sweep_limits& a, const sweep_limits& b) { return !(a == b); }
};

enum class sweep_limits_key { max_total_trials, max_concurrent_trials, timeout, trial_timeout };

template <>
struct enum_names<sweep_limits_key> {
    static constexpr std::array<enum_entry<sweep_limits_key>, 4> table{{
        {sweep_limits_key::max_total_trials, "max_total_trials"},
        {sweep_limits_key::max_concurrent_trials, "max_concurrent_trials"},
        {sweep_limits_key::timeout, "timeout"},
        {sweep_limits_key::trial_timeout, "trial_timeout"},
    }};
};

/// An early termination policy: bandit (slack_factor or slack_amount),
/// median_stopping, truncation_selection (truncation_percentage); each
/// applied every evaluation_interval metric reports after delay_evaluation.
struct early_termination {
    std::optional<early_termination_kind> type;
    std::optional<double> slack_factor, slack_amount;
    std::optional<int> evaluation_interval;  ///< default 1
    std::optional<int> delay_evaluation;     ///< default 0
    std::optional<int> truncation_percentage;
    std::optional<bool> exclude_finished_jobs;

    friend bool operator==(const early_termination& a, const early_termination& b) {
        using e = early_termination;
        return detail::members_equal(a, b, &e::type, &e::slack_factor, &e::slack_amount, &e::evaluation_interval,
                                     &e::delay_evaluation, &e::truncation_percentage, &e::exclude_finished_jobs);
    }
    friend bool operator!=(const early_termination& a, const early_termination& b) { return !(a == b); }
};

enum class early_termination_key {
    type,
    slack_factor,
    slack_amount,
    evaluation_interval,
    delay_evaluation,
    truncation_percentage,
    exclude_finished_jobs,
};

template <>
struct enum_names<early_termination_key> {
    static constexpr std::array<enum_entry<early_termination_key>, 7> table{{
        {early_termination_key::type, "type"},
        {early_termination_key::slack_factor, "slack_factor"},
        {early_termination_key::slack_amount, "slack_amount"},
        {early_termination_key::evaluation_interval, "evaluation_interval"},
        {early_termination_key::delay_evaluation, "delay_evaluation"},
        {early_termination_key::truncation_percentage, "truncation_percentage"},
        {early_termination_key::exclude_finished_jobs, "exclude_finished_jobs"},
    }};
};

/// Azure ML's ceiling on max_total_trials and max_concurrent_trials.
inline constexpr int max_azureml_sweep_trials = 1000;
/// The seeds numpy.random.RandomState takes (Katib's random_state).
inline constexpr std::int64_t max_sweep_seed = 4294967295;

inline constexpr int default_evaluation_interval = 1;
inline constexpr int default_delay_evaluation = 0;

/// The spec's `sweep` object.
struct sweep_settings {
    std::optional<sampling_algorithm> sampling;  ///< JSON key `sampling_algorithm`
    std::vector<sweep_parameter> search_space;   ///< in the user's order
    std::optional<sweep_objective> objective;
    std::optional<sweep_limits> limits;
    std::optional<early_termination> termination;  ///< JSON key `early_termination`

    friend bool operator==(const sweep_settings& a, const sweep_settings& b) {
        return detail::members_equal(a, b, &sweep_settings::sampling, &sweep_settings::search_space,
                                     &sweep_settings::objective, &sweep_settings::limits, &sweep_settings::termination);
    }
    friend bool operator!=(const sweep_settings& a, const sweep_settings& b) { return !(a == b); }
};

enum class sweep_key { sampling_algorithm, search_space, objective, limits, early_termination };

template <>
struct enum_names<sweep_key> {
    static constexpr std::array<enum_entry<sweep_key>, 5> table{{
        {sweep_key::sampling_algorithm, "sampling_algorithm"},
        {sweep_key::search_space, "search_space"},
        {sweep_key::objective, "objective"},
        {sweep_key::limits, "limits"},
        {sweep_key::early_termination, "early_termination"},
    }};
};

/// The trials a valid sweep runs: max_total_trials; a grid at most its
/// combinations (counted without overflowing).
inline std::int64_t planned_trial_count(const sweep_settings& s) {
    const std::int64_t most = s.limits && s.limits->max_total_trials ? *s.limits->max_total_trials : 0;
    if (!s.sampling || s.sampling->type != sampling_kind::grid) return most;
    std::int64_t combinations = 1;
    for (const auto& parameter : s.search_space) {
        combinations *= static_cast<std::int64_t>(parameter.value.values.size());
        if (combinations >= most) return most;
    }
    return combinations;
}

/// The sampling a sweep uses when it says none: random.
inline sampling_kind effective_sampling(const sweep_settings& s) {
    return s.sampling && s.sampling->type ? *s.sampling->type : sampling_kind::random;
}

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/spec/sweep.hpp
// begin file include/trainspec/spec/tf_config_options.hpp
// How TF_CONFIG is written (the profile) and which TensorFlow API reads it
// (the consumer). One plan, several launchers' conventions; the consumer
// decides which cluster shapes are an error.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>


TRAINSPEC_BEGIN_NAMESPACE

enum class tf_profile {
    tf2,         ///< TF2 strategies: cluster chief/worker/ps, evaluator outside the cluster
    estimator,   ///< tf.estimator RunConfig: one chief, evaluator outside, "environment": "cloud"
    kubeflow,    ///< byte-identical to the Kubeflow training operator (TFJob v1)
    azureml_v1,  ///< Azure ML SDK v1 "ps" backend: ps + worker, "environment": "cloud"
    sagemaker,   ///< SageMaker parameter-server layout: master, worker, a ps on every host
};

enum class tf_consumer {
    custom,                          ///< hand-written code (tf.train.ClusterSpec, Server)
    estimator,                       ///< tf.estimator.RunConfig / train_and_evaluate
    parameter_server_strategy,       ///< TF2 tf.distribute.experimental.ParameterServerStrategy
    multi_worker_mirrored_strategy,  ///< TF2 tf.distribute.MultiWorkerMirroredStrategy
};

template <>
struct enum_names<tf_profile> {
    static constexpr std::array<enum_entry<tf_profile>, 5> table{{
        {tf_profile::tf2, "tf2"},
        {tf_profile::estimator, "estimator"},
        {tf_profile::kubeflow, "kubeflow"},
        {tf_profile::azureml_v1, "azureml-v1"},
        {tf_profile::sagemaker, "sagemaker"},
    }};
};

template <>
struct enum_names<tf_consumer> {
    static constexpr std::array<enum_entry<tf_consumer>, 4> table{{
        {tf_consumer::custom, "custom"},
        {tf_consumer::estimator, "estimator"},
        {tf_consumer::parameter_server_strategy, "parameter_server_strategy"},
        {tf_consumer::multi_worker_mirrored_strategy, "multi_worker_mirrored_strategy"},
    }};
};

/// The spec's `tf_config` object: every field optional.
struct tf_config_settings {
    std::optional<tf_profile> profile;
    std::optional<tf_consumer> consumer;
    std::optional<std::string> rpc_layer;  ///< e.g. "grpc"; written as "rpc_layer"
    std::optional<bool> sparse;            ///< Kubeflow's enableDynamicWorker form

    friend bool operator==(const tf_config_settings& a, const tf_config_settings& b) {
        return detail::members_equal(a, b, &tf_config_settings::profile, &tf_config_settings::consumer,
                                     &tf_config_settings::rpc_layer, &tf_config_settings::sparse);
    }
    friend bool operator!=(const tf_config_settings& a, const tf_config_settings& b) { return !(a == b); }
};

/// The keys of the spec's `tf_config` object, in the order a spec is written.
enum class tf_config_key { profile, consumer, rpc_layer, sparse };

template <>
struct enum_names<tf_config_key> {
    static constexpr std::array<enum_entry<tf_config_key>, 4> table{{
        {tf_config_key::profile, "profile"},
        {tf_config_key::consumer, "consumer"},
        {tf_config_key::rpc_layer, "rpc_layer"},
        {tf_config_key::sparse, "sparse"},
    }};
};

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/spec/tf_config_options.hpp
// begin file include/trainspec/spec/vm_sizes.hpp
// The Azure VM sizes whose GPU and vCPU counts trainspec knows, so that a
// job given `vm_size` is checked against the machine it asks for (a layout
// a VM cannot hold is an error). docs/compute.md lists the sources.

#include <array>
#include <optional>
#include <string_view>


TRAINSPEC_BEGIN_NAMESPACE

struct vm_size_info {
    std::string_view name;  ///< as Azure writes it
    int vcpus;
    int gpus;
};

/// Azure's GPU families for training: NC (K80), NCv2 (P100), NCv3 (V100),
/// ND (P40), NDv2 (V100), NCasT4_v3 (T4), NC A100 v4, ND A100 v4, NDm A100 v4,
/// NC H100 v5, ND H100 v5, NC A10 v4, NV (M60), NVv2 (M60), NVv3 (M60).
inline constexpr std::array<vm_size_info, 41> known_vm_sizes = {{
    {"Standard_NC6", 6, 1},
    {"Standard_NC12", 12, 2},
    {"Standard_NC24", 24, 4},
    {"Standard_NC24r", 24, 4},
    {"Standard_NC6s_v2", 6, 1},
    {"Standard_NC12s_v2", 12, 2},
    {"Standard_NC24s_v2", 24, 4},
    {"Standard_NC24rs_v2", 24, 4},
    {"Standard_NC6s_v3", 6, 1},
    {"Standard_NC12s_v3", 12, 2},
    {"Standard_NC24s_v3", 24, 4},
    {"Standard_NC24rs_v3", 24, 4},
    {"Standard_ND6s", 6, 1},
    {"Standard_ND12s", 12, 2},
    {"Standard_ND24s", 24, 4},
    {"Standard_ND24rs", 24, 4},
    {"Standard_ND40rs_v2", 40, 8},
    {"Standard_NC4as_T4_v3", 4, 1},
    {"Standard_NC8as_T4_v3", 8, 1},
    {"Standard_NC16as_T4_v3", 16, 1},
    {"Standard_NC64as_T4_v3", 64, 4},
    {"Standard_NC24ads_A100_v4", 24, 1},
    {"Standard_NC48ads_A100_v4", 48, 2},
    {"Standard_NC96ads_A100_v4", 96, 4},
    {"Standard_ND96asr_v4", 96, 8},
    {"Standard_ND96amsr_A100_v4", 96, 8},
    {"Standard_NC40ads_H100_v5", 40, 1},
    {"Standard_NC80adis_H100_v5", 80, 2},
    {"Standard_ND96isr_H100_v5", 96, 8},
    {"Standard_NV6", 6, 1},
    {"Standard_NV12", 12, 2},
    {"Standard_NV24", 24, 4},
    {"Standard_NV12s_v3", 12, 1},
    {"Standard_NV24s_v3", 24, 2},
    {"Standard_NV48s_v3", 48, 4},
    {"Standard_NC8ads_A10_v4", 8, 1},
    {"Standard_NC16ads_A10_v4", 16, 1},
    {"Standard_NC32ads_A10_v4", 32, 2},
    {"Standard_NV6s_v2", 6, 1},
    {"Standard_NV12s_v2", 12, 2},
    {"Standard_NV24s_v2", 24, 4},
}};

namespace detail {
constexpr char ascii_lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr bool equal_ignoring_case(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}
}  // namespace detail

/// The size's counts; Azure reads size names without regard to case.
constexpr std::optional<vm_size_info> find_vm_size(std::string_view name) noexcept {
    for (const auto& size : known_vm_sizes)
        if (detail::equal_ignoring_case(size.name, name)) return size;
    return std::nullopt;
}

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/spec/vm_sizes.hpp

TRAINSPEC_BEGIN_NAMESPACE

struct environment_variable {
    std::string name;
    std::string value;

    friend bool operator==(const environment_variable& a, const environment_variable& b) {
        return a.name == b.name && a.value == b.value;
    }
    friend bool operator!=(const environment_variable& a, const environment_variable& b) { return !(a == b); }
};

/// The ONNX export step run after training (tf2onnx's converter). Unset
/// fields take the defaults below; paths are relative to the working
/// directory of the run (the source directory in the container).
struct onnx_export_settings {
    std::optional<std::string> saved_model;  ///< the SavedModel directory the training writes
    std::optional<std::string> output;       ///< the .onnx file to write
    std::optional<int> opset;                ///< ONNX opset, min_onnx_opset..max_onnx_opset

    friend bool operator==(const onnx_export_settings& a, const onnx_export_settings& b) {
        return detail::members_equal(a, b, &onnx_export_settings::saved_model, &onnx_export_settings::output,
                                     &onnx_export_settings::opset);
    }
    friend bool operator!=(const onnx_export_settings& a, const onnx_export_settings& b) { return !(a == b); }
};

/// The keys of the spec's `onnx_export` object, in the order a spec is written.
enum class onnx_export_key { saved_model, output, opset };

template <>
struct enum_names<onnx_export_key> {
    static constexpr std::array<enum_entry<onnx_export_key>, 3> table{{
        {onnx_export_key::saved_model, "saved_model"},
        {onnx_export_key::output, "output"},
        {onnx_export_key::opset, "opset"},
    }};
};

inline constexpr const char* default_onnx_saved_model = "outputs/model";
inline constexpr const char* default_onnx_output = "outputs/model.onnx";
/// tf2onnx's default for many releases; accepted range 9-18 (the opsets
/// tf2onnx 1.9-1.16 convert to; newer releases test 14-18).
inline constexpr int default_onnx_opset = 13;
inline constexpr int min_onnx_opset = 9;
inline constexpr int max_onnx_opset = 18;

/// Container shared memory when shm_size is not given (Azure ML's default).
inline constexpr const char* default_shm_size = "2g";

struct job_spec {
    TRAINSPEC_SPECIAL_MEMBERS(job_spec);

    std::optional<std::string> name;                ///< job name; becomes Kubernetes resource names
    std::string source_directory;                   ///< project folder sent to the run
    std::optional<bool> writable_source_directory;  ///< containers mount it writable (default: with onnx_export)
    std::string entry_script;                       ///< relative to source_directory
    script_params params;                           ///< JSON key `script_params`
    std::optional<compute_target> target;           ///< JSON key `compute_target`
    std::optional<std::string> vm_size;             ///< create a target on the fly instead
    std::optional<std::string> vm_priority;         ///< "dedicated" or "lowpriority"
    std::optional<int> node_count;
    std::optional<int> process_count_per_node;        ///< mpi only
    std::optional<backend_kind> distributed_backend;  ///< single_node: "no backend" said explicitly (JSON null)
    std::optional<int> worker_count;                  ///< ps and multi_worker
    std::optional<int> parameter_server_count;        ///< ps
    std::optional<int> chief_count;                   ///< ps: 0 or 1
    std::optional<int> evaluator_count;               ///< ps: 0 or 1
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
    std::optional<bool> keras;                        ///< the job trains a Keras model (adds the keras package)
    std::optional<int> port;                          ///< first port of the TensorFlow tasks on a host (default 2222)
    std::optional<tf_config_settings> tf_config;      ///< how TF_CONFIG is written and read
    std::optional<mpi_settings> mpi;                  ///< how an mpi job is launched
    std::optional<onnx_export_settings> onnx_export;  ///< convert the trained SavedModel to ONNX
    std::optional<std::string> image_registry;        ///< where the built image goes: registry/repository
    std::optional<slurm_environment_kind> slurm_environment;  ///< how Slurm tasks reach the environment
    std::optional<sweep_settings> sweep;                      ///< a hyperparameter sweep over script_params
};

bool operator==(const job_spec& a, const job_spec& b);
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

/// What one node has: the compute target's declared count, else the known
/// VM size's (vm_sizes.hpp), else unknown. `source` names where it comes
/// from, for messages: `compute_target.gpus_per_node = 4`, `vm_size
/// "Standard_NC6" (1 GPU)`.
struct node_capacity {
    std::optional<int> count;
    std::string source;
};

inline node_capacity effective_gpus_per_node(const job_spec& s) {
    if (s.target && s.target->gpus_per_node)
        return {s.target->gpus_per_node, "compute_target.gpus_per_node = " + std::to_string(*s.target->gpus_per_node)};
    if (s.vm_size)
        if (auto size = find_vm_size(*s.vm_size))
            return {size->gpus, "vm_size \"" + std::string(size->name) + "\" (" + std::to_string(size->gpus) +
                                    (size->gpus == 1 ? " GPU)" : " GPUs)")};
    return {};
}

inline node_capacity effective_cpus_per_node(const job_spec& s) {
    if (s.target && s.target->cpus_per_node)
        return {s.target->cpus_per_node, "compute_target.cpus_per_node = " + std::to_string(*s.target->cpus_per_node)};
    if (s.vm_size)
        if (auto size = find_vm_size(*s.vm_size))
            return {size->vcpus,
                    "vm_size \"" + std::string(size->name) + "\" (" + std::to_string(size->vcpus) + " vCPUs)"};
    return {};
}
inline bool effective_use_docker(const job_spec& s) { return s.use_docker.value_or(true); }
inline bool effective_user_managed(const job_spec& s) { return s.user_managed.value_or(false); }
inline bool effective_keras(const job_spec& s) { return s.keras.value_or(false); }
inline std::string effective_shm_size(const job_spec& s) { return s.shm_size.value_or(default_shm_size); }
/// The first port of TensorFlow tasks on a host (TensorFlow's customary 2222).
inline constexpr int default_port = 2222;
inline int effective_port(const job_spec& s) { return s.port.value_or(default_port); }

inline tf_profile effective_profile(const job_spec& s) {
    return s.tf_config && s.tf_config->profile ? *s.tf_config->profile : tf_profile::tf2;
}

/// custom for ps jobs (the seed's hand-written ClusterSpec with ps + worker
/// and no chief must pass); MultiWorkerMirroredStrategy for multi_worker.
inline tf_consumer effective_consumer(const job_spec& s) {
    if (s.tf_config && s.tf_config->consumer) return *s.tf_config->consumer;
    return s.distributed_backend == backend_kind::multi_worker ? tf_consumer::multi_worker_mirrored_strategy
                                                               : tf_consumer::custom;
}

/// The MPI launcher of an mpi job: the spec's mpi.flavor, else Open MPI.
inline mpi_flavor effective_mpi_flavor(const job_spec& s) {
    return s.mpi && s.mpi->flavor ? *s.mpi->flavor : mpi_flavor::openmpi;
}

inline bool effective_onnx_export(const job_spec& s) { return s.onnx_export.has_value(); }
/// Whether containers may write into the mounted source directory: when
/// asked, else when onnx_export writes its files there.
inline bool effective_writable_source_directory(const job_spec& s) {
    return s.writable_source_directory.value_or(effective_onnx_export(s));
}
inline std::string effective_onnx_saved_model(const job_spec& s) {
    return s.onnx_export && s.onnx_export->saved_model ? *s.onnx_export->saved_model : default_onnx_saved_model;
}
inline std::string effective_onnx_output(const job_spec& s) {
    return s.onnx_export && s.onnx_export->output ? *s.onnx_export->output : default_onnx_output;
}
inline int effective_onnx_opset(const job_spec& s) {
    return s.onnx_export && s.onnx_export->opset ? *s.onnx_export->opset : default_onnx_opset;
}

/// framework_version, else the newest version whose environment can hold
/// what the job installs: Horovod for mpi jobs, tf2onnx for onnx_export
/// (images.hpp), else default_framework_version.
inline std::string effective_framework_version(const job_spec& s) {
    if (s.framework_version) return *s.framework_version;
    const bool mpi = effective_backend(s) == backend_kind::mpi;
    for (auto it = framework_images.rbegin(); it != framework_images.rend(); ++it)
        if ((!mpi || !it->horovod.empty()) && (!effective_onnx_export(s) || !it->tf2onnx.empty()))
            return std::string(it->framework_version);
    return std::string(default_framework_version);
}

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
TRAINSPEC_BEGIN_NAMESPACE

TRAINSPEC_DEFAULT_SPECIAL_MEMBERS(job_spec);

TRAINSPEC_INLINE bool operator==(const job_spec& a, const job_spec& b) {
    using s = job_spec;
    return detail::members_equal(
        a, b, &s::name, &s::source_directory, &s::writable_source_directory, &s::entry_script, &s::params, &s::target,
        &s::vm_size, &s::vm_priority, &s::node_count, &s::process_count_per_node, &s::distributed_backend,
        &s::worker_count, &s::parameter_server_count, &s::chief_count, &s::evaluator_count, &s::use_gpu, &s::use_docker,
        &s::custom_docker_image, &s::user_managed, &s::conda_packages, &s::pip_packages, &s::conda_dependencies_file,
        &s::pip_requirements_file, &s::environment_variables, &s::shm_size, &s::max_run_duration_seconds,
        &s::framework_version, &s::keras, &s::port, &s::tf_config, &s::mpi, &s::onnx_export, &s::image_registry,
        &s::slurm_environment, &s::sweep);
}
TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/spec/job_spec.hpp
// begin file include/trainspec/spec/resource_names.hpp
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
    for (const auto& derived : derived_resource_names(s, std::string()))
        longest_suffix = std::max(longest_suffix, derived.size());
    const std::size_t room = max_dns_label_length > longest_suffix ? max_dns_label_length - longest_suffix : 1;
    if (base.size() > room) base.resize(room);
    while (base.size() > 1 && base.back() == '-') base.pop_back();
    return base;
}

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/spec/resource_names.hpp
// begin file include/trainspec/spec/spec_keys.hpp
// The top-level keys of a trainspec/v1 spec, in the order a spec is written.
// The spec's field table (detail/spec_field_tables.hpp), the did-you-mean
// hints and the builder's record of which setters were called all key on
// this one list.

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE

/// The value of a spec's `apiVersion`.
inline constexpr const char* spec_api_version = "trainspec/v1";

enum class spec_key {
    api_version,
    name,
    source_directory,
    writable_source_directory,
    entry_script,
    script_params,
    compute_target,
    vm_size,
    vm_priority,
    node_count,
    process_count_per_node,
    distributed_backend,
    worker_count,
    parameter_server_count,
    chief_count,
    evaluator_count,
    use_gpu,
    use_docker,
    custom_docker_image,
    user_managed,
    conda_packages,
    pip_packages,
    conda_dependencies_file,
    pip_requirements_file,
    environment_variables,
    shm_size,
    max_run_duration_seconds,
    framework_version,
    keras,
    port,
    tf_config,
    mpi,
    onnx_export,
    image_registry,
    slurm_environment,
    sweep,
};

template <>
struct enum_names<spec_key> {
    static constexpr std::array<enum_entry<spec_key>, 36> table{{
        {spec_key::api_version, "apiVersion"},
        {spec_key::name, "name"},
        {spec_key::source_directory, "source_directory"},
        {spec_key::writable_source_directory, "writable_source_directory"},
        {spec_key::entry_script, "entry_script"},
        {spec_key::script_params, "script_params"},
        {spec_key::compute_target, "compute_target"},
        {spec_key::vm_size, "vm_size"},
        {spec_key::vm_priority, "vm_priority"},
        {spec_key::node_count, "node_count"},
        {spec_key::process_count_per_node, "process_count_per_node"},
        {spec_key::distributed_backend, "distributed_backend"},
        {spec_key::worker_count, "worker_count"},
        {spec_key::parameter_server_count, "parameter_server_count"},
        {spec_key::chief_count, "chief_count"},
        {spec_key::evaluator_count, "evaluator_count"},
        {spec_key::use_gpu, "use_gpu"},
        {spec_key::use_docker, "use_docker"},
        {spec_key::custom_docker_image, "custom_docker_image"},
        {spec_key::user_managed, "user_managed"},
        {spec_key::conda_packages, "conda_packages"},
        {spec_key::pip_packages, "pip_packages"},
        {spec_key::conda_dependencies_file, "conda_dependencies_file"},
        {spec_key::pip_requirements_file, "pip_requirements_file"},
        {spec_key::environment_variables, "environment_variables"},
        {spec_key::shm_size, "shm_size"},
        {spec_key::max_run_duration_seconds, "max_run_duration_seconds"},
        {spec_key::framework_version, "framework_version"},
        {spec_key::keras, "keras"},
        {spec_key::port, "port"},
        {spec_key::tf_config, "tf_config"},
        {spec_key::mpi, "mpi"},
        {spec_key::onnx_export, "onnx_export"},
        {spec_key::image_registry, "image_registry"},
        {spec_key::slurm_environment, "slurm_environment"},
        {spec_key::sweep, "sweep"},
    }};
};

/// The top-level keys of a trainspec/v1 spec, in the order to_json() writes them.
inline const std::vector<std::string>& spec_keys() { return enum_name_strings<spec_key>(); }

/// Whether a key means anything for a backend: the builder refuses its setter
/// at compile time and validate() its value otherwise.
constexpr bool key_applies_to(spec_key key, backend_kind backend) noexcept {
    const bool tensorflow_servers = backend == backend_kind::parameter_server || backend == backend_kind::multi_worker;
    switch (key) {
        case spec_key::worker_count:
        case spec_key::port:
        case spec_key::tf_config:
            return tensorflow_servers;
        case spec_key::parameter_server_count:
        case spec_key::chief_count:
        case spec_key::evaluator_count:
            return backend == backend_kind::parameter_server;
        case spec_key::process_count_per_node:
        case spec_key::mpi:
            return backend == backend_kind::mpi;
        default:
            return true;
    }
}

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/spec/spec_keys.hpp
// begin file include/trainspec/spec/task_type.hpp
// The kinds of TensorFlow task: the job names of TF_CONFIG's cluster.

#include <array>
#include <string_view>
#include <utility>


TRAINSPEC_BEGIN_NAMESPACE

enum class task_type { chief, worker, ps, evaluator };

template <>
struct enum_names<task_type> {
    static constexpr std::array<enum_entry<task_type>, 4> table{{
        {task_type::chief, "chief"},
        {task_type::worker, "worker"},
        {task_type::ps, "ps"},
        {task_type::evaluator, "evaluator"},
    }};
};

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/spec/task_type.hpp

// Front ends
// begin file include/trainspec/builder.hpp
// The typed builder: trainspec::tensorflow() and trainspec::keras(). The
// builder's type records which setters have been called (one bit per
// spec_key: each setter sets one key, mpi_launch() the key `mpi`), the chosen
// backend and a node count given as a compile-time constant. Each call is
// held to the checks of detail/builder_checks.hpp: the first that fails is
// one readable static_assert, and the same checks answer the builder's
// accepts_* and ready_to_build constants. docs/builder.md lists the rules.
//
// A chain of calls moves the spec from builder to builder; a named builder is
// copied, so it can be reused for several variants. build() checks values at
// run time and throws validation_error listing every problem; validate()
// returns the problems instead.

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

// begin file include/trainspec/detail/builder_checks.hpp
// The typed builder's compile-time checks (builder.hpp): the record of which
// setters were called, one bit per spec_key, and the rules every call is held
// to. A rule is a check that fails with one static_assert; a list of checks
// reports only its first failing one, so one misuse is one error.
// docs/builder.md lists the rules.

#include <cstdint>
#include <type_traits>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// The setters a builder has recorded: bit k is spec_key k.
using key_set = std::uint64_t;
static_assert(enum_values<spec_key>().size() <= 64, "key_set has one bit per spec_key");

constexpr key_set key_bit(spec_key key) { return key_set{1} << static_cast<unsigned>(key); }
constexpr bool contains(key_set keys, spec_key key) { return (keys & key_bit(key)) != 0; }
constexpr key_set with(key_set keys, spec_key key) { return keys | key_bit(key); }

// ---- the mechanism ----

/// A check that holds: nothing to report.
struct holds {
    static constexpr bool ok = true;
    static void report() {}
};

/// Holds when Ok; otherwise it is Rule, whose report() is its static_assert.
template <bool Ok, class Rule>
using check = std::conditional_t<Ok, holds, Rule>;

/// Checks as one: ok when all hold; otherwise it is the first that fails.
template <class... Checks>
struct all_of : holds {};
template <class First, class... Rest>
struct all_of<First, Rest...> : std::conditional_t<First::ok, all_of<Rest...>, First> {};

// A rule: ok is false, and report() fails with the message. report() is a
// template so that its static_assert fires only when the rule is reported.
#define TRAINSPEC_RULE_BODY(rule, message)    \
    {                                         \
        static constexpr bool ok = false;     \
        template <class Rule = rule>          \
        static void report() {                \
            static_assert(Rule::ok, message); \
        }                                     \
    }
#define TRAINSPEC_RULE(rule, message) struct rule TRAINSPEC_RULE_BODY(rule, message)
// The rule `kind` as reported for the setter of spec_key::key.
#define TRAINSPEC_SETTER_RULE(kind, key, message) \
    template <>                                   \
    struct kind<spec_key::key> TRAINSPEC_RULE_BODY(kind, message)
// A rule between two setters, reported at the second: "key(): rule".
#define TRAINSPEC_REPORTED_AT(kind, key, rule) TRAINSPEC_SETTER_RULE(kind, key, #key "(): " rule)

// ---- what every setter is held to ----

/// A setter called twice would silently replace the first value.
template <spec_key Setter>
struct already_set;
#define TRAINSPEC_SET_ONCE(key) TRAINSPEC_SETTER_RULE(already_set, key, #key "() is already set")
TRAINSPEC_SET_ONCE(name);
TRAINSPEC_SET_ONCE(source_directory);
TRAINSPEC_SET_ONCE(writable_source_directory);
TRAINSPEC_SET_ONCE(entry_script);
TRAINSPEC_SET_ONCE(script_params);
TRAINSPEC_SET_ONCE(compute_target);
TRAINSPEC_SET_ONCE(vm_size);
TRAINSPEC_SET_ONCE(vm_priority);
TRAINSPEC_SET_ONCE(node_count);
TRAINSPEC_SET_ONCE(process_count_per_node);
TRAINSPEC_SETTER_RULE(already_set, distributed_backend, "distributed_backend() can be chosen only once per job");
TRAINSPEC_SET_ONCE(worker_count);
TRAINSPEC_SET_ONCE(parameter_server_count);
TRAINSPEC_SET_ONCE(chief_count);
TRAINSPEC_SET_ONCE(evaluator_count);
TRAINSPEC_SET_ONCE(use_gpu);
TRAINSPEC_SET_ONCE(use_docker);
TRAINSPEC_SET_ONCE(custom_docker_image);
TRAINSPEC_SET_ONCE(user_managed);
TRAINSPEC_SET_ONCE(conda_packages);
TRAINSPEC_SET_ONCE(pip_packages);
TRAINSPEC_SET_ONCE(conda_dependencies_file);
TRAINSPEC_SET_ONCE(pip_requirements_file);
TRAINSPEC_SET_ONCE(environment_variables);
TRAINSPEC_SET_ONCE(shm_size);
TRAINSPEC_SET_ONCE(max_run_duration_seconds);
TRAINSPEC_SET_ONCE(framework_version);
TRAINSPEC_SET_ONCE(port);
TRAINSPEC_SET_ONCE(tf_config);
TRAINSPEC_SETTER_RULE(already_set, mpi, "mpi_launch() is already set");
TRAINSPEC_SET_ONCE(onnx_export);
TRAINSPEC_SET_ONCE(image_registry);
TRAINSPEC_SET_ONCE(slurm_environment);
template <spec_key Setter>
struct wrong_backend;
TRAINSPEC_SETTER_RULE(wrong_backend, worker_count,
                      "worker_count() applies only to distributed_backend(trainspec::parameter_server{}) or "
                      "distributed_backend(trainspec::multi_worker{}); choose the backend first");
TRAINSPEC_SETTER_RULE(wrong_backend, parameter_server_count,
                      "parameter_server_count() applies only to distributed_backend(trainspec::parameter_server{}); "
                      "choose the backend first");
TRAINSPEC_SETTER_RULE(wrong_backend, chief_count,
                      "chief_count() applies only to distributed_backend(trainspec::parameter_server{}); choose the "
                      "backend first");
TRAINSPEC_SETTER_RULE(wrong_backend, evaluator_count,
                      "evaluator_count() applies only to distributed_backend(trainspec::parameter_server{}); choose "
                      "the backend first");
TRAINSPEC_SETTER_RULE(wrong_backend, process_count_per_node,
                      "process_count_per_node() applies only to distributed_backend(trainspec::mpi{}); a "
                      "parameter-server or multi-worker job starts one process per task");
TRAINSPEC_SETTER_RULE(wrong_backend, port,
                      "port() applies only to distributed_backend(trainspec::parameter_server{}) or "
                      "distributed_backend(trainspec::multi_worker{}): only TensorFlow servers listen on it");
TRAINSPEC_SETTER_RULE(wrong_backend, tf_config,
                      "tf_config() applies only to distributed_backend(trainspec::parameter_server{}) or "
                      "distributed_backend(trainspec::multi_worker{}): other jobs get no TF_CONFIG");
TRAINSPEC_SETTER_RULE(wrong_backend, mpi, "mpi_launch() applies only to distributed_backend(trainspec::mpi{})");

/// Package sources that exclude each other, over the keys set after a call:
/// a user-managed image with any package list or file, and an environment
/// file with package lists.
constexpr key_set package_lists =
    key_bit(spec_key::conda_packages) | key_bit(spec_key::pip_packages) | key_bit(spec_key::pip_requirements_file);
constexpr bool user_managed_with_packages(key_set keys) {
    return contains(keys, spec_key::user_managed) &&
           (keys & (package_lists | key_bit(spec_key::conda_dependencies_file))) != 0;
}
constexpr bool environment_file_with_packages(key_set keys) {
    return contains(keys, spec_key::conda_dependencies_file) && (keys & package_lists) != 0;
}
constexpr bool package_sources_clash(key_set keys) {
    return user_managed_with_packages(keys) || environment_file_with_packages(keys);
}
template <spec_key Setter>
struct user_managed_excludes_packages;
#define TRAINSPEC_USER_MANAGED_RULE                                                                        \
    "user_managed() means the image already has everything: it cannot be combined with conda_packages(), " \
    "pip_packages(), conda_dependencies_file() or pip_requirements_file()"
TRAINSPEC_SETTER_RULE(user_managed_excludes_packages, user_managed, TRAINSPEC_USER_MANAGED_RULE);
TRAINSPEC_REPORTED_AT(user_managed_excludes_packages, conda_packages, TRAINSPEC_USER_MANAGED_RULE);
TRAINSPEC_REPORTED_AT(user_managed_excludes_packages, pip_packages, TRAINSPEC_USER_MANAGED_RULE);
TRAINSPEC_REPORTED_AT(user_managed_excludes_packages, pip_requirements_file, TRAINSPEC_USER_MANAGED_RULE);
TRAINSPEC_REPORTED_AT(user_managed_excludes_packages, conda_dependencies_file, TRAINSPEC_USER_MANAGED_RULE);
template <spec_key Setter>
struct environment_file_lists_every_package;
#define TRAINSPEC_ENVIRONMENT_FILE_RULE                                                            \
    "conda_dependencies_file() lists every package: it cannot be combined with conda_packages(), " \
    "pip_packages() or pip_requirements_file()"
TRAINSPEC_SETTER_RULE(environment_file_lists_every_package, conda_dependencies_file, TRAINSPEC_ENVIRONMENT_FILE_RULE);
TRAINSPEC_REPORTED_AT(environment_file_lists_every_package, conda_packages, TRAINSPEC_ENVIRONMENT_FILE_RULE);
TRAINSPEC_REPORTED_AT(environment_file_lists_every_package, pip_packages, TRAINSPEC_ENVIRONMENT_FILE_RULE);
TRAINSPEC_REPORTED_AT(environment_file_lists_every_package, pip_requirements_file, TRAINSPEC_ENVIRONMENT_FILE_RULE);

/// Whether calling Setter's setter breaks a rule over the recorded keys (a
/// rule broken already was reported by the call that broke it).
constexpr bool breaks(bool (*rule)(key_set), key_set keys, spec_key setter) {
    return rule(with(keys, setter)) && !rule(keys);
}

/// Every check of a call of Setter's setter on a builder of Backend that has
/// recorded Keys, then Extra, the call's own; the first that fails is reported.
template <spec_key Setter, class Backend, key_set Keys, class... Extra>
struct setter_checks
    : all_of<check<!contains(Keys, Setter), already_set<Setter>>,
             check<key_applies_to(Setter, Backend::kind), wrong_backend<Setter>>,
             check<!breaks(user_managed_with_packages, Keys, Setter), user_managed_excludes_packages<Setter>>,
             check<!breaks(environment_file_with_packages, Keys, Setter), environment_file_lists_every_package<Setter>>,
             Extra...> {
    static constexpr spec_key key = Setter;
};

// ---- the calls' own checks ----

/// A count given as a template argument, out of its range.
template <spec_key Setter>
struct count_out_of_range;
TRAINSPEC_SETTER_RULE(count_out_of_range, node_count,
                      "node_count<N>(): N must be at least 1 (Node count should be at least 1.)");
TRAINSPEC_SETTER_RULE(count_out_of_range, process_count_per_node,
                      "process_count_per_node<N>(): N must be at least 1 (Process count per node should be at least "
                      "1.)");
TRAINSPEC_SETTER_RULE(count_out_of_range, worker_count, "worker_count<N>(): N must be at least 1");
TRAINSPEC_SETTER_RULE(count_out_of_range, parameter_server_count,
                      "parameter_server_count<N>(): N must be at least 1 for a parameter-server job");
TRAINSPEC_SETTER_RULE(count_out_of_range, chief_count, "chief_count<N>(): N must be 0 or 1");
TRAINSPEC_SETTER_RULE(count_out_of_range, evaluator_count, "evaluator_count<N>(): N must be 0 or 1");

TRAINSPEC_RULE(not_a_backend,
               "distributed_backend(): choose trainspec::mpi, trainspec::parameter_server or trainspec::multi_worker");
TRAINSPEC_RULE(single_node_chosen,
               "distributed_backend(): single_node is what a job without a backend is; choose trainspec::mpi, "
               "trainspec::parameter_server or trainspec::multi_worker");
/// The backend distributed_backend(B) switches to. A B that is no backend
/// keeps the current one: not_a_backend has said what is wrong, and a
/// job_builder<B> (or B::kind) would only add errors after it.
template <class B, class Current>
using chosen_backend_t = std::conditional_t<is_backend_v<B>, B, Current>;

/// What build() needs: the setter of a key every job has.
template <spec_key Missing>
struct missing_for_build;
TRAINSPEC_SETTER_RULE(missing_for_build, source_directory,
                      "build(): source_directory() is missing; every job needs one");
TRAINSPEC_SETTER_RULE(missing_for_build, entry_script, "build(): entry_script() is missing; every job needs one");
TRAINSPEC_SETTER_RULE(missing_for_build, compute_target,
                      "build(): compute_target() is missing (or vm_size()); every job needs one");
TRAINSPEC_RULE(node_count_without_backend,
               "build(): node_count<N>() with N > 1 needs distributed_backend(trainspec::mpi{}), "
               "(trainspec::parameter_server{}) or (trainspec::multi_worker{})");

#undef TRAINSPEC_ENVIRONMENT_FILE_RULE
#undef TRAINSPEC_USER_MANAGED_RULE
#undef TRAINSPEC_REPORTED_AT
#undef TRAINSPEC_SET_ONCE
#undef TRAINSPEC_SETTER_RULE
#undef TRAINSPEC_RULE
#undef TRAINSPEC_RULE_BODY

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/builder_checks.hpp
// begin file include/trainspec/job.hpp
// job<Backend>: a validated job whose backend is part of its type, and
// any_job, the runtime choice among them that the JSON front end returns.

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

// begin file include/trainspec/validate.hpp
// The rules a job must satisfy: validate() checks every rule and returns
// every problem, so a user fixes a spec in one pass. Which rules there are,
// and where each comes from, is in docs/spec.md and docs/rules.md.


TRAINSPEC_BEGIN_NAMESPACE

/// Every problem of `spec`, grouped by rule; empty when the job is valid.
/// Past max_listed_problems, the last problem counts the rest
/// (docs/limits.md).
problems validate(const job_spec& spec);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
// begin file include/trainspec/detail/job_rules.hpp
// validate()'s checker: every rule of a job spec, in the order problems are
// reported (docs/rules.md, docs/spec.md).

#include <string>
#include <utility>
#include <vector>

// begin file include/trainspec/detail/compute_rules.hpp
// The rules of where a job runs and how many tasks it starts: the compute
// target, the counts of each backend, and the slots and GPUs they need.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

// begin file include/trainspec/detail/rule_context.hpp
// What every rule of validate() works with: the spec, the fields that could
// not be read, and the problems found so far.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// begin file include/trainspec/detail/path_set.hpp
// A set of spec paths (`compute_target.hosts[2].name`,
// `script_params["--lr"]`) that answers, in time linear in the path asked
// about, whether a path lies inside one of them and whether one of them lies
// inside a path. validate() and the spec reader ask this of every problem
// and every field: a list scan would make a spec with many unreadable values
// quadratic.

#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// Calls `f(prefix)` for every prefix of `path` that names a value: the
/// path itself and each part before a `.` or `[` outside a quoted key.
template <class F>
void for_each_path_prefix(std::string_view path, F f) {
    bool quoted = false;
    for (std::size_t i = 0; i < path.size(); ++i) {
        const char c = path[i];
        if (quoted) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                quoted = false;
        } else if (c == '"') {
            quoted = true;
        } else if ((c == '.' || c == '[') && i > 0) {
            f(path.substr(0, i));
        }
    }
    f(path);
}

class path_set {
public:
    path_set() = default;
    explicit path_set(std::vector<std::string> paths) : paths_(std::move(paths)) {
        for (const auto& p : paths_) {
            exact_.insert(p);
            for_each_path_prefix(p, [this](std::string_view prefix) { prefixes_.insert(prefix); });
        }
    }
    // The sets view the strings of paths_, which a move keeps in place.
    path_set(const path_set&) = delete;
    path_set& operator=(const path_set&) = delete;
    path_set(path_set&&) = default;
    path_set& operator=(path_set&&) = default;

    bool empty() const noexcept { return paths_.empty(); }
    const std::vector<std::string>& paths() const noexcept { return paths_; }

    /// True when `path` is one of the paths or lies inside one.
    bool covers(std::string_view path) const {
        if (exact_.empty()) return false;
        bool found = false;
        for_each_path_prefix(path, [&](std::string_view prefix) { found = found || exact_.count(prefix) != 0; });
        return found;
    }
    /// True when one of the paths is `path` or lies inside it.
    bool has_within(std::string_view path) const { return prefixes_.count(path) != 0; }

private:
    std::vector<std::string> paths_;
    std::unordered_set<std::string_view> exact_;
    std::unordered_set<std::string_view> prefixes_;
};

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/path_set.hpp
// begin file include/trainspec/detail/problem_list.hpp
// Problems as the spec reader and validate() find them: at most
// max_listed_problems are listed, and one more problem counts the rest, so
// that a spec with many bad values is reported in bounded memory
// (docs/limits.md).

#include <cstddef>
#include <string>
#include <utility>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline const std::string& unlisted_problems_rule() {
    static const std::string rule = "more problems, not listed: trainspec lists at most " +
                                    std::to_string(max_listed_problems) + " (docs/limits.md)";
    return rule;
}

/// The last problem of a full list: its value is how many more there are.
inline bool is_unlisted_count(const problem& p) { return p.path == "$" && p.rule == unlisted_problems_rule(); }

/// Appends `p` while fewer than max_listed_problems are listed; past that,
/// the list's last problem counts it (and the count `p` holds, if it is one).
inline void list_problem(problems& found, problem p) {
    const bool count = is_unlisted_count(p);
    if (found.size() < max_listed_problems && !count) {
        found.push_back(std::move(p));
        return;
    }
    if (found.empty() || !is_unlisted_count(found.back())) found.push_back({"$", "0", unlisted_problems_rule()});
    const auto more = count ? std::stoull(p.value) : 1;
    found.back().value = std::to_string(std::stoull(found.back().value) + more);
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/problem_list.hpp

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

struct spec_rule_context {
    /// `unreadable`: paths whose values could not be read (a JSON type
    /// error); a rule that reads such a field is skipped, since its verdict
    /// would be about a value the user did not write.
    spec_rule_context(const job_spec& s, std::vector<std::string> unreadable_paths)
        : spec(s), unreadable(std::move(unreadable_paths)) {}

    const job_spec& spec;
    path_set unreadable;
    problems found;

    /// A problem inside a value that could not be read is left out: its
    /// verdict would be about a value the user did not write.
    void add(std::string path, std::string value, std::string rule) {
        if (unreadable.covers(path)) return;
        list_problem(found, {std::move(path), std::move(value), std::move(rule)});
    }
    static std::string q(std::string_view text) { return quote_json(text); }
    static std::string n(std::int64_t v) { return std::to_string(v); }

    /// An enum's spec name, quoted: the one name table's (enum_name()).
    template <class Enum>
    static std::string name_of(Enum e) {
        return q(enum_name(e));
    }
    /// The backends that run a TensorFlow cluster, as messages list them.
    static std::string tensorflow_cluster_backends() {
        return name_of(backend_kind::parameter_server) + " or " + name_of(backend_kind::multi_worker);
    }

    bool is(backend_kind k) const { return effective_backend(spec) == k; }
    /// Whether `key` means anything for the job's backend.
    bool applies(spec_key key) const { return key_applies_to(key, effective_backend(spec)); }

    /// False when the value at `field` (or a part of it, or a field it is
    /// part of) could not be read.
    bool known(std::string_view field) const { return !unreadable.covers(field) && !unreadable.has_within(field); }
    template <class... Fields>
    bool all_known(Fields... fields) const {
        return (known(fields) && ...);
    }
    /// The fields that decide how many tasks the job starts.
    bool task_count_known() const {
        return all_known("distributed_backend", "node_count", "process_count_per_node", "worker_count",
                         "parameter_server_count", "chief_count", "evaluator_count");
    }
    /// The backend as messages name it: its spec name, or none.
    std::string backend_text() const {
        return is(backend_kind::single_node) ? std::string("none") : q(enum_name(effective_backend(spec)));
    }
};

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/rule_context.hpp

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline void check_required(spec_rule_context& rules) {
    if (rules.spec.source_directory.empty()) rules.add("source_directory", "", "is required");
    if (rules.spec.entry_script.empty()) rules.add("entry_script", "", "is required");
    if (!rules.spec.target && !rules.spec.vm_size && rules.all_known("compute_target", "vm_size"))
        rules.add("compute_target", "", "is required: Either compute target or VM size should be specified.");
}

inline void check_compute(spec_rule_context& rules) {
    if (rules.spec.target && rules.spec.vm_size)
        rules.add("vm_size", rules.q(*rules.spec.vm_size),
                  "give either compute_target or vm_size, not both (vm_size creates a target on the fly)");
    if (rules.spec.vm_size && !is_vm_size_name(*rules.spec.vm_size))
        rules.add("vm_size", rules.q(*rules.spec.vm_size),
                  "must be an Azure VM size name such as Standard_NC6 ([A-Za-z0-9_]+)");
    if (rules.spec.vm_priority) {
        if (*rules.spec.vm_priority != "dedicated" && *rules.spec.vm_priority != "lowpriority")
            rules.add("vm_priority", rules.q(*rules.spec.vm_priority), "must be \"dedicated\" or \"lowpriority\"");
        if (!rules.spec.vm_size && rules.known("vm_size"))
            rules.add("vm_priority", rules.q(*rules.spec.vm_priority), "applies only together with vm_size");
    }
    if (!rules.spec.target) return;
    const auto& t = *rules.spec.target;
    if (!is_compute_target_name(t.name))
        rules.add("compute_target.name", rules.q(t.name),
                  "must be a compute target name ([A-Za-z0-9] then [A-Za-z0-9._-]) or \"local\"");
    if (t.gpus_per_node && *t.gpus_per_node < 0)
        rules.add("compute_target.gpus_per_node", rules.n(*t.gpus_per_node), "must be at least 0");
    if (t.cpus_per_node && *t.cpus_per_node < 1)
        rules.add("compute_target.cpus_per_node", rules.n(*t.cpus_per_node), "must be at least 1");
    if (t.max_nodes && *t.max_nodes < 1)
        rules.add("compute_target.max_nodes", rules.n(*t.max_nodes), "must be at least 1");
    if (t.is_local() && !t.hosts.empty())
        rules.add("compute_target.hosts", "", "a \"local\" compute target is this machine; it takes no host list");
    const auto earlier = earlier_same(t.hosts, [](const host& h) { return std::string_view(h.name); });
    for (std::size_t i = 0; i < t.hosts.size(); ++i) {
        const auto& h = t.hosts[i];
        const auto path = fmt::format("compute_target.hosts[{}]", i);
        if (auto why = host_name_problem(h.name)) rules.add(path + ".name", rules.q(h.name), *why);
        if (auto why = host_slots_problem(h.slots)) rules.add(path + ".slots", rules.n(h.slots), *why);
        if (earlier[i] != std::string_view::npos)
            rules.add(path + ".name", rules.q(h.name), duplicate_host_rule(h.name));
    }
}

inline void check_counts(spec_rule_context& rules) {
    auto at_least = [&](const char* path, const std::optional<int>& v, int min, const char* azure_text) {
        if (v && *v < min)
            rules.add(path, rules.n(*v),
                      azure_text ? fmt::format("must be at least {}: {}", min, azure_text)
                                 : fmt::format("must be at least {}", min));
    };
    at_least("node_count", rules.spec.node_count, 1, "Node count should be at least 1.");
    at_least("process_count_per_node", rules.spec.process_count_per_node, 1,
             "Process count per node should be at least 1.");
    at_least("worker_count", rules.spec.worker_count, 1, nullptr);
    // 0 is accepted for multi_worker; with an unreadable backend, the lower bound of every backend.
    const bool ps_optional = rules.is(backend_kind::multi_worker) || !rules.known("distributed_backend");
    at_least("parameter_server_count", rules.spec.parameter_server_count, ps_optional ? 0 : 1, nullptr);
    for (auto [path, v] :
         {std::pair{"chief_count", &rules.spec.chief_count}, {"evaluator_count", &rules.spec.evaluator_count}})
        if (*v && (**v < 0 || **v > 1)) rules.add(path, rules.n(**v), "must be 0 or 1");
    if (rules.spec.max_run_duration_seconds && *rules.spec.max_run_duration_seconds < 1)
        rules.add("max_run_duration_seconds", rules.n(*rules.spec.max_run_duration_seconds), "must be at least 1");
}

inline void check_backend_fields(spec_rule_context& rules) {
    if (!rules.known("distributed_backend")) return;  // every rule here depends on the backend
    const bool ps = rules.is(backend_kind::parameter_server);
    const bool mw = rules.is(backend_kind::multi_worker);
    const bool single = rules.is(backend_kind::single_node);
    if (single && ((rules.spec.node_count && *rules.spec.node_count > 1) ||
                   (rules.spec.process_count_per_node && *rules.spec.process_count_per_node > 1)))
        rules.add("distributed_backend", "",
                  "'distributed_backend' must be specified when node_count > 1 or process_count_per_node > 1.");
    if (rules.spec.worker_count && !rules.applies(spec_key::worker_count))
        rules.add("worker_count", rules.n(*rules.spec.worker_count),
                  fmt::format("applies only with distributed_backend {} (backend is {})",
                              rules.tensorflow_cluster_backends(), rules.backend_text()));
    if (rules.spec.parameter_server_count && !rules.applies(spec_key::parameter_server_count) &&
        !(mw && *rules.spec.parameter_server_count == 0))
        rules.add("parameter_server_count", rules.n(*rules.spec.parameter_server_count),
                  mw ? std::string("a multi_worker job has no parameter servers (0 is accepted, as Azure ML "
                                   "documents for MultiWorkerMirroredStrategy)")
                     : fmt::format("applies only with distributed_backend {} (backend is {})",
                                   rules.name_of(backend_kind::parameter_server), rules.backend_text()));
    for (auto [key, v] : {std::pair{spec_key::chief_count, &rules.spec.chief_count},
                          {spec_key::evaluator_count, &rules.spec.evaluator_count}})
        if (*v && !rules.applies(key))
            rules.add(std::string(enum_name(key)), rules.n(**v),
                      fmt::format("applies only with distributed_backend {} (backend is {})",
                                  rules.name_of(backend_kind::parameter_server), rules.backend_text()));
    if (rules.spec.process_count_per_node && !rules.applies(spec_key::process_count_per_node) &&
        !(single && *rules.spec.process_count_per_node <= 1))
        rules.add("process_count_per_node", rules.n(*rules.spec.process_count_per_node),
                  fmt::format("applies only with distributed_backend {} (backend is {}); {} starts one process "
                              "per task",
                              rules.name_of(backend_kind::mpi), rules.backend_text(),
                              single ? "a single-node job" : "TensorFlow's cluster"));
    // Idle nodes are paid for and never used.
    if ((ps || mw) && rules.spec.node_count && rules.task_count_known()) {
        const auto tasks = effective_task_count(rules.spec);
        if (*rules.spec.node_count > tasks)
            rules.add("node_count", rules.n(*rules.spec.node_count),
                      fmt::format("exceeds the {} task(s) of this {} job; {} node(s) would stay idle", tasks,
                                  enum_name(effective_backend(rules.spec)), *rules.spec.node_count - tasks));
    }
}

inline const char* count_field(const spec_rule_context& rules) {
    switch (effective_backend(rules.spec)) {
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

/// The value of count_field(), as the user wrote it or defaulted.
inline int count_value(const spec_rule_context& rules) {
    switch (effective_backend(rules.spec)) {
        case backend_kind::mpi:
            return effective_process_count_per_node(rules.spec);
        case backend_kind::parameter_server:
        case backend_kind::multi_worker:
            return effective_worker_count(rules.spec);
        case backend_kind::single_node:
            break;
    }
    return effective_node_count(rules.spec);
}

inline void check_capacity(spec_rule_context& rules) {
    const int nodes = effective_node_count(rules.spec);
    const bool gpu = effective_use_gpu(rules.spec);
    const auto gpus = effective_gpus_per_node(rules.spec);
    if (gpu && gpus.count && *gpus.count == 0 && rules.known("use_gpu"))
        rules.add("use_gpu", "true", gpus.source + ": the nodes have no GPU");
    if (rules.spec.target) {
        const auto& t = *rules.spec.target;
        if (t.max_nodes && nodes > *t.max_nodes)
            rules.add("node_count", rules.n(nodes),
                      fmt::format("exceeds compute_target.max_nodes = {} of {}", *t.max_nodes, rules.q(t.name)));
        if (t.is_local() && nodes > 1)
            rules.add("node_count", rules.n(nodes), "a \"local\" compute target has exactly 1 node");
        if (!t.hosts.empty() && nodes > static_cast<int>(t.hosts.size()) && rules.known("compute_target.hosts"))
            rules.add("node_count", rules.n(nodes),
                      fmt::format("needs {} hosts; compute_target.hosts lists {}", nodes, t.hosts.size()));
    }
    // The rules below count tasks and slots: moot when a count, the GPU
    // switch or the host list could not be read.
    if (!rules.task_count_known() || !rules.known("use_gpu")) return;
    // Slots per node: one GPU per process on GPU jobs, else the CPUs.
    const auto tasks = effective_task_count(rules.spec);
    const auto slots = gpu ? gpus : effective_cpus_per_node(rules.spec);
    // Parameter servers take a CPU slot but no GPU.
    const auto slot_tasks = gpu ? tasks - effective_parameter_server_count(rules.spec) : tasks;
    if (slots.count && *slots.count > 0) {
        const int per_node = effective_process_count_per_node(rules.spec);
        if (rules.is(backend_kind::mpi) && per_node > *slots.count)
            rules.add("process_count_per_node", rules.n(per_node),
                      fmt::format("exceeds {}: each process needs its own {}", slots.source, gpu ? "GPU" : "CPU"));
        else if (rules.is(backend_kind::mpi) && gpu && per_node < *slots.count)
            rules.add("process_count_per_node", rules.n(per_node),
                      fmt::format("uses {} of the GPUs of {}: Horovod runs one process per GPU, so {} would stay "
                                  "idle on every node; set process_count_per_node to {}",
                                  per_node, slots.source, *slots.count - per_node, *slots.count));
        else if (slot_tasks > std::int64_t{nodes} * *slots.count)
            rules.add(count_field(rules), rules.n(count_value(rules)),
                      fmt::format("{} {}tasks do not fit {} node(s) of {}: {} slots", slot_tasks, gpu ? "GPU " : "",
                                  nodes, slots.source, std::int64_t{nodes} * *slots.count));
    }
    if (rules.spec.target && !rules.spec.target->hosts.empty() &&
        nodes <= static_cast<int>(rules.spec.target->hosts.size()) && rules.known("compute_target.hosts")) {
        std::int64_t host_slots = 0;
        for (int i = 0; i < nodes; ++i) host_slots += rules.spec.target->hosts[static_cast<std::size_t>(i)].slots;
        if (tasks > host_slots)
            rules.add(count_field(rules), rules.n(count_value(rules)),
                      fmt::format("{} tasks do not fit the {} slots of the first {} host(s) of compute_target.hosts",
                                  tasks, host_slots, nodes));
    }
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/compute_rules.hpp
// begin file include/trainspec/detail/environment_rules.hpp
// The rules of the software a job runs with: its TensorFlow, packages,
// container, built image and the releases pinned for them.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

// begin file include/trainspec/detail/conda_match_spec.hpp
// conda_packages entries as conda's MatchSpec reads them, in the forms a
// package list needs: `[channel[/subdir]::]name` and a version, with a
// build or not (`numpy`, `numpy=1.26`, `numpy>=1.26,<2`, `numpy 1.26.*
// py311*`, `conda-forge::numpy`). Options, URLs, paths, `[key=value]`
// brackets and comments are refused (docs/spec.md, conda_packages).

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline constexpr std::string_view conda_match_spec_rule =
    "must be a conda package spec: [channel::]name, then a version (=1.2, >=1.2,<2, \"1.2.* build\"); conda "
    "options, URLs, paths, [key=value] brackets and comments are not accepted";

/// `text` is of `allowed` (letters and digits always), at least one.
inline bool is_conda_word(std::string_view text, std::string_view allowed) {
    if (text.empty()) return false;
    for (char c : text)
        if (!is_alnum(c) && allowed.find(c) == std::string_view::npos) return false;
    return true;
}

/// Why `text` is no conda_packages entry, or nullopt.
inline std::optional<std::string> conda_match_spec_problem(std::string_view text) {
    const auto refuse = std::optional<std::string>(conda_match_spec_rule);
    if (const auto colons = text.find("::"); colons != std::string_view::npos) {
        auto channel = text.substr(0, colons);
        if (const auto slash = channel.find('/'); slash != std::string_view::npos) {  // channel/subdir
            if (!is_conda_word(channel.substr(slash + 1), "_-")) return refuse;
            channel = channel.substr(0, slash);
        }
        if (!is_conda_word(channel, "_.-") || !is_alnum(channel.front())) return refuse;
        text.remove_prefix(colons + 2);
    }
    const auto name_end = std::min(text.find_first_of(" =<>!~"), text.size());
    const auto name = text.substr(0, name_end);
    if (!is_conda_word(name, "_.-") || !(is_alnum(name.front()) || name.front() == '_')) return refuse;
    auto rest = text.substr(name_end);
    constexpr std::string_view version_chars = "_.*+!,|<>=~";
    if (rest.empty()) return std::nullopt;
    if (rest.front() != ' ') return is_conda_word(rest, version_chars) ? std::nullopt : refuse;
    rest.remove_prefix(1);  // "name version[ build]"
    const auto space = std::min(rest.find(' '), rest.size());
    if (!is_conda_word(rest.substr(0, space), version_chars)) return refuse;
    if (space < rest.size() && !is_conda_word(rest.substr(space + 1), "_.*+")) return refuse;
    return std::nullopt;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/conda_match_spec.hpp
// begin file include/trainspec/detail/pep508.hpp
// PEP 508 dependency specifiers, read the way pip reads them (the tokens
// and grammar of pypa/packaging's parser, Python's \s and case folding
// included), so that a pip_packages entry is a requirement: never a pip
// option, an index or a URL. docs/spec.md (pip_packages) says what is
// refused and why; tests/pep508 compares every verdict with packaging's.

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

enum class requirement_verdict {
    requirement,       ///< name, extras, version clauses, markers
    direct_reference,  ///< `name @ url`: refused (an index of its own)
    marker_escape,     ///< a backslash in a marker's string: refused (Python escapes are not evaluated)
    malformed,
};

struct requirement_reading {
    requirement_verdict verdict = requirement_verdict::requirement;
    std::size_t at = 0;  ///< where a malformed requirement stops being one
};

class pep508_reader {
public:
    explicit pep508_reader(std::string_view text) : s_(text) {}

    requirement_reading read() {
        spaces();
        if (!identifier()) return stop();
        spaces();
        if (peek('[')) {
            ++pos_;
            spaces();
            if (identifier()) {
                for (spaces(); peek(','); spaces()) {
                    ++pos_;
                    spaces();
                    if (!identifier()) return stop();
                }
            }
            spaces();
            if (!take(']')) return stop();
        }
        spaces();
        if (peek('@')) return {requirement_verdict::direct_reference, pos_};
        const bool parenthesized = take('(');
        spaces();
        while (version_clause()) {
            spaces();
            if (!take(',')) break;
            spaces();
        }
        spaces();
        if (parenthesized && !take(')')) return stop();
        spaces();
        if (at_end()) return {};
        if (!take(';') || !marker(0)) return stop();
        spaces();
        if (!at_end()) return stop();
        return {escape_ ? requirement_verdict::marker_escape : requirement_verdict::requirement, pos_};
    }

private:
    static constexpr int max_marker_depth = 64;

    std::string_view s_;
    std::size_t pos_ = 0;
    bool escape_ = false;

    requirement_reading stop() const { return {requirement_verdict::malformed, pos_}; }
    bool peek(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
    bool take(char c) {
        if (!peek(c)) return false;
        ++pos_;
        return true;
    }
    /// Python's `$`: the end, or before a final line feed.
    bool at_end() const { return pos_ == s_.size() || (pos_ + 1 == s_.size() && s_[pos_] == '\n'); }
    /// The tokenizer's whitespace, `[ \t]*`.
    void spaces() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
    }
    /// Python's `\w`, for `\b`; a byte of a non-ASCII character counts as
    /// one (none of them can start a token).
    static bool is_word(char c) { return is_alnum(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80; }
    bool boundary_at(std::size_t p) const {
        const bool before = p > 0 && is_word(s_[p - 1]);
        const bool after = p < s_.size() && is_word(s_[p]);
        return before != after;
    }

    /// The length of Python's `\s` at `p` (the Unicode spaces), or 0.
    std::size_t python_space_at(std::size_t p) const {
        static constexpr std::string_view wide[] = {"\xc2\x85",     "\xc2\xa0",     "\xe1\x9a\x80", "\xe2\x80\x80",
                                                    "\xe2\x80\x81", "\xe2\x80\x82", "\xe2\x80\x83", "\xe2\x80\x84",
                                                    "\xe2\x80\x85", "\xe2\x80\x86", "\xe2\x80\x87", "\xe2\x80\x88",
                                                    "\xe2\x80\x89", "\xe2\x80\x8a", "\xe2\x80\xa8", "\xe2\x80\xa9",
                                                    "\xe2\x80\xaf", "\xe2\x81\x9f", "\xe3\x80\x80"};
        if (p >= s_.size()) return 0;
        const auto c = static_cast<unsigned char>(s_[p]);
        if (c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f)) return 1;
        for (auto w : wide)
            if (s_.substr(p, w.size()) == w) return w.size();
        return 0;
    }
    void python_spaces(std::size_t& p) const {
        while (auto n = python_space_at(p)) p += n;
    }

    /// The lower-case ASCII letter or digit at `p` under Python's IGNORECASE
    /// (which also folds U+0130, U+0131 to i, U+017F to s, U+212A to k) and
    /// its length; '\0' when there is none.
    std::pair<char, std::size_t> folded_at(std::size_t p) const {
        static constexpr std::pair<std::string_view, char> folds[] = {
            {"\xc4\xb0", 'i'}, {"\xc4\xb1", 'i'}, {"\xc5\xbf", 's'}, {"\xe2\x84\xaa", 'k'}};
        if (p >= s_.size()) return {'\0', 0};
        const char c = s_[p];
        if (is_digit(c)) return {c, 1};
        if (is_alpha(c)) return {static_cast<char>(c | 0x20), 1};
        for (auto [bytes, letter] : folds)
            if (s_.substr(p, bytes.size()) == bytes) return {letter, bytes.size()};
        return {'\0', 0};
    }
    /// `word` (lower case) at `p` under IGNORECASE: the end, or npos.
    std::size_t word_at(std::size_t p, std::string_view word) const {
        for (char w : word) {
            const auto [c, n] = folded_at(p);
            if (c != w) return std::string_view::npos;
            p += n;
        }
        return p;
    }
    /// The first of `words` at `p` (a regular expression's alternation).
    template <std::size_t N>
    std::size_t first_word_at(std::size_t p, const std::string_view (&words)[N]) const {
        for (auto w : words)
            if (auto end = word_at(p, w); end != std::string_view::npos) return end;
        return std::string_view::npos;
    }
    bool digit_at(std::size_t p) const { return p < s_.size() && is_digit(s_[p]); }
    void digits(std::size_t& p) const {
        while (digit_at(p)) ++p;
    }
    bool separator_at(std::size_t p) const { return p < s_.size() && (s_[p] == '-' || s_[p] == '_' || s_[p] == '.'); }

    /// `\b[a-zA-Z0-9][a-zA-Z0-9._-]*\b`: names and extras.
    bool identifier() {
        if (pos_ >= s_.size() || !is_alnum(s_[pos_]) || !boundary_at(pos_)) return false;
        std::size_t end = pos_ + 1;
        while (end < s_.size() && (is_alnum(s_[end]) || separator_at(end))) ++end;
        while (end > pos_ && !boundary_at(end)) --end;
        if (end == pos_) return false;
        pos_ = end;
        return true;
    }

    /// `[-_.]?(words)[-_.]?[0-9]*`: a pre-, post- or dev-release part.
    template <std::size_t N>
    bool release_part(std::size_t& p, const std::string_view (&words)[N]) const {
        for (std::size_t at : {separator_at(p) ? p + 1 : std::string_view::npos, p}) {
            if (at == std::string_view::npos) continue;
            auto end = first_word_at(at, words);
            if (end == std::string_view::npos) continue;
            if (separator_at(end)) ++end;
            digits(end);
            p = end;
            return true;
        }
        return false;
    }

    /// A version at `p` as a Specifier after `op` reads it: its end (npos
    /// for none) and whether it ends in a wildcard (`.*`).
    std::pair<std::size_t, bool> version_end(std::size_t p, std::string_view op) const {
        constexpr auto none = std::pair{std::string_view::npos, false};
        if (const auto [c, n] = folded_at(p); c == 'v') p += n;
        if (digit_at(p)) {  // an epoch
            auto q = p;
            digits(q);
            if (q < s_.size() && s_[q] == '!') p = q + 1;
        }
        if (!digit_at(p)) return none;
        digits(p);
        int components = 1;
        for (; p + 1 < s_.size() && s_[p] == '.' && digit_at(p + 1); ++components) digits(++p);
        const bool exact = op == "==" || op == "!=";
        if (op == "~=" && components < 2) return none;
        if (exact && s_.substr(p, 2) == ".*") return {p + 2, true};
        static constexpr std::string_view pre[] = {"alpha", "beta", "preview", "pre", "a", "b", "c", "rc"};
        static constexpr std::string_view post[] = {"post", "rev", "r"};
        static constexpr std::string_view dev[] = {"dev"};
        release_part(p, pre);
        if (p + 1 < s_.size() && s_[p] == '-' && digit_at(p + 1))
            digits(++p);
        else
            release_part(p, post);
        release_part(p, dev);
        if (exact && p < s_.size() && s_[p] == '+' && folded_at(p + 1).first != '\0') {  // a local version
            auto segment = [&](std::size_t& q) {
                while (folded_at(q).first != '\0') q += folded_at(q).second;
            };
            segment(++p);
            while (separator_at(p) && folded_at(p + 1).first != '\0') segment(++p);
        }
        return {p, false};
    }

    /// packaging reads each number of a version (those before a local
    /// part, and the local part's all-digit segments) as a Python int, which
    /// refuses more than 4300 digits.
    static bool numbers_fit(std::string_view version) {
        constexpr std::size_t python_int_max_str_digits = 4300;
        const auto local = std::min(version.find('+'), version.size());
        std::size_t run = 0;
        for (std::size_t i = 0; i < local; ++i)
            if ((run = is_digit(version[i]) ? run + 1 : 0) > python_int_max_str_digits) return false;
        std::size_t length = 0;
        bool number = true;
        for (std::size_t i = local + 1; i <= version.size(); ++i) {
            if (i == version.size() || version[i] == '-' || version[i] == '_' || version[i] == '.') {
                if (number && length > python_int_max_str_digits) return false;
                length = 0;
                number = true;
            } else {
                ++length;
                number = number && is_digit(version[i]);
            }
        }
        return true;
    }

    /// One version clause (packaging's Specifier): its end, or npos. An
    /// arbitrary (===) one runs to a space, ';' or ')'.
    std::size_t clause_end(std::size_t p) const {
        static constexpr std::string_view operators[] = {"===", "~=", "==", "!=", "<=", ">=", "<", ">"};
        std::string_view op;
        for (auto o : operators)
            if (s_.substr(p, o.size()) == o) {
                op = o;
                break;
            }
        if (op.empty()) return std::string_view::npos;
        p += op.size();
        python_spaces(p);
        if (op == "===") {
            while (p < s_.size() && !python_space_at(p) && s_[p] != ';' && s_[p] != ')') ++p;
            return p;
        }
        const auto [end, wildcard] = version_end(p, op);
        if (end == std::string_view::npos || (!wildcard && !numbers_fit(s_.substr(p, end - p))))
            return std::string_view::npos;
        return end;
    }

    /// A version clause as the tokenizer takes it. An arbitrary (===) one
    /// may hold commas: packaging splits it there, and each part must be a
    /// clause; an arbitrary string that reads as a version is canonicalized
    /// (its numbers read as ints).
    bool version_clause() {
        const auto end = clause_end(pos_);
        if (end == std::string_view::npos) return false;
        if (s_.substr(pos_, 3) == "===") {
            for (auto start = pos_; start <= end;) {
                auto comma = s_.substr(start, end - start).find(',');
                comma = comma == std::string_view::npos ? end : start + comma;
                if (s_.substr(start, 3) == "===") {
                    auto text = start + 3;
                    python_spaces(text);
                    const auto [version, wildcard] = version_end(text, "==");
                    if (version == comma && !wildcard && !numbers_fit(s_.substr(text, comma - text))) return false;
                } else if (comma > start && clause_end(start) != comma) {
                    return false;
                }
                start = comma + 1;
            }
        }
        pos_ = end;
        return true;
    }

    bool marker(int depth) {
        if (!marker_atom(depth)) return false;
        while (true) {
            std::size_t end = std::string_view::npos;
            for (std::string_view op : {"or", "and"})
                if (s_.substr(pos_, op.size()) == op && boundary_at(pos_ + op.size())) end = pos_ + op.size();
            if (end == std::string_view::npos) return true;
            pos_ = end;
            if (!marker_atom(depth)) return false;
        }
    }

    bool marker_atom(int depth) {
        spaces();
        if (take('(')) {
            if (depth >= max_marker_depth) return false;
            spaces();
            if (!marker(depth + 1)) return false;
            spaces();
            if (!take(')')) return false;
        } else {
            if (!marker_value()) return false;
            spaces();
            if (!marker_operator()) return false;
            spaces();
            if (!marker_value()) return false;
        }
        spaces();
        return true;
    }

    bool keyword(std::string_view word) {
        if (s_.substr(pos_, word.size()) != word || !boundary_at(pos_ + word.size())) return false;
        pos_ += word.size();
        return true;
    }

    bool marker_operator() {
        if (keyword("in")) return true;
        if (keyword("not")) {
            if (!peek(' ') && !peek('\t')) return false;
            spaces();
            return keyword("in");
        }
        static constexpr std::string_view operators[] = {"===", "==", "~=", "!=", "<=", ">=", "<", ">"};
        for (auto o : operators)
            if (s_.substr(pos_, o.size()) == o) {
                pos_ += o.size();
                return true;
            }
        return false;
    }

    /// A marker variable or a quoted string (which Python's literal_eval reads).
    bool marker_value() {
        static constexpr std::string_view variables[] = {"python_version",
                                                         "python_full_version",
                                                         "os_name",
                                                         "os.name",
                                                         "sys_platform",
                                                         "sys.platform",
                                                         "platform_release",
                                                         "platform_system",
                                                         "platform_version",
                                                         "platform.version",
                                                         "platform_machine",
                                                         "platform.machine",
                                                         "platform_python_implementation",
                                                         "platform.python_implementation",
                                                         "python_implementation",
                                                         "implementation_name",
                                                         "implementation_version",
                                                         "extra"};
        for (auto v : variables)
            if (keyword(v)) return true;
        if (!peek('\'') && !peek('"')) return false;
        const auto close = s_.find(s_[pos_], pos_ + 1);
        if (close == std::string_view::npos) return false;
        const auto text = s_.substr(pos_ + 1, close - pos_ - 1);
        if (text.find_first_of(std::string_view("\n\r\0", 3)) != std::string_view::npos) return false;
        escape_ = escape_ || text.find('\\') != std::string_view::npos;
        pos_ = close + 1;
        return true;
    }
};

inline requirement_reading read_requirement(std::string_view text) { return pep508_reader(text).read(); }

inline constexpr std::string_view pip_requirement_rule =
    "must be a package requirement (PEP 508): name, extras, version, markers; pip options are not accepted";

/// Why `text` is no pip_packages entry, or nullopt.
inline std::optional<std::string> pip_requirement_problem(std::string_view text) {
    const auto reading = read_requirement(text);
    switch (reading.verdict) {
        case requirement_verdict::requirement:
            return std::nullopt;
        case requirement_verdict::direct_reference:
            return std::string("direct references are not accepted; put them in pip_requirements_file");
        case requirement_verdict::marker_escape:
            return std::string("a marker's quoted string must not hold a backslash (Python would read an escape)");
        case requirement_verdict::malformed:
            break;
    }
    if (reading.at == 0) return std::string(pip_requirement_rule);
    return std::string(pip_requirement_rule) + " (it stops being one at character " + std::to_string(reading.at + 1) +
           ")";
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/pep508.hpp
// begin file include/trainspec/detail/slurm_environment_rule.hpp
// Whether a job can reach its environment on Slurm one way or another:
// validate() reports it at `slurm_environment`, sbatch_script() for the
// option that chose the way (docs/slurm.md).

#include <optional>
#include <string>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// Why a job cannot reach its environment on Slurm the way `kind` says, or
/// nullopt when it can.
inline std::optional<std::string> slurm_environment_problem(const job_spec& s, slurm_environment_kind kind) {
    if (runs_container(kind) && !effective_use_docker(s))
        return std::string("runs the job's container image, and the job has use_docker = false: use conda or none");
    if (kind == slurm_environment_kind::conda && effective_user_managed(s))
        return std::string(
            "activates the environment made from environment.yml; a user_managed job has none: use "
            "none, or the job's container (apptainer)");
    if (kind == slurm_environment_kind::conda && s.pip_requirements_file)
        return "activates the environment made from environment.yml, which cannot include pip_requirements_file " +
               quote_json(*s.pip_requirements_file) +
               ": list the packages in pip_packages, or run in the job's container (apptainer)";
    return std::nullopt;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/slurm_environment_rule.hpp
// begin file include/trainspec/detail/source_rules.hpp
// The rules of what the entry script is given: its files inside
// source_directory, its environment variables and its parameters.

#include <cmath>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include <fmt/format.h>

// begin file include/trainspec/detail/launcher_settings.hpp
// Settings that decide what the launcher runs, and the variables that
// change how the launcher, the shell or the scheduler runs: validate() and
// the renderers share these rules (docs/security.md).

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// begin file include/trainspec/detail/mpi_option_names.hpp
// The options of the MPI launchers by name: aliases folded, and the ones
// only one family accepts, so that extra arguments are checked as the
// launcher would check them.

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// An option word without its dashes and `=value`, or "" for a word that
/// is no option.
inline std::string option_name(std::string_view word) {
    if (word.size() < 2 || word[0] != '-') return "";
    word.remove_prefix(word[1] == '-' ? 2 : 1);
    return std::string(word.substr(0, word.find('=')));
}

/// The canonical spelling of an option word (option_name() with aliases
/// folded), or "" for a word that is no option.
inline std::string canonical_option(mpi_flavor f, std::string_view word) {
    const std::string w = option_name(word);
    if (w.empty()) return w;
    auto fold = [&w](std::initializer_list<std::pair<const char*, const char*>> aliases) {
        for (const auto& [from, to] : aliases)
            if (w == from) return std::string(to);
        return w;
    };
    switch (f) {
        case mpi_flavor::openmpi:
            return fold({{"n", "np"},
                         {"c", "np"},
                         {"H", "hosts"},
                         {"host", "hosts"},
                         {"hostfile", "hosts"},
                         {"machinefile", "hosts"},
                         {"gmca", "mca"},
                         {"prtemca", "mca"},
                         {"pmixmca", "mca"}});
        case mpi_flavor::mpich:
        case mpi_flavor::intel:
            return fold({{"np", "n"},
                         {"perhost", "ppn"},
                         {"f", "hosts"},
                         {"hostfile", "hosts"},
                         {"machinefile", "hosts"},
                         {"machine", "hosts"},
                         {"prepend-rank", "l"},
                         {"bootstrap", "launcher"},
                         {"env", "genv"},
                         {"genvall", "genvlist"},
                         {"genvnone", "genvlist"}});
        case mpi_flavor::horovodrun:
            return fold({{"num-proc", "np"},
                         {"H", "hosts"},
                         {"hostfile", "hosts"},
                         {"network-interfaces", "network-interface"},
                         {"p", "ssh-port"},
                         {"mpi", "gloo"}});
    }
    return w;
}

/// True when `name` is one of the space-separated words of `list`.
inline bool is_listed(std::string_view list, const std::string& name) {
    std::size_t start = 0;
    while (start < list.size()) {
        auto end = list.find(' ', start);
        if (end == std::string_view::npos) end = list.size();
        if (list.substr(start, end - start) == name) return true;
        start = end + 1;
    }
    return false;
}

/// Open MPI options that Hydra rejects ("unrecognized argument"), and Hydra
/// options that Open MPI rejects ("unknown option"), by option_name().
inline bool is_open_mpi_only(mpi_flavor f, const std::string& name) {
    constexpr std::string_view open_mpi =
        "x mca gmca prtemca pmixmca allow-run-as-root tag-output timestamp-output output-filename output H host "
        "oversubscribe npernode report-bindings display-map rankfile";
    return is_listed(open_mpi, name) || (f == mpi_flavor::intel && (name == "bind-to" || name == "map-by"));
}
inline bool is_hydra_only(const std::string& name) {
    constexpr std::string_view hydra =
        "genv genvlist genvall genvnone env envlist envall envnone ppn perhost hosts f iface bootstrap "
        "bootstrap-exec bootstrap-exec-args launcher launcher-exec outfile-pattern errfile-pattern prepend-rank "
        "prepend-pattern l";
    return is_listed(hydra, name);
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/mpi_option_names.hpp
// begin file include/trainspec/render/shell_quote.hpp
// Quoting for POSIX sh: the shell line of a command is a quoting of its argv,
// never a concatenation of strings.
//
//   shell_quote("train.py")        -> train.py
//   shell_quote("two words")       -> 'two words'
//   shell_quote("it's")            -> 'it'\''s'
//   shell_quote("")                -> ''
//   shell_join({"echo", "a b"})    -> echo 'a b'
//
// A word made only of [A-Za-z0-9_@%+=:,./-] stays bare: none of these
// characters is special to sh in any position of a word (a leading '~' or a
// '#', '*', '?', '[', '$', '`', '!', ... would be, so those are quoted).
// Everything else goes between single quotes, inside which sh treats every
// byte literally; a single quote itself is written as '\'' (close, escaped
// quote, reopen). Non-ASCII bytes (UTF-8) pass through unchanged inside the
// quotes. The result is meant for sh, bash, dash, ksh and zsh in their POSIX
// modes, not for csh or fish. A NUL byte cannot be part of an argument and
// is not expected.
//
// In shell_join() the first word is the command name, where sh also reads
// `NAME=value` as an assignment and `if`, `{`, ... as reserved words: such
// a first word is quoted too, so that it still names the program.

#include <string>
#include <string_view>
#include <utility>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE

namespace detail {
constexpr bool is_shell_safe(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '@' ||
           c == '%' || c == '+' || c == '=' || c == ':' || c == ',' || c == '.' || c == '/' || c == '-';
}
}  // namespace detail

/// One argument as a POSIX sh word that reads back as exactly `word`.
std::string shell_quote(std::string_view word);

/// An argv as one sh command line: each argument quoted, joined by spaces.
/// The first word is quoted whenever sh would otherwise not take it as the
/// command name.
std::string shell_join(const std::vector<std::string>& argv);

/// shell_join(), except that `marker` within a word is written as
/// `expansion` (a sh expansion such as "$here", not quoted) and the rest of
/// the word is quoted around it: for a path that the script resolves when
/// it runs.
std::string shell_join_expanding(const std::vector<std::string>& argv, std::string_view marker,
                                 std::string_view expansion);

/// The same with several markers, each with its expansion; a word holds at
/// most one (the first found, in the list's order).
std::string shell_join_expanding(const std::vector<std::string>& argv,
                                 const std::vector<std::pair<std::string, std::string>>& expansions);

namespace detail {
/// True when sh would not read the bare word as a command name: an
/// assignment (`NAME=...`) or a reserved word.
inline bool is_special_command_word(std::string_view word) {
    static constexpr std::string_view reserved[] = {"!",     "{",     "}",        "case",   "do",   "done",  "elif",
                                                    "else",  "esac",  "fi",       "for",    "if",   "in",    "then",
                                                    "until", "while", "function", "select", "time", "coproc"};
    for (auto r : reserved)
        if (word == r) return true;
    // NAME=value, and bash's NAME+=value (an assignment there, a command in dash).
    auto name_end = word.find('=');
    if (name_end == std::string_view::npos) return false;
    if (name_end != 0 && word[name_end - 1] == '+') --name_end;
    if (name_end == 0) return false;
    if (word[0] >= '0' && word[0] <= '9') return false;
    for (std::size_t i = 0; i < name_end; ++i)
        if (!((word[i] >= 'a' && word[i] <= 'z') || (word[i] >= 'A' && word[i] <= 'Z') ||
              (word[i] >= '0' && word[i] <= '9') || word[i] == '_'))
            return false;
    return true;
}

/// `NAME=value`, the value quoted: a variable assignment for sh.
inline std::string shell_assignment(std::string_view name, std::string_view value) {
    return std::string(name) + "=" + shell_quote(value);
}
}  // namespace detail

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_INLINE std::string shell_quote(std::string_view word) {
    if (word.empty()) return "''";
    bool safe = true;
    for (char c : word)
        if (!detail::is_shell_safe(c)) {
            safe = false;
            break;
        }
    if (safe) return std::string(word);
    std::string quoted;
    quoted.reserve(word.size() + 2);
    quoted += '\'';
    for (char c : word) {
        if (c == '\'')
            quoted += "'\\''";
        else
            quoted += c;
    }
    quoted += '\'';
    return quoted;
}

TRAINSPEC_INLINE std::string shell_join(const std::vector<std::string>& argv) {
    std::string line;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        if (i != 0) line += ' ';
        auto word = shell_quote(argv[i]);
        // A bare word holds no quote, so quoting it is just wrapping it.
        if (i == 0 && word == argv[i] && detail::is_special_command_word(argv[i])) word = "'" + word + "'";
        line += word;
    }
    return line;
}

TRAINSPEC_INLINE std::string shell_join_expanding(const std::vector<std::string>& argv, std::string_view marker,
                                                  std::string_view expansion) {
    return shell_join_expanding(argv, {{std::string(marker), std::string(expansion)}});
}

TRAINSPEC_INLINE std::string shell_join_expanding(const std::vector<std::string>& argv,
                                                  const std::vector<std::pair<std::string, std::string>>& expansions) {
    std::string line;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        if (i != 0) line += ' ';
        const std::string_view word = argv[i];
        auto at = std::string_view::npos;
        const std::pair<std::string, std::string>* found = nullptr;
        for (const auto& e : expansions)
            if (i != 0 && !e.first.empty() && (at = word.find(e.first)) != std::string_view::npos) {
                found = &e;
                break;
            }
        if (found) {
            if (at > 0) line += shell_quote(word.substr(0, at));
            line += found->second;
            if (word.size() > at + found->first.size()) line += shell_quote(word.substr(at + found->first.size()));
        } else {
            line += i == 0 ? shell_join({argv[i]}) : shell_quote(word);
        }
    }
    return line;
}

TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/render/shell_quote.hpp

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// How to opt in to a trusted launcher setting, for messages.
inline constexpr std::string_view trust_opt_in =
    "allowed only when the spec sets \"mpi\": {\"trusted_launcher_settings\": true} (trainspec-gen: "
    "--trust-launcher-settings)";

/// True when the MCA parameter `name` names a program, its arguments, a
/// path, a directory or variables: Open MPI runs, loads or reads what it
/// names (plm_rsh_agent, orte_launch_agent, mca_base_param_files,
/// mca_base_env_list, ...). Derived from Open MPI 4.1's parameter list.
inline bool is_program_mca_name(std::string_view name) {
    constexpr std::string_view words[] = {
        "agent",   "args",  "argv",     "cmd",       "command", "exec", "program", "script",   "path",     "paths",
        "prefix",  "dir",   "dirs",     "directory", "tmpdir",  "file", "files",   "filename", "hostfile", "rankfile",
        "libpath", "chdir", "debugger", "xterm",     "server",  "env",  "environ", "envar",    "output",   "topology"};
    std::size_t start = 0;
    while (start <= name.size()) {
        auto end = name.find('_', start);
        if (end == std::string_view::npos) end = name.size();
        for (auto w : words)
            if (name.substr(start, end - start) == w) return true;
        start = end + 1;
    }
    return false;
}

/// Where a job variable may be set (docs/security.md): anywhere, in the
/// task only (never in front of a launcher), or nowhere.
enum class variable_reach { anywhere, task_only, refused };

inline bool has_prefix(std::string_view name, std::initializer_list<std::string_view> prefixes) {
    for (auto p : prefixes)
        if (name.substr(0, p.size()) == p) return true;
    return false;
}

/// The MCA parameter a variable sets (Open MPI, PMIx and PRRTE read
/// OMPI_MCA_name, PMIX_MCA_name, PRTE_MCA_name), or "".
inline std::string_view mca_parameter_of(std::string_view name) {
    for (std::string_view prefix : {"OMPI_MCA_", "PMIX_MCA_", "PRTE_MCA_"})
        if (name.substr(0, prefix.size()) == prefix) return name.substr(prefix.size());
    return {};
}

/// Why the job may not set `name`, or nullopt.
inline std::optional<std::string> refused_variable_rule(std::string_view name) {
    if (const auto mca = mca_parameter_of(name); !mca.empty()) {
        if (!is_program_mca_name(mca)) return std::nullopt;  // the ranks' MPI library reads it: task only
        return "sets the MCA parameter " + std::string(mca) +
               ", which names a program, a path or variables; set it in mpi.mca, which allows it with "
               "trusted_launcher_settings";
    }
    for (std::string_view shell :
         {"IFS", "BASH_ENV", "ENV", "CDPATH", "PS4", "SHELL", "SHELLOPTS", "BASHOPTS", "GLOBIGNORE", "PROMPT_COMMAND"})
        if (name == shell) return "changes how the job's shells run (every launch script and task runs through sh)";
    if (has_prefix(name, {"OMPI_", "PMIX_", "PRTE_", "HYDRA_", "MPIEXEC_"}))
        return "is read by the MPI launcher or set by it for each rank; use the mpi settings instead";
    if (has_prefix(name, {"SLURM_", "SBATCH_", "SRUN_", "SALLOC_"}))
        return "is read by Slurm's commands as their options and set by Slurm in each task";
    return std::nullopt;
}

inline variable_reach reach_of(std::string_view name) {
    if (refused_variable_rule(name)) return variable_reach::refused;
    if (name == "PATH" || name == "HOME" || has_prefix(name, {"LD_", "PYTHON", "HOROVOD_", "I_MPI_"}) ||
        !mca_parameter_of(name).empty())
        return variable_reach::task_only;
    return variable_reach::anywhere;
}

/// `env -- NAME=value...`: sets the task-only variables of `vars` for the
/// program the words precede, after every launcher has started; empty when
/// there are none.
inline std::vector<std::string> task_variable_words(const std::vector<environment_variable>& vars) {
    std::vector<std::string> words;
    for (const auto& v : vars)
        if (reach_of(v.name) == variable_reach::task_only) words.push_back(v.name + "=" + v.value);
    if (!words.empty()) words.insert(words.begin(), {"env", "--"});
    return words;
}

/// The variables that may also be in a launcher's environment: all but
/// the task-only ones.
inline std::vector<environment_variable> shared_variables(const std::vector<environment_variable>& vars) {
    std::vector<environment_variable> out;
    for (const auto& v : vars)
        if (reach_of(v.name) != variable_reach::task_only) out.push_back(v);
    return out;
}

/// `NAME=value; export NAME; ` for each task-only variable: for a command
/// line that a launcher's shell runs in each task.
inline std::string task_variable_exports(const std::vector<environment_variable>& vars) {
    std::string out;
    for (const auto& v : vars)
        if (reach_of(v.name) == variable_reach::task_only)
            out += shell_assignment(v.name, v.value) + "; export " + v.name + "; ";
    return out;
}

/// A problem of one argument of extra_args.
struct argument_problem {
    std::size_t index;
    std::string value;  ///< quoted
    std::string rule;
};

/// The MCA parameters and variables that extra_args sets (-mca NAME VALUE
/// in every spelling, -x NAME[=VALUE]), held to the rules of mpi.mca and
/// environment_variables: Open MPI copies them onto its remote daemons'
/// command line, which a shell reads.
inline std::vector<argument_problem> extra_args_problems(const std::vector<std::string>& args) {
    std::vector<argument_problem> found;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto name = option_name(args[i]);
        const bool mca = is_listed("mca gmca prtemca pmixmca omca", name);
        if (!mca && name != "x") continue;
        if (args[i].find('=') != std::string::npos) {
            found.push_back({i, quote_json(args[i]), "give the option's argument as the next word"});
            continue;
        }
        if (i + 1 >= args.size()) break;  // the launcher's own error (check_extra_args)
        const auto& key = args[i + 1];
        if (mca) {
            const auto shown = quote_json(key) + (i + 2 < args.size() ? " " + quote_json(args[i + 2]) : "");
            if (auto why = mca_name_problem(key)) found.push_back({i + 1, shown, *why});
            if (i + 2 < args.size())
                if (auto why = mca_value_problem(args[i + 2])) found.push_back({i + 2, shown, *why});
            i += 2;
            continue;
        }
        const auto equals = key.find('=');
        const auto variable = key.substr(0, equals);
        if (!is_portable_env_name(variable))
            found.push_back({i + 1, quote_json(key), std::string(portable_env_name_rule)});
        else if (auto why = refused_variable_rule(variable))
            found.push_back({i + 1, quote_json(key), variable + " " + *why});
        if (equals != std::string::npos)
            if (auto why = mca_value_problem(key.substr(equals + 1))) found.push_back({i + 1, quote_json(key), *why});
        ++i;
    }
    return found;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/launcher_settings.hpp

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// What source_directory is relative to.
inline constexpr const char* project_directory_name = "the project (the working directory)";

/// A path inside `inside` (source_directory, or the project for
/// source_directory itself): relative, no '..' component.
inline void check_relative_path(spec_rule_context& rules, const char* path, const std::string& value,
                                const char* inside = "source_directory") {
    if (value.empty()) return;
    if (value.front() == '/' || value.front() == '\\')
        rules.add(path, rules.q(value), std::string("must be relative to ") + inside);
    std::size_t start = 0;
    while (start <= value.size()) {
        auto end = value.find('/', start);
        if (end == std::string::npos) end = value.size();
        if (value.compare(start, end - start, "..") == 0) {
            rules.add(path, rules.q(value), std::string("must stay inside ") + inside + " (no '..')");
            break;
        }
        start = end + 1;
    }
    if (has_control_character(value))
        rules.add(path, rules.q(value),
                  "must not contain NUL or other control characters (line breaks and tabs split the launchers' "
                  "line-based files and logs)");
}

/// A value a program takes where a leading '-' starts an option.
inline void check_not_option(spec_rule_context& rules, const char* path, const std::string& value,
                             std::string_view program) {
    if (auto why = option_like_problem(value, program)) rules.add(path, rules.q(value), *why);
}

inline void check_paths(spec_rule_context& rules) {
    check_relative_path(rules, "entry_script", rules.spec.entry_script);
    check_not_option(rules, "entry_script", rules.spec.entry_script, "python");
    check_not_option(rules, "source_directory", rules.spec.source_directory, "cd, docker and the launchers");
    if (rules.spec.conda_dependencies_file)
        check_not_option(rules, "conda_dependencies_file", *rules.spec.conda_dependencies_file, "conda");
    if (rules.spec.pip_requirements_file)
        check_not_option(rules, "pip_requirements_file", *rules.spec.pip_requirements_file, "pip");
    if (rules.spec.conda_dependencies_file) {
        if (rules.spec.conda_dependencies_file->empty())
            rules.add("conda_dependencies_file", "\"\"", "must not be empty");
        check_relative_path(rules, "conda_dependencies_file", *rules.spec.conda_dependencies_file);
    }
    if (rules.spec.pip_requirements_file) {
        if (rules.spec.pip_requirements_file->empty()) rules.add("pip_requirements_file", "\"\"", "must not be empty");
        check_relative_path(rules, "pip_requirements_file", *rules.spec.pip_requirements_file);
    }
    // A spec travels; the directory it names is mounted into containers and
    // uploaded, so it stays inside the project (docs/security.md).
    check_relative_path(rules, "source_directory", rules.spec.source_directory, project_directory_name);
}

inline void check_environment(spec_rule_context& rules) {
    const auto& vars = rules.spec.environment_variables;
    const auto earlier = earlier_same(vars, [](const environment_variable& v) { return std::string_view(v.name); });
    for (std::size_t i = 0; i < vars.size(); ++i) {
        const auto path = fmt::format("environment_variables[{}]", rules.q(vars[i].name));
        if (!is_portable_env_name(vars[i].name))
            rules.add(path, rules.q(vars[i].value), std::string(portable_env_name_rule));
        if (vars[i].value.find('\0') != std::string::npos)
            rules.add(path, rules.q(vars[i].value), "must not contain NUL");
        if (auto why = refused_variable_rule(vars[i].name))
            rules.add(path, rules.q(vars[i].value), vars[i].name + " " + *why);
        if (vars[i].name == "TF_CONFIG" &&
            (rules.is(backend_kind::parameter_server) || rules.is(backend_kind::multi_worker)))
            rules.add(path, rules.q(vars[i].value),
                      "is written by trainspec for every task of a ps or multi_worker job");
        if (earlier[i] != std::string_view::npos) rules.add(path, rules.q(vars[i].value), "is set twice");
    }
}

inline void check_script_params(spec_rule_context& rules) {
    for (const auto& [key, value] : rules.spec.params) {
        const auto path = fmt::format("script_params[{}]", rules.q(key));
        const auto shown = std::visit(value_json_text{}, value.get());
        if (key.empty()) rules.add(path, shown, "the key must not be empty");
        if (key.find('\0') != std::string::npos) rules.add(path, shown, "the key must not contain NUL");
        if (key.find('\x01') != std::string::npos)
            rules.add(path, shown, "the key must not contain U+0001, a control character the renderers reserve");
        auto check_scalar = [&](const auto& v) {
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, double>) {
                if (!std::isfinite(v)) rules.add(path, shown, "a number must be finite");
            } else if constexpr (std::is_same_v<V, std::string>) {
                if (v.find('\0') != std::string::npos) rules.add(path, shown, "must not contain NUL");
                if (v.find('\x01') != std::string::npos)
                    rules.add(path, shown, "must not contain U+0001, a control character the renderers reserve");
            }
        };
        std::visit(
            [&](const auto& v) {
                using V = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<V, param_value::list>) {
                    if (v.empty()) rules.add(path, shown, "a list needs at least one element (null gives a bare flag)");
                    for (const auto& item : v) std::visit(check_scalar, item.get());
                } else {
                    check_scalar(v);
                }
            },
            value.get());
    }
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/source_rules.hpp

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline void check_framework(spec_rule_context& rules) {
    if (rules.spec.framework_version && !is_supported_framework_version(*rules.spec.framework_version))
        rules.add("framework_version", rules.q(*rules.spec.framework_version),
                  "unsupported; supported versions: " + supported_framework_versions_text());
    if (rules.is(backend_kind::multi_worker) && framework_major(effective_framework_version(rules.spec)) < 2 &&
        is_supported_framework_version(effective_framework_version(rules.spec)))
        rules.add("framework_version", rules.q(effective_framework_version(rules.spec)),
                  "distributed_backend " + rules.name_of(backend_kind::multi_worker) +
                      " (MultiWorkerMirroredStrategy) needs TensorFlow 2.0 or later");
}

/// Each entry one package specifier of its installer (`spec_problem`):
/// never an option, an index or a URL of it (docs/spec.md).
inline void check_package_list(spec_rule_context& rules, const char* field, const std::vector<std::string>& list,
                               std::optional<std::string> (*spec_problem)(std::string_view)) {
    const auto earlier = earlier_same(list, [](const std::string& p) { return std::string_view(p); });
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto path = fmt::format("{}[{}]", field, i);
        const auto& p = list[i];
        const bool control = has_control_character(p);
        if (p.empty() || p.find_first_not_of(' ') == std::string::npos)
            rules.add(path, rules.q(p), "must name a package");
        else if (p.front() == ' ' || p.back() == ' ')
            rules.add(path, rules.q(p), "must not start or end with a space");
        else if (control)
            rules.add(path, rules.q(p), "must not contain control characters (one package per entry)");
        else if (auto why = spec_problem(p))
            rules.add(path, rules.q(p), *why);
        if (earlier[i] != std::string_view::npos)
            rules.add(path, rules.q(p), fmt::format("duplicates {}[{}]", field, earlier[i]));
    }
}

inline void check_packages(spec_rule_context& rules) {
    check_package_list(rules, "conda_packages", rules.spec.conda_packages, conda_match_spec_problem);
    check_package_list(rules, "pip_packages", rules.spec.pip_packages, pip_requirement_problem);
    if (rules.spec.conda_dependencies_file) {
        const auto v = rules.q(*rules.spec.conda_dependencies_file);
        if (!rules.spec.conda_packages.empty())
            rules.add("conda_dependencies_file", v, "conflicts with conda_packages: list them in the file");
        if (!rules.spec.pip_packages.empty())
            rules.add("conda_dependencies_file", v, "conflicts with pip_packages: list them in the file's pip section");
        if (rules.spec.pip_requirements_file)
            rules.add("conda_dependencies_file", v,
                      "conflicts with pip_requirements_file: list the requirements in the file's pip section");
    }
    if (effective_user_managed(rules.spec)) {
        auto conflict = [&](bool present, const char* field) {
            if (present)
                rules.add("user_managed", "true",
                          fmt::format("the image already has everything; {} would be ignored", field));
        };
        conflict(!rules.spec.conda_packages.empty(), "conda_packages");
        conflict(!rules.spec.pip_packages.empty(), "pip_packages");
        conflict(rules.spec.conda_dependencies_file.has_value(), "conda_dependencies_file");
        conflict(rules.spec.pip_requirements_file.has_value(), "pip_requirements_file");
    }
}

inline void check_container(spec_rule_context& rules) {
    const bool docker = effective_use_docker(rules.spec);
    if (rules.spec.custom_docker_image) {
        if (!docker)
            rules.add("custom_docker_image", rules.q(*rules.spec.custom_docker_image), "needs use_docker = true");
        if (auto why = image_reference_problem(*rules.spec.custom_docker_image))
            rules.add("custom_docker_image", rules.q(*rules.spec.custom_docker_image), std::string(*why));
    }
    if (rules.spec.shm_size) {
        if (!parse_docker_size(*rules.spec.shm_size))
            rules.add("shm_size", rules.q(*rules.spec.shm_size),
                      "must be a number greater than 0 with an optional unit b, k, m or g (Docker's --shm-size)");
        if (!docker)
            rules.add("shm_size", rules.q(*rules.spec.shm_size),
                      "is container shared memory and needs use_docker = true");
    }
}

/// onnx_export: relative paths (inside the run's directory) and an opset
/// tf2onnx converts to.
inline void check_onnx_export(spec_rule_context& rules) {
    if (!rules.spec.onnx_export) return;
    const auto& o = *rules.spec.onnx_export;
    for (auto [path, field] :
         {std::pair{"onnx_export.saved_model", &o.saved_model}, {"onnx_export.output", &o.output}}) {
        if (!*field) continue;
        if ((*field)->empty()) rules.add(path, "\"\"", "must not be empty");
        check_relative_path(rules, path, **field);
    }
    if (o.saved_model && o.output && *o.saved_model == *o.output && !o.output->empty())
        rules.add("onnx_export.output", rules.q(*o.output), "must differ from onnx_export.saved_model");
    if (o.opset && (*o.opset < min_onnx_opset || *o.opset > max_onnx_opset))
        rules.add("onnx_export.opset", rules.n(*o.opset),
                  fmt::format("must be an ONNX opset from {} to {} (tf2onnx's range)", min_onnx_opset, max_onnx_opset));
    if (rules.spec.writable_source_directory == false)
        rules.add("writable_source_directory", "false",
                  "onnx_export writes its SavedModel and ONNX file into the source directory; it must be writable");
}

/// Where the built image goes, what it can be built with, and how Slurm
/// reaches it.
inline void check_image(spec_rule_context& rules) {
    const bool docker = effective_use_docker(rules.spec);
    if (rules.spec.image_registry) {
        const auto& r = *rules.spec.image_registry;
        if (auto why = image_repository_problem(r)) rules.add("image_registry", rules.q(r), std::string(*why));
        if (!docker && rules.known("use_docker"))
            rules.add("image_registry", rules.q(r), "is where the job's image goes; the job has use_docker = false");
        else if (effective_user_managed(rules.spec) && rules.known("user_managed"))
            rules.add("image_registry", rules.q(r),
                      "is where the job's built image goes; a user_managed job runs its image as it is");
    }
    if (rules.spec.slurm_environment && rules.all_known("use_docker", "user_managed", "pip_requirements_file"))
        if (auto why = slurm_environment_problem(rules.spec, *rules.spec.slurm_environment))
            rules.add("slurm_environment", rules.q(enum_name(*rules.spec.slurm_environment)), *why);
}

/// The releases the job's environment installs, from the table of the
/// ones known to work with its TensorFlow (images.hpp).
inline void check_release_pins(spec_rule_context& rules) {
    if (effective_user_managed(rules.spec) || !rules.all_known("framework_version", "user_managed")) return;
    const auto version = effective_framework_version(rules.spec);
    if (!is_supported_framework_version(version)) return;
    const auto& pins = framework_image_for(version);
    if (rules.is(backend_kind::mpi) && pins.horovod.empty())
        rules.add("framework_version", rules.q(version),
                  "has no Horovod release known to build against it (Horovod " +
                      release_ranges(&framework_image::horovod) +
                      "; 2.16 moved to Keras 3): use such a version, or user_managed with an image that has Horovod");
    if (!rules.spec.onnx_export) return;
    if (pins.tf2onnx.empty())
        rules.add("onnx_export", "",
                  "has no tf2onnx release known to convert TensorFlow " + version + " (tf2onnx " +
                      release_ranges(&framework_image::tf2onnx) +
                      "): use such a version, or user_managed with an image that has tf2onnx");
    else if (effective_onnx_opset(rules.spec) > tf2onnx_max_opset(pins.tf2onnx))
        rules.add("onnx_export.opset", rules.n(effective_onnx_opset(rules.spec)),
                  fmt::format("tf2onnx {}, the release for TensorFlow {}, converts to opset {} at most", pins.tf2onnx,
                              version, tf2onnx_max_opset(pins.tf2onnx)));
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/environment_rules.hpp
// begin file include/trainspec/detail/limit_rules.hpp
// validate()'s ceilings (spec/limits.hpp): the tasks and hosts of a job, the
// entries of its lists, and the bytes of its paths, keys, arguments and of
// the command line a task's execve takes. Checked before any plan or render;
// each number and its source: docs/limits.md.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>

// begin file include/trainspec/detail/limit_text.hpp
// How problems name the byte ceilings of spec/limits.hpp (docs/limits.md):
// one wording wherever a rule refers to them.

#include <string_view>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline constexpr std::string_view path_limit_text = "a path (Linux's PATH_MAX, 4096, counts its NUL)";
inline constexpr std::string_view argument_limit_text =
    "one argument or environment string (Linux's MAX_ARG_STRLEN, 131072, counts its NUL)";
inline constexpr std::string_view key_limit_text = "a name (a key of the spec)";

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/limit_text.hpp

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// A size as a problem shows it, instead of a value too long to repeat.
inline std::string byte_count(std::size_t n) { return fmt::format("{} bytes", n); }

/// `what` is one of: a path, an argument, a key.
inline void check_bytes(spec_rule_context& rules, const std::string& path, std::size_t bytes, std::size_t max,
                        std::string_view what) {
    if (bytes > max)
        rules.add(path, byte_count(bytes), fmt::format("{} has at most {} bytes (docs/limits.md)", what, max));
}

inline void check_path_bytes(spec_rule_context& rules, const std::string& path, const std::string& value) {
    check_bytes(rules, path, value.size(), max_path_bytes, path_limit_text);
}
inline void check_argument_bytes(spec_rule_context& rules, const std::string& path, std::size_t bytes) {
    check_bytes(rules, path, bytes, max_argument_bytes, argument_limit_text);
}
inline void check_key_bytes(spec_rule_context& rules, const std::string& path, const std::string& key) {
    check_bytes(rules, path, key.size(), max_key_bytes, key_limit_text);
}

inline void check_entries(spec_rule_context& rules, const std::string& path, std::size_t count) {
    if (count > max_list_entries)
        rules.add(path, fmt::format("{} entries", count),
                  fmt::format("a list has at most {} entries (docs/limits.md)", max_list_entries));
}

/// Tasks, counted as the plan counts them; the problem names the count
/// that contributes most.
inline void check_task_count(spec_rule_context& rules) {
    if (!rules.task_count_known()) return;
    const auto& s = rules.spec;
    const auto tasks = effective_task_count(s);
    if (tasks <= max_tasks) return;
    std::pair<const char*, int> largest{"node_count", effective_node_count(s)};
    switch (effective_backend(s)) {
        case backend_kind::mpi:
            if (effective_process_count_per_node(s) > largest.second)
                largest = {"process_count_per_node", effective_process_count_per_node(s)};
            break;
        case backend_kind::parameter_server:
            largest = {"worker_count", effective_worker_count(s)};
            if (effective_parameter_server_count(s) > largest.second)
                largest = {"parameter_server_count", effective_parameter_server_count(s)};
            break;
        case backend_kind::multi_worker:
            if (s.worker_count) largest = {"worker_count", *s.worker_count};
            break;
        case backend_kind::single_node:
            break;
    }
    rules.add(largest.first, rules.n(largest.second),
              fmt::format("the job would start {} tasks; a job has at most {} (docs/limits.md)", tasks, max_tasks));
}

/// What execve counts for the job's own words on a task's command line
/// (the launcher's are not the job's) and for its variables, by the field
/// each part comes from (the largest names the problem).
class command_line_bytes {
public:
    void add(const char* field, std::size_t bytes) {
        const auto counted = bytes + execve_bytes_per_string;
        total_ += counted;
        for (auto& part : parts_)
            if (part.first == field) {
                part.second += counted;
                return;
            }
        parts_.emplace_back(field, counted);
    }
    std::size_t total() const noexcept { return total_; }
    const std::pair<std::string_view, std::size_t>& largest() const {
        return *std::max_element(parts_.begin(), parts_.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
    }

private:
    std::size_t total_ = 0;
    std::vector<std::pair<std::string_view, std::size_t>> parts_;
};

/// The longest argument a swept parameter's values render to (a drawn
/// number is at most 24 characters, as repr() writes a double).
inline std::size_t longest_swept_value(const sweep_parameter& p) {
    std::size_t longest = 24;
    for (const auto& v : p.value.values) longest = std::max(longest, to_argument(v).size());
    return longest;
}

inline void check_command_line(spec_rule_context& rules) {
    const auto& s = rules.spec;
    command_line_bytes line;
    if (s.mpi && s.mpi->command_prefix)
        for (const auto& word : *s.mpi->command_prefix) line.add("mpi.command_prefix", word.size());
    line.add("entry_script", s.entry_script.size());
    for (const auto& argument : to_argv(s.params)) line.add("script_params", argument.size());
    if (s.sweep)
        for (const auto& p : s.sweep->search_space) {
            line.add("sweep.search_space", p.name.size());
            line.add("sweep.search_space", longest_swept_value(p));
        }
    if (s.mpi)
        for (const auto& word : s.mpi->extra_args) line.add("mpi.extra_args", word.size());
    for (const auto& v : s.environment_variables) line.add("environment_variables", v.name.size() + 1 + v.value.size());
    if (line.total() <= max_command_line_bytes) return;
    const auto& [field, bytes] = line.largest();
    rules.add(std::string(field), byte_count(bytes),
              fmt::format("a task's command line and environment would take {} bytes as execve counts them (each "
                          "string, its NUL and a pointer); trainspec allows at most {} (docs/limits.md)",
                          line.total(), max_command_line_bytes));
}

inline void check_script_param_limits(spec_rule_context& rules) {
    check_entries(rules, "script_params", rules.spec.params.size());
    for (const auto& [key, value] : rules.spec.params) {
        const auto path = fmt::format("script_params[{}]", rules.q(key));
        check_key_bytes(rules, path, key);
        std::size_t longest = key.size();
        std::visit(
            [&](const auto& v) {
                using V = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<V, param_value::list>) {
                    for (const auto& item : v) longest = std::max(longest, to_argument(item).size());
                } else if constexpr (!std::is_same_v<V, std::nullptr_t>) {
                    longest = std::max(longest, to_argument(param_scalar(v)).size());
                }
            },
            value.get());
        check_argument_bytes(rules, path, longest);
    }
}

inline void check_sweep_limits(spec_rule_context& rules) {
    if (!rules.spec.sweep) return;
    const auto& space = rules.spec.sweep->search_space;
    check_entries(rules, "sweep.search_space", space.size());
    for (const auto& p : space) {
        const auto path = fmt::format("sweep.search_space[{}]", rules.q(p.name));
        check_key_bytes(rules, path, p.name);
        check_entries(rules, path + ".values", p.value.values.size());
        check_argument_bytes(rules, path, longest_swept_value(p));
    }
    if (const auto& objective = rules.spec.sweep->objective; objective && objective->primary_metric)
        check_argument_bytes(rules, "sweep.objective.primary_metric", objective->primary_metric->size());
}

inline void check_mpi_limits(spec_rule_context& rules) {
    if (!rules.spec.mpi) return;
    const auto& m = *rules.spec.mpi;
    check_entries(rules, "mpi.mca", m.mca.size());
    for (const auto& p : m.mca) {
        const auto path = fmt::format("mpi.mca[{}]", rules.q(p.name));
        check_key_bytes(rules, path, p.name);
        if (p.value) check_argument_bytes(rules, path, p.value->size());
    }
    auto words = [&](const char* field, const std::vector<std::string>& list) {
        check_entries(rules, field, list.size());
        for (std::size_t i = 0; i < list.size(); ++i)
            check_argument_bytes(rules, fmt::format("{}[{}]", field, i), list[i].size());
    };
    words("mpi.extra_args", m.extra_args);
    if (m.command_prefix) words("mpi.command_prefix", *m.command_prefix);
    for (auto [path, field] : {std::pair{"mpi.bind_to", &m.bind_to}, {"mpi.map_by", &m.map_by}})
        if (*field && **field) check_argument_bytes(rules, path, (**field)->size());
}

/// Every ceiling of docs/limits.md that a spec's own values can reach.
inline void check_limits(spec_rule_context& rules) {
    const auto& s = rules.spec;
    check_task_count(rules);
    if (s.target) {
        if (auto why = host_count_problem(s.target->hosts.size()))
            rules.add("compute_target.hosts", fmt::format("{} hosts", s.target->hosts.size()), *why);
        check_argument_bytes(rules, "compute_target.name", s.target->name.size());
    }
    check_path_bytes(rules, "source_directory", s.source_directory);
    check_path_bytes(rules, "entry_script", s.entry_script);
    if (s.conda_dependencies_file) check_path_bytes(rules, "conda_dependencies_file", *s.conda_dependencies_file);
    if (s.pip_requirements_file) check_path_bytes(rules, "pip_requirements_file", *s.pip_requirements_file);
    if (s.onnx_export) {
        if (s.onnx_export->saved_model) check_path_bytes(rules, "onnx_export.saved_model", *s.onnx_export->saved_model);
        if (s.onnx_export->output) check_path_bytes(rules, "onnx_export.output", *s.onnx_export->output);
    }
    for (auto [path, field] :
         {std::pair{"vm_size", &s.vm_size}, {"vm_priority", &s.vm_priority}, {"shm_size", &s.shm_size}})
        if (*field) check_argument_bytes(rules, path, (*field)->size());
    if (s.tf_config && s.tf_config->rpc_layer)
        check_argument_bytes(rules, "tf_config.rpc_layer", s.tf_config->rpc_layer->size());
    for (auto [path, list] : {std::pair{"conda_packages", &s.conda_packages}, {"pip_packages", &s.pip_packages}}) {
        check_entries(rules, path, list->size());
        for (std::size_t i = 0; i < list->size(); ++i)
            check_argument_bytes(rules, fmt::format("{}[{}]", path, i), (*list)[i].size());
    }
    check_entries(rules, "environment_variables", s.environment_variables.size());
    for (const auto& v : s.environment_variables) {
        const auto path = fmt::format("environment_variables[{}]", rules.q(v.name));
        check_key_bytes(rules, path, v.name);
        check_argument_bytes(rules, path, v.name.size() + 1 + v.value.size());
    }
    check_script_param_limits(rules);
    check_sweep_limits(rules);
    check_mpi_limits(rules);
    check_command_line(rules);
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/limit_rules.hpp
// begin file include/trainspec/detail/mpi_rules.hpp
// The rules of the spec's `mpi` object: settings the job's MPI flavor
// cannot honour are errors, not silently dropped (docs/mpi.md).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// One word for a launcher's command line: not empty, no whitespace or
/// control characters.
inline void check_launcher_word(spec_rule_context& rules, const std::string& path, const std::string& value,
                                const char* if_empty) {
    if (value.empty()) {
        rules.add(path, "\"\"", if_empty);
        return;
    }
    if (value.find(' ') != std::string::npos || has_control_character(value))
        rules.add(path, rules.q(value), "must be one word, without whitespace or control characters");
}

/// An argument list (extra_args, command_prefix): no empty argument, no NUL.
inline void check_arguments(spec_rule_context& rules, const char* field, const std::vector<std::string>& args) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto path = fmt::format("{}[{}]", field, i);
        if (args[i].empty()) rules.add(path, "\"\"", "must not be empty");
        if (args[i].find('\0') != std::string::npos) rules.add(path, rules.q(args[i]), "must not contain NUL");
    }
}

/// mpi: how an mpi job is launched. Settings that the job's flavor
/// cannot honour are errors, not silently dropped.
inline void check_mpi(spec_rule_context& rules) {
    if (!rules.spec.mpi) return;
    if (!rules.applies(spec_key::mpi) && rules.known("distributed_backend")) {
        rules.add("mpi", "",
                  fmt::format("applies only to distributed_backend {} (backend is {}); other jobs start no MPI "
                              "launcher",
                              rules.name_of(backend_kind::mpi), rules.backend_text()));
        return;
    }
    const auto& m = *rules.spec.mpi;
    const auto flavor = effective_mpi_flavor(rules.spec);
    const bool flavor_known = rules.known("mpi.flavor");
    const auto flavor_text = rules.q(enum_name(flavor));

    if (m.network_interface) {
        const auto& nic = *m.network_interface;
        if (auto why = network_interface_problem(nic)) rules.add("mpi.network_interface", rules.q(nic), *why);
        for (const auto& v : rules.spec.environment_variables)
            if (v.name == "NCCL_SOCKET_IFNAME") {
                rules.add("mpi.network_interface", rules.q(nic),
                          "also sets NCCL_SOCKET_IFNAME, which environment_variables sets too; set one of them");
                break;
            }
    }
    if (m.ssh_port) {
        if (auto why = tcp_port_problem(*m.ssh_port))
            rules.add("mpi.ssh_port", rules.n(*m.ssh_port), *why);
        else if (flavor_known && flavor == mpi_flavor::mpich)
            rules.add("mpi.ssh_port", rules.n(*m.ssh_port),
                      std::string(mpich_ssh_port_rule) + " (flavor is " + flavor_text + ")");
    }
    if (m.open_mpi_major) {
        if (*m.open_mpi_major != 4 && *m.open_mpi_major != 5)
            rules.add("mpi.open_mpi_major", rules.n(*m.open_mpi_major), "must be 4 or 5");
        else if (flavor_known && flavor != mpi_flavor::openmpi)
            rules.add("mpi.open_mpi_major", rules.n(*m.open_mpi_major),
                      fmt::format("applies only to flavor {} (flavor is {})", rules.name_of(mpi_flavor::openmpi),
                                  flavor_text));
    }
    for (auto [path, field] : {std::pair{"mpi.bind_to", &m.bind_to}, {"mpi.map_by", &m.map_by}}) {
        if (!*field || !**field) continue;  // unset, or null: the flag left out
        const auto& value = ***field;
        check_launcher_word(rules, path, value, "must not be empty; null leaves the flag out");
        if (!flavor_known || value.empty()) continue;
        if (flavor == mpi_flavor::intel)
            rules.add(path, rules.q(value),
                      "Intel MPI gets no binding arguments (it pins with I_MPI_PIN_*; flavor is " + flavor_text + ")");
        else if (flavor == mpi_flavor::horovodrun)
            rules.add(path, rules.q(value),
                      "horovodrun applies Horovod's binding itself (flavor is " + flavor_text + ")");
    }
    const bool trusted = m.trusted_launcher_settings.value_or(false);
    const auto earlier = earlier_same(m.mca, [](const auto& p) { return std::string_view(p.name); });
    for (std::size_t i = 0; i < m.mca.size(); ++i) {
        const auto& [name, value] = m.mca[i];
        const auto path = fmt::format("mpi.mca[{}]", rules.q(name));
        const auto shown = value ? rules.q(*value) : std::string("null");
        if (auto why = mca_name_problem(name)) rules.add(path, shown, *why);
        if (earlier[i] != std::string_view::npos) rules.add(path, shown, "is set twice");
        if (!value) continue;  // removes a default
        if (auto why = mca_value_problem(*value)) {
            rules.add(path, shown, *why);
        } else if (!trusted && is_program_mca_name(name)) {
            rules.add(path, shown,
                      "names a program, its arguments, a path or variables that Open MPI runs or reads with the "
                      "operator's privileges; " +
                          std::string(trust_opt_in));
        } else if (flavor_known && flavor != mpi_flavor::openmpi) {
            rules.add(path, shown, fmt::format("MCA parameters are Open MPI's; flavor {} has none", flavor_text));
        }
    }
    // Open MPI's TCP transport refuses an include list and an exclude
    // list together ("Only one of these can be set").
    const auto mca_value = [&m](std::string_view name) -> const std::optional<std::string>* {
        for (const auto& p : m.mca)
            if (p.name == name && p.value) return &p.value;
        return nullptr;
    };
    if (flavor == mpi_flavor::openmpi)
        for (const auto& derived : derived_mca_parameters(m.open_mpi_major.value_or(4) >= 5, m.ssh_port.has_value(),
                                                          m.network_interface.has_value(), false))
            if (const auto* value = mca_value(derived.name))
                rules.add(fmt::format("mpi.mca[{}]", rules.q(derived.name)), rules.q(**value),
                          derived_mca_rule(derived));
    if (const auto* exclude = mca_value("btl_tcp_if_exclude")) {
        if (m.network_interface)
            rules.add("mpi.mca[\"btl_tcp_if_exclude\"]", rules.q(**exclude),
                      "network_interface sets btl_tcp_if_include, and Open MPI takes only one of include and exclude");
        else if (mca_value("btl_tcp_if_include"))
            rules.add("mpi.mca[\"btl_tcp_if_exclude\"]", rules.q(**exclude),
                      "Open MPI takes only one of btl_tcp_if_include and btl_tcp_if_exclude");
    }
    check_arguments(rules, "mpi.extra_args", m.extra_args);
    for (const auto& p : extra_args_problems(m.extra_args))
        rules.add(fmt::format("mpi.extra_args[{}]", p.index), p.value, p.rule);
    if (m.command_prefix) check_arguments(rules, "mpi.command_prefix", *m.command_prefix);
    if (trusted) return;
    // Arbitrary argv for the launcher, or the program every rank runs.
    const auto list = [](const std::vector<std::string>& args) { return "[" + join(args, ", ", quote_json) + "]"; };
    if (!m.extra_args.empty() && rules.known("mpi.extra_args"))
        rules.add("mpi.extra_args", list(m.extra_args),
                  "are arguments for the launcher, which can run any program with the operator's privileges; " +
                      std::string(trust_opt_in));
    if (m.command_prefix && !m.command_prefix->empty() && rules.known("mpi.command_prefix"))
        rules.add("mpi.command_prefix", list(*m.command_prefix),
                  "is the program every rank runs, with the operator's privileges; " + std::string(trust_opt_in));
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/mpi_rules.hpp
// begin file include/trainspec/detail/sweep_rules.hpp
// The rules of the spec's `sweep` object: what HyperDrive and Azure ML v2
// accept (docs/sweeps.md gives the sources). Engine-specific limits (Katib,
// Slurm arrays, Azure ML's trial count) are checked where that engine's
// artifact is rendered.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <variant>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

// begin file include/trainspec/detail/distribution_members.hpp
// The shape of each search expression type (docs/sweeps.md): the members it
// takes and how a draw is made of them.


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// Which members an expression takes, besides `type`; `exponent`: the draw
/// is exp() of the range or normal value (the log-variants).
struct distribution_members {
    bool values = false, upper = false, range = false, normal = false, q = false, exponent = false;
};

constexpr distribution_members members_of(distribution_kind kind) noexcept {
    switch (kind) {
        case distribution_kind::choice:
            return {true, false, false, false, false, false};
        case distribution_kind::randint:
            return {false, true, false, false, false, false};
        case distribution_kind::uniform:
            return {false, false, true, false, false, false};
        case distribution_kind::quniform:
            return {false, false, true, false, true, false};
        case distribution_kind::loguniform:
            return {false, false, true, false, false, true};
        case distribution_kind::qloguniform:
            return {false, false, true, false, true, true};
        case distribution_kind::normal:
            return {false, false, false, true, false, false};
        case distribution_kind::qnormal:
            return {false, false, false, true, true, false};
        case distribution_kind::lognormal:
            return {false, false, false, true, false, true};
        case distribution_kind::qlognormal:
            return {false, false, false, true, true, true};
    }
    return {};
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/distribution_members.hpp
// begin file include/trainspec/detail/sweep_draw.hpp
// One random draw of a search expression (docs/sweeps.md, "Random"), and
// the bounds of its draws, which validation holds to finite numbers.

#include <cmath>
#include <cstdint>
#include <utility>
#include <variant>

// begin file include/trainspec/detail/sweep_random.hpp
// The random draws of a sweep, the same on every platform and standard
// library: SplitMix64 streams and our own transforms (the standard's
// distributions differ between libraries). docs/sweeps.md states the
// algorithm, so that any implementation can reproduce the trials.

#include <cmath>
#include <cstdint>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// SplitMix64's output function (Steele, Lea and Flood, 2014).
constexpr std::uint64_t splitmix64_mix(std::uint64_t z) noexcept {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

inline constexpr std::uint64_t splitmix64_gamma = 0x9E3779B97F4A7C15ULL;

/// The draws of one parameter of one trial: a SplitMix64 stream whose
/// state starts at mix(mix(mix(seed) + trial) + parameter), so that any
/// trial is computed alone, in any order.
class sweep_stream {
public:
    constexpr sweep_stream(std::uint64_t seed, std::uint64_t trial, std::uint64_t parameter) noexcept
        : state_(splitmix64_mix(splitmix64_mix(splitmix64_mix(seed) + trial) + parameter)) {}

    constexpr std::uint64_t next() noexcept { return splitmix64_mix(state_ += splitmix64_gamma); }

    /// [0, 1): the top 53 bits.
    double unit() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

    /// [0, n), unbiased: draws below 2^64 mod n are drawn again.
    std::uint64_t below(std::uint64_t n) noexcept {
        const std::uint64_t threshold = (0 - n) % n;
        for (;;) {
            const std::uint64_t r = next();
            if (r >= threshold) return r % n;
        }
    }

    /// [low, high).
    double uniform(double low, double high) noexcept { return low + (high - low) * unit(); }

    /// N(mu, sigma) by Marsaglia's polar method. Each round is accepted with
    /// probability pi/4; after 1000 rounds (never, in practice) mu.
    double normal(double mu, double sigma) noexcept {
        for (int round = 0; round < 1000; ++round) {
            const double u = 2 * unit() - 1;
            const double v = 2 * unit() - 1;
            const double s = u * u + v * v;
            if (s > 0 && s < 1) return mu + sigma * u * std::sqrt(-2 * std::log(s) / s);
        }
        return mu;
    }

private:
    std::uint64_t state_;
};

/// The largest unit().
inline constexpr double max_unit = 1 - 0x1.0p-53;

/// A bound on |normal(0, 1)|: u and v are multiples of 2^-52, so s is at
/// least 2^-104, and |u| <= sqrt(s) gives |z| <= sqrt(-2 ln 2^-104) = 12.0073.
inline constexpr double max_standard_normal = 12.01;

/// round(x / q) * q with ties to even, as numpy.round (hyperopt's q-variants).
inline double quantize(double x, double q) noexcept { return std::nearbyint(x / q) * q; }

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/sweep_random.hpp

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// A continuous draw from its uniform or normal value: exp() for the
/// log-variants, then quantised for the q-variants.
inline double finish_draw(const search_distribution& d, double x) {
    const auto members = members_of(*d.type);
    if (members.exponent) x = std::exp(x);
    return members.q ? quantize(x, d.q.value_or(1)) : x;
}

/// Trial `trial`'s draw of one expression of a random sweep.
inline param_value draw(const search_distribution& d, sweep_stream stream) {
    switch (*d.type) {
        case distribution_kind::choice: {
            const auto& value = d.values[stream.below(d.values.size())].get();
            return std::visit([](const auto& v) { return param_value(v); }, value);
        }
        case distribution_kind::randint:
            return static_cast<std::int64_t>(stream.below(static_cast<std::uint64_t>(*d.upper)));
        default:
            break;
    }
    return finish_draw(d, members_of(*d.type).range ? stream.uniform(d.min_value.value_or(0), d.max_value.value_or(0))
                                                    : stream.normal(d.mu.value_or(0), d.sigma.value_or(1)));
}

/// The least and greatest value draw() gives a continuous expression whose
/// members are present and valid: every step after the unit or normal value
/// is monotone, so these are the steps applied to its extremes. NaN or an
/// infinity here means some draw is not a finite number.
inline std::pair<double, double> draw_bounds(const search_distribution& d) {
    double low = 0, high = 0;
    if (members_of(*d.type).range) {
        low = *d.min_value + (*d.max_value - *d.min_value) * 0.0;
        high = *d.min_value + (*d.max_value - *d.min_value) * max_unit;
    } else {
        low = *d.mu - *d.sigma * max_standard_normal;
        high = *d.mu + *d.sigma * max_standard_normal;
    }
    return {finish_draw(d, low), finish_draw(d, high)};
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/sweep_draw.hpp

TRAINSPEC_BEGIN_NAMESPACE

namespace detail {

/// What Bayesian sampling takes (HyperDrive and Azure ML v2).
constexpr bool bayesian_takes(distribution_kind kind) noexcept {
    return kind == distribution_kind::choice || kind == distribution_kind::uniform ||
           kind == distribution_kind::quniform;
}

class sweep_rules {
public:
    explicit sweep_rules(spec_rule_context& rules) : rules_(rules) {
        if (rules_.spec.sweep)
            for (const auto& fixed : rules_.spec.params) fixed_keys_.insert(fixed.key);
    }

    void check() {
        if (!rules_.spec.sweep || !rules_.known("sweep")) return;
        const auto& sweep = *rules_.spec.sweep;
        check_sampling(sweep);
        if (sweep.search_space.empty() && rules_.known("sweep.search_space"))
            rules_.add("sweep.search_space", "", "is required: at least one parameter to sweep");
        const auto earlier =
            earlier_same(sweep.search_space, [](const sweep_parameter& p) { return std::string_view(p.name); });
        for (std::size_t i = 0; i < sweep.search_space.size(); ++i)
            check_parameter(sweep, sweep.search_space[i], earlier[i] != std::string_view::npos);
        check_objective(sweep);
        check_limits(sweep);
        check_termination(sweep);
    }

private:
    static std::string number(double v) { return nlohmann::json(v).dump(); }

    void check_sampling(const sweep_settings& sweep) {
        const std::string path = "sweep.sampling_algorithm";
        if (!rules_.known(path)) return;
        if (!sweep.sampling) {
            rules_.add(path, "", "is required: " + enum_name_list<sampling_kind>());
            return;
        }
        const auto& sampling = *sweep.sampling;
        if (!sampling.type) {
            if (rules_.known(path + ".type")) rules_.add(path + ".type", "", "is required");
            return;
        }
        const bool random = *sampling.type == sampling_kind::random;
        if (sampling.seed) {
            if (!random)
                rules_.add(path + ".seed", rules_.n(*sampling.seed), "applies to random sampling only");
            else if (*sampling.seed < 0 || *sampling.seed > max_sweep_seed)
                rules_.add(path + ".seed", rules_.n(*sampling.seed),
                           "must be from 0 to " + rules_.n(max_sweep_seed) +
                               " (numpy.random.RandomState's seeds, which Katib's random_state is)");
        }
        if (sampling.rule && !random)
            rules_.add(path + ".rule", rules_.name_of(*sampling.rule), "applies to random sampling only");
    }

    void check_parameter(const sweep_settings& sweep, const sweep_parameter& parameter, bool repeated) {
        const std::string path = "sweep.search_space[" + rules_.q(parameter.name) + "]";
        if (!rules_.known(path)) return;
        if (repeated) rules_.add(path, "", "is swept twice; a parameter has one search expression");
        if (parameter.name.empty()) rules_.add(path, "", "the parameter name must not be empty");
        if (parameter.name.find('\0') != std::string::npos)
            rules_.add(path, "", "the parameter name must not contain NUL");
        if (parameter.name.find('\x01') != std::string::npos)
            rules_.add(path, "",
                       "the parameter name must not contain U+0001, a control character the renderers reserve");
        if (fixed_keys_.count(parameter.name) != 0)
            rules_.add(path, "",
                       "is also in script_params; a parameter is either fixed (script_params) or swept "
                       "(search_space)");
        const auto& d = parameter.value;
        if (!d.type) {
            if (rules_.known(path + ".type"))
                rules_.add(path + ".type", "", "is required: " + enum_name_list<distribution_kind>());
            return;
        }
        const auto type = *d.type;
        const std::string type_name(enum_name(type));
        const auto takes = members_of(type);
        auto member = [&](bool set, bool taken, const char* name, const std::string& value) {
            const std::string at = path + "." + name;
            if (set && !taken) rules_.add(at, value, "does not apply to " + type_name);
            if (!set && taken && rules_.known(at)) rules_.add(at, "", "is required for " + type_name);
            return set && taken;
        };
        if (member(!d.values.empty(), takes.values, "values", "")) check_values(path + ".values", d);
        if (member(d.upper.has_value(), takes.upper, "upper", d.upper ? rules_.n(*d.upper) : "") && *d.upper < 1)
            rules_.add(path + ".upper", rules_.n(*d.upper), "must be at least 1 (randint draws from 0 to upper - 1)");
        const bool low =
            member(d.min_value.has_value(), takes.range, "min_value", d.min_value ? number(*d.min_value) : "");
        const bool high =
            member(d.max_value.has_value(), takes.range, "max_value", d.max_value ? number(*d.max_value) : "");
        const bool ranged = low && high && *d.min_value < *d.max_value;
        if (low && high && !ranged)
            rules_.add(path + ".max_value", number(*d.max_value),
                       "must be greater than min_value (" + number(*d.min_value) + ")");
        const bool centred = member(d.mu.has_value(), takes.normal, "mu", d.mu ? number(*d.mu) : "");
        const bool spread =
            member(d.sigma.has_value(), takes.normal, "sigma", d.sigma ? number(*d.sigma) : "") && *d.sigma > 0;
        if (d.sigma && takes.normal && !spread) rules_.add(path + ".sigma", number(*d.sigma), "must be greater than 0");
        const bool step = member(d.q.has_value(), takes.q, "q", d.q ? number(*d.q) : "") && *d.q > 0;
        if (d.q && takes.q && !step) rules_.add(path + ".q", number(*d.q), "must be greater than 0");
        if ((ranged || (centred && spread)) && (step || !takes.q)) check_draws(path, d);

        if (!sweep.sampling || !sweep.sampling->type) return;
        const auto sampling = *sweep.sampling->type;
        if (sampling == sampling_kind::grid && type != distribution_kind::choice)
            rules_.add(path + ".type", rules_.q(type_name),
                       "grid sampling takes choice only: a " + type_name + " expression cannot be listed as a grid");
        if (sampling == sampling_kind::bayesian && !bayesian_takes(type))
            rules_.add(path + ".type", rules_.q(type_name),
                       "bayesian sampling takes choice, uniform and quniform only");
    }

    // A trial's value is a script parameter, which must be a finite number.
    void check_draws(const std::string& path, const search_distribution& d) {
        const auto [least, most] = draw_bounds(d);
        if (std::isfinite(least) && std::isfinite(most)) return;
        rules_.add(path, "",
                   fmt::format("draws values from {} to {}: every draw must be a finite number, the entry script's "
                               "argument (docs/sweeps.md){}",
                               value_json_text{}(least), value_json_text{}(most),
                               members_of(*d.type).exponent && members_of(*d.type).range
                                   ? "; min_value and max_value are exponents"
                                   : ""));
    }

    void check_values(const std::string& path, const search_distribution& d) {
        for (std::size_t i = 0; i < d.values.size(); ++i) {
            const auto* text = std::get_if<std::string>(&d.values[i].get());
            if (text && text->find('\0') != std::string::npos)
                rules_.add(path + "[" + rules_.n(static_cast<std::int64_t>(i)) + "]", "", "must not contain NUL");
            if (text && text->find('\x01') != std::string::npos)
                rules_.add(path + "[" + rules_.n(static_cast<std::int64_t>(i)) + "]", "",
                           "must not contain U+0001, a control character the renderers reserve");
        }
    }

    void check_objective(const sweep_settings& sweep) {
        const std::string path = "sweep.objective";
        if (!rules_.known(path)) return;
        if (!sweep.objective) {
            rules_.add(path, "", "is required: {\"primary_metric\": \"...\", \"goal\": \"maximize\"}");
            return;
        }
        const auto& metric = sweep.objective->primary_metric;
        if (!metric && rules_.known(path + ".primary_metric"))
            rules_.add(path + ".primary_metric", "", "is required: the name of the metric the training logs");
        if (metric && metric->empty()) rules_.add(path + ".primary_metric", "\"\"", "must not be empty");
        if (metric && metric->find('\0') != std::string::npos)
            rules_.add(path + ".primary_metric", "", "must not contain NUL");
        if (!sweep.objective->goal && rules_.known(path + ".goal"))
            rules_.add(path + ".goal", "", "is required: " + enum_name_list<objective_goal>());
    }

    void check_limits(const sweep_settings& sweep) {
        const std::string path = "sweep.limits";
        if (!rules_.known(path)) return;
        if (!sweep.limits || !sweep.limits->max_total_trials) {
            if (rules_.known(path + ".max_total_trials"))
                rules_.add(path + ".max_total_trials", "", "is required: the number of trials to run at most");
            if (!sweep.limits) return;
        }
        const auto& limits = *sweep.limits;
        auto in_range = [&](const char* name, const std::optional<std::int64_t>& value, std::int64_t low,
                            std::int64_t high) {
            if (value && (*value < low || *value > high))
                rules_.add(path + "." + name, rules_.n(*value),
                           "must be from " + rules_.n(low) + " to " + rules_.n(high));
        };
        auto widen = [](const std::optional<int>& v) { return v ? std::optional<std::int64_t>(*v) : std::nullopt; };
        in_range("max_total_trials", widen(limits.max_total_trials), 1, max_sweep_trials);
        in_range("max_concurrent_trials", widen(limits.max_concurrent_trials), 1, max_sweep_trials);
        if (limits.max_total_trials && limits.max_concurrent_trials &&
            *limits.max_concurrent_trials > *limits.max_total_trials && *limits.max_total_trials >= 1)
            rules_.add(path + ".max_concurrent_trials", rules_.n(*limits.max_concurrent_trials),
                       "must be at most max_total_trials (" + rules_.n(*limits.max_total_trials) + ")");
        constexpr std::int64_t year = 366LL * 24 * 3600;
        in_range("timeout", limits.timeout, 1, year);
        in_range("trial_timeout", limits.trial_timeout, 1, year);
        if (limits.timeout && limits.trial_timeout && *limits.trial_timeout > *limits.timeout)
            rules_.add(path + ".trial_timeout", rules_.n(*limits.trial_timeout),
                       "must be at most timeout (" + rules_.n(*limits.timeout) + "), the whole sweep's");
    }

    void check_termination(const sweep_settings& sweep) {
        const std::string path = "sweep.early_termination";
        if (!sweep.termination || !rules_.known(path)) return;
        const auto& policy = *sweep.termination;
        if (sweep.sampling && sweep.sampling->type == sampling_kind::bayesian)
            rules_.add(path, "", "bayesian sampling does not support early termination");
        if (!policy.type) {
            if (rules_.known(path + ".type"))
                rules_.add(path + ".type", "", "is required: " + enum_name_list<early_termination_kind>());
            return;
        }
        const auto type = *policy.type;
        const std::string type_name(enum_name(type));
        const bool bandit = type == early_termination_kind::bandit;
        const bool truncation = type == early_termination_kind::truncation_selection;
        auto only = [&](bool set, bool applies, const char* name, const std::string& value) {
            if (set && !applies) rules_.add(path + "." + name, value, "does not apply to " + type_name);
        };
        only(policy.slack_factor.has_value(), bandit, "slack_factor",
             policy.slack_factor ? number(*policy.slack_factor) : "");
        only(policy.slack_amount.has_value(), bandit, "slack_amount",
             policy.slack_amount ? number(*policy.slack_amount) : "");
        only(policy.truncation_percentage.has_value(), truncation, "truncation_percentage",
             policy.truncation_percentage ? rules_.n(*policy.truncation_percentage) : "");
        only(policy.exclude_finished_jobs.has_value(), truncation, "exclude_finished_jobs",
             policy.exclude_finished_jobs ? (*policy.exclude_finished_jobs ? "true" : "false") : "");
        if (bandit) {
            if (policy.slack_factor.has_value() == policy.slack_amount.has_value())
                rules_.add(path, "", "bandit takes one of slack_factor and slack_amount");
            for (const auto& [name, value] :
                 {std::pair{"slack_factor", policy.slack_factor}, std::pair{"slack_amount", policy.slack_amount}})
                if (value && !(*value > 0)) rules_.add(path + "." + name, number(*value), "must be greater than 0");
        }
        if (truncation) {
            if (!policy.truncation_percentage && rules_.known(path + ".truncation_percentage"))
                rules_.add(path + ".truncation_percentage", "", "is required for truncation_selection (1 to 99)");
            if (policy.truncation_percentage &&
                (*policy.truncation_percentage < 1 || *policy.truncation_percentage > 99))
                rules_.add(path + ".truncation_percentage", rules_.n(*policy.truncation_percentage),
                           "must be from 1 to 99");
        }
        if (policy.evaluation_interval && *policy.evaluation_interval < 1)
            rules_.add(path + ".evaluation_interval", rules_.n(*policy.evaluation_interval), "must be at least 1");
        if (policy.delay_evaluation && *policy.delay_evaluation < 0)
            rules_.add(path + ".delay_evaluation", rules_.n(*policy.delay_evaluation), "must be at least 0");
    }

    spec_rule_context& rules_;
    std::unordered_set<std::string_view> fixed_keys_;  ///< the keys of script_params
};

inline void check_sweep(spec_rule_context& rules) { sweep_rules(rules).check(); }

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/sweep_rules.hpp
// begin file include/trainspec/detail/tensorflow_cluster_rules.hpp
// The rules of a TensorFlow cluster (ps and multi_worker jobs) and of the
// names Kubernetes derives from the job.

#include <string>

#include <fmt/format.h>

// begin file include/trainspec/consume/tf_cluster_rules.hpp
// The cluster rules of the TensorFlow API that reads TF_CONFIG (the
// consumer), applied to the cluster a profile writes. A cluster TensorFlow
// would reject never renders; the messages use TensorFlow's own wording
// where TensorFlow has one, so that users can search for them.

#include <string>
#include <string_view>

#include <fmt/format.h>


TRAINSPEC_BEGIN_NAMESPACE

/// A protocol name for TF_CONFIG's "rpc_layer", such as "grpc" or "grpc+verbs".
constexpr bool is_rpc_layer_name(std::string_view s) noexcept {
    if (s.empty()) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) return false;
    return true;
}

inline constexpr const char* rpc_layer_rule = "must be a protocol name such as \"grpc\" ([a-z0-9+.-]+)";

namespace detail {

/// tf.estimator's legacy name for the chief's job, which SageMaker writes.
inline constexpr std::string_view master_job = "master";

// TensorFlow's wording, shared with the TF_CONFIG reader.

/// The task types multi_worker_util._validate_cluster_spec allows, as it prints them.
inline constexpr const char* tf_task_types = "('chief', 'worker', 'evaluator', 'ps', None)";

/// _validate_cluster_spec's error for a job of another type; `cluster` ends
/// the sentence ("has 'master'", "is ClusterSpec(...)").
inline std::string tf_disallowed_task_type(std::string_view cluster) {
    return fmt::format("Disallowed task type found in cluster spec. Allowed types are {} and the cluster spec {}.",
                       tf_task_types, cluster);
}
inline constexpr const char* tf_needs_a_ps = "There must be at least one ps.";
inline constexpr const char* tf_needs_a_worker = "There must be at least one worker.";
inline constexpr const char* tf_coordinator_needs_chief =
    "ParameterServerStrategy runs its coordinator as the 'chief' task: the cluster needs one 'chief' job";
inline constexpr const char* tf_mirrored_has_no_ps =
    "MultiWorkerMirroredStrategy has no parameter servers: the cluster must not have a 'ps' job";

/// tf.estimator's rule for the job of its chief ("chief", or "master").
inline std::string tf_estimator_needs_one(std::string_view chief_job) {
    return fmt::format("If \"cluster\" is set in TF_CONFIG, it must have one \"{}\" node.", chief_job);
}

}  // namespace detail

/// The jobs of the cluster that a profile writes for a job's task counts.
struct tf_cluster_shape {
    int chief = 0;  ///< written as "master" when chief_is_master
    int worker = 0;
    int ps = 0;
    int evaluator = 0;  ///< tasks of type evaluator (in the cluster or not)
    bool chief_is_master = false;
    bool evaluator_in_cluster = false;
};

inline tf_cluster_shape cluster_shape(const job_spec& s, tf_profile profile) {
    tf_cluster_shape shape;
    shape.chief = effective_chief_count(s);
    shape.worker = effective_worker_count(s);
    shape.ps = effective_parameter_server_count(s);
    shape.evaluator = effective_evaluator_count(s);
    shape.chief_is_master = profile == tf_profile::sagemaker;
    // Kubeflow lists the evaluator in the cluster since training operator 1.2.
    shape.evaluator_in_cluster = profile == tf_profile::kubeflow;
    return shape;
}

/// Problems of writing this job's TF_CONFIG with `profile` for `consumer`.
/// Empty for backends without TF_CONFIG (they have no cluster to check).
inline problems check_tf_cluster(const job_spec& s, tf_profile profile, tf_consumer consumer) {
    problems found;
    const auto backend = effective_backend(s);
    if (backend != backend_kind::parameter_server && backend != backend_kind::multi_worker) return found;
    const auto shape = cluster_shape(s, profile);
    const std::string profile_value = detail::quote_json(enum_name(profile));
    const std::string consumer_value = detail::quote_json(enum_name(consumer));
    auto profile_problem = [&](std::string rule) { found.push_back({"tf_config.profile", profile_value, rule}); };
    auto consumer_problem = [&](std::string rule) {
        found.push_back({"tf_config.consumer", consumer_value, std::move(rule)});
    };

    // What each profile can express.
    if (profile == tf_profile::azureml_v1 && (shape.chief > 0 || shape.evaluator > 0))
        profile_problem(
            "Azure ML's ps backend wrote only ps and worker tasks; this job also has a chief or an evaluator");
    if (profile == tf_profile::sagemaker) {
        const int nodes = effective_node_count(s);
        if (backend != backend_kind::parameter_server || shape.chief != 1 || shape.evaluator != 0 ||
            shape.worker != nodes - 1 || shape.ps != nodes)
            profile_problem(fmt::format(
                "SageMaker's layout is 1 master (chief_count 1), node_count - 1 = {} workers, a ps on every node "
                "({} ps) and no evaluator; this job has {} chief, {} worker, {} ps, {} evaluator",
                nodes - 1, nodes, shape.chief, shape.worker, shape.ps, shape.evaluator));
    }
    if (s.tf_config && s.tf_config->sparse.value_or(false) && profile != tf_profile::kubeflow)
        found.push_back({"tf_config.sparse", "true",
                         "the sparse form is the Kubeflow training operator's enableDynamicWorker form; use the "
                         "kubeflow profile"});
    if (s.tf_config && s.tf_config->rpc_layer && profile == tf_profile::kubeflow)
        found.push_back({"tf_config.rpc_layer", detail::quote_json(*s.tf_config->rpc_layer),
                         "the Kubeflow training operator never writes rpc_layer; the kubeflow profile is "
                         "byte-identical to it"});

    switch (consumer) {
        case tf_consumer::custom:
            break;
        case tf_consumer::estimator:
            if (shape.chief_is_master) {
                if (shape.evaluator > 0)
                    consumer_problem(
                        "tf.estimator in legacy master mode does not support task type evaluator (the cluster "
                        "has a \"master\" job)");
            } else if (shape.chief == 0) {
                consumer_problem(detail::tf_estimator_needs_one(enum_name(task_type::chief)));
            }
            if (shape.evaluator > 0 && shape.evaluator_in_cluster)
                consumer_problem(
                    "the evaluator is not part of the training cluster for tf.estimator, but this profile lists "
                    "it in \"cluster\"; use the tf2 or estimator profile");
            break;
        case tf_consumer::parameter_server_strategy:
            if (shape.chief_is_master)
                consumer_problem(detail::tf_disallowed_task_type(fmt::format("has '{}'", detail::master_job)));
            else if (shape.chief == 0)
                consumer_problem(std::string(detail::tf_coordinator_needs_chief) + " (set chief_count to 1)");
            if (shape.ps < 1) consumer_problem(detail::tf_needs_a_ps);
            if (shape.worker < 1) consumer_problem(detail::tf_needs_a_worker);
            if (shape.evaluator > 0 && shape.evaluator_in_cluster)
                consumer_problem(
                    "the evaluator runs on the side and starts no server; listed in the training cluster it can "
                    "hang ParameterServerStrategy; use the tf2 profile");
            break;
        case tf_consumer::multi_worker_mirrored_strategy:
            if (shape.chief_is_master)
                consumer_problem(detail::tf_disallowed_task_type(fmt::format("has '{}'", detail::master_job)));
            if (shape.ps > 0) consumer_problem(detail::tf_mirrored_has_no_ps);
            if (shape.worker + shape.chief < 1) consumer_problem(detail::tf_needs_a_worker);
            break;
    }
    return found;
}

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/consume/tf_cluster_rules.hpp

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// port and tf_config describe TensorFlow servers: ps and multi_worker.
inline void check_tensorflow_cluster(spec_rule_context& rules) {
    if (rules.spec.port) {
        if (auto why = tcp_port_problem(*rules.spec.port)) rules.add("port", rules.n(*rules.spec.port), *why);
        if (!rules.applies(spec_key::port) && rules.known("distributed_backend"))
            rules.add("port", rules.n(*rules.spec.port),
                      fmt::format("applies only to distributed_backend {} (backend is {}); "
                                  "only TensorFlow servers listen on it",
                                  rules.tensorflow_cluster_backends(), rules.backend_text()));
    }
    if (!rules.spec.tf_config) return;
    if (!rules.applies(spec_key::tf_config) && rules.known("distributed_backend")) {
        rules.add("tf_config", "",
                  fmt::format("applies only to distributed_backend {} (backend is {}); "
                              "other jobs get no TF_CONFIG",
                              rules.tensorflow_cluster_backends(), rules.backend_text()));
        return;
    }
    if (const auto& rpc = rules.spec.tf_config->rpc_layer)
        if (!is_rpc_layer_name(*rpc)) rules.add("tf_config.rpc_layer", rules.q(*rpc), rpc_layer_rule);
    if (!rules.task_count_known() || !rules.all_known("tf_config")) return;
    for (auto& p : check_tf_cluster(rules.spec, effective_profile(rules.spec), effective_consumer(rules.spec)))
        rules.add(std::move(p.path), std::move(p.value), std::move(p.rule));
}

inline void check_name(spec_rule_context& rules) {
    if (!rules.spec.name) return;
    const auto& name = *rules.spec.name;
    if (!is_dns1035_label(name)) {
        rules.add("name", rules.q(name),
                  "must be a DNS-1035 label: lower-case letters, digits and '-', starting with a letter, ending "
                  "with a letter or digit, at most 63 characters");
        return;
    }
    for (const auto& derived : derived_resource_names(rules.spec, name))
        if (derived.size() > max_dns_label_length) {
            rules.add("name", rules.q(name),
                      fmt::format("the derived resource name \"{}\" has {} characters; Kubernetes allows at most 63",
                                  derived, derived.size()));
            break;
        }
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/tensorflow_cluster_rules.hpp
// begin file include/trainspec/detail/text_encoding_rules.hpp
// validate()'s rule that a spec's text is UTF-8: the spec is JSON, and so
// are TF_CONFIG and every manifest rendered from it. The JSON reader takes
// nothing else; a spec built in code can hold any bytes.

#include <string>
#include <string_view>

// begin file include/trainspec/detail/spec_field_tables.hpp
// The field tables of the spec, one per object (the top level, tf_config,
// mpi, onnx_export, compute_target), and the readers and writers of the
// values no plain kind covers. The keys and their order are the key enums'
// (spec/spec_keys.hpp and next to each struct); docs/spec.md describes them.

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

// begin file include/trainspec/detail/param_json.hpp
// script_params values as JSON, both directions: the spec's script_params
// and the values of a sweep's choice.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>

// begin file include/trainspec/detail/json_object.hpp
// Members added to an ordered JSON object in linear time. ordered_json finds
// a key by scanning its members, so adding n keys one by one with operator[]
// takes n^2/2 comparisons; this keeps an index beside the object. A key added
// twice keeps its first place and takes the last value, as operator[] and
// nlohmann's parser do.

#include <cstddef>
#include <iterator>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

using ojson = nlohmann::ordered_json;

class ordered_members {
public:
    /// `object`: a JSON object without members yet; it must outlive this.
    explicit ordered_members(ojson& object) : object_(&object) {}

    /// The value of `key`, added last (as null) when new; `added` says whether it was.
    ojson& at(const std::string& key, bool* added = nullptr) {
        auto& members = object_->get_ref<ojson::object_t&>();
        const auto [found, fresh] = index_.emplace(key, members.size());
        if (added != nullptr) *added = fresh;
        if (!fresh) return std::next(members.begin(), static_cast<std::ptrdiff_t>(found->second))->second;
        members.emplace_back(key, nullptr);
        return members.back().second;
    }

private:
    ojson* object_;
    std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/json_object.hpp
// begin file include/trainspec/detail/spec_value_reader.hpp
// Reading one JSON value of a spec: the typed readers (string, bounded
// integer, boolean, lists, maps, names of an enum) and the problems they
// note, each with its JSON path. A value of the wrong type is left unset and
// its path remembered, so that the job rules about it are skipped.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

using ojson = nlohmann::ordered_json;

class spec_value_reader {
public:
    explicit spec_value_reader(problems& found) : found_(found) {}

    /// Paths whose value could not be read: rules about them are moot.
    const std::vector<std::string>& bad_paths() const { return bad_paths_; }

    void add(std::string path, std::string value, std::string rule) {
        list_problem(found_, {std::move(path), std::move(value), std::move(rule)});
    }
    /// A problem that makes the value unreadable.
    void reject(const std::string& path, const ojson& v, std::string rule) {
        add(path, v.dump(), std::move(rule));
        bad_paths_.push_back(path);
    }
    void type_error(const std::string& path, const ojson& v, const std::string& expected) {
        reject(path, v, "must be " + expected + ", not " + json_type_name(v));
    }
    void missing(const std::string& path, std::string bad_path) {
        add(path, "", "is required");
        bad_paths_.push_back(std::move(bad_path));
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

    std::optional<std::string> string_at(const std::string& path, const ojson& v, const char* hint = nullptr) {
        if (v.is_string()) return v.get<std::string>();
        type_error(path, v, hint ? std::string("a string (") + hint + ")" : std::string("a string"));
        return std::nullopt;
    }
    std::optional<bool> bool_at(const std::string& path, const ojson& v) {
        if (v.is_boolean()) return v.get<bool>();
        type_error(path, v, "true or false");
        return std::nullopt;
    }
    /// An integer of at most `max` in magnitude.
    std::optional<std::int64_t> integer_at(const std::string& path, const ojson& v, std::int64_t max) {
        if (!v.is_number_integer()) {
            type_error(path, v, "an integer");
            return std::nullopt;
        }
        if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
            reject(path, v, "must be at most " + std::to_string(max));
            return std::nullopt;
        }
        const auto i = v.get<std::int64_t>();
        if (i > max || i < -max) {
            reject(path, v, "must be between " + std::to_string(-max) + " and " + std::to_string(max));
            return std::nullopt;
        }
        return i;
    }
    /// A number, integer or not, as a double.
    std::optional<double> number_at(const std::string& path, const ojson& v) {
        if (v.is_number()) return v.get<double>();
        type_error(path, v, "a number");
        return std::nullopt;
    }
    std::optional<int> int_at(const std::string& path, const ojson& v) {
        auto i = integer_at(path, v, std::numeric_limits<int>::max());
        if (!i) return std::nullopt;
        return static_cast<int>(*i);
    }
    /// An unreadable element keeps its place (as ""), so that the rules'
    /// paths (`conda_packages[2]`) still point at the right element.
    std::vector<std::string> strings_at(const std::string& path, const ojson& v) {
        std::vector<std::string> out;
        if (!v.is_array()) {
            type_error(path, v, "an array of strings");
            return out;
        }
        for (std::size_t i = 0; i < v.size(); ++i)
            out.push_back(string_at(path + "[" + std::to_string(i) + "]", v[i]).value_or(""));
        return out;
    }
    /// A string, or null (a default removed); unset after a type error.
    std::optional<std::optional<std::string>> string_or_null_at(const std::string& path, const ojson& v,
                                                                const char* hint) {
        if (v.is_null()) return std::optional<std::string>();
        if (v.is_string()) return std::optional<std::string>(v.get<std::string>());
        type_error(path, v, std::string("a string (") + hint + ") or null (leave the flag out)");
        return std::nullopt;
    }
    /// The enumerator a string names; `what` names the choice in the message.
    template <class Enum>
    std::optional<Enum> named_at(const std::string& path, const ojson& v, std::string_view what) {
        const auto name = string_at(path, v);
        if (!name) return std::nullopt;
        if (auto value = enum_from_name<Enum>(*name)) return value;
        std::string rule = "unknown " + std::string(what) + "; one of " + enum_name_list<Enum>();
        if (auto hint = closest_match(*name, enum_name_strings<Enum>())) rule += "; did you mean \"" + *hint + "\"?";
        reject(path, v, rule);
        return std::nullopt;
    }
    /// An object of name: value in the user's order; `read_value` reads one
    /// value (at its bracketed path) or returns nullopt after noting why.
    template <class Entry, class ReadValue>
    std::vector<Entry> map_at(const std::string& path, const ojson& v, const std::string& expected,
                              ReadValue read_value) {
        std::vector<Entry> out;
        if (!v.is_object()) {
            type_error(path, v, expected);
            return out;
        }
        for (const auto& [name, value] : v.items())
            if (auto read = read_value(path + "[" + quote_json(name) + "]", value)) out.push_back({name, *read});
        return out;
    }

private:
    static std::string json_type_name(const ojson& v) {
        if (v.is_number_integer()) return "integer";
        if (v.is_number_float()) return "number";
        return v.type_name();
    }

    problems& found_;
    std::vector<std::string> bad_paths_;
};

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/spec_value_reader.hpp

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline std::optional<param_value> read_param_value(spec_value_reader& r, const std::string& path, const ojson& v) {
    constexpr auto int64_max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (v.is_null()) return param_value(nullptr);
    if (v.is_boolean()) return param_value(v.get<bool>());
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > int64_max) {
        r.reject(path, v, "an integer must fit 64 bits");
        return std::nullopt;
    }
    if (v.is_number_integer()) return param_value(v.get<std::int64_t>());
    if (v.is_number_float()) return param_value(v.get<double>());
    if (v.is_string()) return param_value(v.get<std::string>());
    if (!v.is_array()) {
        r.type_error(path, v, "null, a boolean, a number, a string or a list of those");
        return std::nullopt;
    }
    param_value::list items;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const auto& e = v[i];
        const auto item_path = path + "[" + std::to_string(i) + "]";
        if (e.is_boolean()) {
            items.emplace_back(e.get<bool>());
        } else if (e.is_number_unsigned() && e.get<std::uint64_t>() > int64_max) {
            r.reject(item_path, e, "an integer must fit 64 bits");
            return std::nullopt;
        } else if (e.is_number_integer()) {
            items.emplace_back(e.get<std::int64_t>());
        } else if (e.is_number_float()) {
            items.emplace_back(e.get<double>());
        } else if (e.is_string()) {
            items.emplace_back(e.get<std::string>());
        } else {
            r.type_error(item_path, e, "a string, number or boolean (lists do not nest)");
            return std::nullopt;
        }
    }
    return param_value(std::move(items));
}

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

/// An object keeps the user's order; repeated keys need the array of pairs.
inline ojson script_params_json(const script_params& params) {
    const bool pairs = params.has_repeated_keys();
    ojson out = pairs ? ojson::array() : ojson::object();
    ordered_members members(out);
    for (const auto& [key, value] : params) {
        if (pairs)
            out.push_back({key, param_json(value)});
        else
            members.at(key) = param_json(value);
    }
    return out;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/param_json.hpp
// begin file include/trainspec/detail/spec_fields.hpp
// The machinery of the spec's field tables (detail/spec_field_tables.hpp):
// one row per key says how its value is read into a member and how it is
// written. The reader, the writer and the key lists all walk the same rows,
// so a new key is one enumerator and one row.

#include <algorithm>
#include <array>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

// begin file include/trainspec/detail/spec_paths.hpp
// The paths problems name in a spec (`a.b`, `list[2]`, and the bracket form
// of the maps of free-form names, `script_params["--lr"]`), as the reader
// and validate() write them, and the search of a spec's document for a text.

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// What a key adds to the path of the object at `parent` ("" for the
/// document).
inline std::string key_segment(std::string_view parent, const std::string& key) {
    if (parent.empty()) return key;
    if (parent == "script_params" || parent == "environment_variables" || parent == "mpi.mca" ||
        parent == "sweep.search_space")
        return "[" + quote_json(key) + "]";
    return "." + key;
}

/// The path of the first text in `doc` (a key or a string, in document
/// order) for which `holds(text)` is true, or "" when there is none.
template <class Holds>
std::string first_text_path(const nlohmann::ordered_json& doc, const Holds& holds, const std::string& path = {}) {
    if (doc.is_string()) return holds(doc.get_ref<const std::string&>()) ? path : std::string();
    if (!doc.is_structured()) return {};
    std::size_t i = 0;
    for (auto it = doc.begin(); it != doc.end(); ++it, ++i) {
        const std::string at =
            doc.is_object() ? path + key_segment(path, it.key()) : path + "[" + std::to_string(i) + "]";
        if (doc.is_object() && holds(it.key())) return at;
        if (auto found = first_text_path(*it, holds, at); !found.empty()) return found;
    }
    return {};
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/spec_paths.hpp

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// One key of an object of the spec.
template <class Key, class Struct>
struct field {
    Key key;
    /// Reads `value`, found at `path` under the key `name`, into the struct.
    void (*read)(spec_value_reader&, Struct&, const std::string& path, std::string_view name, const ojson& value,
                 const char* hint);
    /// Writes the member under `name`, if it is set.
    void (*write)(const Struct&, ojson& object, const std::string& name);
    const char* hint = nullptr;  ///< what a string value looks like, for messages
};

/// Specialised for each object of the spec with
/// `static constexpr std::array<field<Key, Struct>, N> table`, in the order of Key's enumerators.
template <class Struct>
struct spec_fields;

template <class Struct, class = void>
struct has_spec_fields : std::false_type {};
template <class Struct>
struct has_spec_fields<Struct, std::void_t<decltype(spec_fields<Struct>::table)>> : std::true_type {};

template <class Struct>
using spec_key_of = std::decay_t<decltype(spec_fields<Struct>::table[0].key)>;

/// The object's keys, in the order they are written.
template <class Struct>
const std::vector<std::string>& field_names() {
    return enum_name_strings<spec_key_of<Struct>>();
}

/// Every key has one row, in the key enum's order (the order keys are written).
template <class Struct>
constexpr bool fields_in_key_order() {
    constexpr auto& table = spec_fields<Struct>::table;
    constexpr auto keys = enum_values<spec_key_of<Struct>>();
    if (table.size() != keys.size()) return false;
    for (std::size_t i = 0; i < keys.size(); ++i)
        if (table[i].key != keys[i]) return false;
    return true;
}

template <class T>
struct member_pointer;
template <class Owner, class Value>
struct member_pointer<Value Owner::*> {
    using owner = Owner;
    using value = Value;
};
template <auto Member>
using owner_of = typename member_pointer<decltype(Member)>::owner;
template <auto Member>
using value_of = typename member_pointer<decltype(Member)>::value;

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_vector : std::false_type {};
template <class T>
struct is_vector<std::vector<T>> : std::true_type {};

template <class Struct>
ojson write_fields(const Struct& s);

/// A member's value as JSON: an enumerator by its name, an inner optional
/// as null when empty, an object through its table.
template <class T>
ojson json_of(const T& value) {
    if constexpr (std::is_enum_v<T>)
        return std::string(enum_name(value));
    else if constexpr (is_optional<T>::value)
        return value ? json_of(*value) : ojson(nullptr);
    else if constexpr (has_spec_fields<T>::value)
        return write_fields(value);
    else
        return ojson(value);
}

/// Unset optionals and empty lists are left out; a plain value is always written.
template <auto Member>
void write_member(const owner_of<Member>& s, ojson& object, const std::string& name) {
    const auto& value = s.*Member;
    if constexpr (is_optional<value_of<Member>>::value) {
        if (value) object[name] = json_of(*value);
    } else if constexpr (is_vector<value_of<Member>>::value) {
        if (!value.empty()) object[name] = json_of(value);
    } else {
        object[name] = json_of(value);
    }
}

/// A list of {name, value} as an object, in the list's order.
template <auto Member>
void write_map(const owner_of<Member>& s, ojson& object, const std::string& name) {
    if ((s.*Member).empty()) return;
    ojson map = ojson::object();
    ordered_members members(map);
    for (const auto& entry : s.*Member) members.at(entry.name) = json_of(entry.value);
    object[name] = std::move(map);
}

template <class Struct>
ojson write_fields(const Struct& s) {
    ojson object = ojson::object();
    for (const auto& row : spec_fields<Struct>::table) row.write(s, object, std::string(enum_name(row.key)));
    return object;
}

/// Reads the object's keys through its table; an unknown key goes to `unknown(path, key)`.
template <class Struct, class Unknown>
void read_fields(spec_value_reader& r, Struct& s, const std::string& path, const ojson& object, Unknown unknown) {
    const auto& table = spec_fields<Struct>::table;
    for (const auto& entry : object.items()) {
        const std::string& key = entry.key();
        const auto item = path + key_segment(path, key);
        auto row = std::find_if(table.begin(), table.end(), [&key](const auto& f) { return enum_name(f.key) == key; });
        if (row == table.end())
            unknown(item, key);
        else
            row->read(r, s, item, key, entry.value(), row->hint);
    }
}

// The kinds of values: each makes the row of one member.

template <auto Member, class Key>
constexpr field<Key, owner_of<Member>> text(Key key, const char* hint = nullptr) {
    return {key,
            [](spec_value_reader& r, owner_of<Member>& s, const std::string& path, std::string_view, const ojson& v,
               const char* h) {
                auto value = r.string_at(path, v, h);
                if constexpr (std::is_same_v<value_of<Member>, std::string>)
                    s.*Member = value.value_or("");
                else
                    s.*Member = std::move(value);
            },
            &write_member<Member>, hint};
}

/// A string, or null for a default removed.
template <auto Member, class Key>
constexpr field<Key, owner_of<Member>> text_or_null(Key key, const char* hint) {
    return {key,
            [](spec_value_reader& r, owner_of<Member>& s, const std::string& path, std::string_view, const ojson& v,
               const char* h) { s.*Member = r.string_or_null_at(path, v, h); },
            &write_member<Member>, hint};
}

/// An integer within the member's type.
template <auto Member, class Key>
constexpr field<Key, owner_of<Member>> integer(Key key) {
    return {key,
            [](spec_value_reader& r, owner_of<Member>& s, const std::string& path, std::string_view, const ojson& v,
               const char*) {
                using T = typename value_of<Member>::value_type;
                const auto value = r.integer_at(path, v, std::numeric_limits<T>::max());
                s.*Member = value ? std::optional<T>(static_cast<T>(*value)) : std::nullopt;
            },
            &write_member<Member>};
}

/// A value one reader of spec_value_reader reads whole.
template <auto Member, auto Read, class Key>
constexpr field<Key, owner_of<Member>> read_by(Key key) {
    return {key,
            [](spec_value_reader& r, owner_of<Member>& s, const std::string& path, std::string_view, const ojson& v,
               const char*) { s.*Member = (r.*Read)(path, v); },
            &write_member<Member>};
}

/// A number, integer or not.
template <auto Member, class Key>
constexpr field<Key, owner_of<Member>> number(Key key) {
    return read_by<Member, &spec_value_reader::number_at>(key);
}

template <auto Member, class Key>
constexpr field<Key, owner_of<Member>> boolean(Key key) {
    return read_by<Member, &spec_value_reader::bool_at>(key);
}

template <auto Member, class Key>
constexpr field<Key, owner_of<Member>> text_list(Key key) {
    return read_by<Member, &spec_value_reader::strings_at>(key);
}

/// An enumerator, by the name its enum_names table gives it.
template <auto Member, class Key>
constexpr field<Key, owner_of<Member>> named(Key key) {
    return {
        key,
        [](spec_value_reader& r, owner_of<Member>& s, const std::string& path, std::string_view name, const ojson& v,
           const char*) { s.*Member = r.named_at<typename value_of<Member>::value_type>(path, v, name); },
        &write_member<Member>};
}

/// An object read through its table; nullopt after a type error.
template <class Settings>
std::optional<Settings> read_object(spec_value_reader& r, const std::string& path, const ojson& v) {
    const auto& keys = field_names<Settings>();
    if (!v.is_object()) {
        r.type_error(path, v, "an object with " + enum_name_list<spec_key_of<Settings>>());
        return std::nullopt;
    }
    Settings settings;
    read_fields(r, settings, path, v,
                [&](const std::string& item, const std::string& k) { r.unknown_key(item, k, keys); });
    return settings;
}

/// An object read and written through its own table.
template <auto Member, class Key>
constexpr field<Key, owner_of<Member>> object(Key key) {
    return {key,
            [](spec_value_reader& r, owner_of<Member>& s, const std::string& path, std::string_view, const ojson& v,
               const char*) { s.*Member = read_object<typename value_of<Member>::value_type>(r, path, v); },
            &write_member<Member>};
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/spec_fields.hpp
// begin file include/trainspec/detail/sweep_field_tables.hpp
// The field tables of the spec's `sweep` object and of the objects in it
// (spec/sweep.hpp); docs/sweeps.md describes them.

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

template <>
struct spec_fields<sampling_algorithm> {
    static constexpr std::array<field<sampling_algorithm_key, sampling_algorithm>, 3> table{{
        named<&sampling_algorithm::type>(sampling_algorithm_key::type),
        integer<&sampling_algorithm::seed>(sampling_algorithm_key::seed),
        named<&sampling_algorithm::rule>(sampling_algorithm_key::rule),
    }};
};
static_assert(fields_in_key_order<sampling_algorithm>());

/// "grid", or {"type": "random", "seed": 42}.
inline void read_sampling(spec_value_reader& r, sweep_settings& s, const std::string& path, std::string_view name,
                          const ojson& v, const char*) {
    if (v.is_string()) {
        sampling_algorithm sampling;
        sampling.type = r.named_at<sampling_kind>(path, v, name);
        s.sampling = sampling;
        return;
    }
    s.sampling = read_object<sampling_algorithm>(r, path, v);
}
/// A sampling with a type only is written as its name.
inline void write_sampling(const sweep_settings& s, ojson& object, const std::string& name) {
    if (!s.sampling) return;
    const bool type_only = s.sampling->type && !s.sampling->seed && !s.sampling->rule;
    object[name] = type_only ? ojson(std::string(enum_name(*s.sampling->type))) : write_fields(*s.sampling);
}

/// choice's values: scalars, as script_params' list elements.
inline void read_choice_values(spec_value_reader& r, search_distribution& d, const std::string& path, std::string_view,
                               const ojson& v, const char*) {
    if (!v.is_array()) {
        r.type_error(path, v, "an array of strings, numbers or booleans");
        return;
    }
    if (auto read = read_param_value(r, path, v))
        if (auto* list = std::get_if<param_value::list>(&read->get())) d.values = *list;
}
inline void write_choice_values(const search_distribution& d, ojson& object, const std::string& name) {
    if (d.values.empty()) return;
    ojson values = ojson::array();
    for (const auto& value : d.values) values.push_back(param_json(value));
    object[name] = std::move(values);
}

template <>
struct spec_fields<search_distribution> {
    static constexpr std::array<field<distribution_key, search_distribution>, 8> table{{
        named<&search_distribution::type>(distribution_key::type),
        {distribution_key::values, &read_choice_values, &write_choice_values},
        integer<&search_distribution::upper>(distribution_key::upper),
        number<&search_distribution::min_value>(distribution_key::min_value),
        number<&search_distribution::max_value>(distribution_key::max_value),
        number<&search_distribution::mu>(distribution_key::mu),
        number<&search_distribution::sigma>(distribution_key::sigma),
        number<&search_distribution::q>(distribution_key::q),
    }};
};
static_assert(fields_in_key_order<search_distribution>());

/// parameter name: expression, in the user's order.
inline void read_search_space(spec_value_reader& r, sweep_settings& s, const std::string& path, std::string_view,
                              const ojson& v, const char*) {
    s.search_space = r.map_at<sweep_parameter>(
        path, v, "an object of parameter name: {\"type\": ..., ...}",
        [&r](const std::string& item, const ojson& value) { return read_object<search_distribution>(r, item, value); });
}

template <>
struct spec_fields<sweep_objective> {
    static constexpr std::array<field<sweep_objective_key, sweep_objective>, 2> table{{
        text<&sweep_objective::primary_metric>(sweep_objective_key::primary_metric,
                                               "the name of the metric the training logs"),
        named<&sweep_objective::goal>(sweep_objective_key::goal),
    }};
};
static_assert(fields_in_key_order<sweep_objective>());

template <>
struct spec_fields<sweep_limits> {
    static constexpr std::array<field<sweep_limits_key, sweep_limits>, 4> table{{
        integer<&sweep_limits::max_total_trials>(sweep_limits_key::max_total_trials),
        integer<&sweep_limits::max_concurrent_trials>(sweep_limits_key::max_concurrent_trials),
        integer<&sweep_limits::timeout>(sweep_limits_key::timeout),
        integer<&sweep_limits::trial_timeout>(sweep_limits_key::trial_timeout),
    }};
};
static_assert(fields_in_key_order<sweep_limits>());

template <>
struct spec_fields<early_termination> {
    static constexpr std::array<field<early_termination_key, early_termination>, 7> table{{
        named<&early_termination::type>(early_termination_key::type),
        number<&early_termination::slack_factor>(early_termination_key::slack_factor),
        number<&early_termination::slack_amount>(early_termination_key::slack_amount),
        integer<&early_termination::evaluation_interval>(early_termination_key::evaluation_interval),
        integer<&early_termination::delay_evaluation>(early_termination_key::delay_evaluation),
        integer<&early_termination::truncation_percentage>(early_termination_key::truncation_percentage),
        boolean<&early_termination::exclude_finished_jobs>(early_termination_key::exclude_finished_jobs),
    }};
};
static_assert(fields_in_key_order<early_termination>());

template <>
struct spec_fields<sweep_settings> {
    static constexpr std::array<field<sweep_key, sweep_settings>, 5> table{{
        {sweep_key::sampling_algorithm, &read_sampling, &write_sampling},
        {sweep_key::search_space, &read_search_space, &write_map<&sweep_settings::search_space>},
        object<&sweep_settings::objective>(sweep_key::objective),
        object<&sweep_settings::limits>(sweep_key::limits),
        object<&sweep_settings::termination>(sweep_key::early_termination),
    }};
};
static_assert(fields_in_key_order<sweep_settings>());

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/sweep_field_tables.hpp

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline void read_api_version(spec_value_reader& r, job_spec&, const std::string& path, std::string_view, const ojson& v,
                             const char*) {
    if (auto api = r.string_at(path, v); api && *api != spec_api_version)
        r.add(path, v.dump(), std::string("must be \"") + spec_api_version + "\"");
}
inline void write_api_version(const job_spec&, ojson& object, const std::string& name) {
    object[name] = spec_api_version;
}

/// null is Azure ML's None: no backend, said explicitly.
inline void read_backend(spec_value_reader& r, job_spec& s, const std::string& path, std::string_view, const ojson& v,
                         const char*) {
    if (v.is_null()) {
        s.distributed_backend = backend_kind::single_node;
        return;
    }
    auto name = r.string_at(path, v);
    if (!name) return;
    if (auto kind = enum_from_name<backend_kind>(*name)) {
        s.distributed_backend = *kind;
        return;
    }
    std::string rule = "Unsupported distributed backend value: " + *name +
                       ". Supported backend(s): " + enum_name_list<backend_kind>() + ".";
    if (auto hint = closest_match(*name, enum_name_strings<backend_kind>())) rule += " Did you mean \"" + *hint + "\"?";
    r.reject(path, v, rule);
}
/// An explicit single_node is written as null, which reads back as single_node.
inline void write_backend(const job_spec& s, ojson& object, const std::string& name) {
    if (!s.distributed_backend) return;
    const auto backend = enum_name(*s.distributed_backend);
    object[name] = backend.empty() ? ojson(nullptr) : ojson(std::string(backend));
}

inline void read_environment(spec_value_reader& r, job_spec& s, const std::string& path, std::string_view,
                             const ojson& v, const char*) {
    s.environment_variables = r.map_at<environment_variable>(
        path, v, "an object of name: string value",
        [&r](const std::string& item, const ojson& value) -> std::optional<std::string> {
            if (value.is_string()) return value.get<std::string>();
            r.type_error(item, value, "a string (write numbers in quotes, as the environment holds text)");
            return std::nullopt;
        });
}

/// An object, or [["--x", 1], ["--x", 2]]: the form that allows repeated keys.
inline void read_script_params(spec_value_reader& r, job_spec& s, const std::string& path, std::string_view,
                               const ojson& v, const char*) {
    script_params params;
    if (v.is_object()) {
        for (const auto& [key, value] : v.items())
            if (auto pv = read_param_value(r, path + "[" + quote_json(key) + "]", value))
                params.add(key, std::move(*pv));
    } else if (v.is_array()) {
        for (std::size_t i = 0; i < v.size(); ++i) {
            const auto& pair = v[i];
            if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string()) {
                r.type_error(path + "[" + std::to_string(i) + "]", pair, "a [key, value] pair with a string key");
                continue;
            }
            auto key = pair[0].get<std::string>();
            if (auto pv = read_param_value(r, path + "[" + quote_json(key) + "]", pair[1]))
                params.add(std::move(key), std::move(*pv));
        }
    } else {
        r.type_error(path, v, "an object or an array of [key, value] pairs");
    }
    s.params = std::move(params);
}

inline void write_script_params(const job_spec& s, ojson& object, const std::string& name) {
    if (!s.params.empty()) object[name] = script_params_json(s.params);
}

/// "name", "name:slots" (Horovod's syntax) or {"name", "slots"}. An
/// unreadable host keeps its place (unnamed), so that the rules' paths
/// (`compute_target.hosts[2]`) still point at the right element.
inline host read_host(spec_value_reader& r, const std::string& path, const ojson& v) {
    if (v.is_string()) {
        const auto text = v.get<std::string>();
        const auto colon = text.rfind(':');
        if (colon == std::string::npos) return host{text, 1};
        const auto slots = text.substr(colon + 1);
        if (slots.empty() || slots.size() > 9 || slots.find_first_not_of("0123456789") != std::string::npos) {
            r.reject(path, v, "must be \"host\" or \"host:slots\" with slots a positive integer");
            return host{};
        }
        return host{text.substr(0, colon), std::stoi(slots)};
    }
    if (!v.is_object()) {
        r.type_error(path, v, "\"host:slots\" or {\"name\", \"slots\"}");
        return host{};
    }
    host h;
    for (const auto& [key, value] : v.items()) {
        const auto item = path + "." + key;
        const auto known = enum_from_name<host_key>(key);
        if (known == host_key::name)
            h.name = r.string_at(item, value).value_or("");
        else if (known == host_key::slots) {
            if (auto n = r.int_at(item, value)) h.slots = *n;
        } else
            r.unknown_key(item, key, enum_name_strings<host_key>());
    }
    // A name of the wrong type is reported as that, not as missing.
    if (!v.contains(std::string(enum_name(host_key::name)))) r.missing(path + ".name", path + ".name");
    return h;
}

inline void read_hosts(spec_value_reader& r, compute_target& t, const std::string& path, std::string_view,
                       const ojson& v, const char*) {
    if (!v.is_array()) {
        r.type_error(path, v, "an array of \"host:slots\"");
        return;
    }
    for (std::size_t i = 0; i < v.size(); ++i)
        t.hosts.push_back(read_host(r, path + "[" + std::to_string(i) + "]", v[i]));
}
inline void write_hosts(const compute_target& t, ojson& object, const std::string& name) {
    if (t.hosts.empty()) return;
    auto hosts = ojson::array();
    for (const auto& h : t.hosts) hosts.push_back(h.name + ":" + std::to_string(h.slots));
    object[name] = std::move(hosts);
}

template <>
struct spec_fields<compute_target> {
    static constexpr std::array<field<compute_target_key, compute_target>, enum_names<compute_target_key>::table.size()>
        table{{
            text<&compute_target::name>(compute_target_key::name),
            integer<&compute_target::gpus_per_node>(compute_target_key::gpus_per_node),
            integer<&compute_target::cpus_per_node>(compute_target_key::cpus_per_node),
            integer<&compute_target::max_nodes>(compute_target_key::max_nodes),
            {compute_target_key::hosts, &read_hosts, &write_hosts},
        }};
};
static_assert(fields_in_key_order<compute_target>());

/// A name, or an object that must have a name.
inline void read_compute_target(spec_value_reader& r, job_spec& s, const std::string& path, std::string_view,
                                const ojson& v, const char*) {
    if (v.is_string()) {
        s.target = compute_target(v.get<std::string>());
        return;
    }
    if (!v.is_object()) {
        r.type_error(path, v, "a name or an object");
        s.target = std::nullopt;
        return;
    }
    compute_target t;
    read_fields(r, t, path, v, [&r](const std::string& item, const std::string& key) {
        r.unknown_key(item, key, compute_target_keys(), &spec_keys(), "a top-level key, not part of compute_target");
    });
    // A name of the wrong type is reported as that, not as missing.
    if (!v.contains(std::string(enum_name(compute_target_key::name)))) r.missing(path + ".name", path);
    s.target = std::move(t);
}
/// A target with only a name is written as that name.
inline void write_compute_target(const job_spec& s, ojson& object, const std::string& name) {
    if (s.target) object[name] = s.target->is_name_only() ? ojson(s.target->name) : write_fields(*s.target);
}

template <>
struct spec_fields<tf_config_settings> {
    static constexpr std::array<field<tf_config_key, tf_config_settings>, enum_names<tf_config_key>::table.size()>
        table{{
            named<&tf_config_settings::profile>(tf_config_key::profile),
            named<&tf_config_settings::consumer>(tf_config_key::consumer),
            text<&tf_config_settings::rpc_layer>(tf_config_key::rpc_layer),
            boolean<&tf_config_settings::sparse>(tf_config_key::sparse),
        }};
};
static_assert(fields_in_key_order<tf_config_settings>());

/// false, "flag" or "environment"; true is an error, since it does not say
/// which of the two forms to use.
inline void read_run_as_root(spec_value_reader& r, mpi_settings& m, const std::string& path, std::string_view,
                             const ojson& v, const char*) {
    static const char* choices =
        "false, \"flag\" (--allow-run-as-root) or \"environment\" (OMPI_ALLOW_RUN_AS_ROOT=1 and "
        "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1)";
    m.allow_run_as_root = std::nullopt;
    if (v.is_boolean()) {
        if (!v.get<bool>())
            m.allow_run_as_root = run_as_root::not_allowed;
        else
            r.reject(path, v, std::string("must be ") + choices + "; true does not say which form");
        return;
    }
    if (!v.is_string()) {
        r.type_error(path, v, choices);
        return;
    }
    const auto name = v.get<std::string>();
    m.allow_run_as_root = enum_from_name<run_as_root>(name);
    if (m.allow_run_as_root) return;
    std::string rule = std::string("must be ") + choices;
    if (auto hint = closest_match(name, enum_name_strings<run_as_root>())) rule += "; did you mean \"" + *hint + "\"?";
    r.reject(path, v, rule);
}
inline void write_run_as_root(const mpi_settings& m, ojson& object, const std::string& name) {
    if (m.allow_run_as_root)
        object[name] = *m.allow_run_as_root == run_as_root::not_allowed
                           ? ojson(false)
                           : ojson(std::string(enum_name(*m.allow_run_as_root)));
}

/// name: value (set) or null (remove), in the user's order.
inline void read_mca(spec_value_reader& r, mpi_settings& m, const std::string& path, std::string_view, const ojson& v,
                     const char*) {
    m.mca = r.map_at<mca_setting>(
        path, v, "an object of MCA parameter name: string value, or null to remove a default",
        [&r](const std::string& item, const ojson& value) -> std::optional<std::optional<std::string>> {
            if (value.is_null()) return std::optional<std::string>();
            if (value.is_string()) return std::optional<std::string>(value.get<std::string>());
            r.type_error(item, value, "a string, or null to remove a default (write numbers in quotes)");
            return std::nullopt;
        });
}

template <>
struct spec_fields<mpi_settings> {
    static constexpr std::array<field<mpi_key, mpi_settings>, enum_names<mpi_key>::table.size()> table{{
        named<&mpi_settings::flavor>(mpi_key::flavor),
        {mpi_key::allow_run_as_root, &read_run_as_root, &write_run_as_root},
        text<&mpi_settings::network_interface>(mpi_key::network_interface, "an interface name such as \"eth0\""),
        integer<&mpi_settings::ssh_port>(mpi_key::ssh_port),
        integer<&mpi_settings::open_mpi_major>(mpi_key::open_mpi_major),
        text_or_null<&mpi_settings::bind_to>(mpi_key::bind_to, "such as \"core\""),
        text_or_null<&mpi_settings::map_by>(mpi_key::map_by, "such as \"socket\""),
        {mpi_key::mca, &read_mca, &write_map<&mpi_settings::mca>},
        text_list<&mpi_settings::extra_args>(mpi_key::extra_args),
        text_list<&mpi_settings::command_prefix>(mpi_key::command_prefix),
        boolean<&mpi_settings::trusted_launcher_settings>(mpi_key::trusted_launcher_settings),
    }};
};
static_assert(fields_in_key_order<mpi_settings>());

template <>
struct spec_fields<onnx_export_settings> {
    static constexpr std::array<field<onnx_export_key, onnx_export_settings>, enum_names<onnx_export_key>::table.size()>
        table{{
            text<&onnx_export_settings::saved_model>(onnx_export_key::saved_model,
                                                     "a SavedModel directory relative to the run"),
            text<&onnx_export_settings::output>(onnx_export_key::output, "an .onnx file relative to the run"),
            integer<&onnx_export_settings::opset>(onnx_export_key::opset),
        }};
};
static_assert(fields_in_key_order<onnx_export_settings>());

template <>
struct spec_fields<job_spec> {
    static constexpr std::array<field<spec_key, job_spec>, enum_names<spec_key>::table.size()> table{{
        {spec_key::api_version, &read_api_version, &write_api_version},
        text<&job_spec::name>(spec_key::name),
        text<&job_spec::source_directory>(spec_key::source_directory),
        boolean<&job_spec::writable_source_directory>(spec_key::writable_source_directory),
        text<&job_spec::entry_script>(spec_key::entry_script),
        {spec_key::script_params, &read_script_params, &write_script_params},
        {spec_key::compute_target, &read_compute_target, &write_compute_target},
        text<&job_spec::vm_size>(spec_key::vm_size),
        text<&job_spec::vm_priority>(spec_key::vm_priority),
        integer<&job_spec::node_count>(spec_key::node_count),
        integer<&job_spec::process_count_per_node>(spec_key::process_count_per_node),
        {spec_key::distributed_backend, &read_backend, &write_backend},
        integer<&job_spec::worker_count>(spec_key::worker_count),
        integer<&job_spec::parameter_server_count>(spec_key::parameter_server_count),
        integer<&job_spec::chief_count>(spec_key::chief_count),
        integer<&job_spec::evaluator_count>(spec_key::evaluator_count),
        boolean<&job_spec::use_gpu>(spec_key::use_gpu),
        boolean<&job_spec::use_docker>(spec_key::use_docker),
        text<&job_spec::custom_docker_image>(spec_key::custom_docker_image),
        boolean<&job_spec::user_managed>(spec_key::user_managed),
        text_list<&job_spec::conda_packages>(spec_key::conda_packages),
        text_list<&job_spec::pip_packages>(spec_key::pip_packages),
        text<&job_spec::conda_dependencies_file>(spec_key::conda_dependencies_file),
        text<&job_spec::pip_requirements_file>(spec_key::pip_requirements_file),
        {spec_key::environment_variables, &read_environment, &write_map<&job_spec::environment_variables>},
        text<&job_spec::shm_size>(spec_key::shm_size, "Docker syntax such as \"2g\""),
        integer<&job_spec::max_run_duration_seconds>(spec_key::max_run_duration_seconds),
        // A number would lose "2.10" to 2.1, so only strings are accepted.
        text<&job_spec::framework_version>(spec_key::framework_version,
                                           "for example \"2.16\"; a number cannot say 2.10"),
        boolean<&job_spec::keras>(spec_key::keras),
        integer<&job_spec::port>(spec_key::port),
        object<&job_spec::tf_config>(spec_key::tf_config),
        object<&job_spec::mpi>(spec_key::mpi),
        object<&job_spec::onnx_export>(spec_key::onnx_export),
        text<&job_spec::image_registry>(spec_key::image_registry,
                                        "registry/repository, for example \"ghcr.io/acme/mnist\""),
        named<&job_spec::slurm_environment>(spec_key::slurm_environment),
        object<&job_spec::sweep>(spec_key::sweep),
    }};
};
static_assert(fields_in_key_order<job_spec>());

/// Reads a document's fields; a key of another level gets a hint that says so.
inline job_spec read_job_spec(spec_value_reader& r, const ojson& doc) {
    job_spec s;
    if (!doc.is_object()) {
        r.type_error("$", doc, "a JSON object");
        return s;
    }
    read_fields(r, s, "", doc, [&r](const std::string& item, const std::string& key) {
        if (closest_match(key, spec_keys()) || closest_match(key, compute_target_keys()))
            r.unknown_key(item, key, spec_keys(), &compute_target_keys(),
                          "a key of compute_target, not a top-level key");
        else
            r.unknown_key(item, key, spec_keys(), &mpi_settings_keys(), "a key of mpi, not a top-level key");
    });
    return s;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/spec_field_tables.hpp
// begin file include/trainspec/detail/utf8.hpp
// Whether bytes are UTF-8 as RFC 3629 defines it (no overlong forms, no
// surrogates, nothing past U+10FFFF): the text JSON holds.

#include <cstddef>
#include <string_view>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// The offset of the first byte that starts no valid UTF-8 sequence, or
/// npos when all of `text` is UTF-8.
inline std::size_t first_invalid_utf8(std::string_view text) noexcept {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        if (lead < 0x80) {
            ++i;
            continue;
        }
        // The sequence's length and the range of its second byte (RFC 3629, section 4).
        std::size_t length = 0;
        unsigned char low = 0x80, high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            if (lead == 0xE0) low = 0xA0;
            if (lead == 0xED) high = 0x9F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            if (lead == 0xF0) low = 0x90;
            if (lead == 0xF4) high = 0x8F;
        } else {
            return i;
        }
        if (text.size() - i < length) return i;
        const auto second = static_cast<unsigned char>(text[i + 1]);
        if (second < low || second > high) return i;
        for (std::size_t k = 2; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if (next < 0x80 || next > 0xBF) return i;
        }
        i += length;
    }
    return std::string_view::npos;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/utf8.hpp

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// One problem for each top-level field whose text (a key or a value) is not
/// UTF-8, at the first such text. Each field is written as the spec's JSON
/// writes it, one at a time.
inline void check_text_encoding(spec_rule_context& rules) {
    const auto not_utf8 = [](const std::string& text) { return first_invalid_utf8(text) != std::string_view::npos; };
    for (const auto& row : spec_fields<job_spec>::table) {
        ojson field = ojson::object();
        row.write(rules.spec, field, std::string(enum_name(row.key)));
        const auto path = first_text_path(field, not_utf8);
        if (path.empty()) continue;
        rules.add(path, "",
                  "is not UTF-8 text: the spec is JSON, and so are TF_CONFIG and the manifests rendered from it");
    }
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/text_encoding_rules.hpp

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

class rule_checker {
public:
    /// `unreadable`: paths whose values could not be read; the rules that
    /// read them are skipped (spec_rule_context).
    explicit rule_checker(const job_spec& s, std::vector<std::string> unreadable = {})
        : rules_(s, std::move(unreadable)) {}

    problems run() {
        check_required(rules_);
        check_compute(rules_);
        check_counts(rules_);
        check_limits(rules_);
        check_backend_fields(rules_);
        check_capacity(rules_);
        check_framework(rules_);
        check_paths(rules_);
        check_packages(rules_);
        check_container(rules_);
        check_environment(rules_);
        check_script_params(rules_);
        check_name(rules_);
        check_tensorflow_cluster(rules_);
        check_mpi(rules_);
        check_onnx_export(rules_);
        check_image(rules_);
        check_release_pins(rules_);
        check_sweep(rules_);
        check_text_encoding(rules_);
        return std::move(rules_.found);
    }

private:
    spec_rule_context rules_;
};

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/job_rules.hpp

TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_INLINE problems validate(const job_spec& spec) { return detail::rule_checker(spec).run(); }
TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/validate.hpp

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
any_job make_job(job_spec spec);

/// Validates `spec` as a job of the given backend. Throws validation_error
/// listing every problem, including a backend that differs from Backend.
template <class Backend>
job<Backend> make_job_as(job_spec spec);

/// The backend of a runtime job.
backend_kind backend_of(const any_job& j);

/// The spec behind a runtime job.
const job_spec& spec_of(const any_job& j);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS

TRAINSPEC_BEGIN_NAMESPACE
template <class Backend>
job<Backend> make_job_as(job_spec spec) {
    auto found = validate(spec);
    if (effective_backend(spec) != Backend::kind)
        found.push_back({"distributed_backend",
                         effective_backend(spec) == backend_kind::single_node
                             ? std::string()
                             : detail::quote_json(enum_name(effective_backend(spec))),
                         Backend::kind == backend_kind::single_node
                             ? std::string("must be absent (or null) for a single-node job")
                             : "must be \"" + std::string(enum_name(Backend::kind)) + "\" for this job type"});
    if (!found.empty()) throw validation_error(std::move(found));
    return detail::make_validated<Backend>(std::move(spec));
}

TRAINSPEC_INLINE any_job make_job(job_spec spec) {
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

TRAINSPEC_INLINE backend_kind backend_of(const any_job& j) {
    return std::visit([](const auto& typed) { return std::decay_t<decltype(typed)>::backend::kind; }, j);
}

TRAINSPEC_INLINE const job_spec& spec_of(const any_job& j) {
    return std::visit([](const auto& typed) -> const job_spec& { return typed.spec(); }, j);
}
TRAINSPEC_END_NAMESPACE
#endif

#ifdef TRAINSPEC_COMPILED_LIB
#define TRAINSPEC_MAKE_JOB_AS(B) TRAINSPEC_INSTANTIATE job<B> make_job_as(job_spec spec);
TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_FOR_EACH_BACKEND(TRAINSPEC_MAKE_JOB_AS)
TRAINSPEC_END_NAMESPACE
#undef TRAINSPEC_MAKE_JOB_AS
#endif
// end file include/trainspec/job.hpp
// begin file include/trainspec/sweep_builder.hpp
// The builder's typed sweep: the sampling is part of the type, so an
// expression or a setting that sampling cannot take does not compile
// (docs/builder.md, docs/sweeps.md). What only the values can tell (ranges,
// counts) is validate()'s, as for the spec.
//
//   auto sweep = trainspec::random_sweep()
//                    .seed(42)
//                    .loguniform("--learning-rate", -6, -1)
//                    .choice("--batch-size", {32, 64, 128})
//                    .objective("accuracy", trainspec::objective_goal::maximize)
//                    .max_total_trials(20);
//   auto job = trainspec::tensorflow()...sweep(std::move(sweep)).build();

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE

struct grid_sampling {
    static constexpr sampling_kind kind = sampling_kind::grid;
};
struct random_sampling {
    static constexpr sampling_kind kind = sampling_kind::random;
};
struct bayesian_sampling {
    static constexpr sampling_kind kind = sampling_kind::bayesian;
};

template <class Sampling>
class sweep_builder {
    static_assert(std::is_same_v<Sampling, grid_sampling> || std::is_same_v<Sampling, random_sampling> ||
                      std::is_same_v<Sampling, bayesian_sampling>,
                  "sweep_builder<Sampling>: Sampling must be grid_sampling, random_sampling or bayesian_sampling");
    static constexpr bool grid = std::is_same_v<Sampling, grid_sampling>;
    static constexpr bool bayesian = std::is_same_v<Sampling, bayesian_sampling>;

public:
    sweep_builder() {
        settings_.sampling = sampling_algorithm{Sampling::kind, std::nullopt, std::nullopt};
        settings_.limits = sweep_limits{};
    }

    /// One of `values`.
    sweep_builder choice(std::string name, std::vector<param_scalar> values) && {
        search_distribution d;
        d.type = distribution_kind::choice;
        d.values = std::move(values);
        return std::move(*this).add(std::move(name), std::move(d));
    }
    /// An integer from 0 to upper - 1.
    template <class S = Sampling>
    sweep_builder randint(std::string name, std::int64_t upper) && {
        static_assert(!std::is_same_v<S, grid_sampling>,
                      "randint(): grid sampling takes choice() only: list the values with choice()");
        static_assert(!std::is_same_v<S, bayesian_sampling>,
                      "randint(): bayesian sampling takes choice(), uniform() and quniform() only");
        search_distribution d;
        d.type = distribution_kind::randint;
        d.upper = upper;
        return std::move(*this).add(std::move(name), std::move(d));
    }
    template <class S = Sampling>
    sweep_builder uniform(std::string name, double min_value, double max_value) && {
        static_assert(!std::is_same_v<S, grid_sampling>,
                      "uniform(): grid sampling takes choice() only: a range cannot be listed as a grid");
        return std::move(*this).range(std::move(name), distribution_kind::uniform, min_value, max_value, std::nullopt);
    }
    template <class S = Sampling>
    sweep_builder quniform(std::string name, double min_value, double max_value, double q) && {
        static_assert(!std::is_same_v<S, grid_sampling>,
                      "quniform(): grid sampling takes choice() only: a range cannot be listed as a grid");
        return std::move(*this).range(std::move(name), distribution_kind::quniform, min_value, max_value, q);
    }
    /// exp(uniform(min_exponent, max_exponent)), as HyperDrive's loguniform.
    template <class S = Sampling>
    sweep_builder loguniform(std::string name, double min_exponent, double max_exponent) && {
        continuous_only<S>();
        return std::move(*this).range(std::move(name), distribution_kind::loguniform, min_exponent, max_exponent,
                                      std::nullopt);
    }
    template <class S = Sampling>
    sweep_builder qloguniform(std::string name, double min_exponent, double max_exponent, double q) && {
        continuous_only<S>();
        return std::move(*this).range(std::move(name), distribution_kind::qloguniform, min_exponent, max_exponent, q);
    }
    template <class S = Sampling>
    sweep_builder normal(std::string name, double mu, double sigma) && {
        continuous_only<S>();
        return std::move(*this).gaussian(std::move(name), distribution_kind::normal, mu, sigma, std::nullopt);
    }
    template <class S = Sampling>
    sweep_builder qnormal(std::string name, double mu, double sigma, double q) && {
        continuous_only<S>();
        return std::move(*this).gaussian(std::move(name), distribution_kind::qnormal, mu, sigma, q);
    }
    template <class S = Sampling>
    sweep_builder lognormal(std::string name, double mu, double sigma) && {
        continuous_only<S>();
        return std::move(*this).gaussian(std::move(name), distribution_kind::lognormal, mu, sigma, std::nullopt);
    }
    template <class S = Sampling>
    sweep_builder qlognormal(std::string name, double mu, double sigma, double q) && {
        continuous_only<S>();
        return std::move(*this).gaussian(std::move(name), distribution_kind::qlognormal, mu, sigma, q);
    }

    template <class S = Sampling>
    sweep_builder seed(std::int64_t value) && {
        static_assert(std::is_same_v<S, random_sampling>, "seed(): applies to random sampling only");
        settings_.sampling->seed = value;
        return std::move(*this);
    }
    template <class S = Sampling>
    sweep_builder rule(random_rule value) && {
        static_assert(std::is_same_v<S, random_sampling>, "rule(): applies to random sampling only");
        settings_.sampling->rule = value;
        return std::move(*this);
    }
    sweep_builder objective(std::string primary_metric, objective_goal goal) && {
        settings_.objective = sweep_objective{std::move(primary_metric), goal};
        return std::move(*this);
    }
    sweep_builder max_total_trials(int n) && {
        settings_.limits->max_total_trials = n;
        return std::move(*this);
    }
    sweep_builder max_concurrent_trials(int n) && {
        settings_.limits->max_concurrent_trials = n;
        return std::move(*this);
    }
    sweep_builder timeout(std::int64_t seconds) && {
        settings_.limits->timeout = seconds;
        return std::move(*this);
    }
    sweep_builder trial_timeout(std::int64_t seconds) && {
        settings_.limits->trial_timeout = seconds;
        return std::move(*this);
    }
    template <class S = Sampling>
    sweep_builder early_termination(trainspec::early_termination policy) && {
        static_assert(!std::is_same_v<S, bayesian_sampling>,
                      "early_termination(): bayesian sampling does not support early termination");
        settings_.termination = std::move(policy);
        return std::move(*this);
    }

    const sweep_settings& settings() const& noexcept { return settings_; }
    sweep_settings settings() && noexcept { return std::move(settings_); }

private:
    template <class S>
    static constexpr void continuous_only() {
        static_assert(!std::is_same_v<S, grid_sampling>,
                      "grid sampling takes choice() only: a range cannot be listed as a grid");
        static_assert(!std::is_same_v<S, bayesian_sampling>,
                      "bayesian sampling takes choice(), uniform() and quniform() only");
    }
    sweep_builder add(std::string name, search_distribution d) && {
        settings_.search_space.push_back({std::move(name), std::move(d)});
        return std::move(*this);
    }
    sweep_builder range(std::string name, distribution_kind kind, double low, double high, std::optional<double> q) && {
        search_distribution d;
        d.type = kind;
        d.min_value = low;
        d.max_value = high;
        d.q = q;
        return std::move(*this).add(std::move(name), std::move(d));
    }
    sweep_builder gaussian(std::string name, distribution_kind kind, double mu, double sigma,
                           std::optional<double> q) && {
        search_distribution d;
        d.type = kind;
        d.mu = mu;
        d.sigma = sigma;
        d.q = q;
        return std::move(*this).add(std::move(name), std::move(d));
    }

    sweep_settings settings_;
};

inline sweep_builder<grid_sampling> grid_sweep() { return {}; }
inline sweep_builder<random_sampling> random_sweep() { return {}; }
inline sweep_builder<bayesian_sampling> bayesian_sweep() { return {}; }

TRAINSPEC_END_NAMESPACE
// end file include/trainspec/sweep_builder.hpp

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {
/// NodeCount when the node count is not a compile-time constant.
inline constexpr int runtime_count = -1;
}  // namespace detail

template <class Backend = single_node, detail::key_set Keys = 0, int NodeCount = detail::runtime_count>
class job_builder {
    static_assert(is_backend_v<Backend>,
                  "job_builder<Backend>: Backend must be single_node, mpi, parameter_server or multi_worker");

    static constexpr bool has(spec_key key) { return detail::contains(Keys, key); }

    /// The checks of a call of Key's setter, then the call's own (Extra).
    template <spec_key Key, class... Extra>
    using rules = detail::setter_checks<Key, Backend, Keys, Extra...>;
    template <spec_key Key, bool InRange>
    using count_rules = rules<Key, detail::check<InRange, detail::count_out_of_range<Key>>>;
    template <class B>
    using backend_choice_rules =
        rules<spec_key::distributed_backend, detail::check<is_backend_v<B>, detail::not_a_backend>,
              detail::check<!std::is_same_v<B, single_node>, detail::single_node_chosen>>;

public:
    using backend = Backend;
    /// What a setter returns: Key recorded, maybe a new backend or node count.
    template <spec_key Key, class NextBackend = Backend, int NextNodeCount = NodeCount>
    using next_builder = job_builder<NextBackend, detail::with(Keys, Key), NextNodeCount>;

    // ---- what the type allows: the checks that build() and the setters report ----
    static constexpr bool has_source_directory = has(spec_key::source_directory);
    static constexpr bool has_entry_script = has(spec_key::entry_script);
    static constexpr bool has_compute_target = has(spec_key::compute_target) || has(spec_key::vm_size);
    static constexpr bool node_count_needs_backend = NodeCount > 1 && std::is_same_v<Backend, single_node>;
    using build_rules =
        detail::all_of<detail::check<has_source_directory, detail::missing_for_build<spec_key::source_directory>>,
                       detail::check<has_entry_script, detail::missing_for_build<spec_key::entry_script>>,
                       detail::check<has_compute_target, detail::missing_for_build<spec_key::compute_target>>,
                       detail::check<!node_count_needs_backend, detail::node_count_without_backend>>;
    static constexpr bool ready_to_build = build_rules::ok;

    /// Whether Key's setter may be called now.
    template <spec_key Key>
    static constexpr bool accepts = rules<Key>::ok;
    static constexpr bool accepts_backend = accepts<spec_key::distributed_backend>;
    static constexpr bool accepts_worker_count = accepts<spec_key::worker_count>;
    static constexpr bool accepts_parameter_server_count = accepts<spec_key::parameter_server_count>;
    static constexpr bool accepts_chief_count = accepts<spec_key::chief_count>;
    static constexpr bool accepts_evaluator_count = accepts<spec_key::evaluator_count>;
    static constexpr bool accepts_process_count_per_node = accepts<spec_key::process_count_per_node>;
    static constexpr bool accepts_port = accepts<spec_key::port>;
    static constexpr bool accepts_tf_config = accepts<spec_key::tf_config>;
    static constexpr bool accepts_mpi_launch = accepts<spec_key::mpi>;
    static constexpr bool accepts_user_managed = accepts<spec_key::user_managed>;
    static constexpr bool accepts_conda_dependencies_file = accepts<spec_key::conda_dependencies_file>;
    /// Whether package lists may be added (however many are set already).
    static constexpr bool accepts_packages =
        !detail::package_sources_clash(detail::with(Keys, spec_key::conda_packages));
    template <int N>
    static constexpr bool accepts_node_count = count_rules<spec_key::node_count, (N >= 1)>::ok;

    job_builder() = default;

    // ---- the estimator's parameters ----
    // On a temporary (&&) a setter moves the spec on; on a named builder
    // (const&) it works on a copy, so the named builder stays as it is.

    next_builder<spec_key::name> name(std::string job_name) && {
        return set<rules<spec_key::name>>(&job_spec::name, std::move(job_name));
    }
    next_builder<spec_key::name> name(std::string job_name) const& {
        return job_builder(*this).name(std::move(job_name));
    }
    next_builder<spec_key::source_directory> source_directory(std::string dir) && {
        return set<rules<spec_key::source_directory>>(&job_spec::source_directory, std::move(dir));
    }
    next_builder<spec_key::source_directory> source_directory(std::string dir) const& {
        return job_builder(*this).source_directory(std::move(dir));
    }
    /// Containers mount the source directory read-only unless this is set
    /// (or the job has onnx_export, which writes there).
    next_builder<spec_key::writable_source_directory> writable_source_directory(bool writable = true) && {
        return set<rules<spec_key::writable_source_directory>>(&job_spec::writable_source_directory, writable);
    }
    next_builder<spec_key::writable_source_directory> writable_source_directory(bool writable = true) const& {
        return job_builder(*this).writable_source_directory(writable);
    }
    next_builder<spec_key::entry_script> entry_script(std::string script) && {
        return set<rules<spec_key::entry_script>>(&job_spec::entry_script, std::move(script));
    }
    next_builder<spec_key::entry_script> entry_script(std::string script) const& {
        return job_builder(*this).entry_script(std::move(script));
    }
    next_builder<spec_key::script_params> script_params(trainspec::script_params params) && {
        return set<rules<spec_key::script_params>>(&job_spec::params, std::move(params));
    }
    next_builder<spec_key::script_params> script_params(trainspec::script_params params) const& {
        return job_builder(*this).script_params(std::move(params));
    }

    /// A named target ("gpu-cluster", "local") or a compute_target with its
    /// node shape and hosts.
    next_builder<spec_key::compute_target> compute_target(trainspec::compute_target target) && {
        return set<rules<spec_key::compute_target>>(&job_spec::target, std::move(target));
    }
    next_builder<spec_key::compute_target> compute_target(trainspec::compute_target target) const& {
        return job_builder(*this).compute_target(std::move(target));
    }
    /// Creates a target of this VM size instead of naming one (Azure ML).
    next_builder<spec_key::vm_size> vm_size(std::string size) && {
        return set<rules<spec_key::vm_size>>(&job_spec::vm_size, std::move(size));
    }
    next_builder<spec_key::vm_size> vm_size(std::string size) const& {
        return job_builder(*this).vm_size(std::move(size));
    }
    next_builder<spec_key::vm_priority> vm_priority(std::string priority) && {
        return set<rules<spec_key::vm_priority>>(&job_spec::vm_priority, std::move(priority));
    }
    next_builder<spec_key::vm_priority> vm_priority(std::string priority) const& {
        return job_builder(*this).vm_priority(std::move(priority));
    }

    next_builder<spec_key::node_count> node_count(int nodes) && {
        return set<rules<spec_key::node_count>>(&job_spec::node_count, nodes);
    }
    next_builder<spec_key::node_count> node_count(int nodes) const& { return job_builder(*this).node_count(nodes); }
    /// A node count known at compile time: at least 1, and above 1 only with
    /// a distributed backend (checked by build()).
    template <int N>
    next_builder<spec_key::node_count, Backend, N> node_count() && {
        return set<count_rules<spec_key::node_count, (N >= 1)>, Backend, N>(&job_spec::node_count, N);
    }
    template <int N>
    next_builder<spec_key::node_count, Backend, N> node_count() const& {
        return job_builder(*this).template node_count<N>();
    }
    /// Chooses the backend: trainspec::mpi{}, parameter_server{} or
    /// multi_worker{}. Backend-only setters become available after it.
    template <class B>
    next_builder<spec_key::distributed_backend, detail::chosen_backend_t<B, Backend>> distributed_backend(B = {}) && {
        using chosen = detail::chosen_backend_t<B, Backend>;
        return set<backend_choice_rules<B>, chosen>(&job_spec::distributed_backend, chosen::kind);
    }
    template <class B>
    next_builder<spec_key::distributed_backend, detail::chosen_backend_t<B, Backend>> distributed_backend(
        B backend = {}) const& {
        return job_builder(*this).distributed_backend(backend);
    }
    next_builder<spec_key::process_count_per_node> process_count_per_node(int processes) && {
        return set<rules<spec_key::process_count_per_node>>(&job_spec::process_count_per_node, processes);
    }
    next_builder<spec_key::process_count_per_node> process_count_per_node(int processes) const& {
        return job_builder(*this).process_count_per_node(processes);
    }
    template <int N>
    next_builder<spec_key::process_count_per_node> process_count_per_node() && {
        return set<count_rules<spec_key::process_count_per_node, (N >= 1)>>(&job_spec::process_count_per_node, N);
    }
    template <int N>
    next_builder<spec_key::process_count_per_node> process_count_per_node() const& {
        return job_builder(*this).template process_count_per_node<N>();
    }
    next_builder<spec_key::worker_count> worker_count(int workers) && {
        return set<rules<spec_key::worker_count>>(&job_spec::worker_count, workers);
    }
    next_builder<spec_key::worker_count> worker_count(int workers) const& {
        return job_builder(*this).worker_count(workers);
    }
    template <int N>
    next_builder<spec_key::worker_count> worker_count() && {
        return set<count_rules<spec_key::worker_count, (N >= 1)>>(&job_spec::worker_count, N);
    }
    template <int N>
    next_builder<spec_key::worker_count> worker_count() const& {
        return job_builder(*this).template worker_count<N>();
    }
    next_builder<spec_key::parameter_server_count> parameter_server_count(int servers) && {
        return set<rules<spec_key::parameter_server_count>>(&job_spec::parameter_server_count, servers);
    }
    next_builder<spec_key::parameter_server_count> parameter_server_count(int servers) const& {
        return job_builder(*this).parameter_server_count(servers);
    }
    template <int N>
    next_builder<spec_key::parameter_server_count> parameter_server_count() && {
        return set<count_rules<spec_key::parameter_server_count, (N >= 1)>>(&job_spec::parameter_server_count, N);
    }
    template <int N>
    next_builder<spec_key::parameter_server_count> parameter_server_count() const& {
        return job_builder(*this).template parameter_server_count<N>();
    }
    next_builder<spec_key::chief_count> chief_count(int chiefs) && {
        return set<rules<spec_key::chief_count>>(&job_spec::chief_count, chiefs);
    }
    next_builder<spec_key::chief_count> chief_count(int chiefs) const& {
        return job_builder(*this).chief_count(chiefs);
    }
    template <int N>
    next_builder<spec_key::chief_count> chief_count() && {
        return set<count_rules<spec_key::chief_count, (N == 0 || N == 1)>>(&job_spec::chief_count, N);
    }
    template <int N>
    next_builder<spec_key::chief_count> chief_count() const& {
        return job_builder(*this).template chief_count<N>();
    }
    next_builder<spec_key::evaluator_count> evaluator_count(int evaluators) && {
        return set<rules<spec_key::evaluator_count>>(&job_spec::evaluator_count, evaluators);
    }
    next_builder<spec_key::evaluator_count> evaluator_count(int evaluators) const& {
        return job_builder(*this).evaluator_count(evaluators);
    }
    template <int N>
    next_builder<spec_key::evaluator_count> evaluator_count() && {
        return set<count_rules<spec_key::evaluator_count, (N == 0 || N == 1)>>(&job_spec::evaluator_count, N);
    }
    template <int N>
    next_builder<spec_key::evaluator_count> evaluator_count() const& {
        return job_builder(*this).template evaluator_count<N>();
    }

    next_builder<spec_key::use_gpu> use_gpu(bool gpu = true) && {
        return set<rules<spec_key::use_gpu>>(&job_spec::use_gpu, gpu);
    }
    next_builder<spec_key::use_gpu> use_gpu(bool gpu = true) const& { return job_builder(*this).use_gpu(gpu); }
    next_builder<spec_key::use_docker> use_docker(bool docker) && {
        return set<rules<spec_key::use_docker>>(&job_spec::use_docker, docker);
    }
    next_builder<spec_key::use_docker> use_docker(bool docker) const& { return job_builder(*this).use_docker(docker); }
    next_builder<spec_key::custom_docker_image> custom_docker_image(std::string image) && {
        return set<rules<spec_key::custom_docker_image>>(&job_spec::custom_docker_image, std::move(image));
    }
    next_builder<spec_key::custom_docker_image> custom_docker_image(std::string image) const& {
        return job_builder(*this).custom_docker_image(std::move(image));
    }

    /// The image already holds every package: no package lists or files.
    next_builder<spec_key::user_managed> user_managed() && {
        return set<rules<spec_key::user_managed>>(&job_spec::user_managed, true);
    }
    next_builder<spec_key::user_managed> user_managed() const& { return job_builder(*this).user_managed(); }
    next_builder<spec_key::conda_packages> conda_packages(std::vector<std::string> packages) && {
        return set<rules<spec_key::conda_packages>>(&job_spec::conda_packages, std::move(packages));
    }
    next_builder<spec_key::conda_packages> conda_packages(std::vector<std::string> packages) const& {
        return job_builder(*this).conda_packages(std::move(packages));
    }
    next_builder<spec_key::pip_packages> pip_packages(std::vector<std::string> packages) && {
        return set<rules<spec_key::pip_packages>>(&job_spec::pip_packages, std::move(packages));
    }
    next_builder<spec_key::pip_packages> pip_packages(std::vector<std::string> packages) const& {
        return job_builder(*this).pip_packages(std::move(packages));
    }
    next_builder<spec_key::pip_requirements_file> pip_requirements_file(std::string file) && {
        return set<rules<spec_key::pip_requirements_file>>(&job_spec::pip_requirements_file, std::move(file));
    }
    next_builder<spec_key::pip_requirements_file> pip_requirements_file(std::string file) const& {
        return job_builder(*this).pip_requirements_file(std::move(file));
    }
    /// A conda environment file that lists every package of the job.
    next_builder<spec_key::conda_dependencies_file> conda_dependencies_file(std::string file) && {
        return set<rules<spec_key::conda_dependencies_file>>(&job_spec::conda_dependencies_file, std::move(file));
    }
    next_builder<spec_key::conda_dependencies_file> conda_dependencies_file(std::string file) const& {
        return job_builder(*this).conda_dependencies_file(std::move(file));
    }

    next_builder<spec_key::environment_variables> environment_variables(
        std::vector<environment_variable> variables) && {
        return set<rules<spec_key::environment_variables>>(&job_spec::environment_variables, std::move(variables));
    }
    next_builder<spec_key::environment_variables> environment_variables(
        std::vector<environment_variable> variables) const& {
        return job_builder(*this).environment_variables(std::move(variables));
    }
    next_builder<spec_key::shm_size> shm_size(std::string size) && {
        return set<rules<spec_key::shm_size>>(&job_spec::shm_size, std::move(size));
    }
    next_builder<spec_key::shm_size> shm_size(std::string size) const& {
        return job_builder(*this).shm_size(std::move(size));
    }
    next_builder<spec_key::max_run_duration_seconds> max_run_duration_seconds(std::int64_t seconds) && {
        return set<rules<spec_key::max_run_duration_seconds>>(&job_spec::max_run_duration_seconds, seconds);
    }
    next_builder<spec_key::max_run_duration_seconds> max_run_duration_seconds(std::int64_t seconds) const& {
        return job_builder(*this).max_run_duration_seconds(seconds);
    }
    next_builder<spec_key::framework_version> framework_version(std::string version) && {
        return set<rules<spec_key::framework_version>>(&job_spec::framework_version, std::move(version));
    }
    next_builder<spec_key::framework_version> framework_version(std::string version) const& {
        return job_builder(*this).framework_version(std::move(version));
    }

    /// The first port of the TensorFlow tasks on a host (ps, multi_worker).
    next_builder<spec_key::port> port(int first_port) && {
        return set<rules<spec_key::port>>(&job_spec::port, first_port);
    }
    next_builder<spec_key::port> port(int first_port) const& { return job_builder(*this).port(first_port); }
    /// How TF_CONFIG is written (profile, rpc_layer, sparse) and which
    /// TensorFlow API reads it (consumer); ps and multi_worker jobs.
    next_builder<spec_key::tf_config> tf_config(tf_config_settings settings) && {
        return set<rules<spec_key::tf_config>>(&job_spec::tf_config, std::move(settings));
    }
    next_builder<spec_key::tf_config> tf_config(tf_config_settings settings) const& {
        return job_builder(*this).tf_config(std::move(settings));
    }
    /// How an mpi job is launched: flavor, root, interface, ssh port, MCA...
    next_builder<spec_key::mpi> mpi_launch(mpi_settings settings) && {
        return set<rules<spec_key::mpi>>(&job_spec::mpi, std::move(settings));
    }
    next_builder<spec_key::mpi> mpi_launch(mpi_settings settings) const& {
        return job_builder(*this).mpi_launch(std::move(settings));
    }

    /// Converts the trained SavedModel to ONNX after training (tf2onnx).
    next_builder<spec_key::onnx_export> onnx_export(onnx_export_settings settings = {}) && {
        return set<rules<spec_key::onnx_export>>(&job_spec::onnx_export, std::move(settings));
    }
    next_builder<spec_key::onnx_export> onnx_export(onnx_export_settings settings = {}) const& {
        return job_builder(*this).onnx_export(std::move(settings));
    }
    /// Where the job's built image goes: `registry/repository`, no tag.
    next_builder<spec_key::image_registry> image_registry(std::string repository) && {
        return set<rules<spec_key::image_registry>>(&job_spec::image_registry, std::move(repository));
    }
    next_builder<spec_key::image_registry> image_registry(std::string repository) const& {
        return job_builder(*this).image_registry(std::move(repository));
    }
    /// How Slurm tasks reach the job's environment.
    next_builder<spec_key::slurm_environment> slurm_environment(slurm_environment_kind kind) && {
        return set<rules<spec_key::slurm_environment>>(&job_spec::slurm_environment, kind);
    }
    next_builder<spec_key::slurm_environment> slurm_environment(slurm_environment_kind kind) const& {
        return job_builder(*this).slurm_environment(kind);
    }
    /// A hyperparameter sweep over the entry script's parameters
    /// (grid_sweep(), random_sweep(), bayesian_sweep()).
    template <class Sampling>
    next_builder<spec_key::sweep> sweep(sweep_builder<Sampling> sweep) && {
        return set<rules<spec_key::sweep>>(&job_spec::sweep, std::move(sweep).settings());
    }
    template <class Sampling>
    next_builder<spec_key::sweep> sweep(sweep_builder<Sampling> sweep) const& {
        return job_builder(*this).sweep(std::move(sweep));
    }
    // ---- results ----

    /// The spec as set so far (not validated).
    const job_spec& spec() const noexcept { return spec_; }

    /// Every run-time problem of the job as set so far.
    problems validate() const { return trainspec::validate(spec_); }

    /// The validated job. Throws validation_error listing every problem.
    job<Backend> build() && {
        build_rules::report();
        return make_job_as<Backend>(std::move(spec_));
    }
    job<Backend> build() const& { return job_builder(*this).build(); }

private:
    template <class, detail::key_set, int>
    friend class job_builder;
    friend job_builder<> tensorflow();
    friend job_builder<> keras();

    explicit job_builder(job_spec spec) : spec_(std::move(spec)) {}

    /// Reports the first failing check of Rules, or sets the field and moves
    /// the spec into the next builder.
    template <class Rules, class NextBackend = Backend, int NextNodeCount = NodeCount, class Field, class Value>
    next_builder<Rules::key, NextBackend, NextNodeCount> set(Field job_spec::*field, Value&& value) {
        Rules::report();
        spec_.*field = std::forward<Value>(value);
        return next_builder<Rules::key, NextBackend, NextNodeCount>(std::move(spec_));
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
// Keys are Azure ML's estimator parameter names (docs/spec.md). Reading
// collects every problem at once: syntax errors with line and column,
// duplicate keys, unknown keys (with a "did you mean" hint), wrong types,
// then the job rules of validate(); each problem names its JSON path.
// Writing gives the same spec back: spec -> JSON -> spec is the identity,
// and script_params keep their order. Both walk the field tables of
// detail/spec_field_tables.hpp.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>


TRAINSPEC_BEGIN_NAMESPACE

/// How a spec document is read.
struct spec_read_options {
    /// As if an mpi job's spec set "mpi": {"trusted_launcher_settings":
    /// true}: the reader vouches for it (docs/security.md).
    bool trust_launcher_settings = false;
};

/// Reads a spec document's fields. Problems of syntax and type go to
/// `found` (every one of them, up to max_listed_problems: docs/limits.md);
/// the job rules are not checked here. A value
/// that could not be read is left unset; in a list it keeps its place, empty,
/// so that the indices stay those of the document.
job_spec read_spec(std::string_view text, problems& found);

/// Every problem of a spec document: syntax, keys and types, then the job
/// rules (leaving out rules about values that already had the wrong type).
problems check_spec(std::string_view text, const spec_read_options& options = {});

/// Reads and validates a spec document. Throws validation_error listing
/// every problem.
any_job load_job(std::string_view text, const spec_read_options& options = {});

/// The spec as a trainspec/v1 JSON document; only the fields that are set,
/// in spec_keys() order.
nlohmann::ordered_json to_json(const job_spec& s);

/// The spec as text: 2-space indented JSON with a final newline.
std::string dump_spec(const job_spec& s);

/// script_params as the spec writes them: an object in the user's order, or
/// an array of [key, value] pairs when a key repeats.
nlohmann::ordered_json to_json(const script_params& params);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <utility>
#include <vector>

// begin file include/trainspec/detail/spec_parse.hpp
// Parsing a spec's text in one pass: the value, the duplicate keys (JSON
// readers keep only one of them, silently) and a syntax error with its line
// and column; the text's size, its nesting and its keys stay within
// docs/limits.md.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// "at line L, column C" of the parser's byte position, counted as the
/// parser counts: a column is the bytes read on its line, and a newline the
/// parser looked at past a number and put back leaves column 0.
inline std::string parse_position(std::string_view text, std::size_t byte) {
    const auto read = text.substr(0, byte);
    std::size_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < read.size(); ++i)
        if (read[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    std::size_t column = byte - line_start;
    const bool put_back_newline =
        byte > 0 && byte < text.size() && text[byte] == '\n' && text[byte - 1] >= '0' && text[byte - 1] <= '9';
    if (put_back_newline) column = 0;
    return "at line " + std::to_string(line) + ", column " + std::to_string(column);
}

/// Builds a spec's document as nlohmann's parser does (a repeated key keeps
/// its first place and its last value) and notes the duplicate keys, which
/// JSON readers drop silently. Linear in the text: an object's keys are found
/// by hash, and the path of the value being read is one string that grows
/// and shrinks with the levels. Stops at the limits of docs/limits.md.
class spec_document_builder {
public:
    /// Thrown past a limit, once its problem is noted.
    struct stopped {};

    spec_document_builder(ojson& root, problems& found) : root_(root), found_(found) {}

    bool null() { return put(nullptr); }
    bool boolean(bool v) { return put(v); }
    bool number_integer(ojson::number_integer_t v) { return put(v); }
    bool number_unsigned(ojson::number_unsigned_t v) { return put(v); }
    bool number_float(ojson::number_float_t v, const ojson::string_t& /*text*/) { return put(v); }
    bool string(ojson::string_t& v) { return put(std::move(v)); }
    bool binary(ojson::binary_t& v) { return put(ojson::binary(v)); }
    bool start_object(std::size_t /*size*/) { return open(ojson::object()); }
    bool start_array(std::size_t /*size*/) { return open(ojson::array()); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }

    bool key(ojson::string_t& k) {
        auto& object = levels_.back();
        if (k.size() > max_key_bytes) {
            note(path_.empty() ? "$" : path_, "",
                 "holds a key of " + std::to_string(k.size()) + " bytes; a key names a variable, a parameter or a " +
                     "setting, and has at most " + std::to_string(max_key_bytes) + " bytes (docs/limits.md)");
            throw stopped{};
        }
        bool fresh = false;
        object.slot = &object.members.at(k, &fresh);
        if (!fresh) {
            std::string rule = "duplicate key; JSON readers keep only one of them";
            if (path_ == "script_params")
                rule += " (a repeated parameter needs the array form [[\"--x\", 1], [\"--x\", 2]])";
            note(path_ + key_segment(path_, k), "", std::move(rule));
        }
        object.key = std::move(k);
        return true;
    }

    /// nlohmann's own error, thrown as its parser throws it.
    template <class Exception>
    bool parse_error(std::size_t /*position*/, const std::string& /*token*/, const Exception& e) {
        throw e;
    }

    /// The path of the value being read: "$" outside the document.
    std::string value_path() const { return levels_.empty() ? "$" : path_ + next_segment(); }

private:
    struct level {
        ojson* container;
        std::size_t path_size;    ///< path_'s size inside this level
        ordered_members members;  ///< objects: the keys so far
        ojson* slot = nullptr;    ///< objects: where the last key's value goes
        std::string key;          ///< objects: the last key
    };

    void note(std::string path, std::string value, std::string rule) {
        list_problem(found_, {std::move(path), std::move(value), std::move(rule)});
    }

    /// What the next value adds to the path of the level it is read in.
    std::string next_segment() const {
        const auto& parent = levels_.back();
        if (parent.container->is_array()) return "[" + std::to_string(parent.container->size()) + "]";
        return key_segment(path_, parent.key);
    }

    /// Where the next value goes.
    ojson& next_slot() {
        if (levels_.empty()) return root_;
        auto& parent = levels_.back();
        if (!parent.container->is_array()) return *parent.slot;
        auto& items = parent.container->get_ref<ojson::array_t&>();
        items.emplace_back();
        return items.back();
    }

    template <class Value>
    bool put(Value&& v) {
        next_slot() = ojson(std::forward<Value>(v));
        return true;
    }

    bool open(ojson container) {
        std::string segment = levels_.empty() ? std::string() : next_segment();
        if (levels_.size() >= static_cast<std::size_t>(max_spec_depth)) {
            note(path_ + segment, "",
                 "nests arrays and objects " + std::to_string(levels_.size() + 1) +
                     " deep; a spec nests them at most " + std::to_string(max_spec_depth) + " deep (docs/limits.md)");
            throw stopped{};
        }
        ojson& slot = next_slot();
        slot = std::move(container);
        path_ += segment;
        levels_.push_back({&slot, path_.size(), ordered_members(slot), nullptr, {}});
        return true;
    }

    bool close() {
        levels_.pop_back();
        path_.resize(levels_.empty() ? 0 : levels_.back().path_size);
        return true;
    }

    ojson& root_;
    problems& found_;
    std::vector<level> levels_;
    std::string path_;  ///< the path of the innermost level
};

/// Parses `text` into `out`. Duplicate keys and a syntax error go to
/// `found`; false on a syntax error or past a limit of docs/limits.md.
inline bool parse_spec_text(std::string_view text, ojson& out, problems& found) {
    if (text.size() > max_spec_bytes) {
        list_problem(found, {"$", "",
                             "the spec has " + std::to_string(text.size()) + " bytes; a spec has at most " +
                                 std::to_string(max_spec_bytes) + " (docs/limits.md)"});
        return false;
    }
    spec_document_builder builder(out, found);
    try {
        ojson::sax_parse(text.begin(), text.end(), &builder);
    } catch (const spec_document_builder::stopped&) {
        return false;
    } catch (const ojson::parse_error& e) {
        // The position is ours; the parser's own words say what it expected.
        const std::string what = e.what();
        const auto said = what.find("syntax error ");
        const auto description = said == std::string::npos ? what : what.substr(said + 13);
        list_problem(found, {"$", "", "syntax error " + parse_position(text, e.byte) + ": " + description});
        return false;
    } catch (const ojson::out_of_range& e) {
        // A number beyond a double: "number overflow parsing '1e400'".
        const std::string what = e.what();
        const std::string name = "[json.exception.out_of_range." + std::to_string(e.id) + "] ";
        list_problem(found, {builder.value_path(), "", what.rfind(name, 0) == 0 ? what.substr(name.size()) : what});
        return false;
    }
    return true;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/spec_parse.hpp

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// A spec document read once: its fields, the paths that could not be read,
/// and whether the job rules apply (the text parsed into an object).
struct spec_reading {
    job_spec spec;
    std::vector<std::string> bad_paths;
    bool checkable = false;
};

inline spec_reading read_spec_document(std::string_view text, problems& found, const spec_read_options& options = {}) {
    spec_reading reading;
    ojson doc;
    if (!parse_spec_text(text, doc, found)) return reading;
    spec_value_reader reader(found);
    reading.spec = read_job_spec(reader, doc);
    reading.bad_paths = reader.bad_paths();
    reading.checkable = doc.is_object();
    if (options.trust_launcher_settings && reading.spec.mpi) reading.spec.mpi->trusted_launcher_settings = true;
    return reading;
}

/// The job rules, leaving out rules about values that could not be read
/// and any rule about a path inside one (rule_checker).
inline void check_rules(const spec_reading& reading, problems& found) {
    if (!reading.checkable) return;
    for (auto& p : rule_checker(reading.spec, reading.bad_paths).run()) list_problem(found, std::move(p));
}

}  // namespace detail

TRAINSPEC_INLINE job_spec read_spec(std::string_view text, problems& found) {
    return detail::read_spec_document(text, found).spec;
}

TRAINSPEC_INLINE problems check_spec(std::string_view text, const spec_read_options& options) {
    problems found;
    detail::check_rules(detail::read_spec_document(text, found, options), found);
    return found;
}

TRAINSPEC_INLINE any_job load_job(std::string_view text, const spec_read_options& options) {
    problems found;
    auto reading = detail::read_spec_document(text, found, options);
    detail::check_rules(reading, found);
    if (!found.empty()) throw validation_error(std::move(found));
    return make_job(std::move(reading.spec));
}

TRAINSPEC_INLINE nlohmann::ordered_json to_json(const job_spec& s) { return detail::write_fields(s); }

TRAINSPEC_INLINE std::string dump_spec(const job_spec& s) { return to_json(s).dump(2) + "\n"; }

TRAINSPEC_INLINE nlohmann::ordered_json to_json(const script_params& params) {
    return detail::script_params_json(params);
}

TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/spec_json.hpp

// The stages
// begin file include/trainspec/plan.hpp
// The cluster plan: every task of a job with its type, index, host, port,
// rank, local rank and GPUs. Every renderer reads the same plan, so the
// TF_CONFIG, the hostfile and the manifests of one job cannot disagree.
//
// Placement (deterministic):
//   * hosts: the ones given to plan(), else the compute target's host list,
//     else "localhost" for the local target, else generated
//     `<job>-node-<i>` names; the first node_count hosts are used, in order;
//   * mpi: host i runs ranks i*P .. i*P+P-1 (P = process_count_per_node);
//   * ps / multi_worker: tasks in the order chief, worker 0.., ps 0..,
//     evaluator are dealt to the hosts round-robin, skipping full hosts, so
//     parameter servers share nodes with workers (as Batch AI ran them on
//     2222 and 2223);
//   * ranks count host by host (a host's tasks are consecutive ranks); the
//     local rank is the position on the host;
//   * ports (TensorFlow tasks only): the k-th task on a host listens on
//     port + k; with unique_ports every task gets port + rank, for hosts that
//     share one address;
//   * GPUs (use_gpu): a host's GPUs are split evenly among the tasks that
//     compute (all MPI ranks; chief, workers and evaluator); parameter
//     servers get none, so they do not take GPU memory. Without a declared
//     GPU count, a lone GPU task is not restricted and several share by
//     local ordinal, one GPU each.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE

struct task {
    task_type type = task_type::worker;
    int index = 0;
    std::size_t host_index = 0;  ///< the task's host: cluster::hosts()[host_index]
    int port = 0;                ///< 0 for tasks that listen on no port (MPI ranks, single node)
    int rank = 0;
    int local_rank = 0;
    /// nullopt: not restricted (CUDA_VISIBLE_DEVICES unset); empty: no GPU.
    std::optional<std::vector<int>> gpus;

    friend bool operator==(const task& a, const task& b) {
        return a.type == b.type && a.index == b.index && a.host_index == b.host_index && a.port == b.port &&
               a.rank == b.rank && a.local_rank == b.local_rank && a.gpus == b.gpus;
    }
};

struct plan_options {
    std::vector<host> hosts;    ///< explicit hosts; empty: the compute target's, or generated
    std::optional<int> port;    ///< overrides the job's port
    bool unique_ports = false;  ///< every task its own port (hosts sharing one address)
};

template <class Backend>
class cluster;

namespace detail {
template <class Backend>
cluster<Backend> make_cluster(job<Backend> j, std::vector<host> hosts, std::vector<task> tasks,
                              std::vector<int> tasks_per_host);
[[noreturn]] void throw_no_such_task(task_type type, int index);
}  // namespace detail

/// A planned job. The backend stays in the type, so that only plans of
/// parameter-server and multi-worker jobs have a TF_CONFIG.
template <class Backend>
class cluster {
public:
    using backend = Backend;

    const trainspec::job<Backend>& job() const noexcept { return job_; }
    /// The hosts in use (node_count of them), in placement order.
    const std::vector<host>& hosts() const noexcept { return hosts_; }
    /// Every task, by rank; a host's tasks are consecutive.
    const std::vector<task>& tasks() const noexcept { return tasks_; }
    /// The number of tasks on each host, in hosts() order.
    const std::vector<int>& tasks_per_host() const noexcept { return tasks_per_host_; }

    /// The host a task runs on.
    const host& host_of(const task& t) const { return hosts_[t.host_index]; }

    /// A task's `host:port`.
    std::string address(const task& t) const {
        const auto& name = host_of(t).name;
        std::string out;
        out.reserve(name.size() + 6);
        out += name;
        out += ':';
        out += std::to_string(t.port);
        return out;
    }

    int count(task_type type) const {
        return static_cast<int>(
            std::count_if(tasks_.begin(), tasks_.end(), [type](const task& t) { return t.type == type; }));
    }

    /// The task of this type and index; throws trainspec::error.
    const task& find(task_type type, int index) const {
        for (const auto& t : tasks_)
            if (t.type == type && t.index == index) return t;
        detail::throw_no_such_task(type, index);
    }

    /// The addresses of one task type, by index.
    std::vector<std::string> addresses(task_type type) const {
        // A plan's indices of one type are 0..count-1.
        std::vector<std::string> out(static_cast<std::size_t>(count(type)));
        for (const auto& t : tasks_)
            if (t.type == type) out[static_cast<std::size_t>(t.index)] = address(t);
        return out;
    }

private:
    cluster(trainspec::job<Backend> j, std::vector<host> hosts, std::vector<task> tasks,
            std::vector<int> tasks_per_host)
        : job_(std::move(j)),
          hosts_(std::move(hosts)),
          tasks_(std::move(tasks)),
          tasks_per_host_(std::move(tasks_per_host)) {}
    friend cluster detail::make_cluster<Backend>(trainspec::job<Backend>, std::vector<host>, std::vector<task>,
                                                 std::vector<int>);

    trainspec::job<Backend> job_;
    std::vector<host> hosts_;
    std::vector<task> tasks_;
    std::vector<int> tasks_per_host_;
};

using any_cluster = std::variant<cluster<single_node>, cluster<mpi>, cluster<parameter_server>, cluster<multi_worker>>;

namespace detail {

template <class Backend>
cluster<Backend> make_cluster(job<Backend> j, std::vector<host> hosts, std::vector<task> tasks,
                              std::vector<int> tasks_per_host) {
    return cluster<Backend>(std::move(j), std::move(hosts), std::move(tasks), std::move(tasks_per_host));
}

/// The hosts a job uses and its tasks placed on them.
struct placement {
    std::vector<host> hosts;
    std::vector<task> tasks;
    std::vector<int> tasks_per_host;
};

/// Places the job's tasks (the rules above). Throws validation_error.
placement place_tasks(const job_spec& s, const plan_options& options);

}  // namespace detail

/// Plans a validated job. Throws validation_error naming the cause when the
/// hosts cannot hold it (too few hosts or slots, duplicates, ports out of
/// range, GPUs over-subscribed).
template <class Backend>
cluster<Backend> plan(const job<Backend>& j, const plan_options& options = {}) {
    auto placed = detail::place_tasks(j.spec(), options);
    return detail::make_cluster<Backend>(j, std::move(placed.hosts), std::move(placed.tasks),
                                         std::move(placed.tasks_per_host));
}

/// Plans a runtime job.
any_cluster plan(const any_job& j, const plan_options& options = {});

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
// begin file include/trainspec/detail/placement.hpp
// Placement: which hosts a plan uses and where each task runs on them, by the
// rules listed in plan.hpp (docs/plan.md). Linear in tasks and hosts.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline void plan_problem(const std::string& path, const std::string& value, const std::string& rule) {
    throw validation_error({{path, value, rule}});
}

/// The hosts a plan uses, and where they came from (for messages).
inline std::vector<host> choose_hosts(const job_spec& s, const plan_options& options, std::int64_t tasks,
                                      std::string& source) {
    const int nodes = effective_node_count(s);
    std::vector<host> hosts;
    if (!options.hosts.empty()) {
        hosts = options.hosts;
        source = "hosts";
    } else if (s.target && !s.target->hosts.empty()) {
        hosts = s.target->hosts;
        source = "compute_target.hosts";
    } else {
        const std::int64_t per_node_count = (tasks + nodes - 1) / nodes;
        if (per_node_count > max_host_slots)
            plan_problem("node_count", std::to_string(nodes),
                         fmt::format("{} tasks on {} node(s) put {} on one node; a host has at most {} slots", tasks,
                                     nodes, per_node_count, max_host_slots));
        const int per_node = static_cast<int>(per_node_count);
        if (s.target && s.target->is_local()) return {{"localhost", per_node}};
        source = "generated hosts";
        return generate_hosts(effective_job_name(s) + "-node-{index}", nodes, per_node);
    }
    // Explicit hosts need not come from parse_host_list(): a name that is no
    // host name would reach hostfiles and command lines, and a host without
    // slots would skew the slot count.
    if (auto why = host_count_problem(hosts.size())) plan_problem(source, std::to_string(hosts.size()), *why);
    const auto earlier = earlier_same(hosts, [](const host& h) { return std::string_view(h.name); });
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        const auto& h = hosts[i];
        if (auto why = host_name_problem(h.name)) plan_problem(source, quote_json(h.name), *why);
        if (auto why = host_slots_problem(h.slots)) plan_problem(source, format_host_list({h}), *why);
        if (earlier[i] != std::string_view::npos) plan_problem(source, quote_json(h.name), duplicate_host_rule(h.name));
    }
    if (static_cast<int>(hosts.size()) < nodes)
        plan_problem(source, std::to_string(hosts.size()),
                     fmt::format("{} host(s) given; node_count is {}", hosts.size(), nodes));
    hosts.resize(static_cast<std::size_t>(nodes));
    return hosts;
}

inline bool computes_on_gpu(backend_kind backend, task_type type) {
    return backend == backend_kind::mpi || backend == backend_kind::single_node || type != task_type::ps;
}

/// GPUs per task (use_gpu). MPI ranks: one each, the one of their local
/// rank (Horovod's model; validate() makes process_count_per_node match a
/// known GPU count). TensorFlow tasks that compute: every one the same
/// number, gpus_per_node / the most such tasks on one host, and a host that
/// runs such tasks uses all its GPUs (one pod template per task type cannot
/// give two workers different counts); parameter servers none. Without a
/// known count, a lone task is not restricted and several get one each.
inline void assign_gpus(const job_spec& s, std::vector<task>& tasks, const std::vector<host>& hosts) {
    if (!effective_use_gpu(s)) return;
    const auto backend = effective_backend(s);
    const auto capacity = effective_gpus_per_node(s);
    // -1: not known (a plain int: g++ warns about optional<int> here at -O3).
    const int declared = capacity.count ? *capacity.count : -1;
    // Tasks are grouped by host: ranks count host by host.
    std::vector<std::vector<task*>> users(hosts.size());
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        auto& t = tasks[i];
        if (computes_on_gpu(backend, t.type))
            users[t.host_index].push_back(&t);
        else
            t.gpus = std::vector<int>{};
    }
    std::size_t most = 0;
    for (const auto& u : users) most = std::max(most, u.size());
    if (most == 0) return;
    if (backend == backend_kind::mpi || declared < 0) {
        for (auto& u : users) {
            if (u.size() == 1 && declared < 0) continue;  // a lone task may use every GPU there is
            for (std::size_t i = 0; i < u.size(); ++i) u[i]->gpus = std::vector<int>{static_cast<int>(i)};
        }
        return;
    }
    const int per_task = declared / static_cast<int>(most);
    const bool declared_by_target = s.target && s.target->gpus_per_node;
    const std::string path = declared_by_target ? "compute_target.gpus_per_node" : "vm_size";
    const std::string value = declared_by_target ? std::to_string(declared) : quote_json(s.vm_size.value_or(""));
    for (std::size_t i = 0; i < users.size(); ++i) {
        const auto& u = users[i];
        if (u.empty()) continue;  // parameter servers only: their node's GPUs idle by the layout (docs/plan.md)
        if (per_task < 1)
            plan_problem(path, value,
                         fmt::format("host {} runs {} GPU tasks but has {}: GPUs would be over-subscribed",
                                     quote_json(hosts[i].name), u.size(), capacity.source));
        const int used = per_task * static_cast<int>(u.size());
        if (used != declared)
            plan_problem(
                path, value,
                fmt::format("host {} runs {} GPU task(s) of {} GPU(s) each (the same for every task: "
                            "{} GPU tasks on the busiest host), leaving {} of the GPUs of {} idle; "
                            "give every host the same number of GPU tasks",
                            quote_json(hosts[i].name), u.size(), per_task, most, declared - used, capacity.source));
        for (std::size_t k = 0; k < u.size(); ++k) {
            std::vector<int> gpus;
            for (int g = 0; g < per_task; ++g) gpus.push_back(static_cast<int>(k) * per_task + g);
            u[k]->gpus = std::move(gpus);
        }
    }
}

/// The TensorFlow tasks in the order they are dealt to the hosts: chief,
/// workers, parameter servers, evaluator.
struct tensorflow_task_order {
    int chiefs, workers, parameter_servers, evaluators;

    explicit tensorflow_task_order(const job_spec& s)
        : chiefs(effective_chief_count(s)),
          workers(effective_worker_count(s)),
          parameter_servers(effective_parameter_server_count(s)),
          evaluators(effective_evaluator_count(s)) {}

    std::size_t size() const {
        return static_cast<std::size_t>(chiefs) + static_cast<std::size_t>(workers) +
               static_cast<std::size_t>(parameter_servers) + static_cast<std::size_t>(evaluators);
    }

    /// The type and index of the i-th task in this order.
    task operator[](std::size_t i) const {
        task t;
        int k = static_cast<int>(i);
        for (const auto& [type, count] :
             {std::pair{task_type::chief, chiefs}, std::pair{task_type::worker, workers},
              std::pair{task_type::ps, parameter_servers}, std::pair{task_type::evaluator, evaluators}}) {
            if (k < count) {
                t.type = type;
                t.index = k;
                break;
            }
            k -= count;
        }
        return t;
    }
};

/// The tasks placed on the hosts, grouped by host; tasks_per_host counts
/// them. Linear: MPI ranks fill the hosts in order, TensorFlow tasks are
/// dealt round-robin and then grouped by a counting sort.
inline std::vector<task> place(const job_spec& s, const std::vector<host>& hosts, const std::string& source,
                               const plan_options& options, std::vector<int>& tasks_per_host) {
    const auto backend = effective_backend(s);
    const bool ranks_only = backend == backend_kind::mpi || backend == backend_kind::single_node;
    std::vector<task> tasks;
    tasks_per_host.assign(hosts.size(), 0);
    if (ranks_only) {
        const int per_node = backend == backend_kind::mpi ? effective_process_count_per_node(s) : 1;
        for (std::size_t h = 0; h < hosts.size(); ++h) {
            if (hosts[h].slots < per_node)
                plan_problem(source, format_host_list({hosts[h]}),
                             fmt::format("host {} has {} slot(s); process_count_per_node is {}",
                                         quote_json(hosts[h].name), hosts[h].slots, per_node));
            tasks_per_host[h] = per_node;
        }
        tasks.resize(hosts.size() * static_cast<std::size_t>(per_node));
    } else {
        const tensorflow_task_order order(s);
        std::int64_t total_slots = 0;
        for (const auto& h : hosts) total_slots += h.slots;
        if (static_cast<std::int64_t>(order.size()) > total_slots)
            plan_problem(source, format_host_list(hosts),
                         fmt::format("{} tasks need {} slots; the {} host(s) have {}", order.size(), order.size(),
                                     hosts.size(), total_slots));
        std::vector<std::size_t> host_of(order.size());
        std::size_t next = 0;
        for (auto& h : host_of) {
            while (tasks_per_host[next] >= hosts[next].slots) next = (next + 1) % hosts.size();
            h = next;
            ++tasks_per_host[next];
            next = (next + 1) % hosts.size();
        }
        // Which task of the order each place of the grouped table holds: the
        // scatter goes into this small table, and the tasks are then
        // written in order (a scatter of whole tasks misses the cache and
        // the TLB once per task).
        std::vector<std::size_t> next_of_host(hosts.size(), 0);
        for (std::size_t h = 1; h < hosts.size(); ++h)
            next_of_host[h] = next_of_host[h - 1] + static_cast<std::size_t>(tasks_per_host[h - 1]);
        std::vector<std::size_t> order_at(order.size());
        for (std::size_t i = 0; i < order.size(); ++i) order_at[next_of_host[host_of[i]]++] = i;
        host_of = {};
        tasks.reserve(order.size());
        for (const auto i : order_at) tasks.push_back(order[i]);
    }
    const bool listens = backend == backend_kind::parameter_server || backend == backend_kind::multi_worker;
    const int port = options.port.value_or(effective_port(s));
    int rank = 0;
    std::size_t i = 0;
    for (std::size_t h = 0; h < hosts.size(); ++h) {
        for (int local = 0; local < tasks_per_host[h]; ++local, ++rank, ++i) {
            auto& t = tasks[i];
            t.host_index = h;
            t.rank = rank;
            t.local_rank = local;
            if (backend == backend_kind::mpi) t.index = rank;
            if (listens) {
                const std::int64_t p = std::int64_t{port} + (options.unique_ports ? rank : local);
                if (port < 1 || p > 65535)
                    plan_problem("port", std::to_string(port),
                                 fmt::format("task {}:{} on host {} would listen on port {}; ports are 1-65535",
                                             enum_name(t.type), t.index, quote_json(hosts[h].name), p));
                t.port = static_cast<int>(p);
            }
        }
    }
    assign_gpus(s, tasks, hosts);
    return tasks;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE

// The entry points of <trainspec/plan.hpp> (compiled once in compiled mode).
#if TRAINSPEC_DEFINITIONS
TRAINSPEC_BEGIN_NAMESPACE
namespace detail {
TRAINSPEC_INLINE placement place_tasks(const job_spec& s, const plan_options& options) {
    std::string source;
    auto hosts = choose_hosts(s, options, effective_task_count(s), source);
    std::vector<int> per_host;
    auto tasks = place(s, hosts, source, options, per_host);
    return {std::move(hosts), std::move(tasks), std::move(per_host)};
}

TRAINSPEC_INLINE void throw_no_such_task(task_type type, int index) {
    throw error({"task", fmt::format("{}:{}", enum_name(type), index), "no such task in this plan"});
}
}  // namespace detail

TRAINSPEC_INLINE any_cluster plan(const any_job& j, const plan_options& options) {
    return std::visit([&options](const auto& typed) -> any_cluster { return plan(typed, options); }, j);
}
TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/detail/placement.hpp
#endif
// end file include/trainspec/plan.hpp
// begin file include/trainspec/launch.hpp
// The launch model: one engine-independent description of how a planned job
// runs, which every engine renderer (TFJob, MPIJob, Slurm, docker run,
// Azure ML, mpirun) writes in its own syntax without adding meaning of its
// own. docs/launch.md describes each part and how every engine expresses it.
//
//   launch_model m = describe_launch(cluster);

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

// begin file include/trainspec/render/training_command.hpp
// What a run executes: the training step on every task, then the post steps
// (the ONNX export) on the one task that owns the trained model, and how
// that task finds out at run time. docs/launch.md has the whole model.
//
//   training_command(job)         one argv per step: {python train.py args...}, {python -m tf2onnx.convert ...}
//   training_shell_command(job)   the steps as one sh line joined by " && " (single-task runs)
//   task_command(steps, check)    the argv one task runs: the training argv, or sh -c with the guarded post steps

#include <string>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE

/// The Python interpreter the steps start (on PATH in the image).
inline constexpr const char* training_python = "python";

/// One step of a run.
struct launch_step {
    std::vector<std::string> argv;
    bool model_owner_only = false;  ///< a post step: only the task that owns the model runs it, after training

    friend bool operator==(const launch_step& a, const launch_step& b) {
        return a.argv == b.argv && a.model_owner_only == b.model_owner_only;
    }
};

/// How a task learns, when it starts, whether it owns the trained model
/// (the chief, else worker 0; MPI rank 0; the one task of a single-node job).
enum class owner_check {
    owner,       ///< the engine starts this task on its own and knows it is the owner
    not_owner,   ///< the engine knows it is not
    mpi_rank,    ///< rank 0 by the launcher's variables (Horovod's order, then PMIx and Slurm)
    task_index,  ///< TRAINSPEC_TASK_INDEX is 0 (the engine sets it for tasks of the owner's type)
    tf_config,   ///< TF_CONFIG's task is the chief, or worker 0 of a cluster without one
};

/// The variable an engine sets for owner_check::task_index.
inline constexpr const char* task_index_variable = "TRAINSPEC_TASK_INDEX";

/// True when some step runs only on the task that owns the model.
inline bool has_post_steps(const std::vector<launch_step>& steps) {
    return std::any_of(steps.begin(), steps.end(), [](const launch_step& s) { return s.model_owner_only; });
}

/// The steps one task runs as one sh line: the training argv alone when no
/// post step can apply to it, else `TRAIN && if OWNER; then exec POST; fi`,
/// so that a failed training skips the post steps and is the task's status.
std::string task_shell_line(const std::vector<launch_step>& steps, owner_check check);

/// The argv one task runs: the training argv, or `sh -c` with
/// task_shell_line() when post steps may apply to it.
std::vector<std::string> task_command(const std::vector<launch_step>& steps, owner_check check);

/// The steps of a run, one argv each: training, then the ONNX export if any.
template <class Backend>
std::vector<std::vector<std::string>> training_command(const job<Backend>& j);
std::vector<std::vector<std::string>> training_command(const any_job& j);

/// The steps as one POSIX sh line, each argv quoted, joined by " && ": what
/// the one task of a run that has no other tasks executes.
template <class Backend>
std::string training_shell_command(const job<Backend>& j);
std::string training_shell_command(const any_job& j);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
// begin file include/trainspec/detail/launch_steps.hpp
// The steps of a run (training, then the ONNX export) and the sh conditions
// that tell a task whether it owns the model, behind render/training_command.hpp
// (docs/launch.md).

#include <algorithm>
#include <string>
#include <variant>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline std::vector<std::string> training_argv(const job_spec& s) {
    std::vector<std::string> argv{training_python};
    if (effective_backend(s) == backend_kind::mpi && s.mpi && s.mpi->command_prefix) argv = *s.mpi->command_prefix;
    argv.push_back(s.entry_script);
    for (auto& arg : to_argv(s.params)) argv.push_back(std::move(arg));
    return argv;
}

inline std::vector<launch_step> launch_steps(const job_spec& s) {
    std::vector<launch_step> steps{{training_argv(s), false}};
    if (effective_onnx_export(s))
        steps.push_back({{training_python, "-m", "tf2onnx.convert", "--saved-model", effective_onnx_saved_model(s),
                          "--output", effective_onnx_output(s), "--opset", std::to_string(effective_onnx_opset(s))},
                         true});
    return steps;
}

inline std::string join_steps(const std::vector<launch_step>& steps) {
    std::string line;
    for (const auto& step : steps) {
        if (!line.empty()) line += " && ";
        line += shell_join(step.argv);
    }
    return line;
}

/// The sh condition that is true on the task that owns the model.
inline std::string owner_condition(owner_check check) {
    switch (check) {
        case owner_check::owner:
            return "true";
        case owner_check::not_owner:
            return "false";
        case owner_check::mpi_rank:
            return "[ \"${HOROVOD_RANK:-${OMPI_COMM_WORLD_RANK:-${PMI_RANK:-${PMIX_RANK:-${SLURM_PROCID:-0}}}}}\" = 0 "
                   "]";
        case owner_check::task_index:
            return std::string("[ \"${") + task_index_variable + ":-}\" = 0 ]";
        case owner_check::tf_config:
            break;
    }
    return shell_join({training_python, "-c",
                       "import json, os, sys; c = json.loads(os.environ.get(\"TF_CONFIG\") or \"{}\"); "
                       "t = c.get(\"task\", {}); "
                       "sys.exit(0 if t.get(\"type\") == \"chief\" or (t.get(\"type\") == \"worker\" and "
                       "int(t.get(\"index\", 0)) == 0 and \"chief\" not in c.get(\"cluster\", {})) else 1)"});
}

/// The sh condition that is true when TF_CONFIG's task is of `type`.
inline std::string tf_config_task_is(std::string_view type) {
    return "[ \"$(" +
           shell_join({training_python, "-c",
                       "import json, os; print(json.loads(os.environ.get(\"TF_CONFIG\") or \"{}\")"
                       ".get(\"task\", {}).get(\"type\", \"\"))"}) +
           ")\" = " + shell_quote(type) + " ]";
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE

// The entry points of <trainspec/render/training_command.hpp> (compiled once in compiled mode).
#if TRAINSPEC_DEFINITIONS
TRAINSPEC_BEGIN_NAMESPACE
template <class Backend>
std::vector<std::vector<std::string>> training_command(const job<Backend>& j) {
    std::vector<std::vector<std::string>> out;
    for (auto& step : detail::launch_steps(j.spec())) out.push_back(std::move(step.argv));
    return out;
}

template <class Backend>
std::string training_shell_command(const job<Backend>& j) {
    return detail::join_steps(detail::launch_steps(j.spec()));
}

TRAINSPEC_INLINE std::string task_shell_line(const std::vector<launch_step>& steps, owner_check check) {
    std::string post;
    std::size_t count = 0;
    for (const auto& step : steps)
        if (step.model_owner_only) ++count;
    if (count == 0 || check == owner_check::not_owner) return shell_join(steps.front().argv);
    for (const auto& step : steps) {
        if (!step.model_owner_only) continue;
        if (!post.empty()) post += " && ";
        post += (--count == 0 ? "exec " : "") + shell_join(step.argv);
    }
    const std::string train = shell_join(steps.front().argv) + " && ";
    if (check == owner_check::owner) return train + post;
    return train + "if " + detail::owner_condition(check) + "; then " + post + "; fi";
}

TRAINSPEC_INLINE std::vector<std::string> task_command(const std::vector<launch_step>& steps, owner_check check) {
    if (!has_post_steps(steps) || check == owner_check::not_owner) return steps.front().argv;
    return {"sh", "-c", task_shell_line(steps, check)};
}

TRAINSPEC_INLINE std::vector<std::vector<std::string>> training_command(const any_job& j) {
    return std::visit([](const auto& typed) { return training_command(typed); }, j);
}

TRAINSPEC_INLINE std::string training_shell_command(const any_job& j) {
    return detail::join_steps(detail::launch_steps(spec_of(j)));
}
TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/detail/launch_steps.hpp
#endif

#ifdef TRAINSPEC_COMPILED_LIB
#define TRAINSPEC_TRAINING_COMMAND(B)                                                              \
    TRAINSPEC_INSTANTIATE std::vector<std::vector<std::string>> training_command(const job<B>& j); \
    TRAINSPEC_INSTANTIATE std::string training_shell_command(const job<B>& j);
TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_FOR_EACH_BACKEND(TRAINSPEC_TRAINING_COMMAND)
TRAINSPEC_END_NAMESPACE
#undef TRAINSPEC_TRAINING_COMMAND
#endif
// end file include/trainspec/render/training_command.hpp

TRAINSPEC_BEGIN_NAMESPACE

/// Where a container runs the steps: the source directory is there (copied
/// into the job's image, or mounted).
inline constexpr const char* container_workdir = "/workspace";

/// `source` mounted at container_workdir: read-only unless the job writes
/// into it (writable_source_directory); see docs/security.md.
inline std::string source_mount(const std::string& source, const job_spec& s) {
    return source + ":" + container_workdir + (effective_writable_source_directory(s) ? "" : ":ro");
}

/// A task of the plan by type and index (MPI ranks are worker:<rank>).
struct task_id {
    task_type type = task_type::worker;
    int index = 0;

    friend bool operator==(const task_id& a, const task_id& b) { return a.type == b.type && a.index == b.index; }
    friend bool operator!=(const task_id& a, const task_id& b) { return !(a == b); }
};

/// The tasks of one type and what each of them is given.
struct launch_role {
    task_type type = task_type::worker;
    int count = 0;
    /// GPUs the engine gives each task: the plan's (1 for a task it leaves
    /// unrestricted), 0 without use_gpu or for a task that computes on none.
    int gpus_per_task = 0;
    /// A task of a GPU job that must see no GPU (a parameter server):
    /// CUDA_VISIBLE_DEVICES is set empty.
    bool gpus_hidden = false;
    /// Index 0 of this type owns the model and runs the post steps.
    bool has_model_owner = false;
};

struct launch_model {
    backend_kind backend = backend_kind::single_node;
    std::vector<launch_step> steps;                     ///< training, then post steps (model owner only)
    std::vector<environment_variable> environment;      ///< the job's variables, on every task
    std::string source_directory;                       ///< where the steps run on a host (relative: the submit dir's)
    std::string working_directory = container_workdir;  ///< where they run in a container
    std::vector<launch_role> roles;                     ///< in the order chief, worker, ps, evaluator
    task_id model_owner;                                ///< runs the post steps
    /// The task whose end ends the job (the chief, else worker 0), the others
    /// being stopped then (parameter servers never exit on their own);
    /// nullopt: the job ends when every task has ended (MPI, single node).
    std::optional<task_id> success_task;
    std::optional<int> cpus_per_task;  ///< the node's CPUs shared by its busiest host's tasks, when known
    std::string shm_size;              ///< container shared memory, Docker syntax
    std::optional<int> port;           ///< TensorFlow servers' first port
    bool use_gpu = false;
};

/// The owner of the trained model: the chief, else worker 0 (rank 0).
inline task_id model_owner_of(const job_spec& s) {
    return {effective_chief_count(s) > 0 ? task_type::chief : task_type::worker, 0};
}

namespace detail {

/// The GPUs an engine gives one task: the plan's, 1 for an unrestricted one.
inline int granted_gpus(const job_spec& s, const task& t) {
    if (!effective_use_gpu(s)) return 0;
    return t.gpus ? static_cast<int>(t.gpus->size()) : 1;
}

/// The node's CPUs shared by the tasks of the busiest host (tasks come host
/// by host in a plan), when the CPU count is known.
inline std::optional<int> cpus_per_task(const job_spec& s, const std::vector<task>& tasks) {
    const auto cpus = effective_cpus_per_node(s);
    if (!cpus.count || tasks.empty()) return std::nullopt;
    int most = 0;
    int run = 0;
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        run = i > 0 && tasks[i].host_index == tasks[i - 1].host_index ? run + 1 : 1;
        most = std::max(most, run);
    }
    return std::max(1, *cpus.count / most);
}

}  // namespace detail

/// The launch model of a planned job.
template <class Backend>
launch_model describe_launch(const cluster<Backend>& c);

namespace detail {

/// The launch steps with the training step's argv replaced by `command`
/// (an engine's command option) unless it is empty; the post steps stay.
inline std::vector<launch_step> steps_with_command(const launch_model& m, const std::vector<std::string>& command) {
    auto steps = m.steps;
    if (!command.empty()) steps.front().argv = command;
    return steps;
}

}  // namespace detail

/// The role of a task type, or nullptr when the job has none.
inline const launch_role* find_role(const launch_model& m, task_type type) {
    for (const auto& r : m.roles)
        if (r.type == type) return &r;
    return nullptr;
}

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS

TRAINSPEC_BEGIN_NAMESPACE
template <class Backend>
launch_model describe_launch(const cluster<Backend>& c) {
    const auto& s = c.job().spec();
    launch_model m;
    m.backend = Backend::kind;
    m.steps = detail::launch_steps(s);
    m.environment = s.environment_variables;
    m.source_directory = s.source_directory;
    m.model_owner = model_owner_of(s);
    if (m.backend == backend_kind::parameter_server || m.backend == backend_kind::multi_worker) {
        m.success_task = m.model_owner;
        m.port = c.tasks().empty() ? effective_port(s) : c.find(m.model_owner.type, 0).port;
    }
    m.cpus_per_task = detail::cpus_per_task(s, c.tasks());
    m.shm_size = effective_shm_size(s);
    m.use_gpu = effective_use_gpu(s);
    for (auto type : {task_type::chief, task_type::worker, task_type::ps, task_type::evaluator}) {
        launch_role role;
        role.type = type;
        for (const auto& t : c.tasks()) {
            if (t.type != type) continue;
            ++role.count;
            role.gpus_per_task = std::max(role.gpus_per_task, detail::granted_gpus(s, t));
        }
        if (role.count == 0) continue;
        role.gpus_hidden = m.use_gpu && role.gpus_per_task == 0;
        role.has_model_owner = type == m.model_owner.type;
        m.roles.push_back(role);
    }
    return m;
}
TRAINSPEC_END_NAMESPACE
#endif

#ifdef TRAINSPEC_COMPILED_LIB
#define TRAINSPEC_DESCRIBE_LAUNCH(B) TRAINSPEC_INSTANTIATE launch_model describe_launch(const cluster<B>& c);
TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_FOR_EACH_BACKEND(TRAINSPEC_DESCRIBE_LAUNCH)
TRAINSPEC_END_NAMESPACE
#undef TRAINSPEC_DESCRIBE_LAUNCH
#endif
// end file include/trainspec/launch.hpp
// begin file include/trainspec/sweep_trials.hpp
// The trials of a grid or random sweep (docs/sweeps.md): trial i is computed
// alone, from the spec, in time linear in the number of parameters; nothing
// is stored per trial, so a million trials stream.

#include <cstdint>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE

class sweep_trials {
public:
    /// Throws validation_error for an invalid spec, a spec without a sweep,
    /// and a bayesian sweep (which only an engine can run: each trial
    /// depends on the results of the earlier ones).
    explicit sweep_trials(const job_spec& spec);

    /// Grid: the combinations, at most max_total_trials; random:
    /// max_total_trials.
    std::int64_t size() const noexcept { return size_; }

    const std::vector<sweep_parameter>& parameters() const noexcept { return parameters_; }

    /// Trial `index`'s values, in search_space order. Grid: the parameters'
    /// values in spec order, the last parameter varying fastest; random: each
    /// parameter drawn from its own stream of the seed (0 when none is
    /// given). Throws std::out_of_range outside [0, size()).
    script_params trial(std::int64_t index) const;

private:
    std::vector<sweep_parameter> parameters_;
    sampling_kind sampling_;
    std::uint64_t seed_;
    std::int64_t size_;
};

/// Trial `index` as a job of its own: the spec without `sweep`, its
/// script_params followed by the trial's values.
job_spec trial_spec(const job_spec& spec, std::int64_t index);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>


TRAINSPEC_BEGIN_NAMESPACE

TRAINSPEC_INLINE sweep_trials::sweep_trials(const job_spec& spec) {
    if (auto found = validate(spec); !found.empty()) throw validation_error(std::move(found));
    if (!spec.sweep) throw validation_error({{"sweep", "", "is required: the spec has no sweep to expand"}});
    const auto& sweep = *spec.sweep;
    sampling_ = effective_sampling(sweep);
    if (sampling_ == sampling_kind::bayesian)
        throw validation_error({{"sweep.sampling_algorithm", "\"bayesian\"",
                                 "bayesian sampling cannot be expanded locally: each trial depends on the results "
                                 "of the earlier ones; render it for an engine (Azure ML, Katib)"}});
    parameters_ = sweep.search_space;
    seed_ = static_cast<std::uint64_t>(sweep.sampling->seed.value_or(0));
    size_ = planned_trial_count(sweep);
}

TRAINSPEC_INLINE script_params sweep_trials::trial(std::int64_t index) const {
    if (index < 0 || index >= size_)
        throw std::out_of_range("trial " + std::to_string(index) + " of a sweep of " + std::to_string(size_) +
                                " trials");
    script_params values;
    if (sampling_ == sampling_kind::grid) {
        // Mixed radix, the last parameter the lowest digit.
        std::vector<std::size_t> digits(parameters_.size());
        auto rest = static_cast<std::uint64_t>(index);
        for (std::size_t i = parameters_.size(); i-- > 0;) {
            const auto radix = parameters_[i].value.values.size();
            digits[i] = rest % radix;
            rest /= radix;
        }
        for (std::size_t i = 0; i < parameters_.size(); ++i) {
            const auto& value = parameters_[i].value.values[digits[i]].get();
            values.add(parameters_[i].name, std::visit([](const auto& v) { return param_value(v); }, value));
        }
        return values;
    }
    for (std::size_t i = 0; i < parameters_.size(); ++i)
        values.add(
            parameters_[i].name,
            detail::draw(parameters_[i].value, detail::sweep_stream(seed_, static_cast<std::uint64_t>(index), i)));
    return values;
}

TRAINSPEC_INLINE job_spec trial_spec(const job_spec& spec, std::int64_t index) {
    const sweep_trials trials(spec);
    job_spec out = spec;
    out.sweep.reset();
    for (const auto& [name, value] : trials.trial(index)) out.params.add(name, value);
    return out;
}

TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/sweep_trials.hpp

// Back ends
// begin file include/trainspec/render/tf_config.hpp
// TF_CONFIG for every task of a planned parameter-server or multi-worker
// job, in the conventions of a profile (see tf_config_options.hpp and the
// README's table).
//
// Output is compact, deterministic JSON: top-level fields in the order
// cluster, task, environment, rpc_layer; cluster jobs sorted by name (as
// TensorFlow orders them, and as Go's encoding/json writes a map); task
// fields type, index. The cluster part is the same for every task of a job,
// so it is serialised once and copied into each task's text.

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE

struct tf_config_options {
    std::optional<tf_profile> profile;             ///< overrides the job's tf_config.profile
    std::optional<std::string> rpc_layer;          ///< overrides the job's tf_config.rpc_layer
    std::optional<bool> sparse;                    ///< overrides the job's tf_config.sparse
    std::string kubernetes_namespace = "default";  ///< kubeflow profile: the TFJob's namespace
    std::string cluster_domain;  ///< kubeflow profile: the operator's CUSTOM_CLUSTER_DOMAIN ("" = none)
};

/// One task's TF_CONFIG.
struct task_tf_config {
    task_type type;
    int index;
    std::string json;
};

template <class Backend>
inline constexpr bool has_tf_config_v =
    std::is_same_v<Backend, parameter_server> || std::is_same_v<Backend, multi_worker>;

namespace detail {

template <class Backend>
constexpr void require_tf_config_backend() {
    static_assert(has_tf_config_v<Backend>,
                  "TF_CONFIG is written only for parameter_server and multi_worker jobs: the ranks of an mpi job "
                  "find each other through MPI (render its mpirun command), a single-node job needs none");
}

/// for_each_tf_config()'s sink without its type.
struct tf_config_sink {
    void* context;
    void (*call)(void* context, const task& t, std::string_view json);
};

template <class Backend>
std::optional<std::string> task_tf_config_json(const cluster<Backend>& c, task_type type, int index,
                                               const tf_config_options& options);
template <class Backend>
std::vector<task_tf_config> every_tf_config(const cluster<Backend>& c, const tf_config_options& options);
template <class Backend>
void visit_tf_configs(const cluster<Backend>& c, tf_config_sink sink, const tf_config_options& options);

}  // namespace detail

/// One task's TF_CONFIG, or nullopt where the profile's launcher sets none
/// (Kubeflow, for a job of one replica). Throws validation_error when the
/// profile cannot express the job or its consumer would reject the cluster,
/// trainspec::error for a task the plan does not have.
template <class Backend>
std::optional<std::string> tf_config(const cluster<Backend>& c, task_type type, int index,
                                     const tf_config_options& options = {}) {
    detail::require_tf_config_backend<Backend>();
    return detail::task_tf_config_json(c, type, index, options);
}

/// Every task's TF_CONFIG, by rank. The cluster part is serialised once.
/// Empty where the profile's launcher sets none.
template <class Backend>
std::vector<task_tf_config> tf_configs(const cluster<Backend>& c, const tf_config_options& options = {}) {
    detail::require_tf_config_backend<Backend>();
    return detail::every_tf_config(c, options);
}

/// Calls `sink(const task&, std::string_view json)` for every task that gets
/// a TF_CONFIG, by rank, rendering into one reused buffer: for writing the
/// TF_CONFIGs of thousands of tasks to files or pods without holding them all
/// in memory. The view is valid only during the call.
template <class Backend, class Sink>
void for_each_tf_config(const cluster<Backend>& c, Sink&& sink, const tf_config_options& options = {}) {
    detail::require_tf_config_backend<Backend>();
    detail::tf_config_sink erased{&sink, [](void* context, const task& t, std::string_view json) {
                                      (*static_cast<std::remove_reference_t<Sink>*>(context))(t, json);
                                  }};
    detail::visit_tf_configs(c, erased, options);
}

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
// begin file include/trainspec/detail/tf_config_writer.hpp
// The TF_CONFIG writer behind render/tf_config.hpp: the cluster part is
// serialised once per job, each task's part appended to it.

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// Everything but the task-specific part, prepared once per job.
class tf_config_writer {
public:
    /// Checks the cluster against its consumer's rules and prepares the
    /// cluster part.
    template <class Backend>
    tf_config_writer(const cluster<Backend>& c, const tf_config_options& options)
        : tf_config_writer(c, options, checks_only{}) {
        hosts_ = &c.hosts();
        total_tasks_ = c.tasks().size();
        if (profile_ == tf_profile::kubeflow) {
            kubeflow_prefix_ = effective_job_name(spec_) + '-';
            kubeflow_suffix_ = '.' + options.kubernetes_namespace + ".svc";
            if (!options.cluster_domain.empty()) kubeflow_suffix_ += '.' + options.cluster_domain;
            // The TFJob's tfjob-port: the planned port of the model's owner
            // (launch.hpp), from which the operator writes every address.
            kubeflow_suffix_ += ':' + std::to_string(c.find(model_owner_of(spec_).type, 0).port);
        }
        // A plan's indices of one type are 0..count-1.
        std::size_t counts[4] = {};
        for (const auto& t : c.tasks()) ++counts[static_cast<int>(t.type)];
        for (int type = 0; type < 4; ++type) by_index_[type].resize(counts[type]);
        for (const auto& t : c.tasks()) by_index_[static_cast<int>(t.type)][static_cast<std::size_t>(t.index)] = &t;
        build_dense_cluster();
        check_size();
    }

    /// Checks the cluster against its consumer's rules and the TF_CONFIG's
    /// size (a renderer whose launcher writes the TF_CONFIG, such as the
    /// TFJob's operator).
    template <class Backend>
    static void check_consumer_rules(const cluster<Backend>& c, const tf_config_options& options) {
        (void)tf_config_writer(c, options);
    }

    /// nullopt when the profile's launcher sets no TF_CONFIG for this job
    /// (Kubeflow: a job of exactly one replica).
    std::optional<std::string> render(task_type type, int index) const {
        std::string out;
        if (!render_into(out, type, index)) return std::nullopt;
        return out;
    }

    /// Replaces `out` with the task's TF_CONFIG, reusing its capacity; false
    /// (and `out` empty) when the profile's launcher sets none.
    bool render_into(std::string& out, task_type type, int index) const {
        // A task the plan does not have is an error, whatever the profile.
        if (index < 0 || static_cast<std::size_t>(index) >= tasks_of(type).size()) throw_no_such_task(type, index);
        out.clear();
        if (profile_ == tf_profile::kubeflow && total_tasks_ == 1) return false;
        if (sparse_) {
            render_sparse(out, type, index);
            return true;
        }
        out.reserve(cluster_json_.size() + 96);
        out += "{\"cluster\":";
        out += cluster_json_;
        append_task(out, type, index);
        append_tail(out);
        return true;
    }

    tf_profile profile() const noexcept { return profile_; }
    bool sparse() const noexcept { return sparse_; }

    /// The key of a task type in "cluster" and "task" ("master" for the
    /// sagemaker profile's chief).
    std::string_view job_key(task_type type) const {
        if (type == task_type::chief && profile_ == tf_profile::sagemaker) return master_job;
        return enum_name(type);
    }

    bool in_cluster(task_type type) const {
        return type != task_type::evaluator || cluster_shape(spec_, profile_).evaluator_in_cluster;
    }

    /// What follows the task in a dense TF_CONFIG: environment, rpc_layer and
    /// the closing brace.
    std::string tail() const {
        std::string out;
        append_tail(out);
        return out;
    }

private:
    struct checks_only {};

    /// The settings, checked; nothing prepared.
    template <class Backend>
    tf_config_writer(const cluster<Backend>& c, const tf_config_options& options, checks_only) : spec_(c.job().spec()) {
        const auto& settings = spec_.tf_config;
        profile_ = options.profile.value_or(effective_profile(spec_));
        rpc_layer_ = options.rpc_layer ? options.rpc_layer
                                       : (settings && settings->rpc_layer ? settings->rpc_layer : std::nullopt);
        sparse_ = options.sparse.value_or(settings && settings->sparse.value_or(false));
        check(options);
        if (profile_ == tf_profile::sagemaker) check_sagemaker_layout(c);
    }

    void check(const tf_config_options& options) const {
        problems found;
        tf_config_settings effective = spec_.tf_config.value_or(tf_config_settings{});
        effective.profile = profile_;
        effective.rpc_layer = rpc_layer_;
        effective.sparse = sparse_;
        job_spec checked = spec_;
        checked.tf_config = effective;
        found = check_tf_cluster(checked, profile_, effective_consumer(spec_));
        // The spec's own rpc_layer passed validate(); an override has not.
        if (options.rpc_layer && !is_rpc_layer_name(*options.rpc_layer))
            found.push_back({"tf_config.rpc_layer", quote_json(*options.rpc_layer), rpc_layer_rule});
        if (profile_ == tf_profile::kubeflow) {
            if (!is_dns1123_label(options.kubernetes_namespace))
                found.push_back(
                    {"namespace", quote_json(options.kubernetes_namespace), std::string(dns1123_label_rule)});
            if (!options.cluster_domain.empty() && !is_dns1123_subdomain(options.cluster_domain))
                found.push_back(
                    {"cluster_domain", quote_json(options.cluster_domain), std::string(cluster_domain_rule)});
        }
        if (!found.empty()) throw validation_error(std::move(found));
    }

    /// SageMaker's hosts each run one ps, one port above the host's master
    /// (the first host) or worker (the others): 2222 and 2223. The task
    /// counts passed check_tf_cluster(); the placement depends on the hosts'
    /// slots and on unique_ports, so it is checked on the plan.
    template <class Backend>
    static void check_sagemaker_layout(const cluster<Backend>& c) {
        const auto& hosts = c.hosts();
        const int port = c.find(task_type::chief, 0).port;
        for (std::size_t i = 0; i < hosts.size(); ++i) {
            const int n = static_cast<int>(i);
            const task& main = n == 0 ? c.find(task_type::chief, 0) : c.find(task_type::worker, n - 1);
            const task& ps = c.find(task_type::ps, n);
            if (main.host_index == i && main.port == port && ps.host_index == i && ps.port == port + 1) continue;
            const std::string main_name =
                n == 0 ? std::string(master_job) : fmt::format("{} {}", enum_name(task_type::worker), n - 1);
            throw validation_error(
                {{"tf_config.profile", quote_json(enum_name(tf_profile::sagemaker)),
                  fmt::format("SageMaker runs the master on the first host, worker i on host i+1, and ps i on host "
                              "i one port above them: host {} should run {} on {}:{} and ps {} on {}:{}, but the "
                              "plan puts them at {} and {} (give every host 2 slots, without unique_ports)",
                              quote_json(hosts[i].name), main_name, hosts[i].name, port, n, hosts[i].name, port + 1,
                              c.address(main), c.address(ps))}});
        }
    }

    const std::vector<const task*>& tasks_of(task_type type) const { return by_index_[static_cast<int>(type)]; }

    /// Every task's TF_CONFIG reaches it as one environment string, which
    /// Linux bounds (MAX_ARG_STRLEN): a larger one could never be set, and
    /// every task's would repeat the cluster (docs/limits.md). The longest
    /// is the last task of a type (dense), or a worker's (sparse: it lists
    /// the parameter servers).
    void check_size() const {
        std::string longest;
        std::string buffer;
        for (auto type : {task_type::chief, task_type::worker, task_type::ps, task_type::evaluator}) {
            const auto count = tasks_of(type).size();
            if (count == 0 || !render_into(buffer, type, static_cast<int>(count - 1))) continue;
            if (buffer.size() > longest.size()) std::swap(longest, buffer);
        }
        if (longest.size() <= max_tf_config_bytes) return;
        throw validation_error(
            {{"tf_config", fmt::format("{} bytes", longest.size()),
              fmt::format("a task's TF_CONFIG would have {} bytes ({} tasks); TF_CONFIG=... reaches the task as "
                          "one environment string, so the value has at most {} bytes (Linux's MAX_ARG_STRLEN, "
                          "{}, counts the name and the NUL): fewer tasks or shorter host names (docs/limits.md)",
                          longest.size(), total_tasks_, max_tf_config_bytes, max_argument_bytes + 1)}});
    }

    /// Appends the address of a task as a JSON string: the plan's host and
    /// port, or (kubeflow) the operator's service name.
    void append_address(std::string& out, task_type type, std::size_t index) const {
        out += '"';
        if (profile_ == tf_profile::kubeflow) {
            append_json_escaped(out, kubeflow_prefix_);
            append_json_escaped(out, enum_name(type));
            out += '-';
            out += std::to_string(index);
            append_json_escaped(out, kubeflow_suffix_);
        } else {
            const task& t = *tasks_of(type)[index];
            append_json_escaped(out, (*hosts_)[t.host_index].name);
            out += ':';
            out += std::to_string(t.port);
        }
        out += '"';
    }

    void build_dense_cluster() {
        // Sorted by job name: chief (or master), evaluator, ps, worker.
        std::vector<std::pair<std::string_view, task_type>> jobs;
        for (auto type : {task_type::chief, task_type::worker, task_type::ps, task_type::evaluator})
            if (!tasks_of(type).empty() && in_cluster(type)) jobs.push_back({job_key(type), type});
        std::sort(jobs.begin(), jobs.end());
        cluster_json_ += '{';
        bool first_job = true;
        for (const auto& [key, type] : jobs) {
            if (!first_job) cluster_json_ += ',';
            first_job = false;
            append_quoted_json(cluster_json_, key);
            cluster_json_ += ":[";
            for (std::size_t i = 0; i < tasks_of(type).size(); ++i) {
                if (i != 0) cluster_json_ += ',';
                append_address(cluster_json_, type, i);
            }
            cluster_json_ += ']';
        }
        cluster_json_ += '}';
    }

    void append_task(std::string& out, task_type type, int index) const {
        out += ",\"task\":{\"type\":";
        append_quoted_json(out, job_key(type));
        out += ",\"index\":";
        out += std::to_string(index);
        out += '}';
    }

    void append_tail(std::string& out) const {
        if (profile_ != tf_profile::tf2) out += ",\"environment\":\"cloud\"";
        if (rpc_layer_) {
            out += ",\"rpc_layer\":";
            append_quoted_json(out, *rpc_layer_);
        }
        out += '}';
    }

    /// The Kubeflow operator's enableDynamicWorker form: a worker knows only
    /// itself and the parameter servers; a ps only itself. Go writes a
    /// missing ps job as null.
    void render_sparse(std::string& out, task_type type, int index) const {
        const std::size_t ps = tasks_of(task_type::ps).size();
        out += "{\"cluster\":{\"worker\":{";
        if (type == task_type::worker) {
            out += '"' + std::to_string(index) + "\":";
            append_address(out, task_type::worker, static_cast<std::size_t>(index));
        }
        out += "},\"ps\":";
        if (type == task_type::ps) {
            out += '[';
            append_address(out, task_type::ps, static_cast<std::size_t>(index));
            out += ']';
        } else if (type == task_type::worker && ps == 0) {
            out += "null";
        } else if (type == task_type::worker) {
            out += '[';
            for (std::size_t i = 0; i < ps; ++i) {
                if (i != 0) out += ',';
                append_address(out, task_type::ps, i);
            }
            out += ']';
        } else {
            out += "[]";
        }
        out += '}';
        append_task(out, type, index);
        out += '}';
    }

    const job_spec& spec_;
    tf_profile profile_ = tf_profile::tf2;
    std::optional<std::string> rpc_layer_;
    bool sparse_ = false;
    const std::vector<host>* hosts_ = nullptr;
    std::vector<const task*> by_index_[4];
    std::size_t total_tasks_ = 0;
    std::string kubeflow_prefix_, kubeflow_suffix_;
    std::string cluster_json_;
};

}  // namespace detail
TRAINSPEC_END_NAMESPACE

// The entry points of <trainspec/render/tf_config.hpp> (compiled once in compiled mode).
#if TRAINSPEC_DEFINITIONS
TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

template <class Backend>
std::optional<std::string> task_tf_config_json(const cluster<Backend>& c, task_type type, int index,
                                               const tf_config_options& options) {
    return tf_config_writer(c, options).render(type, index);
}

template <class Backend>
std::vector<task_tf_config> every_tf_config(const cluster<Backend>& c, const tf_config_options& options) {
    const tf_config_writer writer(c, options);
    std::vector<task_tf_config> out;
    out.reserve(c.tasks().size());
    for (const auto& t : c.tasks())
        if (auto json = writer.render(t.type, t.index)) out.push_back({t.type, t.index, std::move(*json)});
    return out;
}

template <class Backend>
void visit_tf_configs(const cluster<Backend>& c, tf_config_sink sink, const tf_config_options& options) {
    const tf_config_writer writer(c, options);
    std::string buffer;
    for (const auto& t : c.tasks())
        if (writer.render_into(buffer, t.type, t.index)) sink.call(sink.context, t, std::string_view(buffer));
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/detail/tf_config_writer.hpp
#endif

#ifdef TRAINSPEC_COMPILED_LIB
TRAINSPEC_BEGIN_NAMESPACE
namespace detail {
TRAINSPEC_INSTANTIATE std::optional<std::string> task_tf_config_json(const cluster<parameter_server>&, task_type, int,
                                                                     const tf_config_options&);
TRAINSPEC_INSTANTIATE std::optional<std::string> task_tf_config_json(const cluster<multi_worker>&, task_type, int,
                                                                     const tf_config_options&);
TRAINSPEC_INSTANTIATE std::vector<task_tf_config> every_tf_config(const cluster<parameter_server>&,
                                                                  const tf_config_options&);
TRAINSPEC_INSTANTIATE std::vector<task_tf_config> every_tf_config(const cluster<multi_worker>&,
                                                                  const tf_config_options&);
TRAINSPEC_INSTANTIATE void visit_tf_configs(const cluster<parameter_server>&, tf_config_sink, const tf_config_options&);
TRAINSPEC_INSTANTIATE void visit_tf_configs(const cluster<multi_worker>&, tf_config_sink, const tf_config_options&);
}  // namespace detail
TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/render/tf_config.hpp
// begin file include/trainspec/render/rank_table.hpp
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

// begin file include/trainspec/detail/launch_hosts.hpp
// The hosts and the process count a launcher is given, checked once for the
// rank table, the hostfiles and the launch lines (docs/mpi.md).

#include <cstdint>
#include <string_view>
#include <vector>

#include <fmt/format.h>


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
// end file include/trainspec/detail/launch_hosts.hpp

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
// end file include/trainspec/render/rank_table.hpp
// begin file include/trainspec/render/mpi_hostfile.hpp
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


TRAINSPEC_BEGIN_NAMESPACE

/// The hostfile for `hosts` in `flavor`'s syntax. Throws mpi_launch_error
/// for hosts a launcher cannot take (bad names, duplicates, no slots).
std::string hostfile_text(const std::vector<host>& hosts, mpi_flavor flavor);

/// The hostfile of a planned MPI job: each host with the ranks placed there.
std::string hostfile_text(const cluster<mpi>& c, mpi_flavor flavor);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS

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
// end file include/trainspec/render/mpi_hostfile.hpp
// begin file include/trainspec/render/mpi_options.hpp
// How an MPI job is launched: the options of mpirun_command() (mpi.hpp), and
// the command it returns. docs/mpi.md says what each option writes.

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE

/// horovodrun's controller: --gloo or --mpi.
enum class horovod_controller { gloo, mpi };

/// Open MPI MCA parameters in order. Setting a name that is present replaces
/// its value in place, so no parameter is ever given twice; names are found
/// through an index, so setting n parameters is linear (a spec may set
/// thousands, docs/limits.md).
class mca_parameters {
public:
    using value_type = std::pair<std::string, std::string>;
    using const_iterator = std::vector<value_type>::const_iterator;

    mca_parameters() = default;
    mca_parameters(std::initializer_list<value_type> items) {
        for (const auto& [name, value] : items) set(name, value);
    }

    /// Sets `name` to `value`: in place when present, else at the end.
    mca_parameters& set(std::string name, std::string value) {
        const auto [at, added] = index_.emplace(name, items_.size());
        if (!added) {
            items_[at->second].second = std::move(value);
            return *this;
        }
        items_.emplace_back(std::move(name), std::move(value));
        return *this;
    }

    /// Removes `name`; true when it was present.
    bool erase(std::string_view name) {
        const auto it = index_.find(std::string(name));
        if (it == index_.end()) return false;
        const auto place = it->second;
        items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(place));
        index_.erase(it);
        for (auto& entry : index_)
            if (entry.second > place) --entry.second;
        return true;
    }

    /// The value of `name`, or nullptr.
    const std::string* find(std::string_view name) const {
        const auto it = index_.find(std::string(name));
        return it == index_.end() ? nullptr : &items_[it->second].second;
    }

    void clear() noexcept {
        items_.clear();
        index_.clear();
    }
    const_iterator begin() const noexcept { return items_.begin(); }
    const_iterator end() const noexcept { return items_.end(); }
    std::size_t size() const noexcept { return items_.size(); }
    bool empty() const noexcept { return items_.empty(); }

    friend bool operator==(const mca_parameters& a, const mca_parameters& b) { return a.items_ == b.items_; }
    friend bool operator!=(const mca_parameters& a, const mca_parameters& b) { return !(a == b); }

private:
    std::vector<value_type> items_;
    std::unordered_map<std::string, std::size_t> index_;  ///< each name's place in items_
};

/// How to launch. The defaults are Horovod's profile for Open MPI 4, minus
/// running as root, which must be asked for.
struct mpi_launch_options {
    TRAINSPEC_SPECIAL_MEMBERS(mpi_launch_options);

    mpi_flavor flavor = mpi_flavor::openmpi;
    /// The launcher program; default: mpirun (openmpi, intel), mpiexec
    /// (mpich), horovodrun.
    std::optional<std::string> launcher;
    /// Open MPI's major version: 5 switches to PRRTE's names (docs/mpi.md);
    /// below 3, `-H host:N` is not understood and `hostfile` is required.
    int open_mpi_major = 4;
    run_as_root allow_run_as_root = run_as_root::not_allowed;

    // ---- Horovod's profile: replace a value, or reset it to remove the flag ----
    bool tag_output = true;                                  ///< Open MPI --tag-output; Hydra -l
    std::optional<std::string> bind_to = "none";             ///< -bind-to (Open MPI, MPICH)
    std::optional<std::string> map_by = "slot";              ///< -map-by (Open MPI, MPICH)
    mca_parameters mca{{"pml", "ob1"}, {"btl", "^openib"}};  ///< Open MPI -mca NAME VALUE, in order
    /// From this many hosts on, Open MPI gets plm_rsh_no_tree_spawn and
    /// plm_rsh_num_concurrent (Horovod's large-cluster work-around);
    /// nullopt: never.
    std::optional<int> large_cluster_hosts = 64;

    // ---- off by default ----
    bool timestamp_output = false;                 ///< Open MPI --timestamp-output
    std::optional<int> ssh_port;                   ///< the port of sshd on the hosts
    std::optional<std::string> network_interface;  ///< TCP/NCCL interface, e.g. eth0
    std::optional<std::string> output_filename;    ///< per-rank output files
    /// A hostfile written with hostfile_text(); used instead of listing the
    /// hosts (required by Hydra when hosts have different slot counts).
    std::optional<std::string> hostfile;
    /// Inside a resource manager's allocation (Slurm): the launcher takes the
    /// hosts from it, so no host list or hostfile is written; the layout's
    /// hosts still give -np and (Hydra) -ppn. Not for horovodrun.
    bool hosts_from_allocation = false;
    std::optional<horovod_controller> controller;  ///< horovodrun only

    // ---- environment ----
    std::vector<environment_variable> environment;  ///< with values; overrides the job's
    std::vector<std::string> export_names;          ///< by name; values from the launcher's environment
    /// False: fail instead of returning variables for the launcher's own
    /// environment (for callers that can only run argv as it is).
    bool allow_launcher_environment = true;

    // ---- the rest of the line ----
    std::vector<std::string> extra_args;                ///< before the command
    std::vector<std::string> command_prefix{"python"};  ///< runs the entry script
};

/// `options` with the spec's `mpi` settings applied: each setting that is
/// set replaces the option's value (bind_to / map_by null and mca null
/// remove Horovod's default), extra_args are appended, unset settings leave
/// `options` as they are. Apply explicit choices (a command line's) to the
/// result afterwards.
inline mpi_launch_options apply_mpi_settings(mpi_launch_options options, const mpi_settings& s) {
    if (s.flavor) options.flavor = *s.flavor;
    if (s.allow_run_as_root) options.allow_run_as_root = *s.allow_run_as_root;
    if (s.network_interface) options.network_interface = *s.network_interface;
    if (s.ssh_port) options.ssh_port = *s.ssh_port;
    if (s.open_mpi_major) options.open_mpi_major = *s.open_mpi_major;
    if (s.bind_to) options.bind_to = *s.bind_to;
    if (s.map_by) options.map_by = *s.map_by;
    for (const auto& m : s.mca) {
        if (m.value)
            options.mca.set(m.name, *m.value);
        else
            options.mca.erase(m.name);
    }
    options.extra_args.insert(options.extra_args.end(), s.extra_args.begin(), s.extra_args.end());
    if (s.command_prefix) options.command_prefix = *s.command_prefix;
    return options;
}

/// The launch options of a job spec: the defaults with its `mpi` settings
/// applied (the defaults alone when it has none).
inline mpi_launch_options mpi_launch_options_from(const job_spec& spec) {
    return spec.mpi ? apply_mpi_settings({}, *spec.mpi) : mpi_launch_options{};
}

/// What a launch needs: the hosts (slots = processes each may run), the
/// process count, the command and the job's variables. launch_layout()
/// derives it from a plan; build one by hand for Horovod-style host lists.
struct mpi_launch_layout {
    std::vector<host> hosts;                        ///< in rank order
    int np = 0;                                     ///< processes; 0: one per slot
    std::vector<std::string> script_argv;           ///< entry script and its parameters
    std::vector<environment_variable> environment;  ///< the job's variables
};

/// A rendered launch. argv runs by itself (execvp, a subprocess, a
/// container's command): when the launcher needs variables in its own
/// environment, it starts with `env NAME=value ...`, which sets them.
struct launch_command {
    std::vector<std::string> argv;
    /// The variables the launcher itself needs, which argv's env sets.
    std::vector<environment_variable> launcher_environment;

    /// The launcher and its arguments: argv without the env prefix, for a
    /// caller that sets launcher_environment itself.
    std::vector<std::string> launcher_argv() const;

    /// `NAME=value ... launcher words`, every word quoted for POSIX sh.
    std::string shell_line() const;
};

/// The launcher program a flavor uses unless options.launcher says otherwise.
constexpr std::string_view default_launcher(mpi_flavor f) noexcept {
    switch (f) {
        case mpi_flavor::mpich:
            return "mpiexec";
        case mpi_flavor::horovodrun:
            return "horovodrun";
        case mpi_flavor::openmpi:
        case mpi_flavor::intel:
            break;
    }
    return "mpirun";
}

/// True for names Horovod never exports: BASH_FUNC_*, OLDPWD, anything
/// containing CUDA_VISIBLE_DEVICES (each rank's GPUs are its own), and
/// Horovod's secret key. As Horovod matches them (Python's re.match: at the
/// start of the name, not anchored at its end).
inline bool is_never_exported(std::string_view name) noexcept {
    auto starts = [name](std::string_view p) { return name.substr(0, p.size()) == p; };
    return starts("BASH_FUNC_") || starts("OLDPWD") || starts("_HOROVOD_SECRET_KEY") ||
           name.find("CUDA_VISIBLE_DEVICES") != std::string_view::npos;
}

/// True when Open MPI's `-x NAME=value` cannot carry `value`: whitespace,
/// quotes or backslashes.
inline bool needs_export_by_name(std::string_view value) noexcept {
    return value.find_first_of(" \t\n\r\v\f'\"\\") != std::string_view::npos;
}

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_DEFAULT_SPECIAL_MEMBERS(mpi_launch_options);

TRAINSPEC_INLINE std::vector<std::string> launch_command::launcher_argv() const {
    const std::size_t prefix = launcher_environment.empty() ? 0 : launcher_environment.size() + 1;
    return {argv.begin() + static_cast<std::ptrdiff_t>(std::min(prefix, argv.size())), argv.end()};
}

TRAINSPEC_INLINE std::string launch_command::shell_line() const {
    std::string line;
    for (const auto& v : launcher_environment) line += detail::shell_assignment(v.name, v.value) + " ";
    return line + shell_join(launcher_argv());
}
TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/render/mpi_options.hpp
// begin file include/trainspec/render/mpi.hpp
// The launch command of an MPI (Horovod) job: Open MPI's mpirun, MPICH's and
// Intel MPI's Hydra mpiexec, or horovodrun, built argv first. The options are
// in mpi_options.hpp; what each launcher gets, and why, is in docs/mpi.md.
//
//   auto cmd = trainspec::mpirun_command(trainspec::plan(job), options);
//   cmd.argv, cmd.launcher_environment, cmd.shell_line()

#include <string>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE

/// The layout of a planned MPI job: each host with the ranks the plan put
/// there, every rank, the job's command and variables.
mpi_launch_layout launch_layout(const cluster<mpi>& c);

/// The launch command for `layout` (hosts, process count, command). Throws
/// mpi_launch_error naming the setting when the launch cannot be written.
launch_command mpirun_command(const mpi_launch_layout& layout, const mpi_launch_options& o);

/// The launch command of a planned MPI job: `command_prefix entry_script
/// script_params...` on every rank, placed as the plan placed them; with
/// post steps (the ONNX export), each rank runs them after training when it
/// is rank 0 (task_command()).
launch_command mpirun_command(const cluster<mpi>& c, const mpi_launch_options& o);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
// begin file include/trainspec/detail/horovodrun_argv.hpp
// horovodrun's line: it applies Horovod's profile and forwards its own
// environment itself (docs/mpi.md).

#include <string>
#include <vector>

// begin file include/trainspec/detail/mpi_argv.hpp
// The argv of an MPI launch as it is built: each option remembers the
// setting that wrote it, so that no flag is written twice.

#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// The setting that writes the host list (-H, -hosts): the one argument
/// that grows with the job.
inline const std::string hosts_setting = "hosts (from the plan or layout)";

/// Builds the argv and remembers which setting wrote which option, so that
/// extra_args cannot repeat one, and refuses an argument execve would refuse.
class command_builder {
public:
    command_builder(mpi_flavor flavor, std::string launcher) : flavor_(flavor) {
        out_.argv.push_back(std::move(launcher));
    }

    /// Appends `words`; the first is an option written by `setting`, keyed
    /// by its canonical name (plus `key` for -mca NAME, -x NAME, -genv NAME).
    void option(const std::string& setting, std::initializer_list<std::string> words, std::string key = "") {
        for (const auto& word : words) check_argument(setting, word);
        auto canonical = canonical_option(flavor_, *words.begin());
        if (!key.empty()) canonical += " " + key;
        written_.emplace_back(std::move(canonical), setting);
        out_.argv.insert(out_.argv.end(), words.begin(), words.end());
    }

    void launcher_variable(std::string name, std::string value) {
        out_.launcher_environment.push_back({std::move(name), std::move(value)});
    }

    /// A variable for the ranks' program only, set right before it runs.
    void task_variable(std::string name, std::string value) {
        task_environment_.push_back({std::move(name), std::move(value)});
    }
    const std::vector<environment_variable>& task_environment() const { return task_environment_; }

    /// The setting that wrote `canonical`, or nullptr.
    const std::string* writer(const std::string& canonical) const {
        for (const auto& [c, setting] : written_)
            if (c == canonical) return &setting;
        return nullptr;
    }

    /// Appends `words`, the list `setting` (problems name `setting[i]`).
    void append(const std::string& setting, const std::vector<std::string>& words) {
        for (std::size_t i = 0; i < words.size(); ++i) check_argument(fmt::format("{}[{}]", setting, i), words[i]);
        out_.argv.insert(out_.argv.end(), words.begin(), words.end());
    }

    /// The command; `env NAME=value ...` first when the launcher needs
    /// variables, so that argv runs by itself.
    launch_command take() {
        if (!out_.launcher_environment.empty()) {
            std::vector<std::string> argv{"env"};
            argv.reserve(out_.launcher_environment.size() + 1 + out_.argv.size());
            for (const auto& v : out_.launcher_environment) argv.push_back(v.name + "=" + v.value);
            argv.insert(argv.end(), std::make_move_iterator(out_.argv.begin()),
                        std::make_move_iterator(out_.argv.end()));
            out_.argv = std::move(argv);
        }
        return std::move(out_);
    }

private:
    static void check_argument(const std::string& setting, const std::string& word) {
        if (word.size() <= max_argument_bytes) return;
        throw mpi_launch_error(setting,
                               fmt::format("an argument of {} bytes; {} has at most {} bytes, so the line could not "
                                           "run{} (docs/limits.md)",
                                           word.size(), argument_limit_text, max_argument_bytes,
                                           setting == hosts_setting ? ": give the hosts in a hostfile" : ""));
    }

    mpi_flavor flavor_;
    launch_command out_;
    std::vector<std::pair<std::string, std::string>> written_;
    std::vector<environment_variable> task_environment_;
};

/// Rejects extra_args that the launcher would reject, or that repeat an
/// option a setting already wrote.
inline void check_extra_args(const mpi_launch_options& o, const command_builder& b) {
    const auto& args = o.extra_args;
    const auto settings = extra_args_problems(args);
    if (!settings.empty())
        throw mpi_launch_error(fmt::format("extra_args[{}]", settings.front().index),
                               settings.front().value + ": " + settings.front().rule);
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto setting = fmt::format("extra_args[{}]", i);
        const auto name = option_name(args[i]);
        auto c = canonical_option(o.flavor, args[i]);
        if (c.empty()) continue;
        if (is_hydra(o.flavor) && is_open_mpi_only(o.flavor, name))
            throw mpi_launch_error(setting, quote_json(args[i]) + " is an Open MPI option; " +
                                                (o.flavor == mpi_flavor::intel ? "Intel MPI" : "MPICH") +
                                                "'s mpiexec rejects it (\"unrecognized argument " + name + "\")");
        if (o.flavor == mpi_flavor::openmpi && is_hydra_only(name))
            throw mpi_launch_error(setting, quote_json(args[i]) +
                                                " is a Hydra (MPICH, Intel MPI) option; Open MPI's mpirun rejects "
                                                "it (\"unknown option\")");
        // -mca NAME VALUE, -x NAME[=VALUE], -genv NAME VALUE (or NAME=VALUE)
        // are keyed by NAME; the words after them are no options.
        std::size_t skip = 0;
        std::string shown = quote_json(args[i]);
        if (c == "mca" || c == "x" || c == "genv") {
            if (i + 1 >= args.size()) throw mpi_launch_error(setting, shown + " lacks its argument");
            const auto& key = args[i + 1];
            const bool inline_value = key.find('=') != std::string::npos;
            c += " " + key.substr(0, key.find('='));
            shown += " " + quote_json(key);
            skip = c.rfind("x ", 0) == 0 || (c.rfind("genv ", 0) == 0 && inline_value) ? 1 : 2;
        }
        if (const auto* by = b.writer(c))
            throw mpi_launch_error(setting, shown + " repeats an option already written from " + *by +
                                                "; change that setting instead of adding the flag again");
        i += skip;
    }
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/mpi_argv.hpp
// begin file include/trainspec/detail/mpi_exports.hpp
// Which variables an MPI launch sends to the ranks, with values or by name
// (docs/mpi.md, Variables).

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

struct export_item {
    std::string name;
    std::optional<std::string> value;  ///< nullopt: by name
    std::string setting;               ///< the option it comes from, for messages
    /// Never in the launcher's environment (docs/security.md): what the
    /// launcher cannot pass to the ranks is set for their program instead.
    bool task_only = false;
};

inline std::string env_setting(const char* field, const std::string& name) {
    return std::string(field) + "[" + quote_json(name) + "]";
}

/// The variables to send, sorted by name: the job's, overridden by the
/// options', plus the names to export.
inline std::vector<export_item> resolve_exports(const std::vector<environment_variable>& job_env,
                                                const mpi_launch_options& o) {
    std::vector<export_item> items;
    std::vector<std::string> origin;
    auto add_valued = [&](const environment_variable& v, const char* field) {
        const auto setting = env_setting(field, v.name);
        if (!is_portable_env_name(v.name)) throw mpi_launch_error(setting, std::string(portable_env_name_rule));
        if (v.value.find('\0') != std::string::npos) throw mpi_launch_error(setting, "the value contains NUL");
        if (auto why = refused_variable_rule(v.name)) throw mpi_launch_error(setting, v.name + " " + *why);
        if (is_never_exported(v.name))
            throw mpi_launch_error(setting, v.name +
                                                " is never exported to the ranks (Horovod's rule: BASH_FUNC_*, "
                                                "OLDPWD, *CUDA_VISIBLE_DEVICES*; each rank's GPUs come from its "
                                                "local rank)");
        if (v.name == "NCCL_SOCKET_IFNAME" && o.network_interface)
            throw mpi_launch_error(setting, "NCCL_SOCKET_IFNAME is also set by network_interface; set one of them");
        for (std::size_t i = 0; i < items.size(); ++i)
            if (items[i].name == v.name) {
                if (origin[i] == field) throw mpi_launch_error(setting, "is set twice");
                items[i].value = v.value;  // the options override the job
                items[i].setting = setting;
                origin[i] = field;
                return;
            }
        items.push_back({v.name, v.value, setting, reach_of(v.name) == variable_reach::task_only});
        origin.emplace_back(field);
    };
    for (const auto& v : job_env) add_valued(v, "environment_variables");
    for (const auto& v : o.environment) add_valued(v, "environment");
    for (std::size_t i = 0; i < o.export_names.size(); ++i) {
        const auto& name = o.export_names[i];
        const auto setting = fmt::format("export_names[{}]", i);
        // Dropped as Horovod filters the environment it exports; first, since
        // bash names exported functions BASH_FUNC_name%%.
        if (is_never_exported(name)) continue;
        if (!is_portable_env_name(name))
            throw mpi_launch_error(setting, quote_json(name) + ": " + std::string(portable_env_name_rule));
        if (name == "NCCL_SOCKET_IFNAME" && o.network_interface)
            throw mpi_launch_error(setting, "NCCL_SOCKET_IFNAME is also set by network_interface; set one of them");
        const auto it = std::find_if(items.begin(), items.end(), [&](const auto& x) { return x.name == name; });
        if (it == items.end()) {
            items.push_back({name, std::nullopt, setting});
        } else if (it->value) {
            throw mpi_launch_error(setting,
                                   name + " is given a value in " +
                                       env_setting(origin[static_cast<std::size_t>(it - items.begin())].c_str(), name) +
                                       "; export it by name or with a value, not both");
        }
    }
    std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return items;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/mpi_exports.hpp

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
// end file include/trainspec/detail/horovodrun_argv.hpp
// begin file include/trainspec/detail/hydra_argv.hpp
// The mpiexec line of Hydra, MPICH's and Intel MPI's launcher (docs/mpi.md).

#include <string>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline void render_hydra(command_builder& b, const mpi_launch_options& o, const mpi_launch_layout& l, int np,
                         const std::vector<export_item>& exports) {
    if (o.tag_output) b.option("tag_output", {"-l"});
    b.option("np (from the plan or layout)", {"-n", std::to_string(np)});
    if (o.hostfile) {
        b.option("hostfile", {o.flavor == mpi_flavor::intel ? "-machinefile" : "-f", *o.hostfile});
    } else if (!needs_hydra_hostfile(l.hosts)) {
        b.option(hosts_setting, {"-ppn", std::to_string(l.hosts.front().slots)});
        if (!o.hosts_from_allocation) {
            b.option(hosts_setting, {"-hosts", join(l.hosts, ",", [](const host& h) { return h.name; })});
        }
    } else {
        throw mpi_launch_error("hostfile", hydra_hostfile_rule(format_host_list(l.hosts)));
    }
    if (o.flavor == mpi_flavor::mpich) {
        if (o.bind_to) b.option("bind_to", {"-bind-to", *o.bind_to});
        if (o.map_by) b.option("map_by", {"-map-by", *o.map_by});
    }
    if (o.ssh_port)  // Intel only (checked)
        b.option("ssh_port", {"-bootstrap", "ssh", "-bootstrap-exec-args", "-p " + std::to_string(*o.ssh_port)});
    if (o.network_interface) {
        b.option("network_interface", {"-iface", *o.network_interface});
        b.option("network_interface", {"-genv", "NCCL_SOCKET_IFNAME", *o.network_interface}, "NCCL_SOCKET_IFNAME");
    }
    if (o.output_filename) b.option("output_filename", {"-outfile-pattern", *o.output_filename});
    std::string by_name;
    for (const auto& e : exports) {
        if (e.value)
            b.option(e.setting, {"-genv", e.name, *e.value}, e.name);
        else
            by_name += (by_name.empty() ? "" : ",") + e.name;
    }
    if (!by_name.empty()) b.option("export_names", {"-genvlist", by_name});
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/hydra_argv.hpp
// begin file include/trainspec/detail/mpi_option_checks.hpp
// The checks of mpi_launch_options that do not depend on the hosts.

#include <string>

#include <fmt/format.h>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline void check_word(const std::string& setting, const std::string& value) {
    if (value.empty()) throw mpi_launch_error(setting, "is empty; reset it (std::nullopt) to leave the flag out");
    for (char c : value)
        if (is_space(c) || c == '\0') throw mpi_launch_error(setting, quote_json(value) + " must be one word");
}

inline void check_options(const mpi_launch_options& o) {
    if (o.launcher && o.launcher->empty()) throw mpi_launch_error("launcher", "is empty");
    // argv may start with `env NAME=value ...`: a launcher that env would
    // read as an option or as one more variable cannot follow.
    if (o.launcher) {
        if (auto why = option_like_problem(*o.launcher, "env")) throw mpi_launch_error("launcher", *why);
        if (o.launcher->find('=') != std::string::npos)
            throw mpi_launch_error("launcher", quote_json(*o.launcher) +
                                                   " contains '=': env would read it as a variable, not the program");
    }
    if (o.bind_to) check_word("bind_to", *o.bind_to);
    if (o.map_by) check_word("map_by", *o.map_by);
    for (const auto& [name, value] : o.mca) {
        const auto setting = "mca[" + quote_json(name) + "]";
        if (auto why = mca_name_problem(name)) throw mpi_launch_error(setting, *why);
        if (auto why = mca_value_problem(value)) throw mpi_launch_error(setting, quote_json(value) + ": " + *why);
    }
    if (o.large_cluster_hosts && *o.large_cluster_hosts < 1)
        throw mpi_launch_error("large_cluster_hosts",
                               fmt::format("is {}; it must be at least 1 (or nullopt: never)", *o.large_cluster_hosts));
    if (o.ssh_port)
        if (auto why = tcp_port_problem(*o.ssh_port))
            throw mpi_launch_error("ssh_port", fmt::format("{}: {}", *o.ssh_port, *why));
    if (o.network_interface)
        if (auto why = network_interface_problem(*o.network_interface))
            throw mpi_launch_error("network_interface", quote_json(*o.network_interface) + ": " + *why);
    if (o.output_filename) check_word("output_filename", *o.output_filename);
    if (o.hostfile && o.hostfile->empty()) throw mpi_launch_error("hostfile", "the path is empty");
    if (o.hostfile && o.hostfile->find('\0') != std::string::npos)
        throw mpi_launch_error("hostfile", "the path contains NUL");
    if (o.open_mpi_major < 1)
        throw mpi_launch_error("open_mpi_major", fmt::format("{} is no version", o.open_mpi_major));
    if (o.controller && o.flavor != mpi_flavor::horovodrun)
        throw mpi_launch_error(
            "controller", "is horovodrun's --gloo/--mpi; " + std::string(enum_name(o.flavor)) + " has no such choice");
    if (o.flavor == mpi_flavor::openmpi && o.open_mpi_major < 3 && !o.hostfile)
        throw mpi_launch_error("open_mpi_major",
                               fmt::format("Open MPI {} reads host:N in -H as a host name (ssh: \"Could not resolve "
                                           "hostname\"); set hostfile, written with hostfile_text()",
                                           o.open_mpi_major));
    if (is_hydra(o.flavor) && o.timestamp_output)
        throw mpi_launch_error("timestamp_output", "Hydra's mpiexec has no --timestamp-output");
    if (o.hosts_from_allocation && (o.hostfile || o.flavor == mpi_flavor::horovodrun))
        throw mpi_launch_error("hosts_from_allocation",
                               o.hostfile ? "takes the hosts from the allocation; a hostfile would override it"
                                          : "horovodrun takes no hosts from an allocation; give it -H or a hostfile");
    if (o.flavor == mpi_flavor::mpich && o.ssh_port)
        throw mpi_launch_error("ssh_port", std::string(mpich_ssh_port_rule));
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/mpi_option_checks.hpp
// begin file include/trainspec/detail/open_mpi_argv.hpp
// Open MPI's mpirun line, ORTE's and PRRTE's spellings (docs/mpi.md).

#include <string>
#include <utility>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline void render_open_mpi(command_builder& b, const mpi_launch_options& o, const mpi_launch_layout& l, int np,
                            const std::vector<export_item>& exports) {
    const bool prrte = o.open_mpi_major >= 5;
    const std::string mca_flag = prrte ? "--mca" : "-mca";
    const std::string launcher_mca_flag = prrte ? "--prtemca" : "-mca";
    const std::string plm = prrte ? "plm_ssh_" : "plm_rsh_";

    // The MCA parameters other settings write: none may also be in `mca`.
    const bool large = o.large_cluster_hosts && static_cast<int>(l.hosts.size()) >= *o.large_cluster_hosts;
    for (const auto& derived :
         derived_mca_parameters(prrte, o.ssh_port.has_value(), o.network_interface.has_value(), large))
        if (o.mca.find(derived.name))
            throw mpi_launch_error("mca[" + quote_json(derived.name) + "]", derived_mca_rule(derived));

    if (o.allow_run_as_root == run_as_root::flag) b.option("allow_run_as_root", {"--allow-run-as-root"});
    if (o.tag_output) b.option("tag_output", {"--tag-output"});
    b.option("np (from the plan or layout)", {"-np", std::to_string(np)});
    if (o.hostfile)
        b.option("hostfile", {"--hostfile", *o.hostfile});
    else if (!o.hosts_from_allocation)
        b.option(hosts_setting, {"-H", format_host_list(l.hosts)});
    if (o.bind_to) b.option("bind_to", {prrte ? "--bind-to" : "-bind-to", *o.bind_to});
    if (o.map_by) b.option("map_by", {prrte ? "--map-by" : "-map-by", *o.map_by});
    for (const auto& [name, value] : o.mca) b.option("mca[" + quote_json(name) + "]", {mca_flag, name, value}, name);
    if (large) {
        b.option("large_cluster_hosts", {launcher_mca_flag, plm + "no_tree_spawn", "true"}, plm + "no_tree_spawn");
        b.option("large_cluster_hosts", {launcher_mca_flag, plm + "num_concurrent", std::to_string(l.hosts.size())},
                 plm + "num_concurrent");
    }
    if (o.timestamp_output) b.option("timestamp_output", {"--timestamp-output"});
    if (o.ssh_port)
        b.option("ssh_port", {launcher_mca_flag, plm + "args", "-p " + std::to_string(*o.ssh_port)}, plm + "args");
    if (o.network_interface) {
        b.option("network_interface", {mca_flag, "btl_tcp_if_include", *o.network_interface}, "btl_tcp_if_include");
        b.option("network_interface", {"-x", "NCCL_SOCKET_IFNAME=" + *o.network_interface}, "NCCL_SOCKET_IFNAME");
    }
    if (o.output_filename) b.option("output_filename", {"--output-filename", *o.output_filename});
    for (const auto& e : exports) {
        const auto& setting = e.setting;
        if (!e.value) {
            b.option(setting, {"-x", e.name}, e.name);
        } else if (!needs_export_by_name(*e.value)) {
            b.option(setting, {"-x", e.name + "=" + *e.value}, e.name);
        } else if (e.task_only) {
            b.task_variable(e.name, *e.value);
        } else {
            if (!o.allow_launcher_environment)
                throw mpi_launch_error(setting,
                                       "the value holds whitespace, a quote or a backslash, which Open MPI's -x "
                                       "cannot carry; it must be exported by name from the launcher's environment, "
                                       "but allow_launcher_environment is false");
            b.option(setting, {"-x", e.name}, e.name);
            b.launcher_variable(e.name, *e.value);
        }
    }
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/open_mpi_argv.hpp

TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_INLINE mpi_launch_layout launch_layout(const cluster<mpi>& c) {
    return {ranks_per_host(c), static_cast<int>(c.tasks().size()), c.job().script_argv(),
            c.job().spec().environment_variables};
}

TRAINSPEC_INLINE launch_command mpirun_command(const mpi_launch_layout& layout, const mpi_launch_options& o) {
    detail::check_options(o);
    const int np = detail::launch_size(layout.hosts, layout.np);
    const auto exports = detail::resolve_exports(layout.environment, o);
    if (layout.script_argv.empty() && o.command_prefix.empty())
        throw mpi_launch_error("command_prefix", "there is no command to run");

    detail::command_builder b(o.flavor, o.launcher ? *o.launcher : std::string(default_launcher(o.flavor)));
    if (o.flavor == mpi_flavor::openmpi && o.allow_run_as_root == run_as_root::environment) {
        if (!o.allow_launcher_environment)
            throw mpi_launch_error("allow_run_as_root",
                                   "the environment form sets OMPI_ALLOW_RUN_AS_ROOT in the launcher's environment, "
                                   "but allow_launcher_environment is false; use run_as_root::flag");
        b.launcher_variable("OMPI_ALLOW_RUN_AS_ROOT", "1");
        b.launcher_variable("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
    }
    switch (o.flavor) {
        case mpi_flavor::openmpi:
            detail::render_open_mpi(b, o, layout, np, exports);
            break;
        case mpi_flavor::mpich:
        case mpi_flavor::intel:
            detail::render_hydra(b, o, layout, np, exports);
            break;
        case mpi_flavor::horovodrun:
            detail::render_horovodrun(b, o, layout, np, exports);
            break;
    }
    detail::check_extra_args(o, b);
    b.append("extra_args", o.extra_args);
    b.append("task variables (from environment)", detail::task_variable_words(b.task_environment()));
    b.append("command_prefix", o.command_prefix);
    b.append("script_argv (from the plan or layout)", layout.script_argv);
    return b.take();
}

TRAINSPEC_INLINE launch_command mpirun_command(const cluster<mpi>& c, const mpi_launch_options& o) {
    auto layout = launch_layout(c);
    auto steps = detail::launch_steps(c.job().spec());
    if (steps.size() == 1) return mpirun_command(layout, o);
    steps.front().argv = o.command_prefix;
    steps.front().argv.insert(steps.front().argv.end(), layout.script_argv.begin(), layout.script_argv.end());
    layout.script_argv = task_command(steps, owner_check::mpi_rank);
    auto options = o;
    options.command_prefix.clear();
    return mpirun_command(layout, options);
}
TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/render/mpi.hpp
// begin file include/trainspec/render/environment_files.hpp
// The files that declare a job's packages: requirements.txt (pip) and
// environment.yml (conda, and Azure ML's conda_file). docs/environments.md
// lists what goes in, and in which order.
//
//   std::vector<std::string> pip_requirements(const job<B>& job);
//   bool uses_conda(const job<B>& job);
//   std::string conda_environment_yaml(const job<B>& job);
//   std::string requirements_txt(const job<B>& job);
//
// Every function has an any_job overload; the files of a user_managed job
// (or one with its own conda_dependencies_file) throw artifact_error.

#include <string>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE

/// The pip requirements the job's environment installs, in order.
template <class Backend>
std::vector<std::string> pip_requirements(const job<Backend>& j);
std::vector<std::string> pip_requirements(const any_job& j);

/// True when the environment is installed with conda (conda_packages or a
/// conda_dependencies_file), false for pip only or user_managed.
template <class Backend>
bool uses_conda(const job<Backend>& j);
bool uses_conda(const any_job& j);

/// environment.yml. Throws for user_managed jobs and for jobs with their
/// own conda_dependencies_file.
template <class Backend>
std::string conda_environment_yaml(const job<Backend>& j);
std::string conda_environment_yaml(const any_job& j);

/// requirements.txt: pip_requirements(), one a line. Throws for user_managed jobs.
template <class Backend>
std::string requirements_txt(const job<Backend>& j);
std::string requirements_txt(const any_job& j);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
// begin file include/trainspec/detail/environment_lists.hpp
// What a job's environment installs (pip list, conda environment), behind
// render/environment_files.hpp and the job's image (docs/environments.md).

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

[[noreturn]] inline void container_error(const char* artifact, const job_spec& s, const std::string& why) {
    throw artifact_error(artifact, effective_job_name(s), why);
}

/// The keras package of the keras switch, or "" when tf.keras is the one:
/// 1.x: multi-backend Keras 2.2/2.3 (the last releases that run on TF 1);
/// 2.0-2.5: nothing (tf.keras ships inside the tensorflow wheel);
/// 2.6-2.15: keras==2.X.* (the separate package tf.keras is, same version);
/// 2.16 and later: keras>=3 (Keras 3, which tf.keras is from 2.16 on; Keras
/// 2 code needs the tf_keras package, added through pip_packages).
inline std::string keras_requirement(std::string_view version) {
    if (framework_major(version) < 2) return "keras>=2.2,<2.4";
    const auto minor = std::stoi(std::string(version.substr(2)));
    if (minor <= 5) return "";
    if (minor <= 15) return "keras==" + std::string(version) + ".*";
    return "keras>=3";
}

/// `name==version` of a pinned release (validation has refused the job
/// when the table knows none).
inline std::string pinned(std::string_view name, std::string_view version) {
    return std::string(name) + "==" + std::string(version);
}

/// The pip list; `base_has_cuda`: the image it is installed into has CUDA
/// (the official TensorFlow GPU images, a custom image), else GPU wheels that
/// need it bring it (tensorflow_requirement()).
inline std::vector<std::string> pip_list(const job_spec& s, bool base_has_cuda = true) {
    const auto version = effective_framework_version(s);
    const auto& pins = framework_image_for(version);
    std::vector<std::string> list{tensorflow_requirement(version, effective_use_gpu(s), base_has_cuda)};
    if (effective_backend(s) == backend_kind::mpi) list.push_back(pinned("horovod", pins.horovod));
    if (effective_keras(s))
        if (auto keras = keras_requirement(version); !keras.empty()) list.push_back(std::move(keras));
    if (effective_onnx_export(s)) list.push_back(pinned("tf2onnx", pins.tf2onnx));
    list.insert(list.end(), s.pip_packages.begin(), s.pip_packages.end());
    return list;
}

inline bool is_yaml_plain_safe(std::string_view text) {
    if (text.empty() || !((text[0] >= 'a' && text[0] <= 'z') || (text[0] >= 'A' && text[0] <= 'Z'))) return false;
    for (char c : text)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
              c == '=' || c == '-'))
            return false;
    static constexpr std::string_view special[] = {"y",  "n",   "yes",  "no",  "true", "false",
                                                   "on", "off", "null", "nan", "inf"};
    std::string lower(text);
    for (auto& c : lower)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    for (auto word : special)
        if (lower == word) return false;
    return true;
}

/// A YAML scalar that reads back as the string `text`: plain when that is
/// unambiguous, else double-quoted (JSON escapes are YAML escapes).
inline std::string yaml_string(std::string_view text) {
    return is_yaml_plain_safe(text) ? std::string(text) : quote_json(text);
}

inline bool conda_used(const job_spec& s) {
    return !effective_user_managed(s) && (!s.conda_packages.empty() || s.conda_dependencies_file.has_value());
}

/// Whether the conda environment is built on an image with CUDA: Azure ML's
/// base image for the version's CUDA, or a custom image (the user's, CUDA
/// included).
inline bool conda_base_has_cuda(const job_spec& s) {
    return s.custom_docker_image || azureml_base_has_cuda(effective_framework_version(s));
}

inline std::string environment_yaml(const job_spec& s) {
    if (effective_user_managed(s))
        container_error("environment.yml", s, "is user_managed: the image already has everything");
    if (s.conda_dependencies_file)
        container_error("environment.yml", s,
                        "uses its own conda_dependencies_file " + quote_json(*s.conda_dependencies_file));
    const auto& entry = framework_image_for(effective_framework_version(s));
    std::string y = "name: " + yaml_string(effective_job_name(s)) + "\n";
    y += "channels:\n  - conda-forge\n  - defaults\n";
    y += "dependencies:\n";
    y += "  - " + yaml_string("python=" + std::string(entry.python)) + "\n";
    y += "  - pip\n";
    for (const auto& p : s.conda_packages) y += "  - " + yaml_string(p) + "\n";
    y += "  - pip:\n";
    for (const auto& p : pip_list(s, conda_base_has_cuda(s))) y += "      - " + yaml_string(p) + "\n";
    return y;
}

inline std::string requirements_text(const job_spec& s) {
    if (effective_user_managed(s))
        container_error("requirements.txt", s, "is user_managed: the image already has everything");
    std::string text;
    for (const auto& p : pip_list(s)) text += p + "\n";
    return text;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/environment_lists.hpp

TRAINSPEC_BEGIN_NAMESPACE
template <class Backend>
std::vector<std::string> pip_requirements(const job<Backend>& j) {
    return detail::pip_list(j.spec());
}

template <class Backend>
bool uses_conda(const job<Backend>& j) {
    return detail::conda_used(j.spec());
}

template <class Backend>
std::string conda_environment_yaml(const job<Backend>& j) {
    return detail::environment_yaml(j.spec());
}

template <class Backend>
std::string requirements_txt(const job<Backend>& j) {
    return detail::requirements_text(j.spec());
}

TRAINSPEC_INLINE std::vector<std::string> pip_requirements(const any_job& j) { return detail::pip_list(spec_of(j)); }

TRAINSPEC_INLINE bool uses_conda(const any_job& j) { return detail::conda_used(spec_of(j)); }

TRAINSPEC_INLINE std::string conda_environment_yaml(const any_job& j) { return detail::environment_yaml(spec_of(j)); }

TRAINSPEC_INLINE std::string requirements_txt(const any_job& j) { return detail::requirements_text(spec_of(j)); }
TRAINSPEC_END_NAMESPACE
#endif

#ifdef TRAINSPEC_COMPILED_LIB
#define TRAINSPEC_ENVIRONMENT_FILES(B)                                                \
    TRAINSPEC_INSTANTIATE std::vector<std::string> pip_requirements(const job<B>& j); \
    TRAINSPEC_INSTANTIATE bool uses_conda(const job<B>& j);                           \
    TRAINSPEC_INSTANTIATE std::string conda_environment_yaml(const job<B>& j);        \
    TRAINSPEC_INSTANTIATE std::string requirements_txt(const job<B>& j);
TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_FOR_EACH_BACKEND(TRAINSPEC_ENVIRONMENT_FILES)
TRAINSPEC_END_NAMESPACE
#undef TRAINSPEC_ENVIRONMENT_FILES
#endif
// end file include/trainspec/render/environment_files.hpp
// begin file include/trainspec/render/job_image.hpp
// The image a job runs in, on every engine (docs/environments.md):
//
//   job_image image_of(const job<B>& job, const environment_file_contents& files = {});
//   std::string container_image(const job<B>& job, const environment_file_contents& files = {});
//   std::string dockerfile(const job<B>& job);
//   std::vector<std::vector<std::string>> image_build_commands(const job_image& image, const image_build_paths& paths);
//   bool builds_image(const job_spec& spec);
//   slurm_environment_kind effective_slurm_environment(const job_spec& spec);
//
// A job that installs nothing and runs on one node uses its base image as
// it is. Any other job (packages, a custom image that gets TensorFlow, or
// a distributed job, whose pods receive the source directory in the image)
// runs an image built from its Dockerfile, named `<image_registry>:<tag>`
// where the tag is derived from the content of the build context alone.
// The library reads no files: the contents of the job's own
// pip_requirements_file / conda_dependencies_file, which are part of the
// build context, come from the caller.

#include <optional>
#include <string>
#include <string_view>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE

/// The contents of the environment files a job names in its source
/// directory (trainspec-gen reads them); needed for the tag of its image.
struct environment_file_contents {
    std::optional<std::string> pip_requirements_file;
    std::optional<std::string> conda_dependencies_file;
};

/// One file of an image's build context.
struct image_file {
    std::string name;  ///< relative to the build context
    std::string content;
};

struct job_image {
    std::string reference;  ///< what every launcher runs
    std::string base;       ///< the image it starts from (FROM)
    bool built = false;     ///< built from `context` (else `reference` is `base`)
    bool pushed = false;    ///< built and pushed to the job's image_registry (else a local image)
    /// Built images: the Dockerfile and every file it copies, sorted by name.
    std::vector<image_file> context;
};

/// The artifact named by the errors of image_of() and container_image().
inline constexpr const char* image_artifact = "container image";

/// The repository of a built image when the spec names none: a local name
/// (`trainspec/<job name>`), never pushed.
inline constexpr std::string_view default_image_repository = "trainspec";

/// Where the Dockerfile puts the conda environment of a conda job.
inline constexpr std::string_view image_conda_prefix = "/opt/trainspec/env";

/// The digits of the content-derived tag (64 bits of SHA-256).
inline constexpr std::size_t image_tag_length = 16;

/// The build context's names for the job's own environment files.
inline constexpr std::string_view user_requirements_name = "user-requirements.txt";
inline constexpr std::string_view user_environment_name = "user-environment.yml";

/// True when the job's image is built from its Dockerfile (see above).
bool builds_image(const job_spec& s);

/// The job's image: the base image, or the one built from its Dockerfile.
/// Throws artifact_error for use_docker = false, and when the job
/// names its own environment file and `files` lacks its content.
template <class Backend>
job_image image_of(const job<Backend>& j, const environment_file_contents& files = {});
job_image image_of(const any_job& j, const environment_file_contents& files = {});

/// image_of().reference: what every launcher runs.
template <class Backend>
std::string container_image(const job<Backend>& j, const environment_file_contents& files = {});
std::string container_image(const any_job& j, const environment_file_contents& files = {});

/// The Dockerfile of a job whose image is built. Its build context holds
/// the files it copies (image_of().context); the source directory is the
/// named context `source` (`docker build --build-context source=DIR`).
/// Throws for jobs whose image is not built.
template <class Backend>
std::string dockerfile(const job<Backend>& j);
std::string dockerfile(const any_job& j);

/// Where the build runs from.
struct image_build_paths {
    std::string context;           ///< the directory holding the build context's files
    std::string source_directory;  ///< the job's source directory
};

/// `docker build` of a built image (BuildKit: Docker 23 or docker buildx),
/// then `docker push` when it goes to a registry. Empty for images that are
/// not built.
inline std::vector<std::vector<std::string>> image_build_commands(const job_image& image,
                                                                  const image_build_paths& paths) {
    if (!image.built) return {};
    std::vector<std::vector<std::string>> commands{{"docker", "build", "--build-context",
                                                    "source=" + paths.source_directory, "--tag", image.reference,
                                                    paths.context}};
    if (image.pushed) commands.push_back({"docker", "push", image.reference});
    return commands;
}

/// slurm_environment, else: the job's container through Apptainer when it
/// runs in one (use_docker), else a conda environment when it installs
/// packages, else the nodes' own Python.
slurm_environment_kind effective_slurm_environment(const job_spec& s);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
// begin file include/trainspec/detail/job_image_build.hpp
// How a job's image is made: its base, its Dockerfile and build context, and
// the content tag, behind render/job_image.hpp (docs/environments.md).

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

// begin file include/trainspec/detail/sha256.hpp
// SHA-256 (FIPS 180-4), for content-derived names: the same bytes give the
// same digest on every machine.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

class sha256 {
public:
    sha256& update(std::string_view data) {
        for (char c : data) {
            block_[filled_++] = static_cast<std::uint8_t>(c);
            if (filled_ == 64) {
                compress();
                filled_ = 0;
            }
        }
        length_ += data.size();
        return *this;
    }

    /// The digest as 64 lower-case hex digits. Finishes the hash.
    std::string hex() {
        const std::uint64_t bits = length_ * 8;
        block_[filled_++] = 0x80;
        if (filled_ > 56) {
            while (filled_ < 64) block_[filled_++] = 0;
            compress();
            filled_ = 0;
        }
        while (filled_ < 56) block_[filled_++] = 0;
        for (int i = 7; i >= 0; --i) block_[filled_++] = static_cast<std::uint8_t>(bits >> (8 * i));
        compress();
        static constexpr char digits[] = "0123456789abcdef";
        std::string out;
        for (auto word : state_)
            for (int shift = 28; shift >= 0; shift -= 4) out += digits[(word >> shift) & 0xf];
        return out;
    }

private:
    static constexpr std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

    void compress() {
        static constexpr std::array<std::uint32_t, 64> k = {
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
            0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
            0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
            0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
            0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
            0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
            0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
        std::array<std::uint32_t, 64> w{};
        for (int i = 0; i < 16; ++i)
            w[i] = std::uint32_t{block_[4 * i]} << 24 | std::uint32_t{block_[4 * i + 1]} << 16 |
                   std::uint32_t{block_[4 * i + 2]} << 8 | std::uint32_t{block_[4 * i + 3]};
        for (int i = 16; i < 64; ++i) {
            const auto s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
            const auto s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        auto [a, b, c, d, e, f, g, h] = state_;
        for (int i = 0; i < 64; ++i) {
            const auto t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
            const auto t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        const std::array<std::uint32_t, 8> add = {a, b, c, d, e, f, g, h};
        for (std::size_t i = 0; i < 8; ++i) state_[i] += add[i];
    }

    std::array<std::uint32_t, 8> state_ = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                           0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    std::array<std::uint8_t, 64> block_{};
    std::size_t filled_ = 0;
    std::uint64_t length_ = 0;
};

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/sha256.hpp

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline void require_docker(const char* artifact, const job_spec& s) {
    if (!effective_use_docker(s))
        container_error(artifact, s, "has use_docker = false; set use_docker to true (the default) for a container");
}

/// An image given to run instead of the job's (the manifests', Slurm's and
/// docker run's `image`): Docker's reference syntax, which also keeps it
/// from reading as an option of docker run or a container runtime.
inline void check_image_option(const std::optional<std::string>& image) {
    if (image)
        if (auto why = image_reference_problem(*image))
            throw validation_error({{"image", quote_json(*image), std::string(*why)}});
}

/// custom_docker_image, else Azure ML's base image for conda jobs (it has
/// conda), else the official TensorFlow image.
inline std::string base_image_of(const job_spec& s) {
    if (s.custom_docker_image) return *s.custom_docker_image;
    if (conda_used(s)) return azureml_base_image(effective_framework_version(s), effective_use_gpu(s));
    const auto& entry = framework_image_for(effective_framework_version(s));
    return std::string(effective_use_gpu(s) ? entry.gpu_image : entry.cpu_image);
}

/// The job installs something beyond TensorFlow (user_managed jobs never do).
inline bool installs_packages(const job_spec& s) {
    return !effective_user_managed(s) && (conda_used(s) || s.pip_requirements_file || pip_list(s).size() > 1);
}

inline bool image_is_built(const job_spec& s) {
    if (!effective_use_docker(s) || effective_user_managed(s)) return false;
    const auto backend = effective_backend(s);
    return s.custom_docker_image || installs_packages(s) || backend == backend_kind::parameter_server ||
           backend == backend_kind::multi_worker;
}

inline std::string exec_form(const std::vector<std::string>& words) {
    std::string text = "[";
    for (std::size_t i = 0; i < words.size(); ++i) text += (i ? ", " : "") + quote_json(words[i]);
    return text + "]";
}

inline std::string run_line(const std::vector<std::string>& argv) { return "RUN " + exec_form(argv) + "\n"; }

inline std::vector<std::string> pip_install(std::vector<std::string> what) {
    std::vector<std::string> argv{"python", "-m", "pip", "install", "--no-cache-dir"};
    argv.insert(argv.end(), what.begin(), what.end());
    return argv;
}

/// Horovod builds with CMake from 0.20 on.
inline bool horovod_needs_cmake(std::string_view version) {
    return !(version.substr(0, 3) == "0.1" || version == "0.19.5");
}

/// The system packages of an mpi job's image, and sshd set up as the MPI
/// Operator's workers run it (root, keys from a Secret, no host key prompts).
inline std::string mpi_system_lines(const job_spec& s, const std::string& base) {
    std::string packages = "openssh-client openssh-server g++ make";
    const auto flavor = effective_mpi_flavor(s);
    const bool azure_base = base.rfind("mcr.microsoft.com/azureml/openmpi", 0) == 0;
    if (flavor == mpi_flavor::mpich)
        packages += " mpich libmpich-dev";
    else if (!azure_base)
        packages += " openmpi-bin libopenmpi-dev";
    // A pip install builds against the image's own python3; a conda
    // environment has its headers.
    if (!conda_used(s))
        packages += " \"python$(python3 -c 'import sys; print(\"%d.%d\" % sys.version_info[:2])')-dev\"";
    std::string d =
        "RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install --yes "
        "--no-install-recommends " +
        packages + " && rm -rf /var/lib/apt/lists/*\n";
    d += "RUN mkdir -p /var/run/sshd && printf '%s\\n' 'StrictHostKeyChecking no' 'UserKnownHostsFile /dev/null' "
         ">> /etc/ssh/ssh_config && printf '%s\\n' 'StrictModes no' >> /etc/ssh/sshd_config\n";
    return d;
}

/// Before anything that installs Horovod: TensorFlow (Horovod's build
/// imports it) and CMake.
inline std::string horovod_prerequisites(const job_spec& s, bool base_has_cuda) {
    const auto version = effective_framework_version(s);
    std::vector<std::string> what{tensorflow_requirement(version, effective_use_gpu(s), base_has_cuda)};
    if (horovod_needs_cmake(framework_image_for(version).horovod)) what.emplace_back("cmake");
    return run_line(pip_install(std::move(what)));
}

inline std::string dockerfile_text(const job_spec& s) {
    require_docker("Dockerfile", s);
    if (!image_is_built(s))
        container_error("Dockerfile", s,
                        effective_user_managed(s)
                            ? "is user_managed: it runs " + base_image_of(s) + " as it is"
                            : "installs nothing beyond " + base_image_of(s) + ", which it runs as it is");
    const bool mpi = effective_backend(s) == backend_kind::mpi;
    if (mpi && effective_mpi_flavor(s) == mpi_flavor::intel && !s.custom_docker_image)
        container_error("Dockerfile", s,
                        "uses Intel MPI (mpi.flavor \"intel\"), which is not in the Ubuntu archives the image "
                        "installs from: give a custom_docker_image that has it");
    const auto base = base_image_of(s);
    const auto& pins = framework_image_for(effective_framework_version(s));
    std::string d = "FROM " + base + "\n";
    if (mpi && !s.custom_docker_image) d += mpi_system_lines(s, base);
    if (mpi)
        d += "ENV HOROVOD_WITH_TENSORFLOW=1 HOROVOD_WITH_MPI=1 HOROVOD_WITHOUT_PYTORCH=1 "
             "HOROVOD_WITHOUT_MXNET=1\n";
    const std::string env_dir = "/tmp/trainspec/";
    if (conda_used(s)) {
        const std::string file = s.conda_dependencies_file ? std::string(user_environment_name) : "environment.yml";
        const std::string prefix(image_conda_prefix);
        d += "COPY " + file + " " + env_dir + file + "\n";
        d += "ENV PATH=" + prefix + "/bin:$PATH\n";
        if (mpi) {
            d +=
                run_line({"conda", "create", "--yes", "--prefix", prefix, "python=" + std::string(pins.python), "pip"});
            d += horovod_prerequisites(s, conda_base_has_cuda(s));
            d += run_line({"conda", "env", "update", "--prefix", prefix, "--file", env_dir + file});
        } else {
            d += run_line({"conda", "env", "create", "--prefix", prefix, "--file", env_dir + file});
        }
    } else {
        d += "COPY requirements.txt " + env_dir + "requirements.txt\n";
        if (mpi) d += horovod_prerequisites(s, true);
        d += run_line(pip_install({"-r", env_dir + "requirements.txt"}));
    }
    if (s.pip_requirements_file) {
        const std::string file(user_requirements_name);
        d += "COPY " + file + " " + env_dir + file + "\n";
        d += run_line(pip_install({"-r", env_dir + file}));
    }
    // Horovod last: a job's own conda file does not list it; elsewhere pip
    // finds it already installed.
    if (mpi) d += run_line(pip_install({pinned("horovod", pins.horovod)}));
    d += std::string("WORKDIR ") + container_workdir + "\n";
    d += std::string("COPY --from=source . ") + container_workdir + "\n";
    return d;
}

/// The tag: SHA-256 of the `sha256sum` listing of the context (one
/// "<hex>  <name>" line per file, sorted by name), its first digits.
inline std::string content_tag(const std::vector<image_file>& context) {
    std::string listing;
    for (const auto& f : context) listing += sha256().update(f.content).hex() + "  " + f.name + "\n";
    return sha256().update(listing).hex().substr(0, image_tag_length);
}

inline job_image image_for(const job_spec& s, const environment_file_contents& files) {
    require_docker(image_artifact, s);
    job_image image;
    image.base = base_image_of(s);
    if (!image_is_built(s)) {
        image.reference = image.base;
        return image;
    }
    image.built = true;
    image.pushed = s.image_registry.has_value();
    image.context.push_back({"Dockerfile", dockerfile_text(s)});
    if (conda_used(s) && !s.conda_dependencies_file) image.context.push_back({"environment.yml", environment_yaml(s)});
    if (!conda_used(s)) image.context.push_back({"requirements.txt", requirements_text(s)});
    struct own_file {
        const char* key;
        const std::optional<std::string>& path;
        const std::optional<std::string>& content;
        std::string_view name;
    };
    for (const own_file& f : {own_file{"pip_requirements_file", s.pip_requirements_file, files.pip_requirements_file,
                                       user_requirements_name},
                              own_file{"conda_dependencies_file", s.conda_dependencies_file,
                                       files.conda_dependencies_file, user_environment_name}}) {
        if (!f.path) continue;
        if (!f.content)
            container_error(image_artifact, s,
                            std::string("names its own ") + f.key + " " + quote_json(*f.path) +
                                ", whose content is part of the image: pass it in environment_file_contents");
        image.context.push_back({std::string(f.name), *f.content});
    }
    std::sort(image.context.begin(), image.context.end(),
              [](const image_file& a, const image_file& b) { return a.name < b.name; });
    const std::string repository =
        s.image_registry.value_or(std::string(default_image_repository) + "/" + effective_job_name(s));
    image.reference = repository + ":" + content_tag(image.context);
    return image;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE

// The entry points of <trainspec/render/job_image.hpp> (compiled once in compiled mode).
#if TRAINSPEC_DEFINITIONS
TRAINSPEC_BEGIN_NAMESPACE
template <class Backend>
job_image image_of(const job<Backend>& j, const environment_file_contents& files) {
    return detail::image_for(j.spec(), files);
}

template <class Backend>
std::string container_image(const job<Backend>& j, const environment_file_contents& files) {
    return detail::image_for(j.spec(), files).reference;
}

template <class Backend>
std::string dockerfile(const job<Backend>& j) {
    return detail::dockerfile_text(j.spec());
}

TRAINSPEC_INLINE bool builds_image(const job_spec& s) { return detail::image_is_built(s); }

TRAINSPEC_INLINE job_image image_of(const any_job& j, const environment_file_contents& files) {
    return detail::image_for(spec_of(j), files);
}

TRAINSPEC_INLINE std::string container_image(const any_job& j, const environment_file_contents& files) {
    return detail::image_for(spec_of(j), files).reference;
}

TRAINSPEC_INLINE std::string dockerfile(const any_job& j) { return detail::dockerfile_text(spec_of(j)); }

TRAINSPEC_INLINE slurm_environment_kind effective_slurm_environment(const job_spec& s) {
    if (s.slurm_environment) return *s.slurm_environment;
    if (effective_use_docker(s)) return slurm_environment_kind::apptainer;
    if (detail::installs_packages(s)) return slurm_environment_kind::conda;
    return slurm_environment_kind::none;
}
TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/detail/job_image_build.hpp
#endif

#ifdef TRAINSPEC_COMPILED_LIB
#define TRAINSPEC_JOB_IMAGE(B)                                                                                  \
    TRAINSPEC_INSTANTIATE job_image image_of(const job<B>& j, const environment_file_contents& files);          \
    TRAINSPEC_INSTANTIATE std::string container_image(const job<B>& j, const environment_file_contents& files); \
    TRAINSPEC_INSTANTIATE std::string dockerfile(const job<B>& j);
TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_FOR_EACH_BACKEND(TRAINSPEC_JOB_IMAGE)
TRAINSPEC_END_NAMESPACE
#undef TRAINSPEC_JOB_IMAGE
#endif
// end file include/trainspec/render/job_image.hpp
// begin file include/trainspec/render/container.hpp
// The `docker run` line of a single-node job (argv; one -e per variable, so
// values need no quoting):
//
//   docker run --rm [--gpus all] --shm-size <shm_size> [-e NAME=value]...
//              -v <source>:/workspace[:ro] -w /workspace <image> <steps>
//
//   std::vector<std::string> docker_run_argv(const job<B>& job, const docker_run_options& options = {});
//   std::string docker_run_command(const job<B>& job, const docker_run_options& options = {});
//
// <image> is the job's image (job_image.hpp); <steps> the task's argv
// (launch.hpp). A relative source path is written `./path` (a bare word
// would name a volume); trainspec-gen passes an absolute one, resolved when
// the line runs.

#include <optional>
#include <string>
#include <variant>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE

struct docker_run_options {
    /// The image to run; default the job's image (container_image()).
    std::optional<std::string> image;
    /// The contents of the job's own environment files, for its image's tag.
    environment_file_contents environment_files;
    /// The host directory mounted at /workspace; default source_directory.
    std::optional<std::string> source_path;
};

namespace detail {
std::vector<std::string> docker_run(const job_spec& s, const docker_run_options& o);
}  // namespace detail

/// `docker run` as argv. Throws for use_docker = false.
template <class Backend>
std::vector<std::string> docker_run_argv(const job<Backend>& j, const docker_run_options& options = {}) {
    return detail::docker_run(j.spec(), options);
}
inline std::vector<std::string> docker_run_argv(const any_job& j, const docker_run_options& options = {}) {
    return detail::docker_run(spec_of(j), options);
}

/// docker_run_argv() quoted for POSIX sh.
template <class Backend>
std::string docker_run_command(const job<Backend>& j, const docker_run_options& options = {}) {
    return shell_join(docker_run_argv(j, options));
}
inline std::string docker_run_command(const any_job& j, const docker_run_options& options = {}) {
    return shell_join(docker_run_argv(j, options));
}

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

TRAINSPEC_INLINE std::vector<std::string> docker_run(const job_spec& s, const docker_run_options& o) {
    require_docker("docker run", s);
    check_image_option(o.image);
    if (effective_backend(s) != backend_kind::single_node)
        container_error("docker run", s,
                        "is a \"" + std::string(enum_name(effective_backend(s))) + "\" job of " +
                            std::to_string(effective_task_count(s)) +
                            " tasks; docker run starts one container: launch it on Kubernetes (tfjob, mpijob), "
                            "Slurm or with mpirun");
    std::vector<std::string> argv{"docker", "run", "--rm"};
    if (effective_use_gpu(s)) argv.insert(argv.end(), {"--gpus", "all"});
    argv.insert(argv.end(), {"--shm-size", effective_shm_size(s)});
    for (const auto& v : s.environment_variables) argv.insert(argv.end(), {"-e", v.name + "=" + v.value});
    std::string source = o.source_path.value_or(s.source_directory);
    if (source.empty()) source = ".";
    if (source.front() != '/' && source.front() != '.') source = "./" + source;
    argv.insert(argv.end(), {"-v", source_mount(source, s), "-w", container_workdir});
    argv.push_back(o.image ? *o.image : image_for(s, o.environment_files).reference);
    const auto command = task_command(launch_steps(s), owner_check::owner);
    argv.insert(argv.end(), command.begin(), command.end());
    return argv;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/render/container.hpp
// begin file include/trainspec/render/kubeflow_options.hpp
// The options of the Kubeflow manifests (kubeflow.hpp) and the operators'
// fixed names; docs/kubeflow.md says what each field makes the operator do.

#include <optional>
#include <string>
#include <utility>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE

/// The operators' fixed names and defaults.
inline constexpr const char* tfjob_api_version = "kubeflow.org/v1";
inline constexpr const char* mpijob_api_version = "kubeflow.org/v2beta1";
inline constexpr const char* tfjob_container_name = "tensorflow";
inline constexpr const char* tfjob_port_name = "tfjob-port";
inline constexpr const char* mpijob_launcher_container_name = "mpi-launcher";
inline constexpr const char* mpijob_worker_container_name = "mpi-worker";
/// Where the MPI operator mounts the hostfile it writes.
inline constexpr const char* mpi_operator_hostfile = "/etc/mpi/hostfile";

/// A toleration of the pods (Kubernetes' Toleration).
struct kubernetes_toleration {
    std::string key;
    std::string operator_name = "Equal";  ///< Equal or Exists
    std::string value;
    std::string effect;  ///< "" (all), NoSchedule, PreferNoSchedule or NoExecute
};

/// A PersistentVolumeClaim mounted into every container of the job.
struct kubernetes_volume {
    std::string claim;       ///< the claim's name
    std::string mount_path;  ///< absolute path in the container
    bool read_only = true;
};

/// The MPI operator's worker command: sshd in the foreground, logging to
/// stderr, as its v2beta1 examples run it.
inline const std::vector<std::string>& default_mpi_worker_command() {
    static const std::vector<std::string> command{"/usr/sbin/sshd", "-De"};
    return command;
}

struct kubeflow_options {
    TRAINSPEC_SPECIAL_MEMBERS(kubeflow_options);

    std::string kubernetes_namespace = "default";  ///< metadata.namespace; also in the TF_CONFIG addresses
    std::string cluster_domain;                    ///< the operator's custom cluster domain ("" = none)
    /// The container image; empty: the job's image (image_of()), whose tag
    /// needs the contents of the job's own environment files.
    std::string image;
    environment_file_contents environment_files;
    /// Always, IfNotPresent or Never; default: Always for the job's built
    /// image in a registry (its tag stays when only the source changes),
    /// IfNotPresent for a local one, else Kubernetes' own default.
    std::optional<std::string> image_pull_policy;
    /// Replaces the training step's argv (the post steps stay): TFJob tasks,
    /// MPIJob ranks. Empty: the job's own.
    std::vector<std::string> command;
    /// Every replica's restartPolicy; unset: TFJob ExitCode, MPIJob
    /// Launcher OnFailure and Worker Never (docs/kubeflow.md).
    std::optional<std::string> restart_policy;
    /// Per replica type (Chief, Worker, PS, Evaluator; Launcher, Worker),
    /// over restart_policy.
    std::vector<std::pair<std::string, std::string>> replica_restart_policy;
    std::string clean_pod_policy = "Running";  ///< All, Running (the operators' default) or None
    /// metadata.labels, in this order.
    std::vector<std::pair<std::string, std::string>> labels;
    /// MPIJob: overrides the job's mpi.flavor.
    std::optional<mpi_flavor> flavor;
    /// MPIJob: AtStartup or WaitForWorkersReady.
    std::string launcher_creation_policy = "WaitForWorkersReady";
    /// MPIJob: the workers' argv; empty: default_mpi_worker_command().
    std::vector<std::string> worker_command;
    std::vector<std::string> image_pull_secrets;                     ///< pod imagePullSecrets, by name
    std::vector<std::pair<std::string, std::string>> node_selector;  ///< pod nodeSelector, in order
    std::vector<kubernetes_toleration> tolerations;
    std::vector<kubernetes_volume> volumes;
    std::optional<std::string> working_directory;  ///< the containers' workingDir; default container_workdir
    std::optional<std::string> memory;             ///< each task container's memory request and limit (quantity)
};

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_DEFAULT_SPECIAL_MEMBERS(kubeflow_options);
TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/render/kubeflow_options.hpp
// begin file include/trainspec/render/kubeflow.hpp
// Kubernetes manifests for the Kubeflow operators, written from the launch
// model (launch.hpp): TFJob (kubeflow.org/v1) for parameter-server and
// multi-worker jobs, MPIJob (kubeflow.org/v2beta1) for MPI (Horovod) jobs.
// The options are in kubeflow_options.hpp; docs/kubeflow.md says what each
// field makes the operator do.

#include <optional>
#include <variant>

#include <nlohmann/json.hpp>


TRAINSPEC_BEGIN_NAMESPACE

/// The TFJob of a parameter-server job. Throws validation_error for every
/// option or job field the operator would reject (docs/kubeflow.md).
nlohmann::ordered_json tfjob_manifest(const cluster<parameter_server>& c, const kubeflow_options& o);

/// The TFJob of a multi-worker (MultiWorkerMirroredStrategy) job.
nlohmann::ordered_json tfjob_manifest(const cluster<multi_worker>& c, const kubeflow_options& o);

/// The MPIJob (v2beta1) of an MPI job. Throws validation_error as
/// tfjob_manifest() does, mpi_launch_error when the launch command cannot be
/// written.
nlohmann::ordered_json mpijob_manifest(const cluster<mpi>& c, const kubeflow_options& o);

/// The manifest of a planned job that a Kubeflow operator runs: the TFJob of
/// a ps or multi_worker job, the MPIJob of an mpi job; nullopt for a
/// single-node job, which no operator takes.
std::optional<nlohmann::ordered_json> kubeflow_manifest(const any_cluster& c, const kubeflow_options& o);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
// begin file include/trainspec/detail/mpijob_manifest.hpp
// The MPIJob (kubeflow.org/v2beta1) of an MPI job: a launcher that runs
// mpirun_command() against the operator's hostfile, and workers running sshd
// (docs/kubeflow.md).

#include <nlohmann/json.hpp>

// begin file include/trainspec/detail/kubeflow_checks.hpp
// The operators' admission rules, and the ones they forget (derived names
// within 63 characters), checked before a manifest is written: every
// violation at once, as a validation_error naming the option or job field.

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

// begin file include/trainspec/detail/kubernetes_syntax.hpp
// Kubernetes' syntax of variable names, labels and quantities, as its API
// server checks them.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>


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
// end file include/trainspec/detail/kubernetes_syntax.hpp

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

class kubeflow_checker {
public:
    void require(bool ok, std::string path, std::string_view value, std::string rule) {
        if (!ok) found_.push_back({std::move(path), quote_json(value), std::move(rule)});
    }
    void add(std::string path, std::string value, std::string rule) {
        found_.push_back({std::move(path), std::move(value), std::move(rule)});
    }
    void throw_if_any() {
        if (!found_.empty()) throw validation_error(std::move(found_));
    }

private:
    problems found_;
};

inline constexpr std::string_view tfjob_restart_policies[] = {"Always", "OnFailure", "Never", "ExitCode"};
inline constexpr std::string_view mpijob_restart_policies[] = {"OnFailure", "Never"};

template <std::size_t N>
std::string one_of(const std::string_view (&names)[N]) {
    return join(names, ", ", [](std::string_view name) { return name; });
}

template <std::size_t N>
bool is_one_of(const std::string_view (&names)[N], std::string_view value) {
    return std::find(std::begin(names), std::end(names), value) != std::end(names);
}

/// The checks of what the pods are given: labels, scheduling, volumes,
/// working directory, memory.
inline void check_pod_options(kubeflow_checker& check, const kubeflow_options& o) {
    for (std::size_t i = 0; i < o.labels.size(); ++i) {
        const auto& [key, value] = o.labels[i];
        const std::string path = "labels[" + quote_json(key) + "]";
        check.require(is_label_key(key), path, key,
                      "a label key is [prefix/]name: the prefix a DNS-1123 subdomain, the name at most 63 "
                      "characters of [-A-Za-z0-9_.], starting and ending with a letter or digit");
        check.require(is_label_value(value), path, value,
                      "a label value has at most 63 characters of [-A-Za-z0-9_.], starting and ending with a "
                      "letter or digit");
        for (std::size_t j = 0; j < i; ++j)
            if (o.labels[j].first == key) check.require(false, path, key, "the label is given twice");
    }
    for (std::size_t i = 0; i < o.node_selector.size(); ++i) {
        const auto& [key, value] = o.node_selector[i];
        const std::string path = "node_selector[" + quote_json(key) + "]";
        check.require(is_label_key(key), path, key, "a node selector key is a label key ([prefix/]name)");
        check.require(is_label_value(value), path, value, "a node selector value is a label value");
        for (std::size_t j = 0; j < i; ++j)
            if (o.node_selector[j].first == key) check.require(false, path, key, "the key is given twice");
    }
    for (std::size_t i = 0; i < o.image_pull_secrets.size(); ++i)
        check.require(is_dns1123_subdomain(o.image_pull_secrets[i]), fmt::format("image_pull_secrets[{}]", i),
                      o.image_pull_secrets[i], "a Secret's name is a DNS-1123 subdomain");
    for (std::size_t i = 0; i < o.tolerations.size(); ++i) {
        const auto& t = o.tolerations[i];
        const auto path = fmt::format("tolerations[{}]", i);
        check.require(t.key.empty() || is_label_key(t.key), path + ".key", t.key, "a taint key is a label key");
        check.require(t.operator_name == "Equal" || t.operator_name == "Exists", path + ".operator", t.operator_name,
                      "must be Equal or Exists");
        check.require(t.operator_name != "Exists" || t.value.empty(), path + ".value", t.value,
                      "operator Exists takes no value");
        check.require(t.value.empty() || is_label_value(t.value), path + ".value", t.value,
                      "a taint value is a label value");
        check.require(
            t.effect.empty() || t.effect == "NoSchedule" || t.effect == "PreferNoSchedule" || t.effect == "NoExecute",
            path + ".effect", t.effect, "must be NoSchedule, PreferNoSchedule or NoExecute (or empty: all)");
        check.require(!t.key.empty() || t.operator_name == "Exists", path + ".key", t.key,
                      "an empty key matches every taint only with operator Exists");
    }
    for (std::size_t i = 0; i < o.volumes.size(); ++i) {
        const auto& v = o.volumes[i];
        const auto path = fmt::format("volumes[{}]", i);
        check.require(is_dns1123_subdomain(v.claim), path + ".claim", v.claim,
                      "a PersistentVolumeClaim's name is a DNS-1123 subdomain");
        check.require(!v.mount_path.empty() && v.mount_path.front() == '/' &&
                          v.mount_path.find(':') == std::string::npos && v.mount_path.find('\0') == std::string::npos &&
                          v.mount_path != "/dev/shm",
                      path + ".mount_path", v.mount_path,
                      "must be an absolute path without ':' (and not /dev/shm, which holds shm_size)");
        for (std::size_t j = 0; j < i; ++j)
            if (o.volumes[j].mount_path == v.mount_path)
                check.require(false, path + ".mount_path", v.mount_path, "two volumes are mounted at the same path");
    }
    if (o.working_directory)
        check.require(!o.working_directory->empty() && o.working_directory->front() == '/' &&
                          o.working_directory->find('\0') == std::string::npos,
                      "working_directory", *o.working_directory, "must be an absolute path in the container");
    if (o.memory)
        check.require(is_memory_quantity(*o.memory), "memory", *o.memory,
                      "must be a Kubernetes quantity such as 16Gi or 512Mi");
}

/// The checks of what the task containers run: the command and the job's
/// variables (the training operator writes TF_CONFIG itself).
inline void check_task_container(kubeflow_checker& check, const job_spec& s, const kubeflow_options& o, bool tfjob) {
    if (!o.command.empty())
        check.require(!o.command.front().empty(), "command[0]", o.command.front(), "the program must not be empty");
    const auto& env = s.environment_variables;
    for (std::size_t i = 0; i < env.size(); ++i) {
        const std::string path = "environment_variables[" + quote_json(env[i].name) + "]";
        check.require(is_kubernetes_env_name(env[i].name), path, env[i].name,
                      "Kubernetes accepts variable names of [-._a-zA-Z][-._a-zA-Z0-9]*, not '.' and not starting "
                      "with '..'");
        if (tfjob)
            check.require(env[i].name != "TF_CONFIG", path, env[i].name,
                          "the training operator sets TF_CONFIG itself; a second definition would override its "
                          "cluster");
    }
}

/// The checks of every manifest. `replica_types`: the operator's names of the
/// job's replicas.
template <std::size_t N>
void check_common(kubeflow_checker& check, const job_spec& s, const kubeflow_options& o,
                  const std::string_view (&allowed_restart)[N], const std::vector<std::string>& replica_types,
                  bool tfjob) {
    const std::string name = effective_job_name(s);
    check.require(is_dns1035_label(name), "name", name,
                  "the job's Kubernetes name must be a DNS-1035 label: [a-z]([-a-z0-9]*[a-z0-9])?, at most 63 "
                  "characters");
    if (is_dns1035_label(name))
        for (const auto& derived : derived_resource_names(s, name))
            check.require(is_dns1035_label(derived), "name", name,
                          fmt::format("the operator names a resource {} ({} characters); a Service name is a "
                                      "DNS-1035 label of at most 63 characters: shorten the job name",
                                      derived, derived.size()));
    check.require(is_dns1123_label(o.kubernetes_namespace), "namespace", o.kubernetes_namespace,
                  std::string(dns1123_label_rule));
    if (!o.cluster_domain.empty())
        check.require(is_dns1123_subdomain(o.cluster_domain), "cluster_domain", o.cluster_domain,
                      std::string(cluster_domain_rule));
    if (auto why = image_reference_problem(o.image)) check.require(false, "image", o.image, std::string(*why));
    if (o.image_pull_policy)
        check.require(*o.image_pull_policy == "Always" || *o.image_pull_policy == "IfNotPresent" ||
                          *o.image_pull_policy == "Never",
                      "image_pull_policy", *o.image_pull_policy, "must be Always, IfNotPresent or Never");
    if (o.restart_policy)
        check.require(is_one_of(allowed_restart, *o.restart_policy), "restart_policy", *o.restart_policy,
                      "must be one of " + one_of(allowed_restart));
    for (const auto& [type, policy] : o.replica_restart_policy) {
        const std::string path = "restart_policy[" + quote_json(type) + "]";
        const auto types = join(replica_types, ", ", [](const std::string& t) { return t; });
        check.require(std::find(replica_types.begin(), replica_types.end(), type) != replica_types.end(), path, type,
                      "this job's replica types are " + types);
        check.require(is_one_of(allowed_restart, policy), path, policy, "must be one of " + one_of(allowed_restart));
    }
    check.require(o.clean_pod_policy == "All" || o.clean_pod_policy == "Running" || o.clean_pod_policy == "None",
                  "clean_pod_policy", o.clean_pod_policy, "must be All, Running or None");
    check_pod_options(check, o);
    check_task_container(check, s, o, tfjob);
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/kubeflow_checks.hpp
// begin file include/trainspec/detail/kubeflow_pod.hpp
// The parts every Kubeflow manifest shares: metadata, run policy, and the
// pod template of a replica, in the operators' field order.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// The restartPolicy of one replica type.
inline std::string restart_policy_of(const kubeflow_options& o, std::string_view type, std::string_view fallback) {
    for (const auto& [t, policy] : o.replica_restart_policy)
        if (t == type) return policy;
    return o.restart_policy.value_or(std::string(fallback));
}

inline nlohmann::ordered_json kubeflow_metadata(const job_spec& s, const kubeflow_options& o) {
    nlohmann::ordered_json m;
    m["name"] = effective_job_name(s);
    m["namespace"] = o.kubernetes_namespace;
    if (!o.labels.empty()) {
        nlohmann::ordered_json labels = nlohmann::ordered_json::object();
        for (const auto& [key, value] : o.labels) labels[key] = value;
        m["labels"] = std::move(labels);
    }
    return m;
}

inline nlohmann::ordered_json kubeflow_run_policy(const job_spec& s, const kubeflow_options& o) {
    nlohmann::ordered_json r;
    r["cleanPodPolicy"] = o.clean_pod_policy;
    if (s.max_run_duration_seconds) r["activeDeadlineSeconds"] = *s.max_run_duration_seconds;
    return r;
}

inline nlohmann::ordered_json kubeflow_env(const std::vector<environment_variable>& vars) {
    nlohmann::ordered_json env = nlohmann::ordered_json::array();
    for (const auto& v : vars) env.push_back({{"name", v.name}, {"value", v.value}});
    return env;
}

inline constexpr const char* shm_volume_name = "dshm";
/// The training operator's pod label holding the replica's index.
inline constexpr const char* replica_index_label = "training.kubeflow.org/replica-index";

inline std::string volume_name(std::size_t i) { return "data-" + std::to_string(i); }

/// What a container runs and is given, before the engine's own fields.
struct container_launch {
    std::vector<std::string> argv;
    std::vector<environment_variable> environment;
    bool index_from_label = false;  ///< TRAINSPEC_TASK_INDEX from the replica-index label
    int gpus = 0;
    std::optional<int> cpus;
    bool with_shm = true;
};

/// One container, in the operators' field order, and its pod spec.
inline nlohmann::ordered_json pod_template(const char* container_name, const container_launch& c, const job_spec& s,
                                           const kubeflow_options& o,
                                           const std::vector<std::pair<std::string, int>>& ports) {
    nlohmann::ordered_json container;
    container["name"] = container_name;
    container["image"] = o.image;
    if (o.image_pull_policy) container["imagePullPolicy"] = *o.image_pull_policy;
    if (!c.argv.empty()) {
        container["command"] = nlohmann::ordered_json::array({c.argv.front()});
        if (c.argv.size() > 1) container["args"] = std::vector<std::string>(c.argv.begin() + 1, c.argv.end());
    }
    container["workingDir"] = o.working_directory.value_or(container_workdir);
    nlohmann::ordered_json env = kubeflow_env(c.environment);
    if (c.index_from_label)
        env.push_back(
            {{"name", task_index_variable},
             {"valueFrom",
              {{"fieldRef", {{"fieldPath", std::string("metadata.labels['") + replica_index_label + "']"}}}}}});
    if (!env.empty()) container["env"] = std::move(env);
    if (!ports.empty()) {
        auto list = nlohmann::ordered_json::array();
        for (const auto& [name, port] : ports) list.push_back({{"name", name}, {"containerPort", port}});
        container["ports"] = std::move(list);
    }
    nlohmann::ordered_json requests = nlohmann::ordered_json::object();
    nlohmann::ordered_json limits = nlohmann::ordered_json::object();
    if (c.cpus) requests["cpu"] = *c.cpus;
    if (o.memory) {
        requests["memory"] = *o.memory;
        limits["memory"] = *o.memory;
    }
    if (c.gpus > 0) limits["nvidia.com/gpu"] = c.gpus;
    if (!requests.empty() || !limits.empty()) {
        nlohmann::ordered_json resources = nlohmann::ordered_json::object();
        if (!requests.empty()) resources["requests"] = std::move(requests);
        if (!limits.empty()) resources["limits"] = std::move(limits);
        container["resources"] = std::move(resources);
    }
    auto mounts = nlohmann::ordered_json::array();
    auto volumes = nlohmann::ordered_json::array();
    if (c.with_shm) {
        mounts.push_back({{"name", shm_volume_name}, {"mountPath", "/dev/shm"}});
        nlohmann::ordered_json empty_dir{{"medium", "Memory"}};
        if (const auto bytes = parse_docker_size(effective_shm_size(s)))  // validated with the job
            empty_dir["sizeLimit"] = kubernetes_quantity(*bytes);
        volumes.push_back({{"name", shm_volume_name}, {"emptyDir", empty_dir}});
    }
    for (std::size_t i = 0; i < o.volumes.size(); ++i) {
        const auto& v = o.volumes[i];
        nlohmann::ordered_json mount{{"name", volume_name(i)}, {"mountPath", v.mount_path}};
        if (v.read_only) mount["readOnly"] = true;
        mounts.push_back(std::move(mount));
        nlohmann::ordered_json claim{{"claimName", v.claim}};
        if (v.read_only) claim["readOnly"] = true;
        volumes.push_back({{"name", volume_name(i)}, {"persistentVolumeClaim", std::move(claim)}});
    }
    if (!mounts.empty()) container["volumeMounts"] = std::move(mounts);

    nlohmann::ordered_json spec;
    spec["containers"] = nlohmann::ordered_json::array({std::move(container)});
    if (!volumes.empty()) spec["volumes"] = std::move(volumes);
    if (!o.image_pull_secrets.empty()) {
        auto secrets = nlohmann::ordered_json::array();
        for (const auto& name : o.image_pull_secrets) secrets.push_back({{"name", name}});
        spec["imagePullSecrets"] = std::move(secrets);
    }
    if (!o.node_selector.empty()) {
        nlohmann::ordered_json selector = nlohmann::ordered_json::object();
        for (const auto& [key, value] : o.node_selector) selector[key] = value;
        spec["nodeSelector"] = std::move(selector);
    }
    if (!o.tolerations.empty()) {
        auto list = nlohmann::ordered_json::array();
        for (const auto& t : o.tolerations) {
            nlohmann::ordered_json toleration;
            if (!t.key.empty()) toleration["key"] = t.key;
            toleration["operator"] = t.operator_name;
            if (!t.value.empty()) toleration["value"] = t.value;
            if (!t.effect.empty()) toleration["effect"] = t.effect;
            list.push_back(std::move(toleration));
        }
        spec["tolerations"] = std::move(list);
    }
    return {{"spec", std::move(spec)}};
}

/// The options with the job's image filled in when none is given.
inline kubeflow_options with_job_image(const job_spec& s, kubeflow_options o) {
    if (!o.image.empty()) return o;
    const auto image = image_for(s, o.environment_files);
    o.image = image.reference;
    if (!o.image_pull_policy && image.built) o.image_pull_policy = image.pushed ? "Always" : "IfNotPresent";
    return o;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/kubeflow_pod.hpp

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline const char* mpi_implementation(mpi_flavor f) {
    switch (f) {
        case mpi_flavor::intel:
            return "Intel";
        case mpi_flavor::mpich:
            return "MPICH";
        case mpi_flavor::openmpi:
        case mpi_flavor::horovodrun:
            break;
    }
    return "OpenMPI";
}

/// The MPIJob of an MPI job (mpijob_manifest()).
inline nlohmann::ordered_json render_mpijob(const cluster<mpi>& c, const kubeflow_options& given) {
    const auto& s = c.job().spec();
    const auto o = with_job_image(s, given);
    const auto m = describe_launch(c);
    kubeflow_checker check;
    check_common(check, s, o, mpijob_restart_policies, {"Launcher", "Worker"}, false);
    check.require(o.launcher_creation_policy == "AtStartup" || o.launcher_creation_policy == "WaitForWorkersReady",
                  "launcher_creation_policy", o.launcher_creation_policy, "must be AtStartup or WaitForWorkersReady");
    if (!o.worker_command.empty())
        check.require(!o.worker_command.front().empty(), "worker_command[0]", o.worker_command.front(),
                      "the program must not be empty");
    check.throw_if_any();

    auto launch = mpi_launch_options_from(s);
    if (o.flavor) launch.flavor = *o.flavor;
    // The pods run as root (the operator mounts its ssh keys at /root/.ssh);
    // Open MPI refuses root unless told, so the flag is the default here.
    const bool root_chosen = s.mpi && s.mpi->allow_run_as_root;
    if (!root_chosen && launch.flavor == mpi_flavor::openmpi) launch.allow_run_as_root = run_as_root::flag;
    launch.hostfile = mpi_operator_hostfile;
    auto layout = launch_layout(c);
    layout.script_argv = task_command(steps_with_command(m, o.command), owner_check::mpi_rank);
    launch.command_prefix.clear();
    const auto command = mpirun_command(layout, launch);

    const auto* ranks = find_role(m, task_type::worker);
    const int per_node = effective_process_count_per_node(s);

    container_launch launcher;
    launcher.argv = command.launcher_argv();
    launcher.environment = command.launcher_environment;
    launcher.with_shm = false;
    nlohmann::ordered_json launcher_replica;
    launcher_replica["replicas"] = 1;
    launcher_replica["restartPolicy"] = restart_policy_of(o, "Launcher", "OnFailure");
    launcher_replica["template"] = pod_template(mpijob_launcher_container_name, launcher, s, o, {});

    container_launch worker;
    worker.argv = o.worker_command.empty() ? default_mpi_worker_command() : o.worker_command;
    // The workers' main program is sshd; the ranks get the job's variables from mpirun.
    worker.environment = shared_variables(m.environment);
    worker.gpus = ranks != nullptr ? ranks->gpus_per_task * per_node : 0;
    if (m.cpus_per_task) worker.cpus = *m.cpus_per_task * per_node;
    nlohmann::ordered_json worker_replica;
    worker_replica["replicas"] = c.job().node_count();
    worker_replica["restartPolicy"] = restart_policy_of(o, "Worker", "Never");
    worker_replica["template"] = pod_template(mpijob_worker_container_name, worker, s, o, {});

    nlohmann::ordered_json manifest;
    manifest["apiVersion"] = mpijob_api_version;
    manifest["kind"] = "MPIJob";
    manifest["metadata"] = kubeflow_metadata(s, o);
    nlohmann::ordered_json spec;
    spec["slotsPerWorker"] = per_node;
    spec["runPolicy"] = kubeflow_run_policy(s, o);
    spec["mpiImplementation"] = mpi_implementation(launch.flavor);
    spec["launcherCreationPolicy"] = o.launcher_creation_policy;
    spec["mpiReplicaSpecs"] = {{"Launcher", std::move(launcher_replica)}, {"Worker", std::move(worker_replica)}};
    manifest["spec"] = std::move(spec);
    return manifest;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/mpijob_manifest.hpp
// begin file include/trainspec/detail/tfjob_manifest.hpp
// The TFJob (kubeflow.org/v1) of a parameter-server or multi-worker job
// (docs/kubeflow.md).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline const char* tfjob_replica_type(task_type t) {
    switch (t) {
        case task_type::chief:
            return "Chief";
        case task_type::worker:
            return "Worker";
        case task_type::ps:
            return "PS";
        case task_type::evaluator:
            return "Evaluator";
    }
    return "";
}

/// A GPU job's task that must see no GPU gets CUDA_VISIBLE_DEVICES empty.
inline std::vector<environment_variable> role_environment(const launch_model& m, const launch_role& role) {
    auto env = m.environment;
    if (role.gpus_hidden) env.push_back({"CUDA_VISIBLE_DEVICES", ""});
    return env;
}

template <class Backend>
nlohmann::ordered_json render_tfjob(const cluster<Backend>& c, const kubeflow_options& given) {
    const auto& s = c.job().spec();
    const auto o = with_job_image(s, given);
    const auto m = describe_launch(c);
    std::vector<std::string> types;
    for (const auto& role : m.roles) types.emplace_back(tfjob_replica_type(role.type));
    kubeflow_checker check;
    check_common(check, s, o, tfjob_restart_policies, types, true);
    check.throw_if_any();
    // The kubeflow profile's own checks: the consumer's cluster rules.
    tf_config_options tf;
    tf.profile = tf_profile::kubeflow;
    tf.kubernetes_namespace = o.kubernetes_namespace;
    tf.cluster_domain = o.cluster_domain;
    tf_config_writer::check_consumer_rules(c, tf);

    const auto steps = steps_with_command(m, o.command);
    nlohmann::ordered_json replicas = nlohmann::ordered_json::object();
    for (const auto& role : m.roles) {
        container_launch launch;
        // The chief is a replica type of its own; worker 0 shares the Worker
        // template and learns its index from the operator's label.
        const auto check_owner = !role.has_model_owner || !has_post_steps(steps) ? owner_check::not_owner
                                 : role.count == 1                               ? owner_check::owner
                                                                                 : owner_check::task_index;
        launch.argv = task_command(steps, check_owner);
        launch.index_from_label = check_owner == owner_check::task_index;
        launch.environment = role_environment(m, role);
        launch.gpus = role.gpus_per_task;
        launch.cpus = m.cpus_per_task;
        nlohmann::ordered_json replica;
        replica["replicas"] = role.count;
        replica["restartPolicy"] = restart_policy_of(o, tfjob_replica_type(role.type), "ExitCode");
        replica["template"] =
            pod_template(tfjob_container_name, launch, s, o, {{tfjob_port_name, m.port.value_or(default_port)}});
        replicas[tfjob_replica_type(role.type)] = std::move(replica);
    }
    nlohmann::ordered_json manifest;
    manifest["apiVersion"] = tfjob_api_version;
    manifest["kind"] = "TFJob";
    manifest["metadata"] = kubeflow_metadata(s, o);
    nlohmann::ordered_json spec;
    spec["runPolicy"] = kubeflow_run_policy(s, o);
    if (s.tf_config && s.tf_config->sparse.value_or(false)) spec["enableDynamicWorker"] = true;
    spec["tfReplicaSpecs"] = std::move(replicas);
    manifest["spec"] = std::move(spec);
    return manifest;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/tfjob_manifest.hpp

TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_INLINE nlohmann::ordered_json tfjob_manifest(const cluster<parameter_server>& c, const kubeflow_options& o) {
    return detail::render_tfjob(c, o);
}
TRAINSPEC_INLINE nlohmann::ordered_json tfjob_manifest(const cluster<multi_worker>& c, const kubeflow_options& o) {
    return detail::render_tfjob(c, o);
}
TRAINSPEC_INLINE nlohmann::ordered_json mpijob_manifest(const cluster<mpi>& c, const kubeflow_options& o) {
    return detail::render_mpijob(c, o);
}
TRAINSPEC_INLINE std::optional<nlohmann::ordered_json> kubeflow_manifest(const any_cluster& c,
                                                                         const kubeflow_options& o) {
    if (const auto* mpi_job = std::get_if<cluster<mpi>>(&c)) return detail::render_mpijob(*mpi_job, o);
    if (const auto* ps_job = std::get_if<cluster<parameter_server>>(&c)) return detail::render_tfjob(*ps_job, o);
    if (const auto* workers = std::get_if<cluster<multi_worker>>(&c)) return detail::render_tfjob(*workers, o);
    return std::nullopt;
}
TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/render/kubeflow.hpp
// begin file include/trainspec/render/katib.hpp
// A Kubeflow Katib Experiment (kubeflow.org/v1beta1) of the job's sweep:
// its trial template is the job's own TFJob or MPIJob, the swept
// parameters ${trialParameters.<id>} in the training command.
// docs/sweeps.md maps every field and says what Katib does with it.

#include <nlohmann/json.hpp>


TRAINSPEC_BEGIN_NAMESPACE

inline constexpr const char* katib_api_version = "kubeflow.org/v1beta1";
/// The longest Experiment name Katib's webhook admits.
inline constexpr std::size_t katib_max_name_length = 40;

/// The sweep of a ps, multi_worker or mpi job as a Katib Experiment.
/// Throws artifact_error naming the setting Katib cannot express
/// (truncation selection, bandit, a sweep-wide timeout, ...), and what the
/// TFJob or MPIJob refuses.
nlohmann::ordered_json katib_experiment(const any_job& j, const kubeflow_options& options = {});

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <algorithm>
#include <cmath>
#include <string>
#include <variant>

// begin file include/trainspec/detail/sweep_ids.hpp
// The identifiers engines give a sweep's parameters (Azure ML's
// ${{search_space.<id>}}, Katib's ${trialParameters.<id>}): the parameter's
// name without its leading dashes, each character outside [A-Za-z0-9_] as
// '_', '_' in front of a leading digit; a repeat gets _2, _3, ...

#include <string>
#include <unordered_set>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline std::vector<std::string> sweep_parameter_ids(const sweep_settings& sweep) {
    std::vector<std::string> ids;
    std::unordered_set<std::string> taken;
    for (const auto& parameter : sweep.search_space) {
        std::string id;
        std::size_t start = parameter.name.find_first_not_of('-');
        if (start == std::string::npos) start = parameter.name.size();
        for (std::size_t i = start; i < parameter.name.size(); ++i) {
            const char c = parameter.name[i];
            const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            id += word ? c : '_';
        }
        if (id.empty() || (id[0] >= '0' && id[0] <= '9')) id.insert(0, "_");
        std::string unique = id;
        for (int n = 2; !taken.insert(unique).second; ++n) unique = id + "_" + std::to_string(n);
        ids.push_back(unique);
    }
    return ids;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/sweep_ids.hpp
// begin file include/trainspec/detail/sweep_template.hpp
// The job a sweep's trials run on an engine that fills in their values
// itself: the spec without its sweep, each swept parameter's value the
// engine's placeholder for it.

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// `placeholder(i)` is the value of swept parameter i; with
/// `bounded_by_trial_timeout`, trial_timeout becomes the job's own time limit.
template <class Placeholder>
job_spec sweep_trial_template(const job_spec& s, Placeholder placeholder, bool bounded_by_trial_timeout) {
    job_spec out = s;
    out.sweep.reset();
    for (std::size_t i = 0; i < s.sweep->search_space.size(); ++i)
        out.params.add(s.sweep->search_space[i].name, std::string(placeholder(i)));
    if (bounded_by_trial_timeout && s.sweep->limits && s.sweep->limits->trial_timeout)
        out.max_run_duration_seconds = *s.sweep->limits->trial_timeout;
    return out;
}

/// Why an engine that puts each value as text where its placeholder stands
/// (after the parameter's key) cannot run this sweep, or "": a choice "",
/// which the job's own trials (trial_spec(), the Slurm array) write as a bare
/// flag, as script_params does.
inline std::string empty_choice_problem(const sweep_settings& sweep, std::string_view engine) {
    for (const auto& p : sweep.search_space)
        for (const auto& value : p.value.values)
            if (const auto* text = std::get_if<std::string>(&value.get()); text && text->empty())
                return "has the choice value \"\" in sweep.search_space[" + quote_json(p.name) + "]; " +
                       std::string(engine) +
                       " puts each value after its key, where the job's own trials make \"\" a bare flag";
    return {};
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/sweep_template.hpp

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

[[noreturn]] inline void katib_error(const job_spec& s, const std::string& why) {
    throw artifact_error("Katib Experiment", effective_job_name(s), why);
}

/// Katib's settings and feasible spaces are strings; a number as the
/// script gets it (Python's str()).
inline std::string katib_number(double v) { return to_argument(param_scalar(v)); }

/// One parameter as Katib's hyperopt service reads it back into
/// HyperDrive's expression (pkg/suggestion/v1beta1/hyperopt/base_service.py):
/// logUniform takes the bounds themselves, normal the ±3 sigma range.
inline nlohmann::ordered_json katib_parameter(const job_spec& s, const std::string& id, const sweep_parameter& p) {
    const auto& d = p.value;
    nlohmann::ordered_json out;
    out["name"] = id;
    nlohmann::ordered_json space;
    const double min = d.min_value.value_or(0), max = d.max_value.value_or(0);
    const double mu = d.mu.value_or(0), sigma = d.sigma.value_or(1);
    auto range = [&](double low, double high, const char* distribution) {
        out["parameterType"] = "double";
        space["min"] = katib_number(low);
        space["max"] = katib_number(high);
        if (d.q) space["step"] = katib_number(*d.q);
        space["distribution"] = distribution;
    };
    switch (*d.type) {
        case distribution_kind::choice: {
            bool numbers = true;
            nlohmann::ordered_json list = nlohmann::ordered_json::array();
            for (const auto& value : d.values) {
                numbers = numbers && !std::holds_alternative<std::string>(value.get()) &&
                          !std::holds_alternative<bool>(value.get());
                list.push_back(to_argument(value));
            }
            out["parameterType"] = numbers ? "discrete" : "categorical";
            space["list"] = std::move(list);
            break;
        }
        case distribution_kind::randint:
            out["parameterType"] = "int";
            space["min"] = "0";
            space["max"] = std::to_string(*d.upper - 1);
            break;
        case distribution_kind::uniform:
        case distribution_kind::quniform:
            range(min, max, "uniform");
            break;
        case distribution_kind::loguniform:
        case distribution_kind::qloguniform:
            range(std::exp(min), std::exp(max), "logUniform");
            break;
        case distribution_kind::normal:
        case distribution_kind::qnormal:
            range(mu - 3 * sigma, mu + 3 * sigma, "normal");
            break;
        case distribution_kind::lognormal:
        case distribution_kind::qlognormal:
            range(std::exp(mu - 3 * sigma), std::exp(mu + 3 * sigma), "logNormal");
            break;
    }
    for (const auto& value : d.values) {
        const auto* text = std::get_if<std::string>(&value.get());
        if (!text) continue;
        const bool control =
            std::any_of(text->begin(), text->end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
        if (control || text->find_first_of("\"\\'") != std::string::npos || text->find("${") != std::string::npos)
            katib_error(s, "has the choice value " + quote_json(*text) + " in sweep.search_space[" +
                               quote_json(p.name) +
                               "]; Katib substitutes values into the trial template's text, where a quote, "
                               "backslash, control character or ${ would change the template");
    }
    out["feasibleSpace"] = std::move(space);
    return out;
}

/// The algorithm: random (sobol for rule sobol), grid, bayesianoptimization.
inline nlohmann::ordered_json katib_algorithm(const job_spec& s) {
    const auto& sampling = *s.sweep->sampling;
    nlohmann::ordered_json out;
    switch (*sampling.type) {
        case sampling_kind::grid:
            out["algorithmName"] = "grid";
            break;
        case sampling_kind::random:
            out["algorithmName"] = sampling.rule == random_rule::sobol ? "sobol" : "random";
            break;
        case sampling_kind::bayesian:
            out["algorithmName"] = "bayesianoptimization";
            for (const auto& p : s.sweep->search_space)
                if (p.value.type != distribution_kind::choice && !(p.value.min_value.value_or(0) > 0))
                    katib_error(s, "has sweep.search_space[" + quote_json(p.name) +
                                       "].min_value <= 0 with bayesian sampling; Katib's bayesianoptimization "
                                       "(scikit-optimize) gives a double a log-uniform prior, which needs min > 0");
            break;
    }
    if (sampling.seed)
        out["algorithmSettings"] = {{{"name", "random_state"}, {"value", std::to_string(*sampling.seed)}}};
    return out;
}

/// medianstop; Katib has no bandit or truncation selection.
inline nlohmann::ordered_json katib_early_stopping(const job_spec& s) {
    const auto& policy = *s.sweep->termination;
    if (policy.type != early_termination_kind::median_stopping)
        katib_error(s, "has sweep.early_termination " + quote_json(enum_name(*policy.type)) +
                           "; Katib's early stopping has medianstop only (median_stopping)");
    if (policy.evaluation_interval.value_or(default_evaluation_interval) != 1)
        katib_error(s, "has sweep.early_termination.evaluation_interval " +
                           std::to_string(*policy.evaluation_interval) +
                           "; Katib's medianstop compares at every reported step");
    // start_step: the first step compared (1-based); delay_evaluation steps wait.
    const int start = policy.delay_evaluation.value_or(default_delay_evaluation) + 1;
    return {{"algorithmName", "medianstop"},
            {"algorithmSettings", {{{"name", "start_step"}, {"value", std::to_string(start)}}}}};
}

/// Katib's StdOut collector reads `name=value` lines with this name syntax.
inline bool katib_metric_name(const std::string& name) {
    if (name.empty()) return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
              c == '|'))
            return false;
    return true;
}

}  // namespace detail

TRAINSPEC_INLINE nlohmann::ordered_json katib_experiment(const any_job& j, const kubeflow_options& o) {
    const auto& s = spec_of(j);
    if (!s.sweep) detail::katib_error(s, "has no sweep");
    const auto backend = effective_backend(s);
    if (backend == backend_kind::single_node)
        detail::katib_error(s,
                            "is a single-node job; the trial template wraps a TFJob (ps, multi_worker) or an "
                            "MPIJob (mpi)");
    const auto& sweep = *s.sweep;
    if (sweep.limits->timeout)
        detail::katib_error(s,
                            "has sweep.limits.timeout; a Katib Experiment has no time limit of its own (a "
                            "trial's is trial_timeout)");
    const auto holds_placeholder = [](const std::string& text) {
        return text.find("${trialParameters.") != std::string::npos;
    };
    if (const auto why = detail::empty_choice_problem(sweep, "Katib"); !why.empty()) detail::katib_error(s, why);
    if (const auto path = detail::first_text_path(to_json(s), holds_placeholder); !path.empty())
        detail::katib_error(s, "has \"${trialParameters.\" in " + path +
                                   "; Katib substitutes every ${trialParameters.<name>} in the trial template's "
                                   "text and refuses one it does not define");
    const auto& metric = *sweep.objective->primary_metric;
    if (!detail::katib_metric_name(metric))
        detail::katib_error(s, "has sweep.objective.primary_metric " + detail::quote_json(metric) +
                                   "; Katib's StdOut collector reads metric names of [A-Za-z0-9_|-] only");

    const auto ids = detail::sweep_parameter_ids(sweep);
    nlohmann::ordered_json parameters = nlohmann::ordered_json::array();
    nlohmann::ordered_json trial_parameters = nlohmann::ordered_json::array();
    const auto trial_job = detail::sweep_trial_template(
        s, [&](std::size_t i) { return "${trialParameters." + ids[i] + "}"; }, true);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        parameters.push_back(detail::katib_parameter(s, ids[i], sweep.search_space[i]));
        trial_parameters.push_back(
            {{"name", ids[i]}, {"description", sweep.search_space[i].name}, {"reference", ids[i]}});
    }
    const bool mpi = backend == backend_kind::mpi;
    // Not single-node (refused above): a TFJob or an MPIJob.
    auto trial_spec = kubeflow_manifest(plan(make_job(trial_job)), o).value();
    // The Experiment takes the job's name; Katib names each trial's job
    // itself, in the Experiment's namespace.
    const std::string name = trial_spec["metadata"]["name"];
    if (name.size() > katib_max_name_length)
        detail::katib_error(s, "has the name " + detail::quote_json(name) + " of " + std::to_string(name.size()) +
                                   " characters; Katib admits Experiment names of at most " +
                                   std::to_string(katib_max_name_length));
    trial_spec["metadata"].erase("name");
    trial_spec["metadata"].erase("namespace");
    if (trial_spec["metadata"].empty()) trial_spec.erase("metadata");

    // Katib's grid stops at the combinations, as sweep_trials does.
    const std::int64_t trials = planned_trial_count(sweep);

    nlohmann::ordered_json e;
    e["apiVersion"] = katib_api_version;
    e["kind"] = "Experiment";
    e["metadata"] = {{"name", name}, {"namespace", o.kubernetes_namespace}};
    nlohmann::ordered_json spec;
    spec["objective"] = {{"type", std::string(enum_name(*sweep.objective->goal))}, {"objectiveMetricName", metric}};
    spec["algorithm"] = detail::katib_algorithm(s);
    if (sweep.termination) spec["earlyStopping"] = detail::katib_early_stopping(s);
    spec["parallelTrialCount"] = std::min<std::int64_t>(sweep.limits->max_concurrent_trials.value_or(trials), trials);
    spec["maxTrialCount"] = trials;
    spec["metricsCollectorSpec"] = {{"collector", {{"kind", "StdOut"}}}};
    spec["parameters"] = std::move(parameters);
    nlohmann::ordered_json template_;
    // TFJob: the pod labelled job-role master (the chief, else worker 0);
    // MPIJob v2beta1: the launcher, which mpi-operator labels job-role launcher.
    template_["primaryContainerName"] = mpi ? mpijob_launcher_container_name : tfjob_container_name;
    template_["primaryPodLabels"] = {{"training.kubeflow.org/job-role", mpi ? "launcher" : "master"}};
    template_["successCondition"] = R"(status.conditions.#(type=="Succeeded")#|#(status=="True")#)";
    template_["failureCondition"] = R"(status.conditions.#(type=="Failed")#|#(status=="True")#)";
    template_["trialParameters"] = std::move(trial_parameters);
    template_["trialSpec"] = std::move(trial_spec);
    spec["trialTemplate"] = std::move(template_);
    e["spec"] = std::move(spec);
    return e;
}

TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/render/katib.hpp
// begin file include/trainspec/render/slurm_options.hpp
// The options of sbatch_script() (slurm.hpp); docs/slurm.md says what each
// line they write makes Slurm do.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE

struct slurm_options {
    TRAINSPEC_SPECIAL_MEMBERS(slurm_options);

    std::optional<std::string> partition;  ///< `#SBATCH --partition`
    std::optional<std::string> account;    ///< `#SBATCH --account`
    std::optional<std::string> qos;        ///< `#SBATCH --qos`
    bool exclusive = false;                ///< `#SBATCH --exclusive`: whole nodes
    std::optional<std::string> memory;     ///< `#SBATCH --mem`, per node: 16G, 500M
    /// `--cpus-per-task` (on the `srun` line too); default: the compute
    /// target's CPUs per node over the tasks of the busiest node.
    std::optional<int> cpus_per_task;
    /// Replaces the training step's argv (the post steps stay).
    std::vector<std::string> command;
    /// mpi jobs: "srun" (ranks started by Slurm) or "mpirun" (inside the allocation).
    std::string launcher = "srun";
    /// mpi jobs with srun: `--mpi=`; default: default_srun_mpi() of the flavor.
    std::optional<std::string> srun_mpi;
    /// `--time` in minutes; default: max_run_duration_seconds rounded up (none when unset).
    std::optional<int> time_limit_minutes;
    std::optional<int> port;    ///< re-plans with this first port
    bool unique_ports = false;  ///< re-plans with one port per task (port + rank)
    bool gres = false;          ///< `--gres=gpu:N` instead of `--gpus-per-node=N`
    /// `#SBATCH --output`; default `<job name>-%j.out`.
    std::optional<std::string> output;
    std::optional<std::string> working_directory;  ///< `#SBATCH --chdir`: where the script starts
    /// The source directory as the script reaches it from where it starts;
    /// default the job's source_directory.
    std::optional<std::string> source_directory;
    tf_config_options tf_config;  ///< how TF_CONFIG is written (profile, rpc layer)
    /// How the tasks reach the job's environment; default
    /// effective_slurm_environment() of the job.
    std::optional<slurm_environment_kind> environment;
    /// The container image (apptainer, singularity, pyxis); default the job's image.
    std::optional<std::string> image;
    environment_file_contents environment_files;  ///< for the job's image's tag
};

/// The exit status of a task whose conda environment is missing on its node.
inline constexpr int slurm_missing_environment_status = 3;

/// Slurm's MPI plugin for a flavor: PMIx for Open MPI (and Horovod over
/// it), PMI-2 for the Hydra family.
constexpr std::string_view default_srun_mpi(mpi_flavor f) noexcept { return is_hydra(f) ? "pmi2" : "pmix"; }

/// The longest task table a script hands its tasks: Linux passes at most
/// 128 KiB in one environment string (MAX_ARG_STRLEN).
inline constexpr std::size_t max_slurm_task_table = 120 * 1024;

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_DEFAULT_SPECIAL_MEMBERS(slurm_options);
TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/render/slurm_options.hpp
// begin file include/trainspec/render/slurm.hpp
// Slurm batch scripts (`sbatch`) for planned jobs, written from the launch
// model (launch.hpp): the plan's shape as the request, then one `srun` step
// that starts every task. The options are in slurm_options.hpp;
// docs/slurm.md says what each line makes Slurm do and which cluster
// settings it relies on.

#include <string>


TRAINSPEC_BEGIN_NAMESPACE

/// The `sbatch` script of a planned job. Throws validation_error for values
/// Slurm cannot take (partition, output pattern, time limit, launcher, ...).
template <class Backend>
std::string sbatch_script(const cluster<Backend>& planned, const slurm_options& o = {});

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
// begin file include/trainspec/detail/sbatch_script.hpp
// The batch script as a whole: the request Slurm reads, then the step that
// starts the tasks (docs/slurm.md).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

// begin file include/trainspec/detail/slurm_array.hpp
// A sweep as a Slurm job array (docs/sweeps.md): one array task a trial,
// each an ordinary job of its own allocation. The script holds the trials'
// values in a table read by SLURM_ARRAY_TASK_ID; the job's own steps take
// them through trial markers (slurm_words()).

#include <cstdint>
#include <optional>
#include <string>

#include <fmt/format.h>

// begin file include/trainspec/detail/slurm_option_checks.hpp
// The checks of slurm_options against the job: values an #SBATCH line can
// hold, and launchers that fit the job's backend.

#include <string>
#include <utility>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline void slurm_problem(const std::string& path, const std::string& value, const std::string& rule) {
    throw validation_error({{path, value, rule}});
}

/// A value on an `#SBATCH` line: Slurm, not the shell, reads it.
inline void check_sbatch_value(const std::string& path, const std::string& value) {
    bool ok = !value.empty();
    for (char c : value)
        if (!(detail::is_shell_safe(c) || c == '[' || c == ']' || c == '~' || c == '#')) ok = false;
    if (!ok)
        slurm_problem(path, quote_json(value),
                      "must be non-empty, of letters, digits and _ @ % + = : , . / - [ ] ~ # (an #SBATCH line is "
                      "not read by the shell)");
}

inline void check_options(const job_spec& s, const slurm_options& o) {
    const auto name = effective_job_name(s);
    check_sbatch_value("name", name);
    for (auto [path, value] : {std::pair{"partition", &o.partition},
                               {"account", &o.account},
                               {"qos", &o.qos},
                               {"memory", &o.memory},
                               {"working_directory", &o.working_directory},
                               {"srun_mpi", &o.srun_mpi},
                               {"output", &o.output}})
        if (*value) check_sbatch_value(path, **value);
    if (o.cpus_per_task && *o.cpus_per_task < 1)
        slurm_problem("cpus_per_task", std::to_string(*o.cpus_per_task), "must be at least 1");
    if (o.time_limit_minutes && *o.time_limit_minutes < 1)
        slurm_problem("time_limit_minutes", std::to_string(*o.time_limit_minutes), "must be at least 1");
    const auto backend = effective_backend(s);
    if (o.launcher != "srun" && o.launcher != "mpirun")
        slurm_problem("launcher", quote_json(o.launcher), "must be \"srun\" or \"mpirun\"");
    if (o.launcher != "srun" && backend != backend_kind::mpi)
        slurm_problem("launcher", quote_json(o.launcher),
                      "applies to mpi jobs only: the tasks of this job are started by srun");
    if (o.srun_mpi && (backend != backend_kind::mpi || o.launcher != "srun"))
        slurm_problem("srun_mpi", quote_json(*o.srun_mpi),
                      "applies to mpi jobs launched with srun: it selects the PMI that wires up MPI ranks");
    if (backend == backend_kind::mpi && o.launcher == "mpirun" && effective_mpi_flavor(s) == mpi_flavor::horovodrun)
        slurm_problem("launcher", quote_json(o.launcher),
                      "horovodrun takes no hosts from a Slurm allocation; use launcher \"srun\", which starts the "
                      "ranks with PMIx");
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/slurm_option_checks.hpp
// begin file include/trainspec/detail/slurm_runtime.hpp
// How Slurm tasks reach the job's environment: a container runtime
// (apptainer, singularity, pyxis) or a conda environment (docs/slurm.md).

#include <string>
#include <string_view>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// Stands for the directory a task starts in ("$PWD": the source directory)
/// in argv words that slurm_words() writes.
inline constexpr std::string_view slurm_pwd_marker = "\x01pwd\x01";

/// Stands, as a whole argv word, for the value of swept parameter `i` of
/// the array task's trial, which the batch script sets in trainspec_trial_<i>.
inline std::string slurm_trial_marker(std::size_t i) { return "\x01trial" + std::to_string(i) + "\x01"; }

/// argv as the batch script writes it: quoted, slurm_pwd_marker as "$PWD",
/// a trial marker as its value, or no word when the value is empty (a bare
/// flag, as script_params writes an empty value).
inline std::string slurm_words(const std::vector<std::string>& argv) {
    std::vector<std::pair<std::string, std::string>> expansions{{std::string(slurm_pwd_marker), "\"$PWD\""}};
    for (const auto& word : argv) {
        const auto at = word.find("\x01trial");
        if (at == std::string::npos) continue;
        const auto end = word.find('\x01', at + 1);
        if (end == std::string::npos) continue;
        const auto index = word.substr(at + 6, end - at - 6);
        const auto name = "trainspec_trial_" + index;
        expansions.emplace_back(word.substr(at, end - at + 1), "${" + name + ":+\"$" + name + "\"}");
    }
    return shell_join_expanding(argv, expansions);
}

/// How the tasks reach the environment: words before the task's argv
/// (apptainer, singularity), srun options (pyxis), or sh code that
/// activates it (conda).
struct slurm_runtime {
    slurm_environment_kind kind = slurm_environment_kind::none;
    std::vector<std::string> prefix;        ///< before every program; may hold slurm_pwd_marker
    std::vector<std::string> srun_options;  ///< may hold slurm_pwd_marker
    std::string check;                      ///< sh code: stops the job when the environment is missing
    std::string activate;                   ///< sh code: activates it, after the check
    std::string activation;                 ///< check, then activate: in each task
};

inline slurm_runtime slurm_runtime_for(const job_spec& s, const slurm_options& o) {
    slurm_runtime r;
    r.kind = o.environment.value_or(effective_slurm_environment(s));
    const auto path = std::string("slurm_environment");
    const auto shown = quote_json(enum_name(r.kind));
    if (auto why = slurm_environment_problem(s, r.kind)) slurm_problem(path, shown, *why);
    if (runs_container(r.kind)) {
        check_image_option(o.image);
        const auto image = image_for(s, o.environment_files);
        const std::string reference = o.image.value_or(image.reference);
        const bool local = !o.image && image.built && !image.pushed;
        const std::string bind = source_mount(std::string(slurm_pwd_marker), s);
        if (r.kind == slurm_environment_kind::pyxis) {
            if (effective_backend(s) == backend_kind::mpi && o.launcher == "mpirun")
                slurm_problem(path, shown, "starts containers through srun; use launcher \"srun\"");
            std::string pyxis_image = reference;
            if (local)
                pyxis_image = "dockerd://" + reference;
            else if (!image_registry_host(reference).empty())  // Pyxis writes registry#path
                pyxis_image.replace(image_registry_host(reference).size(), 1, "#");
            r.srun_options = {"--container-image=" + pyxis_image, "--container-mounts=" + bind,
                              std::string("--container-workdir=") + container_workdir};
        } else {
            r.prefix = {std::string(enum_name(r.kind)), "exec"};
            if (effective_use_gpu(s)) r.prefix.emplace_back("--nv");
            r.prefix.insert(r.prefix.end(), {"--bind", bind, "--pwd", container_workdir,
                                             (local ? "docker-daemon://" : "docker://") + reference});
        }
    } else if (r.kind == slurm_environment_kind::conda) {
        const auto name = effective_job_name(s);
        const std::string file =
            s.conda_dependencies_file ? s.source_directory + "/" + *s.conda_dependencies_file : "environment.yml";
        r.check = "if ! trainspec_conda=$(conda shell.posix activate " + shell_quote(name) + " 2>&1); then\n";
        r.check += "    echo \"trainspec: conda cannot activate the environment \"" + shell_quote(name) +
                   "\" on $(hostname): $trainspec_conda\" >&2\n";
        r.check += "    echo " +
                   shell_quote("trainspec: create it on every node: conda env create --name " + shell_quote(name) +
                               " --file " + shell_quote(file)) +
                   " >&2\n";
        r.check += "    exit " + std::to_string(slurm_missing_environment_status) + "\n";
        r.check += "fi\n";
        r.activate = "eval \"$trainspec_conda\"\n";
        r.activation = r.check + r.activate;
    }
    return r;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/slurm_runtime.hpp

TRAINSPEC_BEGIN_NAMESPACE

/// Slurm's default MaxArraySize: array indexes run from 0 to 1000.
inline constexpr std::int64_t slurm_max_array_size = 1001;

namespace detail {

/// The array's request and its trial table.
struct slurm_array {
    std::int64_t trials = 0;
    std::int64_t concurrent = 0;
    std::string table;  ///< sh code: trainspec_trial_<i>=value for the array task's trial
};

/// What a job array cannot run, as errors naming the setting.
inline void check_slurm_sweep(const job_spec& s) {
    const auto& sweep = *s.sweep;
    const auto sampling = effective_sampling(sweep);
    if (sampling == sampling_kind::bayesian)
        slurm_problem("sweep.sampling_algorithm", "\"bayesian\"",
                      "a Slurm job array runs a list of trials fixed in advance; bayesian sampling chooses each "
                      "from the results of the earlier ones");
    if (sweep.termination)
        slurm_problem("sweep.early_termination", quote_json(enum_name(*sweep.termination->type)),
                      "a Slurm job array has no early termination: no one reads the trials' metrics");
    if (sweep.limits && sweep.limits->timeout)
        slurm_problem("sweep.limits.timeout", std::to_string(*sweep.limits->timeout),
                      "a Slurm job array has no time limit of its own (a trial's is trial_timeout)");
}

/// The trials as a case table over SLURM_ARRAY_TASK_ID.
inline slurm_array slurm_array_of(const job_spec& s) {
    check_slurm_sweep(s);
    const sweep_trials trials(s);
    slurm_array array;
    array.trials = trials.size();
    if (array.trials > slurm_max_array_size)
        slurm_problem("sweep.limits.max_total_trials", std::to_string(array.trials),
                      "a Slurm job array takes at most " + std::to_string(slurm_max_array_size) +
                          " tasks (MaxArraySize's default; indexes 0 to " + std::to_string(slurm_max_array_size - 1) +
                          ")");
    array.concurrent = s.sweep->limits->max_concurrent_trials.value_or(array.trials);
    std::string& table = array.table;
    table = "case \"${SLURM_ARRAY_TASK_ID:?}\" in\n";
    for (std::int64_t t = 0; t < array.trials; ++t) {
        table += fmt::format("    {})", t);
        std::size_t i = 0;
        for (const auto& value : trials.trial(t)) {
            const auto words = to_arguments(value.value);
            table += fmt::format(" trainspec_trial_{}={}", i++, shell_quote(words.empty() ? "" : words[0]));
        }
        table += " ;;\n";
    }
    table += "    *) echo \"trainspec: no trial $SLURM_ARRAY_TASK_ID in this sweep\" >&2; exit 2 ;;\nesac\n";
    return array;
}

/// The job whose steps run the array task's trial: the sweep's parameters
/// as trial markers, trial_timeout as the time limit.
inline job_spec slurm_trial_template(const job_spec& s) { return sweep_trial_template(s, slurm_trial_marker, true); }

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/slurm_array.hpp
// begin file include/trainspec/detail/slurm_task_steps.hpp
// The step of a Slurm script that starts the tasks, per backend: ps and
// multi_worker tasks build their TF_CONFIG from the allocated hosts, MPI
// ranks start through srun or mpirun, a single-node job runs one task.

#include <string>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

// begin file include/trainspec/detail/slurm_task_code.hpp
// The sh code each Slurm task runs: the job's variables, the success
// task's end stopping the others, and the srun step that runs it all.

#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// The prefix of every task: the job's variables, set in the task only, so
/// that they never change how scontrol, srun or mpirun run. The task-only
/// ones are left to the program's own words (task_variable_words()): the
/// task's shell still runs scancel and the runtime's prefix.
inline std::string export_lines(const std::vector<environment_variable>& vars) {
    std::string out;
    for (const auto& v : shared_variables(vars)) out += "export " + shell_assignment(v.name, v.value) + "\n";
    return out;
}

/// Runs the task. The end of the success task stops the others: it sends
/// the step SIGUSR1, which each task's shell traps (set first thing, see
/// stop_trap_code) and answers by stopping its program with SIGTERM and
/// exiting 0. A program that SIGUSR1 itself ended (its default action) was
/// stopped the same way, whatever the order in which the signals arrived.
inline std::string success_run_code(const task_id& success, const std::string& post_line) {
    std::string code = "set +e\n";
    code += fmt::format("if [ \"$trainspec_type:$trainspec_index\" = {}:{} ]; then\n", enum_name(success.type),
                        success.index);
    code += "    \"$@\"\n";
    code += "    trainspec_status=$?\n";
    if (!post_line.empty())
        code += "    if [ \"$trainspec_status\" -eq 0 ]; then\n        " + post_line +
                "\n        trainspec_status=$?\n    fi\n";
    code += "    trap '' USR1\n";
    code += "    scancel --quiet --signal=USR1 \"${SLURM_JOB_ID:?}.${SLURM_STEP_ID:?}\"\n";
    code += "    exit \"$trainspec_status\"\n";
    code += "fi\n";
    code += "\"$@\" &\n";
    code += "trainspec_pid=$!\n";
    code += "while :; do\n";
    code += "    wait \"$trainspec_pid\"\n";
    code += "    trainspec_status=$?\n";
    code += "    kill -0 \"$trainspec_pid\" 2>/dev/null || break\n";
    code += "done\n";
    code +=
        "if [ -n \"${trainspec_stopped:-}\" ] || [ \"$(kill -l \"$trainspec_status\" 2>/dev/null)\" = USR1 ]; then\n";
    code += "    exit 0\n";
    code += "fi\n";
    code += "exit \"$trainspec_status\"\n";
    return code;
}

/// The first line of a task that may be stopped: SIGUSR1 stops its program,
/// if started, else ends the task with success at once. Slurm signals every
/// process of the step, so a stop during the task's preparation also kills
/// the command it is waiting for; without the exit, `set -e` would end the
/// task with that command's status 138.
inline constexpr std::string_view stop_trap_code =
    "trap 'trainspec_stopped=1; if [ -n \"${trainspec_pid:-}\" ]; then kill -TERM \"$trainspec_pid\" 2>/dev/null; "
    "else exit 0; fi' USR1\n";

/// The post steps as one sh line (empty when there are none).
inline std::string post_line(const std::vector<launch_step>& steps, const std::vector<std::string>& prefix) {
    std::string line;
    for (const auto& step : steps)
        if (step.model_owner_only) {
            auto words = prefix;
            words.insert(words.end(), step.argv.begin(), step.argv.end());
            line += (line.empty() ? "" : " && ") + slurm_words(words);
        }
    return line;
}

/// A here-document delimiter that is no line of `text`: TRAINSPEC_TASK, else
/// TRAINSPEC_TASK_1, _2, ... (the job's values are in the text).
inline std::string heredoc_delimiter(const std::string& text) {
    std::string delimiter = "TRAINSPEC_TASK";
    for (int n = 1;; ++n) {
        bool used = false;
        for (std::size_t start = 0; start <= text.size() && !used;) {
            auto end = text.find('\n', start);
            if (end == std::string::npos) end = text.size();
            used = text.compare(start, end - start, delimiter) == 0;
            start = end + 1;
        }
        if (!used) return delimiter;
        delimiter = "TRAINSPEC_TASK_" + std::to_string(n);
    }
}

/// The task code, kept in a variable, and the step that runs it on every task.
inline std::string task_step(const std::vector<std::string>& step_words, const std::string& task_code,
                             const std::vector<std::string>& argv) {
    const auto delimiter = heredoc_delimiter(task_code);
    const auto line = slurm_words(step_words) + " /bin/sh -c \"$trainspec_task\" trainspec-task " + slurm_words(argv);
    return "trainspec_task=$(cat <<'" + delimiter + "'\n" + task_code + delimiter + "\n)\n" + "exec " + line + "\n";
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/slurm_task_code.hpp
// begin file include/trainspec/detail/slurm_task_table.hpp
// The plan as a Slurm script hands it to its tasks: the task table, the
// TF_CONFIG each task builds from it, and the GPUs it picks (docs/slurm.md).

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// The GPUs one node is asked for: the most any host's tasks use.
inline int gpus_per_node(const job_spec& s, const std::vector<task>& tasks, std::size_t host_count) {
    std::vector<int> used(host_count, 0);
    for (const auto& t : tasks) used[t.host_index] += granted_gpus(s, t);
    return used.empty() ? 0 : *std::max_element(used.begin(), used.end());
}

inline std::string gpu_field(const std::optional<std::vector<int>>& gpus) {
    if (!gpus) return "-";
    if (gpus->empty()) return "none";
    return join(*gpus, ",", [](int g) { return std::to_string(g); });
}

/// The task table: one row per task, `NODE LOCAL TYPE INDEX PORT GPUS`.
inline std::string task_table(const std::vector<task>& tasks) {
    std::string table;
    for (const auto& t : tasks) {
        table += fmt::format("{} {} {} {} {} {}\n", t.host_index, t.local_rank, enum_name(t.type), t.index, t.port,
                             gpu_field(t.gpus));
    }
    return table;
}

/// Picks a task's GPUs, as positions within what Slurm granted the step on
/// its node (CUDA_VISIBLE_DEVICES, global indices without device cgroups);
/// the positions themselves when Slurm manages no GPUs.
inline constexpr std::string_view slurm_gpu_code = R"(case $trainspec_gpus in
    -) ;;
    none) CUDA_VISIBLE_DEVICES=; export CUDA_VISIBLE_DEVICES ;;
    *)
        if [ -n "${CUDA_VISIBLE_DEVICES:-}" ]; then
            CUDA_VISIBLE_DEVICES=$(awk -v want="$trainspec_gpus" -v granted="$CUDA_VISIBLE_DEVICES" 'BEGIN {
                n = split(granted, g, ","); m = split(want, w, ","); out = ""
                for (i = 1; i <= m; i++) {
                    if (w[i] + 1 > n) { print "trainspec: Slurm granted GPUs " granted "; this task needs position " w[i] > "/dev/stderr"; exit 1 }
                    out = out (i > 1 ? "," : "") g[w[i] + 1]
                }
                print out }')
        else
            CUDA_VISIBLE_DEVICES=$trainspec_gpus
        fi
        export CUDA_VISIBLE_DEVICES
        ;;
esac
)";

/// Builds TF_CONFIG from the task table and the allocated hosts: the cluster
/// keys in TRAINSPEC_TF_KEYS (`type=key`, in the writer's order), the task's
/// own type and index, then TRAINSPEC_TF_TAIL.
inline constexpr std::string_view slurm_tf_config_code =
    R"(TF_CONFIG=$(awk -v me_type="$trainspec_type" -v me_index="$trainspec_index" 'BEGIN {
    split(ENVIRON["TRAINSPEC_HOSTS"], host, " ")
    rows = split(ENVIRON["TRAINSPEC_TASKS"], row, "\n")
    keys = split(ENVIRON["TRAINSPEC_TF_KEYS"], pair, " ")
    for (k = 1; k <= keys; k++) { split(pair[k], kv, "="); type[k] = kv[1]; key[kv[1]] = kv[2]; size[kv[1]] = 0 }
    for (r = 1; r <= rows; r++) {
        if (split(row[r], f, " ") < 6 || !(f[3] in size)) continue
        address[f[3], f[4]] = host[f[1] + 1] ":" f[5]
        if (f[4] + 1 > size[f[3]]) size[f[3]] = f[4] + 1
    }
    out = "{\"cluster\":{"
    for (k = 1; k <= keys; k++) {
        out = out (k > 1 ? "," : "") "\"" key[type[k]] "\":["
        for (i = 0; i < size[type[k]]; i++) out = out (i > 0 ? "," : "") "\"" address[type[k], i] "\""
        out = out "]"
    }
    own = me_type in key ? key[me_type] : ENVIRON["TRAINSPEC_TF_OWN_KEY"]
    printf "%s", out "},\"task\":{\"type\":\"" own "\",\"index\":" me_index "}" ENVIRON["TRAINSPEC_TF_TAIL"] }')
export TF_CONFIG
)";

/// The cluster's keys for TRAINSPEC_TF_KEYS: `type=key`, sorted by key as
/// the writer sorts them (sagemaker's chief is "master").
template <class Backend>
std::string tf_config_keys(const cluster<Backend>& c, const tf_config_writer& writer) {
    std::vector<std::pair<std::string_view, task_type>> keys;
    for (auto type : {task_type::chief, task_type::worker, task_type::ps, task_type::evaluator})
        if (writer.in_cluster(type) && c.count(type) > 0) keys.emplace_back(writer.job_key(type), type);
    std::sort(keys.begin(), keys.end());
    return join(keys, " ", [](const std::pair<std::string_view, task_type>& k) {
        return std::string(enum_name(k.second)) + "=" + std::string(k.first);
    });
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/slurm_task_table.hpp

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// What every task step of a script shares.
struct slurm_task_context {
    launch_model launch;
    slurm_runtime runtime;
    std::vector<launch_step> steps;       ///< with the command option applied
    std::vector<std::string> step_words;  ///< `srun` and its options
    /// The words before every program of a task: the runtime's prefix,
    /// then the task-only variables, set for the program alone
    /// (docs/security.md).
    std::vector<std::string> task_prefix() const {
        auto words = runtime.prefix;
        const auto variables = task_variable_words(launch.environment);
        words.insert(words.end(), variables.begin(), variables.end());
        return words;
    }
    std::vector<std::string> with_prefix(std::vector<std::string> argv) const {
        const auto words = task_prefix();
        argv.insert(argv.begin(), words.begin(), words.end());
        return argv;
    }
};

/// ps and multi_worker: each task finds its row of the task table and
/// builds its TF_CONFIG from the allocated hosts (docs/slurm.md).
template <class Backend>
std::string tf_cluster_task_steps(const cluster<Backend>& c, const slurm_options& o, const slurm_task_context& t) {
    const auto& m = t.launch;
    const auto& runtime = t.runtime;
    const auto& steps = t.steps;
    const auto& hosts = c.hosts();
    const auto& tasks = c.tasks();
    const int nodes = static_cast<int>(hosts.size());
    std::string task_code = "set -eu\n";
    std::string out;
    const tf_config_writer writer(c, o.tf_config);
    if (writer.profile() == tf_profile::kubeflow)
        slurm_problem("tf_config.profile", quote_json(enum_name(writer.profile())),
                      "the kubeflow profile writes Kubernetes Service names; Slurm tasks reach each "
                      "other at the hosts Slurm allocates");
    const auto table = task_table(tasks);
    if (table.size() > max_slurm_task_table)
        slurm_problem("node_count", std::to_string(nodes),
                      fmt::format("the task table of {} tasks has {} bytes; a Slurm task receives at "
                                  "most {} in one variable (Linux's MAX_ARG_STRLEN is 128 KiB)",
                                  tasks.size(), table.size(), max_slurm_task_table));
    out += "\n# The allocated hosts, in node order.\n";
    out += "TRAINSPEC_HOSTS=$(scontrol show hostnames \"$SLURM_JOB_NODELIST\" | tr '\\n' ' ')\n";
    out += "for trainspec_host in $TRAINSPEC_HOSTS; do\n";
    out += "    case $trainspec_host in\n";
    out += "        *[!A-Za-z0-9._-]*)\n";
    out += "            echo \"trainspec: unexpected host name '$trainspec_host'\" >&2\n";
    out += "            exit 1\n";
    out += "            ;;\n";
    out += "    esac\n";
    out += "done\n";
    out += "set -- $TRAINSPEC_HOSTS\n";
    out += fmt::format("if [ \"$#\" -ne {} ]; then\n", nodes);
    out += fmt::format("    echo \"trainspec: the plan needs {} node(s), Slurm allocated $#\" >&2\n", nodes);
    out += "    exit 1\n";
    out += "fi\n";
    out += "# The plan's tasks: node, local id, type, index, port, GPUs (positions; - all, none hidden).\n";
    out += "TRAINSPEC_TASKS=" + shell_quote(table) + "\n";
    out += "TRAINSPEC_TF_KEYS=" + shell_quote(tf_config_keys(c, writer)) + "\n";
    out += "TRAINSPEC_TF_OWN_KEY=" + shell_quote(std::string(writer.job_key(task_type::evaluator))) + "\n";
    out += "TRAINSPEC_TF_TAIL=" + shell_quote(writer.tail()) + "\n";
    out += "export TRAINSPEC_HOSTS TRAINSPEC_TASKS TRAINSPEC_TF_KEYS TRAINSPEC_TF_OWN_KEY TRAINSPEC_TF_TAIL\n";

    task_code += std::string(stop_trap_code);
    task_code +=
        "trainspec_row=$(printf '%s' \"$TRAINSPEC_TASKS\" | awk -v me=\"${SLURM_NODEID:?}:${SLURM_LOCALID:?}\" "
        "'$1 \":\" $2 == me { print $3, $4, $6; exit }')\n";
    task_code += "[ -n \"$trainspec_row\" ] || exit 0  # a slot the plan leaves free\n";
    task_code +=
        "read -r trainspec_type trainspec_index trainspec_gpus <<TRAINSPEC_ROW\n$trainspec_row\nTRAINSPEC_ROW\n";
    task_code += std::string(slurm_tf_config_code);
    task_code += std::string(slurm_gpu_code);
    task_code += "unset TRAINSPEC_HOSTS TRAINSPEC_TASKS TRAINSPEC_TF_KEYS TRAINSPEC_TF_OWN_KEY TRAINSPEC_TF_TAIL\n";
    task_code += runtime.activation + export_lines(m.environment);
    task_code += success_run_code(*m.success_task, post_line(steps, t.task_prefix()));
    out += "\n# Each task finds its row by (SLURM_NODEID, SLURM_LOCALID).\n";
    out += task_step(t.step_words, task_code, t.with_prefix(steps.front().argv));
    return out;
}

/// mpi: `srun --mpi=PLUGIN` starts the ranks, or mpirun inside the
/// allocation.
inline std::string mpi_task_steps(const cluster<mpi>& c, const slurm_options& o, const slurm_task_context& t) {
    const auto& s = c.job().spec();
    const auto& m = t.launch;
    const auto& runtime = t.runtime;
    auto step_words = t.step_words;
    std::string task_code = "set -eu\n";
    std::string out;
    const auto command = task_command(t.steps, owner_check::mpi_rank);
    if (o.launcher == "srun") {
        const auto argv = t.with_prefix(command);
        task_code += runtime.activation + export_lines(m.environment) + "exec \"$@\"\n";
        step_words.push_back("--mpi=" + o.srun_mpi.value_or(std::string(default_srun_mpi(effective_mpi_flavor(s)))));
        out += "\n" + task_step(step_words, task_code, argv);
    } else {
        auto launch = mpi_launch_options_from(s);
        launch.hosts_from_allocation = true;
        auto layout = launch_layout(c);
        // mpirun sets the job's variables for the ranks itself.
        layout.script_argv = command;
        layout.script_argv.insert(layout.script_argv.begin(), runtime.prefix.begin(), runtime.prefix.end());
        launch.command_prefix.clear();
        const auto launcher = mpirun_command(layout, launch);
        // The batch shell has checked the environment above: mpirun starts in it.
        out += "\n" + runtime.activate;
        for (const auto& v : launcher.launcher_environment)
            out += shell_assignment(v.name, v.value) + "; export " + v.name + "\n";
        out += "exec " + slurm_words(launcher.launcher_argv()) + "\n";
    }
    return out;
}

/// single_node: the one task.
template <class Backend>
std::string single_task_step(const cluster<Backend>& c, const slurm_task_context& t) {
    const auto& m = t.launch;
    const auto& runtime = t.runtime;
    std::string task_code = "set -eu\n";
    std::string out;
    task_code += "trainspec_gpus=" + shell_quote(gpu_field(c.tasks().front().gpus)) + "\n";
    task_code += std::string(slurm_gpu_code);
    task_code += runtime.activation + export_lines(m.environment) + "exec \"$@\"\n";
    out += "\n" + task_step(t.step_words, task_code, t.with_prefix(task_command(t.steps, owner_check::owner)));
    return out;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/slurm_task_steps.hpp

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline std::string slurm_time(std::int64_t minutes) {
    const std::int64_t days = minutes / (24 * 60);
    const std::int64_t hours = minutes / 60 % 24;
    return fmt::format("{}-{:02}:{:02}:00", days, hours, minutes % 60);
}

template <class Backend>
std::optional<cluster<Backend>> slurm_replan(const cluster<Backend>& c, const slurm_options& o) {
    if (!o.port && !o.unique_ports) return std::nullopt;
    plan_options p;
    p.hosts = c.hosts();
    p.port = o.port;
    p.unique_ports = o.unique_ports;
    if (!o.port && c.job().spec().port) p.port = c.job().spec().port;
    return plan(c.job(), p);
}

/// `--opt=value` words common to the batch request and the step.
inline std::vector<std::string> resource_words(int nodes, int tasks, int per_node, std::optional<int> cpus, int gpus,
                                               bool gres) {
    std::vector<std::string> words{fmt::format("--nodes={}", nodes), fmt::format("--ntasks={}", tasks),
                                   fmt::format("--ntasks-per-node={}", per_node)};
    if (cpus) words.push_back(fmt::format("--cpus-per-task={}", *cpus));
    if (gpus > 0) words.push_back(gres ? fmt::format("--gres=gpu:{}", gpus) : fmt::format("--gpus-per-node={}", gpus));
    return words;
}

/// The batch request: the #SBATCH lines, a summary, the source directory
/// and the environment check.
inline std::string sbatch_header(const job_spec& s, const slurm_options& o, const launch_model& m,
                                 const std::vector<std::string>& resources, const std::vector<int>& per_node,
                                 std::size_t task_count, const slurm_runtime& runtime,
                                 const slurm_array* array = nullptr) {
    const auto name = effective_job_name(s);
    const std::string output = o.output.value_or(name + (array ? "-%A_%a.out" : "-%j.out"));
    const auto nodes = per_node.size();
    const int most = per_node.empty() ? 1 : *std::max_element(per_node.begin(), per_node.end());
    const bool uniform = std::all_of(per_node.begin(), per_node.end(), [most](int n) { return n == most; });

    std::optional<std::int64_t> minutes;
    if (o.time_limit_minutes)
        minutes = *o.time_limit_minutes;
    else if (s.max_run_duration_seconds && *s.max_run_duration_seconds > 0)
        minutes = (*s.max_run_duration_seconds + 59) / 60;

    std::string out = "#!/bin/sh\n";
    out += "#SBATCH --job-name=" + name + "\n";
    if (array)
        out += fmt::format("#SBATCH --array=0-{}{}\n", array->trials - 1,
                           array->concurrent < array->trials ? fmt::format("%{}", array->concurrent) : "");
    for (const auto& word : resources) out += "#SBATCH " + word + "\n";
    if (o.memory) out += "#SBATCH --mem=" + *o.memory + "\n";
    if (minutes) out += "#SBATCH --time=" + slurm_time(*minutes) + "\n";
    if (o.partition) out += "#SBATCH --partition=" + *o.partition + "\n";
    if (o.account) out += "#SBATCH --account=" + *o.account + "\n";
    if (o.qos) out += "#SBATCH --qos=" + *o.qos + "\n";
    if (o.exclusive) out += "#SBATCH --exclusive\n";
    if (o.working_directory) out += "#SBATCH --chdir=" + *o.working_directory + "\n";
    out += "#SBATCH --output=" + output + "\n";
    out += fmt::format("# trainspec: {} job {}, {} task(s) on {} node(s)", backend_label(effective_backend(s)), name,
                       task_count, nodes);
    if (!uniform) {
        out += "; per node:";
        for (int n : per_node) out += fmt::format(" {}", n);
        out += " (free slots exit at once)";
    }
    out += "\nset -eu\n";
    const auto source = o.source_directory.value_or(m.source_directory);
    out += "cd -- " + shell_quote(source.empty() ? "." : source) + "\n";
    // A missing environment stops the job here, with its status, before
    // any task: in the tasks, srun would kill the others and report theirs.
    // The batch shell does not activate it: srun and scontrol run as they are.
    out += runtime.check;
    if (array) out += array->table;
    return out;
}

template <class Backend>
std::string render_sbatch_steps(const cluster<Backend>& planned, const slurm_options& o, const slurm_array* array);

/// The script of a planned job (sbatch_script()); a sweep's is a job array
/// whose tasks run the job of the trial template, each with its trial.
template <class Backend>
std::string render_sbatch(const cluster<Backend>& planned, const slurm_options& o) {
    const auto& s = planned.job().spec();
    if (!s.sweep) return render_sbatch_steps(planned, o, nullptr);
    const auto array = slurm_array_of(s);
    plan_options p;
    p.hosts = planned.hosts();
    p.port = s.port;
    // The markers are ours: the template is the validated job with other values.
    const auto trial = plan(make_validated<Backend>(slurm_trial_template(s)), p);
    return render_sbatch_steps(trial, o, &array);
}

template <class Backend>
std::string render_sbatch_steps(const cluster<Backend>& planned, const slurm_options& o, const slurm_array* array) {
    const auto replanned = slurm_replan(planned, o);
    const auto& c = replanned ? *replanned : planned;
    const auto& s = c.job().spec();
    check_options(s, o);
    slurm_task_context t{describe_launch(c), slurm_runtime_for(s, o), {}, {"srun"}};
    t.steps = steps_with_command(t.launch, o.command);

    const auto& hosts = c.hosts();
    const auto& tasks = c.tasks();
    const auto& per_node = c.tasks_per_host();
    const int nodes = static_cast<int>(hosts.size());
    const int most = per_node.empty() ? 1 : *std::max_element(per_node.begin(), per_node.end());
    const auto cpus = o.cpus_per_task ? o.cpus_per_task : t.launch.cpus_per_task;
    const auto resources =
        resource_words(nodes, nodes * most, most, cpus, gpus_per_node(s, tasks, hosts.size()), o.gres);

    std::string out = sbatch_header(s, o, t.launch, resources, per_node, tasks.size(), t.runtime, array);
    t.step_words.insert(t.step_words.end(), resources.begin(), resources.end());
    t.step_words.push_back("--kill-on-bad-exit=1");
    t.step_words.insert(t.step_words.end(), t.runtime.srun_options.begin(), t.runtime.srun_options.end());
    if constexpr (has_tf_config_v<Backend>)
        out += tf_cluster_task_steps(c, o, t);
    else if constexpr (std::is_same_v<Backend, mpi>)
        out += mpi_task_steps(c, o, t);
    else
        out += single_task_step(c, t);
    return out;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/sbatch_script.hpp

TRAINSPEC_BEGIN_NAMESPACE
template <class Backend>
std::string sbatch_script(const cluster<Backend>& planned, const slurm_options& o) {
    return detail::render_sbatch(planned, o);
}
TRAINSPEC_END_NAMESPACE
#endif

#ifdef TRAINSPEC_COMPILED_LIB
TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_INSTANTIATE std::string sbatch_script(const cluster<single_node>&, const slurm_options&);
TRAINSPEC_INSTANTIATE std::string sbatch_script(const cluster<mpi>&, const slurm_options&);
TRAINSPEC_INSTANTIATE std::string sbatch_script(const cluster<parameter_server>&, const slurm_options&);
TRAINSPEC_INSTANTIATE std::string sbatch_script(const cluster<multi_worker>&, const slurm_options&);
TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/render/slurm.hpp
// begin file include/trainspec/render/azureml.hpp
// An Azure Machine Learning SDK/CLI v2 command job (`az ml job create -f`),
// written from the launch model: JSON (valid YAML), keys in a fixed order.
// docs/azureml.md maps every field and gives the GPU image table.
//
//   nlohmann::ordered_json azureml_command_job(const job<B>& job, const azureml_options& options = {});
//   nlohmann::ordered_json azureml_command_job(const any_job& job, const azureml_options& options = {});
//
// Jobs v2 cannot run throw artifact_error naming the field: a chief
// or evaluator, use_docker = false, compute target "local", a
// pip_requirements_file.

#include <optional>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>


TRAINSPEC_BEGIN_NAMESPACE

inline constexpr const char* azureml_command_job_schema =
    "https://azuremlschemas.azureedge.net/latest/commandJob.schema.json";

struct azureml_options {
    std::optional<std::string> experiment_name;
    /// The generated conda environment file, relative to the job file.
    std::string conda_file = "environment.yml";
    /// The source directory as the job file reaches it (Azure resolves
    /// `code` against the job file's directory); default source_directory.
    std::optional<std::string> code;
};

namespace detail {
nlohmann::ordered_json azureml_job(const job_spec& s, const azureml_options& o);
/// The path of the first text of the spec that holds "${{", or "": Azure ML
/// evaluates every ${{ <expression> }} of a job (docs/azureml.md).
std::string azureml_expression_path(const job_spec& s);
/// azureml_job() of a spec whose text is all its own (no expression).
nlohmann::ordered_json azureml_command_job_of(const job_spec& s, const azureml_options& o);
}  // namespace detail

/// The job as an Azure ML v2 command job (JSON, valid as YAML).
template <class Backend>
nlohmann::ordered_json azureml_command_job(const job<Backend>& j, const azureml_options& options = {}) {
    return detail::azureml_command_job_of(j.spec(), options);
}
inline nlohmann::ordered_json azureml_command_job(const any_job& j, const azureml_options& options = {}) {
    return detail::azureml_command_job_of(spec_of(j), options);
}

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <stdexcept>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// How a task of an Azure ML job learns it owns the model: Azure starts MPI
/// ranks with mpirun (OMPI_COMM_WORLD_RANK) and gives TensorFlow tasks their
/// TF_CONFIG.
inline owner_check azureml_owner_check(backend_kind backend) {
    switch (backend) {
        case backend_kind::mpi:
            return owner_check::mpi_rank;
        case backend_kind::parameter_server:
        case backend_kind::multi_worker:
            return owner_check::tf_config;
        case backend_kind::single_node:
            break;
    }
    return owner_check::owner;
}

[[noreturn]] inline void azureml_error(const job_spec& s, const std::string& why) {
    throw artifact_error("Azure ML command job", effective_job_name(s), why);
}

TRAINSPEC_INLINE nlohmann::ordered_json azureml_job(const job_spec& s, const azureml_options& o) {
    if (!effective_use_docker(s))
        azureml_error(s, "has use_docker = false; Azure ML v2 command jobs always run in a container");
    if (s.target && s.target->is_local())
        azureml_error(s, "has compute_target \"local\"; give an Azure ML compute target or vm_size");
    if (s.pip_requirements_file)
        azureml_error(s, "has pip_requirements_file " + quote_json(*s.pip_requirements_file) +
                             "; an inline Azure ML environment takes a conda file only: list the packages in "
                             "pip_packages or in a conda_dependencies_file");
    if (effective_chief_count(s) > 0 || effective_evaluator_count(s) > 0)
        azureml_error(s, "has chief_count " + std::to_string(effective_chief_count(s)) + " and evaluator_count " +
                             std::to_string(effective_evaluator_count(s)) +
                             "; Azure ML's tensorflow distribution has only worker_count and "
                             "parameter_server_count: set both to 0");

    nlohmann::ordered_json j;
    j["$schema"] = azureml_command_job_schema;
    j["type"] = "command";
    if (s.name) j["name"] = *s.name;
    if (o.experiment_name) j["experiment_name"] = *o.experiment_name;
    const std::string code = o.code.value_or(s.source_directory);
    j["code"] = code;
    std::string command = task_shell_line(launch_steps(s), azureml_owner_check(effective_backend(s)));
    // Azure starts every task with the same command: a parameter server of a
    // GPU job learns from TF_CONFIG that it must see no GPU.
    if (effective_backend(s) == backend_kind::parameter_server && effective_use_gpu(s))
        command = "if " + tf_config_task_is("ps") + "; then CUDA_VISIBLE_DEVICES=; export CUDA_VISIBLE_DEVICES; fi; " +
                  command;
    // Azure ML's own launcher (mpirun, for an mpi job) starts in the job's
    // environment: the task-only variables are set by each task's shell.
    j["command"] = detail::task_variable_exports(s.environment_variables) + command;

    nlohmann::ordered_json environment;
    const auto version = effective_framework_version(s);
    environment["image"] = s.custom_docker_image || effective_user_managed(s)
                               ? base_image_of(s)
                               : azureml_base_image(version, effective_use_gpu(s));
    if (!effective_user_managed(s)) {
        if (s.conda_dependencies_file) {
            std::string dir = code;
            while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
            environment["conda_file"] =
                dir.empty() || dir == "." ? *s.conda_dependencies_file : dir + "/" + *s.conda_dependencies_file;
        } else {
            environment["conda_file"] = o.conda_file;
        }
    }
    j["environment"] = std::move(environment);

    if (const auto shared = detail::shared_variables(s.environment_variables); !shared.empty()) {
        nlohmann::ordered_json vars = nlohmann::ordered_json::object();
        for (const auto& v : shared) vars[v.name] = v.value;
        j["environment_variables"] = std::move(vars);
    }
    if (s.target) j["compute"] = "azureml:" + s.target->name;

    nlohmann::ordered_json resources;
    resources["instance_count"] = effective_node_count(s);
    if (s.vm_size) resources["instance_type"] = *s.vm_size;
    resources["shm_size"] = effective_shm_size(s);
    j["resources"] = std::move(resources);
    // v1's vm_priority of an on-the-fly VM is v2's job tier on serverless compute.
    if (s.vm_priority) j["queue_settings"] = {{"job_tier", *s.vm_priority == "lowpriority" ? "spot" : "standard"}};

    if (s.max_run_duration_seconds) j["limits"] = {{"timeout", *s.max_run_duration_seconds}};

    nlohmann::ordered_json distribution;
    switch (effective_backend(s)) {
        case backend_kind::mpi:
            distribution["type"] = "mpi";
            distribution["process_count_per_instance"] = effective_process_count_per_node(s);
            break;
        case backend_kind::parameter_server:
        case backend_kind::multi_worker:
            distribution["type"] = "tensorflow";
            distribution["worker_count"] = effective_worker_count(s);
            distribution["parameter_server_count"] = effective_parameter_server_count(s);
            break;
        case backend_kind::single_node:
            break;
    }
    if (!distribution.is_null()) j["distribution"] = std::move(distribution);
    return j;
}

TRAINSPEC_INLINE std::string azureml_expression_path(const job_spec& s) {
    return first_text_path(to_json(s), [](const std::string& text) { return text.find("${{") != std::string::npos; });
}

TRAINSPEC_INLINE nlohmann::ordered_json azureml_command_job_of(const job_spec& s, const azureml_options& o) {
    if (const auto path = azureml_expression_path(s); !path.empty())
        azureml_error(s, "has \"${{\" in " + path +
                             "; Azure ML evaluates every ${{ <expression> }} in a job, and this one is no "
                             "expression of the job's");
    return azureml_job(s, o);
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/render/azureml.hpp
// begin file include/trainspec/render/azureml_sweep.hpp
// An Azure Machine Learning v2 sweep job (`az ml job create -f`): the
// spec's sweep under v2's own names, and as its `trial` the job's command
// job whose command takes each trial's values through
// ${{search_space.<id>}} placeholders. docs/sweeps.md maps every field.

#include <nlohmann/json.hpp>


TRAINSPEC_BEGIN_NAMESPACE

inline constexpr const char* azureml_sweep_job_schema =
    "https://azuremlschemas.azureedge.net/latest/sweepJob.schema.json";

/// The job's sweep as an Azure ML v2 sweep job (JSON, valid as YAML).
/// Throws artifact_error for what v2 cannot express or run, naming the
/// field: more than 1000 trials, truncation_selection's
/// exclude_finished_jobs, a choice string Azure's textual substitution
/// would let out of its quotes; and whatever the command job refuses.
nlohmann::ordered_json azureml_sweep_job(const any_job& j, const azureml_options& options = {});

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <string>
#include <variant>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

[[noreturn]] inline void azureml_sweep_error(const job_spec& s, const std::string& why) {
    throw artifact_error("Azure ML sweep job", effective_job_name(s), why);
}

/// What Azure ML v2 cannot take, as named errors.
inline void check_azureml_sweep(const job_spec& s) {
    const auto& sweep = *s.sweep;
    const auto& limits = *sweep.limits;
    for (const auto& [name, value] : {std::pair{"max_total_trials", limits.max_total_trials},
                                      std::pair{"max_concurrent_trials", limits.max_concurrent_trials}})
        if (value && *value > max_azureml_sweep_trials)
            azureml_sweep_error(s, std::string("has sweep.limits.") + name + " " + std::to_string(*value) +
                                       "; Azure ML runs at most " + std::to_string(max_azureml_sweep_trials));
    if (sweep.termination && sweep.termination->exclude_finished_jobs)
        azureml_sweep_error(s,
                            "has sweep.early_termination.exclude_finished_jobs, a HyperDrive v1 setting of "
                            "truncation_selection that Azure ML v2 has no field for");
    if (const auto path = azureml_expression_path(s); !path.empty())
        azureml_sweep_error(s, "has \"${{\" in " + path +
                                   "; Azure ML evaluates every ${{ <expression> }} in a job, and only the sweep's "
                                   "own ${{search_space.<id>}} are the job's");
    // Azure ML puts a value into the command as text: inside the single
    // quotes our shell quoting gives the placeholder, a quote would end them.
    for (const auto& parameter : sweep.search_space)
        for (const auto& value : parameter.value.values)
            if (const auto* text = std::get_if<std::string>(&value.get());
                text && text->find('\'') != std::string::npos)
                azureml_sweep_error(s, "has the choice value " + quote_json(*text) + " in sweep.search_space[" +
                                           quote_json(parameter.name) +
                                           "]; Azure ML substitutes values into the command as text, where a ' "
                                           "would become shell syntax");
    if (const auto why = empty_choice_problem(sweep, "Azure ML"); !why.empty()) azureml_sweep_error(s, why);
}

/// The sweep's early termination with both intervals written: the v2 SDK's
/// defaults differ from the YAML reference's.
inline nlohmann::ordered_json azureml_early_termination(const early_termination& policy) {
    auto out = write_fields(policy);
    out["evaluation_interval"] = policy.evaluation_interval.value_or(default_evaluation_interval);
    out["delay_evaluation"] = policy.delay_evaluation.value_or(default_delay_evaluation);
    return out;
}

}  // namespace detail

TRAINSPEC_INLINE nlohmann::ordered_json azureml_sweep_job(const any_job& j, const azureml_options& options) {
    const auto& s = spec_of(j);
    if (!s.sweep) detail::azureml_sweep_error(s, "has no sweep; its command job is --target azureml without one");
    detail::check_azureml_sweep(s);
    const auto& sweep = *s.sweep;
    const auto ids = detail::sweep_parameter_ids(sweep);

    // The trial: the command job of the job whose swept parameters are placeholders.
    // Azure ML bounds each trial by the sweep's own trial_timeout (limits).
    const auto trial_job = detail::sweep_trial_template(
        s, [&](std::size_t i) { return "${{search_space." + ids[i] + "}}"; }, false);
    auto command_job = detail::azureml_job(trial_job, options);

    nlohmann::ordered_json out;
    out["$schema"] = azureml_sweep_job_schema;
    out["type"] = "sweep";
    for (const char* key : {"name", "experiment_name", "compute", "queue_settings"})
        if (command_job.contains(key)) out[key] = command_job[key];
    out["sampling_algorithm"] = detail::write_fields(sweep)["sampling_algorithm"];
    nlohmann::ordered_json space = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < ids.size(); ++i) space[ids[i]] = detail::write_fields(sweep.search_space[i].value);
    out["search_space"] = std::move(space);
    out["objective"] = detail::write_fields(*sweep.objective);
    auto limits = detail::write_fields(*sweep.limits);
    if (!limits.contains("trial_timeout") && s.max_run_duration_seconds)
        limits["trial_timeout"] = *s.max_run_duration_seconds;
    out["limits"] = std::move(limits);
    if (sweep.termination) out["early_termination"] = detail::azureml_early_termination(*sweep.termination);

    nlohmann::ordered_json trial;
    for (const char* key : {"code", "command", "environment", "environment_variables", "distribution", "resources"})
        if (command_job.contains(key)) trial[key] = command_job[key];
    out["trial"] = std::move(trial);
    return out;
}

TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/render/azureml_sweep.hpp

// The consumer side
// begin file include/trainspec/consume/parsed_tf_config.hpp
// What a TF_CONFIG reads as: the cluster as tf.train.ClusterSpec holds it,
// the task as TFConfigClusterResolver sees it, and the error TensorFlow
// would raise. consume/tf_config.hpp reads them (docs/tf_config.md).

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>


TRAINSPEC_BEGIN_NAMESPACE

namespace detail {
/// repr() of a Python str holding `utf8`, as TensorFlow's messages show it.
std::string python_repr(std::string_view utf8);
}  // namespace detail

/// A TF_CONFIG that TensorFlow would reject. message() is TensorFlow's
/// wording (or Python's, where TensorFlow lets a Python error through);
/// field() says where: `$` (the document), `cluster`, `cluster.worker`,
/// `cluster.worker[1]`, `task.type`, `task.index`, ... what() is
/// `field: message`, or the message alone when there is no field.
class tf_config_error : public error {
public:
    explicit tf_config_error(std::string message) : tf_config_error(std::string(), std::move(message)) {}
    tf_config_error(std::string field, std::string message)
        : error(field.empty() ? message : field + ": " + message, {{field.empty() ? "TF_CONFIG" : field, "", message}}),
          field_(std::move(field)) {}

    /// The field as TensorFlow names it, empty for the whole TF_CONFIG
    /// (path() is then "TF_CONFIG"); rule() is TensorFlow's message.
    const std::string& field() const noexcept { return field_; }

private:
    std::string field_;
};

/// The cluster as tf.train.ClusterSpec holds it: jobs sorted by name, each
/// a map from task index to address. A job written as a list has the
/// indices 0..n-1 (dense); one written as a dictionary may have any
/// (sparse), as Kubeflow's enableDynamicWorker form has.
class tf_cluster_spec {
public:
    using job_map = std::map<int, std::string>;
    using cluster_map = std::map<std::string, job_map, std::less<>>;

    tf_cluster_spec() = default;
    explicit tf_cluster_spec(cluster_map jobs) : jobs_(std::move(jobs)) {}

    /// No jobs at all (a ClusterSpec that is false).
    bool empty() const noexcept { return jobs_.empty(); }

    /// The job names, sorted.
    std::vector<std::string> jobs() const {
        std::vector<std::string> names;
        names.reserve(jobs_.size());
        for (const auto& job : jobs_) names.push_back(job.first);
        return names;
    }

    bool has_job(std::string_view job) const { return jobs_.find(job) != jobs_.end(); }
    bool has_job(task_type type) const { return has_job(enum_name(type)); }

    /// Throws tf_config_error "No such job in cluster: 'x'".
    int num_tasks(std::string_view job) const { return static_cast<int>(tasks(job).size()); }

    /// 0 for a job the cluster does not have.
    int count(std::string_view job) const {
        const auto found = jobs_.find(job);
        return found == jobs_.end() ? 0 : static_cast<int>(found->second.size());
    }
    int count(task_type type) const { return count(enum_name(type)); }

    /// The job's task indices, sorted. Throws tf_config_error "No such job in cluster: 'x'".
    std::vector<int> task_indices(std::string_view job) const {
        std::vector<int> indices;
        for (const auto& task : tasks(job)) indices.push_back(task.first);
        return indices;
    }

    /// Throws tf_config_error "No such job in cluster: 'x'" or
    /// "No task with index 3 in job 'worker'".
    const std::string& task_address(std::string_view job, int index) const {
        const auto& job_tasks = tasks(job);
        const auto found = job_tasks.find(index);
        if (found == job_tasks.end())
            throw tf_config_error(fmt::format("No task with index {} in job {}", index, detail::python_repr(job)));
        return found->second;
    }

    /// The job's tasks, index -> address. Throws tf_config_error "No such job in cluster: 'x'".
    const job_map& tasks(std::string_view job) const {
        const auto found = jobs_.find(job);
        if (found == jobs_.end()) throw tf_config_error("No such job in cluster: " + detail::python_repr(job));
        return found->second;
    }

    /// len(ClusterSpec.job_tasks(job)): the highest index + 1 (a sparse job's
    /// list has None where an index is missing). Throws like tasks().
    int job_tasks_size(std::string_view job) const {
        const auto& job_tasks = tasks(job);
        return job_tasks.empty() ? 0 : job_tasks.rbegin()->first + 1;
    }

    /// Whether the job's indices are 0..n-1, n > 0: as_dict() gives it as a
    /// list (an empty job is given as {}). Throws like tasks().
    bool is_dense(std::string_view job) const {
        const auto& job_tasks = tasks(job);
        return !job_tasks.empty() && job_tasks.begin()->first == 0 &&
               job_tasks.rbegin()->first == static_cast<int>(job_tasks.size()) - 1;
    }

    /// Every job with its tasks.
    const cluster_map& as_dict() const noexcept { return jobs_; }

    /// The cluster as compact JSON, in the shape of ClusterSpec.as_dict():
    /// a dense job as an array, any other as an object keyed by index.
    std::string to_json() const { return as_dict_text(detail::quote_json, ",", ":", true); }

    /// str(ClusterSpec): "ClusterSpec({'ps': ['h:2222'], 'worker': {1: 'h:2223'}})".
    std::string str() const { return "ClusterSpec(" + as_dict_text(detail::python_repr, ", ", ": ", false) + ")"; }

    friend bool operator==(const tf_cluster_spec& a, const tf_cluster_spec& b) { return a.jobs_ == b.jobs_; }
    friend bool operator!=(const tf_cluster_spec& a, const tf_cluster_spec& b) { return !(a == b); }

private:
    /// as_dict() written out with `quote` for every string: a dense job as a
    /// list, any other as a dictionary keyed by index.
    std::string as_dict_text(std::string (*quote)(std::string_view), std::string_view comma, std::string_view colon,
                             bool quote_index) const {
        std::string out = "{";
        for (const auto& [name, job_tasks] : jobs_) {
            if (out.size() > 1) out += comma;
            out += quote(name);
            out += colon;
            const bool dense = is_dense(name);
            out += dense ? '[' : '{';
            bool first = true;
            for (const auto& [index, address] : job_tasks) {
                if (!first) out += comma;
                first = false;
                if (!dense) {
                    out += quote_index ? quote(std::to_string(index)) : std::to_string(index);
                    out += colon;
                }
                out += quote(address);
            }
            out += dense ? ']' : '}';
        }
        return out + "}";
    }

    cluster_map jobs_;
};

/// A TF_CONFIG as TensorFlow reads it: TFConfigClusterResolver's view (the
/// `custom` consumer's); consume/tf_config_views.hpp derives what RunConfig
/// and the TF2 strategies conclude from it.
struct parsed_tf_config {
    tf_consumer consumer = tf_consumer::custom;  ///< whose rules it was read with
    tf_cluster_spec cluster;
    std::string task_type;          ///< str(task.type); "" when absent
    std::optional<int> task_index;  ///< int(task.index)
    std::optional<std::string> rpc_layer, session_master, environment;
    std::optional<std::string> eval_session_master;  ///< RunConfig's evaluation_master for an evaluator
    std::optional<std::string> model_dir;            ///< RunConfig's model_dir

    /// multi_worker_util.is_chief: the chief; worker 0 when the cluster has
    /// no chief; the evaluator is its own chief. A `master` (tf.estimator's
    /// legacy name for the chief) is the chief when there is no `chief` job,
    /// and then worker 0 is not. A task of an empty cluster (one local
    /// process) is the chief.
    bool is_chief() const {
        using type = trainspec::task_type;
        const auto known = enum_from_name<type>(task_type);
        if (known == type::chief || known == type::evaluator) return true;
        const bool has_chief = cluster.has_job(type::chief);
        if (task_type == detail::master_job) return !has_chief;
        if (known == type::worker && task_index == 0) return !has_chief && !cluster.has_job(detail::master_job);
        return cluster.empty() && task_type.empty();
    }

    /// Workers that train: chief + worker (+ master), as RunConfig counts
    /// num_worker_replicas.
    int num_workers() const {
        return cluster.count(trainspec::task_type::chief) + cluster.count(trainspec::task_type::worker) +
               cluster.count(detail::master_job);
    }

    int num_ps() const { return cluster.count(trainspec::task_type::ps); }

    /// TFConfigClusterResolver.master(): session_master when set; "" for an
    /// empty cluster or one of a single task; else this task's address,
    /// prefixed with "<rpc_layer>://" when an rpc layer is set. Throws like
    /// task_address() when the task is not in the cluster.
    std::string master() const {
        if (session_master) return *session_master;
        const auto& jobs = cluster.as_dict();
        if (jobs.empty()) return "";
        // len(job_tasks(job)) == 1: the highest index is 0.
        if (jobs.size() == 1) {
            const auto& only = jobs.begin()->second;
            if (!only.empty() && only.rbegin()->first == 0) return "";
        }
        const std::string& address = task_address();
        return rpc_layer && !rpc_layer->empty() ? *rpc_layer + "://" + address : address;
    }

    /// This task's address. Throws tf_config_error "No such job in cluster:
    /// ..." or "No task with index ... in job ..." (an evaluator that is not
    /// part of the cluster has none).
    std::string task_address() const {
        if (task_type.empty()) throw tf_config_error("No such job in cluster: None");
        if (!task_index) {
            cluster.tasks(task_type);
            throw tf_config_error("No task with index None in job " + detail::python_repr(task_type));
        }
        return cluster.task_address(task_type, *task_index);
    }
};

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
// begin file include/trainspec/detail/pyjson.hpp
// Python's json.loads and the few builtins TensorFlow applies to what it
// returns (str, repr, int, truth), with CPython's messages and positions, so
// that the TF_CONFIG reader can fail where and as TensorFlow fails.
// docs/tf_config.md says how far the emulation goes.

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {
namespace pyjson {

/// A Python exception (json.JSONDecodeError, ValueError, TypeError,
/// RecursionError): what() is its message. The TF_CONFIG reader adds the
/// field it is about.
class python_error : public error {
public:
    explicit python_error(const std::string& message) : error(message, {{"", "", message}}) {}
};

/// A Python value as json.loads returns it.
struct value {
    enum class kind { none, boolean, integer, floating, string, list, dict };

    kind type = kind::none;
    bool flag = false;              ///< boolean
    std::string text;               ///< integer: decimal digits, '-' first when negative; string: UTF-8
    double number = 0;              ///< floating
    std::vector<value> items;       ///< list: the items; dict: the values
    std::vector<std::string> keys;  ///< dict: the keys, in insertion order

    const value* find(std::string_view key) const {
        if (type != kind::dict) return nullptr;
        for (std::size_t i = 0; i < keys.size(); ++i)
            if (keys[i] == key) return &items[i];
        return nullptr;
    }
};

inline const char* type_name(const value& v) {
    switch (v.type) {
        case value::kind::none:
            return "NoneType";
        case value::kind::boolean:
            return "bool";
        case value::kind::integer:
            return "int";
        case value::kind::floating:
            return "float";
        case value::kind::string:
            return "str";
        case value::kind::list:
            return "list";
        case value::kind::dict:
            return "dict";
    }
    return "object";
}

/// The JSON name of a value's type, for messages that are not TensorFlow's.
inline const char* json_kind(const value& v) {
    switch (v.type) {
        case value::kind::none:
            return "null";
        case value::kind::boolean:
            return "a boolean";
        case value::kind::integer:
        case value::kind::floating:
            return "a number";
        case value::kind::string:
            return "a string";
        case value::kind::list:
            return "an array";
        case value::kind::dict:
            return "an object";
    }
    return "a value";
}

/// UTF-8 to code points the way Python decodes the environment: each byte
/// of an invalid sequence becomes one lone surrogate U+DC80..U+DCFF
/// (surrogateescape), so positions count what Python counts. With
/// `surrogates`, an encoded surrogate (ED A0..BF xx, as append_utf8 writes a
/// lone "\ud800" escape) is read back as that code point.
inline std::u32string decode_utf8(std::string_view text, bool surrogates = false) {
    std::u32string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        if (lead < 0x80) {
            out += static_cast<char32_t>(lead);
            ++i;
            continue;
        }
        std::size_t length = 0;
        char32_t code = 0;
        unsigned char low = 0x80, high = 0xBF;  // the second byte's range
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
            code = lead & 0x1Fu;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            code = lead & 0x0Fu;
            if (lead == 0xE0) low = 0xA0;
            if (lead == 0xED && !surrogates) high = 0x9F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            code = lead & 0x07u;
            if (lead == 0xF0) low = 0x90;
            if (lead == 0xF4) high = 0x8F;
        }
        bool valid = length > 0 && i + length <= text.size();
        for (std::size_t k = 1; valid && k < length; ++k) {
            const auto c = static_cast<unsigned char>(text[i + k]);
            if (c < (k == 1 ? low : 0x80) || c > (k == 1 ? high : 0xBF))
                valid = false;
            else
                code = (code << 6) | (c & 0x3Fu);
        }
        if (!valid) {
            out += static_cast<char32_t>(0xDC00 + lead);
            ++i;
            continue;
        }
        out += code;
        i += length;
    }
    return out;
}

/// The inverse of decode_utf8: an escaped byte becomes that byte again.
inline void append_utf8(std::string& out, char32_t c) {
    if (c >= 0xDC80 && c <= 0xDCFF) {
        out += static_cast<char>(c - 0xDC00);
    } else if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

/// json.loads: the rules and messages of CPython's json module (its C
/// scanner), before Python 3.13 added "Illegal trailing comma".
class reader {
public:
    explicit reader(std::string_view text) : s_(decode_utf8(text)) {}

    value read() {
        if (!s_.empty() && s_[0] == 0xFEFF) fail("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0);
        std::size_t end = 0;
        value v = scan(skip(0), end);
        end = skip(end);
        if (end != s_.size()) fail("Extra data", end);
        return v;
    }

private:
    /// Below Python's default recursion limit of 1000, which json counts too.
    static constexpr int max_depth = 500;

    static bool is_space(char32_t c) { return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r'; }
    static bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }

    std::size_t skip(std::size_t i) const {
        while (i < s_.size() && is_space(s_[i])) ++i;
        return i;
    }

    bool word_at(std::size_t i, std::u32string_view word) const {
        return i + word.size() <= s_.size() && std::u32string_view(s_).substr(i, word.size()) == word;
    }

    /// json.JSONDecodeError: "msg: line L column C (char P)".
    [[noreturn]] void fail(const char* message, std::size_t pos) const {
        std::size_t line = 1;
        std::size_t column = pos + 1;
        for (std::size_t i = 0; i < pos && i < s_.size(); ++i)
            if (s_[i] == U'\n') {
                ++line;
                column = pos - i;
            }
        throw python_error(fmt::format("{}: line {} column {} (char {})", message, line, column, pos));
    }

    value scan(std::size_t idx, std::size_t& next) {
        const std::size_t n = s_.size();
        if (idx >= n) fail("Expecting value", idx);
        value v;
        switch (s_[idx]) {
            case U'"':
                v.type = value::kind::string;
                v.text = scan_string(idx + 1, next);
                return v;
            case U'{':
            case U'[': {
                const bool object = s_[idx] == U'{';
                if (depth_ >= max_depth)
                    throw python_error(std::string("maximum recursion depth exceeded while decoding a JSON ") +
                                       (object ? "object" : "array") + " from a unicode string");
                ++depth_;
                v = object ? scan_object(idx + 1, next) : scan_array(idx + 1, next);
                --depth_;
                return v;
            }
            default:
                break;
        }
        for (const auto& [word, literal] : literals())
            if (word_at(idx, word)) {
                next = idx + word.size();
                return literal;
            }
        return scan_number(idx, next);
    }

    /// The names json reads as constants: null, true, false, NaN, Infinity, -Infinity.
    static const std::vector<std::pair<std::u32string_view, value>>& literals() {
        static const auto table = [] {
            auto constant = [](value::kind type, bool flag, double number) {
                value v;
                v.type = type;
                v.flag = flag;
                v.number = number;
                return v;
            };
            constexpr double infinity = std::numeric_limits<double>::infinity();
            return std::vector<std::pair<std::u32string_view, value>>{
                {U"null", value{}},
                {U"true", constant(value::kind::boolean, true, 0)},
                {U"false", constant(value::kind::boolean, false, 0)},
                {U"NaN", constant(value::kind::floating, false, std::numeric_limits<double>::quiet_NaN())},
                {U"Infinity", constant(value::kind::floating, false, infinity)},
                {U"-Infinity", constant(value::kind::floating, false, -infinity)},
            };
        }();
        return table;
    }

    value scan_number(std::size_t start, std::size_t& next) const {
        const std::size_t n = s_.size();
        std::size_t idx = start;
        if (s_[idx] == U'-') {
            ++idx;
            if (idx >= n) fail("Expecting value", start);
        }
        if (s_[idx] >= U'1' && s_[idx] <= U'9') {
            ++idx;
            while (idx < n && is_digit(s_[idx])) ++idx;
        } else if (s_[idx] == U'0') {
            ++idx;
        } else {
            fail("Expecting value", start);
        }
        bool is_float = false;
        if (idx + 1 < n && s_[idx] == U'.' && is_digit(s_[idx + 1])) {
            is_float = true;
            idx += 2;
            while (idx < n && is_digit(s_[idx])) ++idx;
        }
        if (idx + 1 < n && (s_[idx] == U'e' || s_[idx] == U'E')) {
            const std::size_t e_start = idx;
            ++idx;
            if (idx + 1 < n && (s_[idx] == U'-' || s_[idx] == U'+')) ++idx;
            while (idx < n && is_digit(s_[idx])) ++idx;
            if (is_digit(s_[idx - 1]))
                is_float = true;
            else
                idx = e_start;
        }
        std::string text;
        for (std::size_t i = start; i < idx; ++i) text += static_cast<char>(s_[i]);
        next = idx;
        value v;
        if (is_float) {
            v.type = value::kind::floating;
            const auto result = std::from_chars(text.data(), text.data() + text.size(), v.number);
            if (result.ec != std::errc()) v.number = std::strtod(text.c_str(), nullptr);  // overflow, underflow
        } else {
            v.type = value::kind::integer;
            v.text = text == "-0" ? "0" : text;
        }
        return v;
    }

    static int hex_digit(char32_t c) {
        if (c >= U'0' && c <= U'9') return static_cast<int>(c - U'0');
        if (c >= U'a' && c <= U'f') return static_cast<int>(c - U'a' + 10);
        if (c >= U'A' && c <= U'F') return static_cast<int>(c - U'A' + 10);
        return -1;
    }

    /// The string whose opening quote is at end - 1; `next_out` is past its closing quote.
    std::string scan_string(std::size_t end, std::size_t& next_out) const {
        const std::size_t n = s_.size();
        const std::size_t begin = end - 1;
        std::string out;
        while (true) {
            std::size_t next = end;
            char32_t c = 0;
            for (; next < n; ++next) {
                c = s_[next];
                if (c == U'"' || c == U'\\') break;
                if (c <= 0x1F) fail("Invalid control character at", next);
            }
            if (next >= n) fail("Unterminated string starting at", begin);
            for (std::size_t i = end; i < next; ++i) append_utf8(out, s_[i]);
            ++next;
            if (c == U'"') {
                next_out = next;
                return out;
            }
            if (next == n) fail("Unterminated string starting at", begin);
            c = s_[next];
            if (c != U'u') {
                end = next + 1;
                switch (c) {
                    case U'"':
                    case U'\\':
                    case U'/':
                        break;
                    case U'b':
                        c = U'\b';
                        break;
                    case U'f':
                        c = U'\f';
                        break;
                    case U'n':
                        c = U'\n';
                        break;
                    case U'r':
                        c = U'\r';
                        break;
                    case U't':
                        c = U'\t';
                        break;
                    default:
                        fail("Invalid \\escape", end - 2);
                }
            } else {
                c = 0;
                ++next;
                end = next + 4;
                if (end >= n) fail("Invalid \\uXXXX escape", next - 1);
                for (; next < end; ++next) {
                    const int digit = hex_digit(s_[next]);
                    if (digit < 0) fail("Invalid \\uXXXX escape", end - 5);
                    c = (c << 4) | static_cast<char32_t>(digit);
                }
                // A high surrogate followed by an escaped low one is one character.
                if (c >= 0xD800 && c <= 0xDBFF && end + 6 < n && s_[next] == U'\\' && s_[next + 1] == U'u') {
                    next += 2;
                    char32_t low = 0;
                    end += 6;
                    for (; next < end; ++next) {
                        const int digit = hex_digit(s_[next]);
                        if (digit < 0) fail("Invalid \\uXXXX escape", end - 5);
                        low = (low << 4) | static_cast<char32_t>(digit);
                    }
                    if (low >= 0xDC00 && low <= 0xDFFF)
                        c = 0x10000 + (((c - 0xD800) << 10) | (low - 0xDC00));
                    else
                        end -= 6;
                }
            }
            append_utf8(out, c);
        }
    }

    value scan_object(std::size_t idx, std::size_t& next_out) {
        const std::size_t n = s_.size();
        value v;
        v.type = value::kind::dict;
        std::unordered_map<std::string, std::size_t> seen;
        idx = skip(idx);
        if (idx >= n || s_[idx] != U'}') {
            while (true) {
                if (idx >= n || s_[idx] != U'"') fail("Expecting property name enclosed in double quotes", idx);
                std::size_t next = 0;
                std::string key = scan_string(idx + 1, next);
                idx = skip(next);
                if (idx >= n || s_[idx] != U':') fail("Expecting ':' delimiter", idx);
                idx = skip(idx + 1);
                value item = scan(idx, next);
                // A repeated key keeps its first place and its last value, as in a dict.
                const auto [at, inserted] = seen.emplace(key, v.keys.size());
                if (inserted) {
                    v.keys.push_back(std::move(key));
                    v.items.push_back(std::move(item));
                } else {
                    v.items[at->second] = std::move(item);
                }
                idx = skip(next);
                if (idx < n && s_[idx] == U'}') break;
                if (idx >= n || s_[idx] != U',') fail("Expecting ',' delimiter", idx);
                idx = skip(idx + 1);
            }
        }
        next_out = idx + 1;
        return v;
    }

    value scan_array(std::size_t idx, std::size_t& next_out) {
        const std::size_t n = s_.size();
        value v;
        v.type = value::kind::list;
        idx = skip(idx);
        if (idx >= n || s_[idx] != U']') {
            while (true) {
                std::size_t next = 0;
                v.items.push_back(scan(idx, next));
                idx = skip(next);
                if (idx < n && s_[idx] == U']') break;
                if (idx >= n || s_[idx] != U',') fail("Expecting ',' delimiter", idx);
                idx = skip(idx + 1);
            }
        }
        next_out = idx + 1;
        return v;
    }

    std::u32string s_;
    int depth_ = 0;
};

/// Whether Python's str.isprintable() holds, for the code points that
/// matter in practice (controls, separators, format characters,
/// surrogates, private use, non-characters).
inline bool is_printable(char32_t c) {
    if (c < 0x20 || (c >= 0x7F && c <= 0xA0) || c == 0xAD) return false;
    if (c < 0x0600) return true;
    if ((c >= 0x0600 && c <= 0x0605) || c == 0x061C || c == 0x06DD || c == 0x070F || c == 0x180E || c == 0x1680)
        return false;
    if ((c >= 0x2000 && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F) || (c >= 0x205F && c <= 0x206F) || c == 0x3000)
        return false;
    if ((c >= 0xD800 && c <= 0xF8FF) || (c >= 0xFDD0 && c <= 0xFDEF) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB))
        return false;
    if ((c & 0xFFFE) == 0xFFFE || (c >= 0x323B0 && c <= 0xE00FF) || c >= 0xE01F0) return false;  // unassigned
    return c <= 0x10FFFF;
}

/// Python's repr() of a str.
inline std::string repr_string(std::string_view utf8) {
    static constexpr char hex[] = "0123456789abcdef";
    const auto code_points = decode_utf8(utf8, true);
    const bool has_single = code_points.find(U'\'') != std::u32string::npos;
    const bool has_double = code_points.find(U'"') != std::u32string::npos;
    const char32_t quote = has_single && !has_double ? U'"' : U'\'';
    std::string out;
    out += static_cast<char>(quote);
    for (char32_t c : code_points) {
        if (c == quote || c == U'\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c == U'\t') {
            out += "\\t";
        } else if (c == U'\n') {
            out += "\\n";
        } else if (c == U'\r') {
            out += "\\r";
        } else if (!is_printable(c)) {
            const int digits = c < 0x100 ? 2 : c < 0x10000 ? 4 : 8;
            out += c < 0x100 ? "\\x" : c < 0x10000 ? "\\u" : "\\U";
            for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += hex[(c >> shift) & 0xF];
        } else {
            append_utf8(out, c);
        }
    }
    out += static_cast<char>(quote);
    return out;
}

/// Python's repr() of a float: the shortest text that reads back, in fixed
/// notation for exponents -4..15, else d.ddde+XX.
inline std::string repr_float(double x) {
    if (std::isnan(x)) return "nan";
    if (std::isinf(x)) return x < 0 ? "-inf" : "inf";
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, x, std::chars_format::scientific);
    const std::string text(buffer, result.ptr);
    const auto e = text.find('e');
    std::string mantissa = text.substr(0, e);
    const int exponent = std::atoi(text.c_str() + e + 1);
    std::string sign;
    if (!mantissa.empty() && mantissa[0] == '-') {
        sign = "-";
        mantissa.erase(0, 1);
    }
    std::string digits;
    for (char c : mantissa)
        if (c != '.') digits += c;
    if (exponent >= -4 && exponent < 16) {
        if (exponent < 0) return sign + "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
        const auto whole = static_cast<std::size_t>(exponent) + 1;
        if (digits.size() <= whole) return sign + digits + std::string(whole - digits.size(), '0') + ".0";
        return sign + digits.substr(0, whole) + "." + digits.substr(whole);
    }
    std::string out = sign + digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    out += exponent < 0 ? "e-" : "e+";
    const int magnitude = exponent < 0 ? -exponent : exponent;
    if (magnitude < 10) out += '0';
    out += std::to_string(magnitude);
    return out;
}

inline std::string repr(const value& v);

/// Python's str() of a value.
inline std::string str(const value& v) {
    switch (v.type) {
        case value::kind::none:
            return "None";
        case value::kind::boolean:
            return v.flag ? "True" : "False";
        case value::kind::integer:
            return v.text;
        case value::kind::floating:
            return repr_float(v.number);
        case value::kind::string:
            return v.text;
        case value::kind::list:
        case value::kind::dict:
            return repr(v);
    }
    return {};
}

/// Python's repr() of a value.
inline std::string repr(const value& v) {
    if (v.type == value::kind::string) return repr_string(v.text);
    if (v.type == value::kind::list) {
        std::string out = "[";
        for (std::size_t i = 0; i < v.items.size(); ++i) {
            if (i != 0) out += ", ";
            out += repr(v.items[i]);
        }
        return out + "]";
    }
    if (v.type == value::kind::dict) {
        std::string out = "{";
        for (std::size_t i = 0; i < v.items.size(); ++i) {
            if (i != 0) out += ", ";
            out += repr_string(v.keys[i]) + ": " + repr(v.items[i]);
        }
        return out + "}";
    }
    return str(v);
}

/// A Python int of any size: `text` is its decimal form; `small` holds it
/// when it has at most 18 digits.
struct integer {
    std::string text = "0";
    std::optional<std::int64_t> small = 0;

    static integer from_digits(bool negative, std::string_view digits) {
        while (digits.size() > 1 && digits[0] == '0') digits.remove_prefix(1);
        integer i;
        i.text = (negative && digits != "0" ? "-" : "") + std::string(digits);
        if (digits.size() <= 18) {
            std::int64_t magnitude = 0;
            for (char c : digits) magnitude = magnitude * 10 + (c - '0');
            i.small = negative ? -magnitude : magnitude;
        } else {
            i.small.reset();
        }
        return i;
    }
    bool negative() const { return text[0] == '-'; }
    /// *this < bound, for any size of *this.
    bool less_than(std::int64_t bound) const { return small ? *small < bound : negative(); }
    bool fits_int() const {
        return small && *small >= std::numeric_limits<int>::min() && *small <= std::numeric_limits<int>::max();
    }
    /// Python's ordering of ints.
    friend bool operator<(const integer& a, const integer& b) {
        if (a.small && b.small) return *a.small < *b.small;
        if (a.negative() != b.negative()) return a.negative();
        const bool longer = a.text.size() != b.text.size() ? a.text.size() > b.text.size() : a.text > b.text;
        const bool equal = a.text == b.text;
        // Same sign: a longer magnitude is larger when positive, smaller when negative.
        return !equal && (a.negative() ? longer : !longer);
    }
};

inline bool is_python_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/// Python's int() of a value; throws python_error with its ValueError or TypeError.
inline integer to_int(const value& v) {
    switch (v.type) {
        case value::kind::boolean:
            return integer::from_digits(false, v.flag ? "1" : "0");
        case value::kind::integer:
            return v.text[0] == '-' ? integer::from_digits(true, std::string_view(v.text).substr(1))
                                    : integer::from_digits(false, v.text);
        case value::kind::floating: {
            if (std::isnan(v.number)) throw python_error("cannot convert float NaN to integer");
            if (std::isinf(v.number)) throw python_error("cannot convert float infinity to integer");
            char buffer[400];
            std::snprintf(buffer, sizeof buffer, "%.0f", std::fabs(std::trunc(v.number)));
            return integer::from_digits(v.number < 0, buffer);
        }
        case value::kind::string: {
            std::string_view t = v.text;
            while (!t.empty() && is_python_space(t.front())) t.remove_prefix(1);
            while (!t.empty() && is_python_space(t.back())) t.remove_suffix(1);
            bool negative = false;
            if (!t.empty() && (t[0] == '+' || t[0] == '-')) {
                negative = t[0] == '-';
                t.remove_prefix(1);
            }
            // Digits, with single underscores between them.
            bool valid = !t.empty() && t.front() != '_' && t.back() != '_';
            std::string digits;
            for (std::size_t i = 0; valid && i < t.size(); ++i) {
                if (t[i] >= '0' && t[i] <= '9')
                    digits += t[i];
                else if (t[i] != '_' || t[i - 1] == '_')
                    valid = false;
            }
            if (!valid) throw python_error("invalid literal for int() with base 10: " + repr_string(v.text));
            return integer::from_digits(negative, digits);
        }
        case value::kind::none:
        case value::kind::list:
        case value::kind::dict:
            break;
    }
    throw python_error(std::string("int() argument must be a string, a bytes-like object or a real number, "
                                   "not '") +
                       type_name(v) + "'");
}

/// str() text inside a message: as Python prints it, but a NUL is shown as
/// \x00, so that what() (a C string) is not cut short.
inline std::string shown(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '\0')
            out += "\\x00";
        else
            out += c;
    }
    return out;
}

/// Python's truth value.
inline bool truthy(const value& v) {
    switch (v.type) {
        case value::kind::none:
            return false;
        case value::kind::boolean:
            return v.flag;
        case value::kind::integer:
            return v.text != "0";
        case value::kind::floating:
            return v.number != 0;
        case value::kind::string:
            return !v.text.empty();
        case value::kind::list:
        case value::kind::dict:
            return !v.items.empty();
    }
    return false;
}

}  // namespace pyjson
}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/pyjson.hpp

TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_INLINE std::string detail::python_repr(std::string_view utf8) { return pyjson::repr_string(utf8); }
TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/consume/parsed_tf_config.hpp
// begin file include/trainspec/consume/tf_config.hpp
// The consumer side of TF_CONFIG: read it as TensorFlow reads it, and reject
// what the TensorFlow API that will read it (the consumer) would reject, in
// TensorFlow's words, prefixed with the field. docs/tf_config.md gives the
// rules followed and their limits.

#include <string_view>


TRAINSPEC_BEGIN_NAMESPACE

/// Reads a TF_CONFIG text with TensorFlow's rules, and those of `consumer`
/// (the TensorFlow API that will read it). Throws tf_config_error with
/// TensorFlow's message at the first check that fails.
parsed_tf_config parse_tf_config(std::string_view text, tf_consumer consumer = tf_consumer::custom);

/// Reads the environment variable TF_CONFIG as TensorFlow does: unset is
/// "{}" (no cluster: a local run for RunConfig and MultiWorkerMirroredStrategy),
/// set but empty is a JSON error.
parsed_tf_config tf_config_from_env(tf_consumer consumer = tf_consumer::custom);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <cstdlib>

// begin file include/trainspec/detail/tf_config_reader.hpp
// TensorFlow's rules for a TF_CONFIG document: tf.train.ClusterSpec,
// TFConfigClusterResolver, then those of the consumer, in TensorFlow's order
// and words (docs/tf_config.md). consume/tf_config.hpp calls it.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

// begin file include/trainspec/detail/tf_consumer_rules.hpp
// What the consumers derive from the cluster and task TFConfigClusterResolver
// reads: tf.distribute's multi_worker_util (the TF2 strategies) and
// tf.estimator.RunConfig's session master, with their checks, in their order
// and words. The TF_CONFIG reader and consume/consumer_views.hpp call them.

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// `cluster.worker`, or `cluster["my job"]` for a name that is not a plain word.
inline std::string tf_job_field(std::string_view job) {
    const bool plain =
        !job.empty() && !(job[0] >= '0' && job[0] <= '9') && std::all_of(job.begin(), job.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        });
    return plain ? "cluster." + std::string(job) : "cluster[" + quote_json(job) + "]";
}

inline std::string tf_job_field(task_type type) { return tf_job_field(enum_name(type)); }

/// Whether a job name (a task's type) is that of a plan's task type.
inline bool is_task_type(std::string_view name, task_type type) { return name == enum_name(type); }

/// The same for a task type that may be None.
inline bool has_task_type(const std::optional<std::string>& name, task_type type) {
    return name && is_task_type(*name, type);
}

/// A task type as Python's %r shows it: 'worker', or None.
inline std::string tf_repr(const std::optional<std::string>& type) {
    return type ? pyjson::repr_string(*type) : "None";
}

/// An int as the resolver holds it.
inline pyjson::integer tf_integer(long long value) {
    const std::string digits = std::to_string(value);
    return value < 0 ? pyjson::integer::from_digits(true, std::string_view(digits).substr(1))
                     : pyjson::integer::from_digits(false, digits);
}

/// A task id as the resolver holds it, None when absent.
inline std::optional<pyjson::integer> tf_task_id(std::optional<long long> id) {
    return id ? std::optional<pyjson::integer>(tf_integer(*id)) : std::nullopt;
}

/// multi_worker_util._validate_cluster_spec(cluster, task_type, task_id);
/// a null task_id is None.
inline void validate_tf2_cluster(const tf_cluster_spec& cluster, const std::optional<std::string>& type,
                                 const pyjson::integer* task_id) {
    // The TF2 task types are those of a plan.
    auto is_allowed = [](const std::string& name) { return enum_from_name<task_type>(name).has_value(); };
    for (const auto& job : cluster.as_dict())
        if (!is_allowed(job.first))
            throw tf_config_error(tf_job_field(job.first), tf_disallowed_task_type("is " + cluster.str()));
    if (type && !is_allowed(*type))
        throw tf_config_error("task.type", fmt::format("Unrecognized task_type: {}, valid task types are: {}",
                                                       pyjson::shown(*type), tf_task_types));
    if (type && !type->empty() && !cluster.has_job(*type) && !is_task_type(*type, task_type::evaluator))
        throw tf_config_error("task.type", "`task_type` " + tf_repr(type) + " not found in cluster_spec.");
    if (cluster.count(task_type::chief) > 1)
        throw tf_config_error(tf_job_field(task_type::chief), "There must be at most one 'chief' job.");
    if (cluster.count(task_type::evaluator) > 1)
        throw tf_config_error(tf_job_field(task_type::evaluator), "There must be at most one 'evaluator' job.");
    if (type && cluster.has_job(*type)) {
        if (!task_id)
            throw tf_config_error("task.index",
                                  "is not set ('>=' not supported between instances of 'NoneType' and 'int')");
        if (!task_id->less_than(cluster.count(*type)))
            throw tf_config_error("task.index", "The `task_id` " + task_id->text + " exceeds the maximum id of " +
                                                    pyjson::shown(*type) + ".");
    }
}

/// multi_worker_util.is_chief: the chief, the evaluator (its own chief), or
/// worker 0 of a cluster without a chief.
inline bool tf2_is_chief(const tf_cluster_spec& cluster, const std::optional<std::string>& type,
                         const pyjson::integer* task_id) {
    validate_tf2_cluster(cluster, type, task_id);
    if (has_task_type(type, task_type::chief) || has_task_type(type, task_type::evaluator)) return true;
    return !cluster.has_job(task_type::chief) && has_task_type(type, task_type::worker) && task_id &&
           task_id->text == "0";
}

/// multi_worker_util.collective_leader: "" for a local run and for the evaluator.
inline std::string tf2_collective_leader(const tf_cluster_spec& cluster, const std::optional<std::string>& type,
                                         const pyjson::integer* task_id) {
    if (cluster.empty()) return "";
    validate_tf2_cluster(cluster, type, task_id);
    if (has_task_type(type, task_type::evaluator)) return "";
    return fmt::format("/job:{}/replica:0/task:0",
                       enum_name(cluster.has_job(task_type::chief) ? task_type::chief : task_type::worker));
}

/// multi_worker_util.worker_count: chief + workers, or the evaluators for
/// the evaluator (which it looks up in the cluster).
inline int tf2_worker_count(const tf_cluster_spec& cluster, const std::optional<std::string>& type) {
    const pyjson::integer zero;
    validate_tf2_cluster(cluster, type, &zero);
    if (!has_task_type(type, task_type::chief) && !has_task_type(type, task_type::worker) &&
        !has_task_type(type, task_type::evaluator))
        throw tf_config_error("task.type", "Unexpected `task_type` " + tf_repr(type));
    if (has_task_type(type, task_type::evaluator)) {
        if (!cluster.has_job(task_type::evaluator))
            throw tf_config_error("task.type",
                                  "KeyError: 'evaluator' (worker_count() looks the evaluator up in the cluster: an "
                                  "evaluator outside it runs without the strategy)");
        return cluster.count(task_type::evaluator);
    }
    return cluster.count(task_type::chief) + cluster.count(task_type::worker);
}

/// multi_worker_util.id_in_cluster: the chief 0, then the workers; the
/// evaluator its own index; no id for any other task.
inline int tf2_id_in_cluster(const tf_cluster_spec& cluster, const std::optional<std::string>& type,
                             const pyjson::integer* task_id) {
    validate_tf2_cluster(cluster, type, task_id);
    // Validated: the index of a chief or worker is in range; an evaluator's
    // that does not fit is refused by the reader.
    const int index = task_id && task_id->fits_int() ? static_cast<int>(*task_id->small) : 0;
    if (has_task_type(type, task_type::chief)) return 0;
    if (has_task_type(type, task_type::worker)) return index + cluster.count(task_type::chief);
    if (has_task_type(type, task_type::evaluator)) return index;
    throw tf_config_error("task.type", "There is no id for task_type " + tf_repr(type));
}

/// run_config._get_session_master for a validated task of a non-empty
/// cluster: session_master, "" for a cluster of one task, else
/// "grpc://" + the task's address (whatever the rpc_layer).
inline std::string estimator_session_master(const parsed_tf_config& config) {
    if (config.session_master) return *config.session_master;
    const auto& jobs = config.cluster.as_dict();
    if (jobs.size() == 1 && config.cluster.job_tasks_size(jobs.begin()->first) == 1) return "";
    const auto& tasks = config.cluster.tasks(config.task_type);
    const auto found = tasks.find(config.task_index.value_or(0));
    // A sparse job's job_tasks() has None where an index is missing.
    if (found == tasks.end()) throw tf_config_error("task.index", "can only concatenate str (not \"NoneType\") to str");
    return "grpc://" + found->second;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/tf_consumer_rules.hpp

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// Reads one TF_CONFIG document for one consumer.
class tf_config_reader {
    using value = pyjson::value;

public:
    explicit tf_config_reader(tf_consumer consumer) : consumer_(consumer) {}

    parsed_tf_config read(std::string_view text) {
        // An empty text goes to json.loads as it is: TensorFlow replaces only
        // an unset TF_CONFIG with "{}" (tf_config_from_env does the same).
        const value doc = load(text);
        if (doc.type != value::kind::dict)
            throw tf_config_error("$", std::string("TF_CONFIG must be a JSON object with \"cluster\" and \"task\", "
                                                   "not ") +
                                           pyjson::json_kind(doc));
        if (doc.find("sparseCluster"))
            throw tf_config_error(
                "sparseCluster",
                "TensorFlow does not read \"sparseCluster\" (the key Kubeflow training operator releases before "
                "1.7 wrote for enableDynamicWorker): it sees no cluster at all; the sparse form belongs under "
                "\"cluster\"");
        parsed_tf_config out;
        out.consumer = consumer_;
        // RunConfig reads model_dir first (_get_model_dir); no other consumer reads it.
        if (consumer_ == tf_consumer::estimator)
            out.model_dir = estimator_model_dir(doc.find("model_dir"));
        else if (const value* dir = doc.find("model_dir"); dir && dir->type == value::kind::string)
            out.model_dir = dir->text;
        out.environment = optional_string(doc, "environment", "such as \"cloud\"");
        if (out.environment && *out.environment == "google")
            throw tf_config_error(
                "environment",
                "\"google\" has a special meaning inside TensorFlow (Google's own infrastructure starts the "
                "servers): tf.estimator and the distribute coordinator then start no in-process server and the "
                "tasks never connect; launchers write \"cloud\"");
        out.rpc_layer = optional_string(doc, "rpc_layer", "such as \"grpc\"");
        out.session_master = optional_string(doc, "session_master", "such as \"grpc://host:2222\"");
        out.eval_session_master = optional_string(doc, "eval_session_master", "such as \"grpc://host:2222\"");

        static const value no_task = [] {
            value v;
            v.type = value::kind::dict;
            return v;
        }();
        const value* task = doc.find("task");
        if (!task) task = &no_task;
        if (task->type != value::kind::dict)
            throw tf_config_error("task", std::string("must be an object such as {\"type\": \"worker\", \"index\": "
                                                      "0}, not ") +
                                              pyjson::json_kind(*task));
        raw_type_ = task->find("type");
        raw_index_ = task->find("index");

        if (consumer_ == tf_consumer::estimator) {
            if (const value* service = doc.find("service");
                service && service->type != value::kind::none && service->type != value::kind::dict)
                throw tf_config_error("service", std::string("If \"service\" is set in TF_CONFIG, it must be a dict. "
                                                             "Given <class '") +
                                                     pyjson::type_name(*service) + "'>");
        }
        cluster_ = read_cluster(doc.find("cluster"));

        if (consumer_ == tf_consumer::estimator) check_estimator();
        // TFConfigClusterResolver.task_type / task_id.
        if (raw_type_) type_ = pyjson::str(*raw_type_);
        if (raw_index_) index_ = to_int(*raw_index_, "task.index");
        switch (consumer_) {
            case tf_consumer::custom:
                check_custom();
                break;
            case tf_consumer::estimator:
                break;
            case tf_consumer::parameter_server_strategy:
                check_parameter_server_strategy();
                break;
            case tf_consumer::multi_worker_mirrored_strategy:
                check_multi_worker_mirrored_strategy();
                break;
        }

        out.cluster = std::move(cluster_);
        out.task_type = type_.value_or("");
        if (index_) {
            if (!index_->fits_int())
                throw tf_config_error("task.index", index_->text + " does not fit a task index (at most " +
                                                        std::to_string(std::numeric_limits<int>::max()) + ")");
            out.task_index = static_cast<int>(*index_->small);
        }
        // RunConfig looks its master up; a sparse job's hole fails there.
        if (consumer_ == tf_consumer::estimator && !out.cluster.empty() &&
            !is_task_type(out.task_type, task_type::evaluator))
            estimator_session_master(out);
        return out;
    }

private:
    /// json.loads(text); its JSONDecodeError is about the whole document.
    static value load(std::string_view text) {
        try {
            return pyjson::reader(text).read();
        } catch (const pyjson::python_error& e) {
            throw tf_config_error("$", e.what());
        }
    }

    /// int(v), Python's error at `field`.
    static pyjson::integer to_int(const value& v, const std::string& field) {
        try {
            return pyjson::to_int(v);
        } catch (const pyjson::python_error& e) {
            throw tf_config_error(field, e.what());
        }
    }

    /// run_config._get_model_dir, then _validate_properties' rule for it.
    static std::optional<std::string> estimator_model_dir(const value* dir) {
        if (!dir || dir->type == value::kind::none) return std::nullopt;
        if (dir->type == value::kind::string) {
            if (dir->text.empty()) throw tf_config_error("model_dir", "model_dir in TF_CONFIG should be non-empty.");
            return dir->text;
        }
        if (!pyjson::truthy(*dir)) throw tf_config_error("model_dir", "model_dir should be non-empty");
        throw tf_config_error("model_dir", std::string("must be a string such as \"gs://bucket/model\", not ") +
                                               pyjson::json_kind(*dir) +
                                               " (RunConfig keeps it; the Estimator fails when it uses it as a path)");
    }

    static std::optional<std::string> optional_string(const value& doc, const char* key, const char* example) {
        const value* v = doc.find(key);
        if (!v || v->type == value::kind::none) return std::nullopt;
        if (v->type != value::kind::string)
            throw tf_config_error(key, std::string("must be a string ") + example + ", not " + pyjson::json_kind(*v));
        return v->text;
    }

    /// tf.train.ClusterSpec(cluster): the job values in the document's
    /// order, then the addresses job by job (sorted) and task by task.
    static tf_cluster_spec read_cluster(const value* cluster) {
        if (!cluster) return {};
        if (cluster->type != value::kind::dict)
            throw tf_config_error("cluster",
                                  "`cluster` must be a dictionary mapping one or more job names to lists of network "
                                  "addresses, or a `ClusterDef` protocol buffer");
        struct pending {
            pyjson::integer index;
            std::string field;
            const value* address;
        };
        std::map<std::string, std::vector<pending>> jobs;
        for (std::size_t j = 0; j < cluster->keys.size(); ++j) {
            const std::string& name = cluster->keys[j];
            const value& tasks = cluster->items[j];
            const std::string field = tf_job_field(name);
            auto& list = jobs[name];
            if (tasks.type == value::kind::list) {
                for (std::size_t i = 0; i < tasks.items.size(); ++i)
                    list.push_back({pyjson::integer::from_digits(false, std::to_string(i)),
                                    field + "[" + std::to_string(i) + "]", &tasks.items[i]});
            } else if (tasks.type == value::kind::dict) {
                for (std::size_t i = 0; i < tasks.keys.size(); ++i) {
                    const std::string key_field = field + "[" + quote_json(tasks.keys[i]) + "]";
                    value key;
                    key.type = value::kind::string;
                    key.text = tasks.keys[i];
                    pyjson::integer index;
                    try {
                        index = pyjson::to_int(key);
                    } catch (const pyjson::python_error& e) {
                        throw tf_config_error(key_field, std::string(e.what()) + " (The tasks for job " +
                                                             pyjson::repr_string(name) +
                                                             " must be a list or a dictionary from integers to "
                                                             "strings.)");
                    }
                    // {int(i): task ...}: a repeated index keeps the last address.
                    const auto same = std::find_if(list.begin(), list.end(),
                                                   [&](const pending& p) { return p.index.text == index.text; });
                    if (same != list.end())
                        *same = {std::move(index), key_field, &tasks.items[i]};
                    else
                        list.push_back({std::move(index), key_field, &tasks.items[i]});
                }
            } else {
                throw tf_config_error(field, "The tasks for job " + pyjson::repr_string(name) +
                                                 " must be a list or a dictionary from integers to strings.");
            }
        }
        tf_cluster_spec::cluster_map out;
        for (auto& [name, list] : jobs) {
            std::sort(list.begin(), list.end(), [](const pending& a, const pending& b) { return a.index < b.index; });
            auto& job = out[name];
            for (const auto& task : list) {
                if (task.address->type != value::kind::string)
                    throw tf_config_error(task.field,
                                          "Task address " + pyjson::repr(*task.address) + " must be bytes or unicode");
                // The indices of a ClusterDef are int32.
                if (!task.index.fits_int()) throw tf_config_error(task.field, "Value out of range: " + task.index.text);
                job.emplace(static_cast<int>(*task.index.small), task.address->text);
            }
        }
        return tf_cluster_spec(std::move(out));
    }

    std::string repr_type() const { return pyjson::repr_string(*type_); }

    /// For code that builds its own tf.train.ClusterSpec and Server: the
    /// task must be one of the cluster (task_address() must find it); an
    /// evaluator may run outside it. An empty cluster is a local run.
    void check_custom() const {
        if (cluster_.empty() || !type_ || is_task_type(*type_, task_type::evaluator)) return;
        if (!cluster_.has_job(*type_)) throw tf_config_error("task.type", "No such job in cluster: " + repr_type());
        if (!index_) return;
        const auto& tasks = cluster_.tasks(*type_);
        if (!index_->fits_int() || tasks.find(static_cast<int>(*index_->small)) == tasks.end())
            throw tf_config_error("task.index", "No task with index " + index_->text + " in job " + repr_type());
    }

    /// tf.distribute.experimental.ParameterServerStrategy (TF2):
    /// _verify_args_and_config, then the coordinator, which runs as "chief".
    void check_parameter_server_strategy() const {
        if (cluster_.empty())
            throw tf_config_error(
                "cluster", "Cluster spec must be non-empty in `tf.distribute.cluster_resolver.ClusterResolver`.");
        validate_tf2_cluster(cluster_, type_, index_ ? &*index_ : nullptr);
        if (cluster_.count(task_type::ps) < 1) throw tf_config_error(tf_job_field(task_type::ps), tf_needs_a_ps);
        if (cluster_.count(task_type::worker) < 1)
            throw tf_config_error(tf_job_field(task_type::worker), tf_needs_a_worker);
        if (!cluster_.has_job(task_type::chief))
            throw tf_config_error(tf_job_field(task_type::chief), tf_coordinator_needs_chief);
    }

    /// tf.distribute.MultiWorkerMirroredStrategy: an empty cluster is a local
    /// run; else _initialize_multi_worker (id_in_cluster, worker_count).
    void check_multi_worker_mirrored_strategy() const {
        if (cluster_.empty()) return;
        if (!type_ || !index_)
            throw tf_config_error("task",
                                  "When `cluster_spec` is given, you must also specify `task_type` and `task_id`.");
        tf2_id_in_cluster(cluster_, type_, &*index_);
        if (tf2_worker_count(cluster_, type_) == 0)
            throw tf_config_error("cluster",
                                  "No `worker`, `chief` or `evaluator` tasks can be found in `cluster_spec`.");
        if (cluster_.has_job(task_type::ps)) throw tf_config_error(tf_job_field(task_type::ps), tf_mirrored_has_no_ps);
    }

    static bool is_string(const value* v, std::string_view text) {
        return v && v->type == value::kind::string && v->text == text;
    }

    /// tf.estimator.RunConfig: _init_distributed_setting_from_environment_var.
    void check_estimator() const {
        if (cluster_.empty()) {
            // Local mode: task type defaults to worker, index to 0.
            const pyjson::integer index = raw_index_ ? to_int(*raw_index_, "task.index") : pyjson::integer{};
            if (raw_type_ && !is_string(raw_type_, enum_name(task_type::worker)))
                throw tf_config_error("task.type", "If \"cluster\" is not set in TF_CONFIG, task type must be WORKER.");
            if (index.text != "0")
                throw tf_config_error("task.index", "If \"cluster\" is not set in TF_CONFIG, task index must be 0.");
            return;
        }
        if (cluster_.has_job(master_job)) {
            // The legacy cluster with a master instead of a chief.
            if (cluster_.has_job(task_type::chief))
                throw tf_config_error(tf_job_field(task_type::chief),
                                      "If `master` node exists in `cluster`, job `chief` is not "
                                      "supported.");
            check_estimator_task(master_job);
            if (is_string(raw_type_, enum_name(task_type::evaluator)))
                throw tf_config_error("task.type",
                                      "If `master` node exists in `cluster`, task_type `evaluator` is not "
                                      "supported.");
            return;
        }
        check_estimator_task(enum_name(task_type::chief));
    }

    /// run_config._validate_task_type_and_task_id.
    void check_estimator_task(std::string_view chief) const {
        const auto chief_field = tf_job_field(chief);
        if (!cluster_.has_job(chief) || cluster_.tasks(chief).empty())
            throw tf_config_error(chief_field, tf_estimator_needs_one(chief));
        if (cluster_.tasks(chief).rbegin()->first > 0)  // len(job_tasks(chief)) > 1: highest index + 1
            throw tf_config_error(chief_field,
                                  fmt::format("The \"cluster\" in TF_CONFIG must have only one \"{}\" node.", chief));
        if (!raw_type_ || !pyjson::truthy(*raw_type_))
            throw tf_config_error("task.type", "If \"cluster\" is set in TF_CONFIG, task type must be set.");
        if (!raw_index_ || raw_index_->type == value::kind::none)
            throw tf_config_error("task.index", "If \"cluster\" is set in TF_CONFIG, task index must be set.");
        const auto index = to_int(*raw_index_, "task.index");
        if (index.less_than(0)) throw tf_config_error("task.index", "Task index must be non-negative number.");
        // The evaluator is not part of the training cluster: no upper bound.
        if (is_string(raw_type_, enum_name(task_type::evaluator))) return;
        const std::string type = pyjson::str(*raw_type_);
        const std::string note = "\n\nNote that these values may be coming from the TF_CONFIG environment variable.";
        if (raw_type_->type != value::kind::string || !cluster_.has_job(type))
            throw tf_config_error("task.type", fmt::format("{} is not a valid task_type in the cluster_spec:\n{}{}",
                                                           pyjson::shown(type), cluster_.str(), note));
        const auto& tasks = cluster_.tasks(type);
        const std::int64_t size = tasks.empty() ? 0 : std::int64_t{tasks.rbegin()->first} + 1;  // len(job_tasks(type))
        if (!index.less_than(size))
            throw tf_config_error("task.index",
                                  fmt::format("{} is not a valid task_id for task_type {} in the cluster_spec:\n{}{}",
                                              index.text, pyjson::shown(type), cluster_.str(), note));
    }

    tf_consumer consumer_;
    tf_cluster_spec cluster_;
    const value* raw_type_ = nullptr;
    const value* raw_index_ = nullptr;
    std::optional<std::string> type_;
    std::optional<pyjson::integer> index_;
};

}  // namespace detail
TRAINSPEC_END_NAMESPACE
// end file include/trainspec/detail/tf_config_reader.hpp

TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_INLINE parsed_tf_config parse_tf_config(std::string_view text, tf_consumer consumer) {
    return detail::tf_config_reader(consumer).read(text);
}

TRAINSPEC_INLINE parsed_tf_config tf_config_from_env(tf_consumer consumer) {
    // os.environ.get('TF_CONFIG', '{}')
    const char* text = std::getenv("TF_CONFIG");
    return parse_tf_config(text == nullptr ? "{}" : text, consumer);
}
TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/consume/tf_config.hpp
// begin file include/trainspec/consume/multi_worker_util.hpp
// tf.distribute's multi_worker_util on a cluster as TFConfigClusterResolver
// reads it: the answers the TF2 strategies get, or TensorFlow's error
// (tf_config_error, field and message). A task type of std::nullopt is
// Python's None, as is a task id of std::nullopt.

#include <optional>
#include <string>


TRAINSPEC_BEGIN_NAMESPACE
namespace multi_worker_util {

/// _validate_cluster_spec: only chief, worker, evaluator and ps jobs; the
/// task's job in the cluster (the evaluator may be outside); at most one
/// chief and one evaluator; the id in range.
void validate_cluster_spec(const tf_cluster_spec& cluster, const std::optional<std::string>& task_type,
                           std::optional<long long> task_id);

/// The chief; worker 0 of a cluster without a chief; the evaluator.
bool is_chief(const tf_cluster_spec& cluster, const std::optional<std::string>& task_type,
              std::optional<long long> task_id);

/// The leader of collective ops: "/job:chief/replica:0/task:0", else worker
/// 0's; "" for an empty cluster and for the evaluator.
std::string collective_leader(const tf_cluster_spec& cluster, const std::optional<std::string>& task_type,
                              std::optional<long long> task_id);

/// Chief + workers (the evaluator: the evaluators); a ps raises.
int worker_count(const tf_cluster_spec& cluster, const std::optional<std::string>& task_type);

/// The chief 0, workers after it, the evaluator its index; a ps raises.
int id_in_cluster(const tf_cluster_spec& cluster, const std::optional<std::string>& task_type,
                  std::optional<long long> task_id);

}  // namespace multi_worker_util
TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS

TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_INLINE void multi_worker_util::validate_cluster_spec(const tf_cluster_spec& cluster,
                                                               const std::optional<std::string>& task_type,
                                                               std::optional<long long> task_id) {
    const auto id = detail::tf_task_id(task_id);
    detail::validate_tf2_cluster(cluster, task_type, id ? &*id : nullptr);
}

TRAINSPEC_INLINE bool multi_worker_util::is_chief(const tf_cluster_spec& cluster,
                                                  const std::optional<std::string>& task_type,
                                                  std::optional<long long> task_id) {
    const auto id = detail::tf_task_id(task_id);
    return detail::tf2_is_chief(cluster, task_type, id ? &*id : nullptr);
}

TRAINSPEC_INLINE std::string multi_worker_util::collective_leader(const tf_cluster_spec& cluster,
                                                                  const std::optional<std::string>& task_type,
                                                                  std::optional<long long> task_id) {
    const auto id = detail::tf_task_id(task_id);
    return detail::tf2_collective_leader(cluster, task_type, id ? &*id : nullptr);
}

TRAINSPEC_INLINE int multi_worker_util::worker_count(const tf_cluster_spec& cluster,
                                                     const std::optional<std::string>& task_type) {
    return detail::tf2_worker_count(cluster, task_type);
}

TRAINSPEC_INLINE int multi_worker_util::id_in_cluster(const tf_cluster_spec& cluster,
                                                      const std::optional<std::string>& task_type,
                                                      std::optional<long long> task_id) {
    const auto id = detail::tf_task_id(task_id);
    return detail::tf2_id_in_cluster(cluster, task_type, id ? &*id : nullptr);
}
TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/consume/multi_worker_util.hpp
// begin file include/trainspec/consume/consumer_views.hpp
// What each consumer concludes from a TF_CONFIG it accepts: the properties
// of tf.estimator.RunConfig, and multi_worker_util's answers for the TF2
// strategies. parsed_tf_config itself is TFConfigClusterResolver's view (the
// `custom` consumer). docs/tf_config.md gives the rules and their sources.

#include <optional>
#include <string>
#include <utility>
#include <vector>


TRAINSPEC_BEGIN_NAMESPACE

/// tf.estimator.RunConfig's distributed properties, under RunConfig's names.
struct run_config_view {
    /// {} in local mode and for the evaluator, which is not part of the
    /// training cluster.
    tf_cluster_spec cluster_spec;
    std::string task_type = "worker";  ///< "worker" in local mode
    int task_id = 0;
    std::string master;             ///< "grpc://host:port", "" for one task, or session_master
    std::string evaluation_master;  ///< eval_session_master for the evaluator (and in local mode)
    bool is_chief = true;           ///< the chief (or master); never the evaluator
    int num_worker_replicas = 1;    ///< chief (or master) + workers; 0 for the evaluator
    int num_ps_replicas = 0;
    std::optional<int> global_id_in_cluster = 0;  ///< chief 0, other jobs by name, ps last; None for the evaluator
    std::optional<std::string> model_dir;
    /// session_config.device_filters RunConfig sets for between-graph
    /// training: whom this task talks to. None when it sets no session_config.
    std::optional<std::vector<std::string>> device_filters;
};

/// What RunConfig() concludes from a TF_CONFIG read with
/// tf_consumer::estimator. Throws std::invalid_argument for one read with
/// another consumer's rules (RunConfig's were not checked).
run_config_view run_config_of(const parsed_tf_config& config);

/// What the TF2 strategies conclude through multi_worker_util (and, for a
/// local run, MultiWorkerMirroredStrategy's _initialize_local).
struct strategy_view {
    bool local = true;     ///< no cluster: this process trains alone
    bool is_chief = true;  ///< the chief; worker 0 without one; the evaluator
    std::optional<int> id_in_cluster = 0;
    std::optional<int> worker_count = 1;
    std::string collective_leader;  ///< "/job:chief/replica:0/task:0"; "" locally and for the evaluator
    /// The jobs that train: chief and worker for MultiWorkerMirroredStrategy;
    /// chief (the coordinator), ps and worker for ParameterServerStrategy.
    std::vector<std::string> training_jobs;
    bool in_training_cluster = true;  ///< whether this task is of one of them
    /// The functions that raise for this task, with TensorFlow's message
    /// (a ps has no id_in_cluster or worker_count).
    std::vector<std::pair<std::string, std::string>> errors;
};

/// What multi_worker_util answers for the task of a TF_CONFIG read with
/// tf_consumer::parameter_server_strategy or multi_worker_mirrored_strategy.
/// Throws std::invalid_argument for one read with another consumer's rules.
strategy_view strategy_view_of(const parsed_tf_config& config);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <algorithm>
#include <stdexcept>


TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline void require_consumer(const parsed_tf_config& config, bool expected, const char* function,
                             const char* consumers) {
    if (!expected)
        throw std::invalid_argument(std::string(function) + ": the TF_CONFIG was read with the rules of " +
                                    std::string(enum_name(config.consumer)) + "; read it with " + consumers);
}

/// run_config._get_global_id_in_cluster: the chief job first, the other
/// jobs by name, ps last, each counting len(job_tasks()).
inline int estimator_global_id(const tf_cluster_spec& cluster, const std::string& chief_job, const std::string& type,
                               int index) {
    const std::string ps(enum_name(task_type::ps));
    int next = 0;
    auto id_after = [&](const std::string& job) -> std::optional<int> {
        if (job == type) return next + index;
        next += cluster.job_tasks_size(job);
        return std::nullopt;
    };
    if (auto id = id_after(chief_job)) return *id;
    for (const auto& job : cluster.as_dict())
        if (job.first != chief_job && job.first != ps)
            if (auto id = id_after(job.first)) return *id;
    return next + index;  // validated: the task is a ps
}

/// RunConfig._get_default_session_config_distributed's device filters.
inline std::optional<std::vector<std::string>> estimator_device_filters(const std::string& type, int index) {
    const std::string ps = "/job:ps";
    if (type == master_job) return std::vector<std::string>{ps, "/job:master"};
    if (is_task_type(type, task_type::chief)) return std::vector<std::string>{ps, "/job:chief"};
    if (is_task_type(type, task_type::worker))
        return std::vector<std::string>{ps, "/job:worker/task:" + std::to_string(index)};
    if (is_task_type(type, task_type::ps))
        return std::vector<std::string>{ps, "/job:worker", "/job:chief", "/job:master"};
    return std::nullopt;
}

}  // namespace detail

TRAINSPEC_INLINE run_config_view run_config_of(const parsed_tf_config& config) {
    detail::require_consumer(config, config.consumer == tf_consumer::estimator, "run_config_of",
                             "tf_consumer::estimator");
    run_config_view view;
    view.model_dir = config.model_dir;
    if (config.cluster.empty()) {  // local mode; the reader checked the task is worker 0
        view.master = config.session_master.value_or("");
        view.evaluation_master = config.eval_session_master.value_or("");
        return view;
    }
    view.task_type = config.task_type;
    view.task_id = config.task_index.value_or(0);
    if (detail::is_task_type(config.task_type, task_type::evaluator)) {
        view.evaluation_master = config.eval_session_master.value_or("");
        view.is_chief = false;
        view.num_worker_replicas = 0;
        view.global_id_in_cluster.reset();
        return view;
    }
    const std::string chief_job(config.cluster.has_job(detail::master_job) ? detail::master_job
                                                                           : enum_name(task_type::chief));
    view.cluster_spec = config.cluster;
    view.master = detail::estimator_session_master(config);
    view.is_chief = config.task_type == chief_job;
    view.num_worker_replicas = config.cluster.count(task_type::worker) + config.cluster.count(chief_job);
    view.num_ps_replicas = config.cluster.count(task_type::ps);
    view.global_id_in_cluster = detail::estimator_global_id(config.cluster, chief_job, view.task_type, view.task_id);
    view.device_filters = detail::estimator_device_filters(view.task_type, view.task_id);
    return view;
}

TRAINSPEC_INLINE strategy_view strategy_view_of(const parsed_tf_config& config) {
    const bool parameter_servers = config.consumer == tf_consumer::parameter_server_strategy;
    detail::require_consumer(
        config, parameter_servers || config.consumer == tf_consumer::multi_worker_mirrored_strategy, "strategy_view_of",
        "tf_consumer::parameter_server_strategy or tf_consumer::multi_worker_mirrored_strategy");
    strategy_view view;
    if (config.cluster.empty()) return view;  // MultiWorkerMirroredStrategy's local run
    view.local = false;
    // The reader refused a type of "": an empty one is None.
    const auto type = config.task_type.empty() ? std::nullopt : std::optional<std::string>(config.task_type);
    const auto id = detail::tf_task_id(config.task_index);
    const auto* task_id = id ? &*id : nullptr;
    view.is_chief = detail::tf2_is_chief(config.cluster, type, task_id);
    view.collective_leader = detail::tf2_collective_leader(config.cluster, type, task_id);
    auto record = [&](const char* function, auto answer, auto& into) {
        try {
            into = answer();
        } catch (const tf_config_error& e) {
            into.reset();
            view.errors.emplace_back(function, e.rule());
        }
    };
    record(
        "id_in_cluster", [&] { return detail::tf2_id_in_cluster(config.cluster, type, task_id); }, view.id_in_cluster);
    record(
        "worker_count", [&] { return detail::tf2_worker_count(config.cluster, type); }, view.worker_count);
    for (const auto& job : config.cluster.as_dict()) {
        const auto known = enum_from_name<task_type>(job.first);
        if (known == task_type::chief || known == task_type::worker || (parameter_servers && known == task_type::ps))
            view.training_jobs.push_back(job.first);
    }
    view.in_training_cluster =
        std::find(view.training_jobs.begin(), view.training_jobs.end(), config.task_type) != view.training_jobs.end();
    return view;
}

TRAINSPEC_END_NAMESPACE
#endif
// end file include/trainspec/consume/consumer_views.hpp
// clang-format on
// end file include/trainspec/trainspec.hpp
