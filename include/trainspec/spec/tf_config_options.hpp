#pragma once
// How TF_CONFIG is written (the profile) and which TensorFlow API reads it
// (the consumer). One plan, several launchers' conventions; the consumer
// decides which cluster shapes are an error.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <trainspec/detail/member_equality.hpp>
#include <trainspec/spec/enum_names.hpp>
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
