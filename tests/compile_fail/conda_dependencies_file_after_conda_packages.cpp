// A conda environment file is the whole package list; packages given beside it
// would fight over which one wins.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
#ifdef TRAINSPEC_MISUSE
                         .conda_packages({"scikit-learn"})
#endif
                         .conda_dependencies_file("environment.yml");
    return estimator.build().node_count();
}
