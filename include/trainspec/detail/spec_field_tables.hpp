#pragma once
// The field tables of the spec, one per object (the top level, tf_config,
// mpi, onnx_export, compute_target), and the readers and writers of the
// values no plain kind covers. The keys and their order are the key enums'
// (spec/spec_keys.hpp and next to each struct); docs/spec.md describes them.

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <trainspec/detail/param_json.hpp>
#include <trainspec/detail/spec_fields.hpp>
#include <trainspec/detail/spec_value_reader.hpp>
#include <trainspec/detail/sweep_field_tables.hpp>
#include <trainspec/spec/did_you_mean.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/spec_keys.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline void read_api_version(spec_value_reader& r, job_spec&, const std::string& path, std::string_view, const ojson& v,
                             const char*) {
    if (auto api = r.string_at(path, v); api && *api != spec_api_version)
        r.add(path, v.dump(), std::string("must be \"") + spec_api_version + "\"");
}
inline void write_api_version(const job_spec&, ojson& object, const std::string& name) {
    object[name] = spec_api_version;
}

/// null is Azure ML's None: no backend, said explicitly.
inline void read_backend(spec_value_reader& r, job_spec& s, const std::string& path, std::string_view, const ojson& v,
                         const char*) {
    if (v.is_null()) {
        s.distributed_backend = backend_kind::single_node;
        return;
    }
    auto name = r.string_at(path, v);
    if (!name) return;
    if (auto kind = enum_from_name<backend_kind>(*name)) {
        s.distributed_backend = *kind;
        return;
    }
    std::string rule = "Unsupported distributed backend value: " + *name +
                       ". Supported backend(s): " + enum_name_list<backend_kind>() + ".";
    if (auto hint = closest_match(*name, enum_name_strings<backend_kind>())) rule += " Did you mean \"" + *hint + "\"?";
    r.reject(path, v, rule);
}
/// An explicit single_node is written as null, which reads back as single_node.
inline void write_backend(const job_spec& s, ojson& object, const std::string& name) {
    if (!s.distributed_backend) return;
    const auto backend = enum_name(*s.distributed_backend);
    object[name] = backend.empty() ? ojson(nullptr) : ojson(std::string(backend));
}

inline void read_environment(spec_value_reader& r, job_spec& s, const std::string& path, std::string_view,
                             const ojson& v, const char*) {
    s.environment_variables = r.map_at<environment_variable>(
        path, v, "an object of name: string value",
        [&r](const std::string& item, const ojson& value) -> std::optional<std::string> {
            if (value.is_string()) return value.get<std::string>();
            r.type_error(item, value, "a string (write numbers in quotes, as the environment holds text)");
            return std::nullopt;
        });
}

/// An object, or [["--x", 1], ["--x", 2]]: the form that allows repeated keys.
inline void read_script_params(spec_value_reader& r, job_spec& s, const std::string& path, std::string_view,
                               const ojson& v, const char*) {
    script_params params;
    if (v.is_object()) {
        for (const auto& [key, value] : v.items())
            if (auto pv = read_param_value(r, path + "[" + quote_json(key) + "]", value))
                params.add(key, std::move(*pv));
    } else if (v.is_array()) {
        for (std::size_t i = 0; i < v.size(); ++i) {
            const auto& pair = v[i];
            if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string()) {
                r.type_error(path + "[" + std::to_string(i) + "]", pair, "a [key, value] pair with a string key");
                continue;
            }
            auto key = pair[0].get<std::string>();
            if (auto pv = read_param_value(r, path + "[" + quote_json(key) + "]", pair[1]))
                params.add(std::move(key), std::move(*pv));
        }
    } else {
        r.type_error(path, v, "an object or an array of [key, value] pairs");
    }
    s.params = std::move(params);
}

inline void write_script_params(const job_spec& s, ojson& object, const std::string& name) {
    if (!s.params.empty()) object[name] = script_params_json(s.params);
}

