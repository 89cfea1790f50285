// The typed builder: the seed snippets written with it, the rules its type
// exposes, copying, and the run-time checks of build() and validate().
// What must not compile is in tests/compile_fail.

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

// The umbrella header, so that the same test also runs against single_include/.
#include <trainspec/trainspec.hpp>

namespace {

using strings = std::vector<std::string>;

bool has_path(const trainspec::problems& found, const std::string& path) {
    return std::any_of(found.begin(), found.end(), [&](const trainspec::problem& p) { return p.path == path; });
}

// Distinct package names, as many as a job may list.
strings distinct_packages() {
    strings names;
    for (int i = 0; i < 100; ++i) names.push_back("package" + std::to_string(i));
    return names;
}

// A builder with everything build() requires, for the tests that vary the rest.
auto minimal() {
    return trainspec::tensorflow().source_directory("project").entry_script("train.py").compute_target("gpu-cluster");
}

// Builder types at each step, for the trait checks. decltype only names the
// types, so a misuse among them would not instantiate its static_assert.
using fresh = decltype(trainspec::tensorflow());
using complete = decltype(minimal());
using with_ps = decltype(std::declval<complete>().distributed_backend(trainspec::parameter_server{}));
using with_multi_worker = decltype(std::declval<complete>().distributed_backend(trainspec::multi_worker{}));
using with_mpi = decltype(std::declval<complete>().distributed_backend(trainspec::mpi{}));

}  // namespace

