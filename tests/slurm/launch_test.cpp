// Real launches on the local Slurm that start.sh brings up (four nodes on
// this machine, four stand-in GPUs each), submitted as the scripts
// sbatch_script() writes, with probe.sh in place of the training program:
//   * parameter-server jobs: every task's TF_CONFIG compared byte for byte
//     with tf_config() of a plan made with the hosts Slurm chose, its working
//     directory (the source directory) and CPUs per task;
//   * a parameter server that never exits: the job ends, with success, when
//     worker 0 ends;
//   * GPUs: with another job holding GPUs 0 and 1 of every node, each task
//     sees its planned positions within the GPUs Slurm granted (2 and 3);
//   * MPI: the probe's rank layout against the plan, and a real Open MPI
//     program whose ranks wire up through srun --mpi=pmix (the default).
// These run on the nodes' own Python (slurm_environment "none"). Then the
// job's environments, with the stand-ins apptainer and conda of
// tests/launch/standins first on PATH (sbatch passes the submitter's PATH
// on): every task inside the job's image, in /workspace bound to the source
// directory; every task in the job's conda environment; and, when the
// environment is missing, the job stops with status 3 before any task, its
// output saying how to create it.
// Exits 77 (skipped) when there is no local Slurm.
//
//   trainspec_slurm_launch_test --probe=PATH --work=DIR --standins=DIR [--allreduce=PATH]   (SLURM_CONF set)

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <trainspec/trainspec.hpp>

using namespace trainspec;

namespace {

int failures = 0;

void check(bool ok, const std::string& what) {
    if (!ok) {
        ++failures;
        std::cerr << "FAILED: " << what << "\n";
    }
}

std::string run(const std::string& command, int* status = nullptr) {
    std::string out;
    FILE* p = popen(command.c_str(), "r");
    if (p == nullptr) return out;
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, p)) > 0) out.append(buffer, n);
    const int rc = pclose(p);
    if (status != nullptr) *status = rc;
    return out;
}

bool exists(const std::string& path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0;
}

using fields = std::multimap<std::string, std::string>;

fields read_task(const std::string& path) {
    fields f;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        const auto eq = line.find('=');
        if (eq != std::string::npos) f.emplace(line.substr(0, eq), line.substr(eq + 1));
    }
    return f;
}

std::string get(const fields& f, const std::string& key) {
    const auto it = f.find(key);
    return it == f.end() ? std::string("<missing>") : it->second;
}

std::vector<std::string> args_of(const fields& f) {
    std::vector<std::string> out;
    const auto range = f.equal_range("arg");
    for (auto it = range.first; it != range.second; ++it) out.push_back(it->second);
    return out;
}

/// Writes the script into WORK/NAME (with a source directory "src"), submits
/// it from there with `sbatch --wait`, and reads the reports of the first
/// `expected_tasks` tasks. Empty on failure.
std::vector<fields> submit(const std::string& work, const std::string& name, const std::string& script,
                           std::size_t expected_tasks, double* seconds = nullptr, const std::string& path_first = "",
                           int expected_status = 0) {
    const std::string dir = work + "/" + name;
    run("rm -rf '" + dir + "' && mkdir -p '" + dir + "/out' '" + dir + "/src'");
    {
        std::ofstream out(dir + "/job.sh");
        out << script;
    }
    int status = 0;
    const auto start = std::chrono::steady_clock::now();
    const std::string path = path_first.empty() ? "" : "PATH='" + path_first + "':\"$PATH\" ";
    const auto said = run("cd '" + dir + "' && " + path + "timeout 120 sbatch --wait job.sh 2>&1", &status);
    if (seconds != nullptr) *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << name << ": " << said;
    if (expected_status != 0) {
        // The job's own exit code, as Slurm recorded it (sbatch --wait
        // reports it too, but is only a poller of the same record).
        const auto id = said.substr(said.find_last_of(' ') + 1, said.find('\n') - said.find_last_of(' ') - 1);
        const auto record = run("scontrol -o show job " + id + " 2>&1");
        const auto want = "ExitCode=" + std::to_string(expected_status) + ":0";
        check(record.find(want) != std::string::npos,
              name + ": the job ends with " + want + ": " + record + run("cat '" + dir + "'/*.out 2>&1"));
        if (!WIFEXITED(status) || WEXITSTATUS(status) != expected_status)
            std::cout << name << ": note: sbatch --wait exited with wait status " << status << "\n";
        return {};
    }
    if (status != 0) {
        check(false, name + ": sbatch --wait failed: " + said);
        std::cerr << run("cat '" + dir + "'/*.out 2>&1");
        return {};
    }
    std::vector<fields> tasks;
    for (std::size_t i = 0; i < expected_tasks; ++i) {
        const auto path = dir + "/out/task-" + std::to_string(i);
        check(exists(path), name + ": no report " + path);
        tasks.push_back(read_task(path));
    }
    check(!exists(dir + "/out/task-" + std::to_string(expected_tasks)), name + ": more tasks than planned");
    return tasks;
}

