// Seed scenario 2: Horovod over MPI, two nodes with one process each, as in
// Azure ML's "train TensorFlow models" guide:
//
//   TensorFlow(source_directory=project_folder, compute_target=compute_target,
//              script_params=script_params,
//              entry_script='tf_horovod_word2vec.py',
//              node_count=2, process_count_per_node=1,
//              distributed_backend='mpi', use_gpu=True)
//
// The backend is part of the job's type: process_count_per_node() exists on
// job<mpi> only. The job is written with the builder in seed_jobs.hpp; the
// same job as examples/specs/tf-horovod-word2vec.json.

#include <cstdio>
#include <exception>

#include <fmt/format.h>

#include <trainspec/trainspec.hpp>

#include "example_support.hpp"
#include "seed_jobs.hpp"

int main() {
    try {
        const auto job = seed_jobs::tf_horovod_word2vec();

        for (const auto& line : example_support::describe(job)) fmt::print("{}\n", line);
        fmt::print("counts:    node_count {}, process_count_per_node {}: {} MPI ranks\n", job.node_count(),
                   job.process_count_per_node(), job.task_count());
        return 0;
    } catch (const std::exception& e) {
        fmt::print(stderr, "tf_horovod_word2vec: {}\n", e.what());
        return 1;
    }
}
