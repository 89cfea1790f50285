#pragma once
// Reading one JSON value of a spec: the typed readers (string, bounded
// integer, boolean, lists, maps, names of an enum) and the problems they
// note, each with its JSON path. A value of the wrong type is left unset and
// its path remembered, so that the job rules about it are skipped.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/detail/problem_list.hpp>
#include <trainspec/error.hpp>
#include <trainspec/spec/did_you_mean.hpp>
#include <trainspec/spec/enum_names.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

using ojson = nlohmann::ordered_json;

class spec_value_reader {
public:
    explicit spec_value_reader(problems& found) : found_(found) {}

    /// Paths whose value could not be read: rules about them are moot.
    const std::vector<std::string>& bad_paths() const { return bad_paths_; }

    void add(std::string path, std::string value, std::string rule) {
        list_problem(found_, {std::move(path), std::move(value), std::move(rule)});
    }
    /// A problem that makes the value unreadable.
    void reject(const std::string& path, const ojson& v, std::string rule) {
        add(path, v.dump(), std::move(rule));
        bad_paths_.push_back(path);
    }
    void type_error(const std::string& path, const ojson& v, const std::string& expected) {
        reject(path, v, "must be " + expected + ", not " + json_type_name(v));
    }
    void missing(const std::string& path, std::string bad_path) {
        add(path, "", "is required");
        bad_paths_.push_back(std::move(bad_path));
    }
    /// `elsewhere`: the keys of another level, for a key written at the wrong level.
    void unknown_key(const std::string& path, const std::string& key, const std::vector<std::string>& known,
                     const std::vector<std::string>* elsewhere = nullptr, const char* elsewhere_is = nullptr) {
        std::string rule = "unknown key";
        if (auto hint = closest_match(key, known))
            rule += "; did you mean \"" + *hint + "\"?";
        else if (auto other = elsewhere ? closest_match(key, *elsewhere) : std::nullopt)
            rule += "; did you mean \"" + *other + "\"? It is " + elsewhere_is;
        add(path, "", rule);
    }

    std::optional<std::string> string_at(const std::string& path, const ojson& v, const char* hint = nullptr) {
        if (v.is_string()) return v.get<std::string>();
        type_error(path, v, hint ? std::string("a string (") + hint + ")" : std::string("a string"));
        return std::nullopt;
    }
    std::optional<bool> bool_at(const std::string& path, const ojson& v) {
        if (v.is_boolean()) return v.get<bool>();
        type_error(path, v, "true or false");
        return std::nullopt;
    }
    /// An integer of at most `max` in magnitude.
    std::optional<std::int64_t> integer_at(const std::string& path, const ojson& v, std::int64_t max) {
        if (!v.is_number_integer()) {
            type_error(path, v, "an integer");
            return std::nullopt;
        }
        if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
            reject(path, v, "must be at most " + std::to_string(max));
            return std::nullopt;
        }
        const auto i = v.get<std::int64_t>();
        if (i > max || i < -max) {
            reject(path, v, "must be between " + std::to_string(-max) + " and " + std::to_string(max));
            return std::nullopt;
        }
        return i;
    }
    /// A number, integer or not, as a double.
    std::optional<double> number_at(const std::string& path, const ojson& v) {
        if (v.is_number()) return v.get<double>();
        type_error(path, v, "a number");
        return std::nullopt;
    }
    std::optional<int> int_at(const std::string& path, const ojson& v) {
        auto i = integer_at(path, v, std::numeric_limits<int>::max());
        if (!i) return std::nullopt;
        return static_cast<int>(*i);
    }
    /// An unreadable element keeps its place (as ""), so that the rules'
    /// paths (`conda_packages[2]`) still point at the right element.
    std::vector<std::string> strings_at(const std::string& path, const ojson& v) {
        std::vector<std::string> out;
        if (!v.is_array()) {
            type_error(path, v, "an array of strings");
            return out;
        }
        for (std::size_t i = 0; i < v.size(); ++i)
            out.push_back(string_at(path + "[" + std::to_string(i) + "]", v[i]).value_or(""));
        return out;
    }
    /// A string, or null (a default removed); unset after a type error.
    std::optional<std::optional<std::string>> string_or_null_at(const std::string& path, const ojson& v,
                                                                const char* hint) {
        if (v.is_null()) return std::optional<std::string>();
        if (v.is_string()) return std::optional<std::string>(v.get<std::string>());
        type_error(path, v, std::string("a string (") + hint + ") or null (leave the flag out)");
        return std::nullopt;
    }
    /// The enumerator a string names; `what` names the choice in the message.
    template <class Enum>
    std::optional<Enum> named_at(const std::string& path, const ojson& v, std::string_view what) {
        const auto name = string_at(path, v);
        if (!name) return std::nullopt;
        if (auto value = enum_from_name<Enum>(*name)) return value;
        std::string rule = "unknown " + std::string(what) + "; one of " + enum_name_list<Enum>();
        if (auto hint = closest_match(*name, enum_name_strings<Enum>())) rule += "; did you mean \"" + *hint + "\"?";
        reject(path, v, rule);
        return std::nullopt;
    }
    /// An object of name: value in the user's order; `read_value` reads one
    /// value (at its bracketed path) or returns nullopt after noting why.
    template <class Entry, class ReadValue>
    std::vector<Entry> map_at(const std::string& path, const ojson& v, const std::string& expected,
                              ReadValue read_value) {
        std::vector<Entry> out;
        if (!v.is_object()) {
            type_error(path, v, expected);
            return out;
        }
        for (const auto& [name, value] : v.items())
            if (auto read = read_value(path + "[" + quote_json(name) + "]", value)) out.push_back({name, *read});
        return out;
    }

private:
    static std::string json_type_name(const ojson& v) {
        if (v.is_number_integer()) return "integer";
        if (v.is_number_float()) return "number";
        return v.type_name();
    }

    problems& found_;
    std::vector<std::string> bad_paths_;
};

}  // namespace detail
TRAINSPEC_END_NAMESPACE
