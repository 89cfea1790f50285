#pragma once
// One random draw of a search expression (docs/sweeps.md, "Random"), and
// the bounds of its draws, which validation holds to finite numbers.

#include <cmath>
#include <cstdint>
#include <utility>
#include <variant>

#include <trainspec/detail/distribution_members.hpp>
#include <trainspec/detail/sweep_random.hpp>
#include <trainspec/spec/sweep.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// A continuous draw from its uniform or normal value: exp() for the
/// log-variants, then quantised for the q-variants.
inline double finish_draw(const search_distribution& d, double x) {
    const auto members = members_of(*d.type);
    if (members.exponent) x = std::exp(x);
    return members.q ? quantize(x, d.q.value_or(1)) : x;
}

/// Trial `trial`'s draw of one expression of a random sweep.
inline param_value draw(const search_distribution& d, sweep_stream stream) {
    switch (*d.type) {
        case distribution_kind::choice: {
            const auto& value = d.values[stream.below(d.values.size())].get();
            return std::visit([](const auto& v) { return param_value(v); }, value);
        }
        case distribution_kind::randint:
            return static_cast<std::int64_t>(stream.below(static_cast<std::uint64_t>(*d.upper)));
        default:
            break;
    }
    return finish_draw(d, members_of(*d.type).range ? stream.uniform(d.min_value.value_or(0), d.max_value.value_or(0))
                                                    : stream.normal(d.mu.value_or(0), d.sigma.value_or(1)));
}

/// The least and greatest value draw() gives a continuous expression whose
/// members are present and valid: every step after the unit or normal value
/// is monotone, so these are the steps applied to its extremes. NaN or an
/// infinity here means some draw is not a finite number.
inline std::pair<double, double> draw_bounds(const search_distribution& d) {
    double low = 0, high = 0;
    if (members_of(*d.type).range) {
        low = *d.min_value + (*d.max_value - *d.min_value) * 0.0;
        high = *d.min_value + (*d.max_value - *d.min_value) * max_unit;
    } else {
        low = *d.mu - *d.sigma * max_standard_normal;
        high = *d.mu + *d.sigma * max_standard_normal;
    }
    return {finish_draw(d, low), finish_draw(d, high)};
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
