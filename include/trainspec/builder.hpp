#pragma once
// The typed builder: trainspec::tensorflow() and trainspec::keras(). The
// builder's type records which setters have been called (one bit per
// spec_key: each setter sets one key, mpi_launch() the key `mpi`), the chosen
// backend and a node count given as a compile-time constant. Each call is
// held to the checks of detail/builder_checks.hpp: the first that fails is
// one readable static_assert, and the same checks answer the builder's
// accepts_* and ready_to_build constants. docs/builder.md lists the rules.
//
// A chain of calls moves the spec from builder to builder; a named builder is
// copied, so it can be reused for several variants. build() checks values at
// run time and throws validation_error listing every problem; validate()
// returns the problems instead.

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <trainspec/detail/builder_checks.hpp>
#include <trainspec/job.hpp>
#include <trainspec/spec/backend.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/spec_keys.hpp>
#include <trainspec/sweep_builder.hpp>
#include <trainspec/validate.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {
/// NodeCount when the node count is not a compile-time constant.
inline constexpr int runtime_count = -1;
}  // namespace detail

template <class Backend = single_node, detail::key_set Keys = 0, int NodeCount = detail::runtime_count>
class job_builder {
    static_assert(is_backend_v<Backend>,
                  "job_builder<Backend>: Backend must be single_node, mpi, parameter_server or multi_worker");

    static constexpr bool has(spec_key key) { return detail::contains(Keys, key); }

    /// The checks of a call of Key's setter, then the call's own (Extra).
    template <spec_key Key, class... Extra>
    using rules = detail::setter_checks<Key, Backend, Keys, Extra...>;
    template <spec_key Key, bool InRange>
    using count_rules = rules<Key, detail::check<InRange, detail::count_out_of_range<Key>>>;
    template <class B>
    using backend_choice_rules =
        rules<spec_key::distributed_backend, detail::check<is_backend_v<B>, detail::not_a_backend>,
              detail::check<!std::is_same_v<B, single_node>, detail::single_node_chosen>>;

public:
    using backend = Backend;
    /// What a setter returns: Key recorded, maybe a new backend or node count.
    template <spec_key Key, class NextBackend = Backend, int NextNodeCount = NodeCount>
    using next_builder = job_builder<NextBackend, detail::with(Keys, Key), NextNodeCount>;

    // ---- what the type allows: the checks that build() and the setters report ----
    static constexpr bool has_source_directory = has(spec_key::source_directory);
    static constexpr bool has_entry_script = has(spec_key::entry_script);
    static constexpr bool has_compute_target = has(spec_key::compute_target) || has(spec_key::vm_size);
    static constexpr bool node_count_needs_backend = NodeCount > 1 && std::is_same_v<Backend, single_node>;
    using build_rules =
        detail::all_of<detail::check<has_source_directory, detail::missing_for_build<spec_key::source_directory>>,
                       detail::check<has_entry_script, detail::missing_for_build<spec_key::entry_script>>,
                       detail::check<has_compute_target, detail::missing_for_build<spec_key::compute_target>>,
                       detail::check<!node_count_needs_backend, detail::node_count_without_backend>>;
    static constexpr bool ready_to_build = build_rules::ok;

    /// Whether Key's setter may be called now.
    template <spec_key Key>
    static constexpr bool accepts = rules<Key>::ok;
    static constexpr bool accepts_backend = accepts<spec_key::distributed_backend>;
    static constexpr bool accepts_worker_count = accepts<spec_key::worker_count>;
    static constexpr bool accepts_parameter_server_count = accepts<spec_key::parameter_server_count>;
    static constexpr bool accepts_chief_count = accepts<spec_key::chief_count>;
    static constexpr bool accepts_evaluator_count = accepts<spec_key::evaluator_count>;
    static constexpr bool accepts_process_count_per_node = accepts<spec_key::process_count_per_node>;
    static constexpr bool accepts_port = accepts<spec_key::port>;
    static constexpr bool accepts_tf_config = accepts<spec_key::tf_config>;
    static constexpr bool accepts_mpi_launch = accepts<spec_key::mpi>;
    static constexpr bool accepts_user_managed = accepts<spec_key::user_managed>;
    static constexpr bool accepts_conda_dependencies_file = accepts<spec_key::conda_dependencies_file>;
    /// Whether package lists may be added (however many are set already).
    static constexpr bool accepts_packages =
        !detail::package_sources_clash(detail::with(Keys, spec_key::conda_packages));
    template <int N>
    static constexpr bool accepts_node_count = count_rules<spec_key::node_count, (N >= 1)>::ok;

