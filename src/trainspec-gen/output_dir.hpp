#pragma once
// Writing a set of files into one directory, all or nothing, for
// `trainspec-gen generate`:
//
//   1. every target is checked first: a file that exists with other content
//      is a conflict (unless overwriting is allowed), one with the same
//      content is left alone ("unchanged") only when the user can trust it
//      (owned by the running user, writable by no one the umask excludes),
//      else replaced ("written"); a symbolic link (never followed), a FIFO or
//      a socket is replaced ("written"); a directory is an error; any
//      conflict stops the whole write;
//   2. the directory is created when missing; an existing one writable by
//      everyone without the sticky bit is refused (others could swap the
//      files after they are written);
//   3. every new content goes to a temporary file next to its target
//      (`.NAME.tmp-PID`, mode 0666 or 0777 less the umask), flushed to
//      disk; a failure removes the temporary files written so far and
//      leaves the targets as they were;
//   4. each temporary file is renamed over its target (rename is atomic:
//      a reader sees the old file or the new one, never half of one).
//
// POSIX only (open, fsync, rename).

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bounded_file.hpp"
#include "cli.hpp"

namespace trainspec_gen {

struct output_file {
    std::string name;     ///< file name inside the directory
    std::string content;  ///< the bytes to write
    bool executable = false;
};

enum class write_status { written, unchanged, overwritten };

inline std::string_view write_status_name(write_status s) {
    switch (s) {
        case write_status::written:
            return "written";
        case write_status::unchanged:
            return "unchanged";
        case write_status::overwritten:
            return "overwritten";
    }
    return "";
}

namespace detail {

inline std::string system_reason(int error) { return std::strerror(error); }

/// The running process's umask (read by setting it and back).
inline mode_t current_umask() {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    return mask;
}

/// Whether a file the user did not make can be left in place: owned by the
/// running user and writable by no one the umask excludes.
inline bool trusted_file(const struct stat& status) {
    return status.st_uid == ::geteuid() && (status.st_mode & 0022 & current_umask()) == 0;
}

/// Writes `content` to a new file at `path` and flushes it to disk.
inline void write_new_file(const std::string& path, const std::string& content, bool executable) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, executable ? 0777 : 0666);
    if (fd < 0) throw input_error("cannot create '" + one_line(path) + "': " + system_reason(errno));
    std::size_t done = 0;
    while (done < content.size()) {
        const auto n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int saved = errno;
            ::close(fd);
            throw input_error("cannot write '" + one_line(path) + "': " + system_reason(saved));
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        const int saved = errno;
        ::close(fd);
        throw input_error("cannot write '" + one_line(path) + "': " + system_reason(saved));
    }
    if (::close(fd) != 0) throw input_error("cannot write '" + one_line(path) + "': " + system_reason(errno));
}

}  // namespace detail

/// The outcome for one file.
struct written_file {
    std::string name;
    std::size_t bytes;
    write_status status;
};

/// Writes `files` into `dir` as described above. Throws input_error listing
/// every conflict (and nothing is written), or naming the failure.
inline std::vector<written_file> write_files_atomically(const std::string& dir, const std::vector<output_file>& files,
                                                        bool force) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto dir_status = fs::status(dir, ec);
    const bool dir_exists = fs::exists(dir_status);
    if (dir_exists && !fs::is_directory(dir_status))
        throw input_error("--out '" + one_line(dir) + "': not a directory");
    const auto dir_permissions = dir_status.permissions();
    if (dir_exists && (dir_permissions & fs::perms::others_write) != fs::perms::none &&
        (dir_permissions & fs::perms::sticky_bit) == fs::perms::none)
        throw input_error("--out '" + one_line(dir) +
                          "': writable by everyone without the sticky bit (others could replace the files); "
                          "choose another directory");

    // 1. Check every target before touching any.
    std::vector<written_file> outcome;
    std::vector<std::string> conflicts;
    for (const auto& f : files) {
        const std::string path = (fs::path(dir) / f.name).string();
        write_status status = write_status::written;
        if (dir_exists) {
            struct stat target {};
            if (::lstat(path.c_str(), &target) == 0) {
                if (S_ISDIR(target.st_mode))
                    throw input_error("'" + one_line(path) + "' exists and is a directory; remove it first");
                if (S_ISREG(target.st_mode)) {
                    // Bounded: one byte more than the new content tells that it differs.
                    const auto existing = read_bounded_file(path, "file", f.content.size(), false);
                    if (!existing.too_large && existing.text == f.content) {
                        if (detail::trusted_file(existing.status)) status = write_status::unchanged;
                    } else if (force) {
                        status = write_status::overwritten;
                    } else {
                        conflicts.push_back(path);
                    }
                }
            }
        }
        outcome.push_back({f.name, f.content.size(), status});
    }
    if (!conflicts.empty()) {
        std::string list;
        for (const auto& c : conflicts) list += (list.empty() ? "'" : ", '") + one_line(c) + "'";
        throw input_error(std::to_string(conflicts.size()) +
                          (conflicts.size() == 1 ? " file differs" : " files differ") +
                          " from what would be written: " + list + "; nothing was written (--force overwrites them)");
    }

    // 2. The directory.
    if (!dir_exists) {
        fs::create_directories(dir, ec);
        if (ec) throw input_error("cannot create the directory '" + one_line(dir) + "': " + ec.message());
    }

    // 3. Every new content into a temporary file.
    std::vector<std::pair<std::string, std::string>> renames;  // temporary, target
    try {
        for (std::size_t i = 0; i < files.size(); ++i) {
            if (outcome[i].status == write_status::unchanged) continue;
            const std::string path = (fs::path(dir) / files[i].name).string();
            const std::string temporary =
                (fs::path(dir) / ("." + files[i].name + ".tmp-" + std::to_string(::getpid()))).string();
            ::unlink(temporary.c_str());  // left over by an earlier run that was killed
            detail::write_new_file(temporary, files[i].content, files[i].executable);
            renames.emplace_back(temporary, path);
        }
    } catch (...) {
        for (const auto& r : renames) ::unlink(r.first.c_str());
        throw;
    }

    // 4. Into place.
    for (std::size_t i = 0; i < renames.size(); ++i) {
        if (std::rename(renames[i].first.c_str(), renames[i].second.c_str()) != 0) {
            const int saved = errno;
            for (std::size_t j = i; j < renames.size(); ++j) ::unlink(renames[j].first.c_str());
            throw input_error("cannot rename '" + one_line(renames[i].first) + "' to '" + one_line(renames[i].second) +
                              "': " + detail::system_reason(saved));
        }
    }
    return outcome;
}

}  // namespace trainspec_gen
