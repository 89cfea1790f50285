// The TF_CONFIG producer against the rules of docs/tf_config.md: every
// expected string below is written out by hand from those rules and from the
// placement rules of plan.hpp (never copied from the library's output).
// Then the consumer rules, checked when a job is loaded and when it renders.

#include <doctest/doctest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include <trainspec/trainspec.hpp>

#include "test_support.hpp"

using namespace trainspec;
using test_support::listing;
using test_support::multi_worker_spec;
using test_support::plan_of;
using test_support::ps_spec;

namespace {

job_spec with_tf_config(job_spec s, std::optional<tf_profile> profile, std::optional<tf_consumer> consumer = {}) {
    tf_config_settings settings = s.tf_config.value_or(tf_config_settings{});
    settings.profile = profile;
    settings.consumer = consumer;
    s.tf_config = settings;
    return s;
}

tf_config_options profile_option(tf_profile p) {
    tf_config_options o;
    o.profile = p;
    return o;
}

/// The TF_CONFIG of one task; fails the test when there is none. Every
/// TF_CONFIG must also be one line of valid JSON.
template <class Backend>
std::string render(const cluster<Backend>& c, task_type type, int index, const tf_config_options& options = {}) {
    const auto json = tf_config(c, type, index, options);
    REQUIRE(json.has_value());
    CHECK(nlohmann::json::accept(*json));
    CHECK(json->find('\n') == std::string::npos);
    CHECK(json->find(' ') == std::string::npos);  // no address or key here has a blank
    return json.value_or("");
}

/// The problems in the validation_error that `f` throws.
template <class F>
problems failure(F f) {
    try {
        f();
        FAIL_CHECK("no validation_error");
    } catch (const validation_error& e) {
        return e.all();
    }
    return {};
}

/// True when some problem sits at `path` and its rule contains `text`.
bool has_problem(const problems& found, std::string_view path, std::string_view text) {
    for (const auto& p : found)
        if (p.path == path && p.rule.find(text) != std::string::npos) return true;
    return false;
}

/// A chief, two workers, a ps and an evaluator on h0 and h1 (3 slots each).
/// Round robin: chief -> h0, worker 0 -> h1, worker 1 -> h0, ps 0 -> h1,
/// evaluator -> h0; ports count up per host from 2222.
///   h0: chief 2222, worker 1 2223, evaluator 2224
///   h1: worker 0 2222, ps 0 2223
job_spec full_spec() { return ps_spec("mnist", 2, 2, 1, 1, 1); }
constexpr std::string_view full_hosts = "h0:3,h1:3";

/// The seed's parameter-server job (examples/specs/tf-ps-mnist.json): no
/// chief, generated hosts. node 0: worker 0 2222, ps 0 2223; node 1: worker 1.
constexpr std::string_view seed_text = R"({
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

/// The seed with extra top-level keys spliced in before the closing brace.
std::string seed_with(std::string_view extra) {
    std::string text(seed_text);
    text.insert(text.rfind('}'), std::string(",") + std::string(extra));
    return text;
}

}  // namespace

// ---------------------------------------------------------------------------
// tf2 profile: compact, keys sorted, cluster then task, evaluator outside the
// cluster, no "environment".

TEST_CASE("tf2 profile: the full job") {
    const auto c = plan_of<parameter_server>(full_spec(), full_hosts);
    CHECK(render(c, task_type::chief, 0) ==
          R"({"cluster":{"chief":["h0:2222"],"ps":["h1:2223"],"worker":["h1:2222","h0:2223"]},)"
          R"("task":{"type":"chief","index":0}})");
    CHECK(render(c, task_type::worker, 1) ==
          R"({"cluster":{"chief":["h0:2222"],"ps":["h1:2223"],"worker":["h1:2222","h0:2223"]},)"
          R"("task":{"type":"worker","index":1}})");
    CHECK(render(c, task_type::ps, 0) ==
          R"({"cluster":{"chief":["h0:2222"],"ps":["h1:2223"],"worker":["h1:2222","h0:2223"]},)"
          R"("task":{"type":"ps","index":0}})");
    // The evaluator is not in the cluster, but it has a TF_CONFIG of its own.
    CHECK(render(c, task_type::evaluator, 0) ==
          R"({"cluster":{"chief":["h0:2222"],"ps":["h1:2223"],"worker":["h1:2222","h0:2223"]},)"
          R"("task":{"type":"evaluator","index":0}})");
}

