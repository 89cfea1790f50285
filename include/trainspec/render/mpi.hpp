#pragma once
// The launch command of an MPI (Horovod) job: Open MPI's mpirun, MPICH's and
// Intel MPI's Hydra mpiexec, or horovodrun, built argv first. The options are
// in mpi_options.hpp; what each launcher gets, and why, is in docs/mpi.md.
//
//   auto cmd = trainspec::mpirun_command(trainspec::plan(job), options);
//   cmd.argv, cmd.launcher_environment, cmd.shell_line()

#include <string>
#include <vector>

#include <trainspec/detail/linkage.hpp>
#include <trainspec/job.hpp>
#include <trainspec/plan.hpp>
#include <trainspec/render/mpi_hostfile.hpp>
#include <trainspec/render/mpi_options.hpp>
#include <trainspec/render/rank_table.hpp>
#include <trainspec/render/training_command.hpp>
#include <trainspec/spec/backend.hpp>
#include <trainspec/spec/mpi_flavor.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// The layout of a planned MPI job: each host with the ranks the plan put
/// there, every rank, the job's command and variables.
mpi_launch_layout launch_layout(const cluster<mpi>& c);

/// The launch command for `layout` (hosts, process count, command). Throws
/// mpi_launch_error naming the setting when the launch cannot be written.
launch_command mpirun_command(const mpi_launch_layout& layout, const mpi_launch_options& o);

/// The launch command of a planned MPI job: `command_prefix entry_script
/// script_params...` on every rank, placed as the plan placed them; with
/// post steps (the ONNX export), each rank runs them after training when it
/// is rank 0 (task_command()).
launch_command mpirun_command(const cluster<mpi>& c, const mpi_launch_options& o);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <trainspec/detail/horovodrun_argv.hpp>
#include <trainspec/detail/hydra_argv.hpp>
#include <trainspec/detail/launch_hosts.hpp>
#include <trainspec/detail/launch_steps.hpp>
#include <trainspec/detail/launcher_settings.hpp>
#include <trainspec/detail/mpi_argv.hpp>
#include <trainspec/detail/mpi_exports.hpp>
#include <trainspec/detail/mpi_option_checks.hpp>
#include <trainspec/detail/open_mpi_argv.hpp>

TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_INLINE mpi_launch_layout launch_layout(const cluster<mpi>& c) {
    return {ranks_per_host(c), static_cast<int>(c.tasks().size()), c.job().script_argv(),
            c.job().spec().environment_variables};
}

TRAINSPEC_INLINE launch_command mpirun_command(const mpi_launch_layout& layout, const mpi_launch_options& o) {
    detail::check_options(o);
    const int np = detail::launch_size(layout.hosts, layout.np);
    const auto exports = detail::resolve_exports(layout.environment, o);
    if (layout.script_argv.empty() && o.command_prefix.empty())
        throw mpi_launch_error("command_prefix", "there is no command to run");

    detail::command_builder b(o.flavor, o.launcher ? *o.launcher : std::string(default_launcher(o.flavor)));
    if (o.flavor == mpi_flavor::openmpi && o.allow_run_as_root == run_as_root::environment) {
        if (!o.allow_launcher_environment)
            throw mpi_launch_error("allow_run_as_root",
                                   "the environment form sets OMPI_ALLOW_RUN_AS_ROOT in the launcher's environment, "
                                   "but allow_launcher_environment is false; use run_as_root::flag");
        b.launcher_variable("OMPI_ALLOW_RUN_AS_ROOT", "1");
        b.launcher_variable("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
    }
    switch (o.flavor) {
        case mpi_flavor::openmpi:
            detail::render_open_mpi(b, o, layout, np, exports);
            break;
        case mpi_flavor::mpich:
        case mpi_flavor::intel:
            detail::render_hydra(b, o, layout, np, exports);
            break;
        case mpi_flavor::horovodrun:
            detail::render_horovodrun(b, o, layout, np, exports);
            break;
    }
    detail::check_extra_args(o, b);
    b.append("extra_args", o.extra_args);
    b.append("task variables (from environment)", detail::task_variable_words(b.task_environment()));
    b.append("command_prefix", o.command_prefix);
    b.append("script_argv (from the plan or layout)", layout.script_argv);
    return b.take();
}

TRAINSPEC_INLINE launch_command mpirun_command(const cluster<mpi>& c, const mpi_launch_options& o) {
    auto layout = launch_layout(c);
    auto steps = detail::launch_steps(c.job().spec());
    if (steps.size() == 1) return mpirun_command(layout, o);
    steps.front().argv = o.command_prefix;
    steps.front().argv.insert(steps.front().argv.end(), layout.script_argv.begin(), layout.script_argv.end());
    layout.script_argv = task_command(steps, owner_check::mpi_rank);
    auto options = o;
    options.command_prefix.clear();
    return mpirun_command(layout, options);
}
TRAINSPEC_END_NAMESPACE
#endif
