#pragma once
// PEP 508 dependency specifiers, read the way pip reads them (the tokens
// and grammar of pypa/packaging's parser, Python's \s and case folding
// included), so that a pip_packages entry is a requirement: never a pip
// option, an index or a URL. docs/spec.md (pip_packages) says what is
// refused and why; tests/pep508 compares every verdict with packaging's.

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <trainspec/spec/names.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

enum class requirement_verdict {
    requirement,       ///< name, extras, version clauses, markers
    direct_reference,  ///< `name @ url`: refused (an index of its own)
    marker_escape,     ///< a backslash in a marker's string: refused (Python escapes are not evaluated)
    malformed,
};

struct requirement_reading {
    requirement_verdict verdict = requirement_verdict::requirement;
    std::size_t at = 0;  ///< where a malformed requirement stops being one
};

class pep508_reader {
public:
    explicit pep508_reader(std::string_view text) : s_(text) {}

    requirement_reading read() {
        spaces();
        if (!identifier()) return stop();
        spaces();
        if (peek('[')) {
            ++pos_;
            spaces();
            if (identifier()) {
                for (spaces(); peek(','); spaces()) {
                    ++pos_;
                    spaces();
                    if (!identifier()) return stop();
                }
            }
            spaces();
            if (!take(']')) return stop();
        }
        spaces();
        if (peek('@')) return {requirement_verdict::direct_reference, pos_};
        const bool parenthesized = take('(');
        spaces();
        while (version_clause()) {
            spaces();
            if (!take(',')) break;
            spaces();
        }
        spaces();
        if (parenthesized && !take(')')) return stop();
        spaces();
        if (at_end()) return {};
        if (!take(';') || !marker(0)) return stop();
        spaces();
        if (!at_end()) return stop();
        return {escape_ ? requirement_verdict::marker_escape : requirement_verdict::requirement, pos_};
    }

private:
    static constexpr int max_marker_depth = 64;

    std::string_view s_;
    std::size_t pos_ = 0;
    bool escape_ = false;

    requirement_reading stop() const { return {requirement_verdict::malformed, pos_}; }
    bool peek(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
    bool take(char c) {
        if (!peek(c)) return false;
        ++pos_;
        return true;
    }
    /// Python's `$`: the end, or before a final line feed.
    bool at_end() const { return pos_ == s_.size() || (pos_ + 1 == s_.size() && s_[pos_] == '\n'); }
    /// The tokenizer's whitespace, `[ \t]*`.
    void spaces() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
    }
    /// Python's `\w`, for `\b`; a byte of a non-ASCII character counts as
    /// one (none of them can start a token).
    static bool is_word(char c) { return is_alnum(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80; }
    bool boundary_at(std::size_t p) const {
        const bool before = p > 0 && is_word(s_[p - 1]);
        const bool after = p < s_.size() && is_word(s_[p]);
        return before != after;
    }

    /// The length of Python's `\s` at `p` (the Unicode spaces), or 0.
    std::size_t python_space_at(std::size_t p) const {
        static constexpr std::string_view wide[] = {"\xc2\x85",     "\xc2\xa0",     "\xe1\x9a\x80", "\xe2\x80\x80",
                                                    "\xe2\x80\x81", "\xe2\x80\x82", "\xe2\x80\x83", "\xe2\x80\x84",
                                                    "\xe2\x80\x85", "\xe2\x80\x86", "\xe2\x80\x87", "\xe2\x80\x88",
                                                    "\xe2\x80\x89", "\xe2\x80\x8a", "\xe2\x80\xa8", "\xe2\x80\xa9",
                                                    "\xe2\x80\xaf", "\xe2\x81\x9f", "\xe3\x80\x80"};
        if (p >= s_.size()) return 0;
        const auto c = static_cast<unsigned char>(s_[p]);
        if (c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f)) return 1;
        for (auto w : wide)
            if (s_.substr(p, w.size()) == w) return w.size();
        return 0;
    }
    void python_spaces(std::size_t& p) const {
        while (auto n = python_space_at(p)) p += n;
    }

    /// The lower-case ASCII letter or digit at `p` under Python's IGNORECASE
    /// (which also folds U+0130, U+0131 to i, U+017F to s, U+212A to k) and
    /// its length; '\0' when there is none.
    std::pair<char, std::size_t> folded_at(std::size_t p) const {
        static constexpr std::pair<std::string_view, char> folds[] = {
            {"\xc4\xb0", 'i'}, {"\xc4\xb1", 'i'}, {"\xc5\xbf", 's'}, {"\xe2\x84\xaa", 'k'}};
        if (p >= s_.size()) return {'\0', 0};
        const char c = s_[p];
        if (is_digit(c)) return {c, 1};
        if (is_alpha(c)) return {static_cast<char>(c | 0x20), 1};
        for (auto [bytes, letter] : folds)
            if (s_.substr(p, bytes.size()) == bytes) return {letter, bytes.size()};
        return {'\0', 0};
    }
    /// `word` (lower case) at `p` under IGNORECASE: the end, or npos.
    std::size_t word_at(std::size_t p, std::string_view word) const {
        for (char w : word) {
            const auto [c, n] = folded_at(p);
            if (c != w) return std::string_view::npos;
            p += n;
        }
        return p;
    }
    /// The first of `words` at `p` (a regular expression's alternation).
    template <std::size_t N>
    std::size_t first_word_at(std::size_t p, const std::string_view (&words)[N]) const {
        for (auto w : words)
            if (auto end = word_at(p, w); end != std::string_view::npos) return end;
        return std::string_view::npos;
    }
    bool digit_at(std::size_t p) const { return p < s_.size() && is_digit(s_[p]); }
    void digits(std::size_t& p) const {
        while (digit_at(p)) ++p;
    }
    bool separator_at(std::size_t p) const { return p < s_.size() && (s_[p] == '-' || s_[p] == '_' || s_[p] == '.'); }