/// "name", "name:slots" (Horovod's syntax) or {"name", "slots"}. An
/// unreadable host keeps its place (unnamed), so that the rules' paths
/// (`compute_target.hosts[2]`) still point at the right element.
inline host read_host(spec_value_reader& r, const std::string& path, const ojson& v) {
    if (v.is_string()) {
        const auto text = v.get<std::string>();
        const auto colon = text.rfind(':');
        if (colon == std::string::npos) return host{text, 1};
        const auto slots = text.substr(colon + 1);
        if (slots.empty() || slots.size() > 9 || slots.find_first_not_of("0123456789") != std::string::npos) {
            r.reject(path, v, "must be \"host\" or \"host:slots\" with slots a positive integer");
            return host{};
        }
        return host{text.substr(0, colon), std::stoi(slots)};
    }
    if (!v.is_object()) {
        r.type_error(path, v, "\"host:slots\" or {\"name\", \"slots\"}");
        return host{};
    }
    host h;
    for (const auto& [key, value] : v.items()) {
        const auto item = path + "." + key;
        const auto known = enum_from_name<host_key>(key);
        if (known == host_key::name)
            h.name = r.string_at(item, value).value_or("");
        else if (known == host_key::slots) {
            if (auto n = r.int_at(item, value)) h.slots = *n;
        } else
            r.unknown_key(item, key, enum_name_strings<host_key>());
    }
    // A name of the wrong type is reported as that, not as missing.
    if (!v.contains(std::string(enum_name(host_key::name)))) r.missing(path + ".name", path + ".name");
    return h;
}

inline void read_hosts(spec_value_reader& r, compute_target& t, const std::string& path, std::string_view,
                       const ojson& v, const char*) {
    if (!v.is_array()) {
        r.type_error(path, v, "an array of \"host:slots\"");
        return;
    }
    for (std::size_t i = 0; i < v.size(); ++i)
        t.hosts.push_back(read_host(r, path + "[" + std::to_string(i) + "]", v[i]));
}
inline void write_hosts(const compute_target& t, ojson& object, const std::string& name) {
    if (t.hosts.empty()) return;
    auto hosts = ojson::array();
    for (const auto& h : t.hosts) hosts.push_back(h.name + ":" + std::to_string(h.slots));
    object[name] = std::move(hosts);
}

template <>
struct spec_fields<compute_target> {
    static constexpr std::array<field<compute_target_key, compute_target>, enum_names<compute_target_key>::table.size()>
        table{{
            text<&compute_target::name>(compute_target_key::name),
            integer<&compute_target::gpus_per_node>(compute_target_key::gpus_per_node),
            integer<&compute_target::cpus_per_node>(compute_target_key::cpus_per_node),
            integer<&compute_target::max_nodes>(compute_target_key::max_nodes),
            {compute_target_key::hosts, &read_hosts, &write_hosts},
        }};
};
static_assert(fields_in_key_order<compute_target>());

/// A name, or an object that must have a name.
inline void read_compute_target(spec_value_reader& r, job_spec& s, const std::string& path, std::string_view,
                                const ojson& v, const char*) {
    if (v.is_string()) {
        s.target = compute_target(v.get<std::string>());
        return;
    }
    if (!v.is_object()) {
        r.type_error(path, v, "a name or an object");
        s.target = std::nullopt;
        return;
    }
    compute_target t;
    read_fields(r, t, path, v, [&r](const std::string& item, const std::string& key) {
        r.unknown_key(item, key, compute_target_keys(), &spec_keys(), "a top-level key, not part of compute_target");
    });
    // A name of the wrong type is reported as that, not as missing.
    if (!v.contains(std::string(enum_name(compute_target_key::name)))) r.missing(path + ".name", path);
    s.target = std::move(t);
}
/// A target with only a name is written as that name.
inline void write_compute_target(const job_spec& s, ojson& object, const std::string& name) {
    if (s.target) object[name] = s.target->is_name_only() ? ojson(s.target->name) : write_fields(*s.target);
}

