#pragma once
// Python's json.loads and the few builtins TensorFlow applies to what it
// returns (str, repr, int, truth), with CPython's messages and positions, so
// that the TF_CONFIG reader can fail where and as TensorFlow fails.
// docs/tf_config.md says how far the emulation goes.

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <trainspec/error.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {
namespace pyjson {

/// A Python exception (json.JSONDecodeError, ValueError, TypeError,
/// RecursionError): what() is its message. The TF_CONFIG reader adds the
/// field it is about.
class python_error : public error {
public:
    explicit python_error(const std::string& message) : error(message, {{"", "", message}}) {}
};

/// A Python value as json.loads returns it.
struct value {
    enum class kind { none, boolean, integer, floating, string, list, dict };

    kind type = kind::none;
    bool flag = false;              ///< boolean
    std::string text;               ///< integer: decimal digits, '-' first when negative; string: UTF-8
    double number = 0;              ///< floating
    std::vector<value> items;       ///< list: the items; dict: the values
    std::vector<std::string> keys;  ///< dict: the keys, in insertion order

    const value* find(std::string_view key) const {
        if (type != kind::dict) return nullptr;
        for (std::size_t i = 0; i < keys.size(); ++i)
            if (keys[i] == key) return &items[i];
        return nullptr;
    }
};

inline const char* type_name(const value& v) {
    switch (v.type) {
        case value::kind::none:
            return "NoneType";
        case value::kind::boolean:
            return "bool";
        case value::kind::integer:
            return "int";
        case value::kind::floating:
            return "float";
        case value::kind::string:
            return "str";
        case value::kind::list:
            return "list";
        case value::kind::dict:
            return "dict";
    }
    return "object";
}

/// The JSON name of a value's type, for messages that are not TensorFlow's.
inline const char* json_kind(const value& v) {
    switch (v.type) {
        case value::kind::none:
            return "null";
        case value::kind::boolean:
            return "a boolean";
        case value::kind::integer:
        case value::kind::floating:
            return "a number";
        case value::kind::string:
            return "a string";
        case value::kind::list:
            return "an array";
        case value::kind::dict:
            return "an object";
    }
    return "a value";
}

/// UTF-8 to code points the way Python decodes the environment: each byte
/// of an invalid sequence becomes one lone surrogate U+DC80..U+DCFF
/// (surrogateescape), so positions count what Python counts. With
/// `surrogates`, an encoded surrogate (ED A0..BF xx, as append_utf8 writes a
/// lone "\ud800" escape) is read back as that code point.
inline std::u32string decode_utf8(std::string_view text, bool surrogates = false) {
    std::u32string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        if (lead < 0x80) {
            out += static_cast<char32_t>(lead);
            ++i;
            continue;
        }
        std::size_t length = 0;
        char32_t code = 0;
        unsigned char low = 0x80, high = 0xBF;  // the second byte's range
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
            code = lead & 0x1Fu;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            code = lead & 0x0Fu;
            if (lead == 0xE0) low = 0xA0;
            if (lead == 0xED && !surrogates) high = 0x9F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            code = lead & 0x07u;
            if (lead == 0xF0) low = 0x90;
            if (lead == 0xF4) high = 0x8F;
        }
        bool valid = length > 0 && i + length <= text.size();
        for (std::size_t k = 1; valid && k < length; ++k) {
            const auto c = static_cast<unsigned char>(text[i + k]);
            if (c < (k == 1 ? low : 0x80) || c > (k == 1 ? high : 0xBF))
                valid = false;
            else
                code = (code << 6) | (c & 0x3Fu);
        }
        if (!valid) {
            out += static_cast<char32_t>(0xDC00 + lead);
            ++i;
            continue;
        }
        out += code;
        i += length;
    }
    return out;
}

