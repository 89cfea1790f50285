#pragma once
// The consumer side of TF_CONFIG: read it the way TensorFlow reads it, and
// reject what the TensorFlow API that will read it would reject, in
// TensorFlow's own words (so that a message can be searched for), prefixed
// with the field it is about.
//
//   * The text is decoded like Python's json.loads: a syntax error carries
//     json's message with line, column and character offset ("Expecting
//     value: line 1 column 1 (char 0)"); a duplicate key keeps the last
//     value; NaN and Infinity are numbers.
//   * The cluster is built like tf.train.ClusterSpec: a job is a list of
//     addresses or a dictionary from integers (int() of the key) to
//     addresses; jobs are sorted by name, tasks by index.
//   * The task is read like TFConfigClusterResolver: the type with str(),
//     the index with int() (so "1" is 1).
//   * Then the rules of the consumer: tf.estimator.RunConfig, the TF2
//     strategies (multi_worker_util's checks, then the strategy's own), or,
//     for custom code, only that the task is a task of the cluster.
//
// Checks run in TensorFlow's order and the first failure is thrown, as
// TensorFlow raises it. Python's int() reads ASCII digits only (not other
// Unicode digits); repr() escapes the non-printable characters that occur in
// practice (controls, separators, format characters, surrogates, private
// use), not every unassigned code point. json nests at most 500 levels here
// (Python stops near 1000).

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/error.hpp>
#include <trainspec/spec/tf_config_options.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// A TF_CONFIG that TensorFlow would reject. message() is TensorFlow's
/// wording (or Python's, where TensorFlow lets a Python error through);
/// field() says where: `$` (the document), `cluster`, `cluster.worker`,
/// `cluster.worker[1]`, `task.type`, `task.index`, ... what() is
/// `field: message`, or the message alone when there is no field.
class tf_config_error : public error {
public:
    explicit tf_config_error(std::string message) : tf_config_error(std::string(), std::move(message)) {}
    tf_config_error(std::string field, std::string message)
        : error(field.empty() ? message : field + ": " + message, {{field.empty() ? "TF_CONFIG" : field, "", message}}),
          field_(std::move(field)),
          message_(std::move(message)) {}

    const std::string& field() const noexcept { return field_; }
    const std::string& message() const noexcept { return message_; }

private:
    std::string field_;
    std::string message_;
};

namespace detail {
namespace pyjson {

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
        throw tf_config_error("$", fmt::format("{}: line {} column {} (char {})", message, line, column, pos));
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
                    throw tf_config_error("$", std::string("maximum recursion depth exceeded while decoding a JSON ") +
                                                   (object ? "object" : "array") + " from a unicode string");
                ++depth_;
                v = object ? scan_object(idx + 1, next) : scan_array(idx + 1, next);
                --depth_;
                return v;
            }
            case U'n':
                if (idx + 3 < n && word_at(idx + 1, U"ull")) {
                    next = idx + 4;
                    return v;
                }
                break;
            case U't':
                if (idx + 3 < n && word_at(idx + 1, U"rue")) {
                    v.type = value::kind::boolean;
                    v.flag = true;
                    next = idx + 4;
                    return v;
                }
                break;
            case U'f':
                if (idx + 4 < n && word_at(idx + 1, U"alse")) {
                    v.type = value::kind::boolean;
                    next = idx + 5;
                    return v;
                }
                break;
            case U'N':
                if (idx + 2 < n && word_at(idx + 1, U"aN")) {
                    v.type = value::kind::floating;
                    v.number = std::numeric_limits<double>::quiet_NaN();
                    next = idx + 3;
                    return v;
                }
                break;
            case U'I':
                if (idx + 7 < n && word_at(idx + 1, U"nfinity")) {
                    v.type = value::kind::floating;
                    v.number = std::numeric_limits<double>::infinity();
                    next = idx + 8;
                    return v;
                }
                break;
            case U'-':
                if (idx + 8 < n && word_at(idx + 1, U"Infinity")) {
                    v.type = value::kind::floating;
                    v.number = -std::numeric_limits<double>::infinity();
                    next = idx + 9;
                    return v;
                }
                break;
            default:
                break;
        }
        return scan_number(idx, next);
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

