#pragma once
// The random draws of a sweep, the same on every platform and standard
// library: SplitMix64 streams and our own transforms (the standard's
// distributions differ between libraries). docs/sweeps.md states the
// algorithm, so that any implementation can reproduce the trials.

#include <cmath>
#include <cstdint>

#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// SplitMix64's output function (Steele, Lea and Flood, 2014).
constexpr std::uint64_t splitmix64_mix(std::uint64_t z) noexcept {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

inline constexpr std::uint64_t splitmix64_gamma = 0x9E3779B97F4A7C15ULL;

/// The draws of one parameter of one trial: a SplitMix64 stream whose
/// state starts at mix(mix(mix(seed) + trial) + parameter), so that any
/// trial is computed alone, in any order.
class sweep_stream {
public:
    constexpr sweep_stream(std::uint64_t seed, std::uint64_t trial, std::uint64_t parameter) noexcept
        : state_(splitmix64_mix(splitmix64_mix(splitmix64_mix(seed) + trial) + parameter)) {}

    constexpr std::uint64_t next() noexcept { return splitmix64_mix(state_ += splitmix64_gamma); }

    /// [0, 1): the top 53 bits.
    double unit() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

    /// [0, n), unbiased: draws below 2^64 mod n are drawn again.
    std::uint64_t below(std::uint64_t n) noexcept {
        const std::uint64_t threshold = (0 - n) % n;
        for (;;) {
            const std::uint64_t r = next();
            if (r >= threshold) return r % n;
        }
    }

    /// [low, high).
    double uniform(double low, double high) noexcept { return low + (high - low) * unit(); }

    /// N(mu, sigma) by Marsaglia's polar method. Each round is accepted with
    /// probability pi/4; after 1000 rounds (never, in practice) mu.
    double normal(double mu, double sigma) noexcept {
        for (int round = 0; round < 1000; ++round) {
            const double u = 2 * unit() - 1;
            const double v = 2 * unit() - 1;
            const double s = u * u + v * v;
            if (s > 0 && s < 1) return mu + sigma * u * std::sqrt(-2 * std::log(s) / s);
        }
        return mu;
    }

private:
    std::uint64_t state_;
};

/// The largest unit().
inline constexpr double max_unit = 1 - 0x1.0p-53;

/// A bound on |normal(0, 1)|: u and v are multiples of 2^-52, so s is at
/// least 2^-104, and |u| <= sqrt(s) gives |z| <= sqrt(-2 ln 2^-104) = 12.0073.
inline constexpr double max_standard_normal = 12.01;

/// round(x / q) * q with ties to even, as numpy.round (hyperopt's q-variants).
inline double quantize(double x, double q) noexcept { return std::nearbyint(x / q) * q; }

}  // namespace detail
TRAINSPEC_END_NAMESPACE
