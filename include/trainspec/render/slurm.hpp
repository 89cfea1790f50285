#pragma once
// Slurm batch scripts (`sbatch`) for planned jobs, written from the launch
// model (launch.hpp). docs/slurm.md says what each line makes Slurm do and
// which cluster settings it relies on.
//
// The script asks for the plan's shape (nodes, tasks per node, CPUs per
// task, GPUs per node, time), changes to the source directory, and starts
// every task with one `srun` step, the job's variables set inside the task
// only:
//   * ps / multi_worker: each task finds its row of the plan's task table by
//     (SLURM_NODEID, SLURM_LOCALID) and builds its TF_CONFIG from the hosts
//     Slurm allocated, byte for byte what tf_config() gives for a plan made
//     with them; its GPUs are positions within what Slurm granted. The end
//     of the chief (else worker 0) ends the job: the other tasks (parameter
//     servers never exit) are then stopped and exit 0;
//   * mpi: `srun --mpi=PLUGIN` starts the ranks (or `mpirun` inside the
//     allocation);
//   * single_node: one task.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/error.hpp>
#include <trainspec/launch.hpp>
#include <trainspec/plan.hpp>
#include <trainspec/render/job_image.hpp>
#include <trainspec/render/mpi.hpp>
#include <trainspec/render/shell_quote.hpp>
#include <trainspec/render/tf_config.hpp>
#include <trainspec/spec/backend.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/mpi_flavor.hpp>
#include <trainspec/spec/names.hpp>
#include <trainspec/spec/resource_names.hpp>
#include <trainspec/spec/slurm_environment.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

struct slurm_options {
    std::optional<std::string> partition;  ///< `#SBATCH --partition`
    std::optional<std::string> account;    ///< `#SBATCH --account`
    std::optional<std::string> qos;        ///< `#SBATCH --qos`
    bool exclusive = false;                ///< `#SBATCH --exclusive`: whole nodes
    std::optional<std::string> memory;     ///< `#SBATCH --mem`, per node: 16G, 500M
    /// `--cpus-per-task` (on the `srun` line too); default: the compute
    /// target's CPUs per node over the tasks of the busiest node.
    std::optional<int> cpus_per_task;
    /// Replaces the training step's argv (the post steps stay).
    std::vector<std::string> command;
    /// mpi jobs: "srun" (ranks started by Slurm) or "mpirun" (inside the allocation).
    std::string launcher = "srun";
    /// mpi jobs with srun: `--mpi=`; default: default_srun_mpi() of the flavor.
    std::optional<std::string> srun_mpi;
    /// `--time` in minutes; default: max_run_duration_seconds rounded up (none when unset).
    std::optional<int> time_limit_minutes;
    std::optional<int> port;    ///< re-plans with this first port
    bool unique_ports = false;  ///< re-plans with one port per task (port + rank)
    bool gres = false;          ///< `--gres=gpu:N` instead of `--gpus-per-node=N`
    /// `#SBATCH --output`; default `<job name>-%j.out`.
    std::optional<std::string> output;
    std::optional<std::string> working_directory;  ///< `#SBATCH --chdir`: where the script starts
    /// The source directory as the script reaches it from where it starts;
    /// default the job's source_directory.
    std::optional<std::string> source_directory;
    tf_config_options tf_config;  ///< how TF_CONFIG is written (profile, rpc layer)
    /// How the tasks reach the job's environment; default
    /// effective_slurm_environment() of the job.
    std::optional<slurm_environment_kind> environment;
    /// The container image (apptainer, singularity, pyxis); default the job's image.
    std::optional<std::string> image;
    environment_file_contents environment_files;  ///< for the job's image's tag
};

/// The exit status of a task whose conda environment is missing on its node.
inline constexpr int slurm_missing_environment_status = 3;

/// Slurm's MPI plugin for a flavor: PMIx for Open MPI (and Horovod over
/// it), PMI-2 for the Hydra family.
constexpr std::string_view default_srun_mpi(mpi_flavor f) noexcept { return is_hydra(f) ? "pmi2" : "pmix"; }

/// The longest task table a script hands its tasks: Linux passes at most
/// 128 KiB in one environment string (MAX_ARG_STRLEN).
inline constexpr std::size_t max_slurm_task_table = 120 * 1024;

