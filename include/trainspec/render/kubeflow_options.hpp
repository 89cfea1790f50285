#pragma once
// The options of the Kubeflow manifests (kubeflow.hpp) and the operators'
// fixed names; docs/kubeflow.md says what each field makes the operator do.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <trainspec/detail/linkage.hpp>
#include <trainspec/render/job_image.hpp>
#include <trainspec/spec/mpi_flavor.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// The operators' fixed names and defaults.
inline constexpr const char* tfjob_api_version = "kubeflow.org/v1";
inline constexpr const char* mpijob_api_version = "kubeflow.org/v2beta1";
inline constexpr const char* tfjob_container_name = "tensorflow";
inline constexpr const char* tfjob_port_name = "tfjob-port";
inline constexpr const char* mpijob_launcher_container_name = "mpi-launcher";
inline constexpr const char* mpijob_worker_container_name = "mpi-worker";
/// Where the MPI operator mounts the hostfile it writes.
inline constexpr const char* mpi_operator_hostfile = "/etc/mpi/hostfile";

/// A toleration of the pods (Kubernetes' Toleration).
struct kubernetes_toleration {
    std::string key;
    std::string operator_name = "Equal";  ///< Equal or Exists
    std::string value;
    std::string effect;  ///< "" (all), NoSchedule, PreferNoSchedule or NoExecute
};

/// A PersistentVolumeClaim mounted into every container of the job.
struct kubernetes_volume {
    std::string claim;       ///< the claim's name
    std::string mount_path;  ///< absolute path in the container
    bool read_only = true;
};

/// The MPI operator's worker command: sshd in the foreground, logging to
/// stderr, as its v2beta1 examples run it.
inline const std::vector<std::string>& default_mpi_worker_command() {
    static const std::vector<std::string> command{"/usr/sbin/sshd", "-De"};
    return command;
}

struct kubeflow_options {
    TRAINSPEC_SPECIAL_MEMBERS(kubeflow_options);

    std::string kubernetes_namespace = "default";  ///< metadata.namespace; also in the TF_CONFIG addresses
    std::string cluster_domain;                    ///< the operator's custom cluster domain ("" = none)
    /// The container image; empty: the job's image (image_of()), whose tag
    /// needs the contents of the job's own environment files.
    std::string image;
    environment_file_contents environment_files;
    /// Always, IfNotPresent or Never; default: Always for the job's built
    /// image in a registry (its tag stays when only the source changes),
    /// IfNotPresent for a local one, else Kubernetes' own default.
    std::optional<std::string> image_pull_policy;
    /// Replaces the training step's argv (the post steps stay): TFJob tasks,
    /// MPIJob ranks. Empty: the job's own.
    std::vector<std::string> command;
    /// Every replica's restartPolicy; unset: TFJob ExitCode, MPIJob
    /// Launcher OnFailure and Worker Never (docs/kubeflow.md).
    std::optional<std::string> restart_policy;
    /// Per replica type (Chief, Worker, PS, Evaluator; Launcher, Worker),
    /// over restart_policy.
    std::vector<std::pair<std::string, std::string>> replica_restart_policy;
    std::string clean_pod_policy = "Running";  ///< All, Running (the operators' default) or None
    /// metadata.labels, in this order.
    std::vector<std::pair<std::string, std::string>> labels;
    /// MPIJob: overrides the job's mpi.flavor.
    std::optional<mpi_flavor> flavor;
    /// MPIJob: AtStartup or WaitForWorkersReady.
    std::string launcher_creation_policy = "WaitForWorkersReady";
    /// MPIJob: the workers' argv; empty: default_mpi_worker_command().
    std::vector<std::string> worker_command;
    std::vector<std::string> image_pull_secrets;                     ///< pod imagePullSecrets, by name
    std::vector<std::pair<std::string, std::string>> node_selector;  ///< pod nodeSelector, in order
    std::vector<kubernetes_toleration> tolerations;
    std::vector<kubernetes_volume> volumes;
    std::optional<std::string> working_directory;  ///< the containers' workingDir; default container_workdir
    std::optional<std::string> memory;             ///< each task container's memory request and limit (quantity)
};

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_DEFAULT_SPECIAL_MEMBERS(kubeflow_options);
TRAINSPEC_END_NAMESPACE
#endif
