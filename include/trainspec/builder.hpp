#pragma once
// The typed builder: trainspec::tensorflow() and trainspec::keras().
//
// The builder's type records which setters have been called, the chosen
// backend and a node count given as a compile-time constant. Misuse the type
// can see is one readable static_assert:
//   * build() without source_directory(), entry_script() or compute_target();
//   * a backend-only setter before its backend was chosen (worker_count()
//     needs parameter_server or multi_worker; parameter_server_count(),
//     chief_count() and evaluator_count() need parameter_server;
//     process_count_per_node() needs mpi);
//   * a second distributed_backend(), or any setter called twice;
//   * compile-time counts out of range (node_count<0>(), chief_count<2>()),
//     and node_count<N>() with N > 1 but no backend at build();
//   * user_managed() together with packages or package files, and
//     conda_dependencies_file() together with package lists.
// Setters copy the builder, so a partly built estimator can be reused.
// build() then checks values at run time and throws validation_error listing
// every problem; validate() returns the problems instead.
//
// Each rule is also a static constexpr bool of the builder type (accepts_*,
// ready_to_build), so tests and generic code can ask without failing.

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <trainspec/job.hpp>
#include <trainspec/spec/backend.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/validate.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

// One bit per setter, so that the type knows what has been called.
enum builder_bit : unsigned {
    set_source_directory = 1u << 0,
    set_entry_script = 1u << 1,
    set_compute_target = 1u << 2,
    set_backend = 1u << 3,
    set_node_count = 1u << 4,
    set_process_count_per_node = 1u << 5,
    set_worker_count = 1u << 6,
    set_parameter_server_count = 1u << 7,
    set_chief_count = 1u << 8,
    set_evaluator_count = 1u << 9,
    set_user_managed = 1u << 10,
    set_conda_packages = 1u << 11,
    set_pip_packages = 1u << 12,
    set_conda_dependencies_file = 1u << 13,
    set_pip_requirements_file = 1u << 14,
    set_script_params = 1u << 15,
    set_name = 1u << 16,
    set_use_gpu = 1u << 17,
    set_use_docker = 1u << 18,
    set_custom_docker_image = 1u << 19,
    set_environment_variables = 1u << 20,
    set_shm_size = 1u << 21,
    set_max_run_duration = 1u << 22,
    set_framework_version = 1u << 23,
    set_vm_size = 1u << 24,
    set_vm_priority = 1u << 25,
    set_port = 1u << 26,
    set_tf_config = 1u << 27,
    set_mpi = 1u << 28,
    set_onnx_export = 1u << 29,
    set_image_registry = 1u << 30,
    set_slurm_environment = 1u << 31,
};

/// NodeCount when the node count is not a compile-time constant.
inline constexpr int runtime_count = -1;

/// The backend distributed_backend(B) switches to. A B that is no backend
/// keeps the current one: its static_assert has already said what is wrong,
/// and a job_builder<B> (or B::kind) would only add errors after it.
template <class B, class Current>
using chosen_backend_t = std::conditional_t<is_backend_v<B>, B, Current>;

}  // namespace detail

template <class Backend = single_node, unsigned Flags = 0, int NodeCount = detail::runtime_count>
class job_builder {
    static_assert(is_backend_v<Backend>,
                  "job_builder<Backend>: Backend must be single_node, mpi, parameter_server or multi_worker");

    static constexpr bool has(unsigned bit) { return (Flags & bit) != 0; }
    static constexpr bool is_ps = std::is_same_v<Backend, parameter_server>;
    static constexpr bool is_multi_worker = std::is_same_v<Backend, multi_worker>;
    static constexpr bool is_mpi = std::is_same_v<Backend, mpi>;
    static constexpr unsigned package_bits =
        detail::set_conda_packages | detail::set_pip_packages | detail::set_pip_requirements_file;

public:
    using backend = Backend;