template <>
struct spec_fields<tf_config_settings> {
    static constexpr std::array<field<tf_config_key, tf_config_settings>, enum_names<tf_config_key>::table.size()>
        table{{
            named<&tf_config_settings::profile>(tf_config_key::profile),
            named<&tf_config_settings::consumer>(tf_config_key::consumer),
            text<&tf_config_settings::rpc_layer>(tf_config_key::rpc_layer),
            boolean<&tf_config_settings::sparse>(tf_config_key::sparse),
        }};
};
static_assert(fields_in_key_order<tf_config_settings>());

/// false, "flag" or "environment"; true is an error, since it does not say
/// which of the two forms to use.
inline void read_run_as_root(spec_value_reader& r, mpi_settings& m, const std::string& path, std::string_view,
                             const ojson& v, const char*) {
    static const char* choices =
        "false, \"flag\" (--allow-run-as-root) or \"environment\" (OMPI_ALLOW_RUN_AS_ROOT=1 and "
        "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1)";
    m.allow_run_as_root = std::nullopt;
    if (v.is_boolean()) {
        if (!v.get<bool>())
            m.allow_run_as_root = run_as_root::not_allowed;
        else
            r.reject(path, v, std::string("must be ") + choices + "; true does not say which form");
        return;
    }
    if (!v.is_string()) {
        r.type_error(path, v, choices);
        return;
    }
    const auto name = v.get<std::string>();
    m.allow_run_as_root = enum_from_name<run_as_root>(name);
    if (m.allow_run_as_root) return;
    std::string rule = std::string("must be ") + choices;
    if (auto hint = closest_match(name, enum_name_strings<run_as_root>())) rule += "; did you mean \"" + *hint + "\"?";
    r.reject(path, v, rule);
}
inline void write_run_as_root(const mpi_settings& m, ojson& object, const std::string& name) {
    if (m.allow_run_as_root)
        object[name] = *m.allow_run_as_root == run_as_root::not_allowed
                           ? ojson(false)
                           : ojson(std::string(enum_name(*m.allow_run_as_root)));
}

/// name: value (set) or null (remove), in the user's order.
inline void read_mca(spec_value_reader& r, mpi_settings& m, const std::string& path, std::string_view, const ojson& v,
                     const char*) {
    m.mca = r.map_at<mca_setting>(
        path, v, "an object of MCA parameter name: string value, or null to remove a default",
        [&r](const std::string& item, const ojson& value) -> std::optional<std::optional<std::string>> {
            if (value.is_null()) return std::optional<std::string>();
            if (value.is_string()) return std::optional<std::string>(value.get<std::string>());
            r.type_error(item, value, "a string, or null to remove a default (write numbers in quotes)");
            return std::nullopt;
        });
}

template <>
struct spec_fields<mpi_settings> {
    static constexpr std::array<field<mpi_key, mpi_settings>, enum_names<mpi_key>::table.size()> table{{
        named<&mpi_settings::flavor>(mpi_key::flavor),
        {mpi_key::allow_run_as_root, &read_run_as_root, &write_run_as_root},
        text<&mpi_settings::network_interface>(mpi_key::network_interface, "an interface name such as \"eth0\""),
        integer<&mpi_settings::ssh_port>(mpi_key::ssh_port),
        integer<&mpi_settings::open_mpi_major>(mpi_key::open_mpi_major),
        text_or_null<&mpi_settings::bind_to>(mpi_key::bind_to, "such as \"core\""),
        text_or_null<&mpi_settings::map_by>(mpi_key::map_by, "such as \"socket\""),
        {mpi_key::mca, &read_mca, &write_map<&mpi_settings::mca>},
        text_list<&mpi_settings::extra_args>(mpi_key::extra_args),
        text_list<&mpi_settings::command_prefix>(mpi_key::command_prefix),
        boolean<&mpi_settings::trusted_launcher_settings>(mpi_key::trusted_launcher_settings),
    }};
};
static_assert(fields_in_key_order<mpi_settings>());

template <>
struct spec_fields<onnx_export_settings> {
    static constexpr std::array<field<onnx_export_key, onnx_export_settings>, enum_names<onnx_export_key>::table.size()>
        table{{
            text<&onnx_export_settings::saved_model>(onnx_export_key::saved_model,
                                                     "a SavedModel directory relative to the run"),
            text<&onnx_export_settings::output>(onnx_export_key::output, "an .onnx file relative to the run"),
            integer<&onnx_export_settings::opset>(onnx_export_key::opset),
        }};
};
static_assert(fields_in_key_order<onnx_export_settings>());

