// The environment of a job: the image table, environment.yml and
// requirements.txt (package order, TensorFlow pins, the Horovod and tf2onnx
// releases of the version, keras, YAML quoting, read back by a YAML parser
// when python3 has one), docker run, and the errors. The built image itself
// is unit-job_image.cpp's.

#include <doctest/doctest.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <trainspec/job.hpp>
#include <trainspec/render/container.hpp>
#include <trainspec/spec_json.hpp>

#include "test_support.hpp"

using namespace trainspec;
using test_support::error_of;

namespace {

using argv_t = std::vector<std::string>;

any_job job_from(const std::string& extra = "") {
    return load_job(R"({"name": "mnist", "source_directory": "src", "entry_script": "train.py", )"
                    R"("compute_target": "gpu-cluster")" +
                    (extra.empty() ? std::string() : ", " + extra) + "}");
}

/// 1 when python3 with PyYAML (tools/install-deps.sh test) reads `text`
/// as YAML, else 0.
int yaml_check(const std::string& text) {
    FILE* pipe = popen(
        "python3 -c 'import yaml,sys,json; print(json.dumps(yaml.safe_load(sys.stdin), sort_keys=True))' "
        ">/tmp/trainspec-unit-container-yaml.out 2>&1",
        "w");
    if (!pipe) return 0;
    std::fwrite(text.data(), 1, text.size(), pipe);
    return pclose(pipe) == 0 ? 1 : 0;
}

std::string yaml_check_output() {
    std::string out;
    if (FILE* f = std::fopen("/tmp/trainspec-unit-container-yaml.out", "r")) {
        char buffer[4096];
        std::size_t n;
        while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) out.append(buffer, n);
        std::fclose(f);
    }
    return out;
}

}  // namespace

TEST_CASE("images: one entry per supported version; the image follows version, GPU and custom image") {
    CHECK(framework_images.size() == supported_framework_versions.size());
    CHECK(framework_image_for("1.13").gpu_image == "tensorflow/tensorflow:1.13.2-gpu-py3");
    CHECK(framework_image_for("2.15").cpu_image == "tensorflow/tensorflow:2.15.0");
    CHECK(framework_image_for("2.16").gpu_image == "tensorflow/tensorflow:2.16.1-gpu");
    CHECK(framework_image_for("2.20").python == "3.12");
    CHECK_THROWS_WITH_AS(framework_image_for("3.0"),
                         doctest::Contains("framework_version = \"3.0\": no image; supported versions: 1.10, "),
                         trainspec::error);

    CHECK(container_image(job_from(R"("framework_version": "2.15")")) == "tensorflow/tensorflow:2.15.0");
    CHECK(container_image(job_from(R"("framework_version": "2.15", "use_gpu": true)")) ==
          "tensorflow/tensorflow:2.15.0-gpu");
    CHECK(container_image(job_from(R"("framework_version": "1.13", "use_gpu": true)")) ==
          "tensorflow/tensorflow:1.13.2-gpu-py3");
    CHECK(container_image(job_from()) == "tensorflow/tensorflow:2.20.0");  // the default version
    // A custom image is the base TensorFlow is installed on; user_managed runs it as it is.
    CHECK(image_of(job_from(R"("custom_docker_image": "me/tf:1", "use_gpu": true)")).base == "me/tf:1");
    CHECK(container_image(job_from(R"("custom_docker_image": "me/tf:1", "user_managed": true)")) == "me/tf:1");
}

