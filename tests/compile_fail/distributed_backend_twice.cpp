// A job has one backend; a second choice would silently drop the first one's
// settings.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
                         .distributed_backend(trainspec::parameter_server{})
#ifdef TRAINSPEC_MISUSE
                         .distributed_backend(trainspec::multi_worker{})
#endif
                         .worker_count(2);
    return estimator.build().worker_count();
}
