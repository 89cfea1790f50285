#pragma once
// A Kubeflow Katib Experiment (kubeflow.org/v1beta1) of the job's sweep:
// its trial template is the job's own TFJob or MPIJob, the swept
// parameters ${trialParameters.<id>} in the training command.
// docs/sweeps.md maps every field and says what Katib does with it.

#include <nlohmann/json.hpp>

#include <trainspec/detail/linkage.hpp>
#include <trainspec/job.hpp>
#include <trainspec/render/kubeflow_options.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

inline constexpr const char* katib_api_version = "kubeflow.org/v1beta1";
/// The longest Experiment name Katib's webhook admits.
inline constexpr std::size_t katib_max_name_length = 40;

/// The sweep of a ps, multi_worker or mpi job as a Katib Experiment.
/// Throws artifact_error naming the setting Katib cannot express
/// (truncation selection, bandit, a sweep-wide timeout, ...), and what the
/// TFJob or MPIJob refuses.
nlohmann::ordered_json katib_experiment(const any_job& j, const kubeflow_options& options = {});

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <algorithm>
#include <cmath>
#include <string>
#include <variant>

#include <trainspec/detail/kubernetes_syntax.hpp>
#include <trainspec/detail/spec_paths.hpp>
#include <trainspec/detail/sweep_ids.hpp>
#include <trainspec/detail/sweep_template.hpp>
#include <trainspec/plan.hpp>
#include <trainspec/render/kubeflow.hpp>
#include <trainspec/spec/resource_names.hpp>
#include <trainspec/spec/script_params.hpp>
#include <trainspec/spec_json.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

[[noreturn]] inline void katib_error(const job_spec& s, const std::string& why) {
    throw artifact_error("Katib Experiment", effective_job_name(s), why);
}

/// Katib's settings and feasible spaces are strings; a number as the
/// script gets it (Python's str()).
inline std::string katib_number(double v) { return to_argument(param_scalar(v)); }

