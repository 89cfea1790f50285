// The upstream cases of tests/upstream/*.json (README.md), each run through
// the C++ API (parse_tf_config, run_config_of, strategy_view_of,
// multi_worker_util) and through `trainspec-gen check-tf-config --json`.
// A case passes when TensorFlow's answer is ours: the same properties, or an
// error whose message the upstream regular expression finds.

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <regex>
#include <string>

#include <nlohmann/json.hpp>

#include <trainspec/trainspec.hpp>

#include "sandbox.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

json load(const std::string& name) {
    return json::parse(test_standins::read_file(fs::path(TRAINSPEC_UPSTREAM_DIR) / (name + ".json")));
}

/// assertRaisesRegex: re.search of the pattern in the message.
bool raises_match(const std::string& pattern, const std::string& message) {
    return std::regex_search(message, std::regex(pattern));
}

/// A run of trainspec-gen: exit status and output (stdout and stderr).
struct cli_result {
    int status;
    std::string output;
};

cli_result run_cli(const std::vector<std::string>& arguments, const std::optional<std::string>& tf_config) {
    const fs::path scratch = fs::temp_directory_path() / ("trainspec-upstream-" + std::to_string(::getpid()));
    fs::create_directories(scratch);
    const fs::path output = scratch / "output";
    fs::remove(output);
    std::vector<std::string> argv{TRAINSPEC_GEN};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    test_standins::variables env{{"PATH", "/usr/bin:/bin"}};
    if (tf_config) env["TF_CONFIG"] = *tf_config;
    const int status = test_standins::run_process(argv, env, scratch, output);
    cli_result result{status, test_standins::read_file(output)};
    fs::remove_all(scratch);
    return result;
}

/// Each case either names why it is not expressed or is complete.
void check_shape(const json& c, std::initializer_list<const char*> required) {
    INFO(c.dump());
    if (c.contains("not_expressed")) {
        CHECK(c.at("not_expressed").is_string());
        return;
    }
    for (const char* key : required) CHECK(c.contains(key));
    CHECK(c.contains("expect") + c.contains("raises") + c.contains("returns") == 1);
}

/// A TF_CONFIG as the upstream test writes it (json.dumps), unset for null.
std::optional<std::string> tf_config_text(const json& tf_config) {
    return tf_config.is_null() ? std::nullopt : std::optional<std::string>(tf_config.dump());
}

trainspec::parsed_tf_config read_as(const std::optional<std::string>& text, trainspec::tf_consumer consumer) {
    if (text) return trainspec::parse_tf_config(*text, consumer);
    ::unsetenv("TF_CONFIG");
    return trainspec::tf_config_from_env(consumer);
}

/// RunConfig's properties under RunConfig's names.
json run_config_json(const trainspec::run_config_view& view) {
    json out;
    out["cluster_spec"] = json::parse(view.cluster_spec.to_json());
    out["task_type"] = view.task_type;
    out["task_id"] = view.task_id;
    out["master"] = view.master;
    out["evaluation_master"] = view.evaluation_master;
    out["is_chief"] = view.is_chief;
    out["num_worker_replicas"] = view.num_worker_replicas;
    out["num_ps_replicas"] = view.num_ps_replicas;
    out["global_id_in_cluster"] = view.global_id_in_cluster ? json(*view.global_id_in_cluster) : json();
    out["model_dir"] = view.model_dir ? json(*view.model_dir) : json();
    out["device_filters"] = view.device_filters ? json(*view.device_filters) : json();
    return out;
}

/// Every property the case asserts, as upstream asserts it.
void check_properties(const json& expect, const json& seen) {
    for (const auto& property : expect.items()) {
        const std::string& name = property.key();
        const json& value = property.value();
        INFO("property " << name << ": expected " << value.dump() << ", seen " << seen.dump());
        CHECK(seen.contains(name));
        if (seen.contains(name)) CHECK(seen.at(name) == value);
    }
}

int count_run(const json& cases) {
    int run = 0;
    for (const auto& c : cases) run += !c.contains("not_expressed");
    return run;
}

}  // namespace

TEST_CASE("estimator_run_config_test through the api") {
    const json doc = load("estimator_run_config_test");
    REQUIRE(count_run(doc.at("cases")) >= 50);
    for (const auto& c : doc.at("cases")) {
        check_shape(c, {"tf_config"});
        if (c.contains("not_expressed")) continue;
        const std::string test = c.at("test");
        CAPTURE(test);
        const auto text = tf_config_text(c.at("tf_config"));
        try {
            const auto view = trainspec::run_config_of(read_as(text, trainspec::tf_consumer::estimator));
            if (c.contains("raises"))
                FAIL_CHECK("accepted; upstream raises " << c.at("raises"));
            else
                check_properties(c.at("expect"), run_config_json(view));
        } catch (const trainspec::tf_config_error& e) {
            INFO("error: " << e.what());
            REQUIRE(c.contains("raises"));
            CHECK(raises_match(c.at("raises"), e.rule()));
        }
    }
}

