#pragma once
// The job a sweep's trials run on an engine that fills in their values
// itself: the spec without its sweep, each swept parameter's value the
// engine's placeholder for it.

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// `placeholder(i)` is the value of swept parameter i; with
/// `bounded_by_trial_timeout`, trial_timeout becomes the job's own time limit.
template <class Placeholder>
job_spec sweep_trial_template(const job_spec& s, Placeholder placeholder, bool bounded_by_trial_timeout) {
    job_spec out = s;
    out.sweep.reset();
    for (std::size_t i = 0; i < s.sweep->search_space.size(); ++i)
        out.params.add(s.sweep->search_space[i].name, std::string(placeholder(i)));
    if (bounded_by_trial_timeout && s.sweep->limits && s.sweep->limits->trial_timeout)
        out.max_run_duration_seconds = *s.sweep->limits->trial_timeout;
    return out;
}

/// Why an engine that puts each value as text where its placeholder stands
/// (after the parameter's key) cannot run this sweep, or "": a choice "",
/// which the job's own trials (trial_spec(), the Slurm array) write as a bare
/// flag, as script_params does.
inline std::string empty_choice_problem(const sweep_settings& sweep, std::string_view engine) {
    for (const auto& p : sweep.search_space)
        for (const auto& value : p.value.values)
            if (const auto* text = std::get_if<std::string>(&value.get()); text && text->empty())
                return "has the choice value \"\" in sweep.search_space[" + quote_json(p.name) + "]; " +
                       std::string(engine) +
                       " puts each value after its key, where the job's own trials make \"\" a bare flag";
    return {};
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
