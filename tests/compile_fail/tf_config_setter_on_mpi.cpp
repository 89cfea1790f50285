// The ranks of an MPI job find each other through MPI: no TF_CONFIG to shape.
#include <trainspec/builder.hpp>

int main() {
    trainspec::tf_config_settings settings;
    settings.profile = trainspec::tf_profile::kubeflow;
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
#ifdef TRAINSPEC_MISUSE
                         .distributed_backend(trainspec::mpi{})
#else
                         .distributed_backend(trainspec::parameter_server{})
#endif
                         .tf_config(settings);
    return estimator.build().node_count();
}
