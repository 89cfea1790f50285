// The Katib admission oracle (katib_webhook.hpp) against the cases of Katib's own
// tests: each TEST_CASE named "<upstream test function>: <upstream case>" is a case of
// pkg/webhook/v1beta1/experiment/validator/validator_test.go, on the same fake
// experiment, with the message the rule in validator.go gives; "twin" cases are the
// passing counterpart. The other cases name the Katib file whose behaviour they check:
// the defaulter, request decoding, the Job round trip, what fails after admission
// (tests/katib/README.md).

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "katib_webhook.hpp"

using katib_oracle::admission_errors;
using katib_oracle::apply_defaults;
using katib_oracle::check_after_admission;
using katib_oracle::decode_error;
using katib_oracle::katib_config;
using katib_oracle::to_aggregate;
using katib_oracle::validate;
using nlohmann::json;

namespace {

/// One message a line: doctest prints the string when a check fails.
std::string report(const std::vector<std::string>& errors) {
    std::string out;
    for (const auto& e : errors) out += e + "\n";
    return out;
}

/// The katib-standalone lists plus what validator_test.go's mock accepts: the algorithm
/// and early-stopping algorithm "test", and every collector kind.
katib_config test_config() {
    katib_config c = katib_config::standalone();
    c.algorithms.insert("test");
    c.early_stopping.insert("test");
    c.collectors.insert("PrometheusMetric");
    return c;
}

/// validator_test.go newFakeBatchJob().
json fake_batch_job() {
    return json::parse(R"({
        "apiVersion": "batch/v1", "kind": "Job",
        "spec": {"template": {"spec": {"containers": [{
            "name": "training-container",
            "image": "docker.io/kubeflowkatib/pytorch-mnist-cpu",
            "command": ["python3", "--epochs=1", "--batch-size=16", "/opt/pytorch-mnist/mnist.py",
                        "--lr=${trialParameters.learningRate}", "--momentum=${trialParameters.momentum}"]}]}}}})");
}

/// validator_test.go newFakeInstance(), with newFakeTrialTemplate() and newFakeTrialParamters().
json fake_instance() {
    json e = json::parse(R"({
        "apiVersion": "kubeflow.org/v1beta1", "kind": "Experiment",
        "metadata": {"name": "fake", "namespace": "fakens"},
        "spec": {
            "maxTrialCount": 6,
            "metricsCollectorSpec": {"collector": {"kind": "StdOut"}},
            "objective": {"type": "maximize", "goal": 0.11, "objectiveMetricName": "testme"},
            "algorithm": {"algorithmName": "test", "algorithmSettings": [{"name": "test1", "value": "value1"}]},
            "earlyStopping": {"algorithmName": "test", "algorithmSettings": [{"name": "test1", "value": "value1"}]},
            "parameters": [
                {"name": "lr", "parameterType": "int", "feasibleSpace": {"max": "5", "min": "1"}},
                {"name": "momentum", "parameterType": "categorical",
                 "feasibleSpace": {"list": ["0.95", "0.85", "0.75"]}}],
            "trialTemplate": {
                "primaryContainerName": "training-container",
                "successCondition": "status.conditions.#(type==\"Complete\")#|#(status==\"True\")#",
                "failureCondition": "status.conditions.#(type==\"Failed\")#|#(status==\"True\")#",
                "trialParameters": [
                    {"name": "learningRate", "description": "Learning rate", "reference": "lr"},
                    {"name": "momentum", "description": "Momentum for the training model", "reference": "momentum"}]}}})");
    e["spec"]["trialTemplate"]["trialSpec"] = fake_batch_job();
    return e;
}

std::string check(const json& experiment) { return report(validate(experiment, test_config())); }

/// The fake experiment with `trialSpec` as its template and no trial parameters: the
/// TestValidateTrialJob cases, which upstream runs on validateTrialJob alone.
json with_trial_spec(const json& trial_spec) {
    json e = fake_instance();
    e["spec"]["trialTemplate"]["trialSpec"] = trial_spec;
    e["spec"]["trialTemplate"]["trialParameters"] = json::array();
    return e;
}

/// The fake experiment with a metrics collector spec (TestValidateMetricsCollector).
json with_collector(const char* spec) {
    json e = fake_instance();
    e["spec"]["metricsCollectorSpec"] = json::parse(spec);
    return e;
}

const std::string name_rule =
    "name must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end "
    "with an alphanumeric character (e.g. 'my-name', or 'abc-123', regex used for validation is "
    "'^[a-z]([-a-z0-9]*[a-z0-9])?)' and may not be larger than 40 characters.";

// The fake job as GetTrialTemplate prints it: encoding/json, sorted keys, a final newline.
const std::string fake_job_json =
    R"({"apiVersion":"batch/v1","kind":"Job","spec":{"template":{"spec":{"containers":[{"command":["python3",)"
    R"("--epochs=1","--batch-size=16","/opt/pytorch-mnist/mnist.py","--lr=${trialParameters.invalidParameter}",)"
    R"("--momentum=${trialParameters.momentum}"],"image":"docker.io/kubeflowkatib/pytorch-mnist-cpu",)"
    R"("name":"training-container"}]}}}})"
    "\n";

const std::string fake_trial_parameters =
    "[{learningRate Learning rate lr} {momentum Momentum for the training model momentum}]";

}  // namespace

// ===========================================================================
// TestValidateExperiment

TEST_CASE("TestValidateExperiment: Run validator for correct experiment") {
    CHECK(check(fake_instance()) == "");
    // twin: what kubectl apply meets, defaults included
    CHECK(report(admission_errors(fake_instance(), test_config())) == "");
}

TEST_CASE("TestValidateExperiment: Name is invalid") {
    json e = fake_instance();
    e["metadata"]["name"] = "1234-test";
    CHECK(check(e) == "metadata.name: Invalid value: \"1234-test\": " + name_rule + "\n");
    e["metadata"]["name"] = "test-1234";  // twin: the valid name of katib PR #1541
    CHECK(check(e) == "");
}

TEST_CASE("katib PR #2468: names longer than 40 characters") {
    json e = fake_instance();
    e["metadata"]["name"] = std::string(41, 'a');
    CHECK(check(e) == "metadata.name: Invalid value: \"" + std::string(41, 'a') + "\": " + name_rule + "\n");
    e["metadata"]["name"] = std::string(40, 'a');  // twin
    CHECK(check(e) == "");
    e["metadata"]["name"] = "exp.v1";  // the regex is a prefix match: a dot passes (a Service name refuses it later)
    CHECK(check(e) == "");
}

TEST_CASE("TestValidateExperiment: Objective is nil") {
    json e = fake_instance();
    e["spec"].erase("objective");
    e["spec"]["maxTrialCount"] = -1;   // objective errors end validation: later rules stay silent,
    e["spec"]["algorithm"] = nullptr;  // earlier ones do not
    CHECK(check(e) ==
          "spec.maxTrialCount: Invalid value: -1: must be greater than 0\n"
          "spec.objective: Required value: must be specified\n");
}

TEST_CASE("TestValidateExperiment: Objective type is unknown") {
    json e = fake_instance();
    e["spec"]["objective"]["type"] = "";
    e["spec"]["resumePolicy"] = "invalid-policy";  // not reported: objective errors return early
    CHECK(check(e) == "spec.objective.type: Invalid value: \"\": must be minimize or maximize\n");
    e["spec"]["objective"]["type"] = "Maximize";  // lower case only
    CHECK(check(e) == "spec.objective.type: Invalid value: \"Maximize\": must be minimize or maximize\n");
    e["spec"]["objective"]["type"] = "minimize";  // twin: now the next rule speaks
    CHECK(check(e) == "spec.resumePolicy: Invalid value: \"invalid-policy\": invalid ResumePolicyType\n");
}

