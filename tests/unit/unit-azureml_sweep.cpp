// The Azure ML v2 sweep job (docs/sweeps.md): every field of the sweep
// under v2's names, and a trial command that, once Azure ML has put a
// trial's values in for its ${{search_space.<id>}} placeholders, runs under
// /bin/sh as exactly that trial's argv.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <trainspec/detail/sweep_ids.hpp>
#include <trainspec/trainspec.hpp>

#include "sandbox.hpp"

using namespace trainspec;

namespace {

const char* sweep_spec = R"json({"apiVersion": "trainspec/v1", "name": "mnist-sweep", "source_directory": "src",
  "entry_script": "train.py", "compute_target": "gpu-cluster", "node_count": 2, "distributed_backend": "mpi",
  "process_count_per_node": 2, "script_params": {"--epochs": 5, "--data dir": "a b"},
  "sweep": {
    "sampling_algorithm": {"type": "random", "seed": 42, "rule": "sobol"},
    "search_space": {
      "--learning-rate": {"type": "loguniform", "min_value": -6, "max_value": -1},
      "--batch-size": {"type": "choice", "values": [32, 64, 128]},
      "--optimizer": {"type": "choice", "values": ["adam", "s g d", "$(touch pwned)", true]},
      "-x": {"type": "quniform", "min_value": 0, "max_value": 1, "q": 0.1},
      "--layers": {"type": "randint", "upper": 4}
    },
    "objective": {"primary_metric": "accuracy", "goal": "maximize"},
    "limits": {"max_total_trials": 40, "max_concurrent_trials": 4, "timeout": 7200, "trial_timeout": 1800},
    "early_termination": {"type": "bandit", "slack_amount": 0.2}
  }})json";

any_job load(const std::string& text) { return load_job(text); }