    job_builder() = default;

    // ---- the estimator's parameters ----
    // On a temporary (&&) a setter moves the spec on; on a named builder
    // (const&) it works on a copy, so the named builder stays as it is.

    next_builder<spec_key::name> name(std::string job_name) && {
        return set<rules<spec_key::name>>(&job_spec::name, std::move(job_name));
    }
    next_builder<spec_key::name> name(std::string job_name) const& {
        return job_builder(*this).name(std::move(job_name));
    }
    next_builder<spec_key::source_directory> source_directory(std::string dir) && {
        return set<rules<spec_key::source_directory>>(&job_spec::source_directory, std::move(dir));
    }
    next_builder<spec_key::source_directory> source_directory(std::string dir) const& {
        return job_builder(*this).source_directory(std::move(dir));
    }
    /// Containers mount the source directory read-only unless this is set
    /// (or the job has onnx_export, which writes there).
    next_builder<spec_key::writable_source_directory> writable_source_directory(bool writable = true) && {
        return set<rules<spec_key::writable_source_directory>>(&job_spec::writable_source_directory, writable);
    }
    next_builder<spec_key::writable_source_directory> writable_source_directory(bool writable = true) const& {
        return job_builder(*this).writable_source_directory(writable);
    }
    next_builder<spec_key::entry_script> entry_script(std::string script) && {
        return set<rules<spec_key::entry_script>>(&job_spec::entry_script, std::move(script));
    }
    next_builder<spec_key::entry_script> entry_script(std::string script) const& {
        return job_builder(*this).entry_script(std::move(script));
    }
    next_builder<spec_key::script_params> script_params(trainspec::script_params params) && {
        return set<rules<spec_key::script_params>>(&job_spec::params, std::move(params));
    }
    next_builder<spec_key::script_params> script_params(trainspec::script_params params) const& {
        return job_builder(*this).script_params(std::move(params));
    }

    /// A named target ("gpu-cluster", "local") or a compute_target with its
    /// node shape and hosts.
    next_builder<spec_key::compute_target> compute_target(trainspec::compute_target target) && {
        return set<rules<spec_key::compute_target>>(&job_spec::target, std::move(target));
    }
    next_builder<spec_key::compute_target> compute_target(trainspec::compute_target target) const& {
        return job_builder(*this).compute_target(std::move(target));
    }
    /// Creates a target of this VM size instead of naming one (Azure ML).
    next_builder<spec_key::vm_size> vm_size(std::string size) && {
        return set<rules<spec_key::vm_size>>(&job_spec::vm_size, std::move(size));
    }
    next_builder<spec_key::vm_size> vm_size(std::string size) const& {
        return job_builder(*this).vm_size(std::move(size));
    }
    next_builder<spec_key::vm_priority> vm_priority(std::string priority) && {
        return set<rules<spec_key::vm_priority>>(&job_spec::vm_priority, std::move(priority));
    }
    next_builder<spec_key::vm_priority> vm_priority(std::string priority) const& {
        return job_builder(*this).vm_priority(std::move(priority));
    }

