#pragma once
// job<Backend>: a validated job whose backend is part of its type, and
// any_job, the runtime choice among them that the JSON front end returns.

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <trainspec/detail/linkage.hpp>
#include <trainspec/error.hpp>
#include <trainspec/spec/backend.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/resource_names.hpp>
#include <trainspec/validate.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

template <class Backend>
class job;

namespace detail {
template <class Backend>
job<Backend> make_validated(job_spec spec);
}

/// A job that passed validate(). Copyable and immutable; every back end reads
/// only this. Count accessors exist only for the backends they belong to.
template <class Backend>
class job {
    static_assert(is_backend_v<Backend>,
                  "job<Backend>: Backend must be single_node, mpi, parameter_server or multi_worker");

public:
    using backend = Backend;

    const job_spec& spec() const noexcept { return spec_; }

    std::string name() const { return effective_job_name(spec_); }
    const std::string& source_directory() const noexcept { return spec_.source_directory; }
    const std::string& entry_script() const noexcept { return spec_.entry_script; }
    const trainspec::script_params& script_params() const noexcept { return spec_.params; }
    int node_count() const noexcept { return effective_node_count(spec_); }
    bool use_gpu() const noexcept { return effective_use_gpu(spec_); }
    bool use_docker() const noexcept { return effective_use_docker(spec_); }
    bool user_managed() const noexcept { return effective_user_managed(spec_); }
    bool keras() const noexcept { return effective_keras(spec_); }
    std::string framework_version() const { return effective_framework_version(spec_); }
    std::string shm_size() const { return effective_shm_size(spec_); }

    /// The entry script and its parameters: `entry_script args...`.
    std::vector<std::string> script_argv() const {
        std::vector<std::string> argv{spec_.entry_script};
        auto params = to_argv(spec_.params);
        argv.insert(argv.end(), std::make_move_iterator(params.begin()), std::make_move_iterator(params.end()));
        return argv;
    }

    /// Processes (MPI ranks or TensorFlow tasks) started in total.
    std::int64_t task_count() const noexcept { return effective_task_count(spec_); }

    template <class B = Backend, std::enable_if_t<std::is_same_v<B, mpi>, int> = 0>
    int process_count_per_node() const noexcept {
        return effective_process_count_per_node(spec_);
    }
    template <class B = Backend,
              std::enable_if_t<std::is_same_v<B, parameter_server> || std::is_same_v<B, multi_worker>, int> = 0>
    int worker_count() const noexcept {
        return effective_worker_count(spec_);
    }
    template <class B = Backend, std::enable_if_t<std::is_same_v<B, parameter_server>, int> = 0>
    int parameter_server_count() const noexcept {
        return effective_parameter_server_count(spec_);
    }
    template <class B = Backend, std::enable_if_t<std::is_same_v<B, parameter_server>, int> = 0>
    int chief_count() const noexcept {
        return effective_chief_count(spec_);
    }
    template <class B = Backend, std::enable_if_t<std::is_same_v<B, parameter_server>, int> = 0>
    int evaluator_count() const noexcept {
        return effective_evaluator_count(spec_);
    }

    friend bool operator==(const job& a, const job& b) { return a.spec_ == b.spec_; }
    friend bool operator!=(const job& a, const job& b) { return !(a == b); }

private:
    explicit job(job_spec spec) : spec_(std::move(spec)) {}
    friend job detail::make_validated<Backend>(job_spec spec);

    job_spec spec_;
};

using any_job = std::variant<job<single_node>, job<mpi>, job<parameter_server>, job<multi_worker>>;

namespace detail {
template <class Backend>
job<Backend> make_validated(job_spec spec) {
    return job<Backend>(std::move(spec));
}
}  // namespace detail

/// Validates `spec` and returns the job typed by its backend.
/// Throws validation_error listing every problem.
any_job make_job(job_spec spec);

/// Validates `spec` as a job of the given backend. Throws validation_error
/// listing every problem, including a backend that differs from Backend.
template <class Backend>
job<Backend> make_job_as(job_spec spec);

/// The backend of a runtime job.
backend_kind backend_of(const any_job& j);

/// The spec behind a runtime job.
const job_spec& spec_of(const any_job& j);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS

TRAINSPEC_BEGIN_NAMESPACE
template <class Backend>
job<Backend> make_job_as(job_spec spec) {
    auto found = validate(spec);
    if (effective_backend(spec) != Backend::kind)
        found.push_back({"distributed_backend",
                         effective_backend(spec) == backend_kind::single_node
                             ? std::string()
                             : detail::quote_json(enum_name(effective_backend(spec))),
                         Backend::kind == backend_kind::single_node
                             ? std::string("must be absent (or null) for a single-node job")
                             : "must be \"" + std::string(enum_name(Backend::kind)) + "\" for this job type"});
    if (!found.empty()) throw validation_error(std::move(found));
    return detail::make_validated<Backend>(std::move(spec));
}

TRAINSPEC_INLINE any_job make_job(job_spec spec) {
    if (auto found = validate(spec); !found.empty()) throw validation_error(std::move(found));
    switch (effective_backend(spec)) {
        case backend_kind::mpi:
            return detail::make_validated<mpi>(std::move(spec));
        case backend_kind::parameter_server:
            return detail::make_validated<parameter_server>(std::move(spec));
        case backend_kind::multi_worker:
            return detail::make_validated<multi_worker>(std::move(spec));
        case backend_kind::single_node:
            break;
    }
    return detail::make_validated<single_node>(std::move(spec));
}

TRAINSPEC_INLINE backend_kind backend_of(const any_job& j) {
    return std::visit([](const auto& typed) { return std::decay_t<decltype(typed)>::backend::kind; }, j);
}

TRAINSPEC_INLINE const job_spec& spec_of(const any_job& j) {
    return std::visit([](const auto& typed) -> const job_spec& { return typed.spec(); }, j);
}
TRAINSPEC_END_NAMESPACE
#endif

#ifdef TRAINSPEC_COMPILED_LIB
#define TRAINSPEC_MAKE_JOB_AS(B) TRAINSPEC_INSTANTIATE job<B> make_job_as(job_spec spec);
TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_FOR_EACH_BACKEND(TRAINSPEC_MAKE_JOB_AS)
TRAINSPEC_END_NAMESPACE
#undef TRAINSPEC_MAKE_JOB_AS
#endif