TEST_CASE("requirements: pins, backend, keras, tf2onnx, then the user's packages") {
    CHECK(requirements_txt(job_from(R"("framework_version": "2.15")")) == "tensorflow==2.15.*\n");
    CHECK(requirements_txt(job_from(R"("framework_version": "1.13", "use_gpu": true)")) == "tensorflow-gpu==1.13.*\n");
    CHECK(requirements_txt(job_from(R"("framework_version": "2.0", "use_gpu": true)")) == "tensorflow-gpu==2.0.*\n");
    CHECK(requirements_txt(job_from(R"("framework_version": "2.1", "use_gpu": true)")) == "tensorflow==2.1.*\n");
    CHECK(requirements_txt(job_from(R"("framework_version": "2.12", "distributed_backend": "mpi", "keras": true, )"
                                    R"("onnx_export": {}, "pip_packages": ["numpy>=1.20", "pandas"])")) ==
          "tensorflow==2.12.*\nhorovod==0.28.1\nkeras==2.12.*\ntf2onnx==1.16.1\nnumpy>=1.20\npandas\n");
    // The releases follow the version: Horovod 0.19.5 and tf2onnx 1.9.3 for 2.1.
    CHECK(requirements_txt(job_from(R"("framework_version": "2.1", "distributed_backend": "mpi", )"
                                    R"("onnx_export": {"opset": 13})")) ==
          "tensorflow==2.1.*\nhorovod==0.19.5\ntf2onnx==1.9.3\n");
    // keras: 1.x multi-backend Keras, 2.0-2.5 tf.keras inside the wheel, 2.16+ Keras 3.
    CHECK(requirements_txt(job_from(R"("framework_version": "1.15", "keras": true)")) ==
          "tensorflow==1.15.*\nkeras>=2.2,<2.4\n");
    CHECK(requirements_txt(job_from(R"("framework_version": "2.4", "keras": true)")) == "tensorflow==2.4.*\n");
    CHECK(requirements_txt(job_from(R"("framework_version": "2.16", "keras": true)")) ==
          "tensorflow==2.16.*\nkeras>=3\n");
    CHECK(pip_requirements(job_from(R"("framework_version": "2.16")")) == argv_t{"tensorflow==2.16.*"});
}

TEST_CASE("environment.yml: exact text, quoting, valid YAML") {
    const auto job = job_from(R"("framework_version": "2.15", "distributed_backend": "mpi", "keras": true, )"
                              R"("onnx_export": {}, "conda_packages": ["numpy>=1.20", "yes", "scipy"], )"
                              R"("pip_packages": ["pandas==2.*", "requests"])");
    const std::string expected = R"(name: mnist
channels:
  - conda-forge
  - defaults
dependencies:
  - python=3.11
  - pip
  - "numpy>=1.20"
  - "yes"
  - scipy
  - pip:
      - "tensorflow==2.15.*"
      - horovod==0.28.1
      - "keras==2.15.*"
      - tf2onnx==1.16.1
      - "pandas==2.*"
      - requests
)";
    CHECK(conda_environment_yaml(job) == expected);
    CHECK(conda_environment_yaml(job) == conda_environment_yaml(job));  // deterministic

    CHECK(conda_environment_yaml(job_from(R"("framework_version": "1.13", "use_gpu": true)")) == R"(name: mnist
channels:
  - conda-forge
  - defaults
dependencies:
  - python=3.6
  - pip
  - pip:
      - "tensorflow-gpu==1.13.*"
)");

    REQUIRE(yaml_check(expected) == 1);
    // Every package stays a string ("yes" is not a boolean, numpy>=1.20 not a mapping).
    CHECK(yaml_check_output() ==
          R"({"channels": ["conda-forge", "defaults"], "dependencies": ["python=3.11", "pip", "numpy>=1.20", )"
          R"("yes", "scipy", {"pip": ["tensorflow==2.15.*", "horovod==0.28.1", "keras==2.15.*", "tf2onnx==1.16.1", )"
          R"("pandas==2.*", "requests"]}], "name": "mnist"})"
          "\n");
}

TEST_CASE("environment files: none for user_managed, none when the job brings its own conda file") {
    const auto managed = job_from(R"("user_managed": true, "custom_docker_image": "me/tf:1")");
    CHECK(error_of([&] { (void)conda_environment_yaml(managed); }) ==
          "environment.yml: job \"mnist\" is user_managed: the image already has everything");
    CHECK(error_of([&] { (void)requirements_txt(managed); }) ==
          "requirements.txt: job \"mnist\" is user_managed: the image already has everything");
    CHECK(error_of([&] { (void)conda_environment_yaml(job_from(R"("conda_dependencies_file": "env.yml")")); }) ==
          "environment.yml: job \"mnist\" uses its own conda_dependencies_file \"env.yml\"");
    CHECK_FALSE(uses_conda(managed));
    CHECK(uses_conda(job_from(R"("conda_packages": ["scipy"])")));
    CHECK_FALSE(uses_conda(job_from(R"("pip_packages": ["scipy"])")));
}

