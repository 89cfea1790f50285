#pragma once
// Cross-target consistency: every seed of examples/specs and several large
// jobs, rendered to every engine that can run them, must make each task run
// the same steps with the same variables, GPUs and working directory, as
// the launch model (launch.hpp) and the plan (plan.hpp) say.
//
// The artifacts are executed, not read: the shell artifacts (sbatch script,
// docker run line, mpirun line, launch.sh) run under /bin/sh with the
// stand-ins of standins/ first on PATH (python, srun, scontrol, scancel,
// mpirun, docker, apptainer, singularity, conda); the TFJob, MPIJob and
// Azure ML job are run here as their operators run them. Every engine must
// run the job's image (job_image.hpp), and Slurm runs it in each of its
// environments (slurm_environment). The stand-in python logs every invocation: argv,
// working directory, environment, and the slot the engine started it in
// (TRAINSPEC_TEST_SLOT, set by the stand-in launcher or the simulated
// operator). From that log each target gives one record per task:
//
//   steps      the argvs the task ran, in order (the owner check `python -c`
//              reading TF_CONFIG is no step)
//   variables  what it sees, without the engines' own (TF_CONFIG, SLURM_*,
//              OMPI_*, PMI*, HOROVOD_*, TRAINSPEC_*) and the process's
//              (PATH, PWD, OLDPWD, SHLVL, _)
//   CUDA       CUDA_VISIBLE_DEVICES, or "unset"
//   workdir    the container's path in containers, the path from the
//              submit directory on hosts
//   GPUs       what the engine grants the task, where it grants per task
//
// and the record the plan and the launch model predict must equal it. Each
// job with post steps runs once more with a failing training: then no task
// may run them, and the run must fail.

//
// The harness lives here so that the hostile-value suite (security.cpp)
// runs its jobs through the same comparison as the seeds (consistency.cpp).

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include <trainspec/detail/slurm_environment_rule.hpp>
#include <trainspec/trainspec.hpp>

// launch.sh, as `trainspec-gen generate --hosts H` writes it for mpi jobs.
#include "artifacts.hpp"
#include "sandbox.hpp"

