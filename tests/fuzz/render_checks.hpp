#pragma once
// Every artifact of a job, rendered and checked against the rules of the
// program that reads it, not against our own writer (docs/contributing.md,
// "Property and fuzz tests"):
//
//   spec          dump_spec() reads back as the same job
//   plan          every task placed once, ranks host by host, one address
//                 per TensorFlow server, no GPU given twice
//   TF_CONFIG     parse_tf_config() under the job's consumer gives the
//                 cluster the profile's launcher writes from the plan
//                 (Kubeflow: the operator's service names and the TFJob's
//                 port; SageMaker: master, a ps on every host), the task's
//                 own type and index, and TensorFlow's chief is the model's
//                 owner (launch.hpp); the sparse form is the operator's JSON
//   MPI           sh reads the shell line as the launcher's variables and
//                 argv (shell_words.hpp); -np, -H, -hosts and -ppn are what
//                 the plan placed; hostfiles read back as the plan's hosts
//                 and ranks, through parse_hostfile() and the launcher's own
//                 reader; the rank table and Gloo's variables are Horovod's
//                 assignment
//   manifests     valid JSON; TFJob and MPIJob pass the CRDs' structural
//                 schemas (tests/k8s) with the plan's replica counts; a Katib
//                 Experiment passes Katib's admission (tests/katib), and its
//                 trial template with trial 0's values put in is trial 0's
//                 own job
//   Slurm         #SBATCH lines before the first command, an allocation the
//                 plan fits, a job array of the sweep's trials
//   files         docker run, docker build and every step's argv split back;
//                 no requirements.txt line pip reads as an option; Azure ML's
//                 instance count
//   scripts       handed to check_options::shell_script (the property test
//                 runs sh -n)
//
// An artifact either renders and passes, or is refused with one of the
// library's errors naming a field and a rule (trainspec-gen's not_applicable
// for an artifact that does not fit the job's backend). Any other exception,
// and any failed check, is a render_checks::failure. check_options says how
// much runs: every artifact in every variant (the property test), or one
// group in one variant (the fuzz target).

#include <algorithm>
#include <cstdint>
#include <exception>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include <trainspec/detail/sweep_ids.hpp>
#include <trainspec/trainspec.hpp>

#include "artifacts.hpp"              // trainspec-gen's artifacts (src/trainspec-gen)
#include "katib_webhook.hpp"          // Katib's admission (tests/katib)
#include "launcher_host_readers.hpp"  // how each launcher reads hosts (tests/fuzz)
#include "shell_words.hpp"            // how sh splits a line (tests/fuzz)
#include "structural_schema.hpp"      // the CRDs' structural schemas (tests/k8s)
#include "written_hosts.hpp"          // which launcher reads which hostfile (tests/fuzz)

namespace render_checks {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;
using namespace trainspec;

/// A check that failed, or an exception that is not a named refusal.
class failure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Throws failure(what) unless `ok`; `what` is a string, or a function that
/// makes it, so that a message is built only when the check fails.
template <class Message>
void require(bool ok, const Message& what) {
    if (ok) return;
    if constexpr (std::is_invocable_v<const Message&>)
        throw failure(what());
    else
        throw failure(what);
}

/// Text as JSON shows it, whatever its bytes: for messages.
inline std::string shown(std::string_view text) {
    return json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
}

inline std::string shown(const std::vector<std::string>& words) {
    return json(words).dump(-1, ' ', false, json::error_handler_t::replace);
}

/// How many artifacts rendered and how many were refused, by name.
struct tally {
    std::map<std::string, std::pair<long, long>> by_artifact;
    long valid_jobs = 0;
    long invalid_jobs = 0;

    void count(const std::string& artifact, bool rendered) {
        auto& entry = by_artifact[artifact];
        (rendered ? entry.first : entry.second) += 1;
    }
};

/// The artifacts in groups, which a fuzz execution takes one at a time.
enum class artifact_group { job_files, tf_config, mpi, kubernetes, slurm, program };
inline constexpr std::uint64_t artifact_groups = 6;

/// What a caller adds to the checks, and how much of them runs.
struct check_options {
    /// Called with every script (the property test runs `sh -n`).
    std::function<void(const std::string& artifact, const std::string& script)> shell_script;
    /// Unset: every artifact in every variant (both plans, every TF_CONFIG
    /// profile, every MPI flavor and form, both trainspec-gen modes, two
    /// trials of a sweep). Set: one group of artifacts in one variant each,
    /// chosen by this value (the fuzz target, which must stay fast).
    std::optional<std::uint64_t> variant_seed;

    bool covers(artifact_group group) const { return runs(static_cast<std::uint64_t>(group), artifact_groups, 0); }

    /// Whether variant `index` of `count` (of the loop `salt`) runs.
    bool runs(std::uint64_t index, std::uint64_t count, std::uint64_t salt) const {
        if (!variant_seed) return true;
        // SplitMix64's output function: the loops choose independently.
        std::uint64_t x = *variant_seed + salt * 0x9e3779b97f4a7c15;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9;
        x = (x ^ (x >> 27)) * 0x94d049bb133111eb;
        return (x ^ (x >> 31)) % count == index;
    }
};

/// The CRDs' schemas (tests/k8s/crds), read once.
struct crd_schemas {
    json tfjob, mpijob;

