#pragma once
// Standard output, checked: a result that did not reach its reader (a full
// disk, /dev/full, a reader gone while SIGPIPE is ignored) is exit status 1
// with the system's reason, never a silent 0. Every verb prints through
// {fmt}, whose print throws std::system_error when fwrite fails; what is
// still buffered is checked at exit. The rule, and SIGPIPE:
// docs/cli.md#standard-output.

#include <cerrno>
#include <cstdio>
#include <optional>
#include <string>
#include <system_error>

#include "system_failure.hpp"

namespace trainspec_gen {

/// The errno of the failed write to standard output that `e` reports, or 0
/// when `e` is about something else (standard output has no error).
inline int standard_output_error(const std::system_error& e) { return std::ferror(stdout) != 0 ? e.code().value() : 0; }

/// Flushes and closes standard output after the last write. Returns why a
/// write to it failed, now or earlier (errno `earlier`, 0 for none), or
/// nullopt. A standard output that was closed before the program started
/// (EBADF) and was never written to is no failure.
inline std::optional<std::string> close_standard_output(int earlier) {
    int error = earlier;
    if (std::fflush(stdout) != 0 && error == 0) error = errno;
    const bool failed = std::ferror(stdout) != 0;
    if (std::fclose(stdout) != 0 && error == 0 && errno != EBADF) error = errno;
    const std::string what = "cannot write to standard output: ";
    if (error != 0) return what + system_reason(error);
    if (failed) return what + "an earlier write failed";
    return std::nullopt;
}

}  // namespace trainspec_gen