template <>
struct spec_fields<job_spec> {
    static constexpr std::array<field<spec_key, job_spec>, enum_names<spec_key>::table.size()> table{{
        {spec_key::api_version, &read_api_version, &write_api_version},
        text<&job_spec::name>(spec_key::name),
        text<&job_spec::source_directory>(spec_key::source_directory),
        boolean<&job_spec::writable_source_directory>(spec_key::writable_source_directory),
        text<&job_spec::entry_script>(spec_key::entry_script),
        {spec_key::script_params, &read_script_params, &write_script_params},
        {spec_key::compute_target, &read_compute_target, &write_compute_target},
        text<&job_spec::vm_size>(spec_key::vm_size),
        text<&job_spec::vm_priority>(spec_key::vm_priority),
        integer<&job_spec::node_count>(spec_key::node_count),
        integer<&job_spec::process_count_per_node>(spec_key::process_count_per_node),
        {spec_key::distributed_backend, &read_backend, &write_backend},
        integer<&job_spec::worker_count>(spec_key::worker_count),
        integer<&job_spec::parameter_server_count>(spec_key::parameter_server_count),
        integer<&job_spec::chief_count>(spec_key::chief_count),
        integer<&job_spec::evaluator_count>(spec_key::evaluator_count),
        boolean<&job_spec::use_gpu>(spec_key::use_gpu),
        boolean<&job_spec::use_docker>(spec_key::use_docker),
        text<&job_spec::custom_docker_image>(spec_key::custom_docker_image),
        boolean<&job_spec::user_managed>(spec_key::user_managed),
        text_list<&job_spec::conda_packages>(spec_key::conda_packages),
        text_list<&job_spec::pip_packages>(spec_key::pip_packages),
        text<&job_spec::conda_dependencies_file>(spec_key::conda_dependencies_file),
        text<&job_spec::pip_requirements_file>(spec_key::pip_requirements_file),
        {spec_key::environment_variables, &read_environment, &write_map<&job_spec::environment_variables>},
        text<&job_spec::shm_size>(spec_key::shm_size, "Docker syntax such as \"2g\""),
        integer<&job_spec::max_run_duration_seconds>(spec_key::max_run_duration_seconds),
        // A number would lose "2.10" to 2.1, so only strings are accepted.
        text<&job_spec::framework_version>(spec_key::framework_version,
                                           "for example \"2.16\"; a number cannot say 2.10"),
        boolean<&job_spec::keras>(spec_key::keras),
        integer<&job_spec::port>(spec_key::port),
        object<&job_spec::tf_config>(spec_key::tf_config),
        object<&job_spec::mpi>(spec_key::mpi),
        object<&job_spec::onnx_export>(spec_key::onnx_export),
        text<&job_spec::image_registry>(spec_key::image_registry,
                                        "registry/repository, for example \"ghcr.io/acme/mnist\""),
        named<&job_spec::slurm_environment>(spec_key::slurm_environment),
        object<&job_spec::sweep>(spec_key::sweep),
    }};
};
static_assert(fields_in_key_order<job_spec>());

/// Reads a document's fields; a key of another level gets a hint that says so.
inline job_spec read_job_spec(spec_value_reader& r, const ojson& doc) {
    job_spec s;
    if (!doc.is_object()) {
        r.type_error("$", doc, "a JSON object");
        return s;
    }
    read_fields(r, s, "", doc, [&r](const std::string& item, const std::string& key) {
        if (closest_match(key, spec_keys()) || closest_match(key, compute_target_keys()))
            r.unknown_key(item, key, spec_keys(), &compute_target_keys(),
                          "a key of compute_target, not a top-level key");
        else
            r.unknown_key(item, key, spec_keys(), &mpi_settings_keys(), "a key of mpi, not a top-level key");
    });
    return s;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
