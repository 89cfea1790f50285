#pragma once
// The options of trainspec-gen's verbs, each declared once: verbs list the
// ones they take (verbs.hpp) and read them with args.value(hosts_option), ...
// The options that reach only the renderers are in render_options.hpp.

#include "cli.hpp"

namespace trainspec_gen {

// ---- planning: plan, tf-config, mpirun, hostfile, render, generate ----

inline const option hosts_option{"--hosts", "H", "host:slots,host:slots, or a hostfile: @FILE or an existing FILE"};
inline const option port_option{"--port", "P",
                                "the first port of the tasks on a host (default: the spec's port, 2222)"};
inline const option unique_ports_option{"--unique-ports", "",
                                        "every task its own port (port + rank), for hosts sharing one address"};

// ---- every verb that reads a spec ----

inline const option trust_launcher_settings_option{
    "--trust-launcher-settings", "",
    "allow the spec's mpi settings that run programs (extra_args, command_prefix,\n"
    "MCA parameters naming programs or paths), as mpi.trusted_launcher_settings does"};

// ---- plan ----

inline const option json_option{"--json", "", "a JSON array, one object per task, instead of the table"};

// ---- tf-config ----

inline const option task_option{"--task", "TYPE:INDEX", "the task: chief, worker, ps or evaluator, and its index"};
inline const option all_tasks_option{"--all", "",
                                     "every task, by rank, each line starting with TYPE:INDEX and a space"};
inline const option profile_option{"--profile", "P", "tf2 (default), estimator, kubeflow, azureml-v1, sagemaker"};
inline const option rpc_layer_option{"--rpc-layer", "R", "write \"rpc_layer\": R (for example grpc)"};
inline const option sparse_option{"--sparse", "", "the Kubeflow operator's sparse form (enableDynamicWorker)"};

// ---- tf-config and the Kubeflow manifests ----

inline const option namespace_option{"--namespace", "NS", "tfjob, mpijob: the namespace (default: default)"};
inline const option cluster_domain_option{"--cluster-domain", "D",
                                          "tfjob, mpijob: the operator's custom cluster domain"};

// ---- mpirun, hostfile ----

inline const option flavor_option{"--flavor", "F",
                                  "openmpi, mpich, intel, horovodrun (default: the spec's mpi.flavor, else openmpi)"};
inline const option allow_run_as_root_option{
    "--allow-run-as-root", "HOW",
    "Open MPI as root: flag (--allow-run-as-root) or environment\n"
    "(OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1); never without asking"};
inline const option network_interface_option{"--network-interface", "IF",
                                             "the interface for MPI's TCP traffic and NCCL, for example eth0"};
inline const option ssh_port_option{"--ssh-port", "P", "the port of sshd on the hosts (not with mpich)"};
inline const option hostfile_path_option{
    "--hostfile-path", "PATH",
    "give the launcher the hostfile at PATH (written by the hostfile verb) instead\n"
    "of listing the hosts"};
inline const option print0_option{"--print0", "", "the argv instead of the line: each argument followed by a NUL byte"};

// ---- render, generate ----

inline const option target_option{"--target", "T",
                                  "tfjob (ps, multi_worker jobs), mpijob (mpi jobs), slurm, docker (single-node\n"
                                  "jobs), dockerfile, conda, requirements, azureml, katib (sweeps)"};
inline const option out_option{"--out", "DIR", "the directory to write to (created when missing)"};
inline const option force_option{"--force", "", "overwrite files whose content differs"};

// ---- sweep ----

inline const option trial_option{"--trial", "N", "trial N (from 0) as a complete job spec without the sweep"};

// ---- check-tf-config ----

inline const option consumer_option{"--consumer", "C",
                                    "the API that reads it: custom (default), estimator, parameter_server_strategy,\n"
                                    "multi_worker_mirrored_strategy"};

}  // namespace trainspec_gen
