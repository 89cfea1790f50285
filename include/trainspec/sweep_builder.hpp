#pragma once
// The builder's typed sweep: the sampling is part of the type, so an
// expression or a setting that sampling cannot take does not compile
// (docs/builder.md, docs/sweeps.md). What only the values can tell (ranges,
// counts) is validate()'s, as for the spec.
//
//   auto sweep = trainspec::random_sweep()
//                    .seed(42)
//                    .loguniform("--learning-rate", -6, -1)
//                    .choice("--batch-size", {32, 64, 128})
//                    .objective("accuracy", trainspec::objective_goal::maximize)
//                    .max_total_trials(20);
//   auto job = trainspec::tensorflow()...sweep(std::move(sweep)).build();

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <trainspec/spec/script_params.hpp>
#include <trainspec/spec/sweep.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

struct grid_sampling {
    static constexpr sampling_kind kind = sampling_kind::grid;
};
struct random_sampling {
    static constexpr sampling_kind kind = sampling_kind::random;
};
struct bayesian_sampling {
    static constexpr sampling_kind kind = sampling_kind::bayesian;
};

template <class Sampling>
class sweep_builder {
    static_assert(std::is_same_v<Sampling, grid_sampling> || std::is_same_v<Sampling, random_sampling> ||
                      std::is_same_v<Sampling, bayesian_sampling>,
                  "sweep_builder<Sampling>: Sampling must be grid_sampling, random_sampling or bayesian_sampling");
    static constexpr bool grid = std::is_same_v<Sampling, grid_sampling>;
    static constexpr bool bayesian = std::is_same_v<Sampling, bayesian_sampling>;

public:
    sweep_builder() {
        settings_.sampling = sampling_algorithm{Sampling::kind, std::nullopt, std::nullopt};
        settings_.limits = sweep_limits{};
    }

    /// One of `values`.
    sweep_builder choice(std::string name, std::vector<param_scalar> values) && {
        search_distribution d;
        d.type = distribution_kind::choice;
        d.values = std::move(values);
        return std::move(*this).add(std::move(name), std::move(d));
    }
    /// An integer from 0 to upper - 1.
    template <class S = Sampling>
    sweep_builder randint(std::string name, std::int64_t upper) && {
        static_assert(!std::is_same_v<S, grid_sampling>,
                      "randint(): grid sampling takes choice() only: list the values with choice()");
        static_assert(!std::is_same_v<S, bayesian_sampling>,
                      "randint(): bayesian sampling takes choice(), uniform() and quniform() only");
        search_distribution d;
        d.type = distribution_kind::randint;
        d.upper = upper;
        return std::move(*this).add(std::move(name), std::move(d));
    }
    template <class S = Sampling>
    sweep_builder uniform(std::string name, double min_value, double max_value) && {
        static_assert(!std::is_same_v<S, grid_sampling>,
                      "uniform(): grid sampling takes choice() only: a range cannot be listed as a grid");
        return std::move(*this).range(std::move(name), distribution_kind::uniform, min_value, max_value, std::nullopt);
    }
    template <class S = Sampling>
    sweep_builder quniform(std::string name, double min_value, double max_value, double q) && {
        static_assert(!std::is_same_v<S, grid_sampling>,
                      "quniform(): grid sampling takes choice() only: a range cannot be listed as a grid");
        return std::move(*this).range(std::move(name), distribution_kind::quniform, min_value, max_value, q);
    }
    /// exp(uniform(min_exponent, max_exponent)), as HyperDrive's loguniform.
    template <class S = Sampling>
    sweep_builder loguniform(std::string name, double min_exponent, double max_exponent) && {
        continuous_only<S>();
        return std::move(*this).range(std::move(name), distribution_kind::loguniform, min_exponent, max_exponent,
                                      std::nullopt);
    }
    template <class S = Sampling>
    sweep_builder qloguniform(std::string name, double min_exponent, double max_exponent, double q) && {
        continuous_only<S>();
        return std::move(*this).range(std::move(name), distribution_kind::qloguniform, min_exponent, max_exponent, q);
    }
    template <class S = Sampling>
    sweep_builder normal(std::string name, double mu, double sigma) && {
        continuous_only<S>();
        return std::move(*this).gaussian(std::move(name), distribution_kind::normal, mu, sigma, std::nullopt);
    }
    template <class S = Sampling>
    sweep_builder qnormal(std::string name, double mu, double sigma, double q) && {
        continuous_only<S>();
        return std::move(*this).gaussian(std::move(name), distribution_kind::qnormal, mu, sigma, q);
    }
    template <class S = Sampling>
    sweep_builder lognormal(std::string name, double mu, double sigma) && {
        continuous_only<S>();
        return std::move(*this).gaussian(std::move(name), distribution_kind::lognormal, mu, sigma, std::nullopt);
    }
    template <class S = Sampling>
    sweep_builder qlognormal(std::string name, double mu, double sigma, double q) && {
        continuous_only<S>();
        return std::move(*this).gaussian(std::move(name), distribution_kind::qlognormal, mu, sigma, q);
    }