TEST_CASE("TestValidateExperiment: Objective metric name is empty") {
    json e = fake_instance();
    e["spec"]["objective"]["objectiveMetricName"] = "";
    CHECK(check(e) == "spec.objective.objectiveMetricName: Required value: must be specified\n");
}

TEST_CASE("TestValidateExperiment: additionalMetricNames should not contain objective metric name") {
    json e = fake_instance();
    e["spec"]["objective"]["objectiveMetricName"] = "objective";
    e["spec"]["objective"]["additionalMetricNames"] = {"objective", "objective-1"};
    CHECK(check(e) ==
          "spec.objective.additionalMetricNames: Invalid value: []string{\"objective\", \"objective-1\"}: should not "
          "contain spec.objective.objectiveMetricName\n");
    e["spec"]["objective"]["additionalMetricNames"] = {"objective-1"};  // twin
    CHECK(check(e) == "");
}

TEST_CASE("TestValidateExperiment: Algorithm is nil") {
    json e = fake_instance();
    e["spec"].erase("algorithm");
    CHECK(check(e) == "spec.algorithm: Required value: must be specified\n");
}

TEST_CASE("TestValidateExperiment: Algorithm name is empty") {
    json e = fake_instance();
    e["spec"]["algorithm"]["algorithmName"] = "";
    // upstream's mock finds a config for any name; the real lookup fails for "" as well
    CHECK(check(e) ==
          "spec.algorithm.algorithmName: Required value: must be specified\n"
          "spec.algorithm.algorithmName: Invalid value: \"\": unable to get Suggestion config data for algorithm : "
          "failed to find suggestion config for algorithm:  in ConfigMap: katib-config\n");
}

TEST_CASE("TestValidateExperiment: EarlyStopping is nil") {
    json e = fake_instance();
    e["spec"].erase("earlyStopping");
    CHECK(check(e) == "");
}

TEST_CASE("TestValidateExperiment: EarlyStopping AlgorithmName is empty") {
    json e = fake_instance();
    e["spec"]["earlyStopping"]["algorithmName"] = "";
    CHECK(check(e) ==
          "spec.earlyStopping.algorithmName: Required value: must be specified\n"
          "spec.earlyStopping.algorithmName: Invalid value: \"\": unable to get EarlyStopping config data for "
          "algorithm : failed to find early stopping config for algorithm:  in ConfigMap: katib-config\n");
}

TEST_CASE("TestValidateExperiment: Max failed trial count is negative") {
    json e = fake_instance();
    e["spec"]["maxFailedTrialCount"] = -1;
    CHECK(check(e) == "spec.maxFailedTrialCount: Invalid value: -1: should not be less than 0\n");
}

TEST_CASE("TestValidateExperiment: Max trial count is negative") {
    json e = fake_instance();
    e["spec"]["maxTrialCount"] = -1;
    CHECK(check(e) == "spec.maxTrialCount: Invalid value: -1: must be greater than 0\n");
    // after the defaulter, parallelTrialCount is 3, and 3 > -1
    CHECK(report(admission_errors(e, test_config())) ==
          "spec.maxTrialCount: Invalid value: -1: must be greater than 0\n"
          "spec.parallelTrialCount: Invalid value: 3: should be less than or equal to spec.maxTrialCount\n");
}

TEST_CASE("TestValidateExperiment: Parallel trial count is negative") {
    json e = fake_instance();
    e["spec"]["parallelTrialCount"] = -1;
    CHECK(check(e) == "spec.parallelTrialCount: Invalid value: -1: must be greater than 0\n");
}

TEST_CASE("TestValidateExperiment: Invalid resume policy") {
    json e = fake_instance();
    e["spec"]["resumePolicy"] = "invalid-policy";
    CHECK(check(e) == "spec.resumePolicy: Invalid value: \"invalid-policy\": invalid ResumePolicyType\n");
    for (const char* policy : {"", "Never", "LongRunning", "FromVolume"}) {  // twins
        e["spec"]["resumePolicy"] = policy;
        CHECK(check(e) == "");
    }
}

TEST_CASE("TestValidateExperiment: Parameters and NAS config is nil") {
    json e = fake_instance();
    e["spec"]["parameters"] = json::array();
    CHECK(check(e) == "spec: Required value: spec.parameters or spec.nasConfig must be specified\n");
}

TEST_CASE("TestValidateExperiment: Parameters and NAS config is not nil") {
    json e = fake_instance();
    e["spec"]["nasConfig"] = {{"operations", {{{"operationType", "op1"}}}}};
    // Katib prints the whole spec (%#v, with pointer addresses): the oracle abbreviates it
    CHECK(check(e) ==
          "spec: Invalid value: v1beta1.ExperimentSpec{...}: only one of spec.parameters and spec.nasConfig can be "
          "specified\n");
    e["spec"].erase("parameters");  // twin: nasConfig alone, a template without parameters
    e["spec"]["trialTemplate"]["trialParameters"] = json::array();
    e["spec"]["trialTemplate"]["trialSpec"]["spec"]["template"]["spec"]["containers"][0].erase("command");
    CHECK(check(e) == "");
}

TEST_CASE("TestValidateExperiment: Trial template is nil") {
    json e = fake_instance();
    e["spec"].erase("trialTemplate");
    CHECK(check(e) == "spec.trialTemplate: Required value: must be specified\n");
}

TEST_CASE("TestValidateExperiment: Invalid feasible space in parameters") {
    json e = fake_instance();
    e["spec"]["parameters"][1]["feasibleSpace"]["max"] = "5";
    CHECK(check(e) ==
          "spec.parameters[1].feasibleSpace: Invalid value: v1beta1.FeasibleSpace{Max:\"5\", Min:\"\", "
          "List:[]string{\"0.95\", \"0.85\", \"0.75\"}, Step:\"\", Distribution:\"\"}: feasibleSpace .max, .min and "
          ".step is not supported for parameterType: categorical\n");
}

TEST_CASE("TestValidateExperiment: maxFailedTrialCount greater than maxTrialCount") {
    json e = fake_instance();
    e["spec"]["maxTrialCount"] = 5;
    e["spec"]["maxFailedTrialCount"] = 6;
    CHECK(check(e) ==
          "spec.maxFailedTrialCount: Invalid value: 6: should be less than or equal to spec.maxTrialCount\n");
}

TEST_CASE("TestValidateExperiment: maxFailedTrialCount equal to maxTrialCount") {
    json e = fake_instance();
    e["spec"]["maxTrialCount"] = 5;
    e["spec"]["maxFailedTrialCount"] = 5;
    CHECK(check(e) == "");
}

TEST_CASE("TestValidateExperiment: parallelTrialCount greater than maxTrialCount") {
    json e = fake_instance();
    e["spec"]["maxTrialCount"] = 5;
    e["spec"]["parallelTrialCount"] = 6;
    CHECK(check(e) ==
          "spec.parallelTrialCount: Invalid value: 6: should be less than or equal to spec.maxTrialCount\n");
}

