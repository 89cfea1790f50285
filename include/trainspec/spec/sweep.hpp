#pragma once
// The spec's `sweep` object: a hyperparameter sweep over the entry script's
// parameters, under Azure ML v2's names (docs/sweeps.md). Plain, unvalidated
// data, as job_spec is; validate() checks it and the renderers map it to
// each engine.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <trainspec/detail/member_equality.hpp>
#include <trainspec/spec/enum_names.hpp>
#include <trainspec/spec/limits.hpp>  // max_sweep_trials
#include <trainspec/spec/script_params.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

enum class sampling_kind { grid, random, bayesian };

template <>
struct enum_names<sampling_kind> {
    static constexpr std::array<enum_entry<sampling_kind>, 3> table{{
        {sampling_kind::grid, "grid"},
        {sampling_kind::random, "random"},
        {sampling_kind::bayesian, "bayesian"},
    }};
};

/// Azure ML's random sampling rule: pseudo-random, or a Sobol sequence.
enum class random_rule { random, sobol };

template <>
struct enum_names<random_rule> {
    static constexpr std::array<enum_entry<random_rule>, 2> table{{
        {random_rule::random, "random"},
        {random_rule::sobol, "sobol"},
    }};
};

/// HyperDrive's parameter expressions (azureml.train.hyperdrive), by their
/// Azure ML v2 type names.
enum class distribution_kind {
    choice,
    randint,
    uniform,
    quniform,
    loguniform,
    qloguniform,
    normal,
    qnormal,
    lognormal,
    qlognormal,
};

template <>
struct enum_names<distribution_kind> {
    static constexpr std::array<enum_entry<distribution_kind>, 10> table{{
        {distribution_kind::choice, "choice"},
        {distribution_kind::randint, "randint"},
        {distribution_kind::uniform, "uniform"},
        {distribution_kind::quniform, "quniform"},
        {distribution_kind::loguniform, "loguniform"},
        {distribution_kind::qloguniform, "qloguniform"},
        {distribution_kind::normal, "normal"},
        {distribution_kind::qnormal, "qnormal"},
        {distribution_kind::lognormal, "lognormal"},
        {distribution_kind::qlognormal, "qlognormal"},
    }};
};

enum class objective_goal { maximize, minimize };

template <>
struct enum_names<objective_goal> {
    static constexpr std::array<enum_entry<objective_goal>, 2> table{{
        {objective_goal::maximize, "maximize"},
        {objective_goal::minimize, "minimize"},
    }};
};

enum class early_termination_kind { bandit, median_stopping, truncation_selection };

template <>
struct enum_names<early_termination_kind> {
    static constexpr std::array<enum_entry<early_termination_kind>, 3> table{{
        {early_termination_kind::bandit, "bandit"},
        {early_termination_kind::median_stopping, "median_stopping"},
        {early_termination_kind::truncation_selection, "truncation_selection"},
    }};
};

/// `sampling_algorithm`: "grid", "random", "bayesian", or an object with a
/// `type` (random also takes `seed` and `rule`).
struct sampling_algorithm {
    std::optional<sampling_kind> type;
    std::optional<std::int64_t> seed;
    std::optional<random_rule> rule;

    friend bool operator==(const sampling_algorithm& a, const sampling_algorithm& b) {
        return detail::members_equal(a, b, &sampling_algorithm::type, &sampling_algorithm::seed,
                                     &sampling_algorithm::rule);
    }
    friend bool operator!=(const sampling_algorithm& a, const sampling_algorithm& b) { return !(a == b); }
};

enum class sampling_algorithm_key { type, seed, rule };

template <>
struct enum_names<sampling_algorithm_key> {
    static constexpr std::array<enum_entry<sampling_algorithm_key>, 3> table{{
        {sampling_algorithm_key::type, "type"},
        {sampling_algorithm_key::seed, "seed"},
        {sampling_algorithm_key::rule, "rule"},
    }};
};

