#pragma once
// Slurm batch scripts (`sbatch`) for planned jobs.
//
// The script asks Slurm for the plan's shape (nodes, tasks per node, GPUs,
// time) and launches with the hosts Slurm allocates at run time:
//
//   * mpi: `srun` (or `mpirun` inside the allocation) starts the ranks, P per
//     node, host by host as in the plan;
//   * ps / multi_worker: `srun` starts one task per slot; each task looks up
//     its (node index, local index) in a table taken from the plan and sets
//     its own TF_CONFIG, built in POSIX sh from the allocated host names
//     (`scontrol show hostnames "$SLURM_JOB_NODELIST"`, node i = the i-th
//     name). The table holds the TF_CONFIG the profile writes, with each host
//     replaced by its node's name, so the text is byte for byte what
//     tf_config() gives for a plan made with the allocated hosts. A node with
//     fewer tasks than the busiest one leaves slots free; those exit at once;
//   * single_node: one task.
//
// The placement (which task runs on which node, ports, GPUs) is the plan's:
// the script is only correct for allocations whose nodes have the slots the
// plan assumed. Everything the user wrote is shell-quoted; values Slurm reads
// from `#SBATCH` lines (which the shell never sees) are checked instead.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include <trainspec/backend.hpp>
#include <trainspec/detail/json_text.hpp>
#include <trainspec/job_spec.hpp>
#include <trainspec/mpi_flavor.hpp>
#include <trainspec/names.hpp>
#include <trainspec/plan.hpp>
#include <trainspec/problem.hpp>
#include <trainspec/resource_names.hpp>
#include <trainspec/script_params.hpp>
#include <trainspec/shell_quote.hpp>
#include <trainspec/tf_config.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

struct slurm_options {
    std::optional<std::string> partition;  ///< `#SBATCH --partition`
    /// The task's argv; empty: ["python", entry_script, script_params...].
    std::vector<std::string> command;
    /// mpi jobs: "srun" or "mpirun" (the job's MPI flavor, inside the allocation).
    std::string launcher = "srun";
    std::optional<std::string> srun_mpi;  ///< mpi jobs with srun: `--mpi=` (pmix, pmi2, ...)
    /// `--time` in minutes; default: max_run_duration_seconds rounded up (none when unset).
    std::optional<int> time_limit_minutes;
    std::optional<int> port;    ///< re-plans with this first port
    bool unique_ports = false;  ///< re-plans with one port per task (port + rank)
    bool gres = false;          ///< `--gres=gpu:N` instead of `--gpus-per-node=N`
    /// `#SBATCH --output`; default `<job name>-%j.out`.
    std::optional<std::string> output;
    std::optional<std::string> working_directory;  ///< `#SBATCH --chdir`
    tf_config_options tf_config;                   ///< how TF_CONFIG is written (profile, rpc layer)
};

/// One row of the script's task table: the task a Slurm slot runs.
struct slurm_task_slot {
    int node = 0;   ///< SLURM_NODEID: index into the allocated hosts
    int local = 0;  ///< SLURM_LOCALID
    task_type type = task_type::worker;
    int index = 0;
    int port_offset = 0;  ///< port - the plan's first port
};

