#pragma once
// How a Slurm job's tasks reach the job's environment (docs/environments.md):
//
//   apptainer    `apptainer exec` of the job's image
//   singularity  the same through `singularity exec` (SingularityCE, older sites)
//   pyxis        `srun --container-image` (NVIDIA's Pyxis plugin, enroot)
//   conda        a conda environment made from environment.yml, activated by name
//   none         the nodes' own Python (a site that manages its environment)

#include <optional>
#include <string_view>

#include <trainspec/spec/enum_names.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

enum class slurm_environment_kind { apptainer, singularity, pyxis, conda, none };

template <>
struct enum_names<slurm_environment_kind> {
    static constexpr std::array<enum_entry<slurm_environment_kind>, 5> table{{
        {slurm_environment_kind::apptainer, "apptainer"},
        {slurm_environment_kind::singularity, "singularity"},
        {slurm_environment_kind::pyxis, "pyxis"},
        {slurm_environment_kind::conda, "conda"},
        {slurm_environment_kind::none, "none"},
    }};
};

/// True for the ways that run the job's container image.
constexpr bool runs_container(slurm_environment_kind e) noexcept {
    return e == slurm_environment_kind::apptainer || e == slurm_environment_kind::singularity ||
           e == slurm_environment_kind::pyxis;
}

TRAINSPEC_END_NAMESPACE
