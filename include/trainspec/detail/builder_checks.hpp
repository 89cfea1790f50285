#pragma once
// The typed builder's compile-time checks (builder.hpp): the record of which
// setters were called, one bit per spec_key, and the rules every call is held
// to. A rule is a check that fails with one static_assert; a list of checks
// reports only its first failing one, so one misuse is one error.
// docs/builder.md lists the rules.

#include <cstdint>
#include <type_traits>

#include <trainspec/spec/backend.hpp>
#include <trainspec/spec/enum_names.hpp>
#include <trainspec/spec/spec_keys.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// The setters a builder has recorded: bit k is spec_key k.
using key_set = std::uint64_t;
static_assert(enum_values<spec_key>().size() <= 64, "key_set has one bit per spec_key");

constexpr key_set key_bit(spec_key key) { return key_set{1} << static_cast<unsigned>(key); }
constexpr bool contains(key_set keys, spec_key key) { return (keys & key_bit(key)) != 0; }
constexpr key_set with(key_set keys, spec_key key) { return keys | key_bit(key); }

// ---- the mechanism ----

/// A check that holds: nothing to report.
struct holds {
    static constexpr bool ok = true;
    static void report() {}
};

/// Holds when Ok; otherwise it is Rule, whose report() is its static_assert.
template <bool Ok, class Rule>
using check = std::conditional_t<Ok, holds, Rule>;

/// Checks as one: ok when all hold; otherwise it is the first that fails.
template <class... Checks>
struct all_of : holds {};
template <class First, class... Rest>
struct all_of<First, Rest...> : std::conditional_t<First::ok, all_of<Rest...>, First> {};

// A rule: ok is false, and report() fails with the message. report() is a
// template so that its static_assert fires only when the rule is reported.
#define TRAINSPEC_RULE_BODY(rule, message)    \
    {                                         \
        static constexpr bool ok = false;     \
        template <class Rule = rule>          \
        static void report() {                \
            static_assert(Rule::ok, message); \
        }                                     \
    }
#define TRAINSPEC_RULE(rule, message) struct rule TRAINSPEC_RULE_BODY(rule, message)
// The rule `kind` as reported for the setter of spec_key::key.
#define TRAINSPEC_SETTER_RULE(kind, key, message) \
    template <>                                   \
    struct kind<spec_key::key> TRAINSPEC_RULE_BODY(kind, message)
// A rule between two setters, reported at the second: "key(): rule".
#define TRAINSPEC_REPORTED_AT(kind, key, rule) TRAINSPEC_SETTER_RULE(kind, key, #key "(): " rule)

// ---- what every setter is held to ----

/// A setter called twice would silently replace the first value.
template <spec_key Setter>
struct already_set;
#define TRAINSPEC_SET_ONCE(key) TRAINSPEC_SETTER_RULE(already_set, key, #key "() is already set")
TRAINSPEC_SET_ONCE(name);
TRAINSPEC_SET_ONCE(source_directory);
TRAINSPEC_SET_ONCE(writable_source_directory);
TRAINSPEC_SET_ONCE(entry_script);
TRAINSPEC_SET_ONCE(script_params);
TRAINSPEC_SET_ONCE(compute_target);
TRAINSPEC_SET_ONCE(vm_size);
TRAINSPEC_SET_ONCE(vm_priority);
TRAINSPEC_SET_ONCE(node_count);
TRAINSPEC_SET_ONCE(process_count_per_node);
TRAINSPEC_SETTER_RULE(already_set, distributed_backend, "distributed_backend() can be chosen only once per job");
TRAINSPEC_SET_ONCE(worker_count);
TRAINSPEC_SET_ONCE(parameter_server_count);
TRAINSPEC_SET_ONCE(chief_count);
TRAINSPEC_SET_ONCE(evaluator_count);
TRAINSPEC_SET_ONCE(use_gpu);
TRAINSPEC_SET_ONCE(use_docker);
TRAINSPEC_SET_ONCE(custom_docker_image);
TRAINSPEC_SET_ONCE(user_managed);
TRAINSPEC_SET_ONCE(conda_packages);
TRAINSPEC_SET_ONCE(pip_packages);
TRAINSPEC_SET_ONCE(conda_dependencies_file);
TRAINSPEC_SET_ONCE(pip_requirements_file);
TRAINSPEC_SET_ONCE(environment_variables);
TRAINSPEC_SET_ONCE(shm_size);
TRAINSPEC_SET_ONCE(max_run_duration_seconds);
TRAINSPEC_SET_ONCE(framework_version);
TRAINSPEC_SET_ONCE(port);
TRAINSPEC_SET_ONCE(tf_config);
TRAINSPEC_SETTER_RULE(already_set, mpi, "mpi_launch() is already set");
TRAINSPEC_SET_ONCE(onnx_export);
TRAINSPEC_SET_ONCE(image_registry);
TRAINSPEC_SET_ONCE(slurm_environment);
template <spec_key Setter>
struct wrong_backend;
TRAINSPEC_SETTER_RULE(wrong_backend, worker_count,
                      "worker_count() applies only to distributed_backend(trainspec::parameter_server{}) or "
                      "distributed_backend(trainspec::multi_worker{}); choose the backend first");
