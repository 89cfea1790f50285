// Until a backend is chosen the job is a single-node job, which has no workers;
// the backend has to come first.
#include <trainspec/builder.hpp>

int main() {
    auto base =
        trainspec::tensorflow().source_directory("project").entry_script("train.py").compute_target("gpu-cluster");
#ifdef TRAINSPEC_MISUSE
    auto estimator = base.worker_count(2).distributed_backend(trainspec::multi_worker{});
#else
    auto estimator = base.distributed_backend(trainspec::multi_worker{}).worker_count(2);
#endif
    return estimator.build().worker_count();
}
