// A second call would silently replace the first value; it is almost always a
// copy-paste slip.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
#ifdef TRAINSPEC_MISUSE
                         .entry_script("evaluate.py")
#endif
                         .compute_target("gpu-cluster");
    return estimator.build().node_count();
}
