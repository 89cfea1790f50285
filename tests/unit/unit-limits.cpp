// The ceilings of spec/limits.hpp (docs/limits.md): each one at its value
// and one past it, through validate(), the spec reader, the host parsers and
// plan(); the kernel's own limits behind them, run for real (execve, open);
// and large inputs that must be read in linear work (their time is measured
// by benchmarks/scale_bench.cpp, not here).

#include <doctest/doctest.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <trainspec/detail/rules.hpp>  // host_count_problem()
#include <trainspec/trainspec.hpp>

#include "test_support.hpp"

using namespace trainspec;
using test_support::base_spec;
using test_support::find_problem;
using test_support::listing;

namespace {

/// A spec of `fields`, with the compute target "cpu-cluster" unless they name one.
std::string spec_text(const std::string& fields) {
    const bool target = fields.find("\"compute_target\"") == std::string::npos;
    return R"({"apiVersion": "trainspec/v1", "source_directory": "src", "entry_script": "train.py")" +
           std::string(target ? R"(, "compute_target": "cpu-cluster")" : "") +
           (fields.empty() ? std::string() : ", " + fields) + "}";
}

/// `count` JSON strings "<prefix>0", "<prefix>1", ..., comma-separated.
std::string numbered_strings(std::string_view prefix, std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < count; ++i) {
        if (i != 0) out += ", ";
        out += "\"" + std::string(prefix) + std::to_string(i) + "\"";
    }
    return out;
}

/// `count` members "<prefix>i": <value>, comma-separated.
std::string numbered_members(std::string_view prefix, std::size_t count, std::string_view value) {
    std::string out;
    for (std::size_t i = 0; i < count; ++i) {
        if (i != 0) out += ", ";
        out += "\"" + std::string(prefix) + std::to_string(i) + "\": " + std::string(value);
    }
    return out;
}

/// How the kernel answers execve(argv, envp) under a stack limit of
/// `stack_bytes`: 0 when the program ran, else the errno of execve.
int execve_errno(const std::vector<std::string>& argv, const std::vector<std::string>& envp, rlim_t stack_bytes) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::vector<char*> env;
    for (const auto& e : envp) env.push_back(const_cast<char*>(e.c_str()));
    env.push_back(nullptr);
    int report[2];
    REQUIRE(::pipe(report) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::close(report[0]);
        ::fcntl(report[1], F_SETFD, FD_CLOEXEC);
        const rlimit stack{stack_bytes, stack_bytes};
        ::setrlimit(RLIMIT_STACK, &stack);
        ::execve(argv.front().c_str(), args.data(), env.data());
        const int failure = errno;
        (void)!::write(report[1], &failure, sizeof failure);
        ::_exit(127);
    }
    ::close(report[1]);
    int failure = 0;
    const auto n = ::read(report[0], &failure, sizeof failure);
    ::close(report[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    if (n == static_cast<ssize_t>(sizeof failure)) return failure;
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    return 0;
}

constexpr rlim_t default_stack = rlim_t{8} << 20;  // ulimit -s 8192, Debian's default

}  // namespace

TEST_CASE("the kernel's limits behind the argument and path ceilings, run for real") {
    // MAX_ARG_STRLEN counts the NUL: one more byte is E2BIG.
    CHECK(execve_errno({"/bin/true", std::string(max_argument_bytes, 'a')}, {}, default_stack) == 0);
    CHECK(execve_errno({"/bin/true", std::string(max_argument_bytes + 1, 'a')}, {}, default_stack) == E2BIG);
    CHECK(execve_errno({"/bin/true"}, {"V=" + std::string(max_argument_bytes - 2, 'a')}, default_stack) == 0);
    CHECK(execve_errno({"/bin/true"}, {"V=" + std::string(max_argument_bytes - 1, 'a')}, default_stack) == E2BIG);
    // A command line of max_command_line_bytes, as execve counts it, runs
    // under the default stack with as much again to spare; the kernel takes
    // a quarter of the stack limit.
    const std::size_t per_word = 100;
    std::vector<std::string> argv{"/bin/true"};
    for (std::size_t used = 0; used + per_word + execve_bytes_per_string <= 2 * max_command_line_bytes;
         used += per_word + execve_bytes_per_string)
        argv.push_back(std::string(per_word, 'a'));
    argv.resize(argv.size() - 64);  // room for /bin/true and the kernel's own words
    CHECK(execve_errno(argv, {}, default_stack) == 0);
    argv.insert(argv.end(), 200, std::string(per_word, 'a'));
    CHECK(execve_errno(argv, {}, default_stack) == E2BIG);
    // PATH_MAX counts the NUL: a longer path is ENAMETOOLONG before the
    // lookup starts; one of max_path_bytes is looked up (and not found).
    const auto path_of = [](std::size_t bytes) {
        std::string p;
        while (p.size() < bytes) p += p.size() + 2 <= bytes ? "a/" : "a";
        return "/" + p.substr(1);
    };
    REQUIRE(path_of(max_path_bytes).size() == max_path_bytes);
    errno = 0;
    CHECK(::open(path_of(max_path_bytes).c_str(), O_RDONLY) == -1);
    CHECK(errno == ENOENT);
    CHECK(::open(path_of(max_path_bytes + 1).c_str(), O_RDONLY) == -1);
    CHECK(errno == ENAMETOOLONG);
}

