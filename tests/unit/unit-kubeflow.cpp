// Kubeflow TFJob and MPIJob manifests against docs/kubeflow.md. The
// expected manifests and fields below are written out by hand from those
// rules and from the placement rules of plan.hpp, never copied from the
// library's output. The TF_CONFIG prediction is checked by deriving the
// operator's TF_CONFIG from the manifest, with the operator's own rule
// (docs/tf_config.md) re-implemented here.

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <trainspec/detail/kubernetes_syntax.hpp>
#include <trainspec/render/kubeflow.hpp>
#include <trainspec/spec_json.hpp>

#include "test_support.hpp"

using namespace trainspec;
using test_support::plan_of;
using ojson = nlohmann::ordered_json;

namespace {

job_spec ps_spec(const char* name, int nodes, int workers, int parameter_servers, int chief = 0, int evaluator = 0) {
    auto s = test_support::ps_spec(name, nodes, workers, parameter_servers, chief, evaluator);
    s.use_gpu = true;
    return s;
}

job_spec multi_worker_spec(const char* name, int nodes, int workers) {
    auto s = test_support::multi_worker_spec(name, nodes, workers);
    s.use_gpu = true;
    return s;
}

job_spec mpi_spec(const char* name, int nodes, int per_node) {
    auto s = test_support::mpi_spec(name, nodes, per_node);
    s.use_gpu = true;
    return s;
}

kubeflow_options with_image(std::string image = "tensorflow/tensorflow:1.13.1-gpu-py3") {
    kubeflow_options o;
    o.image = std::move(image);
    return o;
}

/// The problems of a validation_error thrown by `f`, as "path: rule" lines.
template <class F>
std::vector<std::string> problems_of(F&& f) {
    try {
        f();
    } catch (const validation_error& e) {
        std::vector<std::string> out;
        for (const auto& p : e.all()) out.push_back(p.path + " = " + p.value);
        return out;
    }
    return {};
}

bool has_path(const std::vector<std::string>& found, const std::string& path) {
    for (const auto& f : found)
        if (f.rfind(path + " = ", 0) == 0) return true;
    return false;
}

// ---- the operator's TF_CONFIG, derived from a TFJob manifest ----

std::string lower_replica_type(const std::string& type) {
    if (type == "Chief") return "chief";
    if (type == "Worker") return "worker";
    if (type == "PS") return "ps";
    if (type == "Evaluator") return "evaluator";
    if (type == "Master") return "master";
    return "unknown";
}

int replica_port(const ojson& replica) {
    for (const auto& c : replica["template"]["spec"]["containers"]) {
        if (c["name"] != "tensorflow") continue;
        if (c.contains("ports"))
            for (const auto& p : c["ports"])
                if (p["name"] == "tfjob-port") return p["containerPort"].get<int>();
    }
    return 2222;
}

/// pod "type:index" -> the TF_CONFIG the training operator (v1.9) injects;
/// empty for a job of one replica.
std::map<std::string, std::string> operator_tf_configs(const ojson& manifest, const std::string& cluster_domain) {
    const std::string job = manifest["metadata"]["name"];
    const std::string ns = manifest["metadata"]["namespace"];
    std::map<std::string, std::vector<std::string>> cluster;  // sorted by job name, as Go writes a map
    int total = 0;
    for (const auto& [type, replica] : manifest["spec"]["tfReplicaSpecs"].items()) {
        const std::string key = lower_replica_type(type);
        const int replicas = replica.value("replicas", 1);
        const int port = replica_port(replica);
        total += replicas;
        for (int i = 0; i < replicas; ++i) {
            std::string address = job + "-" + key + "-" + std::to_string(i) + "." + ns + ".svc";
            if (!cluster_domain.empty()) address += "." + cluster_domain;
            cluster[key].push_back(address + ":" + std::to_string(port));
        }
    }
    std::map<std::string, std::string> out;
    if (total == 1) return out;
    ojson cluster_json = ojson::object();
    for (const auto& [key, addresses] : cluster) cluster_json[key] = addresses;
    for (const auto& [key, addresses] : cluster)
        for (std::size_t i = 0; i < addresses.size(); ++i) {
            ojson tf;
            tf["cluster"] = cluster_json;
            tf["task"] = {{"type", key}, {"index", i}};
            tf["environment"] = "cloud";
            out[key + ":" + std::to_string(i)] = tf.dump();
        }
    return out;
}

template <class Backend>
void check_prediction(const cluster<Backend>& c, const std::string& ns, const std::string& domain) {
    auto o = with_image();
    o.kubernetes_namespace = ns;
    o.cluster_domain = domain;
    const auto manifest = tfjob_manifest(c, o);
    const auto expected = operator_tf_configs(manifest, domain);
    tf_config_options tf;
    tf.profile = tf_profile::kubeflow;
    tf.kubernetes_namespace = ns;
    tf.cluster_domain = domain;
    std::size_t pods = 0;
    for (const auto& t : c.tasks()) {
        const std::string pod = std::string(enum_name(t.type)) + ":" + std::to_string(t.index);
        CAPTURE(pod);
        const auto ours = tf_config(c, t.type, t.index, tf);
        const auto it = expected.find(pod);
        if (it == expected.end()) {
            CHECK_FALSE(ours.has_value());
        } else {
            REQUIRE(ours.has_value());
            CHECK(*ours == it->second);
            ++pods;
        }
    }
    CHECK(pods == expected.size());
}

template <class F, class C, class = void>
struct callable_with : std::false_type {};
template <class F, class C>
struct callable_with<F, C, std::void_t<decltype(std::declval<F>()(std::declval<const C&>()))>> : std::true_type {};

struct call_tfjob {
    template <class C>
    auto operator()(const C& c) const -> decltype(tfjob_manifest(c, kubeflow_options{})) {
        return tfjob_manifest(c, kubeflow_options{});
    }
};
struct call_mpijob {
    template <class C>
    auto operator()(const C& c) const -> decltype(mpijob_manifest(c, kubeflow_options{})) {
        return mpijob_manifest(c, kubeflow_options{});
    }
};

}  // namespace

