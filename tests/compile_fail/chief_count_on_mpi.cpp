// Rank 0 of an MPI job plays the chief's part already; a separate chief task
// exists only in a parameter-server cluster.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
#ifdef TRAINSPEC_MISUSE
                         .distributed_backend(trainspec::mpi{})
#else
                         .distributed_backend(trainspec::parameter_server{})
#endif
                         .chief_count(1);
    return estimator.build().node_count();
}