namespace detail {

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

/// Stands for the directory a task starts in ("$PWD": the source directory)
/// in argv words that shell_join_expanding() writes.
inline constexpr std::string_view slurm_pwd_marker = "\x01pwd\x01";

/// How the tasks reach the environment: words before the task's argv
/// (apptainer, singularity), srun options (pyxis), or sh code that
/// activates it (conda).
struct slurm_runtime {
    slurm_environment_kind kind = slurm_environment_kind::none;
    std::vector<std::string> prefix;        ///< before every program; may hold slurm_pwd_marker
    std::vector<std::string> srun_options;  ///< may hold slurm_pwd_marker
    std::string check;                      ///< sh code: stops the job when the environment is missing
    std::string activate;                   ///< sh code: activates it, after the check
    std::string activation;                 ///< check, then activate: in each task
};

inline slurm_runtime slurm_runtime_for(const job_spec& s, const slurm_options& o) {
    slurm_runtime r;
    r.kind = o.environment.value_or(effective_slurm_environment(s));
    const auto path = std::string("slurm_environment");
    const auto shown = quote_json(enum_name(r.kind));
    if (auto why = slurm_environment_problem(s, r.kind)) slurm_problem(path, shown, *why);
    if (runs_container(r.kind)) {
        const auto image = image_for(s, o.environment_files);
        const std::string reference = o.image.value_or(image.reference);
        const bool local = !o.image && image.built && !image.pushed;
        const std::string bind = std::string(slurm_pwd_marker) + ":" + container_workdir;
        if (r.kind == slurm_environment_kind::pyxis) {
            if (effective_backend(s) == backend_kind::mpi && o.launcher == "mpirun")
                slurm_problem(path, shown, "starts containers through srun; use launcher \"srun\"");
            std::string pyxis_image = reference;
            if (local)
                pyxis_image = "dockerd://" + reference;
            else if (!image_registry_host(reference).empty())  // Pyxis writes registry#path
                pyxis_image.replace(image_registry_host(reference).size(), 1, "#");
            r.srun_options = {"--container-image=" + pyxis_image, "--container-mounts=" + bind,
                              std::string("--container-workdir=") + container_workdir};
        } else {
            r.prefix = {std::string(enum_name(r.kind)), "exec"};
            if (effective_use_gpu(s)) r.prefix.emplace_back("--nv");
            r.prefix.insert(r.prefix.end(), {"--bind", bind, "--pwd", container_workdir,
                                             (local ? "docker-daemon://" : "docker://") + reference});
        }
    } else if (r.kind == slurm_environment_kind::conda) {
        const auto name = effective_job_name(s);
        const std::string file =
            s.conda_dependencies_file ? s.source_directory + "/" + *s.conda_dependencies_file : "environment.yml";
        r.check = "if ! trainspec_conda=$(conda shell.posix activate " + shell_quote(name) + " 2>&1); then\n";
        r.check += "    echo \"trainspec: conda cannot activate the environment \"" + shell_quote(name) +
                   "\" on $(hostname): $trainspec_conda\" >&2\n";
        r.check += "    echo " +
                   shell_quote("trainspec: create it on every node: conda env create --name " + shell_quote(name) +
                               " --file " + shell_quote(file)) +
                   " >&2\n";
        r.check += "    exit " + std::to_string(slurm_missing_environment_status) + "\n";
        r.check += "fi\n";
        r.activate = "eval \"$trainspec_conda\"\n";
        r.activation = r.check + r.activate;
    }
    return r;
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

/// Tasks per host, in host order (a plan's tasks come host by host).
inline std::vector<int> tasks_per_node(const std::vector<host>& hosts, const std::vector<task>& tasks) {
    std::vector<int> counts(hosts.size(), 0);
    std::size_t h = 0;
    for (const auto& t : tasks) {
        while (hosts[h].name != t.host) ++h;
        ++counts[h];
    }
    return counts;
}

/// The GPUs one node is asked for: the most any host's tasks use.
inline int gpus_per_node(const job_spec& s, const std::vector<host>& hosts, const std::vector<task>& tasks) {
    std::vector<int> used(hosts.size(), 0);
    std::size_t h = 0;
    for (const auto& t : tasks) {
        while (hosts[h].name != t.host) ++h;
        used[h] += granted_gpus(s, t);
    }
    return used.empty() ? 0 : *std::max_element(used.begin(), used.end());
}

inline std::string gpu_field(const std::optional<std::vector<int>>& gpus) {
    if (!gpus) return "-";
    if (gpus->empty()) return "none";
    std::string out;
    for (int g : *gpus) out += (out.empty() ? "" : ",") + std::to_string(g);
    return out;
}

inline void check_options(const job_spec& s, const slurm_options& o) {
    const auto name = effective_job_name(s);
    check_sbatch_value("name", name);
    for (auto [path, value] : {std::pair{"partition", &o.partition},
                               {"account", &o.account},
                               {"qos", &o.qos},
                               {"memory", &o.memory},
                               {"working_directory", &o.working_directory},
                               {"srun_mpi", &o.srun_mpi},
                               {"output", &o.output}})
        if (*value) check_sbatch_value(path, **value);
    if (o.cpus_per_task && *o.cpus_per_task < 1)
        slurm_problem("cpus_per_task", std::to_string(*o.cpus_per_task), "must be at least 1");
    if (o.time_limit_minutes && *o.time_limit_minutes < 1)
        slurm_problem("time_limit_minutes", std::to_string(*o.time_limit_minutes), "must be at least 1");
    const auto backend = effective_backend(s);
    if (o.launcher != "srun" && o.launcher != "mpirun")
        slurm_problem("launcher", quote_json(o.launcher), "must be \"srun\" or \"mpirun\"");
    if (o.launcher != "srun" && backend != backend_kind::mpi)
        slurm_problem("launcher", quote_json(o.launcher),
                      "applies to mpi jobs only: the tasks of this job are started by srun");
    if (o.srun_mpi && (backend != backend_kind::mpi || o.launcher != "srun"))
        slurm_problem("srun_mpi", quote_json(*o.srun_mpi),
                      "applies to mpi jobs launched with srun: it selects the PMI that wires up MPI ranks");
    if (backend == backend_kind::mpi && o.launcher == "mpirun" && effective_mpi_flavor(s) == mpi_flavor::horovodrun)
        slurm_problem("launcher", quote_json(o.launcher),
                      "horovodrun takes no hosts from a Slurm allocation; use launcher \"srun\", which starts the "
                      "ranks with PMIx");
}

/// The prefix of every task: the job's variables, set in the task only, so
/// that they never change how scontrol, srun or mpirun run.
inline std::string export_lines(const std::vector<environment_variable>& vars) {
    std::string out;
    for (const auto& v : vars) out += "export " + v.name + "=" + shell_quote(v.value) + "\n";
    return out;
}

/// The task table: one row per task, `NODE LOCAL TYPE INDEX PORT GPUS`.
inline std::string task_table(const std::vector<host>& hosts, const std::vector<task>& tasks) {
    std::string table;
    std::size_t h = 0;
    for (const auto& t : tasks) {
        while (hosts[h].name != t.host) ++h;
        table +=
            fmt::format("{} {} {} {} {} {}\n", h, t.local_rank, enum_name(t.type), t.index, t.port, gpu_field(t.gpus));
    }
    return table;
}

/// Picks a task's GPUs, as positions within what Slurm granted the step on
/// its node (CUDA_VISIBLE_DEVICES, global indices without device cgroups);
/// the positions themselves when Slurm manages no GPUs.
inline constexpr std::string_view slurm_gpu_code = R"(case $trainspec_gpus in
    -) ;;
    none) CUDA_VISIBLE_DEVICES=; export CUDA_VISIBLE_DEVICES ;;
    *)
        if [ -n "${CUDA_VISIBLE_DEVICES:-}" ]; then
            CUDA_VISIBLE_DEVICES=$(awk -v want="$trainspec_gpus" -v granted="$CUDA_VISIBLE_DEVICES" 'BEGIN {
                n = split(granted, g, ","); m = split(want, w, ","); out = ""
                for (i = 1; i <= m; i++) {
                    if (w[i] + 1 > n) { print "trainspec: Slurm granted GPUs " granted "; this task needs position " w[i] > "/dev/stderr"; exit 1 }
                    out = out (i > 1 ? "," : "") g[w[i] + 1]
                }
                print out }')
        else
            CUDA_VISIBLE_DEVICES=$trainspec_gpus
        fi
        export CUDA_VISIBLE_DEVICES
        ;;