TEST_CASE("kubeflow: manifests exist only for the right backends") {
    static_assert(callable_with<call_tfjob, cluster<parameter_server>>::value);
    static_assert(callable_with<call_tfjob, cluster<multi_worker>>::value);
    static_assert(!callable_with<call_tfjob, cluster<mpi>>::value, "no TFJob of an mpi job");
    static_assert(!callable_with<call_tfjob, cluster<single_node>>::value);
    static_assert(callable_with<call_mpijob, cluster<mpi>>::value);
    static_assert(!callable_with<call_mpijob, cluster<parameter_server>>::value, "no MPIJob of a ps job");
    static_assert(!callable_with<call_mpijob, cluster<multi_worker>>::value);
}

TEST_CASE("kubeflow: the TFJob of the seed parameter-server job") {
    const auto c = plan(std::get<job<parameter_server>>(load_job(test_support::seed_text("tf-ps-mnist"))));
    // Two workers and one ps on 2 nodes of undeclared GPUs: each worker is
    // alone with its GPU work on its node (one GPU), the ps gets none and
    // sees none. Every replica restarts on a signal only (ExitCode); when
    // worker 0 (no chief) ends, the operator removes the running ps
    // (cleanPodPolicy Running); the steps run in /workspace.
    const auto container = [](bool gpu) {
        ojson c = ojson::parse(R"({
          "name": "tensorflow",
          "image": "tensorflow/tensorflow:1.13.1-gpu-py3",
          "command": ["python"],
          "args": ["train.py", "--num_gpus", "1", "--train_steps", "500"],
          "workingDir": "/workspace"
        })");
        if (!gpu) c["env"] = ojson::parse(R"([{"name": "CUDA_VISIBLE_DEVICES", "value": ""}])");
        c["ports"] = ojson::parse(R"([{"name": "tfjob-port", "containerPort": 2222}])");
        if (gpu) c["resources"] = ojson::parse(R"({"limits": {"nvidia.com/gpu": 1}})");
        c["volumeMounts"] = ojson::parse(R"([{"name": "dshm", "mountPath": "/dev/shm"}])");
        return c;
    };
    const auto replica = [&](int replicas, bool gpu) {
        ojson r;
        r["replicas"] = replicas;
        r["restartPolicy"] = "ExitCode";
        r["template"]["spec"]["containers"] = ojson::array({container(gpu)});
        r["template"]["spec"]["volumes"] =
            ojson::parse(R"([{"name": "dshm", "emptyDir": {"medium": "Memory", "sizeLimit": "2Gi"}}])");
        return r;
    };
    ojson expected = ojson::parse(R"({
      "apiVersion": "kubeflow.org/v1",
      "kind": "TFJob",
      "metadata": {"name": "tf-ps-mnist", "namespace": "default"},
      "spec": {"runPolicy": {"cleanPodPolicy": "Running"}, "tfReplicaSpecs": {}}
    })");
    expected["spec"]["tfReplicaSpecs"]["Worker"] = replica(2, true);
    expected["spec"]["tfReplicaSpecs"]["PS"] = replica(1, false);
    const auto manifest = tfjob_manifest(c, with_image());
    CHECK(manifest.dump(2) == expected.dump(2));  // key order included
    CHECK(tfjob_manifest(c, with_image()).dump() == manifest.dump());
}