TEST_SUITE("builder") {
    TEST_CASE("seed: a single-node job with conda packages on a GPU") {
        auto job = trainspec::tensorflow()
                       .source_directory("./my-tf-proj")
                       .script_params({{"--batch-size", 50}, {"--learning-rate", 0.01}})
                       .compute_target("gpu-cluster")
                       .entry_script("train.py")
                       .conda_packages({"scikit-learn"})
                       .use_gpu(true)
                       .build();

        static_assert(std::is_same_v<decltype(job), trainspec::job<trainspec::single_node>>);
        CHECK(job.source_directory() == "./my-tf-proj");
        CHECK(job.entry_script() == "train.py");
        CHECK(job.spec().target->name == "gpu-cluster");
        CHECK(job.spec().conda_packages == strings{"scikit-learn"});
        CHECK(job.use_gpu());
        CHECK_FALSE(job.keras());
        CHECK(job.node_count() == 1);
        CHECK(job.task_count() == 1);
        CHECK(job.script_argv() == strings{"train.py", "--batch-size", "50", "--learning-rate", "0.01"});
    }

    TEST_CASE("seed: Horovod on two nodes, one process each") {
        auto job = trainspec::tensorflow()
                       .source_directory("project")
                       .compute_target("gpu-cluster")
                       .script_params({{"--input_data", "/data/text8"}})
                       .entry_script("tf_horovod_word2vec.py")
                       .node_count<2>()
                       .distributed_backend(trainspec::mpi{})
                       .process_count_per_node<1>()
                       .use_gpu(true)
                       .build();

        static_assert(std::is_same_v<decltype(job), trainspec::job<trainspec::mpi>>);
        CHECK(job.spec().distributed_backend == trainspec::backend_kind::mpi);
        CHECK(job.node_count() == 2);
        CHECK(job.process_count_per_node() == 1);
        CHECK(job.task_count() == 2);
        CHECK(job.script_argv() == strings{"tf_horovod_word2vec.py", "--input_data", "/data/text8"});
    }

    TEST_CASE("seed: parameter server with two workers and one server") {
        auto job = trainspec::tensorflow()
                       .source_directory("project")
                       .compute_target("gpu-cluster")
                       .entry_script("tf_mnist_replica.py")
                       .node_count(2)
                       .distributed_backend(trainspec::parameter_server{})
                       .worker_count(2)
                       .parameter_server_count(1)
                       .use_gpu(true)
                       .build();

        static_assert(std::is_same_v<decltype(job), trainspec::job<trainspec::parameter_server>>);
        CHECK(job.spec().distributed_backend == trainspec::backend_kind::parameter_server);
        CHECK(job.node_count() == 2);
        CHECK(job.worker_count() == 2);
        CHECK(job.parameter_server_count() == 1);
        CHECK(job.chief_count() == 0);
        CHECK(job.task_count() == 3);
        CHECK(job.script_argv() == strings{"tf_mnist_replica.py"});
    }

    TEST_CASE("the multi-worker backend gives a job<multi_worker>") {
        auto job = minimal().distributed_backend(trainspec::multi_worker{}).node_count(2).worker_count<2>().build();
        static_assert(std::is_same_v<decltype(job), trainspec::job<trainspec::multi_worker>>);
        CHECK(job.worker_count() == 2);
        CHECK(job.task_count() == 2);
    }

    TEST_CASE("ready_to_build: source directory, entry script and compute target") {
        static_assert(!fresh::ready_to_build);
        static_assert(!decltype(trainspec::tensorflow().entry_script("t.py").compute_target("c"))::ready_to_build);
        static_assert(!decltype(trainspec::tensorflow().source_directory("p").compute_target("c"))::ready_to_build);
        static_assert(!decltype(trainspec::tensorflow().source_directory("p").entry_script("t.py"))::ready_to_build);
        static_assert(complete::ready_to_build);
        // vm_size() creates a target instead of naming one.
        static_assert(decltype(trainspec::tensorflow().source_directory("p").entry_script("t.py").vm_size(
            "Standard_NC6"))::ready_to_build);
        CHECK(complete::has_source_directory);
        CHECK(complete::has_entry_script);
        CHECK(complete::has_compute_target);
    }

    TEST_CASE("ready_to_build: a compile-time node count above 1 needs a backend") {
        using two_nodes = decltype(minimal().node_count<2>());
        static_assert(two_nodes::node_count_needs_backend);
        static_assert(!two_nodes::ready_to_build);
        using two_mpi_nodes = decltype(std::declval<two_nodes>().distributed_backend(trainspec::mpi{}));
        static_assert(!two_mpi_nodes::node_count_needs_backend);
        static_assert(two_mpi_nodes::ready_to_build);
        // One node is a single-node job; a run-time count is checked by build().
        static_assert(decltype(minimal().node_count<1>())::ready_to_build);
        static_assert(decltype(minimal().node_count(2))::ready_to_build);
    }

    TEST_CASE("accepts_node_count<N>: at least 1, once") {
        static_assert(!fresh::accepts_node_count<0>);
        static_assert(!fresh::accepts_node_count<-3>);
        static_assert(fresh::accepts_node_count<1>);
        static_assert(fresh::accepts_node_count<64>);
        static_assert(!decltype(minimal().node_count(2))::accepts_node_count<2>);
        static_assert(!decltype(minimal().node_count<2>())::accepts_node_count<2>);
    }

    TEST_CASE("accepts_backend: the backend is chosen once") {
        static_assert(fresh::accepts_backend);
        static_assert(!with_mpi::accepts_backend);
        static_assert(!with_ps::accepts_backend);
        static_assert(std::is_same_v<with_ps::backend, trainspec::parameter_server>);
        static_assert(std::is_same_v<complete::backend, trainspec::single_node>);
    }

    TEST_CASE("accepts_worker_count: parameter server and multi-worker only, once") {
        static_assert(!complete::accepts_worker_count);
        static_assert(!with_mpi::accepts_worker_count);
        static_assert(with_ps::accepts_worker_count);
        static_assert(with_multi_worker::accepts_worker_count);
        static_assert(!decltype(std::declval<with_ps>().worker_count(2))::accepts_worker_count);
    }

    TEST_CASE("parameter-server-only counts") {
        static_assert(with_ps::accepts_parameter_server_count);
        static_assert(with_ps::accepts_chief_count);
        static_assert(with_ps::accepts_evaluator_count);
        for (bool accepted : {with_multi_worker::accepts_parameter_server_count, with_mpi::accepts_chief_count,
                              with_multi_worker::accepts_evaluator_count, complete::accepts_chief_count})
            CHECK_FALSE(accepted);
        static_assert(!decltype(std::declval<with_ps>().chief_count<1>())::accepts_chief_count);
        static_assert(decltype(std::declval<with_ps>().chief_count<1>())::accepts_evaluator_count);
    }

    TEST_CASE("accepts_process_count_per_node: mpi only, once") {
        static_assert(with_mpi::accepts_process_count_per_node);
        static_assert(!complete::accepts_process_count_per_node);
        static_assert(!with_ps::accepts_process_count_per_node);
        static_assert(!with_multi_worker::accepts_process_count_per_node);
        static_assert(!decltype(std::declval<with_mpi>().process_count_per_node(2))::accepts_process_count_per_node);
    }

    TEST_CASE("package options that exclude each other") {
        static_assert(complete::accepts_user_managed);
        static_assert(complete::accepts_packages);
        static_assert(complete::accepts_conda_dependencies_file);

        using pip = decltype(minimal().pip_packages({"horovod"}));
        static_assert(!pip::accepts_user_managed);
        static_assert(pip::accepts_packages);  // conda and pip lists go together
        static_assert(!pip::accepts_conda_dependencies_file);

        using managed = decltype(minimal().user_managed());
        static_assert(!managed::accepts_user_managed);
        static_assert(!managed::accepts_packages);
        static_assert(!managed::accepts_conda_dependencies_file);

        using environment_file = decltype(minimal().conda_dependencies_file("environment.yml"));
        static_assert(!environment_file::accepts_user_managed);
        static_assert(!environment_file::accepts_packages);
        static_assert(!environment_file::accepts_conda_dependencies_file);

        using requirements = decltype(minimal().pip_requirements_file("requirements.txt"));
        static_assert(!requirements::accepts_user_managed);
        static_assert(!requirements::accepts_conda_dependencies_file);
    }

    TEST_CASE("an lvalue builder is reused for several variants") {
        const auto base = minimal().script_params({{"--epochs", 10}});

        auto cpu = base.build();
        auto gpu = base.use_gpu().build();
        auto horovod = base.distributed_backend(trainspec::mpi{}).node_count(4).process_count_per_node(2).build();
        auto ps = base.distributed_backend(trainspec::parameter_server{}).worker_count(3).build();

        CHECK_FALSE(cpu.use_gpu());
        CHECK(gpu.use_gpu());
        CHECK(horovod.task_count() == 8);
        CHECK(ps.worker_count() == 3);
        // The setters copied: the base is as it was, and so are the variants.
        CHECK_FALSE(base.spec().use_gpu.has_value());
        CHECK_FALSE(base.spec().distributed_backend.has_value());
        CHECK_FALSE(base.spec().node_count.has_value());
        CHECK(cpu.spec() == base.spec());
        CHECK(cpu != gpu);
        for (const auto& variant : {cpu.spec(), gpu.spec(), horovod.spec(), ps.spec()})
            CHECK(variant.params == trainspec::script_params{{"--epochs", 10}});
    }

    TEST_CASE("a chain moves the spec from builder to builder; a named builder is copied") {
        // A vector's buffer survives only moves: a copy anywhere would allocate another.
        strings packages = distinct_packages();
        const std::string* buffer = packages.data();
        auto chained = trainspec::tensorflow()
                           .pip_packages(std::move(packages))
                           .source_directory("project")
                           .entry_script("train.py")
                           .compute_target("gpu-cluster")
                           .use_gpu();
        CHECK(chained.spec().pip_packages.data() == buffer);
        const auto job = std::move(chained).build();
        CHECK(job.spec().pip_packages.data() == buffer);

        const auto base = minimal().pip_packages(distinct_packages());
        const std::string* base_buffer = base.spec().pip_packages.data();
        const auto variant = base.use_gpu();
        const auto built = base.build();
        CHECK(base.spec().pip_packages.data() == base_buffer);
        CHECK(variant.spec().pip_packages.data() != base_buffer);
        CHECK(built.spec().pip_packages.data() != base_buffer);
        CHECK(variant.spec().pip_packages == base.spec().pip_packages);
    }

    TEST_CASE("accepts<key>: the checks of any setter, keyed by the spec's keys") {
        static_assert(with_mpi::accepts<trainspec::spec_key::mpi> == with_mpi::accepts_mpi_launch);
        static_assert(!with_ps::accepts<trainspec::spec_key::mpi>);
        static_assert(complete::accepts<trainspec::spec_key::image_registry>);
        static_assert(
            !decltype(minimal().image_registry("ghcr.io/acme/mnist"))::accepts<trainspec::spec_key::image_registry>);
        static_assert(!complete::accepts<trainspec::spec_key::entry_script>);
    }

    TEST_CASE("build() throws validation_error listing every problem") {
        const auto bad = minimal().name("My_Job").node_count(0);

        try {
            (void)bad.build();
            FAIL("build() accepted node_count(0) and an invalid name");
        } catch (const trainspec::validation_error& e) {
            const std::string what = e.what();
            CHECK(what.find("invalid job: 2 problems") != std::string::npos);
            CHECK(what.find("node_count = 0: must be at least 1") != std::string::npos);
            CHECK(what.find("name = \"My_Job\": must be a DNS-1035 label") != std::string::npos);
            REQUIRE(e.all().size() == 2);
            CHECK(has_path(e.all(), "node_count"));
            CHECK(has_path(e.all(), "name"));
        }
    }

    TEST_CASE("validate() returns the problems without throwing") {
        const auto bad = minimal().name("My_Job").node_count(0);
        trainspec::problems found;
        CHECK_NOTHROW(found = bad.validate());
        CHECK(found.size() == 2);
        CHECK(has_path(found, "node_count"));
        CHECK(has_path(found, "name"));

        CHECK(minimal().validate().empty());
        CHECK(minimal().name("mnist").node_count(1).validate().empty());
    }

    TEST_CASE("build() refuses values a program would read as an option, and pip options as packages") {
        const auto hostile = trainspec::tensorflow()
                                 .source_directory("project")
                                 .entry_script("-cimport os")
                                 .compute_target("gpu-cluster")
                                 .pip_packages({"--index-url http://127.0.0.1:9/simple"})
                                 .conda_packages({"-cconda-forge"});
        CHECK_THROWS_AS((void)hostile.build(), trainspec::validation_error);
        const auto found = hostile.validate();
        CHECK(found.size() == 3);
        CHECK(has_path(found, "entry_script"));
        CHECK(has_path(found, "pip_packages[0]"));
        CHECK(has_path(found, "conda_packages[0]"));
    }

    TEST_CASE("run-time rules of a distributed job are checked by build()") {
        // Five nodes for three tasks: two would be paid for and stay idle.
        const auto idle = minimal().distributed_backend(trainspec::parameter_server{}).node_count(5).worker_count(2);
        CHECK_THROWS_AS((void)idle.build(), trainspec::validation_error);
        CHECK(has_path(idle.validate(), "node_count"));
        const auto fitting = minimal().distributed_backend(trainspec::parameter_server{}).node_count(3).worker_count(2);
        CHECK(fitting.validate().empty());
        CHECK(fitting.build().task_count() == 3);
    }

    TEST_CASE("keras() turns the keras switch on") {
        auto keras_job = trainspec::keras().source_directory("p").entry_script("train.py").compute_target("c").build();
        CHECK(keras_job.keras());
        CHECK(keras_job.spec().keras == true);

        auto tensorflow_job = minimal().build();
        CHECK_FALSE(tensorflow_job.keras());
        CHECK_FALSE(tensorflow_job.spec().keras.has_value());
    }

    TEST_CASE("writable_source_directory(): containers may write into the source, once asked") {
        const auto asked = minimal().writable_source_directory();
        static_assert(!decltype(asked)::accepts<trainspec::spec_key::writable_source_directory>);
        CHECK(asked.build().spec().writable_source_directory == true);
        CHECK(trainspec::docker_run_argv(asked.build())[6] == "./project:/workspace");
        CHECK(trainspec::docker_run_argv(minimal().build())[6] == "./project:/workspace:ro");
        const auto refused = minimal().writable_source_directory(false).onnx_export(trainspec::onnx_export_settings{});
        CHECK_THROWS_AS(refused.build(), trainspec::validation_error);
    }

    TEST_CASE("script_argv(): the entry script, then each parameter in the order written") {
        auto job = minimal()
                       .script_params({{"--data", "/data"},
                                       {"--verbose", trainspec::flag},
                                       {"--layers", {64, 32}},
                                       {"--lr", 1e-05},
                                       {"--shuffle", true}})
                       .build();
        CHECK(job.script_argv() == strings{"train.py", "--data", "/data", "--verbose", "--layers", "64", "32", "--lr",
                                           "1e-05", "--shuffle", "True"});
        CHECK(minimal().build().script_argv() == strings{"train.py"});
    }

    TEST_CASE("spec() shows what was set, before any validation") {
        const auto builder = trainspec::tensorflow().node_count(0).shm_size("8g");
        CHECK(builder.spec().node_count == 0);
        CHECK(builder.spec().shm_size == std::string("8g"));
        CHECK(builder.spec().source_directory.empty());
        CHECK(has_path(builder.validate(), "source_directory"));
    }

    TEST_CASE("port(), tf_config(), mpi_launch(), onnx_export(): each for its backend") {
        using ps_builder = decltype(minimal().distributed_backend(trainspec::parameter_server{}));
        using mw_builder = decltype(minimal().distributed_backend(trainspec::multi_worker{}));
        using mpi_builder = decltype(minimal().distributed_backend(trainspec::mpi{}));
        using single_builder = decltype(minimal());
        static_assert(ps_builder::accepts_port && mw_builder::accepts_port);
        static_assert(!mpi_builder::accepts_port && !single_builder::accepts_port);
        static_assert(ps_builder::accepts_tf_config && mw_builder::accepts_tf_config);
        static_assert(!mpi_builder::accepts_tf_config && !single_builder::accepts_tf_config);
        static_assert(mpi_builder::accepts_mpi_launch);
        static_assert(!ps_builder::accepts_mpi_launch && !mw_builder::accepts_mpi_launch &&
                      !single_builder::accepts_mpi_launch);
        using ps_with_port = decltype(std::declval<ps_builder>().port(3333));
        static_assert(!ps_with_port::accepts_port, "set once");

        trainspec::tf_config_settings settings;
        settings.profile = trainspec::tf_profile::kubeflow;
        settings.consumer = trainspec::tf_consumer::custom;
        auto ps_job = minimal()
                          .distributed_backend(trainspec::parameter_server{})
                          .port(3333)
                          .tf_config(settings)
                          .onnx_export()
                          .build();
        CHECK(ps_job.spec().port == 3333);
        REQUIRE(ps_job.spec().tf_config.has_value());
        CHECK(*ps_job.spec().tf_config == settings);
        CHECK(ps_job.spec().onnx_export.has_value());

        trainspec::mpi_settings launch;
        launch.flavor = trainspec::mpi_flavor::mpich;
        auto mpi_job = minimal().distributed_backend(trainspec::mpi{}).mpi_launch(launch).build();
        REQUIRE(mpi_job.spec().mpi.has_value());
        CHECK(mpi_job.spec().mpi->flavor == trainspec::mpi_flavor::mpich);

        // Values are still checked at run time: a port out of range.
        CHECK_THROWS_AS(minimal().distributed_backend(trainspec::multi_worker{}).port(70000).build(),
                        trainspec::validation_error);
    }
}

