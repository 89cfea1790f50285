// A program that uses trainspec the way a user's project does. It builds the
// Horovod job with the typed builder, round-trips it through the JSON spec
// and prints two lines that the package tests match: the job, and whether it
// was compiled against trainspec::compiled (TRAINSPEC_COMPILED_LIB: the
// headers only declared load_job() and dump_spec(), the library defines
// them) or header-only.

#include <trainspec/trainspec.hpp>

#include <iostream>
#include <type_traits>

int main() {
    const auto job = trainspec::tensorflow()
                         .source_directory("./horovod")
                         .compute_target("gpu-cluster")
                         .entry_script("tf_horovod_word2vec.py")
                         .node_count<2>()
                         .distributed_backend(trainspec::mpi{})
                         .process_count_per_node<1>()
                         .use_gpu()
                         .build();
    static_assert(std::is_same_v<std::decay_t<decltype(job)>, trainspec::job<trainspec::mpi>>,
                  "the builder records the backend in the job's type");

    const auto loaded = trainspec::load_job(trainspec::dump_spec(job.spec()));
    if (trainspec::backend_of(loaded) != trainspec::backend_kind::mpi || trainspec::spec_of(loaded) != job.spec()) {
        std::cerr << "the JSON spec did not round-trip\n";
        return 1;
    }
    std::cout << "trainspec " << trainspec::version_string << ": " << job.task_count() << " ranks\n";
#ifdef TRAINSPEC_COMPILED_LIB
    std::cout << "linkage: compiled\n";
#else
    std::cout << "linkage: header-only\n";
#endif
    return 0;
}