TEST_CASE("kubeflow: TFJob fields") {
    auto s = ps_spec("big", 4, 6, 2, 1, 1);
    s.use_gpu = false;
    s.target->cpus_per_node = 12;
    s.environment_variables = {{"NCCL_DEBUG", "INFO"}, {"A_B", "x y"}};
    s.shm_size = "512m";
    s.max_run_duration_seconds = 7200;
    s.port = 3333;
    const auto c = plan_of<parameter_server>(s);
    auto o = with_image("registry.example.com/team/trainer:1.0");
    o.kubernetes_namespace = "ml-team";
    o.labels = {{"team", "vision"}, {"app.kubernetes.io/name", "big"}};
    o.restart_policy = "OnFailure";
    o.replica_restart_policy = {{"PS", "Never"}};
    o.clean_pod_policy = "All";
    o.command = {"python3", "-u", "train.py"};
    o.image_pull_secrets = {"registry-key"};
    o.node_selector = {{"accelerator", "a100"}};
    o.tolerations = {{"nvidia.com/gpu", "Exists", "", "NoSchedule"}};
    o.volumes = {{"datasets", "/data", true}, {"runs", "/workspace/outputs", false}};
    o.working_directory = "/opt/train";
    o.memory = "16Gi";
    const auto m = tfjob_manifest(c, o);

    CHECK(m["metadata"].dump() ==
          R"({"name":"big","namespace":"ml-team","labels":{"team":"vision","app.kubernetes.io/name":"big"}})");
    CHECK(m["spec"]["runPolicy"].dump() == R"({"cleanPodPolicy":"All","activeDeadlineSeconds":7200})");
    std::vector<std::string> types;
    for (const auto& [type, replica] : m["spec"]["tfReplicaSpecs"].items()) types.push_back(type);
    CHECK(types == std::vector<std::string>{"Chief", "Worker", "PS", "Evaluator"});
    const auto& specs = m["spec"]["tfReplicaSpecs"];
    CHECK(specs["Chief"]["replicas"] == 1);
    CHECK(specs["Worker"]["replicas"] == 6);
    CHECK(specs["PS"]["replicas"] == 2);
    CHECK(specs["Evaluator"]["replicas"] == 1);
    for (const auto& item : specs.items()) {
        const std::string type = item.key();
        const auto& replica = item.value();
        CAPTURE(type);
        CHECK(replica["restartPolicy"] == (type == "PS" ? "Never" : "OnFailure"));
        const auto& pod = replica["template"]["spec"];
        REQUIRE(pod["containers"].size() == 1);
        const auto& container = pod["containers"][0];
        CHECK(container["name"] == "tensorflow");
        CHECK(container["image"] == "registry.example.com/team/trainer:1.0");
        CHECK(container["command"].dump() == R"(["python3"])");
        CHECK(container["args"].dump() == R"(["-u","train.py"])");
        CHECK(container["workingDir"] == "/opt/train");
        CHECK(container["env"].dump() == R"([{"name":"NCCL_DEBUG","value":"INFO"},{"name":"A_B","value":"x y"}])");
        CHECK(container["ports"].dump() == R"([{"name":"tfjob-port","containerPort":3333}])");
        // 10 tasks on 4 nodes, 3 on the busiest: 12 CPUs / 3 = 4 each.
        CHECK(container["resources"].dump() == R"({"requests":{"cpu":4,"memory":"16Gi"},"limits":{"memory":"16Gi"}})");
        CHECK(container["volumeMounts"].dump() ==
              R"([{"name":"dshm","mountPath":"/dev/shm"},{"name":"data-0","mountPath":"/data","readOnly":true},)"
              R"({"name":"data-1","mountPath":"/workspace/outputs"}])");
        CHECK(pod["volumes"].dump() ==
              R"([{"name":"dshm","emptyDir":{"medium":"Memory","sizeLimit":"512Mi"}},)"
              R"({"name":"data-0","persistentVolumeClaim":{"claimName":"datasets","readOnly":true}},)"
              R"({"name":"data-1","persistentVolumeClaim":{"claimName":"runs"}}])");
        CHECK(pod["imagePullSecrets"].dump() == R"([{"name":"registry-key"}])");
        CHECK(pod["nodeSelector"].dump() == R"({"accelerator":"a100"})");
        CHECK(pod["tolerations"].dump() == R"([{"key":"nvidia.com/gpu","operator":"Exists","effect":"NoSchedule"}])");
        // TF_CONFIG is the operator's to set.
        for (const auto& e : container["env"]) CHECK(e["name"] != "TF_CONFIG");
    }
}