TEST_CASE("TestValidateExperiment: parallelTrialCount equal to maxTrialCount") {
    json e = fake_instance();
    e["spec"]["maxTrialCount"] = 5;
    e["spec"]["parallelTrialCount"] = 5;
    CHECK(check(e) == "");
    // twin: maxTrialCount 2 needs an explicit parallelTrialCount once defaults apply
    e["spec"]["maxTrialCount"] = 2;
    e["spec"].erase("parallelTrialCount");
    CHECK(report(admission_errors(e, test_config())) ==
          "spec.parallelTrialCount: Invalid value: 3: should be less than or equal to spec.maxTrialCount\n");
    e["spec"]["parallelTrialCount"] = 2;
    CHECK(report(admission_errors(e, test_config())) == "");
}

// ===========================================================================
// TestValidateParameters

TEST_CASE("TestValidateParameters: Invalid parameter type") {
    json e = fake_instance();
    e["spec"]["parameters"][0]["parameterType"] = "invalid-type";
    CHECK(check(e) ==
          "spec.parameters[0].parameterType: Invalid value: \"invalid-type\": parameterType: invalid-type is not "
          "supported\n");
}

TEST_CASE("TestValidateParameters: Feasible space is nil") {
    json e = fake_instance();
    e["spec"]["parameters"][0]["feasibleSpace"] = json::object();
    CHECK(check(e) == "spec.parameters[0].feasibleSpace: Required value: feasibleSpace must be specified\n");
    // twin: the defaulter's distribution makes the space non-empty; min and max are then asked for
    CHECK(report(admission_errors(e, test_config())) ==
          "spec.parameters[0].feasibleSpace.max: Required value: feasibleSpace.max or feasibleSpace.min must be "
          "specified for parameterType: int\n");
}

TEST_CASE("TestValidateParameters: Not empty list for int parameter type") {
    json e = fake_instance();
    e["spec"]["parameters"][0]["feasibleSpace"]["list"] = {"invalid-list"};
    CHECK(check(e) ==
          "spec.parameters[0].feasibleSpace.list: Invalid value: []string{\"invalid-list\"}: feasibleSpace.list is not "
          "supported for parameterType: int\n");
}

TEST_CASE("TestValidateParameters: Empty max and min for int parameter type") {
    json e = fake_instance();
    e["spec"]["parameters"][0]["feasibleSpace"] = {{"max", ""}, {"min", ""}, {"step", "1"}};
    CHECK(check(e) ==
          "spec.parameters[0].feasibleSpace.max: Required value: feasibleSpace.max or feasibleSpace.min must be "
          "specified for parameterType: int\n");
}

TEST_CASE("TestValidateParameters: Not empty max for categorical parameter type") {
    json e = fake_instance();
    e["spec"]["parameters"][1]["feasibleSpace"]["max"] = "1";
    CHECK(check(e) ==
          "spec.parameters[1].feasibleSpace: Invalid value: v1beta1.FeasibleSpace{Max:\"1\", Min:\"\", "
          "List:[]string{\"0.95\", \"0.85\", \"0.75\"}, Step:\"\", Distribution:\"\"}: feasibleSpace .max, .min and "
          ".step is not supported for parameterType: categorical\n");
}

TEST_CASE("validator.go validateParameters: distributions are camelCase") {
    json e = fake_instance();
    e["spec"]["parameters"][0]["feasibleSpace"]["distribution"] = "loguniform";
    CHECK(check(e) ==
          "spec.parameters[0].feasibleSpace.distribution: Invalid value: \"loguniform\": distribution: loguniform is "
          "not supported\n");
    for (const char* d : {"uniform", "logUniform", "normal", "logNormal", "unknown"}) {  // twins
        e["spec"]["parameters"][0]["feasibleSpace"]["distribution"] = d;
        CHECK(check(e) == "");
    }
}

// ===========================================================================
// TestValidateTrialTemplate

TEST_CASE("TestValidateTrialTemplate: Trial parameters is nil") {
    json e = fake_instance();
    e["spec"]["trialTemplate"].erase("trialParameters");
    CHECK(check(e) == "spec.trialTemplate.trialParameters: Required value: must be specified\n");
    // twin: an empty list is not nil to the validator, but the defaulter's re-encoding drops it
    e["spec"]["trialTemplate"]["trialParameters"] = json::array();
    CHECK(check(e).find("trialParameters: Required value") == std::string::npos);
    CHECK(report(admission_errors(e, test_config()))
              .find("spec.trialTemplate.trialParameters: Required value: must be specified\n") == 0);
}

TEST_CASE("TestValidateTrialTemplate: Trial spec nil") {
    json e = fake_instance();
    e["spec"]["trialTemplate"].erase("trialSpec");
    CHECK(check(e) ==
          "spec.trialTemplate.TrialSource: Required value: spec.trialTemplate.trialSpec or "
          "spec.trialTemplate.configMap must be specified\n");
}

TEST_CASE("TestValidateTrialTemplate: Trial spec and ConfigMap is not nil") {
    json e = fake_instance();
    e["spec"]["trialTemplate"]["configMap"] = {{"configMapName", "config-map-name"}};
    CHECK(check(e) ==
          "spec.trialTemplate: Required value: only one of spec.trialTemplate.trialSpec or "
          "spec.trialTemplate.configMap can be specified\n");
}

TEST_CASE("TestValidateTrialTemplate: Missed template path in ConfigMap") {
    json e = fake_instance();
    e["spec"]["trialTemplate"].erase("trialSpec");
    e["spec"]["trialTemplate"]["configMap"] = {{"configMapName", "config-map-name"},
                                               {"configMapNamespace", "config-map-namespace"}};
    CHECK(check(e) ==
          "spec.trialTemplate.configMap: Required value: configMapName, configMapNamespace and templatePath must be "
          "specified\n");
    // twin: complete; the ConfigMap itself is in the cluster and not read by the oracle
    e["spec"]["trialTemplate"]["configMap"]["templatePath"] = "wrong-path";
    CHECK(check(e) == "");
}

TEST_CASE("TestValidateTrialTemplate: Empty reference or name in Trial parameters") {
    json e = fake_instance();
    e["spec"]["trialTemplate"]["trialParameters"][0]["reference"] = "";
    CHECK(check(e) ==
          "spec.trialTemplate.trialParameters[0]: Invalid value: \"\": name and reference must be specified and name "
          "must not contain '{' or '}'\n"
          "spec.trialTemplate: Invalid value: \"\": parameters: [${trialParameters.learningRate}] in "
          "spec.trialTemplate not found in spec.trialParameters: [{learningRate Learning rate } {momentum Momentum "
          "for the training model momentum}]\n");
}

TEST_CASE("TestValidateTrialTemplate: Wrong name in Trial parameters") {
    json e = fake_instance();
    e["spec"]["trialTemplate"]["trialParameters"][0]["name"] = "{invalid-name}";
    CHECK(check(e) ==
          "spec.trialTemplate.trialParameters[0]: Invalid value: \"\": name and reference must be specified and name "
          "must not contain '{' or '}'\n"
          "spec.trialTemplate: Invalid value: \"\": parameters: [${trialParameters.learningRate}] in "
          "spec.trialTemplate not found in spec.trialParameters: [{{invalid-name} Learning rate lr} {momentum "
          "Momentum for the training model momentum}]\n");
}