namespace detail {

inline constexpr std::string_view slurm_host_marker = "@trainspec-node-";

inline void slurm_problem(const std::string& path, const std::string& value, const std::string& rule) {
    throw validation_error({{path, value, rule}});
}

/// A value on an `#SBATCH` line: Slurm, not the shell, reads it.
inline void check_sbatch_value(const std::string& path, const std::string& value) {
    bool ok = !value.empty();
    for (char c : value)
        if (!(detail::is_shell_safe(c) || c == '[' || c == ']' || c == '~' || c == '#')) ok = false;
    if (!ok)
        slurm_problem(path, quote_json(value),
                      "must be non-empty, of letters, digits and _ @ % + = : , . / - [ ] ~ # (an #SBATCH line is "
                      "not read by the shell)");
}

inline std::string slurm_time(std::int64_t minutes) {
    const std::int64_t days = minutes / (24 * 60);
    const std::int64_t hours = minutes / 60 % 24;
    return fmt::format("{}-{:02}:{:02}:00", days, hours, minutes % 60);
}

template <class Backend>
cluster<Backend> slurm_cluster(const cluster<Backend>& c, const slurm_options& o) {
    if (!o.port && !o.unique_ports) return c;
    plan_options p;
    p.hosts = c.hosts();
    p.port = o.port;
    p.unique_ports = o.unique_ports;
    if (!o.port && c.job().spec().port) p.port = c.job().spec().port;
    return plan(c.job(), p);
}

inline std::vector<int> tasks_per_node(const std::vector<host>& hosts, const std::vector<task>& tasks) {
    std::vector<int> counts(hosts.size(), 0);
    for (const auto& t : tasks)
        for (std::size_t h = 0; h < hosts.size(); ++h)
            if (hosts[h].name == t.host) ++counts[h];
    return counts;
}

inline std::size_t node_of(const std::vector<host>& hosts, const std::string& name) {
    for (std::size_t h = 0; h < hosts.size(); ++h)
        if (hosts[h].name == name) return h;
    return 0;
}

/// The sh word for a text in which markers stand for allocated host names.
inline std::string shell_word_with_hosts(const std::string& text) {
    std::string out;
    std::string literal;
    auto flush = [&] {
        if (!literal.empty()) out += shell_quote(literal);
        literal.clear();
    };
    std::size_t i = 0;
    while (i < text.size()) {
        if (text.compare(i, slurm_host_marker.size(), slurm_host_marker) == 0) {
            std::size_t j = i + slurm_host_marker.size();
            std::size_t k = j;
            while (k < text.size() && text[k] >= '0' && text[k] <= '9') ++k;
            if (k > j && k < text.size() && text[k] == '@') {
                flush();
                out += "\"${TRAINSPEC_HOST_" + text.substr(j, k - j) + "}\"";
                i = k + 1;
                continue;
            }
        }
        literal += text[i++];
    }
    flush();
    if (out.empty()) out = "''";
    return out;
}

inline std::vector<std::string> slurm_command(const job_spec& s, const slurm_options& o) {
    if (!o.command.empty()) return o.command;
    std::vector<std::string> argv{"python", s.entry_script};
    for (auto& a : to_argv(s.params)) argv.push_back(std::move(a));
    return argv;
}

inline int slurm_gpus_per_node(const job_spec& s, const std::vector<host>& hosts, const std::vector<task>& tasks) {
    if (s.target && s.target->gpus_per_node && *s.target->gpus_per_node > 0) return *s.target->gpus_per_node;
    int most = 1;
    for (const auto& h : hosts) {
        int n = 0;
        for (const auto& t : tasks)
            if (t.host == h.name && computes_on_gpu(effective_backend(s), t.type)) ++n;
        most = std::max(most, n);
    }
    return most;
}

inline std::string gpu_list(const std::vector<int>& gpus) {
    std::string out;
    for (std::size_t i = 0; i < gpus.size(); ++i) {
        if (i != 0) out += ',';
        out += std::to_string(gpus[i]);
    }
    return out;
}

}  // namespace detail

/// The task table of a parameter-server or multi-worker plan, by rank.
template <class Backend>
std::vector<slurm_task_slot> slurm_task_table(const cluster<Backend>& c) {
    detail::require_tf_config_backend<Backend>();
    const int base =
        c.tasks().empty() ? 0 : std::min_element(c.tasks().begin(), c.tasks().end(), [](const task& a, const task& b) {
                                    return a.port < b.port;
                                })->port;
    std::vector<slurm_task_slot> out;
    for (const auto& t : c.tasks())
        out.push_back(
            {static_cast<int>(detail::node_of(c.hosts(), t.host)), t.local_rank, t.type, t.index, t.port - base});
    return out;
}