TEST_CASE("kubeflow: TFJob GPUs as the plan gives them; the GPUs of a parameter server hidden") {
    // 4 nodes of 4 GPUs, 8 workers and 4 ps: 2 workers a node, 2 GPUs each.
    auto s = ps_spec("gpus", 4, 8, 4, 0, 0);
    s.use_gpu = true;
    s.target->gpus_per_node = 4;
    const auto m = tfjob_manifest(plan_of<parameter_server>(s), with_image());
    const auto& specs = m["spec"]["tfReplicaSpecs"];
    CHECK(specs["Worker"]["template"]["spec"]["containers"][0]["resources"].dump() ==
          R"({"limits":{"nvidia.com/gpu":2}})");
    const auto& ps = specs["PS"]["template"]["spec"]["containers"][0];
    CHECK_FALSE(ps.contains("resources"));
    CHECK(ps["env"].dump() == R"([{"name":"CUDA_VISIBLE_DEVICES","value":""}])");
}

TEST_CASE("kubeflow: the ONNX export runs on the task that owns the model") {
    SUBCASE("the chief: its own replica type") {
        auto s = ps_spec("onnx", 2, 2, 1, 1);
        s.onnx_export = onnx_export_settings{};
        const auto m = tfjob_manifest(plan_of<parameter_server>(s), with_image());
        const auto& chief = m["spec"]["tfReplicaSpecs"]["Chief"]["template"]["spec"]["containers"][0];
        CHECK(chief["command"].dump() == R"(["sh"])");
        CHECK(chief["args"].dump() ==
              R"(["-c","python train.py && exec python -m tf2onnx.convert --saved-model outputs/model )"
              R"(--output outputs/model.onnx --opset 13"])");
        const auto& worker = m["spec"]["tfReplicaSpecs"]["Worker"]["template"]["spec"]["containers"][0];
        CHECK(worker["command"].dump() == R"(["python"])");
        CHECK(worker["args"].dump() == R"(["train.py"])");
        CHECK_FALSE(worker.contains("env"));
    }
    SUBCASE("worker 0: the index from the operator's replica-index label") {
        auto s = ps_spec("onnx", 2, 2, 1);
        s.onnx_export = onnx_export_settings{};
        const auto m = tfjob_manifest(plan_of<parameter_server>(s), with_image());
        const auto& worker = m["spec"]["tfReplicaSpecs"]["Worker"]["template"]["spec"]["containers"][0];
        CHECK(worker["args"][1] ==
              "python train.py && if [ \"${TRAINSPEC_TASK_INDEX:-}\" = 0 ]; then exec python -m tf2onnx.convert "
              "--saved-model outputs/model --output outputs/model.onnx --opset 13; fi");
        CHECK(worker["env"].dump() == R"([{"name":"TRAINSPEC_TASK_INDEX","valueFrom":{"fieldRef":{"fieldPath":)"
                                      R"("metadata.labels['training.kubeflow.org/replica-index']"}}}])");
        const auto& ps = m["spec"]["tfReplicaSpecs"]["PS"]["template"]["spec"]["containers"][0];
        CHECK(ps["args"].dump() == R"(["train.py"])");
    }
}

TEST_CASE("kubeflow: TFJob of a multi-worker job; CPU jobs; sparse form") {
    auto s = multi_worker_spec("mw", 3, 3);
    s.use_gpu = false;
    auto m = tfjob_manifest(plan_of<multi_worker>(s), with_image());
    REQUIRE(m["spec"]["tfReplicaSpecs"].size() == 1);
    const auto& worker = m["spec"]["tfReplicaSpecs"]["Worker"];
    CHECK(worker["replicas"] == 3);
    CHECK_FALSE(worker["template"]["spec"]["containers"][0].contains("resources"));
    CHECK_FALSE(m["spec"].contains("enableDynamicWorker"));

    auto sparse = ps_spec("dyn", 2, 2, 1);
    sparse.tf_config = tf_config_settings{};
    sparse.tf_config->profile = tf_profile::kubeflow;
    sparse.tf_config->sparse = true;
    m = tfjob_manifest(plan_of<parameter_server>(sparse), with_image());
    CHECK(m["spec"]["enableDynamicWorker"] == true);
}

