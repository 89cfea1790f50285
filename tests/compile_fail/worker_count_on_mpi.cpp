// Horovod starts node_count x process_count_per_node ranks; an MPI job has no
// TensorFlow workers to count.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
                         .node_count(2)
                         .distributed_backend(trainspec::mpi{})
#ifdef TRAINSPEC_MISUSE
                         .worker_count(4);
#else
                         .process_count_per_node(2);
#endif
    return estimator.build().node_count();
}
