#pragma once
// Writing a set of files into one directory for `trainspec-gen generate`:
// each file appears whole or not at all, and a failed run leaves no
// temporary file. In order:
//
//   1. every target is checked first: a file that exists with other content
//      is a conflict (unless overwriting is allowed), one with the same
//      content is left alone ("unchanged") only when the user can trust it
//      (owned by the running user, writable by no one the umask excludes),
//      else replaced ("written"); a symbolic link (never followed), a FIFO or
//      a socket is replaced ("written"); a directory is an error; any
//      conflict stops the whole write;
//   2. the missing directories are created; an existing one writable by
//      everyone without the sticky bit is refused (others could swap the
//      files after they are written); from here on the directory is used
//      through one descriptor, whatever happens to its path;
//   3. temporary files that killed runs left next to the targets are
//      removed (temporary_files.hpp);
//   4. every new content goes to a temporary file next to its target
//      (`.NAME.tmp-PID`, mode 0666 or 0777 less the umask), written,
//      flushed to disk (fsync) and closed;
//   5. each temporary file is renamed over its target, in order (rename is
//      atomic: a reader sees the old file or the new one, never half);
//   6. the directory is flushed to disk (and the parent of each directory
//      created): only then is the run done.
//
// A failure is a system_failure naming the file and the system's reason.
// Before 5 it leaves the directory as it was (this run's temporary files
// and the directories it created are removed); during 5 the files renamed
// so far are new and the others old, which the message lists; at 6 every
// file is new. docs/cli.md#how-generate-writes.
//
// POSIX only (openat, fsync, renameat).

#include <cerrno>
#include <filesystem>
#include <optional>
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
#include "system_failure.hpp"
#include "temporary_files.hpp"

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

/// A descriptor closed when it goes out of scope, where its close has
/// nothing to report (a directory opened for reading).
class scoped_fd {
public:
    explicit scoped_fd(int fd) : fd_(fd) {}
    scoped_fd(const scoped_fd&) = delete;
    scoped_fd& operator=(const scoped_fd&) = delete;
    ~scoped_fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }

private:
    int fd_;
};

/// What failed, for the message: the step ("write") and errno.
struct failed_step {
    std::string_view step;
    int error = 0;
};

/// Creates `name` in `dir_fd` (it must not exist), writes `content`, flushes
/// it to disk and closes it. On failure the file is left for the caller to
/// remove, and the step and errno are returned.
inline failed_step write_new_file(int dir_fd, const std::string& name, std::string_view content, bool executable) {
    const int fd =
        ::openat(dir_fd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, executable ? 0777 : 0666);
    if (fd < 0) return {"create", errno};
    std::size_t done = 0;
    while (done < content.size()) {
        const auto n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int saved = errno;
            ::close(fd);
            return {"write", saved};
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        const int saved = errno;
        ::close(fd);
        return {"flush", saved};
    }
    // A file system may report a failed write only here (NFS, quotas).
    if (::close(fd) != 0) return {"close", errno};
    return {};
}

/// fsync of a directory: the renames and new names in it reach the disk.
/// EINVAL: the file system cannot flush a directory (it has nothing to do).
inline int flush_directory(int dir_fd) {
    if (::fsync(dir_fd) != 0 && errno != EINVAL) return errno;
    return 0;
}

inline int flush_directory(const std::string& path) {
    const scoped_fd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) return errno;
    return flush_directory(fd.get());
}

/// `path` without trailing separators ("out/" is "out"; "/" stays).
inline std::filesystem::path without_trailing_separators(std::filesystem::path path) {
    while (!path.has_filename() && path.has_relative_path()) path = path.parent_path();
    return path;
}

/// Throws why the directory `path` on the way to `--out dir` cannot be
/// made or opened: bad input when the name cannot be a directory's (a file
/// in the way), else the system's refusal.
[[noreturn]] inline void refuse_directory(std::string_view action, const std::string& path, const std::string& dir,
                                          int error) {
    if (error == ENOTDIR || error == ENAMETOOLONG || error == ELOOP)
        throw input_error("--out '" + one_line(dir) + "': " + system_reason(error));
    throw system_failure("cannot " + std::string(action) + " the directory '" + one_line(path) +
                         "': " + system_reason(error));
}

/// `dir` and the missing directories above it, outermost first, created
/// with mode 0777 less the umask. Returns those created; on failure removes
/// them again and throws (refuse_directory()).
inline std::vector<std::string> create_directories(const std::string& dir) {
    namespace fs = std::filesystem;
    std::vector<std::string> missing;  // innermost first
    for (fs::path p = without_trailing_separators(dir); !p.empty(); p = p.parent_path()) {
        struct stat status {};
        if (::stat(p.c_str(), &status) == 0 || errno != ENOENT) break;
        missing.push_back(p.string());
        if (p == p.parent_path()) break;
    }
    std::vector<std::string> created;
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        if (::mkdir(it->c_str(), 0777) == 0) {
            created.push_back(*it);
            continue;
        }
        const int saved = errno;
        struct stat status {};
        if (saved == EEXIST && ::stat(it->c_str(), &status) == 0 && S_ISDIR(status.st_mode)) continue;
        for (auto c = created.rbegin(); c != created.rend(); ++c) ::rmdir(c->c_str());
        refuse_directory("create", *it, dir, saved);
    }
    return created;
}