TEST_CASE("kubeflow: shm sizes become Kubernetes quantities") {
    CHECK(detail::kubernetes_quantity(2ull << 30) == "2Gi");
    CHECK(detail::kubernetes_quantity(512ull << 20) == "512Mi");
    CHECK(detail::kubernetes_quantity(1536ull << 20) == "1536Mi");
    CHECK(detail::kubernetes_quantity(64ull << 10) == "64Ki");
    CHECK(detail::kubernetes_quantity(1000) == "1000");
    auto s = ps_spec("shm", 2, 2, 1);
    s.shm_size = "1536M";
    const auto m = tfjob_manifest(plan_of<parameter_server>(s), with_image());
    CHECK(m["spec"]["tfReplicaSpecs"]["PS"]["template"]["spec"]["volumes"][0]["emptyDir"]["sizeLimit"] == "1536Mi");
}

/// The launcher's argv: command and args.
std::vector<std::string> launcher_argv(const ojson& manifest) {
    const auto& c = manifest["spec"]["mpiReplicaSpecs"]["Launcher"]["template"]["spec"]["containers"][0];
    auto argv = c["command"].get<std::vector<std::string>>();
    if (c.contains("args"))
        for (const auto& a : c["args"]) argv.push_back(a.get<std::string>());
    return argv;
}

TEST_CASE("kubeflow: the MPIJob of the seed Horovod job") {
    const auto c = plan(std::get<job<mpi>>(load_job(test_support::seed_text("tf-horovod-word2vec"))));
    // Workers run sshd, as the MPI operator's v2beta1 examples do; the pods
    // run as root, so Open MPI's mpirun is allowed to; workers are removed
    // when the launcher ends (cleanPodPolicy Running).
    const ojson expected = ojson::parse(R"({
      "apiVersion": "kubeflow.org/v2beta1",
      "kind": "MPIJob",
      "metadata": {"name": "tf-horovod-word2vec", "namespace": "default"},
      "spec": {
        "slotsPerWorker": 1,
        "runPolicy": {"cleanPodPolicy": "Running"},
        "mpiImplementation": "OpenMPI",
        "launcherCreationPolicy": "WaitForWorkersReady",
        "mpiReplicaSpecs": {
          "Launcher": {
            "replicas": 1,
            "restartPolicy": "OnFailure",
            "template": {"spec": {"containers": [{
              "name": "mpi-launcher",
              "image": "horovod/horovod:0.28.1",
              "command": ["mpirun"],
              "args": ["--allow-run-as-root", "--tag-output", "-np", "2", "--hostfile", "/etc/mpi/hostfile",
                       "-bind-to", "none", "-map-by", "slot", "-mca", "pml", "ob1", "-mca", "btl", "^openib",
                       "python", "tf_horovod_word2vec.py", "--input_data", "/data/text8"],
              "workingDir": "/workspace"
            }]}}
          },
          "Worker": {
            "replicas": 2,
            "restartPolicy": "Never",
            "template": {"spec": {
              "containers": [{
                "name": "mpi-worker",
                "image": "horovod/horovod:0.28.1",
                "command": ["/usr/sbin/sshd"],
                "args": ["-De"],
                "workingDir": "/workspace",
                "resources": {"limits": {"nvidia.com/gpu": 1}},
                "volumeMounts": [{"name": "dshm", "mountPath": "/dev/shm"}]
              }],
              "volumes": [{"name": "dshm", "emptyDir": {"medium": "Memory", "sizeLimit": "2Gi"}}]
            }}
          }
        }
      }
    })");
    CHECK(mpijob_manifest(c, with_image("horovod/horovod:0.28.1")).dump(2) == expected.dump(2));
}

