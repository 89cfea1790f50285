// Slurm batch scripts: the #SBATCH lines, quoting, the task table against
// the plan, and the TF_CONFIG each task builds in sh, run here with /bin/sh
// and made-up SLURM_* variables, compared byte for byte with tf_config().

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include <unistd.h>

#include <trainspec/trainspec.hpp>

#include "job_fixtures.hpp"

using namespace trainspec;

namespace {

job_spec ps_seed() {
    job_spec s;
    s.name = "tf-ps-mnist";
    s.source_directory = "./tf-distr-ps";
    s.entry_script = "train.py";
    s.params.add("--num_gpus", 1).add("--train_steps", 500);
    s.target = compute_target("gpu-cluster");
    s.node_count = 2;
    s.distributed_backend = backend_kind::parameter_server;
    s.worker_count = 2;
    s.parameter_server_count = 1;
    s.use_gpu = true;
    s.framework_version = "1.13";
    return s;
}

job_spec mpi_spec() { return job_fixtures::mpi_spec("hvd", 2, 2); }

template <class Backend>
cluster<Backend> planned(job_spec s, std::string_view hosts, bool unique_ports = false) {
    plan_options options;
    options.hosts = parse_host_list(hosts);
    options.unique_ports = unique_ports;
    return plan(make_job_as<Backend>(std::move(s)), options);
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

std::string temp_dir() {
    std::string pattern = "/tmp/trainspec-slurm-XXXXXX";
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    return pattern;
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    REQUIRE(out.good());
}

std::string run(const std::string& command) {
    std::string out;
    FILE* p = popen(command.c_str(), "r");
    REQUIRE(p != nullptr);
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, p)) > 0) out.append(buffer, n);
    REQUIRE(pclose(p) == 0);
    return out;
}

/// Runs the task code as one Slurm task would, with these hosts allocated.
std::string slot_tf_config(const std::string& code_file, const std::vector<std::string>& hosts, int node, int local) {
    std::string env;
    for (std::size_t i = 0; i < hosts.size(); ++i) env += "TRAINSPEC_HOST_" + std::to_string(i) + "=" + hosts[i] + " ";
    return run("env -i " + env + "SLURM_NODEID=" + std::to_string(node) + " SLURM_LOCALID=" + std::to_string(local) +
               " /bin/sh " + code_file + " printenv TF_CONFIG");
}

}  // namespace

TEST_CASE("sbatch lines of the parameter-server seed") {
    const auto c = planned<parameter_server>(ps_seed(), "p1:2,p2:2");
    auto s = ps_seed();
    s.max_run_duration_seconds = 90061;  // 1 day, 1 h, 1 min, 1 s -> rounded up
    slurm_options o;
    o.partition = "gpu";
    const auto script = sbatch_script(planned<parameter_server>(s, "p1:2,p2:2"), o);
    CHECK(script.rfind("#!/bin/sh\n#SBATCH --job-name=tf-ps-mnist\n#SBATCH --nodes=2\n#SBATCH --ntasks=4\n", 0) == 0);
    CHECK(contains(script, "#SBATCH --ntasks-per-node=2\n"));
    CHECK(contains(script, "#SBATCH --gpus-per-node=1\n"));
    CHECK(contains(script, "#SBATCH --time=1-01:02:00\n"));
    CHECK(contains(script, "#SBATCH --partition=gpu\n"));
    CHECK(contains(script, "#SBATCH --output=tf-ps-mnist-%j.out\n"));
    CHECK(contains(script, "\nset -eu\n"));
    CHECK(contains(script, "trainspec-task python train.py --num_gpus 1 --train_steps 500\n"));
    CHECK(sbatch_script(c) == sbatch_script(c));

    o.gres = true;
    o.time_limit_minutes = 30;
    const auto gres = sbatch_script(c, o);
    CHECK(contains(gres, "#SBATCH --gres=gpu:1\n"));
    CHECK(contains(gres, "#SBATCH --time=0-00:30:00\n"));
    CHECK_FALSE(contains(sbatch_script(planned<parameter_server>(
                             [] {
                                 auto cpu = ps_seed();
                                 cpu.use_gpu = false;
                                 return cpu;
                             }(),
                             "p1:2,p2:2")),
                         "#SBATCH --g"));
}