namespace cross_target {

namespace fs = std::filesystem;
using namespace trainspec;
using ojson = nlohmann::ordered_json;
using namespace test_standins;

// ---- records ----

/// What one task did, as the engine ran it.
struct task_record {
    std::vector<std::vector<std::string>> steps;
    variables vars;
    std::string cuda = "unset";
    std::string workdir;
    std::optional<int> gpus;       ///< nullopt: the engine grants no count of its own to a task
    std::string step_differences;  ///< a later step that saw other variables or another directory
};

/// By task: "chief:0", "worker:3", ... (MPI ranks are worker:<rank>).
using records = std::map<std::string, task_record>;

inline std::string task_key(task_type type, int index) {
    return std::string(enum_name(type)) + ":" + std::to_string(index);
}

inline bool is_engine_variable(const std::string& name) {
    for (const char* exact : {"TF_CONFIG", "CUDA_VISIBLE_DEVICES", "PATH", "PWD", "OLDPWD", "SHLVL", "_"})
        if (name == exact) return true;
    for (const char* prefix : {"SLURM_", "OMPI_", "PMI", "HOROVOD_", "TRAINSPEC_", "CONDA_"})
        if (name.rfind(prefix, 0) == 0) return true;
    return false;
}

/// `python -c CODE` reading TF_CONFIG: a task asking whether it owns the model.
inline bool is_owner_check(const std::vector<std::string>& argv) {
    return argv.size() == 3 && argv[1] == "-c" && argv[2].find("TF_CONFIG") != std::string::npos;
}

/// How a target's log is read: the task of a slot ("" for none of the
/// plan), and the engine's path of a physical working directory.
struct log_view {
    std::function<std::string(const std::string& slot)> task_of;
    std::function<std::string(const fs::path& pwd)> workdir_of;
};

inline std::string show_argv(const std::vector<std::string>& argv);

inline records collect(const std::vector<invocation>& log, const log_view& view) {
    records out;
    for (const auto& inv : log) {
        if (is_owner_check(inv.argv)) continue;
        const auto slot = inv.env.find("TRAINSPEC_TEST_SLOT");
        std::string key = slot == inv.env.end() ? "(started outside any task)" : view.task_of(slot->second);
        if (key.empty()) key = "(slot " + slot->second + ", no task of the plan)";
        variables vars;
        for (const auto& [name, value] : inv.env)
            if (!is_engine_variable(name)) vars[name] = value;
        const auto cuda = inv.env.count("CUDA_VISIBLE_DEVICES") ? inv.env.at("CUDA_VISIBLE_DEVICES") : "unset";
        const auto workdir = view.workdir_of(inv.pwd);
        auto [it, fresh] = out.try_emplace(key);
        auto& r = it->second;
        if (fresh) {
            r.vars = std::move(vars);
            r.cuda = cuda;
            r.workdir = workdir;
        } else if (vars != r.vars || cuda != r.cuda || workdir != r.workdir) {
            r.step_differences += "step " + std::to_string(r.steps.size() + 1) + " (" + show_argv(inv.argv) +
                                  ") sees other variables, GPUs or directory (" + workdir + "); ";
        }
        r.steps.push_back(inv.argv);
    }
    return out;
}

/// The engine's path of `pwd` when it is under `physical`, which stands for
/// `logical` ("/workspace", "/"); nullopt when it is not.
inline std::optional<std::string> map_path(const fs::path& pwd, const fs::path& physical, const std::string& logical) {
    const auto relative = pwd.lexically_relative(physical);
    if (relative.empty() || *relative.begin() == "..") return std::nullopt;
    if (relative == ".") return logical;
    return (fs::path(logical) / relative).generic_string();
}

/// A directory as a host engine reaches it from the submit directory.
inline std::string host_path(const fs::path& pwd, const fs::path& submit) {
    return pwd.lexically_relative(submit).generic_string();
}

/// The source directory as the tasks on a host should find it: relative to
/// the submit directory.
inline std::string expected_host_path(const std::string& source_directory) {
    const auto normal = fs::path(source_directory.empty() ? "." : source_directory).lexically_normal();
    auto text = normal.generic_string();
    while (text.size() > 1 && text.back() == '/') text.pop_back();
    return text;
}

// ---- what a target is expected to give ----

/// How an engine shows a task its GPUs.
enum class cuda_rule {
    plan,           ///< the plan's positions (Slurm managing no GPUs)
    slurm_granted,  ///< positions within what srun granted the node (the stand-in's indices)
    hidden_only,    ///< "" for a task that must see none, else unset: it sees its container's or node's GPUs
    unrestricted,   ///< unset: MPI ranks take the GPU of their local rank (mpirun)
};

struct engine_rules {
    bool in_container = false;  ///< the working directory is the container's, else the source directory on the host
    cuda_rule cuda = cuda_rule::unrestricted;
    bool gpus = false;  ///< the engine grants each task a GPU count of its own, checked
};

/// The stand-in srun's grant on node `node`: `count` global indices from 4
/// on even nodes, from 2 on odd ones.
inline std::vector<int> slurm_grant(std::size_t node, int count) {
    std::vector<int> ids;
    const int base = node % 2 == 0 ? 4 : 2;
    for (int k = 0; k < count; ++k) ids.push_back(base + k);
    return ids;
}

inline std::string join_ints(const std::vector<int>& ids) {
    std::string out;
    for (int id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
    return out;
}

/// The GPUs the plan gives a task: its own, 1 for an unrestricted GPU task.
inline int planned_gpus(const launch_model& m, const task& t) {
    if (!m.use_gpu) return 0;
    return t.gpus ? static_cast<int>(t.gpus->size()) : 1;
}

/// What Slurm is asked for per node: the most GPUs any host's tasks use.
template <class Backend>
int planned_gpus_per_node(const cluster<Backend>& c) {
    const auto m = describe_launch(c);
    std::vector<int> used(c.hosts().size(), 0);
    for (const auto& t : c.tasks()) used[t.host_index] += planned_gpus(m, t);
    return used.empty() ? 0 : *std::max_element(used.begin(), used.end());
}

/// The records the plan and the launch model predict for every task.
template <class Backend>
records expected_records(const cluster<Backend>& c, const engine_rules& rules, bool training_fails) {
    const auto m = describe_launch(c);
    const int node_gpus = planned_gpus_per_node(c);
    records out;
    for (const auto& t : c.tasks()) {
        task_record r;
        const bool owner = task_id{t.type, t.index} == m.model_owner;
        for (const auto& step : m.steps)
            if (!step.model_owner_only || (owner && !training_fails)) r.steps.push_back(step.argv);
        for (const auto& v : m.environment) r.vars[v.name] = v.value;
        r.workdir = rules.in_container ? m.working_directory : expected_host_path(m.source_directory);
        // MPI ranks are never restricted: each takes the GPU of its local rank.
        const auto restriction = m.backend == backend_kind::mpi ? std::nullopt : t.gpus;
        switch (rules.cuda) {
            case cuda_rule::plan:
                if (restriction) r.cuda = join_ints(*restriction);
                break;
            case cuda_rule::slurm_granted: {
                const auto grant = slurm_grant(t.host_index, node_gpus);
                if (restriction) {
                    std::vector<int> mapped;
                    for (int position : *restriction)
                        mapped.push_back(
                            position < static_cast<int>(grant.size()) ? grant[static_cast<std::size_t>(position)] : -1);
                    r.cuda = join_ints(mapped);
                } else if (!grant.empty()) {
                    r.cuda = join_ints(grant);
                }
                break;
            }
            case cuda_rule::hidden_only:
                if (restriction && restriction->empty()) r.cuda = "";
                break;
            case cuda_rule::unrestricted:
                break;
        }
        if (rules.gpus) r.gpus = planned_gpus(m, t);
        out[task_key(t.type, t.index)] = std::move(r);
    }
    return out;
}

// ---- differences, readably ----

inline std::string show_word(const std::string& word) {
    const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) ||
               std::string_view("-_./:=,@%+").find(c) != std::string_view::npos;
    });
    return plain ? word : ojson(word).dump();
}

inline std::string show_argv(const std::vector<std::string>& argv) {
    std::string out;
    for (const auto& word : argv) out += (out.empty() ? "" : " ") + show_word(word);
    return out;
}

inline std::string show_steps(const std::vector<std::vector<std::string>>& steps) {
    if (steps.empty()) return "    (none)\n";
    std::string out;
    for (const auto& step : steps) out += "    " + show_argv(step) + "\n";
    return out;
}

inline std::string show_value(const std::string& value) { return value == "unset" ? value : ojson(value).dump(); }

