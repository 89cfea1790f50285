// Azure ML spells the backend as a string; here it is a type, so that the job's
// type knows it.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
                         .node_count(2)
#ifdef TRAINSPEC_MISUSE
                         .distributed_backend("mpi");
#else
                         .distributed_backend(trainspec::mpi{});
#endif
    return estimator.build().node_count();
}
