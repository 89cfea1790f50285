// link.odr, translation unit 1 of 2: every header, and the program's main().
#include "all_headers.hpp"

#include <iostream>
#include <string>

namespace link_test {
std::string other_translation_unit();
}

namespace {

std::string this_translation_unit() {
    // The same templates and inline functions as the other unit, so that
    // both objects carry their definitions.
    const auto job = trainspec::tensorflow()
                         .source_directory("./horovod")
                         .compute_target("gpu-cluster")
                         .entry_script("tf_horovod_word2vec.py")
                         .node_count<2>()
                         .distributed_backend(trainspec::mpi{})
                         .process_count_per_node<1>()
                         .use_gpu()
                         .build();
    return trainspec::dump_spec(job.spec());
}

}  // namespace

int main() {
    const auto here = this_translation_unit();
    const auto there = link_test::other_translation_unit();
    if (here != there) {
        std::cerr << "link: the two translation units disagree\n" << here << "\n" << there << "\n";
        return 1;
    }
    std::cout << "link: ok (" << trainspec::version_string << ")\n";
    return 0;
}
