#pragma once
// The options of sbatch_script() (slurm.hpp); docs/slurm.md says what each
// line they write makes Slurm do.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <trainspec/detail/linkage.hpp>
#include <trainspec/render/job_image.hpp>
#include <trainspec/render/tf_config.hpp>
#include <trainspec/spec/mpi_flavor.hpp>
#include <trainspec/spec/slurm_environment.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

struct slurm_options {
    TRAINSPEC_SPECIAL_MEMBERS(slurm_options);

    std::optional<std::string> partition;  ///< `#SBATCH --partition`
    std::optional<std::string> account;    ///< `#SBATCH --account`
    std::optional<std::string> qos;        ///< `#SBATCH --qos`
    bool exclusive = false;                ///< `#SBATCH --exclusive`: whole nodes
    std::optional<std::string> memory;     ///< `#SBATCH --mem`, per node: 16G, 500M
    /// `--cpus-per-task` (on the `srun` line too); default: the compute
    /// target's CPUs per node over the tasks of the busiest node.
    std::optional<int> cpus_per_task;
    /// Replaces the training step's argv (the post steps stay).
    std::vector<std::string> command;
    /// mpi jobs: "srun" (ranks started by Slurm) or "mpirun" (inside the allocation).
    std::string launcher = "srun";
    /// mpi jobs with srun: `--mpi=`; default: default_srun_mpi() of the flavor.
    std::optional<std::string> srun_mpi;
    /// `--time` in minutes; default: max_run_duration_seconds rounded up (none when unset).
    std::optional<int> time_limit_minutes;
    std::optional<int> port;    ///< re-plans with this first port
    bool unique_ports = false;  ///< re-plans with one port per task (port + rank)
    bool gres = false;          ///< `--gres=gpu:N` instead of `--gpus-per-node=N`
    /// `#SBATCH --output`; default `<job name>-%j.out`.
    std::optional<std::string> output;
    std::optional<std::string> working_directory;  ///< `#SBATCH --chdir`: where the script starts
    /// The source directory as the script reaches it from where it starts;
    /// default the job's source_directory.
    std::optional<std::string> source_directory;
    tf_config_options tf_config;  ///< how TF_CONFIG is written (profile, rpc layer)
    /// How the tasks reach the job's environment; default
    /// effective_slurm_environment() of the job.
    std::optional<slurm_environment_kind> environment;
    /// The container image (apptainer, singularity, pyxis); default the job's image.
    std::optional<std::string> image;
    environment_file_contents environment_files;  ///< for the job's image's tag
};

/// The exit status of a task whose conda environment is missing on its node.
inline constexpr int slurm_missing_environment_status = 3;

/// Slurm's MPI plugin for a flavor: PMIx for Open MPI (and Horovod over
/// it), PMI-2 for the Hydra family.
constexpr std::string_view default_srun_mpi(mpi_flavor f) noexcept { return is_hydra(f) ? "pmi2" : "pmix"; }

/// The longest task table a script hands its tasks: Linux passes at most
/// 128 KiB in one environment string (MAX_ARG_STRLEN).
inline constexpr std::size_t max_slurm_task_table = 120 * 1024;

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_DEFAULT_SPECIAL_MEMBERS(slurm_options);
TRAINSPEC_END_NAMESPACE
#endif