TEST_CASE("tasks per job: 2^20, counted as the plan counts them") {
    CHECK(validate(test_support::mpi_spec(nullptr, 131072, 8)).empty());
    auto over = test_support::mpi_spec(nullptr, 131073, 8);
    const auto found = validate(over);
    INFO(listing(found));
    REQUIRE(found.size() == 1);
    CHECK(found.front().path == "node_count");
    CHECK(found.front().value == "131073");
    CHECK(found.front().rule == "the job would start 1048584 tasks; a job has at most 1048576 (docs/limits.md)");
    CHECK(
        find_problem(validate(test_support::mpi_spec(nullptr, 8, 131073)), "process_count_per_node", "1048584 tasks"));
    // A ps job counts workers, parameter servers, chief and evaluator.
    CHECK(validate(test_support::ps_spec(nullptr, 1, 1048573, 1, 1, 1)).empty());
    CHECK(find_problem(validate(test_support::ps_spec(nullptr, 1, 1048573, 2, 1, 1)), "worker_count",
                       "the job would start 1048577 tasks"));
    CHECK(find_problem(validate(test_support::ps_spec(nullptr, 1, 2, 1048575, 0, 0)), "parameter_server_count",
                       "1048577 tasks"));
    CHECK(validate(test_support::multi_worker_spec(nullptr, 1048576, 1048576)).empty());
    CHECK(find_problem(validate(test_support::multi_worker_spec(nullptr, 1048577, 1048577)), "worker_count",
                       "1048577 tasks"));
    auto defaulted = base_spec();
    defaulted.distributed_backend = backend_kind::multi_worker;
    defaulted.node_count = 1048577;
    CHECK(find_problem(validate(defaulted), "node_count", "1048577 tasks"));
}

TEST_CASE("a 180-byte spec of 2,000,000,000 nodes is refused before any plan") {
    const std::string text =
        R"({"apiVersion":"trainspec/v1","source_directory":"s","entry_script":"t.py","compute_target":"c",)"
        R"("node_count":2000000000,"distributed_backend":"mpi"})";
    CHECK(text.size() < 180);
    const auto found = check_spec(text);
    INFO(listing(found));
    REQUIRE(found.size() == 1);
    CHECK(to_string(found.front()) ==
          "node_count = 2000000000: the job would start 2000000000 tasks; a job has at most 1048576 "
          "(docs/limits.md)");
    CHECK_THROWS_AS(load_job(text), validation_error);
}