/// One parameter as Katib's hyperopt service reads it back into
/// HyperDrive's expression (pkg/suggestion/v1beta1/hyperopt/base_service.py):
/// logUniform takes the bounds themselves, normal the ±3 sigma range.
inline nlohmann::ordered_json katib_parameter(const job_spec& s, const std::string& id, const sweep_parameter& p) {
    const auto& d = p.value;
    nlohmann::ordered_json out;
    out["name"] = id;
    nlohmann::ordered_json space;
    const double min = d.min_value.value_or(0), max = d.max_value.value_or(0);
    const double mu = d.mu.value_or(0), sigma = d.sigma.value_or(1);
    auto range = [&](double low, double high, const char* distribution) {
        out["parameterType"] = "double";
        space["min"] = katib_number(low);
        space["max"] = katib_number(high);
        if (d.q) space["step"] = katib_number(*d.q);
        space["distribution"] = distribution;
    };
    switch (*d.type) {
        case distribution_kind::choice: {
            bool numbers = true;
            nlohmann::ordered_json list = nlohmann::ordered_json::array();
            for (const auto& value : d.values) {
                numbers = numbers && !std::holds_alternative<std::string>(value.get()) &&
                          !std::holds_alternative<bool>(value.get());
                list.push_back(to_argument(value));
            }
            out["parameterType"] = numbers ? "discrete" : "categorical";
            space["list"] = std::move(list);
            break;
        }
        case distribution_kind::randint:
            out["parameterType"] = "int";
            space["min"] = "0";
            space["max"] = std::to_string(*d.upper - 1);
            break;
        case distribution_kind::uniform:
        case distribution_kind::quniform:
            range(min, max, "uniform");
            break;
        case distribution_kind::loguniform:
        case distribution_kind::qloguniform:
            range(std::exp(min), std::exp(max), "logUniform");
            break;
        case distribution_kind::normal:
        case distribution_kind::qnormal:
            range(mu - 3 * sigma, mu + 3 * sigma, "normal");
            break;
        case distribution_kind::lognormal:
        case distribution_kind::qlognormal:
            range(std::exp(mu - 3 * sigma), std::exp(mu + 3 * sigma), "logNormal");
            break;
    }
    for (const auto& value : d.values) {
        const auto* text = std::get_if<std::string>(&value.get());
        if (!text) continue;
        const bool control =
            std::any_of(text->begin(), text->end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
        if (control || text->find_first_of("\"\\'") != std::string::npos || text->find("${") != std::string::npos)
            katib_error(s, "has the choice value " + quote_json(*text) + " in sweep.search_space[" +
                               quote_json(p.name) +
                               "]; Katib substitutes values into the trial template's text, where a quote, "
                               "backslash, control character or ${ would change the template");
    }
    out["feasibleSpace"] = std::move(space);
    return out;
}

/// The algorithm: random (sobol for rule sobol), grid, bayesianoptimization.
inline nlohmann::ordered_json katib_algorithm(const job_spec& s) {
    const auto& sampling = *s.sweep->sampling;
    nlohmann::ordered_json out;
    switch (*sampling.type) {
        case sampling_kind::grid:
            out["algorithmName"] = "grid";
            break;
        case sampling_kind::random:
            out["algorithmName"] = sampling.rule == random_rule::sobol ? "sobol" : "random";
            break;
        case sampling_kind::bayesian:
            out["algorithmName"] = "bayesianoptimization";
            for (const auto& p : s.sweep->search_space)
                if (p.value.type != distribution_kind::choice && !(p.value.min_value.value_or(0) > 0))
                    katib_error(s, "has sweep.search_space[" + quote_json(p.name) +
                                       "].min_value <= 0 with bayesian sampling; Katib's bayesianoptimization "
                                       "(scikit-optimize) gives a double a log-uniform prior, which needs min > 0");
            break;
    }
    if (sampling.seed)
        out["algorithmSettings"] = {{{"name", "random_state"}, {"value", std::to_string(*sampling.seed)}}};
    return out;
}

/// medianstop; Katib has no bandit or truncation selection.
inline nlohmann::ordered_json katib_early_stopping(const job_spec& s) {
    const auto& policy = *s.sweep->termination;
    if (policy.type != early_termination_kind::median_stopping)
        katib_error(s, "has sweep.early_termination " + quote_json(enum_name(*policy.type)) +
                           "; Katib's early stopping has medianstop only (median_stopping)");
    if (policy.evaluation_interval.value_or(default_evaluation_interval) != 1)
        katib_error(s, "has sweep.early_termination.evaluation_interval " +
                           std::to_string(*policy.evaluation_interval) +
                           "; Katib's medianstop compares at every reported step");
    // start_step: the first step compared (1-based); delay_evaluation steps wait.
    const int start = policy.delay_evaluation.value_or(default_delay_evaluation) + 1;
    return {{"algorithmName", "medianstop"},
            {"algorithmSettings", {{{"name", "start_step"}, {"value", std::to_string(start)}}}}};
}

/// Katib's StdOut collector reads `name=value` lines with this name syntax.
inline bool katib_metric_name(const std::string& name) {
    if (name.empty()) return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
              c == '|'))
            return false;
    return true;
}

}  // namespace detail

