// TensorFlow allows one evaluator beside a parameter-server cluster.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
                         .distributed_backend(trainspec::parameter_server{})
#ifdef TRAINSPEC_MISUSE
                         .evaluator_count<3>();
#else
                         .evaluator_count<1>();
#endif
    return estimator.build().evaluator_count();
}