    /// `\b[a-zA-Z0-9][a-zA-Z0-9._-]*\b`: names and extras.
    bool identifier() {
        if (pos_ >= s_.size() || !is_alnum(s_[pos_]) || !boundary_at(pos_)) return false;
        std::size_t end = pos_ + 1;
        while (end < s_.size() && (is_alnum(s_[end]) || separator_at(end))) ++end;
        while (end > pos_ && !boundary_at(end)) --end;
        if (end == pos_) return false;
        pos_ = end;
        return true;
    }

    /// `[-_.]?(words)[-_.]?[0-9]*`: a pre-, post- or dev-release part.
    template <std::size_t N>
    bool release_part(std::size_t& p, const std::string_view (&words)[N]) const {
        for (std::size_t at : {separator_at(p) ? p + 1 : std::string_view::npos, p}) {
            if (at == std::string_view::npos) continue;
            auto end = first_word_at(at, words);
            if (end == std::string_view::npos) continue;
            if (separator_at(end)) ++end;
            digits(end);
            p = end;
            return true;
        }
        return false;
    }

    /// A version at `p` as a Specifier after `op` reads it: its end (npos
    /// for none) and whether it ends in a wildcard (`.*`).
    std::pair<std::size_t, bool> version_end(std::size_t p, std::string_view op) const {
        constexpr auto none = std::pair{std::string_view::npos, false};
        if (const auto [c, n] = folded_at(p); c == 'v') p += n;
        if (digit_at(p)) {  // an epoch
            auto q = p;
            digits(q);
            if (q < s_.size() && s_[q] == '!') p = q + 1;
        }
        if (!digit_at(p)) return none;
        digits(p);
        int components = 1;
        for (; p + 1 < s_.size() && s_[p] == '.' && digit_at(p + 1); ++components) digits(++p);
        const bool exact = op == "==" || op == "!=";
        if (op == "~=" && components < 2) return none;
        if (exact && s_.substr(p, 2) == ".*") return {p + 2, true};
        static constexpr std::string_view pre[] = {"alpha", "beta", "preview", "pre", "a", "b", "c", "rc"};
        static constexpr std::string_view post[] = {"post", "rev", "r"};
        static constexpr std::string_view dev[] = {"dev"};
        release_part(p, pre);
        if (p + 1 < s_.size() && s_[p] == '-' && digit_at(p + 1))
            digits(++p);
        else
            release_part(p, post);
        release_part(p, dev);
        if (exact && p < s_.size() && s_[p] == '+' && folded_at(p + 1).first != '\0') {  // a local version
            auto segment = [&](std::size_t& q) {
                while (folded_at(q).first != '\0') q += folded_at(q).second;
            };
            segment(++p);
            while (separator_at(p) && folded_at(p + 1).first != '\0') segment(++p);
        }
        return {p, false};
    }

    /// packaging reads each number of a version (those before a local
    /// part, and the local part's all-digit segments) as a Python int, which
    /// refuses more than 4300 digits.
    static bool numbers_fit(std::string_view version) {
        constexpr std::size_t python_int_max_str_digits = 4300;
        const auto local = std::min(version.find('+'), version.size());
        std::size_t run = 0;
        for (std::size_t i = 0; i < local; ++i)
            if ((run = is_digit(version[i]) ? run + 1 : 0) > python_int_max_str_digits) return false;
        std::size_t length = 0;
        bool number = true;
        for (std::size_t i = local + 1; i <= version.size(); ++i) {
            if (i == version.size() || version[i] == '-' || version[i] == '_' || version[i] == '.') {
                if (number && length > python_int_max_str_digits) return false;
                length = 0;
                number = true;
            } else {
                ++length;
                number = number && is_digit(version[i]);
            }
        }
        return true;
    }

    /// One version clause (packaging's Specifier): its end, or npos. An
    /// arbitrary (===) one runs to a space, ';' or ')'.
    std::size_t clause_end(std::size_t p) const {
        static constexpr std::string_view operators[] = {"===", "~=", "==", "!=", "<=", ">=", "<", ">"};
        std::string_view op;
        for (auto o : operators)
            if (s_.substr(p, o.size()) == o) {
                op = o;
                break;
            }
        if (op.empty()) return std::string_view::npos;
        p += op.size();
        python_spaces(p);
        if (op == "===") {
            while (p < s_.size() && !python_space_at(p) && s_[p] != ';' && s_[p] != ')') ++p;
            return p;
        }
        const auto [end, wildcard] = version_end(p, op);
        if (end == std::string_view::npos || (!wildcard && !numbers_fit(s_.substr(p, end - p))))
            return std::string_view::npos;
        return end;
    }