    // ---- what the type allows (each static_assert below checks one) ----
    static constexpr bool has_source_directory = has(detail::set_source_directory);
    static constexpr bool has_entry_script = has(detail::set_entry_script);
    static constexpr bool has_compute_target = has(detail::set_compute_target) || has(detail::set_vm_size);
    static constexpr bool node_count_needs_backend = NodeCount > 1 && std::is_same_v<Backend, single_node>;
    static constexpr bool ready_to_build =
        has_source_directory && has_entry_script && has_compute_target && !node_count_needs_backend;

    static constexpr bool accepts_backend = !has(detail::set_backend);
    static constexpr bool accepts_worker_count = (is_ps || is_multi_worker) && !has(detail::set_worker_count);
    static constexpr bool accepts_parameter_server_count = is_ps && !has(detail::set_parameter_server_count);
    static constexpr bool accepts_chief_count = is_ps && !has(detail::set_chief_count);
    static constexpr bool accepts_evaluator_count = is_ps && !has(detail::set_evaluator_count);
    static constexpr bool accepts_process_count_per_node = is_mpi && !has(detail::set_process_count_per_node);
    static constexpr bool accepts_port = (is_ps || is_multi_worker) && !has(detail::set_port);
    static constexpr bool accepts_tf_config = (is_ps || is_multi_worker) && !has(detail::set_tf_config);
    static constexpr bool accepts_mpi_launch = is_mpi && !has(detail::set_mpi);
    static constexpr bool accepts_user_managed =
        !has(detail::set_user_managed) && !(Flags & package_bits) && !has(detail::set_conda_dependencies_file);
    static constexpr bool accepts_packages =
        !has(detail::set_user_managed) && !has(detail::set_conda_dependencies_file);
    static constexpr bool accepts_conda_dependencies_file =
        !has(detail::set_user_managed) && !(Flags & package_bits) && !has(detail::set_conda_dependencies_file);
    template <int N>
    static constexpr bool accepts_node_count = N >= 1 && !has(detail::set_node_count);

    job_builder() = default;

    // ---- the estimator's parameters ----

    job_builder<Backend, Flags | detail::set_name, NodeCount> name(std::string job_name) const {
        static_assert(!has(detail::set_name), "name() is already set");
        return next<detail::set_name>([&](job_spec& s) { s.name = std::move(job_name); });
    }

    job_builder<Backend, Flags | detail::set_source_directory, NodeCount> source_directory(std::string dir) const {
        static_assert(!has_source_directory, "source_directory() is already set");
        return next<detail::set_source_directory>([&](job_spec& s) { s.source_directory = std::move(dir); });
    }

    job_builder<Backend, Flags | detail::set_entry_script, NodeCount> entry_script(std::string script) const {
        static_assert(!has_entry_script, "entry_script() is already set");
        return next<detail::set_entry_script>([&](job_spec& s) { s.entry_script = std::move(script); });
    }

    job_builder<Backend, Flags | detail::set_script_params, NodeCount> script_params(
        trainspec::script_params params) const {
        static_assert(!has(detail::set_script_params), "script_params() is already set");
        return next<detail::set_script_params>([&](job_spec& s) { s.params = std::move(params); });
    }

    /// A named target ("gpu-cluster", "local") or a compute_target with its
    /// node shape and hosts.
    job_builder<Backend, Flags | detail::set_compute_target, NodeCount> compute_target(
        trainspec::compute_target target) const {
        static_assert(!has(detail::set_compute_target), "compute_target() is already set");
        return next<detail::set_compute_target>([&](job_spec& s) { s.target = std::move(target); });
    }

    /// Creates a target of this VM size instead of naming one (Azure ML).
    job_builder<Backend, Flags | detail::set_vm_size, NodeCount> vm_size(std::string size) const {
        static_assert(!has(detail::set_vm_size), "vm_size() is already set");
        return next<detail::set_vm_size>([&](job_spec& s) { s.vm_size = std::move(size); });
    }

    job_builder<Backend, Flags | detail::set_vm_priority, NodeCount> vm_priority(std::string priority) const {
        static_assert(!has(detail::set_vm_priority), "vm_priority() is already set");
        return next<detail::set_vm_priority>([&](job_spec& s) { s.vm_priority = std::move(priority); });
    }

