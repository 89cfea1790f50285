#pragma once
// The rules a job must satisfy. validate() checks every rule and returns
// every problem, so a user fixes a spec in one pass.
//
// The rules are Azure ML v1's (with its wording where it had one) plus the
// ones v1 left silent and trainspec makes errors: backend-only counts without
// their backend, slots and GPUs the compute target cannot give, conflicting
// package options, names Kubernetes would reject, MPI launch settings the
// job's launcher cannot honour.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <trainspec/consume/tf_cluster_rules.hpp>
#include <trainspec/detail/json_text.hpp>
#include <trainspec/detail/rules.hpp>
#include <trainspec/error.hpp>
#include <trainspec/spec/images.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/mpi_flavor.hpp>
#include <trainspec/spec/mpi_settings.hpp>
#include <trainspec/spec/names.hpp>
#include <trainspec/spec/resource_names.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// Why a job cannot reach its environment on Slurm the way `kind` says, or
/// nullopt when it can.
inline std::optional<std::string> slurm_environment_problem(const job_spec& s, slurm_environment_kind kind) {
    if (runs_container(kind) && !effective_use_docker(s))
        return std::string("runs the job's container image, and the job has use_docker = false: use conda or none");
    if (kind == slurm_environment_kind::conda && effective_user_managed(s))
        return std::string(
            "activates the environment made from environment.yml; a user_managed job has none: use "
            "none, or the job's container (apptainer)");
    if (kind == slurm_environment_kind::conda && s.pip_requirements_file)
        return "activates the environment made from environment.yml, which cannot include pip_requirements_file " +
               quote_json(*s.pip_requirements_file) +
               ": list the packages in pip_packages, or run in the job's container (apptainer)";
    return std::nullopt;
}

/// True when `path` is `prefix` or lies inside it (`prefix.x`, `prefix[0]`).
inline bool path_within(std::string_view path, std::string_view prefix) {
    if (path.compare(0, prefix.size(), prefix) != 0) return false;
    return path.size() == prefix.size() || path[prefix.size()] == '.' || path[prefix.size()] == '[';
}

class rule_checker {
public:
    /// `unreadable`: paths whose values could not be read (a JSON type
    /// error); a rule that reads such a field is skipped, since its verdict
    /// would be about a value the user did not write.
    explicit rule_checker(const job_spec& s, std::vector<std::string> unreadable = {})
        : s_(s), unreadable_(std::move(unreadable)) {}

    problems run() {
        check_required();
        check_compute();
        check_counts();
        check_backend_fields();
        check_capacity();
        check_framework();
        check_paths();
        check_packages();
        check_container();
        check_environment();
        check_script_params();
        check_name();
        check_tensorflow_cluster();
        check_mpi();
        check_onnx_export();
        check_image();
        check_release_pins();
        return std::move(found_);
    }

private:
    void add(std::string path, std::string value, std::string rule) {
        found_.push_back({std::move(path), std::move(value), std::move(rule)});
    }
    static std::string q(std::string_view text) { return quote_json(text); }
    static std::string n(std::int64_t v) { return std::to_string(v); }

    bool is(backend_kind k) const { return effective_backend(s_) == k; }

    /// False when the value at `field` (or a part of it, or a field it is
    /// part of) could not be read.
    bool known(std::string_view field) const {
        for (const auto& bad : unreadable_)
            if (path_within(bad, field) || path_within(field, bad)) return false;
        return true;
    }
    template <class... Fields>
    bool all_known(Fields... fields) const {
        return (known(fields) && ...);
    }
    /// The fields that decide how many tasks the job starts.
    bool task_count_known() const {
        return all_known("distributed_backend", "node_count", "process_count_per_node", "worker_count",
                         "parameter_server_count", "chief_count", "evaluator_count");
    }
    std::string backend_text() const {
        return is(backend_kind::single_node) ? std::string("none") : q(enum_name(effective_backend(s_)));
    }