/// A job spec's text with `from` replaced by `to`.
std::string with(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("the sweep job carries every field under Azure ML v2's names") {
    const auto doc = azureml_sweep_job(load(sweep_spec));
    CHECK(doc["$schema"] == azureml_sweep_job_schema);
    CHECK(doc["type"] == "sweep");
    CHECK(doc["name"] == "mnist-sweep");
    CHECK(doc["compute"] == "azureml:gpu-cluster");
    CHECK(doc["sampling_algorithm"] == nlohmann::ordered_json({{"type", "random"}, {"seed", 42}, {"rule", "sobol"}}));
    // Identifiers: the names without their dashes, other characters as '_'.
    std::vector<std::string> ids;
    for (const auto& item : doc["search_space"].items()) ids.push_back(item.key());
    CHECK(ids == std::vector<std::string>{"learning_rate", "batch_size", "optimizer", "x", "layers"});
    CHECK(doc["search_space"]["learning_rate"] ==
          nlohmann::ordered_json({{"type", "loguniform"}, {"min_value", -6.0}, {"max_value", -1.0}}));
    CHECK(doc["search_space"]["x"]["q"] == 0.1);
    CHECK(doc["search_space"]["layers"] == nlohmann::ordered_json({{"type", "randint"}, {"upper", 4}}));
    CHECK(doc["objective"] == nlohmann::ordered_json({{"primary_metric", "accuracy"}, {"goal", "maximize"}}));
    CHECK(doc["limits"] ==
          nlohmann::ordered_json(
              {{"max_total_trials", 40}, {"max_concurrent_trials", 4}, {"timeout", 7200}, {"trial_timeout", 1800}}));
    // Both intervals written out: the SDK's defaults differ from the YAML reference's.
    CHECK(doc["early_termination"] ==
          nlohmann::ordered_json(
              {{"type", "bandit"}, {"slack_amount", 0.2}, {"evaluation_interval", 1}, {"delay_evaluation", 0}}));
    // The trial is the command job's run: code, command, environment, distribution, resources.
    const auto& trial = doc["trial"];
    CHECK(trial["code"] == "src");
    CHECK(trial["distribution"] == nlohmann::ordered_json({{"type", "mpi"}, {"process_count_per_instance", 2}}));
    CHECK(trial["resources"]["instance_count"] == 2);
    CHECK(trial["environment"].contains("image"));
    CHECK_FALSE(doc.contains("command"));
}

TEST_CASE("each trial's command runs as that trial's argv once Azure ML substitutes its values") {
    const auto job = load(sweep_spec);
    const std::string command = azureml_sweep_job(job)["trial"]["command"];
    const auto ids = detail::sweep_parameter_ids(*spec_of(job).sweep);
    const sweep_trials trials(spec_of(job));
    const auto dir = std::filesystem::temp_directory_path() / ("trainspec-azureml-sweep-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    for (std::int64_t t = 0; t < trials.size(); ++t) {
        CAPTURE(t);
        // Azure ML's substitution: the placeholder's text becomes the value's.
        std::string line = command;
        std::size_t p = 0;
        for (const auto& value : trials.trial(t)) {
            const std::string placeholder = "${{search_space." + ids[p++] + "}}";
            const auto at = line.find(placeholder);
            REQUIRE(at != std::string::npos);
            line.replace(at, placeholder.size(), to_arguments(value.value).at(0));
        }
        // The program, a stand-in for python: one argument a line.
        const std::string script = "python() { printf '%s\\n' \"$@\"; }\nmpirun() { shift 99 2>/dev/null; }\n" + line;
        test_standins::write_file(dir / "run.sh", script);
        const auto output = dir / "out";
        std::filesystem::remove(output);
        REQUIRE(test_standins::run_process({"/bin/sh", "run.sh"}, {{"PATH", "/usr/bin:/bin"}}, dir, output) == 0);
        std::vector<std::string> expected{"train.py"};
        for (const auto& a : to_argv(trial_spec(spec_of(job), t).params)) expected.push_back(a);
        std::string want;
        for (const auto& a : expected) want += a + "\n";
        const auto seen = test_standins::read_file(output);
        // An mpi trial's command starts the script under Azure's mpirun: only the python line runs here.
        CHECK(seen.find(want) != std::string::npos);
        CHECK_FALSE(std::filesystem::exists(dir / "pwned"));
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("what Azure ML v2 cannot take is a named error") {
    CHECK_THROWS_WITH_AS(
        azureml_sweep_job(load(with(sweep_spec, "\"max_total_trials\": 40", "\"max_total_trials\": 1001"))),
        doctest::Contains("sweep.limits.max_total_trials 1001; Azure ML runs at most 1000"), artifact_error);
    const std::string hostile = R"js("$(touch pwned)")js";
    CHECK_THROWS_WITH_AS(azureml_sweep_job(load(with(sweep_spec, hostile, R"js("it's")js"))),
                         doctest::Contains("has the choice value \"it's\" in sweep.search_space[\"--optimizer\"]"),
                         artifact_error);
    // Azure ML evaluates any ${{ <expression> }}: only the sweep's own placeholders may be one.
    CHECK_THROWS_WITH_AS(azureml_sweep_job(load(with(sweep_spec, hostile, R"js("${{inputs.x}}")js"))),
                         doctest::Contains("has \"${{\" in sweep.search_space[\"--optimizer\"].values[2]; Azure "
                                           "ML evaluates every ${{ <expression> }}"),
                         artifact_error);
    CHECK_THROWS_WITH_AS(
        azureml_sweep_job(load(with(sweep_spec, "\"--epochs\": 5", R"js("--out": "${{outputs.m}}")js"))),
        doctest::Contains("has \"${{\" in script_params[\"--out\"]"), artifact_error);
    CHECK_THROWS_WITH_AS(
        azureml_command_job(load(R"js({"apiVersion": "trainspec/v1", "name": "plain", "source_directory": "src",
            "entry_script": "train.py", "compute_target": "gpu-cluster", "script_params": {"--name": "a${{name}}"}})js")),
        doctest::Contains("has \"${{\" in script_params[\"--name\"]; Azure ML evaluates every"), artifact_error);
    CHECK_NOTHROW(azureml_command_job(load(R"js({"apiVersion": "trainspec/v1", "name": "plain",
        "source_directory": "src", "entry_script": "train.py", "compute_target": "gpu-cluster",
        "script_params": {"--name": "a${name}{{x}}"}})js")));
    // The job's own trials make a choice "" a bare flag; a placeholder after its key cannot.
    CHECK_THROWS_WITH_AS(azureml_sweep_job(load(with(sweep_spec, hostile, R"js("")js"))),
                         doctest::Contains("has the choice value \"\" in sweep.search_space[\"--optimizer\"]; "
                                           "Azure ML puts each value after its key"),
                         artifact_error);
    CHECK_THROWS_WITH_AS(azureml_sweep_job(load(with(sweep_spec, R"js({"type": "bandit", "slack_amount": 0.2})js",
                                                     R"js({"type": "truncation_selection", "truncation_percentage": 10,
                                                          "exclude_finished_jobs": true})js"))),
                         doctest::Contains("exclude_finished_jobs, a HyperDrive v1 setting"), artifact_error);
    // The command job's own refusals hold for the trial.
    CHECK_THROWS_WITH_AS(azureml_sweep_job(load(with(sweep_spec, "\"compute_target\": \"gpu-cluster\"",
                                                     "\"compute_target\": \"gpu-cluster\", \"use_docker\": false"))),
                         doctest::Contains("has use_docker = false"), artifact_error);
}
