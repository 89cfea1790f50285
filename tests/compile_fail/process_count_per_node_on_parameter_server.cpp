// A parameter-server job starts one process per task, placed by TF_CONFIG;
// processes per node are an MPI launch setting.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
                         .node_count(2)
#ifdef TRAINSPEC_MISUSE
                         .distributed_backend(trainspec::parameter_server{})
#else
                         .distributed_backend(trainspec::mpi{})
#endif
                         .process_count_per_node(4);
    return estimator.build().node_count();
}