/// Every difference between the records, one entry (a line or a block) each.
inline std::vector<std::string> differences(const records& want, const records& got, const engine_rules& rules) {
    std::vector<std::string> out;
    for (const auto& [key, w] : want) {
        const auto it = got.find(key);
        if (it == got.end()) {
            out.push_back(key + ": ran no python at all; expected steps:\n" + show_steps(w.steps));
            continue;
        }
        const auto& g = it->second;
        if (g.steps != w.steps)
            out.push_back(key + ": steps differ\n  expected:\n" + show_steps(w.steps) + "  got:\n" +
                          show_steps(g.steps));
        for (const auto& [name, value] : w.vars) {
            const auto v = g.vars.find(name);
            if (v == g.vars.end())
                out.push_back(key + ": variable " + name + " is missing (expected " + show_value(value) + ")\n");
            else if (v->second != value)
                out.push_back(key + ": variable " + name + " is " + show_value(v->second) + ", expected " +
                              show_value(value) + "\n");
        }
        for (const auto& [name, value] : g.vars)
            if (!w.vars.count(name))
                out.push_back(key + ": unexpected variable " + name + "=" + show_value(value) + "\n");
        if (g.cuda != w.cuda)
            out.push_back(key + ": CUDA_VISIBLE_DEVICES is " + show_value(g.cuda) + ", expected " + show_value(w.cuda) +
                          "\n");
        if (g.workdir != w.workdir)
            out.push_back(key + ": working directory is " + show_value(g.workdir) + ", expected " +
                          show_value(w.workdir) + "\n");
        if (rules.gpus && g.gpus != w.gpus)
            out.push_back(key + ": the engine grants " +
                          (g.gpus ? std::to_string(*g.gpus) : std::string("no count of")) + " GPU(s), expected " +
                          std::to_string(w.gpus.value_or(-1)) + "\n");
        if (!g.step_differences.empty()) out.push_back(key + ": " + g.step_differences + "\n");
    }
    for (const auto& [key, g] : got)
        if (!want.count(key)) out.push_back(key + ": not a task of the plan, ran:\n" + show_steps(g.steps));
    return out;
}

inline std::string joined(const std::vector<std::string>& entries) {
    std::string out;
    for (const auto& e : entries) out += e;
    return out;
}

// ---- library bugs this test found ----

/// A difference between a target and the launch model that is a library
/// bug, reported and not fixed here. While it happens it is left out of
/// the failures and shown as a message; once it no longer happens, the
/// test fails, so that the entry is removed with the fix.
struct known_divergence {
    const char* what;
    /// True for the job and target where it must happen (`want`: the expected records).
    std::function<bool(const job_spec& spec, const launch_model& m, const std::string& target, const records& want)>
        applies;
    /// True for a difference it explains.
    std::function<bool(const std::string& difference)> explains;
};

inline const std::vector<known_divergence>& known_divergences() {
    // A new library bug, once reported, is listed here with the difference
    // it explains until it is fixed.
    static const std::vector<known_divergence> list = {
        {"mpi.network_interface sets NCCL_SOCKET_IFNAME (and btl_tcp_if_include) through mpirun only: the launch "
         "model leaves it out, and srun, Slurm's default launcher, starts the ranks without it",
         [](const job_spec& spec, const launch_model&, const std::string& target, const records&) {
             return spec.mpi && spec.mpi->network_interface &&
                    (target.find("mpirun") != std::string::npos || target == "launch.sh" || target == "MPIJob");
         },
         [](const std::string& difference) {
             return difference.find("unexpected variable NCCL_SOCKET_IFNAME=") != std::string::npos;
         }},
    };
    return list;
}

// ---- the engines ----

/// One run of a target: the records, the exit status of the whole run
/// (the highest of the pods' or tasks' under a simulated operator), and
/// what the engine did wrong beyond the records.
struct outcome {
    records got;
    int status = 0;
    std::vector<std::string> notes;
};

/// A manifest's container must run the job's image.
inline void check_image(const ojson& container, const job_spec& spec, const std::string& replica,
                        std::vector<std::string>& notes) {
    const auto want = container_image(make_job(spec));
    if (container.value("image", std::string()) != want)
        notes.push_back(replica + " runs the image " + container.value("image", std::string("(none)")) +
                        ", expected the job's " + want);
}

/// The plan's task on (node, local rank), "" when it has none there.
template <class Backend>
std::string task_on_slot(const cluster<Backend>& c, std::size_t node, int local) {
    for (const auto& t : c.tasks())
        if (t.host_index == node && t.local_rank == local) return task_key(t.type, t.index);
    return "";
}

/// The plan's task of a key, "" when there is none.
template <class Backend>
std::string task_named(const cluster<Backend>& c, const std::string& key) {
    for (const auto& t : c.tasks())
        if (task_key(t.type, t.index) == key) return key;
    return "";
}

/// "rank:R" of the stand-in mpirun: MPI rank R is worker:R.
template <class Backend>
std::string task_of_rank(const cluster<Backend>& c, const std::string& slot) {
    if (slot.rfind("rank:", 0) != 0) return "";
    return task_named(c, "worker:" + slot.substr(5));
}

inline log_view host_view(const sandbox& box, std::function<std::string(const std::string&)> task_of) {
    const auto submit = box.submit();
    return {std::move(task_of), [submit](const fs::path& pwd) { return host_path(pwd, submit); }};
}

inline log_view container_view(const sandbox& box, std::function<std::string(const std::string&)> task_of) {
    const auto root = box.container();
    return {std::move(task_of),
            [root](const fs::path& pwd) { return map_path(pwd, root, "/").value_or("(host) " + pwd.string()); }};
}

