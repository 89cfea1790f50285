// The JSON job spec (trainspec/v1): round trips, order of script_params,
// the mpi settings, unknown keys, syntax errors with line and column,
// duplicate keys, type errors naming the JSON path, backends, and
// check_spec / load_job collecting type and rule problems together.

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <trainspec/job.hpp>
#include <trainspec/spec_json.hpp>

#include "test_support.hpp"

using namespace trainspec;
using test_support::find_problem;
using test_support::listing;

namespace {

/// A valid single-node document with `extra` members added.
std::string doc(const std::string& extra = "") {
    return R"({"source_directory": "src", "entry_script": "train.py", "compute_target": "gpu-cluster")" +
           (extra.empty() ? std::string() : ", " + extra) + "}";
}

/// Like doc(), without a compute_target (for documents that set their own).
std::string doc_without_target(const std::string& extra) {
    return R"({"source_directory": "src", "entry_script": "train.py", )" + extra + "}";
}

/// A spec with every field set; script_params repeat a key.
job_spec full_spec() {
    job_spec s;
    s.name = "tf-ps-mnist";
    s.source_directory = "./tf-distr-ps";
    s.writable_source_directory = true;
    s.entry_script = "scripts/train.py";
    s.params.add("--data-folder", "/data/mnist")
        .add("--lr", 0.01)
        .add("--gpu", 0)
        .add("--gpu", 1)
        .add("--offset", -7)
        .add("--big", std::numeric_limits<std::int64_t>::max())
        .add("--scale", 2.0)
        .add("--tiny", 1e-05)
        .add("--verbose", flag)
        .add("--empty", "")
        .add("--on", true)
        .add("--off", false)
        .add("--layers", {128, 64, 10})
        .add("--mixed", {1, 0.5, true, "s"});
    compute_target t("gpu-cluster");
    t.gpus_per_node = 4;
    t.cpus_per_node = 24;
    t.max_nodes = 8;
    t.hosts = {{"node-a", 4}, {"node-b.cluster.local", 2}};
    s.target = t;
    s.vm_size = "Standard_NC24";
    s.vm_priority = "lowpriority";
    s.node_count = 2;
    s.process_count_per_node = 1;
    s.distributed_backend = backend_kind::parameter_server;
    s.worker_count = 3;
    s.parameter_server_count = 1;
    s.chief_count = 1;
    s.evaluator_count = 0;
    s.use_gpu = true;
    s.use_docker = true;
    s.custom_docker_image = "myregistry.azurecr.io/team/tf:2.16";
    s.user_managed = false;
    s.conda_packages = {"numpy", "scipy"};
    s.pip_packages = {"keras", "horovod==0.28.1"};
    s.conda_dependencies_file = "environment.yml";
    s.pip_requirements_file = "requirements.txt";
    s.image_registry = "myregistry.azurecr.io/team/mnist";
    s.slurm_environment = slurm_environment_kind::pyxis;
    sweep_settings sweep;
    sweep.sampling = sampling_algorithm{sampling_kind::random, 42, random_rule::sobol};
    search_distribution choice;
    choice.type = distribution_kind::choice;
    choice.values = {32, 64.5, "adam", true};
    search_distribution lognormal;
    lognormal.type = distribution_kind::qlognormal;
    lognormal.mu = 0.5;
    lognormal.sigma = 2;
    lognormal.q = 0.25;
    search_distribution range;
    range.type = distribution_kind::qloguniform;
    range.min_value = -6;
    range.max_value = -1;
    range.q = 0.001;
    search_distribution integer;
    integer.type = distribution_kind::randint;
    integer.upper = 9;
    sweep.search_space = {{"--batch-size", choice}, {"--noise", lognormal}, {"--lr", range}, {"--layers", integer}};
    sweep.objective = sweep_objective{std::string("val_accuracy"), objective_goal::maximize};
    sweep.limits = sweep_limits{100, 10, 86400, 3600};
    sweep.termination = early_termination{early_termination_kind::truncation_selection, 0.1, 0.2, 2, 5, 20, true};
    s.sweep = sweep;
    s.environment_variables = {{"NCCL_DEBUG", "INFO"}, {"A", "1"}, {"EMPTY", ""}};
    s.shm_size = "16g";
    s.max_run_duration_seconds = 86400;
    s.framework_version = "2.10";
    s.keras = true;
    s.port = 2300;
    s.tf_config = tf_config_settings{tf_profile::kubeflow, tf_consumer::estimator, std::string("grpc"), true};
    mpi_settings m;
    m.flavor = mpi_flavor::openmpi;
    m.allow_run_as_root = run_as_root::environment;
    m.network_interface = "eth0";
    m.ssh_port = 2222;
    m.open_mpi_major = 5;
    m.bind_to = std::optional<std::string>("core");
    m.map_by = std::optional<std::string>();  // null: no -map-by
    m.mca = {{"btl", std::nullopt}, {"pml", "ucx"}, {"btl_vader_single_copy_mechanism", "none"}};
    m.extra_args = {"--report-bindings"};
    m.command_prefix = std::vector<std::string>{"python3", "-u"};
    m.trusted_launcher_settings = true;
    s.mpi = m;
    onnx_export_settings onnx;
    onnx.saved_model = "outputs/model";
    onnx.output = "outputs/model.onnx";
    onnx.opset = 13;
    s.onnx_export = onnx;
    return s;
}

job_spec read_ok(std::string_view text) {
    problems found;
    auto s = read_spec(text, found);
    INFO("problems:" << listing(found));
    CHECK(found.empty());
    return s;
}

std::vector<std::string> keys_of(const nlohmann::ordered_json& object) {
    std::vector<std::string> keys;
    for (const auto& item : object.items()) keys.push_back(item.key());
    return keys;
}

}  // namespace