TEST_CASE("TestValidateTrialTemplate: Duplicate name in Trial parameters") {
    json e = fake_instance();
    e["spec"]["trialTemplate"]["trialParameters"][1]["name"] = "learningRate";
    const std::string list =
        "[{learningRate Learning rate lr} {learningRate Momentum for the training model momentum}]";
    CHECK(check(e) ==
          "spec.trialTemplate.trialParameters[1].name: Invalid value: \"learningRate\": parameter name learningRate "
          "can't be duplicated in spec.trialTemplate.trialParameters: " +
              list +
              "\n"
              "spec.trialTemplate: Invalid value: \"\": parameters: [${trialParameters.momentum}] in "
              "spec.trialTemplate not found in spec.trialParameters: " +
              list + "\n");
}

TEST_CASE("TestValidateTrialTemplate: Duplicate reference in Trial parameters") {
    json e = fake_instance();
    e["spec"]["trialTemplate"]["trialParameters"][1]["reference"] = "lr";
    const std::string list = "[{learningRate Learning rate lr} {momentum Momentum for the training model lr}]";
    CHECK(check(e) ==
          "spec.trialTemplate.trialParameters[1].reference: Invalid value: \"lr\": parameter reference lr can't be "
          "duplicated in spec.trialTemplate.trialParameters: " +
              list +
              "\n"
              "spec.trialTemplate: Invalid value: \"\": parameters: [${trialParameters.momentum}] in "
              "spec.trialTemplate not found in spec.trialParameters: " +
              list + "\n");
}

TEST_CASE(
    "TestValidateTrialTemplate: Trial template contains Trial parameters which weren't referenced from "
    "spec.parameters") {
    json e = fake_instance();
    e["spec"]["trialTemplate"]["trialParameters"][1]["reference"] = "wrong-ref";
    CHECK(check(e) ==
          "spec.trialTemplate.trialParameters[1].reference: Invalid value: \"wrong-ref\": parameter reference "
          "wrong-ref does not exist in spec.parameters: [{lr int {5 1 []  }} {momentum categorical {  [0.95 0.85 "
          "0.75]  }}]\n");
}

TEST_CASE("TestValidateTrialTemplate: Trial template contains Trial parameters when spec.parameters is empty") {
    json e = fake_instance();
    e["spec"].erase("parameters");
    e["spec"]["trialTemplate"]["trialParameters"][1]["reference"] = "wrong-ref";
    // the template rules pass; only the search-space rule speaks
    CHECK(check(e) == "spec: Required value: spec.parameters or spec.nasConfig must be specified\n");
}

TEST_CASE("TestValidateTrialTemplate: Trial template contains Trial metadata reference as parameter") {
    json e = fake_instance();
    for (const char* reference :
         {"${trialSpec.Name}", "${trialSpec.Namespace}", "${trialSpec.Kind}", "${trialSpec.APIVersion}"}) {
        e["spec"]["trialTemplate"]["trialParameters"][1]["reference"] = reference;
        CHECK(check(e) == "");
    }
    e["spec"]["trialTemplate"]["trialParameters"][1]["reference"] = "${trialSpec.Uid}";  // twin: not a meta key
    CHECK(check(e).find("parameter reference ${trialSpec.Uid} does not exist in spec.parameters") != std::string::npos);
}

TEST_CASE("TestValidateTrialTemplate: Trial template contains Trial annotation reference as parameter") {
    json e = fake_instance();
    e["spec"]["trialTemplate"]["trialParameters"][1]["reference"] = "${trialSpec.Annotations[test-annotation]}";
    CHECK(check(e) == "");
}

TEST_CASE("TestValidateTrialTemplate: Trial template contains Trial's label reference as parameter") {
    json e = fake_instance();
    e["spec"]["trialTemplate"]["trialParameters"][1]["reference"] = "${trialSpec.Labels[test-label]}";
    CHECK(check(e) == "");
}

TEST_CASE("TestValidateTrialTemplate: Trial template doesn't contain parameter from Trial parameters") {
    json e = fake_instance();
    e["spec"]["trialTemplate"]["trialSpec"]["spec"]["template"]["spec"]["containers"][0]["command"][4] =
        "--lr=${trialParameters.invalidParameter}";
    // the first missing placeholder ends the rule (and the leftover check with it)
    CHECK(check(e) ==
          "spec.trialTemplate.trialParameters[0].name: Invalid value: \"learningRate\": parameter name: learningRate "
          "in spec.trialParameters not found in spec.trialTemplate: " +
              fake_job_json + "\n");
}

TEST_CASE("TestValidateTrialTemplate: Trial template contains extra parameter") {
    json e = fake_instance();
    e["spec"]["trialTemplate"]["trialSpec"]["spec"]["template"]["spec"]["containers"][0]["command"].push_back(
        "--extra-parameter=${trialParameters.extraParameter}");
    CHECK(check(e) ==
          "spec.trialTemplate: Invalid value: \"\": parameters: [${trialParameters.extraParameter}] in "
          "spec.trialTemplate not found in spec.trialParameters: " +
              fake_trial_parameters + "\n");
}

TEST_CASE("TestValidateTrialTemplate: Trial template contains metadata.name or metadata.namespace") {
    json e = fake_instance();
    e["spec"]["trialTemplate"]["trialSpec"]["metadata"] = {{"name", "trial-name"}, {"namespace", "trial-namespace"}};
    CHECK(check(e) ==
          "spec.trialTemplate: Invalid value: \"\": metadata.name and metadata.namespace in spec.trialTemplate must "
          "be omitted\n");
    e["spec"]["trialTemplate"]["trialSpec"]["metadata"] = {{"labels", {{"app", "x"}}}};  // twin
    CHECK(check(e) == "");
}

TEST_CASE("TestValidateTrialTemplate: Trial template doesn't contain APIVersion or Kind") {
    json e = fake_instance();
    e["spec"]["trialTemplate"]["trialSpec"]["apiVersion"] = "";
    CHECK(check(e) ==
          "spec.trialTemplate: Required value: APIVersion and Kind in spec.trialTemplate must be specified\n");
    // without a kind the request does not even decode (unstructured.Unstructured needs one)
    e["spec"]["trialTemplate"]["trialSpec"]["apiVersion"] = "batch/v1";
    e["spec"]["trialTemplate"]["trialSpec"].erase("kind");
    CHECK(check(e).rfind("Object 'Kind' is missing in '{\"apiVersion\":\"batch/v1\",", 0) == 0);
}

TEST_CASE("TestValidateTrialTemplate: Trial template has custom Kind") {
    json e = fake_instance();
    e["spec"]["trialTemplate"]["trialSpec"]["kind"] = "CustomKind";
    CHECK(check(e) == "");
}

TEST_CASE("TestValidateTrialTemplate: Trial template doesn't have PrimaryContainerName") {
    json e = fake_instance();
    e["spec"]["trialTemplate"]["primaryContainerName"] = "";
    CHECK(check(e) == "spec.trialTemplate.primaryContainerName: Required value: must be specified\n");
}

TEST_CASE("TestValidateTrialTemplate: Trial template doesn't have SuccessCondition") {
    json e = fake_instance();
    e["spec"]["trialTemplate"]["successCondition"] = "";
    CHECK(check(e) == "spec.trialTemplate: Required value: successCondition and failureCondition must be specified\n");
    // twin: for a Job the defaulter fills it in
    CHECK(report(admission_errors(e, test_config())) == "");
}

TEST_CASE("validator.go validateTrialTemplate: the template reaches messages as encoding/json writes it") {
    json e = fake_instance();
    auto& command = e["spec"]["trialTemplate"]["trialSpec"]["spec"]["template"]["spec"]["containers"][0]["command"];
    command = {"sh", "-c", "a && b <x>", "--momentum=${trialParameters.momentum}"};
    const std::string message = check(e);
    CHECK(message.find(R"("command":["sh","-c","a \u0026\u0026 b \u003cx\u003e",)") != std::string::npos);
}

