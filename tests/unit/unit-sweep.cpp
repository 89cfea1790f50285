// The spec's sweep object: reading and writing, the rules (HyperDrive's and
// Azure ML v2's, docs/sweeps.md), and the expansion into trials.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include <trainspec/detail/sweep_random.hpp>
#include <trainspec/trainspec.hpp>

using namespace trainspec;

namespace {

/// A valid job around `sweep` (a JSON object's text).
std::string spec_with(const std::string& sweep, const std::string& script_params = R"({"--epochs": 5})") {
    return R"({"apiVersion": "trainspec/v1", "name": "sweep", "source_directory": "src", "entry_script": "train.py",
               "compute_target": "gpu-cluster", "script_params": )" +
           script_params + R"(, "sweep": )" + sweep + "}";
}

const std::string objective = R"("objective": {"primary_metric": "accuracy", "goal": "maximize"})";

std::string sweep_of(const std::string& sampling, const std::string& space, int trials = 20,
                     const std::string& extra = "") {
    return "{\"sampling_algorithm\": " + sampling + ", \"search_space\": " + space + ", " + objective +
           ", \"limits\": {\"max_total_trials\": " + std::to_string(trials) + "}" + extra + "}";
}

/// Every problem as `path: rule`, reading then validating.
std::vector<std::string> problems_of(const std::string& text) {
    std::vector<std::string> out;
    for (const auto& p : check_spec(text)) out.push_back(p.path + ": " + p.rule);
    return out;
}

bool has_problem(const std::string& text, const std::string& path, const std::string& rule_part) {
    for (const auto& p : check_spec(text))
        if (p.path == path && p.rule.find(rule_part) != std::string::npos) return true;
    return false;
}

job_spec read(const std::string& text) {
    problems found;
    auto s = read_spec(text, found);
    REQUIRE(found.empty());
    return s;
}

double number(const param_value& v) {
    if (const auto* d = std::get_if<double>(&v.get())) return *d;
    if (const auto* i = std::get_if<std::int64_t>(&v.get())) return static_cast<double>(*i);
    FAIL("not a number");
    return 0;
}

}  // namespace

TEST_CASE("SplitMix64: the reference outputs for seed 1234567") {
    // The first outputs of Vigna's splitmix64.c seeded with 1234567.
    std::uint64_t state = 1234567;
    const std::uint64_t expected[] = {6457827717110365317ULL, 3203168211198807973ULL, 9817491932198370423ULL,
                                      4593380528125082431ULL, 16408922859458223821ULL};
    for (auto value : expected) CHECK(detail::splitmix64_mix(state += detail::splitmix64_gamma) == value);
}

TEST_CASE("a sweep reads and writes back the same") {
    const auto text = spec_with(R"({"sampling_algorithm": {"type": "random", "seed": 42, "rule": "random"},
        "search_space": {"--lr": {"type": "loguniform", "min_value": -6, "max_value": -1},
                         "--batch-size": {"type": "choice", "values": [32, 64, 128]},
                         "--dropout": {"type": "quniform", "min_value": 0.1, "max_value": 0.5, "q": 0.05},
                         "--layers": {"type": "randint", "upper": 4},
                         "--noise": {"type": "qlognormal", "mu": 0, "sigma": 1, "q": 0.1},
                         "--act": {"type": "choice", "values": ["relu", "tanh", true]}},
        "objective": {"primary_metric": "accuracy", "goal": "maximize"},
        "limits": {"max_total_trials": 20, "max_concurrent_trials": 4, "timeout": 7200, "trial_timeout": 1800},
        "early_termination": {"type": "bandit", "slack_factor": 0.1, "evaluation_interval": 1, "delay_evaluation": 5}})");
    CHECK(problems_of(text).empty());
    const auto s = read(text);
    REQUIRE(s.sweep);
    CHECK(s.sweep->search_space.size() == 6);
    CHECK(s.sweep->search_space[1].name == "--batch-size");  // the user's order
    CHECK(read(dump_spec(s)) == s);
    // A sampling of a type only is written as its name.
    auto grid = s;
    grid.sweep->sampling = sampling_algorithm{sampling_kind::grid, std::nullopt, std::nullopt};
    CHECK(to_json(grid)["sweep"]["sampling_algorithm"] == "grid");
    CHECK(read(dump_spec(grid)) == grid);
}

