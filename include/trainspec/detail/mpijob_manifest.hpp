#pragma once
// The MPIJob (kubeflow.org/v2beta1) of an MPI job: a launcher that runs
// mpirun_command() against the operator's hostfile, and workers running sshd
// (docs/kubeflow.md).

#include <nlohmann/json.hpp>

#include <trainspec/detail/kubeflow_checks.hpp>
#include <trainspec/detail/kubeflow_pod.hpp>
#include <trainspec/detail/launcher_settings.hpp>
#include <trainspec/launch.hpp>
#include <trainspec/plan.hpp>
#include <trainspec/render/kubeflow_options.hpp>
#include <trainspec/render/mpi.hpp>
#include <trainspec/render/training_command.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/mpi_flavor.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline const char* mpi_implementation(mpi_flavor f) {
    switch (f) {
        case mpi_flavor::intel:
            return "Intel";
        case mpi_flavor::mpich:
            return "MPICH";
        case mpi_flavor::openmpi:
        case mpi_flavor::horovodrun:
            break;
    }
    return "OpenMPI";
}

/// The MPIJob of an MPI job (mpijob_manifest()).
inline nlohmann::ordered_json render_mpijob(const cluster<mpi>& c, const kubeflow_options& given) {
    const auto& s = c.job().spec();
    const auto o = with_job_image(s, given);
    const auto m = describe_launch(c);
    kubeflow_checker check;
    check_common(check, s, o, mpijob_restart_policies, {"Launcher", "Worker"}, false);
    check.require(o.launcher_creation_policy == "AtStartup" || o.launcher_creation_policy == "WaitForWorkersReady",
                  "launcher_creation_policy", o.launcher_creation_policy, "must be AtStartup or WaitForWorkersReady");
    if (!o.worker_command.empty())
        check.require(!o.worker_command.front().empty(), "worker_command[0]", o.worker_command.front(),
                      "the program must not be empty");
    check.throw_if_any();

    auto launch = mpi_launch_options_from(s);
    if (o.flavor) launch.flavor = *o.flavor;
    // The pods run as root (the operator mounts its ssh keys at /root/.ssh);
    // Open MPI refuses root unless told, so the flag is the default here.
    const bool root_chosen = s.mpi && s.mpi->allow_run_as_root;
    if (!root_chosen && launch.flavor == mpi_flavor::openmpi) launch.allow_run_as_root = run_as_root::flag;
    launch.hostfile = mpi_operator_hostfile;
    auto layout = launch_layout(c);
    layout.script_argv = task_command(steps_with_command(m, o.command), owner_check::mpi_rank);
    launch.command_prefix.clear();
    const auto command = mpirun_command(layout, launch);

    const auto* ranks = find_role(m, task_type::worker);
    const int per_node = effective_process_count_per_node(s);

    container_launch launcher;
    launcher.argv = command.launcher_argv();
    launcher.environment = command.launcher_environment;
    launcher.with_shm = false;
    nlohmann::ordered_json launcher_replica;
    launcher_replica["replicas"] = 1;
    launcher_replica["restartPolicy"] = restart_policy_of(o, "Launcher", "OnFailure");
    launcher_replica["template"] = pod_template(mpijob_launcher_container_name, launcher, s, o, {});

    container_launch worker;
    worker.argv = o.worker_command.empty() ? default_mpi_worker_command() : o.worker_command;
    // The workers' main program is sshd; the ranks get the job's variables from mpirun.
    worker.environment = shared_variables(m.environment);
    worker.gpus = ranks != nullptr ? ranks->gpus_per_task * per_node : 0;
    if (m.cpus_per_task) worker.cpus = *m.cpus_per_task * per_node;
    nlohmann::ordered_json worker_replica;
    worker_replica["replicas"] = c.job().node_count();
    worker_replica["restartPolicy"] = restart_policy_of(o, "Worker", "Never");
    worker_replica["template"] = pod_template(mpijob_worker_container_name, worker, s, o, {});

    nlohmann::ordered_json manifest;
    manifest["apiVersion"] = mpijob_api_version;
    manifest["kind"] = "MPIJob";
    manifest["metadata"] = kubeflow_metadata(s, o);
    nlohmann::ordered_json spec;
    spec["slotsPerWorker"] = per_node;
    spec["runPolicy"] = kubeflow_run_policy(s, o);
    spec["mpiImplementation"] = mpi_implementation(launch.flavor);
    spec["launcherCreationPolicy"] = o.launcher_creation_policy;
    spec["mpiReplicaSpecs"] = {{"Launcher", std::move(launcher_replica)}, {"Worker", std::move(worker_replica)}};
    manifest["spec"] = std::move(spec);
    return manifest;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
