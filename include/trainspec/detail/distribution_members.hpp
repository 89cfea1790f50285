#pragma once
// The shape of each search expression type (docs/sweeps.md): the members it
// takes and how a draw is made of them.

#include <trainspec/spec/sweep.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// Which members an expression takes, besides `type`; `exponent`: the draw
/// is exp() of the range or normal value (the log-variants).
struct distribution_members {
    bool values = false, upper = false, range = false, normal = false, q = false, exponent = false;
};

constexpr distribution_members members_of(distribution_kind kind) noexcept {
    switch (kind) {
        case distribution_kind::choice:
            return {true, false, false, false, false, false};
        case distribution_kind::randint:
            return {false, true, false, false, false, false};
        case distribution_kind::uniform:
            return {false, false, true, false, false, false};
        case distribution_kind::quniform:
            return {false, false, true, false, true, false};
        case distribution_kind::loguniform:
            return {false, false, true, false, false, true};
        case distribution_kind::qloguniform:
            return {false, false, true, false, true, true};
        case distribution_kind::normal:
            return {false, false, false, true, false, false};
        case distribution_kind::qnormal:
            return {false, false, false, true, true, false};
        case distribution_kind::lognormal:
            return {false, false, false, true, false, true};
        case distribution_kind::qlognormal:
            return {false, false, false, true, true, true};
    }
    return {};
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