std::vector<host> allocated_hosts(const std::vector<fields>& tasks, int slots) {
    std::vector<host> hosts;
    if (tasks.empty()) return hosts;
    const auto nodelist = get(tasks.front(), "nodelist");
    for (const auto& t : tasks) check(get(t, "nodelist") == nodelist, "one node list for every task");
    std::istringstream names(run("scontrol show hostnames '" + nodelist + "'"));
    std::string name;
    while (names >> name) hosts.push_back({name, slots});
    return hosts;
}

const std::vector<std::string> probe_args = {"--flag", "two words", "it's $HOME"};

job_spec base(const std::string& work, const std::string& name) {
    job_spec s;
    s.name = name;
    s.source_directory = "src";
    s.entry_script = "train.py";
    s.target = compute_target("local-slurm");
    s.environment_variables = {{"TRAINSPEC_PROBE_OUT", work + "/" + name + "/out"}};
    return s;
}

slurm_options probe_options(const std::string& probe) {
    slurm_options o;
    o.command = {probe};
    o.command.insert(o.command.end(), probe_args.begin(), probe_args.end());
    o.time_limit_minutes = 2;
    o.environment = slurm_environment_kind::none;  // the probe is on the nodes
    return o;
}

/// The planned task a report comes from.
template <class Backend>
const task* planned_task(const cluster<Backend>& c, const std::vector<host>& hosts, const fields& t) {
    const int node = std::atoi(get(t, "nodeid").c_str());
    const int local = std::atoi(get(t, "localid").c_str());
    const auto& h = hosts.at(static_cast<std::size_t>(node)).name;
    check(get(t, "nodename") == h, "task on node " + std::to_string(node) + " runs on " + h);
    for (const auto& p : c.tasks())
        if (c.host_of(p).name == h && p.local_rank == local) return &p;
    check(false, "a planned task at " + h + " local " + std::to_string(local));
    return nullptr;
}

