// A multi-worker job without workers trains nothing.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
                         .distributed_backend(trainspec::multi_worker{})
#ifdef TRAINSPEC_MISUSE
                         .worker_count<0>();
#else
                         .worker_count<2>();
#endif
    return estimator.build().worker_count();
}
