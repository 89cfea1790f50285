#pragma once
// What the verbs of trainspec-gen share: reading the input (a spec, a
// hostfile, --hosts), reporting every problem of it at once, and planning.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <trainspec/trainspec.hpp>

#include "bounded_file.hpp"
#include "cli.hpp"

namespace trainspec_gen {

inline constexpr std::string_view program = "trainspec-gen";

// ---- input ----

struct spec_text {
    std::string name;  ///< how messages name the spec: the path, or <stdin>
    std::string text;
};

/// The file at `path` ("-" is standard input), at most `max_bytes` long
/// (bounded_file.hpp). Throws input_error naming what was read (`what`:
/// "spec", "hostfile"), the file and the reason, never the file's content.
spec_text read_input_file(const std::string& path, std::string_view what, std::uintmax_t max_bytes);

inline spec_text read_spec_file(const std::string& path) {
    return read_input_file(path, "spec", trainspec::max_spec_bytes);
}

/// Throws input_error (starting with `shown`) unless `dir` (relative to the
/// working directory, symbolic links resolved) is inside the working
/// directory and not the root: the project whose files a job uses.
void check_project_directory(const std::string& dir, const std::string& shown);

/// Whether `path` is `root` or inside it (both already resolved).
bool is_within(const std::filesystem::path& root, const std::filesystem::path& path);

// ---- reporting bad input ----

/// Bad input already put into words: every line is printed to stderr as it
/// is, and the program exits with status 2.
class reported_input : public std::runtime_error {
public:
    explicit reported_input(std::vector<std::string> lines)
        : std::runtime_error("bad input"), lines_(std::move(lines)) {}
    const std::vector<std::string>& lines() const noexcept { return lines_; }

private:
    std::vector<std::string> lines_;
};

/// Collects everything wrong with one command's input, so that the user sees
/// every problem at once: spec problems as `SPEC: path = value: rule`, other
/// errors as `trainspec-gen: message`.
class input_report {
public:
    /// Problems of `source`, then `trainspec-gen: <headline>: N problems`.
    void add_problems(const std::string& source, const trainspec::problems& found, const std::string& headline);
    void add_error(std::string_view message);

    /// Runs `step`; an input_error it throws is recorded, and nullopt returned.
    template <class Step>
    auto attempt(Step step) -> std::optional<decltype(step())> {
        try {
            return step();
        } catch (const input_error& e) {
            add_error(e.what());
            return std::nullopt;
        }
    }

    void raise_if_any() const {
        if (!lines_.empty()) throw reported_input(lines_);
    }

private:
    std::vector<std::string> lines_;
};

/// A problem's path named by the option that caused it, when the option was
/// given: `hosts` is `--hosts`, `tf_config.sparse` is `--sparse`, ...
struct option_source {
    std::string_view path;
    const option* source;
};

trainspec::problems named_by_options(trainspec::problems found, const arguments& args,
                                     const std::vector<option_source>& sources);

/// The job a valid spec describes (trusted as --trust-launcher-settings
/// says); problems go to `report`, named by the options in `sources` that
/// were given.
std::optional<trainspec::any_job> load_valid_job(const spec_text& spec, input_report& report, const arguments& args,
                                                 const std::vector<option_source>* sources = nullptr);

// ---- planning ----

/// The plan options of the command line: --hosts, and --port and
/// --unique-ports where the verb takes them. Throws input_error.
trainspec::plan_options plan_options_from(const arguments& args);

/// `value` of option `o` as a port number, 1-65535; throws input_error.
int port_number(const option& o, const std::string& value);

/// Plans `job`; problems (too few hosts, ...) go to `report`, named by the
/// options that caused them.
std::optional<trainspec::any_cluster> plan_job(const spec_text& spec, const trainspec::any_job& job,
                                               const trainspec::plan_options& options, const arguments& args,
                                               const std::vector<option_source>& sources, input_report& report);

const std::vector<trainspec::task>& tasks_of(const trainspec::any_cluster& c);

/// The hosts of a planned job (cluster::hosts()); a task's host_index points
/// into them.
const std::vector<trainspec::host>& hosts_of(const trainspec::any_cluster& c);

/// The plan as JSON: one object per task (plan --json, generate's plan.json).
std::string plan_json(const trainspec::any_cluster& c);

/// The name of an mpi_launch_options setting for the user: the option that
/// set it, else its path in the spec.
std::string launch_setting_name(const std::string& setting, const arguments& args);

}  // namespace trainspec_gen
