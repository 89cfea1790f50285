// A second registry would silently replace the first: the image would be
// pushed somewhere the user did not write twice.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .image_registry("ghcr.io/acme/mnist")
#ifdef TRAINSPEC_MISUSE
                         .image_registry("docker.io/acme/mnist")
#endif
                         .compute_target("gpu-cluster");
    return estimator.build().node_count();
}
