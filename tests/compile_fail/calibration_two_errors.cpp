// Calibration: two independent misuses give two errors, so a check for exactly
// one error must report this snippet even though each error matches.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow()
                         .source_directory("project")
                         .entry_script("train.py")
                         .compute_target("gpu-cluster")
#ifdef TRAINSPEC_MISUSE
                         .entry_script("evaluate.py")
                         .compute_target("cpu-cluster")
#endif
                         .use_gpu();
    return estimator.build().node_count();
}
