#pragma once
// Reading a file the user named (a spec, a hostfile, an environment file, a
// file generate would replace), bounded in size. The file is opened without
// blocking and checked with fstat after the open, so a device, a FIFO, a
// socket or a directory is refused without a race and without reading it.
// Limits and reasons: docs/limits.md, docs/security.md.
//
// POSIX only (open, fstat, read).

#include <cerrno>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.hpp"
#include "system_failure.hpp"

namespace trainspec_gen {

struct bounded_file {
    std::string text;  ///< at most the limit's bytes
    struct stat status {};
    bool too_large = false;  ///< the file has more bytes than the limit
};

namespace detail {

/// Reads at most `max_bytes` + 1 bytes of `fd`; false (with errno) on a read error.
inline bool read_at_most(int fd, std::uintmax_t max_bytes, std::string& out) {
    char buffer[8192];
    while (out.size() <= max_bytes) {
        const auto n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) break;
        out.append(buffer, static_cast<std::size_t>(n));
    }
    return true;
}

inline std::string file_kind(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
    return "a special file";
}

}  // namespace detail

/// "cannot read spec 'PATH'": the start of every message about reading a file.
inline std::string cannot_read(std::string_view what, const std::string& path) {
    return "cannot read " + std::string(what) + " '" + one_line(path) + "'";
}

/// Throws what a read that failed with `error` is: system_failure when the
/// system failed it (is_system_read_error()), else input_error. `failed_read`
/// names the read ("cannot read spec '...'").
[[noreturn]] inline void throw_read_error(const std::string& failed_read, int error) {
    if (is_system_read_error(error)) throw system_failure(failed_read + ": " + system_reason(error));
    throw input_error(failed_read + ": " + system_reason(error));
}

/// `path` read up to `max_bytes`. A symbolic link is followed unless
/// `follow_links` is false (then it is refused). Throws input_error naming
/// `what`, the path and the reason (never the file's content) when the file
/// cannot be opened, is not a regular file or cannot be read; system_failure
/// when the system failed the read (is_system_read_error()).
inline bounded_file read_bounded_file(const std::string& path, std::string_view what, std::uintmax_t max_bytes,
                                      bool follow_links = true) {
    const std::string failed_read = cannot_read(what, path);
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | (follow_links ? 0 : O_NOFOLLOW));
    if (fd < 0) throw_read_error(failed_read, errno);
    bounded_file file;
    const bool stated = ::fstat(fd, &file.status) == 0;
    const bool regular = stated && S_ISREG(file.status.st_mode);
    const bool read_whole = regular && detail::read_at_most(fd, max_bytes, file.text);
    const int saved = errno;
    ::close(fd);
    if (stated && !regular)
        throw input_error(failed_read + ": is " + detail::file_kind(file.status.st_mode) + ", not a regular file");
    if (!read_whole) throw_read_error(failed_read, saved);
    if (file.text.size() > max_bytes) {
        file.text.resize(static_cast<std::size_t>(max_bytes));
        file.too_large = true;
    }
    return file;
}

/// Why an input over `max_bytes` is refused: the limit of `a_kind` ("a spec").
inline std::string over_limit_rule(std::uintmax_t max_bytes, std::string_view a_kind) {
    return "has more than " + std::to_string(max_bytes) + " bytes, the limit of " + std::string(a_kind);
}

/// read_bounded_file() whose too large file is an error naming the limit.
inline std::string read_limited_file(const std::string& path, std::string_view what, std::uintmax_t max_bytes) {
    auto file = read_bounded_file(path, what, max_bytes);
    if (file.too_large)
        throw input_error(cannot_read(what, path) + ": " + over_limit_rule(max_bytes, "a " + std::string(what)));
    return std::move(file.text);
}

}  // namespace trainspec_gen
