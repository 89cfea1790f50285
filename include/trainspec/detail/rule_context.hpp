#pragma once
// What every rule of validate() works with: the spec, the fields that could
// not be read, and the problems found so far.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/detail/path_set.hpp>
#include <trainspec/detail/problem_list.hpp>
#include <trainspec/error.hpp>
#include <trainspec/spec/backend.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/spec_keys.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

struct spec_rule_context {
    /// `unreadable`: paths whose values could not be read (a JSON type
    /// error); a rule that reads such a field is skipped, since its verdict
    /// would be about a value the user did not write.
    spec_rule_context(const job_spec& s, std::vector<std::string> unreadable_paths)
        : spec(s), unreadable(std::move(unreadable_paths)) {}

    const job_spec& spec;
    path_set unreadable;
    problems found;

    /// A problem inside a value that could not be read is left out: its
    /// verdict would be about a value the user did not write.
    void add(std::string path, std::string value, std::string rule) {
        if (unreadable.covers(path)) return;
        list_problem(found, {std::move(path), std::move(value), std::move(rule)});
    }
    static std::string q(std::string_view text) { return quote_json(text); }
    static std::string n(std::int64_t v) { return std::to_string(v); }

    /// An enum's spec name, quoted: the one name table's (enum_name()).
    template <class Enum>
    static std::string name_of(Enum e) {
        return q(enum_name(e));
    }
    /// The backends that run a TensorFlow cluster, as messages list them.
    static std::string tensorflow_cluster_backends() {
        return name_of(backend_kind::parameter_server) + " or " + name_of(backend_kind::multi_worker);
    }

    bool is(backend_kind k) const { return effective_backend(spec) == k; }
    /// Whether `key` means anything for the job's backend.
    bool applies(spec_key key) const { return key_applies_to(key, effective_backend(spec)); }

    /// False when the value at `field` (or a part of it, or a field it is
    /// part of) could not be read.
    bool known(std::string_view field) const { return !unreadable.covers(field) && !unreadable.has_within(field); }
    template <class... Fields>
    bool all_known(Fields... fields) const {
        return (known(fields) && ...);
    }
    /// The fields that decide how many tasks the job starts.
    bool task_count_known() const {
        return all_known("distributed_backend", "node_count", "process_count_per_node", "worker_count",
                         "parameter_server_count", "chief_count", "evaluator_count");
    }
    /// The backend as messages name it: its spec name, or none.
    std::string backend_text() const {
        return is(backend_kind::single_node) ? std::string("none") : q(enum_name(effective_backend(spec)));
    }
};

}  // namespace detail
TRAINSPEC_END_NAMESPACE
