#pragma once
// How TF_CONFIG is written (the profile) and which TensorFlow API reads it
// (the consumer). One plan, several launchers' conventions; the consumer
// decides which cluster shapes are an error.

#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include <trainspec/version.hpp>

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

constexpr std::string_view profile_name(tf_profile p) noexcept {
    switch (p) {
        case tf_profile::tf2:
            return "tf2";
        case tf_profile::estimator:
            return "estimator";
        case tf_profile::kubeflow:
            return "kubeflow";
        case tf_profile::azureml_v1:
            return "azureml-v1";
        case tf_profile::sagemaker:
            return "sagemaker";
    }
    return "";
}

constexpr std::optional<tf_profile> profile_from_name(std::string_view name) noexcept {
    for (auto p :
         {tf_profile::tf2, tf_profile::estimator, tf_profile::kubeflow, tf_profile::azureml_v1, tf_profile::sagemaker})
        if (profile_name(p) == name) return p;
    return std::nullopt;
}

inline constexpr std::string_view profile_names = "tf2, estimator, kubeflow, azureml-v1, sagemaker";

constexpr std::string_view consumer_name(tf_consumer c) noexcept {
    switch (c) {
        case tf_consumer::custom:
            return "custom";
        case tf_consumer::estimator:
            return "estimator";
        case tf_consumer::parameter_server_strategy:
            return "parameter_server_strategy";
        case tf_consumer::multi_worker_mirrored_strategy:
            return "multi_worker_mirrored_strategy";
    }
    return "";
}

constexpr std::optional<tf_consumer> consumer_from_name(std::string_view name) noexcept {
    for (auto c : {tf_consumer::custom, tf_consumer::estimator, tf_consumer::parameter_server_strategy,
                   tf_consumer::multi_worker_mirrored_strategy})
        if (consumer_name(c) == name) return c;
    return std::nullopt;
}

inline constexpr std::string_view consumer_names =
    "custom, estimator, parameter_server_strategy, multi_worker_mirrored_strategy";

/// The spec's `tf_config` object: every field optional.
struct tf_config_settings {
    std::optional<tf_profile> profile;
    std::optional<tf_consumer> consumer;
    std::optional<std::string> rpc_layer;  ///< e.g. "grpc"; written as "rpc_layer"
    std::optional<bool> sparse;            ///< Kubeflow's enableDynamicWorker form

    friend bool operator==(const tf_config_settings& a, const tf_config_settings& b) {
        return std::tie(a.profile, a.consumer, a.rpc_layer, a.sparse) ==
               std::tie(b.profile, b.consumer, b.rpc_layer, b.sparse);
    }
    friend bool operator!=(const tf_config_settings& a, const tf_config_settings& b) { return !(a == b); }
};

TRAINSPEC_END_NAMESPACE