esac
)";

/// Builds TF_CONFIG from the task table and the allocated hosts: the cluster
/// keys in TRAINSPEC_TF_KEYS (`type=key`, in the writer's order), the task's
/// own type and index, then TRAINSPEC_TF_TAIL.
inline constexpr std::string_view slurm_tf_config_code =
    R"(TF_CONFIG=$(awk -v me_type="$trainspec_type" -v me_index="$trainspec_index" 'BEGIN {
    split(ENVIRON["TRAINSPEC_HOSTS"], host, " ")
    rows = split(ENVIRON["TRAINSPEC_TASKS"], row, "\n")
    keys = split(ENVIRON["TRAINSPEC_TF_KEYS"], pair, " ")
    for (k = 1; k <= keys; k++) { split(pair[k], kv, "="); type[k] = kv[1]; key[kv[1]] = kv[2]; size[kv[1]] = 0 }
    for (r = 1; r <= rows; r++) {
        if (split(row[r], f, " ") < 6 || !(f[3] in size)) continue
        address[f[3], f[4]] = host[f[1] + 1] ":" f[5]
        if (f[4] + 1 > size[f[3]]) size[f[3]] = f[4] + 1
    }
    out = "{\"cluster\":{"
    for (k = 1; k <= keys; k++) {
        out = out (k > 1 ? "," : "") "\"" key[type[k]] "\":["
        for (i = 0; i < size[type[k]]; i++) out = out (i > 0 ? "," : "") "\"" address[type[k], i] "\""
        out = out "]"
    }
    own = me_type in key ? key[me_type] : ENVIRON["TRAINSPEC_TF_OWN_KEY"]
    printf "%s", out "},\"task\":{\"type\":\"" own "\",\"index\":" me_index "}" ENVIRON["TRAINSPEC_TF_TAIL"] }')
