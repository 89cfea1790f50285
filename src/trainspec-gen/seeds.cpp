// trainspec-gen with no arguments: validates and summarises the built-in
// seed scenarios (examples/specs, embedded at build time).

#include <algorithm>
#include <cstddef>
#include <exception>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include <trainspec/trainspec.hpp>

#include "artifacts.hpp"
#include "input.hpp"
#include "job_labels.hpp"
#include "seed_specs.hpp"
#include "verbs.hpp"

namespace trainspec_gen {

namespace {

/// Prints every problem of a spec to stderr, one per line: `SPEC: path = value: rule`.
void print_problems(const std::string& spec_name, const trainspec::problems& found) {
    for (const auto& p : found) fmt::print(stderr, "{}: {}\n", one_line(spec_name), one_line(trainspec::to_string(p)));
}

/// A seed's launch from its plan: the mpirun line of an mpi job, each task's
/// TF_CONFIG of a ps or multi_worker job, and the artifacts `generate` writes.
std::vector<std::string> seed_launch(const trainspec::any_job& job) {
    std::vector<std::string> lines;
    const auto& spec = trainspec::spec_of(job);
    lines.push_back("  " + trainspec::effective_job_name(spec) + ":");
    const trainspec::any_cluster cluster = trainspec::plan(job);
    std::visit(
        [&](const auto& typed) {
            using backend_type = typename std::decay_t<decltype(typed)>::backend;
            if constexpr (std::is_same_v<backend_type, trainspec::mpi>) {
                const auto command = trainspec::mpirun_command(typed, trainspec::mpi_launch_options_from(spec));
                lines.push_back("    launch  " + command.shell_line());
            } else if constexpr (trainspec::has_tf_config_v<backend_type>) {
                for (const auto& config : trainspec::tf_configs(typed))
                    lines.push_back(fmt::format("    TF_CONFIG {}:{}  {}", trainspec::enum_name(config.type),
                                                config.index, config.json));
            } else {
                lines.push_back("    one process on " + typed.host_of(typed.tasks().front()).name);
            }
        },
        cluster);
    std::string files;
    for (const auto& entry : artifacts()) {
        try {
            render_artifact(entry.kind, job, cluster, {});
            files += files.empty() ? "" : " ";
            files += entry.file;
        } catch (const std::exception&) {
            // Not for this job (generate skips it with a note).
        }
    }
    lines.push_back("    generate --out DIR writes  " + files);
    return lines;
}

}  // namespace

int run_seed_scenarios() {
    text_table table({{"scenario"},
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
    std::vector<std::string> launch_lines;
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
        table.add_row({name, std::string(trainspec::backend_label(trainspec::backend_of(job))),
                       std::to_string(trainspec::effective_node_count(s)),
                       std::to_string(trainspec::effective_task_count(s)), task_layout(s), compute_label(s),
                       trainspec::effective_use_gpu(s) ? "yes" : "no", trainspec::effective_framework_version(s),
                       trainspec::effective_keras(s) ? "yes" : "no", packages_label(s)});
        std::vector<std::string> argv = std::visit([](const auto& typed) { return typed.script_argv(); }, job);
        argv_lines.emplace_back(name, trainspec::shell_join(argv));
        for (auto& line : seed_launch(job)) launch_lines.push_back(std::move(line));
    }

    fmt::print("{}: the built-in seed scenarios\n\n", program);
    fmt::print("{}", table.render());
    fmt::print("\nentry script argv:\n");
    std::size_t width = 0;
    for (const auto& [name, line] : argv_lines) width = std::max(width, name.size());
    for (const auto& [name, line] : argv_lines) fmt::print("  {:<{}}  {}\n", name, width, line);
    fmt::print("\nhow each is launched (default hosts; --hosts on the verbs below places them on yours):\n");
    for (const auto& line : launch_lines) fmt::print("{}\n", line);
    fmt::print("\n{} of {} seed scenarios valid\n", seed_specs.size() - invalid, seed_specs.size());
    if (invalid != 0) {
        // The seed specs are part of the program: an invalid one is a defect of the build.
        fmt::print(stderr, "{}: {} of the built-in seed specs are invalid\n", program, invalid);
        return 1;
    }
    return 0;
}

}  // namespace trainspec_gen
