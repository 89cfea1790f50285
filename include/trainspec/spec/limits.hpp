#pragma once
// The ceilings of a job and of what trainspec reads: validate() and the
// readers check them before any plan or render, so that the work and the
// artifacts of an accepted job stay bounded. Each number, its source and
// what it costs at the ceiling: docs/limits.md.

#include <cstddef>
#include <cstdint>

#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// Tasks of one job, counted as the plan counts them (2^20, above the
/// largest training clusters in service).
inline constexpr std::int64_t max_tasks = std::int64_t{1} << 20;
/// Hosts in a host list, a hostfile or compute_target.hosts.
inline constexpr std::int64_t max_hosts = std::int64_t{1} << 20;
/// Slots of one host.
inline constexpr std::int64_t max_host_slots = 1'000'000;

/// Bytes of one argument or environment string: Linux's MAX_ARG_STRLEN
/// (32 pages, 131072) counts the terminating NUL.
inline constexpr std::size_t max_argument_bytes = 131071;
/// Bytes execve counts for a task's command line and the job's variables:
/// half of what it takes under the default 8 MiB stack limit.
inline constexpr std::size_t max_command_line_bytes = std::size_t{1} << 20;
/// What execve adds to each string: its NUL and a pointer to it.
inline constexpr std::size_t execve_bytes_per_string = 1 + sizeof(void*);
/// Bytes of a path: Linux's PATH_MAX (4096) counts the terminating NUL.
inline constexpr std::size_t max_path_bytes = 4095;
/// Bytes of a TF_CONFIG: the environment string `TF_CONFIG=...` is one
/// string of at most max_argument_bytes.
inline constexpr std::size_t max_tf_config_bytes = max_argument_bytes - 10;

/// Entries of each list and map of a spec (environment_variables,
/// pip_packages, conda_packages, script_params, mpi.mca, mpi.extra_args,
/// mpi.command_prefix, a sweep's parameters and its choice values).
inline constexpr std::size_t max_list_entries = 65536;
/// Bytes of a key of a spec's object: keys are names (a variable, a
/// parameter, an MCA parameter), and every problem's path holds its keys.
inline constexpr std::size_t max_key_bytes = 256;

/// Bytes of a spec document.
inline constexpr std::size_t max_spec_bytes = std::size_t{4} << 20;
/// Nesting of a spec document's arrays and objects.
inline constexpr int max_spec_depth = 64;
/// Problems listed for one spec; the rest are counted in one more problem.
inline constexpr std::size_t max_listed_problems = 1000;

/// Bytes of a hostfile and of an environment file that trainspec-gen reads.
inline constexpr std::size_t max_hostfile_bytes = std::size_t{64} << 20;
inline constexpr std::size_t max_environment_file_bytes = std::size_t{1} << 20;

/// The most trials a sweep may ask for: a ceiling on the work of expanding
/// it (Azure ML runs at most 1000; Slurm's MaxArraySize at most 4,000,001).
inline constexpr int max_sweep_trials = 1'000'000;

TRAINSPEC_END_NAMESPACE
