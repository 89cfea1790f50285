// Seed scenario 1: single-node TensorFlow training on MNIST, as in Azure ML's
// "train TensorFlow models" guide:
//
//   TensorFlow(source_directory=script_folder,
//              script_params={'--data-folder': ..., '--batch-size': 50,
//                             '--first-layer-neurons': 300,
//                             '--second-layer-neurons': 100,
//                             '--learning-rate': 0.01},
//              compute_target=compute_target, entry_script='tf_mnist.py',
//              use_gpu=True, conda_packages=['scikit-learn'])
//
// The job is written with the builder in seed_jobs.hpp; the same job as
// examples/specs/tf-mnist.json.

#include <cstdio>
#include <exception>

#include <fmt/format.h>

#include <trainspec/trainspec.hpp>

#include "example_support.hpp"
#include "seed_jobs.hpp"

int main() {
    try {
        const auto job = seed_jobs::tf_mnist();

        for (const auto& line : example_support::describe(job)) fmt::print("{}\n", line);
        return 0;
    } catch (const std::exception& e) {
        fmt::print(stderr, "tf_mnist: {}\n", e.what());
        return 1;
    }
}
