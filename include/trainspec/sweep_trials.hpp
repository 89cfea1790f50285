#pragma once
// The trials of a grid or random sweep (docs/sweeps.md): trial i is computed
// alone, from the spec, in time linear in the number of parameters; nothing
// is stored per trial, so a million trials stream.

#include <cstdint>
#include <vector>

#include <trainspec/detail/linkage.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

class sweep_trials {
public:
    /// Throws validation_error for an invalid spec, a spec without a sweep,
    /// and a bayesian sweep (which only an engine can run: each trial
    /// depends on the results of the earlier ones).
    explicit sweep_trials(const job_spec& spec);

    /// Grid: the combinations, at most max_total_trials; random:
    /// max_total_trials.
    std::int64_t size() const noexcept { return size_; }

    const std::vector<sweep_parameter>& parameters() const noexcept { return parameters_; }

    /// Trial `index`'s values, in search_space order. Grid: the parameters'
    /// values in spec order, the last parameter varying fastest; random: each
    /// parameter drawn from its own stream of the seed (0 when none is
    /// given). Throws std::out_of_range outside [0, size()).
    script_params trial(std::int64_t index) const;

private:
    std::vector<sweep_parameter> parameters_;
    sampling_kind sampling_;
    std::uint64_t seed_;
    std::int64_t size_;
};

/// Trial `index` as a job of its own: the spec without `sweep`, its
/// script_params followed by the trial's values.
job_spec trial_spec(const job_spec& spec, std::int64_t index);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include <trainspec/detail/sweep_draw.hpp>
#include <trainspec/detail/sweep_random.hpp>
#include <trainspec/error.hpp>
#include <trainspec/validate.hpp>

TRAINSPEC_BEGIN_NAMESPACE

TRAINSPEC_INLINE sweep_trials::sweep_trials(const job_spec& spec) {
    if (auto found = validate(spec); !found.empty()) throw validation_error(std::move(found));
    if (!spec.sweep) throw validation_error({{"sweep", "", "is required: the spec has no sweep to expand"}});
    const auto& sweep = *spec.sweep;
    sampling_ = effective_sampling(sweep);
    if (sampling_ == sampling_kind::bayesian)
        throw validation_error({{"sweep.sampling_algorithm", "\"bayesian\"",
                                 "bayesian sampling cannot be expanded locally: each trial depends on the results "
                                 "of the earlier ones; render it for an engine (Azure ML, Katib)"}});
    parameters_ = sweep.search_space;
    seed_ = static_cast<std::uint64_t>(sweep.sampling->seed.value_or(0));
    size_ = planned_trial_count(sweep);
}

TRAINSPEC_INLINE script_params sweep_trials::trial(std::int64_t index) const {
    if (index < 0 || index >= size_)
        throw std::out_of_range("trial " + std::to_string(index) + " of a sweep of " + std::to_string(size_) +
                                " trials");
    script_params values;
    if (sampling_ == sampling_kind::grid) {
        // Mixed radix, the last parameter the lowest digit.
        std::vector<std::size_t> digits(parameters_.size());
        auto rest = static_cast<std::uint64_t>(index);
        for (std::size_t i = parameters_.size(); i-- > 0;) {
            const auto radix = parameters_[i].value.values.size();
            digits[i] = rest % radix;
            rest /= radix;
        }
        for (std::size_t i = 0; i < parameters_.size(); ++i) {
            const auto& value = parameters_[i].value.values[digits[i]].get();
            values.add(parameters_[i].name, std::visit([](const auto& v) { return param_value(v); }, value));
        }
        return values;
    }
    for (std::size_t i = 0; i < parameters_.size(); ++i)
        values.add(
            parameters_[i].name,
            detail::draw(parameters_[i].value, detail::sweep_stream(seed_, static_cast<std::uint64_t>(index), i)));
    return values;
}

TRAINSPEC_INLINE job_spec trial_spec(const job_spec& spec, std::int64_t index) {
    const sweep_trials trials(spec);
    job_spec out = spec;
    out.sweep.reset();
    for (const auto& [name, value] : trials.trial(index)) out.params.add(name, value);
    return out;
}

TRAINSPEC_END_NAMESPACE
#endif
