// The setter of the spec's `mpi` object is mpi_launch(); its message names the
// setter, not the key.
#include <trainspec/builder.hpp>

int main() {
    trainspec::mpi_settings settings;
    settings.flavor = trainspec::mpi_flavor::mpich;
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
                         .distributed_backend(trainspec::mpi{})
                         .mpi_launch(settings)
#ifdef TRAINSPEC_MISUSE
                         .mpi_launch(settings)
#endif
                         .use_gpu();
    return estimator.build().node_count();
}
