// An environment file for a user-managed image would never be applied.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
                         .custom_docker_image("registry.example.com/tf:2.11")
                         .user_managed()
#ifdef TRAINSPEC_MISUSE
                         .conda_dependencies_file("environment.yml")
#endif
                         .use_gpu();
    return estimator.build().user_managed() ? 0 : 1;
}
