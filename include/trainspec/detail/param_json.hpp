#pragma once
// script_params values as JSON, both directions: the spec's script_params
// and the values of a sweep's choice.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>

#include <trainspec/detail/json_object.hpp>
#include <trainspec/detail/json_text.hpp>
#include <trainspec/detail/spec_value_reader.hpp>
#include <trainspec/spec/script_params.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline std::optional<param_value> read_param_value(spec_value_reader& r, const std::string& path, const ojson& v) {
    constexpr auto int64_max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (v.is_null()) return param_value(nullptr);
    if (v.is_boolean()) return param_value(v.get<bool>());
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > int64_max) {
        r.reject(path, v, "an integer must fit 64 bits");
        return std::nullopt;
    }
    if (v.is_number_integer()) return param_value(v.get<std::int64_t>());
    if (v.is_number_float()) return param_value(v.get<double>());
    if (v.is_string()) return param_value(v.get<std::string>());
    if (!v.is_array()) {
        r.type_error(path, v, "null, a boolean, a number, a string or a list of those");
        return std::nullopt;
    }
    param_value::list items;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const auto& e = v[i];
        const auto item_path = path + "[" + std::to_string(i) + "]";
        if (e.is_boolean()) {
            items.emplace_back(e.get<bool>());
        } else if (e.is_number_unsigned() && e.get<std::uint64_t>() > int64_max) {
            r.reject(item_path, e, "an integer must fit 64 bits");
            return std::nullopt;
        } else if (e.is_number_integer()) {
            items.emplace_back(e.get<std::int64_t>());
        } else if (e.is_number_float()) {
            items.emplace_back(e.get<double>());
        } else if (e.is_string()) {
            items.emplace_back(e.get<std::string>());
        } else {
            r.type_error(item_path, e, "a string, number or boolean (lists do not nest)");
            return std::nullopt;
        }
    }
    return param_value(std::move(items));
}

inline ojson param_json(const param_scalar& v) {
    return std::visit([](const auto& x) { return ojson(x); }, v.get());
}
inline ojson param_json(const param_value& v) {
    return std::visit(
        [](const auto& x) -> ojson {
            using V = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<V, param_value::list>) {
                ojson list = ojson::array();
                for (const auto& item : x) list.push_back(param_json(item));
                return list;
            } else {
                return ojson(x);
            }
        },
        v.get());
}

/// An object keeps the user's order; repeated keys need the array of pairs.
inline ojson script_params_json(const script_params& params) {
    const bool pairs = params.has_repeated_keys();
    ojson out = pairs ? ojson::array() : ojson::object();
    ordered_members members(out);
    for (const auto& [key, value] : params) {
        if (pairs)
            out.push_back({key, param_json(value)});
        else
            members.at(key) = param_json(value);
    }
    return out;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
