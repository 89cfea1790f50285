// The POSIX sh reader of shell_words.hpp, the fuzz targets' oracle, against
// the real shells: thousands of seeded random lines made of unquoted,
// single-quoted, double-quoted and backslash-escaped pieces, blanks, line
// continuations and, now and then, something that is no plain word (an
// expansion, an operator, a glob, a comment, a tilde, an unterminated
// quote). Every line the reader accepts runs in dash (/bin/sh on Debian)
// and bash as the arguments of a function that prints them,
//     w() { printf '%s\0' "$#" "$@"; }
// and both shells must give exactly the reader's words. The same for the
// command position (assignments in front, reserved words, programs named
// like either), for "$NAME" in double quotes, and for the lines
// shell_join_expanding() writes with the expansions the library uses.
// A naive reader run through the same comparison must fail (the negative
// control), and each kind of line the reader refuses is shown to mean
// something else to a shell.
//
// The seed is fixed (TRAINSPEC_SHELL_WORDS_SEED overrides it) and is
// printed with every failure.

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <trainspec/render/shell_quote.hpp>

#include "property_check.hpp"
#include "run_program.hpp"
#include "shell_words.hpp"

namespace fs = std::filesystem;
using property_check::visible;

namespace {

std::uint64_t seed() {
    if (const char* s = std::getenv("TRAINSPEC_SHELL_WORDS_SEED")) return std::strtoull(s, nullptr, 10);
    return 20250611;
}

const std::vector<std::string>& shells() {
    static const std::vector<std::string> all{"/bin/dash", "/bin/bash"};
    return all;
}

/// A temporary directory, removed with the object.
class scratch_dir {
public:
    scratch_dir() {
        std::string pattern = (fs::temp_directory_path() / "trainspec-shell-words-XXXXXX").string();
        REQUIRE(mkdtemp(pattern.data()) != nullptr);
        path_ = pattern;
    }
    ~scratch_dir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    scratch_dir(const scratch_dir&) = delete;
    scratch_dir& operator=(const scratch_dir&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

/// Seeded random lines. Our own arithmetic on mt19937_64, so that a seed
/// gives the same lines with every standard library.
class line_generator {
public:
    explicit line_generator(std::uint64_t seed) : engine_(seed) {}

    std::size_t below(std::size_t n) { return static_cast<std::size_t>(engine_() % n); }
    bool one_in(std::size_t n) { return below(n) == 0; }
    template <class T>
    const T& pick(const std::vector<T>& v) {
        return v[below(v.size())];
    }

    /// Characters that stay literal unquoted, and a few that do only in
    /// some places (# and ~), control characters and bytes beyond ASCII.
    std::string unquoted_chunk() {
        static const std::vector<std::string> chars{
            "a", "Z", "0", "9", "_", "@",  "%",    "+",    "=",    ":",        ",",    ".",    "/",  "-", "!",
            "^", "]", "}", "#", "~", "\r", "\x01", "\x1f", "\x7f", "\xc3\xa9", "\xff", "\x80", "\v", "\f"};
        std::string s;
        for (std::size_t i = 0, n = 1 + below(4); i < n; ++i) s += pick(chars);
        return s;
    }

    /// Any byte but NUL, weighted towards those sh treats specially.
    std::string any_character() {
        static const std::string special = " \t\n'\"\\$`*?[]{}~#!&|;<>()=%^:";
        switch (below(3)) {
            case 0:
                return std::string(1, special[below(special.size())]);
            case 1:
                return unquoted_chunk();
            default:
                return std::string(1, static_cast<char>(1 + below(255)));
        }
    }

    std::string single_quoted() {
        std::string s = "'";
        for (std::size_t i = 0, n = below(6); i < n; ++i) {
            auto c = any_character();
            if (c.find('\'') == std::string::npos) s += c;
        }
        return s + "'";
    }

    std::string double_quoted(bool with_variables) {
        static const std::vector<std::string> items{"\\$", "\\`", "\\\"", "\\\\", "\\\n", "\\a", "\\'", "\\ ",
                                                    "\\n", "'",   "\n",   " ",    "*",    "#",   "~",   "$("};
        std::string s = "\"";
        for (std::size_t i = 0, n = below(6); i < n; ++i) {
            if (with_variables && one_in(2)) {
                s += pick(std::vector<std::string>{"$v", "${v}", "$w", "${w}", "$v_x", "${v}_x", "$"});
                continue;
            }
            auto c = one_in(2) ? pick(items) : any_character();
            if (c == "$(" && !one_in(8)) continue;
            if (c != "\"" && c != "\\" && c != "$" && c != "`") s += c;
        }
        return s + "\"";
    }

    std::string escaped() { return "\\" + any_character().substr(0, 1); }

    /// Pieces that make a line no plain list of words, to be refused.
    std::string refused() {
        static const std::vector<std::string> pieces{"$x",  "`id`", "$(id)", ";",  "&",     "|",      "<",
                                                     ">",   "(",    ")",     "*",  "?",     "[a]",    "{a,b}",
                                                     " #c", " ~",   "a=~",   "\n", "'open", "\"open", "\\"};
        return pick(pieces);
    }

    std::string piece(bool with_variables) {
        switch (below(14)) {
            case 0:
            case 1:
            case 2:
                return pick(std::vector<std::string>{" ", "\t", "  ", " \t "});
            case 3:
            case 4:
            case 5:
            case 6:
                return unquoted_chunk();
            case 7:
            case 8:
                return single_quoted();
            case 9:
            case 10:
                return double_quoted(with_variables);
            case 11:
            case 12:
                return escaped();
            default:
                return one_in(2) ? refused() : "\\\n";
        }
    }

    std::string line(bool with_variables = false) {
        std::string s;
        for (std::size_t i = 0, n = 1 + below(8); i < n; ++i) s += piece(with_variables);
        return s;
    }

private:
    std::mt19937_64 engine_;
};

using words = std::vector<std::string>;

/// Reads the output of `w` calls: per call, the count and the words. An
/// empty optional from where the output is out of step.
std::vector<std::optional<words>> read_calls(const std::string& out, std::size_t calls) {
    std::vector<std::optional<words>> all;
    std::size_t at = 0;
    auto next = [&]() -> std::optional<std::string> {
        const auto nul = out.find('\0', at);
        if (nul == std::string::npos) return std::nullopt;
        std::string word = out.substr(at, nul - at);
        at = nul + 1;
        return word;
    };
    for (std::size_t k = 0; k < calls; ++k) {
        const auto count = next();
        if (!count || count->empty() || count->find_first_not_of("0123456789") != std::string::npos) break;
        words got;
        for (unsigned long i = 0, n = std::stoul(*count); i < n; ++i) {
            auto w = next();
            if (!w) break;
            got.push_back(*w);
        }
        all.emplace_back(std::move(got));
    }
    all.resize(calls);
    return all;
}

/// The words `shell` passes to a function for each of `lines`, run in
/// batches in an empty directory with exactly `env` and no PATH.
std::vector<std::optional<words>> shell_words_of(const std::string& shell, const std::vector<std::string>& lines,
                                                 const std::vector<std::string>& env = {}) {
    scratch_dir dir;
    std::vector<std::optional<words>> all;
    std::size_t first = 0;
    while (first < lines.size()) {
        std::string script = "cd " + dir.path().string() + " || exit 1\nw() { printf '%s\\0' \"$#\" \"$@\"; }\n";
        std::size_t last = first;
        while (last < lines.size() && script.size() < 60000) script += "w " + lines[last++] + "\n";
        const auto result = run_program::run({shell, "-c", script}, env, true);
        auto batch = read_calls(result.out, last - first);
        all.insert(all.end(), batch.begin(), batch.end());
        first = last;
    }
    return all;
}

/// Lines whose reading by `reader` differs from what `shell` made of them,
/// with the first few described.
template <class Reader>
std::size_t disagreements(const std::string& shell, const std::vector<std::string>& lines,
                          const std::vector<std::optional<words>>& got, Reader reader, std::string& described) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto expected = reader(lines[i]);
        if (expected == got[i]) continue;
        if (++count <= 3)
            described += shell + ": line " + std::to_string(i) + " " + visible(lines[i]) +
                         "\n  reader: " + (expected ? visible(*expected) : "refused") +
                         "\n  shell:  " + (got[i] ? visible(*got[i]) : "(out of step)") + "\n";
    }
    return count;
}

/// A reader that splits at blanks and drops every quote character: it must
/// fail the comparison.
words naive_split(const std::string& line) {
    words out;
    std::string word;
    bool in_word = false;
    for (char c : line) {
        if (c == ' ' || c == '\t') {
            if (in_word) out.push_back(word);
            word.clear();
            in_word = false;
        } else {
            in_word = true;
            if (c != '\'' && c != '"' && c != '\\') word += c;
        }
    }
    if (in_word) out.push_back(word);
    return out;
}

}  // namespace

