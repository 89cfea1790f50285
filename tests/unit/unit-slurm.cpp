// Slurm batch scripts: the #SBATCH lines and the srun step against the
// rules of docs/slurm.md, quoting, and the whole script run here by /bin/sh
// with stand-in scontrol, srun and scancel: every task's TF_CONFIG compared
// byte for byte with tf_config() of a plan made with the "allocated" hosts,
// its GPUs picked within what srun granted, its working directory and
// variables. The real Slurm test (tests/slurm) runs the same scripts on a
// real cluster.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include <trainspec/trainspec.hpp>

#include "sandbox.hpp"
#include "test_support.hpp"

using namespace trainspec;
using test_support::plan_of;

namespace {

/// The seed parameter-server job of examples/specs.
job_spec ps_seed() { return spec_of(load_job(test_support::seed_text("tf-ps-mnist"))); }

/// The launch lines on the nodes' own Python (slurm_environment "none");
/// the job's environments are tested at the end.
slurm_options on_nodes() {
    slurm_options o;
    o.environment = slurm_environment_kind::none;
    return o;
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

/// Runs `script` as sbatch would, from the sandbox's submit directory, in
/// an allocation of `hosts`, and returns what it printed.
std::string submit(test_standins::sandbox& box, const std::string& script, const std::vector<std::string>& hosts,
                   bool gpus_managed = false) {
    box.reset(false);
    test_standins::write_file(box.submit() / "job.sh", script);
    const auto env = test_standins::slurm_allocation(box, hosts, 1, gpus_managed);
    CHECK(box.run({"/bin/sh", "job.sh"}, env, box.submit()) == 0);
    return box.output();
}

/// `"node:local" -> what the probe printed`, from lines "node:local text".
std::map<std::string, std::string> by_slot(const std::string& output) {
    std::map<std::string, std::string> out;
    std::size_t start = 0;
    while (start < output.size()) {
        auto end = output.find('\n', start);
        if (end == std::string::npos) end = output.size();
        const auto line = output.substr(start, end - start);
        const auto space = line.find(' ');
        if (space != std::string::npos) out[line.substr(0, space)] = line.substr(space + 1);
        start = end + 1;
    }
    return out;
}

const std::vector<std::string> probe_tf_config = {"sh", "-c",
                                                  "printf '%s %s\\n' \"$SLURM_NODEID:$SLURM_LOCALID\" \"$TF_CONFIG\""};

}  // namespace

TEST_CASE("sbatch lines of the parameter-server seed") {
    auto s = ps_seed();
    s.max_run_duration_seconds = 90061;  // 1 day, 1 h, 1 min, 1 s -> rounded up
    auto o = on_nodes();
    o.partition = "gpu";
    o.account = "proj-7";
    o.qos = "high";
    o.memory = "16G";
    o.exclusive = true;
    const auto script = sbatch_script(plan_of<parameter_server>(s, "p1:2,p2:2"), o);
    CHECK(script.rfind("#!/bin/sh\n#SBATCH --job-name=tf-ps-mnist\n#SBATCH --nodes=2\n#SBATCH --ntasks=4\n"
                       "#SBATCH --ntasks-per-node=2\n#SBATCH --gpus-per-node=1\n#SBATCH --mem=16G\n"
                       "#SBATCH --time=1-01:02:00\n#SBATCH --partition=gpu\n#SBATCH --account=proj-7\n"
                       "#SBATCH --qos=high\n#SBATCH --exclusive\n#SBATCH --output=tf-ps-mnist-%j.out\n",
                       0) == 0);
    CHECK(contains(script, "\nset -eu\ncd -- ./tf-distr-ps\n"));
    // One step for every task; a crash anywhere ends it.
    CHECK(contains(script,
                   "\nexec srun --nodes=2 --ntasks=4 --ntasks-per-node=2 --gpus-per-node=1 --kill-on-bad-exit=1 "
                   "/bin/sh -c \"$trainspec_task\" trainspec-task python train.py --num_gpus 1 "
                   "--train_steps 500\n"));
    const auto c = plan_of<parameter_server>(ps_seed(), "p1:2,p2:2");
    CHECK(sbatch_script(c, on_nodes()) == sbatch_script(c, on_nodes()));

    o = on_nodes();
    o.gres = true;
    o.time_limit_minutes = 30;
    const auto gres = sbatch_script(c, o);
    CHECK(contains(gres, "#SBATCH --gres=gpu:1\n"));
    CHECK(contains(gres, " --gres=gpu:1 --kill-on-bad-exit=1 "));
    CHECK(contains(gres, "#SBATCH --time=0-00:30:00\n"));
    auto cpu = ps_seed();
    cpu.use_gpu = false;
    CHECK_FALSE(contains(sbatch_script(plan_of<parameter_server>(cpu, "p1:2,p2:2"), on_nodes()), "--g"));
}

TEST_CASE("--cpus-per-task from the compute target, on the batch request and on srun") {
    auto s = ps_seed();
    s.target->cpus_per_node = 8;
    // Two tasks on the busiest node: 4 CPUs each.
    const auto script = sbatch_script(plan_of<parameter_server>(s, "p1:2,p2:2"), on_nodes());
    CHECK(contains(script, "#SBATCH --cpus-per-task=4\n"));
    CHECK(contains(script, "srun --nodes=2 --ntasks=4 --ntasks-per-node=2 --cpus-per-task=4 "));
    auto o = on_nodes();
    o.cpus_per_task = 3;
    CHECK(contains(sbatch_script(plan_of<parameter_server>(s, "p1:2,p2:2"), o), "#SBATCH --cpus-per-task=3\n"));
    o.cpus_per_task = 0;
    CHECK_THROWS_AS(sbatch_script(plan_of<parameter_server>(s, "p1:2,p2:2"), o), validation_error);
    // A known VM size gives the CPUs too.
    auto vm = test_support::mpi_spec("vm", 2, 4);
    vm.target.reset();
    vm.vm_size = "Standard_NC24s_v3";  // 24 vCPUs, 4 GPUs
    vm.use_gpu = true;
    const auto vm_script = sbatch_script(plan_of<mpi>(vm), on_nodes());
    CHECK(contains(vm_script, "#SBATCH --cpus-per-task=6\n"));
    CHECK(contains(vm_script, "#SBATCH --gpus-per-node=4\n"));
}

TEST_CASE("mpi: srun --mpi per flavor, or mpirun inside the allocation") {
    const auto c = plan_of<mpi>(test_support::mpi_spec("hvd", 2, 2), "a:2,b:2");
    const auto script = sbatch_script(c, on_nodes());
    CHECK(contains(script, "#SBATCH --nodes=2\n#SBATCH --ntasks=4\n#SBATCH --ntasks-per-node=2\n"));
    CHECK(contains(script,
                   "\nexec srun --nodes=2 --ntasks=4 --ntasks-per-node=2 --kill-on-bad-exit=1 --mpi=pmix "
                   "/bin/sh -c \"$trainspec_task\" trainspec-task python train.py\n"));
    auto mpich = test_support::mpi_spec("hvd", 2, 2);
    mpich.mpi = mpi_settings{};
    mpich.mpi->flavor = mpi_flavor::mpich;
    CHECK(contains(sbatch_script(plan_of<mpi>(mpich, "a:2,b:2"), on_nodes()), " --mpi=pmi2 "));
    auto o = on_nodes();
    o.srun_mpi = "pmix_v4";
    CHECK(contains(sbatch_script(c, o), " --mpi=pmix_v4 "));
    o = on_nodes();
    o.launcher = "mpirun";
    // The launch options of the job, without hosts: mpirun takes them from Slurm.
    CHECK(contains(sbatch_script(c, o),
                   "\nexec mpirun --tag-output -np 4 -bind-to none -map-by slot -mca pml ob1 "
                   "-mca btl '^openib' python train.py\n"));
    CHECK(contains(sbatch_script(plan_of<mpi>(mpich, "a:2,b:2"), o),
                   "\nexec mpiexec -l -n 4 -ppn 2 -bind-to none -map-by slot python train.py\n"));
    o.launcher = "orterun";
    CHECK_THROWS_AS(sbatch_script(c, o), validation_error);
    o = on_nodes();
    o.srun_mpi = "pmix";
    CHECK_THROWS_AS(sbatch_script(plan_of<parameter_server>(ps_seed(), "p1:2,p2:2"), o), validation_error);

    job_spec single = test_support::base_spec();
    const auto one = sbatch_script(plan(make_job_as<single_node>(single)), on_nodes());
    CHECK(contains(one, "#SBATCH --nodes=1\n#SBATCH --ntasks=1\n"));
    CHECK(contains(one,
                   "\nexec srun --nodes=1 --ntasks=1 --ntasks-per-node=1 --kill-on-bad-exit=1 /bin/sh -c "
                   "\"$trainspec_task\" trainspec-task python train.py\n"));
}

TEST_CASE("user values are quoted and set inside the task only; #SBATCH values checked") {
    auto s = test_support::mpi_spec("hvd", 2, 2);
    s.environment_variables = {{"GREETING", "it's a $HOME `x`"}};
    const auto c = plan_of<mpi>(s, "a:2,b:2");
    auto o = on_nodes();
    o.command = {"/opt/my prog", "--name=a b", "'"};
    const auto script = sbatch_script(c, o);
    const auto task = script.substr(script.find("<<'TRAINSPEC_TASK'"));
    CHECK(contains(task, "export GREETING='it'\\''s a $HOME `x`'\n"));
    CHECK_FALSE(contains(script.substr(0, script.find("<<'TRAINSPEC_TASK'")), "GREETING"));
    CHECK(contains(script, " '/opt/my prog' '--name=a b' ''\\'''\n"));
    for (auto bad : {"gpu nodes", "a'b", "", "x\ny"}) {
        o.partition = bad;
        CHECK_THROWS_AS(sbatch_script(c, o), validation_error);
    }
    o.partition.reset();
    o.output = "out %j.log";
    CHECK_THROWS_AS(sbatch_script(c, o), validation_error);
}

TEST_CASE("PATH and LD_* of the job reach its program only, never srun, scontrol, scancel or mpirun") {
    test_standins::sandbox box;
    const auto evil = box.root() / "evil";
    std::filesystem::create_directories(evil);
    for (const char* program : {"scancel", "scontrol", "srun", "mpirun"}) {
        test_standins::write_file(evil / program,
                                  "#!/bin/sh\necho hijacked >> " + (box.root() / "hijacked").string() + "\n");
        std::filesystem::permissions(evil / program, std::filesystem::perms::owner_all);
    }
    const std::string path = evil.string() + ":" + box.bin().string() + ":/usr/bin:/bin";
    auto s = ps_seed();
    s.use_gpu = false;
    s.environment_variables = {{"PATH", path}, {"NCCL_DEBUG", "INFO"}};
    std::filesystem::create_directories(box.submit() / s.source_directory);
    auto o = on_nodes();
    o.command = {"sh", "-c", "printf '%s %s %s\\n' \"$SLURM_NODEID:$SLURM_LOCALID\" \"$PATH\" \"$NCCL_DEBUG\""};
    const auto script = sbatch_script(plan_of<parameter_server>(s, "a:2,b:2"), o);
    CHECK_FALSE(contains(script, "export PATH"));
    CHECK(contains(script, " trainspec-task env -- " + shell_quote("PATH=" + path) + " sh -c "));
    const auto output = submit(box, script, {"n1", "n2"});
    INFO(output);
    const auto got = by_slot(output);
    REQUIRE(got.size() == 3);
    for (const auto& [slot, seen] : got) CHECK(seen == path + " INFO");
    CHECK_FALSE(std::filesystem::exists(box.root() / "hijacked"));
    CHECK(std::filesystem::exists(box.file("scancel.log")));  // the stand-in stopped the step

    auto hvd = test_support::mpi_spec("hvd", 2, 2);
    hvd.environment_variables = {{"LD_PRELOAD", "/opt/a.so /opt/b.so"}, {"MSG", "a b"}};
    const auto c = plan_of<mpi>(hvd, "a:2,b:2");
    const auto srun = sbatch_script(c, on_nodes());
    CHECK_FALSE(contains(srun, "export LD_PRELOAD"));
    CHECK(contains(srun, " trainspec-task env -- 'LD_PRELOAD=/opt/a.so /opt/b.so' python train.py\n"));
    auto with_mpirun = on_nodes();
    with_mpirun.launcher = "mpirun";
    const auto mpirun = sbatch_script(c, with_mpirun);
    CHECK_FALSE(contains(mpirun, "LD_PRELOAD=/opt/a.so /opt/b.so; export"));
    CHECK(contains(mpirun, "MSG='a b'; export MSG\n"));
    CHECK(contains(mpirun, " env -- 'LD_PRELOAD=/opt/a.so /opt/b.so' python train.py\n"));
}

TEST_CASE("every task's TF_CONFIG, built on its node, equals tf_config() for the allocated hosts") {
    struct scenario {
        job_spec spec;
        std::string slots;  // the plan's hosts' slots, by node
        bool unique_ports;
        tf_profile profile;
    };
    auto with_chief = ps_seed();
    with_chief.chief_count = 1;
    with_chief.evaluator_count = 1;
    with_chief.use_gpu = false;
    auto odd = ps_seed();  // 3 tasks on 2 nodes: node 1 has a free slot
    odd.use_gpu = false;
    auto sagemaker = test_support::ps_spec("sm", 2, 1, 2, 1);
    const auto mw = test_support::multi_worker_spec("mw", 3, 3);
    const std::vector<scenario> scenarios = {{ps_seed(), "2,2", false, tf_profile::tf2},
                                             {with_chief, "3,3", true, tf_profile::tf2},
                                             {with_chief, "3,3", false, tf_profile::estimator},
                                             {odd, "2,1", false, tf_profile::azureml_v1},
                                             {mw, "1,1,1", true, tf_profile::tf2},
                                             {sagemaker, "2,2", false, tf_profile::sagemaker}};
    const std::vector<std::string> allocated = {"node7", "node8", "gpu-node.example.org"};
    int n = 0;
    for (const auto& sc : scenarios) {
        CAPTURE(n);
        std::string placeholder_hosts;
        std::string real_hosts;
        std::size_t node = 0;
        for (std::size_t start = 0; start <= sc.slots.size(); ++node) {
            auto comma = sc.slots.find(',', start);
            if (comma == std::string::npos) comma = sc.slots.size();
            const auto slots = sc.slots.substr(start, comma - start);
            placeholder_hosts += (node ? "," : "") + ("x" + std::to_string(node)) + ":" + slots;
            real_hosts += (node ? "," : "") + allocated[node] + ":" + slots;
            start = comma + 1;
        }
        const auto mine = [&](const std::string& hosts) {
            plan_options po;
            po.hosts = parse_host_list(hosts);
            po.unique_ports = sc.unique_ports;
            return plan(make_job(sc.spec), po);
        };
        const auto for_script = mine(placeholder_hosts);
        const auto for_slurm = mine(real_hosts);
        const std::vector<std::string> hosts(allocated.begin(), allocated.begin() + static_cast<long>(node));
        test_standins::sandbox box;
        std::visit(
            [&](const auto& c) {
                using B = typename std::decay_t<decltype(c)>::backend;
                if constexpr (has_tf_config_v<B>) {
                    const auto& expected = std::get<cluster<B>>(for_slurm);
                    auto o = on_nodes();
                    o.command = probe_tf_config;
                    o.tf_config.profile = sc.profile;
                    o.source_directory = ".";
                    const auto got = by_slot(submit(box, sbatch_script(c, o), hosts));
                    tf_config_options want_options;
                    want_options.profile = sc.profile;
                    for (const auto& t : expected.tasks()) {
                        const auto key = std::to_string(t.host_index) + ":" + std::to_string(t.local_rank);
                        CAPTURE(key);
                        CHECK(got.count(key) == 1);
                        if (got.count(key) == 1)
                            CHECK(got.at(key) == *tf_config(expected, t.type, t.index, want_options));
                    }
                    // Free slots run nothing.
                    CHECK(got.size() == expected.tasks().size());
                } else {
                    FAIL("not a TensorFlow job");
                }
            },
            for_script);
        ++n;
    }
}

TEST_CASE("GPUs are positions within what Slurm granted; a parameter server sees none") {
    auto s = test_support::ps_spec("gpus", 2, 4, 2);
    s.use_gpu = true;
    s.target->gpus_per_node = 4;  // two workers per node, 2 GPUs each
    const auto c = plan_of<parameter_server>(s, "a:3,b:3");
    auto o = on_nodes();
    o.command = {"sh", "-c", "printf '%s [%s]\\n' \"$SLURM_NODEID:$SLURM_LOCALID\" \"$CUDA_VISIBLE_DEVICES\""};
    o.source_directory = ".";
    const auto script = sbatch_script(c, o);
    CHECK(contains(script, "#SBATCH --gpus-per-node=4\n"));
    // Without device cgroups Slurm's indices are global: the stand-in srun
    // grants 4-7 on the first node and 2-5 on the second.
    test_standins::sandbox box;
    const auto granted = by_slot(submit(box, script, {"n1", "n2"}, true));
    std::map<std::string, std::string> want;
    for (const auto& t : c.tasks()) {
        const int first_granted = t.host_index == 0 ? 4 : 2;
        std::string list;
        for (int g : *t.gpus) list += (list.empty() ? "" : ",") + std::to_string(first_granted + g);
        want[std::to_string(t.host_index) + ":" + std::to_string(t.local_rank)] = "[" + list + "]";
    }
    CHECK(granted == want);
    // Without GPUs managed by Slurm, the plan's own indices.
    const auto unmanaged = by_slot(submit(box, script, {"n1", "n2"}));
    CHECK(unmanaged.at("0:0") == "[0,1]");
    CHECK(unmanaged.at("0:1") == "[2,3]");
}

TEST_CASE("the script changes to the source directory; the success task stops the step") {
    auto s = ps_seed();
    s.use_gpu = false;
    s.source_directory = "my src";
    const auto c = plan_of<parameter_server>(s, "a:2,b:2");
    test_standins::sandbox box;
    std::filesystem::create_directories(box.submit() / "my src");
    auto o = on_nodes();
    o.command = {"sh", "-c", "printf '%s %s\\n' \"$SLURM_NODEID:$SLURM_LOCALID\" \"$PWD\""};
    const auto got = by_slot(submit(box, sbatch_script(c, o), {"n1", "n2"}));
    REQUIRE(got.size() == 3);
    for (const auto& [slot, pwd] : got) CHECK(pwd == (box.submit() / "my src").string());
    // worker 0 (no chief) ended the job: it stopped the rest of the step.
    std::ifstream scancel(box.file("scancel.log"));
    std::string line;
    std::getline(scancel, line);
    CHECK(line == "--quiet --signal=USR1 7.0");
}

TEST_CASE("a stop that arrives while a task prepares ends it with success; its program never starts") {
    // scancel --signal=USR1 reaches every process of the step, also the
    // command a task waits for while it prepares. Here srun starts only the
    // parameter server, in its own session as slurmstepd starts a task, and
    // its first awk stops the step, standing in for a worker 0 that ended
    // at that moment.
    auto s = ps_seed();
    s.use_gpu = false;
    const auto c = plan_of<parameter_server>(s, "a:2,b:2");
    auto o = on_nodes();
    o.command = {"sh", "-c", ": >program-ran"};
    test_standins::sandbox box;
    const auto first = box.root() / "first-on-path";
    std::filesystem::create_directories(first);
    const auto executable = [&](const char* name, const std::string& text) {
        test_standins::write_file(first / name, text);
        std::filesystem::permissions(first / name, std::filesystem::perms::owner_all);
    };
    executable("srun",
               "#!/bin/sh\nwhile case $1 in -*) ;; *) false ;; esac; do shift; done\n"
               "SLURM_NODEID=0 SLURM_LOCALID=1 SLURM_STEP_ID=0 exec setsid -w \"$@\"\n");
    executable("awk", "#!/bin/sh\n[ -e stopped ] || { : >stopped; kill -USR1 0; }\nexec /usr/bin/awk \"$@\"\n");
    box.reset(false);
    std::filesystem::create_directories(box.submit() / "tf-distr-ps");
    test_standins::write_file(box.submit() / "job.sh", sbatch_script(c, o));
    auto env = test_standins::slurm_allocation(box, {"n1", "n2"}, 2, false);
    env["PATH"] = first.string() + ":" + env["PATH"];
    const int status = box.run({"/bin/sh", "job.sh"}, env, box.submit());
    INFO(box.output());
    CHECK(std::filesystem::exists(box.submit() / "tf-distr-ps" / "stopped"));
    CHECK(status == 0);
    CHECK_FALSE(std::filesystem::exists(box.submit() / "tf-distr-ps" / "program-ran"));
}

TEST_CASE("the script grows linearly with the tasks: 4,096 tasks stay far below Slurm's 4 MB") {
    // slurm.conf's max_script_size defaults to 4194304 bytes; the cluster is
    // assembled on the nodes, so the script holds each task once.
    const auto script_of = [](int tasks) {
        auto s = test_support::ps_spec("big", tasks / 8, tasks - tasks / 16 - 1, tasks / 16, 1);
        s.use_gpu = false;
        return sbatch_script(plan(make_job_as<parameter_server>(s)), on_nodes()).size();
    };
    const auto small = script_of(1024);
    const auto large = script_of(4096);
    CAPTURE(small);
    CAPTURE(large);
    CHECK(large < 4194304 / 20);
    CHECK(large < 5 * small);
}

TEST_CASE("the kubeflow profile has no addresses a Slurm task can reach") {
    auto o = on_nodes();
    o.tf_config.profile = tf_profile::kubeflow;
    CHECK_THROWS_WITH_AS(sbatch_script(plan_of<parameter_server>(ps_seed(), "a:2,b:2"), o),
                         doctest::Contains("Kubernetes Service names"), validation_error);
}

TEST_CASE("the job's environment on Slurm: its image through a container runtime, or its conda environment") {
    auto s = ps_seed();
    s.pip_packages = {"pandas"};
    const auto c = plan_of<parameter_server>(s, "p1:2,p2:2");
    const auto image = container_image(c.job());
    REQUIRE(image_of(c.job()).built);
    const std::string task_start = "/bin/sh -c \"$trainspec_task\" trainspec-task ";
    // The default with use_docker: Apptainer, GPUs passed in, the source
    // directory at the container's working directory; a local image from
    // the Docker daemon.
    const auto apptainer = sbatch_script(c);
    CHECK(contains(apptainer, task_start +
                                  "apptainer exec --nv --bind \"$PWD\":/workspace:ro --pwd /workspace "
                                  "docker-daemon://" +
                                  image + " python train.py --num_gpus 1 --train_steps 500\n"));
    slurm_options o;
    o.environment = slurm_environment_kind::singularity;
    CHECK(contains(sbatch_script(c, o), task_start + "singularity exec --nv --bind "));
    // A pushed image from its registry; Pyxis in its registry#path form.
    s.image_registry = "registry.example.com:5000/team/ps";
    const auto pushed = plan_of<parameter_server>(s, "p1:2,p2:2");
    const auto tag = container_image(pushed.job()).substr(container_image(pushed.job()).rfind(':') + 1);
    CHECK(contains(sbatch_script(pushed), " docker://registry.example.com:5000/team/ps:" + tag + " python train.py"));
    o.environment = slurm_environment_kind::pyxis;
    CHECK(contains(sbatch_script(pushed, o),
                   " --kill-on-bad-exit=1 '--container-image=registry.example.com:5000#team/"
                   "ps:" +
                       tag +
                       "' --container-mounts=\"$PWD\":/workspace:ro "
                       "--container-workdir=/workspace " +
                       task_start + "python train.py"));
    CHECK(contains(sbatch_script(c, o), " --container-image=dockerd://" + image + " "));
    // --image replaces the job's image, as given.
    o.environment = slurm_environment_kind::apptainer;
    o.image = "registry.example.org/other:1";
    CHECK(contains(sbatch_script(c, o), " docker://registry.example.org/other:1 python train.py"));
    // Pyxis starts containers through srun: not under mpirun.
    auto hvd = test_support::mpi_spec("hvd", 2, 2);
    o = {};
    o.environment = slurm_environment_kind::pyxis;
    o.launcher = "mpirun";
    CHECK_THROWS_WITH_AS(sbatch_script(plan_of<mpi>(hvd, "a:2,b:2"), o),
                         doctest::Contains("slurm_environment = \"pyxis\": starts containers through srun; use "
                                           "launcher \"srun\""),
                         validation_error);
    // A job without a container runs in its conda environment: checked once
    // in the batch script (a missing one stops the job with status 3 before
    // any task), activated in each task (srun and scontrol run as they are).
    s = ps_seed();
    s.use_docker = false;
    s.conda_packages = {"scipy"};
    const auto conda = sbatch_script(plan_of<parameter_server>(s, "p1:2,p2:2"));
    const std::string check = "if ! trainspec_conda=$(conda shell.posix activate tf-ps-mnist 2>&1); then\n";
    const auto first_check = conda.find(check);
    const auto task_code = conda.find("trainspec_task=$(cat <<'TRAINSPEC_TASK'\n");
    REQUIRE(first_check != std::string::npos);
    CHECK(first_check < task_code);
    CHECK(conda.find("eval \"$trainspec_conda\"") > task_code);
    CHECK(conda.find(check, task_code) != std::string::npos);
    CHECK(contains(conda, "    exit 3\nfi\neval \"$trainspec_conda\"\n"));
    CHECK(contains(conda, task_start + "python train.py"));
    // The nodes' own Python, and rules of the environments.
    o = {};
    o.environment = slurm_environment_kind::pyxis;
    CHECK_THROWS_WITH_AS(sbatch_script(plan_of<parameter_server>(s, "p1:2,p2:2"), o),
                         doctest::Contains("use_docker = false"), validation_error);
    s.conda_packages.clear();
    CHECK(effective_slurm_environment(s) == slurm_environment_kind::none);
    CHECK_FALSE(contains(sbatch_script(plan_of<parameter_server>(s, "p1:2,p2:2")), "conda"));
}
