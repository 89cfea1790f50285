// trainspec-gen: the generator program.
//
//   trainspec-gen                  validate and summarise the built-in seed scenarios
//   trainspec-gen validate SPEC    exit 0, or exit 2 listing every problem
//   trainspec-gen --help | --version
//
// Exit status: 0 success, 2 bad input or usage, 1 internal failure.
// Results go to stdout, problems and errors to stderr.

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include <trainspec/trainspec.hpp>

#include "cli.hpp"
#include "example_support.hpp"
#include "seed_specs.hpp"

namespace {

using trainspec_gen::arguments;
using trainspec_gen::input_error;
using trainspec_gen::usage_error;
using trainspec_gen::verb;

constexpr std::string_view program = "trainspec-gen";

// ---- input ----

struct spec_text {
    std::string name;  ///< how messages name the spec: the path, or <stdin>
    std::string text;
};

/// Reads a whole stream; false (with errno set) on a read error.
bool read_all(std::FILE* file, std::string& out) {
    char buffer[8192];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) out.append(buffer, n);
    return std::ferror(file) == 0;
}

/// The spec at `path` ("-" is standard input). Throws input_error naming the
/// file and the system's reason when it cannot be read.
spec_text read_spec_file(const std::string& path) {
    spec_text spec;
    if (path == "-") {
        spec.name = "<stdin>";
        if (!read_all(stdin, spec.text))
            throw input_error("cannot read the spec from standard input: " + std::string(std::strerror(errno)));
        return spec;
    }
    spec.name = path;
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr)
        throw input_error("cannot read spec '" + trainspec_gen::one_line(path) + "': " + std::strerror(errno));
    const bool ok = read_all(file, spec.text);
    const int read_errno = errno;
    std::fclose(file);
    if (!ok)
        throw input_error("cannot read spec '" + trainspec_gen::one_line(path) + "': " + std::strerror(read_errno));
    return spec;
}

// ---- descriptions ----

/// One line about a valid job: name, backend, nodes, tasks, target, framework.
std::string summary(const trainspec::job_spec& s) {
    using example_support::count_of;
    return "job " + trainspec::effective_job_name(s) + ", " +
           example_support::backend_label(trainspec::effective_backend(s)) + ", " +
           count_of(trainspec::effective_node_count(s), "node", "nodes") + ", " +
           count_of(trainspec::effective_task_count(s), "task", "tasks") + " (" + example_support::task_layout(s) +
           "), " + example_support::compute_label(s) + (trainspec::effective_use_gpu(s) ? " GPU" : " CPU") +
           ", TensorFlow " + trainspec::effective_framework_version(s) +
           (trainspec::effective_keras(s) ? " with Keras" : "");
}

/// Prints every problem of a spec to stderr, one per line: `SPEC: path = value: rule`.
void print_problems(const std::string& spec_name, const trainspec::problems& found) {
    for (const auto& p : found)
        fmt::print(stderr, "{}: {}\n", trainspec_gen::one_line(spec_name),
                   trainspec_gen::one_line(trainspec::to_string(p)));
}

// ---- verbs ----

int run_validate(const arguments& args) {
    const spec_text spec = read_spec_file(args.operands.at(0));
    const trainspec::problems found = trainspec::check_spec(spec.text);
    if (!found.empty()) {
        print_problems(spec.name, found);
        fmt::print(stderr, "{}: {} is not a valid job: {}\n", program, trainspec_gen::one_line(spec.name),
                   example_support::count_of(static_cast<std::int64_t>(found.size()), "problem", "problems"));
        return 2;
    }
    const trainspec::any_job job = trainspec::load_job(spec.text);
    fmt::print("{}: valid: {}\n", trainspec_gen::one_line(spec.name),
               trainspec_gen::one_line(summary(trainspec::spec_of(job))));
    return 0;
}

