#pragma once
// The container of a job: its image, its environment files, a Dockerfile
// and the `docker run` command.
//
//   std::string container_image(const job<B>& job);          // also (const any_job&)
//   std::vector<std::string> pip_requirements(const job<B>& job);
//   std::string conda_environment_yaml(const job<B>& job);
//   std::string requirements_txt(const job<B>& job);
//   std::string dockerfile(const job<B>& job);
//   std::vector<std::string> docker_run_argv(const job<B>& job, const docker_run_options& options = {});
//   std::string docker_run_command(const job<B>& job, const docker_run_options& options = {});
//   bool uses_conda(const job<B>& job);
//
// Every function has an any_job overload and throws std::invalid_argument
// with a message naming the field when the job cannot have the artifact.
//
// Image: custom_docker_image when given, else the official TensorFlow image
// of framework_version, CPU or GPU after use_gpu (images.hpp has the table).
// user_managed: the image already has everything, so there is no
// environment file and no install step.
//
// Packages (pip section of environment.yml, and requirements.txt), in order:
//   tensorflow==<version>.*            (tensorflow-gpu for 1.x and 2.0 on GPU;
//                                       the tensorflow wheel has GPU support from 2.1)
//   horovod                            (distributed_backend "mpi")
//   keras                              (keras: true; see keras_requirement())
//   tf2onnx                            (onnx_export)
//   pip_packages...                    (the user's, in order)
// environment.yml adds `python=3.x` (images.hpp), `pip`, then conda_packages.
//
// Dockerfile (build context: a directory holding the generated
// requirements.txt / environment.yml and source_directory at its relative
// path):
//   FROM <image>
//   WORKDIR /workspace
//   [ENV HOROVOD_WITH_TENSORFLOW=1]                            (mpi)
//   COPY requirements.txt /tmp/trainspec/requirements.txt     (pip)
//   RUN ["python", "-m", "pip", "install", "--no-cache-dir", "-r", "/tmp/trainspec/requirements.txt"]
//   COPY ["<source_directory>", "/workspace"]
//   [RUN ["python", "-m", "pip", "install", "--no-cache-dir", "-r", "<pip_requirements_file>"]]
// With conda_packages or a conda_dependencies_file the environment is
// installed with `conda env update -n base -f ...`; the official
// TensorFlow images have no conda, so that needs a custom_docker_image.
// Horovod builds from source on `pip install`: its image needs a compiler
// and CMake.
//
// docker run (argv; one -e per variable, so values need no quoting), for
// single-node jobs:
//   docker run --rm [--gpus all] --shm-size <shm_size> [-e NAME=value]...
//              -v <source>:/workspace -w /workspace <image> <steps>
// <steps> is the task's argv (launch.hpp). A relative source path is written
// `./path` (a bare word would name a volume); trainspec-gen passes an
// absolute one, resolved when the line runs.

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/framework.hpp>
#include <trainspec/images.hpp>
#include <trainspec/job.hpp>
#include <trainspec/job_spec.hpp>
#include <trainspec/launch.hpp>
#include <trainspec/resource_names.hpp>
#include <trainspec/shell_quote.hpp>
#include <trainspec/training_command.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

struct docker_run_options {
    /// The image to run; default container_image(job). Give the image built
    /// from dockerfile(job) when the job installs packages.
    std::optional<std::string> image;
    /// The host directory mounted at /workspace; default source_directory.
    std::optional<std::string> source_path;
};

namespace detail {

[[noreturn]] inline void container_error(const char* artifact, const job_spec& s, const std::string& why) {
    throw std::invalid_argument(std::string("trainspec: ") + artifact + ": job \"" + effective_job_name(s) + "\" " +
                                why);
}

inline void require_docker(const char* artifact, const job_spec& s) {
    if (!effective_use_docker(s))
        container_error(artifact, s, "has use_docker = false; set use_docker to true (the default) for a container");
}

inline std::string image_of(const job_spec& s) {
    if (s.custom_docker_image) return *s.custom_docker_image;
    const auto& entry = framework_image_for(effective_framework_version(s));
    return std::string(effective_use_gpu(s) ? entry.gpu_image : entry.cpu_image);
}

/// The keras package of the keras switch, or "" when tf.keras is the one:
/// 1.x: multi-backend Keras 2.2/2.3 (the last releases that run on TF 1);
/// 2.0-2.5: nothing (tf.keras ships inside the tensorflow wheel);
/// 2.6-2.15: keras==2.X.* (the separate package tf.keras is, same version);
/// 2.16 and later: keras>=3 (Keras 3, which tf.keras is from 2.16 on; Keras
/// 2 code needs the tf_keras package, added through pip_packages).
inline std::string keras_requirement(std::string_view version) {
    if (framework_major(version) < 2) return "keras>=2.2,<2.4";
    const auto minor = std::stoi(std::string(version.substr(2)));
    if (minor <= 5) return "";
    if (minor <= 15) return "keras==" + std::string(version) + ".*";
    return "keras>=3";
}

/// The pip list; `base_has_cuda`: the image it is installed into has CUDA
/// (the official TensorFlow GPU images, a custom image), else GPU wheels that
/// need it bring it (tensorflow_requirement()).
inline std::vector<std::string> pip_list(const job_spec& s, bool base_has_cuda = true) {
    const auto version = effective_framework_version(s);
    std::vector<std::string> list{tensorflow_requirement(version, effective_use_gpu(s), base_has_cuda)};
    if (effective_backend(s) == backend_kind::mpi) list.emplace_back("horovod");
    if (effective_keras(s))
        if (auto keras = keras_requirement(version); !keras.empty()) list.push_back(std::move(keras));
    if (effective_onnx_export(s)) list.emplace_back("tf2onnx");
    list.insert(list.end(), s.pip_packages.begin(), s.pip_packages.end());
    return list;
}

inline bool is_yaml_plain_safe(std::string_view text) {
    if (text.empty() || !((text[0] >= 'a' && text[0] <= 'z') || (text[0] >= 'A' && text[0] <= 'Z'))) return false;
    for (char c : text)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
              c == '=' || c == '-'))
            return false;
    static constexpr std::string_view special[] = {"y",  "n",   "yes",  "no",  "true", "false",
                                                   "on", "off", "null", "nan", "inf"};
    std::string lower(text);
    for (auto& c : lower)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    for (auto word : special)
        if (lower == word) return false;
    return true;
}

