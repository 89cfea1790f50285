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
// Exit status: 0 success, 2 bad input or usage, 1 internal failure.
// Results go to stdout, problems and errors to stderr.

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include <trainspec/consume/tf_config.hpp>
#include <trainspec/trainspec.hpp>

#include "artifacts.hpp"
#include "cli.hpp"
#include "example_support.hpp"
#include "output_dir.hpp"
#include "render_options.hpp"
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

/// The file at `path` ("-" is standard input). Throws input_error naming
/// what was read (`what`: "spec", "hostfile"), the file and the system's reason.
spec_text read_input_file(const std::string& path, std::string_view what) {
    spec_text input;
    if (path == "-") {
        input.name = "<stdin>";
        if (!read_all(stdin, input.text))
            throw input_error("cannot read the " + std::string(what) +
                              " from standard input: " + std::string(std::strerror(errno)));
        return input;
    }
    input.name = path;
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr)
        throw input_error("cannot read " + std::string(what) + " '" + trainspec_gen::one_line(path) +
                          "': " + std::strerror(errno));
    const bool ok = read_all(file, input.text);
    const int read_errno = errno;
    std::fclose(file);
    if (!ok)
        throw input_error("cannot read " + std::string(what) + " '" + trainspec_gen::one_line(path) +
                          "': " + std::strerror(read_errno));
    return input;
}

spec_text read_spec_file(const std::string& path) { return read_input_file(path, "spec"); }

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
    void add_problems(const std::string& source, const trainspec::problems& found, const std::string& headline) {
        for (const auto& p : found)
            lines_.push_back(trainspec_gen::one_line(source) + ": " + trainspec_gen::one_line(trainspec::to_string(p)));
        lines_.push_back(std::string(program) + ": " + trainspec_gen::one_line(headline) + ": " +
                         example_support::count_of(static_cast<std::int64_t>(found.size()), "problem", "problems"));
    }
    void add_error(std::string_view message) {
        lines_.push_back(std::string(program) + ": " + trainspec_gen::one_line(message));
    }

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
    std::string_view option;
    bool is_switch;
};

trainspec::problems named_by_options(trainspec::problems found, const arguments& args,
                                     const std::vector<option_source>& sources) {
    for (auto& p : found)
        for (const auto& source : sources)
            if (p.path == source.path && args.has(source.option)) {
                p.path = std::string(source.option);
                if (source.is_switch) p.value.clear();
            }
    return found;
}

/// The job a valid spec describes; problems go to `report`, named by the
/// options in `sources` that were given.
std::optional<trainspec::any_job> load_valid_job(const spec_text& spec, input_report& report,
                                                 const arguments* args = nullptr,
                                                 const std::vector<option_source>* sources = nullptr) {
    const trainspec::problems found = trainspec::check_spec(spec.text);
    if (!found.empty()) {
        report.add_problems(spec.name, args != nullptr ? named_by_options(found, *args, *sources) : found,
                            spec.name + " is not a valid job");
        return std::nullopt;
    }
    return trainspec::load_job(spec.text);
}

/// The spec with the values of the options that replace a spec key
/// (--registry); as it is when none was given or it is no JSON object (its
/// own problems are then reported).
spec_text with_spec_overrides(spec_text spec, const arguments& args) {
    std::vector<std::pair<std::string_view, std::string>> overrides;
    for (const auto& o : trainspec_gen::render_options())
        if (!o.spec_key.empty())
            if (auto value = args.value(o.declaration.name)) overrides.emplace_back(o.spec_key, *value);
    if (overrides.empty()) return spec;
    auto doc = nlohmann::ordered_json::parse(spec.text, nullptr, false);
    if (!doc.is_object()) return spec;
    for (const auto& [key, value] : overrides) doc[std::string(key)] = value;
    spec.text = doc.dump();
    return spec;
}

/// The largest environment file the generator reads into an image's build context.
constexpr std::uintmax_t max_environment_file_bytes = 1 << 20;

/// `file` (the value of `field`) inside the source directory `dir`, read
/// whole. Throws input_error naming the field when it cannot be read, is
/// not a regular file, leads outside the directory or is too large.
std::string read_project_file(const std::string& dir, const std::string& file, std::string_view field) {
    namespace fs = std::filesystem;
    const std::string shown = std::string(field) + " '" + trainspec_gen::one_line(file) + "'";
    std::error_code ec;
    const fs::path root = fs::canonical(dir.empty() ? "." : dir, ec);
    if (ec)
        throw input_error(shown + ": cannot read source_directory '" + trainspec_gen::one_line(dir) +
                          "': " + ec.message());
    const fs::path path = fs::canonical(root / file, ec);
    if (ec)
        throw input_error(shown + ": cannot read '" + trainspec_gen::one_line((fs::path(dir) / file).string()) +
                          "': " + ec.message());
    if (std::mismatch(root.begin(), root.end(), path.begin(), path.end()).first != root.end())
        throw input_error(shown + ": leads to '" + trainspec_gen::one_line(path.string()) +
                          "', outside source_directory");
    if (!fs::is_regular_file(path, ec)) throw input_error(shown + ": is not a regular file");
    const auto size = fs::file_size(path, ec);
    if (ec || size > max_environment_file_bytes)
        throw input_error(shown + ": has more than " + std::to_string(max_environment_file_bytes) +
                          " bytes, more than an environment file holds");
    return read_input_file(path.string(), field).text;
}

/// The contents of the environment files a job whose image is built names
/// in its source directory: they are part of the image, and of its tag.
trainspec::environment_file_contents read_environment_files(const trainspec::job_spec& s) {
    trainspec::environment_file_contents contents;
    if (!trainspec::builds_image(s)) return contents;
    if (s.pip_requirements_file)
        contents.pip_requirements_file =
            read_project_file(s.source_directory, *s.pip_requirements_file, "pip_requirements_file");
    if (s.conda_dependencies_file)
        contents.conda_dependencies_file =
            read_project_file(s.source_directory, *s.conda_dependencies_file, "conda_dependencies_file");
    return contents;
}

