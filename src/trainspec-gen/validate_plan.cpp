// trainspec-gen validate SPEC, trainspec-gen plan SPEC.

#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <trainspec/trainspec.hpp>

#include "input.hpp"
#include "job_labels.hpp"
#include "options.hpp"
#include "verbs.hpp"

namespace trainspec_gen {

namespace {

/// One line about a valid job: name, backend, nodes, tasks, target, framework.
std::string summary(const trainspec::job_spec& s) {
    return "job " + trainspec::effective_job_name(s) + ", " +
           std::string(trainspec::backend_label(trainspec::effective_backend(s))) + ", " +
           count_of(trainspec::effective_node_count(s), "node", "nodes") + ", " +
           count_of(trainspec::effective_task_count(s), "task", "tasks") + " (" + task_layout(s) + "), " +
           compute_label(s) + (trainspec::effective_use_gpu(s) ? " GPU" : " CPU") + ", TensorFlow " +
           trainspec::effective_framework_version(s) + (trainspec::effective_keras(s) ? " with Keras" : "");
}

int run_validate(const arguments& args) {
    const spec_text spec = read_spec_file(args.operands.at(0));
    input_report report;
    const auto job = load_valid_job(spec, report, args);
    report.raise_if_any();
    fmt::print("{}: valid: {}\n", one_line(spec.name), one_line(summary(trainspec::spec_of(*job))));
    return 0;
}

std::string plan_table(const trainspec::any_cluster& c) {
    const auto& hosts = hosts_of(c);
    text_table table(
        {{"type"}, {"index", true}, {"host"}, {"port", true}, {"rank", true}, {"local_rank", true}, {"gpus"}});
    for (const auto& t : tasks_of(c))
        table.add_row({std::string(trainspec::enum_name(t.type)), std::to_string(t.index), hosts[t.host_index].name,
                       t.port == 0 ? "-" : std::to_string(t.port), std::to_string(t.rank), std::to_string(t.local_rank),
                       gpus_label(t.gpus)});
    return table.render();
}

int run_plan(const arguments& args) {
    const spec_text spec = read_spec_file(args.operands.at(0));
    input_report report;
    const auto options = report.attempt([&] { return plan_options_from(args); });
    const auto job = load_valid_job(spec, report, args);
    report.raise_if_any();
    // The problems of planning, named by the options that caused them.
    static const std::vector<option_source> sources = {{"hosts", &hosts_option}, {"port", &port_option}};
    const auto cluster = plan_job(spec, *job, *options, args, sources, report);
    report.raise_if_any();
    fmt::print("{}", args.has(json_option) ? plan_json(*cluster) : plan_table(*cluster));
    return 0;
}

}  // namespace

verb validate_verb() {
    verb v = spec_verb("validate", "exit 0, or exit 2 listing every problem (JSON path + rule)", run_validate);
    v.options = {listed(trust_launcher_settings_option)};
    return v;
}

verb plan_verb() {
    verb v = spec_verb("plan", "the task table: type, index, host, port, rank, local rank, GPUs", run_plan);
    v.options = {listed(hosts_option), listed(port_option), listed(unique_ports_option), listed(json_option),
                 listed(trust_launcher_settings_option)};
    v.notes =
        "Columns: port is '-' for tasks that listen on none (MPI ranks, a single process);\n"
        "gpus is the task's CUDA_VISIBLE_DEVICES: '-' not restricted, 'none' no GPU, else the list.\n"
        "JSON keys: type, index, host, port (null for none), rank, local_rank, gpus (null or array).\n";
    return v;
}

}  // namespace trainspec_gen