TEST_CASE("split_shell_words reads fixed lines as sh does") {
    using shell_words::split_shell_words;
    CHECK(split_shell_words("") == words{});
    CHECK(split_shell_words(" \t ") == words{});
    CHECK(split_shell_words("a  b\tc") == words{"a", "b", "c"});
    CHECK(split_shell_words("'' \"\"") == words{"", ""});
    CHECK(split_shell_words("'a b'c\" d\"") == words{"a bc d"});
    CHECK(split_shell_words("'it'\\''s'") == words{"it's"});
    CHECK(split_shell_words("\"\\$ \\` \\\" \\\\ \\a\"") == words{"$ ` \" \\ \\a"});
    CHECK(split_shell_words("a\\\nb \\\n c") == words{"ab", "c"});
    CHECK(split_shell_words("'a\\\nb'") == words{"a\\\nb"});
    CHECK(split_shell_words("\"a\\\nb\"") == words{"ab"});
    CHECK(split_shell_words("a#b '#' \\#") == words{"a#b", "#", "#"});
    CHECK(split_shell_words("a~ '~' \\~") == words{"a~", "~", "~"});
    CHECK(split_shell_words("a\\ b") == words{"a b"});
    for (const char* refused :
         {"$x",    "\"$x\"", "`id`", "a;b", "a&",  "a|b", "<a",  ">a",   "(a)",   "a*",     "a?", "[a]",
          "{a,b}", "#c",     "a #c", "~",   "~/x", "a=~", "a:~", "a\nb", "'open", "\"open", "a\\"})
        CHECK_MESSAGE(!split_shell_words(refused), visible(refused));
    CHECK(split_shell_words(std::string("a\0b", 3)) == std::nullopt);
    CHECK(split_shell_words("\"$v\" \"${v}x\"", {{"v", "a b"}}) == words{"a b", "a bx"});
    CHECK(split_shell_words("\"$v_x\"", {{"v", "a"}}) == std::nullopt);
}

