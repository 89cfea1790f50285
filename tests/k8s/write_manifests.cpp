// Writes the Kubeflow manifests that the k8s.* tests validate against the
// real CRDs: the seed scenarios of examples/specs (the ps one and the mpi
// one; single-node jobs have no manifest), a multi-worker job, and larger
// jobs. Also writes broken.tfjob.json, a TFJob with a field the CRD does
// not have, which the validator must reject.
//
// usage: trainspec_k8s_write_manifests SPECS_DIR OUT_DIR

#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <type_traits>
#include <variant>

#include <nlohmann/json.hpp>

#include <trainspec/render/kubeflow.hpp>
#include <trainspec/spec_json.hpp>

namespace {

using namespace trainspec;

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_file(const std::string& path, const nlohmann::ordered_json& manifest) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << manifest.dump(2) << '\n';
    if (!out) throw std::runtime_error("cannot write " + path);
}

kubeflow_options options() {
    kubeflow_options o;
    o.image = "tensorflow/tensorflow:2.15.0-gpu";
    o.labels = {{"app.kubernetes.io/part-of", "trainspec-tests"}};
    return o;
}

/// Every pod field an option can write.
kubeflow_options all_options() {
    auto o = options();
    o.replica_restart_policy = {{"Worker", "OnFailure"}};
    o.image_pull_secrets = {"registry-key"};
    o.node_selector = {{"accelerator", "nvidia-a100"}};
    o.tolerations = {{"nvidia.com/gpu", "Exists", "", "NoSchedule"}, {"dedicated", "Equal", "ml", ""}};
    o.volumes = {{"datasets", "/data", true}, {"runs", "/workspace/outputs", false}};
    o.working_directory = "/opt/train";
    o.memory = "32Gi";
    return o;
}

/// The manifest of a job, written as OUT/<kind>.<name>.json.
void write_manifest(const std::string& out_dir, const any_job& j, const kubeflow_options& o) {
    std::visit(
        [&](const auto& typed) {
            using backend = typename std::decay_t<decltype(typed)>::backend;
            const auto c = plan(typed);
            if constexpr (std::is_same_v<backend, mpi>) {
                write_file(out_dir + "/mpijob." + typed.name() + ".json", mpijob_manifest(c, o));
            } else if constexpr (std::is_same_v<backend, single_node>) {
                // a single-node job runs no operator
            } else {
                write_file(out_dir + "/tfjob." + typed.name() + ".json", tfjob_manifest(c, o));
            }
        },
        j);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: trainspec_k8s_write_manifests SPECS_DIR OUT_DIR\n";
        return 2;
    }
    const std::string specs = argv[1];
    const std::string out = argv[2];
    try {
        std::filesystem::create_directories(out);
        for (const char* seed : {"tf-ps-mnist", "tf-horovod-word2vec", "tf-mnist", "keras-mnist"})
            write_manifest(out, load_job(read_file(specs + "/" + seed + ".json")), options());

        // Every replica type, many workers, GPUs split on declared nodes.
        write_manifest(out, load_job(R"({
            "apiVersion": "trainspec/v1", "name": "ps-large", "source_directory": "src",
            "entry_script": "train.py", "script_params": {"--steps": 1000},
            "compute_target": {"name": "gpu-cluster", "gpus_per_node": 8},
            "node_count": 8, "distributed_backend": "ps", "worker_count": 30,
            "parameter_server_count": 8, "chief_count": 1, "evaluator_count": 1,
            "onnx_export": {},
            "use_gpu": true, "shm_size": "512m", "max_run_duration_seconds": 86400,
            "environment_variables": {"NCCL_DEBUG": "INFO"}
        })"),
                       all_options());
        write_manifest(out, load_job(R"({
            "apiVersion": "trainspec/v1", "name": "multi-worker", "source_directory": "src",
            "entry_script": "train.py", "compute_target": "gpu-cluster",
            "node_count": 8, "distributed_backend": "multi_worker", "use_gpu": true,
            "tf_config": {"profile": "kubeflow"}, "onnx_export": {}
        })"),
                       options());
        auto intel = all_options();
        intel.replica_restart_policy = {{"Launcher", "Never"}};
        intel.flavor = mpi_flavor::intel;
        write_manifest(out, load_job(R"({
            "apiVersion": "trainspec/v1", "name": "mpi-large", "source_directory": "src",
            "entry_script": "train.py", "compute_target": {"name": "gpu-cluster", "gpus_per_node": 4},
            "node_count": 16, "process_count_per_node": 4, "distributed_backend": "mpi",
            "use_gpu": true, "max_run_duration_seconds": 3600,
            "environment_variables": {"HOROVOD_TIMELINE": "/tmp/timeline.json"},
            "mpi": {"allow_run_as_root": "flag"}
        })"),
                       intel);

        // The negative control: one field the CRD does not know.
        auto broken = tfjob_manifest(
            plan(std::get<job<parameter_server>>(load_job(read_file(specs + "/tf-ps-mnist.json")))), options());
        broken["spec"]["tfReplicaSpecs"]["Worker"]["replicaCount"] = 2;
        write_file(out + "/broken.tfjob.json", broken);
    } catch (const std::exception& e) {
        std::cerr << "trainspec_k8s_write_manifests: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
