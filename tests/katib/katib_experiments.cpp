// Every Katib Experiment trainspec renders (TFJob and MPIJob trials, every
// algorithm) through the admission oracle of katib_webhook.hpp: decoding,
// the defaulter, the validating webhook, and what fails after admission.
// And the trial template itself: once Katib puts a trial's values in for
// its ${trialParameters.<id>}, it is the job's own TFJob or MPIJob of that
// trial.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <trainspec/detail/sweep_ids.hpp>
#include <trainspec/trainspec.hpp>

#include "katib_webhook.hpp"

using namespace trainspec;

namespace {

using json = nlohmann::json;

std::string job_text(const std::string& backend, const std::string& sweep) {
    std::string counts;
    if (backend == "ps")
        counts = R"("node_count": 2, "worker_count": 2, "parameter_server_count": 1, "chief_count": 1)";
    if (backend == "ps-no-chief") counts = R"("node_count": 2, "worker_count": 3, "parameter_server_count": 2)";
    if (backend == "multi_worker") counts = R"("node_count": 3)";
    if (backend == "mpi") counts = R"("node_count": 2, "process_count_per_node": 4)";
    const std::string kind = backend == "ps-no-chief" ? "ps" : backend;
    return R"({"apiVersion": "trainspec/v1", "name": "mnist-sweep", "source_directory": "src",
               "entry_script": "train.py", "compute_target": "gpu-cluster", "custom_docker_image": "ghcr.io/acme/tf:1",
               "distributed_backend": ")" +
           kind + "\", " + counts + R"(, "script_params": {"--epochs": 5}, "sweep": )" + sweep + "}";
}

const std::string space = R"({"--learning-rate": {"type": "loguniform", "min_value": -6, "max_value": -1},
    "--momentum": {"type": "quniform", "min_value": 0.5, "max_value": 0.99, "q": 0.01},
    "--noise": {"type": "qnormal", "mu": 1, "sigma": 0.1, "q": 0.05},
    "--scale": {"type": "lognormal", "mu": 0, "sigma": 0.5},
    "--layers": {"type": "randint", "upper": 5},
    "--optimizer": {"type": "choice", "values": ["adam", "sgd"]},
    "--batch-size": {"type": "choice", "values": [32, 64]}})";

std::string sweep_text(const std::string& sampling, const std::string& search_space, const std::string& extra = "") {
    return R"({"sampling_algorithm": )" + sampling + R"(, "search_space": )" + search_space +
           R"(, "objective": {"primary_metric": "val-accuracy", "goal": "maximize"},
             "limits": {"max_total_trials": 12, "max_concurrent_trials": 3, "trial_timeout": 3600})" +
           extra + "}";
}

/// Every algorithm trainspec maps, with a search space it takes.
std::vector<std::pair<std::string, std::string>> sweeps() {
    return {
        {"grid", sweep_text("\"grid\"", R"({"--optimizer": {"type": "choice", "values": ["adam", "sgd"]},
                                             "--batch-size": {"type": "choice", "values": [32, 64, 128]}})")},
        {"random", sweep_text(R"({"type": "random", "seed": 42})", space)},
        {"sobol", sweep_text(R"({"type": "random", "rule": "sobol"})", space)},
        {"random with medianstop",
         sweep_text("\"random\"", space,
                    R"(, "early_termination": {"type": "median_stopping", "delay_evaluation": 3})")},
        {"bayesian", sweep_text("\"bayesian\"", R"({"--lr": {"type": "uniform", "min_value": 0.0001, "max_value": 0.1},
                                                  "--units": {"type": "quniform", "min_value": 16, "max_value": 256, "q": 16},
                                                  "--act": {"type": "choice", "values": ["relu", "tanh"]}})")},
    };
}

json experiment_of(const std::string& text) { return json::parse(katib_experiment(load_job(text)).dump()); }

}  // namespace

