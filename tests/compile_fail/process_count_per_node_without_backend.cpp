// Several processes per node need an MPI launcher to start them; a single-node
// job runs one process.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
#ifndef TRAINSPEC_MISUSE
                         .distributed_backend(trainspec::mpi{})
#endif
                         .process_count_per_node(4);
    return estimator.build().node_count();
}
