// shell_quote() and shell_join() against the real shell: thousands of random
// argv vectors full of quotes, `$`, backticks, newlines, globs, `~`, `#`,
// `!`, tabs, backslashes, control characters, UTF-8 and raw high bytes are
// quoted, handed to /bin/sh (and bash, when present) as
//     printf '%s\0' <quoted words>
// and the NUL-separated words that come back must equal the argv exactly.
//
// The seed is fixed (TRAINSPEC_SHELL_QUOTE_SEED overrides it) and is printed
// with every failure, together with the vector and the line.

#include <doctest/doctest.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <trainspec/render/shell_quote.hpp>

#include "property_check.hpp"
#include "run_program.hpp"

using namespace trainspec;
using property_check::visible;
using run_program::run;

namespace {

bool exists(const char* path) { return access(path, X_OK) == 0; }

/// The pieces random arguments are made of: every character sh treats
/// specially somewhere, plain ones, control characters, UTF-8 sequences and
/// bytes that are not UTF-8 at all.
const std::vector<std::string>& pieces() {
    static const std::vector<std::string> all = [] {
        std::vector<std::string> p;
        for (char c : std::string(" \t\n\r'\"\\$`*?[]~#!&|;<>(){}=%^@+,:./-_")) p.push_back(std::string(1, c));
        for (const char* s : {"a",        "Z",    "0",    "9",    "x",        "--",           "${HOME}",
                              "$(id)",    "$1",   "$@",   "\\'",  "'\"'",     "~root",        "*.py",
                              "[!a]",     "\x01", "\x1f", "\x7f", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
                              "\xd7\xa9", "\xff", "\x80", "\xc3"})
            p.push_back(s);
        return p;
    }();
    return all;
}

/// Seeded generator with our own arithmetic, so that a seed gives the same
/// vectors with every standard library.
class generator {
public:
    explicit generator(std::uint64_t seed) : engine_(seed) {}

    std::size_t below(std::size_t n) { return static_cast<std::size_t>(engine_() % n); }

    std::string argument() {
        switch (below(10)) {
            case 0:
                return "";  // empty arguments must survive
            case 1: {       // a bare-looking word
                static const std::string safe = "abcXYZ019_@%+=:,./-";
                std::string s;
                for (std::size_t i = 0, n = 1 + below(8); i < n; ++i) s += safe[below(safe.size())];
                return s;
            }
            default: {
                std::string s;
                const auto& p = pieces();
                for (std::size_t i = 0, n = 1 + below(10); i < n; ++i) s += p[below(p.size())];
                return s;
            }
        }
    }

    std::vector<std::string> argv() {
        std::vector<std::string> v;
        for (std::size_t i = 0, n = below(7); i < n; ++i) v.push_back(argument());
        return v;
    }

private:
    std::mt19937_64 engine_;
};

std::uint64_t seed() {
    if (const char* s = std::getenv("TRAINSPEC_SHELL_QUOTE_SEED")) return std::strtoull(s, nullptr, 10);
    return 20240611;
}

/// Runs one batch of vectors through `shell` and checks each. For every
/// vector the script prints the argument count, then (when there are
/// arguments) runs the quoted line `printf '%s\0' <words>`.
void check_batch(const std::string& shell, const std::vector<std::vector<std::string>>& batch, std::size_t first,
                 std::uint64_t seed_value) {
    std::string script;
    std::vector<std::string> lines;
    for (const auto& argv : batch) {
        std::vector<std::string> command{"printf", "%s\\0"};
        command.insert(command.end(), argv.begin(), argv.end());
        lines.push_back(shell_join(command));
        script += "printf '%d\\0' " + std::to_string(argv.size()) + "\n";
        if (!argv.empty()) script += lines.back() + "\n";
    }
    const auto result = run({shell, "-c", script});
    REQUIRE_MESSAGE(result.status == 0, shell, " failed on the batch starting at vector ", first, " (seed ", seed_value,
                    ")");
    std::size_t at = 0;
    auto next = [&]() -> std::string {
        const auto nul = result.out.find('\0', at);
        if (nul == std::string::npos) throw std::runtime_error("output ended early");
        std::string word = result.out.substr(at, nul - at);
        at = nul + 1;
        return word;
    };
    for (std::size_t k = 0; k < batch.size(); ++k) {
        const auto& expected = batch[k];
        std::vector<std::string> got;
        bool complete = true;
        try {
            const auto count = std::stoul(next());
            for (std::size_t i = 0; i < count; ++i) got.push_back(next());
        } catch (const std::exception&) {
            complete = false;
        }
        if (!complete || got != expected) {
            FAIL_CHECK(shell, ": vector ", first + k, " (seed ", seed_value,
                       ") did not read back\n  argv:  ", visible(expected), "\n  line:  ", visible(lines[k]),
                       "\n  got:   ", visible(got));
            return;  // the rest of the output is out of step
        }
    }
    CHECK_MESSAGE(at == result.out.size(), shell, ": trailing output after the batch at ", first);
}

}  // namespace

