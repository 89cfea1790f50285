#pragma once
// The argv of an MPI launch as it is built: each option remembers the
// setting that wrote it, so that no flag is written twice.

#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/detail/launcher_settings.hpp>
#include <trainspec/detail/limit_text.hpp>
#include <trainspec/detail/mpi_option_names.hpp>
#include <trainspec/render/mpi_options.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/limits.hpp>
#include <trainspec/spec/mpi_flavor.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// The setting that writes the host list (-H, -hosts): the one argument
/// that grows with the job.
inline const std::string hosts_setting = "hosts (from the plan or layout)";

/// Builds the argv and remembers which setting wrote which option, so that
/// extra_args cannot repeat one, and refuses an argument execve would refuse.
class command_builder {
public:
    command_builder(mpi_flavor flavor, std::string launcher) : flavor_(flavor) {
        out_.argv.push_back(std::move(launcher));
    }

    /// Appends `words`; the first is an option written by `setting`, keyed
    /// by its canonical name (plus `key` for -mca NAME, -x NAME, -genv NAME).
    void option(const std::string& setting, std::initializer_list<std::string> words, std::string key = "") {
        for (const auto& word : words) check_argument(setting, word);
        auto canonical = canonical_option(flavor_, *words.begin());
        if (!key.empty()) canonical += " " + key;
        written_.emplace_back(std::move(canonical), setting);
        out_.argv.insert(out_.argv.end(), words.begin(), words.end());
    }

    void launcher_variable(std::string name, std::string value) {
        out_.launcher_environment.push_back({std::move(name), std::move(value)});
    }

    /// A variable for the ranks' program only, set right before it runs.
    void task_variable(std::string name, std::string value) {
        task_environment_.push_back({std::move(name), std::move(value)});
    }
    const std::vector<environment_variable>& task_environment() const { return task_environment_; }

    /// The setting that wrote `canonical`, or nullptr.
    const std::string* writer(const std::string& canonical) const {
        for (const auto& [c, setting] : written_)
            if (c == canonical) return &setting;
        return nullptr;
    }

    /// Appends `words`, the list `setting` (problems name `setting[i]`).
    void append(const std::string& setting, const std::vector<std::string>& words) {
        for (std::size_t i = 0; i < words.size(); ++i) check_argument(fmt::format("{}[{}]", setting, i), words[i]);
        out_.argv.insert(out_.argv.end(), words.begin(), words.end());
    }

    /// The command; `env NAME=value ...` first when the launcher needs
    /// variables, so that argv runs by itself.
    launch_command take() {
        if (!out_.launcher_environment.empty()) {
            std::vector<std::string> argv{"env"};
            argv.reserve(out_.launcher_environment.size() + 1 + out_.argv.size());
            for (const auto& v : out_.launcher_environment) argv.push_back(v.name + "=" + v.value);
            argv.insert(argv.end(), std::make_move_iterator(out_.argv.begin()),
                        std::make_move_iterator(out_.argv.end()));
            out_.argv = std::move(argv);
        }
        return std::move(out_);
    }

private:
    static void check_argument(const std::string& setting, const std::string& word) {
        if (word.size() <= max_argument_bytes) return;
        throw mpi_launch_error(setting,
                               fmt::format("an argument of {} bytes; {} has at most {} bytes, so the line could not "
                                           "run{} (docs/limits.md)",
                                           word.size(), argument_limit_text, max_argument_bytes,
                                           setting == hosts_setting ? ": give the hosts in a hostfile" : ""));
    }

    mpi_flavor flavor_;
    launch_command out_;
    std::vector<std::pair<std::string, std::string>> written_;
    std::vector<environment_variable> task_environment_;
};

/// Rejects extra_args that the launcher would reject, or that repeat an
/// option a setting already wrote.
inline void check_extra_args(const mpi_launch_options& o, const command_builder& b) {
    const auto& args = o.extra_args;
    const auto settings = extra_args_problems(args);
    if (!settings.empty())
        throw mpi_launch_error(fmt::format("extra_args[{}]", settings.front().index),
                               settings.front().value + ": " + settings.front().rule);
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto setting = fmt::format("extra_args[{}]", i);
        const auto name = option_name(args[i]);
        auto c = canonical_option(o.flavor, args[i]);
        if (c.empty()) continue;
        if (is_hydra(o.flavor) && is_open_mpi_only(o.flavor, name))
            throw mpi_launch_error(setting, quote_json(args[i]) + " is an Open MPI option; " +
                                                (o.flavor == mpi_flavor::intel ? "Intel MPI" : "MPICH") +
                                                "'s mpiexec rejects it (\"unrecognized argument " + name + "\")");
        if (o.flavor == mpi_flavor::openmpi && is_hydra_only(name))
            throw mpi_launch_error(setting, quote_json(args[i]) +
                                                " is a Hydra (MPICH, Intel MPI) option; Open MPI's mpirun rejects "
                                                "it (\"unknown option\")");
        // -mca NAME VALUE, -x NAME[=VALUE], -genv NAME VALUE (or NAME=VALUE)
        // are keyed by NAME; the words after them are no options.
        std::size_t skip = 0;
        std::string shown = quote_json(args[i]);
        if (c == "mca" || c == "x" || c == "genv") {
            if (i + 1 >= args.size()) throw mpi_launch_error(setting, shown + " lacks its argument");
            const auto& key = args[i + 1];
            const bool inline_value = key.find('=') != std::string::npos;
            c += " " + key.substr(0, key.find('='));
            shown += " " + quote_json(key);
            skip = c.rfind("x ", 0) == 0 || (c.rfind("genv ", 0) == 0 && inline_value) ? 1 : 2;
        }
        if (const auto* by = b.writer(c))
            throw mpi_launch_error(setting, shown + " repeats an option already written from " + *by +
                                                "; change that setting instead of adding the flag again");
        i += skip;
    }
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
