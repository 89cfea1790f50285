// Real launches: trainspec renders the launch of an MPI job, the real
// launcher (Open MPI's mpirun or MPICH's mpiexec) runs it, and the probe
// program on every rank reports what arrived: the rank, size, local rank
// and local size the MPI runtime gave it, the job's variables and its argv.
// Everything must equal the rank table and the job, byte for byte.
//
//   trainspec_mpi_launch_test --flavor=openmpi|mpich --launcher=NAME --probe=PATH [doctest options]
//
// The hosts are names that do not resolve (node-a, node-b, ...). The
// launchers reach them through a stand-in for ssh, written to a temporary
// directory, which records its arguments and runs the command on this
// machine through `sh -c`, as sshd would; so every host gets its own
// daemon and its own local ranks, and no sshd is needed. All traffic stays
// on the loopback interface (network_interface "lo").
//
// Exit status 77 (reported by CTest as skipped) when the launcher is not
// installed: tools/install-deps.sh test installs openmpi-bin and mpich.

#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <trainspec/trainspec.hpp>

#include "run_program.hpp"

extern char** environ;

using namespace trainspec;
namespace fs = std::filesystem;

namespace {

struct configuration {
    mpi_flavor flavor = mpi_flavor::openmpi;
    std::string launcher;  ///< as given
    std::string launcher_path;
    std::string probe;
} config;

std::string find_program(const std::string& name) {
    if (name.find('/') != std::string::npos) return access(name.c_str(), X_OK) == 0 ? name : "";
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        const auto candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
        if (access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return "";
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class temporary_directory {
public:
    temporary_directory() {
        std::string name = (fs::temp_directory_path() / "trainspec-mpi-XXXXXX").string();
        if (mkdtemp(name.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = name;
    }
    ~temporary_directory() {
        std::error_code ignored;
        if (std::getenv("TRAINSPEC_KEEP_MPI_TEST_FILES") == nullptr) fs::remove_all(path_, ignored);
    }
    temporary_directory(const temporary_directory&) = delete;
    temporary_directory& operator=(const temporary_directory&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

/// Runs argv (found on env's PATH) with `env` (NAME=value strings); kills
/// its process group after two minutes, and once it has exited.
run_program::result run(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
    run_program::options with;
    with.env = env;
    with.search_path = true;
    with.timeout_seconds = 120;
    return run_program::run(argv, with);
}

/// The current environment with `extra` added (replacing same names).
std::vector<std::string> environment_with(const std::vector<environment_variable>& extra) {
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry = *e;
        const auto name = entry.substr(0, entry.find('='));
        bool replaced = false;
        for (const auto& v : extra) replaced = replaced || v.name == name;
        if (!replaced) env.push_back(entry);
    }
    for (const auto& v : extra) env.push_back(v.name + "=" + v.value);
    return env;
}

/// The stand-in for ssh: records its arguments, drops ssh's options and the
/// host, and runs the remote command here through sh -c, as sshd would,
/// with a temporary directory of the host's own.
fs::path write_fake_ssh(const fs::path& dir) {
    const auto path = dir / "fake-ssh";
    std::ofstream(path) << "#!/bin/sh\n"
                        << "printf '%s\\n' \"$*\" >> " << shell_quote((dir / "fake-ssh.log").string()) << "\n"
                        << "while [ $# -gt 0 ]; do\n"
                        << "    case \"$1\" in\n"
                        << "        -p | -o | -l | -i | -F | -J) shift 2 ;;\n"
                        << "        -*) shift ;;\n"
                        << "        *) break ;;\n"
                        << "    esac\n"
                        << "done\n"
                        << "host=$1\n"
                        << "shift\n"
                        << "# Each host its own /tmp, as on separate machines (daemons that share\n"
                        << "# one run-time directory under /tmp race each other).\n"
                        << "TMPDIR=" << shell_quote((dir / "hosts").string()) << "/$host\n"
                        << "mkdir -p \"$TMPDIR\" && export TMPDIR\n"
                        << "exec /bin/sh -c \"$*\"\n";
    if (chmod(path.c_str(), 0755) != 0) throw std::runtime_error("chmod fake-ssh failed");
    return path;
}

// ---- the job ----

/// The variables every rank must see, exactly: plain ones, which travel as
/// -x NAME=value / -genv, and awkward ones, which Open MPI must get by name.
std::vector<environment_variable> job_variables() {
    return {
        {"TS_PLAIN", "plain"},
        {"TS_SPACED", "a value with  spaces"},
        {"TS_QUOTED", "it's \"quoted\" \\back"},
        {"TS_DOLLAR", "$HOME `id` $(id)"},
        {"TS_EQUALS", "a=b,c:d"},
        {"TS_EMPTY", ""},
        {"TS_UNICODE", "h\xc3\xa9llo\xe2\x86\x92"},
        {"TS_TAB", "tab\there"},
    };
}

/// Exported by name: its value is in the launcher's environment only.
const environment_variable by_name{"TS_BY_NAME", "by name: it's \"here\" $HOME"};

script_params awkward_params() {
    script_params p;
    p.add("--name", "two words")
        .add("--quote", "it's \"q\"")
        .add("--dollar", "$HOME `id` $(id)")
        .add("--list", param_value::list{"", "a\tb", "back\\slash", "*"})
        .add("--unicode", "\xc3\xa9 \xe2\x9c\x93")
        .add("--semicolon", "a; b && c | d")
        .add("--lr", 0.01)
        .add("--verbose", flag);
    return p;
}

job<mpi> probe_job(int nodes, int per_node) {
    job_spec s;
    s.name = "probe";
    s.source_directory = ".";
    s.entry_script = "train.py";
    s.target = compute_target("test-cluster");
    s.distributed_backend = backend_kind::mpi;
    s.node_count = nodes;
    s.process_count_per_node = per_node;
    s.params = awkward_params();
    s.environment_variables = job_variables();
    return make_job_as<mpi>(std::move(s));
}

/// The options of a real launch through the fake ssh.
mpi_launch_options options_for(const fs::path& dir, const fs::path& fake_ssh) {
    mpi_launch_options o;
    o.flavor = config.flavor;
    o.launcher = config.launcher_path;
    o.allow_run_as_root = run_as_root::flag;
    o.command_prefix = {config.probe};
    o.network_interface = "lo";
    std::string names = "NCCL_SOCKET_IFNAME," + by_name.name;
    for (const auto& v : job_variables()) names += "," + v.name;
    o.environment = {{"TRAINSPEC_PROBE_OUT", (dir / "ranks").string()}, {"TRAINSPEC_PROBE_ENV", names}};
    o.export_names = {by_name.name};
    if (config.flavor == mpi_flavor::openmpi) {
        o.ssh_port = 2222;  // reaches the fake ssh as "-p 2222"
        o.extra_args = {"-mca", "plm_rsh_agent", fake_ssh.string(), "-mca", "oob_tcp_if_include", "lo"};
    } else {
        o.extra_args = {"-launcher", "ssh", "-launcher-exec", fake_ssh.string()};
    }
    return o;
}

/// What the launcher needs around the command: the exported-by-name value,
/// and for Open MPI two settings that keep its daemons away from shared
/// memory segments at fixed addresses, which some sandboxes (gVisor) refuse:
/// PMIx's hash data store instead of the shared-memory one, and no hwloc
/// topology in shared memory (orted otherwise crashes now and then in
/// hwloc_shmem_topology_write).
std::vector<environment_variable> harness_environment() {
    return {by_name, {"PMIX_MCA_gds", "hash"}, {"OMPI_MCA_rtc_hwloc_vmhole", "none"}};
}

std::string describe(const run_program::result& r) {
    return "exit status " + std::to_string(r.status) + (r.timed_out ? " (timed out)" : "") + "\n--- stdout\n" + r.out +
           "\n--- stderr\n" + r.err;
}

/// Reads the probes' reports and checks them against the rank table, the
/// job's variables and its argv.
void check_ranks(const fs::path& dir, const std::vector<rank_info>& table, const std::vector<std::string>& script_argv,
                 const run_program::result& r) {
    const auto ranks = dir / "ranks";
    std::size_t files = 0;
    for (const auto& entry : fs::directory_iterator(ranks)) files += entry.path().extension() == ".json" ? 1 : 0;
    CHECK_MESSAGE(files == table.size(), describe(r));
    for (const auto& expected : table) {
        CAPTURE(expected.rank);
        const auto path = ranks / ("rank-" + std::to_string(expected.rank) + ".json");
        REQUIRE_MESSAGE(fs::exists(path), "no report from rank ", expected.rank, "\n", describe(r));
        const auto report = nlohmann::json::parse(read_file(path));
        CHECK(report["runtime"] == (config.flavor == mpi_flavor::openmpi ? "openmpi" : "pmi"));
        CHECK(report["rank"] == expected.rank);
        CHECK(report["size"] == expected.size);
        CHECK(report["local_rank"] == expected.local_rank);
        CHECK(report["local_size"] == expected.local_size);

        const auto argv = report["argv"].get<std::vector<std::string>>();
        REQUIRE(argv.size() == script_argv.size() + 1);
        CHECK(fs::path(argv[0]).filename() == fs::path(config.probe).filename());
        CHECK(std::vector<std::string>(argv.begin() + 1, argv.end()) == script_argv);

        const auto& env = report["env"];
        for (const auto& v : job_variables()) {
            CAPTURE(v.name);
            REQUIRE(env[v.name].is_string());
            CHECK(env[v.name].get<std::string>() == v.value);
        }
        CHECK(env[by_name.name] == by_name.value);
        CHECK(env["NCCL_SOCKET_IFNAME"] == "lo");
    }
}

void reset_ranks(const fs::path& dir) {
    fs::remove_all(dir / "ranks");
    fs::create_directories(dir / "ranks");
    fs::remove(dir / "fake-ssh.log");
}

std::string fake_ssh_log(const fs::path& dir) { return read_file(dir / "fake-ssh.log"); }

/// The 2x2 probe job planned on node-a and node-b, and the options that
/// launch it through a fake ssh written into `dir` (its ranks reset).
struct two_by_two {
    cluster<mpi> planned;
    mpi_launch_options options;
};
two_by_two two_by_two_launch(const fs::path& dir) {
    const auto fake_ssh = write_fake_ssh(dir);
    reset_ranks(dir);
    plan_options hosts;
    hosts.hosts = parse_host_list("node-a:2,node-b:2");
    return {plan(probe_job(2, 2), hosts), options_for(dir, fake_ssh)};
}

}  // namespace

TEST_CASE("a planned 2x2 job: ranks, local ranks, variables and argv arrive exactly") {
    temporary_directory tmp;
    const auto [cluster, options] = two_by_two_launch(tmp.path());
    const auto cmd = mpirun_command(cluster, options);
    INFO("command: ", cmd.shell_line());
    auto env = cmd.launcher_environment;
    for (const auto& v : harness_environment()) env.push_back(v);
    const auto r = run(cmd.argv, environment_with(env));
    REQUIRE_MESSAGE(r.status == 0, describe(r));
    check_ranks(tmp.path(), rank_table(cluster), cluster.job().script_argv(), r);

    // Both hosts were reached through "ssh"; Open MPI passed the port.
    const auto log = fake_ssh_log(tmp.path());
    CHECK_MESSAGE(log.find("node-a") != std::string::npos, log);
    CHECK_MESSAGE(log.find("node-b") != std::string::npos, log);
    if (config.flavor == mpi_flavor::openmpi) CHECK_MESSAGE(log.rfind("-p 2222 node-", 0) == 0, log);
    // The awkward values travelled by name, not on the command line.
    if (config.flavor == mpi_flavor::openmpi) {
        CHECK(std::find(cmd.argv.begin(), cmd.argv.end(), "TS_SPACED") != cmd.argv.end());
        CHECK(std::find(cmd.argv.begin(), cmd.argv.end(), "TS_PLAIN=plain") != cmd.argv.end());
    }
}

TEST_CASE("argv runs by itself: the launcher's variables travel in it, through env") {
    // What `trainspec-gen mpirun --print0` prints, executed as is with a
    // PATH search (posix_spawnp: execvp's rules) and an environment that
    // lacks the launcher's variables: with Open MPI the job's values with
    // spaces and quotes need them (-x cannot carry such a value), and every
    // rank must still see each value byte for byte.
    temporary_directory tmp;
    const auto [cluster, options] = two_by_two_launch(tmp.path());
    const auto cmd = mpirun_command(cluster, options);
    INFO("argv: ", shell_join(cmd.argv));
    if (config.flavor == mpi_flavor::openmpi) {
        REQUIRE_FALSE(cmd.launcher_environment.empty());
        CHECK(cmd.argv.front() == "env");
    }
    const auto env = environment_with(harness_environment());
    for (const auto& v : cmd.launcher_environment)
        for (const auto& entry : env) REQUIRE(entry.rfind(v.name + "=", 0) != 0);
    const auto r = run(cmd.argv, env);
    REQUIRE_MESSAGE(r.status == 0, describe(r));
    check_ranks(tmp.path(), rank_table(cluster), cluster.job().script_argv(), r);
}

TEST_CASE("the shell line runs the same launch through /bin/sh") {
    temporary_directory tmp;
    const auto [cluster, options] = two_by_two_launch(tmp.path());
    auto o = options;
    // The environment form of the root permission: it must be in the line.
    o.allow_run_as_root = run_as_root::environment;
    const auto cmd = mpirun_command(cluster, o);
    const auto line = cmd.shell_line();
    INFO("line: ", line);
    if (config.flavor == mpi_flavor::openmpi) CHECK(line.rfind("OMPI_ALLOW_RUN_AS_ROOT=1 ", 0) == 0);
    const auto r = run({"/bin/sh", "-c", line}, environment_with(harness_environment()));
    REQUIRE_MESSAGE(r.status == 0, describe(r));
    check_ranks(tmp.path(), rank_table(cluster), cluster.job().script_argv(), r);
}

TEST_CASE("uneven hosts a:2,b:1,c:3 follow Horovod's rank table") {
    temporary_directory tmp;
    const auto fake_ssh = write_fake_ssh(tmp.path());
    reset_ranks(tmp.path());
    mpi_launch_layout layout;
    layout.hosts = parse_host_list("node-a:2,node-b:1,node-c:3");
    layout.script_argv = {"train.py", "--epochs", "1"};
    layout.environment = job_variables();
    auto o = options_for(tmp.path(), fake_ssh);
    if (is_hydra(config.flavor)) {
        const auto hostfile = tmp.path() / "hosts";
        std::ofstream(hostfile) << hostfile_text(layout.hosts, config.flavor);
        o.hostfile = hostfile.string();
    }
    const auto cmd = mpirun_command(layout, o);
    INFO("command: ", cmd.shell_line());
    auto env = cmd.launcher_environment;
    for (const auto& v : harness_environment()) env.push_back(v);
    const auto r = run(cmd.argv, environment_with(env));
    REQUIRE_MESSAGE(r.status == 0, describe(r));
    const auto table = rank_table(layout.hosts);
    CHECK(table[4].local_rank == 1);  // on node-c
    CHECK(table[4].local_size == 3);
    check_ranks(tmp.path(), table, layout.script_argv, r);
}

TEST_CASE("a hostile PATH and LD_PRELOAD reach the ranks' program only, never the launcher or its daemons") {
    temporary_directory tmp;
    const auto fake_ssh = write_fake_ssh(tmp.path());
    reset_ranks(tmp.path());
    // What a hijacked launcher would run instead of the real programs.
    const auto evil = tmp.path() / "evil dir";
    fs::create_directories(evil);
    const auto hijacked = tmp.path() / "hijacked";
    for (const auto& program :
         std::vector<std::string>{config.launcher, "orted", "ssh", "hydra_pmi_proxy", "mpiexec.hydra"}) {
        std::ofstream(evil / program) << "#!/bin/sh\necho " << program << " >> " << shell_quote(hijacked.string())
                                      << "\nexit 1\n";
        REQUIRE(chmod((evil / program).c_str(), 0755) == 0);
    }
    const char* path = std::getenv("PATH");
    const environment_variable hostile_path{"PATH", evil.string() + ":" + (path ? path : "/usr/bin:/bin")};
    const environment_variable hostile_preload{"LD_PRELOAD", "/nonexistent/trainspec hijack.so"};
    mpi_launch_layout layout;
    layout.hosts = parse_host_list("node-a:1,node-b:1");
    layout.script_argv = {"train.py"};
    layout.environment = {hostile_path, hostile_preload};
    auto o = options_for(tmp.path(), fake_ssh);
    o.launcher = config.launcher;  // found through PATH, as a user runs it
    o.environment = {{"TRAINSPEC_PROBE_OUT", (tmp.path() / "ranks").string()},
                     {"TRAINSPEC_PROBE_ENV", "PATH,LD_PRELOAD"}};
    o.export_names.clear();
    const auto cmd = mpirun_command(layout, o);
    INFO("command: ", cmd.shell_line());
    for (const auto& v : cmd.launcher_environment) CHECK(v.name != "PATH");
    for (const auto& v : cmd.launcher_environment) CHECK(v.name != "LD_PRELOAD");
    const auto r = run({"/bin/sh", "-c", cmd.shell_line()}, environment_with(harness_environment()));
    REQUIRE_MESSAGE(r.status == 0, describe(r));
    CHECK_MESSAGE(!fs::exists(hijacked), read_file(hijacked));
    // ld.so names a preload it cannot find in every process that has it:
    // only the ranks' lines (tagged by --tag-output or -l) may.
    std::istringstream lines(r.err);
    for (std::string line; std::getline(lines, line);) CHECK_MESSAGE(line.rfind("ERROR: ld.so", 0) != 0, r.err);
    for (int rank = 0; rank < 2; ++rank) {
        const auto report =
            nlohmann::json::parse(read_file(tmp.path() / "ranks" / ("rank-" + std::to_string(rank) + ".json")));
        CHECK(report["env"]["PATH"] == hostile_path.value);
        CHECK(report["env"]["LD_PRELOAD"] == hostile_preload.value);
    }
}

TEST_CASE("Open MPI hands every MCA value to its remote daemons' shell inside double quotes") {
    if (config.flavor != mpi_flavor::openmpi) return;
    temporary_directory tmp;
    // Stands in for ssh: records the words of the remote command, starts nothing.
    const auto recorder = tmp.path() / "record-agent";
    std::ofstream(recorder) << "#!/bin/sh\nfor word in \"$@\"; do printf '%s\\n' \"$word\"; done >> "
                            << shell_quote((tmp.path() / "agent.log").string()) << "\nexit 1\n";
    REQUIRE(chmod(recorder.c_str(), 0755) == 0);
    mpi_launch_options o;
    o.launcher = config.launcher_path;
    o.allow_run_as_root = run_as_root::flag;
    o.command_prefix = {"true"};
    o.extra_args = {"-mca", "plm_rsh_agent", recorder.string()};
    const std::string value = "lo\tx y'z;w&|<>()*?~#";  // all literal inside double quotes
    o.mca.set("btl_tcp_if_exclude", value);
    const mpi_launch_layout layout{parse_host_list("fake-a:1,fake-b:1"), 2, {}, {}};
    const auto r = run(mpirun_command(layout, o).argv, environment_with(harness_environment()));
    CHECK_MESSAGE(r.status != 0, describe(r));  // no daemon started
    const auto log = read_file(tmp.path() / "agent.log");
    CHECK_MESSAGE(log.find("\n\"" + value + "\"\n") != std::string::npos, log);
    CHECK_MESSAGE(log.find("\n\"" + recorder.string() + "\"\n") != std::string::npos, log);
    // What double quotes do not protect never reaches that line.
    for (const char* unsafe : {"\"", "$", "`", "\\", "\n"}) {
        CAPTURE(unsafe);
        o.mca.set("btl_tcp_if_exclude", std::string("lo") + unsafe + "x");
        CHECK_THROWS_AS(mpirun_command(layout, o), mpi_launch_error);
        o.mca.erase("btl_tcp_if_exclude");
        o.extra_args = {"-mca",  "plm_rsh_agent",      recorder.string(),
                        "--mca", "btl_tcp_if_exclude", std::string("lo") + unsafe + "x"};
        CHECK_THROWS_AS(mpirun_command(layout, o), mpi_launch_error);
        o.extra_args.resize(3);
    }
}

TEST_CASE("the real launcher rejects the other implementation's options, as trainspec does") {
    temporary_directory tmp;
    const auto env = environment_with(harness_environment());
    if (config.flavor == mpi_flavor::openmpi) {
        const auto r = run({config.launcher_path, "--allow-run-as-root", "-genv", "A", "1", "-np", "1", "true"}, env);
        CHECK_MESSAGE(r.status != 0, describe(r));
        auto o = mpi_launch_options{};
        o.extra_args = {"-genv", "A", "1"};
        CHECK_THROWS_AS(mpirun_command(mpi_launch_layout{{{"localhost", 1}}, 1, {"true"}, {}}, o), mpi_launch_error);
    } else {
        for (const auto& foreign : {std::vector<std::string>{"-x", "A"},
                                    {"--allow-run-as-root"},
                                    {"-mca", "btl", "tcp"},
                                    {"-bootstrap-exec-args", "-p 2222"}}) {
            auto argv = std::vector<std::string>{config.launcher_path};
            argv.insert(argv.end(), foreign.begin(), foreign.end());
            argv.insert(argv.end(), {"-n", "1", "true"});
            const auto r = run(argv, env);
            CAPTURE(foreign.front());
            CHECK_MESSAGE(r.status != 0, describe(r));
            CHECK_MESSAGE(r.err.find("unrecognized argument") != std::string::npos, describe(r));
        }
        auto o = mpi_launch_options{};
        o.flavor = mpi_flavor::mpich;
        o.ssh_port = 2222;
        CHECK_THROWS_AS(mpirun_command(mpi_launch_layout{{{"localhost", 1}}, 1, {"true"}, {}}, o), mpi_launch_error);
    }
}

TEST_CASE("Open MPI refuses root unless allow_run_as_root says otherwise") {
    if (config.flavor != mpi_flavor::openmpi || geteuid() != 0) return;  // only meaningful for Open MPI as root
    temporary_directory tmp;
    mpi_launch_options o;
    o.launcher = config.launcher_path;
    o.command_prefix = {"true"};
    const mpi_launch_layout layout{{{"localhost", 1}}, 1, {"--"}, {}};
    auto env = environment_with(harness_environment());
    // Remove any permission the calling environment might carry.
    env.erase(std::remove_if(env.begin(), env.end(),
                             [](const std::string& e) { return e.rfind("OMPI_ALLOW_RUN_AS_ROOT", 0) == 0; }),
              env.end());
    const auto refused = run(mpirun_command(layout, o).argv, env);
    CHECK_MESSAGE(refused.status != 0, describe(refused));
    CHECK_MESSAGE(refused.err.find("root") != std::string::npos, describe(refused));
    o.allow_run_as_root = run_as_root::flag;
    const auto allowed = run(mpirun_command(layout, o).argv, env);
    CHECK_MESSAGE(allowed.status == 0, describe(allowed));
}

int main(int argc, char** argv) {
    std::vector<char*> rest{argv[0]};
    std::string flavor_name = "openmpi";
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg.rfind("--flavor=", 0) == 0)
            flavor_name = arg.substr(9);
        else if (arg.rfind("--launcher=", 0) == 0)
            config.launcher = arg.substr(11);
        else if (arg.rfind("--probe=", 0) == 0)
            config.probe = arg.substr(8);
        else
            rest.push_back(argv[i]);
    }
    const auto flavor = enum_from_name<mpi_flavor>(flavor_name);
    if (!flavor || *flavor == mpi_flavor::intel || *flavor == mpi_flavor::horovodrun || config.launcher.empty() ||
        config.probe.empty()) {
        std::cerr << "usage: " << argv[0] << " --flavor=openmpi|mpich --launcher=NAME --probe=PATH [doctest options]\n";
        return 2;
    }
    config.flavor = *flavor;
    config.launcher_path = find_program(config.launcher);
    if (config.launcher_path.empty()) {
        std::cout << "SKIPPED: " << config.launcher << " is not installed (tools/install-deps.sh test installs "
                  << (config.flavor == mpi_flavor::openmpi ? "openmpi-bin" : "mpich") << ")\n";
        return 77;
    }
    if (access(config.probe.c_str(), X_OK) != 0) {
        std::cerr << "the probe " << config.probe << " is not an executable\n";
        return 2;
    }
    std::cout << "launcher: " << config.launcher_path << "\n";
    doctest::Context context(static_cast<int>(rest.size()), rest.data());
    return context.run();
}
