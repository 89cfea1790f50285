// Azure ML v2 command jobs: the seed's parameter-server job written out by
// hand from the reference (commandJob schema, inline environment, compute,
// resources, limits, distribution), the mpi and multi_worker
// distributions, serverless compute from vm_size, user_managed and own conda
// files, and the jobs Azure ML v2 cannot run.

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include <trainspec/job.hpp>
#include <trainspec/render/azureml.hpp>
#include <trainspec/spec_json.hpp>

#include "test_support.hpp"

using namespace trainspec;
using test_support::error_of;

namespace {

const char* const seed_ps = R"({
  "apiVersion": "trainspec/v1",
  "name": "tf-ps-mnist",
  "source_directory": "./tf-distr-ps",
  "entry_script": "train.py",
  "script_params": {"--num_gpus": 1, "--train_steps": 500},
  "compute_target": "gpu-cluster",
  "node_count": 2,
  "distributed_backend": "ps",
  "worker_count": 2,
  "parameter_server_count": 1,
  "use_gpu": true,
  "framework_version": "1.13"
})";

any_job job_from(const std::string& extra) {
    return load_job(R"({"source_directory": "src", "entry_script": "train.py", )" + extra + "}");
}

/// 1 when python3's YAML parser reads `text` as the same value as its JSON
/// parser, 0 when not, -1 when python3 with PyYAML is not available.
int same_as_yaml(const std::string& text) {
    if (std::system("python3 -c 'import yaml' >/dev/null 2>&1") != 0) return -1;
    FILE* pipe = popen(
        "python3 -c 'import yaml,json,sys; t=sys.stdin.read(); sys.exit(0 if yaml.safe_load(t) == json.loads(t) "
        "else 1)' >/dev/null 2>&1",
        "w");
    if (!pipe) return -1;
    std::fwrite(text.data(), 1, text.size(), pipe);
    return pclose(pipe) == 0 ? 1 : 0;
}

}  // namespace

TEST_CASE("azureml: the seed's parameter-server job") {
    // Every task runs the same command: the parameter server, a GPU job's,
    // hides the GPUs when Azure's TF_CONFIG names it a ps.
    const auto expected = R"({
  "$schema": "https://azuremlschemas.azureedge.net/latest/commandJob.schema.json",
  "type": "command",
  "name": "tf-ps-mnist",
  "code": "./tf-distr-ps",
  "command": "if [ \"$(python -c 'import json, os; print(json.loads(os.environ.get(\"TF_CONFIG\") or \"{}\").get(\"task\", {}).get(\"type\", \"\"))')\" = ps ]; then CUDA_VISIBLE_DEVICES=; export CUDA_VISIBLE_DEVICES; fi; python train.py --num_gpus 1 --train_steps 500",
  "environment": {
    "image": "mcr.microsoft.com/azureml/openmpi3.1.2-cuda10.0-cudnn7-ubuntu18.04",
    "conda_file": "environment.yml"
  },
  "compute": "azureml:gpu-cluster",
  "resources": {
    "instance_count": 2,
    "shm_size": "2g"
  },
  "distribution": {
    "type": "tensorflow",
    "worker_count": 2,
    "parameter_server_count": 1
  }
})";
    const auto job = load_job(seed_ps);
    CHECK(azureml_command_job(job).dump(2) == expected);
    // The typed overload gives the same document.
    CHECK(azureml_command_job(std::get<trainspec::job<parameter_server>>(job)).dump(2) == expected);
    // Required fields of a command job.
    const auto j = azureml_command_job(job);
    for (const char* key : {"$schema", "type", "code", "command", "environment", "compute"})
        CHECK_MESSAGE(j.contains(key), key);
    CHECK(j["environment"].contains("image"));  // a conda_file needs an image

    // The JSON document is the YAML file `az ml job create -f` reads.
    const int parsed = same_as_yaml(j.dump(2));
    REQUIRE_MESSAGE(parsed >= 0, "python3 with PyYAML is a test dependency (tools/install-deps.sh test)");
    CHECK(parsed == 1);
}

