#pragma once
// The options of the MPI launchers by name: aliases folded, and the ones
// only one family accepts, so that extra arguments are checked as the
// launcher would check them.

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include <trainspec/spec/mpi_flavor.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// An option word without its dashes and `=value`, or "" for a word that
/// is no option.
inline std::string option_name(std::string_view word) {
    if (word.size() < 2 || word[0] != '-') return "";
    word.remove_prefix(word[1] == '-' ? 2 : 1);
    return std::string(word.substr(0, word.find('=')));
}

/// The canonical spelling of an option word (option_name() with aliases
/// folded), or "" for a word that is no option.
inline std::string canonical_option(mpi_flavor f, std::string_view word) {
    const std::string w = option_name(word);
    if (w.empty()) return w;
    auto fold = [&w](std::initializer_list<std::pair<const char*, const char*>> aliases) {
        for (const auto& [from, to] : aliases)
            if (w == from) return std::string(to);
        return w;
    };
    switch (f) {
        case mpi_flavor::openmpi:
            return fold({{"n", "np"},
                         {"c", "np"},
                         {"H", "hosts"},
                         {"host", "hosts"},
                         {"hostfile", "hosts"},
                         {"machinefile", "hosts"},
                         {"gmca", "mca"},
                         {"prtemca", "mca"},
                         {"pmixmca", "mca"}});
        case mpi_flavor::mpich:
        case mpi_flavor::intel:
            return fold({{"np", "n"},
                         {"perhost", "ppn"},
                         {"f", "hosts"},
                         {"hostfile", "hosts"},
                         {"machinefile", "hosts"},
                         {"machine", "hosts"},
                         {"prepend-rank", "l"},
                         {"bootstrap", "launcher"},
                         {"env", "genv"},
                         {"genvall", "genvlist"},
                         {"genvnone", "genvlist"}});
        case mpi_flavor::horovodrun:
            return fold({{"num-proc", "np"},
                         {"H", "hosts"},
                         {"hostfile", "hosts"},
                         {"network-interfaces", "network-interface"},
                         {"p", "ssh-port"},
                         {"mpi", "gloo"}});
    }
    return w;
}

/// True when `name` is one of the space-separated words of `list`.
inline bool is_listed(std::string_view list, const std::string& name) {
    std::size_t start = 0;
    while (start < list.size()) {
        auto end = list.find(' ', start);
        if (end == std::string_view::npos) end = list.size();
        if (list.substr(start, end - start) == name) return true;
        start = end + 1;
    }
    return false;
}

/// Open MPI options that Hydra rejects ("unrecognized argument"), and Hydra
/// options that Open MPI rejects ("unknown option"), by option_name().
inline bool is_open_mpi_only(mpi_flavor f, const std::string& name) {
    constexpr std::string_view open_mpi =
        "x mca gmca prtemca pmixmca allow-run-as-root tag-output timestamp-output output-filename output H host "
        "oversubscribe npernode report-bindings display-map rankfile";
    return is_listed(open_mpi, name) || (f == mpi_flavor::intel && (name == "bind-to" || name == "map-by"));
}
inline bool is_hydra_only(const std::string& name) {
    constexpr std::string_view hydra =
        "genv genvlist genvall genvnone env envlist envall envnone ppn perhost hosts f iface bootstrap "
        "bootstrap-exec bootstrap-exec-args launcher launcher-exec outfile-pattern errfile-pattern prepend-rank "
        "prepend-pattern l";
    return is_listed(hydra, name);
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
