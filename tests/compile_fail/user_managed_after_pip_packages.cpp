// A user-managed image already holds every package; a package list given
// before it would be silently ignored.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
                         .custom_docker_image("registry.example.com/tf:2.11")
#ifdef TRAINSPEC_MISUSE
                         .pip_packages({"horovod"})
#endif
                         .user_managed();
    return estimator.build().user_managed() ? 0 : 1;
}
