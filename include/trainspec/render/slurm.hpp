#pragma once
// Slurm batch scripts (`sbatch`) for planned jobs, written from the launch
// model (launch.hpp): the plan's shape as the request, then one `srun` step
// that starts every task. The options are in slurm_options.hpp;
// docs/slurm.md says what each line makes Slurm do and which cluster
// settings it relies on.

#include <string>

#include <trainspec/detail/sbatch_script.hpp>
#include <trainspec/plan.hpp>
#include <trainspec/render/slurm_options.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// The `sbatch` script of a planned job. Throws validation_error for values
/// Slurm cannot take (partition, output pattern, time limit, launcher, ...).
template <class Backend>
std::string sbatch_script(const cluster<Backend>& planned, const slurm_options& o = {}) {
    return detail::render_sbatch(planned, o);
}

TRAINSPEC_END_NAMESPACE