TEST_CASE("the sweep's rules name the path") {
    SUBCASE("required parts") {
        const auto text = spec_with(R"({"search_space": {}})");
        CHECK(has_problem(text, "sweep.sampling_algorithm", "is required"));
        CHECK(has_problem(text, "sweep.search_space", "at least one parameter"));
        CHECK(has_problem(text, "sweep.objective", "is required"));
        CHECK(has_problem(text, "sweep.limits.max_total_trials", "is required"));
    }
    SUBCASE("grid takes choice only; bayesian choice, uniform, quniform and no early termination") {
        CHECK(has_problem(
            spec_with(sweep_of("\"grid\"", R"({"--lr": {"type": "uniform", "min_value": 0, "max_value": 1}})")),
            "sweep.search_space[\"--lr\"].type", "grid sampling takes choice only"));
        CHECK(has_problem(spec_with(sweep_of("\"grid\"", R"({"--n": {"type": "randint", "upper": 3}})")),
                          "sweep.search_space[\"--n\"].type", "grid sampling takes choice only"));
        CHECK(problems_of(spec_with(sweep_of("\"grid\"", R"({"--n": {"type": "choice", "values": [1, 2]}})"))).empty());
        CHECK(has_problem(spec_with(sweep_of("\"bayesian\"",
                                             R"({"--lr": {"type": "loguniform", "min_value": -3, "max_value": -1}})")),
                          "sweep.search_space[\"--lr\"].type",
                          "bayesian sampling takes choice, uniform and quniform only"));
        CHECK(has_problem(
            spec_with(sweep_of("\"bayesian\"", R"({"--lr": {"type": "uniform", "min_value": 0, "max_value": 1}})", 20,
                               R"(, "early_termination": {"type": "median_stopping"})")),
            "sweep.early_termination", "bayesian sampling does not support early termination"));
        CHECK(problems_of(
                  spec_with(sweep_of("\"bayesian\"",
                                     R"({"--lr": {"type": "quniform", "min_value": 0, "max_value": 1, "q": 0.1}})")))
                  .empty());
    }
    SUBCASE("each expression takes its own members") {
        CHECK(has_problem(spec_with(sweep_of("\"random\"", R"({"--lr": {"type": "uniform", "min_value": 0}})")),
                          "sweep.search_space[\"--lr\"].max_value", "is required for uniform"));
        CHECK(
            has_problem(spec_with(sweep_of("\"random\"",
                                           R"({"--lr": {"type": "uniform", "min_value": 0, "max_value": 1, "q": 1}})")),
                        "sweep.search_space[\"--lr\"].q", "does not apply to uniform"));
        CHECK(has_problem(
            spec_with(sweep_of("\"random\"", R"({"--lr": {"type": "uniform", "min_value": 1, "max_value": 1}})")),
            "sweep.search_space[\"--lr\"].max_value", "must be greater than min_value"));
        CHECK(has_problem(spec_with(sweep_of("\"random\"", R"({"--n": {"type": "randint", "upper": 0}})")),
                          "sweep.search_space[\"--n\"].upper", "must be at least 1"));
        CHECK(has_problem(spec_with(sweep_of("\"random\"", R"({"--x": {"type": "normal", "mu": 0, "sigma": 0}})")),
                          "sweep.search_space[\"--x\"].sigma", "must be greater than 0"));
        CHECK(has_problem(
            spec_with(sweep_of("\"random\"", R"({"--x": {"type": "qnormal", "mu": 0, "sigma": 1, "q": -1}})")),
            "sweep.search_space[\"--x\"].q", "must be greater than 0"));
        CHECK(has_problem(spec_with(sweep_of("\"random\"", R"({"--x": {"type": "choice", "values": []}})")),
                          "sweep.search_space[\"--x\"].values", "is required for choice"));
        CHECK(has_problem(spec_with(sweep_of("\"random\"", R"({"--x": {"type": "gaussian"}})")),
                          "sweep.search_space[\"--x\"].type", "unknown type"));
        CHECK(has_problem(spec_with(sweep_of("\"random\"", R"({"--x": {"type": "choice", "values": [[1]]}})")),
                          "sweep.search_space[\"--x\"].values[0]", "lists do not nest"));
    }
    SUBCASE("a parameter is fixed or swept, not both; names and values are data") {
        CHECK(has_problem(spec_with(sweep_of("\"random\"", R"({"--epochs": {"type": "randint", "upper": 3}})")),
                          "sweep.search_space[\"--epochs\"]", "is also in script_params"));
        CHECK(has_problem(spec_with(sweep_of("\"random\"", R"({"": {"type": "randint", "upper": 3}})")),
                          "sweep.search_space[\"\"]", "must not be empty"));
        CHECK(has_problem(spec_with(sweep_of("\"random\"", R"({"--a\u0000b": {"type": "randint", "upper": 3}})")),
                          "sweep.search_space[\"--a\\u0000b\"]", "must not contain NUL"));
        CHECK(has_problem(spec_with(sweep_of("\"random\"", R"({"--x": {"type": "choice", "values": ["a\u0000"]}})")),
                          "sweep.search_space[\"--x\"].values[0]", "must not contain NUL"));
        // A hostile value stays an argument of its own.
        const auto s =
            read(spec_with(sweep_of("\"grid\"", R"({"--x": {"type": "choice", "values": ["$(rm -rf ~); --evil"]}})")));
        CHECK(to_argv(sweep_trials(s).trial(0)) == std::vector<std::string>{"--x", "$(rm -rf ~); --evil"});
    }
    SUBCASE("limits and seeds in range") {
        CHECK(has_problem(spec_with(sweep_of("\"random\"", R"({"--n": {"type": "randint", "upper": 3}})", 0)),
                          "sweep.limits.max_total_trials", "must be from 1 to 1000000"));
        CHECK(has_problem(spec_with(sweep_of("\"random\"", R"({"--n": {"type": "randint", "upper": 3}})", 1000001)),
                          "sweep.limits.max_total_trials", "must be from 1 to 1000000"));
        const auto limits = [](const std::string& l) {
            return spec_with(
                R"({"sampling_algorithm": "random", "search_space": {"--n": {"type": "randint", "upper": 3}}, )" +
                objective + ", \"limits\": " + l + "}");
        };
        CHECK(has_problem(limits(R"({"max_total_trials": 4, "max_concurrent_trials": 5})"),
                          "sweep.limits.max_concurrent_trials", "must be at most max_total_trials (4)"));
        CHECK(has_problem(limits(R"({"max_total_trials": 4, "timeout": 60, "trial_timeout": 61})"),
                          "sweep.limits.trial_timeout", "must be at most timeout (60)"));
        CHECK(
            has_problem(limits(R"({"max_total_trials": 4, "timeout": 0})"), "sweep.limits.timeout", "must be from 1"));
        CHECK(has_problem(
            spec_with(sweep_of(R"({"type": "random", "seed": -1})", R"({"--n": {"type": "randint", "upper": 3}})")),
            "sweep.sampling_algorithm.seed", "must be from 0 to 4294967295"));
        CHECK(has_problem(
            spec_with(sweep_of(R"({"type": "grid", "seed": 1})", R"({"--n": {"type": "choice", "values": [1]}})")),
            "sweep.sampling_algorithm.seed", "applies to random sampling only"));
    }
    SUBCASE("a parameter swept twice (a spec built in code; JSON refuses the duplicate key)") {
        auto s = read(spec_with(sweep_of("\"random\"", R"({"--n": {"type": "randint", "upper": 3}})")));
        REQUIRE(validate(s).empty());
        s.sweep->search_space.push_back(s.sweep->search_space[0]);
        const auto found = validate(s);
        REQUIRE(found.size() == 1);
        CHECK(found[0].path == "sweep.search_space[\"--n\"]");
        CHECK(found[0].rule == "is swept twice; a parameter has one search expression");
        CHECK(has_problem(spec_with(sweep_of("\"random\"", R"({"--n": {"type": "randint", "upper": 3},
                                                                  "--n": {"type": "randint", "upper": 4}})")),
                          "sweep.search_space[\"--n\"]", "duplicate key"));
    }
    SUBCASE("early termination policies") {
        const auto policy = [](const std::string& p) {
            return spec_with(sweep_of("\"random\"", R"({"--n": {"type": "randint", "upper": 3}})", 20,
                                      ", \"early_termination\": " + p));
        };
        CHECK(has_problem(policy(R"({"type": "bandit"})"), "sweep.early_termination",
                          "one of slack_factor and slack_amount"));
        CHECK(has_problem(policy(R"({"type": "bandit", "slack_factor": 0.1, "slack_amount": 0.2})"),
                          "sweep.early_termination", "one of slack_factor and slack_amount"));
        CHECK(has_problem(policy(R"({"type": "bandit", "slack_factor": 0})"), "sweep.early_termination.slack_factor",
                          "must be greater than 0"));
        CHECK(has_problem(policy(R"({"type": "truncation_selection"})"),
                          "sweep.early_termination.truncation_percentage", "is required for truncation_selection"));
        CHECK(has_problem(policy(R"({"type": "truncation_selection", "truncation_percentage": 100})"),
                          "sweep.early_termination.truncation_percentage", "must be from 1 to 99"));
        CHECK(has_problem(policy(R"({"type": "median_stopping", "slack_factor": 0.1})"),
                          "sweep.early_termination.slack_factor", "does not apply to median_stopping"));
        CHECK(has_problem(policy(R"({"type": "median_stopping", "evaluation_interval": 0})"),
                          "sweep.early_termination.evaluation_interval", "must be at least 1"));
        CHECK(
            problems_of(
                policy(
                    R"({"type": "truncation_selection", "truncation_percentage": 20, "exclude_finished_jobs": true})"))
                .empty());
    }
}

