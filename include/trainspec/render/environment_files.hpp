#pragma once
// The files that declare a job's packages: requirements.txt (pip) and
// environment.yml (conda, and Azure ML's conda_file). docs/environments.md
// lists what goes in, and in which order.
//
//   std::vector<std::string> pip_requirements(const job<B>& job);
//   bool uses_conda(const job<B>& job);
//   std::string conda_environment_yaml(const job<B>& job);
//   std::string requirements_txt(const job<B>& job);
//
// Every function has an any_job overload; the files of a user_managed job
// (or one with its own conda_dependencies_file) throw artifact_error.

#include <string>
#include <vector>

#include <trainspec/detail/linkage.hpp>
#include <trainspec/error.hpp>
#include <trainspec/job.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// The pip requirements the job's environment installs, in order.
template <class Backend>
std::vector<std::string> pip_requirements(const job<Backend>& j);
std::vector<std::string> pip_requirements(const any_job& j);

/// True when the environment is installed with conda (conda_packages or a
/// conda_dependencies_file), false for pip only or user_managed.
template <class Backend>
bool uses_conda(const job<Backend>& j);
bool uses_conda(const any_job& j);

/// environment.yml. Throws for user_managed jobs and for jobs with their
/// own conda_dependencies_file.
template <class Backend>
std::string conda_environment_yaml(const job<Backend>& j);
std::string conda_environment_yaml(const any_job& j);

/// requirements.txt: pip_requirements(), one a line. Throws for user_managed jobs.
template <class Backend>
std::string requirements_txt(const job<Backend>& j);
std::string requirements_txt(const any_job& j);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <trainspec/detail/environment_lists.hpp>

TRAINSPEC_BEGIN_NAMESPACE
template <class Backend>
std::vector<std::string> pip_requirements(const job<Backend>& j) {
    return detail::pip_list(j.spec());
}

template <class Backend>
bool uses_conda(const job<Backend>& j) {
    return detail::conda_used(j.spec());
}

template <class Backend>
std::string conda_environment_yaml(const job<Backend>& j) {
    return detail::environment_yaml(j.spec());
}

template <class Backend>
std::string requirements_txt(const job<Backend>& j) {
    return detail::requirements_text(j.spec());
}

TRAINSPEC_INLINE std::vector<std::string> pip_requirements(const any_job& j) { return detail::pip_list(spec_of(j)); }

TRAINSPEC_INLINE bool uses_conda(const any_job& j) { return detail::conda_used(spec_of(j)); }

TRAINSPEC_INLINE std::string conda_environment_yaml(const any_job& j) { return detail::environment_yaml(spec_of(j)); }

TRAINSPEC_INLINE std::string requirements_txt(const any_job& j) { return detail::requirements_text(spec_of(j)); }
TRAINSPEC_END_NAMESPACE
#endif

#ifdef TRAINSPEC_COMPILED_LIB
#define TRAINSPEC_ENVIRONMENT_FILES(B)                                                \
    TRAINSPEC_INSTANTIATE std::vector<std::string> pip_requirements(const job<B>& j); \
    TRAINSPEC_INSTANTIATE bool uses_conda(const job<B>& j);                           \
    TRAINSPEC_INSTANTIATE std::string conda_environment_yaml(const job<B>& j);        \
    TRAINSPEC_INSTANTIATE std::string requirements_txt(const job<B>& j);
TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_FOR_EACH_BACKEND(TRAINSPEC_ENVIRONMENT_FILES)
TRAINSPEC_END_NAMESPACE
#undef TRAINSPEC_ENVIRONMENT_FILES
#endif
