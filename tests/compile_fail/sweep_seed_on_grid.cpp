// A grid is listed in order; only random sampling draws from a seed.
#include <trainspec/builder.hpp>

int main() {
#ifdef TRAINSPEC_MISUSE
    auto sweep = trainspec::grid_sweep().seed(42).choice("--batch-size", {32, 64});
#else
    auto sweep = trainspec::random_sweep().seed(42).choice("--batch-size", {32, 64});
#endif
    return sweep.settings().sampling->seed == 42 ? 0 : 1;
}
