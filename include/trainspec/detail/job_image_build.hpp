#pragma once
// How a job's image is made: its base, its Dockerfile and build context, and
// the content tag, behind render/job_image.hpp (docs/environments.md).

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <trainspec/detail/environment_lists.hpp>
#include <trainspec/detail/linkage.hpp>
#include <trainspec/detail/sha256.hpp>
#include <trainspec/error.hpp>
#include <trainspec/job.hpp>
#include <trainspec/launch.hpp>
#include <trainspec/render/job_image.hpp>
#include <trainspec/spec/framework.hpp>
#include <trainspec/spec/images.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/mpi_flavor.hpp>
#include <trainspec/spec/names.hpp>
#include <trainspec/spec/resource_names.hpp>
#include <trainspec/spec/slurm_environment.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline void require_docker(const char* artifact, const job_spec& s) {
    if (!effective_use_docker(s))
        container_error(artifact, s, "has use_docker = false; set use_docker to true (the default) for a container");
}

/// An image given to run instead of the job's (the manifests', Slurm's and
/// docker run's `image`): Docker's reference syntax, which also keeps it
/// from reading as an option of docker run or a container runtime.
inline void check_image_option(const std::optional<std::string>& image) {
    if (image)
        if (auto why = image_reference_problem(*image))
            throw validation_error({{"image", quote_json(*image), std::string(*why)}});
}

/// custom_docker_image, else Azure ML's base image for conda jobs (it has
/// conda), else the official TensorFlow image.
inline std::string base_image_of(const job_spec& s) {
    if (s.custom_docker_image) return *s.custom_docker_image;
    if (conda_used(s)) return azureml_base_image(effective_framework_version(s), effective_use_gpu(s));
    const auto& entry = framework_image_for(effective_framework_version(s));
    return std::string(effective_use_gpu(s) ? entry.gpu_image : entry.cpu_image);
}

/// The job installs something beyond TensorFlow (user_managed jobs never do).
inline bool installs_packages(const job_spec& s) {
    return !effective_user_managed(s) && (conda_used(s) || s.pip_requirements_file || pip_list(s).size() > 1);
}

inline bool image_is_built(const job_spec& s) {
    if (!effective_use_docker(s) || effective_user_managed(s)) return false;
    const auto backend = effective_backend(s);
    return s.custom_docker_image || installs_packages(s) || backend == backend_kind::parameter_server ||
           backend == backend_kind::multi_worker;
}

inline std::string exec_form(const std::vector<std::string>& words) {
    std::string text = "[";
    for (std::size_t i = 0; i < words.size(); ++i) text += (i ? ", " : "") + quote_json(words[i]);
    return text + "]";
}

inline std::string run_line(const std::vector<std::string>& argv) { return "RUN " + exec_form(argv) + "\n"; }

inline std::vector<std::string> pip_install(std::vector<std::string> what) {
    std::vector<std::string> argv{"python", "-m", "pip", "install", "--no-cache-dir"};
    argv.insert(argv.end(), what.begin(), what.end());
    return argv;
}

/// Horovod builds with CMake from 0.20 on.
inline bool horovod_needs_cmake(std::string_view version) {
    return !(version.substr(0, 3) == "0.1" || version == "0.19.5");
}

/// The system packages of an mpi job's image, and sshd set up as the MPI
/// Operator's workers run it (root, keys from a Secret, no host key prompts).
inline std::string mpi_system_lines(const job_spec& s, const std::string& base) {
    std::string packages = "openssh-client openssh-server g++ make";
    const auto flavor = effective_mpi_flavor(s);
    const bool azure_base = base.rfind("mcr.microsoft.com/azureml/openmpi", 0) == 0;
    if (flavor == mpi_flavor::mpich)
        packages += " mpich libmpich-dev";
    else if (!azure_base)
        packages += " openmpi-bin libopenmpi-dev";
    // A pip install builds against the image's own python3; a conda
    // environment has its headers.
    if (!conda_used(s))
        packages += " \"python$(python3 -c 'import sys; print(\"%d.%d\" % sys.version_info[:2])')-dev\"";
    std::string d =
        "RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install --yes "
        "--no-install-recommends " +
        packages + " && rm -rf /var/lib/apt/lists/*\n";
    d += "RUN mkdir -p /var/run/sshd && printf '%s\\n' 'StrictHostKeyChecking no' 'UserKnownHostsFile /dev/null' "
         ">> /etc/ssh/ssh_config && printf '%s\\n' 'StrictModes no' >> /etc/ssh/sshd_config\n";
    return d;
}

/// Before anything that installs Horovod: TensorFlow (Horovod's build
/// imports it) and CMake.
inline std::string horovod_prerequisites(const job_spec& s, bool base_has_cuda) {
    const auto version = effective_framework_version(s);
    std::vector<std::string> what{tensorflow_requirement(version, effective_use_gpu(s), base_has_cuda)};
    if (horovod_needs_cmake(framework_image_for(version).horovod)) what.emplace_back("cmake");
    return run_line(pip_install(std::move(what)));
}