    next_builder<spec_key::node_count> node_count(int nodes) && {
        return set<rules<spec_key::node_count>>(&job_spec::node_count, nodes);
    }
    next_builder<spec_key::node_count> node_count(int nodes) const& { return job_builder(*this).node_count(nodes); }
    /// A node count known at compile time: at least 1, and above 1 only with
    /// a distributed backend (checked by build()).
    template <int N>
    next_builder<spec_key::node_count, Backend, N> node_count() && {
        return set<count_rules<spec_key::node_count, (N >= 1)>, Backend, N>(&job_spec::node_count, N);
    }
    template <int N>
    next_builder<spec_key::node_count, Backend, N> node_count() const& {
        return job_builder(*this).template node_count<N>();
    }
    /// Chooses the backend: trainspec::mpi{}, parameter_server{} or
    /// multi_worker{}. Backend-only setters become available after it.
    template <class B>
    next_builder<spec_key::distributed_backend, detail::chosen_backend_t<B, Backend>> distributed_backend(B = {}) && {
        using chosen = detail::chosen_backend_t<B, Backend>;
        return set<backend_choice_rules<B>, chosen>(&job_spec::distributed_backend, chosen::kind);
    }
    template <class B>
    next_builder<spec_key::distributed_backend, detail::chosen_backend_t<B, Backend>> distributed_backend(
        B backend = {}) const& {
        return job_builder(*this).distributed_backend(backend);
    }
    next_builder<spec_key::process_count_per_node> process_count_per_node(int processes) && {
        return set<rules<spec_key::process_count_per_node>>(&job_spec::process_count_per_node, processes);
    }
    next_builder<spec_key::process_count_per_node> process_count_per_node(int processes) const& {
        return job_builder(*this).process_count_per_node(processes);
    }
    template <int N>
    next_builder<spec_key::process_count_per_node> process_count_per_node() && {
        return set<count_rules<spec_key::process_count_per_node, (N >= 1)>>(&job_spec::process_count_per_node, N);
    }
    template <int N>
    next_builder<spec_key::process_count_per_node> process_count_per_node() const& {
        return job_builder(*this).template process_count_per_node<N>();
    }
    next_builder<spec_key::worker_count> worker_count(int workers) && {
        return set<rules<spec_key::worker_count>>(&job_spec::worker_count, workers);
    }
    next_builder<spec_key::worker_count> worker_count(int workers) const& {
        return job_builder(*this).worker_count(workers);
    }
    template <int N>
    next_builder<spec_key::worker_count> worker_count() && {
        return set<count_rules<spec_key::worker_count, (N >= 1)>>(&job_spec::worker_count, N);
    }
    template <int N>
    next_builder<spec_key::worker_count> worker_count() const& {
        return job_builder(*this).template worker_count<N>();
    }
    next_builder<spec_key::parameter_server_count> parameter_server_count(int servers) && {
        return set<rules<spec_key::parameter_server_count>>(&job_spec::parameter_server_count, servers);
    }
    next_builder<spec_key::parameter_server_count> parameter_server_count(int servers) const& {
        return job_builder(*this).parameter_server_count(servers);
    }
    template <int N>
    next_builder<spec_key::parameter_server_count> parameter_server_count() && {
        return set<count_rules<spec_key::parameter_server_count, (N >= 1)>>(&job_spec::parameter_server_count, N);
    }
    template <int N>
    next_builder<spec_key::parameter_server_count> parameter_server_count() const& {
        return job_builder(*this).template parameter_server_count<N>();
    }
    next_builder<spec_key::chief_count> chief_count(int chiefs) && {
        return set<rules<spec_key::chief_count>>(&job_spec::chief_count, chiefs);
    }
    next_builder<spec_key::chief_count> chief_count(int chiefs) const& {
        return job_builder(*this).chief_count(chiefs);
    }
    template <int N>
    next_builder<spec_key::chief_count> chief_count() && {
        return set<count_rules<spec_key::chief_count, (N == 0 || N == 1)>>(&job_spec::chief_count, N);
    }
    template <int N>
    next_builder<spec_key::chief_count> chief_count() const& {
        return job_builder(*this).template chief_count<N>();
    }
    next_builder<spec_key::evaluator_count> evaluator_count(int evaluators) && {
        return set<rules<spec_key::evaluator_count>>(&job_spec::evaluator_count, evaluators);
    }
    next_builder<spec_key::evaluator_count> evaluator_count(int evaluators) const& {
        return job_builder(*this).evaluator_count(evaluators);
    }
    template <int N>
    next_builder<spec_key::evaluator_count> evaluator_count() && {
        return set<count_rules<spec_key::evaluator_count, (N == 0 || N == 1)>>(&job_spec::evaluator_count, N);
    }
    template <int N>
    next_builder<spec_key::evaluator_count> evaluator_count() const& {
        return job_builder(*this).template evaluator_count<N>();
    }

