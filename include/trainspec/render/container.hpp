#pragma once
// The `docker run` line of a single-node job (argv; one -e per variable, so
// values need no quoting):
//
//   docker run --rm [--gpus all] --shm-size <shm_size> [-e NAME=value]...
//              -v <source>:/workspace[:ro] -w /workspace <image> <steps>
//
//   std::vector<std::string> docker_run_argv(const job<B>& job, const docker_run_options& options = {});
//   std::string docker_run_command(const job<B>& job, const docker_run_options& options = {});
//
// <image> is the job's image (job_image.hpp); <steps> the task's argv
// (launch.hpp). A relative source path is written `./path` (a bare word
// would name a volume); trainspec-gen passes an absolute one, resolved when
// the line runs.

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <trainspec/detail/linkage.hpp>
#include <trainspec/job.hpp>
#include <trainspec/render/job_image.hpp>
#include <trainspec/render/shell_quote.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

struct docker_run_options {
    /// The image to run; default the job's image (container_image()).
    std::optional<std::string> image;
    /// The contents of the job's own environment files, for its image's tag.
    environment_file_contents environment_files;
    /// The host directory mounted at /workspace; default source_directory.
    std::optional<std::string> source_path;
};

namespace detail {
std::vector<std::string> docker_run(const job_spec& s, const docker_run_options& o);
}  // namespace detail

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

#if TRAINSPEC_DEFINITIONS
#include <trainspec/detail/job_image_build.hpp>
#include <trainspec/detail/launch_steps.hpp>
#include <trainspec/launch.hpp>
#include <trainspec/render/training_command.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

TRAINSPEC_INLINE std::vector<std::string> docker_run(const job_spec& s, const docker_run_options& o) {
    require_docker("docker run", s);
    check_image_option(o.image);
    if (effective_backend(s) != backend_kind::single_node)
        container_error("docker run", s,
                        "is a \"" + std::string(enum_name(effective_backend(s))) + "\" job of " +
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
    argv.insert(argv.end(), {"-v", source_mount(source, s), "-w", container_workdir});
    argv.push_back(o.image ? *o.image : image_for(s, o.environment_files).reference);
    const auto command = task_command(launch_steps(s), owner_check::owner);
    argv.insert(argv.end(), command.begin(), command.end());
    return argv;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
#endif