TEST_CASE("parse_simple_command: assignments in front, no reserved word as the command") {
    using shell_words::parse_simple_command;
    using shell_words::simple_command;
    CHECK(parse_simple_command("A=1 B='x y' prog a=b") == simple_command{{{"A", "1"}, {"B", "x y"}}, {"prog", "a=b"}});
    CHECK(parse_simple_command("'A=1' x") == simple_command{{}, {"A=1", "x"}});
    CHECK(parse_simple_command("A'=1' x") == simple_command{{}, {"A=1", "x"}});
    CHECK(parse_simple_command("\\A=1 x") == simple_command{{}, {"A=1", "x"}});
    CHECK(parse_simple_command("1A=1 =x") == simple_command{{}, {"1A=1", "=x"}});
    CHECK(parse_simple_command("'if' x") == simple_command{{}, {"if", "x"}});
    CHECK(parse_simple_command("x if") == simple_command{{}, {"x", "if"}});
    for (const char* refused : {"if x", "then", "A=1 while", "! x", "} x", "time x", "A+=1 x", "A_b+=1"})
        CHECK_MESSAGE(!parse_simple_command(refused), visible(refused));
}

TEST_CASE("property: random lines read by dash and bash as split_shell_words reads them") {
    const auto seed_value = seed();
    INFO("seed ", seed_value, " (TRAINSPEC_SHELL_WORDS_SEED repeats or varies it)");
    line_generator gen(seed_value);
    std::vector<std::string> accepted;
    std::size_t refused = 0;
    for (std::size_t i = 0; i < 5000; ++i) {
        auto line = gen.line();
        if (shell_words::split_shell_words(line))
            accepted.push_back(std::move(line));
        else
            ++refused;
    }
    MESSAGE(accepted.size(), " lines accepted and run, ", refused, " refused");
    CHECK(accepted.size() >= 2500);
    CHECK(refused >= 500);

    for (const auto& shell : shells()) {
        const auto got = shell_words_of(shell, accepted);
        std::string described;
        const auto count = disagreements(
            shell, accepted, got, [](const std::string& line) { return shell_words::split_shell_words(line); },
            described);
        CHECK_MESSAGE(count == 0, described);
        // Negative control: the naive reader, compared the same way, fails.
        std::string naive_described;
        const auto naive_count = disagreements(
            shell, accepted, got, [](const std::string& line) { return std::optional<words>(naive_split(line)); },
            naive_described);
        MESSAGE(shell, ": the naive reader disagrees on ", naive_count, " lines");
        CHECK(naive_count >= accepted.size() / 10);
    }
}

