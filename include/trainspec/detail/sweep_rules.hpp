#pragma once
// The rules of the spec's `sweep` object: what HyperDrive and Azure ML v2
// accept (docs/sweeps.md gives the sources). Engine-specific limits (Katib,
// Slurm arrays, Azure ML's trial count) are checked where that engine's
// artifact is rendered.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <variant>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <trainspec/detail/distribution_members.hpp>
#include <trainspec/detail/param_text.hpp>
#include <trainspec/detail/rule_context.hpp>
#include <trainspec/detail/rules.hpp>
#include <trainspec/detail/sweep_draw.hpp>
#include <trainspec/spec/sweep.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

namespace detail {

/// What Bayesian sampling takes (HyperDrive and Azure ML v2).
constexpr bool bayesian_takes(distribution_kind kind) noexcept {
    return kind == distribution_kind::choice || kind == distribution_kind::uniform ||
           kind == distribution_kind::quniform;
}

class sweep_rules {
public:
    explicit sweep_rules(spec_rule_context& rules) : rules_(rules) {
        if (rules_.spec.sweep)
            for (const auto& fixed : rules_.spec.params) fixed_keys_.insert(fixed.key);
    }

    void check() {
        if (!rules_.spec.sweep || !rules_.known("sweep")) return;
        const auto& sweep = *rules_.spec.sweep;
        check_sampling(sweep);
        if (sweep.search_space.empty() && rules_.known("sweep.search_space"))
            rules_.add("sweep.search_space", "", "is required: at least one parameter to sweep");
        const auto earlier =
            earlier_same(sweep.search_space, [](const sweep_parameter& p) { return std::string_view(p.name); });
        for (std::size_t i = 0; i < sweep.search_space.size(); ++i)
            check_parameter(sweep, sweep.search_space[i], earlier[i] != std::string_view::npos);
        check_objective(sweep);
        check_limits(sweep);
        check_termination(sweep);
    }

private:
    static std::string number(double v) { return nlohmann::json(v).dump(); }

    void check_sampling(const sweep_settings& sweep) {
        const std::string path = "sweep.sampling_algorithm";
        if (!rules_.known(path)) return;
        if (!sweep.sampling) {
            rules_.add(path, "", "is required: " + enum_name_list<sampling_kind>());
            return;
        }
        const auto& sampling = *sweep.sampling;
        if (!sampling.type) {
            if (rules_.known(path + ".type")) rules_.add(path + ".type", "", "is required");
            return;
        }
        const bool random = *sampling.type == sampling_kind::random;
        if (sampling.seed) {
            if (!random)
                rules_.add(path + ".seed", rules_.n(*sampling.seed), "applies to random sampling only");
            else if (*sampling.seed < 0 || *sampling.seed > max_sweep_seed)
                rules_.add(path + ".seed", rules_.n(*sampling.seed),
                           "must be from 0 to " + rules_.n(max_sweep_seed) +
                               " (numpy.random.RandomState's seeds, which Katib's random_state is)");
        }
        if (sampling.rule && !random)
            rules_.add(path + ".rule", rules_.name_of(*sampling.rule), "applies to random sampling only");
    }