TEST_CASE("azureml: every field the spec sets") {
    azureml_options options;
    options.experiment_name = "mnist-experiments";
    options.conda_file = "generated/environment.yml";
    const auto j = azureml_command_job(
        job_from(R"("name": "hvd", "compute_target": "cpu-cluster", "node_count": 2, "process_count_per_node": 4, )"
                 R"("distributed_backend": "mpi", "environment_variables": {"NCCL_DEBUG": "INFO", "B": "x y"}, )"
                 R"("shm_size": "16g", "max_run_duration_seconds": 7200, "onnx_export": {"opset": 15})"),
        options);
    CHECK(j.dump() ==
          R"({"$schema":"https://azuremlschemas.azureedge.net/latest/commandJob.schema.json","type":"command",)"
          R"("name":"hvd","experiment_name":"mnist-experiments","code":"src","command":"python train.py && )"
          R"(if [ \"${HOROVOD_RANK:-${OMPI_COMM_WORLD_RANK:-${PMI_RANK:-${PMIX_RANK:-${SLURM_PROCID:-0}}}}}\" = 0 ]; )"
          R"(then exec python -m tf2onnx.convert --saved-model outputs/model --output outputs/model.onnx --opset 15; )"
          R"(fi",)"
          R"("environment":{"image":"mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04",)"
          R"("conda_file":"generated/environment.yml"},"environment_variables":{"NCCL_DEBUG":"INFO","B":"x y"},)"
          R"("compute":"azureml:cpu-cluster","resources":{"instance_count":2,"shm_size":"16g"},)"
          R"("limits":{"timeout":7200},"distribution":{"type":"mpi","process_count_per_instance":4}})");
}

TEST_CASE("azureml: PATH and LD_* are set by each task's shell, not in the environment Azure's launcher starts in") {
    const auto j = azureml_command_job(job_from(
        R"("compute_target": "c", "node_count": 2, "process_count_per_node": 2, "distributed_backend": "mpi", )"
        R"("environment_variables": {"NCCL_DEBUG": "INFO", "LD_PRELOAD": "/a.so /b.so", "PATH": "./bin"})"));
    CHECK(j["environment_variables"].dump() == R"({"NCCL_DEBUG":"INFO"})");
    CHECK(j["command"] == "LD_PRELOAD='/a.so /b.so'; export LD_PRELOAD; PATH=./bin; export PATH; python train.py");
}

TEST_CASE("azureml: single node, multi_worker, serverless, custom and user_managed images, own conda file") {
    SUBCASE("single node: no distribution, no name when the spec has none") {
        const auto j = azureml_command_job(job_from(R"("compute_target": "c")"));
        CHECK_FALSE(j.contains("distribution"));
        CHECK_FALSE(j.contains("name"));
        CHECK(j["resources"].dump() == R"({"instance_count":1,"shm_size":"2g"})");
    }
    SUBCASE("multi_worker: tensorflow with no parameter servers") {
        const auto j = azureml_command_job(
            job_from(R"("compute_target": "c", "node_count": 3, "distributed_backend": "multi_worker")"));
        CHECK(j["distribution"].dump() == R"({"type":"tensorflow","worker_count":3,"parameter_server_count":0})");
    }
    SUBCASE("vm_size: serverless compute, instance_type") {
        const auto j = azureml_command_job(job_from(R"("vm_size": "Standard_NC6")"));
        CHECK_FALSE(j.contains("compute"));
        CHECK(j["resources"].dump() == R"({"instance_count":1,"instance_type":"Standard_NC6","shm_size":"2g"})");
    }
    SUBCASE("custom image with the generated conda file") {
        const auto j = azureml_command_job(job_from(R"("compute_target": "c", "custom_docker_image": "me/tf:1")"));
        CHECK(j["environment"].dump() == R"({"image":"me/tf:1","conda_file":"environment.yml"})");
    }
    SUBCASE("user_managed: the image only; the official image by default") {
        CHECK(azureml_command_job(job_from(R"("compute_target": "c", "user_managed": true, )"
                                           R"("framework_version": "2.15", "use_gpu": true)"))["environment"]
                  .dump() == R"({"image":"tensorflow/tensorflow:2.15.0-gpu"})");
    }
    SUBCASE("the job's own conda file, inside code") {
        CHECK(azureml_command_job(job_from(
                  R"("compute_target": "c", "conda_dependencies_file": "env.yml")"))["environment"]["conda_file"] ==
              "src/env.yml");
    }
}

