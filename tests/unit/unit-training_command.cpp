// The run's steps: the training argv, the ONNX export step (tf2onnx) after
// it, their shell line, and the onnx_export key of the JSON spec (round
// trip, defaults, every rule with its JSON path).

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include <trainspec/job.hpp>
#include <trainspec/render/training_command.hpp>
#include <trainspec/spec_json.hpp>

using namespace trainspec;

namespace {

using argv_t = std::vector<std::string>;

std::string doc(const std::string& extra = "") {
    return R"({"source_directory": "src", "entry_script": "train.py", "compute_target": "gpu-cluster")" +
           (extra.empty() ? std::string() : ", " + extra) + "}";
}

bool has_problem(const problems& found, std::string_view path, std::string_view text) {
    for (const auto& p : found)
        if (p.path == path && p.rule.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("training_command: the training step is python, the entry script and its parameters") {
    const auto job = load_job(doc(R"("script_params": {"--epochs": 5, "--data dir": "a b", "--flag": ""})"));
    const auto steps = training_command(job);
    REQUIRE(steps.size() == 1);
    CHECK(steps[0] == argv_t{"python", "train.py", "--epochs", "5", "--data dir", "a b", "--flag"});
    CHECK(training_shell_command(job) == "python train.py --epochs 5 '--data dir' 'a b' --flag");
}

TEST_CASE("training_command: the ONNX export step, exactly") {
    SUBCASE("defaults") {
        const auto job = load_job(doc(R"("onnx_export": {})"));
        const auto steps = training_command(job);
        REQUIRE(steps.size() == 2);
        CHECK(steps[0] == argv_t{"python", "train.py"});
        CHECK(steps[1] == argv_t{"python", "-m", "tf2onnx.convert", "--saved-model", "outputs/model", "--output",
                                 "outputs/model.onnx", "--opset", "13"});
        CHECK(training_shell_command(job) ==
              "python train.py && python -m tf2onnx.convert --saved-model outputs/model --output outputs/model.onnx "
              "--opset 13");
    }
    SUBCASE("given values, quoted in the shell line only") {
        const auto job =
            load_job(doc(R"("onnx_export": {"saved_model": "out/my model", "output": "out/m.onnx", "opset": 17})"));
        const auto steps = training_command(job);
        REQUIRE(steps.size() == 2);
        CHECK(steps[1] == argv_t{"python", "-m", "tf2onnx.convert", "--saved-model", "out/my model", "--output",
                                 "out/m.onnx", "--opset", "17"});
        CHECK(training_shell_command(job) ==
              "python train.py && python -m tf2onnx.convert --saved-model 'out/my model' --output out/m.onnx "
              "--opset 17");
    }
    SUBCASE("typed job") {
        job_spec s;
        s.source_directory = "src";
        s.entry_script = "train.py";
        s.target = compute_target("gpu-cluster");
        s.onnx_export = onnx_export_settings{};
        s.onnx_export->opset = 15;
        const auto job = make_job_as<single_node>(s);
        CHECK(training_command(job).back().back() == "15");
    }
}

TEST_CASE("onnx_export: round trip through JSON") {
    job_spec s;
    s.source_directory = "src";
    s.entry_script = "train.py";
    s.target = compute_target("gpu-cluster");
    s.onnx_export = onnx_export_settings{};
    s.onnx_export->saved_model = "outputs/model";
    s.onnx_export->output = "outputs/model.onnx";
    s.onnx_export->opset = 13;
    const auto text = dump_spec(s);
    CHECK(text.find(R"("onnx_export": {
    "saved_model": "outputs/model",
    "output": "outputs/model.onnx",
    "opset": 13
  })") != std::string::npos);
    problems none;
    CHECK(read_spec(text, none) == s);
    CHECK(none.empty());

    job_spec empty = s;
    empty.onnx_export = onnx_export_settings{};
    CHECK(read_spec(dump_spec(empty), none) == empty);
    CHECK(to_json(empty)["onnx_export"].dump() == "{}");
}

TEST_CASE("onnx_export: rules and JSON paths") {
    CHECK(check_spec(doc(R"("onnx_export": {"saved_model": "m", "output": "m.onnx", "opset": 9})")).empty());
    CHECK(check_spec(doc(R"("onnx_export": {"opset": 18})")).empty());
    CHECK(has_problem(check_spec(doc(R"("onnx_export": {"opset": 8})")), "onnx_export.opset",
                      "must be an ONNX opset from 9 to 18"));
    CHECK(has_problem(check_spec(doc(R"("onnx_export": {"opset": 19})")), "onnx_export.opset", "from 9 to 18"));
    CHECK(has_problem(check_spec(doc(R"("onnx_export": {"opset": "13"})")), "onnx_export.opset", "must be an integer"));
    CHECK(has_problem(check_spec(doc(R"("onnx_export": {"opset": 13.5})")), "onnx_export.opset", "must be an integer"));
    CHECK(has_problem(check_spec(doc(R"("onnx_export": {"saved_model": "/abs/model"})")), "onnx_export.saved_model",
                      "must be relative"));
    CHECK(has_problem(check_spec(doc(R"("onnx_export": {"output": "../m.onnx"})")), "onnx_export.output", "no '..'"));
    CHECK(has_problem(check_spec(doc(R"("onnx_export": {"output": ""})")), "onnx_export.output", "must not be empty"));
    CHECK(has_problem(check_spec(doc(R"("onnx_export": {"saved_model": "m", "output": "m"})")), "onnx_export.output",
                      "must differ"));
    CHECK(has_problem(check_spec(doc(R"("onnx_export": {"output": 3})")), "onnx_export.output", "must be a string"));
    CHECK(has_problem(check_spec(doc(R"("onnx_export": {"opsett": 13})")), "onnx_export.opsett",
                      "did you mean \"opset\"?"));
    CHECK(has_problem(check_spec(doc(R"("onnx_export": true)")), "onnx_export", "must be an object"));
    CHECK(has_problem(check_spec(doc(R"("onnx_exprt": {})")), "onnx_exprt", "did you mean \"onnx_export\"?"));
}
