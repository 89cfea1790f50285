#pragma once
// An Azure Machine Learning v2 sweep job (`az ml job create -f`): the
// spec's sweep under v2's own names, and as its `trial` the job's command
// job whose command takes each trial's values through
// ${{search_space.<id>}} placeholders. docs/sweeps.md maps every field.

#include <nlohmann/json.hpp>

#include <trainspec/detail/linkage.hpp>
#include <trainspec/job.hpp>
#include <trainspec/render/azureml.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

inline constexpr const char* azureml_sweep_job_schema =
    "https://azuremlschemas.azureedge.net/latest/sweepJob.schema.json";

/// The job's sweep as an Azure ML v2 sweep job (JSON, valid as YAML).
/// Throws artifact_error for what v2 cannot express or run, naming the
/// field: more than 1000 trials, truncation_selection's
/// exclude_finished_jobs, a choice string Azure's textual substitution
/// would let out of its quotes; and whatever the command job refuses.
nlohmann::ordered_json azureml_sweep_job(const any_job& j, const azureml_options& options = {});

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <string>
#include <variant>

#include <trainspec/detail/param_json.hpp>
#include <trainspec/detail/spec_fields.hpp>
#include <trainspec/detail/sweep_field_tables.hpp>
#include <trainspec/detail/sweep_ids.hpp>
#include <trainspec/detail/sweep_template.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

[[noreturn]] inline void azureml_sweep_error(const job_spec& s, const std::string& why) {
    throw artifact_error("Azure ML sweep job", effective_job_name(s), why);
}

/// What Azure ML v2 cannot take, as named errors.
inline void check_azureml_sweep(const job_spec& s) {
    const auto& sweep = *s.sweep;
    const auto& limits = *sweep.limits;
    for (const auto& [name, value] : {std::pair{"max_total_trials", limits.max_total_trials},
                                      std::pair{"max_concurrent_trials", limits.max_concurrent_trials}})
        if (value && *value > max_azureml_sweep_trials)
            azureml_sweep_error(s, std::string("has sweep.limits.") + name + " " + std::to_string(*value) +
                                       "; Azure ML runs at most " + std::to_string(max_azureml_sweep_trials));
    if (sweep.termination && sweep.termination->exclude_finished_jobs)
        azureml_sweep_error(s,
                            "has sweep.early_termination.exclude_finished_jobs, a HyperDrive v1 setting of "
                            "truncation_selection that Azure ML v2 has no field for");
    if (const auto path = azureml_expression_path(s); !path.empty())
        azureml_sweep_error(s, "has \"${{\" in " + path +
                                   "; Azure ML evaluates every ${{ <expression> }} in a job, and only the sweep's "
                                   "own ${{search_space.<id>}} are the job's");
    // Azure ML puts a value into the command as text: inside the single
    // quotes our shell quoting gives the placeholder, a quote would end them.
    for (const auto& parameter : sweep.search_space)
        for (const auto& value : parameter.value.values)
            if (const auto* text = std::get_if<std::string>(&value.get());
                text && text->find('\'') != std::string::npos)
                azureml_sweep_error(s, "has the choice value " + quote_json(*text) + " in sweep.search_space[" +
                                           quote_json(parameter.name) +
                                           "]; Azure ML substitutes values into the command as text, where a ' "
                                           "would become shell syntax");
    if (const auto why = empty_choice_problem(sweep, "Azure ML"); !why.empty()) azureml_sweep_error(s, why);
}

/// The sweep's early termination with both intervals written: the v2 SDK's
/// defaults differ from the YAML reference's.
inline nlohmann::ordered_json azureml_early_termination(const early_termination& policy) {
    auto out = write_fields(policy);
    out["evaluation_interval"] = policy.evaluation_interval.value_or(default_evaluation_interval);
    out["delay_evaluation"] = policy.delay_evaluation.value_or(default_delay_evaluation);
    return out;
}

}  // namespace detail

TRAINSPEC_INLINE nlohmann::ordered_json azureml_sweep_job(const any_job& j, const azureml_options& options) {
    const auto& s = spec_of(j);
    if (!s.sweep) detail::azureml_sweep_error(s, "has no sweep; its command job is --target azureml without one");
    detail::check_azureml_sweep(s);
    const auto& sweep = *s.sweep;
    const auto ids = detail::sweep_parameter_ids(sweep);

    // The trial: the command job of the job whose swept parameters are placeholders.
    // Azure ML bounds each trial by the sweep's own trial_timeout (limits).
    const auto trial_job = detail::sweep_trial_template(
        s, [&](std::size_t i) { return "${{search_space." + ids[i] + "}}"; }, false);
    auto command_job = detail::azureml_job(trial_job, options);

    nlohmann::ordered_json out;
    out["$schema"] = azureml_sweep_job_schema;
    out["type"] = "sweep";
    for (const char* key : {"name", "experiment_name", "compute", "queue_settings"})
        if (command_job.contains(key)) out[key] = command_job[key];
    out["sampling_algorithm"] = detail::write_fields(sweep)["sampling_algorithm"];
    nlohmann::ordered_json space = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < ids.size(); ++i) space[ids[i]] = detail::write_fields(sweep.search_space[i].value);
    out["search_space"] = std::move(space);
    out["objective"] = detail::write_fields(*sweep.objective);
    auto limits = detail::write_fields(*sweep.limits);
    if (!limits.contains("trial_timeout") && s.max_run_duration_seconds)
        limits["trial_timeout"] = *s.max_run_duration_seconds;
    out["limits"] = std::move(limits);
    if (sweep.termination) out["early_termination"] = detail::azureml_early_termination(*sweep.termination);

    nlohmann::ordered_json trial;
    for (const char* key : {"code", "command", "environment", "environment_variables", "distribution", "resources"})
        if (command_job.contains(key)) trial[key] = command_job[key];
    out["trial"] = std::move(trial);
    return out;
}

TRAINSPEC_END_NAMESPACE
#endif
