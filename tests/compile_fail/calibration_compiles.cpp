// Calibration: the "misuse" here is correct code, so a check that the compile
// fails must report this snippet.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
                         .distributed_backend(trainspec::parameter_server{})
#ifdef TRAINSPEC_MISUSE
                         .worker_count(4);
#else
                         .worker_count(2);
#endif
    return estimator.build().worker_count();
}
