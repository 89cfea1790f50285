#pragma once
// One naming scheme for every enum a spec, a command line or a message spells:
// next to each enum, one table of (enumerator, name) pairs; these functions
// are the only readers of those tables.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <trainspec/detail/join.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// Specialised next to each enum with
/// `static constexpr std::array<std::pair<Enum, std::string_view>, N> table`.
template <class Enum>
struct enum_names;

/// The enumerator's name; empty for an enumerator the table leaves out.
template <class Enum>
constexpr std::string_view enum_name(Enum value) noexcept {
    for (const auto& entry : enum_names<Enum>::table)
        if (entry.first == value) return entry.second;
    return {};
}

/// The enumerator a name spells; nullopt for any other text.
template <class Enum>
constexpr std::optional<Enum> enum_from_name(std::string_view name) noexcept {
    for (const auto& entry : enum_names<Enum>::table)
        if (entry.second == name) return entry.first;
    return std::nullopt;
}

/// Every named enumerator, in the table's order.
template <class Enum>
constexpr auto enum_values() noexcept {
    constexpr auto& table = enum_names<Enum>::table;
    std::array<Enum, table.size()> values{};
    for (std::size_t i = 0; i < table.size(); ++i) values[i] = table[i].first;
    return values;
}

/// The names for a message: "a, b, c".
template <class Enum>
std::string enum_name_list() {
    return detail::join(enum_names<Enum>::table, ", ", [](const auto& entry) { return entry.second; });
}

/// The names as strings, in the table's order: key lists and "did you mean"
/// candidates.
template <class Enum>
const std::vector<std::string>& enum_name_strings() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& entry : enum_names<Enum>::table) out.emplace_back(entry.second);
        return out;
    }();
    return names;
}

TRAINSPEC_END_NAMESPACE
