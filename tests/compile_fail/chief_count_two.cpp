// TensorFlow allows one chief in a cluster.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
                         .distributed_backend(trainspec::parameter_server{})
#ifdef TRAINSPEC_MISUSE
                         .chief_count<2>();
#else
                         .chief_count<1>();
#endif
    return estimator.build().chief_count();
}