TEST_CASE("estimator_run_config_test through the cli") {
    const json doc = load("estimator_run_config_test");
    for (const auto& c : doc.at("cases")) {
        if (c.contains("not_expressed")) continue;
        const std::string test = c.at("test");
        CAPTURE(test);
        const auto text = tf_config_text(c.at("tf_config"));
        // Unset: the environment (without TF_CONFIG); else the operand.
        std::vector<std::string> arguments{"check-tf-config", "--consumer", "estimator", "--json"};
        const auto result = run_cli(arguments, text);
        INFO("exit " << result.status << ": " << result.output);
        if (c.contains("raises")) {
            CHECK(result.status == 2);
            CHECK(raises_match(c.at("raises"), result.output));
        } else {
            REQUIRE(result.status == 0);
            const json seen = json::parse(result.output);
            CHECK(seen.at("consumer") == "estimator");
            check_properties(c.at("expect"), seen);
        }
    }
}

namespace {

std::optional<std::string> optional_text(const json& value) {
    return value.is_null() ? std::nullopt : std::optional<std::string>(value.get<std::string>());
}

std::optional<long long> optional_id(const json& value) {
    return value.is_null() ? std::nullopt : std::optional<long long>(value.get<long long>());
}

/// multi_worker_util.<call>(cluster_spec, task_type, task_id) as JSON.
json call_multi_worker_util(const json& c) {
    namespace mwu = trainspec::multi_worker_util;
    const auto cluster = trainspec::parse_tf_config(json{{"cluster", c.at("cluster_spec")}}.dump()).cluster;
    const auto type = optional_text(c.at("task_type"));
    const auto id = optional_id(c.at("task_id"));
    const std::string call = c.at("call");
    if (call == "cluster_spec") return json::parse(cluster.to_json());
    if (call == "is_chief") return mwu::is_chief(cluster, type, id);
    if (call == "worker_count") return mwu::worker_count(cluster, type);
    if (call == "id_in_cluster") return mwu::id_in_cluster(cluster, type, id);
    if (call == "collective_leader") return mwu::collective_leader(cluster, type, id);
    REQUIRE(call == "validate_cluster_spec");
    mwu::validate_cluster_spec(cluster, type, id);
    return json();
}

}  // namespace

TEST_CASE("multi_worker_util_test through the api") {
    const json doc = load("multi_worker_util_test");
    REQUIRE(count_run(doc.at("cases")) >= 25);
    for (const auto& c : doc.at("cases")) {
        check_shape(c, {"call", "cluster_spec", "task_type", "task_id", "cli"});
        if (c.contains("not_expressed")) continue;
        const std::string test = c.at("test");
        CAPTURE(test);
        INFO(c.dump());
        try {
            const json answer = call_multi_worker_util(c);
            if (c.contains("raises"))
                FAIL_CHECK("returned " << answer.dump() << "; upstream raises");
            else
                CHECK(answer == c.at("returns"));
        } catch (const trainspec::tf_config_error& e) {
            INFO("error: " << e.what());
            REQUIRE(c.contains("raises"));
            CHECK(raises_match(c.at("raises"), e.rule()));
        }
    }
}

TEST_CASE("multi_worker_util_test through the cli") {
    const json doc = load("multi_worker_util_test");
    int run = 0;
    for (const auto& c : doc.at("cases")) {
        if (c.contains("not_expressed") || c.at("cli").is_string()) continue;
        const std::string test = c.at("test");
        CAPTURE(test);
        INFO(c.dump());
        const json& cli = c.at("cli");
        json task = json::object();
        if (!c.at("task_type").is_null()) task["type"] = c.at("task_type");
        const json& id = cli.contains("task_id") ? cli.at("task_id") : c.at("task_id");
        if (!id.is_null()) task["index"] = id;
        json tf_config{{"cluster", c.at("cluster_spec")}};
        if (!task.empty()) tf_config["task"] = task;
        const auto result =
            run_cli({"check-tf-config", "--consumer", cli.at("consumer"), "--json", tf_config.dump()}, std::nullopt);
        INFO("exit " << result.status << ": " << result.output);
        ++run;
        const std::string call = c.at("call");
        if (result.status == 0) {
            const json seen = json::parse(result.output);
            if (c.contains("raises")) {
                // A function that raises for an accepted task: the view names it.
                REQUIRE(seen.contains("errors"));
                REQUIRE(seen.at("errors").contains(call));
                CHECK(raises_match(c.at("raises"), seen.at("errors").at(call)));
            } else if (call != "validate_cluster_spec") {
                CHECK(seen.at(call) == c.at("returns"));
            }
        } else {
            CHECK(result.status == 2);
            REQUIRE(c.contains("raises"));
            CHECK(raises_match(c.at("raises"), result.output));
        }
    }
    CHECK(run >= 20);
}
