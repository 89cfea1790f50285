// tf_configs(), every task's TF_CONFIG, is refused for an mpi plan just like
// tf_config().
#include <trainspec/trainspec.hpp>

int main() {
    const auto job = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
#ifdef TRAINSPEC_MISUSE
                         .distributed_backend(trainspec::mpi{})
                         .process_count_per_node<4>()
#else
                         .distributed_backend(trainspec::multi_worker{})
#endif
                         .node_count<2>()
                         .build();
    const auto cluster = trainspec::plan(job);
    return static_cast<int>(trainspec::tf_configs(cluster).size());
}