// ===========================================================================
// TestValidateTrialJob

TEST_CASE("TestValidateTrialJob: Trial template has invalid Batch Job parameter") {
    json job = json::parse(R"({"apiVersion": "batch/v1", "kind": "Job",
        "spec": {"template": {"spec": {"containers": {"name": "container-must-be-list"}}}}})");
    CHECK(check(with_trial_spec(job)) ==
          "spec.trialTemplate: Invalid value: \"\": invalid spec.trialTemplate: unable to convert spec.TrialTemplate: "
          "map[apiVersion:batch/v1 kind:Job spec:map[template:map[spec:map[containers:map[name:container-must-be-"
          "list]]]]] to Job: cannot restore slice from map\n");
}

TEST_CASE("TestValidateTrialJob: Trial template has invalid Batch Job structure") {
    json job = json::parse(R"({"apiVersion": "batch/v1", "kind": "Job",
        "spec": {"template": {"invalidSpec": "not-job-format", "spec": {"containers": [{"name": "invalid-list"}]}}}})");
    const std::string message = check(with_trial_spec(job));
    CHECK(message.rfind("spec.trialTemplate: Invalid value: \"\": invalid spec.trialTemplate: unable to convert: "
                        "/spec/template/invalidSpec - not-job-format to Job, converted template: ",
                        0) == 0);
}

TEST_CASE("TestValidateTrialJob: Valid case with nvidia.com/gpu resource in Trial template") {
    json job = json::parse(R"({"apiVersion": "batch/v1", "kind": "Job",
        "spec": {"template": {"spec": {"containers": [{"resources": {
            "limits": {"nvidia.com/gpu": 1}, "requests": {"nvidia.com/gpu": 1}}}]}}}})");
    CHECK(check(with_trial_spec(job)) == "");
}

TEST_CASE("TestValidateTrialJob: Only validate Kuernetes Job") {
    json job = json::parse(R"({"apiVersion": "test/v1", "kind": "Job",
        "spec": {"template": {"spec": {"containers": {"name": "container"}, "whatever": 1}}}})");
    CHECK(check(with_trial_spec(job)) == "");
}

TEST_CASE("validator.go validatePatchJob: an empty omitempty value does not survive the typed Job") {
    json job = fake_batch_job();
    auto& container = job["spec"]["template"]["spec"]["containers"][0];
    container["command"] = {"python3", "/opt/pytorch-mnist/mnist.py"};
    container["env"] = {{{"name", "SEED"}, {"value", ""}}};
    CHECK(check(with_trial_spec(job))
              .rfind("spec.trialTemplate: Invalid value: \"\": invalid spec.trialTemplate: unable to convert: "
                     "/spec/template/spec/containers/0/env/0/value -  to Job, converted template: ",
                     0) == 0);
    container["env"] = {{{"name", "SEED"}, {"value", "7"}}};  // twin
    container["args"] = {"--x"};
    container["ports"] = {{{"containerPort", 2222}, {"name", "tfjob-port"}}};
    CHECK(check(with_trial_spec(job)) == "");
    container["hostNetwork"] = true;  // a PodSpec field in the container: unknown there
    CHECK(check(with_trial_spec(job)).find("unable to convert: /spec/template/spec/containers/0/hostNetwork - true") !=
          std::string::npos);
}

// ===========================================================================
// TestValidateMetricsCollector

TEST_CASE("TestValidateMetricsCollector: Invalid metrics collector Kind") {
    CHECK(check(with_collector(R"({"collector": {"kind": "invalid-kind"}})")) ==
          "spec.metricsCollectorSpec.collector.kind: Invalid value: \"invalid-kind\": invalid metrics collector kind: "
          "invalid-kind\n");
}

TEST_CASE("TestValidateMetricsCollector: Invalid path for File metrics collector") {
    CHECK(
        check(with_collector(R"({"collector": {"kind": "File"},
              "source": {"fileSystemPath": {"path": "not/absolute/path", "format": "TEXT"}}})")) ==
        "spec.metricsCollectorSpec.source.fileSystemPath.path: Required value: file path where metrics file exists is "
        "required\n");
}

TEST_CASE("TestValidateMetricsCollector: Invalid path for TF event metrics collector") {
    CHECK(check(with_collector(R"({"collector": {"kind": "TensorFlowEvent"},
              "source": {"fileSystemPath": {"path": "not/absolute/path"}}})")) ==
          "spec.metricsCollectorSpec.source: Required value: directory path where tensorflow event files exist is "
          "required by .spec.metricsCollectorSpec.source.fileSystemPath.path\n");
}

TEST_CASE("TestValidateMetricsCollector: Invalid file format for TF event metrics collector") {
    CHECK(check(with_collector(R"({"collector": {"kind": "TensorFlowEvent"},
              "source": {"fileSystemPath": {"path": "/absolute/path", "format": "JSON", "kind": "Directory"}}})")) ==
          "spec.metricsCollectorSpec.source.fileSystemPath.format: Invalid value: \"JSON\": must be empty\n");
}

TEST_CASE("TestValidateMetricsCollector: Invalid port for Prometheus metrics collector") {
    CHECK(check(with_collector(R"({"collector": {"kind": "PrometheusMetric"},
              "source": {"httpGet": {"port": "Port", "path": "/metrics"}}})")) ==
          "spec.metricsCollectorSpec.source.httpGet.port: Invalid value: \"Port\": must be a positive integer value "
          "for metrics collector kind: PrometheusMetric\n");
}

TEST_CASE("TestValidateMetricsCollector: Invalid path for Prometheus metrics collector") {
    CHECK(check(with_collector(R"({"collector": {"kind": "PrometheusMetric"},
              "source": {"httpGet": {"port": 8888, "path": "not/valid/path"}}})")) ==
          "spec.metricsCollectorSpec.source.httpGet.path: Invalid value: \"not/valid/path\": path is invalid for "
          "metrics collector kind: PrometheusMetric\n");
}

TEST_CASE("TestValidateMetricsCollector: Empty container for Custom metrics collector") {
    CHECK(check(with_collector(R"({"collector": {"kind": "Custom"}})")) ==
          "spec.metricsCollectorSpec.collector.customCollector: Required value: metrics collector kind: Custom is "
          "required\n");
}

TEST_CASE("TestValidateMetricsCollector: Invalid path for Custom metrics collector") {
    CHECK(check(with_collector(R"({"collector": {"kind": "Custom", "customCollector": {"name": "my-collector"}},
              "source": {"fileSystemPath": {"path": "not/absolute/path"}}})")) ==
          "spec.metricsCollectorSpec.source.fileSystemPath: Invalid value: \"\": .spec.metricsCollectorSpec.source is "
          "invalid\n");
}

TEST_CASE("TestValidateMetricsCollector: Invalid metrics format regex for File metrics collector") {
    CHECK(check(with_collector(R"({"collector": {"kind": "File"}, "source": {"filter": {"metricsFormat": ["["]},
              "fileSystemPath": {"path": "/absolute/path", "kind": "File", "format": "TEXT"}}})")) ==
          "spec.metricsCollectorSpec.source.filter.metricsFormat: Invalid value: \"[\": invalid filter: error parsing "
          "regexp: missing closing ]: `[`\n");
}