/// The inverse of decode_utf8: an escaped byte becomes that byte again.
inline void append_utf8(std::string& out, char32_t c) {
    if (c >= 0xDC80 && c <= 0xDCFF) {
        out += static_cast<char>(c - 0xDC00);
    } else if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

/// json.loads: the rules and messages of CPython's json module (its C
/// scanner), before Python 3.13 added "Illegal trailing comma".
class reader {
public:
    explicit reader(std::string_view text) : s_(decode_utf8(text)) {}

    value read() {
        if (!s_.empty() && s_[0] == 0xFEFF) fail("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0);
        std::size_t end = 0;
        value v = scan(skip(0), end);
        end = skip(end);
        if (end != s_.size()) fail("Extra data", end);
        return v;
    }

private:
    /// Below Python's default recursion limit of 1000, which json counts too.
    static constexpr int max_depth = 500;

    static bool is_space(char32_t c) { return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r'; }
    static bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }

    std::size_t skip(std::size_t i) const {
        while (i < s_.size() && is_space(s_[i])) ++i;
        return i;
    }

    bool word_at(std::size_t i, std::u32string_view word) const {
        return i + word.size() <= s_.size() && std::u32string_view(s_).substr(i, word.size()) == word;
    }

    /// json.JSONDecodeError: "msg: line L column C (char P)".
    [[noreturn]] void fail(const char* message, std::size_t pos) const {
        std::size_t line = 1;
        std::size_t column = pos + 1;
        for (std::size_t i = 0; i < pos && i < s_.size(); ++i)
            if (s_[i] == U'\n') {
                ++line;
                column = pos - i;
            }
        throw python_error(fmt::format("{}: line {} column {} (char {})", message, line, column, pos));
    }

    value scan(std::size_t idx, std::size_t& next) {
        const std::size_t n = s_.size();
        if (idx >= n) fail("Expecting value", idx);
        value v;
        switch (s_[idx]) {
            case U'"':
                v.type = value::kind::string;
                v.text = scan_string(idx + 1, next);
                return v;
            case U'{':
            case U'[': {
                const bool object = s_[idx] == U'{';
                if (depth_ >= max_depth)
                    throw python_error(std::string("maximum recursion depth exceeded while decoding a JSON ") +
                                       (object ? "object" : "array") + " from a unicode string");
                ++depth_;
                v = object ? scan_object(idx + 1, next) : scan_array(idx + 1, next);
                --depth_;
                return v;
            }
            default:
                break;
        }
        for (const auto& [word, literal] : literals())
            if (word_at(idx, word)) {
                next = idx + word.size();
                return literal;
            }
        return scan_number(idx, next);
    }

    /// The names json reads as constants: null, true, false, NaN, Infinity, -Infinity.
    static const std::vector<std::pair<std::u32string_view, value>>& literals() {
        static const auto table = [] {
            auto constant = [](value::kind type, bool flag, double number) {
                value v;
                v.type = type;
                v.flag = flag;
                v.number = number;
                return v;
            };
            constexpr double infinity = std::numeric_limits<double>::infinity();
            return std::vector<std::pair<std::u32string_view, value>>{
                {U"null", value{}},
                {U"true", constant(value::kind::boolean, true, 0)},
                {U"false", constant(value::kind::boolean, false, 0)},
                {U"NaN", constant(value::kind::floating, false, std::numeric_limits<double>::quiet_NaN())},
                {U"Infinity", constant(value::kind::floating, false, infinity)},
                {U"-Infinity", constant(value::kind::floating, false, -infinity)},
            };
        }();
        return table;
    }

    value scan_number(std::size_t start, std::size_t& next) const {
        const std::size_t n = s_.size();
        std::size_t idx = start;
        if (s_[idx] == U'-') {
            ++idx;
            if (idx >= n) fail("Expecting value", start);
        }
        if (s_[idx] >= U'1' && s_[idx] <= U'9') {
            ++idx;
            while (idx < n && is_digit(s_[idx])) ++idx;
        } else if (s_[idx] == U'0') {
            ++idx;
        } else {
            fail("Expecting value", start);
        }
        bool is_float = false;
        if (idx + 1 < n && s_[idx] == U'.' && is_digit(s_[idx + 1])) {
            is_float = true;
            idx += 2;
            while (idx < n && is_digit(s_[idx])) ++idx;
        }
        if (idx + 1 < n && (s_[idx] == U'e' || s_[idx] == U'E')) {
            const std::size_t e_start = idx;
            ++idx;
            if (idx + 1 < n && (s_[idx] == U'-' || s_[idx] == U'+')) ++idx;
            while (idx < n && is_digit(s_[idx])) ++idx;
            if (is_digit(s_[idx - 1]))
                is_float = true;
            else
                idx = e_start;
        }
        std::string text;
        for (std::size_t i = start; i < idx; ++i) text += static_cast<char>(s_[i]);
        next = idx;
        value v;
        if (is_float) {
            v.type = value::kind::floating;
            const auto result = std::from_chars(text.data(), text.data() + text.size(), v.number);
            if (result.ec != std::errc()) v.number = std::strtod(text.c_str(), nullptr);  // overflow, underflow
        } else {
            v.type = value::kind::integer;
            v.text = text == "-0" ? "0" : text;
        }
        return v;
    }

    static int hex_digit(char32_t c) {
        if (c >= U'0' && c <= U'9') return static_cast<int>(c - U'0');
        if (c >= U'a' && c <= U'f') return static_cast<int>(c - U'a' + 10);
        if (c >= U'A' && c <= U'F') return static_cast<int>(c - U'A' + 10);
        return -1;
    }

    /// The string whose opening quote is at end - 1; `next_out` is past its closing quote.
    std::string scan_string(std::size_t end, std::size_t& next_out) const {
        const std::size_t n = s_.size();
        const std::size_t begin = end - 1;
        std::string out;
        while (true) {
            std::size_t next = end;
            char32_t c = 0;
            for (; next < n; ++next) {
                c = s_[next];
                if (c == U'"' || c == U'\\') break;
                if (c <= 0x1F) fail("Invalid control character at", next);
            }
            if (next >= n) fail("Unterminated string starting at", begin);
            for (std::size_t i = end; i < next; ++i) append_utf8(out, s_[i]);
            ++next;
            if (c == U'"') {
                next_out = next;
                return out;
            }
            if (next == n) fail("Unterminated string starting at", begin);
            c = s_[next];
            if (c != U'u') {
                end = next + 1;
                switch (c) {
                    case U'"':
                    case U'\\':
                    case U'/':
                        break;
                    case U'b':
                        c = U'\b';
                        break;
                    case U'f':
                        c = U'\f';
                        break;
                    case U'n':
                        c = U'\n';
                        break;
                    case U'r':
                        c = U'\r';
                        break;
                    case U't':
                        c = U'\t';
                        break;
                    default:
                        fail("Invalid \\escape", end - 2);
                }
            } else {
                c = 0;
                ++next;
                end = next + 4;
                if (end >= n) fail("Invalid \\uXXXX escape", next - 1);
                for (; next < end; ++next) {
                    const int digit = hex_digit(s_[next]);
                    if (digit < 0) fail("Invalid \\uXXXX escape", end - 5);
                    c = (c << 4) | static_cast<char32_t>(digit);
                }
                // A high surrogate followed by an escaped low one is one character.
                if (c >= 0xD800 && c <= 0xDBFF && end + 6 < n && s_[next] == U'\\' && s_[next + 1] == U'u') {
                    next += 2;
                    char32_t low = 0;
                    end += 6;
                    for (; next < end; ++next) {
                        const int digit = hex_digit(s_[next]);
                        if (digit < 0) fail("Invalid \\uXXXX escape", end - 5);
                        low = (low << 4) | static_cast<char32_t>(digit);
                    }
                    if (low >= 0xDC00 && low <= 0xDFFF)
                        c = 0x10000 + (((c - 0xD800) << 10) | (low - 0xDC00));
                    else
                        end -= 6;
                }
            }
            append_utf8(out, c);
        }
    }

    value scan_object(std::size_t idx, std::size_t& next_out) {
        const std::size_t n = s_.size();
        value v;
        v.type = value::kind::dict;
        std::unordered_map<std::string, std::size_t> seen;
        idx = skip(idx);
        if (idx >= n || s_[idx] != U'}') {
            while (true) {
                if (idx >= n || s_[idx] != U'"') fail("Expecting property name enclosed in double quotes", idx);
                std::size_t next = 0;
                std::string key = scan_string(idx + 1, next);
                idx = skip(next);
                if (idx >= n || s_[idx] != U':') fail("Expecting ':' delimiter", idx);
                idx = skip(idx + 1);
                value item = scan(idx, next);
                // A repeated key keeps its first place and its last value, as in a dict.
                const auto [at, inserted] = seen.emplace(key, v.keys.size());
                if (inserted) {
                    v.keys.push_back(std::move(key));
                    v.items.push_back(std::move(item));
                } else {
                    v.items[at->second] = std::move(item);
                }
                idx = skip(next);
                if (idx < n && s_[idx] == U'}') break;
                if (idx >= n || s_[idx] != U',') fail("Expecting ',' delimiter", idx);
                idx = skip(idx + 1);
            }
        }
        next_out = idx + 1;
        return v;
    }

    value scan_array(std::size_t idx, std::size_t& next_out) {
        const std::size_t n = s_.size();
        value v;
        v.type = value::kind::list;
        idx = skip(idx);
        if (idx >= n || s_[idx] != U']') {
            while (true) {
                std::size_t next = 0;
                v.items.push_back(scan(idx, next));
                idx = skip(next);
                if (idx < n && s_[idx] == U']') break;
                if (idx >= n || s_[idx] != U',') fail("Expecting ',' delimiter", idx);
                idx = skip(idx + 1);
            }
        }
        next_out = idx + 1;
        return v;
    }

    std::u32string s_;
    int depth_ = 0;
};

/// Whether Python's str.isprintable() holds, for the code points that
/// matter in practice (controls, separators, format characters,
/// surrogates, private use, non-characters).
inline bool is_printable(char32_t c) {
    if (c < 0x20 || (c >= 0x7F && c <= 0xA0) || c == 0xAD) return false;
    if (c < 0x0600) return true;
    if ((c >= 0x0600 && c <= 0x0605) || c == 0x061C || c == 0x06DD || c == 0x070F || c == 0x180E || c == 0x1680)
        return false;
    if ((c >= 0x2000 && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F) || (c >= 0x205F && c <= 0x206F) || c == 0x3000)
        return false;
    if ((c >= 0xD800 && c <= 0xF8FF) || (c >= 0xFDD0 && c <= 0xFDEF) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB))
        return false;
    if ((c & 0xFFFE) == 0xFFFE || (c >= 0x323B0 && c <= 0xE00FF) || c >= 0xE01F0) return false;  // unassigned
    return c <= 0x10FFFF;
}

/// Python's repr() of a str.
inline std::string repr_string(std::string_view utf8) {
    static constexpr char hex[] = "0123456789abcdef";
    const auto code_points = decode_utf8(utf8, true);
    const bool has_single = code_points.find(U'\'') != std::u32string::npos;
    const bool has_double = code_points.find(U'"') != std::u32string::npos;
    const char32_t quote = has_single && !has_double ? U'"' : U'\'';
    std::string out;
    out += static_cast<char>(quote);
    for (char32_t c : code_points) {
        if (c == quote || c == U'\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c == U'\t') {
            out += "\\t";
        } else if (c == U'\n') {
            out += "\\n";
        } else if (c == U'\r') {
            out += "\\r";
        } else if (!is_printable(c)) {
            const int digits = c < 0x100 ? 2 : c < 0x10000 ? 4 : 8;
            out += c < 0x100 ? "\\x" : c < 0x10000 ? "\\u" : "\\U";
            for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += hex[(c >> shift) & 0xF];
        } else {
            append_utf8(out, c);
        }
    }
    out += static_cast<char>(quote);
    return out;
}

/// Python's repr() of a float: the shortest text that reads back, in fixed
/// notation for exponents -4..15, else d.ddde+XX.
inline std::string repr_float(double x) {
    if (std::isnan(x)) return "nan";
    if (std::isinf(x)) return x < 0 ? "-inf" : "inf";
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, x, std::chars_format::scientific);
    const std::string text(buffer, result.ptr);
    const auto e = text.find('e');
    std::string mantissa = text.substr(0, e);
    const int exponent = std::atoi(text.c_str() + e + 1);
    std::string sign;
    if (!mantissa.empty() && mantissa[0] == '-') {
        sign = "-";
        mantissa.erase(0, 1);
    }
    std::string digits;
    for (char c : mantissa)
        if (c != '.') digits += c;
    if (exponent >= -4 && exponent < 16) {
        if (exponent < 0) return sign + "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
        const auto whole = static_cast<std::size_t>(exponent) + 1;
        if (digits.size() <= whole) return sign + digits + std::string(whole - digits.size(), '0') + ".0";
        return sign + digits.substr(0, whole) + "." + digits.substr(whole);
    }
    std::string out = sign + digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    out += exponent < 0 ? "e-" : "e+";
    const int magnitude = exponent < 0 ? -exponent : exponent;
    if (magnitude < 10) out += '0';
    out += std::to_string(magnitude);
    return out;
}

