// A parameter-server job is not started by mpirun: its MPI settings would be
// silently unused.
#include <trainspec/builder.hpp>

int main() {
    trainspec::mpi_settings settings;
    settings.flavor = trainspec::mpi_flavor::mpich;
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
#ifdef TRAINSPEC_MISUSE
                         .distributed_backend(trainspec::parameter_server{})
#else
                         .distributed_backend(trainspec::mpi{})
#endif
                         .mpi_launch(settings);
    return estimator.build().node_count();
}
