// trainspec-gen mpirun SPEC, trainspec-gen hostfile SPEC: the launch of an
// mpi job.

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include <trainspec/trainspec.hpp>

#include "input.hpp"
#include "options.hpp"
#include "verbs.hpp"

namespace trainspec_gen {

namespace {

/// `--flavor F`, if given.
std::optional<trainspec::mpi_flavor> flavor_from(const arguments& args) {
    const auto name = args.value(flavor_option);
    if (!name) return std::nullopt;
    return enum_option_value<trainspec::mpi_flavor>(flavor_option, *name, "flavor", "flavors");
}

/// `--allow-run-as-root HOW`, if given.
std::optional<trainspec::run_as_root> run_as_root_from(const arguments& args) {
    const auto name = args.value(allow_run_as_root_option);
    if (!name) return std::nullopt;
    if (auto how = trainspec::run_as_root_from_name(*name)) return how;
    const std::string flag(trainspec::run_as_root_name(trainspec::run_as_root::flag));
    const std::string environment(trainspec::run_as_root_name(trainspec::run_as_root::environment));
    throw input_error(std::string(allow_run_as_root_option.name) + " '" + one_line(*name) + "': expected " + flag +
                      " or " + environment + did_you_mean(*name, {flag, environment}));
}

/// `--ssh-port P`, if given.
std::optional<int> ssh_port_from(const arguments& args) {
    const auto port = args.value(ssh_port_option);
    if (!port) return std::nullopt;
    return port_number(ssh_port_option, *port);
}

/// `--hostfile-path PATH`, if given.
std::optional<std::string> hostfile_path_from(const arguments& args) {
    auto path = args.value(hostfile_path_option);
    if (path && path->empty()) throw input_error(std::string(hostfile_path_option.name) + ": the path is empty");
    return path;
}

/// The spec's mpi settings the command line can override, and the options
/// that override them.
const std::vector<option_source>& mpi_option_sources() {
    static const std::vector<option_source> sources = {
        {"hosts", &hosts_option},
        {"mpi.flavor", &flavor_option},
        {"mpi.allow_run_as_root", &allow_run_as_root_option},
        {"mpi.network_interface", &network_interface_option},
        {"mpi.ssh_port", &ssh_port_option},
    };
    return sources;
}

/// Stops with exit status 2 unless `job` is an mpi job.
void require_mpi_job(std::string_view verb_name, const spec_text& spec, const trainspec::any_job& job) {
    const auto backend = trainspec::backend_of(job);
    if (backend == trainspec::backend_kind::mpi) return;
    const std::string what = backend == trainspec::backend_kind::single_node
                                 ? " is a single-node job, which needs no MPI launcher"
                                 : " is a \"" + std::string(trainspec::enum_name(backend)) +
                                       "\" job, whose tasks find each other through TF_CONFIG (see tf-config)";
    throw input_error(std::string(verb_name) + " applies to distributed_backend \"mpi\" jobs; " + spec.name + what);
}

/// Plans an mpi job; problems go to `report`, named by the options that caused them.
std::optional<trainspec::cluster<trainspec::mpi>> plan_mpi_job(const spec_text& spec,
                                                               const trainspec::job<trainspec::mpi>& job,
                                                               const trainspec::plan_options& options,
                                                               const arguments& args, input_report& report) {
    const auto cluster = plan_job(spec, job, options, args, mpi_option_sources(), report);
    if (!cluster) return std::nullopt;
    return std::get<trainspec::cluster<trainspec::mpi>>(*cluster);
}

int run_mpirun(const arguments& args) {
    const spec_text spec = read_spec_file(args.operands.at(0));
    input_report report;
    const auto plan_options = report.attempt([&] { return plan_options_from(args); });
    const auto flavor = report.attempt([&] { return flavor_from(args); });
    const auto root = report.attempt([&] { return run_as_root_from(args); });
    const auto ssh_port = report.attempt([&] { return ssh_port_from(args); });
    const auto hostfile_path = report.attempt([&] { return hostfile_path_from(args); });
    const auto loaded = load_valid_job(spec, report, args);
    report.raise_if_any();
    require_mpi_job("mpirun", spec, *loaded);

    // The command line overrides the spec's mpi settings; the job rules
    // then check the result (an Open MPI setting with --flavor mpich, ...).
    trainspec::job_spec merged = trainspec::spec_of(*loaded);
    auto& settings = merged.mpi ? *merged.mpi : merged.mpi.emplace();
    if (*flavor) settings.flavor = *flavor;
    if (*root) settings.allow_run_as_root = *root;
    if (auto nic = args.value(network_interface_option)) settings.network_interface = *nic;
    if (*ssh_port) settings.ssh_port = *ssh_port;
    if (const auto found = trainspec::validate(merged); !found.empty()) {
        const auto with_flavor = args.has(flavor_option) && *flavor ? " with " + std::string(flavor_option.name) + " " +
                                                                          std::string(trainspec::enum_name(**flavor))
                                                                    : std::string();
        report.add_problems(spec.name, named_by_options(found, args, mpi_option_sources()),
                            "cannot launch " + spec.name + with_flavor);
        report.raise_if_any();
    }
    const auto job = trainspec::make_job_as<trainspec::mpi>(merged);
    const auto cluster = plan_mpi_job(spec, job, *plan_options, args, report);
    report.raise_if_any();

    auto options = trainspec::mpi_launch_options_from(merged);
    if (*hostfile_path) options.hostfile = **hostfile_path;
    trainspec::launch_command command;
    try {
        command = trainspec::mpirun_command(*cluster, options);
    } catch (const trainspec::mpi_launch_error& e) {
        report.add_problems(spec.name, {{launch_setting_name(e.path(), args), "", e.rule()}},
                            "cannot write the launch command of " + spec.name);
        report.raise_if_any();
    }

    if (!args.has(print0_option)) {
        fmt::print("{}\n", command.shell_line());
        return 0;
    }
    // The argv runs by itself: variables the launcher needs come first,
    // through env. Printed like every result, so that a failed write is
    // seen (standard_output.hpp).
    std::string argv;
    for (const auto& word : command.argv) {
        argv += word;
        argv += '\0';
    }
    fmt::print("{}", argv);
    return 0;
}

int run_hostfile(const arguments& args) {
    if (!args.has(hosts_option)) throw usage_error("hostfile: missing " + hosts_option.usage());
    const spec_text spec = read_spec_file(args.operands.at(0));
    input_report report;
    const auto plan_options = report.attempt([&] { return plan_options_from(args); });
    const auto flavor = report.attempt([&] { return flavor_from(args); });
    const auto loaded = load_valid_job(spec, report, args);
    report.raise_if_any();
    require_mpi_job("hostfile", spec, *loaded);

    const auto& job = std::get<trainspec::job<trainspec::mpi>>(*loaded);
    const auto cluster = plan_mpi_job(spec, job, *plan_options, args, report);
    report.raise_if_any();
    try {
        fmt::print("{}",
                   trainspec::hostfile_text(*cluster, flavor->value_or(trainspec::effective_mpi_flavor(job.spec()))));
    } catch (const trainspec::mpi_launch_error& e) {
        report.add_problems(spec.name, {{launch_setting_name(e.path(), args), "", e.rule()}},
                            "cannot write the hostfile of " + spec.name);
        report.raise_if_any();
    }
    return 0;
}

}  // namespace

verb mpirun_verb() {
    verb v = spec_verb("mpirun", "the launch command of an mpi job, shell-quoted (--print0: its argv)", run_mpirun);
    v.options = {
        listed(hosts_option),
        listed(flavor_option),
        listed(allow_run_as_root_option),
        listed(network_interface_option),
        listed(ssh_port_option),
        listed(hostfile_path_option),
        listed(print0_option),
        listed(trust_launcher_settings_option),
    };
    v.notes =
        "The launcher is mpirun (openmpi, intel), mpiexec (mpich) or horovodrun. Every rank\n"
        "runs the spec's mpi.command_prefix (default: python), the entry script and its\n"
        "parameters, placed as the plan places them. The options override the spec's mpi\n"
        "settings. Open MPI gets Horovod's profile: --tag-output -bind-to none -map-by slot\n"
        "-mca pml ob1 -mca btl ^openib, each default replaced or removed by the spec's mpi keys.\n"
        "Variables the launcher itself must have (the environment form of the root permission,\n"
        "values Open MPI's -x cannot carry, horovodrun's variables) come first on the line as\n"
        "NAME=value assignments, so the line can be pasted into sh. --print0 prints an argv\n"
        "that runs by itself: such variables come first through env (env NAME=value ... mpirun ...).\n";
    return v;
}

verb hostfile_verb() {
    verb v = spec_verb("hostfile", "the hostfile of an mpi job, in the flavor's syntax", run_hostfile);
    v.required = hosts_option.usage();
    v.options = {
        listed(hosts_option),
        listed(flavor_option,
               "openmpi, horovodrun: 'host slots=N' lines; mpich, intel: 'host:N' lines\n"
               "(default: the spec's mpi.flavor, else openmpi)"),
        listed(trust_launcher_settings_option),
    };
    v.notes =
        "One line per host, in rank order, with the number of ranks the plan places there.\n"
        "The mpirun verb gives it to the launcher with --hostfile-path FILE.\n";
    return v;
}

}  // namespace trainspec_gen