/// The per-task part of the script for a parameter-server or multi-worker
/// job: run as `sh -c CODE trainspec-task ARGV...` with SLURM_NODEID,
/// SLURM_LOCALID and TRAINSPEC_HOST_0.. (the allocated host names) set, it
/// exports the task's TF_CONFIG (and CUDA_VISIBLE_DEVICES where the plan
/// restricts GPUs) and execs ARGV; a slot without a task exits 0.
template <class Backend>
std::string slurm_task_code(const cluster<Backend>& planned, const slurm_options& o = {}) {
    detail::require_tf_config_backend<Backend>();
    const auto c = detail::slurm_cluster(planned, o);
    // The same plan with every host replaced by a marker for its node index.
    std::vector<host> marked_hosts = c.hosts();
    for (std::size_t h = 0; h < marked_hosts.size(); ++h)
        marked_hosts[h].name = std::string(detail::slurm_host_marker) + std::to_string(h) + "@";
    std::vector<task> marked_tasks = c.tasks();
    for (auto& t : marked_tasks) t.host = marked_hosts[detail::node_of(c.hosts(), t.host)].name;
    const auto marked = detail::make_cluster<Backend>(c.job(), marked_hosts, marked_tasks);
    const detail::tf_config_writer writer(marked, o.tf_config);

    std::string code;
    code += "set -eu\n";
    code += "case \"${SLURM_NODEID:?}:${SLURM_LOCALID:?}\" in\n";
    for (const auto& t : marked_tasks) {
        const auto node = detail::node_of(marked_hosts, t.host);
        code += fmt::format("{}:{}) # {}:{} port {}\n", node, t.local_rank, task_type_name(t.type), t.index, t.port);
        if (auto json = writer.render(t.type, t.index)) {
            code += "    TF_CONFIG=" + detail::shell_word_with_hosts(*json) + "\n";
            code += "    export TF_CONFIG\n";
        }
        if (t.gpus)
            code += "    CUDA_VISIBLE_DEVICES=" + shell_quote(detail::gpu_list(*t.gpus)) +
                    "; export CUDA_VISIBLE_DEVICES\n";
        code += "    ;;\n";
    }
    code += "*) exit 0 ;; # a slot the plan leaves free\n";
    code += "esac\n";
    code += "exec \"$@\"\n";
    return code;
}