// ---- descriptions ----

/// One line about a valid job: name, backend, nodes, tasks, target, framework.
std::string summary(const trainspec::job_spec& s) {
    using example_support::count_of;
    return "job " + trainspec::effective_job_name(s) + ", " +
           std::string(trainspec::backend_label(trainspec::effective_backend(s))) + ", " +
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

// ---- option values ----

/// `--hosts H`: `host:slots,host:slots`, or a hostfile when H names an
/// existing file or is `@FILE`.
std::vector<trainspec::host> read_hosts(const std::string& value) {
    std::string path;
    if (!value.empty() && value.front() == '@') {
        path = value.substr(1);
        if (path.empty()) throw input_error("--hosts @: the hostfile name after '@' is missing");
    } else {
        std::error_code ec;
        const auto status = std::filesystem::status(value, ec);
        if (!ec && std::filesystem::exists(status) && !std::filesystem::is_directory(status)) path = value;
    }
    try {
        if (path.empty()) return trainspec::parse_host_list(value);
        return trainspec::parse_hostfile(read_input_file(path, "hostfile").text);
    } catch (const trainspec::host_list_error& e) {
        const std::string where =
            path.empty() ? std::string("--hosts") : "hostfile '" + trainspec_gen::one_line(path) + "'";
        throw input_error(where + ": " + (e.item().empty() ? e.reason() : std::string(e.what())));
    }
}

trainspec::plan_options plan_options_from(const arguments& args) {
    trainspec::plan_options options;
    if (auto hosts = args.value("--hosts")) options.hosts = read_hosts(*hosts);
    if (auto port = args.value("--port")) {
        const auto number = trainspec_gen::parse_whole_number(*port, 65535);
        if (!number || *number < 1)
            throw input_error("--port '" + trainspec_gen::one_line(*port) + "': expected a port number, 1-65535");
        options.port = *number;
    }
    options.unique_ports = args.has("--unique-ports");
    return options;
}

/// The problems of planning, named by the options that caused them.
const std::vector<option_source>& plan_option_sources() {
    static const std::vector<option_source> sources = {{"hosts", "--hosts", false}, {"port", "--port", false}};
    return sources;
}

struct task_ref {
    trainspec::task_type type;
    int index;
};

std::vector<std::string> task_type_names() { return {"chief", "worker", "ps", "evaluator"}; }

/// `--task TYPE:INDEX`.
task_ref parse_task_ref(const std::string& text) {
    const std::string shown = "--task '" + trainspec_gen::one_line(text) + "'";
    const auto colon = text.find(':');
    if (colon == std::string::npos) throw input_error(shown + ": expected TYPE:INDEX, for example worker:0");
    const std::string type_name = text.substr(0, colon);
    const auto type = trainspec::enum_from_name<trainspec::task_type>(type_name);
    if (!type) {
        std::string hint = trainspec_gen::did_you_mean(type_name, task_type_names());
        if (hint.empty() && type_name == "master")
            hint = "; the chief is chief:0 (the sagemaker profile writes it as \"master\")";
        throw input_error(shown + ": unknown task type '" + trainspec_gen::one_line(type_name) + "'" + hint +
                          " (types: chief, worker, ps, evaluator)");
    }
    constexpr int max_index = 1'000'000'000;
    const auto index = trainspec_gen::parse_whole_number(text.substr(colon + 1), max_index);
    if (!index) throw input_error(shown + ": the index must be a whole number from 0 to " + std::to_string(max_index));
    return {*type, *index};
}

std::vector<std::string> split_names(std::string_view list) {
    std::vector<std::string> names;
    std::size_t start = 0;
    while (start <= list.size()) {
        auto comma = list.find(',', start);
        if (comma == std::string_view::npos) comma = list.size();
        auto name = list.substr(start, comma - start);
        while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
        names.emplace_back(name);
        start = comma + 1;
    }
    return names;
}

trainspec::tf_config_options tf_config_options_from(const arguments& args) {
    trainspec::tf_config_options options;
    if (auto name = args.value("--profile")) {
        options.profile = trainspec::enum_from_name<trainspec::tf_profile>(*name);
        if (!options.profile)
            throw input_error(
                "--profile '" + trainspec_gen::one_line(*name) + "': unknown profile" +
                trainspec_gen::did_you_mean(*name, split_names(trainspec::enum_name_list<trainspec::tf_profile>())) +
                " (profiles: " + std::string(trainspec::enum_name_list<trainspec::tf_profile>()) + ")");
    }
    if (auto ns = args.value("--namespace")) options.kubernetes_namespace = *ns;
    if (auto domain = args.value("--cluster-domain")) options.cluster_domain = *domain;
    if (auto layer = args.value("--rpc-layer")) options.rpc_layer = *layer;
    if (args.has("--sparse")) options.sparse = true;
    return options;
}

/// The problems of writing TF_CONFIG, named by the options that caused them.
const std::vector<option_source>& tf_config_option_sources() {
    static const std::vector<option_source> sources = {
        {"hosts", "--hosts", false},
        {"tf_config.profile", "--profile", false},
        {"tf_config.sparse", "--sparse", true},
        {"tf_config.rpc_layer", "--rpc-layer", false},
        {"namespace", "--namespace", false},
        {"cluster_domain", "--cluster-domain", false},
    };
    return sources;
}

/// Plans `job`; problems (too few hosts, ...) go to `report`, named by the
/// options that caused them.
std::optional<trainspec::any_cluster> plan_job(const spec_text& spec, const trainspec::any_job& job,
                                               const trainspec::plan_options& options, const arguments& args,
                                               const std::vector<option_source>& sources, input_report& report) {
    try {
        return trainspec::plan(job, options);
    } catch (const trainspec::validation_error& e) {
        report.add_problems(spec.name, named_by_options(e.all(), args, sources), "cannot plan " + spec.name);
        return std::nullopt;
    }
}

const std::vector<trainspec::task>& tasks_of(const trainspec::any_cluster& c) {
    return std::visit([](const auto& typed) -> const std::vector<trainspec::task>& { return typed.tasks(); }, c);
}

// ---- verbs ----

int run_validate(const arguments& args) {
    const spec_text spec = read_spec_file(args.operands.at(0));
    input_report report;
    const auto job = load_valid_job(spec, report);
    report.raise_if_any();
    fmt::print("{}: valid: {}\n", trainspec_gen::one_line(spec.name),
               trainspec_gen::one_line(summary(trainspec::spec_of(*job))));
    return 0;
}

std::string plan_json(const std::vector<trainspec::task>& tasks) {
    using json = nlohmann::ordered_json;
    json doc = json::array();
    for (const auto& t : tasks) {
        json row;
        row["type"] = std::string(trainspec::enum_name(t.type));
        row["index"] = t.index;
        row["host"] = t.host;
        row["port"] = t.port == 0 ? json(nullptr) : json(t.port);
        row["rank"] = t.rank;
        row["local_rank"] = t.local_rank;
        row["gpus"] = t.gpus ? json(*t.gpus) : json(nullptr);
        doc.push_back(std::move(row));
    }
    return doc.dump(2) + "\n";
}

std::string plan_table(const std::vector<trainspec::task>& tasks) {
    trainspec_gen::text_table table(
        {{"type"}, {"index", true}, {"host"}, {"port", true}, {"rank", true}, {"local_rank", true}, {"gpus"}});
    for (const auto& t : tasks)
        table.add_row({std::string(trainspec::enum_name(t.type)), std::to_string(t.index), t.host,
                       t.port == 0 ? "-" : std::to_string(t.port), std::to_string(t.rank), std::to_string(t.local_rank),
                       example_support::gpus_label(t.gpus)});
    return table.render();
}

int run_plan(const arguments& args) {
    const spec_text spec = read_spec_file(args.operands.at(0));
    input_report report;
    const auto options = report.attempt([&] { return plan_options_from(args); });
    const auto job = load_valid_job(spec, report);
    report.raise_if_any();
    const auto cluster = plan_job(spec, *job, *options, args, plan_option_sources(), report);
    report.raise_if_any();
    const auto& tasks = tasks_of(*cluster);
    fmt::print("{}", args.has("--json") ? plan_json(tasks) : plan_table(tasks));
    return 0;
}

constexpr std::string_view no_kubeflow_tf_config =
    "note: the Kubeflow training operator sets no TF_CONFIG for a job of one replica";

/// The TF_CONFIG lines of a planned job: one task's, or every task's with
/// its `TYPE:INDEX ` in front.
template <class Backend>
void print_tf_configs(const spec_text& spec, const trainspec::cluster<Backend>& c,
                      const std::optional<task_ref>& wanted, const trainspec::tf_config_options& options,
                      const arguments& args, input_report& report) {
    if (wanted) {
        const bool exists = std::any_of(c.tasks().begin(), c.tasks().end(), [&](const trainspec::task& t) {
            return t.type == wanted->type && t.index == wanted->index;
        });
        if (!exists) {
            report.add_error("no task " + example_support::task_label(wanted->type, wanted->index) + "; this job has " +
                             example_support::task_ranges(c.tasks()));
            report.raise_if_any();
        }
    }
    try {
        if (wanted) {
            const auto json = trainspec::tf_config(c, wanted->type, wanted->index, options);
            if (json)
                fmt::print("{}\n", *json);
            else
                fmt::print(stderr, "{}: {}\n", program, no_kubeflow_tf_config);
            return;
        }
        const auto all = trainspec::tf_configs(c, options);
        if (all.empty()) fmt::print(stderr, "{}: {}\n", program, no_kubeflow_tf_config);
        for (const auto& one : all) fmt::print("{} {}\n", example_support::task_label(one.type, one.index), one.json);
    } catch (const trainspec::validation_error& e) {
        report.add_problems(spec.name, named_by_options(e.all(), args, tf_config_option_sources()),
                            "cannot write the TF_CONFIG of " + spec.name);
        report.raise_if_any();
    }
}

int run_tf_config(const arguments& args) {
    const bool all = args.has("--all");
    if (all && args.has("--task")) throw usage_error("tf-config: give --task TYPE:INDEX or --all, not both");
    if (!all && !args.has("--task")) throw usage_error("tf-config: missing --task TYPE:INDEX (or --all)");

    const spec_text spec = read_spec_file(args.operands.at(0));
    input_report report;
    std::optional<task_ref> wanted;
    if (!all) wanted = report.attempt([&] { return parse_task_ref(*args.value("--task")); });
    const auto plan_options = report.attempt([&] { return plan_options_from(args); });
    const auto options = report.attempt([&] { return tf_config_options_from(args); });
    const auto job = load_valid_job(spec, report);
    report.raise_if_any();

    const auto backend = trainspec::backend_of(*job);
    if (backend == trainspec::backend_kind::mpi)
        throw input_error("TF_CONFIG is written only for ps and multi_worker jobs; " + spec.name +
                          " is an mpi job, whose ranks find each other through MPI");
    if (backend == trainspec::backend_kind::single_node)
        throw input_error("TF_CONFIG is written only for ps and multi_worker jobs; " + spec.name +
                          " is a single-node job, which needs none");
    const auto profile = options->profile.value_or(trainspec::effective_profile(trainspec::spec_of(*job)));
    if (profile != trainspec::tf_profile::kubeflow)
        for (std::string_view name : {"--namespace", "--cluster-domain"})
            if (args.has(name))
                report.add_error(std::string(name) + " applies to the kubeflow profile only; the profile is " +
                                 std::string(trainspec::enum_name(profile)));
    report.raise_if_any();

    const auto cluster = plan_job(spec, *job, *plan_options, args, tf_config_option_sources(), report);
    report.raise_if_any();
    std::visit(
        [&](const auto& typed) {
            using backend_type = typename std::decay_t<decltype(typed)>::backend;
            if constexpr (trainspec::has_tf_config_v<backend_type>)
                print_tf_configs(spec, typed, wanted, *options, args, report);
        },
        *cluster);
    return 0;
}

// ---- mpirun, hostfile ----

/// `--flavor F`, if given.
std::optional<trainspec::mpi_flavor> flavor_option(const arguments& args) {
    const auto name = args.value("--flavor");
    if (!name) return std::nullopt;
    if (auto flavor = trainspec::enum_from_name<trainspec::mpi_flavor>(*name)) return flavor;
    throw input_error(
        "--flavor '" + trainspec_gen::one_line(*name) + "': unknown flavor" +
        trainspec_gen::did_you_mean(*name, split_names(trainspec::enum_name_list<trainspec::mpi_flavor>())) +
        " (flavors: " + std::string(trainspec::enum_name_list<trainspec::mpi_flavor>()) + ")");
}

/// `--allow-run-as-root HOW`, if given.
std::optional<trainspec::run_as_root> run_as_root_option(const arguments& args) {
    const auto name = args.value("--allow-run-as-root");
    if (!name) return std::nullopt;
    if (auto how = trainspec::run_as_root_from_name(*name)) return how;
    throw input_error("--allow-run-as-root '" + trainspec_gen::one_line(*name) + "': expected flag or environment" +
                      trainspec_gen::did_you_mean(*name, {"flag", "environment"}));
}

/// `--ssh-port P`, if given.
std::optional<int> ssh_port_option(const arguments& args) {
    const auto port = args.value("--ssh-port");
    if (!port) return std::nullopt;
    const auto number = trainspec_gen::parse_whole_number(*port, 65535);
    if (!number || *number < 1)
        throw input_error("--ssh-port '" + trainspec_gen::one_line(*port) + "': expected a port number, 1-65535");
    return number;
}

/// `--hostfile-path PATH`, if given.
std::optional<std::string> hostfile_path_option(const arguments& args) {
    auto path = args.value("--hostfile-path");
    if (path && path->empty()) throw input_error("--hostfile-path: the path is empty");
    return path;
}

/// The spec's mpi settings the command line can override, and the options
/// that override them.
const std::vector<option_source>& mpi_option_sources() {
    static const std::vector<option_source> sources = {
        {"hosts", "--hosts", false},
        {"mpi.flavor", "--flavor", false},
        {"mpi.allow_run_as_root", "--allow-run-as-root", false},
        {"mpi.network_interface", "--network-interface", false},
        {"mpi.ssh_port", "--ssh-port", false},
    };
    return sources;
}

/// Stops with exit status 2 unless `job` is an mpi job.
void require_mpi_job(std::string_view verb_name, const spec_text& spec, const trainspec::any_job& job) {
    const auto backend = trainspec::backend_of(job);
    if (backend == trainspec::backend_kind::mpi) return;
    const std::string what = backend == trainspec::backend_kind::single_node
                                 ? " is a single-node job, which needs no MPI launcher"
                                 : " is a \"" + std::string(trainspec::enum_name(backend)) +
                                       "\" job, whose tasks find each other through TF_CONFIG (see tf-config)";
    throw input_error(std::string(verb_name) + " applies to distributed_backend \"mpi\" jobs; " + spec.name + what);
}

/// Plans an mpi job; problems go to `report`, named by the options that caused them.
std::optional<trainspec::cluster<trainspec::mpi>> plan_mpi_job(const spec_text& spec,
                                                               const trainspec::job<trainspec::mpi>& job,
                                                               const trainspec::plan_options& options,
                                                               const arguments& args, input_report& report) {
    const auto cluster = plan_job(spec, job, options, args, mpi_option_sources(), report);
    if (!cluster) return std::nullopt;
    return std::get<trainspec::cluster<trainspec::mpi>>(*cluster);
}

/// The name of an mpi_launch_options setting for the user: the option that
/// set it, else its path in the spec.
std::string launch_setting_name(const std::string& setting, const arguments& args) {
    static const std::pair<std::string_view, std::string_view> by_option[] = {
        {"flavor", "--flavor"},
        {"allow_run_as_root", "--allow-run-as-root"},
        {"network_interface", "--network-interface"},
        {"ssh_port", "--ssh-port"},
        {"hostfile", "--hostfile-path"},
    };
    for (const auto& [name, option] : by_option)
        if (setting == name && args.has(option)) return std::string(option);
    if (setting.rfind("hosts", 0) == 0) return args.has("--hosts") ? "--hosts" : "hosts";
    const auto& keys = trainspec::mpi_settings_keys();
    if (std::find(keys.begin(), keys.end(), setting) != keys.end() || setting.rfind("mca[", 0) == 0 ||
        setting.rfind("extra_args[", 0) == 0)
        return "mpi." + setting;
    return setting;  // environment_variables["NAME"], np, ...
}

int run_mpirun(const arguments& args) {
    const spec_text spec = read_spec_file(args.operands.at(0));
    input_report report;
    const auto plan_options = report.attempt([&] { return plan_options_from(args); });
    const auto flavor = report.attempt([&] { return flavor_option(args); });
    const auto root = report.attempt([&] { return run_as_root_option(args); });
    const auto ssh_port = report.attempt([&] { return ssh_port_option(args); });
    const auto hostfile_path = report.attempt([&] { return hostfile_path_option(args); });
    const auto loaded = load_valid_job(spec, report);
    report.raise_if_any();
    require_mpi_job("mpirun", spec, *loaded);

    // The command line overrides the spec's mpi settings; the job rules
    // then check the result (an Open MPI setting with --flavor mpich, ...).
    trainspec::job_spec merged = trainspec::spec_of(*loaded);
    auto& settings = merged.mpi ? *merged.mpi : merged.mpi.emplace();
    if (*flavor) settings.flavor = *flavor;
    if (*root) settings.allow_run_as_root = *root;
    if (auto nic = args.value("--network-interface")) settings.network_interface = *nic;
    if (*ssh_port) settings.ssh_port = *ssh_port;
    if (const auto found = trainspec::validate(merged); !found.empty()) {
        const auto with_flavor = args.has("--flavor") && *flavor
                                     ? " with --flavor " + std::string(trainspec::enum_name(**flavor))
                                     : std::string();
        report.add_problems(spec.name, named_by_options(found, args, mpi_option_sources()),
                            "cannot launch " + spec.name + with_flavor);
        report.raise_if_any();
    }
    const auto job = trainspec::make_job_as<trainspec::mpi>(merged);
    const auto cluster = plan_mpi_job(spec, job, *plan_options, args, report);
    report.raise_if_any();

    auto options = trainspec::mpi_launch_options_from(merged);
    if (*hostfile_path) options.hostfile = **hostfile_path;
    trainspec::launch_command command;
    try {
        command = trainspec::mpirun_command(*cluster, options);
    } catch (const trainspec::mpi_launch_error& e) {
        report.add_problems(spec.name, {{launch_setting_name(e.setting(), args), "", e.reason()}},
                            "cannot write the launch command of " + spec.name);
        report.raise_if_any();
    }

    if (!args.has("--print0")) {
        fmt::print("{}\n", command.shell_line());
        return 0;
    }
    // A NUL-separated argv carries no environment: rather than print a
    // command that would launch without it, refuse.
    if (!command.launcher_environment.empty()) {
        std::string names;
        bool root_permission = false;
        for (const auto& v : command.launcher_environment) {
            names += (names.empty() ? "" : ", ") + v.name;
            root_permission = root_permission || v.name.rfind("OMPI_ALLOW_RUN_AS_ROOT", 0) == 0;
        }
        throw input_error("--print0 writes the argv alone, but this launch also needs " + names +
                          " in the launcher's environment; leave out --print0 for the shell line, which sets them" +
                          (root_permission ? std::string(", or use --allow-run-as-root flag") : std::string()));
    }
    for (const auto& word : command.argv) {
        std::fwrite(word.data(), 1, word.size(), stdout);
        std::fputc('\0', stdout);
    }
    return 0;
}

int run_hostfile(const arguments& args) {
    if (!args.has("--hosts")) throw usage_error("hostfile: missing --hosts H");
    const spec_text spec = read_spec_file(args.operands.at(0));
    input_report report;
    const auto plan_options = report.attempt([&] { return plan_options_from(args); });
    const auto flavor = report.attempt([&] { return flavor_option(args); });
    const auto loaded = load_valid_job(spec, report);
    report.raise_if_any();
    require_mpi_job("hostfile", spec, *loaded);

    const auto& job = std::get<trainspec::job<trainspec::mpi>>(*loaded);
    const auto cluster = plan_mpi_job(spec, job, *plan_options, args, report);
    report.raise_if_any();
    try {
        fmt::print("{}",
                   trainspec::hostfile_text(*cluster, flavor->value_or(trainspec::effective_mpi_flavor(job.spec()))));
    } catch (const trainspec::mpi_launch_error& e) {
        report.add_problems(spec.name, {{launch_setting_name(e.setting(), args), "", e.reason()}},
                            "cannot write the hostfile of " + spec.name);
        report.raise_if_any();
    }
    return 0;
}

// ---- render, generate ----

/// The problems of rendering, named by the options that caused them.
const std::vector<option_source>& render_option_sources() {
    static const std::vector<option_source> sources = [] {
        std::vector<option_source> list;
        for (const auto& o : trainspec_gen::render_options())
            if (!o.setting.empty()) list.push_back({o.setting, o.declaration.name, o.declaration.value_name.empty()});
        return list;
    }();
    return sources;
}

/// Records a rendering error of the library in `report`: validation
/// problems and launch settings as problems of the spec. False for an
/// artifact_error (the artifact cannot be made for the job).
bool report_render_error(const std::exception_ptr& error, const spec_text& spec, const std::string& headline,
                         const arguments& args, input_report& report) {
    try {
        std::rethrow_exception(error);
    } catch (const trainspec::validation_error& e) {
        report.add_problems(spec.name, named_by_options(e.all(), args, render_option_sources()), headline);
        return true;
    } catch (const trainspec::mpi_launch_error& e) {
        report.add_problems(spec.name, {{launch_setting_name(e.setting(), args), "", e.reason()}}, headline);
        return true;
    } catch (const trainspec::artifact_error&) {
        return false;
    }
}

int run_render(const arguments& args) {
    if (!args.has("--target")) throw usage_error("render: missing --target T");
    const std::string target = *args.value("--target");
    const trainspec_gen::artifact_entry* entry = trainspec_gen::find_artifact(target);
    if (entry == nullptr) {
        std::string names;
        for (const auto& name : trainspec_gen::artifact_target_names()) names += (names.empty() ? "" : ", ") + name;
        throw input_error("--target '" + trainspec_gen::one_line(target) + "': unknown target" +
                          trainspec_gen::did_you_mean(target, trainspec_gen::artifact_target_names()) +
                          " (targets: " + names + ")");
    }
    const std::string where = "render --target " + target;
    const spec_text spec = with_spec_overrides(read_spec_file(args.operands.at(0)), args);
    input_report report;
    for (const auto& o : trainspec_gen::render_options()) {
        const auto& name = o.declaration.name;
        if (!args.has(name) || std::find(o.targets.begin(), o.targets.end(), entry->kind) != o.targets.end()) continue;
        std::string targets;
        for (const auto kind : o.targets)
            for (const auto& a : trainspec_gen::artifacts())
                if (a.kind == kind) targets += (targets.empty() ? "" : ", ") + std::string(a.target);
        report.add_error(where + ": " + std::string(name) + " applies to --target " + targets + " only");
    }
    const auto plan_options = report.attempt([&] { return plan_options_from(args); });
    auto settings = report.attempt([&] { return trainspec_gen::render_settings_from(args); });
    const auto job = load_valid_job(spec, report, &args, &render_option_sources());
    report.raise_if_any();
    if (trainspec_gen::names_image(entry->kind) && !settings->image)
        settings->environment_files = read_environment_files(trainspec::spec_of(*job));

    try {
        trainspec_gen::check_applies(entry->kind, *job);
    } catch (const trainspec_gen::not_applicable& e) {
        throw input_error(where + ": " + e.what() +
                          (e.instead().empty() ? std::string() : " (use --target " + e.instead() + ")"));
    }
    std::optional<trainspec::any_cluster> cluster;
    if (entry->needs_plan) {
        cluster = plan_job(spec, *job, *plan_options, args, render_option_sources(), report);
        report.raise_if_any();
    }
    std::string text;
    try {
        text = trainspec_gen::render_artifact(entry->kind, *job, cluster, *settings);
    } catch (const trainspec::error& e) {
        if (report_render_error(std::current_exception(), spec, where + ": cannot render " + spec.name, args, report))
            report.raise_if_any();
        throw input_error(where + ": " + e.what());
    }
    fmt::print("{}", text);
    return 0;
}

/// `source` (relative to the current directory, or absolute) as a path
/// from `dir`.
std::string source_from(const std::string& dir, const std::string& source) {
    namespace fs = std::filesystem;
    if (!source.empty() && source.front() == '/') return source;
    const fs::path from = fs::absolute(dir).lexically_normal();
    const fs::path to = fs::absolute(source.empty() ? "." : source).lexically_normal();
    auto relative = to.lexically_relative(from);
    if (relative.empty()) return to.generic_string();
    return relative.generic_string();
}

int run_generate(const arguments& args) {
    if (!args.has("--out")) throw usage_error("generate: missing --out DIR");
    const std::string dir = *args.value("--out");
    if (dir.empty()) throw input_error("--out: the directory name is empty");
    const spec_text spec = with_spec_overrides(read_spec_file(args.operands.at(0)), args);
    input_report report;
    const auto plan_options = report.attempt([&] { return plan_options_from(args); });
    auto settings = report.attempt([&] { return trainspec_gen::render_settings_from(args); });
    const auto job = load_valid_job(spec, report, &args, &render_option_sources());
    report.raise_if_any();
    const auto cluster = plan_job(spec, *job, *plan_options, args, render_option_sources(), report);
    report.raise_if_any();
    settings->environment_files = read_environment_files(trainspec::spec_of(*job));
    // The files find the source directory from where they are written.
    settings->source_from_output = source_from(dir, trainspec::spec_of(*job).source_directory);

    // Everything is rendered before anything is written: an error leaves
    // the directory as it was.
    std::vector<trainspec_gen::output_file> files;
    std::vector<std::string> skipped;
    for (const auto& entry : trainspec_gen::artifacts()) {
        const std::string file(entry.file);
        try {
            auto text = trainspec_gen::render_artifact(entry.kind, *job, cluster, *settings);
            files.push_back({file, trainspec_gen::artifact_file_content(entry.kind, std::move(text)),
                             trainspec_gen::is_script(entry.kind)});
        } catch (const trainspec_gen::not_applicable& e) {
            skipped.push_back(file + ": " + e.what());
        } catch (const trainspec::error& e) {
            if (!report_render_error(std::current_exception(), spec,
                                     "cannot render " + file + " of " + spec.name + "; nothing was written", args,
                                     report))
                skipped.push_back(file + ": " + e.what());
        }
    }
    report.raise_if_any();
    // The rest of the image's build context: copies of the job's own
    // environment files.
    if (trainspec::builds_image(trainspec::spec_of(*job)))
        for (auto& f : trainspec::image_of(*job, settings->environment_files).context)
            if (std::none_of(files.begin(), files.end(), [&](const auto& w) { return w.name == f.name; }))
                files.push_back({f.name, std::move(f.content), false});
    files.push_back({"plan.json", plan_json(tasks_of(*cluster)), false});
    // An mpi job placed on real hosts is also launched with mpirun directly.
    if (const auto* c = std::get_if<trainspec::cluster<trainspec::mpi>>(&*cluster);
        c != nullptr && args.has("--hosts")) {
        try {
            files.push_back(
                {"hostfile", trainspec::hostfile_text(*c, trainspec::effective_mpi_flavor(c->job().spec())), false});
            files.push_back({"launch.sh", trainspec_gen::mpi_launch_script(*c, *settings), true});
        } catch (const trainspec::mpi_launch_error& e) {
            report.add_problems(spec.name, {{launch_setting_name(e.setting(), args), "", e.reason()}},
                                "cannot write launch.sh of " + spec.name + "; nothing was written");
            report.raise_if_any();
        }
    }

    const auto written = trainspec_gen::write_files_atomically(dir, files, args.has("--force"));
    for (const auto& note : skipped)
        fmt::print(stderr, "{}: note: skipped {}\n", program, trainspec_gen::one_line(note));
    trainspec_gen::text_table table({{"file"}, {"bytes", true}, {"status"}});
    for (const auto& w : written)
        table.add_row({w.name, std::to_string(w.bytes), std::string(trainspec_gen::write_status_name(w.status))});
    fmt::print("{}", table.render());
    return 0;
}

int run_check_tf_config(const arguments& args);

/// A verb's own options, then every option of the renderers.
std::vector<trainspec_gen::option> with_render_options(std::vector<trainspec_gen::option> own) {
    for (const auto& o : trainspec_gen::render_options()) own.push_back(o.declaration);
    return own;
}

/// Every verb, in the order --help lists them. A verb's entry names its
/// operands and options; parse_arguments() checks a command line against it.
const std::vector<verb>& verbs() {
    static const std::vector<verb> table = {
        {"validate",
         "SPEC",
         "",
         "exit 0, or exit 2 listing every problem (JSON path + rule)",
         1,
         1,
         {},
         run_validate,
         ""},
        {"plan",
         "SPEC",
         "",
         "the task table: type, index, host, port, rank, local rank, GPUs",
         1,
         1,
         {
             {"--hosts", "H", "host:slots,host:slots, or a hostfile: @FILE or an existing FILE"},
             {"--port", "P", "the first port of the tasks on a host (default: the spec's port, 2222)"},
             {"--unique-ports", "", "every task its own port (port + rank), for hosts sharing one address"},
             {"--json", "", "a JSON array, one object per task, instead of the table"},
         },
         run_plan,
         "Columns: port is '-' for tasks that listen on none (MPI ranks, a single process);\n"
         "gpus is the task's CUDA_VISIBLE_DEVICES: '-' not restricted, 'none' no GPU, else the list.\n"
         "JSON keys: type, index, host, port (null for none), rank, local_rank, gpus (null or array).\n"},
        {"tf-config",
         "SPEC",
         "(--task TYPE:INDEX | --all)",
         "one task's TF_CONFIG, one line; --all: every task's, one line each",
         1,
         1,
         {
             {"--task", "TYPE:INDEX", "the task: chief, worker, ps or evaluator, and its index"},
             {"--all", "", "every task, by rank, each line starting with TYPE:INDEX and a space"},
             {"--hosts", "H", "host:slots,host:slots, or a hostfile: @FILE or an existing FILE"},
             {"--profile", "P", "tf2 (default), estimator, kubeflow, azureml-v1, sagemaker"},
             {"--namespace", "NS", "kubeflow profile: the TFJob's namespace (default: default)"},
             {"--cluster-domain", "D", "kubeflow profile: the operator's custom cluster domain"},
             {"--rpc-layer", "R", "write \"rpc_layer\": R (for example grpc)"},
             {"--sparse", "", "the Kubeflow operator's sparse form (enableDynamicWorker)"},
         },
         run_tf_config,
         "Only ps and multi_worker jobs have a TF_CONFIG. With the kubeflow profile, a job of\n"
         "one replica gets none, as the Kubeflow training operator sets none.\n"},
        {"mpirun",
         "SPEC",
         "",
         "the launch command of an mpi job, shell-quoted (--print0: its argv)",
         1,
         1,
         {
             {"--hosts", "H", "host:slots,host:slots, or a hostfile: @FILE or an existing FILE"},
             {"--flavor", "F", "openmpi, mpich, intel, horovodrun (default: the spec's mpi.flavor, else openmpi)"},
             {"--allow-run-as-root", "HOW",
              "Open MPI as root: flag (--allow-run-as-root) or environment\n"
              "(OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1); never without asking"},
             {"--network-interface", "IF", "the interface for MPI's TCP traffic and NCCL, for example eth0"},
             {"--ssh-port", "P", "the port of sshd on the hosts (not with mpich)"},
             {"--hostfile-path", "PATH",
              "give the launcher the hostfile at PATH (written by the hostfile verb) instead\n"
              "of listing the hosts"},
             {"--print0", "", "the argv instead of the line: each argument followed by a NUL byte"},
         },
         run_mpirun,
         "The launcher is mpirun (openmpi, intel), mpiexec (mpich) or horovodrun. Every rank\n"
         "runs the spec's mpi.command_prefix (default: python), the entry script and its\n"
         "parameters, placed as the plan places them. The options override the spec's mpi\n"
         "settings. Open MPI gets Horovod's profile: --tag-output -bind-to none -map-by slot\n"
         "-mca pml ob1 -mca btl ^openib, each default replaced or removed by the spec's mpi keys.\n"
         "Variables the launcher itself must have (the environment form of the root permission,\n"
         "values Open MPI's -x cannot carry, horovodrun's variables) come first on the line as\n"
         "NAME=value assignments, so the line can be pasted into sh. --print0 prints the argv\n"
         "alone and is an error when the launch needs such variables.\n"},
        {"hostfile",
         "SPEC",
         "--hosts H",
         "the hostfile of an mpi job, in the flavor's syntax",
         1,
         1,
         {
             {"--hosts", "H", "host:slots,host:slots, or a hostfile: @FILE or an existing FILE"},
             {"--flavor", "F",
              "openmpi, horovodrun: 'host slots=N' lines; mpich, intel: 'host:N' lines\n"
              "(default: the spec's mpi.flavor, else openmpi)"},
         },
         run_hostfile,
         "One line per host, in rank order, with the number of ranks the plan places there.\n"
         "The mpirun verb gives it to the launcher with --hostfile-path FILE.\n"},
        {"render", "SPEC", "--target T",
         "one artifact to stdout: manifest, sbatch script, container file, Azure ML job", 1, 1,
         with_render_options({{"--target", "T",
                               "tfjob (ps, multi_worker jobs), mpijob (mpi jobs), slurm, docker (single-node\n"
                               "jobs), dockerfile, conda, requirements, azureml"}}),
         run_render,
         "Targets: tfjob, the Kubeflow TFJob; mpijob, the MPI operator's MPIJob; slurm, the sbatch\n"
         "script; docker, the docker run line; dockerfile; conda, environment.yml; requirements,\n"
         "requirements.txt; azureml, the Azure ML v2 command job. Manifests and the Azure ML job\n"
         "are JSON indented by two spaces (JSON is valid YAML: kubectl and az ml read it).\n"
         "A target that does not fit the job (a TFJob of an mpi job, a Dockerfile of a job\n"
         "with use_docker false, ...) is an error, exit status 2.\n"},
        {"generate", "SPEC", "--out DIR", "every artifact that applies, written atomically into DIR", 1, 1,
         with_render_options({{"--out", "DIR", "the directory to write to (created when missing)"},
                              {"--force", "", "overwrite files whose content differs"}}),
         run_generate,
         "Files: tfjob.json, mpijob.json, slurm.sbatch, docker-run.sh, Dockerfile, environment.yml,\n"
         "requirements.txt, azureml-job.json (each what render --target prints), and plan.json\n"
         "(plan --json). An artifact that does not apply to the job is skipped with a note on\n"
         "standard error. Everything is rendered first, and every file checked: an invalid job,\n"
         "or an existing file with other content (without --force), writes nothing. Each file\n"
         "goes to a temporary file in DIR, renamed into place; identical files are left\n"
         "unchanged. Prints each file with its size and whether it was written, unchanged or\n"
         "overwritten.\n"},
        {"check-tf-config",
         "[JSON]",
         "",
         "consumer side: parse and validate a TF_CONFIG (default: the environment)",
         0,
         1,
         {
             {"--consumer", "C",
              "the API that reads it: custom (default), estimator, parameter_server_strategy,\n"
              "multi_worker_mirrored_strategy"},
         },
         run_check_tf_config,
         "JSON is the TF_CONFIG text, or - to read it from standard input; without it, the\n"
         "TF_CONFIG environment variable is read.\n"},
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

void print_usage() {
    // Verbs and options share one column layout.
    std::vector<std::pair<std::string, std::string_view>> verb_rows;
    for (const auto& v : verbs()) verb_rows.emplace_back(trainspec_gen::synopsis(v, false), v.summary);
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
    fmt::print("Exit status: 0 success, 2 bad input or usage, 1 internal failure.\n");
}

void print_verb_usage(const verb& v) {
    fmt::print("usage: {} {}\n\n{}\n", program, trainspec_gen::synopsis(v, true), v.summary);
    if (!v.options.empty()) {
        std::vector<std::string> names;
        std::size_t width = 0;
        for (const auto& o : v.options) {
            std::string name = std::string(o.name);
            if (!o.value_name.empty()) name += " " + std::string(o.value_name);
            width = std::max(width, name.size());
            names.push_back(std::move(name));
        }
        fmt::print("\noptions:\n");
        for (std::size_t i = 0; i < v.options.size(); ++i) {
            // Help text that goes on over several lines stays in its column.
            std::string help(v.options[i].help);
            for (auto at = help.find('\n'); at != std::string::npos; at = help.find('\n', at + 1))
                help.insert(at + 1, width + 4, ' ');
            fmt::print("  {:<{}}  {}\n", names[i], width, help);
        }
    }
    if (!v.notes.empty()) fmt::print("\n{}", v.notes);
}

// ---- no arguments: the seed scenarios ----

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
                lines.push_back("    one process on " + typed.tasks().front().host);
            }
        },
        cluster);
    std::string files;
    for (const auto& entry : trainspec_gen::artifacts()) {
        try {
            trainspec_gen::render_artifact(entry.kind, job, cluster, {});
            files += files.empty() ? "" : " ";
            files += entry.file;
        } catch (const std::exception&) {
            // Not for this job (generate skips it with a note).
        }
    }
    lines.push_back("    generate --out DIR writes  " + files);
    return lines;
}

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
                       std::to_string(trainspec::effective_task_count(s)), example_support::task_layout(s),
                       example_support::compute_label(s), trainspec::effective_use_gpu(s) ? "yes" : "no",
                       trainspec::effective_framework_version(s), trainspec::effective_keras(s) ? "yes" : "no",
                       example_support::packages_label(s)});
        std::vector<std::string> argv = std::visit([](const auto& typed) { return typed.script_argv(); }, job);
        argv_lines.emplace_back(name, example_support::shell_line(argv));
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