TEST_CASE("a typed sweep builds the sweep a spec describes") {
    const auto built = trainspec::tensorflow()
                           .source_directory("project")
                           .entry_script("train.py")
                           .compute_target("gpu-cluster")
                           .sweep(trainspec::random_sweep()
                                      .seed(42)
                                      .loguniform("--learning-rate", -6, -1)
                                      .choice("--batch-size", {32, 64, 128})
                                      .qnormal("--noise", 0, 1, 0.1)
                                      .randint("--layers", 4)
                                      .objective("accuracy", trainspec::objective_goal::maximize)
                                      .max_total_trials(20)
                                      .max_concurrent_trials(4)
                                      .trial_timeout(1800))
                           .build();
    const auto loaded = trainspec::load_job(R"({"apiVersion": "trainspec/v1", "source_directory": "project",
        "entry_script": "train.py", "compute_target": "gpu-cluster",
        "sweep": {"sampling_algorithm": {"type": "random", "seed": 42},
          "search_space": {"--learning-rate": {"type": "loguniform", "min_value": -6, "max_value": -1},
                           "--batch-size": {"type": "choice", "values": [32, 64, 128]},
                           "--noise": {"type": "qnormal", "mu": 0, "sigma": 1, "q": 0.1},
                           "--layers": {"type": "randint", "upper": 4}},
          "objective": {"primary_metric": "accuracy", "goal": "maximize"},
          "limits": {"max_total_trials": 20, "max_concurrent_trials": 4, "trial_timeout": 1800}}})");
    CHECK(built.spec() == trainspec::spec_of(loaded));
    // What only the values tell is build()'s.
    CHECK_THROWS_WITH_AS(trainspec::tensorflow()
                             .source_directory("project")
                             .entry_script("train.py")
                             .compute_target("gpu-cluster")
                             .sweep(trainspec::grid_sweep()
                                        .choice("--batch-size", {32, 64})
                                        .objective("accuracy", trainspec::objective_goal::maximize)
                                        .max_total_trials(0))
                             .build(),
                         doctest::Contains("sweep.limits.max_total_trials = 0: must be from 1 to 1000000"),
                         trainspec::validation_error);
}
