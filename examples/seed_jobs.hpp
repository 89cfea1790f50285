#pragma once
// The four seed scenarios written with the typed builder: the example
// programs print them, builder_matches_spec compares them with
// examples/specs/*.json.

#include <trainspec/trainspec.hpp>

namespace seed_jobs {

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
// The same job as examples/specs/tf-mnist.json.
inline trainspec::job<trainspec::single_node> tf_mnist() {
    return trainspec::tensorflow()
        .name("tf-mnist")
        .source_directory("./tf-mnist")
        .entry_script("tf_mnist.py")
        .script_params({
            {"--data-folder", "/data/mnist"},
            {"--batch-size", 50},
            {"--first-layer-neurons", 300},
            {"--second-layer-neurons", 100},
            {"--learning-rate", 0.01},
        })
        .compute_target("gpu-cluster")
        .use_gpu()
        .conda_packages({"scikit-learn"})
        .framework_version("2.0")
        .build();
}

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
inline trainspec::job<trainspec::mpi> tf_horovod_word2vec() {
    return trainspec::tensorflow()
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
}

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
inline trainspec::job<trainspec::parameter_server> tf_ps_mnist() {
    return trainspec::tensorflow()
        .name("tf-ps-mnist")
        .source_directory("./tf-distr-ps")
        .entry_script("train.py")
        .script_params({{"--num_gpus", 1}, {"--train_steps", 500}})
        .compute_target("gpu-cluster")
        .node_count(2)
        .distributed_backend(trainspec::parameter_server{})
        .worker_count<2>()
        .parameter_server_count<1>()
        .use_gpu()
        .framework_version("1.13")
        .build();
}

// Seed scenario 4: a Keras MLP on MNIST, as in Azure ML's "train Keras
// models" guide, which used the TensorFlow estimator with
// pip_packages=['keras']; trainspec::keras() is that estimator with the keras
// switch on. After training, the SavedModel is converted to ONNX (tf2onnx).
//
// The same job as examples/specs/keras-mnist.json.
inline trainspec::job<trainspec::single_node> keras_mnist() {
    return trainspec::keras()
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
        .onnx_export({"outputs/model", "outputs/model.onnx", 13})
        .build();
}

}  // namespace seed_jobs
