#pragma once
// The TFJob (kubeflow.org/v1) of a parameter-server or multi-worker job
// (docs/kubeflow.md).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <trainspec/detail/kubeflow_checks.hpp>
#include <trainspec/detail/kubeflow_pod.hpp>
#include <trainspec/detail/tf_config_writer.hpp>
#include <trainspec/launch.hpp>
#include <trainspec/plan.hpp>
#include <trainspec/render/kubeflow_options.hpp>
#include <trainspec/render/tf_config.hpp>
#include <trainspec/render/training_command.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/version.hpp>

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
