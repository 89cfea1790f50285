#pragma once
// Problems as the spec reader and validate() find them: at most
// max_listed_problems are listed, and one more problem counts the rest, so
// that a spec with many bad values is reported in bounded memory
// (docs/limits.md).

#include <cstddef>
#include <string>
#include <utility>

#include <trainspec/error.hpp>
#include <trainspec/spec/limits.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline const std::string& unlisted_problems_rule() {
    static const std::string rule = "more problems, not listed: trainspec lists at most " +
                                    std::to_string(max_listed_problems) + " (docs/limits.md)";
    return rule;
}

/// The last problem of a full list: its value is how many more there are.
inline bool is_unlisted_count(const problem& p) { return p.path == "$" && p.rule == unlisted_problems_rule(); }

/// Appends `p` while fewer than max_listed_problems are listed; past that,
/// the list's last problem counts it (and the count `p` holds, if it is one).
inline void list_problem(problems& found, problem p) {
    const bool count = is_unlisted_count(p);
    if (found.size() < max_listed_problems && !count) {
        found.push_back(std::move(p));
        return;
    }
    if (found.empty() || !is_unlisted_count(found.back())) found.push_back({"$", "0", unlisted_problems_rule()});
    const auto more = count ? std::stoull(p.value) : 1;
    found.back().value = std::to_string(std::stoull(found.back().value) + more);
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