export TF_CONFIG
)";

/// Runs the task. The end of the success task stops the others: it sends
/// the step SIGUSR1, which each task's shell traps (set first thing, see
/// stop_trap_code) and answers by stopping its program with SIGTERM and
/// exiting 0. A program that SIGUSR1 itself ended (its default action) was
/// stopped the same way, whatever the order in which the signals arrived.
inline std::string success_run_code(const task_id& success, const std::string& post_line) {
    std::string code = "set +e\n";
    code += fmt::format("if [ \"$trainspec_type:$trainspec_index\" = {}:{} ]; then\n", enum_name(success.type),
                        success.index);
    code += "    \"$@\"\n";
    code += "    trainspec_status=$?\n";
    if (!post_line.empty())
        code += "    if [ \"$trainspec_status\" -eq 0 ]; then\n        " + post_line +
                "\n        trainspec_status=$?\n    fi\n";
    code += "    trap '' USR1\n";
    code += "    scancel --quiet --signal=USR1 \"${SLURM_JOB_ID:?}.${SLURM_STEP_ID:?}\"\n";
    code += "    exit \"$trainspec_status\"\n";
    code += "fi\n";
    code += "\"$@\" &\n";
    code += "trainspec_pid=$!\n";
    code += "while :; do\n";
    code += "    wait \"$trainspec_pid\"\n";
    code += "    trainspec_status=$?\n";
    code += "    kill -0 \"$trainspec_pid\" 2>/dev/null || break\n";
    code += "done\n";
    code +=
        "if [ -n \"${trainspec_stopped:-}\" ] || [ \"$(kill -l \"$trainspec_status\" 2>/dev/null)\" = USR1 ]; then\n";
    code += "    exit 0\n";
    code += "fi\n";
    code += "exit \"$trainspec_status\"\n";
    return code;
}

/// The first line of a task that may be stopped: SIGUSR1 marks the task
/// stopped and stops its program, if started.
inline constexpr std::string_view stop_trap_code =
    "trap 'trainspec_stopped=1; [ -z \"${trainspec_pid:-}\" ] || kill -TERM \"$trainspec_pid\" 2>/dev/null' USR1\n";