TEST_CASE("tf2 profile: the seed's ps + worker job, and a worker-only job") {
    const auto seed = plan(load_job(seed_text));
    const auto& c = std::get<cluster<parameter_server>>(seed);
    CHECK(render(c, task_type::worker, 0) ==
          R"({"cluster":{"ps":["tf-ps-mnist-node-0:2223"],)"
          R"("worker":["tf-ps-mnist-node-0:2222","tf-ps-mnist-node-1:2222"]},"task":{"type":"worker","index":0}})");
    CHECK(render(c, task_type::ps, 0) ==
          R"({"cluster":{"ps":["tf-ps-mnist-node-0:2223"],)"
          R"("worker":["tf-ps-mnist-node-0:2222","tf-ps-mnist-node-1:2222"]},"task":{"type":"ps","index":0}})");

    const auto mw = plan_of<multi_worker>(multi_worker_spec("mw", 2, 2), "a:1,b:1");
    CHECK(render(mw, task_type::worker, 1) ==
          R"({"cluster":{"worker":["a:2222","b:2222"]},"task":{"type":"worker","index":1}})");
}

TEST_CASE("a task the plan does not have is trainspec::error") {
    const auto c = plan_of<parameter_server>(full_spec(), full_hosts);
    CHECK_THROWS_AS(tf_config(c, task_type::worker, 2), trainspec::error);
    CHECK_THROWS_AS(tf_config(c, task_type::ps, -1), trainspec::error);
    const auto mw = plan_of<multi_worker>(multi_worker_spec("mw", 1, 1));
    CHECK_THROWS_AS(tf_config(mw, task_type::chief, 0), trainspec::error);
    // Also where the profile writes nothing for the job (see the kubeflow cases).
    CHECK_THROWS_AS(tf_config(mw, task_type::worker, 1, profile_option(tf_profile::kubeflow)), trainspec::error);
}

// ---------------------------------------------------------------------------
// estimator profile: "environment": "cloud", evaluator outside the cluster.

TEST_CASE("estimator profile") {
    const auto c = plan_of<parameter_server>(with_tf_config(full_spec(), tf_profile::estimator), full_hosts);
    CHECK(render(c, task_type::chief, 0) ==
          R"({"cluster":{"chief":["h0:2222"],"ps":["h1:2223"],"worker":["h1:2222","h0:2223"]},)"
          R"("task":{"type":"chief","index":0},"environment":"cloud"})");
    CHECK(render(c, task_type::evaluator, 0) ==
          R"({"cluster":{"chief":["h0:2222"],"ps":["h1:2223"],"worker":["h1:2222","h0:2223"]},)"
          R"("task":{"type":"evaluator","index":0},"environment":"cloud"})");
    // The same through the option instead of the spec.
    const auto plain = plan_of<parameter_server>(full_spec(), full_hosts);
    CHECK(render(plain, task_type::worker, 0, profile_option(tf_profile::estimator)) ==
          R"({"cluster":{"chief":["h0:2222"],"ps":["h1:2223"],"worker":["h1:2222","h0:2223"]},)"
          R"("task":{"type":"worker","index":0},"environment":"cloud"})");
}

// ---------------------------------------------------------------------------
// kubeflow profile: what the training operator (TFJob v1, release 1.9) sets.

TEST_CASE("kubeflow: cluster, task, environment; sorted keys; service addresses; evaluator included") {
    // The plan's hosts do not matter: every replica has its own Service
    // <job>-<type>-<index>.<namespace>.svc on the tfjob-port.
    const auto c = plan_of<parameter_server>(with_tf_config(full_spec(), tf_profile::kubeflow), full_hosts);
    const std::string cluster = R"({"chief":["mnist-chief-0.default.svc:2222"],)"
                                R"("evaluator":["mnist-evaluator-0.default.svc:2222"],)"
                                R"("ps":["mnist-ps-0.default.svc:2222"],)"
                                R"("worker":["mnist-worker-0.default.svc:2222","mnist-worker-1.default.svc:2222"]})";
    CHECK(render(c, task_type::chief, 0) ==
          R"({"cluster":)" + cluster + R"(,"task":{"type":"chief","index":0},"environment":"cloud"})");
    CHECK(render(c, task_type::worker, 1) ==
          R"({"cluster":)" + cluster + R"(,"task":{"type":"worker","index":1},"environment":"cloud"})");
    CHECK(render(c, task_type::evaluator, 0) ==
          R"({"cluster":)" + cluster + R"(,"task":{"type":"evaluator","index":0},"environment":"cloud"})");
    CHECK(render(c, task_type::ps, 0) ==
          R"({"cluster":)" + cluster + R"(,"task":{"type":"ps","index":0},"environment":"cloud"})");
}