/// A ps job on 2 nodes of 2 slots; with fewer than 4 tasks, node 2 keeps a
/// free slot (its Slurm task exits without running the probe). The nodes
/// declare 2 CPUs: each of the two tasks of a node gets 1.
void parameter_server_job(const std::string& work, const std::string& probe, const std::string& name, int chiefs,
                          std::size_t task_count) {
    auto s = base(work, name);
    s.target->cpus_per_node = 2;
    s.distributed_backend = backend_kind::parameter_server;
    s.node_count = 2;
    s.chief_count = chiefs;
    s.worker_count = 2;
    s.parameter_server_count = 1;
    s.port = 23000;
    s.environment_variables.push_back({"TRAINSPEC_PROBE_ROLE", "wait-for=" + std::to_string(task_count)});
    const auto j = make_job_as<parameter_server>(s);
    auto o = probe_options(probe);
    o.unique_ports = true;  // the four nodes share one address
    plan_options generated;
    generated.hosts = {{"x0", 2}, {"x1", 2}};
    const auto script = sbatch_script(plan(j, generated), o);
    const auto tasks = submit(work, name, script, task_count);
    if (tasks.empty()) return;

    plan_options po;
    po.hosts = allocated_hosts(tasks, 2);
    po.unique_ports = true;
    check(po.hosts.size() == 2, "two hosts allocated");
    if (po.hosts.size() != 2) return;
    const auto c = plan(j, po);
    std::map<std::string, int> seen;
    for (const auto& t : tasks) {
        const task* planned = planned_task(c, po.hosts, t);
        if (planned == nullptr) continue;
        const auto id = std::string(enum_name(planned->type)) + ":" + std::to_string(planned->index);
        const auto want = *tf_config(c, planned->type, planned->index);
        check(get(t, "tf_config") == want,
              "TF_CONFIG of " + id + "\n  got  " + get(t, "tf_config") + "\n  want " + want);
        check(args_of(t) == probe_args, "argv of every task");
        check(get(t, "pwd") == work + "/" + name + "/src", id + ": runs in the source directory, not " + get(t, "pwd"));
        check(get(t, "cpus_per_task") == "1", id + ": 1 CPU per task, got " + get(t, "cpus_per_task"));
        ++seen[id];
        std::cout << name << ": " << c.host_of(*planned).name << " local " << planned->local_rank << ": "
                  << get(t, "tf_config") << "\n";
    }
    check(seen.size() == c.tasks().size(), "every planned task ran once");
}

/// A parameter server blocks in server.join() forever: the job must end,
/// with success, when worker 0 (no chief) ends, as the TFJob operator ends
/// such a job.
void parameter_server_ends(const std::string& work, const std::string& probe) {
    auto s = base(work, "ps-ends");
    s.distributed_backend = backend_kind::parameter_server;
    s.node_count = 2;
    s.worker_count = 2;
    s.parameter_server_count = 1;
    s.port = 24000;
    s.environment_variables.push_back({"TRAINSPEC_PROBE_ROLE", "standin"});
    auto o = probe_options(probe);
    o.unique_ports = true;
    double seconds = 0;
    const auto tasks = submit(work, "ps-ends", sbatch_script(plan(make_job_as<parameter_server>(s)), o), 3, &seconds);
    check(!tasks.empty(), "ps-ends: the job ended with success");
    check(seconds < 60, "ps-ends: the job ended within a minute of worker 0, not at its time limit (" +
                            std::to_string(seconds) + " s)");
    check(exists(work + "/ps-ends/out/ps-started-1"), "ps-ends: the parameter server ran");
    std::cout << "ps-ends: ended with success after " << seconds << " s\n";
}