/// Every verb, in the order --help lists them. A verb's entry names its
/// operands and options; parse_arguments() checks a command line against it.
const std::vector<verb>& verbs() {
    static const std::vector<verb> table = {
        {"validate", "SPEC", "exit 0, or exit 2 listing every problem (JSON path + rule)", 1, 1, {}, run_validate},
    };
    return table;
}

const verb* find_verb(std::string_view name) {
    for (const auto& v : verbs())
        if (v.name == name) return &v;
    return nullptr;
}

/// "; did you mean 'validate'?" for a misspelt verb, or "".
std::string verb_hint(std::string_view word) {
    std::vector<std::string> names;
    for (const auto& known : verbs()) names.emplace_back(known.name);
    return trainspec_gen::did_you_mean(word, names);
}

std::string verb_synopsis(const verb& v) {
    std::string text = std::string(v.name);
    if (!v.operands.empty()) text += " " + std::string(v.operands);
    for (const auto& o : v.options) {
        text += " [" + std::string(o.name);
        if (!o.value_name.empty()) text += " " + std::string(o.value_name);
        text += "]";
    }
    return text;
}

void print_usage() {
    // Verbs and options share one column layout.
    std::vector<std::pair<std::string, std::string_view>> verb_rows;
    for (const auto& v : verbs()) verb_rows.emplace_back(verb_synopsis(v), v.summary);
    const std::vector<std::pair<std::string, std::string_view>> option_rows = {
        {"-h, --help", "this help; VERB --help shows one verb's help"},
        {"--version", "the version"},
    };
    std::size_t width = 0;
    for (const auto& row : verb_rows) width = std::max(width, row.first.size());
    for (const auto& row : option_rows) width = std::max(width, row.first.size());

    fmt::print("usage: {} [VERB ARGS...]\n", program);
    fmt::print("       {} --help | --version\n\n", program);
    fmt::print("Describes TensorFlow/Keras training jobs written as trainspec/v1 spec files.\n");
    fmt::print("With no arguments, validates and summarises the built-in seed scenarios.\n\n");
    fmt::print("verbs:\n");
    for (const auto& [synopsis, summary] : verb_rows) fmt::print("  {:<{}}  {}\n", synopsis, width, summary);
    fmt::print("\noptions:\n");
    for (const auto& [name, summary] : option_rows) fmt::print("  {:<{}}  {}\n", name, width, summary);
    fmt::print("\nSPEC is a trainspec/v1 JSON file, or - for standard input.\n");
    fmt::print("Exit status: 0 success, 2 bad input or usage, 1 internal failure.\n");
}

void print_verb_usage(const verb& v) {
    fmt::print("usage: {} {}\n\n{}\n", program, verb_synopsis(v), v.summary);
    if (!v.options.empty()) {
        fmt::print("\noptions:\n");
        for (const auto& o : v.options) {
            std::string name = std::string(o.name);
            if (!o.value_name.empty()) name += " " + std::string(o.value_name);
            fmt::print("  {:<16}  {}\n", name, o.help);
        }
    }
}

// ---- no arguments: the seed scenarios ----