TEST_CASE("docker run: argv, GPUs, shm size, environment, mount, one step or sh -c") {
    CHECK(docker_run_argv(job_from(R"("framework_version": "2.15", "script_params": {"--epochs": 5})")) ==
          argv_t{"docker", "run", "--rm", "--shm-size", "2g", "-v", "./src:/workspace:ro", "-w", "/workspace",
                 "tensorflow/tensorflow:2.15.0", "python", "train.py", "--epochs", "5"});
    const auto job = job_from(R"("framework_version": "2.15", "use_gpu": true, "shm_size": "16g", )"
                              R"("environment_variables": {"A": "x y", "B": "it's"}, "onnx_export": {"opset": 15})");
    const argv_t expected{"docker",
                          "run",
                          "--rm",
                          "--gpus",
                          "all",
                          "--shm-size",
                          "16g",
                          "-e",
                          "A=x y",
                          "-e",
                          "B=it's",
                          "-v",
                          "/data/src:/workspace",
                          "-w",
                          "/workspace",
                          "registry.example/mnist:1",
                          "sh",
                          "-c",
                          "python train.py && exec python -m tf2onnx.convert --saved-model outputs/model --output "
                          "outputs/model.onnx --opset 15"};
    // onnx_export writes into the source directory: mounted writable; any
    // other job's mount is read-only.
    docker_run_options options;
    options.source_path = "/data/src";
    options.image = "registry.example/mnist:1";
    CHECK(docker_run_argv(job, options) == expected);
    CHECK(docker_run_command(job, options) ==
          "docker run --rm --gpus all --shm-size 16g -e 'A=x y' -e 'B=it'\\''s' -v /data/src:/workspace -w "
          "/workspace registry.example/mnist:1 sh -c 'python train.py && exec python -m tf2onnx.convert "
          "--saved-model outputs/model --output outputs/model.onnx --opset 15'");
    // Writing is asked for explicitly, or refused explicitly (which
    // onnx_export cannot have: validate() says so).
    CHECK(docker_run_argv(job_from(R"("writable_source_directory": true)"))[6] == "./src:/workspace");
    CHECK(docker_run_argv(job_from(R"("writable_source_directory": false)"))[6] == "./src:/workspace:ro");
    // A relative path that starts with '.' is kept as it is.
    options = {};
    options.source_path = "../src";
    CHECK(docker_run_argv(job, options)[12] == "../src:/workspace");
    // One container runs one task: a distributed job has none.
    CHECK(error_of([&] {
              (void)docker_run_argv(job_from(R"("distributed_backend": "mpi", "node_count": 2)"));
          }).find("docker run starts one container") != std::string::npos);
    // The image is a Docker reference: never an option of docker run.
    for (const char* bad : {"--privileged", "--pid=host", "-v/:/host", "--help"}) {
        CAPTURE(bad);
        options = {};
        options.image = bad;
        CHECK(error_of([&] { (void)docker_run_argv(job, options); }).find("must not start with '-': docker") !=
              std::string::npos);
    }
}

TEST_CASE("use_docker = false: no container artifacts") {
    const auto job = job_from(R"("use_docker": false)");
    const std::string why = "has use_docker = false; set use_docker to true (the default) for a container";
    CHECK(error_of([&] { (void)container_image(job); }) == "container image: job \"mnist\" " + why);
    CHECK(error_of([&] { (void)dockerfile(job); }) == "Dockerfile: job \"mnist\" " + why);
    CHECK(error_of([&] { (void)docker_run_argv(job); }) == "docker run: job \"mnist\" " + why);
    CHECK(requirements_txt(job) == "tensorflow==2.20.*\n");  // the environment still exists without Docker
}