TEST_CASE("TestValidateMetricsCollector: One subexpression in metrics format") {
    CHECK(check(with_collector(R"({"collector": {"kind": "File"},
              "source": {"filter": {"metricsFormat": ["{metricName: ([\\w|-]+)}"]},
              "fileSystemPath": {"path": "/absolute/path", "kind": "File", "format": "TEXT"}}})")) ==
          "spec.metricsCollectorSpec.source.filter.metricsFormat: Invalid value: \"{metricName: ([\\\\w|-]+)}\": two "
          "top subexpressions are required\n");
    // twin: Katib's default filter has two groups
    CHECK(check(with_collector(R"x({"collector": {"kind": "File"},
              "source": {"filter": {"metricsFormat": ["([\\w|-]+)\\s*=\\s*([+-]?\\d*(\\.\\d+)?([Ee][+-]?\\d+)?)"]},
              "fileSystemPath": {"path": "/absolute/path", "kind": "File", "format": "TEXT"}}})x")) == "");
}

TEST_CASE("validator.go validateMetricsCollector: filters are Go regular expressions") {
    auto filter = [](const std::string& format) {
        json e = with_collector(R"({"collector": {"kind": "File"},
            "source": {"fileSystemPath": {"path": "/absolute/path", "kind": "File", "format": "TEXT"}}})");
        e["spec"]["metricsCollectorSpec"]["source"]["filter"] = {{"metricsFormat", {format}}};
        return check(e);
    };
    const std::string at = "spec.metricsCollectorSpec.source.filter.metricsFormat: Invalid value: ";
    CHECK(filter("(a)(b") == at + "\"(a)(b\": invalid filter: error parsing regexp: missing closing ): `(a)(b`\n");
    CHECK(filter("(a))(b)") == at + "\"(a))(b)\": invalid filter: error parsing regexp: unexpected ): `(a))(b)`\n");
    CHECK(filter("*(a)(b)") ==
          at + "\"*(a)(b)\": invalid filter: error parsing regexp: missing argument to repetition operator: `*`\n");
    CHECK(filter("(a**)(b)") ==
          at + "\"(a**)(b)\": invalid filter: error parsing regexp: invalid nested repetition operator: `**`\n");
    CHECK(filter("(a)(?=b)") ==
          at + "\"(a)(?=b)\": invalid filter: error parsing regexp: invalid or unsupported Perl syntax: `(?=`\n");
    CHECK(filter("(a)(b)\\1") ==
          at + "\"(a)(b)\\\\1\": invalid filter: error parsing regexp: invalid escape sequence: `\\1`\n");
    // twins: Go syntax that ECMAScript lacks
    CHECK(filter("(?P<name>[a-z]+)=(?P<value>[0-9.]+)") == "");
    CHECK(filter("(?i)(loss)\\s*=\\s*([0-9.]+)\\z") == "");
    CHECK(filter("{\"(\\w+)\": ([0-9.]+)}") == "");
}

TEST_CASE("TestValidateMetricsCollector: Invalid file format for File metrics collector") {
    CHECK(check(with_collector(R"({"collector": {"kind": "File"},
              "source": {"fileSystemPath": {"path": "/absolute/path", "kind": "File", "format": "invalid"}}})")) ==
          "spec.metricsCollectorSpec.source.fileSystemPath.format: Required value: format of metrics file is required "
          "for metrics collector\n");
}

TEST_CASE("TestValidateMetricsCollector: Invalid metrics filer for File metrics collector when file format is JSON") {
    CHECK(check(with_collector(R"({"collector": {"kind": "File"}, "source": {"filter": {},
              "fileSystemPath": {"path": "/absolute/path", "kind": "File", "format": "JSON"}}})")) ==
          "spec.metricsCollectorSpec.source.filter: Invalid value: \"\": filter must be nil when format of metrics "
          "file is json\n");
}

