#pragma once
// The image a job runs in, on every engine (docs/environments.md):
//
//   job_image image_of(const job<B>& job, const environment_file_contents& files = {});
//   std::string container_image(const job<B>& job, const environment_file_contents& files = {});
//   std::string dockerfile(const job<B>& job);
//   std::vector<std::vector<std::string>> image_build_commands(const job_image& image, const image_build_paths& paths);
//   bool builds_image(const job_spec& spec);
//   slurm_environment_kind effective_slurm_environment(const job_spec& spec);
//
// A job that installs nothing and runs on one node uses its base image as
// it is. Any other job (packages, a custom image that gets TensorFlow, or
// a distributed job, whose pods receive the source directory in the image)
// runs an image built from its Dockerfile, named `<image_registry>:<tag>`
// where the tag is derived from the content of the build context alone.
// The library reads no files: the contents of the job's own
// pip_requirements_file / conda_dependencies_file, which are part of the
// build context, come from the caller.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <trainspec/detail/linkage.hpp>
#include <trainspec/job.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/slurm_environment.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// The contents of the environment files a job names in its source
/// directory (trainspec-gen reads them); needed for the tag of its image.
struct environment_file_contents {
    std::optional<std::string> pip_requirements_file;
    std::optional<std::string> conda_dependencies_file;
};

/// One file of an image's build context.
struct image_file {
    std::string name;  ///< relative to the build context
    std::string content;
};

struct job_image {
    std::string reference;  ///< what every launcher runs
    std::string base;       ///< the image it starts from (FROM)
    bool built = false;     ///< built from `context` (else `reference` is `base`)
    bool pushed = false;    ///< built and pushed to the job's image_registry (else a local image)
    /// Built images: the Dockerfile and every file it copies, sorted by name.
    std::vector<image_file> context;
};

/// The artifact named by the errors of image_of() and container_image().
inline constexpr const char* image_artifact = "container image";

/// The repository of a built image when the spec names none: a local name
/// (`trainspec/<job name>`), never pushed.
inline constexpr std::string_view default_image_repository = "trainspec";

/// Where the Dockerfile puts the conda environment of a conda job.
inline constexpr std::string_view image_conda_prefix = "/opt/trainspec/env";

/// The digits of the content-derived tag (64 bits of SHA-256).
inline constexpr std::size_t image_tag_length = 16;

/// The build context's names for the job's own environment files.
inline constexpr std::string_view user_requirements_name = "user-requirements.txt";
inline constexpr std::string_view user_environment_name = "user-environment.yml";

/// True when the job's image is built from its Dockerfile (see above).
bool builds_image(const job_spec& s);

/// The job's image: the base image, or the one built from its Dockerfile.
/// Throws artifact_error for use_docker = false, and when the job
/// names its own environment file and `files` lacks its content.
template <class Backend>
job_image image_of(const job<Backend>& j, const environment_file_contents& files = {});
job_image image_of(const any_job& j, const environment_file_contents& files = {});

/// image_of().reference: what every launcher runs.
template <class Backend>
std::string container_image(const job<Backend>& j, const environment_file_contents& files = {});
std::string container_image(const any_job& j, const environment_file_contents& files = {});

/// The Dockerfile of a job whose image is built. Its build context holds
/// the files it copies (image_of().context); the source directory is the
/// named context `source` (`docker build --build-context source=DIR`).
/// Throws for jobs whose image is not built.
template <class Backend>
std::string dockerfile(const job<Backend>& j);
std::string dockerfile(const any_job& j);

/// Where the build runs from.
struct image_build_paths {
    std::string context;           ///< the directory holding the build context's files
    std::string source_directory;  ///< the job's source directory
};

/// `docker build` of a built image (BuildKit: Docker 23 or docker buildx),
/// then `docker push` when it goes to a registry. Empty for images that are
/// not built.
inline std::vector<std::vector<std::string>> image_build_commands(const job_image& image,
                                                                  const image_build_paths& paths) {
    if (!image.built) return {};
    std::vector<std::vector<std::string>> commands{{"docker", "build", "--build-context",
                                                    "source=" + paths.source_directory, "--tag", image.reference,
                                                    paths.context}};
    if (image.pushed) commands.push_back({"docker", "push", image.reference});
    return commands;
}

/// slurm_environment, else: the job's container through Apptainer when it
/// runs in one (use_docker), else a conda environment when it installs
/// packages, else the nodes' own Python.
slurm_environment_kind effective_slurm_environment(const job_spec& s);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <trainspec/detail/job_image_build.hpp>
#endif

#ifdef TRAINSPEC_COMPILED_LIB
#define TRAINSPEC_JOB_IMAGE(B)                                                                                  \
    TRAINSPEC_INSTANTIATE job_image image_of(const job<B>& j, const environment_file_contents& files);          \
    TRAINSPEC_INSTANTIATE std::string container_image(const job<B>& j, const environment_file_contents& files); \
    TRAINSPEC_INSTANTIATE std::string dockerfile(const job<B>& j);
TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_FOR_EACH_BACKEND(TRAINSPEC_JOB_IMAGE)
TRAINSPEC_END_NAMESPACE
#undef TRAINSPEC_JOB_IMAGE
#endif
