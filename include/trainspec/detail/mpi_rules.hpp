#pragma once
// The rules of the spec's `mpi` object: settings the job's MPI flavor
// cannot honour are errors, not silently dropped (docs/mpi.md).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <trainspec/detail/join.hpp>
#include <trainspec/detail/launcher_settings.hpp>
#include <trainspec/detail/rule_context.hpp>
#include <trainspec/detail/rules.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/mpi_flavor.hpp>
#include <trainspec/spec/mpi_settings.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// One word for a launcher's command line: not empty, no whitespace or
/// control characters.
inline void check_launcher_word(spec_rule_context& rules, const std::string& path, const std::string& value,
                                const char* if_empty) {
    if (value.empty()) {
        rules.add(path, "\"\"", if_empty);
        return;
    }
    if (value.find(' ') != std::string::npos || has_control_character(value))
        rules.add(path, rules.q(value), "must be one word, without whitespace or control characters");
}

/// An argument list (extra_args, command_prefix): no empty argument, no NUL.
inline void check_arguments(spec_rule_context& rules, const char* field, const std::vector<std::string>& args) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto path = fmt::format("{}[{}]", field, i);
        if (args[i].empty()) rules.add(path, "\"\"", "must not be empty");
        if (args[i].find('\0') != std::string::npos) rules.add(path, rules.q(args[i]), "must not contain NUL");
    }
}