TEST_CASE("kubeflow: MPIJob fields") {
    auto s = mpi_spec("hvd", 16, 4);
    s.target->gpus_per_node = 4;
    s.max_run_duration_seconds = 600;
    s.environment_variables = {{"NCCL_DEBUG", "INFO"}};
    s.mpi = mpi_settings{};
    s.mpi->allow_run_as_root = run_as_root::environment;
    const auto c = plan_of<mpi>(s);
    auto o = with_image("horovod/horovod:0.28.1");
    o.worker_command = {"/usr/sbin/sshd", "-De", "-f", "/home/mpiuser/.sshd_config"};
    o.launcher_creation_policy = "AtStartup";
    o.clean_pod_policy = "None";
    auto m = mpijob_manifest(c, o);
    CHECK(m["spec"]["slotsPerWorker"] == 4);
    CHECK(m["spec"]["launcherCreationPolicy"] == "AtStartup");
    CHECK(m["spec"]["runPolicy"].dump() == R"({"cleanPodPolicy":"None","activeDeadlineSeconds":600})");
    const auto argv = launcher_argv(m);
    REQUIRE(argv.size() > 6);
    CHECK(argv[0] == "mpirun");
    CHECK(argv[1] == "--tag-output");
    CHECK(argv[2] == "-np");
    CHECK(argv[3] == "64");
    CHECK(argv[4] == "--hostfile");
    CHECK(argv[5] == "/etc/mpi/hostfile");
    CHECK(std::find(argv.begin(), argv.end(), "-H") == argv.end());
    CHECK(std::find(argv.begin(), argv.end(), "NCCL_DEBUG=INFO") != argv.end());
    const auto& launcher = m["spec"]["mpiReplicaSpecs"]["Launcher"]["template"]["spec"]["containers"][0];
    CHECK(launcher["env"].dump() ==
          R"([{"name":"OMPI_ALLOW_RUN_AS_ROOT","value":"1"},{"name":"OMPI_ALLOW_RUN_AS_ROOT_CONFIRM","value":"1"}])");
    const auto& worker = m["spec"]["mpiReplicaSpecs"]["Worker"];
    CHECK(worker["replicas"] == 16);
    const auto& wc = worker["template"]["spec"]["containers"][0];
    CHECK(wc["command"].dump() == R"(["/usr/sbin/sshd"])");
    CHECK(wc["args"].dump() == R"(["-De","-f","/home/mpiuser/.sshd_config"])");
    CHECK(wc["env"].dump() == R"([{"name":"NCCL_DEBUG","value":"INFO"}])");
    // Four ranks a node, one GPU each.
    CHECK(wc["resources"].dump() == R"({"limits":{"nvidia.com/gpu":4}})");

    SUBCASE("PATH and LD_* reach the ranks only, never sshd or the launcher") {
        auto hostile = s;
        hostile.environment_variables = {{"NCCL_DEBUG", "INFO"}, {"LD_PRELOAD", "/a.so /b.so"}, {"PATH", "./bin"}};
        const auto h = mpijob_manifest(plan_of<mpi>(hostile), o);
        const auto& spec = h["spec"]["mpiReplicaSpecs"];
        CHECK(spec["Worker"]["template"]["spec"]["containers"][0]["env"].dump() ==
              R"([{"name":"NCCL_DEBUG","value":"INFO"}])");
        CHECK(spec["Launcher"]["template"]["spec"]["containers"][0]["env"].dump().find("LD_PRELOAD") ==
              std::string::npos);
        const auto a = launcher_argv(h);
        CHECK(std::find(a.begin(), a.end(), "PATH=./bin") != a.end());              // -x: the ranks' environment
        CHECK(std::find(a.begin(), a.end(), "LD_PRELOAD=/a.so /b.so") != a.end());  // env before the program
    }

    SUBCASE("flavors") {
        o.flavor = mpi_flavor::intel;
        m = mpijob_manifest(c, o);
        CHECK(m["spec"]["mpiImplementation"] == "Intel");
        auto a = launcher_argv(m);
        CHECK(a[0] == "mpirun");
        CHECK(ojson(a).dump().find(R"("-machinefile","/etc/mpi/hostfile")") != std::string::npos);
        o.flavor = mpi_flavor::mpich;
        m = mpijob_manifest(c, o);
        CHECK(m["spec"]["mpiImplementation"] == "MPICH");
        a = launcher_argv(m);
        CHECK(a[0] == "mpiexec");
        CHECK(ojson(a).dump().find(R"("-f","/etc/mpi/hostfile")") != std::string::npos);
        o.flavor = mpi_flavor::horovodrun;
        m = mpijob_manifest(c, o);
        CHECK(m["spec"]["mpiImplementation"] == "OpenMPI");
        CHECK(ojson(launcher_argv(m)).dump().find(R"(["horovodrun","-np","64","--hostfile","/etc/mpi/hostfile")") == 0);
    }
    SUBCASE("a command of one's own runs on every rank") {
        o.command = {"python3", "-u", "hvd.py"};
        const auto words = launcher_argv(mpijob_manifest(c, o));
        REQUIRE(words.size() > 3);
        CHECK(std::vector<std::string>(words.end() - 3, words.end()) ==
              std::vector<std::string>{"python3", "-u", "hvd.py"});
    }
    SUBCASE("the ONNX export runs on rank 0") {
        auto with_export = s;
        with_export.onnx_export = onnx_export_settings{};
        const auto words = launcher_argv(mpijob_manifest(plan_of<mpi>(with_export), o));
        REQUIRE(words.size() > 3);
        CHECK(std::vector<std::string>(words.end() - 3, words.end() - 1) == std::vector<std::string>{"sh", "-c"});
        CHECK(words.back() ==
              "python train.py && if [ \"${HOROVOD_RANK:-${OMPI_COMM_WORLD_RANK:-${PMI_RANK:-${PMIX_RANK:-"
              "${SLURM_PROCID:-0}}}}}\" = 0 ]; then exec python -m tf2onnx.convert --saved-model outputs/model "
              "--output outputs/model.onnx --opset 13; fi");
    }
}

