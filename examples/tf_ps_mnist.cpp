// Seed scenario 3: parameter-server training, as in Azure ML's "train
// TensorFlow models" guide:
//
//   TensorFlow(source_directory=project_folder, compute_target=compute_target,
//              script_params=script_params, entry_script='train.py',
//              node_count=2, worker_count=2, parameter_server_count=1,
//              distributed_backend='ps', use_gpu=True)
//
// Every task reads its role from TF_CONFIG (the guide's script raises
// ValueError("TF_CONFIG not found.") without it). worker_count() and
// parameter_server_count() exist on job<parameter_server> only. The same job
// as examples/specs/tf-ps-mnist.json.

#include <cstdio>
#include <exception>

#include <fmt/format.h>

#include <trainspec/trainspec.hpp>

#include "example_support.hpp"
#include "seed_jobs.hpp"

int main() {
    try {
        const auto job = seed_jobs::tf_ps_mnist();

        for (const auto& line : example_support::describe(job)) fmt::print("{}\n", line);
        fmt::print("counts:    worker_count {}, parameter_server_count {}, chief_count {}, evaluator_count {}\n",
                   job.worker_count(), job.parameter_server_count(), job.chief_count(), job.evaluator_count());
        return 0;
    } catch (const std::exception& e) {
        fmt::print(stderr, "tf_ps_mnist: {}\n", e.what());
        return 1;
    }
}
