// What the unit tests share: job_spec fixtures, the seed specs of
// examples/specs, a plan helper, and helpers for problems and errors.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <trainspec/trainspec.hpp>

namespace test_support {

/// The text of examples/specs/<name>.json, a seed scenario.
inline std::string seed_text(std::string_view name) {
    std::ifstream in(std::string(TRAINSPEC_SPECS_DIR) + "/" + std::string(name) + ".json", std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (text.str().empty()) throw std::runtime_error("no seed spec " + std::string(name));
    return text.str();
}

/// Every problem, one an indented line, for INFO().
inline std::string listing(const trainspec::problems& found) {
    std::string text;
    for (const auto& p : found) text += "\n  " + to_string(p);
    return text.empty() ? std::string("(no problems)") : text;
}

/// The problem at `path` whose rule contains `text`, or nullptr.
inline const trainspec::problem* find_problem(const trainspec::problems& found, std::string_view path,
                                              std::string_view text) {
    for (const auto& p : found)
        if (p.path == path && p.rule.find(text) != std::string::npos) return &p;
    return nullptr;
}

/// The message of the std::invalid_argument `f` throws, "(no error)" when it
/// throws none.
template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(no error)";
}

/// A single-node spec: source "src", entry "train.py", target "gpu-cluster";
/// the name is set only when given.
inline trainspec::job_spec base_spec(const char* name = nullptr) {
    trainspec::job_spec s;
    if (name != nullptr) s.name = name;
    s.source_directory = "src";
    s.entry_script = "train.py";
    s.target = trainspec::compute_target("gpu-cluster");
    return s;
}

/// A parameter-server spec; chief and evaluator counts are set only when non-zero.
inline trainspec::job_spec ps_spec(const char* name, int nodes, int workers, int parameter_servers, int chief = 0,
                                   int evaluator = 0) {
    auto s = base_spec(name);
    s.distributed_backend = trainspec::backend_kind::parameter_server;
    s.node_count = nodes;
    s.worker_count = workers;
    s.parameter_server_count = parameter_servers;
    if (chief != 0) s.chief_count = chief;
    if (evaluator != 0) s.evaluator_count = evaluator;
    return s;
}

inline trainspec::job_spec multi_worker_spec(const char* name, int nodes, int workers) {
    auto s = base_spec(name);
    s.distributed_backend = trainspec::backend_kind::multi_worker;
    s.node_count = nodes;
    s.worker_count = workers;
    return s;
}

inline trainspec::job_spec mpi_spec(const char* name, int nodes, int per_node) {
    auto s = base_spec(name);
    s.distributed_backend = trainspec::backend_kind::mpi;
    s.node_count = nodes;
    s.process_count_per_node = per_node;
    return s;
}

/// The plan of `s` as a job<Backend>, on `options`.
template <class Backend>
trainspec::cluster<Backend> plan_of(trainspec::job_spec s, const trainspec::plan_options& options) {
    return trainspec::plan(trainspec::make_job_as<Backend>(std::move(s)), options);
}

/// The plan of `s` as a job<Backend>, on `hosts` when given.
template <class Backend>
trainspec::cluster<Backend> plan_of(trainspec::job_spec s, std::string_view hosts = {}) {
    trainspec::plan_options options;
    if (!hosts.empty()) options.hosts = trainspec::parse_host_list(hosts);
    return plan_of<Backend>(std::move(s), options);
}

}  // namespace test_support