/// The post steps as one sh line (empty when there are none).
inline std::string post_line(const std::vector<launch_step>& steps, const std::vector<std::string>& prefix) {
    std::string line;
    for (const auto& step : steps)
        if (step.model_owner_only) {
            auto words = prefix;
            words.insert(words.end(), step.argv.begin(), step.argv.end());
            line += (line.empty() ? "" : " && ") + shell_join_expanding(words, slurm_pwd_marker, "\"$PWD\"");
        }
    return line;
}

inline std::vector<launch_step> slurm_steps(const launch_model& m, const slurm_options& o) {
    auto steps = m.steps;
    if (!o.command.empty()) steps.front().argv = o.command;
    return steps;
}

/// `--opt=value` words common to the batch request and the step.
inline std::vector<std::string> resource_words(int nodes, int tasks, int per_node, std::optional<int> cpus, int gpus,
                                               bool gres) {
    std::vector<std::string> words{fmt::format("--nodes={}", nodes), fmt::format("--ntasks={}", tasks),
                                   fmt::format("--ntasks-per-node={}", per_node)};
    if (cpus) words.push_back(fmt::format("--cpus-per-task={}", *cpus));
    if (gpus > 0) words.push_back(gres ? fmt::format("--gres=gpu:{}", gpus) : fmt::format("--gpus-per-node={}", gpus));
    return words;
}

/// A here-document delimiter that is no line of `text`: TRAINSPEC_TASK, else
/// TRAINSPEC_TASK_1, _2, ... (the job's values are in the text).
inline std::string heredoc_delimiter(const std::string& text) {
    std::string delimiter = "TRAINSPEC_TASK";
    for (int n = 1;; ++n) {
        bool used = false;
        for (std::size_t start = 0; start <= text.size() && !used;) {
            auto end = text.find('\n', start);
            if (end == std::string::npos) end = text.size();
            used = text.compare(start, end - start, delimiter) == 0;
            start = end + 1;
        }
        if (!used) return delimiter;
        delimiter = "TRAINSPEC_TASK_" + std::to_string(n);
    }
}

/// The task code, kept in a variable, and the step that runs it on every task.
inline std::string task_step(const std::vector<std::string>& step_words, const std::string& task_code,
                             const std::vector<std::string>& argv) {
    const auto delimiter = heredoc_delimiter(task_code);
    const auto line = shell_join_expanding(step_words, slurm_pwd_marker, "\"$PWD\"") +
                      " /bin/sh -c \"$trainspec_task\" trainspec-task " +
                      shell_join_expanding(argv, slurm_pwd_marker, "\"$PWD\"");
    return "trainspec_task=$(cat <<'" + delimiter + "'\n" + task_code + delimiter + "\n)\n" + "exec " + line + "\n";
}

/// The cluster's keys for TRAINSPEC_TF_KEYS: `type=key`, sorted by key as
/// the writer sorts them (sagemaker's chief is "master").
template <class Backend>
std::string tf_config_keys(const cluster<Backend>& c, const tf_config_writer& writer) {
    std::vector<std::pair<std::string_view, task_type>> keys;
    for (auto type : {task_type::chief, task_type::worker, task_type::ps, task_type::evaluator})
        if (writer.in_cluster(type) && c.count(type) > 0) keys.emplace_back(writer.job_key(type), type);
    std::sort(keys.begin(), keys.end());
    std::string text;
    for (const auto& [key, type] : keys)
        text += (text.empty() ? "" : " ") + std::string(enum_name(type)) + "=" + std::string(key);
    return text;
}

}  // namespace detail

