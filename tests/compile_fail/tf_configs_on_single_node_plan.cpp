// tf_configs() is refused for a single-node plan just like tf_config().
#include <trainspec/trainspec.hpp>

int main() {
    const auto job = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
#ifndef TRAINSPEC_MISUSE
                         .distributed_backend(trainspec::parameter_server{})
#endif
                         .build();
    const auto cluster = trainspec::plan(job);
    return static_cast<int>(trainspec::tf_configs(cluster).size());
}
