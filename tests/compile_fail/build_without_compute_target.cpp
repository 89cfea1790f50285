// A job needs somewhere to run: a compute target, or a VM size to create one.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
#ifndef TRAINSPEC_MISUSE
                         .compute_target("gpu-cluster")
#endif
                         .use_gpu();
    return estimator.build().node_count();
}
