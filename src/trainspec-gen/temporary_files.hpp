#pragma once
// The temporary files of `generate`: each new content is written to
// `.NAME.tmp-PID` next to its target NAME, then renamed over it. A run
// killed before it could clean up (SIGKILL, a crash, a power cut) leaves
// its temporary files; the next run into the directory removes those of
// the names it writes, when nothing can still be writing them. Why PIDs,
// and PID reuse: docs/cli.md#how-generate-writes.
//
// POSIX only (openat, fstatat, unlinkat, kill).

#include <algorithm>
#include <cerrno>
#include <climits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.hpp"

namespace trainspec_gen {

inline constexpr std::string_view temporary_marker = ".tmp-";

/// `.NAME.tmp-PID`: the temporary file of target `name` written by `pid`.
inline std::string temporary_name(std::string_view name, pid_t pid) {
    return "." + std::string(name) + std::string(temporary_marker) + std::to_string(pid);
}

/// The PID in `entry` when it is the temporary file of one of `names`
/// (`.NAME.tmp-PID`, PID a positive decimal without leading zeros).
inline std::optional<pid_t> temporary_owner(std::string_view entry, const std::vector<std::string>& names) {
    if (entry.empty()) return std::nullopt;
    const auto marker = entry.rfind(temporary_marker);
    if (entry.front() != '.' || marker == std::string_view::npos || marker < 2) return std::nullopt;
    const auto name = entry.substr(1, marker - 1);
    const auto digits = entry.substr(marker + temporary_marker.size());
    if (std::find(names.begin(), names.end(), name) == names.end()) return std::nullopt;
    if (digits.empty() || digits.front() == '0') return std::nullopt;
    const auto pid = parse_whole_number(digits, INT_MAX);
    if (!pid) return std::nullopt;
    return static_cast<pid_t>(*pid);
}

/// Whether the run `pid` that wrote a temporary file can no longer write
/// it: this process (it has not made its own yet), or no live process. A
/// reused PID keeps the file until a later run: never remove what a live
/// run may be writing.
inline bool writer_gone(pid_t pid) {
    if (pid == ::getpid()) return true;
    return ::kill(pid, 0) != 0 && errno == ESRCH;
}

/// Removes the temporary files of targets `names` in the directory `dir_fd`
/// that runs which are gone left behind: regular files owned by the running
/// user. Best effort: one that cannot be removed stays for a later run.
inline void remove_stale_temporaries(int dir_fd, const std::vector<std::string>& names) {
    const int listing_fd = ::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (listing_fd < 0) return;
    const std::unique_ptr<DIR, int (*)(DIR*)> listing(::fdopendir(listing_fd), &::closedir);
    if (!listing) {
        ::close(listing_fd);
        return;
    }
    std::vector<std::string> stale;
    while (const dirent* entry = ::readdir(listing.get())) {
        const auto pid = temporary_owner(entry->d_name, names);
        if (!pid) continue;
        struct stat status {};
        if (::fstatat(dir_fd, entry->d_name, &status, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (S_ISREG(status.st_mode) && status.st_uid == ::geteuid() && writer_gone(*pid))
            stale.emplace_back(entry->d_name);
    }
    for (const auto& name : stale) ::unlinkat(dir_fd, name.c_str(), 0);
}

}  // namespace trainspec_gen