TEST_CASE("hosts in a list, a hostfile, compute_target.hosts and plan(): 2^20") {
    CHECK_FALSE(detail::host_count_problem(static_cast<std::size_t>(max_hosts)).has_value());
    CHECK(detail::host_count_problem(static_cast<std::size_t>(max_hosts) + 1).has_value());
    // Each door reads 2^20 hosts and refuses the next one, naming it: the
    // readers stop there.
    const auto count = static_cast<std::size_t>(max_hosts);
    std::string list;
    std::string file;
    std::vector<host> hosts;
    for (std::size_t i = 0; i <= count; ++i) {
        auto name = "h" + std::to_string(i);
        list += (i == 0 ? "" : ",") + name;
        file += name + " slots=1\n";
        hosts.push_back({std::move(name), 1});
    }
    try {
        parse_host_list(list);
        FAIL("a host too many was accepted");
    } catch (const host_list_error& e) {
        CHECK(e.item().empty());
        CHECK(e.rule() == "the host list lists 1048577 hosts; a list of hosts has at most 1048576 (docs/limits.md)");
    }
    CHECK(test_support::error_of([&] { parse_hostfile(file); }) ==
          "invalid host \"line 1048577: h1048576\": the hostfile lists 1048577 hosts; a list of hosts has at "
          "most 1048576 (docs/limits.md)");
    CHECK(test_support::error_of([&] { generate_hosts("h{index}", static_cast<int>(count) + 1, 1); }) ==
          "invalid host \"h{index}\": the pattern lists 1048577 hosts; a list of hosts has at most 1048576 "
          "(docs/limits.md)");

    plan_options options;
    options.hosts = hosts;
    CHECK(test_support::error_of([&] { plan(make_job(base_spec()), options); }) ==
          "invalid job: 1 problem\n  hosts = 1048577: lists 1048577 hosts; a list of hosts has at most 1048576 "
          "(docs/limits.md)");

    auto s = base_spec();
    s.target->hosts = std::move(hosts);
    const auto found = validate(s);
    INFO(listing(found));
    REQUIRE(found.size() == 1);
    CHECK(to_string(found.front()) ==
          "compute_target.hosts = 1048577 hosts: lists 1048577 hosts; a list of hosts has at most 1048576 "
          "(docs/limits.md)");
}

TEST_CASE("paths, arguments and keys: the kernel's PATH_MAX and MAX_ARG_STRLEN, names of 256 bytes") {
    auto s = base_spec();
    s.entry_script = std::string(max_path_bytes - 3, 'a') + ".py";
    s.source_directory = std::string(max_path_bytes, 's');
    s.environment_variables = {{std::string(max_key_bytes, 'V'), std::string(max_argument_bytes - 257, 'v')}};
    s.params.add("--x", std::string(max_argument_bytes, 'x'));
    s.pip_packages = {"numpy"};
    CHECK(validate(s).empty());

    s.entry_script += "x";
    s.source_directory += "s";
    s.environment_variables = {{std::string(max_key_bytes + 1, 'V'), "1"},
                               {"LONG", std::string(max_argument_bytes - 4, 'v')}};
    s.params = script_params{{"--x", {"a", std::string(max_argument_bytes + 1, 'x')}}};
    const auto found = validate(s);
    INFO(listing(found));
    CHECK(find_problem(found, "entry_script", "a path (Linux's PATH_MAX, 4096, counts its NUL) has at most 4095"));
    CHECK(find_problem(found, "source_directory", "has at most 4095 bytes"));
    const auto long_name = "environment_variables[\"" + std::string(max_key_bytes + 1, 'V') + "\"]";
    const auto* key = find_problem(found, long_name, "a name (a key of the spec) has at most 256 bytes");
    REQUIRE(key != nullptr);
    CHECK(key->value == "257 bytes");
    // NAME=value is one environment string.
    const auto* variable = find_problem(found, "environment_variables[\"LONG\"]", "has at most 131071 bytes");
    REQUIRE(variable != nullptr);
    CHECK(variable->value == "131072 bytes");
    CHECK(find_problem(found, "script_params[\"--x\"]", "one argument or environment string"));
}

TEST_CASE("a task's command line and environment: 1 MiB as execve counts them") {
    // 1024 variables of 1015 bytes ("V0000=" and a value): 1024 bytes each
    // with the NUL and the pointer, 1 MiB with the entry script's.
    auto s = base_spec();
    s.entry_script = "t.py";
    const std::size_t budget = max_command_line_bytes - (4 + execve_bytes_per_string);
    std::size_t used = 0;
    for (int i = 0; used + 1024 <= budget; ++i, used += 1024) {
        auto name = std::to_string(10000 + i);
        name[0] = 'V';
        s.environment_variables.push_back({name, std::string(1024 - execve_bytes_per_string - name.size() - 1, 'v')});
    }
    s.environment_variables.push_back({"LAST", std::string(budget - used - execve_bytes_per_string - 5, 'v')});
    CHECK(validate(s).empty());
    s.environment_variables.back().value += "v";
    const auto found = validate(s);
    INFO(listing(found));
    REQUIRE(found.size() == 1);
    CHECK(found.front().path == "environment_variables");
    CHECK(found.front().rule ==
          "a task's command line and environment would take 1048577 bytes as execve counts them (each string, its "
          "NUL and a pointer); trainspec allows at most 1048576 (docs/limits.md)");
    // The job's words count where they land: the arguments too.
    auto params = base_spec();
    for (int i = 0; i < 4000; ++i) params.params.add("--p" + std::to_string(i), std::string(300, 'x'));
    CHECK(find_problem(validate(params), "script_params", "would take"));
}

