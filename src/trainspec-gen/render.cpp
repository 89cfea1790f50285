// trainspec-gen render SPEC --target T, trainspec-gen generate SPEC --out DIR:
// the artifacts of a job.

#include <algorithm>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <trainspec/detail/spec_parse.hpp>
#include <trainspec/trainspec.hpp>

#include "artifacts.hpp"
#include "input.hpp"
#include "options.hpp"
#include "output_dir.hpp"
#include "render_options.hpp"
#include "verbs.hpp"

namespace trainspec_gen {

namespace {

/// The spec with the values of the options that replace a spec key
/// (--registry); as it is when none was given or it is no JSON object (its
/// own problems are then reported).
spec_text with_spec_overrides(spec_text spec, const arguments& args) {
    std::vector<std::pair<std::string_view, std::string>> overrides;
    for (const auto& o : render_options())
        if (!o.spec_key.empty())
            if (auto value = args.value(*o.declaration)) overrides.emplace_back(o.spec_key, *value);
    if (overrides.empty()) return spec;
    // The library's reader: linear in the spec, within its limits (docs/limits.md).
    nlohmann::ordered_json doc;
    trainspec::problems unread;
    if (!trainspec::detail::parse_spec_text(spec.text, doc, unread) || !doc.is_object()) return spec;
    for (const auto& [key, value] : overrides) doc[std::string(key)] = value;
    spec.text = doc.dump();
    return spec;
}

/// `file` (the value of `field`) inside the source directory `dir`, read
/// whole. Throws input_error naming the field when it cannot be read, is
/// not a regular file, leads outside the directory or is too large.
std::string read_project_file(const std::string& dir, const std::string& file, std::string_view field) {
    namespace fs = std::filesystem;
    const std::string shown = std::string(field) + " '" + one_line(file) + "'";
    std::error_code ec;
    const fs::path root = fs::canonical(dir.empty() ? "." : dir, ec);
    if (ec) throw input_error(shown + ": cannot read source_directory '" + one_line(dir) + "': " + ec.message());
    const fs::path path = fs::canonical(root / file, ec);
    if (ec)
        throw input_error(shown + ": cannot read '" + one_line((fs::path(dir) / file).string()) + "': " + ec.message());
    if (!is_within(root, path))
        throw input_error(shown + ": leads to '" + one_line(path.string()) + "', outside source_directory");
    bounded_file read;
    try {
        read = read_bounded_file(path.string(), "file", trainspec::max_environment_file_bytes);
    } catch (const input_error& e) {
        throw input_error(shown + ": " + e.what());
    }
    if (read.too_large)
        throw input_error(shown + ": " + over_limit_rule(trainspec::max_environment_file_bytes, "an environment file"));
    return std::move(read.text);
}

/// The job's source_directory, checked where the file system can tell:
/// inside the project once links are resolved. True (for attempt()).
bool check_source_directory(const trainspec::any_job& job) {
    const auto& dir = trainspec::spec_of(job).source_directory;
    check_project_directory(dir, "source_directory '" + one_line(dir) + "'");
    return true;
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

/// The problems of rendering, named by the options that caused them.
const std::vector<option_source>& render_option_sources() {
    static const std::vector<option_source> sources = [] {
        std::vector<option_source> list;
        for (const auto& o : render_options())
            if (!o.setting.empty()) list.push_back({o.setting, o.declaration});
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
        report.add_problems(spec.name, {{launch_setting_name(e.path(), args), "", e.rule()}}, headline);
        return true;
    } catch (const trainspec::artifact_error&) {
        return false;
    }
}

int run_render(const arguments& args) {
    if (!args.has(target_option)) throw usage_error("render: missing " + target_option.usage());
    const std::string target = *args.value(target_option);
    const artifact_entry* entry = find_artifact(target);
    if (entry == nullptr) {
        std::string names;
        for (const auto& name : artifact_target_names()) names += (names.empty() ? "" : ", ") + name;
        throw input_error(std::string(target_option.name) + " '" + one_line(target) + "': unknown target" +
                          did_you_mean(target, artifact_target_names()) + " (targets: " + names + ")");
    }
    const std::string where = "render " + std::string(target_option.name) + " " + target;
    const spec_text spec = with_spec_overrides(read_spec_file(args.operands.at(0)), args);
    input_report report;
    for (const auto& o : render_options()) {
        const auto& name = o.declaration->name;
        if (!args.has(*o.declaration) || std::find(o.targets.begin(), o.targets.end(), entry->kind) != o.targets.end())
            continue;
        std::string targets;
        for (const auto kind : o.targets)
            for (const auto& a : artifacts())
                if (a.kind == kind) targets += (targets.empty() ? "" : ", ") + std::string(a.target);
        report.add_error(where + ": " + std::string(name) + " applies to " + std::string(target_option.name) + " " +
                         targets + " only");
    }
    const auto plan_options = report.attempt([&] { return plan_options_from(args); });
    auto settings = report.attempt([&] { return render_settings_from(args); });
    const auto job = load_valid_job(spec, report, args, &render_option_sources());
    if (job) (void)report.attempt([&] { return check_source_directory(*job); });
    report.raise_if_any();
    if (names_image(entry->kind) && !settings->image)
        settings->environment_files = read_environment_files(trainspec::spec_of(*job));

    try {
        check_applies(entry->kind, *job);
    } catch (const not_applicable& e) {
        throw input_error(where + ": " + e.what() +
                          (e.instead().empty() ? std::string()
                                               : " (use " + std::string(target_option.name) + " " + e.instead() + ")"));
    }
    std::optional<trainspec::any_cluster> cluster;
    if (entry->needs_plan) {
        cluster = plan_job(spec, *job, *plan_options, args, render_option_sources(), report);
        report.raise_if_any();
    }
    std::string text;
    try {
        text = render_artifact(entry->kind, *job, cluster, *settings);
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
    if (!args.has(out_option)) throw usage_error("generate: missing " + out_option.usage());
    const std::string dir = *args.value(out_option);
    if (dir.empty()) throw input_error(std::string(out_option.name) + ": the directory name is empty");
    const spec_text spec = with_spec_overrides(read_spec_file(args.operands.at(0)), args);
    input_report report;
    const auto plan_options = report.attempt([&] { return plan_options_from(args); });
    auto settings = report.attempt([&] { return render_settings_from(args); });
    const auto job = load_valid_job(spec, report, args, &render_option_sources());
    if (job) (void)report.attempt([&] { return check_source_directory(*job); });
    report.raise_if_any();
    const auto cluster = plan_job(spec, *job, *plan_options, args, render_option_sources(), report);
    report.raise_if_any();
    settings->environment_files = read_environment_files(trainspec::spec_of(*job));
    // The files find the source directory from where they are written.
    settings->source_from_output = source_from(dir, trainspec::spec_of(*job).source_directory);
    if (settings->docker.source_path) settings->docker.source_path = source_from(dir, *settings->docker.source_path);

    // Everything is rendered before anything is written: an error leaves
    // the directory as it was.
    std::vector<output_file> files;
    std::vector<std::string> skipped;
    for (const auto& entry : artifacts()) {
        const std::string file(entry.file);
        try {
            auto text = render_artifact(entry.kind, *job, cluster, *settings);
            files.push_back({file, artifact_file_content(entry.kind, std::move(text)), is_script(entry.kind)});
        } catch (const not_applicable& e) {
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
    files.push_back({"plan.json", plan_json(*cluster), false});
    // An mpi job placed on real hosts is also launched with mpirun directly.
    if (const auto* c = std::get_if<trainspec::cluster<trainspec::mpi>>(&*cluster);
        c != nullptr && args.has(hosts_option)) {
        try {
            files.push_back(
                {"hostfile", trainspec::hostfile_text(*c, trainspec::effective_mpi_flavor(c->job().spec())), false});
            files.push_back({"launch.sh", mpi_launch_script(*c, *settings), true});
        } catch (const trainspec::mpi_launch_error& e) {
            report.add_problems(spec.name, {{launch_setting_name(e.path(), args), "", e.rule()}},
                                "cannot write launch.sh of " + spec.name + "; nothing was written");
            report.raise_if_any();
        }
    }

    const auto written = write_files_atomically(dir, files, args.has(force_option));
    for (const auto& note : skipped) fmt::print(stderr, "{}: note: skipped {}\n", program, one_line(note));
    text_table table({{"file"}, {"bytes", true}, {"status"}});
    for (const auto& w : written)
        table.add_row({w.name, std::to_string(w.bytes), std::string(write_status_name(w.status))});
    fmt::print("{}", table.render());
    return 0;
}

/// A verb's own options, then every option of the renderers.
std::vector<verb_option> with_render_options(std::vector<verb_option> own) {
    for (const auto& o : render_options()) own.push_back(listed(*o.declaration, o.help));
    own.push_back(listed(trust_launcher_settings_option));
    return own;
}

}  // namespace

verb render_verb() {
    verb v = spec_verb("render", "one artifact to stdout: manifest, sbatch script, container file, Azure ML job",
                       run_render);
    v.required = target_option.usage();
    v.options = with_render_options({listed(target_option)});
    v.notes =
        "Targets: tfjob, the Kubeflow TFJob; mpijob, the MPI operator's MPIJob; slurm, the sbatch\n"
        "script; docker, the docker run line; dockerfile; conda, environment.yml; requirements,\n"
        "requirements.txt; azureml, the Azure ML v2 command job. Manifests and the Azure ML job\n"
        "are JSON indented by two spaces (JSON is valid YAML: kubectl and az ml read it).\n"
        "A target that does not fit the job (a TFJob of an mpi job, a Dockerfile of a job\n"
        "with use_docker false, ...) is an error, exit status 2.\n";
    return v;
}

verb generate_verb() {
    verb v = spec_verb("generate", "every artifact that applies, written atomically into DIR", run_generate);
    v.required = out_option.usage();
    v.options = with_render_options({listed(out_option), listed(force_option)});
    v.notes =
        "Files: tfjob.json, mpijob.json, slurm.sbatch, docker-run.sh, Dockerfile, environment.yml,\n"
        "requirements.txt, azureml-job.json (each what render --target prints), and plan.json\n"
        "(plan --json). An artifact that does not apply to the job is skipped with a note on\n"
        "standard error. Everything is rendered first, and every file checked: an invalid job,\n"
        "or an existing file with other content (without --force), writes nothing. Each file\n"
        "goes to a temporary file in DIR, flushed to disk and renamed into place, so it\n"
        "appears whole or not at all; identical files are left unchanged. A write the system\n"
        "refuses (a full or read-only disk, ulimit -f, ...) exits with status 1 naming the\n"
        "file, the reason and the files already replaced, and removes the temporary files.\n"
        "Prints each file with its size and whether it was written, unchanged or overwritten.\n";
    return v;
}

}  // namespace trainspec_gen