TRAINSPEC_SETTER_RULE(wrong_backend, parameter_server_count,
                      "parameter_server_count() applies only to distributed_backend(trainspec::parameter_server{}); "
                      "choose the backend first");
TRAINSPEC_SETTER_RULE(wrong_backend, chief_count,
                      "chief_count() applies only to distributed_backend(trainspec::parameter_server{}); choose the "
                      "backend first");
TRAINSPEC_SETTER_RULE(wrong_backend, evaluator_count,
                      "evaluator_count() applies only to distributed_backend(trainspec::parameter_server{}); choose "
                      "the backend first");
TRAINSPEC_SETTER_RULE(wrong_backend, process_count_per_node,
                      "process_count_per_node() applies only to distributed_backend(trainspec::mpi{}); a "
                      "parameter-server or multi-worker job starts one process per task");
TRAINSPEC_SETTER_RULE(wrong_backend, port,
                      "port() applies only to distributed_backend(trainspec::parameter_server{}) or "
                      "distributed_backend(trainspec::multi_worker{}): only TensorFlow servers listen on it");
TRAINSPEC_SETTER_RULE(wrong_backend, tf_config,
                      "tf_config() applies only to distributed_backend(trainspec::parameter_server{}) or "
                      "distributed_backend(trainspec::multi_worker{}): other jobs get no TF_CONFIG");
TRAINSPEC_SETTER_RULE(wrong_backend, mpi, "mpi_launch() applies only to distributed_backend(trainspec::mpi{})");

/// Package sources that exclude each other, over the keys set after a call:
/// a user-managed image with any package list or file, and an environment
/// file with package lists.
constexpr key_set package_lists =
    key_bit(spec_key::conda_packages) | key_bit(spec_key::pip_packages) | key_bit(spec_key::pip_requirements_file);
constexpr bool user_managed_with_packages(key_set keys) {
    return contains(keys, spec_key::user_managed) &&
           (keys & (package_lists | key_bit(spec_key::conda_dependencies_file))) != 0;
}
constexpr bool environment_file_with_packages(key_set keys) {
    return contains(keys, spec_key::conda_dependencies_file) && (keys & package_lists) != 0;
}
constexpr bool package_sources_clash(key_set keys) {
    return user_managed_with_packages(keys) || environment_file_with_packages(keys);
}
template <spec_key Setter>
struct user_managed_excludes_packages;
#define TRAINSPEC_USER_MANAGED_RULE                                                                        \
    "user_managed() means the image already has everything: it cannot be combined with conda_packages(), " \
    "pip_packages(), conda_dependencies_file() or pip_requirements_file()"
TRAINSPEC_SETTER_RULE(user_managed_excludes_packages, user_managed, TRAINSPEC_USER_MANAGED_RULE);
TRAINSPEC_REPORTED_AT(user_managed_excludes_packages, conda_packages, TRAINSPEC_USER_MANAGED_RULE);
TRAINSPEC_REPORTED_AT(user_managed_excludes_packages, pip_packages, TRAINSPEC_USER_MANAGED_RULE);
TRAINSPEC_REPORTED_AT(user_managed_excludes_packages, pip_requirements_file, TRAINSPEC_USER_MANAGED_RULE);
TRAINSPEC_REPORTED_AT(user_managed_excludes_packages, conda_dependencies_file, TRAINSPEC_USER_MANAGED_RULE);
template <spec_key Setter>
struct environment_file_lists_every_package;
#define TRAINSPEC_ENVIRONMENT_FILE_RULE                                                            \
    "conda_dependencies_file() lists every package: it cannot be combined with conda_packages(), " \
    "pip_packages() or pip_requirements_file()"
