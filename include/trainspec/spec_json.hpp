#pragma once
// The JSON job spec (`"apiVersion": "trainspec/v1"`), both directions.
//
// Keys are Azure ML's estimator parameter names (docs/spec.md). Reading
// collects every problem at once: syntax errors with line and column,
// duplicate keys, unknown keys (with a "did you mean" hint), wrong types,
// then the job rules of validate(); each problem names its JSON path.
// Writing gives the same spec back: spec -> JSON -> spec is the identity,
// and script_params keep their order. Both walk the field tables of
// detail/spec_field_tables.hpp.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <trainspec/detail/linkage.hpp>
#include <trainspec/error.hpp>
#include <trainspec/job.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// How a spec document is read.
struct spec_read_options {
    /// As if an mpi job's spec set "mpi": {"trusted_launcher_settings":
    /// true}: the reader vouches for it (docs/security.md).
    bool trust_launcher_settings = false;
};

/// Reads a spec document's fields. Problems of syntax and type go to
/// `found` (every one of them, up to max_listed_problems: docs/limits.md);
/// the job rules are not checked here. A value
/// that could not be read is left unset; in a list it keeps its place, empty,
/// so that the indices stay those of the document.
job_spec read_spec(std::string_view text, problems& found);

/// Every problem of a spec document: syntax, keys and types, then the job
/// rules (leaving out rules about values that already had the wrong type).
problems check_spec(std::string_view text, const spec_read_options& options = {});

/// Reads and validates a spec document. Throws validation_error listing
/// every problem.
any_job load_job(std::string_view text, const spec_read_options& options = {});

/// The spec as a trainspec/v1 JSON document; only the fields that are set,
/// in spec_keys() order.
nlohmann::ordered_json to_json(const job_spec& s);

/// The spec as text: 2-space indented JSON with a final newline.
std::string dump_spec(const job_spec& s);

/// script_params as the spec writes them: an object in the user's order, or
/// an array of [key, value] pairs when a key repeats.
nlohmann::ordered_json to_json(const script_params& params);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <utility>
#include <vector>

#include <trainspec/detail/job_rules.hpp>
#include <trainspec/detail/problem_list.hpp>
#include <trainspec/detail/spec_field_tables.hpp>
#include <trainspec/detail/spec_parse.hpp>
#include <trainspec/detail/spec_value_reader.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// A spec document read once: its fields, the paths that could not be read,
/// and whether the job rules apply (the text parsed into an object).
struct spec_reading {
    job_spec spec;
    std::vector<std::string> bad_paths;
    bool checkable = false;
};

inline spec_reading read_spec_document(std::string_view text, problems& found, const spec_read_options& options = {}) {
    spec_reading reading;
    ojson doc;
    if (!parse_spec_text(text, doc, found)) return reading;
    spec_value_reader reader(found);
    reading.spec = read_job_spec(reader, doc);
    reading.bad_paths = reader.bad_paths();
    reading.checkable = doc.is_object();
    if (options.trust_launcher_settings && reading.spec.mpi) reading.spec.mpi->trusted_launcher_settings = true;
    return reading;
}

/// The job rules, leaving out rules about values that could not be read
/// and any rule about a path inside one (rule_checker).
inline void check_rules(const spec_reading& reading, problems& found) {
    if (!reading.checkable) return;
    for (auto& p : rule_checker(reading.spec, reading.bad_paths).run()) list_problem(found, std::move(p));
}

}  // namespace detail

TRAINSPEC_INLINE job_spec read_spec(std::string_view text, problems& found) {
    return detail::read_spec_document(text, found).spec;
}

TRAINSPEC_INLINE problems check_spec(std::string_view text, const spec_read_options& options) {
    problems found;
    detail::check_rules(detail::read_spec_document(text, found, options), found);
    return found;
}

TRAINSPEC_INLINE any_job load_job(std::string_view text, const spec_read_options& options) {
    problems found;
    auto reading = detail::read_spec_document(text, found, options);
    detail::check_rules(reading, found);
    if (!found.empty()) throw validation_error(std::move(found));
    return make_job(std::move(reading.spec));
}

TRAINSPEC_INLINE nlohmann::ordered_json to_json(const job_spec& s) { return detail::write_fields(s); }

TRAINSPEC_INLINE std::string dump_spec(const job_spec& s) { return to_json(s).dump(2) + "\n"; }

TRAINSPEC_INLINE nlohmann::ordered_json to_json(const script_params& params) {
    return detail::script_params_json(params);
}

TRAINSPEC_END_NAMESPACE
#endif
