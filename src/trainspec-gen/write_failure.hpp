#pragma once
// A write the system refused (a full or read-only file system, a quota, an
// I/O error, a file over the size limit): exit status 1, where bad input is
// 2. The message names the file and gives the system's reason.

#include <cstring>
#include <stdexcept>
#include <string>

namespace trainspec_gen {

class write_failure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The system's text for errno value `error` ("No space left on device").
inline std::string system_reason(int error) { return std::strerror(error); }

}  // namespace trainspec_gen