TRAINSPEC_INLINE nlohmann::ordered_json katib_experiment(const any_job& j, const kubeflow_options& o) {
    const auto& s = spec_of(j);
    if (!s.sweep) detail::katib_error(s, "has no sweep");
    const auto backend = effective_backend(s);
    if (backend == backend_kind::single_node)
        detail::katib_error(s,
                            "is a single-node job; the trial template wraps a TFJob (ps, multi_worker) or an "
                            "MPIJob (mpi)");
    const auto& sweep = *s.sweep;
    if (sweep.limits->timeout)
        detail::katib_error(s,
                            "has sweep.limits.timeout; a Katib Experiment has no time limit of its own (a "
                            "trial's is trial_timeout)");
    const auto holds_placeholder = [](const std::string& text) {
        return text.find("${trialParameters.") != std::string::npos;
    };
    if (const auto why = detail::empty_choice_problem(sweep, "Katib"); !why.empty()) detail::katib_error(s, why);
    if (const auto path = detail::first_text_path(to_json(s), holds_placeholder); !path.empty())
        detail::katib_error(s, "has \"${trialParameters.\" in " + path +
                                   "; Katib substitutes every ${trialParameters.<name>} in the trial template's "
                                   "text and refuses one it does not define");
    const auto& metric = *sweep.objective->primary_metric;
    if (!detail::katib_metric_name(metric))
        detail::katib_error(s, "has sweep.objective.primary_metric " + detail::quote_json(metric) +
                                   "; Katib's StdOut collector reads metric names of [A-Za-z0-9_|-] only");

    const auto ids = detail::sweep_parameter_ids(sweep);
    nlohmann::ordered_json parameters = nlohmann::ordered_json::array();
    nlohmann::ordered_json trial_parameters = nlohmann::ordered_json::array();
    const auto trial_job = detail::sweep_trial_template(
        s, [&](std::size_t i) { return "${trialParameters." + ids[i] + "}"; }, true);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        parameters.push_back(detail::katib_parameter(s, ids[i], sweep.search_space[i]));
        trial_parameters.push_back(
            {{"name", ids[i]}, {"description", sweep.search_space[i].name}, {"reference", ids[i]}});
    }
    const bool mpi = backend == backend_kind::mpi;
    // Not single-node (refused above): a TFJob or an MPIJob.
    auto trial_spec = kubeflow_manifest(plan(make_job(trial_job)), o).value();
    // The Experiment takes the job's name; Katib names each trial's job
    // itself, in the Experiment's namespace.
    const std::string name = trial_spec["metadata"]["name"];
    if (name.size() > katib_max_name_length)
        detail::katib_error(s, "has the name " + detail::quote_json(name) + " of " + std::to_string(name.size()) +
                                   " characters; Katib admits Experiment names of at most " +
                                   std::to_string(katib_max_name_length));
    trial_spec["metadata"].erase("name");
    trial_spec["metadata"].erase("namespace");
    if (trial_spec["metadata"].empty()) trial_spec.erase("metadata");

    // Katib's grid stops at the combinations, as sweep_trials does.
    const std::int64_t trials = planned_trial_count(sweep);

    nlohmann::ordered_json e;
    e["apiVersion"] = katib_api_version;
    e["kind"] = "Experiment";
    e["metadata"] = {{"name", name}, {"namespace", o.kubernetes_namespace}};
    nlohmann::ordered_json spec;
    spec["objective"] = {{"type", std::string(enum_name(*sweep.objective->goal))}, {"objectiveMetricName", metric}};
    spec["algorithm"] = detail::katib_algorithm(s);
    if (sweep.termination) spec["earlyStopping"] = detail::katib_early_stopping(s);
    spec["parallelTrialCount"] = std::min<std::int64_t>(sweep.limits->max_concurrent_trials.value_or(trials), trials);
    spec["maxTrialCount"] = trials;
    spec["metricsCollectorSpec"] = {{"collector", {{"kind", "StdOut"}}}};
    spec["parameters"] = std::move(parameters);
    nlohmann::ordered_json template_;
    // TFJob: the pod labelled job-role master (the chief, else worker 0);
    // MPIJob v2beta1: the launcher, which mpi-operator labels job-role launcher.
    template_["primaryContainerName"] = mpi ? mpijob_launcher_container_name : tfjob_container_name;
    template_["primaryPodLabels"] = {{"training.kubeflow.org/job-role", mpi ? "launcher" : "master"}};
    template_["successCondition"] = R"(status.conditions.#(type=="Succeeded")#|#(status=="True")#)";
    template_["failureCondition"] = R"(status.conditions.#(type=="Failed")#|#(status=="True")#)";
    template_["trialParameters"] = std::move(trial_parameters);
    template_["trialSpec"] = std::move(trial_spec);
    spec["trialTemplate"] = std::move(template_);
    e["spec"] = std::move(spec);
    return e;
}

TRAINSPEC_END_NAMESPACE
#endif