/// A YAML scalar that reads back as the string `text`: plain when that is
/// unambiguous, else double-quoted (JSON escapes are YAML escapes).
inline std::string yaml_string(std::string_view text) {
    return is_yaml_plain_safe(text) ? std::string(text) : quote_json(text);
}

inline bool conda_used(const job_spec& s) {
    return !effective_user_managed(s) && (!s.conda_packages.empty() || s.conda_dependencies_file.has_value());
}

inline std::string environment_yaml(const job_spec& s) {
    if (effective_user_managed(s))
        container_error("environment.yml", s, "is user_managed: the image already has everything");
    if (s.conda_dependencies_file)
        container_error("environment.yml", s,
                        "uses its own conda_dependencies_file " + quote_json(*s.conda_dependencies_file));
    const auto& entry = framework_image_for(effective_framework_version(s));
    std::string y = "name: " + yaml_string(effective_job_name(s)) + "\n";
    y += "channels:\n  - conda-forge\n  - defaults\n";
    y += "dependencies:\n";
    y += "  - " + yaml_string("python=" + std::string(entry.python)) + "\n";
    y += "  - pip\n";
    for (const auto& p : s.conda_packages) y += "  - " + yaml_string(p) + "\n";
    y += "  - pip:\n";
    // Azure ML builds the environment on its base image for the CUDA of the
    // version; a custom image is the user's, CUDA included.
    const bool base_has_cuda = s.custom_docker_image || azureml_base_has_cuda(effective_framework_version(s));
    for (const auto& p : pip_list(s, base_has_cuda)) y += "      - " + yaml_string(p) + "\n";
    return y;
}

inline std::string requirements_text(const job_spec& s) {
    if (effective_user_managed(s))
        container_error("requirements.txt", s, "is user_managed: the image already has everything");
    std::string text;
    for (const auto& p : pip_list(s)) text += p + "\n";
    return text;
}

/// source_directory as a path relative to the build context.
inline std::string context_path(const job_spec& s) {
    std::string path = s.source_directory;
    if (!path.empty() && path.front() == '/')
        container_error("Dockerfile", s,
                        "has an absolute source_directory " + quote_json(path) +
                            "; a Dockerfile copies from the build context, so give a relative path");
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    return path.empty() ? std::string(".") : path;
}

inline std::string exec_form(const std::vector<std::string>& words) {
    std::string text = "[";
    for (std::size_t i = 0; i < words.size(); ++i) text += (i ? ", " : "") + quote_json(words[i]);
    return text + "]";
}

inline std::string workspace_path(const std::string& relative) {
    return std::string(container_workdir) + "/" + relative;
}

inline std::string dockerfile_text(const job_spec& s) {
    require_docker("Dockerfile", s);
    const auto image = image_of(s);
    std::string d = "FROM " + image + "\n";
    d += std::string("WORKDIR ") + container_workdir + "\n";
    const auto source = "COPY " + exec_form({context_path(s), container_workdir}) + "\n";
    if (effective_user_managed(s)) return d + source;
    if (conda_used(s) && !s.custom_docker_image)
        container_error("Dockerfile", s,
                        "installs conda packages, and the default image " + image +
                            " has no conda; set custom_docker_image to an image with conda, or use pip_packages");
    if (effective_backend(s) == backend_kind::mpi) d += "ENV HOROVOD_WITH_TENSORFLOW=1\n";
    if (s.conda_dependencies_file) {
        d += source;
        d += "RUN " +
             exec_form({"conda", "env", "update", "-n", "base", "-f", workspace_path(*s.conda_dependencies_file)}) +
             "\n";
        return d;
    }
    if (conda_used(s)) {
        d += "COPY environment.yml /tmp/trainspec/environment.yml\n";
        d +=
            "RUN " + exec_form({"conda", "env", "update", "-n", "base", "-f", "/tmp/trainspec/environment.yml"}) + "\n";
    } else {
        d += "COPY requirements.txt /tmp/trainspec/requirements.txt\n";
        d += "RUN " +
             exec_form({"python", "-m", "pip", "install", "--no-cache-dir", "-r", "/tmp/trainspec/requirements.txt"}) +
             "\n";
    }
    d += source;
    if (s.pip_requirements_file)
        d += "RUN " +
             exec_form(
                 {"python", "-m", "pip", "install", "--no-cache-dir", "-r", workspace_path(*s.pip_requirements_file)}) +
             "\n";
    return d;
}

