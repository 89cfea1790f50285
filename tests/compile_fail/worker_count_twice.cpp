// A second call would silently replace the first count.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
                         .distributed_backend(trainspec::parameter_server{})
                         .worker_count(2)
#ifdef TRAINSPEC_MISUSE
                         .worker_count(4)
#endif
                         .parameter_server_count(1);
    return estimator.build().worker_count();
}
