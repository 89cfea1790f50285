// An MPI job with no process per node launches no ranks.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
                         .node_count<2>()
                         .distributed_backend(trainspec::mpi{})
#ifdef TRAINSPEC_MISUSE
                         .process_count_per_node<0>();
#else
                         .process_count_per_node<1>();
#endif
    return estimator.build().process_count_per_node();
}