int run_seed_scenarios() {
    using example_support::seed_specs;
    trainspec_gen::text_table table({{"scenario"},
                                     {"backend"},
                                     {"nodes", true},
                                     {"tasks", true},
                                     {"layout"},
                                     {"compute"},
                                     {"gpu"},
                                     {"tensorflow"},
                                     {"keras"},
                                     {"packages"}});
    std::vector<std::pair<std::string, std::string>> argv_lines;
    std::size_t invalid = 0;
    for (const auto& seed : seed_specs) {
        const std::string spec_name = "<built-in>/" + std::string(seed.file);
        if (const auto found = trainspec::check_spec(seed.text); !found.empty()) {
            print_problems(spec_name, found);
            ++invalid;
            continue;
        }
        const trainspec::any_job job = trainspec::load_job(seed.text);
        const trainspec::job_spec& s = trainspec::spec_of(job);
        const std::string name = trainspec::effective_job_name(s);
        table.add_row({name, example_support::backend_label(trainspec::backend_of(job)),
                       std::to_string(trainspec::effective_node_count(s)),
                       std::to_string(trainspec::effective_task_count(s)), example_support::task_layout(s),
                       example_support::compute_label(s), trainspec::effective_use_gpu(s) ? "yes" : "no",
                       trainspec::effective_framework_version(s), trainspec::effective_keras(s) ? "yes" : "no",
                       example_support::packages_label(s)});
        std::vector<std::string> argv = std::visit([](const auto& typed) { return typed.script_argv(); }, job);
        argv_lines.emplace_back(name, example_support::shell_line(argv));
    }

    fmt::print("{}: the built-in seed scenarios\n\n", program);
    fmt::print("{}", table.render());
    fmt::print("\nentry script argv:\n");
    std::size_t width = 0;
    for (const auto& [name, line] : argv_lines) width = std::max(width, name.size());
    for (const auto& [name, line] : argv_lines) fmt::print("  {:<{}}  {}\n", name, width, line);
    fmt::print("\n{} of {} seed scenarios valid\n", seed_specs.size() - invalid, seed_specs.size());
    if (invalid != 0) {
        // The seed specs are part of the program: an invalid one is a defect of the build.
        fmt::print(stderr, "{}: {} of the built-in seed specs are invalid\n", program, invalid);
        return 1;
    }
    return 0;
}

// ---- dispatch ----

int dispatch(const std::vector<std::string>& args) {
    if (args.empty()) return run_seed_scenarios();
    const std::string& first = args.front();
    if (first == "-h" || first == "--help") {
        if (args.size() == 1) {
            print_usage();
            return 0;
        }
        const verb* v = find_verb(args[1]);
        if (v == nullptr) throw usage_error(first + ": unknown verb '" + args[1] + "'" + verb_hint(args[1]));
        if (args.size() > 2) throw usage_error(first + ": unexpected argument '" + args[2] + "'");
        print_verb_usage(*v);
        return 0;
    }
    if (first == "--version") {
        if (args.size() != 1) throw usage_error("--version: unexpected argument '" + args[1] + "'");
        fmt::print("{} {}\n", program, trainspec::version_string);
        return 0;
    }
    if (first.size() > 1 && first.front() == '-') {
        const auto name = first.substr(0, first.find('='));
        throw usage_error("unknown option '" + name + "'" + trainspec_gen::did_you_mean(name, {"--help", "--version"}));
    }
    const verb* v = find_verb(first);
    if (v == nullptr) throw usage_error("unknown verb '" + first + "'" + verb_hint(first));
    const arguments parsed = trainspec_gen::parse_arguments(*v, {args.begin() + 1, args.end()});
    if (parsed.help) {
        print_verb_usage(*v);
        return 0;
    }
    return v->run(parsed);
}

}  // namespace

int main(int argc, char** argv) {
    int status = 0;
    try {
        status = dispatch(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const usage_error& e) {
        fmt::print(stderr, "{}: {}\nTry '{} --help' for more information.\n", program,
                   trainspec_gen::one_line(e.what()), program);
        status = 2;
    } catch (const input_error& e) {
        fmt::print(stderr, "{}: {}\n", program, trainspec_gen::one_line(e.what()));
        status = 2;
    } catch (const std::exception& e) {
        fmt::print(stderr, "{}: internal error: {}\n", program, trainspec_gen::one_line(e.what()));
        status = 1;
    } catch (...) {
        fmt::print(stderr, "{}: internal error: unknown exception\n", program);
        status = 1;
    }
    if (std::fflush(stdout) != 0 || std::ferror(stdout) != 0) {
        fmt::print(stderr, "{}: cannot write to standard output: {}\n", program, std::strerror(errno));
        return 1;
    }
    return status;
}