TEST_CASE("kubeflow: namespace, custom cluster domain and the job's port") {
    auto s = with_tf_config(ps_spec("web", 1, 2, 1), tf_profile::kubeflow);
    s.port = 2345;  // the tfjob-port of the tensorflow container
    const auto c = plan_of<parameter_server>(s);
    tf_config_options options;
    options.kubernetes_namespace = "team-a";
    CHECK(render(c, task_type::ps, 0, options) ==
          R"({"cluster":{"ps":["web-ps-0.team-a.svc:2345"],)"
          R"("worker":["web-worker-0.team-a.svc:2345","web-worker-1.team-a.svc:2345"]},)"
          R"("task":{"type":"ps","index":0},"environment":"cloud"})");
    options.cluster_domain = "cluster.local";
    CHECK(render(c, task_type::worker, 0, options) ==
          R"({"cluster":{"ps":["web-ps-0.team-a.svc.cluster.local:2345"],)"
          R"("worker":["web-worker-0.team-a.svc.cluster.local:2345","web-worker-1.team-a.svc.cluster.local:2345"]},)"
          R"("task":{"type":"worker","index":0},"environment":"cloud"})");
}

TEST_CASE("kubeflow: a bad namespace or cluster domain") {
    const auto c = plan_of<parameter_server>(with_tf_config(ps_spec("web", 1, 1, 1), tf_profile::kubeflow));
    tf_config_options options;
    options.kubernetes_namespace = "Team_A";
    auto found = failure([&] { tf_config(c, task_type::ps, 0, options); });
    CHECK_MESSAGE(has_problem(found, "namespace", "DNS-1123 label"), listing(found));
    options.kubernetes_namespace = "default";
    options.cluster_domain = "-cluster.local";
    found = failure([&] { tf_configs(c, options); });
    CHECK_MESSAGE(has_problem(found, "cluster_domain", "DNS-1123 subdomain"), listing(found));
    // The checks belong to the kubeflow profile only.
    options.profile = tf_profile::tf2;
    CHECK(tf_configs(c, options).size() == 2);
}

TEST_CASE("kubeflow: a job of one replica gets no TF_CONFIG") {
    const auto c = plan_of<multi_worker>(with_tf_config(multi_worker_spec("solo", 1, 1), tf_profile::kubeflow));
    CHECK_FALSE(tf_config(c, task_type::worker, 0).has_value());
    CHECK(tf_configs(c).empty());
    // Other launchers still write one.
    CHECK(render(c, task_type::worker, 0, profile_option(tf_profile::tf2)) ==
          R"({"cluster":{"worker":["solo-node-0:2222"]},"task":{"type":"worker","index":0}})");
    // Two replicas are a distributed job again.
    const auto two = plan_of<multi_worker>(with_tf_config(multi_worker_spec("duo", 1, 2), tf_profile::kubeflow));
    CHECK(tf_configs(two).size() == 2);
    CHECK(render(two, task_type::worker, 0) ==
          R"({"cluster":{"worker":["duo-worker-0.default.svc:2222","duo-worker-1.default.svc:2222"]},)"
          R"("task":{"type":"worker","index":0},"environment":"cloud"})");
}