TEST_CASE("grid trials: spec order, the last parameter fastest, capped at max_total_trials") {
    const auto s = read(spec_with(sweep_of("\"grid\"", R"({"--a": {"type": "choice", "values": [1, 2, 3]},
                                                           "--b": {"type": "choice", "values": ["x", "y"]}})")));
    const sweep_trials trials(s);
    REQUIRE(trials.size() == 6);
    std::vector<std::vector<std::string>> seen;
    for (std::int64_t i = 0; i < trials.size(); ++i) seen.push_back(to_argv(trials.trial(i)));
    const std::vector<std::vector<std::string>> expected = {{"--a", "1", "--b", "x"}, {"--a", "1", "--b", "y"},
                                                            {"--a", "2", "--b", "x"}, {"--a", "2", "--b", "y"},
                                                            {"--a", "3", "--b", "x"}, {"--a", "3", "--b", "y"}};
    CHECK(seen == expected);
    CHECK_THROWS_AS(trials.trial(6), std::out_of_range);
    CHECK_THROWS_AS(trials.trial(-1), std::out_of_range);

    const auto capped = read(spec_with(sweep_of("\"grid\"", R"({"--a": {"type": "choice", "values": [1, 2, 3]},
                                                              "--b": {"type": "choice", "values": ["x", "y"]}})",
                                                4)));
    CHECK(sweep_trials(capped).size() == 4);
    CHECK(to_argv(sweep_trials(capped).trial(3)) == expected[3]);

    // A grid of 20^6 = 64 million combinations capped at a million: no product overflows.
    std::string space = "{";
    for (int p = 0; p < 6; ++p) {
        space +=
            (p ? ", " : "") + std::string("\"--p") + std::to_string(p) + "\": {\"type\": \"choice\", \"values\": [";
        for (int v = 0; v < 20; ++v) space += (v ? ", " : "") + std::to_string(v);
        space += "]}";
    }
    space += "}";
    const sweep_trials big(read(spec_with(sweep_of("\"grid\"", space, max_sweep_trials))));
    CHECK(big.size() == max_sweep_trials);
    // Trial 999,999 = 6 * 20^4 + 4 * 20^3 + 19 * 20^2 + 19 * 20 + 19 (mixed radix, last fastest).
    CHECK(to_argv(big.trial(999'999)) ==
          std::vector<std::string>{"--p0", "0", "--p1", "6", "--p2", "4", "--p3", "19", "--p4", "19", "--p5", "19"});
}

TEST_CASE("random trials: within bounds, the same on every run, any trial alone") {
    const auto s = read(spec_with(sweep_of(R"({"type": "random", "seed": 7})",
                                           R"({"--u": {"type": "uniform", "min_value": -2, "max_value": 3},
                                               "--qu": {"type": "quniform", "min_value": 0, "max_value": 10, "q": 0.25},
                                               "--lu": {"type": "loguniform", "min_value": -6, "max_value": -1},
                                               "--qlu": {"type": "qloguniform", "min_value": 0, "max_value": 3, "q": 2},
                                               "--r": {"type": "randint", "upper": 5},
                                               "--c": {"type": "choice", "values": ["a", "b", "c"]},
                                               "--n": {"type": "normal", "mu": 10, "sigma": 2},
                                               "--qn": {"type": "qnormal", "mu": 0, "sigma": 1, "q": 0.5},
                                               "--ln": {"type": "lognormal", "mu": 0, "sigma": 0.5}})",
                                           20000)));
    const sweep_trials trials(s);
    REQUIRE(trials.size() == 20000);
    std::map<std::string, std::vector<double>> drawn;
    std::set<std::int64_t> randints;
    std::map<std::string, int> choices;
    for (std::int64_t i = 0; i < trials.size(); ++i) {
        const auto values = trials.trial(i);
        REQUIRE(values.size() == 9);
        for (const auto& v : values) {
            if (v.key == "--c") {
                ++choices[std::get<std::string>(v.value.get())];
                continue;
            }
            if (v.key == "--r") randints.insert(std::get<std::int64_t>(v.value.get()));
            drawn[v.key].push_back(number(v.value));
        }
    }
    auto all = [&](const std::string& key, auto property) {
        return std::all_of(drawn[key].begin(), drawn[key].end(), property);
    };
    CHECK(all("--u", [](double x) { return x >= -2 && x < 3; }));
    CHECK(all("--qu", [](double x) { return x >= 0 && x <= 10 && std::nearbyint(x / 0.25) * 0.25 == x; }));
    CHECK(all("--lu", [](double x) { return x >= std::exp(-6.0) && x <= std::exp(-1.0); }));
    CHECK(all("--qlu", [](double x) { return std::nearbyint(x / 2) * 2 == x && x >= 0 && x <= 20; }));
    CHECK(all("--qn", [](double x) { return std::nearbyint(x / 0.5) * 0.5 == x; }));
    CHECK(all("--ln", [](double x) { return x > 0; }));
    // randint excludes its upper bound and reaches every value below it.
    CHECK(randints == std::set<std::int64_t>{0, 1, 2, 3, 4});
    for (const auto& c : {"a", "b", "c"}) CHECK(std::abs(choices[c] - 20000 / 3) < 400);  // > 6 standard deviations
    // N(10, 2): the mean within 5 standard errors, the deviation within 5%.
    double sum = 0, squares = 0;
    for (double x : drawn["--n"]) sum += x, squares += x * x;
    const double mean = sum / 20000, sd = std::sqrt(squares / 20000 - mean * mean);
    CHECK(std::abs(mean - 10) < 5 * 2 / std::sqrt(20000.0));
    CHECK(std::abs(sd - 2) < 0.1);
    // Uniform: the mean of U[-2, 3) within 5 standard errors of 0.5.
    double u_sum = 0;
    for (double x : drawn["--u"]) u_sum += x;
    CHECK(std::abs(u_sum / 20000 - 0.5) < 5 * (5 / std::sqrt(12.0)) / std::sqrt(20000.0));

    // The same spec gives the same trials; trial 12345 computed alone equals itself in the sequence.
    CHECK(sweep_trials(s).trial(12345) == trials.trial(12345));
    // Another seed, other trials; no seed is seed 0.
    auto other = s;
    other.sweep->sampling->seed = 8;
    CHECK_FALSE(sweep_trials(other).trial(0) == trials.trial(0));
    auto unseeded = s, zero = s;
    unseeded.sweep->sampling->seed.reset();
    zero.sweep->sampling->seed = 0;
    CHECK(sweep_trials(unseeded).trial(3) == sweep_trials(zero).trial(3));
}