    /// A version clause as the tokenizer takes it. An arbitrary (===) one
    /// may hold commas: packaging splits it there, and each part must be a
    /// clause; an arbitrary string that reads as a version is canonicalized
    /// (its numbers read as ints).
    bool version_clause() {
        const auto end = clause_end(pos_);
        if (end == std::string_view::npos) return false;
        if (s_.substr(pos_, 3) == "===") {
            for (auto start = pos_; start <= end;) {
                auto comma = s_.substr(start, end - start).find(',');
                comma = comma == std::string_view::npos ? end : start + comma;
                if (s_.substr(start, 3) == "===") {
                    auto text = start + 3;
                    python_spaces(text);
                    const auto [version, wildcard] = version_end(text, "==");
                    if (version == comma && !wildcard && !numbers_fit(s_.substr(text, comma - text))) return false;
                } else if (comma > start && clause_end(start) != comma) {
                    return false;
                }
                start = comma + 1;
            }
        }
        pos_ = end;
        return true;
    }

    bool marker(int depth) {
        if (!marker_atom(depth)) return false;
        while (true) {
            std::size_t end = std::string_view::npos;
            for (std::string_view op : {"or", "and"})
                if (s_.substr(pos_, op.size()) == op && boundary_at(pos_ + op.size())) end = pos_ + op.size();
            if (end == std::string_view::npos) return true;
            pos_ = end;
            if (!marker_atom(depth)) return false;
        }
    }

    bool marker_atom(int depth) {
        spaces();
        if (take('(')) {
            if (depth >= max_marker_depth) return false;
            spaces();
            if (!marker(depth + 1)) return false;
            spaces();
            if (!take(')')) return false;
        } else {
            if (!marker_value()) return false;
            spaces();
            if (!marker_operator()) return false;
            spaces();
            if (!marker_value()) return false;
        }
        spaces();
        return true;
    }

    bool keyword(std::string_view word) {
        if (s_.substr(pos_, word.size()) != word || !boundary_at(pos_ + word.size())) return false;
        pos_ += word.size();
        return true;
    }

    bool marker_operator() {
        if (keyword("in")) return true;
        if (keyword("not")) {
            if (!peek(' ') && !peek('\t')) return false;
            spaces();
            return keyword("in");
        }
        static constexpr std::string_view operators[] = {"===", "==", "~=", "!=", "<=", ">=", "<", ">"};
        for (auto o : operators)
            if (s_.substr(pos_, o.size()) == o) {
                pos_ += o.size();
                return true;
            }
        return false;
    }

    /// A marker variable or a quoted string (which Python's literal_eval reads).
    bool marker_value() {
        static constexpr std::string_view variables[] = {"python_version",
                                                         "python_full_version",
                                                         "os_name",
                                                         "os.name",
                                                         "sys_platform",
                                                         "sys.platform",
                                                         "platform_release",
                                                         "platform_system",
                                                         "platform_version",
                                                         "platform.version",
                                                         "platform_machine",
                                                         "platform.machine",
                                                         "platform_python_implementation",
                                                         "platform.python_implementation",
                                                         "python_implementation",
                                                         "implementation_name",
                                                         "implementation_version",
                                                         "extra"};
        for (auto v : variables)
            if (keyword(v)) return true;
        if (!peek('\'') && !peek('"')) return false;
        const auto close = s_.find(s_[pos_], pos_ + 1);
        if (close == std::string_view::npos) return false;
        const auto text = s_.substr(pos_ + 1, close - pos_ - 1);
        if (text.find_first_of(std::string_view("\n\r\0", 3)) != std::string_view::npos) return false;
        escape_ = escape_ || text.find('\\') != std::string_view::npos;
        pos_ = close + 1;
        return true;
    }
};

inline requirement_reading read_requirement(std::string_view text) { return pep508_reader(text).read(); }

inline constexpr std::string_view pip_requirement_rule =
    "must be a package requirement (PEP 508): name, extras, version, markers; pip options are not accepted";

/// Why `text` is no pip_packages entry, or nullopt.
inline std::optional<std::string> pip_requirement_problem(std::string_view text) {
    const auto reading = read_requirement(text);
    switch (reading.verdict) {
        case requirement_verdict::requirement:
            return std::nullopt;
        case requirement_verdict::direct_reference:
            return std::string("direct references are not accepted; put them in pip_requirements_file");
        case requirement_verdict::marker_escape:
            return std::string("a marker's quoted string must not hold a backslash (Python would read an escape)");
        case requirement_verdict::malformed:
            break;
    }
    if (reading.at == 0) return std::string(pip_requirement_rule);
    return std::string(pip_requirement_rule) + " (it stops being one at character " + std::to_string(reading.at + 1) +
           ")";
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
