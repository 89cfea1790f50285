// The ranks of an MPI job find each other through MPI: a plan of an mpi job
// has no TF_CONFIG, and asking for one does not compile.
#include <trainspec/trainspec.hpp>

int main() {
    const auto job = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
#ifdef TRAINSPEC_MISUSE
                         .distributed_backend(trainspec::mpi{})
#else
                         .distributed_backend(trainspec::parameter_server{})
#endif
                         .node_count<2>()
                         .build();
    const auto cluster = trainspec::plan(job);
    const auto json = trainspec::tf_config(cluster, trainspec::task_type::worker, 0);
    return json ? 0 : 1;
}
