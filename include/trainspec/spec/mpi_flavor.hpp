#pragma once
// The MPI launchers trainspec renders for, and the error every MPI renderer
// throws when a launch cannot be written.
//
//   openmpi      Open MPI's mpirun (4.x; 5.x with mpi_launch_options::open_mpi_major)
//   mpich        MPICH's Hydra mpiexec
//   intel        Intel MPI's mpirun / mpiexec.hydra (Hydra syntax)
//   horovodrun   Horovod's own launcher, which runs mpirun or Gloo itself

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <trainspec/error.hpp>
#include <trainspec/spec/enum_names.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

enum class mpi_flavor { openmpi, mpich, intel, horovodrun };

template <>
struct enum_names<mpi_flavor> {
    static constexpr std::array<enum_entry<mpi_flavor>, 4> table{{
        {mpi_flavor::openmpi, "openmpi"},
        {mpi_flavor::mpich, "mpich"},
        {mpi_flavor::intel, "intel"},
        {mpi_flavor::horovodrun, "horovodrun"},
    }};
};

/// True for the launchers that use MPICH's Hydra syntax (MPICH, Intel MPI).
constexpr bool is_hydra(mpi_flavor f) noexcept { return f == mpi_flavor::mpich || f == mpi_flavor::intel; }

/// A launch that cannot be rendered: which setting, and why. `setting` names
/// the mpi_launch_options field (`ssh_port`, `environment["A"]`,
/// `extra_args[2]`), or `hosts` / `np` for the layout.
class mpi_launch_error : public error {
public:
    /// path(): the setting; rule(): why it cannot be rendered.
    mpi_launch_error(const std::string& setting, const std::string& reason)
        : error(setting + ": " + reason, {{setting, "", reason}}) {}
};

TRAINSPEC_END_NAMESPACE
