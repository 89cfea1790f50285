// The input, the report of its problems and the plan, shared by the verbs.

#include "input.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <variant>

#include <nlohmann/json.hpp>

#include "bounded_file.hpp"
#include "job_labels.hpp"
#include "options.hpp"

namespace trainspec_gen {

namespace {

/// `--hosts H`: `host:slots,host:slots`, or a hostfile when H names an
/// existing file or is `@FILE`.
std::vector<trainspec::host> read_hosts(const std::string& value) {
    std::string path;
    if (!value.empty() && value.front() == '@') {
        path = value.substr(1);
        if (path.empty())
            throw input_error(std::string(hosts_option.name) + " @: the hostfile name after '@' is missing");
    } else {
        std::error_code ec;
        const auto status = std::filesystem::status(value, ec);
        if (!ec && std::filesystem::exists(status)) path = value;  // a directory, a device...: refused when read
    }
    try {
        if (path.empty()) return trainspec::parse_host_list(value);
        const auto text = read_input_file(path, "hostfile", trainspec::max_hostfile_bytes).text;
        if (text.find('\0') != std::string::npos)
            throw input_error("hostfile '" + one_line(path) + "': holds NUL bytes; a hostfile is text");
        return trainspec::parse_hostfile(text);
    } catch (const trainspec::host_list_error& e) {
        const std::string where = path.empty() ? std::string(hosts_option.name) : "hostfile '" + one_line(path) + "'";
        throw input_error(where + ": " + (e.item().empty() ? e.rule() : std::string(e.what())));
    }
}

}  // namespace

spec_text read_input_file(const std::string& path, std::string_view what, std::uintmax_t max_bytes) {
    spec_text input;
    if (path != "-") {
        input.name = path;
        input.text = read_limited_file(path, what, max_bytes);
        return input;
    }
    input.name = "<stdin>";
    const std::string failed_read = "cannot read the " + std::string(what) + " from standard input";
    if (!detail::read_at_most(STDIN_FILENO, max_bytes, input.text)) throw_read_error(failed_read, errno);
    if (input.text.size() > max_bytes)
        throw input_error(failed_read + ": " + over_limit_rule(max_bytes, "a " + std::string(what)));
    return input;
}

bool is_within(const std::filesystem::path& root, const std::filesystem::path& path) {
    return std::mismatch(root.begin(), root.end(), path.begin(), path.end()).first == root.end();
}

/// A directory the artifacts use as the job's source (source_directory,
/// --source-path): inside the working directory once symbolic links are
/// resolved, and not the root.
void check_project_directory(const std::string& dir, const std::string& shown) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path project = fs::canonical(fs::current_path(ec), ec);
    if (ec) throw input_error(shown + ": cannot resolve the working directory: " + ec.message());
    const fs::path resolved = fs::weakly_canonical(project / (dir.empty() ? "." : dir), ec);
    if (ec) throw input_error(shown + ": cannot resolve '" + one_line(dir) + "': " + ec.message());
    if (!is_within(project, resolved) || resolved == resolved.root_path())
        throw input_error(shown + ": leads to '" + one_line(resolved.string()) +
                          "', outside the project (the working directory)");
}

void input_report::add_problems(const std::string& source, const trainspec::problems& found,
                                const std::string& headline) {
    for (const auto& p : found) lines_.push_back(one_line(source) + ": " + one_line(trainspec::to_string(p)));
    lines_.push_back(std::string(program) + ": " + one_line(headline) + ": " +
                     count_of(static_cast<std::int64_t>(found.size()), "problem", "problems"));
}

void input_report::add_error(std::string_view message) {
    lines_.push_back(std::string(program) + ": " + one_line(message));
}

trainspec::problems named_by_options(trainspec::problems found, const arguments& args,
                                     const std::vector<option_source>& sources) {
    for (auto& p : found)
        for (const auto& source : sources)
            if (p.path == source.path && args.given(*source.source)) {
                p.path = std::string(source.source->name);
                if (source.source->is_switch()) p.value.clear();
            }
    return found;
}

/// The job a valid spec describes; problems go to `report`, named by the
/// options in `sources` that were given.
std::optional<trainspec::any_job> load_valid_job(const spec_text& spec, input_report& report, const arguments& args,
                                                 const std::vector<option_source>* sources) {
    trainspec::spec_read_options options;
    options.trust_launcher_settings = args.given(trust_launcher_settings_option);
    const trainspec::problems found = trainspec::check_spec(spec.text, options);
    if (!found.empty()) {
        report.add_problems(spec.name, sources != nullptr ? named_by_options(found, args, *sources) : found,
                            spec.name + " is not a valid job");
        return std::nullopt;
    }
    return trainspec::load_job(spec.text, options);
}

// ---- option values ----

trainspec::plan_options plan_options_from(const arguments& args) {
    trainspec::plan_options options;
    if (auto hosts = args.value(hosts_option)) options.hosts = read_hosts(*hosts);
    if (!args.takes(port_option)) return options;
    if (auto port = args.value(port_option)) options.port = port_number(port_option, *port);
    options.unique_ports = args.has(unique_ports_option);
    return options;
}

int port_number(const option& o, const std::string& value) {
    const auto number = parse_whole_number(value, 65535);
    if (!number || *number < 1)
        throw input_error(std::string(o.name) + " '" + one_line(value) + "': expected a port number, 1-65535");
    return *number;
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

const std::vector<trainspec::host>& hosts_of(const trainspec::any_cluster& c) {
    return std::visit([](const auto& typed) -> const std::vector<trainspec::host>& { return typed.hosts(); }, c);
}

std::string plan_json(const trainspec::any_cluster& c) {
    using json = nlohmann::ordered_json;
    const auto& hosts = hosts_of(c);
    const auto& tasks = tasks_of(c);
    if (tasks.empty()) return "[]\n";
    // Row by row, as dump(2) writes the array: a million tasks never make
    // one document in memory (docs/limits.md).
    std::string out = "[";
    for (const auto& t : tasks) {
        json row;
        row["type"] = std::string(trainspec::enum_name(t.type));
        row["index"] = t.index;
        row["host"] = hosts[t.host_index].name;
        row["port"] = t.port == 0 ? json(nullptr) : json(t.port);
        row["rank"] = t.rank;
        row["local_rank"] = t.local_rank;
        row["gpus"] = t.gpus ? json(*t.gpus) : json(nullptr);
        out += out.size() == 1 ? "\n  " : ",\n  ";
        for (const char ch : row.dump(2)) {
            out += ch;
            if (ch == '\n') out += "  ";
        }
    }
    return out + "\n]\n";
}

std::string launch_setting_name(const std::string& setting, const arguments& args) {
    static const std::pair<std::string_view, const option*> by_option[] = {
        {"flavor", &flavor_option},
        {"allow_run_as_root", &allow_run_as_root_option},
        {"network_interface", &network_interface_option},
        {"ssh_port", &ssh_port_option},
        {"hostfile", &hostfile_path_option},
    };
    for (const auto& [name, source] : by_option)
        if (setting == name && args.given(*source)) return std::string(source->name);
    if (setting.rfind("hosts", 0) == 0) return args.given(hosts_option) ? std::string(hosts_option.name) : "hosts";
    const auto& keys = trainspec::mpi_settings_keys();
    if (std::find(keys.begin(), keys.end(), setting) != keys.end() || setting.rfind("mca[", 0) == 0 ||
        setting.rfind("extra_args[", 0) == 0)
        return "mpi." + setting;
    return setting;  // environment_variables["NAME"], np, ...
}

}  // namespace trainspec_gen
