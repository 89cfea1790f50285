#pragma once
// What the library reports: a problem (which field, which value, which
// rule), and trainspec::error, the base of every exception it throws.

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// One violated rule. `path` uses the spec's own key names
/// (`node_count`, `compute_target.gpus_per_node`, `conda_packages[2]`,
/// `script_params["--lr"]`), so the same text points into a JSON spec file
/// and into a builder call; other errors name their own field (`hosts`,
/// `ssh_port`, `task.index`, an artifact).
struct problem {
    std::string path;   ///< where: the field path
    std::string value;  ///< the offending value, as JSON text ("" when absent)
    std::string rule;   ///< what is required, in words

    friend bool operator==(const problem& a, const problem& b) {
        return a.path == b.path && a.value == b.value && a.rule == b.rule;
    }
};

/// `path = value: rule`, or `path: rule` when there is no value to show.
inline std::string to_string(const problem& p) {
    std::string text = p.path;
    if (!p.value.empty()) {
        text += " = ";
        text += p.value;
    }
    text += ": ";
    text += p.rule;
    return text;
}

using problems = std::vector<problem>;

/// The base of everything the library throws (`catch (const
/// trainspec::error&)` catches them all): what() is a sentence, all() the
/// problems behind it, at least one.
class error : public std::invalid_argument {
public:
    explicit error(const problem& p) : error(to_string(p), problems{p}) {}
    error(const std::string& what, problems found) : std::invalid_argument(what), problems_(std::move(found)) {}

    const problems& all() const noexcept { return problems_; }
    /// The first problem's parts.
    const std::string& path() const noexcept { return problems_.front().path; }
    const std::string& value() const noexcept { return problems_.front().value; }
    const std::string& rule() const noexcept { return problems_.front().rule; }

private:
    problems problems_;
};

/// A job built from invalid values. what() lists every problem, one per line.
class validation_error : public error {
public:
    explicit validation_error(problems found) : error(describe(found), found) {}

private:
    static std::string describe(const problems& found) {
        std::string text =
            found.size() == 1 ? "invalid job: 1 problem" : "invalid job: " + std::to_string(found.size()) + " problems";
        for (const auto& p : found) {
            text += "\n  ";
            text += to_string(p);
        }
        return text;
    }
};

/// An artifact the job cannot have (a Dockerfile for use_docker = false, an
/// Azure ML job with a chief, ...): `artifact: job "name" reason`.
class artifact_error : public error {
public:
    artifact_error(std::string artifact, const std::string& job, std::string reason)
        : error(artifact + ": job " + detail::quote_json(job) + " " + reason,
                {{artifact, detail::quote_json(job), reason}}),
          artifact_(std::move(artifact)) {}

    const std::string& artifact() const noexcept { return artifact_; }

private:
    std::string artifact_;
};

TRAINSPEC_END_NAMESPACE
