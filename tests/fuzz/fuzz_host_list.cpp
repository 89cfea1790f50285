// libFuzzer target: parse_host_list() (`--hosts a:4,b:2`) on any text. It
// returns hosts or throws host_list_error naming an item of the text, never
// anything else; it accepts exactly the lists of the documented grammar
// (documented_hosts() below: docs/rules.md, spec/hosts.hpp); and what the
// library writes for the hosts it accepted reads back as the same hosts:
// format_host_list() through parse_host_list() and through horovodrun's
// own reader, every flavor's hostfile_text() through parse_hostfile() and
// through that launcher's reader (written_hosts.hpp).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <trainspec/detail/rules.hpp>
#include <trainspec/spec/hosts.hpp>

#include "property_check.hpp"
#include "written_hosts.hpp"

namespace {

using property_check::require;
using property_check::visible;
using trainspec::host;

/// `host` or `host:N` items joined by ','; no blank anywhere; a name that
/// host_name_problem() accepts; N whole, 1 to max_host_slots; each name once.
std::optional<std::vector<host>> documented_hosts(std::string_view text) {
    if (text.empty()) return std::nullopt;
    std::vector<host> hosts;
    std::set<std::string, std::less<>> names;
    std::size_t start = 0;
    while (true) {
        const auto comma = text.find(',', start);
        const auto item = text.substr(start, comma == std::string_view::npos ? comma : comma - start);
        if (item.empty() || item.find_first_of(" \t\n\v\f\r") != std::string_view::npos) return std::nullopt;
        const auto colon = item.find(':');
        const auto name = item.substr(0, colon);
        std::int64_t slots = 1;
        if (colon != std::string_view::npos) {
            const auto digits = item.substr(colon + 1);
            if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
            slots = 0;
            for (char c : digits) slots = std::min<std::int64_t>(slots * 10 + (c - '0'), INT64_C(1) << 40);
            if (slots < 1 || slots > trainspec::detail::max_host_slots) return std::nullopt;
        }
        if (trainspec::detail::host_name_problem(name)) return std::nullopt;
        if (!names.emplace(name).second) return std::nullopt;
        hosts.push_back({std::string(name), static_cast<int>(slots)});
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return hosts;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto documented = documented_hosts(text);
    try {
        std::vector<host> hosts;
        try {
            hosts = trainspec::parse_host_list(text);
        } catch (const trainspec::host_list_error& e) {
            require(!documented, "parse_host_list() refuses only lists outside the grammar",
                    visible(text) + ": " + e.what());
            require(text.find(e.item()) != std::string_view::npos, "the error names an item of the list",
                    visible(text) + ": " + visible(e.item()));
            return 0;
        }
        require(documented == hosts, "parse_host_list() reads the grammar's hosts",
                visible(text) + " gave " + visible(trainspec::format_host_list(hosts)));
        written_hosts::check_read_back(hosts);
    } catch (const std::exception& e) {
        require(false, "no exception but host_list_error", visible(text) + ": " + e.what());
    }
    return 0;
}
