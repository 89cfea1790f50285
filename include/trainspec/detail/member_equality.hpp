#pragma once
// Equality of plain structs, member by member: one fold over member
// pointers, much cheaper to compile than comparing two std::tie tuples.

#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

template <class T, class... Members>
bool members_equal(const T& a, const T& b, Members T::*... members) {
    return ((a.*members == b.*members) && ...);
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
