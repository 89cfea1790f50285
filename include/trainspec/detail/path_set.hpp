#pragma once
// A set of spec paths (`compute_target.hosts[2].name`,
// `script_params["--lr"]`) that answers, in time linear in the path asked
// about, whether a path lies inside one of them and whether one of them lies
// inside a path. validate() and the spec reader ask this of every problem
// and every field: a list scan would make a spec with many unreadable values
// quadratic.

#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// Calls `f(prefix)` for every prefix of `path` that names a value: the
/// path itself and each part before a `.` or `[` outside a quoted key.
template <class F>
void for_each_path_prefix(std::string_view path, F f) {
    bool quoted = false;
    for (std::size_t i = 0; i < path.size(); ++i) {
        const char c = path[i];
        if (quoted) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                quoted = false;
        } else if (c == '"') {
            quoted = true;
        } else if ((c == '.' || c == '[') && i > 0) {
            f(path.substr(0, i));
        }
    }
    f(path);
}

class path_set {
public:
    path_set() = default;
    explicit path_set(std::vector<std::string> paths) : paths_(std::move(paths)) {
        for (const auto& p : paths_) {
            exact_.insert(p);
            for_each_path_prefix(p, [this](std::string_view prefix) { prefixes_.insert(prefix); });
        }
    }
    // The sets view the strings of paths_, which a move keeps in place.
    path_set(const path_set&) = delete;
    path_set& operator=(const path_set&) = delete;
    path_set(path_set&&) = default;
    path_set& operator=(path_set&&) = default;

    bool empty() const noexcept { return paths_.empty(); }
    const std::vector<std::string>& paths() const noexcept { return paths_; }

    /// True when `path` is one of the paths or lies inside one.
    bool covers(std::string_view path) const {
        if (exact_.empty()) return false;
        bool found = false;
        for_each_path_prefix(path, [&](std::string_view prefix) { found = found || exact_.count(prefix) != 0; });
        return found;
    }
    /// True when one of the paths is `path` or lies inside it.
    bool has_within(std::string_view path) const { return prefixes_.count(path) != 0; }

private:
    std::vector<std::string> paths_;
    std::unordered_set<std::string_view> exact_;
    std::unordered_set<std::string_view> prefixes_;
};

}  // namespace detail
TRAINSPEC_END_NAMESPACE
