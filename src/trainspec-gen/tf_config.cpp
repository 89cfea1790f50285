// trainspec-gen tf-config SPEC (the producer side: a planned task's
// TF_CONFIG) and trainspec-gen check-tf-config [JSON] (the consumer side).

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include <trainspec/consume/tf_config.hpp>
#include <trainspec/trainspec.hpp>

#include "input.hpp"
#include "job_labels.hpp"
#include "options.hpp"
#include "verbs.hpp"

namespace trainspec_gen {

namespace {

// ---- tf-config ----

struct task_ref {
    trainspec::task_type type;
    int index;
};

/// `--task TYPE:INDEX`.
task_ref parse_task_ref(const std::string& text) {
    const std::string shown = std::string(task_option.name) + " '" + one_line(text) + "'";
    const auto colon = text.find(':');
    if (colon == std::string::npos) throw input_error(shown + ": expected TYPE:INDEX, for example worker:0");
    const std::string type_name = text.substr(0, colon);
    const auto type = trainspec::enum_from_name<trainspec::task_type>(type_name);
    if (!type) {
        std::string hint = did_you_mean(type_name, names_of<trainspec::task_type>());
        if (hint.empty() && type_name == "master")
            hint = "; the chief is chief:0 (the sagemaker profile writes it as \"master\")";
        throw input_error(shown + ": unknown task type '" + one_line(type_name) + "'" + hint +
                          " (types: " + trainspec::enum_name_list<trainspec::task_type>() + ")");
    }
    constexpr int max_index = 1'000'000'000;
    const auto index = parse_whole_number(text.substr(colon + 1), max_index);
    if (!index) throw input_error(shown + ": the index must be a whole number from 0 to " + std::to_string(max_index));
    return {*type, *index};
}

trainspec::tf_config_options tf_config_options_from(const arguments& args) {
    trainspec::tf_config_options options;
    if (auto name = args.value(profile_option))
        options.profile = enum_option_value<trainspec::tf_profile>(profile_option, *name, "profile", "profiles");
    if (auto ns = args.value(namespace_option)) options.kubernetes_namespace = *ns;
    if (auto domain = args.value(cluster_domain_option)) options.cluster_domain = *domain;
    if (auto layer = args.value(rpc_layer_option)) options.rpc_layer = *layer;
    if (args.has(sparse_option)) options.sparse = true;
    return options;
}

/// The problems of writing TF_CONFIG, named by the options that caused them.
const std::vector<option_source>& tf_config_option_sources() {
    static const std::vector<option_source> sources = {
        {"hosts", &hosts_option},
        {"tf_config.profile", &profile_option},
        {"tf_config.sparse", &sparse_option},
        {"tf_config.rpc_layer", &rpc_layer_option},
        {"namespace", &namespace_option},
        {"cluster_domain", &cluster_domain_option},
    };
    return sources;
}

constexpr std::string_view no_kubeflow_tf_config =
    "note: the Kubeflow training operator sets no TF_CONFIG for a job of one replica";

/// The TF_CONFIG lines of a planned job: one task's, or every task's with
/// its `TYPE:INDEX ` in front.
template <class Backend>
void print_tf_configs(const spec_text& spec, const trainspec::cluster<Backend>& c,
                      const std::optional<task_ref>& wanted, const trainspec::tf_config_options& options,
                      const arguments& args, input_report& report) {
    if (wanted) {
        const bool exists = std::any_of(c.tasks().begin(), c.tasks().end(), [&](const trainspec::task& t) {
            return t.type == wanted->type && t.index == wanted->index;
        });
        if (!exists) {
            report.add_error("no task " + task_label(wanted->type, wanted->index) + "; this job has " +
                             task_ranges(c.tasks()));
            report.raise_if_any();
        }
    }
    try {
        if (wanted) {
            const auto json = trainspec::tf_config(c, wanted->type, wanted->index, options);
            if (json)
                fmt::print("{}\n", *json);
            else
                fmt::print(stderr, "{}: {}\n", program, no_kubeflow_tf_config);
            return;
        }
        const auto all = trainspec::tf_configs(c, options);
        if (all.empty()) fmt::print(stderr, "{}: {}\n", program, no_kubeflow_tf_config);
        for (const auto& one : all) fmt::print("{} {}\n", task_label(one.type, one.index), one.json);
    } catch (const trainspec::validation_error& e) {
        report.add_problems(spec.name, named_by_options(e.all(), args, tf_config_option_sources()),
                            "cannot write the TF_CONFIG of " + spec.name);
        report.raise_if_any();
    }
}

int run_tf_config(const arguments& args) {
    const bool all = args.has(all_tasks_option);
    if (all && args.has(task_option))
        throw usage_error("tf-config: give " + task_option.usage() + " or " + all_tasks_option.usage() + ", not both");
    if (!all && !args.has(task_option))
        throw usage_error("tf-config: missing " + task_option.usage() + " (or " + all_tasks_option.usage() + ")");

    const spec_text spec = read_spec_file(args.operands.at(0));
    input_report report;
    std::optional<task_ref> wanted;
    if (!all) wanted = report.attempt([&] { return parse_task_ref(*args.value(task_option)); });
    const auto plan_options = report.attempt([&] { return plan_options_from(args); });
    const auto options = report.attempt([&] { return tf_config_options_from(args); });
    const auto job = load_valid_job(spec, report, args);
    report.raise_if_any();

    const auto backend = trainspec::backend_of(*job);
    if (backend == trainspec::backend_kind::mpi)
        throw input_error("TF_CONFIG is written only for ps and multi_worker jobs; " + spec.name +
                          " is an mpi job, whose ranks find each other through MPI");
    if (backend == trainspec::backend_kind::single_node)
        throw input_error("TF_CONFIG is written only for ps and multi_worker jobs; " + spec.name +
                          " is a single-node job, which needs none");
    const auto profile = options->profile.value_or(trainspec::effective_profile(trainspec::spec_of(*job)));
    if (profile != trainspec::tf_profile::kubeflow)
        for (const option* kubeflow_only : {&namespace_option, &cluster_domain_option})
            if (args.has(*kubeflow_only))
                report.add_error(std::string(kubeflow_only->name) +
                                 " applies to the kubeflow profile only; the profile is " +
                                 std::string(trainspec::enum_name(profile)));
    report.raise_if_any();

    const auto cluster = plan_job(spec, *job, *plan_options, args, tf_config_option_sources(), report);
    report.raise_if_any();
    std::visit(
        [&](const auto& typed) {
            using backend_type = typename std::decay_t<decltype(typed)>::backend;
            if constexpr (trainspec::has_tf_config_v<backend_type>)
                print_tf_configs(spec, typed, wanted, *options, args, report);
        },
        *cluster);
    return 0;
}

// ---- check-tf-config ----

trainspec::tf_consumer consumer_from(const arguments& args) {
    const auto name = args.value(consumer_option);
    if (!name) return trainspec::tf_consumer::custom;
    return enum_option_value<trainspec::tf_consumer>(consumer_option, *name, "consumer", "consumers");
}

/// A value of the summary; "-" for none.
std::string or_dash(const std::string& text) { return text.empty() ? "-" : one_line(text); }

/// Reads a TF_CONFIG as `consumer` would and summarises what TensorFlow
/// makes of it.
int run_check_tf_config(const arguments& args) {
    const auto consumer = consumer_from(args);
    trainspec::parsed_tf_config parsed;
    try {
        if (args.operands.empty())
            parsed = trainspec::tf_config_from_env(consumer);
        else if (args.operands.front() == "-")
            parsed = trainspec::parse_tf_config(read_input_file("-", "TF_CONFIG", max_spec_bytes).text, consumer);
        else
            parsed = trainspec::parse_tf_config(args.operands.front(), consumer);
    } catch (const trainspec::tf_config_error& e) {
        // TensorFlow's own words, with the field they are about.
        throw input_error(e.field().empty() ? e.rule() : "invalid TF_CONFIG: " + std::string(e.what()));
    }

    std::string task = parsed.task_type.empty() ? "-" : parsed.task_type;
    if (!parsed.task_type.empty() && parsed.task_index) task += ":" + std::to_string(*parsed.task_index);
    // A task outside the cluster (an evaluator, or no task at all) has no
    // address; TensorFlow's master() then fails the same way.
    std::string address;
    std::string master;
    try {
        address = parsed.task_address();
    } catch (const trainspec::tf_config_error&) {
        address.clear();
    }
    try {
        master = parsed.master();
    } catch (const trainspec::tf_config_error&) {
        master.clear();
    }
    fmt::print("consumer: {}\n", trainspec::enum_name(consumer));
    fmt::print("task:     {}\n", one_line(task));
    fmt::print("address:  {}\n", or_dash(address));
    fmt::print("is_chief: {}\n", parsed.is_chief() ? "true" : "false");
    fmt::print("workers:  {}\n", parsed.num_workers());
    fmt::print("ps:       {}\n", parsed.num_ps());
    fmt::print("master:   {}\n", or_dash(master));
    return 0;
}

}  // namespace

verb tf_config_verb() {
    verb v =
        spec_verb("tf-config", "one task's TF_CONFIG, one line; --all: every task's, one line each", run_tf_config);
    v.required = "(" + task_option.usage() + " | " + all_tasks_option.usage() + ")";
    v.options = {
        listed(task_option),
        listed(all_tasks_option),
        listed(hosts_option),
        listed(profile_option),
        listed(namespace_option, "kubeflow profile: the TFJob's namespace (default: default)"),
        listed(cluster_domain_option, "kubeflow profile: the operator's custom cluster domain"),
        listed(rpc_layer_option),
        listed(sparse_option),
        listed(trust_launcher_settings_option),
    };
    v.notes =
        "Only ps and multi_worker jobs have a TF_CONFIG. With the kubeflow profile, a job of\n"
        "one replica gets none, as the Kubeflow training operator sets none.\n";
    return v;
}

verb check_tf_config_verb() {
    verb v;
    v.name = "check-tf-config";
    v.operands = "[JSON]";
    v.min_operands = 0;
    v.max_operands = 1;
    v.summary = "consumer side: parse and validate a TF_CONFIG (default: the environment)";
    v.options = {listed(consumer_option)};
    v.run = run_check_tf_config;
    v.notes =
        "JSON is the TF_CONFIG text, or - to read it from standard input; without it, the\n"
        "TF_CONFIG environment variable is read.\n";
    return v;
}

}  // namespace trainspec_gen