TEST_CASE("property: \"$NAME\" in double quotes reads the variable's value") {
    const auto seed_value = seed() + 1;
    INFO("seed ", seed_value);
    line_generator gen(seed_value);
    const shell_words::variables values{{"v", "a b*\t$x'\"\\"}, {"w", ""}};
    std::vector<std::string> accepted;
    std::size_t with_variable = 0;
    for (std::size_t i = 0; i < 4000; ++i) {
        auto line = gen.line(true);
        if (!shell_words::split_shell_words(line, values)) continue;
        with_variable += line.find("$v") != std::string::npos || line.find("${") != std::string::npos;
        accepted.push_back(std::move(line));
    }
    MESSAGE(accepted.size(), " lines accepted and run, ", with_variable, " with a variable");
    CHECK(with_variable >= 300);
    for (const auto& shell : shells()) {
        const auto got = shell_words_of(shell, accepted, {"v=" + values.at("v"), "w="});
        std::string described;
        const auto count = disagreements(
            shell, accepted, got, [&](const std::string& line) { return shell_words::split_shell_words(line, values); },
            described);
        CHECK_MESSAGE(count == 0, described);
    }
}

TEST_CASE("property: the command position as dash and bash run it") {
    // Programs named like assignments and reserved words, each printing its
    // name, its arguments and the variables A, B, T1, T2 (=value, or
    // nothing when unset).
    const auto seed_value = seed() + 2;
    INFO("seed ", seed_value);
    scratch_dir bin;
    const std::vector<std::string> names{"x", "A=1", "T1=1", "B+=2", "if", "then", "time", "do", "!", "{", "]]"};
    for (const auto& name : names) {
        const auto path = bin.path() / name;
        std::ofstream(path) << "#!/bin/sh\nprintf '%s\\0' \"${0##*/}\" \"$#\" \"$@\" \"${A+=}${A-}\" \"${B+=}${B-}\" "
                               "\"${T1+=}${T1-}\" \"${T2+=}${T2-}\"\n";
        fs::permissions(path, fs::perms::owner_all);
    }
    line_generator gen(seed_value);
    // A name as sh may see it: bare, quoted whole or in part, escaped.
    auto spelled = [&gen](const std::string& name) -> std::string {
        const auto cut = gen.below(name.size() + 1);
        switch (gen.below(6)) {
            case 0:
                return name;
            case 1:
                return "'" + name + "'";
            case 2:
                return "\\" + name;
            case 3:
                return "\"" + name + "\"";
            case 4:
                return name.substr(0, cut) + "'" + name.substr(cut) + "'";
            default:
                return "'" + name.substr(0, cut) + "'" + name.substr(cut);
        }
    };
    std::vector<std::string> accepted;
    std::vector<shell_words::simple_command> commands;
    std::size_t with_assignments = 0;
    for (std::size_t i = 0; i < 1500; ++i) {
        std::string line;
        for (std::size_t k = 0, n = gen.below(3); k < n; ++k) {
            const std::string name = gen.pick(std::vector<std::string>{"A", "T1", "T2"});
            line +=
                (gen.one_in(4) ? spelled(name + "=1") : name + "=" + gen.single_quoted() + gen.unquoted_chunk()) + " ";
        }
        line += spelled(gen.pick(names));
        if (gen.one_in(2)) line += " x";
        for (std::size_t k = 0, n = gen.below(3); k < n; ++k) line += " " + gen.single_quoted();
        auto command = shell_words::parse_simple_command(line);
        if (!command || command->argv.empty()) continue;
        bool known = false;
        for (const auto& name : names) known = known || command->argv[0] == name;
        if (!known) continue;
        with_assignments += !command->assignments.empty();
        accepted.push_back(line);
        commands.push_back(std::move(*command));
    }
    MESSAGE(accepted.size(), " command lines run, ", with_assignments, " with assignments");
    CHECK(accepted.size() >= 500);
    CHECK(with_assignments >= 100);

    for (const auto& shell : shells()) {
        std::string script;
        for (const auto& line : accepted) script += line + "\n";
        const auto result = run_program::run({shell, "-c", script}, {"PATH=" + bin.path().string()}, true);
        std::size_t at = 0;
        for (std::size_t i = 0; i < accepted.size(); ++i) {
            const auto& c = commands[i];
            std::string expected = c.argv[0] + '\0' + std::to_string(c.argv.size() - 1) + '\0';
            for (std::size_t k = 1; k < c.argv.size(); ++k) expected += c.argv[k] + '\0';
            for (const char* name : {"A", "B", "T1", "T2"}) {
                std::optional<std::string> value;
                for (const auto& [n, v] : c.assignments)
                    if (n == name) value = v;
                expected += (value ? "=" + *value : std::string()) + '\0';
            }
            const bool same = result.out.compare(at, expected.size(), expected) == 0;
            CHECK_MESSAGE(same, shell, ": line ", i, " ", visible(accepted[i]), "\n  expected: ", visible(expected),
                          "\n  got:      ", visible(result.out.substr(at, expected.size())));
            if (!same) break;
            at += expected.size();
        }
    }
}