TEST_CASE("every rendered Experiment passes Katib's admission and runs its trials") {
    const auto katib = katib_oracle::katib_config::standalone().with_mpijob_v2beta1();
    for (const std::string backend : {"ps", "ps-no-chief", "multi_worker", "mpi"})
        for (const auto& [algorithm, sweep] : sweeps()) {
            const std::string label = backend + ", " + algorithm;
            CAPTURE(label);
            const auto e = experiment_of(job_text(backend, sweep));
            const auto refused = katib_oracle::admission_errors(e, katib);
            CHECK_MESSAGE(refused.empty(), katib_oracle::to_aggregate(refused));
            const auto later = katib_oracle::check_after_admission(e, katib);
            CHECK_MESSAGE(later.empty(), katib_oracle::to_aggregate(later));
            // Counts are explicit: Katib's default parallelTrialCount of 3 exceeds small sweeps.
            CHECK(e["spec"]["parallelTrialCount"] == 3);
            const bool grid = algorithm == "grid";
            CHECK(e["spec"]["maxTrialCount"] == (grid ? 6 : 12));
        }
}

TEST_CASE("an MPIJob v2beta1 trial needs katib-config to list MPIJob.v2beta1.kubeflow.org") {
    const auto e = experiment_of(job_text("mpi", sweeps()[1].second));
    const auto later = katib_oracle::check_after_admission(e, katib_oracle::katib_config::standalone());
    REQUIRE_FALSE(later.empty());
    CHECK(katib_oracle::to_aggregate(later).find("MPIJob.v2beta1.kubeflow.org") != std::string::npos);
    // The launcher holds the metrics: mpi-operator labels it job-role launcher.
    CHECK(e["spec"]["trialTemplate"]["primaryPodLabels"] == json({{"training.kubeflow.org/job-role", "launcher"}}));
    CHECK(e["spec"]["trialTemplate"]["primaryContainerName"] == mpijob_launcher_container_name);
}

TEST_CASE("Katib's parameters: strings, HyperDrive's expressions as Katib's hyperopt service reads them back") {
    const auto e = experiment_of(job_text("ps", sweeps()[1].second));
    const auto& parameters = e["spec"]["parameters"];
    REQUIRE(parameters.size() == 7);
    // loguniform(-6, -1): Katib's logUniform takes the bounds, and hyperopt their logarithms.
    CHECK(parameters[0] == json::parse(R"({"name": "learning_rate", "parameterType": "double",
        "feasibleSpace": {"min": "0.0024787521766663585", "max": "0.36787944117144233", "distribution": "logUniform"}})"));
    CHECK(parameters[1]["feasibleSpace"] ==
          json::parse(R"({"min": "0.5", "max": "0.99", "step": "0.01", "distribution": "uniform"})"));
    // normal(mu, sigma): Katib's min and max are mu -/+ 3 sigma (base_service.py).
    CHECK(parameters[2]["feasibleSpace"] ==
          json::parse(R"({"min": "0.7", "max": "1.3", "step": "0.05", "distribution": "normal"})"));
    CHECK(parameters[3]["feasibleSpace"]["distribution"] == "logNormal");
    // randint(5): 0 to 4.
    CHECK(parameters[4] ==
          json::parse(R"({"name": "layers", "parameterType": "int", "feasibleSpace": {"min": "0", "max": "4"}})"));
    CHECK(parameters[5]["parameterType"] == "categorical");
    CHECK(
        parameters[6] ==
        json::parse(R"({"name": "batch_size", "parameterType": "discrete", "feasibleSpace": {"list": ["32", "64"]}})"));
    CHECK(
        e["spec"]["algorithm"] ==
        json::parse(R"({"algorithmName": "random", "algorithmSettings": [{"name": "random_state", "value": "42"}]})"));
    // trial_timeout bounds each trial's job.
    CHECK(e["spec"]["trialTemplate"]["trialSpec"]["spec"]["runPolicy"]["activeDeadlineSeconds"] == 3600);
}

