#pragma once
// conda_packages entries as conda's MatchSpec reads them, in the forms a
// package list needs: `[channel[/subdir]::]name` and a version, with a
// build or not (`numpy`, `numpy=1.26`, `numpy>=1.26,<2`, `numpy 1.26.*
// py311*`, `conda-forge::numpy`). Options, URLs, paths, `[key=value]`
// brackets and comments are refused (docs/spec.md, conda_packages).

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include <trainspec/spec/names.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline constexpr std::string_view conda_match_spec_rule =
    "must be a conda package spec: [channel::]name, then a version (=1.2, >=1.2,<2, \"1.2.* build\"); conda "
    "options, URLs, paths, [key=value] brackets and comments are not accepted";

/// `text` is of `allowed` (letters and digits always), at least one.
inline bool is_conda_word(std::string_view text, std::string_view allowed) {
    if (text.empty()) return false;
    for (char c : text)
        if (!is_alnum(c) && allowed.find(c) == std::string_view::npos) return false;
    return true;
}

/// Why `text` is no conda_packages entry, or nullopt.
inline std::optional<std::string> conda_match_spec_problem(std::string_view text) {
    const auto refuse = std::optional<std::string>(conda_match_spec_rule);
    if (const auto colons = text.find("::"); colons != std::string_view::npos) {
        auto channel = text.substr(0, colons);
        if (const auto slash = channel.find('/'); slash != std::string_view::npos) {  // channel/subdir
            if (!is_conda_word(channel.substr(slash + 1), "_-")) return refuse;
            channel = channel.substr(0, slash);
        }
        if (!is_conda_word(channel, "_.-") || !is_alnum(channel.front())) return refuse;
        text.remove_prefix(colons + 2);
    }
    const auto name_end = std::min(text.find_first_of(" =<>!~"), text.size());
    const auto name = text.substr(0, name_end);
    if (!is_conda_word(name, "_.-") || !(is_alnum(name.front()) || name.front() == '_')) return refuse;
    auto rest = text.substr(name_end);
    constexpr std::string_view version_chars = "_.*+!,|<>=~";
    if (rest.empty()) return std::nullopt;
    if (rest.front() != ' ') return is_conda_word(rest, version_chars) ? std::nullopt : refuse;
    rest.remove_prefix(1);  // "name version[ build]"
    const auto space = std::min(rest.find(' '), rest.size());
    if (!is_conda_word(rest.substr(0, space), version_chars)) return refuse;
    if (space < rest.size() && !is_conda_word(rest.substr(space + 1), "_.*+")) return refuse;
    return std::nullopt;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