inline std::string repr(const value& v);

/// Python's str() of a value.
inline std::string str(const value& v) {
    switch (v.type) {
        case value::kind::none:
            return "None";
        case value::kind::boolean:
            return v.flag ? "True" : "False";
        case value::kind::integer:
            return v.text;
        case value::kind::floating:
            return repr_float(v.number);
        case value::kind::string:
            return v.text;
        case value::kind::list:
        case value::kind::dict:
            return repr(v);
    }
    return {};
}

/// Python's repr() of a value.
inline std::string repr(const value& v) {
    if (v.type == value::kind::string) return repr_string(v.text);
    if (v.type == value::kind::list) {
        std::string out = "[";
        for (std::size_t i = 0; i < v.items.size(); ++i) {
            if (i != 0) out += ", ";
            out += repr(v.items[i]);
        }
        return out + "]";
    }
    if (v.type == value::kind::dict) {
        std::string out = "{";
        for (std::size_t i = 0; i < v.items.size(); ++i) {
            if (i != 0) out += ", ";
            out += repr_string(v.keys[i]) + ": " + repr(v.items[i]);
        }
        return out + "}";
    }
    return str(v);
}

/// A Python int of any size: `text` is its decimal form; `small` holds it
/// when it has at most 18 digits.
struct integer {
    std::string text = "0";
    std::optional<std::int64_t> small = 0;

