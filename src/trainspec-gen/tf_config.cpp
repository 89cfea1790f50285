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
#include <nlohmann/json.hpp>

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
        // One task's at a time: every TF_CONFIG holds the whole cluster.
        bool any = false;
        trainspec::for_each_tf_config(
            c,
            [&any](const trainspec::task& t, std::string_view json) {
                any = true;
                fmt::print("{} {}\n", task_label(t.type, t.index), json);
            },
            options);
        if (!any) fmt::print(stderr, "{}: {}\n", program, no_kubeflow_tf_config);
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

/// TensorFlow's task id, null when the TF_CONFIG gives none.
nlohmann::ordered_json optional_json(const std::optional<int>& value) {
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json();
}

nlohmann::ordered_json optional_json(const std::optional<std::string>& value) {
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json();
}

/// The consumer's whole view, in its own names: RunConfig's properties,
/// multi_worker_util's answers, or TFConfigClusterResolver's.
nlohmann::ordered_json consumer_view(const trainspec::parsed_tf_config& parsed) {
    using json = nlohmann::ordered_json;
    json view;
    view["consumer"] = trainspec::enum_name(parsed.consumer);
    auto resolver_task = [&] {
        view["task_type"] = parsed.task_type.empty() ? json() : json(parsed.task_type);
        view["task_id"] = optional_json(parsed.task_index);
    };
    if (parsed.consumer == trainspec::tf_consumer::estimator) {
        const auto run_config = trainspec::run_config_of(parsed);
        view["task_type"] = run_config.task_type;
        view["task_id"] = run_config.task_id;
        view["cluster_spec"] = json::parse(run_config.cluster_spec.to_json());
        view["master"] = run_config.master;
        view["evaluation_master"] = run_config.evaluation_master;
        view["is_chief"] = run_config.is_chief;
        view["num_worker_replicas"] = run_config.num_worker_replicas;
        view["num_ps_replicas"] = run_config.num_ps_replicas;
        view["global_id_in_cluster"] = optional_json(run_config.global_id_in_cluster);
        view["model_dir"] = optional_json(run_config.model_dir);
        view["device_filters"] = run_config.device_filters ? json(*run_config.device_filters) : json();
        return view;
    }
    resolver_task();
    view["cluster_spec"] = json::parse(parsed.cluster.to_json());
    view["rpc_layer"] = optional_json(parsed.rpc_layer);
    if (parsed.consumer == trainspec::tf_consumer::custom) {
        // A task outside the cluster (an evaluator, or none at all) has no
        // address, and master() then raises.
        auto or_null = [](auto answer) {
            try {
                return json(answer());
            } catch (const trainspec::tf_config_error&) {
                return json();
            }
        };
        view["task_address"] = or_null([&] { return parsed.task_address(); });
        view["master"] = or_null([&] { return parsed.master(); });
        view["environment"] = optional_json(parsed.environment);
        return view;
    }
    const auto strategy = trainspec::strategy_view_of(parsed);
    view["local"] = strategy.local;
    view["is_chief"] = strategy.is_chief;
    view["id_in_cluster"] = optional_json(strategy.id_in_cluster);
    view["worker_count"] = optional_json(strategy.worker_count);
    view["collective_leader"] = strategy.collective_leader;
    view["training_jobs"] = strategy.training_jobs;
    view["in_training_cluster"] = strategy.in_training_cluster;
    json errors = json::object();
    for (const auto& [function, message] : strategy.errors) errors[function] = message;
    view["errors"] = errors;
    return view;
}

/// The view as aligned `name: value` lines: strings as they are ("" shown
/// as ""), none as -, a function that raises as - (its error), lists
/// space-separated, the cluster as compact JSON.
std::string view_text(const nlohmann::ordered_json& view) {
    std::size_t width = 0;
    for (const auto& item : view.items()) width = std::max(width, item.key().size());
    const auto& errors = view.contains("errors") ? view["errors"] : nlohmann::ordered_json::object();
    std::string out;
    for (const auto& item : view.items()) {
        if (item.key() == "errors") continue;
        const auto& value = item.value();
        std::string shown;
        if (value.is_string())
            shown = value.get_ref<const std::string&>().empty() ? "\"\"" : one_line(value.get<std::string>());
        else if (value.is_null())
            shown = errors.contains(item.key()) ? "- (" + one_line(errors[item.key()].get<std::string>()) + ")" : "-";
        else if (value.is_array() && item.key() != "cluster_spec") {
            for (const auto& element : value)
                shown += (shown.empty() ? "" : " ") + one_line(element.get<std::string>());
            if (shown.empty()) shown = "-";
        } else
            shown = one_line(value.dump());
        out += fmt::format("{:<{}} {}\n", item.key() + ":", width + 1, shown);
    }
    return out;
}

/// Reads a TF_CONFIG as `consumer` would and prints what it concludes.
int run_check_tf_config(const arguments& args) {
    const auto consumer = consumer_from(args);
    trainspec::parsed_tf_config parsed;
    try {
        if (args.operands.empty())
            parsed = trainspec::tf_config_from_env(consumer);
        else if (args.operands.front() == "-")
            // No task receives a larger one (docs/limits.md).
            parsed = trainspec::parse_tf_config(read_input_file("-", "TF_CONFIG", trainspec::max_tf_config_bytes).text,
                                                consumer);
        else
            parsed = trainspec::parse_tf_config(args.operands.front(), consumer);
    } catch (const trainspec::tf_config_error& e) {
        // TensorFlow's own words, with the field they are about.
        throw input_error(e.field().empty() ? e.rule() : "invalid TF_CONFIG: " + std::string(e.what()));
    }
    const auto view = consumer_view(parsed);
    fmt::print("{}", args.has(json_option) ? view.dump() + "\n" : view_text(view));
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
    v.summary = "consumer side: what a TensorFlow API concludes from a TF_CONFIG";
    v.options = {listed(consumer_option), listed(json_option, "one JSON object instead of the aligned lines")};
    v.run = run_check_tf_config;
    v.notes =
        "JSON is the TF_CONFIG text, or - to read it from standard input; without it, the\n"
        "TF_CONFIG environment variable is read (unset: {}, as TensorFlow reads it).\n"
        "estimator prints RunConfig's properties, the strategies multi_worker_util's\n"
        "answers, custom TFConfigClusterResolver's, each under TensorFlow's names.\n";
    return v;
}

}  // namespace trainspec_gen
