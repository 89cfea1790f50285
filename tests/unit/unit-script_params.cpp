// script_params -> argv, following Azure ML's estimator: key then value, a list
// expands, null and "" give a bare flag, 0 and False are kept, and values
// print the way Python's str() prints them. The expected strings below are
// Python's: str(0.01) == "0.01", str(1e-05) == "1e-05", str(1e21) ==
// "1e+21", str(0.1 + 0.2) == "0.30000000000000004", str(2.0) == "2.0",
// str(True) == "True".

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <trainspec/job.hpp>
#include <trainspec/spec/script_params.hpp>

using namespace trainspec;

namespace {
using argv_t = std::vector<std::string>;

std::string arg(param_scalar v) { return to_argument(v); }

std::string joined(const argv_t& argv) {
    std::string text;
    for (const auto& a : argv) text += "[" + a + "]";
    return text;
}
}  // namespace

TEST_CASE("key, then value") {
    const script_params p{{"--data-folder", "/data/mnist"}, {"--batch-size", 50}, {"--learning-rate", 0.01}};
    const argv_t expected{"--data-folder", "/data/mnist", "--batch-size", "50", "--learning-rate", "0.01"};
    CHECK(to_argv(p) == expected);
}

TEST_CASE("the order the user wrote is kept") {
    const script_params p{{"--z", 1}, {"--a", 2}, {"--m", 3}};
    CHECK(joined(to_argv(p)) == "[--z][1][--a][2][--m][3]");
    script_params added;
    added.add("--m", 3).add("--a", 2).add("--z", 1);
    CHECK(joined(to_argv(added)) == "[--m][3][--a][2][--z][1]");
}

TEST_CASE("repeated keys stay repeated") {
    script_params p;
    p.add("--gpu", 0).add("--gpu", 1).add("--name", "x").add("--gpu", 2);
    CHECK(p.has_repeated_keys());
    CHECK(joined(to_argv(p)) == "[--gpu][0][--gpu][1][--name][x][--gpu][2]");
    CHECK_FALSE(script_params{{"--a", 1}, {"--b", 1}}.has_repeated_keys());
    CHECK_FALSE(script_params{}.has_repeated_keys());
}

TEST_CASE("a list value expands into several arguments") {
    const script_params p{{"--layers", {128, 64, 10}}, {"--names", {"a", "b c"}}, {"--mixed", {1, 0.5, true, "s"}}};
    CHECK(joined(to_argv(p)) == "[--layers][128][64][10][--names][a][b c][--mixed][1][0.5][True][s]");
    const script_params one{{"--x", {7}}};
    CHECK(joined(to_argv(one)) == "[--x][7]");
}

TEST_CASE("null and \"\" give a bare flag") {
    const script_params p{{"--verbose", flag}, {"--quiet", nullptr}, {"--store-true", ""}, {"--n", 1}};
    CHECK(joined(to_argv(p)) == "[--verbose][--quiet][--store-true][--n][1]");
    CHECK(param_value(nullptr).is_flag());
    CHECK(param_value("").is_flag());
    CHECK(param_value(std::string()).is_flag());
    CHECK(param_value().is_flag());
    CHECK_FALSE(param_value(" ").is_flag());
    CHECK_FALSE(param_value(0).is_flag());
    CHECK_FALSE(param_value(false).is_flag());
    CHECK_FALSE(param_value(param_value::list{""}).is_flag());
}

TEST_CASE("a value's words are what follows its key in the argv") {
    CHECK(to_arguments(flag).empty());
    CHECK(to_arguments("").empty());
    CHECK(to_arguments(false) == argv_t{"False"});
    CHECK(to_arguments(2.0) == argv_t{"2.0"});
    CHECK(to_arguments(param_value::list{}).empty());
    CHECK(to_arguments(param_value::list{""}) == argv_t{""});
    CHECK(to_arguments({1, "b c", 0.5}) == argv_t{"1", "b c", "0.5"});
    const script_params p{{"--a", {1, 2}}, {"--b", flag}, {"--c", "x"}};
    argv_t words;
    for (const auto& [key, value] : p) {
        words.push_back(key);
        const auto after = to_arguments(value);
        words.insert(words.end(), after.begin(), after.end());
    }
    CHECK(words == argv_t{"--a", "1", "2", "--b", "--c", "x"});
    CHECK(words == to_argv(p));
}

