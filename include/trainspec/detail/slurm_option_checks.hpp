#pragma once
// The checks of slurm_options against the job: values an #SBATCH line can
// hold, and launchers that fit the job's backend.

#include <string>
#include <utility>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/error.hpp>
#include <trainspec/render/shell_quote.hpp>
#include <trainspec/render/slurm_options.hpp>
#include <trainspec/spec/backend.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/mpi_flavor.hpp>
#include <trainspec/spec/resource_names.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline void slurm_problem(const std::string& path, const std::string& value, const std::string& rule) {
    throw validation_error({{path, value, rule}});
}

/// A value on an `#SBATCH` line: Slurm, not the shell, reads it.
inline void check_sbatch_value(const std::string& path, const std::string& value) {
    bool ok = !value.empty();
    for (char c : value)
        if (!(detail::is_shell_safe(c) || c == '[' || c == ']' || c == '~' || c == '#')) ok = false;
    if (!ok)
        slurm_problem(path, quote_json(value),
                      "must be non-empty, of letters, digits and _ @ % + = : , . / - [ ] ~ # (an #SBATCH line is "
                      "not read by the shell)");
}

inline void check_options(const job_spec& s, const slurm_options& o) {
    const auto name = effective_job_name(s);
    check_sbatch_value("name", name);
    for (auto [path, value] : {std::pair{"partition", &o.partition},
                               {"account", &o.account},
                               {"qos", &o.qos},
                               {"memory", &o.memory},
                               {"working_directory", &o.working_directory},
                               {"srun_mpi", &o.srun_mpi},
                               {"output", &o.output}})
        if (*value) check_sbatch_value(path, **value);
    if (o.cpus_per_task && *o.cpus_per_task < 1)
        slurm_problem("cpus_per_task", std::to_string(*o.cpus_per_task), "must be at least 1");
    if (o.time_limit_minutes && *o.time_limit_minutes < 1)
        slurm_problem("time_limit_minutes", std::to_string(*o.time_limit_minutes), "must be at least 1");
    const auto backend = effective_backend(s);
    if (o.launcher != "srun" && o.launcher != "mpirun")
        slurm_problem("launcher", quote_json(o.launcher), "must be \"srun\" or \"mpirun\"");
    if (o.launcher != "srun" && backend != backend_kind::mpi)
        slurm_problem("launcher", quote_json(o.launcher),
                      "applies to mpi jobs only: the tasks of this job are started by srun");
    if (o.srun_mpi && (backend != backend_kind::mpi || o.launcher != "srun"))
        slurm_problem("srun_mpi", quote_json(*o.srun_mpi),
                      "applies to mpi jobs launched with srun: it selects the PMI that wires up MPI ranks");
    if (backend == backend_kind::mpi && o.launcher == "mpirun" && effective_mpi_flavor(s) == mpi_flavor::horovodrun)
        slurm_problem("launcher", quote_json(o.launcher),
                      "horovodrun takes no hosts from a Slurm allocation; use launcher \"srun\", which starts the "
                      "ranks with PMIx");
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