    void check_required() {
        if (s_.source_directory.empty()) add("source_directory", "", "is required");
        if (s_.entry_script.empty()) add("entry_script", "", "is required");
        if (!s_.target && !s_.vm_size && all_known("compute_target", "vm_size"))
            add("compute_target", "", "is required: Either compute target or VM size should be specified.");
    }

    void check_compute() {
        if (s_.target && s_.vm_size)
            add("vm_size", q(*s_.vm_size),
                "give either compute_target or vm_size, not both (vm_size creates a target on the fly)");
        if (s_.vm_size && !is_vm_size_name(*s_.vm_size))
            add("vm_size", q(*s_.vm_size), "must be an Azure VM size name such as Standard_NC6 ([A-Za-z0-9_]+)");
        if (s_.vm_priority) {
            if (*s_.vm_priority != "dedicated" && *s_.vm_priority != "lowpriority")
                add("vm_priority", q(*s_.vm_priority), "must be \"dedicated\" or \"lowpriority\"");
            if (!s_.vm_size && known("vm_size"))
                add("vm_priority", q(*s_.vm_priority), "applies only together with vm_size");
        }
        if (!s_.target) return;
        const auto& t = *s_.target;
        if (!is_compute_target_name(t.name))
            add("compute_target.name", q(t.name),
                "must be a compute target name ([A-Za-z0-9] then [A-Za-z0-9._-]) or \"local\"");
        if (t.gpus_per_node && *t.gpus_per_node < 0)
            add("compute_target.gpus_per_node", n(*t.gpus_per_node), "must be at least 0");
        if (t.cpus_per_node && *t.cpus_per_node < 1)
            add("compute_target.cpus_per_node", n(*t.cpus_per_node), "must be at least 1");
        if (t.max_nodes && *t.max_nodes < 1) add("compute_target.max_nodes", n(*t.max_nodes), "must be at least 1");
        if (t.is_local() && !t.hosts.empty())
            add("compute_target.hosts", "", "a \"local\" compute target is this machine; it takes no host list");
        const auto earlier = earlier_same(t.hosts, [](const host& h) { return std::string_view(h.name); });
        for (std::size_t i = 0; i < t.hosts.size(); ++i) {
            const auto& h = t.hosts[i];
            const auto path = fmt::format("compute_target.hosts[{}]", i);
            if (auto why = host_name_problem(h.name)) add(path + ".name", q(h.name), *why);
            if (auto why = host_slots_problem(h.slots)) add(path + ".slots", n(h.slots), *why);
            if (earlier[i] != std::string_view::npos) add(path + ".name", q(h.name), duplicate_host_rule(h.name));
        }
    }

    void check_counts() {
        auto at_least = [&](const char* path, const std::optional<int>& v, int min, const char* azure_text) {
            if (v && *v < min)
                add(path, n(*v),
                    azure_text ? fmt::format("must be at least {}: {}", min, azure_text)
                               : fmt::format("must be at least {}", min));
        };
        at_least("node_count", s_.node_count, 1, "Node count should be at least 1.");
        at_least("process_count_per_node", s_.process_count_per_node, 1,
                 "Process count per node should be at least 1.");
        at_least("worker_count", s_.worker_count, 1, nullptr);
        // 0 is accepted for multi_worker; with an unreadable backend, the lower bound of every backend.
        const bool ps_optional = is(backend_kind::multi_worker) || !known("distributed_backend");
        at_least("parameter_server_count", s_.parameter_server_count, ps_optional ? 0 : 1, nullptr);
        for (auto [path, v] : {std::pair{"chief_count", &s_.chief_count}, {"evaluator_count", &s_.evaluator_count}})
            if (*v && (**v < 0 || **v > 1)) add(path, n(**v), "must be 0 or 1");
        if (s_.max_run_duration_seconds && *s_.max_run_duration_seconds < 1)
            add("max_run_duration_seconds", n(*s_.max_run_duration_seconds), "must be at least 1");
    }