    next_builder<spec_key::use_gpu> use_gpu(bool gpu = true) && {
        return set<rules<spec_key::use_gpu>>(&job_spec::use_gpu, gpu);
    }
    next_builder<spec_key::use_gpu> use_gpu(bool gpu = true) const& { return job_builder(*this).use_gpu(gpu); }
    next_builder<spec_key::use_docker> use_docker(bool docker) && {
        return set<rules<spec_key::use_docker>>(&job_spec::use_docker, docker);
    }
    next_builder<spec_key::use_docker> use_docker(bool docker) const& { return job_builder(*this).use_docker(docker); }
    next_builder<spec_key::custom_docker_image> custom_docker_image(std::string image) && {
        return set<rules<spec_key::custom_docker_image>>(&job_spec::custom_docker_image, std::move(image));
    }
    next_builder<spec_key::custom_docker_image> custom_docker_image(std::string image) const& {
        return job_builder(*this).custom_docker_image(std::move(image));
    }

    /// The image already holds every package: no package lists or files.
    next_builder<spec_key::user_managed> user_managed() && {
        return set<rules<spec_key::user_managed>>(&job_spec::user_managed, true);
    }
    next_builder<spec_key::user_managed> user_managed() const& { return job_builder(*this).user_managed(); }
    next_builder<spec_key::conda_packages> conda_packages(std::vector<std::string> packages) && {
        return set<rules<spec_key::conda_packages>>(&job_spec::conda_packages, std::move(packages));
    }
    next_builder<spec_key::conda_packages> conda_packages(std::vector<std::string> packages) const& {
        return job_builder(*this).conda_packages(std::move(packages));
    }
    next_builder<spec_key::pip_packages> pip_packages(std::vector<std::string> packages) && {
        return set<rules<spec_key::pip_packages>>(&job_spec::pip_packages, std::move(packages));
    }
    next_builder<spec_key::pip_packages> pip_packages(std::vector<std::string> packages) const& {
        return job_builder(*this).pip_packages(std::move(packages));
    }
    next_builder<spec_key::pip_requirements_file> pip_requirements_file(std::string file) && {
        return set<rules<spec_key::pip_requirements_file>>(&job_spec::pip_requirements_file, std::move(file));
    }
    next_builder<spec_key::pip_requirements_file> pip_requirements_file(std::string file) const& {
        return job_builder(*this).pip_requirements_file(std::move(file));
    }
    /// A conda environment file that lists every package of the job.
    next_builder<spec_key::conda_dependencies_file> conda_dependencies_file(std::string file) && {
        return set<rules<spec_key::conda_dependencies_file>>(&job_spec::conda_dependencies_file, std::move(file));
    }
    next_builder<spec_key::conda_dependencies_file> conda_dependencies_file(std::string file) const& {
        return job_builder(*this).conda_dependencies_file(std::move(file));
    }

    next_builder<spec_key::environment_variables> environment_variables(
        std::vector<environment_variable> variables) && {
        return set<rules<spec_key::environment_variables>>(&job_spec::environment_variables, std::move(variables));
    }
    next_builder<spec_key::environment_variables> environment_variables(
        std::vector<environment_variable> variables) const& {
        return job_builder(*this).environment_variables(std::move(variables));
    }
    next_builder<spec_key::shm_size> shm_size(std::string size) && {
        return set<rules<spec_key::shm_size>>(&job_spec::shm_size, std::move(size));
    }
    next_builder<spec_key::shm_size> shm_size(std::string size) const& {
        return job_builder(*this).shm_size(std::move(size));
    }
    next_builder<spec_key::max_run_duration_seconds> max_run_duration_seconds(std::int64_t seconds) && {
        return set<rules<spec_key::max_run_duration_seconds>>(&job_spec::max_run_duration_seconds, seconds);
    }
    next_builder<spec_key::max_run_duration_seconds> max_run_duration_seconds(std::int64_t seconds) const& {
        return job_builder(*this).max_run_duration_seconds(seconds);
    }
    next_builder<spec_key::framework_version> framework_version(std::string version) && {
        return set<rules<spec_key::framework_version>>(&job_spec::framework_version, std::move(version));
    }
    next_builder<spec_key::framework_version> framework_version(std::string version) const& {
        return job_builder(*this).framework_version(std::move(version));
    }

