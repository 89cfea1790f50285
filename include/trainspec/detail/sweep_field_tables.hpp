#pragma once
// The field tables of the spec's `sweep` object and of the objects in it
// (spec/sweep.hpp); docs/sweeps.md describes them.

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include <trainspec/detail/param_json.hpp>
#include <trainspec/detail/spec_fields.hpp>
#include <trainspec/detail/spec_value_reader.hpp>
#include <trainspec/spec/sweep.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

template <>
struct spec_fields<sampling_algorithm> {
    static constexpr std::array<field<sampling_algorithm_key, sampling_algorithm>, 3> table{{
        named<&sampling_algorithm::type>(sampling_algorithm_key::type),
        integer<&sampling_algorithm::seed>(sampling_algorithm_key::seed),
        named<&sampling_algorithm::rule>(sampling_algorithm_key::rule),
    }};
};
static_assert(fields_in_key_order<sampling_algorithm>());

/// "grid", or {"type": "random", "seed": 42}.
inline void read_sampling(spec_value_reader& r, sweep_settings& s, const std::string& path, std::string_view name,
                          const ojson& v, const char*) {
    if (v.is_string()) {
        sampling_algorithm sampling;
        sampling.type = r.named_at<sampling_kind>(path, v, name);
        s.sampling = sampling;
        return;
    }
    s.sampling = read_object<sampling_algorithm>(r, path, v);
}
/// A sampling with a type only is written as its name.
inline void write_sampling(const sweep_settings& s, ojson& object, const std::string& name) {
    if (!s.sampling) return;
    const bool type_only = s.sampling->type && !s.sampling->seed && !s.sampling->rule;
    object[name] = type_only ? ojson(std::string(enum_name(*s.sampling->type))) : write_fields(*s.sampling);
}

/// choice's values: scalars, as script_params' list elements.
inline void read_choice_values(spec_value_reader& r, search_distribution& d, const std::string& path, std::string_view,
                               const ojson& v, const char*) {
    if (!v.is_array()) {
        r.type_error(path, v, "an array of strings, numbers or booleans");
        return;
    }
    if (auto read = read_param_value(r, path, v))
        if (auto* list = std::get_if<param_value::list>(&read->get())) d.values = *list;
}
inline void write_choice_values(const search_distribution& d, ojson& object, const std::string& name) {
    if (d.values.empty()) return;
    ojson values = ojson::array();
    for (const auto& value : d.values) values.push_back(param_json(value));
    object[name] = std::move(values);
}

template <>
struct spec_fields<search_distribution> {
    static constexpr std::array<field<distribution_key, search_distribution>, 8> table{{
        named<&search_distribution::type>(distribution_key::type),
        {distribution_key::values, &read_choice_values, &write_choice_values},
        integer<&search_distribution::upper>(distribution_key::upper),
        number<&search_distribution::min_value>(distribution_key::min_value),
        number<&search_distribution::max_value>(distribution_key::max_value),
        number<&search_distribution::mu>(distribution_key::mu),
        number<&search_distribution::sigma>(distribution_key::sigma),
        number<&search_distribution::q>(distribution_key::q),
    }};
};
static_assert(fields_in_key_order<search_distribution>());

/// parameter name: expression, in the user's order.
inline void read_search_space(spec_value_reader& r, sweep_settings& s, const std::string& path, std::string_view,
                              const ojson& v, const char*) {
    s.search_space = r.map_at<sweep_parameter>(
        path, v, "an object of parameter name: {\"type\": ..., ...}",
        [&r](const std::string& item, const ojson& value) { return read_object<search_distribution>(r, item, value); });
}

template <>
struct spec_fields<sweep_objective> {
    static constexpr std::array<field<sweep_objective_key, sweep_objective>, 2> table{{
        text<&sweep_objective::primary_metric>(sweep_objective_key::primary_metric,
                                               "the name of the metric the training logs"),
        named<&sweep_objective::goal>(sweep_objective_key::goal),
    }};
};
static_assert(fields_in_key_order<sweep_objective>());

template <>
struct spec_fields<sweep_limits> {
    static constexpr std::array<field<sweep_limits_key, sweep_limits>, 4> table{{
        integer<&sweep_limits::max_total_trials>(sweep_limits_key::max_total_trials),
        integer<&sweep_limits::max_concurrent_trials>(sweep_limits_key::max_concurrent_trials),
        integer<&sweep_limits::timeout>(sweep_limits_key::timeout),
        integer<&sweep_limits::trial_timeout>(sweep_limits_key::trial_timeout),
    }};
};
static_assert(fields_in_key_order<sweep_limits>());

template <>
struct spec_fields<early_termination> {
    static constexpr std::array<field<early_termination_key, early_termination>, 7> table{{
        named<&early_termination::type>(early_termination_key::type),
        number<&early_termination::slack_factor>(early_termination_key::slack_factor),
        number<&early_termination::slack_amount>(early_termination_key::slack_amount),
        integer<&early_termination::evaluation_interval>(early_termination_key::evaluation_interval),
        integer<&early_termination::delay_evaluation>(early_termination_key::delay_evaluation),
        integer<&early_termination::truncation_percentage>(early_termination_key::truncation_percentage),
        boolean<&early_termination::exclude_finished_jobs>(early_termination_key::exclude_finished_jobs),
    }};
};
static_assert(fields_in_key_order<early_termination>());

template <>
struct spec_fields<sweep_settings> {
    static constexpr std::array<field<sweep_key, sweep_settings>, 5> table{{
        {sweep_key::sampling_algorithm, &read_sampling, &write_sampling},
        {sweep_key::search_space, &read_search_space, &write_map<&sweep_settings::search_space>},
        object<&sweep_settings::objective>(sweep_key::objective),
        object<&sweep_settings::limits>(sweep_key::limits),
        object<&sweep_settings::termination>(sweep_key::early_termination),
    }};
};
static_assert(fields_in_key_order<sweep_settings>());

}  // namespace detail
TRAINSPEC_END_NAMESPACE
