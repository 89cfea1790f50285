// Pip requirements belong in the pip section of the conda environment file once
// there is one.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
                         .conda_dependencies_file("environment.yml")
#ifdef TRAINSPEC_MISUSE
                         .pip_requirements_file("requirements.txt")
#endif
                         .use_gpu();
    return estimator.build().node_count();
}