    void check_backend_fields() {
        if (!known("distributed_backend")) return;  // every rule here depends on the backend
        const bool ps = is(backend_kind::parameter_server);
        const bool mw = is(backend_kind::multi_worker);
        const bool mpi = is(backend_kind::mpi);
        const bool single = is(backend_kind::single_node);
        if (single &&
            ((s_.node_count && *s_.node_count > 1) || (s_.process_count_per_node && *s_.process_count_per_node > 1)))
            add("distributed_backend", "",
                "'distributed_backend' must be specified when node_count > 1 or process_count_per_node > 1.");
        if (s_.worker_count && !ps && !mw)
            add("worker_count", n(*s_.worker_count),
                fmt::format("applies only with distributed_backend \"ps\" or \"multi_worker\" (backend is {})",
                            backend_text()));
        if (s_.parameter_server_count && !ps && !(mw && *s_.parameter_server_count == 0))
            add("parameter_server_count", n(*s_.parameter_server_count),
                mw ? std::string("a multi_worker job has no parameter servers (0 is accepted, as Azure ML "
                                 "documents for MultiWorkerMirroredStrategy)")
                   : fmt::format("applies only with distributed_backend \"ps\" (backend is {})", backend_text()));
        for (auto [path, v] : {std::pair{"chief_count", &s_.chief_count}, {"evaluator_count", &s_.evaluator_count}})
            if (*v && !ps)
                add(path, n(**v),
                    fmt::format("applies only with distributed_backend \"ps\" (backend is {})", backend_text()));
        if (s_.process_count_per_node && !mpi && !(single && *s_.process_count_per_node <= 1))
            add("process_count_per_node", n(*s_.process_count_per_node),
                fmt::format("applies only with distributed_backend \"mpi\" (backend is {}); {} starts one process "
                            "per task",
                            backend_text(), single ? "a single-node job" : "TensorFlow's cluster"));
        // Idle nodes are paid for and never used.
        if ((ps || mw) && s_.node_count && task_count_known()) {
            const auto tasks = effective_task_count(s_);
            if (*s_.node_count > tasks)
                add("node_count", n(*s_.node_count),
                    fmt::format("exceeds the {} task(s) of this {} job; {} node(s) would stay idle", tasks,
                                enum_name(effective_backend(s_)), *s_.node_count - tasks));
        }
    }

    void check_capacity() {
        const int nodes = effective_node_count(s_);
        const bool gpu = effective_use_gpu(s_);
        const auto gpus = effective_gpus_per_node(s_);
        if (gpu && gpus.count && *gpus.count == 0 && known("use_gpu"))
            add("use_gpu", "true", gpus.source + ": the nodes have no GPU");
        if (s_.target) {
            const auto& t = *s_.target;
            if (t.max_nodes && nodes > *t.max_nodes)
                add("node_count", n(nodes),
                    fmt::format("exceeds compute_target.max_nodes = {} of {}", *t.max_nodes, q(t.name)));
            if (t.is_local() && nodes > 1) add("node_count", n(nodes), "a \"local\" compute target has exactly 1 node");
            if (!t.hosts.empty() && nodes > static_cast<int>(t.hosts.size()) && known("compute_target.hosts"))
                add("node_count", n(nodes),
                    fmt::format("needs {} hosts; compute_target.hosts lists {}", nodes, t.hosts.size()));
        }
        // The rules below count tasks and slots: moot when a count, the GPU
        // switch or the host list could not be read.
        if (!task_count_known() || !known("use_gpu")) return;
        // Slots per node: one GPU per process on GPU jobs, else the CPUs.
        const auto tasks = effective_task_count(s_);
        const auto slots = gpu ? gpus : effective_cpus_per_node(s_);
        // Parameter servers take a CPU slot but no GPU.
        const auto slot_tasks = gpu ? tasks - effective_parameter_server_count(s_) : tasks;
        if (slots.count && *slots.count > 0) {
            const int per_node = effective_process_count_per_node(s_);
            if (is(backend_kind::mpi) && per_node > *slots.count)
                add("process_count_per_node", n(per_node),
                    fmt::format("exceeds {}: each process needs its own {}", slots.source, gpu ? "GPU" : "CPU"));
            else if (is(backend_kind::mpi) && gpu && per_node < *slots.count)
                add("process_count_per_node", n(per_node),
                    fmt::format("uses {} of the GPUs of {}: Horovod runs one process per GPU, so {} would stay "
                                "idle on every node; set process_count_per_node to {}",
                                per_node, slots.source, *slots.count - per_node, *slots.count));
            else if (slot_tasks > std::int64_t{nodes} * *slots.count)
                add(count_field(), n(count_value()),
                    fmt::format("{} {}tasks do not fit {} node(s) of {}: {} slots", slot_tasks, gpu ? "GPU " : "",
                                nodes, slots.source, std::int64_t{nodes} * *slots.count));
        }
        if (s_.target && !s_.target->hosts.empty() && nodes <= static_cast<int>(s_.target->hosts.size()) &&
            known("compute_target.hosts")) {
            std::int64_t host_slots = 0;
            for (int i = 0; i < nodes; ++i) host_slots += s_.target->hosts[static_cast<std::size_t>(i)].slots;
            if (tasks > host_slots)
                add(count_field(), n(count_value()),
                    fmt::format("{} tasks do not fit the {} slots of the first {} host(s) of compute_target.hosts",
                                tasks, host_slots, nodes));
        }
    }