/// The `sbatch` script of a planned job. Throws validation_error for values
/// Slurm cannot take (partition, output pattern, time limit, launcher).
template <class Backend>
std::string sbatch_script(const cluster<Backend>& planned, const slurm_options& o = {}) {
    const auto c = detail::slurm_cluster(planned, o);
    const auto& s = c.job().spec();
    const auto backend = effective_backend(s);
    const auto name = effective_job_name(s);
    detail::check_sbatch_value("name", name);
    if (o.partition) detail::check_sbatch_value("partition", *o.partition);
    const std::string output = o.output.value_or(name + "-%j.out");
    detail::check_sbatch_value("output", output);
    if (o.working_directory) detail::check_sbatch_value("working_directory", *o.working_directory);
    if (o.srun_mpi) detail::check_sbatch_value("srun_mpi", *o.srun_mpi);
    if (backend == backend_kind::mpi && o.launcher != "srun" && o.launcher != "mpirun")
        detail::slurm_problem("launcher", detail::quote_json(o.launcher), "must be \"srun\" or \"mpirun\"");

    const auto& hosts = c.hosts();
    const auto& tasks = c.tasks();
    const auto per_node = detail::tasks_per_node(hosts, tasks);
    const int nodes = static_cast<int>(hosts.size());
    const int most = per_node.empty() ? 1 : *std::max_element(per_node.begin(), per_node.end());
    const bool uniform = std::all_of(per_node.begin(), per_node.end(), [most](int n) { return n == most; });
    const int slots = nodes * most;

    std::optional<std::int64_t> minutes;
    if (o.time_limit_minutes) {
        if (*o.time_limit_minutes < 1)
            detail::slurm_problem("time_limit_minutes", std::to_string(*o.time_limit_minutes), "must be at least 1");
        minutes = *o.time_limit_minutes;
    } else if (s.max_run_duration_seconds && *s.max_run_duration_seconds > 0) {
        minutes = (*s.max_run_duration_seconds + 59) / 60;
    }

    std::string out;
    out += "#!/bin/sh\n";
    out += "#SBATCH --job-name=" + name + "\n";
    out += fmt::format("#SBATCH --nodes={}\n", nodes);
    out += fmt::format("#SBATCH --ntasks={}\n", slots);
    out += fmt::format("#SBATCH --ntasks-per-node={}\n", most);
    if (effective_use_gpu(s)) {
        const int gpus = detail::slurm_gpus_per_node(s, hosts, tasks);
        out +=
            o.gres ? fmt::format("#SBATCH --gres=gpu:{}\n", gpus) : fmt::format("#SBATCH --gpus-per-node={}\n", gpus);
    }
    if (minutes) out += "#SBATCH --time=" + detail::slurm_time(*minutes) + "\n";
    if (o.partition) out += "#SBATCH --partition=" + *o.partition + "\n";
    if (o.working_directory) out += "#SBATCH --chdir=" + *o.working_directory + "\n";
    out += "#SBATCH --output=" + output + "\n";
    out +=
        fmt::format("# trainspec: {} job {}, {} task(s) on {} node(s)", spec_name(backend), name, tasks.size(), nodes);
    if (!uniform) {
        out += "; per node:";
        for (int n : per_node) out += fmt::format(" {}", n);
        out += " (free slots exit at once)";
    }
    out += "\nset -eu\n";

    for (const auto& e : s.environment_variables) out += "export " + e.name + "=" + shell_quote(e.value) + "\n";

    const auto argv = detail::slurm_command(s, o);
    const std::string step = fmt::format("--nodes={} --ntasks={} --ntasks-per-node={}", nodes, slots, most);

    if constexpr (has_tf_config_v<Backend>) {
        out += "\n# The allocated hosts, in node order: node i is TRAINSPEC_HOST_i.\n";
        out += "trainspec_nodes=0\n";
        out += "for trainspec_host in $(scontrol show hostnames \"$SLURM_JOB_NODELIST\"); do\n";
        out += "    case $trainspec_host in\n";
        out += "        '' | *[!A-Za-z0-9._-]*)\n";
        out += "            echo \"trainspec: unexpected host name '$trainspec_host'\" >&2\n";
        out += "            exit 1\n";
        out += "            ;;\n";
        out += "    esac\n";
        out += "    eval \"TRAINSPEC_HOST_$trainspec_nodes=\\$trainspec_host\"\n";
        out += "    export \"TRAINSPEC_HOST_$trainspec_nodes\"\n";
        out += "    trainspec_nodes=$((trainspec_nodes + 1))\n";
        out += "done\n";
        out += fmt::format("if [ \"$trainspec_nodes\" -ne {} ]; then\n", nodes);
        out += fmt::format("    echo \"trainspec: the plan needs {} node(s), Slurm allocated $trainspec_nodes\" >&2\n",
                           nodes);
        out += "    exit 1\n";
        out += "fi\n";
        out += "\n# Each task finds its TF_CONFIG by (SLURM_NODEID:SLURM_LOCALID).\n";
        out += "trainspec_task=$(cat <<'TRAINSPEC_TASK'\n" + slurm_task_code(planned, o) + "TRAINSPEC_TASK\n)\n";
        out += "\nexec srun " + step + " /bin/sh -c \"$trainspec_task\" trainspec-task " + shell_join(argv) + "\n";
    } else if constexpr (std::is_same_v<Backend, mpi>) {
        out += "\n";
        if (o.launcher == "srun") {
            out += "exec srun " + step;
            if (o.srun_mpi) out += " --mpi=" + *o.srun_mpi;
            out += " " + shell_join(argv) + "\n";
        } else {
            const auto flavor = effective_mpi_flavor(s);
            if (flavor == mpi_flavor::openmpi || flavor == mpi_flavor::horovodrun)
                out += fmt::format("exec mpirun -np {} --map-by ppr:{}:node ", slots, most);
            else
                out += fmt::format("exec mpirun -np {} -ppn {} ", slots, most);
            out += shell_join(argv) + "\n";
        }
    } else {
        out += "\nexec srun " + step + " " + shell_join(argv) + "\n";
    }
    return out;
}

TRAINSPEC_END_NAMESPACE
