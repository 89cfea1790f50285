#pragma once
// The artifacts trainspec-gen renders (`render --target T`) and writes
// (`generate --out DIR`): one entry per target, the file it is written to,
// and the function of the library that renders it.
//
//   target        file               renderer
//   tfjob         tfjob.json         tfjob_manifest (ps, multi_worker)
//   mpijob        mpijob.json        mpijob_manifest (mpi)
//   slurm         slurm.sbatch       sbatch_script (every backend; a job array for a sweep)
//   docker        docker-run.sh      docker_run_command (the script adds #!/bin/sh)
//   dockerfile    Dockerfile         dockerfile (jobs whose image is built)
//   build         build-image.sh     image_build_commands (jobs whose image is built)
//   conda         environment.yml    conda_environment_yaml
//   requirements  requirements.txt   requirements_txt
//   azureml       azureml-job.json   azureml_command_job (azureml_sweep_job for a sweep)
//   katib         katib-experiment.json  katib_experiment (sweeps of ps, multi_worker, mpi jobs)
//
// JSON artifacts are pretty-printed with two spaces and end with a newline
// (JSON is valid YAML: kubectl and az ml read it as it is).
//
// An artifact that does not fit the job's backend throws not_applicable;
// the library's own errors (trainspec::error and its kinds) pass
// through unchanged.

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <trainspec/trainspec.hpp>

