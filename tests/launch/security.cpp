// The security suite (docs/security.md): hostile values in every spec field
// that takes text, for every backend. Each value is either refused by
// validate() with a problem at that field's path, or the job runs on every
// target through the cross-target comparison (cross_target.hpp): the
// shell artifacts under /bin/sh with stand-in launchers that record their
// argv, the manifests and the Azure ML job as their operators run them.
// Every task must run exactly the steps of the launch model, and no payload
// may run: each one would create a file named `pwned` wherever it ran.
//
// The values: the findings of the review the threat model answers (pip
// options, option-like entry scripts and hosts, a remote agent in an MCA
// value, docker options as images, the file system as source directory,
// the launcher's variables), then generated ones: every way a shell, YAML,
// JSON, a Dockerfile or a here-document could read a value as structure.

#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include <trainspec/trainspec.hpp>

#include "cross_target.hpp"

using namespace cross_target;

namespace {

/// A text field of the spec: its JSON path (as problems name it) and how a
/// test puts a value there.
struct text_field {
    std::string path;
    std::function<void(job_spec&, const std::string&)> set;
    /// How an accepted value is checked: through every target; in the
    /// Dockerfile, for a file whose content is part of the job's image (the
    /// targets here build no image); or, for a variable's name, through
    /// every target unless it is PATH (PATH=1 leaves the task without
    /// python everywhere, which unit-slurm and mpi.openmpi show is the
    /// task's only, with a PATH that hijacks).
    enum class check { targets, dockerfile, variable_name } checked = check::targets;
};

mpi_settings& mpi_of(job_spec& s) {
    if (!s.mpi) s.mpi = mpi_settings{};
    return *s.mpi;
}

const std::vector<text_field>& text_fields() {
    static const std::vector<text_field> fields = {
        {"name", [](job_spec& s, const std::string& v) { s.name = v; }},
        {"source_directory", [](job_spec& s, const std::string& v) { s.source_directory = v; }},
        {"entry_script", [](job_spec& s, const std::string& v) { s.entry_script = v; }},
        {"script_params", [](job_spec& s, const std::string& v) { s.params.add("--hostile", v); }},
        {"script_params", [](job_spec& s, const std::string& v) { s.params.add(v, 1); }},
        {"compute_target.name", [](job_spec& s, const std::string& v) { s.target->name = v; }},
        {"compute_target.hosts",
         [](job_spec& s, const std::string& v) {
             s.target->hosts = {host{v, 2}, host{"node-b", 2}, host{"node-c", 2}};
         }},
        {"custom_docker_image", [](job_spec& s, const std::string& v) { s.custom_docker_image = v; }},
        {"image_registry", [](job_spec& s, const std::string& v) { s.image_registry = v; }},
        {"conda_packages", [](job_spec& s, const std::string& v) { s.conda_packages = {"numpy", v}; }},
        {"pip_packages", [](job_spec& s, const std::string& v) { s.pip_packages = {"pandas", v}; }},
        {"pip_requirements_file", [](job_spec& s, const std::string& v) { s.pip_requirements_file = v; },
         text_field::check::dockerfile},
        {"conda_dependencies_file", [](job_spec& s, const std::string& v) { s.conda_dependencies_file = v; },
         text_field::check::dockerfile},
        {"environment_variables", [](job_spec& s, const std::string& v) { s.environment_variables.push_back({v, "1"}); },
         text_field::check::variable_name},
        {"environment_variables", [](job_spec& s, const std::string& v) { s.environment_variables.push_back({"V", v}); }},
        {"shm_size", [](job_spec& s, const std::string& v) { s.shm_size = v; }},
        {"framework_version", [](job_spec& s, const std::string& v) { s.framework_version = v; }},
        {"tf_config.rpc_layer",
         [](job_spec& s, const std::string& v) {
             s.tf_config = tf_config_settings{};
             s.tf_config->rpc_layer = v;
         }},
        {"mpi.network_interface", [](job_spec& s, const std::string& v) { mpi_of(s).network_interface = v; }},
        {"mpi.bind_to", [](job_spec& s, const std::string& v) { mpi_of(s).bind_to = std::optional<std::string>(v); }},
        {"mpi.map_by", [](job_spec& s, const std::string& v) { mpi_of(s).map_by = std::optional<std::string>(v); }},
        {"mpi.mca", [](job_spec& s, const std::string& v) { mpi_of(s).mca.push_back({"btl_tcp_if_include", v}); }},
        {"mpi.mca", [](job_spec& s, const std::string& v) { mpi_of(s).mca.push_back({v, "1"}); }},
        {"mpi.mca", [](job_spec& s, const std::string& v) { mpi_of(s).mca.push_back({"plm_rsh_agent", v}); }},
        {"mpi.extra_args", [](job_spec& s, const std::string& v) { mpi_of(s).extra_args = {v}; }},
        {"mpi.command_prefix", [](job_spec& s, const std::string& v) { mpi_of(s).command_prefix = {{v}}; }},
        {"onnx_export.saved_model",
         [](job_spec& s, const std::string& v) {
             s.onnx_export = onnx_export_settings{};
             s.onnx_export->saved_model = v;
         }},
        {"onnx_export.output",
         [](job_spec& s, const std::string& v) {
             s.onnx_export = onnx_export_settings{};
             s.onnx_export->output = v;
         }},
    };
    return fields;
}

/// The review's findings, then generated payloads. Every payload that
/// would run a command runs `touch pwned`.
const std::vector<std::string>& hostile_values() {
    static const std::vector<std::string> values = {
        // Findings (docs/security.md, "Threat model").
        "--index-url http://127.0.0.1:9/simple",
        "--extra-index-url=http://127.0.0.1:9/simple",
        "-r /etc/passwd",
        "-e git+https://127.0.0.1:9/x.git#egg=x",
        "-cimport os;os.system('touch pwned')",
        "--help",
        "-",
        "sh -c touch\tpwned",
        "eth0$(touch pwned)",
        "--privileged",
        "--pid=host",
        "/",
        "/var/run",
        "../../..",
        "PATH",
        "LD_PRELOAD",
        "BASH_ENV",
        "OMPI_MCA_plm_rsh_agent",
        "-Fpwn",
        // Generated: shell.
        "$(touch pwned)",
        "`touch pwned`",
        ";touch pwned",
        "a&&touch pwned",
        "a|touch pwned",
        "a\ntouch pwned",
        "a\rtouch pwned",
        "'$(touch pwned)'",
        "\"$(touch pwned)\"",
        "x' ; touch pwned ; '",
        "${IFS}touch${IFS}pwned",
        "$((1+1))",
        "*",
        "~",
        "a b",
        "\\",
        "#x",
        // Generated: the batch script's here-document, YAML, JSON, Dockerfile.
        "x\nTRAINSPEC_TASK\ntouch pwned\n",
        "x\": 1, \"y",
        "{{touch pwned}}",
        "x\nRUN touch pwned",
        "- touch pwned",
        "%j",
        std::string("a\0b", 3),
        "",
    };
    return values;
}

/// Small jobs of each backend; each text field above applies to one of
/// them at least.
std::vector<std::pair<std::string, job_spec>> base_jobs() {
    const auto common = [](const char* name) {
        job_spec s;
        s.name = name;
        s.source_directory = "src";
        s.entry_script = "train.py";
        s.target = compute_target("cluster");
        s.target->gpus_per_node = 2;
        s.use_gpu = true;
        return s;
    };
    auto single = common("single");
    auto ps = common("ps");
    ps.distributed_backend = backend_kind::parameter_server;
    ps.node_count = 3;
    ps.worker_count = 2;
    ps.parameter_server_count = 1;
    auto mw = common("mw");
    mw.distributed_backend = backend_kind::multi_worker;
    mw.node_count = 3;
    mw.worker_count = 3;
    auto hvd = common("hvd");
    hvd.distributed_backend = backend_kind::mpi;
    hvd.node_count = 3;
    hvd.process_count_per_node = 2;
    return {{"single", single}, {"ps", ps}, {"multi_worker", mw}, {"mpi", hvd}};
}

/// Whether a problem names the field or an object holding it: an `mpi`
/// setting on a job without MPI is refused as "mpi".
bool names_field(const problems& found, const std::string& path) {
    for (const auto& p : found)
        if (path.rfind(p.path, 0) == 0 || p.path.rfind(path, 0) == 0) return true;
    return false;
}

/// The Dockerfile of a job with an environment file: the file is copied
/// under a fixed name, so the Dockerfile is the one of the same job naming
/// a plain file.
void check_dockerfile(const job_spec& spec) {
    if (!effective_use_docker(spec)) return;
    const auto dockerfile_of = [](const job_spec& s) {
        environment_file_contents files;
        if (s.pip_requirements_file) files.pip_requirements_file = "numpy\n";
        if (s.conda_dependencies_file) files.conda_dependencies_file = "dependencies:\n  - numpy\n";
        for (const auto& f : image_of(make_job(s), files).context)
            if (f.name == "Dockerfile") return f.content;
        return std::string();
    };
    auto plain = spec;
    if (plain.pip_requirements_file) plain.pip_requirements_file = "requirements-file.txt";
    if (plain.conda_dependencies_file) plain.conda_dependencies_file = "environment-file.yml";
    const auto dockerfile = dockerfile_of(spec);
    CHECK_FALSE(dockerfile.empty());
    CHECK(dockerfile == dockerfile_of(plain));
}

/// What pip and conda read: one requirement a line, never an option.
void check_package_files(const job_spec& spec) {
    const auto j = make_job(spec);
    if (effective_use_docker(spec) && !spec.user_managed.value_or(false) && !spec.pip_requirements_file &&
        !spec.conda_dependencies_file) {
        const auto requirements = std::visit([](const auto& typed) { return requirements_txt(typed); }, j);
        std::size_t start = 0;
        while (start < requirements.size()) {
            auto end = requirements.find('\n', start);
            if (end == std::string::npos) end = requirements.size();
            const auto line = requirements.substr(start, end - start);
            CHECK_MESSAGE((line.empty() || line.front() != '-'), "requirements.txt line " << line);
            start = end + 1;
        }
    }
}

/// Every hostile value in every text field of one backend's job: refused
/// at the field's path, or run as data on every target.
void check_hostile_values(const std::string& backend) {
    for (const auto& job : base_jobs()) {
        if (job.first != backend) continue;
        const job_spec& base = job.second;
        REQUIRE_MESSAGE(validate(base).empty(), backend);
        std::size_t job_number = 0;
        for (const auto& value : hostile_values()) {
            const std::string shown = ojson(value).dump();
            CAPTURE(backend);
            CAPTURE(shown);
            // Each field alone: refused where the field is named, or accepted.
            std::vector<const text_field*> accepted;
            for (const auto& field : text_fields()) {
                auto s = base;
                field.set(s, value);
                const auto found = validate(s);
                if (found.empty() && field.checked == text_field::check::dockerfile) {
                    check_dockerfile(s);
                } else if (found.empty() && field.checked == text_field::check::variable_name && value == "PATH") {
                    continue;  // see text_field::check
                } else if (found.empty()) {
                    accepted.push_back(&field);
                } else {
                    const std::string field_path = field.path;
                    CAPTURE(field_path);
                    CHECK_MESSAGE(names_field(found, field.path),
                                  "refused, but no problem names the field: " << found.front().path << ": "
                                                                              << found.front().rule);
                }
            }
            // The accepting fields hold the value at once, as few jobs as
            // their own conflicts allow (two package files exclude each
            // other), and each job runs on every target.
            while (!accepted.empty()) {
                job_spec together = base;
                std::vector<const text_field*> later;
                for (const auto* field : accepted) {
                    auto trial = together;
                    field->set(trial, value);
                    if (validate(trial).empty())
                        together = std::move(trial);
                    else
                        later.push_back(field);
                }
                REQUIRE(later.size() < accepted.size());
                check_package_files(together);
                check_any(backend + "-" + std::to_string(job_number++), plan(make_job(together)), refusal::allowed);
                accepted = std::move(later);
            }
        }
    }
}

}  // namespace