/// With GPUs 0 and 1 of every node held by another job, Slurm grants this
/// job 2 and 3; each worker's planned GPU positions pick from those.
void gpu_binding(const std::string& work, const std::string& probe) {
    int status = 0;
    const auto blocker =
        run("sbatch --parsable --nodes=4 --ntasks-per-node=1 --gpus-per-node=2 --output=/dev/null --wrap='sleep 300' "
            "2>&1",
            &status);
    check(status == 0, "gpus: the job holding GPUs 0-1 was submitted: " + blocker);
    if (status != 0) return;
    const auto blocker_id = blocker.substr(0, blocker.find_first_of(";\n"));
    bool running = false;
    for (int i = 0; i < 300 && !running; ++i) {
        running = run("squeue -h -j " + blocker_id + " -o %t").rfind("R", 0) == 0;
        if (!running) run("sleep 0.2");
    }
    check(running, "gpus: the job holding GPUs 0-1 runs");
    if (!running) {
        run("scancel " + blocker_id);
        return;
    }

    // Two workers a node, one GPU each: positions 0 and 1 of what Slurm grants.
    auto s = base(work, "gpus");
    s.target->gpus_per_node = 2;
    s.use_gpu = true;
    s.distributed_backend = backend_kind::multi_worker;
    s.node_count = 2;
    s.worker_count = 4;
    s.port = 25000;
    s.environment_variables.push_back({"TRAINSPEC_PROBE_ROLE", "wait-for=4"});
    const auto j = make_job_as<multi_worker>(s);
    auto o = probe_options(probe);
    o.unique_ports = true;
    plan_options generated;
    generated.hosts = {{"x0", 2}, {"x1", 2}};
    const auto c = plan(j, generated);
    const auto tasks = submit(work, "gpus", sbatch_script(c, o), 4);
    run("scancel " + blocker_id);
    for (const auto& t : tasks) {
        const auto node = static_cast<std::size_t>(std::atoi(get(t, "nodeid").c_str()));
        const int local = std::atoi(get(t, "localid").c_str());
        const task* planned = nullptr;
        for (const auto& p : c.tasks())
            if (p.host_index == node && p.local_rank == local) planned = &p;
        check(planned != nullptr && planned->gpus, "gpus: a planned task with GPUs");
        if (planned == nullptr || !planned->gpus) continue;
        std::string want;
        for (int g : *planned->gpus) want += (want.empty() ? "" : ",") + std::to_string(2 + g);
        const auto id = std::string(enum_name(planned->type)) + ":" + std::to_string(planned->index);
        check(get(t, "cuda_visible_devices") == want,
              "gpus: " + id + " sees [" + get(t, "cuda_visible_devices") + "], want [" + want + "]");
        std::cout << "gpus: " << id << " sees [" << get(t, "cuda_visible_devices") << "]\n";
    }
}

void mpi_job(const std::string& work, const std::string& probe) {
    auto s = base(work, "mpi");
    s.distributed_backend = backend_kind::mpi;
    s.node_count = 2;
    s.process_count_per_node = 2;
    const auto j = make_job_as<mpi>(s);
    const auto tasks = submit(work, "mpi", sbatch_script(plan(j), probe_options(probe)), 4);
    if (tasks.empty()) return;

    plan_options po;
    po.hosts = allocated_hosts(tasks, 2);
    check(po.hosts.size() == 2, "two hosts allocated");
    if (po.hosts.size() != 2) return;
    const auto c = plan(j, po);
    for (std::size_t r = 0; r < tasks.size(); ++r) {
        const auto& t = tasks[r];
        const auto& p = c.tasks().at(r);
        const auto where = "rank " + std::to_string(r);
        check(get(t, "procid") == std::to_string(p.rank), where + ": SLURM_PROCID");
        const auto& host = c.host_of(p).name;
        check(get(t, "nodename") == host, where + ": host " + host + ", ran on " + get(t, "nodename"));
        check(get(t, "localid") == std::to_string(p.local_rank), where + ": local rank");
        check(po.hosts.at(static_cast<std::size_t>(std::atoi(get(t, "nodeid").c_str()))).name == host,
              where + ": node id");
        check(get(t, "tf_config").empty(), where + ": no TF_CONFIG");
        check(args_of(t) == probe_args, where + ": argv");
        check(get(t, "pwd") == work + "/mpi/src", where + ": runs in the source directory");
        std::cout << "mpi: rank " << r << " on " << get(t, "nodename") << " local " << get(t, "localid") << "\n";
    }
}