TEST_CASE("0 and false are kept; booleans print as Python's str()") {
    const script_params p{{"--n", 0}, {"--zero", 0.0}, {"--b", false}, {"--t", true}};
    CHECK(joined(to_argv(p)) == "[--n][0][--zero][0.0][--b][False][--t][True]");
    CHECK(arg(true) == "True");
    CHECK(arg(false) == "False");
}

TEST_CASE("integers print as integers") {
    CHECK(arg(0) == "0");
    CHECK(arg(50) == "50");
    CHECK(arg(-3) == "-3");
    CHECK(arg(7u) == "7");
    CHECK(arg(static_cast<short>(-12)) == "-12");
    CHECK(arg(std::numeric_limits<std::int64_t>::max()) == "9223372036854775807");
    CHECK(arg(std::numeric_limits<std::int64_t>::min()) == "-9223372036854775808");
}

TEST_CASE("floats print as Python's str(): shortest round trip, a float stays a float") {
    CHECK(arg(0.01) == "0.01");
    CHECK(arg(0.001) == "0.001");
    CHECK(arg(0.0001) == "0.0001");
    CHECK(arg(1e-05) == "1e-05");
    CHECK(arg(0.00001234) == "1.234e-05");
    CHECK(arg(-2.5e-7) == "-2.5e-07");
    CHECK(arg(0.1 + 0.2) == "0.30000000000000004");
    CHECK(arg(1.0 / 3.0) == "0.3333333333333333");
    CHECK(arg(2.0) == "2.0");
    CHECK(arg(100.0) == "100.0");
    CHECK(arg(-1.5) == "-1.5");
    CHECK(arg(-0.0) == "-0.0");
    CHECK(arg(123456789.0) == "123456789.0");
    // Python switches to exponent notation at 1e16.
    CHECK(arg(1e15) == "1000000000000000.0");
    CHECK(arg(1234567890123456.0) == "1234567890123456.0");
    CHECK(arg(1e16) == "1e+16");
    CHECK(arg(12345678901234567.0) == "1.2345678901234568e+16");
    CHECK(arg(1e21) == "1e+21");
    CHECK(arg(-1e22) == "-1e+22");
    CHECK(arg(5e-324) == "5e-324");
    CHECK(arg(std::numeric_limits<double>::max()) == "1.7976931348623157e+308");
    // A float argument is widened to double first: float(numpy.float32(0.1)).
    CHECK(arg(0.1f) == "0.10000000149011612");
}

TEST_CASE("strings are passed as they are, one argument each") {
    const script_params p{{"--cmd", "a b; rm -rf /"}, {"--quote", "it's \"x\""}, {"--dash", "--not-a-key"}};
    const argv_t expected{"--cmd", "a b; rm -rf /", "--quote", "it's \"x\"", "--dash", "--not-a-key"};
    CHECK(to_argv(p) == expected);
    CHECK(to_argv(script_params{}).empty());
}

TEST_CASE("values keep their type") {
    CHECK(param_value(1) != param_value(1.0));
    CHECK(param_value(1) != param_value(true));
    CHECK(param_value(0) != param_value(false));
    CHECK(param_value("1") != param_value(1));
    CHECK(param_value(nullptr) != param_value(""));
    CHECK(param_value({1, 2}) == param_value(param_value::list{1, 2}));
    CHECK(param_value({1, 2}) != param_value({2, 1}));
    CHECK(script_params{{"--a", 1}, {"--b", 2}} != script_params{{"--b", 2}, {"--a", 1}});
}

TEST_CASE("a job's script_argv is the entry script and its arguments") {
    job_spec s;
    s.source_directory = "src";
    s.entry_script = "tf_mnist.py";
    s.target = compute_target("gpu-cluster");
    s.params = {{"--data-folder", "/data/mnist"}, {"--learning-rate", 0.01}, {"--verbose", flag}};
    const auto j = make_job_as<single_node>(s);
    const argv_t expected{"tf_mnist.py", "--data-folder", "/data/mnist", "--learning-rate", "0.01", "--verbose"};
    CHECK(j.script_argv() == expected);
}
