#pragma once
// trainspec: distributed TensorFlow/Keras training jobs, described once.
// The umbrella header, in pipeline order: front ends → job → plan → launch
// model → back ends, then the in-process consumer (docs/contributing.md).
// Kept in the pipeline's order, not the alphabet's:
// clang-format off

#include <trainspec/version.hpp>  // TRAINSPEC_VERSION_*
#include <trainspec/error.hpp>    // trainspec::error, the base of every exception

// The job's parameters, as plain data
#include <trainspec/spec/enum_names.hpp>         // one name table per enum
#include <trainspec/spec/backend.hpp>            // mpi, parameter_server, multi_worker
#include <trainspec/spec/compute_target.hpp>     // where a job runs, what its nodes hold
#include <trainspec/spec/did_you_mean.hpp>       // the closest known word, for hints
#include <trainspec/spec/framework.hpp>          // the TensorFlow versions
#include <trainspec/spec/hosts.hpp>              // host lists and hostfiles, parsed
#include <trainspec/spec/images.hpp>             // images, Python, CUDA, Horovod per version
#include <trainspec/spec/job_spec.hpp>           // job_spec: the estimator's parameters
#include <trainspec/spec/limits.hpp>             // the ceilings of a job and its inputs
#include <trainspec/spec/mpi_flavor.hpp>         // Open MPI, MPICH, Intel MPI, horovodrun
#include <trainspec/spec/mpi_settings.hpp>       // the spec's `mpi` object
#include <trainspec/spec/names.hpp>              // syntax of names carried into other systems
#include <trainspec/spec/resource_names.hpp>     // Kubernetes names derived from the job
#include <trainspec/spec/script_params.hpp>      // the entry script's arguments
#include <trainspec/spec/slurm_environment.hpp>  // how Slurm tasks reach the environment
#include <trainspec/spec/spec_keys.hpp>          // the spec's top-level keys, apiVersion
#include <trainspec/spec/task_type.hpp>          // chief, worker, ps, evaluator
#include <trainspec/spec/tf_config_options.hpp>  // TF_CONFIG profiles and consumers
#include <trainspec/spec/vm_sizes.hpp>           // Azure VM sizes: GPUs and vCPUs

// Front ends
#include <trainspec/builder.hpp>    // tensorflow(), keras(): the typed builder
#include <trainspec/sweep_builder.hpp>  // grid_sweep(), random_sweep(), bayesian_sweep()
#include <trainspec/spec_json.hpp>  // the JSON job spec, both directions

// The stages
#include <trainspec/validate.hpp>  // every rule, every problem at once
#include <trainspec/job.hpp>       // job<Backend>, any_job: validated jobs
#include <trainspec/plan.hpp>      // the cluster plan: every task, host, port, rank
#include <trainspec/launch.hpp>    // the launch model every engine renders
#include <trainspec/sweep_trials.hpp>  // the trials of a grid or random sweep

// Back ends
#include <trainspec/render/shell_quote.hpp>        // POSIX sh quoting of argv
#include <trainspec/render/training_command.hpp>   // each task's training command
#include <trainspec/render/tf_config.hpp>          // TF_CONFIG per task
#include <trainspec/render/rank_table.hpp>         // Horovod's ranks; Gloo environment
#include <trainspec/render/mpi_hostfile.hpp>       // hostfiles per launcher
#include <trainspec/render/mpi_options.hpp>        // how an MPI job is launched
#include <trainspec/render/mpi.hpp>                // mpirun, mpiexec, horovodrun
#include <trainspec/render/environment_files.hpp>  // requirements.txt, environment.yml
#include <trainspec/render/job_image.hpp>          // the job's image and Dockerfile
#include <trainspec/render/container.hpp>          // docker run
#include <trainspec/render/kubeflow_options.hpp>   // the manifests' options
#include <trainspec/render/kubeflow.hpp>           // TFJob, MPIJob
#include <trainspec/render/katib.hpp>              // Katib Experiments of sweeps
#include <trainspec/render/slurm_options.hpp>      // the scripts' options
#include <trainspec/render/slurm.hpp>              // sbatch scripts
#include <trainspec/render/azureml.hpp>            // Azure ML command jobs
#include <trainspec/render/azureml_sweep.hpp>      // Azure ML sweep jobs

// The consumer side
#include <trainspec/consume/tf_cluster_rules.hpp>  // what TensorFlow's APIs accept
#include <trainspec/consume/parsed_tf_config.hpp>  // the cluster and task a TF_CONFIG gives
#include <trainspec/consume/tf_config.hpp>         // read TF_CONFIG as TensorFlow does
#include <trainspec/consume/multi_worker_util.hpp>  // what the TF2 strategies ask of a cluster
#include <trainspec/consume/consumer_views.hpp>     // what RunConfig and the strategies conclude
// clang-format on