    static integer from_digits(bool negative, std::string_view digits) {
        while (digits.size() > 1 && digits[0] == '0') digits.remove_prefix(1);
        integer i;
        i.text = (negative && digits != "0" ? "-" : "") + std::string(digits);
        if (digits.size() <= 18) {
            std::int64_t magnitude = 0;
            for (char c : digits) magnitude = magnitude * 10 + (c - '0');
            i.small = negative ? -magnitude : magnitude;
        } else {
            i.small.reset();
        }
        return i;
    }
    bool negative() const { return text[0] == '-'; }
    /// *this < bound, for any size of *this.
    bool less_than(std::int64_t bound) const { return small ? *small < bound : negative(); }
    bool fits_int() const {
        return small && *small >= std::numeric_limits<int>::min() && *small <= std::numeric_limits<int>::max();
    }
    /// Python's ordering of ints.
    friend bool operator<(const integer& a, const integer& b) {
        if (a.small && b.small) return *a.small < *b.small;
        if (a.negative() != b.negative()) return a.negative();
        const bool longer = a.text.size() != b.text.size() ? a.text.size() > b.text.size() : a.text > b.text;
        const bool equal = a.text == b.text;
        // Same sign: a longer magnitude is larger when positive, smaller when negative.
        return !equal && (a.negative() ? longer : !longer);
    }
};

