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

#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

enum class slurm_environment_kind { apptainer, singularity, pyxis, conda, none };

constexpr std::string_view slurm_environment_name(slurm_environment_kind e) noexcept {
    switch (e) {
        case slurm_environment_kind::apptainer:
            return "apptainer";
        case slurm_environment_kind::singularity:
            return "singularity";
        case slurm_environment_kind::pyxis:
            return "pyxis";
        case slurm_environment_kind::conda:
            return "conda";
        case slurm_environment_kind::none:
            return "none";
    }
    return "";
}

/// Parses a name of slurm_environment_name(); nullopt otherwise.
constexpr std::optional<slurm_environment_kind> slurm_environment_from_name(std::string_view name) noexcept {
    for (auto e : {slurm_environment_kind::apptainer, slurm_environment_kind::singularity,
                   slurm_environment_kind::pyxis, slurm_environment_kind::conda, slurm_environment_kind::none})
        if (slurm_environment_name(e) == name) return e;
    return std::nullopt;
}

inline constexpr std::string_view supported_slurm_environment_names = "apptainer, singularity, pyxis, conda, none";

/// True for the ways that run the job's container image.
constexpr bool runs_container(slurm_environment_kind e) noexcept {
    return e == slurm_environment_kind::apptainer || e == slurm_environment_kind::singularity ||
           e == slurm_environment_kind::pyxis;
}

TRAINSPEC_END_NAMESPACE
