#pragma once
// One naming scheme for every enum a spec, a command line or a message spells:
// next to each enum, one table of (enumerator, name) pairs; these functions
// are the only readers of those tables.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <trainspec/detail/join.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// One row of an enum's name table (an aggregate: cheaper to compile than a
/// std::pair in constant tables).
template <class Enum>
struct enum_entry {
    Enum value;
    std::string_view name;
};

/// Specialised next to each enum with
/// `static constexpr std::array<enum_entry<Enum>, N> table`.
template <class Enum>
struct enum_names;

/// The enumerator's name; empty for an enumerator the table leaves out.
template <class Enum>
constexpr std::string_view enum_name(Enum value) noexcept {
    for (const auto& entry : enum_names<Enum>::table)
        if (entry.value == value) return entry.name;
    return {};
}

/// The enumerator a name spells; nullopt for any other text.
template <class Enum>
constexpr std::optional<Enum> enum_from_name(std::string_view name) noexcept {
    for (const auto& entry : enum_names<Enum>::table)
        if (entry.name == name) return entry.value;
    return std::nullopt;
}

/// Every named enumerator, in the table's order.
template <class Enum>
constexpr auto enum_values() noexcept {
    constexpr auto& table = enum_names<Enum>::table;
    std::array<Enum, table.size()> values{};
    for (std::size_t i = 0; i < table.size(); ++i) values[i] = table[i].value;
    return values;
}

/// The names for a message: "a, b, c".
template <class Enum>
std::string enum_name_list() {
    return detail::join(enum_names<Enum>::table, ", ", [](const auto& entry) { return entry.name; });
}

/// The names as strings, in the table's order: key lists and "did you mean"
/// candidates.
template <class Enum>
const std::vector<std::string>& enum_name_strings() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& entry : enum_names<Enum>::table) out.emplace_back(entry.name);
        return out;
    }();
    return names;
}

TRAINSPEC_END_NAMESPACE
