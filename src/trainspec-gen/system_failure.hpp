#pragma once
// A read or write the system failed (a full or read-only file system, a
// quota, an I/O error, a file over the size limit): exit status 1, where bad
// input is 2. The message names the file and gives the system's reason.

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace trainspec_gen {

class system_failure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The system's text for errno value `error` ("No space left on device").
inline std::string system_reason(int error) { return std::strerror(error); }

/// Whether a read that failed with `error` is the system's failure (the
/// device, the kernel's resources) rather than the path's or its
/// permissions', which the user's input decides.
inline bool is_system_read_error(int error) {
    return error == EIO || error == ENOMEM || error == ENFILE || error == EMFILE || error == ENOBUFS;
}

}  // namespace trainspec_gen