TEST_CASE("kubeflow sparse form (enableDynamicWorker)") {
    auto s = with_tf_config(ps_spec("dyn", 2, 2, 2, 1, 1), tf_profile::kubeflow);
    s.tf_config->sparse = true;
    const auto c = plan_of<parameter_server>(s, "h0:3,h1:3");
    // A worker sees only itself, as an object keyed by its index (a string,
    // as Go writes a map[int32]string), and every ps. Struct field order:
    // worker, then ps. No "environment".
    CHECK(render(c, task_type::worker, 1) == R"({"cluster":{"worker":{"1":"dyn-worker-1.default.svc:2222"},)"
                                             R"("ps":["dyn-ps-0.default.svc:2222","dyn-ps-1.default.svc:2222"]},)"
                                             R"("task":{"type":"worker","index":1}})");
    // A ps sees only itself, and an empty worker object.
    CHECK(render(c, task_type::ps, 1) ==
          R"({"cluster":{"worker":{},"ps":["dyn-ps-1.default.svc:2222"]},"task":{"type":"ps","index":1}})");
    // Chief and evaluator see an empty worker object and an empty ps list.
    CHECK(render(c, task_type::chief, 0) == R"({"cluster":{"worker":{},"ps":[]},"task":{"type":"chief","index":0}})");
    CHECK(render(c, task_type::evaluator, 0) ==
          R"({"cluster":{"worker":{},"ps":[]},"task":{"type":"evaluator","index":0}})");
}

TEST_CASE("kubeflow sparse form: a worker of a job without ps sees \"ps\":null") {
    // The operator copies the cluster's "ps" entry, which does not exist, into
    // a Go []string: a nil slice, which encoding/json writes as null (the
    // chief's and evaluator's list is an allocated empty slice: []).
    const auto c = plan_of<multi_worker>(multi_worker_spec("mw", 2, 2), "a:1,b:1");
    tf_config_options options;
    options.profile = tf_profile::kubeflow;
    options.sparse = true;
    CHECK(
        render(c, task_type::worker, 0, options) ==
        R"({"cluster":{"worker":{"0":"mw-worker-0.default.svc:2222"},"ps":null},"task":{"type":"worker","index":0}})");
    CHECK(
        render(c, task_type::worker, 1, options) ==
        R"({"cluster":{"worker":{"1":"mw-worker-1.default.svc:2222"},"ps":null},"task":{"type":"worker","index":1}})");
}

TEST_CASE("sparse belongs to the kubeflow profile") {
    const auto c = plan_of<parameter_server>(full_spec(), full_hosts);
    tf_config_options options;
    options.sparse = true;
    const auto found = failure([&] { tf_config(c, task_type::worker, 0, options); });
    CHECK_MESSAGE(has_problem(found, "tf_config.sparse", "kubeflow"), listing(found));
    const auto loaded = failure([] { load_job(seed_with(R"("tf_config": {"sparse": true})")); });
    CHECK_MESSAGE(has_problem(loaded, "tf_config.sparse", "kubeflow"), listing(loaded));
}

// ---------------------------------------------------------------------------
// rpc_layer: appended after task (and environment).

TEST_CASE("rpc_layer is the last field") {
    auto s = full_spec();
    s.tf_config = tf_config_settings{};
    s.tf_config->rpc_layer = "grpc";
    const auto c = plan_of<parameter_server>(s, full_hosts);
    CHECK(render(c, task_type::chief, 0) ==
          R"({"cluster":{"chief":["h0:2222"],"ps":["h1:2223"],"worker":["h1:2222","h0:2223"]},)"
          R"("task":{"type":"chief","index":0},"rpc_layer":"grpc"})");
    CHECK(render(c, task_type::ps, 0, profile_option(tf_profile::estimator)) ==
          R"({"cluster":{"chief":["h0:2222"],"ps":["h1:2223"],"worker":["h1:2222","h0:2223"]},)"
          R"("task":{"type":"ps","index":0},"environment":"cloud","rpc_layer":"grpc"})");
    tf_config_options options;
    options.rpc_layer = "grpc+verbs";
    CHECK(render(c, task_type::worker, 0, options) ==
          R"({"cluster":{"chief":["h0:2222"],"ps":["h1:2223"],"worker":["h1:2222","h0:2223"]},)"
          R"("task":{"type":"worker","index":0},"rpc_layer":"grpc+verbs"})");
}