TEST_CASE("mpi and single-node launches") {
    const auto c = planned<mpi>(mpi_spec(), "a:2,b:2");
    const auto script = sbatch_script(c);
    CHECK(contains(script, "#SBATCH --nodes=2\n#SBATCH --ntasks=4\n#SBATCH --ntasks-per-node=2\n"));
    CHECK(contains(script, "\nexec srun --nodes=2 --ntasks=4 --ntasks-per-node=2 python train.py\n"));
    slurm_options o;
    o.srun_mpi = "pmix";
    CHECK(contains(sbatch_script(c, o), "--ntasks-per-node=2 --mpi=pmix python train.py\n"));
    o = {};
    o.launcher = "mpirun";
    CHECK(contains(sbatch_script(c, o), "\nexec mpirun -np 4 --map-by ppr:2:node python train.py\n"));
    o.launcher = "orterun";
    CHECK_THROWS_AS(sbatch_script(c, o), validation_error);

    job_spec single;
    single.source_directory = "src";
    single.entry_script = "train.py";
    single.target = compute_target("cpu");
    const auto one = sbatch_script(plan(make_job_as<single_node>(single)));
    CHECK(contains(one, "#SBATCH --nodes=1\n#SBATCH --ntasks=1\n"));
    CHECK(contains(one, "\nexec srun --nodes=1 --ntasks=1 --ntasks-per-node=1 python train.py\n"));
}

TEST_CASE("user values are quoted, #SBATCH values checked") {
    auto s = mpi_spec();
    s.environment_variables = {{"GREETING", "it's a $HOME `x`"}};
    const auto c = planned<mpi>(s, "a:2,b:2");
    slurm_options o;
    o.command = {"/opt/my prog", "--name=a b", "'"};
    const auto script = sbatch_script(c, o);
    CHECK(contains(script, "export GREETING='it'\\''s a $HOME `x`'\n"));
    CHECK(contains(script, " '/opt/my prog' '--name=a b' ''\\'''\n"));
    for (auto bad : {"gpu nodes", "a'b", "", "x\ny"}) {
        o.partition = bad;
        CHECK_THROWS_AS(sbatch_script(c, o), validation_error);
    }
    o.partition.reset();
    o.output = "out %j.log";
    CHECK_THROWS_AS(sbatch_script(c, o), validation_error);
}

TEST_CASE("the task table is the plan's") {
    auto s = ps_seed();
    s.chief_count = 1;
    const auto c = planned<parameter_server>(s, "h1:2,h2:2");
    const auto table = slurm_task_table(c);
    REQUIRE(table.size() == c.tasks().size());
    for (std::size_t i = 0; i < table.size(); ++i) {
        const auto& t = c.tasks()[i];
        CHECK(c.hosts()[static_cast<std::size_t>(table[i].node)].name == t.host);
        CHECK(table[i].local == t.local_rank);
        CHECK(table[i].type == t.type);
        CHECK(table[i].index == t.index);
        CHECK(table[i].port_offset == t.port - 2222);
    }
    const auto code = slurm_task_code(c);
    CHECK(contains(code, "0:0) # chief:0 port 2222\n"));
    CHECK(contains(code, "1:1) # ps:0 port 2223\n"));
}

