// single_node is what a job is when no backend is chosen; choosing it reads as
// if the job were distributed.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
#ifdef TRAINSPEC_MISUSE
                         .distributed_backend(trainspec::single_node{})
#endif
                         .compute_target("gpu-cluster");
    return estimator.build().node_count();
}
