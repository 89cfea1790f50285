// The image a job runs in: which jobs build one, the Dockerfile of each
// kind of job, the content-derived tag (recomputed with coreutils'
// sha256sum), the registry, the build commands, the release pins and
// registry rules of validation, and the Slurm environment defaults.

#include <doctest/doctest.h>

#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <trainspec/render/job_image.hpp>
#include <trainspec/spec_json.hpp>

#include "test_support.hpp"

using namespace trainspec;
using test_support::error_of;

namespace {

using argv_t = std::vector<std::string>;

std::string spec_text(const std::string& extra) {
    return R"({"name": "mnist", "source_directory": "src", "entry_script": "train.py", "compute_target": "c")" +
           (extra.empty() ? std::string() : ", " + extra) + "}";
}

any_job job_from(const std::string& extra = "") { return load_job(spec_text(extra)); }

/// The tag as docs/environments.md defines it, computed by the shell:
/// sha256sum over the context's files in byte order, sha256sum of that
/// listing, its first 16 digits.
std::string tag_by_sha256sum(const std::vector<image_file>& context) {
    char dir[] = "/tmp/trainspec-unit-job-image-XXXXXX";
    REQUIRE(mkdtemp(dir) != nullptr);
    for (const auto& f : context) {
        std::FILE* out = std::fopen((std::string(dir) + "/" + f.name).c_str(), "wb");
        REQUIRE(out != nullptr);
        std::fwrite(f.content.data(), 1, f.content.size(), out);
        std::fclose(out);
    }
    const std::string command = std::string("cd ") + dir +
                                " && LC_ALL=C sha256sum $(LC_ALL=C ls) | sha256sum | cut -c1-16 && rm -f -- * && "
                                "rmdir -- \"$PWD\"";
    FILE* p = popen(command.c_str(), "r");
    REQUIRE(p != nullptr);
    char buffer[64] = {};
    std::string out = std::fgets(buffer, sizeof buffer, p) ? buffer : "";
    REQUIRE(pclose(p) == 0);
    return out.substr(0, out.find('\n'));
}

std::string tag_of(const std::string& reference) { return reference.substr(reference.rfind(':') + 1); }

const environment_file_contents own_files{std::string("numpy==1.26.4\n"), std::string("dependencies:\n  - scipy\n")};

}  // namespace

TEST_CASE("which jobs build an image") {
    struct row {
        const char* extra;
        bool built;
    };
    const row rows[] = {
        {"", false},                                               // TensorFlow's image has everything
        {R"("keras": true, "framework_version": "2.4")", false},   // tf.keras is in the wheel
        {R"("pip_packages": ["pandas"])", true},                   //
        {R"("conda_packages": ["scipy"])", true},                  //
        {R"("pip_requirements_file": "requirements.txt")", true},  //
        {R"("conda_dependencies_file": "env.yml")", true},         //
        {R"("custom_docker_image": "me/base:1")", true},           // TensorFlow is installed on it
        {R"("custom_docker_image": "me/tf:1", "user_managed": true)", false},
        {R"("keras": true, "framework_version": "2.15")", true},      // keras==2.15.*
        {R"("onnx_export": {})", true},                               // tf2onnx
        {R"("distributed_backend": "mpi")", true},                    // Horovod, MPI, sshd
        {R"("distributed_backend": "ps", "worker_count": 2)", true},  // pods get the source in the image
        {R"("distributed_backend": "multi_worker", "worker_count": 2)", true},
        {R"("use_docker": false, "pip_packages": ["pandas"])", false},  // no container at all
    };
    for (const auto& r : rows) {
        CAPTURE(r.extra);
        const auto job = job_from(r.extra);
        CHECK(builds_image(spec_of(job)) == r.built);
        if (!effective_use_docker(spec_of(job))) continue;
        const auto image = image_of(job, own_files);
        CHECK(image.built == r.built);
        CHECK(image.pushed == false);
        if (r.built) {
            CHECK(image.reference.rfind("trainspec/mnist:", 0) == 0);
            CHECK(tag_of(image.reference).size() == image_tag_length);
            CHECK(image.context.front().name == "Dockerfile");
        } else {
            CHECK(image.reference == image.base);
            CHECK(image.context.empty());
            CHECK(image_build_commands(image, {"ctx", "src"}).empty());
        }
    }
}

