#pragma once
// Quoting for POSIX sh: the shell line of a command is a quoting of its argv,
// never a concatenation of strings.
//
//   shell_quote("train.py")        -> train.py
//   shell_quote("two words")       -> 'two words'
//   shell_quote("it's")            -> 'it'\''s'
//   shell_quote("")                -> ''
//   shell_join({"echo", "a b"})    -> echo 'a b'
//
// A word made only of [A-Za-z0-9_@%+=:,./-] stays bare: none of these
// characters is special to sh in any position of a word (a leading '~' or a
// '#', '*', '?', '[', '$', '`', '!', ... would be, so those are quoted).
// Everything else goes between single quotes, inside which sh treats every
// byte literally; a single quote itself is written as '\'' (close, escaped
// quote, reopen). Non-ASCII bytes (UTF-8) pass through unchanged inside the
// quotes. The result is meant for sh, bash, dash, ksh and zsh in their POSIX
// modes, not for csh or fish. A NUL byte cannot be part of an argument and
// is not expected.
//
// In shell_join() the first word is the command name, where sh also reads
// `NAME=value` as an assignment and `if`, `{`, ... as reserved words: such
// a first word is quoted too, so that it still names the program.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <trainspec/detail/linkage.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

namespace detail {
constexpr bool is_shell_safe(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '@' ||
           c == '%' || c == '+' || c == '=' || c == ':' || c == ',' || c == '.' || c == '/' || c == '-';
}
}  // namespace detail

/// One argument as a POSIX sh word that reads back as exactly `word`.
std::string shell_quote(std::string_view word);

/// An argv as one sh command line: each argument quoted, joined by spaces.
/// The first word is quoted whenever sh would otherwise not take it as the
/// command name.
std::string shell_join(const std::vector<std::string>& argv);

/// shell_join(), except that `marker` within a word is written as
/// `expansion` (a sh expansion such as "$here", not quoted) and the rest of
/// the word is quoted around it: for a path that the script resolves when
/// it runs.
std::string shell_join_expanding(const std::vector<std::string>& argv, std::string_view marker,
                                 std::string_view expansion);

/// The same with several markers, each with its expansion; a word holds at
/// most one (the first found, in the list's order).
std::string shell_join_expanding(const std::vector<std::string>& argv,
                                 const std::vector<std::pair<std::string, std::string>>& expansions);

namespace detail {
/// True when sh would not read the bare word as a command name: an
/// assignment (`NAME=...`) or a reserved word.
inline bool is_special_command_word(std::string_view word) {
    static constexpr std::string_view reserved[] = {"!",     "{",     "}",        "case",   "do",   "done",  "elif",
                                                    "else",  "esac",  "fi",       "for",    "if",   "in",    "then",
                                                    "until", "while", "function", "select", "time", "coproc"};
    for (auto r : reserved)
        if (word == r) return true;
    // NAME=value, and bash's NAME+=value (an assignment there, a command in dash).
    auto name_end = word.find('=');
    if (name_end == std::string_view::npos) return false;
    if (name_end != 0 && word[name_end - 1] == '+') --name_end;
    if (name_end == 0) return false;
    if (word[0] >= '0' && word[0] <= '9') return false;
    for (std::size_t i = 0; i < name_end; ++i)
        if (!((word[i] >= 'a' && word[i] <= 'z') || (word[i] >= 'A' && word[i] <= 'Z') ||
              (word[i] >= '0' && word[i] <= '9') || word[i] == '_'))
            return false;
    return true;
}

/// `NAME=value`, the value quoted: a variable assignment for sh.
inline std::string shell_assignment(std::string_view name, std::string_view value) {
    return std::string(name) + "=" + shell_quote(value);
}
}  // namespace detail

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_INLINE std::string shell_quote(std::string_view word) {
    if (word.empty()) return "''";
    bool safe = true;
    for (char c : word)
        if (!detail::is_shell_safe(c)) {
            safe = false;
            break;
        }
    if (safe) return std::string(word);
    std::string quoted;
    quoted.reserve(word.size() + 2);
    quoted += '\'';
    for (char c : word) {
        if (c == '\'')
            quoted += "'\\''";
        else
            quoted += c;
    }
    quoted += '\'';
    return quoted;
}

TRAINSPEC_INLINE std::string shell_join(const std::vector<std::string>& argv) {
    std::string line;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        if (i != 0) line += ' ';
        auto word = shell_quote(argv[i]);
        // A bare word holds no quote, so quoting it is just wrapping it.
        if (i == 0 && word == argv[i] && detail::is_special_command_word(argv[i])) word = "'" + word + "'";
        line += word;
    }
    return line;
}

TRAINSPEC_INLINE std::string shell_join_expanding(const std::vector<std::string>& argv, std::string_view marker,
                                                  std::string_view expansion) {
    return shell_join_expanding(argv, {{std::string(marker), std::string(expansion)}});
}

TRAINSPEC_INLINE std::string shell_join_expanding(const std::vector<std::string>& argv,
                                                  const std::vector<std::pair<std::string, std::string>>& expansions) {
    std::string line;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        if (i != 0) line += ' ';
        const std::string_view word = argv[i];
        auto at = std::string_view::npos;
        const std::pair<std::string, std::string>* found = nullptr;
        for (const auto& e : expansions)
            if (i != 0 && !e.first.empty() && (at = word.find(e.first)) != std::string_view::npos) {
                found = &e;
                break;
            }
        if (found) {
            if (at > 0) line += shell_quote(word.substr(0, at));
            line += found->second;
            if (word.size() > at + found->first.size()) line += shell_quote(word.substr(at + found->first.size()));
        } else {
            line += i == 0 ? shell_join({argv[i]}) : shell_quote(word);
        }
    }
    return line;
}

TRAINSPEC_END_NAMESPACE
#endif
