// Two nodes need a backend that starts and connects processes on both of them;
// without one the second node would idle.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
#ifndef TRAINSPEC_MISUSE
                         .distributed_backend(trainspec::mpi{})
#endif
                         .node_count<2>();
    return estimator.build().node_count();
}