    const char* count_field() const {
        switch (effective_backend(s_)) {
            case backend_kind::mpi:
                return "process_count_per_node";
            case backend_kind::parameter_server:
            case backend_kind::multi_worker:
                return "worker_count";
            case backend_kind::single_node:
                break;
        }
        return "node_count";
    }

    /// The value of count_field(), as the user wrote it or defaulted.
    int count_value() const {
        switch (effective_backend(s_)) {
            case backend_kind::mpi:
                return effective_process_count_per_node(s_);
            case backend_kind::parameter_server:
            case backend_kind::multi_worker:
                return effective_worker_count(s_);
            case backend_kind::single_node:
                break;
        }
        return effective_node_count(s_);
    }

    void check_framework() {
        if (s_.framework_version && !is_supported_framework_version(*s_.framework_version))
            add("framework_version", q(*s_.framework_version),
                "unsupported; supported versions: " + supported_framework_versions_text());
        if (is(backend_kind::multi_worker) && framework_major(effective_framework_version(s_)) < 2 &&
            is_supported_framework_version(effective_framework_version(s_)))
            add("framework_version", q(effective_framework_version(s_)),
                "distributed_backend \"multi_worker\" (MultiWorkerMirroredStrategy) needs TensorFlow 2.0 or later");
    }

    /// A file inside source_directory: relative, no '..' component.
    void check_relative_path(const char* path, const std::string& value) {
        if (value.empty()) return;
        if (value.front() == '/' || value.front() == '\\') add(path, q(value), "must be relative to source_directory");
        std::size_t start = 0;
        while (start <= value.size()) {
            auto end = value.find('/', start);
            if (end == std::string::npos) end = value.size();
            if (value.compare(start, end - start, "..") == 0) {
                add(path, q(value), "must stay inside source_directory (no '..')");
                break;
            }
            start = end + 1;
        }
        if (value.find('\0') != std::string::npos) add(path, q(value), "must not contain NUL");
    }

    void check_paths() {
        check_relative_path("entry_script", s_.entry_script);
        if (s_.conda_dependencies_file) {
            if (s_.conda_dependencies_file->empty()) add("conda_dependencies_file", "\"\"", "must not be empty");
            check_relative_path("conda_dependencies_file", *s_.conda_dependencies_file);
        }
        if (s_.pip_requirements_file) {
            if (s_.pip_requirements_file->empty()) add("pip_requirements_file", "\"\"", "must not be empty");
            check_relative_path("pip_requirements_file", *s_.pip_requirements_file);
        }
        if (s_.source_directory.find('\0') != std::string::npos)
            add("source_directory", q(s_.source_directory), "must not contain NUL");
    }

