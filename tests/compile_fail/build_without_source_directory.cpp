// Nothing reaches the cluster without the project folder, so build() refuses a
// job that never named one.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
#ifndef TRAINSPEC_MISUSE
                         .source_directory("project")
#endif
                         .entry_script("train.py")
                         .compute_target("gpu-cluster");
    return estimator.build().node_count();
}
