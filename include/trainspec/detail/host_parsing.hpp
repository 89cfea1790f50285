#pragma once
// The parsers behind spec/hosts.hpp: host lists, hostfiles (Open MPI and Hydra
// syntax) and generated names, each error naming the item and the rule.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/detail/linkage.hpp>
#include <trainspec/detail/rules.hpp>
#include <trainspec/error.hpp>
#include <trainspec/spec/compute_target.hpp>
#include <trainspec/spec/hosts.hpp>
#include <trainspec/spec/limits.hpp>
#include <trainspec/spec/names.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// The digits after `separator` (':' in `host:N`, '=' in `slots=N`).
inline int parse_slots(std::string_view digits, const std::string& item, char separator = ':') {
    if (digits.empty()) throw host_list_error(item, std::string("the slot count after '") + separator + "' is missing");
    std::int64_t n = 0;
    for (char c : digits) {
        if (!is_digit(c)) throw host_list_error(item, "the slot count must be a whole number");
        n = n * 10 + (c - '0');
        if (n > max_host_slots) break;
    }
    if (auto why = host_slots_problem(n)) throw host_list_error(item, *why);
    return static_cast<int>(n);
}

inline void check_host_name(std::string_view name, const std::string& item) {
    if (auto why = host_name_problem(name)) throw host_list_error(item, *why);
}

/// Throws for the first host listed twice, naming its second item.
inline void check_unique(const std::vector<host>& hosts, const std::vector<std::string>& items) {
    const auto earlier = earlier_same(hosts, [](const host& h) { return std::string_view(h.name); });
    for (std::size_t i = 0; i < hosts.size(); ++i)
        if (earlier[i] != std::string_view::npos) throw host_list_error(items[i], duplicate_host_rule(hosts[i].name));
}

/// `name` or `name:slots`.
inline host parse_host_item(std::string_view text, const std::string& item) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) {
        check_host_name(text, item);
        return {std::string(text), 1};
    }
    if (text.find(':', colon + 1) != std::string_view::npos)
        throw host_list_error(item, "expected host:slots with a single ':'");
    check_host_name(text.substr(0, colon), item);
    return {std::string(text.substr(0, colon)), parse_slots(text.substr(colon + 1), item)};
}

/// The start of a hostfile's word as an error shows it: the characters a
/// host entry may hold, at most 64. A file that is no hostfile (a secret
/// named by mistake) is not printed beyond them.
inline std::string hostfile_word_shown(std::string_view word) {
    constexpr std::size_t max_shown = 64;
    std::size_t n = 0;
    while (n < word.size() && n < max_shown && (is_host_name_character(word[n]) || word[n] == ':' || word[n] == '='))
        ++n;
    return std::string(word.substr(0, n)) + (n < word.size() ? "..." : "");
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE

// The entry points of <trainspec/spec/hosts.hpp> (compiled once in compiled mode).
#if TRAINSPEC_DEFINITIONS
TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_INLINE std::vector<host> parse_host_list(std::string_view text) {
    std::vector<host> hosts;
    std::vector<std::string> items;
    if (text.empty()) throw host_list_error("", "the host list is empty");
    std::size_t start = 0;
    while (true) {
        const auto comma = text.find(',', start);
        const auto piece = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        const std::string item(piece);
        for (char c : piece)
            if (detail::is_space(c))
                throw host_list_error(item,
                                      "whitespace inside the host list; write host:slots,host:slots without spaces");
        if (piece.empty()) throw host_list_error(item, "empty item (two commas in a row, or a comma at an end)");
        if (auto why = detail::host_count_problem(hosts.size() + 1)) throw host_list_error("", "the host list " + *why);
        hosts.push_back(detail::parse_host_item(piece, item));
        items.push_back(item);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    detail::check_unique(hosts, items);
    return hosts;
}

TRAINSPEC_INLINE std::vector<host> parse_hostfile(std::string_view text) {
    if (text.size() > max_hostfile_bytes)
        throw host_list_error("", "the hostfile has " + std::to_string(text.size()) +
                                      " bytes; a hostfile has at most " + std::to_string(max_hostfile_bytes) +
                                      " (docs/limits.md)");
    std::vector<host> hosts;
    std::vector<std::string> items;
    std::size_t line_number = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = text.find('\n', start);
        auto line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        ++line_number;
        start = end == std::string_view::npos ? text.size() + 1 : end + 1;
        if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
        std::vector<std::string_view> words;
        std::size_t i = 0;
        while (i < line.size()) {
            while (i < line.size() && detail::is_space(line[i])) ++i;
            const auto word_start = i;
            while (i < line.size() && !detail::is_space(line[i])) ++i;
            if (i > word_start) words.push_back(line.substr(word_start, i - word_start));
        }
        if (words.empty()) continue;
        const std::string item =
            "line " + std::to_string(line_number) + ": " + detail::hostfile_word_shown(words.front());
        host h = detail::parse_host_item(words.front(), item);
        bool slots_given = words.front().find(':') != std::string_view::npos;
        int max_slots = 0;
        for (std::size_t w = 1; w < words.size(); ++w) {
            const auto word = words[w];
            const auto eq = word.find('=');
            const auto key = word.substr(0, eq);
            if (eq == std::string_view::npos || (key != "slots" && key != "max_slots" && key != "max-slots"))
                throw host_list_error(item, "unknown field " + detail::quote_json(detail::hostfile_word_shown(word)) +
                                                "; expected slots=N or max_slots=N");
            const int n = detail::parse_slots(word.substr(eq + 1), item, '=');
            if (key == "slots") {
                if (slots_given) throw host_list_error(item, "the slot count is given twice");
                h.slots = n;
                slots_given = true;
            } else {
                max_slots = n;
            }
        }
        if (max_slots != 0 && max_slots < h.slots) throw host_list_error(item, "max_slots is smaller than slots");
        if (auto why = detail::host_count_problem(hosts.size() + 1))
            throw host_list_error(item, "the hostfile " + *why);
        hosts.push_back(std::move(h));
        items.push_back(item);
    }
    if (hosts.empty()) throw host_list_error("", "the hostfile lists no host");
    detail::check_unique(hosts, items);
    return hosts;
}

TRAINSPEC_INLINE std::vector<host> generate_hosts(std::string_view pattern, int count, int slots) {
    const auto at = pattern.find("{index}");
    if (at == std::string_view::npos) throw host_list_error(std::string(pattern), "the pattern needs {index}");
    if (count < 0) throw host_list_error(std::string(pattern), "the host count must be at least 0");
    // Slots that parse_host_list() would reject are rejected here too, so
    // that format_host_list() of generated hosts reads back.
    if (auto why = detail::host_slots_problem(slots)) throw host_list_error(std::string(pattern), *why);
    if (auto why = detail::host_count_problem(static_cast<std::size_t>(count)))
        throw host_list_error(std::string(pattern), "the pattern " + *why);
    std::vector<host> hosts;
    for (int i = 0; i < count; ++i) {
        std::string name(pattern.substr(0, at));
        name += std::to_string(i);
        name += pattern.substr(at + 7);
        detail::check_host_name(name, name);
        hosts.push_back({std::move(name), slots});
    }
    return hosts;
}

TRAINSPEC_INLINE std::string format_host_list(const std::vector<host>& hosts) {
    std::string text;
    for (const auto& h : hosts) {
        if (!text.empty()) text += ',';
        text += h.name + ":" + std::to_string(h.slots);
    }
    return text;
}
TRAINSPEC_END_NAMESPACE
#endif
