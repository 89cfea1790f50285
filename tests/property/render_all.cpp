// The property test of the renderers: a few thousand random jobs from a
// seed (tests/fuzz/job_choices.hpp), each through the checks of
// tests/fuzz/render_checks.hpp, which fuzz_render_all shares. Every job is
// refused with named problems, or every artifact renders or is refused by
// name and passes its consumer's checks; every script passes `sh -n`.
//
// usage: property_render_all [SEED [JOBS]]
// SEED and JOBS default to TRAINSPEC_PROPERTY_SEED and TRAINSPEC_PROPERTY_JOBS,
// else to fixed values. A failure prints the seed, the job's number and its
// spec; `property_render_all SEED` then reproduces it (job i is the i-th
// drawn from the seed). The fixed jobs below run first.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <map>
#include <string>

#include "job_choices.hpp"
#include "render_checks.hpp"

namespace {

constexpr std::uint64_t default_seed = 20240617;
constexpr long default_jobs = 2000;

/// The artifacts the jobs must render at least once each: a generator that
/// stops reaching one makes the test hollow.
constexpr const char* must_render[] = {
    "plan",
    "TF_CONFIG tf2",
    "TF_CONFIG estimator",
    "TF_CONFIG kubeflow",
    "TF_CONFIG kubeflow sparse",
    "TF_CONFIG azureml-v1",
    "TF_CONFIG sagemaker",
    "TFJob",
    "MPIJob",
    "mpirun openmpi",
    "mpirun mpich",
    "mpirun intel",
    "mpirun horovodrun",
    "mpirun openmpi --hostfile",
    "mpirun mpich in an allocation",
    "launch.sh",
    "hostfile openmpi",
    "hostfile mpich",
    "rank table",
    "Gloo environment",
    "sbatch",
    "sbatch (mpirun)",
    "docker run",
    "Dockerfile",
    "environment.yml",
    "requirements.txt",
    "Azure ML command job",
    "Azure ML sweep job",
    "Katib Experiment",
    "trainspec-gen docker-run.sh",
    "trainspec-gen build-image.sh",
    "trainspec-gen slurm.sbatch (generate)",
    "trainspec-gen katib-experiment.json",
};

/// Jobs that once failed a check, run first so that they stay fixed: the
/// TF_CONFIG of the kubeflow profile on a plan with its own port, a Katib
/// sweep with a "" choice and one with a placeholder in a variable, the
/// sparse form of a job without parameter servers.
constexpr const char* fixed_specs[] = {
    R"({"source_directory": "src", "entry_script": "train.py", "compute_target": "gpu-cluster", "node_count": 2,
        "distributed_backend": "ps", "worker_count": 3, "chief_count": 1, "tf_config": {"profile": "kubeflow"}})",
    R"({"source_directory": "src", "entry_script": "train.py", "compute_target": "gpu-cluster", "node_count": 2,
        "distributed_backend": "multi_worker", "sweep": {"sampling_algorithm": "grid",
        "search_space": {"--opt": {"type": "choice", "values": ["", "adam"]}},
        "objective": {"primary_metric": "accuracy", "goal": "maximize"}, "limits": {"max_total_trials": 2}}})",
    R"({"source_directory": "src", "entry_script": "train.py", "compute_target": "gpu-cluster", "node_count": 2,
        "distributed_backend": "mpi", "environment_variables": {"A": "${trialParameters.x}"},
        "sweep": {"sampling_algorithm": "grid", "search_space": {"--opt": {"type": "choice", "values": ["adam"]}},
        "objective": {"primary_metric": "accuracy", "goal": "maximize"}, "limits": {"max_total_trials": 1}}})",
    R"({"source_directory": "src", "entry_script": "train.py", "compute_target": "gpu-cluster", "node_count": 2,
        "distributed_backend": "multi_worker", "tf_config": {"profile": "kubeflow", "sparse": true}})",
};