TEST_CASE("rpc_layer: bad names, and never with the kubeflow profile") {
    const auto c = plan_of<parameter_server>(full_spec(), full_hosts);
    tf_config_options options;
    options.rpc_layer = "grpc\"}";
    auto found = failure([&] { tf_config(c, task_type::worker, 0, options); });
    CHECK_MESSAGE(has_problem(found, "tf_config.rpc_layer", "protocol name"), listing(found));
    options.rpc_layer = "";
    found = failure([&] { tf_configs(c, options); });
    CHECK_MESSAGE(has_problem(found, "tf_config.rpc_layer", "protocol name"), listing(found));
    options.rpc_layer = "grpc";
    options.profile = tf_profile::kubeflow;
    found = failure([&] { tf_config(c, task_type::worker, 0, options); });
    CHECK_MESSAGE(has_problem(found, "tf_config.rpc_layer", "never writes rpc_layer"), listing(found));
    const auto loaded =
        failure([] { load_job(seed_with(R"("tf_config": {"profile": "kubeflow", "rpc_layer": "grpc"})")); });
    CHECK_MESSAGE(has_problem(loaded, "tf_config.rpc_layer", "never writes rpc_layer"), listing(loaded));
}

// ---------------------------------------------------------------------------
// azureml-v1: ps and worker only, "environment": "cloud".

TEST_CASE("azureml-v1 profile: the seed's ps + worker cluster") {
    const auto seed = plan(load_job(seed_with(R"("tf_config": {"profile": "azureml-v1"})")));
    const auto& c = std::get<cluster<parameter_server>>(seed);
    CHECK(render(c, task_type::ps, 0) == R"({"cluster":{"ps":["tf-ps-mnist-node-0:2223"],)"
                                         R"("worker":["tf-ps-mnist-node-0:2222","tf-ps-mnist-node-1:2222"]},)"
                                         R"("task":{"type":"ps","index":0},"environment":"cloud"})");
    CHECK(render(c, task_type::worker, 1) == R"({"cluster":{"ps":["tf-ps-mnist-node-0:2223"],)"
                                             R"("worker":["tf-ps-mnist-node-0:2222","tf-ps-mnist-node-1:2222"]},)"
                                             R"("task":{"type":"worker","index":1},"environment":"cloud"})");
}

TEST_CASE("azureml-v1 profile rejects a chief or an evaluator") {
    const auto c = plan_of<parameter_server>(full_spec(), full_hosts);
    auto found = failure([&] { tf_config(c, task_type::worker, 0, profile_option(tf_profile::azureml_v1)); });
    CHECK_MESSAGE(has_problem(found, "tf_config.profile", "only ps and worker"), listing(found));
    found = failure([] { load_job(seed_with(R"("chief_count": 1, "tf_config": {"profile": "azureml-v1"})")); });
    CHECK_MESSAGE(has_problem(found, "tf_config.profile", "only ps and worker"), listing(found));
    found = failure([] { load_job(seed_with(R"("evaluator_count": 1, "tf_config": {"profile": "azureml-v1"})")); });
    CHECK_MESSAGE(has_problem(found, "tf_config.profile", "only ps and worker"), listing(found));
    // A multi-worker job is a worker-only cluster, as Azure documents for
    // MultiWorkerMirroredStrategy.
    const auto mw = plan_of<multi_worker>(multi_worker_spec("mw", 2, 2), "a:1,b:1");
    CHECK(render(mw, task_type::worker, 0, profile_option(tf_profile::azureml_v1)) ==
          R"({"cluster":{"worker":["a:2222","b:2222"]},"task":{"type":"worker","index":0},"environment":"cloud"})");
}

// ---------------------------------------------------------------------------
// sagemaker: first host master on 2222, the others worker on 2222, a ps on
// 2223 on every host, "environment": "cloud".

TEST_CASE("sagemaker profile: master, workers, a ps on every host") {
    // 2 nodes: master -> node 0, worker 0 -> node 1, ps 0 -> node 0, ps 1 -> node 1.
    const auto two = plan_of<parameter_server>(with_tf_config(ps_spec("sm", 2, 1, 2, 1), tf_profile::sagemaker));
    CHECK(render(two, task_type::chief, 0) ==
          R"({"cluster":{"master":["sm-node-0:2222"],"ps":["sm-node-0:2223","sm-node-1:2223"],)"
          R"("worker":["sm-node-1:2222"]},"task":{"type":"master","index":0},"environment":"cloud"})");
    CHECK(render(two, task_type::ps, 1) ==
          R"({"cluster":{"master":["sm-node-0:2222"],"ps":["sm-node-0:2223","sm-node-1:2223"],)"
          R"("worker":["sm-node-1:2222"]},"task":{"type":"ps","index":1},"environment":"cloud"})");
    const auto three =
        plan_of<parameter_server>(with_tf_config(ps_spec("sm", 3, 2, 3, 1), tf_profile::sagemaker), "a:2,b:2,c:2");
    CHECK(render(three, task_type::worker, 1) ==
          R"({"cluster":{"master":["a:2222"],"ps":["a:2223","b:2223","c:2223"],"worker":["b:2222","c:2222"]},)"
          R"("task":{"type":"worker","index":1},"environment":"cloud"})");
}

