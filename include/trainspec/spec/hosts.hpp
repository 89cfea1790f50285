#pragma once
// Host lists: Horovod's `host:slots,host:slots`, hostfiles in Open MPI and
// Hydra syntax, and hosts generated from a naming pattern.
//
// Stricter than Horovod's parser on purpose: whitespace inside a list (which
// would split the mpirun word), duplicate hosts and malformed items are
// errors naming the item and the reason.

#include <string>
#include <string_view>
#include <vector>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/detail/linkage.hpp>
#include <trainspec/error.hpp>
#include <trainspec/spec/compute_target.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// A host list or hostfile that cannot be used: which item, and why.
class host_list_error : public error {
public:
    host_list_error(std::string item, const std::string& reason)
        : error("invalid host " + detail::quote_json(item) + ": " + reason,
                {{"hosts", detail::quote_json(item), reason}}),
          item_(std::move(item)) {}

    /// The entry as written (value() is its JSON quoting); rule() says why.
    const std::string& item() const noexcept { return item_; }

private:
    std::string item_;
};

namespace detail {
/// The whitespace of C's isspace() in the "C" locale.
inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }
}  // namespace detail

/// Parses `host:slots,host:slots` (a bare `host` has 1 slot).
std::vector<host> parse_host_list(std::string_view text);

/// Parses a hostfile: one host per line, `#` starts a comment, blank lines
/// are ignored. An error names the line and the start of its entry only
/// (hostfile_word_shown()). A line is `host`, `host:N` (Hydra), or `host slots=N
/// [max_slots=M]` (Open MPI).
std::vector<host> parse_hostfile(std::string_view text);

/// `count` hosts named by `pattern`, where `{index}` becomes 0, 1, ...
/// (for example "node-{index}" or "{index}.workers.example"), each with
/// `slots` slots.
std::vector<host> generate_hosts(std::string_view pattern, int count, int slots);

/// `host:slots,host:slots`: the form parse_host_list() reads back.
std::string format_host_list(const std::vector<host>& hosts);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <trainspec/detail/host_parsing.hpp>
#endif