    job_builder<Backend, Flags | detail::set_node_count, NodeCount> node_count(int nodes) const {
        static_assert(!has(detail::set_node_count), "node_count() is already set");
        return next<detail::set_node_count>([&](job_spec& s) { s.node_count = nodes; });
    }

    /// A node count known at compile time: its rules are checked at compile
    /// time (at least 1; above 1 only with a distributed backend).
    template <int N>
    job_builder<Backend, Flags | detail::set_node_count, N> node_count() const {
        static_assert(!has(detail::set_node_count), "node_count() is already set");
        static_assert(has(detail::set_node_count) || N >= 1,
                      "node_count<N>(): N must be at least 1 (Node count should be at least 1.)");
        return next<detail::set_node_count, Backend, N>([&](job_spec& s) { s.node_count = N; });
    }

    /// Chooses the backend: trainspec::mpi{}, parameter_server{} or
    /// multi_worker{}. Backend-only setters become available after it.
    template <class B>
    job_builder<detail::chosen_backend_t<B, Backend>, Flags | detail::set_backend, NodeCount> distributed_backend(
        B = {}) const {
        static_assert(is_backend_v<B>,
                      "distributed_backend(): choose trainspec::mpi, trainspec::parameter_server or "
                      "trainspec::multi_worker");
        static_assert(!is_backend_v<B> || accepts_backend, "distributed_backend() can be chosen only once per job");
        static_assert(!is_backend_v<B> || !accepts_backend || !std::is_same_v<B, single_node>,
                      "distributed_backend(): single_node is what a job without a backend is; choose "
                      "trainspec::mpi, trainspec::parameter_server or trainspec::multi_worker");
        using chosen = detail::chosen_backend_t<B, Backend>;
        return next<detail::set_backend, chosen>([&](job_spec& s) { s.distributed_backend = chosen::kind; });
    }

    job_builder<Backend, Flags | detail::set_process_count_per_node, NodeCount> process_count_per_node(
        int processes) const {
        assert_process_count_per_node();
        return next<detail::set_process_count_per_node>([&](job_spec& s) { s.process_count_per_node = processes; });
    }
    template <int N>
    job_builder<Backend, Flags | detail::set_process_count_per_node, NodeCount> process_count_per_node() const {
        assert_process_count_per_node();
        static_assert(!accepts_process_count_per_node || N >= 1,
                      "process_count_per_node<N>(): N must be at least 1 (Process count per node should be at "
                      "least 1.)");
        return process_count_per_node(N);
    }

    job_builder<Backend, Flags | detail::set_worker_count, NodeCount> worker_count(int workers) const {
        static_assert(is_ps || is_multi_worker,
                      "worker_count() applies only to distributed_backend(trainspec::parameter_server{}) or "
                      "distributed_backend(trainspec::multi_worker{}); choose the backend first");
        static_assert(!(is_ps || is_multi_worker) || accepts_worker_count, "worker_count() is already set");
        return next<detail::set_worker_count>([&](job_spec& s) { s.worker_count = workers; });
    }
    template <int N>
    job_builder<Backend, Flags | detail::set_worker_count, NodeCount> worker_count() const {
        static_assert(!accepts_worker_count || N >= 1, "worker_count<N>(): N must be at least 1");
        return worker_count(N);
    }

    job_builder<Backend, Flags | detail::set_parameter_server_count, NodeCount> parameter_server_count(
        int servers) const {
        static_assert(is_ps,
                      "parameter_server_count() applies only to distributed_backend(trainspec::parameter_server{}); "
                      "choose the backend first");
        static_assert(!is_ps || accepts_parameter_server_count, "parameter_server_count() is already set");
        return next<detail::set_parameter_server_count>([&](job_spec& s) { s.parameter_server_count = servers; });
    }
    template <int N>
    job_builder<Backend, Flags | detail::set_parameter_server_count, NodeCount> parameter_server_count() const {
        static_assert(!accepts_parameter_server_count || N >= 1,
                      "parameter_server_count<N>(): N must be at least 1 for a parameter-server job");
        return parameter_server_count(N);
    }

