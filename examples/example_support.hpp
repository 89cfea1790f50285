#pragma once
// What the example programs print about their job. The labels are
// trainspec-gen's (src/trainspec-gen/job_labels.hpp), so that both describe
// a job in the same words.

#include <string>
#include <vector>

#include <trainspec/trainspec.hpp>

#include "job_labels.hpp"

namespace example_support {

/// The lines every example prints about its job, whatever the backend.
template <class Backend>
std::vector<std::string> describe(const trainspec::job<Backend>& job) {
    const auto& s = job.spec();
    return {
        "job:       " + job.name(),
        "backend:   " + std::string(trainspec::backend_label(Backend::kind)),
        "nodes:     " + std::to_string(job.node_count()),
        "tasks:     " + std::to_string(job.task_count()) + " (" + trainspec_gen::task_layout(s) + ")",
        "compute:   " + trainspec_gen::compute_label(s) + (job.use_gpu() ? ", GPU" : ", CPU"),
        "framework: TensorFlow " + job.framework_version() + (job.keras() ? " with Keras" : ""),
        "packages:  " + trainspec_gen::packages_label(s),
        "argv:      " + trainspec::shell_join(job.script_argv()),
    };
}

}  // namespace example_support
