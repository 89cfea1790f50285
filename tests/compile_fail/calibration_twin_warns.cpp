// Calibration: this twin compiles, but with a warning (an unused variable), so
// a check for a clean compile must report it.
#include <trainspec/builder.hpp>

int main() {
    auto estimator = trainspec::tensorflow().source_directory("project").entry_script("train.py");
    int unused = 0;
    return estimator.compute_target("gpu-cluster").build().node_count();
}