// check_spec(text) has a problem at `path` whose rule contains `text`.
#define CHECK_SPEC_PROBLEM(found, path, text)                                                      \
    do {                                                                                           \
        INFO("problems:" << listing(found));                                                       \
        CHECK_MESSAGE(find_problem((found), (path), (text)) != nullptr, (path) << ": " << (text)); \
    } while (false)

TEST_CASE("the documents of these tests are valid") {
    const auto found = check_spec(doc());
    INFO(listing(found));
    CHECK(found.empty());
}

TEST_CASE("round trip: spec -> JSON -> spec is the identity with every field set") {
    const auto spec = full_spec();
    const auto json = to_json(spec);

    // Every top-level key is written, in the documented order.
    CHECK(keys_of(json) == spec_keys());
    CHECK(json["apiVersion"] == "trainspec/v1");

    // Repeated keys: the array-of-pairs form.
    REQUIRE(json["script_params"].is_array());
    CHECK(json["script_params"].size() == 14);
    CHECK(json["script_params"][2] == nlohmann::ordered_json::array({"--gpu", 0}));
    CHECK(json["script_params"][3] == nlohmann::ordered_json::array({"--gpu", 1}));
    // Environment variables keep the user's order.
    CHECK(keys_of(json["environment_variables"]) == std::vector<std::string>{"NCCL_DEBUG", "A", "EMPTY"});
    // Hosts in Horovod's host:slots syntax.
    CHECK(json["compute_target"]["hosts"] == nlohmann::ordered_json::array({"node-a:4", "node-b.cluster.local:2"}));
    // mpi: every key, in the documented order; null removes a default.
    CHECK(keys_of(json["mpi"]) == mpi_settings_keys());
    CHECK(keys_of(json["compute_target"]) == compute_target_keys());
    CHECK(json["mpi"].dump() ==
          R"({"flavor":"openmpi","allow_run_as_root":"environment","network_interface":"eth0","ssh_port":2222,)"
          R"("open_mpi_major":5,"bind_to":"core","map_by":null,"mca":{"btl":null,"pml":"ucx",)"
          R"("btl_vader_single_copy_mechanism":"none"},"extra_args":["--report-bindings"],)"
          R"("command_prefix":["python3","-u"],"trusted_launcher_settings":true})");

    const auto back = read_ok(dump_spec(spec));
    CHECK(back == spec);
    CHECK(back.params.size() == spec.params.size());
    CHECK(to_argv(back.params) == to_argv(spec.params));
    // A float stays a float and an integer an integer.
    CHECK(std::holds_alternative<double>(back.params[6].value.get()));
    CHECK(std::holds_alternative<std::int64_t>(back.params[2].value.get()));
}

TEST_CASE("round trip: script_params as an object keep their order") {
    auto spec = full_spec();
    spec.params = {{"--z", 1}, {"--a", 2.5}, {"--m", "x"}};
    const auto json = to_json(spec);
    REQUIRE(json["script_params"].is_object());
    CHECK(keys_of(json["script_params"]) == std::vector<std::string>{"--z", "--a", "--m"});
    const auto back = read_ok(dump_spec(spec));
    CHECK(back == spec);
    CHECK(to_argv(back.params) == std::vector<std::string>{"--z", "1", "--a", "2.5", "--m", "x"});
}

TEST_CASE("round trip: the smallest spec and a name-only compute target") {
    job_spec spec;
    spec.source_directory = "src";
    spec.entry_script = "train.py";
    spec.target = compute_target("gpu-cluster");
    const auto json = to_json(spec);
    CHECK(json.dump() == R"({"apiVersion":"trainspec/v1","source_directory":"src","entry_script":"train.py",)"
                         R"("compute_target":"gpu-cluster"})");
    CHECK(read_ok(json.dump()) == spec);
}