inline std::vector<std::string> docker_run(const job_spec& s, const docker_run_options& o) {
    require_docker("docker run", s);
    if (effective_backend(s) != backend_kind::single_node)
        container_error("docker run", s,
                        "is a \"" + std::string(spec_name(effective_backend(s))) + "\" job of " +
                            std::to_string(effective_task_count(s)) +
                            " tasks; docker run starts one container: launch it on Kubernetes (tfjob, mpijob), "
                            "Slurm or with mpirun");
    std::vector<std::string> argv{"docker", "run", "--rm"};
    if (effective_use_gpu(s)) argv.insert(argv.end(), {"--gpus", "all"});
    argv.insert(argv.end(), {"--shm-size", effective_shm_size(s)});
    for (const auto& v : s.environment_variables) argv.insert(argv.end(), {"-e", v.name + "=" + v.value});
    std::string source = o.source_path.value_or(s.source_directory);
    if (source.empty()) source = ".";
    if (source.front() != '/' && source.front() != '.') source = "./" + source;
    argv.insert(argv.end(), {"-v", source + ":" + container_workdir, "-w", container_workdir});
    argv.push_back(o.image.value_or(image_of(s)));
    const auto command = task_command(launch_steps(s), owner_check::owner);
    argv.insert(argv.end(), command.begin(), command.end());
    return argv;
}

}  // namespace detail

/// custom_docker_image, else the default image of framework_version and use_gpu.
template <class Backend>
std::string container_image(const job<Backend>& j) {
    detail::require_docker("container image", j.spec());
    return detail::image_of(j.spec());
}
inline std::string container_image(const any_job& j) {
    return std::visit([](const auto& typed) { return container_image(typed); }, j);
}

/// The pip requirements the job's environment installs, in order.
template <class Backend>
std::vector<std::string> pip_requirements(const job<Backend>& j) {
    return detail::pip_list(j.spec());
}
inline std::vector<std::string> pip_requirements(const any_job& j) { return detail::pip_list(spec_of(j)); }

/// True when the environment is installed with conda (conda_packages or a
/// conda_dependencies_file), false for pip only or user_managed.
template <class Backend>
bool uses_conda(const job<Backend>& j) {
    return detail::conda_used(j.spec());
}
inline bool uses_conda(const any_job& j) { return detail::conda_used(spec_of(j)); }

/// environment.yml. Throws for user_managed jobs and for jobs with their
/// own conda_dependencies_file.
template <class Backend>
std::string conda_environment_yaml(const job<Backend>& j) {
    return detail::environment_yaml(j.spec());
}
inline std::string conda_environment_yaml(const any_job& j) { return detail::environment_yaml(spec_of(j)); }

/// requirements.txt: pip_requirements(), one a line. Throws for user_managed jobs.
template <class Backend>
std::string requirements_txt(const job<Backend>& j) {
    return detail::requirements_text(j.spec());
}
inline std::string requirements_txt(const any_job& j) { return detail::requirements_text(spec_of(j)); }

/// The Dockerfile. Throws for use_docker = false, for an absolute
/// source_directory and for conda packages on an image without conda.
template <class Backend>
std::string dockerfile(const job<Backend>& j) {
    return detail::dockerfile_text(j.spec());
}
inline std::string dockerfile(const any_job& j) { return detail::dockerfile_text(spec_of(j)); }

/// `docker run` as argv. Throws for use_docker = false.
template <class Backend>
std::vector<std::string> docker_run_argv(const job<Backend>& j, const docker_run_options& options = {}) {
    return detail::docker_run(j.spec(), options);
}
inline std::vector<std::string> docker_run_argv(const any_job& j, const docker_run_options& options = {}) {
    return detail::docker_run(spec_of(j), options);
}

/// docker_run_argv() quoted for POSIX sh.
template <class Backend>
std::string docker_run_command(const job<Backend>& j, const docker_run_options& options = {}) {
    return shell_join(docker_run_argv(j, options));
}
inline std::string docker_run_command(const any_job& j, const docker_run_options& options = {}) {
    return shell_join(docker_run_argv(j, options));
}

TRAINSPEC_END_NAMESPACE
