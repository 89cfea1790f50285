#pragma once
// A property check that aborts with a message (under libFuzzer, which then
// saves the input), and a printable form of bytes for such messages.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace property_check {

/// The bytes of `s` in double quotes, with C escapes for quotes, backslashes,
/// control characters and bytes outside ASCII.
inline std::string visible(std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c >= 0x20 && c < 0x7f) {
            out += static_cast<char>(c);
        } else {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out + "\"";
}

inline std::string visible(const std::vector<std::string>& words) {
    std::string out = "{";
    for (std::size_t i = 0; i < words.size(); ++i) out += (i != 0 ? ", " : "") + visible(words[i]);
    return out + "}";
}

/// Aborts with "property violated: what" and `details` when `condition` is
/// false.
inline void require(bool condition, const char* what, const std::string& details = {}) {
    if (condition) return;
    std::fprintf(stderr, "property violated: %s\n%s%s", what, details.c_str(), details.empty() ? "" : "\n");
    std::abort();
}

}  // namespace property_check