    job_builder<Backend, Flags | detail::set_chief_count, NodeCount> chief_count(int chiefs) const {
        static_assert(is_ps,
                      "chief_count() applies only to distributed_backend(trainspec::parameter_server{}); choose "
                      "the backend first");
        static_assert(!is_ps || accepts_chief_count, "chief_count() is already set");
        return next<detail::set_chief_count>([&](job_spec& s) { s.chief_count = chiefs; });
    }
    template <int N>
    job_builder<Backend, Flags | detail::set_chief_count, NodeCount> chief_count() const {
        static_assert(!accepts_chief_count || N == 0 || N == 1, "chief_count<N>(): N must be 0 or 1");
        return chief_count(N);
    }

    job_builder<Backend, Flags | detail::set_evaluator_count, NodeCount> evaluator_count(int evaluators) const {
        static_assert(is_ps,
                      "evaluator_count() applies only to distributed_backend(trainspec::parameter_server{}); "
                      "choose the backend first");
        static_assert(!is_ps || accepts_evaluator_count, "evaluator_count() is already set");
        return next<detail::set_evaluator_count>([&](job_spec& s) { s.evaluator_count = evaluators; });
    }
    template <int N>
    job_builder<Backend, Flags | detail::set_evaluator_count, NodeCount> evaluator_count() const {
        static_assert(!accepts_evaluator_count || N == 0 || N == 1, "evaluator_count<N>(): N must be 0 or 1");
        return evaluator_count(N);
    }

    job_builder<Backend, Flags | detail::set_use_gpu, NodeCount> use_gpu(bool gpu = true) const {
        static_assert(!has(detail::set_use_gpu), "use_gpu() is already set");
        return next<detail::set_use_gpu>([&](job_spec& s) { s.use_gpu = gpu; });
    }

    job_builder<Backend, Flags | detail::set_use_docker, NodeCount> use_docker(bool docker) const {
        static_assert(!has(detail::set_use_docker), "use_docker() is already set");
        return next<detail::set_use_docker>([&](job_spec& s) { s.use_docker = docker; });
    }

    job_builder<Backend, Flags | detail::set_custom_docker_image, NodeCount> custom_docker_image(
        std::string image) const {
        static_assert(!has(detail::set_custom_docker_image), "custom_docker_image() is already set");
        return next<detail::set_custom_docker_image>([&](job_spec& s) { s.custom_docker_image = std::move(image); });
    }

    /// The image already holds every package: no package lists or files.
    job_builder<Backend, Flags | detail::set_user_managed, NodeCount> user_managed() const {
        static_assert(!has(detail::set_user_managed), "user_managed() is already set");
        static_assert(has(detail::set_user_managed) || accepts_user_managed,
                      "user_managed() means the image already has everything: it cannot be combined with "
                      "conda_packages(), pip_packages(), conda_dependencies_file() or pip_requirements_file()");
        return next<detail::set_user_managed>([&](job_spec& s) { s.user_managed = true; });
    }

    job_builder<Backend, Flags | detail::set_conda_packages, NodeCount> conda_packages(
        std::vector<std::string> packages) const {
        assert_package_setter<detail::set_conda_packages>();
        return next<detail::set_conda_packages>([&](job_spec& s) { s.conda_packages = std::move(packages); });
    }

    job_builder<Backend, Flags | detail::set_pip_packages, NodeCount> pip_packages(
        std::vector<std::string> packages) const {
        assert_package_setter<detail::set_pip_packages>();
        return next<detail::set_pip_packages>([&](job_spec& s) { s.pip_packages = std::move(packages); });
    }

    job_builder<Backend, Flags | detail::set_pip_requirements_file, NodeCount> pip_requirements_file(
        std::string file) const {
        assert_package_setter<detail::set_pip_requirements_file>();
        return next<detail::set_pip_requirements_file>([&](job_spec& s) { s.pip_requirements_file = std::move(file); });
    }