TEST_CASE("every value an expression can draw is a finite number, or the spec is refused") {
    // The entry script gets each draw as an argument, which must be a finite
    // number: each pair is one inside the bound and one past it.
    auto draws = [](const std::string& expression) {
        return spec_with(sweep_of(R"({"type": "random", "seed": 42})", R"({"--x": )" + expression + "}", 200));
    };
    const std::string at = "sweep.search_space[\"--x\"]";
    struct bounded {
        std::string within, past, shown;
    };
    for (const auto& c : std::vector<bounded>{
             // (max - min) * u must not overflow.
             {R"({"type": "uniform", "min_value": -8e307, "max_value": 8e307})",
              R"({"type": "uniform", "min_value": -1e308, "max_value": 1e308})", "draws values from NaN to Infinity"},
             // exp(max_value): exp(709) is finite, exp(710) is not.
             {R"({"type": "loguniform", "min_value": 0, "max_value": 709})",
              R"({"type": "loguniform", "min_value": 0, "max_value": 710})",
              "draws values from 1.0 to Infinity: every draw must be a finite number, the entry script's argument "
              "(docs/sweeps.md); min_value and max_value are exponents"},
             // x / q overflows for a q too small.
             {R"({"type": "quniform", "min_value": 0, "max_value": 1, "q": 1e-300})",
              R"({"type": "quniform", "min_value": 0, "max_value": 1, "q": 5e-324})", "to Infinity"},
             // N(mu, sigma) stays within mu +- 12.01 sigma.
             {R"({"type": "normal", "mu": 0, "sigma": 1e307})", R"({"type": "normal", "mu": 0, "sigma": 1e308})",
              "draws values from -Infinity to Infinity"},
             // exp(12.01 * 59) = exp(708.6) is finite; exp(12.01 * 60) is not.
             {R"({"type": "lognormal", "mu": 0, "sigma": 59})", R"({"type": "lognormal", "mu": 0, "sigma": 60})",
              "to Infinity"},
             // What a fuzzer found: every trial of this sweep had the argument inf.
             {R"({"type": "qlognormal", "mu": 1, "sigma": 0.3, "q": 0.5})",
              R"({"type": "qlognormal", "mu": 12147483648, "sigma": 0.3, "q": 0.5})",
              "draws values from "
              "Infinity to Infinity"},
         }) {
        CAPTURE(c.within);
        CHECK(problems_of(draws(c.within)).empty());
        const auto spec = read(draws(c.within));
        for (std::int64_t t = 0; t < sweep_trials(spec).size(); ++t) CHECK(validate(trial_spec(spec, t)).empty());
        CAPTURE(c.past);
        CHECK(has_problem(draws(c.past), at, c.shown));
    }
}

