#pragma once
// A sweep as a Slurm job array (docs/sweeps.md): one array task a trial,
// each an ordinary job of its own allocation. The script holds the trials'
// values in a table read by SLURM_ARRAY_TASK_ID; the job's own steps take
// them through trial markers (slurm_words()).

#include <cstdint>
#include <optional>
#include <string>

#include <fmt/format.h>

#include <trainspec/detail/slurm_option_checks.hpp>
#include <trainspec/detail/slurm_runtime.hpp>
#include <trainspec/detail/sweep_template.hpp>
#include <trainspec/render/shell_quote.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/sweep_trials.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// Slurm's default MaxArraySize: array indexes run from 0 to 1000.
inline constexpr std::int64_t slurm_max_array_size = 1001;

namespace detail {

/// The array's request and its trial table.
struct slurm_array {
    std::int64_t trials = 0;
    std::int64_t concurrent = 0;
    std::string table;  ///< sh code: trainspec_trial_<i>=value for the array task's trial
};

/// What a job array cannot run, as errors naming the setting.
inline void check_slurm_sweep(const job_spec& s) {
    const auto& sweep = *s.sweep;
    const auto sampling = effective_sampling(sweep);
    if (sampling == sampling_kind::bayesian)
        slurm_problem("sweep.sampling_algorithm", "\"bayesian\"",
                      "a Slurm job array runs a list of trials fixed in advance; bayesian sampling chooses each "
                      "from the results of the earlier ones");
    if (sweep.termination)
        slurm_problem("sweep.early_termination", quote_json(enum_name(*sweep.termination->type)),
                      "a Slurm job array has no early termination: no one reads the trials' metrics");
    if (sweep.limits && sweep.limits->timeout)
        slurm_problem("sweep.limits.timeout", std::to_string(*sweep.limits->timeout),
                      "a Slurm job array has no time limit of its own (a trial's is trial_timeout)");
}

/// The trials as a case table over SLURM_ARRAY_TASK_ID.
inline slurm_array slurm_array_of(const job_spec& s) {
    check_slurm_sweep(s);
    const sweep_trials trials(s);
    slurm_array array;
    array.trials = trials.size();
    if (array.trials > slurm_max_array_size)
        slurm_problem("sweep.limits.max_total_trials", std::to_string(array.trials),
                      "a Slurm job array takes at most " + std::to_string(slurm_max_array_size) +
                          " tasks (MaxArraySize's default; indexes 0 to " + std::to_string(slurm_max_array_size - 1) +
                          ")");
    array.concurrent = s.sweep->limits->max_concurrent_trials.value_or(array.trials);
    std::string& table = array.table;
    table = "case \"${SLURM_ARRAY_TASK_ID:?}\" in\n";
    for (std::int64_t t = 0; t < array.trials; ++t) {
        table += fmt::format("    {})", t);
        std::size_t i = 0;
        for (const auto& value : trials.trial(t)) {
            const auto words = to_arguments(value.value);
            table += fmt::format(" trainspec_trial_{}={}", i++, shell_quote(words.empty() ? "" : words[0]));
        }
        table += " ;;\n";
    }
    table += "    *) echo \"trainspec: no trial $SLURM_ARRAY_TASK_ID in this sweep\" >&2; exit 2 ;;\nesac\n";
    return array;
}

/// The job whose steps run the array task's trial: the sweep's parameters
/// as trial markers, trial_timeout as the time limit.
inline job_spec slurm_trial_template(const job_spec& s) { return sweep_trial_template(s, slurm_trial_marker, true); }

}  // namespace detail
TRAINSPEC_END_NAMESPACE
