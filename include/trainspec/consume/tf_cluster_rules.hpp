#pragma once
// The cluster rules of the TensorFlow API that reads TF_CONFIG (the
// consumer), applied to the cluster a profile writes. A cluster TensorFlow
// would reject never renders; the messages use TensorFlow's own wording
// where TensorFlow has one, so that users can search for them.

#include <string>
#include <string_view>

#include <fmt/format.h>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/error.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/task_type.hpp>
#include <trainspec/spec/tf_config_options.hpp>
#include <trainspec/version.hpp>

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