TRAINSPEC_SETTER_RULE(environment_file_lists_every_package, conda_dependencies_file, TRAINSPEC_ENVIRONMENT_FILE_RULE);
TRAINSPEC_REPORTED_AT(environment_file_lists_every_package, conda_packages, TRAINSPEC_ENVIRONMENT_FILE_RULE);
TRAINSPEC_REPORTED_AT(environment_file_lists_every_package, pip_packages, TRAINSPEC_ENVIRONMENT_FILE_RULE);
TRAINSPEC_REPORTED_AT(environment_file_lists_every_package, pip_requirements_file, TRAINSPEC_ENVIRONMENT_FILE_RULE);

/// Whether calling Setter's setter breaks a rule over the recorded keys (a
/// rule broken already was reported by the call that broke it).
constexpr bool breaks(bool (*rule)(key_set), key_set keys, spec_key setter) {
    return rule(with(keys, setter)) && !rule(keys);
}

/// Every check of a call of Setter's setter on a builder of Backend that has
/// recorded Keys, then Extra, the call's own; the first that fails is reported.
template <spec_key Setter, class Backend, key_set Keys, class... Extra>
struct setter_checks
    : all_of<check<!contains(Keys, Setter), already_set<Setter>>,
             check<key_applies_to(Setter, Backend::kind), wrong_backend<Setter>>,
             check<!breaks(user_managed_with_packages, Keys, Setter), user_managed_excludes_packages<Setter>>,
             check<!breaks(environment_file_with_packages, Keys, Setter), environment_file_lists_every_package<Setter>>,
             Extra...> {
    static constexpr spec_key key = Setter;
};

// ---- the calls' own checks ----

/// A count given as a template argument, out of its range.
template <spec_key Setter>
struct count_out_of_range;
TRAINSPEC_SETTER_RULE(count_out_of_range, node_count,
                      "node_count<N>(): N must be at least 1 (Node count should be at least 1.)");
TRAINSPEC_SETTER_RULE(count_out_of_range, process_count_per_node,
                      "process_count_per_node<N>(): N must be at least 1 (Process count per node should be at least "
                      "1.)");
TRAINSPEC_SETTER_RULE(count_out_of_range, worker_count, "worker_count<N>(): N must be at least 1");
TRAINSPEC_SETTER_RULE(count_out_of_range, parameter_server_count,
                      "parameter_server_count<N>(): N must be at least 1 for a parameter-server job");
TRAINSPEC_SETTER_RULE(count_out_of_range, chief_count, "chief_count<N>(): N must be 0 or 1");
TRAINSPEC_SETTER_RULE(count_out_of_range, evaluator_count, "evaluator_count<N>(): N must be 0 or 1");

TRAINSPEC_RULE(not_a_backend,
               "distributed_backend(): choose trainspec::mpi, trainspec::parameter_server or trainspec::multi_worker");
TRAINSPEC_RULE(single_node_chosen,
               "distributed_backend(): single_node is what a job without a backend is; choose trainspec::mpi, "
               "trainspec::parameter_server or trainspec::multi_worker");
/// The backend distributed_backend(B) switches to. A B that is no backend
/// keeps the current one: not_a_backend has said what is wrong, and a
/// job_builder<B> (or B::kind) would only add errors after it.
template <class B, class Current>
using chosen_backend_t = std::conditional_t<is_backend_v<B>, B, Current>;

/// What build() needs: the setter of a key every job has.
template <spec_key Missing>
struct missing_for_build;
TRAINSPEC_SETTER_RULE(missing_for_build, source_directory,
                      "build(): source_directory() is missing; every job needs one");
TRAINSPEC_SETTER_RULE(missing_for_build, entry_script, "build(): entry_script() is missing; every job needs one");
TRAINSPEC_SETTER_RULE(missing_for_build, compute_target,
                      "build(): compute_target() is missing (or vm_size()); every job needs one");
TRAINSPEC_RULE(node_count_without_backend,
               "build(): node_count<N>() with N > 1 needs distributed_backend(trainspec::mpi{}), "
               "(trainspec::parameter_server{}) or (trainspec::multi_worker{})");

#undef TRAINSPEC_ENVIRONMENT_FILE_RULE
#undef TRAINSPEC_USER_MANAGED_RULE
#undef TRAINSPEC_REPORTED_AT
#undef TRAINSPEC_SET_ONCE
#undef TRAINSPEC_SETTER_RULE
#undef TRAINSPEC_RULE
#undef TRAINSPEC_RULE_BODY

}  // namespace detail
TRAINSPEC_END_NAMESPACE
