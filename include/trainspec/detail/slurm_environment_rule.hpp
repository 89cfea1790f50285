#pragma once
// Whether a job can reach its environment on Slurm one way or another:
// validate() reports it at `slurm_environment`, sbatch_script() for the
// option that chose the way (docs/slurm.md).

#include <optional>
#include <string>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/slurm_environment.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// Why a job cannot reach its environment on Slurm the way `kind` says, or
/// nullopt when it can.
inline std::optional<std::string> slurm_environment_problem(const job_spec& s, slurm_environment_kind kind) {
    if (runs_container(kind) && !effective_use_docker(s))
        return std::string("runs the job's container image, and the job has use_docker = false: use conda or none");
    if (kind == slurm_environment_kind::conda && effective_user_managed(s))
        return std::string(
            "activates the environment made from environment.yml; a user_managed job has none: use "
            "none, or the job's container (apptainer)");
    if (kind == slurm_environment_kind::conda && s.pip_requirements_file)
        return "activates the environment made from environment.yml, which cannot include pip_requirements_file " +
               quote_json(*s.pip_requirements_file) +
               ": list the packages in pip_packages, or run in the job's container (apptainer)";
    return std::nullopt;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