/// One expression of the search space; which members it takes depends on
/// its type (choice: values; randint: upper; uniform and loguniform:
/// min_value, max_value, plus q for the q-variants; normal and lognormal:
/// mu, sigma, plus q). loguniform's bounds are exponents, as HyperDrive's.
struct search_distribution {
    std::optional<distribution_kind> type;
    std::vector<param_scalar> values;
    std::optional<std::int64_t> upper;
    std::optional<double> min_value, max_value, mu, sigma, q;

    friend bool operator==(const search_distribution& a, const search_distribution& b) {
        using d = search_distribution;
        return detail::members_equal(a, b, &d::type, &d::values, &d::upper, &d::min_value, &d::max_value, &d::mu,
                                     &d::sigma, &d::q);
    }
    friend bool operator!=(const search_distribution& a, const search_distribution& b) { return !(a == b); }
};

enum class distribution_key { type, values, upper, min_value, max_value, mu, sigma, q };

template <>
struct enum_names<distribution_key> {
    static constexpr std::array<enum_entry<distribution_key>, 8> table{{
        {distribution_key::type, "type"},
        {distribution_key::values, "values"},
        {distribution_key::upper, "upper"},
        {distribution_key::min_value, "min_value"},
        {distribution_key::max_value, "max_value"},
        {distribution_key::mu, "mu"},
        {distribution_key::sigma, "sigma"},
        {distribution_key::q, "q"},
    }};
};

/// A swept parameter: the entry script's argument `name` (as a
/// script_params key) and the expression its values come from.
struct sweep_parameter {
    std::string name;
    search_distribution value;

    friend bool operator==(const sweep_parameter& a, const sweep_parameter& b) {
        return a.name == b.name && a.value == b.value;
    }
    friend bool operator!=(const sweep_parameter& a, const sweep_parameter& b) { return !(a == b); }
};

/// The metric the training logs, and whether more is better.
struct sweep_objective {
    std::optional<std::string> primary_metric;
    std::optional<objective_goal> goal;

    friend bool operator==(const sweep_objective& a, const sweep_objective& b) {
        return detail::members_equal(a, b, &sweep_objective::primary_metric, &sweep_objective::goal);
    }
    friend bool operator!=(const sweep_objective& a, const sweep_objective& b) { return !(a == b); }
};

enum class sweep_objective_key { primary_metric, goal };

template <>
struct enum_names<sweep_objective_key> {
    static constexpr std::array<enum_entry<sweep_objective_key>, 2> table{{
        {sweep_objective_key::primary_metric, "primary_metric"},
        {sweep_objective_key::goal, "goal"},
    }};
};

/// Trial counts and durations (seconds).
struct sweep_limits {
    std::optional<int> max_total_trials;
    std::optional<int> max_concurrent_trials;  ///< default: all at once
    std::optional<std::int64_t> timeout;       ///< the whole sweep
    std::optional<std::int64_t> trial_timeout;

    friend bool operator==(const sweep_limits& a, const sweep_limits& b) {
        return detail::members_equal(a, b, &sweep_limits::max_total_trials, &sweep_limits::max_concurrent_trials,
                                     &sweep_limits::timeout, &sweep_limits::trial_timeout);
    }
    friend bool operator!=(const sweep_limits& a, const sweep_limits& b) { return !(a == b); }
};

enum class sweep_limits_key { max_total_trials, max_concurrent_trials, timeout, trial_timeout };

template <>
struct enum_names<sweep_limits_key> {
    static constexpr std::array<enum_entry<sweep_limits_key>, 4> table{{
        {sweep_limits_key::max_total_trials, "max_total_trials"},
        {sweep_limits_key::max_concurrent_trials, "max_concurrent_trials"},
        {sweep_limits_key::timeout, "timeout"},
        {sweep_limits_key::trial_timeout, "trial_timeout"},
    }};
};