TEST_CASE("round trip: mpi settings") {
    auto spec = full_spec();
    SUBCASE("allow_run_as_root false is written as false") {
        spec.mpi->allow_run_as_root = run_as_root::not_allowed;
        CHECK(to_json(spec)["mpi"]["allow_run_as_root"] == false);
    }
    SUBCASE("an empty command_prefix differs from none") {
        spec.mpi->command_prefix = std::vector<std::string>{};
        CHECK(to_json(spec)["mpi"]["command_prefix"] == nlohmann::ordered_json::array());
    }
    SUBCASE("bind_to null, map_by a value") {
        spec.mpi->bind_to = std::optional<std::string>();
        spec.mpi->map_by = std::optional<std::string>("socket");
        CHECK(to_json(spec)["mpi"]["bind_to"].is_null());
    }
    SUBCASE("an empty mpi object") {
        spec.mpi = mpi_settings{};
        CHECK(to_json(spec)["mpi"] == nlohmann::ordered_json::object());
    }
    SUBCASE("each flavor") {
        for (auto f : {mpi_flavor::openmpi, mpi_flavor::mpich, mpi_flavor::intel, mpi_flavor::horovodrun}) {
            spec.mpi->flavor = f;
            CHECK(to_json(spec)["mpi"]["flavor"] == std::string(enum_name(f)));
            CHECK(read_ok(dump_spec(spec)) == spec);
        }
    }
    const auto back = read_ok(dump_spec(spec));
    CHECK(back == spec);
    CHECK(dump_spec(back) == dump_spec(spec));
}

TEST_CASE("round trip: an explicit no-backend is null") {
    auto spec = full_spec();
    spec.distributed_backend = backend_kind::single_node;
    const auto json = to_json(spec);
    CHECK(json["distributed_backend"].is_null());
    CHECK(read_ok(json.dump()) == spec);
}

TEST_CASE("JSON text -> spec -> JSON text is the identity") {
    // 2-space indentation, keys in the documented order, a final newline.
    const std::string text = R"({
  "apiVersion": "trainspec/v1",
  "name": "tf-ps-mnist",
  "source_directory": "./tf-distr-ps",
  "entry_script": "train.py",
  "script_params": {
    "--z": 1,
    "--a": 0.01,
    "--m": "text",
    "--flag": null,
    "--scale": 2.0,
    "--list": [
      1,
      2.5,
      true,
      "s"
    ]
  },
  "compute_target": {
    "name": "gpu-cluster",
    "gpus_per_node": 4,
    "cpus_per_node": 24,
    "max_nodes": 4,
    "hosts": [
      "node-a:4",
      "node-b:4"
    ]
  },
  "node_count": 2,
  "distributed_backend": "ps",
  "worker_count": 2,
  "parameter_server_count": 1,
  "chief_count": 1,
  "use_gpu": true,
  "conda_packages": [
    "scikit-learn"
  ],
  "environment_variables": {
    "NCCL_DEBUG": "INFO",
    "A": "1"
  },
  "shm_size": "16g",
  "max_run_duration_seconds": 3600,
  "framework_version": "2.10",
  "keras": true
}
)";
    const auto spec = read_ok(text);
    CHECK(dump_spec(spec) == text);
    CHECK(to_argv(spec.params) == std::vector<std::string>{"--z", "1", "--a", "0.01", "--m", "text", "--flag",
                                                           "--scale", "2.0", "--list", "1", "2.5", "True", "s"});
    // It is a valid job, too.
    const auto job = load_job(text);
    REQUIRE(std::holds_alternative<trainspec::job<parameter_server>>(job));
    CHECK(std::get<trainspec::job<parameter_server>>(job).task_count() == 4);
}

TEST_CASE("script_params: the array-of-pairs form reads repeated keys in order") {
    const auto spec = read_ok(doc(R"("script_params": [["--x", 1], ["--y", null], ["--x", [2, 3]]])"));
    CHECK(to_argv(spec.params) == std::vector<std::string>{"--x", "1", "--y", "--x", "2", "3"});
}