TEST_CASE("Dockerfile: pip on TensorFlow's image, source last") {
    const auto job = job_from(R"("framework_version": "2.15", "use_gpu": true, "pip_packages": ["pandas"])");
    CHECK(dockerfile(job) == R"(FROM tensorflow/tensorflow:2.15.0-gpu
COPY requirements.txt /tmp/trainspec/requirements.txt
RUN ["python", "-m", "pip", "install", "--no-cache-dir", "-r", "/tmp/trainspec/requirements.txt"]
WORKDIR /workspace
COPY --from=source . /workspace
)");
    const auto image = image_of(job);
    REQUIRE(image.context.size() == 2);
    CHECK(image.context[0].content == dockerfile(job));
    CHECK(image.context[1].name == "requirements.txt");
    CHECK(image.context[1].content == requirements_txt(job));
}

TEST_CASE("Dockerfile: Horovod with MPI and sshd, TensorFlow and CMake before it, the job's own file copied in") {
    const auto job = job_from(R"("framework_version": "2.15", "distributed_backend": "mpi", )"
                              R"("pip_requirements_file": "requirements.txt")");
    CHECK(dockerfile(job) ==
          R"(FROM tensorflow/tensorflow:2.15.0
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install --yes --no-install-recommends openssh-client openssh-server g++ make openmpi-bin libopenmpi-dev "python$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')-dev" && rm -rf /var/lib/apt/lists/*
RUN mkdir -p /var/run/sshd && printf '%s\n' 'StrictHostKeyChecking no' 'UserKnownHostsFile /dev/null' >> /etc/ssh/ssh_config && printf '%s\n' 'StrictModes no' >> /etc/ssh/sshd_config
ENV HOROVOD_WITH_TENSORFLOW=1 HOROVOD_WITH_MPI=1 HOROVOD_WITHOUT_PYTORCH=1 HOROVOD_WITHOUT_MXNET=1
COPY requirements.txt /tmp/trainspec/requirements.txt
RUN ["python", "-m", "pip", "install", "--no-cache-dir", "tensorflow==2.15.*", "cmake"]
RUN ["python", "-m", "pip", "install", "--no-cache-dir", "-r", "/tmp/trainspec/requirements.txt"]
COPY user-requirements.txt /tmp/trainspec/user-requirements.txt
RUN ["python", "-m", "pip", "install", "--no-cache-dir", "-r", "/tmp/trainspec/user-requirements.txt"]
RUN ["python", "-m", "pip", "install", "--no-cache-dir", "horovod==0.28.1"]
WORKDIR /workspace
COPY --from=source . /workspace
)");
    // MPICH instead of Open MPI; Horovod before 0.20 builds without CMake.
    const auto mpich = dockerfile(job_from(R"("framework_version": "2.1", "distributed_backend": "mpi", )"
                                           R"("mpi": {"flavor": "mpich"})"));
    CHECK(mpich.find(" mpich libmpich-dev ") != std::string::npos);
    CHECK(mpich.find("openmpi") == std::string::npos);
    CHECK(mpich.find(R"("tensorflow==2.1.*"])") != std::string::npos);
    CHECK(mpich.find(R"("horovod==0.19.5"])") != std::string::npos);
    // Intel MPI is in no archive the image installs from: the user's image must have it.
    CHECK(error_of([] {
              (void)dockerfile(job_from(R"("distributed_backend": "mpi", "mpi": {"flavor": "intel"})"));
          }).find("Intel MPI (mpi.flavor \"intel\")") != std::string::npos);
    CHECK(dockerfile(job_from(R"("distributed_backend": "mpi", "mpi": {"flavor": "intel"}, )"
                              R"("custom_docker_image": "me/intel-mpi:1")"))
              .rfind("FROM me/intel-mpi:1\nENV HOROVOD_WITH_TENSORFLOW=1", 0) == 0);
    // The job's own file is part of the context under a fixed name.
    const auto image = image_of(job, own_files);
    REQUIRE(image.context.size() == 3);
    CHECK(image.context[2].name == "user-requirements.txt");
    CHECK(image.context[2].content == *own_files.pip_requirements_file);
    CHECK(error_of([&] { (void)image_of(job); }) ==
          "container image: job \"mnist\" names its own pip_requirements_file \"requirements.txt\", "
          "whose content is part of the image: pass it in environment_file_contents");
}

TEST_CASE("Dockerfile: a conda environment on an image with conda, first on PATH") {
    CHECK(dockerfile(job_from(R"("custom_docker_image": "continuumio/miniconda3:24.1.2-0", )"
                              R"("conda_packages": ["scipy"])")) ==
          R"(FROM continuumio/miniconda3:24.1.2-0
COPY environment.yml /tmp/trainspec/environment.yml
ENV PATH=/opt/trainspec/env/bin:$PATH
RUN ["conda", "env", "create", "--prefix", "/opt/trainspec/env", "--file", "/tmp/trainspec/environment.yml"]
WORKDIR /workspace
COPY --from=source . /workspace
)");
    // Without a custom image: Azure ML's base image of the version (it has conda).
    const auto job = job_from(R"("framework_version": "2.15", "conda_dependencies_file": "env/conda.yml")");
    CHECK(dockerfile(job) ==
          R"(FROM mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04
COPY user-environment.yml /tmp/trainspec/user-environment.yml
ENV PATH=/opt/trainspec/env/bin:$PATH
RUN ["conda", "env", "create", "--prefix", "/opt/trainspec/env", "--file", "/tmp/trainspec/user-environment.yml"]
WORKDIR /workspace
COPY --from=source . /workspace
)");
    const auto image = image_of(job, own_files);
    REQUIRE(image.context.size() == 2);  // no environment.yml of ours: the job's own is the environment
    CHECK(image.context[1].name == "user-environment.yml");
    CHECK(image.context[1].content == *own_files.conda_dependencies_file);
    // An mpi conda job: the environment's Python first, then TensorFlow, the packages, Horovod.
    const auto mpi = dockerfile(job_from(R"("framework_version": "2.15", "use_gpu": true, )"
                                         R"("distributed_backend": "mpi", "conda_packages": ["scipy"])"));
    const auto create = mpi.find(R"(RUN ["conda", "create", "--yes", "--prefix", "/opt/trainspec/env", )"
                                 R"("python=3.11", "pip"])");
    const auto tensorflow = mpi.find(R"("tensorflow[and-cuda]==2.15.*", "cmake"])");
    const auto update = mpi.find(R"(RUN ["conda", "env", "update", "--prefix", "/opt/trainspec/env")");
    const auto horovod = mpi.find(R"("horovod==0.28.1"])");
    CHECK(create < tensorflow);
    CHECK(tensorflow < update);
    CHECK(update < horovod);
    CHECK(horovod != std::string::npos);
    CHECK(mpi.find("openmpi-bin") == std::string::npos);  // Azure's MPI image has Open MPI
}

TEST_CASE("Dockerfile: only for built images") {
    CHECK(error_of([] { (void)dockerfile(job_from(R"("framework_version": "2.15")")); }) ==
          "Dockerfile: job \"mnist\" installs nothing beyond tensorflow/tensorflow:2.15.0, which it runs "
          "as it is");
    CHECK(error_of([] { (void)dockerfile(job_from(R"("custom_docker_image": "me/tf:1", "user_managed": true)")); }) ==
          "Dockerfile: job \"mnist\" is user_managed: it runs me/tf:1 as it is");
    CHECK(error_of([] { (void)dockerfile(job_from(R"("use_docker": false, "pip_packages": ["x"])")); }) ==
          "Dockerfile: job \"mnist\" has use_docker = false; set use_docker to true (the default) for a "
          "container");
}

TEST_CASE("tag: the sha256sum of the context's listing, changed by the environment only") {
    const std::string pip = R"("pip_packages": ["pandas"])";
    const auto image = image_of(job_from(pip));
    CHECK(tag_of(image.reference) == tag_by_sha256sum(image.context));
    const auto conda = image_of(job_from(R"("conda_dependencies_file": "env.yml")"), own_files);
    CHECK(conda.context.size() == 2);
    CHECK(tag_of(conda.reference) == tag_by_sha256sum(conda.context));
    const std::string own_pip = R"("distributed_backend": "mpi", "pip_requirements_file": "r.txt")";
    const auto pip_file = image_of(job_from(own_pip), own_files);
    CHECK(pip_file.context.size() == 3);
    CHECK(tag_of(pip_file.reference) == tag_by_sha256sum(pip_file.context));

    // What does not enter the image leaves the tag as it is; the job name is
    // the repository's.
    CHECK(image_of(job_from(pip + R"(, "script_params": {"--epochs": 3}, "node_count": 1)")).reference ==
          image.reference);
    const auto renamed = load_job(R"({"name": "other", "source_directory": "elsewhere", "entry_script": "x.py", )"
                                  R"("compute_target": "c", "pip_packages": ["pandas"]})");
    CHECK(image_of(renamed).reference == "trainspec/other:" + tag_of(image.reference));
    // Every change to the environment changes it.
    const std::string changed[] = {
        R"("pip_packages": ["pandas==2.2.0"])", R"("pip_packages": ["pandas"], "use_gpu": true)",
        R"("pip_packages": ["pandas"], "framework_version": "2.14")", R"("pip_packages": ["pandas"], "keras": true)",
        R"("pip_packages": ["pandas"], "custom_docker_image": "me/base:1")"};
    for (const auto& extra : changed) {
        CAPTURE(extra);
        CHECK(tag_of(image_of(job_from(extra)).reference) != tag_of(image.reference));
    }
    const auto other_file = image_of(job_from(own_pip), {std::string("numpy==1.26.3\n"), std::nullopt});
    CHECK(tag_of(other_file.reference) != tag_of(pip_file.reference));
    CHECK(image_of(job_from(pip)).reference == image.reference);  // deterministic
}

TEST_CASE("registry: a built image goes to image_registry and is pushed there") {
    const auto job = job_from(R"("image_registry": "registry.example.com:5000/team/mnist", "pip_packages": ["x"])");
    const auto image = image_of(job);
    CHECK(image.pushed);
    const auto local = image_of(job_from(R"("pip_packages": ["x"])"));
    CHECK(image.reference == "registry.example.com:5000/team/mnist:" + tag_of(local.reference));
    CHECK(
        image_build_commands(image, {"/ctx", "/src dir"}) ==
        std::vector<argv_t>{{"docker", "build", "--build-context", "source=/src dir", "--tag", image.reference, "/ctx"},
                            {"docker", "push", image.reference}});
    CHECK(image_build_commands(local, {"/ctx", "/src"}) ==
          std::vector<argv_t>{{"docker", "build", "--build-context", "source=/src", "--tag", local.reference, "/ctx"}});
    // A job whose image is not built runs its base image, wherever image_registry points.
    const auto plain = image_of(job_from(R"("image_registry": "registry.example.com/team/mnist")"));
    CHECK_FALSE(plain.built);
    CHECK(plain.reference == "tensorflow/tensorflow:2.20.0");
}

TEST_CASE("validation: image_registry names a repository; hostile values are refused") {
    const auto problem_of = [](const std::string& extra) { return error_of([&] { (void)job_from(extra); }); };
    CHECK(problem_of(R"("image_registry": "localhost:5000/team/x")") == "(no error)");
    CHECK(problem_of(R"("image_registry": "Registry.Example/x")") == "(no error)");  // the host's case is free
    const std::pair<const char*, const char*> refused[] = {
        {R"("")", "must not be empty"},
        {R"("reg.example/x:1")", "must name a repository without a tag"},
        {R"("reg.example/x@sha256:0123456789abcdef0123456789abcdef")", "must name a repository without a digest"},
        {R"("reg.example/X")", "must be lowercase"},
        {R"("--privileged")", "must not start with '-': docker and the container runtimes would read it as an option"},
        {R"("-x")", "must not start with '-'"},
        {R"("reg.example/x/")", "must start and end with a letter or digit"},
        {R"("reg.example//x")", "must start and end with a letter or digit"},
        {R"("../x")", "the registry must be a host name"},
        {R"("a b")", "must not contain spaces or control characters"},
        {R"("a\nb")", "must not contain spaces or control characters"},
        {R"j("x$(touch /tmp/y)")j", ""},
        {R"("x;rm")", ""},
    };
    for (const auto& row : refused) {
        const std::string value = row.first;
        const std::string why = row.second;
        const auto message = problem_of(R"("image_registry": )" + value);
        CAPTURE(message);
        CHECK(message.find("image_registry = ") != std::string::npos);
        CHECK(message.find(why) != std::string::npos);
    }
    CHECK(problem_of(R"("image_registry": "reg.example/x", "use_docker": false)")
              .find("the job has use_docker = false") != std::string::npos);
    CHECK(problem_of(R"("image_registry": "reg.example/x", "user_managed": true, "custom_docker_image": "a/b:1")")
              .find("a user_managed job runs its image as it is") != std::string::npos);
}

TEST_CASE("validation: the Horovod and tf2onnx releases of the version") {
    const auto problem_of = [](const std::string& extra) { return error_of([&] { (void)job_from(extra); }); };
    CHECK(problem_of(R"("distributed_backend": "mpi", "framework_version": "2.16")")
              .find("framework_version = \"2.16\": has no Horovod release") != std::string::npos);
    CHECK(problem_of(R"("onnx_export": {}, "framework_version": "1.10")").find("has no tf2onnx release") !=
          std::string::npos);
    CHECK(problem_of(R"("onnx_export": {}, "framework_version": "2.16")").find("onnx_export: has no tf2onnx release") !=
          std::string::npos);
    CHECK(problem_of(R"("onnx_export": {"opset": 16}, "framework_version": "2.8")") ==
          "invalid job: 1 problem\n  onnx_export.opset = 16: tf2onnx 1.9.3, the release for TensorFlow 2.8, "
          "converts to opset 15 at most");
    CHECK(problem_of(R"("onnx_export": {"opset": 15}, "framework_version": "2.8")") == "(no error)");
    CHECK(problem_of(R"("onnx_export": {"opset": 18}, "framework_version": "2.9")") == "(no error)");
    // A user_managed image brings its own releases.
    CHECK(problem_of(R"("distributed_backend": "mpi", "framework_version": "2.16", "user_managed": true, )"
                     R"("custom_docker_image": "me/hvd:1")") == "(no error)");
    // Without a framework_version, the newest version the job's packages have releases for.
    CHECK(effective_framework_version(spec_of(job_from(R"("distributed_backend": "mpi")"))) == "2.15");
    CHECK(effective_framework_version(spec_of(job_from(R"("onnx_export": {})"))) == "2.15");
    CHECK(effective_framework_version(spec_of(job_from())) == "2.20");
}

TEST_CASE("slurm_environment: names, rules and the default") {
    CHECK(enum_name_list<slurm_environment_kind>() == "apptainer, singularity, pyxis, conda, none");
    for (const char* name : {"apptainer", "singularity", "pyxis", "conda", "none"}) {
        CAPTURE(name);
        const auto kind = enum_from_name<slurm_environment_kind>(name);
        REQUIRE(kind.has_value());
        CHECK(enum_name(*kind) == name);
    }
    for (const char* hostile : {"", "Apptainer", "podman", "apptainer ", "conda;id", "--help"}) {
        CAPTURE(hostile);
        CHECK_FALSE(enum_from_name<slurm_environment_kind>(hostile).has_value());
        CHECK(error_of([&] {
                  (void)job_from(std::string(R"("slurm_environment": ")") + hostile + "\"");
              }).find("unknown slurm_environment; one of apptainer, singularity, pyxis, conda, none") !=
              std::string::npos);
    }
    const auto problem_of = [](const std::string& extra) { return error_of([&] { (void)job_from(extra); }); };
    CHECK(problem_of(R"("slurm_environment": "pyxis", "use_docker": false)").find("use_docker = false") !=
          std::string::npos);
    CHECK(problem_of(R"("slurm_environment": "conda", "use_docker": false, "user_managed": true)")
              .find("a user_managed job has none") != std::string::npos);
    CHECK(problem_of(R"("slurm_environment": "conda", "pip_requirements_file": "r.txt")")
              .find("cannot include pip_requirements_file") != std::string::npos);
    CHECK(problem_of(R"("slurm_environment": "none", "pip_packages": ["x"])") == "(no error)");

    const auto effective = [](const std::string& extra) {
        return std::string(enum_name(effective_slurm_environment(spec_of(job_from(extra)))));
    };
    CHECK(effective("") == "apptainer");
    CHECK(effective(R"("use_docker": false, "pip_packages": ["x"])") == "conda");
    CHECK(effective(R"("use_docker": false, "conda_packages": ["x"])") == "conda");
    CHECK(effective(R"("use_docker": false)") == "none");
    CHECK(effective(R"("use_docker": false, "user_managed": true)") == "none");
    CHECK(effective(R"("slurm_environment": "pyxis")") == "pyxis");
}