TEST_CASE("azureml: the GPU image carries the CUDA of the TensorFlow version") {
    // TensorFlow's tested build configurations: 1.12 CUDA 9.0, 1.13-2.0 10.0,
    // 2.1-2.3 10.1, 2.4 11.0, 2.5-2.11 11.2, 2.12-2.13 11.8; from 2.14 pip's
    // tensorflow[and-cuda] brings CUDA onto the CPU base image.
    const std::pair<const char*, const char*> table[] = {
        {"1.12", "mcr.microsoft.com/azureml/intelmpi2018.3-cuda9.0-cudnn7-ubuntu16.04"},
        {"1.13", "mcr.microsoft.com/azureml/openmpi3.1.2-cuda10.0-cudnn7-ubuntu18.04"},
        {"2.0", "mcr.microsoft.com/azureml/openmpi3.1.2-cuda10.0-cudnn7-ubuntu18.04"},
        {"2.3", "mcr.microsoft.com/azureml/openmpi3.1.2-cuda10.1-cudnn7-ubuntu18.04"},
        {"2.4", "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.0.3-cudnn8-ubuntu18.04"},
        {"2.11", "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.2-cudnn8-ubuntu20.04"},
        {"2.13", "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04"},
        {"2.14", "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04"},
        {"2.20", "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04"},
    };
    for (const auto& row : table) {
        const std::string version = row.first;
        const std::string image = row.second;
        CAPTURE(version);
        const auto job =
            job_from(std::string(R"("compute_target": "c", "use_gpu": true, "framework_version": ")") + version + "\"");
        CHECK(azureml_command_job(job)["environment"]["image"] == image);
    }
    // The pip requirement of the environment: the GPU wheel for the image.
    CHECK(conda_environment_yaml(job_from(R"("compute_target": "c", "use_gpu": true, "framework_version": "2.16")"))
              .find("tensorflow[and-cuda]==2.16.*") != std::string::npos);
    CHECK(conda_environment_yaml(job_from(R"("compute_target": "c", "use_gpu": true, "framework_version": "2.13")"))
              .find("\"tensorflow==2.13.*\"") != std::string::npos);
    CHECK(conda_environment_yaml(job_from(R"("compute_target": "c", "use_gpu": true, "framework_version": "1.13")"))
              .find("\"tensorflow-gpu==1.13.*\"") != std::string::npos);
    // The official GPU images have CUDA: requirements.txt asks for no more.
    CHECK(requirements_txt(job_from(R"("compute_target": "c", "use_gpu": true, "framework_version": "2.16")"))
              .rfind("tensorflow==2.16.*\n", 0) == 0);
}

TEST_CASE("azureml: paths as the job file reaches them; vm_priority; the export on the model's owner") {
    azureml_options options;
    options.code = "../tf-distr-ps";
    const auto j = azureml_command_job(
        job_from(R"("vm_size": "Standard_NC6", "vm_priority": "lowpriority", "conda_dependencies_file": "env.yml")"),
        options);
    CHECK(j["code"] == "../tf-distr-ps");
    CHECK(j["environment"]["conda_file"] == "../tf-distr-ps/env.yml");
    CHECK(j["queue_settings"].dump() == R"({"job_tier":"spot"})");
    CHECK(azureml_command_job(job_from(R"("vm_size": "Standard_NC6", "vm_priority": "dedicated")"))["queue_settings"]
              .dump() == R"({"job_tier":"standard"})");
    // A ps job's TensorFlow tasks learn from Azure's TF_CONFIG that they own the model.
    const auto ps = azureml_command_job(
        job_from(R"("compute_target": "c", "node_count": 2, "distributed_backend": "ps", "worker_count": 2, )"
                 R"("onnx_export": {})"));
    const std::string command = ps["command"];
    CHECK(command.rfind("python train.py && if python -c ", 0) == 0);
    CHECK(command.find("t.get(\"type\") == \"chief\"") != std::string::npos);
}

TEST_CASE("azureml: jobs a v2 command job cannot run") {
    CHECK(error_of([] {
              (void)azureml_command_job(load_job(
                  R"({"name": "ps", "source_directory": "src", "entry_script": "train.py", "compute_target": "c", )"
                  R"("node_count": 2, "distributed_backend": "ps", "worker_count": 2, "chief_count": 1})"));
          }) ==
          "Azure ML command job: job \"ps\" has chief_count 1 and evaluator_count 0; Azure ML's "
          "tensorflow distribution has only worker_count and parameter_server_count: set both to 0");
    CHECK(error_of([] {
              (void)azureml_command_job(job_from(R"("name": "j", "compute_target": "c", "use_docker": false)"));
          }) ==
          "Azure ML command job: job \"j\" has use_docker = false; Azure ML v2 command jobs "
          "always run in a container");
    CHECK(error_of([] { (void)azureml_command_job(job_from(R"("name": "j", "compute_target": "local")")); }) ==
          "Azure ML command job: job \"j\" has compute_target \"local\"; give an Azure ML compute target "
          "or vm_size");
    CHECK(error_of([] {
              (void)azureml_command_job(
                  job_from(R"("name": "j", "compute_target": "c", "pip_requirements_file": "req.txt")"));
          }) ==
          "Azure ML command job: job \"j\" has pip_requirements_file \"req.txt\"; an inline Azure "
          "ML environment takes a conda file only: list the packages in pip_packages or in a "
          "conda_dependencies_file");
}

TEST_CASE("code: a spec names no directory outside the project") {
    // "code" is uploaded: "/" would upload the whole file system.
    for (const char* dir : {"/", "/var/run", "../../..", "a/../../b"}) {
        CAPTURE(dir);
        CHECK_THROWS_AS((void)load_job(std::string(R"({"source_directory": ")") + dir +
                                       R"(", "entry_script": "train.py", "compute_target": "c"})"),
                        validation_error);
    }
    CHECK(azureml_command_job(load_job(
              R"({"source_directory": "./src", "entry_script": "train.py", "compute_target": "c"})"))["code"] ==
          "./src");
}
