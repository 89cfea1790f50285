#pragma once
// A problem found in a job: which field, which value, which rule.

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// One violated rule. `path` uses the spec's own key names
/// (`node_count`, `compute_target.gpus_per_node`, `conda_packages[2]`,
/// `script_params["--lr"]`), so the same text points into a JSON spec file
/// and into a builder call.
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

/// Thrown when a job is built from invalid values. what() lists every
/// problem, one per line; all() gives them as data.
class validation_error : public std::invalid_argument {
public:
    explicit validation_error(problems found) : std::invalid_argument(describe(found)), problems_(std::move(found)) {}

    const problems& all() const noexcept { return problems_; }

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

    problems problems_;
};

TRAINSPEC_END_NAMESPACE