    /// A conda environment file that lists every package of the job.
    job_builder<Backend, Flags | detail::set_conda_dependencies_file, NodeCount> conda_dependencies_file(
        std::string file) const {
        static_assert(!has(detail::set_conda_dependencies_file), "conda_dependencies_file() is already set");
        static_assert(has(detail::set_conda_dependencies_file) || !has(detail::set_user_managed),
                      "user_managed() means the image already has everything: it cannot be combined with "
                      "conda_packages(), pip_packages(), conda_dependencies_file() or pip_requirements_file()");
        static_assert(
            has(detail::set_conda_dependencies_file) || has(detail::set_user_managed) || !(Flags & package_bits),
            "conda_dependencies_file() lists every package: it cannot be combined with "
            "conda_packages(), pip_packages() or pip_requirements_file()");
        return next<detail::set_conda_dependencies_file>(
            [&](job_spec& s) { s.conda_dependencies_file = std::move(file); });
    }

    job_builder<Backend, Flags | detail::set_environment_variables, NodeCount> environment_variables(
        std::vector<environment_variable> variables) const {
        static_assert(!has(detail::set_environment_variables), "environment_variables() is already set");
        return next<detail::set_environment_variables>(
            [&](job_spec& s) { s.environment_variables = std::move(variables); });
    }

    job_builder<Backend, Flags | detail::set_shm_size, NodeCount> shm_size(std::string size) const {
        static_assert(!has(detail::set_shm_size), "shm_size() is already set");
        return next<detail::set_shm_size>([&](job_spec& s) { s.shm_size = std::move(size); });
    }

    job_builder<Backend, Flags | detail::set_max_run_duration, NodeCount> max_run_duration_seconds(
        std::int64_t seconds) const {
        static_assert(!has(detail::set_max_run_duration), "max_run_duration_seconds() is already set");
        return next<detail::set_max_run_duration>([&](job_spec& s) { s.max_run_duration_seconds = seconds; });
    }

    job_builder<Backend, Flags | detail::set_framework_version, NodeCount> framework_version(
        std::string version) const {
        static_assert(!has(detail::set_framework_version), "framework_version() is already set");
        return next<detail::set_framework_version>([&](job_spec& s) { s.framework_version = std::move(version); });
    }

    /// The first port of the TensorFlow tasks on a host (ps, multi_worker).
    job_builder<Backend, Flags | detail::set_port, NodeCount> port(int first_port) const {
        static_assert(is_ps || is_multi_worker,
                      "port() applies only to distributed_backend(trainspec::parameter_server{}) or "
                      "distributed_backend(trainspec::multi_worker{}): only TensorFlow servers listen on it");
        static_assert(!(is_ps || is_multi_worker) || accepts_port, "port() is already set");
        return next<detail::set_port>([&](job_spec& s) { s.port = first_port; });
    }

    /// How TF_CONFIG is written (profile, rpc_layer, sparse) and which
    /// TensorFlow API reads it (consumer); ps and multi_worker jobs.
    job_builder<Backend, Flags | detail::set_tf_config, NodeCount> tf_config(tf_config_settings settings) const {
        static_assert(is_ps || is_multi_worker,
                      "tf_config() applies only to distributed_backend(trainspec::parameter_server{}) or "
                      "distributed_backend(trainspec::multi_worker{}): other jobs get no TF_CONFIG");
        static_assert(!(is_ps || is_multi_worker) || accepts_tf_config, "tf_config() is already set");
        return next<detail::set_tf_config>([&](job_spec& s) { s.tf_config = std::move(settings); });
    }

    /// How an mpi job is launched: flavor, root, interface, ssh port, MCA...
    job_builder<Backend, Flags | detail::set_mpi, NodeCount> mpi_launch(trainspec::mpi_settings settings) const {
        static_assert(is_mpi, "mpi_launch() applies only to distributed_backend(trainspec::mpi{})");
        static_assert(!is_mpi || accepts_mpi_launch, "mpi_launch() is already set");
        return next<detail::set_mpi>([&](job_spec& s) { s.mpi = std::move(settings); });
    }

