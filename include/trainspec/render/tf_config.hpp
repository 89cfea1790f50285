#pragma once
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

#include <trainspec/detail/linkage.hpp>
#include <trainspec/error.hpp>
#include <trainspec/plan.hpp>
#include <trainspec/spec/tf_config_options.hpp>
#include <trainspec/version.hpp>

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
#include <trainspec/detail/tf_config_writer.hpp>
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