namespace trainspec_gen {

enum class artifact { tfjob, mpijob, slurm, docker, dockerfile, build, conda, requirements, azureml, katib };

struct artifact_entry {
    artifact kind;
    std::string_view target;  ///< the name --target takes
    std::string_view file;    ///< the file generate writes
    bool needs_plan;          ///< rendered from the cluster plan (so --hosts applies)
};

/// Every artifact, in the order generate writes them.
inline const std::vector<artifact_entry>& artifacts() {
    static const std::vector<artifact_entry> table = {
        {artifact::tfjob, "tfjob", "tfjob.json", true},
        {artifact::mpijob, "mpijob", "mpijob.json", true},
        {artifact::slurm, "slurm", "slurm.sbatch", true},
        {artifact::docker, "docker", "docker-run.sh", false},
        {artifact::dockerfile, "dockerfile", "Dockerfile", false},
        {artifact::build, "build", "build-image.sh", false},
        {artifact::conda, "conda", "environment.yml", false},
        {artifact::requirements, "requirements", "requirements.txt", false},
        {artifact::azureml, "azureml", "azureml-job.json", false},
        {artifact::katib, "katib", "katib-experiment.json", false},
    };
    return table;
}

inline std::vector<std::string> artifact_target_names() {
    std::vector<std::string> names;
    for (const auto& a : artifacts()) names.emplace_back(a.target);
    return names;
}

inline const artifact_entry* find_artifact(std::string_view target) {
    for (const auto& a : artifacts())
        if (a.target == target) return &a;
    return nullptr;
}

/// The artifact does not fit the job (a TFJob of an mpi job, ...);
/// `instead` names the target that fits, if one does.
class not_applicable : public std::runtime_error {
public:
    not_applicable(const std::string& message, std::string_view instead)
        : std::runtime_error(message), instead_(instead) {}
    const std::string& instead() const noexcept { return instead_; }

private:
    std::string instead_;
};

/// What the command line sets for the renderers: the library's own options
/// of each engine.
struct render_settings {
    std::optional<std::string> image;  ///< manifests, Slurm containers, docker run; default the job's image
    /// The contents of the job's own environment files (part of its image).
    trainspec::environment_file_contents environment_files;
    /// generate: the source directory as the written files reach it, a path
    /// relative to the output directory; render: unset (paths as the spec has them).
    std::optional<std::string> source_from_output;
    trainspec::kubeflow_options kubeflow;
    trainspec::slurm_options slurm;
    trainspec::azureml_options azureml;
    trainspec::docker_run_options docker;
};

/// True for the artifacts that name the job's image (and need its tag).
inline bool names_image(artifact kind) {
    return kind == artifact::tfjob || kind == artifact::mpijob || kind == artifact::slurm || kind == artifact::docker ||
           kind == artifact::build || kind == artifact::katib;
}

/// "an mpi job", "a ps job", "a single-node job".
inline std::string backend_phrase(trainspec::backend_kind kind) {
    switch (kind) {
        case trainspec::backend_kind::mpi:
            return "an mpi job";
        case trainspec::backend_kind::parameter_server:
            return "a ps job";
        case trainspec::backend_kind::multi_worker:
            return "a multi_worker job";
        case trainspec::backend_kind::single_node:
            break;
    }
    return "a single-node job";
}

namespace detail {

inline std::string pretty_json(const nlohmann::ordered_json& doc) { return doc.dump(2) + "\n"; }

/// Stands for the directory a script resolves paths from when it runs (it
/// starts with '/', so docker_run_argv() takes it for an absolute path).
inline constexpr std::string_view run_directory_marker = "/\x01run-directory\x01";

/// `path` normalised, relative ones resolved from the run directory.
inline std::string from_run_directory(const std::string& path) {
    const auto normal = std::filesystem::path(path).lexically_normal().generic_string();
    if (!normal.empty() && normal.front() == '/') return normal;
    return std::string(run_directory_marker) + (normal.empty() || normal == "." ? "" : "/" + normal);
}

/// The line of a written script that finds the script's own directory.
inline constexpr std::string_view script_directory_line = "here=$(CDPATH= cd -- \"$(dirname -- \"$0\")\" && pwd)\n";

/// The manifests' options: --image, else the job's image.
inline trainspec::kubeflow_options kubeflow_settings(const render_settings& settings) {
    auto o = settings.kubeflow;
    o.environment_files = settings.environment_files;
    if (settings.image) o.image = *settings.image;
    return o;
}

/// render() of a manifest; a job without an image of its own is told of --image.
template <class Render>
std::string with_image_hint(const trainspec::any_job& job, Render&& render) {
    try {
        return render();
    } catch (const trainspec::artifact_error& e) {
        if (e.artifact() != trainspec::image_artifact) throw;
        throw trainspec::artifact_error(e.artifact(), trainspec::effective_job_name(trainspec::spec_of(job)),
                                        e.rule() + "; or give the image with --image");
    }
}

[[noreturn]] inline void mismatch(std::string_view what, std::string_view fits, const trainspec::any_job& job,
                                  std::string_view instead) {
    throw not_applicable(std::string(what) + " is for " + std::string(fits) + " jobs; " +
                             trainspec::effective_job_name(trainspec::spec_of(job)) + " is " +
                             backend_phrase(trainspec::backend_of(job)),
                         instead);
}

}  // namespace detail

/// Whether the artifact renders a sweep's trials too, or only one run.
inline bool renders_sweeps(artifact kind) {
    return kind == artifact::azureml || kind == artifact::katib || kind == artifact::slurm ||
           kind == artifact::dockerfile || kind == artifact::build || kind == artifact::conda ||
           kind == artifact::requirements;
}

/// Throws not_applicable when `kind` does not fit the job's backend, or
/// runs one job of a sweep.
inline void check_applies(artifact kind, const trainspec::any_job& job) {
    const auto backend = trainspec::backend_of(job);
    if (trainspec::spec_of(job).sweep && !renders_sweeps(kind))
        throw not_applicable("this artifact runs one job; " + trainspec::effective_job_name(trainspec::spec_of(job)) +
                                 " is a sweep: `trainspec-gen sweep SPEC --trial N` gives each trial as a job of "
                                 "its own",
                             "azureml");
    if (kind == artifact::katib && !trainspec::spec_of(job).sweep)
        throw not_applicable("a Katib Experiment is for sweeps; " +
                                 trainspec::effective_job_name(trainspec::spec_of(job)) + " has no sweep",
                             backend == trainspec::backend_kind::mpi           ? "mpijob"
                             : backend == trainspec::backend_kind::single_node ? ""
                                                                               : "tfjob");
    if (kind == artifact::katib && backend == trainspec::backend_kind::single_node)
        throw not_applicable("a Katib Experiment's trials are TFJobs or MPIJobs; " +
                                 trainspec::effective_job_name(trainspec::spec_of(job)) + " is a single-node job",
                             "azureml");
    if (kind == artifact::tfjob && backend != trainspec::backend_kind::parameter_server &&
        backend != trainspec::backend_kind::multi_worker)
        detail::mismatch("a TFJob", "ps and multi_worker", job,
                         backend == trainspec::backend_kind::mpi ? "mpijob" : "");
    if (kind == artifact::mpijob && backend != trainspec::backend_kind::mpi)
        detail::mismatch("an MPIJob", "mpi", job, backend == trainspec::backend_kind::single_node ? "" : "tfjob");
    if ((kind == artifact::dockerfile || kind == artifact::build) && !trainspec::builds_image(trainspec::spec_of(job)))
        throw not_applicable("the image of " + trainspec::effective_job_name(trainspec::spec_of(job)) +
                                 " is not built: it runs " +
                                 (trainspec::effective_use_docker(trainspec::spec_of(job))
                                      ? trainspec::container_image(job)
                                      : std::string("without a container (use_docker = false)")) +
                                 " as it is",
                             "");
    if (kind == artifact::docker && backend != trainspec::backend_kind::single_node)
        detail::mismatch("a docker run line (one container)", "single-node", job,
                         backend == trainspec::backend_kind::mpi ? "mpijob" : "tfjob");
}

/// The script that builds the job's image (and pushes it when it goes to a
/// registry): from the files beside it when generate wrote it, else from
/// the current directory.
inline std::string image_build_script(const trainspec::any_job& job, const render_settings& settings) {
    const auto image = trainspec::image_of(job, settings.environment_files);
    const auto& spec = trainspec::spec_of(job);
    const std::string here = settings.source_from_output ? "\"$here\"" : "\"$PWD\"";
    trainspec::image_build_paths paths;
    paths.context = std::string(detail::run_directory_marker);
    paths.source_directory = detail::from_run_directory(settings.source_from_output.value_or(spec.source_directory));
    std::string script = "#!/bin/sh\n";
    script += "# trainspec: builds " + image.reference + ", the image of " + trainspec::effective_job_name(spec) +
              ", from the Dockerfile " + (settings.source_from_output ? "beside this script" : "here") + "\n";
    script += "set -eu\n";
    if (settings.source_from_output) script += detail::script_directory_line;
    for (const auto& argv : trainspec::image_build_commands(image, paths))
        script += trainspec::shell_join_expanding(argv, detail::run_directory_marker, here) + "\n";
    return script;
}

/// The text of one artifact. `cluster` is the job's plan (needed by the
/// artifacts with needs_plan). Throws not_applicable, or the library's errors.
inline std::string render_artifact(artifact kind, const trainspec::any_job& job,
                                   const std::optional<trainspec::any_cluster>& cluster,
                                   const render_settings& settings) {
    check_applies(kind, job);
    switch (kind) {
        case artifact::tfjob:
        case artifact::mpijob: {
            // check_applies(): a TFJob for ps and multi_worker, an MPIJob for mpi.
            const auto options = detail::kubeflow_settings(settings);
            return detail::with_image_hint(job, [&] {
                return detail::pretty_json(trainspec::kubeflow_manifest(cluster.value(), options).value());
            });
        }
        case artifact::slurm: {
            auto options = settings.slurm;
            if (settings.source_from_output) options.source_directory = settings.source_from_output;
            options.image = settings.image;
            options.environment_files = settings.environment_files;
            return std::visit([&](const auto& typed) { return trainspec::sbatch_script(typed, options); },
                              cluster.value());
        }
        case artifact::docker: {
            // The mount's source is absolute, resolved when the line runs:
            // from the script's directory when generate wrote it, else from
            // the current directory.
            auto options = settings.docker;
            options.image = settings.image;
            options.environment_files = settings.environment_files;
            options.source_path = detail::from_run_directory(options.source_path.value_or(
                settings.source_from_output.value_or(trainspec::spec_of(job).source_directory)));
            return trainspec::shell_join_expanding(trainspec::docker_run_argv(job, options),
                                                   detail::run_directory_marker,
                                                   settings.source_from_output ? "\"$here\"" : "\"$PWD\"") +
                   "\n";
        }
        case artifact::dockerfile:
            return trainspec::dockerfile(job);
        case artifact::build:
            return image_build_script(job, settings);
        case artifact::conda:
            return trainspec::conda_environment_yaml(job);
        case artifact::requirements:
            return trainspec::requirements_txt(job);
        case artifact::azureml: {
            auto options = settings.azureml;
            if (settings.source_from_output) options.code = settings.source_from_output;
            return detail::pretty_json(trainspec::spec_of(job).sweep ? trainspec::azureml_sweep_job(job, options)
                                                                     : trainspec::azureml_command_job(job, options));
        }
        case artifact::katib:
            return detail::with_image_hint(job, [&] {
                return detail::pretty_json(trainspec::katib_experiment(job, detail::kubeflow_settings(settings)));
            });
    }
    throw std::logic_error("unknown artifact");
}

/// The launch script generate writes beside `hostfile` for an mpi job
/// planned with explicit hosts: the mpirun line, run from the source
/// directory, the hostfile found next to the script.
inline std::string mpi_launch_script(const trainspec::cluster<trainspec::mpi>& c, const render_settings& settings) {
    const auto& spec = c.job().spec();
    auto options = trainspec::mpi_launch_options_from(spec);
    options.hostfile = std::string(detail::run_directory_marker) + "/hostfile";
    const auto command = trainspec::mpirun_command(c, options);
    std::string script = "#!/bin/sh\n";
    script += "# trainspec: the MPI launch of " + trainspec::effective_job_name(spec) + " on the hosts of ./hostfile\n";
    script += "set -eu\n";
    script += detail::script_directory_line;
    script +=
        "cd -- \"$here\"/" + trainspec::shell_quote(settings.source_from_output.value_or(spec.source_directory)) + "\n";
    for (const auto& v : command.launcher_environment)
        script += "export " + v.name + "=" + trainspec::shell_quote(v.value) + "\n";
    script += "exec " +
              trainspec::shell_join_expanding(command.launcher_argv(), detail::run_directory_marker, "\"$here\"") +
              "\n";
    return script;
}

/// The content of the artifact's file: the rendered text, and for the
/// docker run command a `#!/bin/sh` line before it.
inline bool is_script(artifact kind) { return kind == artifact::docker || kind == artifact::build; }

inline std::string artifact_file_content(artifact kind, std::string text) {
    if (kind == artifact::build) return text;
    if (kind == artifact::docker)
        return "#!/bin/sh\nset -eu\n" + std::string(detail::script_directory_line) + "exec " + text;
    return text;
}

}  // namespace trainspec_gen
