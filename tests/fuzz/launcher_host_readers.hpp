#pragma once
// How each launcher reads the host lists and hostfiles the library writes
// for it, transcribed from the launchers' own readers (tests/fuzz/README.md
// names them): Horovod's -H list and hostfile, Open MPI's and Hydra's
// hostfiles. Each gives the hosts the launcher would use, or nullopt where
// it would fail. They are the fuzz targets' reference, not the library's
// parsers: they share no code with include/trainspec.

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <trainspec/spec/compute_target.hpp>

namespace launcher_host_readers {

using hosts = std::vector<trainspec::host>;

namespace detail {

/// Python's \w for ASCII text.
constexpr bool is_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/// Python's str.split() with no argument, for ASCII text.
inline std::vector<std::string_view> python_split(std::string_view s) {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    auto space = [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' ||
               (c >= '\x1c' && c <= '\x1f');
    };
    while (i < s.size()) {
        while (i < s.size() && space(s[i])) ++i;
        const auto start = i;
        while (i < s.size() && !space(s[i])) ++i;
        if (i > start) words.push_back(s.substr(start, i - start));
    }
    return words;
}

inline std::string_view python_strip(std::string_view s) {
    const auto words = python_split(s);
    if (words.empty()) return {};
    return std::string_view(words.front().data(),
                            static_cast<std::size_t>(words.back().data() + words.back().size() - words.front().data()));
}

/// Digits as a number, saturating beyond any slot count.
inline long long digits_value(std::string_view digits) {
    long long n = 0;
    for (char c : digits) n = std::min(n * 10 + (c - '0'), 1'000'000'000'000LL);
    return n;
}

/// C's atoi() for the values the library writes: blanks, a sign, digits.
inline long long c_atoi(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) ++i;
    bool negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    long long n = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9' && n < 1'000'000'000'000LL; ++i) n = n * 10 + (s[i] - '0');
    return negative ? -n : n;
}

/// The lines of `text` as a C reader sees them (split at '\n').
inline std::vector<std::string_view> lines(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = text.find('\n', start);
        out.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        start = end == std::string_view::npos ? text.size() : end + 1;
    }
    return out;
}

}  // namespace detail

/// Horovod's -H as horovodrun reads it (horovod/runner/common/util/hosts.py,
/// parse_hosts_and_slots): split at ',', each item stripped must match
/// ^[\w.-]+:[0-9]+$ and is split at ':' into the name and int(slots).
inline std::optional<hosts> horovod_host_list(std::string_view list) {
    hosts out;
    std::size_t start = 0;
    while (true) {
        const auto comma = list.find(',', start);
        const auto item =
            detail::python_strip(list.substr(start, comma == std::string_view::npos ? comma : comma - start));
        const auto colon = item.find(':');
        if (colon == std::string_view::npos || colon == 0 || colon + 1 == item.size()) return std::nullopt;
        for (char c : item.substr(0, colon))
            if (!detail::is_word_char(c) && c != '.' && c != '-') return std::nullopt;
        const auto digits = item.substr(colon + 1);
        if (digits.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
        out.push_back({std::string(item.substr(0, colon)), static_cast<int>(detail::digits_value(digits))});
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return out;
}

/// Horovod's hostfile (horovod/runner/common/util/hosts.py, parse_host_files):
/// every line is rstrip()ed, its name is line.split()[0] and its slots
/// line.split('=')[1], joined as "name:slots,..." for -H.
inline std::optional<hosts> horovod_hostfile(std::string_view text) {
    std::string list;
    // readlines() in text mode: universal newlines.
    std::string normalised;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            normalised += '\n';
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else {
            normalised += text[i];
        }
    }
    for (const auto line : detail::lines(normalised)) {
        const auto words = detail::python_split(line);  // rstrip() changes neither split
        if (words.empty()) return std::nullopt;         // IndexError
        const auto eq = line.find('=');
        if (eq == std::string_view::npos) return std::nullopt;  // IndexError
        const auto next = line.find('=', eq + 1);
        const auto slots = line.substr(eq + 1, next == std::string_view::npos ? next : next - eq - 1);
        if (!list.empty()) list += ',';
        list += std::string(words.front()) + ":" + std::string(slots);
    }
    if (list.empty()) return hosts{};
    return horovod_host_list(list);
}

/// Open MPI's hostfile (opal/util/hostfile, hostfile_lex.l) for the form the
/// library writes: `name slots=N`, '#' to the end of the line a comment, a
/// name listed again adding its slots.
inline std::optional<hosts> open_mpi_hostfile(std::string_view text) {
    hosts out;
    for (auto line : detail::lines(text)) {
        if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
        const auto words = detail::python_split(line);
        if (words.empty()) continue;
        std::optional<int> slots;
        for (std::size_t i = 1; i < words.size(); ++i) {
            const auto w = words[i];
            if (w.substr(0, 6) != "slots=") return std::nullopt;  // the library writes no other keyword
            const auto digits = w.substr(6);
            if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
            slots = static_cast<int>(detail::digits_value(digits));
        }
        if (!slots) return std::nullopt;  // Open MPI would count the host's cores
        bool added = false;
        for (auto& h : out)
            if (h.name == words.front()) {
                h.slots += *slots;
                added = true;
            }
        if (!added) out.push_back({std::string(words.front()), *slots});
    }
    return out;
}

/// Hydra's hostfile (MPICH src/pm/hydra/lib/utils: HYDU_parse_hostfile and
/// process_mfile_token): '#' starts a comment, the first token of a line is
/// strtok()ed at ':' into the name and atoi(count) (1 without a count), a
/// line with the same name as the one before adds to it, and any further
/// token other than user=... or binding=... is an error.
inline std::optional<hosts> hydra_hostfile(std::string_view text) {
    hosts out;
    for (auto line : detail::lines(text)) {
        if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
        const auto words = detail::python_split(line);
        if (words.empty()) continue;
        for (std::size_t i = 1; i < words.size(); ++i)
            if (words[i].substr(0, 5) != "user=" && words[i].substr(0, 8) != "binding=") return std::nullopt;
        auto token = words.front();
        const auto first = token.find_first_not_of(':');  // strtok skips leading separators
        if (first == std::string_view::npos) return std::nullopt;
        token.remove_prefix(first);
        const auto colon = token.find(':');
        const auto name = token.substr(0, colon);
        int slots = 1;
        if (colon != std::string_view::npos) {
            auto rest = token.substr(colon + 1);
            rest.remove_prefix(std::min(rest.size(), rest.find_first_not_of(':')));
            if (!rest.empty()) slots = static_cast<int>(detail::c_atoi(rest.substr(0, rest.find(':'))));
        }
        if (!out.empty() && out.back().name == name)
            out.back().slots += slots;
        else
            out.push_back({std::string(name), slots});
    }
    return out;
}

}  // namespace launcher_host_readers
