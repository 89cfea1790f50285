// A single-node job is one process: there is no cluster to describe, so its
// plan has no TF_CONFIG.
#include <trainspec/trainspec.hpp>

int main() {
    const auto job = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
#ifndef TRAINSPEC_MISUSE
                         .distributed_backend(trainspec::multi_worker{})
                         .node_count<2>()
#endif
                         .build();
    const auto cluster = trainspec::plan(job);
    const auto json = trainspec::tf_config(cluster, trainspec::task_type::worker, 0);
    return json ? 0 : 1;
}
