// Calibration: a setter that does not exist is one error naming it, but no
// static_assert; a check for the builder's own message must report it.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
#ifdef TRAINSPEC_MISUSE
                         .gpu_count(2);
#else
                         .use_gpu();
#endif
    return estimator.build().node_count();
}