TEST_CASE("unknown keys, with a \"did you mean\" hint") {
    SUBCASE("top level") {
        const auto found = check_spec(doc(R"("node_cont": 2)"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "node_cont");
        CHECK(found[0].rule == "unknown key; did you mean \"node_count\"?");
    }
    SUBCASE("case does not count for the hint") {
        CHECK_SPEC_PROBLEM(check_spec(doc(R"("Node_Count": 2)")), "Node_Count", "did you mean \"node_count\"?");
    }
    SUBCASE("no hint when nothing is close") {
        const auto found = check_spec(doc(R"("learning_rate": 0.1)"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "learning_rate");
        CHECK(found[0].rule == "unknown key");
    }
    SUBCASE("inside compute_target") {
        const auto found =
            check_spec(doc_without_target(R"("compute_target": {"name": "gpu-cluster", "gpus_per_nod": 4})"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "compute_target.gpus_per_nod");
        CHECK(found[0].rule == "unknown key; did you mean \"gpus_per_node\"?");
    }
    SUBCASE("a top-level key inside compute_target") {
        const auto found =
            check_spec(doc_without_target(R"("compute_target": {"name": "gpu-cluster", "node_cont": 2})"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "compute_target.node_cont");
        CHECK(found[0].rule.find("did you mean \"node_count\"? It is a top-level key") != std::string::npos);
    }
    SUBCASE("a compute_target key at the top level") {
        const auto found = check_spec(doc(R"("gpus_per_node": 4)"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "gpus_per_node");
        CHECK(found[0].rule.find("did you mean \"gpus_per_node\"? It is a key of compute_target") != std::string::npos);
    }
    SUBCASE("inside a host") {
        const auto found = check_spec(
            doc_without_target(R"("compute_target": {"name": "c", "hosts": [{"name": "node-a", "slot": 2}]})"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "compute_target.hosts[0].slot");
        CHECK(found[0].rule == "unknown key; did you mean \"slots\"?");
    }
}

TEST_CASE("mpi settings: reading") {
    auto mpi_doc = [](const std::string& settings) {
        return doc(R"("node_count": 2, "distributed_backend": "mpi", "mpi": )" + settings);
    };
    SUBCASE("a valid object") {
        const auto text =
            mpi_doc(R"({"flavor": "mpich", "allow_run_as_root": "flag", "network_interface": "ib0", "bind_to": null,)"
                    R"( "map_by": "core", "extra_args": ["-prepend-rank"], "command_prefix": [],)"
                    R"( "trusted_launcher_settings": true})");
        const auto found = check_spec(text);
        INFO(listing(found));
        CHECK(found.empty());
        const auto s = read_ok(text);
        REQUIRE(s.mpi);
        CHECK(s.mpi->flavor == mpi_flavor::mpich);
        CHECK(s.mpi->allow_run_as_root == run_as_root::flag);
        CHECK(s.mpi->bind_to == std::optional<std::optional<std::string>>(std::optional<std::string>()));
        CHECK(s.mpi->map_by == std::optional<std::optional<std::string>>(std::optional<std::string>("core")));
        CHECK(!s.mpi->ssh_port);
        CHECK(s.mpi->command_prefix == std::vector<std::string>{});
        CHECK(s.mpi->trusted_launcher_settings == true);
    }
    SUBCASE("a flavor typo, with a hint") {
        const auto found = check_spec(mpi_doc(R"({"flavor": "mpch"})"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "mpi.flavor");
        CHECK(found[0].value == "\"mpch\"");
        CHECK(found[0].rule == "unknown flavor; one of openmpi, mpich, intel, horovodrun; did you mean \"mpich\"?");
    }
    SUBCASE("allow_run_as_root must say which form") {
        CHECK_SPEC_PROBLEM(check_spec(mpi_doc(R"({"allow_run_as_root": true})")), "mpi.allow_run_as_root",
                           "true does not say which form");
        CHECK_SPEC_PROBLEM(check_spec(mpi_doc(R"({"allow_run_as_root": "flags"})")), "mpi.allow_run_as_root",
                           "did you mean \"flag\"?");
        CHECK_SPEC_PROBLEM(check_spec(mpi_doc(R"({"allow_run_as_root": 1})")), "mpi.allow_run_as_root", "not integer");
        CHECK(read_ok(mpi_doc(R"({"allow_run_as_root": false})")).mpi->allow_run_as_root == run_as_root::not_allowed);
    }
    SUBCASE("unknown keys inside mpi") {
        const auto found = check_spec(mpi_doc(R"({"ssh_prot": 22})"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "mpi.ssh_prot");
        CHECK(found[0].rule == "unknown key; did you mean \"ssh_port\"?");
    }
    SUBCASE("an mpi key at the top level") {
        const auto found = check_spec(doc(R"("node_count": 2, "distributed_backend": "mpi", "flavor": "mpich")"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "flavor");
        CHECK(found[0].rule == "unknown key; did you mean \"flavor\"? It is a key of mpi, not a top-level key");
    }
    SUBCASE("types") {
        const auto found = check_spec(mpi_doc(
            R"({"flavor": 1, "network_interface": 0, "ssh_port": "22", "open_mpi_major": 4.1, "bind_to": false,)"
            R"( "mca": {"btl": 1, "pml": null}, "extra_args": "-v", "command_prefix": ["python", 3]})"));
        INFO(listing(found));
        CHECK(found.size() == 8);
        CHECK_SPEC_PROBLEM(found, "mpi.flavor", "must be a string");
        CHECK_SPEC_PROBLEM(found, "mpi.network_interface", "must be a string");
        CHECK_SPEC_PROBLEM(found, "mpi.ssh_port", "must be an integer");
        CHECK_SPEC_PROBLEM(found, "mpi.open_mpi_major", "must be an integer");
        CHECK_SPEC_PROBLEM(found, "mpi.bind_to", "or null (leave the flag out)");
        CHECK_SPEC_PROBLEM(found, "mpi.mca[\"btl\"]", "a string, or null to remove a default");
        CHECK_SPEC_PROBLEM(found, "mpi.extra_args", "must be an array of strings");
        CHECK_SPEC_PROBLEM(found, "mpi.command_prefix[1]", "must be a string");
    }
    SUBCASE("not an object") {
        CHECK_SPEC_PROBLEM(check_spec(mpi_doc(R"("openmpi")")), "mpi", "must be an object with flavor, ");
    }
    SUBCASE("trust: the spec's key, or the reader's option") {
        const auto untrusted = mpi_doc(R"({"extra_args": ["--report-bindings"]})");
        CHECK_SPEC_PROBLEM(check_spec(untrusted), "mpi.extra_args", "\"trusted_launcher_settings\": true");
        spec_read_options trusting;
        trusting.trust_launcher_settings = true;
        CHECK(check_spec(untrusted, trusting).empty());
        CHECK(spec_of(load_job(untrusted, trusting)).mpi->trusted_launcher_settings == true);
        CHECK_THROWS_AS(load_job(untrusted), validation_error);
        CHECK(check_spec(mpi_doc(R"({"extra_args": ["-v"], "trusted_launcher_settings": true})")).empty());
        const auto found = check_spec(mpi_doc(R"({"trusted_launcher_settings": "yes"})"));
        CHECK_SPEC_PROBLEM(found, "mpi.trusted_launcher_settings", "must be true or false");
        // Without an mpi object there is nothing to trust.
        CHECK(check_spec(doc(R"("node_count": 2, "distributed_backend": "mpi")"), trusting).empty());
    }
    SUBCASE("a duplicate MCA parameter") {
        CHECK_SPEC_PROBLEM(check_spec(mpi_doc(R"({"mca": {"btl": "tcp", "btl": null}})")), "mpi.mca[\"btl\"]",
                           "duplicate key");
    }
    SUBCASE("the rules of validate() apply") {
        CHECK_SPEC_PROBLEM(check_spec(mpi_doc(R"({"ssh_port": 0})")), "mpi.ssh_port", "must be a TCP port");
        CHECK_SPEC_PROBLEM(check_spec(doc(R"("mpi": {})")), "mpi", "applies only to distributed_backend \"mpi\"");
    }
    SUBCASE("an unreadable backend: no backend rule, the value rules still") {
        const auto found = check_spec(doc(R"("distributed_backend": "mpii", "mpi": {"ssh_port": 0})"));
        INFO(listing(found));
        CHECK(found.size() == 2);
        CHECK_SPEC_PROBLEM(found, "distributed_backend", "Did you mean \"mpi\"?");
        CHECK_SPEC_PROBLEM(found, "mpi.ssh_port", "must be a TCP port");
    }
    SUBCASE("a bad flavor leaves the flavor's rules out") {
        const auto found = check_spec(mpi_doc(R"({"flavor": "mpch", "ssh_port": 2222})"));
        INFO(listing(found));
        CHECK(found.size() == 1);
    }
}

TEST_CASE("syntax errors report line and column") {
    SUBCASE("a single quote at line 3, column 19") {
        // Line 3 is `  "entry_script": 'train.py',`: 2 spaces, the 14-character
        // key (columns 3-16), ':' (17), a space (18), then the quote (19).
        const std::string text =
            "{\n"
            "  \"source_directory\": \"src\",\n"
            "  \"entry_script\": 'train.py',\n"
            "  \"compute_target\": \"gpu-cluster\"\n"
            "}\n";
        const auto found = check_spec(text);
        INFO(listing(found));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "$");
        CHECK(found[0].rule.rfind("syntax error at line 3, column 19:", 0) == 0);
    }
    SUBCASE("a second comma at line 3, column 30") {
        // `  "entry_script": "train.py",,`: the value takes columns 19-28, the
        // commas 29 and 30.
        const std::string text =
            "{\n"
            "  \"source_directory\": \"src\",\n"
            "  \"entry_script\": \"train.py\",,\n"
            "  \"compute_target\": \"gpu-cluster\"\n"
            "}\n";
        const auto found = check_spec(text);
        INFO(listing(found));
        REQUIRE(found.size() == 1);
        CHECK(found[0].rule.find("at line 3, column 30") != std::string::npos);
    }
    SUBCASE("a newline read past a number counts as column 0, as the parser counts it") {
        const auto found = check_spec("{\"a\": 1 2\n}");
        REQUIRE(found.size() == 1);
        CHECK(found[0].rule.rfind("syntax error at line 1, column 0: while parsing object", 0) == 0);
    }
    SUBCASE("an empty document") {
        const auto found = check_spec("");
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "$");
        CHECK(found[0].rule.find("syntax error at line 1, column 1") != std::string::npos);
    }
    SUBCASE("load_job throws") {
        CHECK_THROWS_WITH_AS(load_job("{\n  \"a\": }"), doctest::Contains("$: syntax error at line 2"),
                             validation_error);
    }
}

TEST_CASE("duplicate keys are errors that name their path") {
    SUBCASE("top level") {
        const auto found = check_spec(doc(R"("node_count": 1, "node_count": 1)"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "node_count");
        CHECK(found[0].rule.find("duplicate key") != std::string::npos);
    }
    SUBCASE("in the second host of compute_target") {
        const auto found = check_spec(doc_without_target(
            R"("compute_target": {"name": "c", "hosts": [{"name": "a"}, {"name": "b", "slots": 2, "slots": 3}]})"));
        CHECK_SPEC_PROBLEM(found, "compute_target.hosts[1].slots", "duplicate key");
        CHECK(found.size() == 1);
    }
    SUBCASE("script_params suggests the array form") {
        const auto found = check_spec(doc(R"("script_params": {"--x": 1, "--x": 2})"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "script_params[\"--x\"]");
        CHECK(found[0].rule.find("array form") != std::string::npos);
    }
    SUBCASE("environment_variables") {
        const auto found = check_spec(doc(R"("environment_variables": {"A": "1", "B": "2", "A": "3"})"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "environment_variables[\"A\"]");
    }
    SUBCASE("a duplicate before a syntax error: both, and nothing else") {
        const auto found = check_spec(R"({"a": 1, "a": 2,)");
        INFO(listing(found));
        REQUIRE(found.size() == 2);
        CHECK(found[0].path == "a");
        CHECK(found[1].path == "$");
        CHECK(found[1].rule.find("syntax error") == 0);
    }
}

TEST_CASE("type errors name the JSON path") {
    SUBCASE("a host") {
        const auto found =
            check_spec(doc_without_target(R"("compute_target": {"name": "c", "hosts": ["node-a:2", 5]})"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "compute_target.hosts[1]");
        CHECK(found[0].value == "5");
        CHECK(found[0].rule == "must be \"host:slots\" or {\"name\", \"slots\"}, not integer");
    }
    SUBCASE("a host's slots") {
        const auto found =
            check_spec(doc_without_target(R"("compute_target": {"name": "c", "hosts": ["node-a:2", "node-b:x"]})"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "compute_target.hosts[1]");
        CHECK(found[0].rule.find("\"host\" or \"host:slots\"") != std::string::npos);
    }
    SUBCASE("a host without a name, or with a name that is not a string") {
        auto found = check_spec(doc_without_target(R"("compute_target": {"name": "c", "hosts": [{"slots": 2}]})"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "compute_target.hosts[0].name");
        CHECK(found[0].rule == "is required");
        found = check_spec(doc_without_target(R"("compute_target": {"name": "c", "hosts": [{"name": 7}]})"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "compute_target.hosts[0].name");
        CHECK(found[0].rule == "must be a string, not integer");
    }
    SUBCASE("an element of a script_params list") {
        const auto found = check_spec(doc(R"("script_params": {"--ok": 1, "--x": [1, [2]]})"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "script_params[\"--x\"][1]");
        CHECK(found[0].rule.find("lists do not nest") != std::string::npos);
    }
    SUBCASE("a script_params value") {
        const auto found = check_spec(doc(R"("script_params": {"--x": {"a": 1}})"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "script_params[\"--x\"]");
        CHECK(found[0].rule.find("not object") != std::string::npos);
    }
    SUBCASE("script_params integers beyond 64 bits") {
        auto found = check_spec(doc(R"("script_params": {"--x": 9223372036854775808})"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "script_params[\"--x\"]");
        CHECK(found[0].rule == "an integer must fit 64 bits");
        found = check_spec(doc(R"("script_params": {"--x": [1, 18446744073709551615]})"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "script_params[\"--x\"][1]");
        CHECK(found[0].rule == "an integer must fit 64 bits");
        // The largest that fits is read as it is.
        CHECK(to_argv(read_ok(doc(R"("script_params": {"--x": 9223372036854775807})")).params)[1] ==
              "9223372036854775807");
    }
    SUBCASE("script_params of the wrong shape") {
        CHECK_SPEC_PROBLEM(check_spec(doc(R"("script_params": 5)")), "script_params",
                           "must be an object or an array of [key, value] pairs");
        CHECK_SPEC_PROBLEM(check_spec(doc(R"("script_params": [["--x", 1], ["--y"]])")), "script_params[1]",
                           "a [key, value] pair with a string key");
        CHECK_SPEC_PROBLEM(check_spec(doc(R"("script_params": [[1, 2]])")), "script_params[0]",
                           "a [key, value] pair with a string key");
    }
    SUBCASE("a package") {
        const auto found = check_spec(doc(R"("conda_packages": [5, "numpy"])"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "conda_packages[0]");
        CHECK(found[0].rule == "must be a string, not integer");
        CHECK_SPEC_PROBLEM(check_spec(doc(R"("pip_packages": "keras")")), "pip_packages",
                           "must be an array of strings, not string");
    }
    SUBCASE("counts") {
        CHECK_SPEC_PROBLEM(check_spec(doc(R"("node_count": "2")")), "node_count", "must be an integer, not string");
        CHECK_SPEC_PROBLEM(check_spec(doc(R"("node_count": 2.0)")), "node_count", "must be an integer, not number");
        CHECK_SPEC_PROBLEM(check_spec(doc(R"("node_count": 2147483648)")), "node_count", "must be at most 2147483647");
        CHECK_SPEC_PROBLEM(check_spec(doc(R"("worker_count": -2147483648)")), "worker_count",
                           "must be between -2147483647 and 2147483647");
        CHECK_SPEC_PROBLEM(check_spec(doc_without_target(R"("compute_target": {"name": "c", "gpus_per_node": true})")),
                           "compute_target.gpus_per_node", "must be an integer, not boolean");
        CHECK_SPEC_PROBLEM(check_spec(doc(R"("max_run_duration_seconds": 1.5)")), "max_run_duration_seconds",
                           "must be an integer");
    }
    SUBCASE("switches and strings") {
        CHECK_SPEC_PROBLEM(check_spec(doc(R"("use_gpu": "yes")")), "use_gpu", "must be true or false, not string");
        for (const char* hostile : {R"("ro")", R"("false")", "1", "null", "[]"})
            CHECK_SPEC_PROBLEM(check_spec(doc(std::string(R"("writable_source_directory": )") + hostile)),
                               "writable_source_directory", "must be true or false");
        CHECK_SPEC_PROBLEM(check_spec(doc(R"("keras": 1)")), "keras", "must be true or false, not integer");
        CHECK_SPEC_PROBLEM(check_spec(doc(R"("name": null)")), "name", "must be a string, not null");
        CHECK_SPEC_PROBLEM(check_spec(doc(R"("shm_size": 2)")), "shm_size", "must be a string");
    }
    SUBCASE("environment variables") {
        const auto found = check_spec(doc(R"("environment_variables": {"A": "1", "B": 2})"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "environment_variables[\"B\"]");
        CHECK(found[0].rule.find("must be a string") == 0);
        CHECK_SPEC_PROBLEM(check_spec(doc(R"("environment_variables": ["A=1"])")), "environment_variables",
                           "must be an object");
    }
    SUBCASE("compute_target") {
        auto found = check_spec(doc_without_target(R"("compute_target": 5)"));
        REQUIRE(found.size() == 1);  // not also "Either compute target or VM size should be specified."
        CHECK(found[0].path == "compute_target");
        CHECK(found[0].rule == "must be a name or an object, not integer");
        found = check_spec(doc_without_target(R"("compute_target": {"gpus_per_node": 4})"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "compute_target.name");
        CHECK(found[0].rule == "is required");
        found = check_spec(doc_without_target(R"("compute_target": {"name": 5})"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "compute_target.name");
        CHECK(found[0].rule == "must be a string, not integer");
    }
    SUBCASE("the document itself") {
        const auto found = check_spec("[1, 2]");
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "$");
        CHECK(found[0].rule == "must be a JSON object, not array");
    }
    SUBCASE("apiVersion") {
        const auto found = check_spec(doc(R"("apiVersion": "trainspec/v2")"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "apiVersion");
        CHECK(found[0].rule == "must be \"trainspec/v1\"");
        CHECK(check_spec(doc(R"("apiVersion": "trainspec/v1")")).empty());
    }
}

TEST_CASE("framework_version must be a string") {
    // As a number, 2.10 would read as 2.1.
    const auto found = check_spec(doc(R"("framework_version": 2.1)"));
    REQUIRE(found.size() == 1);
    CHECK(found[0].path == "framework_version");
    CHECK(found[0].value == "2.1");
    CHECK(found[0].rule.find("must be a string") == 0);
    CHECK(found[0].rule.find("not number") != std::string::npos);
    CHECK(check_spec(doc(R"("framework_version": "2.10")")).empty());
}

TEST_CASE("distributed_backend") {
    SUBCASE("unknown, with Azure ML's message") {
        const auto found = check_spec(doc(R"("distributed_backend": "horovod")"));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "distributed_backend");
        CHECK(found[0].value == "\"horovod\"");
        CHECK(found[0].rule ==
              "Unsupported distributed backend value: horovod. Supported backend(s): mpi, ps, multi_worker.");
    }
    SUBCASE("unknown, with a hint") {
        CHECK_SPEC_PROBLEM(check_spec(doc(R"("distributed_backend": "pss")")), "distributed_backend",
                           "Unsupported distributed backend value: pss. Supported backend(s): mpi, ps, multi_worker. "
                           "Did you mean \"ps\"?");
        CHECK_SPEC_PROBLEM(check_spec(doc(R"("distributed_backend": "MPI")")), "distributed_backend",
                           "Did you mean \"mpi\"?");
        CHECK_SPEC_PROBLEM(check_spec(doc(R"("distributed_backend": "multiworker")")), "distributed_backend",
                           "Did you mean \"multi_worker\"?");
    }
    SUBCASE("not a string") {
        CHECK_SPEC_PROBLEM(check_spec(doc(R"("distributed_backend": 1)")), "distributed_backend",
                           "must be a string, not integer");
    }
    SUBCASE("each known backend") {
        CHECK(backend_of(load_job(doc(R"("distributed_backend": "mpi", "node_count": 2)"))) == backend_kind::mpi);
        CHECK(backend_of(load_job(doc(R"("distributed_backend": "ps")"))) == backend_kind::parameter_server);
        CHECK(backend_of(load_job(doc(R"("distributed_backend": "multi_worker", "node_count": 2)"))) ==
              backend_kind::multi_worker);
    }
    SUBCASE("null means no backend") {
        CHECK(check_spec(doc(R"("distributed_backend": null)")).empty());
        CHECK(backend_of(load_job(doc(R"("distributed_backend": null)"))) == backend_kind::single_node);
        // ... so several nodes need one (Azure ML's message).
        const auto found = check_spec(doc(R"("distributed_backend": null, "node_count": 2)"));
        CHECK_SPEC_PROBLEM(found, "distributed_backend",
                           "must be specified when node_count > 1 or process_count_per_node > 1.");
    }
}

TEST_CASE("check_spec: type problems and rule problems together") {
    SUBCASE("both kinds are listed") {
        const auto found =
            check_spec(doc(R"("distributed_backend": "mpi", "node_count": 0, "use_gpu": "yes", "shm_size": "0")"));
        INFO(listing(found));
        CHECK(found.size() == 3);
        CHECK_SPEC_PROBLEM(found, "use_gpu", "must be true or false");
        CHECK_SPEC_PROBLEM(found, "node_count", "Node count should be at least 1.");
        CHECK_SPEC_PROBLEM(found, "shm_size", "must be a number greater than 0");
    }
    SUBCASE("a field with a type error is not also \"required\"") {
        const auto found = check_spec(R"({"source_directory": 5, "entry_script": "train.py", "compute_target": "c"})");
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "source_directory");
        CHECK(found[0].rule == "must be a string, not integer");
    }
    SUBCASE("a missing field is \"required\"") {
        const auto found = check_spec(R"({"entry_script": "train.py", "compute_target": "c"})");
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "source_directory");
        CHECK(found[0].rule == "is required");
    }
    SUBCASE("rules that read an unreadable backend are left out") {
        const auto found = check_spec(doc(R"("distributed_backend": "pss", "worker_count": 2, "node_count": 2)"));
        INFO(listing(found));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "distributed_backend");
    }
    SUBCASE("rules that read an unreadable host list are left out") {
        const auto found = check_spec(doc_without_target(
            R"("compute_target": {"name": "c", "hosts": ["node-a", 5]}, "distributed_backend": "mpi", "node_count": 2)"));
        INFO(listing(found));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "compute_target.hosts[1]");
    }
    SUBCASE("rules that read an unreadable vm_size are left out") {
        const auto found = check_spec(doc_without_target(R"("vm_size": 5, "vm_priority": "dedicated")"));
        INFO(listing(found));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "vm_size");
    }
    SUBCASE("rules that read an unreadable count are left out") {
        // parameter_server_count unreadable: the slot rule would count a
        // default parameter server and report 3 tasks at worker_count.
        const auto found = check_spec(doc_without_target(
            R"("compute_target": {"name": "c", "cpus_per_node": 2}, "distributed_backend": "ps", "worker_count": 2, )"
            R"("parameter_server_count": "0")"));
        INFO(listing(found));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "parameter_server_count");
    }
    SUBCASE("paths of list elements stay right around an unreadable element") {
        const auto found = check_spec(doc(R"("conda_packages": [5, "numpy", "numpy"])"));
        INFO(listing(found));
        REQUIRE(found.size() == 2);
        CHECK_SPEC_PROBLEM(found, "conda_packages[0]", "must be a string");
        CHECK_SPEC_PROBLEM(found, "conda_packages[2]", "duplicates conda_packages[1]");
        const auto hosts = check_spec(doc_without_target(
            R"("compute_target": {"name": "c", "hosts": [5, "node-a", "node-a"]}, "distributed_backend": "mpi")"));
        INFO(listing(hosts));
        REQUIRE(hosts.size() == 2);
        CHECK_SPEC_PROBLEM(hosts, "compute_target.hosts[0]", "must be");
        CHECK_SPEC_PROBLEM(hosts, "compute_target.hosts[2].name",
                           "host \"node-a\" is listed twice; give its slots once");
    }
    SUBCASE("read_spec reports syntax and types only") {
        problems found;
        const auto spec = read_spec(doc(R"("node_count": 0, "use_gpu": 1)"), found);
        INFO(listing(found));
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "use_gpu");
        CHECK(spec.node_count == 0);
    }
}

TEST_CASE("load_job") {
    SUBCASE("a valid document") {
        const auto job = load_job(doc(R"("name": "tf-mnist", "script_params": {"--lr": 0.01}, "use_gpu": true)"));
        REQUIRE(std::holds_alternative<trainspec::job<single_node>>(job));
        const auto& j = std::get<trainspec::job<single_node>>(job);
        CHECK(j.name() == "tf-mnist");
        CHECK(j.script_argv() == std::vector<std::string>{"train.py", "--lr", "0.01"});
    }
    SUBCASE("throws validation_error listing every problem") {
        const auto text = doc(R"("node_cont": 2, "use_gpu": "no", "framework_version": "3.0", "conda_packages": [""])");
        try {
            (void)load_job(text);
            FAIL("load_job accepted an invalid document");
        } catch (const validation_error& e) {
            INFO(listing(e.all()));
            CHECK(e.all() == check_spec(text));
            REQUIRE(e.all().size() == 4);
            const std::string what = e.what();
            CHECK(what.find("invalid job: 4 problems") == 0);
            CHECK(what.find("node_cont: unknown key; did you mean \"node_count\"?") != std::string::npos);
            CHECK(what.find("use_gpu = \"no\": must be true or false, not string") != std::string::npos);
            CHECK(what.find("framework_version = \"3.0\": unsupported") != std::string::npos);
            CHECK(what.find("conda_packages[0] = \"\": must name a package") != std::string::npos);
        }
    }
}
