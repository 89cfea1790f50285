#pragma once
// The distributed backends. Each is a type (so that the backend can be part
// of a job's type) and an enumerator (for the runtime front end).

#include <optional>
#include <string_view>
#include <type_traits>

#include <trainspec/version.hpp>

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

/// The backend in messages and comments: its spec name, "single-node" for none.
constexpr std::string_view backend_label(backend_kind kind) noexcept {
    return kind == backend_kind::single_node ? "single-node" : spec_name(kind);
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
