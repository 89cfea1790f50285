// libFuzzer target: every artifact of a job, rendered and checked against
// the rules of the program that reads it (render_checks.hpp, which the
// property test tests/property shares).
//
// The input is not a JSON spec but a list of choices (job_choices.hpp): each
// byte picks one value of a field from those that mostly pass validate()
// (backend, counts, hosts, GPUs, profile, consumer, MPI flavor and settings,
// Slurm environment, sweep, ...), and the bytes that remain become hostile
// text where users write text. A JSON spec that fuzzing mutates rarely stays
// valid (fuzz_spec_json covers the reader); choices reach a valid job from
// almost every input, so most executions render every artifact (one variant
// of each: one plan, one TF_CONFIG profile, one MPI launch, picked by a hash
// of the input). A spent input answers the plain choice, so every input
// decodes to a job.
// TRAINSPEC_FUZZ_PRINT=1 prints the job an input decodes to.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include <nlohmann/json.hpp>

#include <trainspec/trainspec.hpp>

#include "job_choices.hpp"
#include "property_check.hpp"
#include "render_checks.hpp"

namespace {

std::string spec_text(const trainspec::job_spec& s) {
    return trainspec::to_json(s).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    render_fuzz::byte_choices choices(data, size);
    const auto spec = render_fuzz::random_job(choices);
    static const bool print = std::getenv("TRAINSPEC_FUZZ_PRINT") != nullptr;
    if (print) std::fprintf(stderr, "%s\n", spec_text(spec).c_str());
    // One variant of each artifact, chosen by the whole input, so that an
    // execution stays short and the same job meets every variant.
    render_checks::check_options one;
    std::uint64_t hash = 14695981039346656037u;  // FNV-1a
    for (std::size_t i = 0; i < size; ++i) hash = (hash ^ data[i]) * 1099511628211u;
    one.variant_seed = hash;
    render_checks::tally counts;
    try {
        render_checks::check_spec_artifacts(spec, counts, one);
    } catch (const std::exception& e) {
        property_check::require(false, e.what(), "the job:\n" + spec_text(spec));
    }
    return 0;
}
