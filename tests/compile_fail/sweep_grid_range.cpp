// A grid lists values: a range has none to list (HyperDrive's
// GridParameterSampling takes choice only).
#include <trainspec/builder.hpp>

int main() {
    auto sweep = trainspec::grid_sweep()
#ifdef TRAINSPEC_MISUSE
                     .uniform("--learning-rate", 0.0001, 0.1)
#else
                     .choice("--learning-rate", {0.0001, 0.001, 0.01, 0.1})
#endif
                     .objective("accuracy", trainspec::objective_goal::maximize)
                     .max_total_trials(4);
    return static_cast<int>(sweep.settings().search_space.size()) - 1;
}
