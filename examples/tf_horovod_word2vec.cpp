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
// job<mpi> only. The same job as examples/specs/tf-horovod-word2vec.json.

#include <cstdio>
#include <exception>

#include <fmt/format.h>

#include <trainspec/trainspec.hpp>

#include "example_support.hpp"

int main() {
    try {
        const trainspec::job<trainspec::mpi> job = trainspec::tensorflow()
                                                       .name("tf-horovod-word2vec")
                                                       .source_directory("./tf-distr-hvd")
                                                       .entry_script("tf_horovod_word2vec.py")
                                                       .script_params({{"--input_data", "/data/text8"}})
                                                       .compute_target("gpu-cluster")
                                                       .node_count<2>()
                                                       .distributed_backend(trainspec::mpi{})
                                                       .process_count_per_node(1)
                                                       .use_gpu()
                                                       .framework_version("1.13")
                                                       .build();

        for (const auto& line : example_support::describe(job)) fmt::print("{}\n", line);
        fmt::print("counts:    node_count {}, process_count_per_node {}: {} MPI ranks\n", job.node_count(),
                   job.process_count_per_node(), job.task_count());
        return 0;
    } catch (const std::exception& e) {
        fmt::print(stderr, "tf_horovod_word2vec: {}\n", e.what());
        return 1;
    }
}