TEST_CASE("a trial template with a trial's values put in is that trial's own job") {
    for (const std::string backend : {"ps", "mpi"}) {
        CAPTURE(backend);
        const auto text = job_text(backend, sweeps()[0].second);
        const auto job = load_job(text);
        const auto e = experiment_of(text);
        const sweep_trials trials(spec_of(job));
        const auto ids = detail::sweep_parameter_ids(*spec_of(job).sweep);
        for (std::int64_t t = 0; t < trials.size(); ++t) {
            // Katib's substitution: the placeholder's text becomes the value's.
            std::string rendered = e["spec"]["trialTemplate"]["trialSpec"].dump();
            std::size_t p = 0;
            for (const auto& value : trials.trial(t)) {
                const std::string placeholder = "${trialParameters." + ids[p++] + "}";
                for (auto at = rendered.find(placeholder); at != std::string::npos; at = rendered.find(placeholder))
                    rendered.replace(at, placeholder.size(), to_arguments(value.value).at(0));
            }
            auto own = spec_of(load_job(dump_spec(trial_spec(spec_of(job), t))));
            own.max_run_duration_seconds = 3600;
            const auto manifest = kubeflow_manifest(plan(make_job(own)), kubeflow_options{});
            REQUIRE(manifest);
            json expected = json::parse(manifest->dump());
            expected["metadata"].erase("name");
            expected["metadata"].erase("namespace");
            if (expected["metadata"].empty()) expected.erase("metadata");
            CHECK(json::parse(rendered) == expected);
        }
    }
}

TEST_CASE("what Katib cannot express is a named error") {
    const auto refusal = [](const std::string& backend, const std::string& sweep) {
        try {
            (void)katib_experiment(load_job(job_text(backend, sweep)));
        } catch (const artifact_error& e) {
            return std::string(e.what());
        }
        return std::string("(rendered)");
    };
    const std::string one = R"({"--n": {"type": "randint", "upper": 3}})";
    CHECK(refusal("ps",
                  sweep_text("\"random\"", one,
                             R"(, "early_termination": {"type": "truncation_selection", "truncation_percentage": 10})"))
              .find("Katib's early stopping has medianstop only") != std::string::npos);
    CHECK(refusal("ps",
                  sweep_text("\"random\"", one, R"(, "early_termination": {"type": "bandit", "slack_factor": 0.1})"))
              .find("\"bandit\"; Katib's early stopping has medianstop only") != std::string::npos);
    CHECK(refusal("ps", sweep_text("\"random\"", one,
                                   R"(, "early_termination": {"type": "median_stopping", "evaluation_interval": 2})"))
              .find("compares at every reported step") != std::string::npos);
    auto with_timeout = sweep_text("\"random\"", one);
    with_timeout.replace(with_timeout.find("\"trial_timeout\": 3600"), 21,
                         "\"timeout\": 7200, \"trial_timeout\": 3600");
    CHECK(refusal("ps", with_timeout).find("a Katib Experiment has no time limit of its own") != std::string::npos);
    CHECK(refusal("ps", sweep_text("\"bayesian\"", R"({"--x": {"type": "uniform", "min_value": -1, "max_value": 1}})"))
              .find("needs min > 0") != std::string::npos);
    CHECK(refusal("ps", sweep_text("\"random\"", R"({"--x": {"type": "choice", "values": ["a\"b"]}})"))
              .find("Katib substitutes values into the trial template's text") != std::string::npos);
    CHECK(refusal("ps", sweep_text("\"random\"", R"({"--x": {"type": "choice", "values": ["${trialSpec.Name}"]}})"))
              .find("Katib substitutes values") != std::string::npos);
    auto bad_metric = sweep_text("\"random\"", one);
    bad_metric.replace(bad_metric.find("val-accuracy"), 12, "val accuracy");
    CHECK(refusal("ps", bad_metric).find("Katib's StdOut collector reads metric names") != std::string::npos);
}