    /// Converts the trained SavedModel to ONNX after training (tf2onnx).
    job_builder<Backend, Flags | detail::set_onnx_export, NodeCount> onnx_export(
        onnx_export_settings settings = {}) const {
        static_assert(!has(detail::set_onnx_export), "onnx_export() is already set");
        return next<detail::set_onnx_export>([&](job_spec& s) { s.onnx_export = std::move(settings); });
    }

    /// Where the job's built image goes: `registry/repository`, no tag.
    job_builder<Backend, Flags | detail::set_image_registry, NodeCount> image_registry(std::string repository) const {
        static_assert(!has(detail::set_image_registry), "image_registry() is already set");
        return next<detail::set_image_registry>([&](job_spec& s) { s.image_registry = std::move(repository); });
    }

    /// How Slurm tasks reach the job's environment.
    job_builder<Backend, Flags | detail::set_slurm_environment, NodeCount> slurm_environment(
        slurm_environment_kind kind) const {
        static_assert(!has(detail::set_slurm_environment), "slurm_environment() is already set");
        return next<detail::set_slurm_environment>([&](job_spec& s) { s.slurm_environment = kind; });
    }

    // ---- results ----

    /// The spec as set so far (not validated).
    const job_spec& spec() const noexcept { return spec_; }

    /// Every run-time problem of the job as set so far.
    problems validate() const { return trainspec::validate(spec_); }

    /// The validated job. Throws validation_error listing every problem.
    job<Backend> build() const {
        static_assert(has_source_directory, "build(): source_directory() is missing; every job needs one");
        static_assert(!has_source_directory || has_entry_script,
                      "build(): entry_script() is missing; every job needs one");
        static_assert(!has_source_directory || !has_entry_script || has_compute_target,
                      "build(): compute_target() is missing (or vm_size()); every job needs one");
        static_assert(!has_source_directory || !has_entry_script || !has_compute_target || !node_count_needs_backend,
                      "build(): node_count<N>() with N > 1 needs distributed_backend(trainspec::mpi{}), "
                      "(trainspec::parameter_server{}) or (trainspec::multi_worker{})");
        return make_job_as<Backend>(spec_);
    }

private:
    template <class, unsigned, int>
    friend class job_builder;
    friend job_builder<> tensorflow();
    friend job_builder<> keras();

    explicit job_builder(job_spec spec) : spec_(std::move(spec)) {}

    template <unsigned Bit, class NextBackend = Backend, int NextNodeCount = NodeCount, class Change>
    job_builder<NextBackend, Flags | Bit, NextNodeCount> next(Change&& change) const {
        job_spec copy = spec_;
        change(copy);
        return job_builder<NextBackend, Flags | Bit, NextNodeCount>(std::move(copy));
    }

    static constexpr void assert_process_count_per_node() {
        static_assert(is_mpi,
                      "process_count_per_node() applies only to distributed_backend(trainspec::mpi{}); a "
                      "parameter-server or multi-worker job starts one process per task");
        static_assert(!is_mpi || accepts_process_count_per_node, "process_count_per_node() is already set");
    }

    template <unsigned Bit>
    static constexpr void assert_package_setter() {
        static_assert(!has(Bit), "this package setter is already set");
        static_assert(has(Bit) || !has(detail::set_user_managed),
                      "user_managed() means the image already has everything: it cannot be combined with "
                      "conda_packages(), pip_packages(), conda_dependencies_file() or pip_requirements_file()");
        static_assert(has(Bit) || has(detail::set_user_managed) || !has(detail::set_conda_dependencies_file),
                      "conda_dependencies_file() lists every package: it cannot be combined with "
                      "conda_packages(), pip_packages() or pip_requirements_file()");
    }

    job_spec spec_;
};

/// Starts a TensorFlow job, as Azure ML's `TensorFlow(...)` estimator.
inline job_builder<> tensorflow() { return job_builder<>(job_spec{}); }

/// Starts a Keras job on TensorFlow: the keras switch is on, which adds the
/// keras package to the environment.
inline job_builder<> keras() {
    job_spec spec;
    spec.keras = true;
    return job_builder<>(std::move(spec));
}

TRAINSPEC_END_NAMESPACE
