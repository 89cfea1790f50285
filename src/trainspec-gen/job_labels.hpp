#pragma once
// How a job is put into words on the terminal, by trainspec-gen and by the
// example programs. Plain functions of the public API.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <trainspec/trainspec.hpp>

namespace trainspec_gen {

/// "1 node", "2 nodes".
inline std::string count_of(std::int64_t n, std::string_view singular, std::string_view plural) {
    return std::to_string(n) + " " + std::string(n == 1 ? singular : plural);
}

/// How the job's tasks are made up: "1 process", "2 nodes x 1 process",
/// "1 chief, 2 workers, 1 ps".
inline std::string task_layout(const trainspec::job_spec& s) {
    using trainspec::backend_kind;
    switch (trainspec::effective_backend(s)) {
        case backend_kind::mpi:
            return count_of(trainspec::effective_node_count(s), "node", "nodes") + " x " +
                   count_of(trainspec::effective_process_count_per_node(s), "process", "processes");
        case backend_kind::parameter_server: {
            std::string layout;
            auto part = [&layout](int n, std::string_view singular, std::string_view plural) {
                if (n == 0) return;
                if (!layout.empty()) layout += ", ";
                layout += count_of(n, singular, plural);
            };
            part(trainspec::effective_chief_count(s), "chief", "chiefs");
            part(trainspec::effective_worker_count(s), "worker", "workers");
            part(trainspec::effective_parameter_server_count(s), "ps", "ps");
            part(trainspec::effective_evaluator_count(s), "evaluator", "evaluators");
            return layout;
        }
        case backend_kind::multi_worker:
            return count_of(trainspec::effective_worker_count(s), "worker", "workers");
        case backend_kind::single_node:
            break;
    }
    return "1 process";
}

/// The compute the job asks for: "gpu-cluster" or "vm Standard_NC6".
inline std::string compute_label(const trainspec::job_spec& s) {
    if (s.target) return s.target->name;
    if (s.vm_size) return "vm " + *s.vm_size;
    return "-";
}

/// Extra packages, "conda: a b; pip: c", or "-".
inline std::string packages_label(const trainspec::job_spec& s) {
    std::string text;
    auto list = [&text](std::string_view kind, const std::vector<std::string>& packages) {
        if (packages.empty()) return;
        if (!text.empty()) text += "; ";
        text += kind;
        text += ":";
        for (const auto& p : packages) text += " " + p;
    };
    list("conda", s.conda_packages);
    list("pip", s.pip_packages);
    if (s.conda_dependencies_file) text += (text.empty() ? "" : "; ") + ("conda file: " + *s.conda_dependencies_file);
    if (s.pip_requirements_file) text += (text.empty() ? "" : "; ") + ("pip file: " + *s.pip_requirements_file);
    return text.empty() ? "-" : text;
}

/// A task's GPUs as its CUDA_VISIBLE_DEVICES says them: "-" when not
/// restricted (the variable unset), "none" for no GPU (set empty), else "0,1".
inline std::string gpus_label(const std::optional<std::vector<int>>& gpus) {
    if (!gpus) return "-";
    if (gpus->empty()) return "none";
    std::string text;
    for (int g : *gpus) {
        if (!text.empty()) text += ',';
        text += std::to_string(g);
    }
    return text;
}

/// "worker:1".
inline std::string task_label(trainspec::task_type type, int index) {
    return std::string(trainspec::enum_name(type)) + ":" + std::to_string(index);
}

/// The tasks a plan has, by type: "chief:0, worker:0-1, ps:0".
inline std::string task_ranges(const std::vector<trainspec::task>& tasks) {
    using trainspec::task_type;
    std::string text;
    for (auto type : {task_type::chief, task_type::worker, task_type::ps, task_type::evaluator}) {
        std::vector<int> indices;
        for (const auto& t : tasks)
            if (t.type == type) indices.push_back(t.index);
        if (indices.empty()) continue;
        std::sort(indices.begin(), indices.end());
        if (!text.empty()) text += ", ";
        text += task_label(type, indices.front());
        // Consecutive indices collapse into a range, so "worker:0-7" stays short.
        std::size_t run_start = 0;
        for (std::size_t i = 1; i <= indices.size(); ++i) {
            if (i < indices.size() && indices[i] == indices[i - 1] + 1) continue;
            if (run_start != 0) text += "," + std::to_string(indices[run_start]);
            if (i - 1 != run_start) text += "-" + std::to_string(indices[i - 1]);
            run_start = i;
        }
    }
    return text;
}

}  // namespace trainspec_gen