/// The spec as JSON, bytes that are not UTF-8 shown as U+FFFD.
std::string text_of(const trainspec::job_spec& s) {
    try {
        return trainspec::to_json(s).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    } catch (const std::exception& e) {
        return std::string("(the spec cannot be written: ") + e.what() + ")";
    }
}

/// Scripts of one artifact that `sh -n` reads: a shell a script costs a few
/// milliseconds, and the scripts of one artifact differ in their values only.
constexpr int sh_scripts_per_artifact = 120;

/// `sh -n`: the shell reads the script without running it.
void require_sh_syntax(const std::string& artifact, const std::string& script) {
    static std::map<std::string, int> checked;
    if (checked[artifact]++ >= sh_scripts_per_artifact) return;
    FILE* sh = popen("sh -n 2>&1", "w");
    render_checks::require(sh != nullptr, artifact + ": cannot start sh");
    const bool written = std::fwrite(script.data(), 1, script.size(), sh) == script.size();
    const int status = pclose(sh);
    render_checks::require(written && status == 0, artifact + ": sh -n rejects the script:\n" + script);
}

std::uint64_t number_from(const char* text, std::uint64_t fallback) {
    if (text == nullptr || *text == '\0') return fallback;
    char* end = nullptr;
    const auto value = std::strtoull(text, &end, 10);
    if (*end != '\0') {
        std::fprintf(stderr, "property_render_all: not a number: %s\n", text);
        std::exit(2);
    }
    return value;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 3) {
        std::fprintf(stderr, "usage: property_render_all [SEED [JOBS]]\n");
        return 2;
    }
    const auto seed = number_from(argc > 1 ? argv[1] : std::getenv("TRAINSPEC_PROPERTY_SEED"), default_seed);
    const auto jobs =
        static_cast<long>(number_from(argc > 2 ? argv[2] : std::getenv("TRAINSPEC_PROPERTY_JOBS"), default_jobs));
    const auto start = std::chrono::steady_clock::now();

    render_checks::check_options with;
    with.shell_script = require_sh_syntax;
    for (const char* text : fixed_specs) {
        try {
            render_checks::tally fixed;
            render_checks::check_spec_artifacts(trainspec::spec_of(trainspec::load_job(text)), fixed, with);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "property_render_all: a fixed job failed:\n%s\nthe job:\n%s\n", e.what(), text);
            return 1;
        }
    }
    render_checks::tally counts;
    render_fuzz::seeded_choices choices(seed);
    for (long i = 0; i < jobs; ++i) {
        const auto spec = render_fuzz::random_job(choices);
        try {
            render_checks::check_spec_artifacts(spec, counts, with);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "property_render_all: seed %llu, job %ld of %ld failed:\n%s\nthe job:\n%s\n",
                         static_cast<unsigned long long>(seed), i, jobs, e.what(), text_of(spec).c_str());
            return 1;
        }
    }

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("seed %llu: %ld jobs (%ld valid, %ld refused by validate) in %.1f s\n",
                static_cast<unsigned long long>(seed), jobs, counts.valid_jobs, counts.invalid_jobs, seconds);
    std::printf("%-44s %9s %9s\n", "artifact", "rendered", "refused");
    for (const auto& [artifact, n] : counts.by_artifact)
        std::printf("%-44s %9ld %9ld\n", artifact.c_str(), n.first, n.second);
    int missing = 0;
    for (const char* artifact : must_render) {
        const auto found = counts.by_artifact.find(artifact);
        if (found == counts.by_artifact.end() || found->second.first == 0) {
            std::fprintf(stderr, "property_render_all: no job rendered %s\n", artifact);
            ++missing;
        }
    }
    // About half the jobs are valid; far fewer means the generator broke.
    if (counts.valid_jobs * 3 < jobs) {
        std::fprintf(stderr, "property_render_all: fewer than a third of the jobs are valid\n");
        return 1;
    }
    return missing == 0 ? 0 : 1;
}