TEST_CASE("sagemaker profile: the counts of SageMaker's layout") {
    auto rejected = [](job_spec s) {
        const auto found = failure([&] { make_job(with_tf_config(std::move(s), tf_profile::sagemaker)); });
        CHECK_MESSAGE(has_problem(found, "tf_config.profile", "SageMaker's layout"), listing(found));
    };
    rejected(ps_spec("sm", 2, 2, 1));        // the seed: no chief
    rejected(ps_spec("sm", 2, 1, 1, 1));     // 1 ps on 2 nodes
    rejected(ps_spec("sm", 2, 2, 2, 1));     // 2 workers on 2 nodes
    rejected(ps_spec("sm", 2, 1, 2, 1, 1));  // an evaluator
    rejected(multi_worker_spec("sm", 2, 2));
    CHECK_NOTHROW(make_job(with_tf_config(ps_spec("sm", 2, 1, 2, 1), tf_profile::sagemaker)));
}

TEST_CASE("sagemaker profile: a placement that is not SageMaker's is rejected") {
    const auto s = with_tf_config(ps_spec("sm", 2, 1, 2, 1), tf_profile::sagemaker);
    // a holds 1 slot: both ps land on b.
    const auto uneven = plan_of<parameter_server>(s, "a:1,b:3");
    auto found = failure([&] { tf_configs(uneven); });
    CHECK_MESSAGE(has_problem(found, "tf_config.profile", "host \"a\" should run master on a:2222 and ps 0 on a:2223"),
                  listing(found));
    // unique_ports moves worker 0 and ps 1 up.
    plan_options options;
    options.unique_ports = true;
    const auto unique = plan(make_job_as<parameter_server>(s), options);
    found = failure([&] { tf_config(unique, task_type::chief, 0); });
    CHECK_MESSAGE(has_problem(found, "tf_config.profile", "host \"sm-node-1\" should run worker 0"), listing(found));
}

// ---------------------------------------------------------------------------
// Consumer rules: a cluster the reading TensorFlow API would reject never
// renders, and the job does not even load.

TEST_CASE("the default consumer accepts the seed's ps + worker cluster without a chief") {
    problems none;
    CHECK(effective_consumer(read_spec(seed_text, none)) == tf_consumer::custom);
    CHECK(check_spec(seed_text).empty());
    const auto seed = plan(load_job(seed_text));
    CHECK(tf_configs(std::get<cluster<parameter_server>>(seed)).size() == 3);
}

TEST_CASE("estimator consumer: the cluster needs a chief") {
    const auto found = failure([] { load_job(seed_with(R"("tf_config": {"consumer": "estimator"})")); });
    REQUIRE(found.size() == 1);
    CHECK(found[0].path == "tf_config.consumer");
    CHECK(found[0].value == "\"estimator\"");
    CHECK(found[0].rule == R"(If "cluster" is set in TF_CONFIG, it must have one "chief" node.)");
    CHECK_NOTHROW(load_job(seed_with(R"("chief_count": 1, "tf_config": {"consumer": "estimator"})")));
}

TEST_CASE("parameter_server_strategy consumer: chief, ps and workers") {
    auto found = failure([] { load_job(seed_with(R"("tf_config": {"consumer": "parameter_server_strategy"})")); });
    REQUIRE(found.size() == 1);
    CHECK(found[0].path == "tf_config.consumer");
    CHECK(found[0].rule.find("'chief'") != std::string::npos);
    CHECK_NOTHROW(load_job(seed_with(R"("chief_count": 1, "tf_config": {"consumer": "parameter_server_strategy"})")));
    // A multi-worker job has neither a chief nor a ps.
    found = failure([] {
        make_job(with_tf_config(multi_worker_spec("mw", 2, 2), std::nullopt, tf_consumer::parameter_server_strategy));
    });
    CHECK_MESSAGE(has_problem(found, "tf_config.consumer", "'chief'"), listing(found));
    CHECK_MESSAGE(has_problem(found, "tf_config.consumer", "There must be at least one ps."), listing(found));
}

