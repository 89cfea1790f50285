#pragma once
// Slurm batch scripts (`sbatch`) for planned jobs, written from the launch
// model (launch.hpp): the plan's shape as the request, then one `srun` step
// that starts every task. The options are in slurm_options.hpp;
// docs/slurm.md says what each line makes Slurm do and which cluster
// settings it relies on.

#include <string>

#include <trainspec/detail/linkage.hpp>
#include <trainspec/plan.hpp>
#include <trainspec/render/slurm_options.hpp>
#include <trainspec/spec/backend.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// The `sbatch` script of a planned job. Throws validation_error for values
/// Slurm cannot take (partition, output pattern, time limit, launcher, ...).
template <class Backend>
std::string sbatch_script(const cluster<Backend>& planned, const slurm_options& o = {});

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <trainspec/detail/sbatch_script.hpp>

TRAINSPEC_BEGIN_NAMESPACE
template <class Backend>
std::string sbatch_script(const cluster<Backend>& planned, const slurm_options& o) {
    return detail::render_sbatch(planned, o);
}
TRAINSPEC_END_NAMESPACE
#endif

#ifdef TRAINSPEC_COMPILED_LIB
TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_INSTANTIATE std::string sbatch_script(const cluster<single_node>&, const slurm_options&);
TRAINSPEC_INSTANTIATE std::string sbatch_script(const cluster<mpi>&, const slurm_options&);
TRAINSPEC_INSTANTIATE std::string sbatch_script(const cluster<parameter_server>&, const slurm_options&);
TRAINSPEC_INSTANTIATE std::string sbatch_script(const cluster<multi_worker>&, const slurm_options&);
TRAINSPEC_END_NAMESPACE
#endif