TEST_CASE("property: shell_join_expanding's markers become the values of their expansions") {
    // The expansions the library writes: "$here" (launch and build
    // scripts) and the Slurm trial value, which gives no word when empty.
    const auto seed_value = seed() + 3;
    INFO("seed ", seed_value);
    const std::string here_marker = "\x01here\x01";
    const std::string trial_marker = "\x01trial0\x01";
    const std::vector<std::pair<std::string, std::string>> expansions{
        {here_marker, "\"$here\""}, {trial_marker, "${trainspec_trial_0:+\"$trainspec_trial_0\"}"}};
    line_generator gen(seed_value);
    auto argument = [&gen]() {
        std::string s;
        for (std::size_t i = 0, n = gen.below(4); i < n; ++i) s += gen.any_character();
        return s;
    };
    for (int trial_set = 0; trial_set < 3; ++trial_set) {
        // The trial variable set, set but empty, unset.
        const std::string here = argument() + " *";
        const std::string trial = trial_set == 0 ? argument() + "x" : "";
        std::vector<std::string> env{"here=" + here};
        if (trial_set != 2) env.push_back("trainspec_trial_0=" + trial);
        std::vector<std::string> lines;
        std::vector<words> expected;
        for (std::size_t i = 0; i < 700; ++i) {
            words argv{"w"};
            words want;
            for (std::size_t k = 0, n = gen.below(5); k < n; ++k) {
                std::string word = argument();
                std::string value_word = word;
                bool vanishes = false;
                if (!gen.one_in(3)) {
                    const bool trial_marked = gen.one_in(2);
                    const auto& marker = trial_marked ? trial_marker : here_marker;
                    const auto at = gen.below(word.size() + 1);
                    word.insert(at, marker);
                    value_word.insert(at, trial_marked ? trial : here);
                    vanishes = trial_marked && trial.empty() && word == marker;
                    if (gen.one_in(4)) {  // a second marker stays as it is
                        word += marker;
                        value_word += marker;
                        vanishes = false;
                    }
                }
                argv.push_back(word);
                if (!vanishes) want.push_back(value_word);
            }
            const auto line = trainspec::shell_join_expanding(argv, expansions);
            lines.push_back(line.size() > 1 ? line.substr(2) : "");  // w is written by shell_words_of()
            expected.push_back(want);
        }
        for (const auto& shell : shells()) {
            const auto got = shell_words_of(shell, lines, env);
            for (std::size_t i = 0; i < lines.size(); ++i) {
                CHECK_MESSAGE(got[i] == expected[i], shell, " (trial variable ", trial_set, "): line ", i, " ",
                              visible(lines[i]), "\n  expected: ", visible(expected[i]),
                              "\n  got:      ", got[i] ? visible(*got[i]) : std::string("(out of step)"));
                if (got[i] != expected[i]) break;
            }
        }
    }
}

