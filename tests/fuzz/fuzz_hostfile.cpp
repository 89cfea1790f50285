// libFuzzer target: parse_hostfile() on any file. The first byte picks the
// launcher whose hostfile is written back (its value mod 4: '0' openmpi,
// '1' mpich, '2' intel, '3' horovodrun); the rest is the file, in any
// syntax the parser takes: `host`, Hydra's `host:N`, Open MPI's
// `host slots=N max_slots=M` (or max-slots=M), '#' comments, blank lines,
// CRLF. The parser returns hosts or throws host_list_error, never anything
// else. An error shows the line number and at most the first 64 host-entry
// characters of a word, and no other byte of the file (docs/security.md).
// Accepted hosts obey the host rules, and every form the library writes
// reads back as the same hosts, first in the picked flavor's hostfile,
// through the library and through that launcher's reader (written_hosts.hpp).

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include <trainspec/detail/rules.hpp>
#include <trainspec/render/mpi_hostfile.hpp>
#include <trainspec/spec/enum_names.hpp>
#include <trainspec/spec/hosts.hpp>
#include <trainspec/spec/mpi_flavor.hpp>

#include "property_check.hpp"
#include "written_hosts.hpp"

namespace {

using property_check::require;
using property_check::visible;

constexpr bool is_entry_character(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-' || c == ':' || c == '=';
}

/// An error's item: "" (no host at all), or "line N: " and a word's start as
/// hostfile_word_shown() promises, N a line of the file.
bool is_shown_item(const std::string& item, std::string_view file) {
    if (item.empty()) return true;
    if (item.rfind("line ", 0) != 0) return false;
    const auto colon = item.find(": ");
    if (colon == std::string::npos || colon == 5) return false;
    std::size_t line = 0;
    for (std::size_t i = 5; i < colon; ++i) {
        if (item[i] < '0' || item[i] > '9') return false;
        line = line * 10 + static_cast<std::size_t>(item[i] - '0');
        if (line > file.size() + 1) return false;
    }
    std::size_t lines = 1;
    for (char c : file) lines += c == '\n';
    if (line < 1 || line > lines) return false;
    std::string_view word(item);
    word.remove_prefix(colon + 2);
    if (word.size() >= 3 && word.substr(word.size() - 3) == "...") word.remove_suffix(3);
    if (word.size() > 64) return false;
    for (char c : word)
        if (!is_entry_character(c)) return false;
    return true;
}

bool is_printable_ascii(std::string_view s) {
    for (char c : s)
        if (c < 0x20 || c > 0x7e) return false;
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const auto flavors = trainspec::enum_values<trainspec::mpi_flavor>();
    const auto flavor = flavors[data[0] % flavors.size()];
    const std::string_view file(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        std::vector<trainspec::host> hosts;
        try {
            hosts = trainspec::parse_hostfile(file);
        } catch (const trainspec::host_list_error& e) {
            require(is_shown_item(e.item(), file), "the error shows a line number and a word's start only",
                    visible(e.item()));
            require(is_printable_ascii(e.what()), "the error's text holds no other byte of the file",
                    visible(e.what()));
            return 0;
        }
        require(!hosts.empty(), "a hostfile has a host");
        for (const auto& h : hosts) {
            require(!trainspec::detail::host_name_problem(h.name), "an accepted host name obeys the rule",
                    visible(h.name));
            require(!trainspec::detail::host_slots_problem(h.slots), "an accepted slot count obeys the rule",
                    visible(h.name));
        }
        const auto written = trainspec::hostfile_text(hosts, flavor);
        require(trainspec::parse_hostfile(written) == hosts, "the flavor's hostfile reads back", visible(written));
        require(written_hosts::launcher_reads(flavor, written) == hosts, "the launcher reads the same hosts",
                std::string(trainspec::enum_name(flavor)) + ": " + visible(written));
        written_hosts::check_read_back(hosts);
    } catch (const std::exception& e) {
        require(false, "no exception but host_list_error", visible(file) + ": " + e.what());
    }
    return 0;
}