TEST_CASE("the normal draws' bound: the smallest s the polar method sees gives the largest |z|") {
    // u and v are multiples of 2^-52; s = u*u + v*v is smallest at u = 2^-52,
    // v = 0, where |z| = |u| sqrt(-2 ln s / s) = sqrt(208 ln 2).
    const double u = 0x1.0p-52, s = u * u;
    const double z = u * std::sqrt(-2 * std::log(s) / s);
    CHECK(z == doctest::Approx(std::sqrt(208 * std::log(2.0))));
    CHECK(z < detail::max_standard_normal);
    CHECK(detail::max_standard_normal - z < 0.01);
}

TEST_CASE("trial_spec: the job of one trial, valid, without the sweep") {
    const auto s = read(spec_with(sweep_of("\"grid\"", R"({"--lr": {"type": "choice", "values": [0.1, 0.01]}})")));
    const auto one = trial_spec(s, 1);
    CHECK_FALSE(one.sweep);
    CHECK(to_argv(one.params) == std::vector<std::string>{"--epochs", "5", "--lr", "0.01"});
    CHECK(validate(one).empty());
    CHECK_THROWS_AS(trial_spec(s, 2), std::out_of_range);
}

TEST_CASE("what cannot be expanded says why") {
    const auto bayesian =
        read(spec_with(sweep_of("\"bayesian\"", R"({"--lr": {"type": "uniform", "min_value": 0, "max_value": 1}})")));
    CHECK_THROWS_WITH_AS(sweep_trials{bayesian}, doctest::Contains("bayesian sampling cannot be expanded locally"),
                         validation_error);
    auto none = bayesian;
    none.sweep.reset();
    CHECK_THROWS_WITH_AS(sweep_trials{none}, doctest::Contains("the spec has no sweep"), validation_error);
    auto invalid = bayesian;
    invalid.sweep->limits->max_total_trials = 0;
    CHECK_THROWS_AS(sweep_trials{invalid}, validation_error);
}