    template <class S = Sampling>
    sweep_builder seed(std::int64_t value) && {
        static_assert(std::is_same_v<S, random_sampling>, "seed(): applies to random sampling only");
        settings_.sampling->seed = value;
        return std::move(*this);
    }
    template <class S = Sampling>
    sweep_builder rule(random_rule value) && {
        static_assert(std::is_same_v<S, random_sampling>, "rule(): applies to random sampling only");
        settings_.sampling->rule = value;
        return std::move(*this);
    }
    sweep_builder objective(std::string primary_metric, objective_goal goal) && {
        settings_.objective = sweep_objective{std::move(primary_metric), goal};
        return std::move(*this);
    }
    sweep_builder max_total_trials(int n) && {
        settings_.limits->max_total_trials = n;
        return std::move(*this);
    }
    sweep_builder max_concurrent_trials(int n) && {
        settings_.limits->max_concurrent_trials = n;
        return std::move(*this);
    }
    sweep_builder timeout(std::int64_t seconds) && {
        settings_.limits->timeout = seconds;
        return std::move(*this);
    }
    sweep_builder trial_timeout(std::int64_t seconds) && {
        settings_.limits->trial_timeout = seconds;
        return std::move(*this);
    }
    template <class S = Sampling>
    sweep_builder early_termination(trainspec::early_termination policy) && {
        static_assert(!std::is_same_v<S, bayesian_sampling>,
                      "early_termination(): bayesian sampling does not support early termination");
        settings_.termination = std::move(policy);
        return std::move(*this);
    }

    const sweep_settings& settings() const& noexcept { return settings_; }
    sweep_settings settings() && noexcept { return std::move(settings_); }

private:
    template <class S>
    static constexpr void continuous_only() {
        static_assert(!std::is_same_v<S, grid_sampling>,
                      "grid sampling takes choice() only: a range cannot be listed as a grid");
        static_assert(!std::is_same_v<S, bayesian_sampling>,
                      "bayesian sampling takes choice(), uniform() and quniform() only");
    }
    sweep_builder add(std::string name, search_distribution d) && {
        settings_.search_space.push_back({std::move(name), std::move(d)});
        return std::move(*this);
    }
    sweep_builder range(std::string name, distribution_kind kind, double low, double high, std::optional<double> q) && {
        search_distribution d;
        d.type = kind;
        d.min_value = low;
        d.max_value = high;
        d.q = q;
        return std::move(*this).add(std::move(name), std::move(d));
    }
    sweep_builder gaussian(std::string name, distribution_kind kind, double mu, double sigma,
                           std::optional<double> q) && {
        search_distribution d;
        d.type = kind;
        d.mu = mu;
        d.sigma = sigma;
        d.q = q;
        return std::move(*this).add(std::move(name), std::move(d));
    }

    sweep_settings settings_;
};

inline sweep_builder<grid_sampling> grid_sweep() { return {}; }
inline sweep_builder<random_sampling> random_sweep() { return {}; }
inline sweep_builder<bayesian_sampling> bayesian_sweep() { return {}; }

TRAINSPEC_END_NAMESPACE