inline std::string dockerfile_text(const job_spec& s) {
    require_docker("Dockerfile", s);
    if (!image_is_built(s))
        container_error("Dockerfile", s,
                        effective_user_managed(s)
                            ? "is user_managed: it runs " + base_image_of(s) + " as it is"
                            : "installs nothing beyond " + base_image_of(s) + ", which it runs as it is");
    const bool mpi = effective_backend(s) == backend_kind::mpi;
    if (mpi && effective_mpi_flavor(s) == mpi_flavor::intel && !s.custom_docker_image)
        container_error("Dockerfile", s,
                        "uses Intel MPI (mpi.flavor \"intel\"), which is not in the Ubuntu archives the image "
                        "installs from: give a custom_docker_image that has it");
    const auto base = base_image_of(s);
    const auto& pins = framework_image_for(effective_framework_version(s));
    std::string d = "FROM " + base + "\n";
    if (mpi && !s.custom_docker_image) d += mpi_system_lines(s, base);
    if (mpi)
        d += "ENV HOROVOD_WITH_TENSORFLOW=1 HOROVOD_WITH_MPI=1 HOROVOD_WITHOUT_PYTORCH=1 "
             "HOROVOD_WITHOUT_MXNET=1\n";
    const std::string env_dir = "/tmp/trainspec/";
    if (conda_used(s)) {
        const std::string file = s.conda_dependencies_file ? std::string(user_environment_name) : "environment.yml";
        const std::string prefix(image_conda_prefix);
        d += "COPY " + file + " " + env_dir + file + "\n";
        d += "ENV PATH=" + prefix + "/bin:$PATH\n";
        if (mpi) {
            d +=
                run_line({"conda", "create", "--yes", "--prefix", prefix, "python=" + std::string(pins.python), "pip"});
            d += horovod_prerequisites(s, conda_base_has_cuda(s));
            d += run_line({"conda", "env", "update", "--prefix", prefix, "--file", env_dir + file});
        } else {
            d += run_line({"conda", "env", "create", "--prefix", prefix, "--file", env_dir + file});
        }
    } else {
        d += "COPY requirements.txt " + env_dir + "requirements.txt\n";
        if (mpi) d += horovod_prerequisites(s, true);
        d += run_line(pip_install({"-r", env_dir + "requirements.txt"}));
    }
    if (s.pip_requirements_file) {
        const std::string file(user_requirements_name);
        d += "COPY " + file + " " + env_dir + file + "\n";
        d += run_line(pip_install({"-r", env_dir + file}));
    }
    // Horovod last: a job's own conda file does not list it; elsewhere pip
    // finds it already installed.
    if (mpi) d += run_line(pip_install({pinned("horovod", pins.horovod)}));
    d += std::string("WORKDIR ") + container_workdir + "\n";
    d += std::string("COPY --from=source . ") + container_workdir + "\n";
    return d;
}

/// The tag: SHA-256 of the `sha256sum` listing of the context (one
/// "<hex>  <name>" line per file, sorted by name), its first digits.
inline std::string content_tag(const std::vector<image_file>& context) {
    std::string listing;
    for (const auto& f : context) listing += sha256().update(f.content).hex() + "  " + f.name + "\n";
    return sha256().update(listing).hex().substr(0, image_tag_length);
}

inline job_image image_for(const job_spec& s, const environment_file_contents& files) {
    require_docker(image_artifact, s);
    job_image image;
    image.base = base_image_of(s);
    if (!image_is_built(s)) {
        image.reference = image.base;
        return image;
    }
    image.built = true;
    image.pushed = s.image_registry.has_value();
    image.context.push_back({"Dockerfile", dockerfile_text(s)});
    if (conda_used(s) && !s.conda_dependencies_file) image.context.push_back({"environment.yml", environment_yaml(s)});
    if (!conda_used(s)) image.context.push_back({"requirements.txt", requirements_text(s)});
    struct own_file {
        const char* key;
        const std::optional<std::string>& path;
        const std::optional<std::string>& content;
        std::string_view name;
    };
    for (const own_file& f : {own_file{"pip_requirements_file", s.pip_requirements_file, files.pip_requirements_file,
                                       user_requirements_name},
                              own_file{"conda_dependencies_file", s.conda_dependencies_file,
                                       files.conda_dependencies_file, user_environment_name}}) {
        if (!f.path) continue;
        if (!f.content)
            container_error(image_artifact, s,
                            std::string("names its own ") + f.key + " " + quote_json(*f.path) +
                                ", whose content is part of the image: pass it in environment_file_contents");
        image.context.push_back({std::string(f.name), *f.content});
    }
    std::sort(image.context.begin(), image.context.end(),
              [](const image_file& a, const image_file& b) { return a.name < b.name; });
    const std::string repository =
        s.image_registry.value_or(std::string(default_image_repository) + "/" + effective_job_name(s));
    image.reference = repository + ":" + content_tag(image.context);
    return image;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE

// The entry points of <trainspec/render/job_image.hpp> (compiled once in compiled mode).
#if TRAINSPEC_DEFINITIONS
TRAINSPEC_BEGIN_NAMESPACE
template <class Backend>
job_image image_of(const job<Backend>& j, const environment_file_contents& files) {
    return detail::image_for(j.spec(), files);
}

template <class Backend>
std::string container_image(const job<Backend>& j, const environment_file_contents& files) {
    return detail::image_for(j.spec(), files).reference;
}

template <class Backend>
std::string dockerfile(const job<Backend>& j) {
    return detail::dockerfile_text(j.spec());
}

TRAINSPEC_INLINE bool builds_image(const job_spec& s) { return detail::image_is_built(s); }

TRAINSPEC_INLINE job_image image_of(const any_job& j, const environment_file_contents& files) {
    return detail::image_for(spec_of(j), files);
}

TRAINSPEC_INLINE std::string container_image(const any_job& j, const environment_file_contents& files) {
    return detail::image_for(spec_of(j), files).reference;
}

TRAINSPEC_INLINE std::string dockerfile(const any_job& j) { return detail::dockerfile_text(spec_of(j)); }

TRAINSPEC_INLINE slurm_environment_kind effective_slurm_environment(const job_spec& s) {
    if (s.slurm_environment) return *s.slurm_environment;
    if (effective_use_docker(s)) return slurm_environment_kind::apptainer;
    if (detail::installs_packages(s)) return slurm_environment_kind::conda;
    return slurm_environment_kind::none;
}
TRAINSPEC_END_NAMESPACE
#endif