TEST_CASE("TF2 strategies reject master") {
    const auto layout = ps_spec("sm", 2, 1, 2, 1);
    auto found = failure(
        [&] { make_job(with_tf_config(layout, tf_profile::sagemaker, tf_consumer::parameter_server_strategy)); });
    CHECK_MESSAGE(has_problem(found, "tf_config.consumer", "Disallowed task type found in cluster spec."),
                  listing(found));
    CHECK_MESSAGE(has_problem(found, "tf_config.consumer", "'master'"), listing(found));
    found = failure(
        [&] { make_job(with_tf_config(layout, tf_profile::sagemaker, tf_consumer::multi_worker_mirrored_strategy)); });
    CHECK_MESSAGE(has_problem(found, "tf_config.consumer", "Disallowed task type found in cluster spec."),
                  listing(found));
    // The same cluster with "chief" passes.
    CHECK_NOTHROW(make_job(with_tf_config(layout, tf_profile::tf2, tf_consumer::parameter_server_strategy)));
}

TEST_CASE("multi_worker_mirrored_strategy consumer: no ps tasks") {
    const auto found =
        failure([] { load_job(seed_with(R"("tf_config": {"consumer": "multi_worker_mirrored_strategy"})")); });
    REQUIRE(found.size() == 1);
    CHECK(found[0].path == "tf_config.consumer");
    CHECK(found[0].rule.find("must not have a 'ps' job") != std::string::npos);
    // The default consumer of a multi_worker job, which has no ps.
    problems none;
    const auto mw = to_json(multi_worker_spec("mw", 2, 2)).dump();
    CHECK(effective_consumer(read_spec(mw, none)) == tf_consumer::multi_worker_mirrored_strategy);
    CHECK_NOTHROW(load_job(mw));
}

TEST_CASE("an evaluator inside the cluster (kubeflow) for estimator and parameter_server_strategy") {
    for (auto consumer : {tf_consumer::estimator, tf_consumer::parameter_server_strategy}) {
        CAPTURE(enum_name(consumer));
        // Rejected when the job loads...
        const auto found = failure([&] { make_job(with_tf_config(full_spec(), tf_profile::kubeflow, consumer)); });
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "tf_config.consumer");
        CHECK(found[0].rule.find("evaluator") != std::string::npos);
        // ... and when a valid job is rendered with the kubeflow profile.
        const auto c = plan_of<parameter_server>(with_tf_config(full_spec(), std::nullopt, consumer), full_hosts);
        CHECK(render(c, task_type::evaluator, 0).find("evaluator\",\"index\":0}") != std::string::npos);
        const auto at_render =
            failure([&] { tf_config(c, task_type::chief, 0, profile_option(tf_profile::kubeflow)); });
        CHECK(at_render == found);
        CHECK_THROWS_AS(tf_configs(c, profile_option(tf_profile::kubeflow)), validation_error);
        // Without the evaluator, kubeflow is fine for both.
        const auto no_evaluator =
            plan_of<parameter_server>(with_tf_config(ps_spec("mnist", 2, 2, 1, 1), tf_profile::kubeflow, consumer));
        CHECK(tf_configs(no_evaluator).size() == 4);
    }
    // The custom consumer takes the operator's cluster as it is.
    CHECK_NOTHROW(make_job(with_tf_config(full_spec(), tf_profile::kubeflow, tf_consumer::custom)));
}

TEST_CASE("consumer rules also apply to a profile given at render time") {
    // Valid with the default profile; SageMaker's "master" is a task type
    // ParameterServerStrategy does not allow.
    const auto c = plan_of<parameter_server>(
        with_tf_config(ps_spec("sm", 2, 1, 2, 1), std::nullopt, tf_consumer::parameter_server_strategy));
    const auto found = failure([&] { tf_configs(c, profile_option(tf_profile::sagemaker)); });
    CHECK_MESSAGE(has_problem(found, "tf_config.consumer", "Disallowed task type found in cluster spec."),
                  listing(found));
}

