#pragma once
// A directory of stand-in launchers (tests/launch/standins: python, srun,
// scontrol, scancel, mpirun, docker, apptainer, singularity, conda) for
// running generated shell artifacts under /bin/sh without a cluster, and
// the helpers to run a program there with an exact environment. Used by the
// cross-target test and by unit-slurm.

#include <doctest/doctest.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "run_program.hpp"

namespace test_standins {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_file(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    REQUIRE(out.good());
}

using variables = std::map<std::string, std::string>;

/// Runs `argv` (looked up on env's PATH) in `cwd` with exactly `env`, stdin
/// /dev/null, stdout and stderr appended to `output`. Returns the exit
/// status, 128 + the signal for a process killed by one.
inline int run_process(const std::vector<std::string>& argv, const variables& env, const fs::path& cwd,
                       const fs::path& output) {
    run_program::options with;
    with.env.emplace();
    for (const auto& [name, value] : env) with.env->push_back(name + "=" + value);
    with.cwd = cwd.string();
    with.search_path = true;
    with.output_file = output.string();
    const auto result = run_program::run(argv, with);
    return result.signal != 0 ? 128 + result.signal : result.status;
}

/// One run of the stand-in python.
struct invocation {
    std::vector<std::string> argv;
    std::string pwd;
    variables env;
};

/// python.log: per invocation "python", argc, the arguments, the working
/// directory (with a line break), the environment, an empty field; every
/// field NUL-terminated.
std::vector<invocation> parse_python_log(const std::string& text) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = text.find('\0', start);
        REQUIRE_MESSAGE(end != std::string::npos, "python.log ends inside a field");
        fields.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    std::vector<invocation> out;
    std::size_t i = 0;
    while (i < fields.size()) {
        REQUIRE_MESSAGE(fields[i] == "python", "python.log: a record must start with \"python\"");
        REQUIRE(i + 1 < fields.size());
        const auto argc = static_cast<std::size_t>(std::stoul(fields[i + 1]));
        REQUIRE(i + 2 + argc < fields.size());
        invocation inv;
        inv.argv.push_back("python");
        inv.argv.insert(inv.argv.end(), fields.begin() + static_cast<long>(i + 2),
                        fields.begin() + static_cast<long>(i + 2 + argc));
        i += 2 + argc;
        inv.pwd = fields[i++];
        if (!inv.pwd.empty() && inv.pwd.back() == '\n') inv.pwd.pop_back();
        while (i < fields.size() && !fields[i].empty()) {
            const auto eq = fields[i].find('=');
            if (eq != std::string::npos) inv.env[fields[i].substr(0, eq)] = fields[i].substr(eq + 1);
            ++i;
        }
        REQUIRE_MESSAGE(i < fields.size(), "python.log: a record lacks its end");
        ++i;
        out.push_back(std::move(inv));
    }
    return out;
}

/// A directory under /tmp for one job: bin/ (the stand-ins), submit/ (where
/// a job is submitted from: the source directory is there), out/ (files as
/// trainspec-gen writes them), container/ (the root of the job's image),
/// and the stand-ins' logs. Removed with the object.
class sandbox {
public:
    /// `real_python`: the python3 the stand-in python hands `python -c` to
    /// (empty: none).
    explicit sandbox(const std::string& real_python = "") {
        std::string pattern = "/tmp/trainspec-standins-XXXXXX";
        REQUIRE(mkdtemp(pattern.data()) != nullptr);
        root_ = fs::canonical(pattern);
        fs::create_directories(bin());
        fs::create_directories(submit());
        fs::create_directories(out());
        for (const auto& entry : fs::directory_iterator(TRAINSPEC_STANDINS_DIR)) {
            const auto to = bin() / entry.path().filename();
            fs::copy_file(entry.path(), to);
            fs::permissions(to, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                    fs::perms::others_read | fs::perms::others_exec);
        }
        write_file(root_ / "real-python", real_python + "\n");
    }
    ~sandbox() {
        std::error_code ignored;
        fs::remove_all(root_, ignored);
    }
    sandbox(const sandbox&) = delete;
    sandbox& operator=(const sandbox&) = delete;

    const fs::path& root() const { return root_; }
    fs::path bin() const { return root_ / "bin"; }
    fs::path submit() const { return root_ / "submit"; }
    fs::path out() const { return root_ / "out"; }
    fs::path container() const { return root_ / "container"; }
    fs::path file(const char* name) const { return root_ / name; }

    /// Forgets the last run; with `failing`, the training step fails.
    void reset(bool failing) {
        for (const char* name :
             {"python.log", "scancel.log", "docker.info", "containers.log", "output.log", "fail-training"})
            fs::remove(file(name));
        fs::remove_all(file("conda-envs"));
        fs::remove_all(container());
        fs::create_directories(container());
        if (failing) write_file(file("fail-training"), "");
    }

    /// PATH: the stand-ins, then the system.
    variables base_env() const { return {{"PATH", bin().string() + ":/usr/bin:/bin"}}; }

    int run(const std::vector<std::string>& argv, const variables& env, const fs::path& cwd) const {
        return run_process(argv, env, cwd, file("output.log"));
    }

    std::vector<invocation> invocations() const { return parse_python_log(read_file(file("python.log"))); }
    std::string output() const { return read_file(file("output.log")); }

private:
    fs::path root_;
};

/// Makes the Slurm stand-ins answer for an allocation of `hosts` (scontrol
/// lists them, srun grants GPUs when `gpus_managed`: 4.. on even nodes, 2..
/// on odd ones, as global indices) and returns the variables sbatch gives a
/// batch script of job 7 with `tasks_per_node` tasks on every node.
inline variables slurm_allocation(const sandbox& box, const std::vector<std::string>& hosts, int tasks_per_node,
                                  bool gpus_managed) {
    std::string listed;
    for (const auto& h : hosts) listed += h + "\n";
    write_file(box.file("slurm-hosts"), listed);
    write_file(box.file("slurm-gpus"), gpus_managed ? "managed" : "unmanaged");
    auto env = box.base_env();
    env["SLURM_JOB_ID"] = "7";
    env["SLURM_JOB_NODELIST"] = "allocated[1-" + std::to_string(hosts.size()) + "]";
    env["SLURM_TASKS_PER_NODE"] = std::to_string(tasks_per_node) + "(x" + std::to_string(hosts.size()) + ")";
    return env;
}

}  // namespace test_standins
