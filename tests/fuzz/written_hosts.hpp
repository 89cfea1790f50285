#pragma once
// The property both host fuzz targets check for the hosts the library
// accepted: every form the library writes them in reads back as the same
// hosts, through the library's parsers and through each launcher's own
// reader (launcher_host_readers.hpp).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <trainspec/render/mpi_hostfile.hpp>
#include <trainspec/spec/enum_names.hpp>
#include <trainspec/spec/hosts.hpp>
#include <trainspec/spec/mpi_flavor.hpp>

#include "launcher_host_readers.hpp"
#include "property_check.hpp"

namespace written_hosts {

/// What `flavor`'s launcher reads from the hostfile the library writes for it.
inline std::optional<std::vector<trainspec::host>> launcher_reads(trainspec::mpi_flavor flavor, std::string_view file) {
    switch (flavor) {
        case trainspec::mpi_flavor::openmpi:
            return launcher_host_readers::open_mpi_hostfile(file);
        case trainspec::mpi_flavor::mpich:
        case trainspec::mpi_flavor::intel:
            return launcher_host_readers::hydra_hostfile(file);
        case trainspec::mpi_flavor::horovodrun:
            return launcher_host_readers::horovod_hostfile(file);
    }
    return std::nullopt;
}

/// format_host_list() and every flavor's hostfile_text() of `hosts` read
/// back as `hosts`; aborts otherwise.
inline void check_read_back(const std::vector<trainspec::host>& hosts) {
    using property_check::require;
    using property_check::visible;
    const auto list = trainspec::format_host_list(hosts);
    require(trainspec::parse_host_list(list) == hosts, "format_host_list() reads back", visible(list));
    require(launcher_host_readers::horovod_host_list(list) == hosts, "horovodrun -H reads format_host_list()",
            visible(list));
    for (auto flavor : trainspec::enum_values<trainspec::mpi_flavor>()) {
        const auto file = trainspec::hostfile_text(hosts, flavor);
        require(trainspec::parse_hostfile(file) == hosts, "hostfile_text() reads back", visible(file));
        require(launcher_reads(flavor, file) == hosts, "the launcher reads hostfile_text() as the same hosts",
                std::string(trainspec::enum_name(flavor)) + ": " + visible(file) + " for " + visible(list));
    }
}

}  // namespace written_hosts
