#pragma once
// The rules a job must satisfy: validate() checks every rule and returns
// every problem, so a user fixes a spec in one pass. Which rules there are,
// and where each comes from, is in docs/spec.md and docs/rules.md.

#include <trainspec/detail/linkage.hpp>
#include <trainspec/error.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// Every problem of `spec`, grouped by rule; empty when the job is valid.
/// Past max_listed_problems, the last problem counts the rest
/// (docs/limits.md).
problems validate(const job_spec& spec);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <trainspec/detail/job_rules.hpp>

TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_INLINE problems validate(const job_spec& spec) { return detail::rule_checker(spec).run(); }
TRAINSPEC_END_NAMESPACE
#endif
