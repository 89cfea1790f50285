// A pip list beside a conda environment file would fight with the file's pip
// section over which one wins.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
                         .conda_dependencies_file("environment.yml")
#ifdef TRAINSPEC_MISUSE
                         .pip_packages({"horovod"})
#endif
                         .use_gpu();
    return estimator.build().node_count();
}