TEST_CASE("a sweep's Slurm script is a job array: one task a trial, its values from a table") {
    const auto s = read(spec_with(sweep_of("\"grid\"", R"({"--lr": {"type": "choice", "values": [0.1, "two words"]},
                                                          "--flag": {"type": "choice", "values": ["", "it's"]}})",
                                           3)));
    auto job_spec_with_limits = s;
    job_spec_with_limits.sweep->termination.reset();
    job_spec_with_limits.sweep->limits = sweep_limits{3, 2, std::nullopt, 90};
    const auto script = sbatch_script(plan(make_job_as<single_node>(job_spec_with_limits)));
    CHECK(script.find("#SBATCH --array=0-2%2\n") != std::string::npos);
    CHECK(script.find("#SBATCH --output=sweep-%A_%a.out\n") != std::string::npos);
    CHECK(script.find("#SBATCH --time=0-00:02:00\n") != std::string::npos);  // trial_timeout, rounded up to minutes
    CHECK(script.find("    0) trainspec_trial_0=0.1 trainspec_trial_1='' ;;\n"
                      "    1) trainspec_trial_0=0.1 trainspec_trial_1='it'\\''s' ;;\n"
                      "    2) trainspec_trial_0='two words' trainspec_trial_1='' ;;\n") != std::string::npos);
    // An empty value is a bare flag: the word vanishes, as script_params writes "".
    CHECK(
        script.find(
            "--lr ${trainspec_trial_0:+\"$trainspec_trial_0\"} --flag ${trainspec_trial_1:+\"$trainspec_trial_1\"}") !=
        std::string::npos);

    const auto refused = [&](auto change) {
        auto changed = job_spec_with_limits;
        change(changed);
        try {
            (void)sbatch_script(plan(make_job_as<single_node>(changed)));
        } catch (const validation_error& e) {
            return std::string(e.what());
        }
        return std::string("(rendered)");
    };
    CHECK(refused([](job_spec& x) {
              x.sweep->limits->timeout = 3600;
          }).find("sweep.limits.timeout = 3600: a Slurm job array has no time limit of its own") != std::string::npos);
    CHECK(refused([](job_spec& x) {
              x.sweep->termination = early_termination{early_termination_kind::median_stopping,
                                                       std::nullopt,
                                                       std::nullopt,
                                                       std::nullopt,
                                                       std::nullopt,
                                                       std::nullopt,
                                                       std::nullopt};
          }).find("a Slurm job array has no early termination") != std::string::npos);
    CHECK(refused([](job_spec& x) {
              x.sweep->sampling->type = sampling_kind::random;
              x.sweep->limits->max_total_trials = 1002;
          }).find("a Slurm job array takes at most 1001 tasks") != std::string::npos);
    CHECK(refused([](job_spec& x) {
              x.sweep->sampling->type = sampling_kind::bayesian;
              x.sweep->search_space[0].value.type = distribution_kind::uniform;
              x.sweep->search_space[0].value.values.clear();
              x.sweep->search_space[0].value.min_value = 0.1;
              x.sweep->search_space[0].value.max_value = 0.2;
          }).find("a Slurm job array runs a list of trials fixed in advance") != std::string::npos);
}

TEST_CASE("U+0001 is reserved: no value a renderer would take for its own marker") {
    CHECK(
        has_problem(spec_with(sweep_of("\"grid\"", R"({"--x": {"type": "choice", "values": ["\u0001trial0\u0001"]}})")),
                    "sweep.search_space[\"--x\"].values[0]", "must not contain U+0001"));
    CHECK(has_problem(spec_with(sweep_of("\"grid\"", R"({"--x": {"type": "choice", "values": [1]}})"),
                                R"({"--y": "\u0001pwd\u0001"})"),
                      "script_params[\"--y\"]", "must not contain U+0001"));
}