    void check_package_list(const char* field, const std::vector<std::string>& list) {
        const auto earlier = earlier_same(list, [](const std::string& p) { return std::string_view(p); });
        for (std::size_t i = 0; i < list.size(); ++i) {
            const auto path = fmt::format("{}[{}]", field, i);
            const auto& p = list[i];
            if (p.empty() || p.find_first_not_of(' ') == std::string::npos)
                add(path, q(p), "must name a package");
            else if (p.front() == ' ' || p.back() == ' ')
                add(path, q(p), "must not start or end with a space");
            for (char c : p)
                if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
                    add(path, q(p), "must not contain control characters (one package per entry)");
                    break;
                }
            if (earlier[i] != std::string_view::npos)
                add(path, q(p), fmt::format("duplicates {}[{}]", field, earlier[i]));
        }
    }

    void check_packages() {
        check_package_list("conda_packages", s_.conda_packages);
        check_package_list("pip_packages", s_.pip_packages);
        if (s_.conda_dependencies_file) {
            const auto v = q(*s_.conda_dependencies_file);
            if (!s_.conda_packages.empty())
                add("conda_dependencies_file", v, "conflicts with conda_packages: list them in the file");
            if (!s_.pip_packages.empty())
                add("conda_dependencies_file", v, "conflicts with pip_packages: list them in the file's pip section");
            if (s_.pip_requirements_file)
                add("conda_dependencies_file", v,
                    "conflicts with pip_requirements_file: list the requirements in the file's pip section");
        }
        if (effective_user_managed(s_)) {
            auto conflict = [&](bool present, const char* field) {
                if (present)
                    add("user_managed", "true",
                        fmt::format("the image already has everything; {} would be ignored", field));
            };
            conflict(!s_.conda_packages.empty(), "conda_packages");
            conflict(!s_.pip_packages.empty(), "pip_packages");
            conflict(s_.conda_dependencies_file.has_value(), "conda_dependencies_file");
            conflict(s_.pip_requirements_file.has_value(), "pip_requirements_file");
        }
    }

    void check_container() {
        const bool docker = effective_use_docker(s_);
        if (s_.custom_docker_image) {
            if (!docker) add("custom_docker_image", q(*s_.custom_docker_image), "needs use_docker = true");
            if (auto why = image_reference_problem(*s_.custom_docker_image))
                add("custom_docker_image", q(*s_.custom_docker_image), std::string(*why));
        }
        if (s_.shm_size) {
            if (!parse_docker_size(*s_.shm_size))
                add("shm_size", q(*s_.shm_size),
                    "must be a number greater than 0 with an optional unit b, k, m or g (Docker's --shm-size)");
            if (!docker) add("shm_size", q(*s_.shm_size), "is container shared memory and needs use_docker = true");
        }
    }

    void check_environment() {
        const auto& vars = s_.environment_variables;
        const auto earlier = earlier_same(vars, [](const environment_variable& v) { return std::string_view(v.name); });
        for (std::size_t i = 0; i < vars.size(); ++i) {
            const auto path = fmt::format("environment_variables[{}]", q(vars[i].name));
            if (!is_portable_env_name(vars[i].name))
                add(path, q(vars[i].value), "the name must match [A-Za-z_][A-Za-z0-9_]*");
            if (vars[i].value.find('\0') != std::string::npos) add(path, q(vars[i].value), "must not contain NUL");
            if (vars[i].name == "TF_CONFIG" && (is(backend_kind::parameter_server) || is(backend_kind::multi_worker)))
                add(path, q(vars[i].value), "is written by trainspec for every task of a ps or multi_worker job");
            if (earlier[i] != std::string_view::npos) add(path, q(vars[i].value), "is set twice");
        }
    }

    void check_script_params() {
        for (const auto& [key, value] : s_.params) {
            const auto path = fmt::format("script_params[{}]", q(key));
            const auto shown = std::visit(value_json_text{}, value.get());
            if (key.empty()) add(path, shown, "the key must not be empty");
            if (key.find('\0') != std::string::npos) add(path, shown, "the key must not contain NUL");
            auto check_scalar = [&](const auto& v) {
                using V = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<V, double>) {
                    if (!std::isfinite(v)) add(path, shown, "a number must be finite");
                } else if constexpr (std::is_same_v<V, std::string>) {
                    if (v.find('\0') != std::string::npos) add(path, shown, "must not contain NUL");
                }
            };
            std::visit(
                [&](const auto& v) {
                    using V = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<V, param_value::list>) {
                        if (v.empty()) add(path, shown, "a list needs at least one element (null gives a bare flag)");
                        for (const auto& item : v) std::visit(check_scalar, item.get());
                    } else {
                        check_scalar(v);
                    }
                },
                value.get());
        }
    }

    /// port and tf_config describe TensorFlow servers: ps and multi_worker.
    void check_tensorflow_cluster() {
        const bool tf_cluster = is(backend_kind::parameter_server) || is(backend_kind::multi_worker);
        if (s_.port) {
            if (*s_.port < 1 || *s_.port > 65535) add("port", n(*s_.port), "must be a TCP port, 1-65535");
            if (!tf_cluster && known("distributed_backend"))
                add("port", n(*s_.port),
                    fmt::format("applies only to distributed_backend \"ps\" or \"multi_worker\" (backend is {}); "
                                "only TensorFlow servers listen on it",
                                backend_text()));
        }
        if (!s_.tf_config) return;
        if (!tf_cluster && known("distributed_backend")) {
            add("tf_config", "",
                fmt::format("applies only to distributed_backend \"ps\" or \"multi_worker\" (backend is {}); "
                            "other jobs get no TF_CONFIG",
                            backend_text()));
            return;
        }
        if (const auto& rpc = s_.tf_config->rpc_layer)
            if (!is_rpc_layer_name(*rpc)) add("tf_config.rpc_layer", q(*rpc), rpc_layer_rule);
        if (!task_count_known() || !all_known("tf_config")) return;
        for (auto& p : check_tf_cluster(s_, effective_profile(s_), effective_consumer(s_)))
            found_.push_back(std::move(p));
    }

    /// One word for a launcher's command line: not empty, no whitespace or
    /// control characters.
    void check_launcher_word(const std::string& path, const std::string& value, const char* if_empty) {
        if (value.empty()) {
            add(path, "\"\"", if_empty);
            return;
        }
        for (char c : value)
            if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
                add(path, q(value), "must be one word, without whitespace or control characters");
                return;
            }
    }

    /// An argument list (extra_args, command_prefix): no empty argument, no NUL.
    void check_arguments(const char* field, const std::vector<std::string>& args) {
        for (std::size_t i = 0; i < args.size(); ++i) {
            const auto path = fmt::format("{}[{}]", field, i);
            if (args[i].empty()) add(path, "\"\"", "must not be empty");
            if (args[i].find('\0') != std::string::npos) add(path, q(args[i]), "must not contain NUL");
        }
    }

    /// mpi: how an mpi job is launched. Settings that the job's flavor
    /// cannot honour are errors, not silently dropped.
    void check_mpi() {
        if (!s_.mpi) return;
        if (!is(backend_kind::mpi) && known("distributed_backend")) {
            add("mpi", "",
                fmt::format("applies only to distributed_backend \"mpi\" (backend is {}); other jobs start no MPI "
                            "launcher",
                            backend_text()));
            return;
        }
        const auto& m = *s_.mpi;
        const auto flavor = effective_mpi_flavor(s_);
        const bool flavor_known = known("mpi.flavor");
        const auto flavor_text = q(enum_name(flavor));

        if (m.network_interface) {
            const auto& nic = *m.network_interface;
            if (auto why = network_interface_problem(nic)) add("mpi.network_interface", q(nic), *why);
            for (const auto& v : s_.environment_variables)
                if (v.name == "NCCL_SOCKET_IFNAME") {
                    add("mpi.network_interface", q(nic),
                        "also sets NCCL_SOCKET_IFNAME, which environment_variables sets too; set one of them");
                    break;
                }
        }
        if (m.ssh_port) {
            if (auto why = tcp_port_problem(*m.ssh_port))
                add("mpi.ssh_port", n(*m.ssh_port), *why);
            else if (flavor_known && flavor == mpi_flavor::mpich)
                add("mpi.ssh_port", n(*m.ssh_port), std::string(mpich_ssh_port_rule) + " (flavor is \"mpich\")");
        }
        if (m.open_mpi_major) {
            if (*m.open_mpi_major != 4 && *m.open_mpi_major != 5)
                add("mpi.open_mpi_major", n(*m.open_mpi_major), "must be 4 or 5");
            else if (flavor_known && flavor != mpi_flavor::openmpi)
                add("mpi.open_mpi_major", n(*m.open_mpi_major),
                    fmt::format("applies only to flavor \"openmpi\" (flavor is {})", flavor_text));
        }
        for (auto [path, field] : {std::pair{"mpi.bind_to", &m.bind_to}, {"mpi.map_by", &m.map_by}}) {
            if (!*field || !**field) continue;  // unset, or null: the flag left out
            const auto& value = ***field;
            check_launcher_word(path, value, "must not be empty; null leaves the flag out");
            if (!flavor_known || value.empty()) continue;
            if (flavor == mpi_flavor::intel)
                add(path, q(value),
                    "Intel MPI gets no binding arguments (it pins with I_MPI_PIN_*; flavor is \"intel\")");
            else if (flavor == mpi_flavor::horovodrun)
                add(path, q(value), "horovodrun applies Horovod's binding itself (flavor is \"horovodrun\")");
        }
        const auto earlier = earlier_same(m.mca, [](const auto& p) { return std::string_view(p.name); });
        for (std::size_t i = 0; i < m.mca.size(); ++i) {
            const auto& [name, value] = m.mca[i];
            const auto path = fmt::format("mpi.mca[{}]", q(name));
            const auto shown = value ? q(*value) : std::string("null");
            if (auto why = mca_name_problem(name)) add(path, shown, *why);
            if (earlier[i] != std::string_view::npos) add(path, shown, "is set twice");
            if (!value) continue;  // removes a default
            if (auto why = mca_value_problem(*value)) {
                add(path, shown, *why);
            } else if (flavor_known && flavor != mpi_flavor::openmpi) {
                add(path, shown, fmt::format("MCA parameters are Open MPI's; flavor {} has none", flavor_text));
            }
        }
        // Open MPI's TCP transport refuses an include list and an exclude
        // list together ("Only one of these can be set").
        const auto mca_value = [&m](std::string_view name) -> const std::optional<std::string>* {
            for (const auto& p : m.mca)
                if (p.name == name && p.value) return &p.value;
            return nullptr;
        };
        if (const auto* exclude = mca_value("btl_tcp_if_exclude")) {
            if (m.network_interface)
                add("mpi.mca[\"btl_tcp_if_exclude\"]", q(**exclude),
                    "network_interface sets btl_tcp_if_include, and Open MPI takes only one of include and exclude");
            else if (mca_value("btl_tcp_if_include"))
                add("mpi.mca[\"btl_tcp_if_exclude\"]", q(**exclude),
                    "Open MPI takes only one of btl_tcp_if_include and btl_tcp_if_exclude");
        }
        check_arguments("mpi.extra_args", m.extra_args);
        if (m.command_prefix) check_arguments("mpi.command_prefix", *m.command_prefix);
    }

    /// onnx_export: relative paths (inside the run's directory) and an opset
    /// tf2onnx converts to.
    void check_onnx_export() {
        if (!s_.onnx_export) return;
        const auto& o = *s_.onnx_export;
        for (auto [path, field] :
             {std::pair{"onnx_export.saved_model", &o.saved_model}, {"onnx_export.output", &o.output}}) {
            if (!*field) continue;
            if ((*field)->empty()) add(path, "\"\"", "must not be empty");
            check_relative_path(path, **field);
        }
        if (o.saved_model && o.output && *o.saved_model == *o.output && !o.output->empty())
            add("onnx_export.output", q(*o.output), "must differ from onnx_export.saved_model");
        if (o.opset && (*o.opset < min_onnx_opset || *o.opset > max_onnx_opset))
            add("onnx_export.opset", n(*o.opset),
                fmt::format("must be an ONNX opset from {} to {} (tf2onnx's range)", min_onnx_opset, max_onnx_opset));
    }

    /// Where the built image goes, what it can be built with, and how Slurm
    /// reaches it.
    void check_image() {
        const bool docker = effective_use_docker(s_);
        if (s_.image_registry) {
            const auto& r = *s_.image_registry;
            if (auto why = image_repository_problem(r)) add("image_registry", q(r), std::string(*why));
            if (!docker && known("use_docker"))
                add("image_registry", q(r), "is where the job's image goes; the job has use_docker = false");
            else if (effective_user_managed(s_) && known("user_managed"))
                add("image_registry", q(r),
                    "is where the job's built image goes; a user_managed job runs its image as it is");
        }
        if (s_.slurm_environment && all_known("use_docker", "user_managed", "pip_requirements_file"))
            if (auto why = slurm_environment_problem(s_, *s_.slurm_environment))
                add("slurm_environment", q(enum_name(*s_.slurm_environment)), *why);
    }

    /// The releases the job's environment installs, from the table of the
    /// ones known to work with its TensorFlow (images.hpp).
    void check_release_pins() {
        if (effective_user_managed(s_) || !all_known("framework_version", "user_managed")) return;
        const auto version = effective_framework_version(s_);
        if (!is_supported_framework_version(version)) return;
        const auto& pins = framework_image_for(version);
        if (is(backend_kind::mpi) && pins.horovod.empty())
            add("framework_version", q(version),
                "has no Horovod release known to build against it (Horovod " +
                    release_ranges(&framework_image::horovod) +
                    "; 2.16 moved to Keras 3): use such a version, or user_managed with an image that has Horovod");
        if (!s_.onnx_export) return;
        if (pins.tf2onnx.empty())
            add("onnx_export", "",
                "has no tf2onnx release known to convert TensorFlow " + version + " (tf2onnx " +
                    release_ranges(&framework_image::tf2onnx) +
                    "): use such a version, or user_managed with an image that has tf2onnx");
        else if (effective_onnx_opset(s_) > tf2onnx_max_opset(pins.tf2onnx))
            add("onnx_export.opset", n(effective_onnx_opset(s_)),
                fmt::format("tf2onnx {}, the release for TensorFlow {}, converts to opset {} at most", pins.tf2onnx,
                            version, tf2onnx_max_opset(pins.tf2onnx)));
    }

    void check_name() {
        if (!s_.name) return;
        const auto& name = *s_.name;
        if (!is_dns1035_label(name)) {
            add("name", q(name),
                "must be a DNS-1035 label: lower-case letters, digits and '-', starting with a letter, ending "
                "with a letter or digit, at most 63 characters");
            return;
        }
        for (const auto& derived : derived_resource_names(s_, name))
            if (derived.size() > max_dns_label_length) {
                add("name", q(name),
                    fmt::format("the derived resource name \"{}\" has {} characters; Kubernetes allows at most 63",
                                derived, derived.size()));
                break;
            }
    }

    const job_spec& s_;
    std::vector<std::string> unreadable_;
    problems found_;
};

}  // namespace detail

/// Every problem of `spec`, grouped by rule; empty when the job is valid.
inline problems validate(const job_spec& spec) { return detail::rule_checker(spec).run(); }

TRAINSPEC_END_NAMESPACE