TEST_CASE("TestValidateMetricsCollector: Run validator for correct File metrics collector") {
    CHECK(check(with_collector(R"({"collector": {"kind": "File"},
              "source": {"fileSystemPath": {"path": "/absolute/path", "kind": "File", "format": "JSON"}}})")) == "");
}

// ===========================================================================
// TestValidateConfigData: the katib-config lookups, against the standalone lists

TEST_CASE("TestValidateConfigData: Get metrics collector config data error") {
    json e = fake_instance();
    e["spec"]["algorithm"]["algorithmName"] = "random";
    e["spec"]["earlyStopping"]["algorithmName"] = "medianstop";
    CHECK(report(validate(e, katib_config::standalone())) == "");  // twin
    e["spec"]["metricsCollectorSpec"] = {{"collector", {{"kind", "PrometheusMetric"}}},
                                         {"source", {{"httpGet", {{"port", 8080}, {"path", "/metrics"}}}}}};
    CHECK(
        report(validate(e, katib_config::standalone())) ==
        "spec.metricsCollectorSpec.collector.kind: Invalid value: \"PrometheusMetric\": GetMetricsCollectorConfigData "
        "failed: failed to find metrics collector config for kind: PrometheusMetric in ConfigMap: katib-config\n");
}

TEST_CASE("TestValidateConfigData: Get early stopping config data error") {
    json e = fake_instance();
    e["spec"]["algorithm"]["algorithmName"] = "random";
    CHECK(report(validate(e, katib_config::standalone())) ==
          "spec.earlyStopping.algorithmName: Invalid value: \"test\": unable to get EarlyStopping config data for "
          "algorithm test: failed to find early stopping config for algorithm: test in ConfigMap: katib-config\n");
}

TEST_CASE("TestValidateConfigData: Get suggestion config data error") {
    json e = fake_instance();
    e["spec"]["earlyStopping"]["algorithmName"] = "medianstop";
    CHECK(report(validate(e, katib_config::standalone())) ==
          "spec.algorithm.algorithmName: Invalid value: \"test\": unable to get Suggestion config data for algorithm "
          "test: failed to find suggestion config for algorithm: test in ConfigMap: katib-config\n");
}

TEST_CASE("to_aggregate prints the list as the webhook response does") {
    CHECK(to_aggregate({}) == "");
    CHECK(to_aggregate({"a"}) == "a");
    CHECK(to_aggregate({"a", "b", "a"}) == "[a, b]");
}

// ===========================================================================
// Decoding: strings, not numbers (experiment_types.go, common_types.go)

TEST_CASE("decoding: feasibleSpace values and setting values are strings") {
    json e = fake_instance();
    CHECK(decode_error(e) == "");
    e["spec"]["parameters"][0]["feasibleSpace"]["min"] = 1;
    CHECK(decode_error(e) ==
          "json: cannot unmarshal number into Go struct field FeasibleSpace.spec.parameters.feasibleSpace.min of type "
          "string");
    CHECK(report(validate(e, test_config())) == decode_error(e) + "\n");  // alone, before any rule
    e = fake_instance();
    e["spec"]["parameters"][1]["feasibleSpace"]["list"] = {0.95, 0.85};
    CHECK(decode_error(e) ==
          "json: cannot unmarshal number into Go struct field FeasibleSpace.spec.parameters.feasibleSpace.list of type "
          "string");
    e = fake_instance();
    e["spec"]["algorithm"]["algorithmSettings"][0]["value"] = 0.5;
    CHECK(decode_error(e) ==
          "json: cannot unmarshal number into Go struct field AlgorithmSetting.spec.algorithm.algorithmSettings.value "
          "of type string");
    e = fake_instance();
    e["spec"]["earlyStopping"]["algorithmSettings"][0]["value"] = true;
    CHECK(decode_error(e) ==
          "json: cannot unmarshal bool into Go struct field EarlyStoppingSetting.spec.earlyStopping.algorithmSettings."
          "value of type string");
}

TEST_CASE("decoding: counts are int32, goal a float64") {
    json e = fake_instance();
    e["spec"]["maxTrialCount"] = "6";
    CHECK(decode_error(e) ==
          "json: cannot unmarshal string into Go struct field ExperimentSpec.spec.maxTrialCount of type int32");
    e["spec"]["maxTrialCount"] = 2.5;
    CHECK(decode_error(e) ==
          "json: cannot unmarshal number 2.5 into Go struct field ExperimentSpec.spec.maxTrialCount of type int32");
    e["spec"]["maxTrialCount"] = 3000000000LL;
    CHECK(decode_error(e) ==
          "json: cannot unmarshal number 3000000000 into Go struct field ExperimentSpec.spec.maxTrialCount of type "
          "int32");
    e["spec"]["maxTrialCount"] = 6;
    e["spec"]["objective"]["goal"] = "0.99";
    CHECK(decode_error(e) ==
          "json: cannot unmarshal string into Go struct field ObjectiveSpec.spec.objective.goal of type float64");
    e["spec"]["objective"]["goal"] = 1;  // twin: an integer is a float64
    CHECK(decode_error(e) == "");
}

TEST_CASE("decoding: structure") {
    json e = fake_instance();
    e["spec"]["parameters"] = {{"lr", "x"}};
    CHECK(decode_error(e) ==
          "json: cannot unmarshal object into Go struct field ExperimentSpec.spec.parameters of type "
          "[]v1beta1.ParameterSpec");
    e["spec"]["parameters"] = json::array({"lr"});
    CHECK(decode_error(e) ==
          "json: cannot unmarshal string into Go struct field ExperimentSpec.spec.parameters of type "
          "v1beta1.ParameterSpec");
    e = fake_instance();
    e["spec"]["trialTemplate"]["primaryPodLabels"] = {{"replica", 0}};
    CHECK(
        decode_error(e) ==
        "json: cannot unmarshal number into Go struct field TrialTemplate.spec.trialTemplate.primaryPodLabels of type "
        "string");
    e = fake_instance();
    e["spec"]["unknownField"] = 1;  // twin: unknown fields are ignored, not refused
    e["spec"]["parameters"][0]["feasibleSpace"]["max"] = nullptr;
    CHECK(decode_error(e) == "");
}

// ===========================================================================
// Defaulter: experiment_defaults.go

TEST_CASE("experiment_defaults.go: counts, resume policy, strategies, collector, distribution") {
    json e = fake_instance();
    e["spec"].erase("metricsCollectorSpec");
    e["spec"]["objective"]["additionalMetricNames"] = {"loss"};
    const json d = apply_defaults(e)["spec"];
    CHECK(d["parallelTrialCount"] == 3);
    CHECK(d["resumePolicy"] == "Never");
    CHECK(d["objective"]["metricStrategies"] == json::parse(R"([{"name": "testme", "value": "max"},
                                                                 {"name": "loss", "value": "max"}])"));
    CHECK(d["metricsCollectorSpec"] == json::parse(R"({"collector": {"kind": "StdOut"}})"));
    CHECK(d["parameters"][0]["feasibleSpace"]["distribution"] == "uniform");
    CHECK(d["parameters"][1]["feasibleSpace"]["distribution"] == "uniform");  // categorical too
    CHECK(d["trialTemplate"]["successCondition"] == e["spec"]["trialTemplate"]["successCondition"]);
    CHECK(!d["trialTemplate"].contains("primaryPodLabels"));  // a Job gets none
    CHECK(apply_defaults(apply_defaults(e)) == apply_defaults(e));
}

TEST_CASE("experiment_defaults.go: metric strategies follow the objective type") {
    json e = fake_instance();
    e["spec"]["objective"]["type"] = "minimize";
    e["spec"]["objective"]["additionalMetricNames"] = {"accuracy", "loss"};
    e["spec"]["objective"]["metricStrategies"] = {{{"name", "accuracy"}, {"value", "latest"}}};
    CHECK(apply_defaults(e)["spec"]["objective"]["metricStrategies"] ==
          json::parse(R"([{"name": "accuracy", "value": "latest"}, {"name": "testme", "value": "min"},
                          {"name": "loss", "value": "min"}])"));
    e["spec"]["objective"].erase("type");
    e["spec"]["objective"].erase("metricStrategies");
    CHECK(apply_defaults(e)["spec"]["objective"]["metricStrategies"][0] ==
          json::parse(R"({"name": "testme", "value": "latest"})"));
}

TEST_CASE("experiment_defaults.go: Kubeflow job kinds get conditions and primaryPodLabels, by kind only") {
    for (const char* kind : {"TFJob", "PyTorchJob", "XGBoostJob", "MPIJob"}) {
        json e = fake_instance();
        auto& t = e["spec"]["trialTemplate"];
        t.erase("successCondition");
        t.erase("failureCondition");
        t["trialSpec"] = {{"apiVersion", "kubeflow.org/v2beta1"}, {"kind", kind}};
        const json d = apply_defaults(e)["spec"]["trialTemplate"];
        CHECK(d["successCondition"] == R"(status.conditions.#(type=="Succeeded")#|#(status=="True")#)");
        CHECK(d["failureCondition"] == R"(status.conditions.#(type=="Failed")#|#(status=="True")#)");
        CHECK(d["primaryPodLabels"] == json::parse(R"({"training.kubeflow.org/job-role": "master"})"));
    }
    json e = fake_instance();  // twin: set values stay
    e["spec"]["trialTemplate"]["trialSpec"]["kind"] = "TFJob";
    e["spec"]["trialTemplate"]["primaryPodLabels"] = {{"role", "chief"}};
    CHECK(apply_defaults(e)["spec"]["trialTemplate"]["primaryPodLabels"] == json::parse(R"({"role": "chief"})"));
    e["spec"]["trialTemplate"]["trialSpec"]["kind"] = "Pipeline";  // other kinds: nothing
    e["spec"]["trialTemplate"].erase("successCondition");
    CHECK(!apply_defaults(e)["spec"]["trialTemplate"].contains("successCondition"));
}

TEST_CASE("experiment_defaults.go: collector sources") {
    json e = with_collector(R"({"collector": {"kind": "File"}})");
    CHECK(
        apply_defaults(e)["spec"]["metricsCollectorSpec"]["source"] ==
        json::parse(R"({"fileSystemPath": {"kind": "File", "path": "/var/log/katib/metrics.log", "format": "TEXT"}})"));
    e = with_collector(R"({"collector": {"kind": "TensorFlowEvent"}})");
    CHECK(apply_defaults(e)["spec"]["metricsCollectorSpec"]["source"] ==
          json::parse(R"({"fileSystemPath": {"kind": "Directory", "path": "/var/log/katib/tfevent/"}})"));
    e = with_collector(R"({"collector": {"kind": "PrometheusMetric"}})");
    CHECK(apply_defaults(e)["spec"]["metricsCollectorSpec"]["source"] ==
          json::parse(R"({"httpGet": {"path": "/metrics", "port": 8080}})"));
    CHECK(report(admission_errors(e, test_config())) == "");
}

TEST_CASE("mutate_webhook.go: the Go round trip drops unknown fields and empty omitempty values") {
    json e = fake_instance();
    e["spec"]["maxTrialCounts"] = 2;  // misspelt: gone, and the default parallel count stays 3
    e["spec"]["trialTemplate"]["retain"] = false;
    e["spec"]["resumePolicy"] = "";
    e["spec"]["parallelTrialCount"] = 0;  // a pointer: zero stays
    const json d = apply_defaults(e)["spec"];
    CHECK(!d.contains("maxTrialCounts"));
    CHECK(!d["trialTemplate"].contains("retain"));
    CHECK(d["resumePolicy"] == "Never");
    CHECK(d["parallelTrialCount"] == 0);
    CHECK(d["trialTemplate"]["trialSpec"] == e["spec"]["trialTemplate"]["trialSpec"]);  // unstructured: kept whole
    CHECK(report(admission_errors(e, test_config())) ==
          "spec.parallelTrialCount: Invalid value: 0: must be greater than 0\n");
}

// ===========================================================================
// After admission: the experiment controller, the pod webhook (pod/inject_webhook.go)

namespace {

json tfjob_experiment(const char* replicas) {
    json e = fake_instance();
    auto& t = e["spec"]["trialTemplate"];
    t.erase("successCondition");
    t.erase("failureCondition");
    t["trialSpec"] = {
        {"apiVersion", "kubeflow.org/v1"}, {"kind", "TFJob"}, {"spec", {{"tfReplicaSpecs", json::parse(replicas)}}}};
    return e;
}

const char* tf_container = R"({"template": {"spec": {"containers": [{"name": "training-container", "image": "x",
    "command": ["--lr=${trialParameters.learningRate}", "--momentum=${trialParameters.momentum}"]}]}}})";