    void check_parameter(const sweep_settings& sweep, const sweep_parameter& parameter, bool repeated) {
        const std::string path = "sweep.search_space[" + rules_.q(parameter.name) + "]";
        if (!rules_.known(path)) return;
        if (repeated) rules_.add(path, "", "is swept twice; a parameter has one search expression");
        if (parameter.name.empty()) rules_.add(path, "", "the parameter name must not be empty");
        if (parameter.name.find('\0') != std::string::npos)
            rules_.add(path, "", "the parameter name must not contain NUL");
        if (parameter.name.find('\x01') != std::string::npos)
            rules_.add(path, "",
                       "the parameter name must not contain U+0001, a control character the renderers reserve");
        if (fixed_keys_.count(parameter.name) != 0)
            rules_.add(path, "",
                       "is also in script_params; a parameter is either fixed (script_params) or swept "
                       "(search_space)");
        const auto& d = parameter.value;
        if (!d.type) {
            if (rules_.known(path + ".type"))
                rules_.add(path + ".type", "", "is required: " + enum_name_list<distribution_kind>());
            return;
        }
        const auto type = *d.type;
        const std::string type_name(enum_name(type));
        const auto takes = members_of(type);
        auto member = [&](bool set, bool taken, const char* name, const std::string& value) {
            const std::string at = path + "." + name;
            if (set && !taken) rules_.add(at, value, "does not apply to " + type_name);
            if (!set && taken && rules_.known(at)) rules_.add(at, "", "is required for " + type_name);
            return set && taken;
        };
        if (member(!d.values.empty(), takes.values, "values", "")) check_values(path + ".values", d);
        if (member(d.upper.has_value(), takes.upper, "upper", d.upper ? rules_.n(*d.upper) : "") && *d.upper < 1)
            rules_.add(path + ".upper", rules_.n(*d.upper), "must be at least 1 (randint draws from 0 to upper - 1)");
        const bool low =
            member(d.min_value.has_value(), takes.range, "min_value", d.min_value ? number(*d.min_value) : "");
        const bool high =
            member(d.max_value.has_value(), takes.range, "max_value", d.max_value ? number(*d.max_value) : "");
        const bool ranged = low && high && *d.min_value < *d.max_value;
        if (low && high && !ranged)
            rules_.add(path + ".max_value", number(*d.max_value),
                       "must be greater than min_value (" + number(*d.min_value) + ")");
        const bool centred = member(d.mu.has_value(), takes.normal, "mu", d.mu ? number(*d.mu) : "");
        const bool spread =
            member(d.sigma.has_value(), takes.normal, "sigma", d.sigma ? number(*d.sigma) : "") && *d.sigma > 0;
        if (d.sigma && takes.normal && !spread) rules_.add(path + ".sigma", number(*d.sigma), "must be greater than 0");
        const bool step = member(d.q.has_value(), takes.q, "q", d.q ? number(*d.q) : "") && *d.q > 0;
        if (d.q && takes.q && !step) rules_.add(path + ".q", number(*d.q), "must be greater than 0");
        if ((ranged || (centred && spread)) && (step || !takes.q)) check_draws(path, d);

        if (!sweep.sampling || !sweep.sampling->type) return;
        const auto sampling = *sweep.sampling->type;
        if (sampling == sampling_kind::grid && type != distribution_kind::choice)
            rules_.add(path + ".type", rules_.q(type_name),
                       "grid sampling takes choice only: a " + type_name + " expression cannot be listed as a grid");
        if (sampling == sampling_kind::bayesian && !bayesian_takes(type))
            rules_.add(path + ".type", rules_.q(type_name),
                       "bayesian sampling takes choice, uniform and quniform only");
    }

    // A trial's value is a script parameter, which must be a finite number.
    void check_draws(const std::string& path, const search_distribution& d) {
        const auto [least, most] = draw_bounds(d);
        if (std::isfinite(least) && std::isfinite(most)) return;
        rules_.add(path, "",
                   fmt::format("draws values from {} to {}: every draw must be a finite number, the entry script's "
                               "argument (docs/sweeps.md){}",
                               value_json_text{}(least), value_json_text{}(most),
                               members_of(*d.type).exponent && members_of(*d.type).range
                                   ? "; min_value and max_value are exponents"
                                   : ""));
    }

    void check_values(const std::string& path, const search_distribution& d) {
        for (std::size_t i = 0; i < d.values.size(); ++i) {
            const auto* text = std::get_if<std::string>(&d.values[i].get());
            if (text && text->find('\0') != std::string::npos)
                rules_.add(path + "[" + rules_.n(static_cast<std::int64_t>(i)) + "]", "", "must not contain NUL");
            if (text && text->find('\x01') != std::string::npos)
                rules_.add(path + "[" + rules_.n(static_cast<std::int64_t>(i)) + "]", "",
                           "must not contain U+0001, a control character the renderers reserve");
        }
    }

    void check_objective(const sweep_settings& sweep) {
        const std::string path = "sweep.objective";
        if (!rules_.known(path)) return;
        if (!sweep.objective) {
            rules_.add(path, "", "is required: {\"primary_metric\": \"...\", \"goal\": \"maximize\"}");
            return;
        }
        const auto& metric = sweep.objective->primary_metric;
        if (!metric && rules_.known(path + ".primary_metric"))
            rules_.add(path + ".primary_metric", "", "is required: the name of the metric the training logs");
        if (metric && metric->empty()) rules_.add(path + ".primary_metric", "\"\"", "must not be empty");
        if (metric && metric->find('\0') != std::string::npos)
            rules_.add(path + ".primary_metric", "", "must not contain NUL");
        if (!sweep.objective->goal && rules_.known(path + ".goal"))
            rules_.add(path + ".goal", "", "is required: " + enum_name_list<objective_goal>());
    }