TEST_CASE("kubeflow: without an image, the job's own, pulled as where it lives says") {
    const auto containers = [](const ojson& replica_specs) {
        std::vector<ojson> found;
        for (const auto& item : replica_specs.items())
            for (const auto& c : item.value()["template"]["spec"]["containers"]) found.push_back(c);
        REQUIRE(found.size() == 2);  // Worker and PS: one container each
        return found;
    };
    auto s = ps_spec("own-image", 2, 2, 1);
    s.pip_packages = {"pandas"};
    kubeflow_options o;  // no image
    const auto local = plan_of<parameter_server>(s);
    for (const auto& c : containers(tfjob_manifest(local, o)["spec"]["tfReplicaSpecs"])) {
        CHECK(c["image"] == container_image(local.job()));
        CHECK(c["imagePullPolicy"] == "IfNotPresent");  // built on the node, never in a registry
    }
    s.image_registry = "registry.example.com/team/own-image";
    const auto pushed = plan_of<parameter_server>(s);
    const auto reference = container_image(pushed.job());
    CHECK(reference.rfind("registry.example.com/team/own-image:", 0) == 0);
    for (const auto& c : containers(tfjob_manifest(pushed, o)["spec"]["tfReplicaSpecs"])) {
        CHECK(c["image"] == reference);
        CHECK(c["imagePullPolicy"] == "Always");  // the tag stays when only the source changes
    }
    o.image_pull_policy = "IfNotPresent";
    for (const auto& c : containers(tfjob_manifest(pushed, o)["spec"]["tfReplicaSpecs"]))
        CHECK(c["imagePullPolicy"] == "IfNotPresent");
    // An MPIJob's launcher and workers run the same image.
    auto h = mpi_spec("own-image", 2, 1);
    h.image_registry = "registry.example.com/team/own-image";
    const auto hvd = plan_of<mpi>(h);
    const auto images = containers(mpijob_manifest(hvd, {})["spec"]["mpiReplicaSpecs"]);
    REQUIRE(images.size() == 2);
    for (const auto& c : images) CHECK(c["image"] == container_image(hvd.job()));
    // A given image is used as it is, with no pull policy of ours.
    for (const auto& c : containers(tfjob_manifest(pushed, with_image())["spec"]["tfReplicaSpecs"])) {
        CHECK(c["image"] == "tensorflow/tensorflow:1.13.1-gpu-py3");
        CHECK_FALSE(c.contains("imagePullPolicy"));
    }
}