// ---------------------------------------------------------------------------
// All tasks at once.

TEST_CASE("tf_configs equals tf_config task by task, in rank order") {
    struct variant_case {
        const char* what;
        job_spec spec;
        std::string_view hosts;
        tf_config_options options;
    };
    tf_config_options sparse;
    sparse.profile = tf_profile::kubeflow;
    sparse.sparse = true;
    tf_config_options rpc;
    rpc.rpc_layer = "grpc";
    const std::vector<variant_case> cases = {
        {"tf2", full_spec(), full_hosts, {}},
        {"estimator", full_spec(), full_hosts, profile_option(tf_profile::estimator)},
        {"kubeflow", full_spec(), full_hosts, profile_option(tf_profile::kubeflow)},
        {"kubeflow sparse", full_spec(), full_hosts, sparse},
        {"rpc_layer", full_spec(), full_hosts, rpc},
        {"azureml-v1", ps_spec("az", 2, 3, 2), "a:3,b:3", profile_option(tf_profile::azureml_v1)},
        {"sagemaker", ps_spec("sm", 3, 2, 3, 1), "a:2,b:2,c:2", profile_option(tf_profile::sagemaker)},
    };
    for (const auto& k : cases) {
        CAPTURE(k.what);
        const auto c = plan_of<parameter_server>(k.spec, k.hosts);
        const auto all = tf_configs(c, k.options);
        REQUIRE(all.size() == c.tasks().size());
        for (std::size_t i = 0; i < all.size(); ++i) {
            const auto& t = c.tasks()[i];
            CHECK(all[i].type == t.type);
            CHECK(all[i].index == t.index);
            CHECK(all[i].json == render(c, t.type, t.index, k.options));
        }
        // The streaming form hands over the same texts, in the same order.
        std::size_t streamed = 0;
        for_each_tf_config(
            c,
            [&](const task& t, std::string_view json) {
                REQUIRE(streamed < all.size());
                CHECK(t.type == all[streamed].type);
                CHECK(t.index == all[streamed].index);
                CHECK(json == all[streamed].json);
                ++streamed;
            },
            k.options);
        CHECK(streamed == all.size());
    }
}

TEST_CASE("for_each_tf_config: nothing for a one-replica Kubeflow job") {
    int calls = 0;
    // A ps job always has a ps, so a one-replica job is a multi_worker job of one worker.
    job_spec single;
    single.source_directory = "src";
    single.entry_script = "train.py";
    single.target = compute_target("gpu-cluster");
    single.name = "one";
    single.distributed_backend = backend_kind::multi_worker;
    single.worker_count = 1;
    const auto c = plan(make_job_as<multi_worker>(single));
    for_each_tf_config(
        c, [&](const task&, std::string_view) { ++calls; }, profile_option(tf_profile::kubeflow));
    CHECK(calls == 0);
    for_each_tf_config(c, [&](const task&, std::string_view) { ++calls; });
    CHECK(calls == 1);
}

TEST_CASE("a job of 4096 tasks renders") {
    const auto c = plan_of<multi_worker>(multi_worker_spec("big", 64, 4096));
    REQUIRE(c.tasks().size() == 4096);
    // Dense: every task's TF_CONFIG lists all 4096 workers.
    for (int index : {0, 4095}) {
        const auto json = nlohmann::json::parse(render(c, task_type::worker, index));
        REQUIRE(json["cluster"]["worker"].size() == 4096);
        CHECK(json["cluster"]["worker"][0] == "big-node-0:2222");
        CHECK(json["cluster"]["worker"][4095] == "big-node-63:2285");
        CHECK(json["task"]["index"] == index);
    }
    // Sparse: every task at once.
    tf_config_options sparse;
    sparse.profile = tf_profile::kubeflow;
    sparse.sparse = true;
    const auto all = tf_configs(c, sparse);
    REQUIRE(all.size() == 4096);
    CHECK(all.back().json == R"({"cluster":{"worker":{"4095":"big-worker-4095.default.svc:2222"},"ps":null},)"
                             R"("task":{"type":"worker","index":4095}})");
}
