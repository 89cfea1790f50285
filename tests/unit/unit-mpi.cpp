// The launch commands of MPI jobs: Open MPI's line for a Horovod job written
// out by hand from docs/mpi.md (Horovod's mpi_run()) and compared flag
// for flag, every default of the profile replaced and removed, the
// environment rules, Hydra's and horovodrun's syntax, hostfiles, the rank
// table and Gloo's environment, and every error.

#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <trainspec/trainspec.hpp>

#include "test_support.hpp"

using namespace trainspec;
using test_support::plan_of;

namespace {

using argv_t = std::vector<std::string>;

job_spec mpi_spec(int nodes, int per_node) {
    auto s = test_support::mpi_spec("hvd", nodes, per_node);
    s.params.add("--epochs", 10).add("--lr", 0.01);
    return s;
}

/// The 2-node, 2-GPU-per-node Horovod job of the reference.
cluster<mpi> two_nodes() { return plan_of<mpi>(mpi_spec(2, 2), "worker-0:2,worker-1:2"); }

mpi_launch_options as_root() {
    mpi_launch_options o;
    o.allow_run_as_root = run_as_root::flag;
    return o;
}

mpi_launch_options flavor(mpi_flavor f) {
    mpi_launch_options o;
    o.flavor = f;
    return o;
}

mpi_launch_layout layout(std::string_view hosts, int np = 0) { return {parse_host_list(hosts), np, {"train.py"}, {}}; }

const argv_t command{"python", "train.py", "--epochs", "10", "--lr", "0.01"};

argv_t concat(argv_t a, const argv_t& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

/// The mpi_launch_error `f` throws; fails the test when it throws nothing.
mpi_launch_error failure(const std::function<void()>& f) {
    try {
        f();
        FAIL_CHECK("no mpi_launch_error thrown");
    } catch (const mpi_launch_error& e) {
        return e;
    }
    return mpi_launch_error("<none>", "<none>");
}

void check_failure(const std::function<void()>& f, const std::string& setting, const std::string& reason_part) {
    const auto e = failure(f);
    CHECK(e.path() == setting);
    CHECK_MESSAGE(e.rule().find(reason_part) != std::string::npos, "reason: ", e.rule());
    CHECK(std::string(e.what()) == setting + ": " + e.rule());
}

bool contains(const argv_t& argv, std::string_view word) {
    return std::find(argv.begin(), argv.end(), word) != argv.end();
}

/// The launcher's own words: argv up to the command prefix.
argv_t launcher_part(const argv_t& argv, const std::string& first_command_word = "python") {
    return argv_t(argv.begin(), std::find(argv.begin(), argv.end(), first_command_word));
}

}  // namespace

// ---- Open MPI: Horovod's conventions, flag for flag ----

TEST_CASE("openmpi: a 2-node Horovod job renders Horovod's mpirun line flag for flag") {
    // docs/mpi.md, Horovod's launcher conventions:
    //   mpirun --allow-run-as-root --tag-output -np N -H <hosts as given>
    //          -bind-to none -map-by slot -mca pml ob1 -mca btl ^openib ... <command>
    const auto cmd = mpirun_command(two_nodes(), as_root());
    const argv_t expected =
        concat({"mpirun", "--allow-run-as-root", "--tag-output", "-np", "4", "-H", "worker-0:2,worker-1:2", "-bind-to",
                "none", "-map-by", "slot", "-mca", "pml", "ob1", "-mca", "btl", "^openib"},
               command);
    CHECK(cmd.argv == expected);
    CHECK(cmd.launcher_environment.empty());
    CHECK(cmd.shell_line() ==
          "mpirun --allow-run-as-root --tag-output -np 4 -H worker-0:2,worker-1:2 -bind-to none -map-by slot "
          "-mca pml ob1 -mca btl '^openib' python train.py --epochs 10 --lr 0.01");
}

TEST_CASE("openmpi: every optional part lands in Horovod's order") {
    // ... then ssh args, interface args, output file, -x NAME for each
    // exported variable (sorted), extra user args, then the command.
    auto o = as_root();
    o.ssh_port = 2222;
    o.network_interface = "eth0";
    o.output_filename = "/tmp/out";
    o.environment = {{"NCCL_DEBUG", "INFO"}};
    o.export_names = {"PATH", "LD_LIBRARY_PATH"};
    o.extra_args = {"--report-bindings"};
    const auto cmd = mpirun_command(plan_of<mpi>(mpi_spec(2, 2), "a:2,b:2"), o);
    const argv_t expected = concat({"mpirun",
                                    "--allow-run-as-root",
                                    "--tag-output",
                                    "-np",
                                    "4",
                                    "-H",
                                    "a:2,b:2",
                                    "-bind-to",
                                    "none",
                                    "-map-by",
                                    "slot",
                                    "-mca",
                                    "pml",
                                    "ob1",
                                    "-mca",
                                    "btl",
                                    "^openib",
                                    "-mca",
                                    "plm_rsh_args",
                                    "-p 2222",
                                    "-mca",
                                    "btl_tcp_if_include",
                                    "eth0",
                                    "-x",
                                    "NCCL_SOCKET_IFNAME=eth0",
                                    "--output-filename",
                                    "/tmp/out",
                                    "-x",
                                    "LD_LIBRARY_PATH",
                                    "-x",
                                    "NCCL_DEBUG=INFO",
                                    "-x",
                                    "PATH",
                                    "--report-bindings"},
                                   command);
    CHECK(cmd.argv == expected);
    CHECK(cmd.shell_line().find("-mca plm_rsh_args '-p 2222'") != std::string::npos);
}

/// Hosts h000000, h000001, ... of one slot, the last name lengthened so that
/// the host list, each host written with `suffix_bytes` after its name and
/// a comma between two, has exactly `bytes` bytes.
std::vector<host> hosts_listed_in(std::size_t bytes, std::size_t suffix_bytes) {
    const std::size_t per_host = 7 + suffix_bytes + 1;
    const std::size_t count = (bytes + 1) / per_host;
    std::vector<host> hosts;
    for (std::size_t i = 0; i < count; ++i) hosts.push_back({fmt::format("h{:06}", i), 1});
    hosts.back().name += std::string(bytes + 1 - count * per_host, 'x');
    return hosts;
}

TEST_CASE("every flavor: a host list longer than one argument may be is refused; a hostfile takes the job") {
    // -H name:slots,... (Open MPI, horovodrun) and -hosts name,... (Hydra)
    // are one argument each: execve refuses one of more than
    // max_argument_bytes (unit-limits runs the kernel's rule).
    for (const auto& [f, suffix] : {std::pair{mpi_flavor::openmpi, std::size_t{2}},
                                    {mpi_flavor::horovodrun, std::size_t{2}},
                                    {mpi_flavor::mpich, std::size_t{0}},
                                    {mpi_flavor::intel, std::size_t{0}}}) {
        const auto name = std::string(enum_name(f));
        CAPTURE(name);
        const mpi_launch_layout at{hosts_listed_in(max_argument_bytes, suffix), 0, {"train.py"}, {}};
        const auto argv = mpirun_command(at, flavor(f)).argv;
        CHECK(std::count_if(argv.begin(), argv.end(),
                            [](const std::string& w) { return w.size() == max_argument_bytes; }) == 1);

        const mpi_launch_layout over{hosts_listed_in(max_argument_bytes + 1, suffix), 0, {"train.py"}, {}};
        const auto settings = flavor(f);
        check_failure([&] { mpirun_command(over, settings); }, "hosts (from the plan or layout)",
                      "an argument of 131072 bytes; one argument or environment string (Linux's MAX_ARG_STRLEN, "
                      "131072, counts its NUL) has at most 131071 bytes, so the line could not run: give the hosts "
                      "in a hostfile (docs/limits.md)");
        auto from_file = settings;
        from_file.hostfile = "hosts.txt";
        CHECK(contains(mpirun_command(over, from_file).argv, "hosts.txt"));
    }
}

TEST_CASE("every word a launch line appends is held to one argument's ceiling, named by its place") {
    auto o = as_root();
    o.command_prefix = {"python", std::string(max_argument_bytes, 'x')};
    CHECK(contains(mpirun_command(two_nodes(), o).argv, o.command_prefix[1]));
    o.command_prefix[1] += 'x';
    check_failure([&] { mpirun_command(two_nodes(), o); }, "command_prefix[1]",
                  "an argument of 131072 bytes; one argument or environment string (Linux's MAX_ARG_STRLEN, "
                  "131072, counts its NUL) has at most 131071 bytes, so the line could not run (docs/limits.md)");
}

TEST_CASE("openmpi: 64 hosts or more add the large-cluster settings") {
    auto hosts64 = generate_hosts("n{index}", 64, 1);
    const auto big = mpirun_command(mpi_launch_layout{hosts64, 0, {"train.py"}, {}}, as_root());
    const argv_t tail{
        "-mca", "btl",   "^openib", "-mca", "plm_rsh_no_tree_spawn", "true", "-mca", "plm_rsh_num_concurrent",
        "64",   "python"};
    CHECK(std::search(big.argv.begin(), big.argv.end(), tail.begin(), tail.end()) != big.argv.end());

    auto hosts63 = generate_hosts("n{index}", 63, 1);
    const auto small = mpirun_command(mpi_launch_layout{hosts63, 0, {"train.py"}, {}}, as_root());
    CHECK_FALSE(contains(small.argv, "plm_rsh_no_tree_spawn"));

    auto o = as_root();
    o.large_cluster_hosts = 2;
    o.timestamp_output = true;
    const auto two = mpirun_command(two_nodes(), o);
    const argv_t expected{"-mca", "plm_rsh_no_tree_spawn", "true",  "-mca", "plm_rsh_num_concurrent",
                          "2",    "--timestamp-output",    "python"};
    CHECK(std::search(two.argv.begin(), two.argv.end(), expected.begin(), expected.end()) != two.argv.end());
    o.large_cluster_hosts.reset();
    CHECK_FALSE(
        contains(mpirun_command(mpi_launch_layout{hosts64, 0, {"train.py"}, {}}, o).argv, "plm_rsh_num_concurrent"));
}

TEST_CASE("openmpi: each default of the profile can be replaced and removed, never doubled") {
    const auto base = as_root();
    auto render = [](const mpi_launch_options& o) { return launcher_part(mpirun_command(two_nodes(), o).argv); };

    CHECK(render(base) == argv_t{"mpirun", "--allow-run-as-root", "--tag-output", "-np", "4", "-H",
                                 "worker-0:2,worker-1:2", "-bind-to", "none", "-map-by", "slot", "-mca", "pml", "ob1",
                                 "-mca", "btl", "^openib"});
    SUBCASE("tag_output") {
        auto o = base;
        o.tag_output = false;
        CHECK_FALSE(contains(render(o), "--tag-output"));
    }
    SUBCASE("bind_to") {
        auto o = base;
        o.bind_to = "core";
        auto argv = render(o);
        CHECK(std::count(argv.begin(), argv.end(), "-bind-to") == 1);
        CHECK(*(std::find(argv.begin(), argv.end(), "-bind-to") + 1) == "core");
        o.bind_to.reset();
        CHECK_FALSE(contains(render(o), "-bind-to"));
        CHECK(contains(render(o), "-map-by"));
    }
    SUBCASE("map_by") {
        auto o = base;
        o.map_by = "ppr:2:node";
        const auto argv = render(o);
        CHECK(*(std::find(argv.begin(), argv.end(), "-map-by") + 1) == "ppr:2:node");
        o.map_by.reset();
        CHECK_FALSE(contains(render(o), "-map-by"));
    }
    SUBCASE("mca: replace in place, erase, add, clear") {
        auto o = base;
        o.mca.set("btl", "self,tcp");
        CHECK(render(o) == argv_t{"mpirun", "--allow-run-as-root", "--tag-output", "-np", "4", "-H",
                                  "worker-0:2,worker-1:2", "-bind-to", "none", "-map-by", "slot", "-mca", "pml", "ob1",
                                  "-mca", "btl", "self,tcp"});
        CHECK(o.mca.erase("pml"));
        CHECK_FALSE(o.mca.erase("pml"));
        o.mca.set("btl_tcp_if_exclude", "lo,docker0");
        CHECK(render(o) == argv_t{"mpirun", "--allow-run-as-root", "--tag-output", "-np", "4", "-H",
                                  "worker-0:2,worker-1:2", "-bind-to", "none", "-map-by", "slot", "-mca", "btl",
                                  "self,tcp", "-mca", "btl_tcp_if_exclude", "lo,docker0"});
        o.mca.clear();
        CHECK_FALSE(contains(render(o), "-mca"));
    }
    SUBCASE("all removed: only what the job needs") {
        mpi_launch_options o;
        o.tag_output = false;
        o.bind_to.reset();
        o.map_by.reset();
        o.mca.clear();
        CHECK(mpirun_command(two_nodes(), o).argv ==
              concat({"mpirun", "-np", "4", "-H", "worker-0:2,worker-1:2"}, command));
    }
}

TEST_CASE("openmpi: running as root must be asked for, as a flag or in the environment") {
    mpi_launch_options o;
    auto cmd = mpirun_command(two_nodes(), o);
    CHECK(o.allow_run_as_root == run_as_root::not_allowed);
    CHECK_FALSE(contains(cmd.argv, "--allow-run-as-root"));
    CHECK(cmd.launcher_environment.empty());

    o.allow_run_as_root = run_as_root::environment;
    cmd = mpirun_command(two_nodes(), o);
    CHECK_FALSE(contains(cmd.argv, "--allow-run-as-root"));
    CHECK(cmd.launcher_environment ==
          std::vector<environment_variable>{{"OMPI_ALLOW_RUN_AS_ROOT", "1"}, {"OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1"}});
    CHECK(cmd.shell_line().rfind("OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun --tag-output -np 4",
                                 0) == 0);

    o.allow_launcher_environment = false;
    check_failure([&] { mpirun_command(two_nodes(), o); }, "allow_run_as_root", "allow_launcher_environment");
}

TEST_CASE("openmpi 5: PRRTE's names and two-dash options") {
    auto o = as_root();
    o.open_mpi_major = 5;
    o.ssh_port = 2222;
    o.network_interface = "eth0";
    o.large_cluster_hosts = 2;
    const auto cmd = mpirun_command(two_nodes(), o);
    CHECK(cmd.argv == concat({"mpirun",
                              "--allow-run-as-root",
                              "--tag-output",
                              "-np",
                              "4",
                              "-H",
                              "worker-0:2,worker-1:2",
                              "--bind-to",
                              "none",
                              "--map-by",
                              "slot",
                              "--mca",
                              "pml",
                              "ob1",
                              "--mca",
                              "btl",
                              "^openib",
                              "--prtemca",
                              "plm_ssh_no_tree_spawn",
                              "true",
                              "--prtemca",
                              "plm_ssh_num_concurrent",
                              "2",
                              "--prtemca",
                              "plm_ssh_args",
                              "-p 2222",
                              "--mca",
                              "btl_tcp_if_include",
                              "eth0",
                              "-x",
                              "NCCL_SOCKET_IFNAME=eth0"},
                             command));
    for (const auto& word : cmd.argv) CHECK(word.find("plm_rsh") == std::string::npos);
}

TEST_CASE("openmpi: a plan's hosts appear with the ranks placed on them, not their capacity") {
    // 8 slots per host but 2 ranks per node: -H a:8,b:8 -np 4 would put all
    // four ranks on a.
    const auto c = plan_of<mpi>(mpi_spec(2, 2), "a:8,b:8");
    const auto argv = mpirun_command(c, as_root()).argv;
    CHECK(*(std::find(argv.begin(), argv.end(), "-H") + 1) == "a:2,b:2");
    CHECK(hostfile_text(c, mpi_flavor::openmpi) == "a slots=2\nb slots=2\n");
    CHECK(hostfile_text(c, mpi_flavor::mpich) == "a:2\nb:2\n");
    CHECK(parse_hostfile(hostfile_text(c, mpi_flavor::openmpi)) == ranks_per_host(c));
}

// ---- the environment ----

TEST_CASE("environment: sorted by name, job values overridden by the options, excluded names dropped") {
    auto s = mpi_spec(2, 2);
    s.environment_variables = {{"ZED", "1"}, {"ALPHA", "2"}, {"NCCL_DEBUG", "WARN"}};
    auto o = as_root();
    o.environment = {{"MID", "x"}, {"NCCL_DEBUG", "INFO"}};
    // As taken from a shell's environment: exported bash functions are
    // named BASH_FUNC_name%%.
    o.export_names = {"PATH", "BASH_FUNC_module%%",  "OLDPWD", "CUDA_VISIBLE_DEVICES",
                      "HOME", "_HOROVOD_SECRET_KEY", "PATH",   "NVIDIA_CUDA_VISIBLE_DEVICES"};
    const auto argv = launcher_part(mpirun_command(plan_of<mpi>(s, "a:2,b:2"), o).argv);
    argv_t exports;
    for (std::size_t i = 0; i + 1 < argv.size(); ++i)
        if (argv[i] == "-x") exports.push_back(argv[i + 1]);
    CHECK(exports == argv_t{"ALPHA=2", "HOME", "MID=x", "NCCL_DEBUG=INFO", "PATH", "ZED=1"});
}

TEST_CASE("environment: a value with spaces or quotes is exported by name, its value in the launcher's environment") {
    auto s = mpi_spec(2, 2);
    s.environment_variables = {{"MSG", "hello world"}, {"QUOTED", "it's \"q\""}, {"PLAIN", "a,b=c$d"}};
    auto cmd = mpirun_command(plan_of<mpi>(s, "a:2,b:2"), as_root());
    const auto argv = launcher_part(cmd.launcher_argv());
    CHECK(contains(argv, "MSG"));
    CHECK(contains(argv, "QUOTED"));
    CHECK(contains(argv, "PLAIN=a,b=c$d"));
    for (const auto& word : argv) CHECK(word.find("hello world") == std::string::npos);
    CHECK(cmd.launcher_environment ==
          std::vector<environment_variable>{{"MSG", "hello world"}, {"QUOTED", "it's \"q\""}});
    CHECK(cmd.shell_line().rfind("MSG='hello world' QUOTED='it'\\''s \"q\"' mpirun ", 0) == 0);
    CHECK(cmd.shell_line().find(" -x MSG -x 'PLAIN=a,b=c$d' -x QUOTED ") != std::string::npos);
    for (const char* value : {"tab\there", "back\\slash", "line\nbreak"}) {
        auto t = s;
        t.environment_variables = {{"V", value}};
        CHECK(mpirun_command(plan_of<mpi>(t, "a:2,b:2"), as_root()).launcher_environment ==
              std::vector<environment_variable>{{"V", value}});
    }

    auto o = as_root();
    o.allow_launcher_environment = false;
    check_failure([&] { mpirun_command(plan_of<mpi>(s, "a:2,b:2"), o); }, "environment_variables[\"MSG\"]",
                  "allow_launcher_environment is false");
}

TEST_CASE("environment: errors name the variable") {
    auto o = as_root();
    o.environment = {{"CUDA_VISIBLE_DEVICES", "0"}};
    check_failure([&] { mpirun_command(two_nodes(), o); }, "environment[\"CUDA_VISIBLE_DEVICES\"]", "never exported");
    o.environment = {{"OLDPWD", "/"}};
    check_failure([&] { mpirun_command(two_nodes(), o); }, "environment[\"OLDPWD\"]", "never exported");
    o.environment = {{"1BAD", "x"}};
    check_failure([&] { mpirun_command(two_nodes(), o); }, "environment[\"1BAD\"]", "[A-Za-z_]");
    o.environment = {{"A", "1"}, {"A", "2"}};
    check_failure([&] { mpirun_command(two_nodes(), o); }, "environment[\"A\"]", "twice");
    o.environment = {{"NCCL_SOCKET_IFNAME", "eth1"}};
    o.network_interface = "eth0";
    check_failure([&] { mpirun_command(two_nodes(), o); }, "environment[\"NCCL_SOCKET_IFNAME\"]", "network_interface");
    o.environment = {{"PATH", "/bin"}};
    o.network_interface.reset();
    o.export_names = {"PATH"};
    check_failure([&] { mpirun_command(two_nodes(), o); }, "export_names[0]", "not both");
    o.environment.clear();
    o.export_names = {"NOT-A-NAME"};
    check_failure([&] { mpirun_command(two_nodes(), o); }, "export_names[0]", "[A-Za-z_]");

    auto s = mpi_spec(2, 2);
    s.environment_variables = {{"NVIDIA_CUDA_VISIBLE_DEVICES_LIST", "0"}};
    check_failure([&] { mpirun_command(plan_of<mpi>(s, "a:2,b:2"), as_root()); },
                  "environment_variables[\"NVIDIA_CUDA_VISIBLE_DEVICES_LIST\"]", "never exported");
}

TEST_CASE("is_never_exported follows Horovod's patterns") {
    for (const char* name : {"BASH_FUNC_module%%", "BASH_FUNC_x", "OLDPWD", "CUDA_VISIBLE_DEVICES",
                             "NVIDIA_CUDA_VISIBLE_DEVICES", "CUDA_VISIBLE_DEVICES_2", "_HOROVOD_SECRET_KEY"})
        CHECK_MESSAGE(is_never_exported(name), name);
    for (const char* name : {"PATH", "PWD", "BASH_FUNC", "MY_OLDPWD", "CUDA_HOME", "HOROVOD_SECRET_KEY"})
        CHECK_FALSE_MESSAGE(is_never_exported(name), name);
}

// ---- MPICH and Intel MPI (Hydra) ----

TEST_CASE("mpich: Hydra's syntax") {
    auto s = mpi_spec(2, 2);
    s.environment_variables = {{"MSG", "hello world"}};
    auto o = as_root();  // nothing to render: Hydra runs as root
    o.flavor = mpi_flavor::mpich;
    auto cmd = mpirun_command(plan_of<mpi>(s, "a:2,b:2"), o);
    CHECK(cmd.argv == concat({"mpiexec", "-l", "-n", "4", "-ppn", "2", "-hosts", "a,b", "-bind-to", "none", "-map-by",
                              "slot", "-genv", "MSG", "hello world"},
                             command));
    CHECK(cmd.launcher_environment.empty());

    o.network_interface = "eth0";
    o.output_filename = "/tmp/out.%r";
    o.export_names = {"PATH", "HOME", "OLDPWD"};
    o.environment = {{"B", "2"}};
    o.tag_output = false;
    cmd = mpirun_command(plan_of<mpi>(s, "a:2,b:2"), o);
    CHECK(cmd.argv == concat({"mpiexec",
                              "-n",
                              "4",
                              "-ppn",
                              "2",
                              "-hosts",
                              "a,b",
                              "-bind-to",
                              "none",
                              "-map-by",
                              "slot",
                              "-iface",
                              "eth0",
                              "-genv",
                              "NCCL_SOCKET_IFNAME",
                              "eth0",
                              "-outfile-pattern",
                              "/tmp/out.%r",
                              "-genv",
                              "B",
                              "2",
                              "-genv",
                              "MSG",
                              "hello world",
                              "-genvlist",
                              "HOME,PATH"},
                             command));
}

TEST_CASE("intel: Hydra's syntax without binding arguments; ssh port through -bootstrap-exec-args") {
    auto o = flavor(mpi_flavor::intel);
    o.ssh_port = 2222;
    const auto cmd = mpirun_command(two_nodes(), o);
    CHECK(cmd.argv == concat({"mpirun", "-l", "-n", "4", "-ppn", "2", "-hosts", "worker-0,worker-1", "-bootstrap",
                              "ssh", "-bootstrap-exec-args", "-p 2222"},
                             command));
    CHECK(cmd.shell_line().find("-bootstrap-exec-args '-p 2222' python") != std::string::npos);
}

TEST_CASE("hydra: no Open MPI-only flag ever reaches MPICH or Intel MPI") {
    const argv_t open_mpi_only{"-x",
                               "-mca",
                               "--mca",
                               "--prtemca",
                               "--allow-run-as-root",
                               "--tag-output",
                               "--timestamp-output",
                               "--output-filename",
                               "-H",
                               "--hostfile",
                               "--bind-to",
                               "--map-by"};
    for (auto f : {mpi_flavor::mpich, mpi_flavor::intel}) {
        for (auto root : {run_as_root::flag, run_as_root::environment}) {
            CAPTURE(enum_name(f));
            auto s = mpi_spec(2, 2);
            s.environment_variables = {{"MSG", "hello world"}, {"A", "1"}};
            mpi_launch_options o;
            o.flavor = f;
            o.allow_run_as_root = root;
            o.mca.set("btl_tcp_if_include", "eth0");
            o.large_cluster_hosts = 1;
            o.network_interface = "eth0";
            o.output_filename = "/tmp/o";
            o.export_names = {"PATH"};
            if (f == mpi_flavor::intel) o.ssh_port = 22;
            const auto cmd = mpirun_command(plan_of<mpi>(s, "a:2,b:2"), o);
            CHECK(cmd.launcher_environment.empty());
            for (const auto& word : launcher_part(cmd.argv)) {
                CAPTURE(word);
                CHECK_FALSE(contains(open_mpi_only, word));
                CHECK(word.find("mca") == std::string::npos);
                CHECK(word.find("OMPI_") == std::string::npos);
                if (f == mpi_flavor::intel) {
                    CHECK(word != "-bind-to");
                    CHECK(word != "-map-by");
                }
            }
        }
    }
}

TEST_CASE("hydra: hosts with different slot counts need a hostfile") {
    const auto uneven = layout("a:2,b:1,c:3");
    check_failure([&] { mpirun_command(uneven, flavor(mpi_flavor::mpich)); }, "hostfile", "different slot counts");
    check_failure([&] { mpirun_command(uneven, flavor(mpi_flavor::intel)); }, "hostfile", "a:2,b:1,c:3");

    auto o = flavor(mpi_flavor::mpich);
    o.hostfile = "/tmp/hosts";
    CHECK(mpirun_command(uneven, o).argv == argv_t{"mpiexec", "-l", "-n", "6", "-f", "/tmp/hosts", "-bind-to", "none",
                                                   "-map-by", "slot", "python", "train.py"});
    o.flavor = mpi_flavor::intel;
    CHECK(mpirun_command(uneven, o).argv ==
          argv_t{"mpirun", "-l", "-n", "6", "-machinefile", "/tmp/hosts", "python", "train.py"});
    CHECK(hostfile_text(uneven.hosts, mpi_flavor::mpich) == "a:2\nb:1\nc:3\n");
    CHECK(hostfile_text(uneven.hosts, mpi_flavor::intel) == "a:2\nb:1\nc:3\n");
    CHECK(hostfile_text(uneven.hosts, mpi_flavor::openmpi) == "a slots=2\nb slots=1\nc slots=3\n");
    CHECK(hostfile_text(uneven.hosts, mpi_flavor::horovodrun) == "a slots=2\nb slots=1\nc slots=3\n");
    CHECK(parse_hostfile(hostfile_text(uneven.hosts, mpi_flavor::mpich)) == uneven.hosts);

    // Open MPI and horovodrun take uneven slots in -H.
    auto argv = mpirun_command(uneven, as_root()).argv;
    CHECK(*(std::find(argv.begin(), argv.end(), "-H") + 1) == "a:2,b:1,c:3");
    o = as_root();
    o.hostfile = "/tmp/hosts";
    argv = mpirun_command(uneven, o).argv;
    CHECK(*(std::find(argv.begin(), argv.end(), "--hostfile") + 1) == "/tmp/hosts");
    CHECK_FALSE(contains(argv, "-H"));
}

// ---- horovodrun ----

TEST_CASE("argv runs by itself: env sets the launcher's variables in front of the launcher") {
    // POSIX env: each NAME=value operand goes into the environment of the
    // utility that follows; the shell line keeps its assignments instead.
    auto s = mpi_spec(2, 2);
    s.environment_variables = {{"MSG", "hello world"}, {"QUOTED", "it's \"q\""}, {"EQ", "a=b"}};
    auto o = as_root();
    o.allow_run_as_root = run_as_root::environment;
    const auto cmd = mpirun_command(plan_of<mpi>(s, "a:2,b:2"), o);
    const argv_t prefix{"env", "OMPI_ALLOW_RUN_AS_ROOT=1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1", "MSG=hello world",
                        "QUOTED=it's \"q\""};
    REQUIRE(cmd.argv.size() > prefix.size());
    CHECK(argv_t(cmd.argv.begin(), cmd.argv.begin() + 5) == prefix);
    CHECK(cmd.launcher_argv() == argv_t(cmd.argv.begin() + 5, cmd.argv.end()));
    CHECK(cmd.launcher_argv().front() == "mpirun");
    CHECK(cmd.shell_line().rfind("OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 MSG='hello world' "
                                 "QUOTED='it'\\''s \"q\"' mpirun --tag-output ",
                                 0) == 0);
    CHECK(cmd.shell_line().find(" env ") == std::string::npos);

    // Nothing for the launcher's environment: argv is the launcher's words.
    const auto plain = mpirun_command(plan_of<mpi>(mpi_spec(2, 2), "a:2,b:2"), as_root());
    CHECK(plain.launcher_environment.empty());
    CHECK(plain.argv.front() == "mpirun");
    CHECK(plain.launcher_argv() == plain.argv);

    // A launcher env would read as an option or as a variable is refused.
    o.launcher = "-i";
    check_failure([&] { mpirun_command(two_nodes(), o); }, "launcher", "must not start with '-'");
    o.launcher = "A=B";
    check_failure([&] { mpirun_command(two_nodes(), o); }, "launcher", "contains '='");
    o.launcher = "/opt/mpi/bin/mpirun";
    CHECK(mpirun_command(two_nodes(), o).launcher_argv().front() == "/opt/mpi/bin/mpirun");
}

TEST_CASE("environment: names that change how a launcher runs reach the ranks' program only") {
    auto l = layout("a:2,b:2");
    l.environment = {{"PATH", "./src/bin:/usr/bin"}, {"LD_PRELOAD", "/a.so /b.so"}, {"MSG", "hello world"}};
    SUBCASE("openmpi: -x when it can carry the value, else env right before the program") {
        const auto cmd = mpirun_command(l, as_root());
        CHECK(cmd.launcher_environment == std::vector<environment_variable>{{"MSG", "hello world"}});
        CHECK(contains(launcher_part(cmd.launcher_argv(), "env"), "PATH=./src/bin:/usr/bin"));
        const argv_t tail{"env", "--", "LD_PRELOAD=/a.so /b.so", "python", "train.py"};
        CHECK(argv_t(cmd.argv.end() - 5, cmd.argv.end()) == tail);
        CHECK(cmd.shell_line().rfind("MSG='hello world' mpirun ", 0) == 0);
    }
    SUBCASE("horovodrun: env right before the program, never horovodrun's own environment") {
        const auto cmd = mpirun_command(l, flavor(mpi_flavor::horovodrun));
        CHECK(cmd.launcher_environment == std::vector<environment_variable>{{"MSG", "hello world"}});
        const argv_t tail{"env", "--", "LD_PRELOAD=/a.so /b.so", "PATH=./src/bin:/usr/bin", "python", "train.py"};
        CHECK(argv_t(cmd.argv.end() - 6, cmd.argv.end()) == tail);
    }
    SUBCASE("hydra: -genv already sets them for the ranks only") {
        const auto cmd = mpirun_command(l, flavor(mpi_flavor::mpich));
        CHECK(cmd.launcher_environment.empty());
        CHECK(contains(cmd.argv, "/a.so /b.so"));
        CHECK(!contains(cmd.argv, "env"));
    }
    SUBCASE("names no job may set are errors, whoever sets them") {
        auto o = as_root();
        for (const char* name : {"OMPI_MCA_plm_rsh_agent", "IFS", "BASH_ENV", "SLURM_JOB_ID", "PRTE_MCA_plm_ssh_agent",
                                 "OMPI_COMM_WORLD_RANK"}) {
            CAPTURE(name);
            o.environment = {{name, "x"}};
            check_failure([&] { mpirun_command(l, o); }, "environment[\"" + std::string(name) + "\"]",
                          std::string(name) + " ");
        }
    }
    SUBCASE("MCA values and variables in extra_args follow mpi.mca's rules") {
        auto o = as_root();
        o.extra_args = {"-mca", "btl_tcp_if_include", "eth0$(touch /tmp/x)"};
        check_failure([&] { mpirun_command(l, o); }, "extra_args[2]", "double quotes");
        o.extra_args = {"--prtemca", "plm_ssh_args", "-o \"ProxyCommand=x\""};
        check_failure([&] { mpirun_command(l, o); }, "extra_args[2]", "double quotes");
        o.extra_args = {"-x", "OMPI_MCA_plm_rsh_agent=sh"};
        check_failure([&] { mpirun_command(l, o); }, "extra_args[1]", "names a program, a path or variables");
        o.extra_args = {"-mca", "plm_rsh_agent", "ssh -x", "-x", "LD_PRELOAD=/x.so"};
        CHECK(contains(mpirun_command(l, o).argv, "ssh -x"));
    }
}

TEST_CASE("horovodrun: its own options; job variables go to its environment") {
    auto s = mpi_spec(2, 2);
    s.environment_variables = {{"MSG", "hello world"}, {"A", "1"}};
    auto o = flavor(mpi_flavor::horovodrun);
    o.network_interface = "eth0";
    o.ssh_port = 2222;
    o.controller = horovod_controller::gloo;
    o.export_names = {"PATH"};
    auto cmd = mpirun_command(plan_of<mpi>(s, "a:2,b:2"), o);
    CHECK(cmd.launcher_argv() == concat({"horovodrun", "-np", "4", "-H", "a:2,b:2", "--network-interface", "eth0",
                                         "--ssh-port", "2222", "--gloo"},
                                        command));
    CHECK(cmd.argv == concat({"env", "A=1", "MSG=hello world"}, cmd.launcher_argv()));
    CHECK(cmd.launcher_environment == std::vector<environment_variable>{{"A", "1"}, {"MSG", "hello world"}});
    o.controller = horovod_controller::mpi;
    o.output_filename = "/tmp/logs";
    o.timestamp_output = true;
    o.extra_args = {"--verbose"};
    cmd = mpirun_command(plan_of<mpi>(s, "a:2,b:2"), o);
    CHECK(launcher_part(cmd.launcher_argv()) == argv_t{"horovodrun", "-np", "4", "-H", "a:2,b:2", "--network-interface",
                                                       "eth0", "--ssh-port", "2222", "--mpi", "--output-filename",
                                                       "/tmp/logs", "--prefix-output-with-timestamp", "--verbose"});
    o.allow_launcher_environment = false;
    check_failure([&] { mpirun_command(plan_of<mpi>(s, "a:2,b:2"), o); }, "environment_variables[\"A\"]",
                  "horovodrun takes variables only from its own environment");
}

// ---- np, hosts, the rank table ----

TEST_CASE("np: fewer processes than slots fill the hosts in order; more is an error") {
    auto cmd = mpirun_command(layout("a:2,b:2", 3), as_root());
    CHECK(*(std::find(cmd.argv.begin(), cmd.argv.end(), "-np") + 1) == "3");
    cmd = mpirun_command(layout("a:2,b:2", 3), flavor(mpi_flavor::mpich));
    CHECK(launcher_part(cmd.argv) ==
          argv_t{"mpiexec", "-l", "-n", "3", "-ppn", "2", "-hosts", "a,b", "-bind-to", "none", "-map-by", "slot"});
    check_failure([] { mpirun_command(layout("a:2,b:2", 5), as_root()); }, "np",
                  "np = 5 is larger than the 4 slot(s) of the hosts (a:2,b:2)");
    check_failure([] { rank_table(parse_host_list("a:2,b:2"), 5); }, "np", "larger than");
    check_failure([] { rank_table(parse_host_list("a:1"), -1); }, "np", "at least 1");
    check_failure([] { rank_table({}, 1); }, "hosts", "no host");
    check_failure([] { rank_table({{"a", 1}, {"a", 2}}); }, "hosts", "listed twice");
    check_failure([] { rank_table({{"a b", 1}}); }, "hosts", "a host name may only contain");
    check_failure([] { rank_table({{"a", 0}}); }, "hosts", "at least 1");
    check_failure([] { hostfile_text({{"a;b", 1}}, mpi_flavor::openmpi); }, "hosts", "a host name may only contain");
}

TEST_CASE("rank table: Horovod's assignment with unequal slots a:2,b:1,c:3") {
    const auto table = rank_table(parse_host_list("a:2,b:1,c:3"));
    const std::vector<rank_info> expected{
        // host_index rank size local local_size cross cross_size
        {0, 0, 6, 0, 2, 0, 3}, {0, 1, 6, 1, 2, 0, 2}, {1, 2, 6, 0, 1, 1, 3},
        {2, 3, 6, 0, 3, 2, 3}, {2, 4, 6, 1, 3, 1, 2}, {2, 5, 6, 2, 3, 0, 1},
    };
    CHECK(table == expected);

    // np 4 of the same hosts: c gets one rank.
    const std::vector<rank_info> four{
        {0, 0, 4, 0, 2, 0, 3}, {0, 1, 4, 1, 2, 0, 1}, {1, 2, 4, 0, 1, 1, 3}, {2, 3, 4, 0, 1, 2, 3}};
    CHECK(rank_table(parse_host_list("a:2,b:1,c:3"), 4) == four);

    // np 2: only a is used.
    CHECK(rank_table(parse_host_list("a:2,b:1,c:3"), 2) ==
          std::vector<rank_info>{{0, 0, 2, 0, 2, 0, 1}, {0, 1, 2, 1, 2, 0, 1}});
}

TEST_CASE("rank table of a plan agrees with the plan's ranks and local ranks") {
    const auto c = plan_of<mpi>(mpi_spec(3, 2), "a:2,b:4,c:2");
    const auto table = rank_table(c);
    REQUIRE(table.size() == c.tasks().size());
    for (std::size_t i = 0; i < table.size(); ++i) {
        CHECK(table[i].rank == c.tasks()[i].rank);
        CHECK(table[i].local_rank == c.tasks()[i].local_rank);
        CHECK(table[i].host_index == c.tasks()[i].host_index);
        CHECK(table[i].size == 6);
        CHECK(table[i].local_size == 2);
        CHECK(table[i].cross_size == 3);
        CHECK(table[i].cross_rank == static_cast<int>(i / 2));
    }
}

TEST_CASE("gloo: each rank's environment, in Horovod's order") {
    const auto hosts = parse_host_list("a:2,b:1,c:3");
    const auto table = rank_table(hosts);
    const gloo_rendezvous g{"10.0.0.1", 12345, {"eth0", "eth1"}};
    CHECK(gloo_environment(hosts, table[4], g) == std::vector<environment_variable>{
                                                      {"HOROVOD_HOSTNAME", "c"},
                                                      {"HOROVOD_RANK", "4"},
                                                      {"HOROVOD_SIZE", "6"},
                                                      {"HOROVOD_LOCAL_RANK", "1"},
                                                      {"HOROVOD_LOCAL_SIZE", "3"},
                                                      {"HOROVOD_CROSS_RANK", "1"},
                                                      {"HOROVOD_CROSS_SIZE", "2"},
                                                      {"HOROVOD_GLOO_RENDEZVOUS_ADDR", "10.0.0.1"},
                                                      {"HOROVOD_GLOO_RENDEZVOUS_PORT", "12345"},
                                                      {"HOROVOD_CONTROLLER", "gloo"},
                                                      {"HOROVOD_CPU_OPERATIONS", "gloo"},
                                                      {"HOROVOD_GLOO_IFACE", "eth0"},
                                                      {"NCCL_SOCKET_IFNAME", "eth0,eth1"},
                                                  });
    check_failure([&] { gloo_environment(hosts, table[0], {"", 1, {"eth0"}}); }, "gloo.address", "empty");
    check_failure([&] { gloo_environment({{"a", 2}}, table[4], g); }, "hosts", "rank 4 refers to host 2 of 1");
    check_failure([&] { gloo_environment(hosts, table[0], {"h", 0, {"eth0"}}); }, "gloo.port", "1-65535");
    check_failure([&] { gloo_environment(hosts, table[0], {"h", 1, {}}); }, "gloo.interfaces", "at least one");
    check_failure(
        [&] {
            gloo_environment(hosts, table[0], {"h", 1, {"eth0,eth1"}});
        },
        "gloo.interfaces", "must be a network interface name");
}

// ---- the command ----

TEST_CASE("command: the prefix is replaceable, the script parameters are exact argv") {
    auto s = mpi_spec(1, 2);
    s.params =
        script_params{{"--name", "two words"}, {"--quote", "it's \"q\""}, {"--list", param_value::list{"", "$HOME"}}};
    auto o = as_root();
    o.command_prefix = {"python3", "-u"};
    auto cmd = mpirun_command(plan_of<mpi>(s, "a:2"), o);
    const argv_t tail{"python3", "-u",         "train.py", "--name", "two words",
                      "--quote", "it's \"q\"", "--list",   "",       "$HOME"};
    CHECK(argv_t(cmd.argv.end() - static_cast<long>(tail.size()), cmd.argv.end()) == tail);
    CHECK(cmd.shell_line().find("python3 -u train.py --name 'two words' --quote 'it'\\''s \"q\"' --list '' '$HOME'") !=
          std::string::npos);
    o.command_prefix.clear();
    cmd = mpirun_command(plan_of<mpi>(s, "a:2"), o);
    CHECK(*(std::find(cmd.argv.begin(), cmd.argv.end(), "^openib") + 1) == "train.py");
    o.launcher = "/usr/bin/mpirun.openmpi";
    CHECK(mpirun_command(plan_of<mpi>(s, "a:2"), o).argv.front() == "/usr/bin/mpirun.openmpi");
    CHECK(default_launcher(mpi_flavor::mpich) == "mpiexec");
    CHECK(default_launcher(mpi_flavor::horovodrun) == "horovodrun");
}

TEST_CASE("flavor names") {
    for (auto f : {mpi_flavor::openmpi, mpi_flavor::mpich, mpi_flavor::intel, mpi_flavor::horovodrun})
        CHECK(enum_from_name<mpi_flavor>(enum_name(f)) == f);
    CHECK_FALSE(enum_from_name<mpi_flavor>("OpenMPI").has_value());
    CHECK_FALSE(enum_from_name<mpi_flavor>("").has_value());
}

// ---- errors ----

TEST_CASE("extra_args may not repeat a rendered flag, under any spelling") {
    auto check_extra = [](mpi_launch_options o, argv_t extra, const std::string& reason) {
        CAPTURE(enum_name(o.flavor));
        o.extra_args = std::move(extra);
        check_failure([&] { mpirun_command(two_nodes(), o); }, "extra_args[0]", reason);
    };
    auto o = as_root();
    check_extra(o, {"-bind-to", "core"}, "already written from bind_to");
    check_extra(o, {"--bind-to=core"}, "already written from bind_to");
    check_extra(o, {"--mca", "pml", "ucx"}, "already written from mca[\"pml\"]");
    check_extra(o, {"-n", "8"}, "already written from np");
    check_extra(o, {"--host", "x:1"}, "already written from hosts");
    check_extra(o, {"--tag-output"}, "already written from tag_output");
    check_extra(o, {"--allow-run-as-root"}, "already written from allow_run_as_root");
    o.export_names = {"PATH"};
    check_extra(o, {"-x", "PATH=/bin"}, "already written from export_names[0]");
    o.network_interface = "eth0";
    check_extra(o, {"-x", "NCCL_SOCKET_IFNAME"}, "already written from network_interface");
    check_extra(o, {"-mca", "btl_tcp_if_include", "eth1"}, "already written from network_interface");
    check_extra(o, {"-genv", "A", "1"}, "Hydra");
    check_extra(o, {"-ppn", "2"}, "Hydra");

    auto h = flavor(mpi_flavor::mpich);
    check_extra(h, {"-x", "A=1"}, "Open MPI option");
    check_extra(h, {"--mca", "btl", "tcp"}, "unrecognized argument mca");
    check_extra(h, {"--allow-run-as-root"}, "unrecognized argument allow-run-as-root");
    check_extra(h, {"-np", "4"}, "already written from np");
    check_extra(h, {"-machinefile", "f"}, "already written from hosts");
    check_extra(h, {"-prepend-rank"}, "already written from tag_output");
    h.environment = {{"A", "1"}};
    check_extra(h, {"-env", "A", "2"}, "already written from environment[\"A\"]");
    h.export_names = {"PATH"};
    check_extra(h, {"-genvall"}, "already written from export_names");
    auto i = flavor(mpi_flavor::intel);
    check_extra(i, {"-bind-to", "core"}, "Open MPI option");
    auto r = flavor(mpi_flavor::horovodrun);
    check_extra(r, {"--num-proc", "4"}, "already written from np");

    // Words after -mca NAME / -x are values, not options; flags nobody
    // renders pass through.
    o = as_root();
    o.extra_args = {"-mca", "plm_rsh_agent", "-x", "--display-map", "-x", "FOO", "--oversubscribe"};
    CHECK(launcher_part(mpirun_command(two_nodes(), o).argv).back() == "--oversubscribe");
    h = flavor(mpi_flavor::mpich);
    h.extra_args = {"-launcher", "ssh", "-launcher-exec", "/usr/bin/ssh", "-genv", "B", "2"};
    CHECK(launcher_part(mpirun_command(two_nodes(), h).argv).back() == "2");
}

TEST_CASE("settings a launcher cannot honour, and bad values, are errors naming the setting") {
    auto o = as_root();
    o.ssh_port = 2222;
    o.mca.set("plm_rsh_args", "-p 22");
    check_failure([&] { mpirun_command(two_nodes(), o); }, "mca[\"plm_rsh_args\"]", "ssh_port");
    o = as_root();
    o.network_interface = "eth0";
    o.mca.set("btl_tcp_if_include", "eth1");
    check_failure([&] { mpirun_command(two_nodes(), o); }, "mca[\"btl_tcp_if_include\"]", "network_interface");
    o = as_root();
    o.large_cluster_hosts = 1;
    o.mca.set("plm_rsh_num_concurrent", "8");
    check_failure([&] { mpirun_command(two_nodes(), o); }, "mca[\"plm_rsh_num_concurrent\"]", "large_cluster_hosts");

    o = as_root();
    o.mca.set("plm_rsh_args", "-o \"X=1\"");
    check_failure([&] { mpirun_command(two_nodes(), o); }, "mca[\"plm_rsh_args\"]", "double quotes");
    o = as_root();
    o.mca.set("bad name", "1");
    check_failure([&] { mpirun_command(two_nodes(), o); }, "mca[\"bad name\"]", "letters, digits");
    o = as_root();
    o.mca.set("btl", "");
    check_failure([&] { mpirun_command(two_nodes(), o); }, "mca[\"btl\"]", "must not be empty");

    o = as_root();
    o.bind_to = "";
    check_failure([&] { mpirun_command(two_nodes(), o); }, "bind_to", "std::nullopt");
    o = as_root();
    o.map_by = "slot node";
    check_failure([&] { mpirun_command(two_nodes(), o); }, "map_by", "one word");
    o = as_root();
    o.ssh_port = 70000;
    check_failure([&] { mpirun_command(two_nodes(), o); }, "ssh_port", "1-65535");
    o = as_root();
    o.network_interface = "eth0,eth1";
    check_failure([&] { mpirun_command(two_nodes(), o); }, "network_interface", "must be a network interface name");
    o = as_root();
    o.controller = horovod_controller::gloo;
    check_failure([&] { mpirun_command(two_nodes(), o); }, "controller", "horovodrun");
    o = as_root();
    o.open_mpi_major = 2;
    check_failure([&] { mpirun_command(two_nodes(), o); }, "open_mpi_major", "Could not resolve hostname");
    o.hostfile = "/tmp/hosts";
    CHECK(contains(mpirun_command(two_nodes(), o).argv, "--hostfile"));
    o = as_root();
    o.launcher = "";
    check_failure([&] { mpirun_command(two_nodes(), o); }, "launcher", "empty");
    o = as_root();
    o.large_cluster_hosts = 0;
    check_failure([&] { mpirun_command(two_nodes(), o); }, "large_cluster_hosts", "at least 1");
    o = as_root();
    o.command_prefix.clear();
    check_failure(
        [&] {
            mpirun_command(mpi_launch_layout{parse_host_list("a:1"), 0, {}, {}}, o);
        },
        "command_prefix", "no command");

    auto h = flavor(mpi_flavor::mpich);
    h.timestamp_output = true;
    check_failure([&] { mpirun_command(two_nodes(), h); }, "timestamp_output", "Hydra");
    h = flavor(mpi_flavor::mpich);
    h.ssh_port = 2222;
    check_failure([&] { mpirun_command(two_nodes(), h); }, "ssh_port", "unrecognized argument");
    h = flavor(mpi_flavor::intel);
    h.timestamp_output = true;
    check_failure([&] { mpirun_command(two_nodes(), h); }, "timestamp_output", "Hydra");
}