/// mpi: how an mpi job is launched. Settings that the job's flavor
/// cannot honour are errors, not silently dropped.
inline void check_mpi(spec_rule_context& rules) {
    if (!rules.spec.mpi) return;
    if (!rules.applies(spec_key::mpi) && rules.known("distributed_backend")) {
        rules.add("mpi", "",
                  fmt::format("applies only to distributed_backend {} (backend is {}); other jobs start no MPI "
                              "launcher",
                              rules.name_of(backend_kind::mpi), rules.backend_text()));
        return;
    }
    const auto& m = *rules.spec.mpi;
    const auto flavor = effective_mpi_flavor(rules.spec);
    const bool flavor_known = rules.known("mpi.flavor");
    const auto flavor_text = rules.q(enum_name(flavor));

    if (m.network_interface) {
        const auto& nic = *m.network_interface;
        if (auto why = network_interface_problem(nic)) rules.add("mpi.network_interface", rules.q(nic), *why);
        for (const auto& v : rules.spec.environment_variables)
            if (v.name == "NCCL_SOCKET_IFNAME") {
                rules.add("mpi.network_interface", rules.q(nic),
                          "also sets NCCL_SOCKET_IFNAME, which environment_variables sets too; set one of them");
                break;
            }
    }
    if (m.ssh_port) {
        if (auto why = tcp_port_problem(*m.ssh_port))
            rules.add("mpi.ssh_port", rules.n(*m.ssh_port), *why);
        else if (flavor_known && flavor == mpi_flavor::mpich)
            rules.add("mpi.ssh_port", rules.n(*m.ssh_port),
                      std::string(mpich_ssh_port_rule) + " (flavor is " + flavor_text + ")");
    }
    if (m.open_mpi_major) {
        if (*m.open_mpi_major != 4 && *m.open_mpi_major != 5)
            rules.add("mpi.open_mpi_major", rules.n(*m.open_mpi_major), "must be 4 or 5");
        else if (flavor_known && flavor != mpi_flavor::openmpi)
            rules.add("mpi.open_mpi_major", rules.n(*m.open_mpi_major),
                      fmt::format("applies only to flavor {} (flavor is {})", rules.name_of(mpi_flavor::openmpi),
                                  flavor_text));
    }
    for (auto [path, field] : {std::pair{"mpi.bind_to", &m.bind_to}, {"mpi.map_by", &m.map_by}}) {
        if (!*field || !**field) continue;  // unset, or null: the flag left out
        const auto& value = ***field;
        check_launcher_word(rules, path, value, "must not be empty; null leaves the flag out");
        if (!flavor_known || value.empty()) continue;
        if (flavor == mpi_flavor::intel)
            rules.add(path, rules.q(value),
                      "Intel MPI gets no binding arguments (it pins with I_MPI_PIN_*; flavor is " + flavor_text + ")");
        else if (flavor == mpi_flavor::horovodrun)
            rules.add(path, rules.q(value),
                      "horovodrun applies Horovod's binding itself (flavor is " + flavor_text + ")");
    }
    const bool trusted = m.trusted_launcher_settings.value_or(false);
    const auto earlier = earlier_same(m.mca, [](const auto& p) { return std::string_view(p.name); });
    for (std::size_t i = 0; i < m.mca.size(); ++i) {
        const auto& [name, value] = m.mca[i];
        const auto path = fmt::format("mpi.mca[{}]", rules.q(name));
        const auto shown = value ? rules.q(*value) : std::string("null");
        if (auto why = mca_name_problem(name)) rules.add(path, shown, *why);
        if (earlier[i] != std::string_view::npos) rules.add(path, shown, "is set twice");
        if (!value) continue;  // removes a default
        if (auto why = mca_value_problem(*value)) {
            rules.add(path, shown, *why);
        } else if (!trusted && is_program_mca_name(name)) {
            rules.add(path, shown,
                      "names a program, its arguments, a path or variables that Open MPI runs or reads with the "
                      "operator's privileges; " +
                          std::string(trust_opt_in));
        } else if (flavor_known && flavor != mpi_flavor::openmpi) {
            rules.add(path, shown, fmt::format("MCA parameters are Open MPI's; flavor {} has none", flavor_text));
        }
    }
    // Open MPI's TCP transport refuses an include list and an exclude
    // list together ("Only one of these can be set").
    const auto mca_value = [&m](std::string_view name) -> const std::optional<std::string>* {
        for (const auto& p : m.mca)
            if (p.name == name && p.value) return &p.value;
        return nullptr;
    };
    if (flavor == mpi_flavor::openmpi)
        for (const auto& derived : derived_mca_parameters(m.open_mpi_major.value_or(4) >= 5, m.ssh_port.has_value(),
                                                          m.network_interface.has_value(), false))
            if (const auto* value = mca_value(derived.name))
                rules.add(fmt::format("mpi.mca[{}]", rules.q(derived.name)), rules.q(**value),
                          derived_mca_rule(derived));
    if (const auto* exclude = mca_value("btl_tcp_if_exclude")) {
        if (m.network_interface)
            rules.add("mpi.mca[\"btl_tcp_if_exclude\"]", rules.q(**exclude),
                      "network_interface sets btl_tcp_if_include, and Open MPI takes only one of include and exclude");
        else if (mca_value("btl_tcp_if_include"))
            rules.add("mpi.mca[\"btl_tcp_if_exclude\"]", rules.q(**exclude),
                      "Open MPI takes only one of btl_tcp_if_include and btl_tcp_if_exclude");
    }
    check_arguments(rules, "mpi.extra_args", m.extra_args);
    for (const auto& p : extra_args_problems(m.extra_args))
        rules.add(fmt::format("mpi.extra_args[{}]", p.index), p.value, p.rule);
    if (m.command_prefix) check_arguments(rules, "mpi.command_prefix", *m.command_prefix);
    if (trusted) return;
    // Arbitrary argv for the launcher, or the program every rank runs.
    const auto list = [](const std::vector<std::string>& args) { return "[" + join(args, ", ", quote_json) + "]"; };
    if (!m.extra_args.empty() && rules.known("mpi.extra_args"))
        rules.add("mpi.extra_args", list(m.extra_args),
                  "are arguments for the launcher, which can run any program with the operator's privileges; " +
                      std::string(trust_opt_in));
    if (m.command_prefix && !m.command_prefix->empty() && rules.known("mpi.command_prefix"))
        rules.add("mpi.command_prefix", list(*m.command_prefix),
                  "is the program every rank runs, with the operator's privileges; " + std::string(trust_opt_in));
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
