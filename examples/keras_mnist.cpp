// Seed scenario 4: a Keras MLP on MNIST, as in Azure ML's "train Keras
// models" guide, which used the TensorFlow estimator with
// pip_packages=['keras']; trainspec::keras() is that estimator with the keras
// switch on. The trained model is later exported to ONNX.
//
// The same job as examples/specs/keras-mnist.json.

#include <cstdio>
#include <exception>
#include <type_traits>

#include <fmt/format.h>

#include <trainspec/trainspec.hpp>

#include "example_support.hpp"

int main() {
    try {
        const auto job = trainspec::keras()
                             .name("keras-mnist")
                             .source_directory("./keras-mnist")
                             .entry_script("keras_mnist.py")
                             .script_params({
                                 {"--data-folder", "/data/mnist"},
                                 {"--batch-size", 50},
                                 {"--first-layer-neurons", 300},
                                 {"--second-layer-neurons", 100},
                                 {"--learning-rate", 0.001},
                             })
                             .compute_target("gpu-cluster")
                             .use_gpu()
                             .framework_version("2.0")
                             .build();
        static_assert(std::is_same_v<std::decay_t<decltype(job)>::backend, trainspec::single_node>,
                      "keras() starts a single-node job until a distributed_backend() is chosen");

        for (const auto& line : example_support::describe(job)) fmt::print("{}\n", line);
        return 0;
    } catch (const std::exception& e) {
        fmt::print(stderr, "keras_mnist: {}\n", e.what());
        return 1;
    }
}
