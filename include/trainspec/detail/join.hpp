#pragma once
// Lists written into messages and command lines: "a, b, c", "h1,h2".

#include <string>
#include <string_view>

#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// text(item) for every item, `separator` between them (none after an
/// empty beginning).
template <class Items, class Text>
std::string join(const Items& items, std::string_view separator, Text text) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += text(item);
    }
    return out;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