/// The `sbatch` script of a planned job. Throws validation_error for values
/// Slurm cannot take (partition, output pattern, time limit, launcher, ...).
template <class Backend>
std::string sbatch_script(const cluster<Backend>& planned, const slurm_options& o = {}) {
    const auto c = detail::slurm_cluster(planned, o);
    const auto& s = c.job().spec();
    const auto backend = effective_backend(s);
    detail::check_options(s, o);
    const auto runtime = detail::slurm_runtime_for(s, o);
    const auto m = describe_launch(c);
    const auto name = effective_job_name(s);
    const std::string output = o.output.value_or(name + "-%j.out");

    const auto& hosts = c.hosts();
    const auto& tasks = c.tasks();
    const auto per_node = detail::tasks_per_node(hosts, tasks);
    const int nodes = static_cast<int>(hosts.size());
    const int most = per_node.empty() ? 1 : *std::max_element(per_node.begin(), per_node.end());
    const bool uniform = std::all_of(per_node.begin(), per_node.end(), [most](int n) { return n == most; });
    const int slots = nodes * most;
    const auto cpus = o.cpus_per_task ? o.cpus_per_task : m.cpus_per_task;
    const int gpus = detail::gpus_per_node(s, hosts, tasks);

    std::optional<std::int64_t> minutes;
    if (o.time_limit_minutes)
        minutes = *o.time_limit_minutes;
    else if (s.max_run_duration_seconds && *s.max_run_duration_seconds > 0)
        minutes = (*s.max_run_duration_seconds + 59) / 60;

    const auto resources = detail::resource_words(nodes, slots, most, cpus, gpus, o.gres);
    std::string out = "#!/bin/sh\n";
    out += "#SBATCH --job-name=" + name + "\n";
    for (const auto& word : resources) out += "#SBATCH " + word + "\n";
    if (o.memory) out += "#SBATCH --mem=" + *o.memory + "\n";
    if (minutes) out += "#SBATCH --time=" + detail::slurm_time(*minutes) + "\n";
    if (o.partition) out += "#SBATCH --partition=" + *o.partition + "\n";
    if (o.account) out += "#SBATCH --account=" + *o.account + "\n";
    if (o.qos) out += "#SBATCH --qos=" + *o.qos + "\n";
    if (o.exclusive) out += "#SBATCH --exclusive\n";
    if (o.working_directory) out += "#SBATCH --chdir=" + *o.working_directory + "\n";
    out += "#SBATCH --output=" + output + "\n";
    out += fmt::format("# trainspec: {} job {}, {} task(s) on {} node(s)", backend_label(backend), name, tasks.size(),
                       nodes);
    if (!uniform) {
        out += "; per node:";
        for (int n : per_node) out += fmt::format(" {}", n);
        out += " (free slots exit at once)";
    }
    out += "\nset -eu\n";
    const auto source = o.source_directory.value_or(m.source_directory);
    out += "cd -- " + shell_quote(source.empty() ? "." : source) + "\n";
    // A missing environment stops the job here, with its status, before
    // any task: in the tasks, srun would kill the others and report theirs.
    // The batch shell does not activate it: srun and scontrol run as they are.
    out += runtime.check;

    const auto steps = detail::slurm_steps(m, o);
    std::vector<std::string> step_words{"srun"};
    for (const auto& word : resources) step_words.push_back(word);
    step_words.push_back("--kill-on-bad-exit=1");
    step_words.insert(step_words.end(), runtime.srun_options.begin(), runtime.srun_options.end());
    // Every program of a task runs through the runtime's prefix.
    const auto with_prefix = [&](std::vector<std::string> argv) {
        argv.insert(argv.begin(), runtime.prefix.begin(), runtime.prefix.end());
        return argv;
    };
    std::string task_code = "set -eu\n";

    if constexpr (has_tf_config_v<Backend>) {
        const detail::tf_config_writer writer(c, o.tf_config);
        if (writer.profile() == tf_profile::kubeflow)
            detail::slurm_problem("tf_config.profile", detail::quote_json(enum_name(writer.profile())),
                                  "the kubeflow profile writes Kubernetes Service names; Slurm tasks reach each "
                                  "other at the hosts Slurm allocates");
        const auto table = detail::task_table(hosts, tasks);
        if (table.size() > max_slurm_task_table)
            detail::slurm_problem("node_count", std::to_string(nodes),
                                  fmt::format("the task table of {} tasks has {} bytes; a Slurm task receives at "
                                              "most {} in one variable (Linux's MAX_ARG_STRLEN is 128 KiB)",
                                              tasks.size(), table.size(), max_slurm_task_table));
        out += "\n# The allocated hosts, in node order.\n";
        out += "TRAINSPEC_HOSTS=$(scontrol show hostnames \"$SLURM_JOB_NODELIST\" | tr '\\n' ' ')\n";
        out += "for trainspec_host in $TRAINSPEC_HOSTS; do\n";
        out += "    case $trainspec_host in\n";
        out += "        *[!A-Za-z0-9._-]*)\n";
        out += "            echo \"trainspec: unexpected host name '$trainspec_host'\" >&2\n";
        out += "            exit 1\n";
        out += "            ;;\n";
        out += "    esac\n";
        out += "done\n";
        out += "set -- $TRAINSPEC_HOSTS\n";
        out += fmt::format("if [ \"$#\" -ne {} ]; then\n", nodes);
        out += fmt::format("    echo \"trainspec: the plan needs {} node(s), Slurm allocated $#\" >&2\n", nodes);
        out += "    exit 1\n";
        out += "fi\n";
        out += "# The plan's tasks: node, local id, type, index, port, GPUs (positions; - all, none hidden).\n";
        out += "TRAINSPEC_TASKS=" + shell_quote(table) + "\n";
        out += "TRAINSPEC_TF_KEYS=" + shell_quote(detail::tf_config_keys(c, writer)) + "\n";
        out += "TRAINSPEC_TF_OWN_KEY=" + shell_quote(std::string(writer.job_key(task_type::evaluator))) + "\n";
        out += "TRAINSPEC_TF_TAIL=" + shell_quote(writer.tail()) + "\n";
        out += "export TRAINSPEC_HOSTS TRAINSPEC_TASKS TRAINSPEC_TF_KEYS TRAINSPEC_TF_OWN_KEY TRAINSPEC_TF_TAIL\n";

        task_code += std::string(detail::stop_trap_code);
        task_code +=
            "trainspec_row=$(printf '%s' \"$TRAINSPEC_TASKS\" | awk -v me=\"${SLURM_NODEID:?}:${SLURM_LOCALID:?}\" "
            "'$1 \":\" $2 == me { print $3, $4, $6; exit }')\n";
        task_code += "[ -n \"$trainspec_row\" ] || exit 0  # a slot the plan leaves free\n";
        task_code +=
            "read -r trainspec_type trainspec_index trainspec_gpus <<TRAINSPEC_ROW\n$trainspec_row\nTRAINSPEC_ROW\n";
        task_code += std::string(detail::slurm_tf_config_code);
        task_code += std::string(detail::slurm_gpu_code);
        task_code += "unset TRAINSPEC_HOSTS TRAINSPEC_TASKS TRAINSPEC_TF_KEYS TRAINSPEC_TF_OWN_KEY TRAINSPEC_TF_TAIL\n";
        task_code += runtime.activation + detail::export_lines(m.environment);
        task_code += detail::success_run_code(*m.success_task, detail::post_line(steps, runtime.prefix));
        out += "\n# Each task finds its row by (SLURM_NODEID, SLURM_LOCALID).\n";
        out += detail::task_step(step_words, task_code, with_prefix(steps.front().argv));
    } else if constexpr (std::is_same_v<Backend, mpi>) {
        const auto argv = with_prefix(task_command(steps, owner_check::mpi_rank));
        if (o.launcher == "srun") {
            task_code += runtime.activation + detail::export_lines(m.environment) + "exec \"$@\"\n";
            step_words.push_back("--mpi=" +
                                 o.srun_mpi.value_or(std::string(default_srun_mpi(effective_mpi_flavor(s)))));
            out += "\n" + detail::task_step(step_words, task_code, argv);
        } else {
            auto launch = mpi_launch_options_from(s);
            launch.hosts_from_allocation = true;
            auto layout = launch_layout(c);
            layout.script_argv = argv;
            launch.command_prefix.clear();
            const auto command = mpirun_command(layout, launch);
            // The batch shell has checked the environment above: mpirun starts in it.
            out += "\n" + runtime.activate;
            for (const auto& v : command.launcher_environment)
                out += v.name + "=" + shell_quote(v.value) + "; export " + v.name + "\n";
            out += "exec " + shell_join_expanding(command.argv, detail::slurm_pwd_marker, "\"$PWD\"") + "\n";
        }
    } else {
        // The one task: its planned GPUs within Slurm's grant, as any task's.
        task_code += "trainspec_gpus=" + shell_quote(detail::gpu_field(tasks.front().gpus)) + "\n";
        task_code += std::string(detail::slurm_gpu_code);
        task_code += runtime.activation + detail::export_lines(m.environment) + "exec \"$@\"\n";
        out += "\n" + detail::task_step(step_words, task_code, with_prefix(task_command(steps, owner_check::owner)));
    }
    return out;
}

TRAINSPEC_END_NAMESPACE