/// The image reference a Slurm runtime is given for the job's image: a
/// local built image from the Docker daemon, else from its registry.
inline std::string slurm_image_reference(const job_spec& spec, slurm_environment_kind kind) {
    const auto image = image_of(make_job(spec));
    const bool local = image.built && !image.pushed;
    if (kind == slurm_environment_kind::pyxis) {
        if (local) return "dockerd://" + image.reference;
        auto reference = image.reference;
        if (const auto host = image_registry_host(reference); !host.empty()) reference[host.size()] = '#';
        return reference;
    }
    return (local ? "docker-daemon://" : "docker://") + image.reference;
}

/// Every container the Slurm runtime started (containers.log): the job's
/// image, GPUs passed in (--nv) when the job uses them, the source directory
/// mounted at the working directory.
inline std::vector<std::string> check_slurm_containers(const sandbox& box, const job_spec& spec,
                                                       slurm_environment_kind kind, const launch_model& m) {
    std::vector<std::string> notes;
    const std::string runtime(enum_name(kind));
    const auto source = fs::weakly_canonical(box.submit() / spec.source_directory).string();
    const std::string want = runtime + " nv=" +
                             (kind == slurm_environment_kind::pyxis ? "-"
                              : effective_use_gpu(spec)             ? "1"
                                                                    : "0") +
                             " mount=" + source + ":" + m.working_directory + " workdir=" + m.working_directory +
                             " image=" + slurm_image_reference(spec, kind);
    std::istringstream lines(read_file(box.file("containers.log")));
    int count = 0;
    for (std::string line; std::getline(lines, line); ++count)
        if (line != want)
            notes.push_back("a container started as " + show_value(line) + ", expected " + show_value(want));
    if (count == 0) notes.push_back("no container was started, expected " + show_value(want));
    return notes;
}

/// The sbatch script run by /bin/sh from the submit directory, as sbatch
/// starts it: SLURM_JOB_ID 7 on the nodes node1..nodeN, with the stand-ins
/// scontrol, srun and scancel; srun grants GPUs when `gpus_managed`. The
/// tasks run in the job's environment on Slurm (slurm_environment): its
/// image through the stand-in apptainer, singularity or Pyxis (srun), or
/// its conda environment, which exists unless `conda_env_exists` is false.
template <class Backend>
outcome run_slurm(const sandbox& box, const cluster<Backend>& c, const slurm_options& options, bool gpus_managed,
                  bool conda_env_exists = true) {
    outcome result;
    const auto& spec = c.job().spec();
    const auto kind = options.environment.value_or(effective_slurm_environment(spec));
    if (kind == slurm_environment_kind::conda && conda_env_exists) {
        fs::create_directories(box.file("conda-envs"));
        write_file(box.file("conda-envs") / effective_job_name(spec), "");
    }
    write_file(box.submit() / "job.sbatch", sbatch_script(c, options));
    const auto nodes = c.hosts().size();
    std::vector<std::string> hosts;
    for (std::size_t i = 0; i < nodes; ++i) hosts.push_back("node" + std::to_string(i + 1));
    std::vector<int> per_node(nodes, 0);
    for (const auto& t : c.tasks()) ++per_node[t.host_index];
    // The script asks for the same number of tasks on every node.
    const int most = *std::max_element(per_node.begin(), per_node.end());
    const auto env = slurm_allocation(box, hosts, most, gpus_managed);
    result.status = box.run({"/bin/sh", "job.sbatch"}, env, box.submit());

    // "NODE:LOCAL" from srun; "rank:R" from mpirun inside the allocation.
    const auto task_of = [&c](const std::string& slot) {
        if (slot.rfind("rank:", 0) == 0) return task_of_rank(c, slot);
        const auto colon = slot.find(':');
        if (colon == std::string::npos) return std::string();
        return task_on_slot(c, std::stoul(slot.substr(0, colon)), std::stoi(slot.substr(colon + 1)));
    };
    const auto m = describe_launch(c);
    if (runs_container(kind)) {
        // In the container, the source directory is the working directory.
        const auto source = fs::weakly_canonical(box.submit() / spec.source_directory);
        const auto workdir = m.working_directory;
        result.got =
            collect(box.invocations(), {task_of, [source, workdir](const fs::path& pwd) {
                                            return map_path(pwd, source, workdir).value_or("(host) " + pwd.string());
                                        }});
        for (auto& note : check_slurm_containers(box, spec, kind, m)) result.notes.push_back(std::move(note));
    } else {
        result.got = collect(box.invocations(), host_view(box, task_of));
    }
    if (kind == slurm_environment_kind::conda)
        for (const auto& inv : box.invocations())
            if (inv.env.count("CONDA_DEFAULT_ENV") == 0 || inv.env.at("CONDA_DEFAULT_ENV") != effective_job_name(spec))
                result.notes.push_back(show_argv(inv.argv) + " ran outside the conda environment " +
                                       effective_job_name(spec));
    if (gpus_managed) {
        // A task's GPUs: the devices it sees, shared with the tasks of its
        // node that see the same ones (MPI ranks see the node's grant).
        std::map<std::string, std::size_t> node_of;
        for (const auto& t : c.tasks()) node_of[task_key(t.type, t.index)] = t.host_index;
        for (auto& [key, r] : result.got) {
            if (!node_of.count(key)) continue;
            if (r.cuda == "unset" || r.cuda.empty()) {
                r.gpus = 0;
                continue;
            }
            const int seen = static_cast<int>(std::count(r.cuda.begin(), r.cuda.end(), ',')) + 1;
            int sharing = 0;
            for (const auto& [other, o] : result.got)
                if (node_of.count(other) && node_of[other] == node_of[key] && o.cuda == r.cuda) ++sharing;
            r.gpus = seen % sharing == 0 ? seen / sharing : -1;
        }
    }
    // The end of the success task stops the step: one scancel, nothing else calls it.
    const std::string want = m.success_task ? "--quiet --signal=USR1 7.0\n" : "";
    const auto calls = read_file(box.file("scancel.log"));
    if (calls != want)
        result.notes.push_back("scancel was called " + show_value(calls) + ", expected " + show_value(want));
    return result;
}

