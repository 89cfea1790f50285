// MultiWorkerMirroredStrategy mirrors the variables on every worker; only a
// parameter-server job has parameter servers to count.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
#ifdef TRAINSPEC_MISUSE
                         .distributed_backend(trainspec::multi_worker{})
#else
                         .distributed_backend(trainspec::parameter_server{})
#endif
                         .worker_count(2)
                         .parameter_server_count(1);
    return estimator.build().worker_count();
}
