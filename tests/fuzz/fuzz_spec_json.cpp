// libFuzzer target: check_spec on any text; when it finds no problem, the
// document loads, and spec -> JSON -> spec is the identity (the second
// writing is byte-identical to the first); a valid grid or random sweep
// expands, its first trials each a valid job. A crash, a sanitizer report or
// an exception out of check_spec is a bug.

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

#include <trainspec/job.hpp>
#include <trainspec/spec_json.hpp>
#include <trainspec/sweep_trials.hpp>
#include <trainspec/validate.hpp>

#include "property_check.hpp"

using property_check::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        if (!trainspec::check_spec(text).empty()) return 0;
        const auto job = trainspec::load_job(text);
        const auto& spec = trainspec::spec_of(job);
        const std::string written = trainspec::dump_spec(spec);
        require(trainspec::check_spec(written).empty(), "a written spec has no problems");
        const auto again = trainspec::load_job(written);
        require(trainspec::spec_of(again) == spec, "spec -> JSON -> spec is the identity");
        require(trainspec::dump_spec(trainspec::spec_of(again)) == written, "writing again gives the same bytes");
        if (spec.sweep && trainspec::effective_sampling(*spec.sweep) != trainspec::sampling_kind::bayesian) {
            const trainspec::sweep_trials trials(spec);
            require(trials.size() >= 1, "a valid sweep has a trial");
            for (std::int64_t t = 0; t < trials.size() && t < 4; ++t) {
                require(trials.trial(t).size() == spec.sweep->search_space.size(), "a trial has every parameter");
                require(trainspec::validate(trainspec::trial_spec(spec, t)).empty(), "a trial is a valid job");
            }
        }
    } catch (const std::exception& e) {
        require(false, "no unexpected exception", e.what());
    }
    return 0;
}
