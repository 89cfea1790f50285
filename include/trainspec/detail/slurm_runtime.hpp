#pragma once
// How Slurm tasks reach the job's environment: a container runtime
// (apptainer, singularity, pyxis) or a conda environment (docs/slurm.md).

#include <string>
#include <string_view>
#include <vector>

#include <trainspec/detail/job_image_build.hpp>
#include <trainspec/detail/json_text.hpp>
#include <trainspec/detail/slurm_environment_rule.hpp>
#include <trainspec/detail/slurm_option_checks.hpp>
#include <trainspec/render/job_image.hpp>
#include <trainspec/render/shell_quote.hpp>
#include <trainspec/render/slurm_options.hpp>
#include <trainspec/spec/backend.hpp>
#include <trainspec/spec/images.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/resource_names.hpp>
#include <trainspec/spec/slurm_environment.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// Stands for the directory a task starts in ("$PWD": the source directory)
/// in argv words that slurm_words() writes.
inline constexpr std::string_view slurm_pwd_marker = "\x01pwd\x01";

/// Stands, as a whole argv word, for the value of swept parameter `i` of
/// the array task's trial, which the batch script sets in trainspec_trial_<i>.
inline std::string slurm_trial_marker(std::size_t i) { return "\x01trial" + std::to_string(i) + "\x01"; }

/// argv as the batch script writes it: quoted, slurm_pwd_marker as "$PWD",
/// a trial marker as its value, or no word when the value is empty (a bare
/// flag, as script_params writes an empty value).
inline std::string slurm_words(const std::vector<std::string>& argv) {
    std::vector<std::pair<std::string, std::string>> expansions{{std::string(slurm_pwd_marker), "\"$PWD\""}};
    for (const auto& word : argv) {
        const auto at = word.find("\x01trial");
        if (at == std::string::npos) continue;
        const auto end = word.find('\x01', at + 1);
        if (end == std::string::npos) continue;
        const auto index = word.substr(at + 6, end - at - 6);
        const auto name = "trainspec_trial_" + index;
        expansions.emplace_back(word.substr(at, end - at + 1), "${" + name + ":+\"$" + name + "\"}");
    }
    return shell_join_expanding(argv, expansions);
}

/// How the tasks reach the environment: words before the task's argv
/// (apptainer, singularity), srun options (pyxis), or sh code that
/// activates it (conda).
struct slurm_runtime {
    slurm_environment_kind kind = slurm_environment_kind::none;
    std::vector<std::string> prefix;        ///< before every program; may hold slurm_pwd_marker
    std::vector<std::string> srun_options;  ///< may hold slurm_pwd_marker
    std::string check;                      ///< sh code: stops the job when the environment is missing
    std::string activate;                   ///< sh code: activates it, after the check
    std::string activation;                 ///< check, then activate: in each task
};

inline slurm_runtime slurm_runtime_for(const job_spec& s, const slurm_options& o) {
    slurm_runtime r;
    r.kind = o.environment.value_or(effective_slurm_environment(s));
    const auto path = std::string("slurm_environment");
    const auto shown = quote_json(enum_name(r.kind));
    if (auto why = slurm_environment_problem(s, r.kind)) slurm_problem(path, shown, *why);
    if (runs_container(r.kind)) {
        check_image_option(o.image);
        const auto image = image_for(s, o.environment_files);
        const std::string reference = o.image.value_or(image.reference);
        const bool local = !o.image && image.built && !image.pushed;
        const std::string bind = source_mount(std::string(slurm_pwd_marker), s);
        if (r.kind == slurm_environment_kind::pyxis) {
            if (effective_backend(s) == backend_kind::mpi && o.launcher == "mpirun")
                slurm_problem(path, shown, "starts containers through srun; use launcher \"srun\"");
            std::string pyxis_image = reference;
            if (local)
                pyxis_image = "dockerd://" + reference;
            else if (!image_registry_host(reference).empty())  // Pyxis writes registry#path
                pyxis_image.replace(image_registry_host(reference).size(), 1, "#");
            r.srun_options = {"--container-image=" + pyxis_image, "--container-mounts=" + bind,
                              std::string("--container-workdir=") + container_workdir};
        } else {
            r.prefix = {std::string(enum_name(r.kind)), "exec"};
            if (effective_use_gpu(s)) r.prefix.emplace_back("--nv");
            r.prefix.insert(r.prefix.end(), {"--bind", bind, "--pwd", container_workdir,
                                             (local ? "docker-daemon://" : "docker://") + reference});
        }
    } else if (r.kind == slurm_environment_kind::conda) {
        const auto name = effective_job_name(s);
        const std::string file =
            s.conda_dependencies_file ? s.source_directory + "/" + *s.conda_dependencies_file : "environment.yml";
        r.check = "if ! trainspec_conda=$(conda shell.posix activate " + shell_quote(name) + " 2>&1); then\n";
        r.check += "    echo \"trainspec: conda cannot activate the environment \"" + shell_quote(name) +
                   "\" on $(hostname): $trainspec_conda\" >&2\n";
        r.check += "    echo " +
                   shell_quote("trainspec: create it on every node: conda env create --name " + shell_quote(name) +
                               " --file " + shell_quote(file)) +
                   " >&2\n";
        r.check += "    exit " + std::to_string(slurm_missing_environment_status) + "\n";
        r.check += "fi\n";
        r.activate = "eval \"$trainspec_conda\"\n";
        r.activation = r.check + r.activate;
    }
    return r;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