TEST_CASE("entries of a list: 65536") {
    auto s = base_spec();
    for (std::size_t i = 0; i < max_list_entries; ++i) s.pip_packages.push_back("p" + std::to_string(i));
    CHECK(validate(s).empty());
    s.pip_packages.push_back("extra");
    const auto found = validate(s);
    INFO(listing(found));
    REQUIRE(found.size() == 1);
    CHECK(to_string(found.front()) ==
          "pip_packages = 65537 entries: a list has at most 65536 entries (docs/limits.md)");
}

TEST_CASE("a spec's size, nesting and keys are checked while it is read") {
    SUBCASE("4 MiB") {
        const auto fields = R"("name": "job", "x": ")";
        const auto head = spec_text(fields);
        const std::string tail = "\"}";
        auto text = head.substr(0, head.size() - 1);
        text += std::string(max_spec_bytes - text.size() - tail.size(), 'a') + tail;
        REQUIRE(text.size() == max_spec_bytes);
        CHECK(find_problem(check_spec(text), "x", "unknown key"));
        text.insert(text.size() - tail.size(), "a");
        const auto found = check_spec(text);
        REQUIRE(found.size() == 1);
        CHECK(to_string(found.front()) == "$: the spec has 4194305 bytes; a spec has at most 4194304 (docs/limits.md)");
    }
    SUBCASE("64 levels of arrays and objects") {
        // The document is the first level.
        const auto nested = [](int levels) {
            return spec_text(R"("x": )" + std::string(static_cast<std::size_t>(levels - 1), '[') +
                             std::string(static_cast<std::size_t>(levels - 1), ']'));
        };
        const auto at_limit = check_spec(nested(max_spec_depth));
        INFO(listing(at_limit));
        REQUIRE(at_limit.size() == 1);
        CHECK(at_limit.front().rule.rfind("unknown key", 0) == 0);
        const auto past = check_spec(nested(max_spec_depth + 1));
        REQUIRE(past.size() == 1);
        std::string path = "x";
        for (int i = 0; i < max_spec_depth - 1; ++i) path += "[0]";
        CHECK(past.front().path == path);
        CHECK(past.front().rule ==
              "nests arrays and objects 65 deep; a spec nests them at most 64 deep (docs/limits.md)");
    }
    SUBCASE("40,000 levels: one problem, its path 64 levels long") {
        const std::string deep = std::string(40000, '[') + std::string(40000, ']');
        const auto found = check_spec(spec_text(R"("x": )" + deep));
        INFO(listing(found));
        REQUIRE(found.size() == 1);
        CHECK(found.front().path.size() == 1 + 63 * 3);
        CHECK(found.front().rule.find("65 deep") != std::string::npos);
        const std::string objects = [] {
            std::string t;
            for (int i = 0; i < 40000; ++i) t += R"({"a":)";
            return t + "1" + std::string(40000, '}');
        }();
        const auto found_objects = check_spec(spec_text(R"("x": )" + objects));
        REQUIRE(found_objects.size() == 1);
        CHECK(found_objects.front().path == "x" + [] {
            std::string p;
            for (int i = 0; i < 63; ++i) p += ".a";
            return p;
        }());
    }
    SUBCASE("keys of 256 bytes") {
        const auto key = std::string(max_key_bytes, 'K');
        CHECK(check_spec(spec_text(R"("environment_variables": {")" + key + R"(": "1"})")).empty());
        const auto found = check_spec(spec_text(R"("environment_variables": {")" + key + R"(K": "1"})"));
        REQUIRE(found.size() == 1);
        CHECK(to_string(found.front()) ==
              "environment_variables: holds a key of 257 bytes; a key names a variable, a parameter or a setting, "
              "and has at most 256 bytes (docs/limits.md)");
    }
}