// One test case a backend, so that ctest runs them side by side.
TEST_CASE("security: hostile values through the single-node job") { check_hostile_values("single"); }
TEST_CASE("security: hostile values through the parameter-server job") { check_hostile_values("ps"); }
TEST_CASE("security: hostile values through the multi-worker job") { check_hostile_values("multi_worker"); }
TEST_CASE("security: hostile values through the mpi job") { check_hostile_values("mpi"); }

TEST_CASE("security: the suite notices a payload that runs") {
    // Negative control: a job whose command runs the payload on purpose.
    job_spec s = base_jobs().front().second;
    const auto c = plan(make_job_as<single_node>(s));
    sandbox box(TRAINSPEC_TEST_PYTHON);
    fs::create_directories(box.submit() / s.source_directory);
    box.reset(false);
    CHECK(payload_files(box).empty());
    CHECK(box.run({"/bin/sh", "-c", "cd src && touch pwned"}, box.base_env(), box.submit()) == 0);
    REQUIRE(payload_files(box).size() == 1);
    CHECK(payload_files(box).front() == (box.submit() / "src" / "pwned").string());
    slurm_options o;
    o.command = {"sh", "-c", "touch pwned"};
    box.reset(false);
    (void)run_slurm(box, c, o, true);
    CHECK(payload_files(box).size() == 1);
}
