#pragma once
// The rules of a TensorFlow cluster (ps and multi_worker jobs) and of the
// names Kubernetes derives from the job.

#include <string>

#include <fmt/format.h>

#include <trainspec/consume/tf_cluster_rules.hpp>
#include <trainspec/detail/rule_context.hpp>
#include <trainspec/detail/rules.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/names.hpp>
#include <trainspec/spec/resource_names.hpp>
#include <trainspec/version.hpp>

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