    void check_limits(const sweep_settings& sweep) {
        const std::string path = "sweep.limits";
        if (!rules_.known(path)) return;
        if (!sweep.limits || !sweep.limits->max_total_trials) {
            if (rules_.known(path + ".max_total_trials"))
                rules_.add(path + ".max_total_trials", "", "is required: the number of trials to run at most");
            if (!sweep.limits) return;
        }
        const auto& limits = *sweep.limits;
        auto in_range = [&](const char* name, const std::optional<std::int64_t>& value, std::int64_t low,
                            std::int64_t high) {
            if (value && (*value < low || *value > high))
                rules_.add(path + "." + name, rules_.n(*value),
                           "must be from " + rules_.n(low) + " to " + rules_.n(high));
        };
        auto widen = [](const std::optional<int>& v) { return v ? std::optional<std::int64_t>(*v) : std::nullopt; };
        in_range("max_total_trials", widen(limits.max_total_trials), 1, max_sweep_trials);
        in_range("max_concurrent_trials", widen(limits.max_concurrent_trials), 1, max_sweep_trials);
        if (limits.max_total_trials && limits.max_concurrent_trials &&
            *limits.max_concurrent_trials > *limits.max_total_trials && *limits.max_total_trials >= 1)
            rules_.add(path + ".max_concurrent_trials", rules_.n(*limits.max_concurrent_trials),
                       "must be at most max_total_trials (" + rules_.n(*limits.max_total_trials) + ")");
        constexpr std::int64_t year = 366LL * 24 * 3600;
        in_range("timeout", limits.timeout, 1, year);
        in_range("trial_timeout", limits.trial_timeout, 1, year);
        if (limits.timeout && limits.trial_timeout && *limits.trial_timeout > *limits.timeout)
            rules_.add(path + ".trial_timeout", rules_.n(*limits.trial_timeout),
                       "must be at most timeout (" + rules_.n(*limits.timeout) + "), the whole sweep's");
    }

    void check_termination(const sweep_settings& sweep) {
        const std::string path = "sweep.early_termination";
        if (!sweep.termination || !rules_.known(path)) return;
        const auto& policy = *sweep.termination;
        if (sweep.sampling && sweep.sampling->type == sampling_kind::bayesian)
            rules_.add(path, "", "bayesian sampling does not support early termination");
        if (!policy.type) {
            if (rules_.known(path + ".type"))
                rules_.add(path + ".type", "", "is required: " + enum_name_list<early_termination_kind>());
            return;
        }
        const auto type = *policy.type;
        const std::string type_name(enum_name(type));
        const bool bandit = type == early_termination_kind::bandit;
        const bool truncation = type == early_termination_kind::truncation_selection;
        auto only = [&](bool set, bool applies, const char* name, const std::string& value) {
            if (set && !applies) rules_.add(path + "." + name, value, "does not apply to " + type_name);
        };
        only(policy.slack_factor.has_value(), bandit, "slack_factor",
             policy.slack_factor ? number(*policy.slack_factor) : "");
        only(policy.slack_amount.has_value(), bandit, "slack_amount",
             policy.slack_amount ? number(*policy.slack_amount) : "");
        only(policy.truncation_percentage.has_value(), truncation, "truncation_percentage",
             policy.truncation_percentage ? rules_.n(*policy.truncation_percentage) : "");
        only(policy.exclude_finished_jobs.has_value(), truncation, "exclude_finished_jobs",
             policy.exclude_finished_jobs ? (*policy.exclude_finished_jobs ? "true" : "false") : "");
        if (bandit) {
            if (policy.slack_factor.has_value() == policy.slack_amount.has_value())
                rules_.add(path, "", "bandit takes one of slack_factor and slack_amount");
            for (const auto& [name, value] :
                 {std::pair{"slack_factor", policy.slack_factor}, std::pair{"slack_amount", policy.slack_amount}})
                if (value && !(*value > 0)) rules_.add(path + "." + name, number(*value), "must be greater than 0");
        }
        if (truncation) {
            if (!policy.truncation_percentage && rules_.known(path + ".truncation_percentage"))
                rules_.add(path + ".truncation_percentage", "", "is required for truncation_selection (1 to 99)");
            if (policy.truncation_percentage &&
                (*policy.truncation_percentage < 1 || *policy.truncation_percentage > 99))
                rules_.add(path + ".truncation_percentage", rules_.n(*policy.truncation_percentage),
                           "must be from 1 to 99");
        }
        if (policy.evaluation_interval && *policy.evaluation_interval < 1)
            rules_.add(path + ".evaluation_interval", rules_.n(*policy.evaluation_interval), "must be at least 1");
        if (policy.delay_evaluation && *policy.delay_evaluation < 0)
            rules_.add(path + ".delay_evaluation", rules_.n(*policy.delay_evaluation), "must be at least 0");
    }

    spec_rule_context& rules_;
    std::unordered_set<std::string_view> fixed_keys_;  ///< the keys of script_params
};

inline void check_sweep(spec_rule_context& rules) { sweep_rules(rules).check(); }

}  // namespace detail
TRAINSPEC_END_NAMESPACE