/// The directory that holds `path` ("." for a name without one).
inline std::string parent_directory(const std::string& path) {
    const auto parent = without_trailing_separators(path).parent_path();
    return parent.empty() ? std::string(".") : parent.string();
}

}  // namespace detail

/// The outcome for one file.
struct written_file {
    std::string name;
    std::size_t bytes;
    write_status status;
};

/// Writes `files` into `dir` as described above. Throws input_error listing
/// every conflict (and nothing is written), or system_failure naming the
/// file, the system's reason and what the failure left.
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
    const auto shown = [&dir](const std::string& name) {
        return "'" + one_line((fs::path(dir) / name).string()) + "'";
    };

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
                    // With --force, a file that cannot be read is replaced unread; a
                    // read the system failed (EIO) is a failure either way.
                    std::optional<bounded_file> existing;
                    try {
                        existing = read_bounded_file(path, "file", f.content.size(), false);
                    } catch (const input_error&) {
                        if (!force) throw;
                    }
                    if (existing && !existing->too_large && existing->text == f.content) {
                        if (detail::trusted_file(existing->status)) status = write_status::unchanged;
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

    // 2. The directory, created when missing, then held open.
    const std::vector<std::string> created = dir_exists ? std::vector<std::string>{} : detail::create_directories(dir);
    const auto remove_created = [&created] {
        for (auto c = created.rbegin(); c != created.rend(); ++c) ::rmdir(c->c_str());
    };
    const detail::scoped_fd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir_fd.get() < 0) {
        const int saved = errno;
        remove_created();
        detail::refuse_directory("open", dir, dir, saved);
    }

    // 3. What killed runs left.
    std::vector<std::string> names;
    for (const auto& f : files) names.push_back(f.name);
    remove_stale_temporaries(dir_fd.get(), names);

    // Removes the temporary files from index `first` on, and says which
    // could not be removed (the next run removes them).
    struct rename_pair {
        std::string temporary;
        std::string target;
    };
    std::vector<rename_pair> renames;
    const auto remove_temporaries = [&](std::size_t first) {
        std::string left;
        for (std::size_t i = first; i < renames.size(); ++i) {
            if (::unlinkat(dir_fd.get(), renames[i].temporary.c_str(), 0) == 0 || errno == ENOENT) continue;
            const int saved = errno;
            left += "; could not remove " + shown(renames[i].temporary) + ": " + system_reason(saved) +
                    " (the next run into the directory removes it)";
        }
        return left;
    };

    // 4. Every new content into a temporary file.
    const pid_t pid = ::getpid();
    for (std::size_t i = 0; i < files.size(); ++i) {
        if (outcome[i].status == write_status::unchanged) continue;
        renames.push_back({temporary_name(files[i].name, pid), files[i].name});
        const auto failed =
            detail::write_new_file(dir_fd.get(), renames.back().temporary, files[i].content, files[i].executable);
        if (failed.error == 0) continue;
        if (failed.step == "create") renames.pop_back();  // nothing of it exists
        const std::string left = remove_temporaries(0);
        if (left.empty()) remove_created();
        throw system_failure("cannot " + std::string(failed.step) + " " + shown(temporary_name(files[i].name, pid)) +
                             ", the new " + one_line(files[i].name) + ": " + system_reason(failed.error) +
                             "; no file was replaced" + left);
    }

    // 5. Into place, in order.
    for (std::size_t i = 0; i < renames.size(); ++i) {
        const auto& r = renames[i];
        if (::renameat(dir_fd.get(), r.temporary.c_str(), dir_fd.get(), r.target.c_str()) == 0) continue;
        const int saved = errno;
        std::string replaced;
        for (std::size_t j = 0; j < i; ++j) replaced += (j == 0 ? "" : ", ") + one_line(renames[j].target);
        const std::string left = remove_temporaries(i);
        if (i == 0 && left.empty()) remove_created();
        throw system_failure("cannot rename " + shown(r.temporary) + " to " + shown(r.target) + ": " +
                             system_reason(saved) +
                             (i == 0 ? "; no file was replaced"
                                     : "; already replaced: " + replaced + "; the other files are as they were") +
                             left);
    }

    // 6. The renames (and new directories) onto the disk.
    int flush_error = renames.empty() ? 0 : detail::flush_directory(dir_fd.get());
    std::string flushed = dir;
    for (const auto& c : created) {
        if (flush_error != 0) break;
        flushed = detail::parent_directory(c);
        flush_error = detail::flush_directory(flushed);
    }
    if (flush_error != 0)
        throw system_failure("cannot flush the directory '" + one_line(flushed) + "': " + system_reason(flush_error) +
                             "; every file was renamed into place, but a system crash may undo that");
    return outcome;
}

}  // namespace trainspec_gen
