// trainspec-gen sweep SPEC: the trials of a grid or random sweep, as a
// table, a JSON array, or one trial as a complete job spec. Trials are
// computed one at a time and written as they come: a million of them take
// no more memory than one.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <trainspec/trainspec.hpp>

#include "input.hpp"
#include "options.hpp"
#include "verbs.hpp"

namespace trainspec_gen {

namespace {

/// A trial's values as the entry script gets them, one per parameter.
std::vector<std::string> trial_cells(const trainspec::sweep_trials& trials, std::int64_t index) {
    std::vector<std::string> cells{std::to_string(index)};
    for (const auto& value : trials.trial(index)) {
        const auto words = trainspec::to_arguments(value.value);
        std::string shown;
        for (std::size_t i = 0; i < words.size(); ++i) shown += (i > 0 ? " " : "") + one_line(words[i]);
        cells.push_back(shown.empty() ? "(flag)" : shown);
    }
    return cells;
}

/// Two passes over the trials: the column widths, then the rows.
void print_table(const trainspec::sweep_trials& trials) {
    std::vector<std::string> header{"trial"};
    for (const auto& parameter : trials.parameters()) header.push_back(one_line(parameter.name));
    std::vector<std::size_t> widths;
    for (const auto& cell : header) widths.push_back(cell.size());
    for (std::int64_t i = 0; i < trials.size(); ++i) {
        const auto cells = trial_cells(trials, i);
        for (std::size_t c = 0; c < cells.size(); ++c) widths[c] = std::max(widths[c], cells[c].size());
    }
    auto print_row = [&](const std::vector<std::string>& cells) {
        std::string line;
        for (std::size_t c = 0; c < cells.size(); ++c) {
            // The trial number right-aligned, the values left-aligned; no trailing blanks.
            if (c == 0)
                line += fmt::format("{:>{}}", cells[c], widths[c]);
            else
                line += "  " + (c + 1 == cells.size() ? cells[c] : fmt::format("{:<{}}", cells[c], widths[c]));
        }
        fmt::print("{}\n", line);
    };
    print_row(header);
    for (std::int64_t i = 0; i < trials.size(); ++i) print_row(trial_cells(trials, i));
}

/// [{"trial": 0, "script_params": {...}}, ...], one trial a line.
void print_json(const trainspec::sweep_trials& trials) {
    fmt::print("[");
    for (std::int64_t i = 0; i < trials.size(); ++i) {
        nlohmann::ordered_json row;
        row["trial"] = i;
        row["script_params"] = trainspec::to_json(trials.trial(i));
        fmt::print("{}\n{}", i == 0 ? "" : ",", row.dump());
    }
    fmt::print("\n]\n");
}

int run_sweep(const arguments& args) {
    const spec_text spec = read_spec_file(args.operands.at(0));
    input_report report;
    std::optional<int> wanted;
    if (auto text = args.value(trial_option)) {
        wanted = parse_whole_number(*text, trainspec::max_sweep_trials - 1);
        if (!wanted)
            report.add_error(std::string(trial_option.name) + " '" + one_line(*text) + "': a trial number from 0 to " +
                             std::to_string(trainspec::max_sweep_trials - 1));
    }
    if (wanted && args.has(json_option))
        report.add_error(std::string(trial_option.name) + " prints a job spec; " + std::string(json_option.name) +
                         " does not apply");
    const auto job = load_valid_job(spec, report, args);
    report.raise_if_any();
    const auto& s = trainspec::spec_of(*job);
    std::optional<trainspec::sweep_trials> trials;
    try {
        trials.emplace(s);
    } catch (const trainspec::validation_error& e) {
        report.add_problems(spec.name, e.all(), "cannot expand the sweep of " + spec.name);
        report.raise_if_any();
    }
    if (wanted) {
        if (*wanted >= trials->size())
            throw input_error(std::string(trial_option.name) + " " + std::to_string(*wanted) + ": the sweep has " +
                              std::to_string(trials->size()) + " trials, 0 to " + std::to_string(trials->size() - 1));
        fmt::print("{}", trainspec::dump_spec(trainspec::trial_spec(s, *wanted)));
    } else if (args.has(json_option)) {
        print_json(*trials);
    } else {
        print_table(*trials);
    }
    return 0;
}

}  // namespace

verb sweep_verb() {
    verb v =
        spec_verb("sweep", "the trials of a grid or random sweep: a table, JSON, or one trial's job spec", run_sweep);
    v.options = {listed(json_option, "a JSON array of {\"trial\": N, \"script_params\": {...}}"), listed(trial_option),
                 listed(trust_launcher_settings_option)};
    v.notes =
        "Grid trials list the parameters' values in spec order, the last parameter varying\n"
        "fastest; random trials draw each parameter from its own stream of the seed (0 when\n"
        "none is given): the same trials on every run and platform. A bayesian sweep cannot\n"
        "be expanded here: each trial depends on the results of the earlier ones.\n";
    return v;
}

}  // namespace trainspec_gen
