// Real launches on the local Slurm that start.sh brings up (four nodes on
// this machine): a parameter-server job and an MPI job, submitted as the
// scripts sbatch_script() writes, with probe.sh in place of the training
// program. Every task's TF_CONFIG is compared byte for byte with tf_config()
// of a plan made with the hosts Slurm chose; every MPI rank with the plan's
// rank table. Exits 77 (skipped) when there is no local Slurm.
//
//   trainspec_slurm_launch_test --probe=PATH --work=DIR   (SLURM_CONF set)

#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
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

/// Writes the script, submits it with `sbatch --wait`, and reads every
/// task's report. Empty on failure.
std::vector<fields> submit(const std::string& work, const std::string& name, const std::string& script,
                           std::size_t expected_tasks) {
    const std::string dir = work + "/" + name;
    run("rm -rf '" + dir + "' && mkdir -p '" + dir + "/out'");
    {
        std::ofstream out(dir + "/job.sh");
        out << script;
    }
    int status = 0;
    const auto said = run("cd '" + dir + "' && timeout 90 sbatch --wait job.sh 2>&1", &status);
    std::cout << name << ": " << said;
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

/// A ps job on 2 nodes of 2 slots; with fewer than 4 tasks, node 2 keeps a
/// free slot (its Slurm task exits without running the probe).
void parameter_server_job(const std::string& work, const std::string& probe, const std::string& name, int chiefs,
                          std::size_t task_count) {
    job_spec s;
    s.name = name;
    s.source_directory = ".";
    s.entry_script = "train.py";
    s.target = compute_target("local-slurm");
    s.distributed_backend = backend_kind::parameter_server;
    s.node_count = 2;
    s.chief_count = chiefs;
    s.worker_count = 2;
    s.parameter_server_count = 1;
    s.port = 23000;
    s.environment_variables = {{"TRAINSPEC_PROBE_OUT", work + "/" + name + "/out"}};
    const auto j = make_job_as<parameter_server>(s);
    slurm_options o;
    o.command = {probe};
    o.command.insert(o.command.end(), probe_args.begin(), probe_args.end());
    o.unique_ports = true;  // the four nodes share one address
    o.time_limit_minutes = 2;
    o.working_directory = work + "/" + name;
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
        const int node = std::atoi(get(t, "nodeid").c_str());
        const int local = std::atoi(get(t, "localid").c_str());
        const auto& h = po.hosts.at(static_cast<std::size_t>(node)).name;
        check(get(t, "nodename") == h, "task on node " + std::to_string(node) + " runs on " + h);
        const task* planned = nullptr;
        for (const auto& p : c.tasks())
            if (p.host == h && p.local_rank == local) planned = &p;
        check(planned != nullptr, "a planned task at " + h + " local " + std::to_string(local));
        if (planned == nullptr) continue;
        const auto want = *tf_config(c, planned->type, planned->index);
        check(get(t, "tf_config") == want, "TF_CONFIG of " + std::string(task_type_name(planned->type)) + ":" +
                                               std::to_string(planned->index) + "\n  got  " + get(t, "tf_config") +
                                               "\n  want " + want);
        check(args_of(t) == probe_args, "argv of every task");
        ++seen[std::string(task_type_name(planned->type)) + ":" + std::to_string(planned->index)];
        std::cout << name << ": " << h << " local " << local << ": " << get(t, "tf_config") << "\n";
    }
    check(seen.size() == c.tasks().size(), "every planned task ran once");
}

void mpi_job(const std::string& work, const std::string& probe) {
    job_spec s;
    s.name = "slurm-mpi";
    s.source_directory = ".";
    s.entry_script = "train.py";
    s.target = compute_target("local-slurm");
    s.distributed_backend = backend_kind::mpi;
    s.node_count = 2;
    s.process_count_per_node = 2;
    s.environment_variables = {{"TRAINSPEC_PROBE_OUT", work + "/mpi/out"}};
    const auto j = make_job_as<mpi>(s);
    slurm_options o;
    o.command = {probe};
    o.command.insert(o.command.end(), probe_args.begin(), probe_args.end());
    o.time_limit_minutes = 2;
    o.working_directory = work + "/mpi";
    const auto tasks = submit(work, "mpi", sbatch_script(plan(j), o), 4);
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
        check(get(t, "nodename") == p.host, where + ": host " + p.host + ", ran on " + get(t, "nodename"));
        check(get(t, "localid") == std::to_string(p.local_rank), where + ": local rank");
        check(po.hosts.at(static_cast<std::size_t>(std::atoi(get(t, "nodeid").c_str()))).name == p.host,
              where + ": node id");
        check(get(t, "tf_config").empty(), where + ": no TF_CONFIG");
        check(args_of(t) == probe_args, where + ": argv");
        std::cout << "mpi: rank " << r << " on " << get(t, "nodename") << " local " << get(t, "localid") << "\n";
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::string probe;
    std::string work;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a.rfind("--probe=", 0) == 0) probe = a.substr(8);
        if (a.rfind("--work=", 0) == 0) work = a.substr(7);
    }
    if (probe.empty() || work.empty()) {
        std::cerr << "usage: " << argv[0] << " --probe=PATH --work=DIR\n";
        return 2;
    }
    const char* conf = std::getenv("SLURM_CONF");
    if (conf == nullptr || !exists(conf) || geteuid() != 0 || run("command -v sbatch").empty()) {
        std::cout << "no local Slurm (start.sh skipped or failed); skipping\n";
        return 77;
    }
    parameter_server_job(work, probe, "ps-chief", 1, 4);
    parameter_server_job(work, probe, "ps-seed", 0, 3);
    mpi_job(work, probe);
    if (failures != 0) {
        std::cerr << failures << " check(s) failed\n";
        return 1;
    }
    std::cout << "slurm: every task as planned\n";
    return 0;
}
