#pragma once
// The text of a script parameter's value: as the entry script receives it
// (Python's str()), and as JSON for messages.

#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/detail/linkage.hpp>
#include <trainspec/spec/script_params.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// A double as Python's repr() and str() write it: the shortest text that
/// reads back as the same double ({fmt}'s default, which switches to
/// exponent notation at the same points), and a float stays a float: 2.0,
/// -0.0, 1000000000000000.0 (where {fmt} writes 2, -0, 1000000000000000).
inline std::string format_number(double d) {
    std::string text = fmt::format("{}", d);
    if (std::isfinite(d) && text.find_first_of(".e") == std::string::npos) text += ".0";
    return text;
}

inline std::string format_bool(bool b) { return b ? "True" : "False"; }

struct argument_text {
    std::string operator()(bool b) const { return format_bool(b); }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return format_number(d); }
    std::string operator()(const std::string& s) const { return s; }
};

/// Appends the words `value` gives after its key (to_arguments()).
inline void append_arguments(const param_value& value, std::vector<std::string>& words) {
    if (value.is_flag()) return;
    std::visit(
        [&words](const auto& v) {
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, param_value::list>) {
                for (const auto& item : v) words.push_back(to_argument(item));
            } else if constexpr (!std::is_same_v<V, std::nullptr_t>) {
                words.push_back(argument_text{}(v));
            }
        },
        value.get());
}

/// The value as JSON text, for messages.
struct value_json_text {
    std::string operator()(std::nullptr_t) const { return "null"; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const {
        return std::isfinite(d) ? format_number(d)
                                : std::string(std::isnan(d) ? "NaN"
                                              : d < 0       ? "-Infinity"
                                                            : "Infinity");
    }
    std::string operator()(const std::string& s) const { return quote_json(s); }
    std::string operator()(const param_scalar& s) const { return std::visit(*this, s.get()); }
    std::string operator()(const param_value::list& l) const {
        std::string out = "[";
        for (std::size_t i = 0; i < l.size(); ++i) {
            if (i != 0) out += ',';
            out += (*this)(l[i]);
        }
        return out + "]";
    }
};

}  // namespace detail
TRAINSPEC_END_NAMESPACE

// The entry points of <trainspec/spec/script_params.hpp> (compiled once in compiled mode).
#if TRAINSPEC_DEFINITIONS
TRAINSPEC_BEGIN_NAMESPACE

TRAINSPEC_INLINE bool operator==(const param_scalar& a, const param_scalar& b) { return a.value_ == b.value_; }
TRAINSPEC_INLINE bool operator==(const param_value& a, const param_value& b) { return a.value_ == b.value_; }

TRAINSPEC_INLINE std::string to_argument(const param_scalar& value) {
    return std::visit(detail::argument_text{}, value.get());
}

TRAINSPEC_INLINE std::vector<std::string> to_arguments(const param_value& value) {
    std::vector<std::string> words;
    detail::append_arguments(value, words);
    return words;
}

TRAINSPEC_INLINE std::vector<std::string> to_argv(const script_params& params) {
    std::vector<std::string> argv;
    argv.reserve(params.size() * 2);
    for (const auto& [key, value] : params) {
        argv.push_back(key);
        detail::append_arguments(value, argv);
    }
    return argv;
}

TRAINSPEC_END_NAMESPACE
#endif
