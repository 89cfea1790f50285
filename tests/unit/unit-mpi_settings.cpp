// The spec's `mpi` settings as launch options: mpi_launch_options_from()
// and apply_mpi_settings(), from a JSON spec to the rendered argv.

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <trainspec/render/mpi.hpp>
#include <trainspec/spec_json.hpp>

using namespace trainspec;

namespace {

/// A 2x2 mpi job on worker-0 and worker-1 with `settings` as its "mpi" object.
job<mpi> job_with(const std::string& settings) {
    const std::string text =
        R"({"source_directory": "src", "entry_script": "train.py", "compute_target": {"name": "c", "hosts":)"
        R"( ["worker-0:2", "worker-1:2"]}, "node_count": 2, "process_count_per_node": 2,)"
        R"( "distributed_backend": "mpi", "mpi": )" +
        settings + "}";
    return std::get<job<mpi>>(load_job(text));
}

std::string line_of(const job<mpi>& j, const mpi_launch_options& o) { return mpirun_command(plan(j), o).shell_line(); }

}  // namespace

TEST_CASE("no mpi settings: the default options") {
    job_spec s;
    const auto o = mpi_launch_options_from(s);
    const mpi_launch_options defaults;
    CHECK(o.flavor == defaults.flavor);
    CHECK(o.allow_run_as_root == run_as_root::not_allowed);
    CHECK(o.bind_to == defaults.bind_to);
    CHECK(o.map_by == defaults.map_by);
    CHECK(o.mca == defaults.mca);
    CHECK(o.command_prefix == defaults.command_prefix);
    CHECK(o.extra_args.empty());
    s.mpi = mpi_settings{};
    CHECK(mpi_launch_options_from(s).mca == defaults.mca);
}

TEST_CASE("every setting reaches the options") {
    const auto j = job_with(
        R"({"flavor": "openmpi", "allow_run_as_root": "flag", "network_interface": "eth0", "ssh_port": 2222,)"
        R"( "open_mpi_major": 5, "bind_to": "core", "map_by": null, "mca": {"btl": null, "pml": "ucx",)"
        R"( "btl_vader_single_copy_mechanism": "none"}, "extra_args": ["--report-bindings"], "command_prefix": ["python3", "-u"],)"
        R"( "trusted_launcher_settings": true})");
    const auto o = mpi_launch_options_from(j.spec());
    CHECK(o.flavor == mpi_flavor::openmpi);
    CHECK(o.allow_run_as_root == run_as_root::flag);
    CHECK(o.network_interface == "eth0");
    CHECK(o.ssh_port == 2222);
    CHECK(o.open_mpi_major == 5);
    CHECK(o.bind_to == "core");
    CHECK(!o.map_by);
    // btl removed, pml replaced in place, the new one at the end.
    CHECK(o.mca == mca_parameters{{"pml", "ucx"}, {"btl_vader_single_copy_mechanism", "none"}});
    CHECK(o.extra_args == std::vector<std::string>{"--report-bindings"});
    CHECK(o.command_prefix == std::vector<std::string>{"python3", "-u"});
    CHECK(line_of(j, o) ==
          "mpirun --allow-run-as-root --tag-output -np 4 -H worker-0:2,worker-1:2 --bind-to core --mca pml ucx "
          "--mca btl_vader_single_copy_mechanism none --prtemca plm_ssh_args '-p 2222' --mca btl_tcp_if_include eth0 "
          "-x NCCL_SOCKET_IFNAME=eth0 --report-bindings python3 -u train.py");
}

TEST_CASE("unset settings keep the options' values") {
    mpi_launch_options base;
    base.flavor = mpi_flavor::mpich;
    base.ssh_port = 22;
    base.extra_args = {"-v"};
    mpi_settings s;
    s.network_interface = "ib0";
    s.extra_args = {"-prepend-rank"};
    const auto o = apply_mpi_settings(base, s);
    CHECK(o.flavor == mpi_flavor::mpich);
    CHECK(o.ssh_port == 22);
    CHECK(o.network_interface == "ib0");
    CHECK(o.extra_args == std::vector<std::string>{"-v", "-prepend-rank"});
    CHECK(o.command_prefix == std::vector<std::string>{"python"});
}

TEST_CASE("the flavor and the environment form of the root permission") {
    SUBCASE("mpich") {
        const auto j = job_with(R"({"flavor": "mpich", "bind_to": null})");
        CHECK(line_of(j, mpi_launch_options_from(j.spec())) ==
              "mpiexec -l -n 4 -ppn 2 -hosts worker-0,worker-1 -map-by slot python train.py");
    }
    SUBCASE("environment") {
        const auto j = job_with(R"({"allow_run_as_root": "environment", "command_prefix": []})");
        const auto command = mpirun_command(plan(j), mpi_launch_options_from(j.spec()));
        CHECK(command.launcher_environment ==
              std::vector<environment_variable>{{"OMPI_ALLOW_RUN_AS_ROOT", "1"},
                                                {"OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1"}});
        // An empty command_prefix runs the entry script itself.
        REQUIRE(command.argv.size() > 2);
        CHECK(command.argv.back() == "train.py");
        CHECK(command.argv[command.argv.size() - 2] == "^openib");
    }
    SUBCASE("explicit choices after the spec's") {
        const auto j = job_with(R"({"flavor": "intel", "network_interface": "ib0"})");
        auto o = mpi_launch_options_from(j.spec());
        o.flavor = mpi_flavor::horovodrun;
        o.network_interface = "eth0";
        CHECK(line_of(j, o) == "horovodrun -np 4 -H worker-0:2,worker-1:2 --network-interface eth0 python train.py");
    }
}