/// Real Open MPI ranks, started by srun with the default --mpi for Open MPI
/// (pmix): they wire up and reduce across both nodes. The nodes declare 2
/// CPUs and run one rank each: 2 CPUs per task.
void mpi_allreduce(const std::string& work, const std::string& program) {
    auto s = base(work, "mpi-allreduce");
    s.target->cpus_per_node = 2;
    s.distributed_backend = backend_kind::mpi;
    s.node_count = 4;
    s.process_count_per_node = 1;
    // The four "nodes" share one machine: Open MPI's shared-memory transport
    // would take ranks of different nodes for neighbours. TCP only.
    s.environment_variables = {{"OMPI_MCA_btl", "self,tcp"}};
    slurm_options o;
    o.command = {program, work + "/mpi-allreduce/out"};
    o.time_limit_minutes = 2;
    o.environment = slurm_environment_kind::none;
    const auto script = sbatch_script(plan(make_job_as<mpi>(s)), o);
    check(script.find(" --mpi=pmix ") != std::string::npos, "mpi-allreduce: srun --mpi=pmix");
    submit(work, "mpi-allreduce", script, 0);
    for (int r = 0; r < 4; ++r) {
        const auto path = work + "/mpi-allreduce/out/rank-" + std::to_string(r);
        check(exists(path), "mpi-allreduce: rank " + std::to_string(r) + " reported");
        const auto f = read_task(path);
        check(get(f, "size") == "4" && get(f, "sum") == "4", "mpi-allreduce: rank " + std::to_string(r) +
                                                                 " reduced over 4 ranks: size " + get(f, "size") +
                                                                 ", sum " + get(f, "sum"));
        check(get(f, "cpus_per_task") == "2", "mpi-allreduce: 2 CPUs per task, got " + get(f, "cpus_per_task"));
    }
    std::cout << "mpi-allreduce: 4 Open MPI ranks reduced through srun --mpi=pmix\n";
}

/// A sandbox for the stand-ins: DIR/bin holds apptainer and conda, which
/// log to DIR (containers.log) and read DIR/conda-envs.
std::string standin_sandbox(const std::string& work, const std::string& standins) {
    const std::string dir = work + "/standins";
    run("rm -rf '" + dir + "' && mkdir -p '" + dir + "/bin' && cp '" + standins + "/apptainer' '" + standins +
        "/conda' '" + dir + "/bin/'");
    return dir;
}

/// A multi-worker job of 2 nodes x 2 workers in the job's image: every task
/// runs the probe through `apptainer exec` of the job's image, inside
/// /workspace, which is the source directory.
void apptainer_job(const std::string& work, const std::string& probe, const std::string& standins) {
    const auto sandbox = standin_sandbox(work, standins);
    auto s = base(work, "apptainer");
    s.distributed_backend = backend_kind::multi_worker;
    s.node_count = 2;
    s.worker_count = 4;
    s.port = 26000;
    s.pip_packages = {"pandas"};
    s.environment_variables.push_back({"TRAINSPEC_PROBE_ROLE", "wait-for=4"});
    auto o = probe_options(probe);
    o.environment.reset();  // the default: Apptainer, since the job runs in a container
    o.unique_ports = true;
    const auto j = make_job_as<multi_worker>(s);
    const auto script = sbatch_script(plan(j), o);
    const auto tasks = submit(work, "apptainer", script, 4, nullptr, sandbox + "/bin");
    const auto source = work + "/apptainer/src";
    for (const auto& t : tasks) {
        check(get(t, "pwd") == source, "apptainer: the task runs in the bound source directory, not " + get(t, "pwd"));
        check(args_of(t) == probe_args, "apptainer: argv");
        check(get(t, "tf_config").find("\"type\":\"worker\"") != std::string::npos, "apptainer: TF_CONFIG");
    }
    const auto log = run("cat '" + sandbox + "/containers.log'");
    const auto want = "apptainer nv=0 mount=" + source + ":/workspace workdir=/workspace image=docker-daemon://" +
                      container_image(j) + "\n";
    std::string all;
    for (int i = 0; i < 4; ++i) all += want;
    check(log == all, "apptainer: four tasks in the job's image:\n  got  " + log + "  want " + all);
    std::cout << "apptainer: four tasks in " << container_image(j) << "\n";
}

