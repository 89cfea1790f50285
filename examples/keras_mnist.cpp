// Seed scenario 4: a Keras MLP on MNIST, as in Azure ML's "train Keras
// models" guide, which used the TensorFlow estimator with
// pip_packages=['keras']; trainspec::keras() is that estimator with the keras
// switch on. After training, the SavedModel is converted to ONNX (tf2onnx).
//
// The job is written with the builder in seed_jobs.hpp; the same job as
// examples/specs/keras-mnist.json.

#include <cstdio>
#include <exception>
#include <type_traits>

#include <fmt/format.h>

#include <trainspec/trainspec.hpp>

#include "example_support.hpp"
#include "seed_jobs.hpp"

int main() {
    try {
        const auto job = seed_jobs::keras_mnist();
        static_assert(std::is_same_v<std::decay_t<decltype(job)>::backend, trainspec::single_node>,
                      "keras() starts a single-node job until a distributed_backend() is chosen");

        for (const auto& line : example_support::describe(job)) fmt::print("{}\n", line);
        return 0;
    } catch (const std::exception& e) {
        fmt::print(stderr, "keras_mnist: {}\n", e.what());
        return 1;
    }
}