    static const crd_schemas& get() {
        static const crd_schemas schemas{
            trainspec_test::load_json_file(std::string(TRAINSPEC_CRD_DIR) + "/kubeflow.org_tfjobs.v1.schema.json"),
            trainspec_test::load_json_file(std::string(TRAINSPEC_CRD_DIR) +
                                           "/kubeflow.org_mpijobs.v2beta1.schema.json")};
        return schemas;
    }
};

// ---- named refusals ----

/// A refusal must name a field and a rule for each problem.
inline void require_named(const std::string& artifact, const trainspec::error& e) {
    require(!e.all().empty(), [&] { return artifact + ": refused without a problem: " + shown(e.what()); });
    for (const auto& p : e.all())
        require(!p.path.empty() && !p.rule.empty(),
                [&] { return artifact + ": refused without a field or a rule: " + shown(to_string(p)); });
}

/// Runs `render`: it renders (true), or is refused with a named error
/// (false); anything else is a failure.
template <class Render>
bool attempt(tally& counts, const std::string& artifact, Render&& render) {
    try {
        render();
    } catch (const failure&) {
        throw;
    } catch (const trainspec::error& e) {
        require_named(artifact, e);
        counts.count(artifact, false);
        return false;
    } catch (const trainspec_gen::not_applicable& e) {
        require(std::string_view(e.what()).find(" is ") != std::string_view::npos,
                [&] { return artifact + ": a not-applicable refusal that does not say why: " + shown(e.what()); });
        counts.count(artifact, false);
        return false;
    } catch (const std::exception& e) {
        throw failure(artifact + ": threw " + typeid(e).name() + ", not a named refusal: " + shown(e.what()));
    } catch (...) {
        throw failure(artifact + ": threw something that is not a std::exception");
    }
    counts.count(artifact, true);
    return true;
}

inline json parsed_json(const std::string& artifact, const std::string& text) {
    try {
        return json::parse(text);
    } catch (const json::exception& e) {
        throw failure(artifact + ": not valid JSON (" + e.what() + "): " + shown(text.substr(0, 200)));
    }
}

// ---- shell lines ----

/// sh reads `line` as exactly the words `argv`.
inline void require_resplits(const std::string& what, const std::string& line, const std::vector<std::string>& argv) {
    const auto words = shell_words::split_shell_words(line);
    require(words.has_value(), [&] { return what + ": not a plain list of words for sh: " + shown(line); });
    require(*words == argv,
            [&] { return what + ": sh reads " + shown(*words) + " from " + shown(line) + ", not " + shown(argv); });
}

inline void require_argv_resplits(const std::string& what, const std::vector<std::string>& argv) {
    require_resplits(what, shell_join(argv), argv);
}

/// The word after the launcher's first `option`, or nullopt.
inline std::optional<std::string> option_value(const std::vector<std::string>& argv, std::string_view option) {
    for (std::size_t i = 1; i + 1 < argv.size(); ++i)
        if (argv[i] == option) return argv[i + 1];
    return std::nullopt;
}

// ---- the plan ----

template <class Backend>
void check_plan(const cluster<Backend>& c) {
    const auto& s = c.job().spec();
    const auto& tasks = c.tasks();
    require(static_cast<std::int64_t>(tasks.size()) == effective_task_count(s), "plan: not every task is placed");
    require(static_cast<int>(c.hosts().size()) == effective_node_count(s), "plan: not node_count hosts");
    std::map<std::pair<std::size_t, int>, int> listening;
    std::map<std::size_t, std::vector<int>> gpus_on_host;
    std::vector<int> on_host(c.hosts().size(), 0);
    for (std::size_t r = 0; r < tasks.size(); ++r) {
        const auto& t = tasks[r];
        require(t.rank == static_cast<int>(r), "plan: tasks are not in rank order");
        require(t.host_index < c.hosts().size(), "plan: a task on a host the plan does not have");
        require(r == 0 || t.host_index >= tasks[r - 1].host_index, "plan: a host's tasks are not consecutive");
        require(t.local_rank == on_host[t.host_index]++, "plan: a local rank is not the position on the host");
        const bool listens =
            Backend::kind == backend_kind::parameter_server || Backend::kind == backend_kind::multi_worker;
        if (listens) {
            // Two TensorFlow servers cannot bind one address.
            require(t.port >= 1 && t.port <= 65535, "plan: a TensorFlow task's port is outside 1-65535");
            require(listening[{t.host_index, t.port}]++ == 0,
                    [&] { return "plan: two tasks listen on " + c.address(t); });
        }
        if (t.gpus)
            for (int g : *t.gpus) gpus_on_host[t.host_index].push_back(g);
    }
    for (std::size_t h = 0; h < on_host.size(); ++h)
        require(on_host[h] == c.tasks_per_host()[h], "plan: tasks_per_host disagrees with the tasks");
    const auto declared = effective_gpus_per_node(s).count;
    for (auto& entry : gpus_on_host) {
        const std::size_t on = entry.first;
        auto& gpus = entry.second;
        std::sort(gpus.begin(), gpus.end());
        require(std::adjacent_find(gpus.begin(), gpus.end()) == gpus.end(),
                [&] { return "plan: one GPU of " + c.hosts()[on].name + " given to two tasks"; });
        require(!declared || gpus.empty() || (gpus.front() >= 0 && gpus.back() < *declared),
                "plan: a GPU beyond the node's count");
    }
}

// ---- TF_CONFIG ----

/// Where a Kubeflow TFJob's tasks are reached: the operator's service names
/// and each replica's port named tfjob-port (genClusterSpec).
struct kubeflow_addressing {
    std::string name, kubernetes_namespace, cluster_domain;
    std::map<std::string, int> port_of_replica;  ///< by lower-case replica type
};

inline std::string replica_type_of(task_type t) {
    switch (t) {
        case task_type::chief:
            return "Chief";
        case task_type::worker:
            return "Worker";
        case task_type::ps:
            return "PS";
        case task_type::evaluator:
            return "Evaluator";
    }
    return "";
}

/// The addressing the operator derives from a TFJob manifest.
inline kubeflow_addressing addressing_of_tfjob(const json& tfjob, const std::string& cluster_domain) {
    kubeflow_addressing a;
    a.name = tfjob["metadata"]["name"].get<std::string>();
    a.kubernetes_namespace = tfjob["metadata"].value("namespace", std::string("default"));
    a.cluster_domain = cluster_domain;
    for (auto type : enum_values<task_type>()) {
        const auto replica = replica_type_of(type);
        const auto& specs = tfjob["spec"]["tfReplicaSpecs"];
        if (!specs.contains(replica)) continue;
        int port = default_port;  // the operator's default when no port is named tfjob-port
        for (const auto& container : specs[replica]["template"]["spec"]["containers"])
            if (container.value("name", "") == tfjob_container_name && container.contains("ports"))
                for (const auto& p : container["ports"])
                    if (p.value("name", "") == tfjob_port_name) port = p["containerPort"].get<int>();
        a.port_of_replica[std::string(enum_name(type))] = port;
    }
    return a;
}

/// The cluster and task a profile's launcher gives a task, from the plan
/// (docs/tf_config.md's table, the launchers' own rules).
template <class Backend>
struct tf_expectation {
    const cluster<Backend>& c;
    tf_profile profile;
    const kubeflow_addressing& kubeflow;