/// An early termination policy: bandit (slack_factor or slack_amount),
/// median_stopping, truncation_selection (truncation_percentage); each
/// applied every evaluation_interval metric reports after delay_evaluation.
struct early_termination {
    std::optional<early_termination_kind> type;
    std::optional<double> slack_factor, slack_amount;
    std::optional<int> evaluation_interval;  ///< default 1
    std::optional<int> delay_evaluation;     ///< default 0
    std::optional<int> truncation_percentage;
    std::optional<bool> exclude_finished_jobs;

    friend bool operator==(const early_termination& a, const early_termination& b) {
        using e = early_termination;
        return detail::members_equal(a, b, &e::type, &e::slack_factor, &e::slack_amount, &e::evaluation_interval,
                                     &e::delay_evaluation, &e::truncation_percentage, &e::exclude_finished_jobs);
    }
    friend bool operator!=(const early_termination& a, const early_termination& b) { return !(a == b); }
};

enum class early_termination_key {
    type,
    slack_factor,
    slack_amount,
    evaluation_interval,
    delay_evaluation,
    truncation_percentage,
    exclude_finished_jobs,
};

template <>
struct enum_names<early_termination_key> {
    static constexpr std::array<enum_entry<early_termination_key>, 7> table{{
        {early_termination_key::type, "type"},
        {early_termination_key::slack_factor, "slack_factor"},
        {early_termination_key::slack_amount, "slack_amount"},
        {early_termination_key::evaluation_interval, "evaluation_interval"},
        {early_termination_key::delay_evaluation, "delay_evaluation"},
        {early_termination_key::truncation_percentage, "truncation_percentage"},
        {early_termination_key::exclude_finished_jobs, "exclude_finished_jobs"},
    }};
};

/// Azure ML's ceiling on max_total_trials and max_concurrent_trials.
inline constexpr int max_azureml_sweep_trials = 1000;
/// The seeds numpy.random.RandomState takes (Katib's random_state).
inline constexpr std::int64_t max_sweep_seed = 4294967295;

inline constexpr int default_evaluation_interval = 1;
inline constexpr int default_delay_evaluation = 0;

/// The spec's `sweep` object.
struct sweep_settings {
    std::optional<sampling_algorithm> sampling;  ///< JSON key `sampling_algorithm`
    std::vector<sweep_parameter> search_space;   ///< in the user's order
    std::optional<sweep_objective> objective;
    std::optional<sweep_limits> limits;
    std::optional<early_termination> termination;  ///< JSON key `early_termination`

    friend bool operator==(const sweep_settings& a, const sweep_settings& b) {
        return detail::members_equal(a, b, &sweep_settings::sampling, &sweep_settings::search_space,
                                     &sweep_settings::objective, &sweep_settings::limits, &sweep_settings::termination);
    }
    friend bool operator!=(const sweep_settings& a, const sweep_settings& b) { return !(a == b); }
};

enum class sweep_key { sampling_algorithm, search_space, objective, limits, early_termination };

template <>
struct enum_names<sweep_key> {
    static constexpr std::array<enum_entry<sweep_key>, 5> table{{
        {sweep_key::sampling_algorithm, "sampling_algorithm"},
        {sweep_key::search_space, "search_space"},
        {sweep_key::objective, "objective"},
        {sweep_key::limits, "limits"},
        {sweep_key::early_termination, "early_termination"},
    }};
};

/// The trials a valid sweep runs: max_total_trials; a grid at most its
/// combinations (counted without overflowing).
inline std::int64_t planned_trial_count(const sweep_settings& s) {
    const std::int64_t most = s.limits && s.limits->max_total_trials ? *s.limits->max_total_trials : 0;
    if (!s.sampling || s.sampling->type != sampling_kind::grid) return most;
    std::int64_t combinations = 1;
    for (const auto& parameter : s.search_space) {
        combinations *= static_cast<std::int64_t>(parameter.value.values.size());
        if (combinations >= most) return most;
    }
    return combinations;
}

/// The sampling a sweep uses when it says none: random.
inline sampling_kind effective_sampling(const sweep_settings& s) {
    return s.sampling && s.sampling->type ? *s.sampling->type : sampling_kind::random;
}

TRAINSPEC_END_NAMESPACE
