// What a typical program does: build a job, plan it, render every task's
// TF_CONFIG, a TFJob, an sbatch script, an mpirun line, and the spec.
#include <trainspec/trainspec.hpp>

#include <string>

std::size_t end_to_end() {
    auto ps = trainspec::tensorflow()
                  .source_directory("src")
                  .entry_script("train.py")
                  .compute_target("gpu-cluster")
                  .node_count<2>()
                  .distributed_backend<trainspec::parameter_server>()
                  .worker_count<2>()
                  .parameter_server_count<1>()
                  .build();
    const auto c = trainspec::plan(ps);
    std::size_t n = trainspec::tf_configs(c).size();
    n += trainspec::tfjob_manifest(c, {}).dump().size();
    n += trainspec::sbatch_script(c).size();
    n += trainspec::dump_spec(ps.spec()).size();
    auto hvd = trainspec::tensorflow()
                   .source_directory("src")
                   .entry_script("train.py")
                   .compute_target("gpu-cluster")
                   .node_count<2>()
                   .distributed_backend<trainspec::mpi>()
                   .process_count_per_node<2>()
                   .build();
    n += trainspec::mpirun_command(trainspec::plan(hvd), {}).shell_line().size();
    return n;
}