TEST_CASE("kubeflow: admission rules are checked before rendering") {
    const auto ps = plan_of<parameter_server>(ps_spec("rules", 2, 2, 1));
    const auto hvd = plan_of<mpi>(mpi_spec("rules", 2, 1));

    auto o = with_image("Bad Image");
    CHECK(has_path(problems_of([&] { (void)tfjob_manifest(ps, o); }), "image"));
    CHECK(has_path(problems_of([&] { (void)mpijob_manifest(hvd, o); }), "image"));
    o = with_image();
    o.image_pull_policy = "Sometimes";
    CHECK(has_path(problems_of([&] { (void)tfjob_manifest(ps, o); }), "image_pull_policy"));

    o = with_image();
    o.kubernetes_namespace = "Team_A";
    o.cluster_domain = "bad domain";
    o.clean_pod_policy = "Sometimes";
    o.labels = {{"ok", "fine"}, {"bad key!", "v"}, {"k", "-starts-with-dash"}, {"ok", "again"}};
    auto found = problems_of([&] { (void)tfjob_manifest(ps, o); });
    CHECK(has_path(found, "namespace"));
    CHECK(has_path(found, "cluster_domain"));
    CHECK(has_path(found, "clean_pod_policy"));
    CHECK(has_path(found, R"(labels["bad key!"])"));
    CHECK(has_path(found, R"(labels["k"])"));
    CHECK(has_path(found, R"(labels["ok"])"));
    CHECK(found.size() == 6);  // every problem at once

    o = with_image();
    o.restart_policy = "Always";
    CHECK_NOTHROW((void)tfjob_manifest(ps, o));
    CHECK(has_path(problems_of([&] { (void)mpijob_manifest(hvd, o); }), "restart_policy"));
    o.restart_policy = "ExitCode";
    CHECK_NOTHROW((void)tfjob_manifest(ps, o));
    CHECK(has_path(problems_of([&] { (void)mpijob_manifest(hvd, o); }), "restart_policy"));
    o.restart_policy = "Sometimes";
    CHECK(has_path(problems_of([&] { (void)tfjob_manifest(ps, o); }), "restart_policy"));

    o = with_image();
    o.launcher_creation_policy = "Later";
    CHECK(has_path(problems_of([&] { (void)mpijob_manifest(hvd, o); }), "launcher_creation_policy"));
    o = with_image();
    o.command = {""};
    CHECK(has_path(problems_of([&] { (void)tfjob_manifest(ps, o); }), "command[0]"));
    o = with_image();
    o.worker_command = {"", "-De"};
    CHECK(has_path(problems_of([&] { (void)mpijob_manifest(hvd, o); }), "worker_command[0]"));

    // The operator sets TF_CONFIG; a job that sets it too is refused for a TFJob.
    auto with_tf_config = ps_spec("rules", 2, 2, 1);
    with_tf_config.environment_variables = {{"TF_CONFIG", "{}"}};
    found = problems_of([&] { (void)tfjob_manifest(plan_of<parameter_server>(with_tf_config), with_image()); });
    CHECK(has_path(found, R"(environment_variables["TF_CONFIG"])"));

    // Kubernetes' variable names.
    CHECK(detail::is_kubernetes_env_name("A_B"));
    CHECK(detail::is_kubernetes_env_name("a.b-c"));
    CHECK(detail::is_kubernetes_env_name("_x"));
    CHECK_FALSE(detail::is_kubernetes_env_name(""));
    CHECK_FALSE(detail::is_kubernetes_env_name("."));
    CHECK_FALSE(detail::is_kubernetes_env_name(".."));
    CHECK_FALSE(detail::is_kubernetes_env_name("..a"));
    CHECK_FALSE(detail::is_kubernetes_env_name("1A"));
    CHECK_FALSE(detail::is_kubernetes_env_name("A B"));
    CHECK_FALSE(detail::is_kubernetes_env_name("A=B"));

    // Names the operators derive must be DNS-1035 labels of at most 63
    // characters; the job's own validation already refuses such names, and
    // the manifest check repeats it for every derived name.
    auto long_name = ps_spec("rules", 2, 2, 1);
    long_name.name = std::string(55, 'a');  // 55 + "-worker-1" = 64
    CHECK_THROWS_AS(make_job(long_name), validation_error);
}

TEST_CASE("kubeflow: the kubeflow profile's TF_CONFIG is what the operator injects") {
    SUBCASE("the seed ps job") {
        check_prediction(plan(std::get<job<parameter_server>>(load_job(test_support::seed_text("tf-ps-mnist")))),
                         "default", "");
    }
    SUBCASE("chief, 64 workers, 4 ps, evaluator; namespace and cluster domain") {
        auto s = ps_spec("large", 16, 64, 4, 1, 1);
        check_prediction(plan_of<parameter_server>(s), "ml-team", "example.org");
    }
    SUBCASE("a port of one's own") {
        auto s = ps_spec("port", 3, 4, 2, 1);
        s.port = 3333;
        check_prediction(plan_of<parameter_server>(s), "default", "cluster.local");
    }
    SUBCASE("multi-worker") { check_prediction(plan_of<multi_worker>(multi_worker_spec("mw", 8, 8)), "default", ""); }
    SUBCASE("one replica: the operator sets none") {
        const auto c = plan_of<multi_worker>(multi_worker_spec("one", 1, 1));
        CHECK(operator_tf_configs(tfjob_manifest(c, with_image()), "").empty());
        check_prediction(c, "default", "");
    }
}