/// Python's int() of a value; throws tf_config_error(field, Python's message).
inline integer to_int(const value& v, const std::string& field) {
    switch (v.type) {
        case value::kind::boolean:
            return integer::from_digits(false, v.flag ? "1" : "0");
        case value::kind::integer:
            return v.text[0] == '-' ? integer::from_digits(true, std::string_view(v.text).substr(1))
                                    : integer::from_digits(false, v.text);
        case value::kind::floating: {
            if (std::isnan(v.number)) throw tf_config_error(field, "cannot convert float NaN to integer");
            if (std::isinf(v.number)) throw tf_config_error(field, "cannot convert float infinity to integer");
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
            if (!valid) throw tf_config_error(field, "invalid literal for int() with base 10: " + repr_string(v.text));
            return integer::from_digits(negative, digits);
        }
        case value::kind::none:
        case value::kind::list:
        case value::kind::dict:
            break;
    }
    throw tf_config_error(field, std::string("int() argument must be a string, a bytes-like object or a real number, "
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

/// `cluster.worker`, or `cluster["my job"]` for a name that is not a plain word.
inline std::string tf_job_field(std::string_view job) {
    const bool plain =
        !job.empty() && !(job[0] >= '0' && job[0] <= '9') && std::all_of(job.begin(), job.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        });
    return plain ? "cluster." + std::string(job) : "cluster[" + quote_json(job) + "]";
}

}  // namespace detail

/// The cluster as tf.train.ClusterSpec holds it: jobs sorted by name, each
/// a map from task index to address. A job written as a list has the
/// indices 0..n-1 (dense); one written as a dictionary may have any
/// (sparse), as Kubeflow's enableDynamicWorker form has.
class tf_cluster_spec {
public:
    using job_map = std::map<int, std::string>;
    using cluster_map = std::map<std::string, job_map, std::less<>>;

    tf_cluster_spec() = default;
    explicit tf_cluster_spec(cluster_map jobs) : jobs_(std::move(jobs)) {}

    /// No jobs at all (a ClusterSpec that is false).
    bool empty() const noexcept { return jobs_.empty(); }

    /// The job names, sorted.
    std::vector<std::string> jobs() const {
        std::vector<std::string> names;
        names.reserve(jobs_.size());
        for (const auto& job : jobs_) names.push_back(job.first);
        return names;
    }

    bool has_job(std::string_view job) const { return jobs_.find(job) != jobs_.end(); }

    /// Throws tf_config_error "No such job in cluster: 'x'".
    int num_tasks(std::string_view job) const { return static_cast<int>(tasks(job).size()); }

    /// 0 for a job the cluster does not have.
    int count(std::string_view job) const {
        const auto found = jobs_.find(job);
        return found == jobs_.end() ? 0 : static_cast<int>(found->second.size());
    }

    /// The job's task indices, sorted. Throws tf_config_error "No such job in cluster: 'x'".
    std::vector<int> task_indices(std::string_view job) const {
        std::vector<int> indices;
        for (const auto& task : tasks(job)) indices.push_back(task.first);
        return indices;
    }

    /// Throws tf_config_error "No such job in cluster: 'x'" or
    /// "No task with index 3 in job 'worker'".
    const std::string& task_address(std::string_view job, int index) const {
        const auto& job_tasks = tasks(job);
        const auto found = job_tasks.find(index);
        if (found == job_tasks.end())
            throw tf_config_error(
                fmt::format("No task with index {} in job {}", index, detail::pyjson::repr_string(job)));
        return found->second;
    }

    /// The job's tasks, index -> address. Throws tf_config_error "No such job in cluster: 'x'".
    const job_map& tasks(std::string_view job) const {
        const auto found = jobs_.find(job);
        if (found == jobs_.end()) throw tf_config_error("No such job in cluster: " + detail::pyjson::repr_string(job));
        return found->second;
    }

    /// Whether the job's indices are 0..n-1, n > 0: as_dict() gives it as a
    /// list (an empty job is given as {}). Throws like tasks().
    bool is_dense(std::string_view job) const {
        const auto& job_tasks = tasks(job);
        return !job_tasks.empty() && job_tasks.begin()->first == 0 &&
               job_tasks.rbegin()->first == static_cast<int>(job_tasks.size()) - 1;
    }

    /// Every job with its tasks.
    const cluster_map& as_dict() const noexcept { return jobs_; }

    /// The cluster as compact JSON, in the shape of ClusterSpec.as_dict():
    /// a dense job as an array, any other as an object keyed by index.
    std::string to_json() const {
        std::string out = "{";
        for (const auto& [name, job_tasks] : jobs_) {
            if (out.size() > 1) out += ',';
            out += detail::quote_json(name);
            const bool dense = is_dense(name);
            out += dense ? ":[" : ":{";
            bool first = true;
            for (const auto& [index, address] : job_tasks) {
                if (!first) out += ',';
                first = false;
                if (!dense) out += "\"" + std::to_string(index) + "\":";
                out += detail::quote_json(address);
            }
            out += dense ? "]" : "}";
        }
        return out + "}";
    }

    /// str(ClusterSpec): "ClusterSpec({'ps': ['h:2222'], 'worker': {1: 'h:2223'}})".
    std::string str() const {
        std::string out = "ClusterSpec({";
        bool first_job = true;
        for (const auto& [name, job_tasks] : jobs_) {
            if (!first_job) out += ", ";
            first_job = false;
            out += detail::pyjson::repr_string(name) + ": ";
            const bool dense = is_dense(name);
            out += dense ? "[" : "{";
            bool first = true;
            for (const auto& [index, address] : job_tasks) {
                if (!first) out += ", ";
                first = false;
                if (!dense) out += std::to_string(index) + ": ";
                out += detail::pyjson::repr_string(address);
            }
            out += dense ? "]" : "}";
        }
        return out + "})";
    }

    friend bool operator==(const tf_cluster_spec& a, const tf_cluster_spec& b) { return a.jobs_ == b.jobs_; }
    friend bool operator!=(const tf_cluster_spec& a, const tf_cluster_spec& b) { return !(a == b); }

private:
    cluster_map jobs_;
};

/// A TF_CONFIG as TensorFlow reads it.
struct parsed_tf_config {
    tf_cluster_spec cluster;
    std::string task_type;          ///< str(task.type); "" when absent
    std::optional<int> task_index;  ///< int(task.index)
    std::optional<std::string> rpc_layer, session_master, environment;

    /// multi_worker_util.is_chief: the chief; worker 0 when the cluster has
    /// no chief; the evaluator is its own chief. A `master` (tf.estimator's
    /// legacy name for the chief) is the chief when there is no `chief` job,
    /// and then worker 0 is not. A task of an empty cluster (one local
    /// process) is the chief.
    bool is_chief() const {
        if (task_type == "chief" || task_type == "evaluator") return true;
        const bool has_chief = cluster.has_job("chief");
        if (task_type == "master") return !has_chief;
        if (task_type == "worker" && task_index == 0) return !has_chief && !cluster.has_job("master");
        return cluster.empty() && task_type.empty();
    }

    /// Workers that train: chief + worker (+ master), as RunConfig counts
    /// num_worker_replicas.
    int num_workers() const { return cluster.count("chief") + cluster.count("worker") + cluster.count("master"); }

    int num_ps() const { return cluster.count("ps"); }

    /// TFConfigClusterResolver.master(): session_master when set; "" for an
    /// empty cluster or one of a single task; else this task's address,
    /// prefixed with "<rpc_layer>://" when an rpc layer is set. Throws like
    /// task_address() when the task is not in the cluster.
    std::string master() const {
        if (session_master) return *session_master;
        const auto& jobs = cluster.as_dict();
        if (jobs.empty()) return "";
        // len(job_tasks(job)) == 1: the highest index is 0.
        if (jobs.size() == 1) {
            const auto& only = jobs.begin()->second;
            if (!only.empty() && only.rbegin()->first == 0) return "";
        }
        const std::string& address = task_address();
        return rpc_layer && !rpc_layer->empty() ? *rpc_layer + "://" + address : address;
    }

    /// This task's address. Throws tf_config_error "No such job in cluster:
    /// ..." or "No task with index ... in job ..." (an evaluator that is not
    /// part of the cluster has none).
    std::string task_address() const {
        if (task_type.empty()) throw tf_config_error("No such job in cluster: None");
        if (!task_index) {
            cluster.tasks(task_type);
            throw tf_config_error("No task with index None in job " + detail::pyjson::repr_string(task_type));
        }
        return cluster.task_address(task_type, *task_index);
    }
};

namespace detail {

/// Reads one TF_CONFIG document for one consumer.
class tf_config_reader {
    using value = pyjson::value;

public:
    explicit tf_config_reader(tf_consumer consumer) : consumer_(consumer) {}

    parsed_tf_config read(std::string_view text) {
        // RunConfig reads `os.environ.get('TF_CONFIG') or '{}'`; the resolver
        // behind the TF2 strategies hands an empty text to json.loads.
        if (text.empty() && consumer_ == tf_consumer::estimator) text = "{}";
        const value doc = pyjson::reader(text).read();
        if (doc.type != value::kind::dict)
            throw tf_config_error("$", std::string("TF_CONFIG must be a JSON object with \"cluster\" and \"task\", "
                                                   "not ") +
                                           pyjson::json_kind(doc));
        if (doc.find("sparseCluster"))
            throw tf_config_error(
                "sparseCluster",
                "TensorFlow does not read \"sparseCluster\" (the key Kubeflow training operator releases before 1.7 "
                "wrote for enableDynamicWorker): it sees no cluster at all; the sparse form belongs under "
                "\"cluster\"");
        parsed_tf_config out;
        out.environment = optional_string(doc, "environment", "such as \"cloud\"");
        if (out.environment && *out.environment == "google")
            throw tf_config_error(
                "environment",
                "\"google\" has a special meaning inside TensorFlow (Google's own infrastructure starts the "
                "servers): tf.estimator and the distribute coordinator then start no in-process server and the "
                "tasks never connect; launchers write \"cloud\"");
        out.rpc_layer = optional_string(doc, "rpc_layer", "such as \"grpc\"");
        out.session_master = optional_string(doc, "session_master", "such as \"grpc://host:2222\"");

        static const value no_task = [] {
            value v;
            v.type = value::kind::dict;
            return v;
        }();
        const value* task = doc.find("task");
        if (!task) task = &no_task;
        if (task->type != value::kind::dict)
            throw tf_config_error("task", std::string("must be an object such as {\"type\": \"worker\", \"index\": "
                                                      "0}, not ") +
                                              pyjson::json_kind(*task));
        raw_type_ = task->find("type");
        raw_index_ = task->find("index");

        if (consumer_ == tf_consumer::estimator) {
            if (const value* service = doc.find("service");
                service && service->type != value::kind::none && service->type != value::kind::dict)
                throw tf_config_error("service", std::string("If \"service\" is set in TF_CONFIG, it must be a dict. "
                                                             "Given <class '") +
                                                     pyjson::type_name(*service) + "'>");
        }
        cluster_ = read_cluster(doc.find("cluster"));

        if (consumer_ == tf_consumer::estimator) check_estimator();
        // TFConfigClusterResolver.task_type / task_id.
        if (raw_type_) type_ = pyjson::str(*raw_type_);
        if (raw_index_) index_ = pyjson::to_int(*raw_index_, "task.index");
        switch (consumer_) {
            case tf_consumer::custom:
                check_custom();
                break;
            case tf_consumer::estimator:
                break;
            case tf_consumer::parameter_server_strategy:
                check_parameter_server_strategy();
                break;
            case tf_consumer::multi_worker_mirrored_strategy:
                check_multi_worker_mirrored_strategy();
                break;
        }

        out.cluster = std::move(cluster_);
        out.task_type = type_.value_or("");
        if (index_) {
            if (!index_->fits_int())
                throw tf_config_error("task.index", index_->text + " does not fit a task index (at most " +
                                                        std::to_string(std::numeric_limits<int>::max()) + ")");
            out.task_index = static_cast<int>(*index_->small);
        }
        return out;
    }

private:
    static std::optional<std::string> optional_string(const value& doc, const char* key, const char* example) {
        const value* v = doc.find(key);
        if (!v || v->type == value::kind::none) return std::nullopt;
        if (v->type != value::kind::string)
            throw tf_config_error(key, std::string("must be a string ") + example + ", not " + pyjson::json_kind(*v));
        return v->text;
    }

    /// tf.train.ClusterSpec(cluster): the job values in the document's
    /// order, then the addresses job by job (sorted) and task by task.
    static tf_cluster_spec read_cluster(const value* cluster) {
        if (!cluster) return {};
        if (cluster->type != value::kind::dict)
            throw tf_config_error("cluster",
                                  "`cluster` must be a dictionary mapping one or more job names to lists of network "
                                  "addresses, or a `ClusterDef` protocol buffer");
        struct pending {
            pyjson::integer index;
            std::string field;
            const value* address;
        };
        std::map<std::string, std::vector<pending>> jobs;
        for (std::size_t j = 0; j < cluster->keys.size(); ++j) {
            const std::string& name = cluster->keys[j];
            const value& tasks = cluster->items[j];
            const std::string field = tf_job_field(name);
            auto& list = jobs[name];
            if (tasks.type == value::kind::list) {
                for (std::size_t i = 0; i < tasks.items.size(); ++i)
                    list.push_back({pyjson::integer::from_digits(false, std::to_string(i)),
                                    field + "[" + std::to_string(i) + "]", &tasks.items[i]});
            } else if (tasks.type == value::kind::dict) {
                for (std::size_t i = 0; i < tasks.keys.size(); ++i) {
                    const std::string key_field = field + "[" + quote_json(tasks.keys[i]) + "]";
                    value key;
                    key.type = value::kind::string;
                    key.text = tasks.keys[i];
                    pyjson::integer index;
                    try {
                        index = pyjson::to_int(key, key_field);
                    } catch (const tf_config_error& e) {
                        throw tf_config_error(key_field, e.message() + " (The tasks for job " +
                                                             pyjson::repr_string(name) +
                                                             " must be a list or a dictionary from integers to "
                                                             "strings.)");
                    }
                    // {int(i): task ...}: a repeated index keeps the last address.
                    const auto same = std::find_if(list.begin(), list.end(),
                                                   [&](const pending& p) { return p.index.text == index.text; });
                    if (same != list.end())
                        *same = {std::move(index), key_field, &tasks.items[i]};
                    else
                        list.push_back({std::move(index), key_field, &tasks.items[i]});
                }
            } else {
                throw tf_config_error(field, "The tasks for job " + pyjson::repr_string(name) +
                                                 " must be a list or a dictionary from integers to strings.");
            }
        }
        tf_cluster_spec::cluster_map out;
        for (auto& [name, list] : jobs) {
            std::sort(list.begin(), list.end(), [](const pending& a, const pending& b) { return a.index < b.index; });
            auto& job = out[name];
            for (const auto& task : list) {
                if (task.address->type != value::kind::string)
                    throw tf_config_error(task.field,
                                          "Task address " + pyjson::repr(*task.address) + " must be bytes or unicode");
                // The indices of a ClusterDef are int32.
                if (!task.index.fits_int()) throw tf_config_error(task.field, "Value out of range: " + task.index.text);
                job.emplace(static_cast<int>(*task.index.small), task.address->text);
            }
        }
        return tf_cluster_spec(std::move(out));
    }

    std::string repr_type() const { return pyjson::repr_string(*type_); }

    /// For code that builds its own tf.train.ClusterSpec and Server: the
    /// task must be one of the cluster (task_address() must find it); an
    /// evaluator may run outside it. An empty cluster is a local run.
    void check_custom() const {
        if (cluster_.empty() || !type_ || *type_ == "evaluator") return;
        if (!cluster_.has_job(*type_)) throw tf_config_error("task.type", "No such job in cluster: " + repr_type());
        if (!index_) return;
        const auto& tasks = cluster_.tasks(*type_);
        if (!index_->fits_int() || tasks.find(static_cast<int>(*index_->small)) == tasks.end())
            throw tf_config_error("task.index", "No task with index " + index_->text + " in job " + repr_type());
    }

    /// multi_worker_util._validate_cluster_spec(cluster, task_type, task_id).
    void validate_tf2_cluster(const pyjson::integer* task_id) const {
        static const char* const allowed[] = {"chief", "worker", "evaluator", "ps"};
        static const char* const allowed_text = "('chief', 'worker', 'evaluator', 'ps', None)";
        auto is_allowed = [](const std::string& name) {
            return std::any_of(std::begin(allowed), std::end(allowed), [&](const char* a) { return name == a; });
        };
        for (const auto& job : cluster_.as_dict())
            if (!is_allowed(job.first))
                throw tf_config_error(tf_job_field(job.first),
                                      fmt::format("Disallowed task type found in cluster spec. Allowed types are {} "
                                                  "and the cluster spec is {}.",
                                                  allowed_text, cluster_.str()));
        if (type_ && !is_allowed(*type_))
            throw tf_config_error("task.type", fmt::format("Unrecognized task_type: {}, valid task types are: {}",
                                                           pyjson::shown(*type_), allowed_text));
        if (type_ && !type_->empty() && !cluster_.has_job(*type_) && *type_ != "evaluator")
            throw tf_config_error("task.type", "`task_type` " + repr_type() + " not found in cluster_spec.");
        if (cluster_.count("chief") > 1)
            throw tf_config_error("cluster.chief", "There must be at most one 'chief' job.");
        if (cluster_.count("evaluator") > 1)
            throw tf_config_error("cluster.evaluator", "There must be at most one 'evaluator' job.");
        if (type_ && cluster_.has_job(*type_)) {
            if (!task_id)
                throw tf_config_error("task.index",
                                      "is not set ('>=' not supported between instances of 'NoneType' and 'int')");
            if (!task_id->less_than(cluster_.count(*type_)))
                throw tf_config_error("task.index", "The `task_id` " + task_id->text + " exceeds the maximum id of " +
                                                        pyjson::shown(*type_) + ".");
        }
    }

    /// tf.distribute.experimental.ParameterServerStrategy (TF2):
    /// _verify_args_and_config, then the coordinator, which runs as "chief".
    void check_parameter_server_strategy() const {
        if (cluster_.empty())
            throw tf_config_error(
                "cluster", "Cluster spec must be non-empty in `tf.distribute.cluster_resolver.ClusterResolver`.");
        validate_tf2_cluster(index_ ? &*index_ : nullptr);
        if (cluster_.count("ps") < 1) throw tf_config_error("cluster.ps", "There must be at least one ps.");
        if (cluster_.count("worker") < 1) throw tf_config_error("cluster.worker", "There must be at least one worker.");
        if (!cluster_.has_job("chief"))
            throw tf_config_error("cluster.chief",
                                  "ParameterServerStrategy runs its coordinator as the 'chief' task: the cluster needs "
                                  "one 'chief' job");
    }

    /// tf.distribute.MultiWorkerMirroredStrategy: an empty cluster is a local
    /// run; else _initialize_multi_worker (id_in_cluster, worker_count).
    void check_multi_worker_mirrored_strategy() const {
        if (cluster_.empty()) return;
        if (!type_ || !index_)
            throw tf_config_error("task",
                                  "When `cluster_spec` is given, you must also specify `task_type` and `task_id`.");
        validate_tf2_cluster(&*index_);
        if (*type_ != "chief" && *type_ != "worker" && *type_ != "evaluator")
            throw tf_config_error("task.type", "There is no id for task_type " + repr_type());
        const pyjson::integer zero;
        validate_tf2_cluster(&zero);
        if (*type_ != "evaluator" && cluster_.count("chief") + cluster_.count("worker") == 0)
            throw tf_config_error("cluster",
                                  "No `worker`, `chief` or `evaluator` tasks can be found in `cluster_spec`.");
        if (cluster_.has_job("ps"))
            throw tf_config_error("cluster.ps",
                                  "MultiWorkerMirroredStrategy has no parameter servers: the cluster must not have a "
                                  "'ps' job");
    }

    static bool is_string(const value* v, std::string_view text) {
        return v && v->type == value::kind::string && v->text == text;
    }

    /// tf.estimator.RunConfig: _init_distributed_setting_from_environment_var.
    void check_estimator() const {
        if (cluster_.empty()) {
            // Local mode: task type defaults to worker, index to 0.
            const pyjson::integer index = raw_index_ ? pyjson::to_int(*raw_index_, "task.index") : pyjson::integer{};
            if (raw_type_ && !is_string(raw_type_, "worker"))
                throw tf_config_error("task.type", "If \"cluster\" is not set in TF_CONFIG, task type must be WORKER.");
            if (index.text != "0")
                throw tf_config_error("task.index", "If \"cluster\" is not set in TF_CONFIG, task index must be 0.");
            return;
        }
        if (cluster_.has_job("master")) {
            // The legacy cluster with a master instead of a chief.
            if (cluster_.has_job("chief"))
                throw tf_config_error("cluster.chief",
                                      "If `master` node exists in `cluster`, job `chief` is not "
                                      "supported.");
            check_estimator_task("master");
            if (is_string(raw_type_, "evaluator"))
                throw tf_config_error("task.type",
                                      "If `master` node exists in `cluster`, task_type `evaluator` is not "
                                      "supported.");
            return;
        }
        check_estimator_task("chief");
    }

    /// run_config._validate_task_type_and_task_id.
    void check_estimator_task(const char* chief) const {
        const auto chief_field = tf_job_field(chief);
        if (!cluster_.has_job(chief) || cluster_.tasks(chief).empty())
            throw tf_config_error(
                chief_field, fmt::format("If \"cluster\" is set in TF_CONFIG, it must have one \"{}\" node.", chief));
        if (cluster_.tasks(chief).rbegin()->first > 0)  // len(job_tasks(chief)) > 1: highest index + 1
            throw tf_config_error(chief_field,
                                  fmt::format("The \"cluster\" in TF_CONFIG must have only one \"{}\" node.", chief));
        if (!raw_type_ || !pyjson::truthy(*raw_type_))
            throw tf_config_error("task.type", "If \"cluster\" is set in TF_CONFIG, task type must be set.");
        if (!raw_index_ || raw_index_->type == value::kind::none)
            throw tf_config_error("task.index", "If \"cluster\" is set in TF_CONFIG, task index must be set.");
        const auto index = pyjson::to_int(*raw_index_, "task.index");
        if (index.less_than(0)) throw tf_config_error("task.index", "Task index must be non-negative number.");
        // The evaluator is not part of the training cluster: no upper bound.
        if (is_string(raw_type_, "evaluator")) return;
        const std::string type = pyjson::str(*raw_type_);
        const std::string note = "\n\nNote that these values may be coming from the TF_CONFIG environment variable.";
        if (raw_type_->type != value::kind::string || !cluster_.has_job(type))
            throw tf_config_error("task.type", fmt::format("{} is not a valid task_type in the cluster_spec:\n{}{}",
                                                           pyjson::shown(type), cluster_.str(), note));
        const auto& tasks = cluster_.tasks(type);
        const std::int64_t size = tasks.empty() ? 0 : std::int64_t{tasks.rbegin()->first} + 1;  // len(job_tasks(type))
        if (!index.less_than(size))
            throw tf_config_error("task.index",
                                  fmt::format("{} is not a valid task_id for task_type {} in the cluster_spec:\n{}{}",
                                              index.text, pyjson::shown(type), cluster_.str(), note));
    }

    tf_consumer consumer_;
    tf_cluster_spec cluster_;
    const value* raw_type_ = nullptr;
    const value* raw_index_ = nullptr;
    std::optional<std::string> type_;
    std::optional<pyjson::integer> index_;
};

}  // namespace detail

/// Reads a TF_CONFIG text with TensorFlow's rules, and those of `consumer`
/// (the TensorFlow API that will read it). Throws tf_config_error with
/// TensorFlow's message at the first check that fails.
inline parsed_tf_config parse_tf_config(std::string_view text, tf_consumer consumer = tf_consumer::custom) {
    return detail::tf_config_reader(consumer).read(text);
}

/// Reads the environment variable TF_CONFIG. Missing or empty: throws
/// tf_config_error("TF_CONFIG not found.").
inline parsed_tf_config tf_config_from_env(tf_consumer consumer = tf_consumer::custom) {
    const char* text = std::getenv("TF_CONFIG");
    if (text == nullptr || *text == '\0') throw tf_config_error("TF_CONFIG not found.");
    return parse_tf_config(text, consumer);
}

TRAINSPEC_END_NAMESPACE
