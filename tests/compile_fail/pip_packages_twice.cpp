// A second pip list would silently replace the first one.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
                         .pip_packages({"horovod"})
#ifdef TRAINSPEC_MISUSE
                         .pip_packages({"tensorflow-datasets"})
#endif
                         .use_gpu();
    return estimator.build().node_count();
}