TEST_CASE("what split_shell_words refuses means something else to a shell") {
    // In a directory holding the file "ab", with HOME=/h: the words each
    // shell gives for a line the reader refuses, where the literal reading
    // would be different. Expected values from POSIX sh (dash) and bash.
    scratch_dir dir;
    std::ofstream(dir.path() / "ab") << "";
    struct refusal {
        std::string line;
        words dash;
        words bash;
    };
    const std::vector<refusal> refusals{
        {"a*", {"ab"}, {"ab"}}, {"a?", {"ab"}, {"ab"}},        {"[a]b", {"ab"}, {"ab"}},
        {"~", {"/h"}, {"/h"}},  {"a=~", {"a=~"}, {"a=/h"}},    {"{x,y}", {"{x,y}"}, {"x", "y"}},
        {"x #c", {"x"}, {"x"}}, {"\"$HOME\"", {"/h"}, {"/h"}}, {"$HOME$HOME", {"/h/h"}, {"/h/h"}},
    };
    for (const auto& r : refusals) {
        CHECK_MESSAGE(!shell_words::split_shell_words(r.line), visible(r.line));
        for (const auto& shell : shells()) {
            const std::string script = "cd " + dir.path().string() + " || exit 1\nprintf '%s\\0' " + r.line + "\n";
            const auto result = run_program::run({shell, "-c", script}, {"HOME=/h"}, true);
            words got;
            for (std::size_t at = 0; at < result.out.size();) {
                const auto nul = result.out.find('\0', at);
                got.push_back(result.out.substr(at, nul - at));
                at = nul + 1;
            }
            CHECK_MESSAGE(got == (shell == "/bin/bash" ? r.bash : r.dash), shell, ": ", visible(r.line), " gave ",
                          visible(got));
        }
    }
}