TEST_CASE("every task's TF_CONFIG, built by sh, equals tf_config() for the allocated hosts") {
    const std::string dir = temp_dir();
    struct scenario {
        job_spec spec;
        std::string slots;  // the plan's hosts' slots, by node
        bool unique_ports;
    };
    auto with_chief = ps_seed();
    with_chief.chief_count = 1;
    with_chief.evaluator_count = 1;
    with_chief.use_gpu = false;
    auto odd = ps_seed();  // 3 tasks on 2 nodes: node 1 has a free slot
    odd.use_gpu = false;
    odd.worker_count = 2;
    odd.parameter_server_count = 1;
    odd.node_count = 2;
    job_spec mw;
    mw.source_directory = "src";
    mw.entry_script = "train.py";
    mw.target = compute_target("cpu");
    mw.distributed_backend = backend_kind::multi_worker;
    mw.node_count = 3;
    const std::vector<scenario> scenarios = {
        {ps_seed(), "2,2", false}, {with_chief, "3,3", true}, {odd, "2,1", false}, {mw, "1,1,1", true}};
    const std::vector<std::string> allocated = {"node7", "node8", "gpu-node.example.org"};
    int n = 0;
    for (const auto& sc : scenarios) {
        CAPTURE(n);
        // Planned with placeholder hosts, as a generator would.
        std::string placeholder_hosts;
        std::string real_hosts;
        std::vector<std::string> slots;
        std::size_t start = 0;
        while (true) {
            const auto comma = sc.slots.find(',', start);
            slots.push_back(sc.slots.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
        for (std::size_t i = 0; i < slots.size(); ++i) {
            if (i != 0) {
                placeholder_hosts += ',';
                real_hosts += ',';
            }
            placeholder_hosts += "x" + std::to_string(i) + ":" + slots[i];
            real_hosts += allocated[i] + ":" + slots[i];
        }
        const auto mine = [&](const std::string& hosts) {
            plan_options po;
            po.hosts = parse_host_list(hosts);
            po.unique_ports = sc.unique_ports;
            return plan(make_job(sc.spec), po);
        };
        const auto for_script = mine(placeholder_hosts);
        const auto for_slurm = mine(real_hosts);
        std::visit(
            [&](const auto& c) {
                using B = typename std::decay_t<decltype(c)>::backend;
                if constexpr (has_tf_config_v<B>) {
                    const auto& expected = std::get<cluster<B>>(for_slurm);
                    const std::string file = dir + "/task-" + std::to_string(n) + ".sh";
                    write_file(file, slurm_task_code(c));
                    int checked = 0;
                    for (const auto& t : expected.tasks()) {
                        const auto node =
                            static_cast<int>(std::find_if(expected.hosts().begin(), expected.hosts().end(),
                                                          [&](const host& h) { return h.name == t.host; }) -
                                             expected.hosts().begin());
                        CAPTURE(t.rank);
                        CHECK(slot_tf_config(file, allocated, node, t.local_rank) ==
                              *tf_config(expected, t.type, t.index) + "\n");
                        ++checked;
                    }
                    CHECK(checked == static_cast<int>(expected.tasks().size()));
                    // A free slot runs nothing.
                    CHECK(slot_tf_config(file, allocated, 0, 9).empty());
                } else {
                    FAIL("not a TensorFlow job");
                }
            },
            for_script);
        ++n;
    }
    run("rm -rf " + dir);
}

TEST_CASE("the whole script with stand-in scontrol and srun") {
    const std::string dir = temp_dir();
    write_file(dir + "/scontrol", "#!/bin/sh\nprintf '%s\\n' alpha beta\n");
    // Starts every task of the step, one after another, with its Slurm ids.
    write_file(dir + "/srun",
               "#!/bin/sh\n"
               "for a; do case $a in --nodes=*) nodes=${a#--nodes=}; shift ;; --ntasks-per-node=*) per=${a#*=}; "
               "shift ;; --*) shift ;; *) break ;; esac; done\n"
               "n=0; while [ $n -lt $nodes ]; do l=0; while [ $l -lt $per ]; do\n"
               "  SLURM_NODEID=$n SLURM_LOCALID=$l \"$@\"; l=$((l + 1)); done; n=$((n + 1)); done\n");
    run("chmod +x " + dir + "/scontrol " + dir + "/srun");
    auto s = ps_seed();
    s.chief_count = 1;
    s.use_gpu = false;
    const auto c = planned<parameter_server>(s, "n1:2,n2:2", true);
    slurm_options o;
    o.command = {"sh", "-c", "printf '%s\\n' \"$TF_CONFIG\""};
    write_file(dir + "/job.sh", sbatch_script(c, o));
    const auto out =
        run("env -i PATH=" + dir + ":/usr/bin:/bin SLURM_JOB_NODELIST='n[1-2]' /bin/sh " + dir + "/job.sh");
    const auto expected = planned<parameter_server>(s, "alpha:2,beta:2", true);
    std::string want;
    for (const auto& t : expected.tasks()) want += *tf_config(expected, t.type, t.index) + "\n";
    CHECK(out == want);
    run("rm -rf " + dir);
}