/// A job without a container that installs packages runs in its conda
/// environment on every node, and stops before any task (status 3) on a
/// node that lacks it.
void conda_job(const std::string& work, const std::string& probe, const std::string& standins) {
    auto s = base(work, "conda");
    s.use_docker = false;
    s.pip_packages = {"pandas"};
    s.distributed_backend = backend_kind::mpi;
    s.node_count = 2;
    s.process_count_per_node = 1;
    auto o = probe_options(probe);
    o.environment.reset();  // the default: conda, since the job installs packages without a container
    const auto script = sbatch_script(plan(make_job_as<mpi>(s)), o);

    auto sandbox = standin_sandbox(work, standins);
    submit(work, "conda", script, 0, nullptr, sandbox + "/bin", slurm_missing_environment_status);
    check(!exists(work + "/conda/out/task-0"), "conda: no task ran without the environment");
    const auto output = run("cat '" + work + "/conda/'conda-*.out");
    check(output.find("trainspec: conda cannot activate the environment conda on ") != std::string::npos &&
              output.find("EnvironmentNameNotFound: Could not find conda environment: conda") != std::string::npos &&
              output.find("trainspec: create it on every node: conda env create --name conda --file environment.yml") !=
                  std::string::npos,
          "conda: the job's output names the environment and how to create it:\n" + output);

    run("mkdir -p '" + sandbox + "/conda-envs' && : > '" + sandbox + "/conda-envs/conda'");
    const auto tasks = submit(work, "conda", script, 2, nullptr, sandbox + "/bin");
    for (const auto& t : tasks) {
        check(get(t, "conda_env") == "conda", "conda: the task runs in the environment, not " + get(t, "conda_env"));
        check(get(t, "pwd") == work + "/conda/src", "conda: runs in the source directory");
    }
    std::cout << "conda: a missing environment stops the job with status 3; present, both ranks run in it\n";
}