/// The docker run line run by /bin/sh from the submit directory, with the
/// stand-in docker.
inline outcome run_docker(const sandbox& box, const cluster<single_node>& c, const std::string& line) {
    outcome result;
    result.status = box.run({"/bin/sh", "-c", line}, box.base_env(), box.submit());
    std::map<std::string, std::string> info;
    std::istringstream lines(read_file(box.file("docker.info")));
    for (std::string l; std::getline(lines, l);)
        if (const auto eq = l.find('='); eq != std::string::npos) info[l.substr(0, eq)] = l.substr(eq + 1);
    const fs::path mount = info["mount"];
    const std::string target = info["target"];
    const auto root = box.container();
    const auto only = task_key(c.tasks().at(0).type, c.tasks().at(0).index);
    log_view view{[only](const std::string& slot) { return slot == "container" ? only : std::string(); },
                  [=](const fs::path& pwd) {
                      if (!mount.empty())
                          if (auto p = map_path(pwd, mount, target)) return *p;
                      return map_path(pwd, root, "/").value_or("(host) " + pwd.string());
                  }};
    result.got = collect(box.invocations(), view);
    // --gpus all: every GPU of the host, all the job's: the declared count
    // (which is what a node has), or (not declared) the one the plan gives
    // an unrestricted task.
    const auto& spec = c.job().spec();
    int gpus = -1;
    if (info["gpus"] == "all") gpus = effective_gpus_per_node(spec).count.value_or(1);
    if (info["gpus"] == "none") gpus = 0;
    for (auto& [key, r] : result.got) r.gpus = gpus;
    // The source directory is what the container has at its working directory.
    const auto source = fs::weakly_canonical(box.submit() / spec.source_directory);
    if (mount != source)
        result.notes.push_back("docker mounts " + show_value(mount.string()) + ", expected the source directory " +
                               show_value(source.string()));
    if (info["image"] != container_image(c.job()))
        result.notes.push_back("docker runs " + show_value(info["image"]) + ", expected the job's image " +
                               container_image(c.job()));
    return result;
}

/// mpirun_command() of the job, its launcher environment added, started
/// from the source directory.
inline outcome run_mpirun(const sandbox& box, const cluster<mpi>& c) {
    outcome result;
    const auto& spec = c.job().spec();
    const auto command = mpirun_command(c, mpi_launch_options_from(spec));
    auto env = box.base_env();
    for (const auto& v : command.launcher_environment) env[v.name] = v.value;
    result.status = box.run(command.argv, env, box.submit() / spec.source_directory);
    result.got =
        collect(box.invocations(), host_view(box, [&c](const std::string& slot) { return task_of_rank(c, slot); }));
    return result;
}

/// launch.sh and hostfile as `trainspec-gen generate --out DIR --hosts H`
/// writes them (DIR beside the submit directory), run by /bin/sh from
/// elsewhere: the script finds its hostfile and the source directory itself.
inline outcome run_launch_script(const sandbox& box, const cluster<mpi>& c) {
    outcome result;
    const auto& spec = c.job().spec();
    trainspec_gen::render_settings settings;
    settings.source_from_output =
        (box.submit() / spec.source_directory).lexically_normal().lexically_relative(box.out()).generic_string();
    write_file(box.out() / "launch.sh", trainspec_gen::mpi_launch_script(c, settings));
    write_file(box.out() / "hostfile", hostfile_text(c, effective_mpi_flavor(spec)));
    result.status = box.run({"/bin/sh", (box.out() / "launch.sh").string()}, box.base_env(), box.root());
    result.got =
        collect(box.invocations(), host_view(box, [&c](const std::string& slot) { return task_of_rank(c, slot); }));
    return result;
}

