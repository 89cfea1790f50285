// A run-time node count after a compile-time one would undo what the type has
// already checked.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
                         .distributed_backend(trainspec::mpi{})
                         .node_count<2>()
#ifdef TRAINSPEC_MISUSE
                         .node_count(4)
#endif
                         .process_count_per_node(2);
    return estimator.build().node_count();
}
