// Bayesian sampling models choice, uniform and quniform only (HyperDrive's
// BayesianParameterSampling, Azure ML v2).
#include <trainspec/builder.hpp>

int main() {
    auto sweep = trainspec::bayesian_sweep()
#ifdef TRAINSPEC_MISUSE
                     .loguniform("--learning-rate", -9, -1)
#else
                     .uniform("--learning-rate", 0.0001, 0.1)
#endif
                     .objective("accuracy", trainspec::objective_goal::maximize)
                     .max_total_trials(40);
    return static_cast<int>(sweep.settings().search_space.size()) - 1;
}
