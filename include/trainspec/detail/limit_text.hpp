#pragma once
// How problems name the byte ceilings of spec/limits.hpp (docs/limits.md):
// one wording wherever a rule refers to them.

#include <string_view>

#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline constexpr std::string_view path_limit_text = "a path (Linux's PATH_MAX, 4096, counts its NUL)";
inline constexpr std::string_view argument_limit_text =
    "one argument or environment string (Linux's MAX_ARG_STRLEN, 131072, counts its NUL)";
inline constexpr std::string_view key_limit_text = "a name (a key of the spec)";

}  // namespace detail
TRAINSPEC_END_NAMESPACE
