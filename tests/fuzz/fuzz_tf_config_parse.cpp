// libFuzzer target: parse_tf_config with every consumer. A crash, a
// sanitizer report or any exception other than tf_config_error is a bug;
// so is a parsed cluster whose JSON form does not read back the same, and a
// consumer's view that fails for a TF_CONFIG the consumer accepted.

#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include <trainspec/consume/consumer_views.hpp>
#include <trainspec/consume/tf_config.hpp>

#include "property_check.hpp"

namespace {

using property_check::require;

void check_parsed(const trainspec::parsed_tf_config& parsed) {
    (void)parsed.is_chief();
    (void)parsed.num_workers();
    (void)parsed.num_ps();
    try {
        (void)parsed.master();
    } catch (const trainspec::tf_config_error&) {
    }
    try {
        (void)parsed.task_address();
    } catch (const trainspec::tf_config_error&) {
    }
    const auto& cluster = parsed.cluster;
    for (const auto& job : cluster.jobs()) {
        const auto indices = cluster.task_indices(job);
        require(cluster.num_tasks(job) == static_cast<int>(indices.size()), "num_tasks == len(task_indices)");
        for (int index : indices) (void)cluster.task_address(job, index);
        (void)cluster.is_dense(job);
    }
    (void)cluster.str();
    if (parsed.consumer == trainspec::tf_consumer::estimator) {
        const auto view = trainspec::run_config_of(parsed);  // the reader refused what RunConfig raises for
        require(view.task_type != "evaluator" || (!view.is_chief && view.num_worker_replicas == 0 &&
                                                  !view.global_id_in_cluster && view.cluster_spec.empty()),
                "RunConfig takes the evaluator out of the training cluster");
        require(!view.is_chief || view.global_id_in_cluster == 0, "the chief's global id is 0");
    } else if (parsed.consumer != trainspec::tf_consumer::custom) {
        const auto view = trainspec::strategy_view_of(parsed);
        require(!view.local || parsed.cluster.empty(), "a local run has no cluster");
        require(view.errors.size() <= 2, "only id_in_cluster and worker_count may raise");
    }
    const auto again = trainspec::parse_tf_config("{\"cluster\":" + cluster.to_json() + "}");
    require(again.cluster == cluster, "the cluster's JSON form reads back as the same cluster");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        for (auto consumer : {trainspec::tf_consumer::custom, trainspec::tf_consumer::estimator,
                              trainspec::tf_consumer::parameter_server_strategy,
                              trainspec::tf_consumer::multi_worker_mirrored_strategy}) {
            std::optional<trainspec::parsed_tf_config> parsed;
            try {
                parsed = trainspec::parse_tf_config(text, consumer);
            } catch (const trainspec::tf_config_error& e) {
                require(std::string_view(e.what()).size() >= e.rule().size(), "what() holds the message");
                continue;
            }
            check_parsed(*parsed);
        }
    } catch (const std::exception& e) {
        require(false, "no unexpected exception", e.what());
    }
    return 0;
}
