#pragma once
// A POSIX sh reader of simple command lines, written for the tests as the
// oracle that the library's quoting (render/shell_quote.hpp) is checked
// against; it shares no code with it. It recognises tokens and removes
// quotes the way sh does (POSIX "Token Recognition" and "Quote Removal"):
//
//   blanks (space, tab) separate words;  '...' is literal;  "..." is
//   literal but for a backslash before $ ` " \ or a newline;  a backslash
//   outside quotes makes the next character literal;  backslash-newline is
//   a line continuation, removed everywhere but inside '...'.
//
// Anything that is not a plain list of words gives nullopt instead of a
// guess: an unquoted expansion ($, `), an operator (; & | < > ( ) or a
// newline), a glob character (* ? [), a bash brace expansion ({), a tilde
// that sh or bash would expand, a comment (# starting a word), an
// unterminated quote or escape, and a NUL byte. Inside double quotes a
// parameter ($NAME or ${NAME}) is read only when the caller gives its value.
//
// tests/fuzz/shell_words_test.cpp runs random lines through dash and bash
// to show that the two agree with this reader.

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shell_words {

/// Values of the parameters a line may expand inside double quotes.
using variables = std::map<std::string, std::string, std::less<>>;

/// One word after quote removal, with what sh looks at to decide whether a
/// word in command position is an assignment or a reserved word.
struct word {
    std::string text;
    bool quoted = false;              ///< some part of it was quoted or escaped
    std::size_t unquoted_prefix = 0;  ///< bytes of `text` before the first quoted part
};

namespace detail {

constexpr bool is_blank(char c) { return c == ' ' || c == '\t'; }

constexpr bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

constexpr bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

inline bool is_name(std::string_view s) {
    if (s.empty() || !is_name_start(s.front())) return false;
    for (char c : s)
        if (!is_name_char(c)) return false;
    return true;
}

/// Characters that end a word or start something other than a word when
/// unquoted: operators, expansions, globs and bash's brace expansion.
constexpr bool is_unquoted_special(char c) {
    switch (c) {
        case '\n':
        case ';':
        case '&':
        case '|':
        case '<':
        case '>':
        case '(':
        case ')':
        case '$':
        case '`':
        case '*':
        case '?':
        case '[':
        case '{':
        case '\0':
            return true;
        default:
            return false;
    }
}

class reader {
public:
    reader(std::string_view line, const variables& values) : line_(line), values_(values) {}

    std::optional<std::vector<word>> words() {
        while (at_ < line_.size()) {
            const char c = line_[at_];
            if (is_blank(c)) {
                end_word();
                ++at_;
            } else if (c == '\\') {
                if (!escaped()) return std::nullopt;
            } else if (c == '\'') {
                if (!single_quoted()) return std::nullopt;
            } else if (c == '"') {
                if (!double_quoted()) return std::nullopt;
            } else if (!unquoted(c)) {
                return std::nullopt;
            }
        }
        end_word();
        return std::move(words_);
    }

private:
    void start_word() {
        if (!in_word_) words_.emplace_back();
        in_word_ = true;
    }

    void end_word() { in_word_ = false; }

    void add_quoted(std::string_view text) {
        start_word();
        words_.back().quoted = true;
        words_.back().text += text;
    }

    bool unquoted(char c) {
        if (is_unquoted_special(c)) return false;
        if (c == '#' && !in_word_) return false;  // a comment
        // Tilde expansion: a word's leading ~ (sh), and in bash any ~ after
        // '=' or ':' of a word that looks like an assignment.
        if (c == '~' && (!in_word_ || words_.back().text.empty() || words_.back().text.back() == '=' ||
                         words_.back().text.back() == ':'))
            return false;
        start_word();
        auto& w = words_.back();
        w.text += c;
        if (!w.quoted) w.unquoted_prefix = w.text.size();
        ++at_;
        return true;
    }

    bool escaped() {
        if (at_ + 1 >= line_.size()) return false;  // a backslash at the end escapes nothing
        const char next = line_[at_ + 1];
        at_ += 2;
        if (next == '\n') return true;  // a line continuation: removed, the word goes on
        if (next == '\0') return false;
        add_quoted(std::string_view(&next, 1));
        return true;
    }

    bool single_quoted() {
        const auto close = line_.find('\'', at_ + 1);
        if (close == std::string_view::npos) return false;
        const auto inside = line_.substr(at_ + 1, close - at_ - 1);
        if (inside.find('\0') != std::string_view::npos) return false;
        add_quoted(inside);
        at_ = close + 1;
        return true;
    }

    bool double_quoted() {
        add_quoted("");
        ++at_;
        while (true) {
            if (at_ >= line_.size()) return false;  // unterminated
            const char c = line_[at_];
            if (c == '"') {
                ++at_;
                return true;
            }
            if (c == '\\') {
                if (at_ + 1 >= line_.size()) return false;
                const char next = line_[at_ + 1];
                if (next == '$' || next == '`' || next == '"' || next == '\\') {
                    words_.back().text += next;
                    at_ += 2;
                } else if (next == '\n') {
                    at_ += 2;
                } else {
                    words_.back().text += '\\';
                    ++at_;
                }
            } else if (c == '$') {
                if (!parameter()) return false;
            } else if (c == '`' || c == '\0') {
                return false;
            } else {
                words_.back().text += c;
                ++at_;
            }
        }
    }

    /// $NAME or ${NAME} inside double quotes, when its value is given.
    bool parameter() {
        std::size_t start = at_ + 1;
        const bool braced = start < line_.size() && line_[start] == '{';
        if (braced) ++start;
        std::size_t end = start;
        while (end < line_.size() && is_name_char(line_[end])) ++end;
        const auto name = line_.substr(start, end - start);
        if (!is_name(name)) return false;
        if (braced) {
            if (end >= line_.size() || line_[end] != '}') return false;
            ++end;
        }
        const auto found = values_.find(name);
        if (found == values_.end()) return false;
        words_.back().text += found->second;
        at_ = end;
        return true;
    }

    std::string_view line_;
    const variables& values_;
    std::size_t at_ = 0;
    bool in_word_ = false;
    std::vector<word> words_;
};

}  // namespace detail

/// The words of `line` with what sh needs to treat the first ones, or
/// nullopt when the line is not a plain list of words.
inline std::optional<std::vector<word>> scan_shell_words(std::string_view line, const variables& values = {}) {
    return detail::reader(line, values).words();
}

/// The words sh reads from `line` after quote removal, or nullopt when the
/// line is not a plain list of words. "$NAME" and "${NAME}" inside double
/// quotes read `values`.
inline std::optional<std::vector<std::string>> split_shell_words(std::string_view line, const variables& values) {
    auto scanned = scan_shell_words(line, values);
    if (!scanned) return std::nullopt;
    std::vector<std::string> out;
    for (auto& w : *scanned) out.push_back(std::move(w.text));
    return out;
}

inline std::optional<std::vector<std::string>> split_shell_words(std::string_view line) {
    return split_shell_words(line, variables{});
}

/// A simple command: the variable assignments in front, then the program
/// and its arguments.
struct simple_command {
    std::vector<std::pair<std::string, std::string>> assignments;
    std::vector<std::string> argv;

    friend bool operator==(const simple_command& a, const simple_command& b) {
        return a.assignments == b.assignments && a.argv == b.argv;
    }
};

/// The reserved words of sh, and those bash, ksh and zsh add: unquoted in
/// command position they start a compound command.
inline bool is_reserved_word(std::string_view w) {
    static constexpr std::string_view reserved[] = {
        "!",  "{",  "}",    "case",  "do",    "done", "elif", "else",     "esac",   "fi",   "for",
        "if", "in", "then", "until", "while", "[[",   "]]",   "function", "select", "time", "coproc",
    };
    for (auto r : reserved)
        if (w == r) return true;
    return false;
}

/// `line` as sh runs it: words in front that are assignments (NAME=value,
/// the NAME and '=' unquoted), then the command. nullopt when the line is
/// not a plain list of words, when the command name would be a reserved
/// word, and for NAME+=value in front (bash, ksh and zsh assign, dash runs
/// a program of that name).
inline std::optional<simple_command> parse_simple_command(std::string_view line, const variables& values = {}) {
    auto scanned = scan_shell_words(line, values);
    if (!scanned) return std::nullopt;
    simple_command command;
    std::size_t i = 0;
    for (; i < scanned->size(); ++i) {
        const auto& w = (*scanned)[i];
        const auto eq = w.text.find('=');
        if (eq == std::string::npos || eq == 0 || eq >= w.unquoted_prefix) break;
        const std::string_view name(w.text.data(), eq);
        if (name.back() == '+' && detail::is_name(name.substr(0, name.size() - 1))) return std::nullopt;
        if (!detail::is_name(name)) break;
        command.assignments.emplace_back(std::string(name), w.text.substr(eq + 1));
    }
    if (i < scanned->size() && !(*scanned)[i].quoted && is_reserved_word((*scanned)[i].text)) return std::nullopt;
    for (; i < scanned->size(); ++i) command.argv.push_back(std::move((*scanned)[i].text));
    return command;
}

}  // namespace shell_words
