// A job runs on at least one node; known at compile time, zero is a compile
// error rather than a run-time one.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
#ifdef TRAINSPEC_MISUSE
                         .node_count<0>();
#else
                         .node_count<1>();
#endif
    return estimator.build().node_count();
}
