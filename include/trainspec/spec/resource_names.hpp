#pragma once
// The job name and the resource names derived from it on Kubernetes
// (`<job>-<type>-<index>` per task, `<job>-launcher` for MPI).

#include <algorithm>
#include <string>
#include <vector>

#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/names.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// The longest name of each kind that the engines derive from `job_name`
/// for this spec's backend and counts (the highest index of each task type).
inline std::vector<std::string> derived_resource_names(const job_spec& s, const std::string& job_name) {
    std::vector<std::string> names;
    auto last = [&](const char* type, int count) {
        if (count > 0) names.push_back(job_name + "-" + type + "-" + std::to_string(count - 1));
    };
    switch (effective_backend(s)) {
        case backend_kind::mpi:
            names.push_back(job_name + "-launcher");
            last("worker", effective_node_count(s));
            break;
        case backend_kind::parameter_server:
            last("chief", effective_chief_count(s));
            last("worker", effective_worker_count(s));
            last("ps", effective_parameter_server_count(s));
            last("evaluator", effective_evaluator_count(s));
            break;
        case backend_kind::multi_worker:
            last("worker", effective_worker_count(s));
            break;
        case backend_kind::single_node:
            break;
    }
    return names;
}

/// The job's name: `name` when given, otherwise one made from the entry
/// script's file name (`tf_mnist.py` -> `tf-mnist`), shortened so that every
/// derived resource name still fits 63 characters.
inline std::string effective_job_name(const job_spec& s) {
    if (s.name) return *s.name;
    std::string stem = s.entry_script;
    if (auto slash = stem.find_last_of('/'); slash != std::string::npos) stem.erase(0, slash + 1);
    if (auto dot = stem.find_last_of('.'); dot != std::string::npos && dot > 0) stem.erase(dot);
    std::string base;
    for (char c : stem) {
        char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        bool keep = detail::is_lower_alnum(lower);
        if (keep)
            base += lower;
        else if (!base.empty() && base.back() != '-')
            base += '-';
    }
    while (!base.empty() && !(base.front() >= 'a' && base.front() <= 'z')) base.erase(0, 1);
    if (base.empty()) base = "job";
    std::size_t longest_suffix = 0;
    for (const auto& derived : derived_resource_names(s, std::string()))
        longest_suffix = std::max(longest_suffix, derived.size());
    const std::size_t room = max_dns_label_length > longest_suffix ? max_dns_label_length - longest_suffix : 1;
    if (base.size() > room) base.resize(room);
    while (base.size() > 1 && base.back() == '-') base.pop_back();
    return base;
}

TRAINSPEC_END_NAMESPACE