TEST_CASE("shell_quote leaves safe words bare and single-quotes the rest") {
    CHECK(shell_quote("train.py") == "train.py");
    CHECK(shell_quote("--learning-rate=0.01") == "--learning-rate=0.01");
    CHECK(shell_quote("a@b%c+d:e,f/g") == "a@b%c+d:e,f/g");
    CHECK(shell_quote("") == "''");
    CHECK(shell_quote("two words") == "'two words'");
    CHECK(shell_quote("it's") == "'it'\\''s'");
    CHECK(shell_quote("'") == "''\\'''");
    CHECK(shell_quote("$HOME") == "'$HOME'");
    CHECK(shell_quote("~") == "'~'");
    CHECK(shell_quote("#x") == "'#x'");
    CHECK(shell_quote("*.py") == "'*.py'");
    CHECK(shell_quote("a\nb") == "'a\nb'");
    CHECK(shell_quote("\xc3\xa9") == "'\xc3\xa9'");
    CHECK(shell_quote("^openib") == "'^openib'");
    CHECK(shell_quote("-p 2222") == "'-p 2222'");
}

TEST_CASE("shell_join quotes each argument and joins them with spaces") {
    CHECK(shell_join({}) == "");
    CHECK(shell_join({""}) == "''");
    CHECK(shell_join({"python", "train.py", "--lr", "0.01"}) == "python train.py --lr 0.01");
    CHECK(shell_join({"echo", "", "a b"}) == "echo '' 'a b'");
    // Only the first word is a command name; later ones are plain arguments.
    CHECK(shell_join({"A=1", "A=1"}) == "'A=1' A=1");
    CHECK(shell_join({"if", "if"}) == "'if' if");
    CHECK(shell_join({"{"}) == "'{'");
    CHECK(shell_join({"=x", "1A=b"}) == "=x 1A=b");
    CHECK(shell_join({"A=it's"}) == "'A=it'\\''s'");
}

TEST_CASE("shell_join's first word runs as the command even when it looks like an assignment or keyword") {
    // Programs named like an assignment and like a reserved word, found on
    // PATH: the line must run them, not assign or parse a keyword.
    char dir_template[] = "/tmp/trainspec-shell-XXXXXX";
    const char* dir = mkdtemp(dir_template);
    REQUIRE(dir != nullptr);
    // A+=1 is an assignment for bash only (dash runs it as a command).
    const std::vector<std::string> names{"A=1", "A+=1", "if", "then", "while"};
    for (const auto& name : names) {
        const std::string path = std::string(dir) + "/" + name;
        std::ofstream(path) << "#!/bin/sh\nprintf '%s|' \"" << name << "\" \"$@\"\n";
        REQUIRE(chmod(path.c_str(), 0755) == 0);
    }
    const std::vector<std::string> shells{"/bin/sh", "/bin/bash"};
    for (const auto& shell : shells)
        for (const auto& name : names) {
            const auto line = shell_join({name, "x y"});
            const auto result = run({shell, "-c", "PATH=" + shell_quote(dir) + ":$PATH; " + line});
            CAPTURE(shell);
            CAPTURE(line);
            CHECK(result.status == 0);
            CHECK(result.out == name + "|x y|");
        }
    for (const auto& name : names) std::remove((std::string(dir) + "/" + name).c_str());
    rmdir(dir);
}

TEST_CASE("property: random argv vectors read back exactly through the real shell") {
    const auto seed_value = seed();
    INFO("seed ", seed_value, " (set TRAINSPEC_SHELL_QUOTE_SEED to repeat or vary)");
    std::vector<std::string> shells;
    for (const char* s : {"/bin/sh", "/bin/bash", "/bin/dash"})
        if (exists(s)) shells.emplace_back(s);
    REQUIRE_FALSE(shells.empty());

    constexpr std::size_t vectors = 20000;
    constexpr std::size_t max_script = 60000;  // well below one argument's limit (128 KiB)
    generator gen(seed_value);
    std::vector<std::vector<std::string>> all;
    for (std::size_t i = 0; i < vectors; ++i) all.push_back(gen.argv());

    // Every piece of the alphabet must actually occur.
    std::string joined;
    for (const auto& v : all)
        for (const auto& a : v) joined += a;
    for (const auto& piece : pieces()) CHECK_MESSAGE(joined.find(piece) != std::string::npos, visible(piece));

    for (const auto& shell : shells) {
        std::vector<std::vector<std::string>> batch;
        std::size_t first = 0;
        std::size_t size = 0;
        for (std::size_t i = 0; i < all.size(); ++i) {
            batch.push_back(all[i]);
            size += shell_join(all[i]).size() + 32;
            if (size > max_script || i + 1 == all.size()) {
                check_batch(shell, batch, first, seed_value);
                batch.clear();
                first = i + 1;
                size = 0;
            }
        }
    }
}

TEST_CASE("the property harness fails on a wrong quoting") {
    // A deliberately broken quoting (plain double quotes) must be caught by
    // the same read-back, so the property test can fail.
    const std::vector<std::string> argv{"$HOME", "a\"b"};
    std::string line = "printf '%s\\0'";
    for (const auto& a : argv) line += " \"" + a + "\"";
    const auto result = run({"/bin/sh", "-c", line}, true);
    std::vector<std::string> got;
    std::size_t at = 0;
    while (at < result.out.size()) {
        const auto nul = result.out.find('\0', at);
        if (nul == std::string::npos) break;
        got.push_back(result.out.substr(at, nul - at));
        at = nul + 1;
    }
    CHECK(got != argv);
}
