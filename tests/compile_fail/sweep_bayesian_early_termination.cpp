// Bayesian sampling takes no early termination policy (HyperDrive, Azure ML v2).
#include <trainspec/builder.hpp>

int main() {
    trainspec::early_termination policy;
    policy.type = trainspec::early_termination_kind::median_stopping;
#ifdef TRAINSPEC_MISUSE
    auto sweep = trainspec::bayesian_sweep().uniform("--learning-rate", 0.0001, 0.1).early_termination(policy);
#else
    auto sweep = trainspec::random_sweep().uniform("--learning-rate", 0.0001, 0.1).early_termination(policy);
#endif
    return sweep.settings().termination ? 0 : 1;
}