json mpijob_experiment() {
    json e = fake_instance();
    auto& t = e["spec"]["trialTemplate"];
    t.erase("successCondition");
    t.erase("failureCondition");
    t["primaryContainerName"] = "mpi-launcher";
    t["trialSpec"] = json::parse(R"({"apiVersion": "kubeflow.org/v2beta1", "kind": "MPIJob", "spec": {
        "mpiReplicaSpecs": {
            "Launcher": {"replicas": 1, "template": {"spec": {"containers": [{"name": "mpi-launcher", "image": "x",
                "command": ["mpirun", "python", "--lr=${trialParameters.learningRate}",
                            "--momentum=${trialParameters.momentum}"]}]}}},
            "Worker": {"replicas": 2, "template": {"spec": {"containers": [{"name": "worker", "image": "x"}]}}}}}})");
    return e;
}

}  // namespace

TEST_CASE("after admission: a Job trial") {
    const katib_config cfg = katib_config::standalone();
    json e = fake_instance();
    CHECK(report(check_after_admission(e, cfg)) == "");
    e["spec"]["trialTemplate"]["primaryContainerName"] = "trainer";  // every pod of a Job is primary
    CHECK(report(admission_errors(e, test_config())) == "");
    CHECK(report(check_after_admission(e, cfg)) ==
          "spec.trialTemplate.primaryContainerName: \"trainer\" is not a container of the primary pod Job pod "
          "[training-container]: the Katib pod webhook refuses the pod (unable to find primary container in mutated "
          "pod containers)\n");
}

TEST_CASE("after admission: every parameter is referenced by exactly one trial parameter") {
    json e = fake_instance();
    e["spec"]["parameters"].push_back(
        {{"name", "batch"}, {"parameterType", "discrete"}, {"feasibleSpace", {{"list", {"32", "64"}}}}});
    CHECK(report(admission_errors(e, test_config())) == "");
    CHECK(report(check_after_admission(e, katib_config::standalone())) ==
          "spec.parameters[2]: parameter \"batch\" is the reference of 0 spec.trialTemplate.trialParameters, not 1: "
          "trials are not created (unable to find parameter from ParameterAssignment in TrialParameters)\n");
}

TEST_CASE("after admission: TFJob primary pod is Chief or Master, else Worker 0") {
    const katib_config cfg = katib_config::standalone();
    json e =
        tfjob_experiment((std::string(R"({"PS": {"replicas": 1, "template": {"spec": {"containers": [{"name": "ps"}]}}},
                                             "Worker": )") +
                          tf_container + "}")
                             .c_str());
    CHECK(report(check_after_admission(e, cfg)) == "");  // Worker 0 is job-role master
    e = tfjob_experiment((std::string(R"({"Chief": {"template": {"spec": {"containers": [{"name": "chief"}]}}},
                                        "Worker": )") +
                          tf_container + "}")
                             .c_str());
    CHECK(report(admission_errors(e, test_config())) == "");
    CHECK(report(check_after_admission(e, cfg)) ==
          "spec.trialTemplate.primaryContainerName: \"training-container\" is not a container of the primary pod "
          "TFJob replica Chief[0] [chief]: the Katib pod webhook refuses the pod (unable to find primary container in "
          "mutated pod containers)\n");
}

TEST_CASE("after admission: MPIJob v2beta1 labels its launcher job-role launcher") {
    json e = mpijob_experiment();
    CHECK(report(admission_errors(e, test_config())) == "");
    const std::string errors = report(check_after_admission(e, katib_config::standalone()));
    CHECK(errors.find("spec.trialTemplate.trialSpec: MPIJob.v2beta1.kubeflow.org is not in katib-config "
                      "init.controller.trialResources [") == 0);
    CHECK(errors.find("spec.trialTemplate.primaryPodLabels: {training.kubeflow.org/job-role: master} select no pod of "
                      "the MPIJob (MPIJob replica Launcher[0] {training.kubeflow.org/job-role: launcher, "
                      "training.kubeflow.org/operator-name: mpi-operator}, MPIJob replica Worker[0] ") !=
          std::string::npos);
    CHECK(errors.find("every trial ends MetricsUnavailable\n") != std::string::npos);
    // twin: the launcher's label, and MPIJob.v2beta1 listed
    e["spec"]["trialTemplate"]["primaryPodLabels"] = {{"training.kubeflow.org/job-role", "launcher"}};
    const katib_config cfg = katib_config::standalone().with_mpijob_v2beta1();
    CHECK(report(check_after_admission(e, cfg)) == "");
    e["spec"]["trialTemplate"]["primaryContainerName"] = "worker";  // the container is the launcher's
    CHECK(report(check_after_admission(e, cfg)) ==
          "spec.trialTemplate.primaryContainerName: \"worker\" is not a container of the primary pod MPIJob replica "
          "Launcher[0] [mpi-launcher]: the Katib pod webhook refuses the pod (unable to find primary container in "
          "mutated pod containers)\n");
}

TEST_CASE("after admission: trial resources of katib-standalone") {
    const katib_config cfg = katib_config::standalone();
    CHECK(cfg.trial_resources.count("TFJob.v1.kubeflow.org") == 1);
    CHECK(cfg.trial_resources.count("MPIJob.v2beta1.kubeflow.org") == 0);
    CHECK(cfg.with_mpijob_v2beta1().trial_resources.count("MPIJob.v2beta1.kubeflow.org") == 1);
    CHECK(cfg.collectors.count("PrometheusMetric") == 0);
    json e = fake_instance();
    e["spec"]["trialTemplate"]["trialSpec"]["apiVersion"] = "batch/v2";
    CHECK(report(check_after_admission(e, cfg)).find("spec.trialTemplate.trialSpec: Job.v2.batch is not in") == 0);
}
