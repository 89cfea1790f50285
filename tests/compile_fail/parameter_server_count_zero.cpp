// A parameter-server job without parameter servers has nowhere to keep its
// variables.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
                         .distributed_backend(trainspec::parameter_server{})
#ifdef TRAINSPEC_MISUSE
                         .parameter_server_count<0>();
#else
                         .parameter_server_count<1>();
#endif
    return estimator.build().parameter_server_count();
}
