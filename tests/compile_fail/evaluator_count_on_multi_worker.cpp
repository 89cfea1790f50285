// The evaluator task beside the training cluster is a parameter-server job's;
// a multi-worker job evaluates inside its workers.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
#ifdef TRAINSPEC_MISUSE
                         .distributed_backend(trainspec::multi_worker{})
#else
                         .distributed_backend(trainspec::parameter_server{})
#endif
                         .evaluator_count(1);
    return estimator.build().node_count();
}
