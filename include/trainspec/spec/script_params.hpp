#pragma once
// script_params: the entry script's command-line arguments, in the order the
// user wrote them, and their rendering to argv.
//
// Rendering follows Azure ML's estimator:
//   * key, then value;                        {"--lr": 0.01}      -> --lr 0.01
//   * a list expands to several arguments;    {"--x": [1, 2]}     -> --x 1 2
//   * null or "" gives a bare flag;           {"--verbose": null} -> --verbose
//   * integers print as integers, other numbers as Python's str() prints a
//     float: the shortest form that reads back to the same double (0.01,
//     not 0.010000; 1e-05; 1e+21), and 2.0 stays 2.0;
//   * booleans print the way Python's str() does, as Azure ML passed them:
//     true -> True, false -> False. An argparse store_true flag is a bare
//     flag (null), not a boolean.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include <trainspec/detail/linkage.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// One element of a list-valued parameter.
class param_scalar {
public:
    using storage = std::variant<bool, std::int64_t, double, std::string>;

    param_scalar(bool b) : value_(b) {}
    template <
        class Int,
        std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool> && !std::is_same_v<Int, char>, int> = 0>
    param_scalar(Int i) : value_(static_cast<std::int64_t>(i)) {}
    template <class Float, std::enable_if_t<std::is_floating_point_v<Float>, int> = 0>
    param_scalar(Float d) : value_(static_cast<double>(d)) {}
    param_scalar(const char* s) : value_(std::string(s)) {}
    param_scalar(std::string s) : value_(std::move(s)) {}
    param_scalar(std::string_view s) : value_(std::string(s)) {}

    const storage& get() const noexcept { return value_; }

    friend bool operator==(const param_scalar& a, const param_scalar& b);
    friend bool operator!=(const param_scalar& a, const param_scalar& b) { return !(a == b); }

private:
    storage value_;
};

/// A parameter's value: a bare flag (null), a scalar, or a list of scalars.
class param_value {
public:
    using list = std::vector<param_scalar>;
    using storage = std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, list>;

    param_value() : value_(nullptr) {}
    param_value(std::nullptr_t) : value_(nullptr) {}
    param_value(bool b) : value_(b) {}
    template <
        class Int,
        std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool> && !std::is_same_v<Int, char>, int> = 0>
    param_value(Int i) : value_(static_cast<std::int64_t>(i)) {}
    template <class Float, std::enable_if_t<std::is_floating_point_v<Float>, int> = 0>
    param_value(Float d) : value_(static_cast<double>(d)) {}
    param_value(const char* s) : value_(std::string(s)) {}
    param_value(std::string s) : value_(std::move(s)) {}
    param_value(std::string_view s) : value_(std::string(s)) {}
    param_value(list l) : value_(std::move(l)) {}
    param_value(std::initializer_list<param_scalar> l) : value_(list(l)) {}

    const storage& get() const noexcept { return value_; }

    /// True when the parameter renders as its key alone.
    bool is_flag() const noexcept {
        if (std::holds_alternative<std::nullptr_t>(value_)) return true;
        const auto* s = std::get_if<std::string>(&value_);
        return s != nullptr && s->empty();
    }

    friend bool operator==(const param_value& a, const param_value& b);
    friend bool operator!=(const param_value& a, const param_value& b) { return !(a == b); }

private:
    storage value_;
};

/// Spelling for a bare flag in a builder call: {"--verbose", trainspec::flag}.
inline constexpr std::nullptr_t flag = nullptr;

struct script_param {
    std::string key;
    param_value value;

    friend bool operator==(const script_param& a, const script_param& b) {
        return a.key == b.key && a.value == b.value;
    }
    friend bool operator!=(const script_param& a, const script_param& b) { return !(a == b); }
};

/// Ordered parameters. Keys may repeat (an argparse "append" option), which
/// the JSON spec writes as an array of [key, value] pairs.
class script_params {
public:
    using value_type = script_param;
    using const_iterator = std::vector<script_param>::const_iterator;

    script_params() = default;
    script_params(std::initializer_list<script_param> items) : items_(items) {}

    script_params& add(std::string key, param_value value) {
        items_.push_back({std::move(key), std::move(value)});
        return *this;
    }

    const_iterator begin() const noexcept { return items_.begin(); }
    const_iterator end() const noexcept { return items_.end(); }
    std::size_t size() const noexcept { return items_.size(); }
    bool empty() const noexcept { return items_.empty(); }
    const script_param& operator[](std::size_t i) const { return items_[i]; }

    /// True when some key appears more than once (then the JSON spec must
    /// use the array-of-pairs form).
    bool has_repeated_keys() const {
        std::unordered_set<std::string_view> seen;
        seen.reserve(items_.size());
        for (const auto& item : items_)
            if (!seen.insert(item.key).second) return true;
        return false;
    }

    friend bool operator==(const script_params& a, const script_params& b) { return a.items_ == b.items_; }
    friend bool operator!=(const script_params& a, const script_params& b) { return !(a == b); }

private:
    std::vector<script_param> items_;
};

/// One argument's text, as the entry script receives it.
std::string to_argument(const param_scalar& value);

/// The words a value gives after its key: none for a flag, one per item of
/// a list, else one.
std::vector<std::string> to_arguments(const param_value& value);

/// The parameters as the entry script's argv (without the script itself).
std::vector<std::string> to_argv(const script_params& params);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <trainspec/detail/param_text.hpp>
#endif
