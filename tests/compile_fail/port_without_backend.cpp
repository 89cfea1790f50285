// Only TensorFlow servers (ps, multi_worker) listen on the job's port.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
#ifndef TRAINSPEC_MISUSE
                         .distributed_backend(trainspec::multi_worker{})
#endif
                         .port(3333);
    return estimator.build().node_count();
}
