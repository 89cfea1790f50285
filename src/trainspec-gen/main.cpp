// trainspec-gen: the generator program.
//
//   trainspec-gen                            validate and summarise the built-in seed scenarios
//   trainspec-gen validate SPEC              exit 0, or exit 2 listing every problem
//   trainspec-gen plan SPEC                  the task table (or --json)
//   trainspec-gen tf-config SPEC --task T:I  one task's TF_CONFIG (--all: every task's)
//   trainspec-gen mpirun SPEC                the launch command of an mpi job (or --print0: its argv)
//   trainspec-gen hostfile SPEC --hosts H    the hostfile of an mpi job
//   trainspec-gen render SPEC --target T     one artifact (manifest, sbatch, Dockerfile, ...) to stdout
//   trainspec-gen generate SPEC --out DIR    every artifact that applies, written atomically
//   trainspec-gen check-tf-config [JSON]     read a TF_CONFIG as TensorFlow does
//   trainspec-gen --help | --version
//
// Exit status: 0 success, 2 bad input or usage, 1 a read or write the
// system failed or an internal failure. Results go to stdout (checked at exit:
// standard_output.hpp), problems and errors to stderr.
//
// One file per verb or group of verbs (validate_plan.cpp, tf_config.cpp,
// mpi.cpp, render.cpp, seeds.cpp); this one lists them and dispatches.

#include <algorithm>
#include <csignal>
#include <cstddef>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <trainspec/trainspec.hpp>

#include "cli.hpp"
#include "input.hpp"
#include "standard_output.hpp"
#include "system_failure.hpp"
#include "verbs.hpp"

namespace trainspec_gen {

namespace {

/// Every verb, in the order --help lists them. A verb's entry names its
/// operands and options; parse_arguments() checks a command line against it.
const std::vector<verb>& verbs() {
    static const std::vector<verb> table = {
        validate_verb(), plan_verb(),     tf_config_verb(), mpirun_verb(),          hostfile_verb(),
        render_verb(),   generate_verb(), sweep_verb(),     check_tf_config_verb(),
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
    return did_you_mean(word, names);
}

void print_usage() {
    // Verbs and options share one column layout.
    std::vector<std::pair<std::string, std::string_view>> verb_rows;
    for (const auto& v : verbs()) verb_rows.emplace_back(synopsis(v, false), v.summary);
    const std::vector<std::pair<std::string, std::string_view>> option_rows = {
        {"-h, --help", "this help; VERB --help shows one verb's help and options"},
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
    fmt::print(
        "Exit status: 0 success, 2 bad input or usage, 1 a read or write the system failed\n"
        "or an internal failure.\n");
}

void print_verb_usage(const verb& v) {
    fmt::print("usage: {} {}\n\n{}\n", program, synopsis(v, true), v.summary);
    if (!v.options.empty()) {
        std::vector<std::string> names;
        std::size_t width = 0;
        for (const auto& o : v.options) {
            std::string name = o.declaration->usage();
            width = std::max(width, name.size());
            names.push_back(std::move(name));
        }
        fmt::print("\noptions:\n");
        for (std::size_t i = 0; i < v.options.size(); ++i) {
            // Help text that goes on over several lines stays in its column.
            std::string help(v.options[i].shown_help());
            for (auto at = help.find('\n'); at != std::string::npos; at = help.find('\n', at + 1))
                help.insert(at + 1, width + 4, ' ');
            fmt::print("  {:<{}}  {}\n", names[i], width, help);
        }
    }
    if (!v.notes.empty()) fmt::print("\n{}", v.notes);
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
        throw usage_error("unknown option '" + name + "'" + did_you_mean(name, {"--help", "--version"}));
    }
    const verb* v = find_verb(first);
    if (v == nullptr) throw usage_error("unknown verb '" + first + "'" + verb_hint(first));
    const arguments parsed = parse_arguments(*v, {args.begin() + 1, args.end()});
    if (parsed.help) {
        print_verb_usage(*v);
        return 0;
    }
    return v->run(parsed);
}

/// Writes `text` to standard error without throwing: a failure there has
/// nowhere to be reported, and the exit status still tells the outcome.
void report(const std::string& text) { std::fputs(text.c_str(), stderr); }

}  // namespace

}  // namespace trainspec_gen

int main(int argc, char** argv) {
    using namespace trainspec_gen;
    // A write over the file size limit (ulimit -f) then fails with EFBIG and
    // is reported like a full disk, instead of killing the program mid-file.
    std::signal(SIGXFSZ, SIG_IGN);
    int status = 0;
    int stdout_error = 0;
    try {
        status = dispatch(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const usage_error& e) {
        report(fmt::format("{}: {}\nTry '{} --help' for more information.\n", program, one_line(e.what()), program));
        status = 2;
    } catch (const reported_input& e) {
        for (const auto& line : e.lines()) report(line + "\n");
        status = 2;
    } catch (const input_error& e) {
        report(fmt::format("{}: {}\n", program, one_line(e.what())));
        status = 2;
    } catch (const system_failure& e) {
        report(fmt::format("{}: {}\n", program, one_line(e.what())));
        status = 1;
    } catch (const std::system_error& e) {
        // {fmt} could not write to standard output, or to standard error
        // (which has then no room for a message either).
        stdout_error = standard_output_error(e);
        if (stdout_error == 0 && std::ferror(stderr) == 0)
            report(fmt::format("{}: internal error: {}\n", program, one_line(e.what())));
        status = 1;
    } catch (const std::exception& e) {
        report(fmt::format("{}: internal error: {}\n", program, one_line(e.what())));
        status = 1;
    } catch (...) {
        report(fmt::format("{}: internal error: unknown exception\n", program));
        status = 1;
    }
    if (const auto failure = close_standard_output(stdout_error)) {
        report(fmt::format("{}: {}\n", program, *failure));
        return 1;
    }
    return status;
}