TEST_CASE("problems listed: 1000, and one more that counts the rest") {
    std::string numbers;
    for (int i = 0; i < 40000; ++i) numbers += (i == 0 ? "" : ", ") + std::to_string(i);
    const auto found = check_spec(spec_text(R"("pip_packages": [)" + numbers + "]"));
    REQUIRE(found.size() == max_listed_problems + 1);
    CHECK(to_string(found.front()) == "pip_packages[0] = 0: must be a string, not integer");
    CHECK(to_string(found[max_listed_problems - 1]) == "pip_packages[999] = 999: must be a string, not integer");
    CHECK(to_string(found.back()) ==
          "$ = 39000: more problems, not listed: trainspec lists at most 1000 (docs/limits.md)");
    // validate() lists its own the same way.
    auto s = base_spec();
    s.pip_packages.assign(2000, "-r x");
    const auto rules = validate(s);
    REQUIRE(rules.size() == max_listed_problems + 1);
    CHECK(rules.back().value == "2999");  // 1000 bad entries past the first 1000, and 1999 duplicates
}

TEST_CASE("40,000 entries of each list are read and checked in linear work") {
    const std::size_t n = 40000;
    SUBCASE("environment variables, one set twice") {
        const auto text =
            spec_text(R"("environment_variables": {)" + numbered_members("V", n, "\"1\"") + R"(, "V7": "2"})");
        const auto found = check_spec(text);
        INFO(listing(found));
        REQUIRE(found.size() == 1);
        CHECK(to_string(found.front()) ==
              "environment_variables[\"V7\"]: duplicate key; JSON readers keep only one of them");
        problems read;
        const auto spec = read_spec(text, read);
        REQUIRE(spec.environment_variables.size() == n);
        // The first place, the last value: as JSON readers keep it.
        CHECK(spec.environment_variables[7].value == "2");
    }
    SUBCASE("packages, one listed twice") {
        const auto found = check_spec(spec_text(R"("pip_packages": [)" + numbered_strings("p", n) + R"(, "p9"])"));
        INFO(listing(found));
        REQUIRE(found.size() == 1);
        CHECK(to_string(found.front()) == "pip_packages[40000] = \"p9\": duplicates pip_packages[9]");
        CHECK(check_spec(spec_text(R"("conda_packages": [)" + numbered_strings("c", n) + "]")).empty());
    }
    SUBCASE("hosts, one listed twice") {
        const auto found = check_spec(
            spec_text(R"("compute_target": {"name": "c", "hosts": [)" + numbered_strings("h", n) + R"(, "h3:2"]})"));
        INFO(listing(found));
        CHECK(find_problem(found, "compute_target.hosts[40000].name", "is listed twice"));
    }
    SUBCASE("script parameters, MCA parameters") {
        // Bare flags: 40,000 of "--pN" stay within the command line's ceiling.
        const auto params = numbered_members("-", n, "null");
        CHECK(check_spec(spec_text(R"("script_params": {)" + params + "}")).empty());
        const auto mca = spec_text(R"("node_count": 2, "distributed_backend": "mpi", "mpi": {"mca": {)" +
                                   numbered_members("p", n, "\"1\"") + "}}");
        CHECK(check_spec(mca).empty());
    }
    SUBCASE("40,000 unreadable values: each rule about them is left out") {
        std::string hosts;
        for (std::size_t i = 0; i < n; ++i) hosts += (i == 0 ? "" : ", ") + std::to_string(i);
        const auto found = check_spec(spec_text(R"("compute_target": {"name": "c", "hosts": [)" + hosts + "]}"));
        REQUIRE(found.size() == max_listed_problems + 1);
        CHECK(found.back().value == "39000");
    }
}

TEST_CASE("repeated script parameters are found in linear work") {
    script_params params;
    for (int i = 0; i < 40000; ++i) params.add("--p" + std::to_string(i), i);
    CHECK_FALSE(params.has_repeated_keys());
    CHECK(to_json(params).is_object());
    params.add("--p39999", 1);
    CHECK(params.has_repeated_keys());
    CHECK(to_json(params).is_array());
}

TEST_CASE("a swept parameter that script_params also fixes, among 40,000") {
    auto s = base_spec();
    for (int i = 0; i < 40000; ++i) s.params.add("--p" + std::to_string(i), i);
    sweep_settings sweep;
    for (int i = 39990; i < 40010; ++i) {
        sweep_parameter p;
        p.name = "--p" + std::to_string(i);
        p.value.type = distribution_kind::choice;
        p.value.values = {1, 2};
        sweep.search_space.push_back(p);
    }
    s.sweep = sweep;
    const auto found = validate(s);
    std::size_t overlaps = 0;
    for (const auto& p : found) overlaps += p.rule.rfind("is also in script_params", 0) == 0 ? 1 : 0;
    CHECK(overlaps == 10);
}