/// A grid sweep of a multi_worker job on 2 nodes as a job array of 4
/// trials, 2 at a time: every trial runs once, on its own allocation, with
/// its own values (spaces, quotes, an empty value as a bare flag) after the
/// job's script_params and a TF_CONFIG of its own nodes. A stand-in python
/// sends each array task's reports to out/<trial>.
void sweep_array(const std::string& work, const std::string& probe) {
    const std::string name = "sweep";
    auto s = base(work, name);
    s.distributed_backend = backend_kind::multi_worker;
    s.node_count = 2;
    s.port = 23100;
    s.params.add("--epochs", 1);
    s.environment_variables.push_back({"TRAINSPEC_PROBE_ROLE", "wait-for=2"});
    sweep_settings sweep;
    sweep.sampling = sampling_algorithm{sampling_kind::grid, std::nullopt, std::nullopt};
    search_distribution lr;
    lr.type = distribution_kind::choice;
    lr.values = {0.1, "two words"};
    search_distribution flag;
    flag.type = distribution_kind::choice;
    flag.values = {"", "it's $HOME"};
    sweep.search_space = {{"--lr", lr}, {"--flag", flag}};
    sweep.objective = sweep_objective{std::string("accuracy"), objective_goal::maximize};
    sweep.limits = sweep_limits{4, 2, std::nullopt, 120};
    s.sweep = sweep;
    const auto j = make_job_as<multi_worker>(s);
    auto o = probe_options(probe);
    o.command.clear();  // the job's own `python train.py ...`, python a stand-in
    o.unique_ports = true;
    const std::string bin = work + "/" + name + "-bin";
    run("rm -rf '" + bin + "' && mkdir -p '" + bin + "'");
    {
        std::ofstream python(bin + "/python");
        python << "#!/bin/sh\nTRAINSPEC_PROBE_OUT=$TRAINSPEC_PROBE_OUT/${SLURM_ARRAY_TASK_ID:?}\n"
               << "mkdir -p \"$TRAINSPEC_PROBE_OUT\"\nexport TRAINSPEC_PROBE_OUT\nexec '" << probe << "' \"$@\"\n";
    }
    run("chmod +x '" + bin + "/python'");
    const auto script = sbatch_script(plan(j), o);
    check(script.find("#SBATCH --array=0-3%2\n") != std::string::npos, "sweep: an array of 4 tasks, 2 at a time");
    submit(work, name, script, 0, nullptr, bin);

    const sweep_trials trials(s);
    for (std::int64_t t = 0; t < trials.size(); ++t) {
        const std::string dir = work + "/" + name + "/out/" + std::to_string(t);
        std::vector<fields> tasks;
        for (int i = 0; i < 2; ++i) {
            const auto path = dir + "/task-" + std::to_string(i);
            check(exists(path), "sweep: trial " + std::to_string(t) + " has no report " + path);
            if (exists(path)) tasks.push_back(read_task(path));
        }
        check(!exists(dir + "/task-2"), "sweep: trial " + std::to_string(t) + " ran more tasks than planned");
        if (tasks.size() != 2) continue;
        std::vector<std::string> expected{"train.py"};
        for (const auto& a : to_argv(trial_spec(s, t).params)) expected.push_back(a);
        plan_options po;
        po.hosts = allocated_hosts(tasks, 1);
        po.unique_ports = true;
        po.port = 23100;
        const auto c = plan(j, po);
        for (const auto& report : tasks) {
            check(args_of(report) == expected, "sweep: trial " + std::to_string(t) + " runs with its own values");
            const task* planned = planned_task(c, po.hosts, report);
            if (planned == nullptr) continue;
            const auto want = *tf_config(c, planned->type, planned->index);
            check(get(report, "tf_config") == want, "sweep: trial " + std::to_string(t) + " TF_CONFIG\n  got  " +
                                                        get(report, "tf_config") + "\n  want " + want);
        }
        std::cout << "sweep: trial " << t << " on " << get(tasks.front(), "nodelist") << ":";
        for (const auto& a : expected) std::cout << " [" << a << "]";
        std::cout << "\n";
    }
    check(!exists(work + "/" + name + "/out/4"), "sweep: no trial beyond the 4 planned");
    const auto outputs = run("ls '" + work + "/" + name + "' | grep -c '^sweep-[0-9]*_[0-3]\\.out$'");
    check(outputs == "4\n", "sweep: one output file per array task (%A_%a), got " + outputs);
}

}  // namespace

int main(int argc, char** argv) {
    std::string probe;
    std::string work;
    std::string allreduce;
    std::string standins;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a.rfind("--probe=", 0) == 0) probe = a.substr(8);
        if (a.rfind("--work=", 0) == 0) work = a.substr(7);
        if (a.rfind("--allreduce=", 0) == 0) allreduce = a.substr(12);
        if (a.rfind("--standins=", 0) == 0) standins = a.substr(11);
    }
    if (probe.empty() || work.empty() || standins.empty()) {
        std::cerr << "usage: " << argv[0] << " --probe=PATH --work=DIR --standins=DIR [--allreduce=PATH]\n";
        return 2;
    }
    const char* conf = std::getenv("SLURM_CONF");
    if (conf == nullptr || !exists(conf) || geteuid() != 0 || run("command -v sbatch").empty()) {
        std::cout << "no local Slurm (start.sh skipped or failed); skipping\n";
        return 77;
    }
    parameter_server_job(work, probe, "ps-chief", 1, 4);
    parameter_server_job(work, probe, "ps-seed", 0, 3);
    parameter_server_ends(work, probe);
    gpu_binding(work, probe);
    mpi_job(work, probe);
    if (!allreduce.empty()) mpi_allreduce(work, allreduce);
    apptainer_job(work, probe, standins);
    conda_job(work, probe, standins);
    sweep_array(work, probe);
    if (failures != 0) {
        std::cerr << failures << " check(s) failed\n";
        return 1;
    }
    std::cout << "slurm: every task as planned\n";
    return 0;
}