    /// The first port of the TensorFlow tasks on a host (ps, multi_worker).
    next_builder<spec_key::port> port(int first_port) && {
        return set<rules<spec_key::port>>(&job_spec::port, first_port);
    }
    next_builder<spec_key::port> port(int first_port) const& { return job_builder(*this).port(first_port); }
    /// How TF_CONFIG is written (profile, rpc_layer, sparse) and which
    /// TensorFlow API reads it (consumer); ps and multi_worker jobs.
    next_builder<spec_key::tf_config> tf_config(tf_config_settings settings) && {
        return set<rules<spec_key::tf_config>>(&job_spec::tf_config, std::move(settings));
    }
    next_builder<spec_key::tf_config> tf_config(tf_config_settings settings) const& {
        return job_builder(*this).tf_config(std::move(settings));
    }
    /// How an mpi job is launched: flavor, root, interface, ssh port, MCA...
    next_builder<spec_key::mpi> mpi_launch(mpi_settings settings) && {
        return set<rules<spec_key::mpi>>(&job_spec::mpi, std::move(settings));
    }
    next_builder<spec_key::mpi> mpi_launch(mpi_settings settings) const& {
        return job_builder(*this).mpi_launch(std::move(settings));
    }

    /// Converts the trained SavedModel to ONNX after training (tf2onnx).
    next_builder<spec_key::onnx_export> onnx_export(onnx_export_settings settings = {}) && {
        return set<rules<spec_key::onnx_export>>(&job_spec::onnx_export, std::move(settings));
    }
    next_builder<spec_key::onnx_export> onnx_export(onnx_export_settings settings = {}) const& {
        return job_builder(*this).onnx_export(std::move(settings));
    }
    /// Where the job's built image goes: `registry/repository`, no tag.
    next_builder<spec_key::image_registry> image_registry(std::string repository) && {
        return set<rules<spec_key::image_registry>>(&job_spec::image_registry, std::move(repository));
    }
    next_builder<spec_key::image_registry> image_registry(std::string repository) const& {
        return job_builder(*this).image_registry(std::move(repository));
    }
    /// How Slurm tasks reach the job's environment.
    next_builder<spec_key::slurm_environment> slurm_environment(slurm_environment_kind kind) && {
        return set<rules<spec_key::slurm_environment>>(&job_spec::slurm_environment, kind);
    }
    next_builder<spec_key::slurm_environment> slurm_environment(slurm_environment_kind kind) const& {
        return job_builder(*this).slurm_environment(kind);
    }
    /// A hyperparameter sweep over the entry script's parameters
    /// (grid_sweep(), random_sweep(), bayesian_sweep()).
    template <class Sampling>
    next_builder<spec_key::sweep> sweep(sweep_builder<Sampling> sweep) && {
        return set<rules<spec_key::sweep>>(&job_spec::sweep, std::move(sweep).settings());
    }
    template <class Sampling>
    next_builder<spec_key::sweep> sweep(sweep_builder<Sampling> sweep) const& {
        return job_builder(*this).sweep(std::move(sweep));
    }
    // ---- results ----

    /// The spec as set so far (not validated).
    const job_spec& spec() const noexcept { return spec_; }

    /// Every run-time problem of the job as set so far.
    problems validate() const { return trainspec::validate(spec_); }

    /// The validated job. Throws validation_error listing every problem.
    job<Backend> build() && {
        build_rules::report();
        return make_job_as<Backend>(std::move(spec_));
    }
    job<Backend> build() const& { return job_builder(*this).build(); }

private:
    template <class, detail::key_set, int>
    friend class job_builder;
    friend job_builder<> tensorflow();
    friend job_builder<> keras();

    explicit job_builder(job_spec spec) : spec_(std::move(spec)) {}

    /// Reports the first failing check of Rules, or sets the field and moves
    /// the spec into the next builder.
    template <class Rules, class NextBackend = Backend, int NextNodeCount = NodeCount, class Field, class Value>
    next_builder<Rules::key, NextBackend, NextNodeCount> set(Field job_spec::*field, Value&& value) {
        Rules::report();
        spec_.*field = std::forward<Value>(value);
        return next_builder<Rules::key, NextBackend, NextNodeCount>(std::move(spec_));
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