inline bool is_python_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/// Python's int() of a value; throws python_error with its ValueError or TypeError.
inline integer to_int(const value& v) {
    switch (v.type) {
        case value::kind::boolean:
            return integer::from_digits(false, v.flag ? "1" : "0");
        case value::kind::integer:
            return v.text[0] == '-' ? integer::from_digits(true, std::string_view(v.text).substr(1))
                                    : integer::from_digits(false, v.text);
        case value::kind::floating: {
            if (std::isnan(v.number)) throw python_error("cannot convert float NaN to integer");
            if (std::isinf(v.number)) throw python_error("cannot convert float infinity to integer");
            char buffer[400];
            std::snprintf(buffer, sizeof buffer, "%.0f", std::fabs(std::trunc(v.number)));
            return integer::from_digits(v.number < 0, buffer);
        }
        case value::kind::string: {
            std::string_view t = v.text;
            while (!t.empty() && is_python_space(t.front())) t.remove_prefix(1);
            while (!t.empty() && is_python_space(t.back())) t.remove_suffix(1);
            bool negative = false;
            if (!t.empty() && (t[0] == '+' || t[0] == '-')) {
                negative = t[0] == '-';
                t.remove_prefix(1);
            }
            // Digits, with single underscores between them.
            bool valid = !t.empty() && t.front() != '_' && t.back() != '_';
            std::string digits;
            for (std::size_t i = 0; valid && i < t.size(); ++i) {
                if (t[i] >= '0' && t[i] <= '9')
                    digits += t[i];
                else if (t[i] != '_' || t[i - 1] == '_')
                    valid = false;
            }
            if (!valid) throw python_error("invalid literal for int() with base 10: " + repr_string(v.text));
            return integer::from_digits(negative, digits);
        }
        case value::kind::none:
        case value::kind::list:
        case value::kind::dict:
            break;
    }
    throw python_error(std::string("int() argument must be a string, a bytes-like object or a real number, "
                                   "not '") +
                       type_name(v) + "'");
}

/// str() text inside a message: as Python prints it, but a NUL is shown as
/// \x00, so that what() (a C string) is not cut short.
inline std::string shown(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '\0')
            out += "\\x00";
        else
            out += c;
    }
    return out;
}

/// Python's truth value.
inline bool truthy(const value& v) {
    switch (v.type) {
        case value::kind::none:
            return false;
        case value::kind::boolean:
            return v.flag;
        case value::kind::integer:
            return v.text != "0";
        case value::kind::floating:
            return v.number != 0;
        case value::kind::string:
            return !v.text.empty();
        case value::kind::list:
        case value::kind::dict:
            return !v.items.empty();
    }
    return false;
}

}  // namespace pyjson
}  // namespace detail
TRAINSPEC_END_NAMESPACE