    std::string key(task_type t) const {
        return t == task_type::chief && profile == tf_profile::sagemaker ? "master" : std::string(enum_name(t));
    }

    bool in_cluster(task_type t) const {
        switch (profile) {
            case tf_profile::tf2:
            case tf_profile::estimator:
                return t != task_type::evaluator;
            case tf_profile::kubeflow:
                return true;
            case tf_profile::azureml_v1:
                return t == task_type::ps || t == task_type::worker;
            case tf_profile::sagemaker:
                return t != task_type::evaluator;
        }
        return false;
    }

    std::string address(const task& t) const {
        if (profile != tf_profile::kubeflow) return c.address(t);
        const std::string type(enum_name(t.type));
        const auto port = kubeflow.port_of_replica.find(type);
        require(port != kubeflow.port_of_replica.end(),
                [&] { return "TF_CONFIG (kubeflow): the TFJob has no " + type + " replica"; });
        return kubeflow.name + "-" + type + "-" + std::to_string(t.index) + "." + kubeflow.kubernetes_namespace +
               ".svc" + (kubeflow.cluster_domain.empty() ? "" : "." + kubeflow.cluster_domain) + ":" +
               std::to_string(port->second);
    }

    tf_cluster_spec dense() const {
        tf_cluster_spec::cluster_map jobs;
        for (const auto& t : c.tasks())
            if (in_cluster(t.type)) jobs[key(t.type)][t.index] = address(t);
        return tf_cluster_spec(std::move(jobs));
    }

