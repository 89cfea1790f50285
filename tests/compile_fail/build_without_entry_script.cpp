// A job without an entry script has nothing to run.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
#ifndef TRAINSPEC_MISUSE
                         .entry_script("train.py")
#endif
                         .compute_target("gpu-cluster");
    return estimator.build().node_count();
}
