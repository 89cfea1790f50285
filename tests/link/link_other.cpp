// link.odr, translation unit 2 of 2: every header again.
#include "all_headers.hpp"

#include <string>

namespace link_test {

std::string other_translation_unit() {
    const auto loaded = trainspec::load_job(R"({
  "apiVersion": "trainspec/v1",
  "source_directory": "./horovod",
  "entry_script": "tf_horovod_word2vec.py",
  "compute_target": "gpu-cluster",
  "node_count": 2,
  "process_count_per_node": 1,
  "distributed_backend": "mpi",
  "use_gpu": true
})");
    const auto& job = std::get<trainspec::job<trainspec::mpi>>(loaded);
    return trainspec::dump_spec(job.spec());
}

}  // namespace link_test