    /// The operator's enableDynamicWorker form, as its Go types write it
    /// (convertClusterSpecToSparseClusterSpec, SparseTFConfig): a worker
    /// sees itself and every ps (null, a nil slice, when the job has none), a
    /// ps itself, any other task nobody; no environment.
    json sparse_for(const task& own) const {
        json worker = json::object();
        json ps = json::array();
        if (own.type == task_type::worker) {
            worker[std::to_string(own.index)] = address(own);
            for (int i = 0; i < c.count(task_type::ps); ++i) ps.push_back(address(c.find(task_type::ps, i)));
            if (ps.empty()) ps = nullptr;
        } else if (own.type == task_type::ps) {
            ps.push_back(address(own));
        }
        return {{"cluster", {{"worker", worker}, {"ps", ps}}},
                {"task", {{"type", std::string(enum_name(own.type))}, {"index", own.index}}}};
    }
};

template <class Backend>
void check_tf_configs(tally& counts, const cluster<Backend>& c, const tf_config_options& options,
                      const kubeflow_addressing& kubeflow) {
    const auto& s = c.job().spec();
    const tf_profile profile = options.profile.value_or(effective_profile(s));
    const bool sparse = options.sparse.value_or(s.tf_config && s.tf_config->sparse.value_or(false));
    const std::string artifact = "TF_CONFIG " + std::string(enum_name(profile)) + (sparse ? " sparse" : "");
    std::vector<task_tf_config> configs;
    if (!attempt(counts, artifact, [&] { configs = tf_configs(c, options); })) return;

    const auto& tasks = c.tasks();
    if (profile == tf_profile::kubeflow && tasks.size() == 1) {
        // The operator sets no TF_CONFIG for a job of one replica.
        require(configs.empty(), [&] { return artifact + ": a TF_CONFIG for a one-replica TFJob"; });
        return;
    }
    require(configs.size() == tasks.size(), [&] { return artifact + ": not one TF_CONFIG a task"; });
    const tf_expectation<Backend> expect{c, profile, kubeflow};
    const tf_cluster_spec dense = expect.dense();
    const tf_consumer consumer = effective_consumer(s);
    const auto owner = model_owner_of(s);
    const std::optional<std::string> rpc_layer =
        options.rpc_layer ? options.rpc_layer : (s.tf_config ? s.tf_config->rpc_layer : std::nullopt);
    for (std::size_t r = 0; r < tasks.size(); ++r) {
        const auto& t = tasks[r];
        const auto& text = configs[r].json;
        const auto which = [&] {
            return artifact + " of " + std::string(enum_name(t.type)) + " " + std::to_string(t.index);
        };
        require(configs[r].type == t.type && configs[r].index == t.index,
                [&] { return which() + ": out of rank order"; });
        if (sparse) {
            // TensorFlow cannot read every task's sparse form (a chief's has no
            // chief, a worker's "ps" may be null): it is checked as the
            // operator writes it.
            require(parsed_json(artifact, text) == expect.sparse_for(t), [&] {
                return which() + ": not the operator's form " + expect.sparse_for(t).dump() + ": " + shown(text);
            });
            continue;
        }
        parsed_tf_config parsed;
        try {
            parsed = parse_tf_config(text, consumer);
        } catch (const tf_config_error& e) {
            throw failure(which() + ": " + std::string(enum_name(consumer)) + " rejects " + shown(text) + ": " +
                          e.what());
        }
        require(parsed.cluster == dense, [&] {
            return which() + ": reads as the cluster " + parsed.cluster.to_json() + ", not " + dense.to_json() + " (" +
                   shown(text) + ")";
        });
        require(parsed.task_type == expect.key(t.type) && parsed.task_index == t.index,
                [&] { return which() + ": reads as another task: " + shown(text); });
        require(parsed.environment == (profile == tf_profile::tf2 ? std::nullopt : std::optional<std::string>("cloud")),
                [&] { return which() + ": environment is not the profile's: " + shown(text); });
        require(parsed.rpc_layer == rpc_layer,
                [&] { return which() + ": rpc_layer is not the job's: " + shown(text); });
        // TensorFlow's chief is the task that owns the model (launch.hpp).
        if (t.type != task_type::evaluator)
            require(parsed.is_chief() == (t.type == owner.type && t.index == owner.index),
                    [&] { return which() + ": TensorFlow's chief is not the model's owner: " + shown(text); });
        if (consumer == tf_consumer::estimator) {
            const auto view = run_config_of(parsed);
            require(!view.is_chief || t.type == task_type::chief || expect.key(t.type) == "master",
                    [&] { return which() + ": RunConfig makes a task other than the chief its chief"; });
        }
    }
    // One task alone, and the streaming form, write the same text.
    const auto& first = tasks.front();
    require(tf_config(c, first.type, first.index, options) == configs.front().json,
            [&] { return artifact + ": tf_config() of one task differs from tf_configs()"; });
    std::size_t seen = 0;
    for_each_tf_config(
        c,
        [&](const task&, std::string_view json_text) {
            require(seen < configs.size() && json_text == configs[seen].json,
                    [&] { return artifact + ": for_each_tf_config() differs from tf_configs()"; });
            ++seen;
        },
        options);
    require(seen == configs.size(), [&] { return artifact + ": for_each_tf_config() left out tasks"; });
}

// ---- MPI ----

/// Horovod's get_host_assignments(): hosts in order, each taking the next
/// ranks up to its slots; cross ranks by local rank across the hosts.
inline std::vector<rank_info> horovod_assignments(const std::vector<host>& hosts, int np) {
    std::vector<int> ranks_on(hosts.size(), 0);
    for (std::size_t h = 0, placed = 0; h < hosts.size(); ++h) {
        ranks_on[h] = std::min<int>(hosts[h].slots, np - static_cast<int>(placed));
        placed += static_cast<std::size_t>(ranks_on[h]);
    }
    std::vector<rank_info> out;
    for (std::size_t h = 0; h < hosts.size(); ++h)
        for (int local = 0; local < ranks_on[h]; ++local) {
            rank_info r;
            r.host_index = h;
            r.rank = static_cast<int>(out.size());
            r.size = np;
            r.local_rank = local;
            r.local_size = ranks_on[h];
            for (std::size_t other = 0; other < hosts.size(); ++other)
                if (ranks_on[other] > local) {
                    if (other < h) ++r.cross_rank;
                    ++r.cross_size;
                }
            out.push_back(r);
        }
    return out;
}

inline void check_rank_table(tally& counts, const cluster<mpi>& c) {
    const auto per_host = ranks_per_host(c);
    const int np = static_cast<int>(c.tasks().size());
    std::vector<rank_info> table;
    if (!attempt(counts, "rank table", [&] { table = rank_table(c); })) return;
    std::vector<host> plan_hosts = c.hosts();
    for (std::size_t h = 0; h < plan_hosts.size(); ++h) plan_hosts[h].slots = c.tasks_per_host()[h];
    require(table == horovod_assignments(plan_hosts, np), "rank table: not Horovod's assignment of the plan's ranks");
    for (std::size_t r = 0; r < table.size(); ++r)
        require(table[r].host_index == c.tasks()[r].host_index && table[r].local_rank == c.tasks()[r].local_rank,
                [&] { return "rank table: rank " + std::to_string(r) + " is not where the plan put it"; });
    std::vector<rank_info> listed;
    if (!attempt(counts, "rank table of hosts", [&] { listed = rank_table(per_host); })) return;
    require(listed == horovod_assignments(per_host, np), "rank table of hosts: not Horovod's assignment");
    const gloo_rendezvous rendezvous{"launcher.example", 12345, {"eth0", "ib0"}};
    for (const auto& r : listed) {
        std::vector<environment_variable> env;
        if (!attempt(counts, "Gloo environment", [&] { env = gloo_environment(per_host, r, rendezvous); })) return;
        std::map<std::string, std::string> vars;
        for (const auto& v : env) vars[v.name] = v.value;
        require(vars["HOROVOD_HOSTNAME"] == per_host[r.host_index].name &&
                    vars["HOROVOD_RANK"] == std::to_string(r.rank) && vars["HOROVOD_SIZE"] == std::to_string(np) &&
                    vars["HOROVOD_LOCAL_RANK"] == std::to_string(r.local_rank) &&
                    vars["HOROVOD_LOCAL_SIZE"] == std::to_string(r.local_size) &&
                    vars["HOROVOD_CROSS_RANK"] == std::to_string(r.cross_rank) &&
                    vars["HOROVOD_CROSS_SIZE"] == std::to_string(r.cross_size),
                [&] { return "Gloo environment of rank " + std::to_string(r.rank) + ": not its slot"; });
    }
}

inline void check_hostfiles(tally& counts, const cluster<mpi>& c) {
    const auto per_host = ranks_per_host(c);
    for (auto flavor : enum_values<mpi_flavor>()) {
        const std::string artifact = "hostfile " + std::string(enum_name(flavor));
        std::string text;
        if (!attempt(counts, artifact, [&] { text = hostfile_text(c, flavor); })) continue;
        std::vector<host> read;
        try {
            read = parse_hostfile(text);
        } catch (const host_list_error& e) {
            throw failure(artifact + ": does not read back: " + e.what() + ": " + shown(text));
        }
        require(read == per_host, [&] { return artifact + ": reads back as other hosts: " + shown(text); });
        // ... and the launcher reads it as the plan's hosts and ranks.
        const auto launcher_reads = written_hosts::launcher_reads(flavor, text);
        require(launcher_reads == per_host,
                [&] { return artifact + ": the launcher reads other hosts from " + shown(text); });
    }
}

inline void check_mpi_command(const std::string& artifact, const cluster<mpi>& c, const mpi_launch_options& o,
                              const launch_command& cmd) {
    const auto launcher = cmd.launcher_argv();
    std::vector<std::string> with_env;
    if (!cmd.launcher_environment.empty()) with_env.push_back("env");
    std::vector<std::string> assignments;
    for (const auto& v : cmd.launcher_environment) assignments.push_back(v.name + "=" + v.value);
    with_env.insert(with_env.end(), assignments.begin(), assignments.end());
    with_env.insert(with_env.end(), launcher.begin(), launcher.end());
    require(cmd.argv == with_env,
            [&] { return artifact + ": argv is not `env NAME=value... launcher...`: " + shown(cmd.argv); });
    require_argv_resplits(artifact + " argv", cmd.argv);
    // sh runs the shell line as the launcher with its variables.
    const auto line = cmd.shell_line();
    const auto command = shell_words::parse_simple_command(line);
    require(command.has_value(), [&] { return artifact + ": the shell line is not a simple command: " + shown(line); });
    std::vector<std::pair<std::string, std::string>> variables;
    for (const auto& v : cmd.launcher_environment) variables.emplace_back(v.name, v.value);
    require(command->assignments == variables && command->argv == launcher, [&] {
        return artifact + ": sh runs " + shown(command->argv) + " from " + shown(line) + ", not " + shown(launcher);
    });

    const std::string program = o.launcher ? *o.launcher : std::string(default_launcher(o.flavor));
    require(!launcher.empty() && launcher.front() == program, [&] { return artifact + ": does not start " + program; });
    const auto np = option_value(launcher, is_hydra(o.flavor) ? "-n" : "-np");
    const auto ranks = std::to_string(c.tasks().size());
    require(np == ranks,
            [&] { return artifact + ": does not start the plan's " + ranks + " ranks: " + shown(launcher); });
    const auto per_host = ranks_per_host(c);
    if (!o.hostfile && !o.hosts_from_allocation) {
        if (is_hydra(o.flavor)) {
            std::string names;
            for (const auto& h : per_host) names += (names.empty() ? "" : ",") + h.name;
            require(option_value(launcher, "-hosts") == names &&
                        option_value(launcher, "-ppn") == std::to_string(per_host.front().slots),
                    [&] { return artifact + ": -hosts and -ppn are not the plan's: " + shown(launcher); });
        } else {
            const auto listed = option_value(launcher, "-H");
            require(listed.has_value(), [&] { return artifact + ": no -H host list: " + shown(launcher); });
            require(parse_host_list(*listed) == per_host,
                    [&] { return artifact + ": -H is not the plan's hosts: " + shown(*listed); });
            if (o.flavor == mpi_flavor::horovodrun)
                require(launcher_host_readers::horovod_host_list(*listed) == per_host,
                        [&] { return artifact + ": horovodrun reads other hosts from -H " + shown(*listed); });
        }
    }
    // The ranks run the job's command, last on the line.
    if (!effective_onnx_export(c.job().spec())) {
        auto command = o.command_prefix;
        const auto script = c.job().script_argv();
        command.insert(command.end(), script.begin(), script.end());
        require(launcher.size() >= command.size() && std::equal(command.rbegin(), command.rend(), launcher.rbegin()),
                [&] { return artifact + ": does not end with the job's command: " + shown(launcher); });
    }
}

inline void check_mpi(tally& counts, const cluster<mpi>& c, const check_options& with, bool hosts_given) {
    const auto& s = c.job().spec();
    const auto own = mpi_launch_options_from(s);
    for (auto flavor : enum_values<mpi_flavor>())
        for (int form = 0; form < 3; ++form) {
            if (!with.runs(static_cast<std::uint64_t>(flavor) * 3 + static_cast<std::uint64_t>(form), 12, 3)) continue;
            auto o = own;
            o.flavor = flavor;
            std::string artifact = "mpirun " + std::string(enum_name(flavor));
            if (form == 1) {
                o.hostfile = "hostfile";
                artifact += " --hostfile";
            } else if (form == 2) {
                if (flavor == mpi_flavor::horovodrun) continue;  // horovodrun has no allocation mode
                o.hosts_from_allocation = true;
                artifact += " in an allocation";
            }
            launch_command cmd;
            if (attempt(counts, artifact, [&] { cmd = mpirun_command(c, o); })) check_mpi_command(artifact, c, o, cmd);
        }
    if (hosts_given) {
        trainspec_gen::render_settings settings;
        settings.source_from_output = "src";
        std::string script;
        if (attempt(counts, "launch.sh", [&] { script = trainspec_gen::mpi_launch_script(c, settings); }) &&
            with.shell_script)
            with.shell_script("launch.sh", script);
    }
    check_hostfiles(counts, c);
    check_rank_table(counts, c);
}

// ---- Kubernetes ----

inline void require_crd_valid(const std::string& artifact, const json& crd, const json& manifest) {
    const auto violations = trainspec_test::validate_structural(crd, manifest);
    std::string listed;
    for (const auto& v : violations) listed += "\n  " + v.to_string();
    require(violations.empty(), [&] { return artifact + ": the API server would refuse it:" + listed; });
}

inline int replicas_of(const json& specs, const std::string& replica) {
    return specs.contains(replica) ? specs[replica].value("replicas", 1) : 0;
}

/// The TFJob, checked against its CRD when `against_crd`.
template <class Backend>
std::optional<json> check_tfjob(tally& counts, const cluster<Backend>& c, const kubeflow_options& o, bool against_crd) {
    ojson manifest;
    if (!attempt(counts, "TFJob", [&] { manifest = tfjob_manifest(c, o); })) return std::nullopt;
    const auto tfjob = parsed_json("TFJob", manifest.dump(2));
    if (against_crd) require_crd_valid("TFJob", crd_schemas::get().tfjob, tfjob);
    const auto& specs = tfjob["spec"]["tfReplicaSpecs"];
    for (auto type : enum_values<task_type>())
        require(replicas_of(specs, replica_type_of(type)) == c.count(type), [&] {
            return "TFJob: " + replica_type_of(type) + " replicas are not the plan's " + std::to_string(c.count(type));
        });
    return tfjob;
}

inline void check_mpijob(tally& counts, const cluster<mpi>& c, const kubeflow_options& o) {
    ojson manifest;
    if (!attempt(counts, "MPIJob", [&] { manifest = mpijob_manifest(c, o); })) return;
    const auto mpijob = parsed_json("MPIJob", manifest.dump(2));
    require_crd_valid("MPIJob", crd_schemas::get().mpijob, mpijob);
    // mpi-operator's hostfile: every Worker replica with slotsPerWorker slots.
    const auto& spec = mpijob["spec"];
    const int workers = replicas_of(spec["mpiReplicaSpecs"], "Worker");
    const int slots = spec.value("slotsPerWorker", 1);
    require(workers == static_cast<int>(c.hosts().size()) && slots == effective_process_count_per_node(c.job().spec()),
            [&] {
                return "MPIJob: " + std::to_string(workers) + " workers of " + std::to_string(slots) +
                       " slots are not the plan's hosts and ranks";
            });
    const auto& launcher = spec["mpiReplicaSpecs"]["Launcher"]["template"]["spec"]["containers"][0];
    std::vector<std::string> argv = launcher.value("command", std::vector<std::string>{});
    const auto args = launcher.value("args", std::vector<std::string>{});
    argv.insert(argv.end(), args.begin(), args.end());
    const auto flavor = o.flavor.value_or(effective_mpi_flavor(c.job().spec()));
    if (std::find(argv.begin(), argv.end(), "-c") == argv.end())
        require(option_value(argv, is_hydra(flavor) ? "-n" : "-np") == std::to_string(c.tasks().size()),
                [&] { return "MPIJob: the launcher does not start the plan's ranks: " + shown(argv); });
}

/// The trial template with trial 0's values put in, as Katib substitutes
/// them, is trial 0's own job's manifest.
inline void check_katib_trial(const job_spec& s, const json& experiment) {
    const auto& sweep = *s.sweep;
    if (effective_sampling(sweep) == sampling_kind::bayesian || effective_onnx_export(s)) return;
    const auto ids = detail::sweep_parameter_ids(sweep);
    const sweep_trials trials(s);
    // Katib writes the template as JSON and replaces each placeholder's text
    // with the value's, as it is.
    std::string rendered = experiment["spec"]["trialTemplate"]["trialSpec"].dump();
    std::size_t p = 0;
    for (const auto& value : trials.trial(0)) {
        const std::string placeholder = "${trialParameters." + ids[p++] + "}";
        const auto words = to_arguments(value.value);
        const std::string text = words.empty() ? std::string() : words[0];
        for (auto at = rendered.find(placeholder); at != std::string::npos; at = rendered.find(placeholder, at)) {
            rendered.replace(at, placeholder.size(), text);
            at += text.size();
        }
    }
    auto own = trial_spec(s, 0);
    if (sweep.limits && sweep.limits->trial_timeout) own.max_run_duration_seconds = *sweep.limits->trial_timeout;
    const auto manifest = kubeflow_manifest(plan(make_job(own)), kubeflow_options{});
    require(manifest.has_value(), "Katib Experiment: a trial's job has no Kubeflow manifest");
    json expected = json::parse(manifest->dump());
    expected["metadata"].erase("name");
    expected["metadata"].erase("namespace");
    if (expected["metadata"].empty()) expected.erase("metadata");
    require(parsed_json("Katib trial 0", rendered) == expected, [&] {
        return "Katib Experiment: trial 0's template with its values put in is not trial 0's own job: " +
               shown(rendered);
    });
}

inline void check_katib(tally& counts, const any_job& j) {
    ojson rendered;
    if (!attempt(counts, "Katib Experiment", [&] { rendered = katib_experiment(j); })) return;
    const auto experiment = parsed_json("Katib Experiment", rendered.dump(2));
    const auto katib = katib_oracle::katib_config::standalone().with_mpijob_v2beta1();
    const auto refused = katib_oracle::admission_errors(experiment, katib);
    require(refused.empty(),
            [&] { return "Katib Experiment: Katib's admission refuses it: " + katib_oracle::to_aggregate(refused); });
    const auto later = katib_oracle::check_after_admission(experiment, katib);
    require(later.empty(),
            [&] { return "Katib Experiment: its trials would fail: " + katib_oracle::to_aggregate(later); });
    const auto& trial = experiment["spec"]["trialTemplate"]["trialSpec"];
    const auto& crd = trial.value("kind", "") == "MPIJob" ? crd_schemas::get().mpijob : crd_schemas::get().tfjob;
    const auto violations = trainspec_test::validate_value(crd["openAPIV3Schema"], trial);
    std::string listed;
    for (const auto& v : violations) listed += "\n  " + v.to_string();
    require(violations.empty(), [&] { return "Katib Experiment: the trial's job breaks its CRD:" + listed; });
    check_katib_trial(spec_of(j), experiment);
}

// ---- Slurm ----

template <class Backend>
void check_sbatch(tally& counts, const cluster<Backend>& c, const slurm_options& o, const std::string& artifact,
                  const check_options& with) {
    std::string script;
    if (!attempt(counts, artifact, [&] { script = sbatch_script(c, o); })) return;
    // sbatch reads #SBATCH lines up to the first command.
    std::map<std::string, std::string> request;
    bool commands = false;
    std::size_t at = 0;
    while (at < script.size()) {
        const auto end = std::min(script.find('\n', at), script.size());
        const std::string line = script.substr(at, end - at);
        at = end + 1;
        if (line.rfind("#SBATCH ", 0) == 0) {
            require(!commands, [&] { return artifact + ": an #SBATCH line after the first command: " + shown(line); });
            const auto word = line.substr(8);
            const auto eq = word.find('=');
            request[word.substr(0, eq)] = eq == std::string::npos ? "" : word.substr(eq + 1);
        } else if (!line.empty() && line.front() != '#') {
            commands = true;
        }
    }
    const auto number = [&](const char* option) -> long {
        const auto found = request.find(option);
        require(found != request.end(), [&] { return artifact + ": no " + option; });
        return std::stol(found->second);
    };
    const long nodes = number("--nodes"), ntasks = number("--ntasks"), per_node = number("--ntasks-per-node");
    const long busiest = *std::max_element(c.tasks_per_host().begin(), c.tasks_per_host().end());
    require(nodes == static_cast<long>(c.hosts().size()) && ntasks == nodes * per_node && per_node >= busiest,
            [&] { return artifact + ": the allocation does not hold the plan: " + shown(script.substr(0, 300)); });
    const auto& sweep = c.job().spec().sweep;
    const auto array = request.find("--array");
    require((array != request.end()) == sweep.has_value(),
            [&] { return artifact + ": a job array iff the job is a sweep"; });
    if (sweep) {
        const auto trials = planned_trial_count(*sweep);
        require(array->second.rfind("0-" + std::to_string(trials - 1), 0) == 0, [&] {
            return artifact + ": the array is not the sweep's " + std::to_string(trials) + " trials: " + array->second;
        });
    }
    if (with.shell_script) with.shell_script(artifact, script);
}

// ---- the job's image, docker run, Azure ML ----

inline void check_job_artifacts(tally& counts, const any_job& j, const environment_file_contents& files) {
    const auto& s = spec_of(j);
    job_image image;
    if (attempt(counts, "image", [&] { image = image_of(j, files); })) {
        require(image.built == builds_image(s), "image: built is not builds_image()");
        const image_build_paths paths{"/ctx", s.source_directory};
        for (const auto& argv : image_build_commands(image, paths)) require_argv_resplits("docker build", argv);
    }
    std::string text;
    if (builds_image(s)) attempt(counts, "Dockerfile", [&] { text = dockerfile(j); });
    attempt(counts, "environment.yml", [&] { text = conda_environment_yaml(j); });
    if (attempt(counts, "requirements.txt", [&] { text = requirements_txt(j); })) {
        // pip reads a line that starts with '-' as an option.
        std::size_t at = 0;
        while (at < text.size()) {
            require(text[at] != '-', [&] { return "requirements.txt: a line pip reads as an option: " + shown(text); });
            at = text.find('\n', at);
            if (at == std::string::npos) break;
            ++at;
        }
    }
    for (const auto& argv : training_command(j)) require_argv_resplits("training command", argv);
    if (backend_of(j) == backend_kind::single_node && !s.sweep) {
        std::vector<std::string> argv;
        docker_run_options o;
        o.environment_files = files;
        if (attempt(counts, "docker run", [&] { argv = docker_run_argv(j, o); })) {
            require_argv_resplits("docker run", argv);
            require(argv.size() > 3 && argv[0] == "docker" && argv[1] == "run", "docker run: not `docker run`");
        }
    }
    ojson azure;
    const bool sweep = s.sweep.has_value();
    if (attempt(counts, sweep ? "Azure ML sweep job" : "Azure ML command job",
                [&] { azure = sweep ? azureml_sweep_job(j) : azureml_command_job(j); })) {
        const auto doc = parsed_json("Azure ML job", azure.dump(2));
        const auto& body = sweep ? doc["trial"] : doc;
        require(body["resources"]["instance_count"] == effective_node_count(s),
                "Azure ML job: instance_count is not node_count");
        if (sweep)
            require(doc["limits"]["max_total_trials"].get<int>() <= max_azureml_sweep_trials,
                    "Azure ML sweep job: more trials than Azure ML runs");
        // Azure ML evaluates every ${{ <expression> }}: the only ones are the
        // sweep's placeholders, one for each swept parameter.
        const auto text = azure.dump();
        std::size_t expressions = 0;
        for (auto at = text.find("${{"); at != std::string::npos; at = text.find("${{", at + 3)) ++expressions;
        require(expressions == (sweep ? s.sweep->search_space.size() : 0),
                [&] { return "Azure ML job: " + std::to_string(expressions) + " ${{ expressions:\n" + azure.dump(2); });
    }
}

// ---- trainspec-gen's files ----

inline void check_program_artifacts(tally& counts, const any_job& j, const std::optional<any_cluster>& planned,
                                    const environment_file_contents& files, const check_options& with) {
    for (const bool generate : {false, true}) {
        if (!with.runs(generate ? 1 : 0, 2, 4)) continue;
        trainspec_gen::render_settings settings;
        settings.environment_files = files;
        if (generate) settings.source_from_output = "../src";
        for (const auto& entry : trainspec_gen::artifacts()) {
            if (entry.needs_plan && !planned) continue;
            const std::string artifact = "trainspec-gen " + std::string(entry.file) + (generate ? " (generate)" : "");
            std::string text;
            if (!attempt(counts, artifact, [&] {
                    text = trainspec_gen::artifact_file_content(
                        entry.kind, trainspec_gen::render_artifact(entry.kind, j, planned, settings));
                }))
                continue;
            if (entry.file.size() > 5 && entry.file.substr(entry.file.size() - 5) == ".json")
                (void)parsed_json(artifact, text);
            const bool script = trainspec_gen::is_script(entry.kind) || entry.kind == trainspec_gen::artifact::slurm;
            if (script && with.shell_script) with.shell_script(artifact, text);
        }
    }
}

// ---- one plan ----

/// Every TF_CONFIG profile, and the kubeflow one's sparse form; the kubeflow
/// profile's addresses are the TFJob's names and port when it rendered.
template <class Backend>
void check_tf_config_profiles(tally& counts, const cluster<Backend>& c, const kubeflow_options& ko,
                              const std::optional<json>& tfjob, const check_options& with) {
    const auto& s = c.job().spec();
    kubeflow_addressing kubeflow;
    if (tfjob) {
        kubeflow = addressing_of_tfjob(*tfjob, ko.cluster_domain);
    } else {
        // No TFJob to read them from: the job's name, and the port its
        // TFJob would give every replica, the model owner's.
        kubeflow.name = effective_job_name(s);
        kubeflow.kubernetes_namespace = ko.kubernetes_namespace;
        kubeflow.cluster_domain = ko.cluster_domain;
        const int port = c.find(model_owner_of(s).type, 0).port;
        for (auto type : enum_values<task_type>()) kubeflow.port_of_replica[std::string(enum_name(type))] = port;
    }
    const auto profiles = enum_values<tf_profile>();
    for (std::size_t k = 0; k <= profiles.size(); ++k) {
        if (!with.runs(k, profiles.size() + 1, 2)) continue;
        tf_config_options o;
        o.profile = k < profiles.size() ? profiles[k] : tf_profile::kubeflow;
        if (k == profiles.size()) o.sparse = true;
        o.kubernetes_namespace = ko.kubernetes_namespace;
        o.cluster_domain = ko.cluster_domain;
        check_tf_configs(counts, c, o, kubeflow);
    }
}

template <class Backend>
void check_planned(tally& counts, const cluster<Backend>& c, const check_options& with, bool synthesized) {
    check_plan(c);
    const auto& s = c.job().spec();
    const auto model = describe_launch(c);
    for (auto type : enum_values<task_type>()) {
        const auto* role = find_role(model, type);
        require((role ? role->count : 0) == c.count(type), "launch model: roles are not the plan's tasks");
    }
    for (const auto& step : model.steps) require_argv_resplits("launch step", step.argv);

    kubeflow_options ko;
    if (synthesized) {
        ko.kubernetes_namespace = "team-a";
        ko.cluster_domain = "cluster.local";
    }
    if (s.pip_requirements_file) ko.environment_files.pip_requirements_file = "numpy\n";
    if (s.conda_dependencies_file) ko.environment_files.conda_dependencies_file = "dependencies: [numpy]\n";
    const bool kubernetes = with.covers(artifact_group::kubernetes);
    if constexpr (has_tf_config_v<Backend>) {
        const bool tf_config = with.covers(artifact_group::tf_config);
        std::optional<json> tfjob;
        if (kubernetes || tf_config) tfjob = check_tfjob(counts, c, ko, kubernetes);
        if (tf_config) check_tf_config_profiles(counts, c, ko, tfjob, with);
    }
    if constexpr (std::is_same_v<Backend, mpi>) {
        if (kubernetes) check_mpijob(counts, c, ko);
        if (with.covers(artifact_group::mpi)) check_mpi(counts, c, with, synthesized);
    }
    if (with.covers(artifact_group::slurm)) {
        slurm_options so;
        so.environment_files = ko.environment_files;
        check_sbatch(counts, c, so, "sbatch", with);
        if constexpr (std::is_same_v<Backend, mpi>) {
            so.launcher = "mpirun";
            check_sbatch(counts, c, so, "sbatch (mpirun)", with);
        }
    }
}

/// Hosts for a job: node_count of them, with room for the busiest node's tasks.
inline std::vector<host> synthesized_hosts(const job_spec& s) {
    const int nodes = effective_node_count(s);
    const auto tasks = effective_task_count(s);
    const int slots = static_cast<int>((tasks + nodes - 1) / nodes);
    return generate_hosts("node-{index}.example", nodes, std::max(slots, 1));
}

// ---- the entry points ----

/// A spec that validate() refuses: every problem names a field and a rule,
/// and make_job() throws the same problems.
inline void check_refusal(const job_spec& s, const problems& found) {
    for (const auto& p : found)
        require(!p.path.empty() && !p.rule.empty(),
                [&] { return "validate: a problem without a field or a rule: " + to_string(p); });
    try {
        (void)make_job(s);
    } catch (const validation_error& e) {
        require(e.all() == found, "make_job: refuses with other problems than validate()");
        return;
    } catch (const std::exception& e) {
        throw failure(std::string("make_job: threw ") + typeid(e).name() + ", not validation_error: " + e.what());
    }
    throw failure("make_job: accepted a spec validate() refuses");
}

/// The spec's JSON form reads back as the same job.
inline void check_spec_json(const job_spec& s) {
    std::string written;
    try {
        written = dump_spec(s);
    } catch (const std::exception& e) {
        throw failure(std::string("spec JSON: dump_spec threw ") + typeid(e).name() + ": " + e.what());
    }
    const auto problems_read = trainspec::check_spec(written);
    require(problems_read.empty(), [&] { return "spec JSON: the written spec has problems: " + shown(written); });
    try {
        require(spec_of(load_job(written)) == s,
                [&] { return "spec JSON: does not read back as the same spec: " + shown(written); });
    } catch (const trainspec::error& e) {
        throw failure("spec JSON: the written spec does not load: " + std::string(e.what()));
    }
}

/// A spec that validate() accepts: every artifact renders or is refused by
/// name, and passes its checks. Throws failure.
inline void check_job(const job_spec& s, tally& counts, const check_options& with) {
    if (with.covers(artifact_group::job_files)) check_spec_json(s);
    const any_job j = make_job(s);
    environment_file_contents files;
    if (s.pip_requirements_file) files.pip_requirements_file = "numpy\n";
    if (s.conda_dependencies_file) files.conda_dependencies_file = "dependencies: [numpy]\n";
    if (with.covers(artifact_group::job_files)) check_job_artifacts(counts, j, files);
    if (s.sweep && with.covers(artifact_group::kubernetes)) check_katib(counts, j);

    // The plan on the job's own hosts (or generated ones), and on hosts
    // given to plan() with a port of their own.
    std::optional<any_cluster> planned;
    if (attempt(counts, "plan", [&] { planned = plan(j); }) && with.runs(0, 2, 1))
        std::visit([&](const auto& c) { check_planned(counts, c, with, false); }, *planned);
    plan_options on;
    on.hosts = synthesized_hosts(s);
    on.port = 3000;
    std::optional<any_cluster> on_hosts;
    if (with.runs(1, 2, 1) && attempt(counts, "plan on hosts", [&] { on_hosts = plan(j, on); }))
        std::visit([&](const auto& c) { check_planned(counts, c, with, true); }, *on_hosts);
    if (with.covers(artifact_group::program)) check_program_artifacts(counts, j, planned, files, with);

    // A grid or random sweep's first trials are jobs of their own.
    if (s.sweep && effective_sampling(*s.sweep) != sampling_kind::bayesian) {
        const sweep_trials trials(s);
        for (std::int64_t t = 0; t < trials.size() && t < (with.variant_seed ? 1 : 2); ++t) {
            const auto trial = trial_spec(s, t);
            const auto found = validate(trial);
            require(found.empty(), [&] {
                return "sweep: trial " + std::to_string(t) +
                       " is not a valid job: " + (found.empty() ? std::string() : to_string(found.front()));
            });
            check_job(trial, counts, with);
        }
    }
}

/// Any spec: refused with named problems, or every artifact renders or is
/// refused by name and passes its checks. Throws failure.
inline void check_spec_artifacts(const job_spec& s, tally& counts, const check_options& with = {}) {
    problems found;
    try {
        found = validate(s);
    } catch (const std::exception& e) {
        throw failure(std::string("validate: threw ") + typeid(e).name() + ": " + e.what());
    }
    if (!found.empty()) {
        ++counts.invalid_jobs;
        check_refusal(s, found);
        return;
    }
    ++counts.valid_jobs;
    check_job(s, counts, with);
}

}  // namespace render_checks
