#pragma once
// Minimal JSON text, for values shown in messages and for the TF_CONFIG
// writer, so the core headers do not need a JSON library.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// Appends `text` to `out` escaped for the inside of a JSON string.
inline void append_json_escaped(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    std::size_t plain = 0;  // the start of the run of characters copied as they are
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte >= 0x20 && byte != '"' && byte != '\\') continue;
        out.append(text.data() + plain, i - plain);
        plain = i + 1;
        switch (byte) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                out += "\\u00";
                out += hex[byte >> 4];
                out += hex[byte & 0xF];
        }
    }
    out.append(text.data() + plain, text.size() - plain);
}

/// Appends `text` as a JSON string to `out`.
inline void append_quoted_json(std::string& out, std::string_view text) {
    out += '"';
    append_json_escaped(out, text);
    out += '"';
}

inline std::string quote_json(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    append_quoted_json(out, text);
    return out;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
