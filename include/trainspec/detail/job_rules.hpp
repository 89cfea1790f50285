#pragma once
// validate()'s checker: every rule of a job spec, in the order problems are
// reported (docs/rules.md, docs/spec.md).

#include <string>
#include <utility>
#include <vector>

#include <trainspec/detail/compute_rules.hpp>
#include <trainspec/detail/environment_rules.hpp>
#include <trainspec/detail/limit_rules.hpp>
#include <trainspec/detail/mpi_rules.hpp>
#include <trainspec/detail/rule_context.hpp>
#include <trainspec/detail/source_rules.hpp>
#include <trainspec/detail/sweep_rules.hpp>
#include <trainspec/detail/tensorflow_cluster_rules.hpp>
#include <trainspec/detail/text_encoding_rules.hpp>
#include <trainspec/error.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

class rule_checker {
public:
    /// `unreadable`: paths whose values could not be read; the rules that
    /// read them are skipped (spec_rule_context).
    explicit rule_checker(const job_spec& s, std::vector<std::string> unreadable = {})
        : rules_(s, std::move(unreadable)) {}

    problems run() {
        check_required(rules_);
        check_compute(rules_);
        check_counts(rules_);
        check_limits(rules_);
        check_backend_fields(rules_);
        check_capacity(rules_);
        check_framework(rules_);
        check_paths(rules_);
        check_packages(rules_);
        check_container(rules_);
        check_environment(rules_);
        check_script_params(rules_);
        check_name(rules_);
        check_tensorflow_cluster(rules_);
        check_mpi(rules_);
        check_onnx_export(rules_);
        check_image(rules_);
        check_release_pins(rules_);
        check_sweep(rules_);
        check_text_encoding(rules_);
        return std::move(rules_.found);
    }

private:
    spec_rule_context rules_;
};

}  // namespace detail
TRAINSPEC_END_NAMESPACE