/// A container's argv: command, then args.
inline std::vector<std::string> container_argv(const ojson& container) {
    auto argv = container.value("command", std::vector<std::string>{});
    const auto args = container.value("args", std::vector<std::string>{});
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

/// A container's GPU limit, 0 without one.
inline int container_gpus(const ojson& container) {
    const auto resources = container.value("resources", ojson::object());
    const auto limits = resources.value("limits", ojson::object());
    return limits.value("nvidia.com/gpu", 0);
}

/// A container's env as a pod of replica `index` sees it.
inline void add_container_env(variables& env, const ojson& container, int index, std::vector<std::string>& notes) {
    const std::string label_path = "metadata.labels['training.kubeflow.org/replica-index']";
    for (const auto& e : container.value("env", ojson::array())) {
        const std::string name = e.at("name");
        if (e.contains("value")) {
            env[name] = e["value"].get<std::string>();
        } else if (e.contains("valueFrom") && e["valueFrom"].contains("fieldRef") &&
                   e["valueFrom"]["fieldRef"].value("fieldPath", "") == label_path) {
            env[name] = std::to_string(index);
        } else {
            notes.push_back("env " + name + ": the simulated operator cannot resolve " + e.dump());
        }
    }
}

inline std::string replica_task_type(const std::string& replica_type) {
    for (auto t : {task_type::chief, task_type::worker, task_type::ps, task_type::evaluator}) {
        std::string name(enum_name(t));
        if (replica_type == "PS"
                ? t == task_type::ps
                : replica_type.size() == name.size() && std::equal(name.begin(), name.end(), replica_type.begin(),
                                                                   [](char a, char b) { return a == std::tolower(b); }))
            return name;
    }
    return "unknown-" + replica_type;
}

/// The TFJob run as the training operator runs it: every replica's
/// container (command + args) in its workingDir (inside the image's root,
/// container/), with its env, the replica-index label resolved, and the
/// operator's TF_CONFIG; its GPUs from limits["nvidia.com/gpu"].
template <class Backend>
outcome run_tfjob(const sandbox& box, const cluster<Backend>& c) {
    outcome result;
    const ojson manifest = tfjob_manifest(c, kubeflow_options{});
    const std::string job = manifest["metadata"]["name"];
    const std::string ns = manifest["metadata"]["namespace"];
    const auto& replicas = manifest["spec"]["tfReplicaSpecs"];
    ojson cluster_json = ojson::object();
    for (const auto& [type, replica] : replicas.items()) {
        const auto kind = replica_task_type(type);
        for (int i = 0; i < replica.value("replicas", 1); ++i)
            cluster_json[kind].push_back(job + "-" + kind + "-" + std::to_string(i) + "." + ns + ".svc:2222");
    }
    std::map<std::string, int> gpus;
    for (const auto& [type, replica] : replicas.items()) {
        const auto kind = replica_task_type(type);
        const auto& containers = replica["template"]["spec"]["containers"];
        if (containers.size() != 1) result.notes.push_back(type + ": " + containers.dump() + " is not one container");
        const auto& container = containers.at(0);
        check_image(container, c.job().spec(), type, result.notes);
        const auto argv = container_argv(container);
        const auto dir = box.container() / fs::path(container.value("workingDir", std::string("/"))).relative_path();
        for (int i = 0; i < replica.value("replicas", 1); ++i) {
            const auto key = kind + ":" + std::to_string(i);
            auto env = box.base_env();
            add_container_env(env, container, i, result.notes);
            env["TF_CONFIG"] = ojson{{"cluster", cluster_json}, {"task", {{"type", kind}, {"index", i}}}}.dump();
            env["TRAINSPEC_TEST_SLOT"] = key;
            fs::create_directories(dir);
            if (argv.empty()) {
                result.notes.push_back(key + ": the container has no command");
                continue;
            }
            result.status = std::max(result.status, box.run(argv, env, dir));
            gpus[key] = container_gpus(container);
        }
    }
    result.got =
        collect(box.invocations(), container_view(box, [&c](const std::string& slot) { return task_named(c, slot); }));
    for (auto& [key, r] : result.got)
        if (gpus.count(key)) r.gpus = gpus[key];
    return result;
}

/// The MPIJob run as the MPI operator runs it: the hostfile it writes at
/// /etc/mpi/hostfile, the launcher's container (command + args, env) in its
/// workingDir; mpirun (the stand-in) starts the ranks in that directory, as
/// Open MPI does on the workers (the same image). A rank's GPUs: the
/// worker's limit over its slots.
inline outcome run_mpijob(const sandbox& box, const cluster<mpi>& c) {
    outcome result;
    const auto manifest = mpijob_manifest(c, kubeflow_options{});
    const std::string job = manifest["metadata"]["name"];
    const std::string ns = manifest["metadata"]["namespace"];
    const auto& spec = manifest["spec"];
    const int slots = spec.value("slotsPerWorker", 1);
    const auto& launcher = spec["mpiReplicaSpecs"]["Launcher"];
    const auto& worker = spec["mpiReplicaSpecs"]["Worker"];
    std::string hostfile;
    for (int w = 0; w < worker.value("replicas", 1); ++w)
        hostfile +=
            job + "-worker-" + std::to_string(w) + "." + job + "." + ns + ".svc slots=" + std::to_string(slots) + "\n";
    fs::create_directories(box.container() / "etc/mpi");
    write_file(box.container() / "etc/mpi/hostfile", hostfile);

    const auto& launcher_container = launcher["template"]["spec"]["containers"].at(0);
    const auto& worker_container = worker["template"]["spec"]["containers"].at(0);
    check_image(launcher_container, c.job().spec(), "Launcher", result.notes);
    check_image(worker_container, c.job().spec(), "Worker", result.notes);
    const std::string workdir = launcher_container.value("workingDir", std::string("/"));
    if (worker_container.value("workingDir", std::string("/")) != workdir)
        result.notes.push_back("the ranks run in the launcher's workingDir " + workdir + ", the workers' is " +
                               worker_container.value("workingDir", std::string("/")));
    auto env = box.base_env();
    add_container_env(env, launcher_container, 0, result.notes);
    env["TRAINSPEC_TEST_ROOT"] = box.container().string();  // mpirun reads /etc/mpi/hostfile inside the image
    const auto dir = box.container() / fs::path(workdir).relative_path();
    fs::create_directories(dir);
    result.status = box.run(container_argv(launcher_container), env, dir);
    result.got = collect(box.invocations(),
                         container_view(box, [&c](const std::string& slot) { return task_of_rank(c, slot); }));
    const int worker_gpus = container_gpus(worker_container);
    for (auto& [key, r] : result.got) r.gpus = worker_gpus % slots == 0 ? worker_gpus / slots : -1;
    return result;
}

/// The Azure ML command job run as Azure ML runs it: `command` by sh -c in
/// `code` (from the job file's directory, the submit directory), with
/// environment_variables, once per process: the ranks of an mpi
/// distribution with Open MPI's variables, the workers and parameter
/// servers of a tensorflow distribution with the TF_CONFIG Azure writes (ps
/// and worker, no chief), one process without a distribution.
template <class Backend>
outcome run_azureml(const sandbox& box, const cluster<Backend>& c) {
    outcome result;
    const ojson job = azureml_command_job(c.job());
    const std::string code = job.at("code");
    const std::string command = job.at("command");
    variables job_vars;
    const auto job_variables = job.value("environment_variables", ojson::object());
    for (const auto& [name, value] : job_variables.items()) job_vars[name] = value.template get<std::string>();
    std::vector<std::pair<std::string, variables>> processes;
    const auto distribution = job.value("distribution", ojson::object());
    const std::string type = distribution.value("type", "");
    if (type == "mpi") {
        const int per = distribution.value("process_count_per_instance", 1);
        const int size = job["resources"].value("instance_count", 1) * per;
        for (int r = 0; r < size; ++r)
            processes.push_back({"worker:" + std::to_string(r),
                                 {{"OMPI_COMM_WORLD_RANK", std::to_string(r)},
                                  {"OMPI_COMM_WORLD_SIZE", std::to_string(size)},
                                  {"OMPI_COMM_WORLD_LOCAL_RANK", std::to_string(r % per)},
                                  {"OMPI_COMM_WORLD_LOCAL_SIZE", std::to_string(per)}}});
    } else if (type == "tensorflow") {
        const int workers = distribution.value("worker_count", 1);
        const int servers = distribution.value("parameter_server_count", 0);
        ojson cluster_json = ojson::object();
        int node = 0;
        for (const auto& [kind, count] : {std::pair{"ps", servers}, {"worker", workers}})
            for (int i = 0; i < count; ++i) cluster_json[kind].push_back("node-" + std::to_string(node++) + ":2222");
        for (const auto& [kind, count] : {std::pair{"worker", workers}, {"ps", servers}})
            for (int i = 0; i < count; ++i)
                processes.push_back({std::string(kind) + ":" + std::to_string(i),
                                     {{"TF_CONFIG", ojson{{"cluster", cluster_json},
                                                          {"task", {{"type", kind}, {"index", i}}},
                                                          {"environment", "cloud"}}
                                                        .dump()}}});
    } else {
        if (!type.empty()) result.notes.push_back("unknown distribution " + distribution.dump());
        processes.push_back({task_key(c.tasks().at(0).type, c.tasks().at(0).index), {}});
    }
    const auto dir = box.submit() / code;
    for (const auto& [key, identity] : processes) {
        auto env = box.base_env();
        for (const auto& [name, value] : job_vars) env[name] = value;
        for (const auto& [name, value] : identity) env[name] = value;
        env["TRAINSPEC_TEST_SLOT"] = key;
        result.status = std::max(result.status, box.run({"/bin/sh", "-c", command}, env, dir));
    }
    result.got =
        collect(box.invocations(), host_view(box, [&c](const std::string& slot) { return task_named(c, slot); }));
    return result;
}

// ---- every target of a job ----

struct target {
    std::string name;
    engine_rules rules;
    std::function<outcome()> run;
    bool when_training_fails = true;  ///< run also with a failing training (the steps it checks differ)
};

const engine_rules in_container{true, cuda_rule::hidden_only, true};
const engine_rules slurm_rules{false, cuda_rule::slurm_granted, true};
const engine_rules slurm_unmanaged_rules{false, cuda_rule::plan, false};
const engine_rules mpi_host_rules{false, cuda_rule::unrestricted, false};
// Slurm's tasks in the job's container (Apptainer, Singularity, Pyxis).
const engine_rules slurm_container_rules{true, cuda_rule::slurm_granted, true};
const engine_rules slurm_container_unmanaged_rules{true, cuda_rule::plan, false};
const engine_rules mpi_container_rules{true, cuda_rule::unrestricted, false};

inline slurm_options slurm_in(slurm_environment_kind kind) {
    slurm_options o;
    o.environment = kind;
    return o;
}
// Azure ML sets nothing per process, but a parameter server must still see no GPU.
const engine_rules azureml_rules{false, cuda_rule::hidden_only, false};

/// The targets that can run the job, each a function that runs it.
template <class Backend>
std::vector<target> targets_of(const sandbox& box, const cluster<Backend>& c) {
    std::vector<target> out;
    const auto& spec = c.job().spec();
    // Slurm's default environment: the job's image, or the nodes' own.
    const bool contained = runs_container(effective_slurm_environment(spec));
    if constexpr (std::is_same_v<Backend, single_node>)
        out.push_back({"docker run", in_container, [&] { return run_docker(box, c, docker_run_command(c.job())); }});
    if constexpr (has_tf_config_v<Backend>) out.push_back({"TFJob", in_container, [&] { return run_tfjob(box, c); }});
    if constexpr (std::is_same_v<Backend, mpi>) {
        out.push_back({"MPIJob", in_container, [&] { return run_mpijob(box, c); }});
        out.push_back({"mpirun", mpi_host_rules, [&] { return run_mpirun(box, c); }});
        out.push_back({"launch.sh", mpi_host_rules, [&] { return run_launch_script(box, c); }});
        out.push_back({"Slurm with mpirun", contained ? mpi_container_rules : mpi_host_rules, [&] {
                           slurm_options o;
                           o.launcher = "mpirun";
                           return run_slurm(box, c, o, true);
                       }});
        out.push_back({"Slurm with mpirun on the nodes' Python", mpi_host_rules, [&] {
                           auto o = slurm_in(slurm_environment_kind::none);
                           o.launcher = "mpirun";
                           return run_slurm(box, c, o, true);
                       }});
    }
    out.push_back(
        {"Slurm", contained ? slurm_container_rules : slurm_rules, [&] { return run_slurm(box, c, {}, true); }});
    if (effective_use_gpu(spec))
        out.push_back({"Slurm managing no GPUs", contained ? slurm_container_unmanaged_rules : slurm_unmanaged_rules,
                       [&] { return run_slurm(box, c, {}, false); }, false});
    for (const auto kind : {slurm_environment_kind::singularity, slurm_environment_kind::pyxis})
        if (!detail::slurm_environment_problem(spec, kind))
            out.push_back({"Slurm with " + std::string(enum_name(kind)), slurm_container_rules,
                           [&, kind] { return run_slurm(box, c, slurm_in(kind), true); }, false});
    out.push_back({"Slurm on the nodes' Python", slurm_rules,
                   [&] { return run_slurm(box, c, slurm_in(slurm_environment_kind::none), true); }});
    if (!detail::slurm_environment_problem(spec, slurm_environment_kind::conda))
        out.push_back({"Slurm in conda", slurm_rules,
                       [&] { return run_slurm(box, c, slurm_in(slurm_environment_kind::conda), true); }, false});
    if (effective_chief_count(spec) > 0 || effective_evaluator_count(spec) > 0) {
        // Azure ML's tensorflow distribution has no chief or evaluator: refused, not rendered wrong.
        CHECK_THROWS_AS(azureml_command_job(c.job()), std::invalid_argument);
    } else if (has_tf_config_v<Backend> && std::string(TRAINSPEC_TEST_PYTHON).empty()) {
        MESSAGE("Azure ML left out for " << effective_job_name(spec)
                                         << ": its owner check runs Python, and no python3 was found");
    } else {
        out.push_back({"Azure ML", azureml_rules, [&] { return run_azureml(box, c); }});
    }
    return out;
}

/// The name of the file every hostile payload of the tests tries to create
/// (security.cpp): `touch pwned` in whatever directory it runs.
inline constexpr const char* payload_file = "pwned";

/// Every file of that name in the sandbox: none unless a payload ran.
inline std::vector<std::string> payload_files(const sandbox& box) {
    std::vector<std::string> found;
    for (const auto& entry : fs::recursive_directory_iterator(box.root()))
        if (entry.path().filename() == payload_file) found.push_back(entry.path().string());
    return found;
}

/// Whether a target may refuse the job with trainspec's error (a rule of
/// that engine, such as the TFJob's refusal of rpc_layer) instead of running it.
enum class refusal { fails, allowed };

/// Runs the job on every target, with a successful training and, when it
/// has post steps, with a failing one, and compares every task's record.
template <class Backend>
void check_job(const std::string& job_name, const cluster<Backend>& c, const std::string& only_target = "",
               refusal refused = refusal::fails) {
    sandbox box(TRAINSPEC_TEST_PYTHON);
    fs::create_directories(box.submit() / c.job().spec().source_directory);
    const auto targets = targets_of(box, c);
    const auto m = describe_launch(c);
    for (const bool training_fails : {false, true}) {
        if (training_fails && !has_post_steps(m.steps)) continue;
        for (const auto& t : targets) {
            if ((training_fails && !t.when_training_fails) || (!only_target.empty() && t.name != only_target)) continue;
            const std::string training = training_fails ? "fails" : "succeeds";
            const std::string& target_name = t.name;
            CAPTURE(job_name);
            CAPTURE(target_name);
            CAPTURE(training);
            box.reset(training_fails);
            outcome result;
            try {
                result = t.run();
            } catch (const trainspec::error& e) {
                if (refused == refusal::fails) FAIL_CHECK("rendering or running threw: " << std::string(e.what()));
                continue;
            } catch (const std::exception& e) {
                FAIL_CHECK("rendering or running threw: " << std::string(e.what()));
                continue;
            }
            const auto want = expected_records(c, t.rules, training_fails);
            auto found = differences(want, result.got, t.rules);
            for (const auto& known : known_divergences()) {
                if (!known.applies(c.job().spec(), m, target_name, want)) continue;
                const auto explained = std::stable_partition(found.begin(), found.end(),
                                                             [&](const std::string& d) { return !known.explains(d); });
                if (explained == found.end())
                    FAIL_CHECK("the known library bug \""
                               << std::string(known.what)
                               << "\" no longer happens: remove it from known_divergences()");
                else
                    MESSAGE("known library bug, reported: " << std::string(known.what) << "\n"
                                                            << joined({explained, found.end()}));
                found.erase(explained, found.end());
            }
            auto report = joined(found);
            for (const auto& note : result.notes) report += note + "\n";
            for (const auto& path : payload_files(box)) report += "a payload ran: " + path + " exists\n";
            if (training_fails ? result.status == 0 : result.status != 0)
                report += "the run exited " + std::to_string(result.status) +
                          (training_fails ? ", expected a failure\n" : "\n");
            if (!report.empty()) report += "--- what the run printed ---\n" + box.output();
            CHECK_MESSAGE(report.empty(), report);
        }
    }
}

inline void check_any(const std::string& job_name, const any_cluster& c, refusal refused = refusal::fails) {
    std::visit([&](const auto& typed) { check_job(job_name, typed, "", refused); }, c);
}

}  // namespace cross_target
