#pragma once
// Runs a program as the tests need it: an exact environment, a working
// directory, a PATH search on that environment's PATH, standard output and
// error captured, discarded or appended to a file, and a deadline after
// which the program's whole process group is killed.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace run_program {

struct options {
    /// NAME=value each; without it, the running program's environment.
    std::optional<std::vector<std::string>> env;
    /// The working directory; empty: the running program's.
    std::string cwd;
    /// argv[0] without a '/' is looked up on `env`'s PATH, as execvp() does.
    bool search_path = false;
    /// When set, standard output and error are both appended to this file
    /// instead of being captured.
    std::string output_file;
    /// Standard error goes to /dev/null instead of being captured.
    bool discard_err = false;
    /// Above 0, the program's process group is killed after this many seconds.
    int timeout_seconds = 0;
};

struct result {
    int status = -1;  ///< the exit status, or -1 when a signal or the deadline ended the program
    int signal = 0;   ///< the signal that ended it, 0 when it exited
    bool timed_out = false;
    std::string out;
    std::string err;
};

namespace detail {

inline std::runtime_error system_error(const std::string& what, int error) {
    return std::runtime_error(what + ": " + std::strerror(error));
}

inline std::string variable(const std::vector<std::string>& env, const std::string& name) {
    for (const auto& entry : env)
        if (entry.size() > name.size() && entry.compare(0, name.size(), name) == 0 && entry[name.size()] == '=')
            return entry.substr(name.size() + 1);
    return {};
}

/// execvp()'s search: each directory of PATH in order (an empty one is the
/// working directory), the first executable regular file.
inline std::string find_on_path(const std::string& name, const std::string& path, const std::string& cwd) {
    if (name.find('/') != std::string::npos) return name;
    std::size_t start = 0;
    while (true) {
        const auto end = path.find(':', start);
        std::string dir = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (dir.empty()) dir = cwd.empty() ? "." : cwd;
        const std::string candidate = dir + "/" + name;
        struct stat st {};
        if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0)
            return candidate;
        if (end == std::string::npos) return name;  // not found: the spawn reports ENOENT
        start = end + 1;
    }
}

inline std::vector<char*> pointers(const std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (const auto& s : strings) out.push_back(const_cast<char*>(s.c_str()));
    out.push_back(nullptr);
    return out;
}

/// A pipe whose ends close with it.
struct pipe_pair {
    int read = -1;
    int write = -1;
    pipe_pair() {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) throw system_error("pipe", errno);
        read = fds[0];
        write = fds[1];
    }
    pipe_pair(const pipe_pair&) = delete;
    pipe_pair& operator=(const pipe_pair&) = delete;
    ~pipe_pair() {
        close_read();
        close_write();
    }
    void close_read() {
        if (read >= 0) ::close(read);
        read = -1;
    }
    void close_write() {
        if (write >= 0) ::close(write);
        write = -1;
    }
};

using clock = std::chrono::steady_clock;

/// Reads both pipes until `pid` has exited and they are closed, or until
/// `deadline`; kills the process group once `pid` has exited, and stops
/// reading a second later (a process that left the group may hold a pipe).
/// False when the deadline passed first.
inline bool finish(pid_t pid, int& status, pipe_pair& out, pipe_pair& err, std::string& out_text, std::string& err_text,
                   const std::optional<clock::time_point>& deadline) {
    char buffer[65536];
    std::optional<clock::time_point> exited;
    while (true) {
        if (!exited) {
            const pid_t done = ::waitpid(pid, &status, WNOHANG);
            if (done < 0 && errno != EINTR) throw system_error("waitpid", errno);
            if (done == pid) {
                ::kill(-pid, SIGKILL);
                exited = clock::now();
            }
        }
        const auto now = clock::now();
        if (exited && ((out.read < 0 && err.read < 0) || now - *exited > std::chrono::seconds(1))) return true;
        if (!exited && deadline && now >= *deadline) return false;
        pollfd fds[2] = {{out.read, POLLIN, 0}, {err.read, POLLIN, 0}};
        const int ready = ::poll(fds, 2, 20);
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) throw system_error("poll", errno);
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) continue;
            auto& from = i == 0 ? out : err;
            const auto n = ::read(from.read, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                from.close_read();
                continue;
            }
            (i == 0 ? out_text : err_text).append(buffer, static_cast<std::size_t>(n));
        }
    }
}

}  // namespace detail

/// Runs `argv` with standard input from /dev/null, as `with` says.
inline result run(const std::vector<std::string>& argv, const options& with = {}) {
    if (argv.empty()) throw std::invalid_argument("run_program::run: an empty argv");
    std::vector<std::string> env;
    if (with.env) {
        env = *with.env;
    } else {
        for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
    }
    const std::string program =
        with.search_path ? detail::find_on_path(argv[0], detail::variable(env, "PATH"), with.cwd) : argv[0];
    const bool to_file = !with.output_file.empty();
    detail::pipe_pair out, err;

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (to_file) {
        posix_spawn_file_actions_addopen(&actions, 1, with.output_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
    } else {
        posix_spawn_file_actions_adddup2(&actions, out.write, 1);
        if (with.discard_err)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
        else
            posix_spawn_file_actions_adddup2(&actions, err.write, 2);
    }
    if (!with.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, with.cwd.c_str());
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
    const auto args = detail::pointers(argv);
    const auto envp = detail::pointers(env);
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, program.c_str(), &actions, &attributes, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (rc != 0) throw detail::system_error("cannot start " + argv[0], rc);
    out.close_write();
    err.close_write();
    if (to_file || with.discard_err) err.close_read();
    if (to_file) out.close_read();

    std::optional<detail::clock::time_point> deadline;
    if (with.timeout_seconds > 0) deadline = detail::clock::now() + std::chrono::seconds(with.timeout_seconds);
    result r;
    int status = 0;
    if (!detail::finish(pid, status, out, err, r.out, r.err, deadline)) {
        ::kill(-pid, SIGKILL);
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        r.timed_out = true;
        r.signal = SIGKILL;
        return r;
    }
    if (WIFEXITED(status)) r.status = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
    return r;
}

/// `argv` with exactly the variables `env`; standard error discarded when `quiet`.
inline result run(const std::vector<std::string>& argv, const std::vector<std::string>& env, bool quiet = false) {
    options with;
    with.env = env;
    with.discard_err = quiet;
    return run(argv, with);
}

/// `argv` with the running program's environment; standard error discarded when `quiet`.
inline result run(const std::vector<std::string>& argv, bool quiet) {
    options with;
    with.discard_err = quiet;
    return run(argv, with);
}

}  // namespace run_program
