#pragma once
// The distributed backends. Each is a type (so that the backend can be part
// of a job's type) and an enumerator (for the runtime front end).

#include <optional>
#include <string_view>
#include <type_traits>

#include <trainspec/spec/enum_names.hpp>
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