// ---- check-tf-config ----

trainspec::tf_consumer consumer_from(const arguments& args) {
    const auto name = args.value("--consumer");
    if (!name) return trainspec::tf_consumer::custom;
    if (auto consumer = trainspec::enum_from_name<trainspec::tf_consumer>(*name)) return *consumer;
    throw input_error(
        "--consumer '" + trainspec_gen::one_line(*name) + "': unknown consumer" +
        trainspec_gen::did_you_mean(*name, split_names(trainspec::enum_name_list<trainspec::tf_consumer>())) +
        " (consumers: " + std::string(trainspec::enum_name_list<trainspec::tf_consumer>()) + ")");
}

/// A value of the summary; "-" for none.
std::string or_dash(const std::string& text) { return text.empty() ? "-" : trainspec_gen::one_line(text); }

/// Reads a TF_CONFIG as `consumer` would and summarises what TensorFlow
/// makes of it.
int run_check_tf_config(const arguments& args) {
    const auto consumer = consumer_from(args);
    trainspec::parsed_tf_config parsed;
    try {
        if (args.operands.empty())
            parsed = trainspec::tf_config_from_env(consumer);
        else if (args.operands.front() == "-")
            parsed = trainspec::parse_tf_config(read_input_file("-", "TF_CONFIG").text, consumer);
        else
            parsed = trainspec::parse_tf_config(args.operands.front(), consumer);
    } catch (const trainspec::tf_config_error& e) {
        // TensorFlow's own words, with the field they are about.
        throw input_error(e.field().empty() ? e.message() : "invalid TF_CONFIG: " + std::string(e.what()));
    }

    std::string task = parsed.task_type.empty() ? "-" : parsed.task_type;
    if (!parsed.task_type.empty() && parsed.task_index) task += ":" + std::to_string(*parsed.task_index);
    // A task outside the cluster (an evaluator, or no task at all) has no
    // address; TensorFlow's master() then fails the same way.
    std::string address;
    std::string master;
    try {
        address = parsed.task_address();
    } catch (const trainspec::tf_config_error&) {
        address.clear();
    }
    try {
        master = parsed.master();
    } catch (const trainspec::tf_config_error&) {
        master.clear();
    }
    fmt::print("consumer: {}\n", trainspec::enum_name(consumer));
    fmt::print("task:     {}\n", trainspec_gen::one_line(task));
    fmt::print("address:  {}\n", or_dash(address));
    fmt::print("is_chief: {}\n", parsed.is_chief() ? "true" : "false");
    fmt::print("workers:  {}\n", parsed.num_workers());
    fmt::print("ps:       {}\n", parsed.num_ps());
    fmt::print("master:   {}\n", or_dash(master));
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
    } catch (const reported_input& e) {
        for (const auto& line : e.lines()) fmt::print(stderr, "{}\n", line);
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
