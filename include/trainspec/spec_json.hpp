#pragma once
// The JSON job spec (`"apiVersion": "trainspec/v1"`), both directions.
//
// Keys are Azure ML's estimator parameter names. Reading collects every
// problem at once: syntax errors with line and column, duplicate keys,
// unknown keys (with a "did you mean" hint), wrong types, then the job rules
// of validate(); each problem names its JSON path. Writing gives the same
// spec back: spec -> JSON -> spec is the identity, and script_params keep
// their order.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/error.hpp>
#include <trainspec/job.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/spec/mpi_flavor.hpp>
#include <trainspec/spec/mpi_settings.hpp>
#include <trainspec/validate.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

inline constexpr const char* spec_api_version = "trainspec/v1";

/// The top-level keys of a trainspec/v1 spec, in the order to_json() writes them.
inline const std::vector<std::string>& spec_keys() {
    static const std::vector<std::string> keys = {"apiVersion",
                                                  "name",
                                                  "source_directory",
                                                  "entry_script",
                                                  "script_params",
                                                  "compute_target",
                                                  "vm_size",
                                                  "vm_priority",
                                                  "node_count",
                                                  "process_count_per_node",
                                                  "distributed_backend",
                                                  "worker_count",
                                                  "parameter_server_count",
                                                  "chief_count",
                                                  "evaluator_count",
                                                  "use_gpu",
                                                  "use_docker",
                                                  "custom_docker_image",
                                                  "user_managed",
                                                  "conda_packages",
                                                  "pip_packages",
                                                  "conda_dependencies_file",
                                                  "pip_requirements_file",
                                                  "environment_variables",
                                                  "shm_size",
                                                  "max_run_duration_seconds",
                                                  "framework_version",
                                                  "keras",
                                                  "port",
                                                  "tf_config",
                                                  "mpi",
                                                  "onnx_export",
                                                  "image_registry",
                                                  "slurm_environment"};
    return keys;
}

inline const std::vector<std::string>& compute_target_keys() {
    static const std::vector<std::string> keys = {"name", "gpus_per_node", "cpus_per_node", "max_nodes", "hosts"};
    return keys;
}

/// Edit distance, for "did you mean" hints.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

/// The closest candidate within a third of the word's length, if any; case
/// does not count ("MPI" is close to "mpi").
inline std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates) {
    auto lower = [](std::string_view text) {
        std::string out(text);
        for (auto& c : out)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        return out;
    };
    const auto key = lower(word);
    std::optional<std::string> best;
    std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
    for (const auto& c : candidates) {
        const auto d = edit_distance(key, lower(c));
        if (d < best_distance) {
            best_distance = d;
            best = c;
        }
    }
    return best;
}

namespace detail {

using ojson = nlohmann::ordered_json;

inline std::string json_type_name(const ojson& v) {
    if (v.is_number_integer()) return "integer";
    if (v.is_number_float()) return "number";
    return v.type_name();
}

inline std::string shown(const ojson& v) { return v.dump(); }

/// Reads one JSON document into a job_spec, noting every problem.
class spec_reader {
public:
    explicit spec_reader(problems& found) : found_(found) {}

    job_spec read(const ojson& doc) {
        job_spec s;
        if (!doc.is_object()) {
            type_error("$", doc, "a JSON object");
            return s;
        }
        for (const auto& [key, value] : doc.items()) {
            if (std::find(spec_keys().begin(), spec_keys().end(), key) == spec_keys().end()) {
                if (closest_match(key, spec_keys()) || closest_match(key, compute_target_keys()))
                    unknown_key(key, key, spec_keys(), &compute_target_keys(),
                                "a key of compute_target, not a top-level key");
                else
                    unknown_key(key, key, spec_keys(), &mpi_settings_keys(), "a key of mpi, not a top-level key");
                continue;
            }
            read_field(s, key, value);
        }
        return s;
    }

    /// Paths whose value had the wrong type: rules about them are moot.
    const std::vector<std::string>& bad_paths() const { return bad_paths_; }

private:
    void add(std::string path, std::string value, std::string rule) {
        found_.push_back({std::move(path), std::move(value), std::move(rule)});
    }
    void type_error(const std::string& path, const ojson& v, const std::string& expected) {
        add(path, shown(v), "must be " + expected + ", not " + json_type_name(v));
        bad_paths_.push_back(path);
    }
    /// `elsewhere`: the keys of another level, for a key written at the wrong level.
    void unknown_key(const std::string& path, const std::string& key, const std::vector<std::string>& known,
                     const std::vector<std::string>* elsewhere = nullptr, const char* elsewhere_is = nullptr) {
        std::string rule = "unknown key";
        if (auto hint = closest_match(key, known))
            rule += "; did you mean \"" + *hint + "\"?";
        else if (auto other = elsewhere ? closest_match(key, *elsewhere) : std::nullopt)
            rule += "; did you mean \"" + *other + "\"? It is " + elsewhere_is;
        add(path, "", rule);
    }

    std::optional<std::string> string_at(const std::string& path, const ojson& v, const char* extra = nullptr) {
        if (v.is_string()) return v.get<std::string>();
        type_error(path, v, extra ? std::string("a string (") + extra + ")" : std::string("a string"));
        return std::nullopt;
    }
    std::optional<bool> bool_at(const std::string& path, const ojson& v) {
        if (v.is_boolean()) return v.get<bool>();
        type_error(path, v, "true or false");
        return std::nullopt;
    }
    std::optional<std::int64_t> integer_at(const std::string& path, const ojson& v, std::int64_t max) {
        if (v.is_number_integer()) {
            if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
                add(path, shown(v), "must be at most " + std::to_string(max));
                bad_paths_.push_back(path);
                return std::nullopt;
            }
            const auto i = v.get<std::int64_t>();
            if (i > max || i < -max) {
                add(path, shown(v), "must be between " + std::to_string(-max) + " and " + std::to_string(max));
                bad_paths_.push_back(path);
                return std::nullopt;
            }
            return i;
        }
        type_error(path, v, "an integer");
        return std::nullopt;
    }
    std::optional<int> int_at(const std::string& path, const ojson& v) {
        auto i = integer_at(path, v, std::numeric_limits<int>::max());
        if (!i) return std::nullopt;
        return static_cast<int>(*i);
    }
    std::vector<std::string> strings_at(const std::string& path, const ojson& v) {
        std::vector<std::string> out;
        if (!v.is_array()) {
            type_error(path, v, "an array of strings");
            return out;
        }
        // An unreadable element keeps its place (as ""), so that the rules'
        // paths (`conda_packages[2]`) still point at the right element.
        for (std::size_t i = 0; i < v.size(); ++i)
            out.push_back(string_at(path + "[" + std::to_string(i) + "]", v[i]).value_or(""));
        return out;
    }

    void read_field(job_spec& s, const std::string& key, const ojson& v) {
        if (key == "apiVersion") {
            if (auto api = string_at(key, v); api && *api != spec_api_version)
                add(key, shown(v), std::string("must be \"") + spec_api_version + "\"");
        } else if (key == "name") {
            s.name = string_at(key, v);
        } else if (key == "source_directory") {
            s.source_directory = string_at(key, v).value_or("");
        } else if (key == "entry_script") {
            s.entry_script = string_at(key, v).value_or("");
        } else if (key == "script_params") {
            s.params = read_script_params(v);
        } else if (key == "compute_target") {
            s.target = read_compute_target(v);
        } else if (key == "vm_size") {
            s.vm_size = string_at(key, v);
        } else if (key == "vm_priority") {
            s.vm_priority = string_at(key, v);
        } else if (key == "node_count") {
            s.node_count = int_at(key, v);
        } else if (key == "process_count_per_node") {
            s.process_count_per_node = int_at(key, v);
        } else if (key == "distributed_backend") {
            read_backend(s, v);
        } else if (key == "worker_count") {
            s.worker_count = int_at(key, v);
        } else if (key == "parameter_server_count") {
            s.parameter_server_count = int_at(key, v);
        } else if (key == "chief_count") {
            s.chief_count = int_at(key, v);
        } else if (key == "evaluator_count") {
            s.evaluator_count = int_at(key, v);
        } else if (key == "use_gpu") {
            s.use_gpu = bool_at(key, v);
        } else if (key == "use_docker") {
            s.use_docker = bool_at(key, v);
        } else if (key == "custom_docker_image") {
            s.custom_docker_image = string_at(key, v);
        } else if (key == "user_managed") {
            s.user_managed = bool_at(key, v);
        } else if (key == "conda_packages") {
            s.conda_packages = strings_at(key, v);
        } else if (key == "pip_packages") {
            s.pip_packages = strings_at(key, v);
        } else if (key == "conda_dependencies_file") {
            s.conda_dependencies_file = string_at(key, v);
        } else if (key == "pip_requirements_file") {
            s.pip_requirements_file = string_at(key, v);
        } else if (key == "environment_variables") {
            s.environment_variables = read_environment(v);
        } else if (key == "shm_size") {
            s.shm_size = string_at(key, v, "Docker syntax such as \"2g\"");
        } else if (key == "max_run_duration_seconds") {
            s.max_run_duration_seconds = integer_at(key, v, std::numeric_limits<std::int64_t>::max());
        } else if (key == "framework_version") {
            // A number would lose "2.10" to 2.1, so only strings are accepted.
            s.framework_version = string_at(key, v, "for example \"2.16\"; a number cannot say 2.10");
        } else if (key == "keras") {
            s.keras = bool_at(key, v);
        } else if (key == "port") {
            s.port = int_at(key, v);
        } else if (key == "tf_config") {
            s.tf_config = read_tf_config(v);
        } else if (key == "mpi") {
            s.mpi = read_mpi(v);
        } else if (key == "onnx_export") {
            s.onnx_export = read_onnx_export(v);
        } else if (key == "image_registry") {
            s.image_registry = string_at(key, v, "registry/repository, for example \"ghcr.io/acme/mnist\"");
        } else if (key == "slurm_environment") {
            if (auto name = string_at(key, v)) {
                s.slurm_environment = enum_from_name<slurm_environment_kind>(*name);
                if (!s.slurm_environment)
                    named_choice_error(key, v, *name, "slurm_environment", enum_name_list<slurm_environment_kind>());
            }
        }
    }

    /// A string, or null (Horovod's default removed); unset after a type error.
    std::optional<std::optional<std::string>> string_or_null_at(const std::string& path, const ojson& v,
                                                                const char* what) {
        if (v.is_null()) return std::optional<std::string>();
        if (v.is_string()) return std::optional<std::string>(v.get<std::string>());
        type_error(path, v, std::string("a string (") + what + ") or null (leave the flag out)");
        return std::nullopt;
    }

    std::optional<mpi_settings> read_mpi(const ojson& v) {
        if (!v.is_object()) {
            type_error("mpi", v, "an object with " + join_keys(mpi_settings_keys()));
            return std::nullopt;
        }
        mpi_settings settings;
        for (const auto& [key, value] : v.items()) {
            const auto path = "mpi." + key;
            if (key == "flavor") {
                if (auto name = string_at(path, value)) {
                    settings.flavor = enum_from_name<mpi_flavor>(*name);
                    if (!settings.flavor)
                        named_choice_error(path, value, *name, "flavor", enum_name_list<mpi_flavor>());
                }
            } else if (key == "allow_run_as_root") {
                settings.allow_run_as_root = read_run_as_root(path, value);
            } else if (key == "network_interface") {
                settings.network_interface = string_at(path, value, "an interface name such as \"eth0\"");
            } else if (key == "ssh_port") {
                settings.ssh_port = int_at(path, value);
            } else if (key == "open_mpi_major") {
                settings.open_mpi_major = int_at(path, value);
            } else if (key == "bind_to") {
                settings.bind_to = string_or_null_at(path, value, "such as \"core\"");
            } else if (key == "map_by") {
                settings.map_by = string_or_null_at(path, value, "such as \"socket\"");
            } else if (key == "mca") {
                settings.mca = read_mca(path, value);
            } else if (key == "extra_args") {
                settings.extra_args = strings_at(path, value);
            } else if (key == "command_prefix") {
                settings.command_prefix = strings_at(path, value);
            } else {
                unknown_key(path, key, mpi_settings_keys());
            }
        }
        return settings;
    }

    /// false, "flag" or "environment"; true is an error, since it does not
    /// say which of the two forms to use.
    std::optional<run_as_root> read_run_as_root(const std::string& path, const ojson& v) {
        static const char* choices =
            "false, \"flag\" (--allow-run-as-root) or \"environment\" (OMPI_ALLOW_RUN_AS_ROOT=1 and "
            "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1)";
        if (v.is_boolean()) {
            if (!v.get<bool>()) return run_as_root::not_allowed;
            add(path, shown(v), std::string("must be ") + choices + "; true does not say which form");
            bad_paths_.push_back(path);
            return std::nullopt;
        }
        if (!v.is_string()) {
            type_error(path, v, choices);
            return std::nullopt;
        }
        const auto name = v.get<std::string>();
        if (auto r = run_as_root_from_name(name)) return r;
        std::string rule = std::string("must be ") + choices;
        if (auto hint = closest_match(name, {"flag", "environment"})) rule += "; did you mean \"" + *hint + "\"?";
        add(path, shown(v), rule);
        bad_paths_.push_back(path);
        return std::nullopt;
    }

    /// name: value (set) or null (remove), in the user's order.
    std::vector<mca_setting> read_mca(const std::string& path, const ojson& v) {
        std::vector<mca_setting> out;
        if (!v.is_object()) {
            type_error(path, v, "an object of MCA parameter name: string value, or null to remove a default");
            return out;
        }
        for (const auto& [name, value] : v.items()) {
            const auto item = path + "[" + quote_json(name) + "]";
            if (value.is_null())
                out.push_back({name, std::nullopt});
            else if (value.is_string())
                out.push_back({name, value.get<std::string>()});
            else
                type_error(item, value, "a string, or null to remove a default (write numbers in quotes)");
        }
        return out;
    }

    static std::string join_keys(const std::vector<std::string>& keys) {
        std::string text;
        for (std::size_t i = 0; i < keys.size(); ++i) text += (i == 0 ? "" : ", ") + keys[i];
        return text;
    }

    std::optional<onnx_export_settings> read_onnx_export(const ojson& v) {
        static const std::vector<std::string> keys = {"saved_model", "output", "opset"};
        if (!v.is_object()) {
            type_error("onnx_export", v, "an object with saved_model, output, opset");
            return std::nullopt;
        }
        onnx_export_settings settings;
        for (const auto& [key, value] : v.items()) {
            const auto path = "onnx_export." + key;
            if (key == "saved_model")
                settings.saved_model = string_at(path, value, "a SavedModel directory relative to the run");
            else if (key == "output")
                settings.output = string_at(path, value, "an .onnx file relative to the run");
            else if (key == "opset")
                settings.opset = int_at(path, value);
            else
                unknown_key(path, key, keys);
        }
        return settings;
    }

    std::optional<tf_config_settings> read_tf_config(const ojson& v) {
        if (!v.is_object()) {
            type_error("tf_config", v, "an object with profile, consumer, rpc_layer, sparse");
            return std::nullopt;
        }
        static const std::vector<std::string> keys = {"profile", "consumer", "rpc_layer", "sparse"};
        tf_config_settings settings;
        for (const auto& [key, value] : v.items()) {
            const auto path = "tf_config." + key;
            if (key == "profile") {
                if (auto name = string_at(path, value)) {
                    settings.profile = enum_from_name<tf_profile>(*name);
                    if (!settings.profile)
                        named_choice_error(path, value, *name, "profile", enum_name_list<tf_profile>());
                }
            } else if (key == "consumer") {
                if (auto name = string_at(path, value)) {
                    settings.consumer = enum_from_name<tf_consumer>(*name);
                    if (!settings.consumer)
                        named_choice_error(path, value, *name, "consumer", enum_name_list<tf_consumer>());
                }
            } else if (key == "rpc_layer") {
                settings.rpc_layer = string_at(path, value);
            } else if (key == "sparse") {
                settings.sparse = bool_at(path, value);
            } else {
                unknown_key(path, key, keys);
            }
        }
        return settings;
    }

    void named_choice_error(const std::string& path, const ojson& v, const std::string& name, const char* what,
                            std::string_view choices) {
        std::vector<std::string> options;
        std::size_t start = 0;
        while (start < choices.size()) {
            auto comma = choices.find(", ", start);
            if (comma == std::string_view::npos) comma = choices.size();
            options.emplace_back(choices.substr(start, comma - start));
            start = comma + 2;
        }
        std::string rule = "unknown " + std::string(what) + "; one of " + std::string(choices);
        if (auto hint = closest_match(name, options)) rule += "; did you mean \"" + *hint + "\"?";
        add(path, shown(v), rule);
        bad_paths_.push_back(path);
    }

    void read_backend(job_spec& s, const ojson& v) {
        if (v.is_null()) {  // Azure ML's None: no backend, said explicitly
            s.distributed_backend = backend_kind::single_node;
            return;
        }
        auto name = string_at("distributed_backend", v);
        if (!name) return;
        if (auto kind = enum_from_name<backend_kind>(*name)) {
            s.distributed_backend = *kind;
            return;
        }
        std::string rule = "Unsupported distributed backend value: " + *name +
                           ". Supported backend(s): " + std::string(enum_name_list<backend_kind>()) + ".";
        if (auto hint = closest_match(*name, {"mpi", "ps", "multi_worker"})) rule += " Did you mean \"" + *hint + "\"?";
        add("distributed_backend", shown(v), rule);
        bad_paths_.push_back("distributed_backend");
    }

    std::optional<param_value> read_param_value(const std::string& path, const ojson& v) {
        if (v.is_null()) return param_value(nullptr);
        if (v.is_boolean()) return param_value(v.get<bool>());
        if (v.is_number_integer()) {
            if (v.is_number_unsigned() &&
                v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
                add(path, shown(v), "an integer must fit 64 bits");
                bad_paths_.push_back(path);
                return std::nullopt;
            }
            return param_value(v.get<std::int64_t>());
        }
        if (v.is_number_float()) return param_value(v.get<double>());
        if (v.is_string()) return param_value(v.get<std::string>());
        if (v.is_array()) {
            param_value::list items;
            for (std::size_t i = 0; i < v.size(); ++i) {
                const auto& e = v[i];
                const auto item_path = path + "[" + std::to_string(i) + "]";
                if (e.is_boolean())
                    items.emplace_back(e.get<bool>());
                else if (e.is_number_integer() && !e.is_number_unsigned())
                    items.emplace_back(e.get<std::int64_t>());
                else if (e.is_number_integer() &&
                         e.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                    items.emplace_back(static_cast<std::int64_t>(e.get<std::uint64_t>()));
                else if (e.is_number_float())
                    items.emplace_back(e.get<double>());
                else if (e.is_string())
                    items.emplace_back(e.get<std::string>());
                else if (e.is_number_unsigned()) {
                    add(item_path, shown(e), "an integer must fit 64 bits");
                    bad_paths_.push_back(item_path);
                    return std::nullopt;
                } else {
                    type_error(item_path, e, "a string, number or boolean (lists do not nest)");
                    return std::nullopt;
                }
            }
            return param_value(std::move(items));
        }
        type_error(path, v, "null, a boolean, a number, a string or a list of those");
        return std::nullopt;
    }

    script_params read_script_params(const ojson& v) {
        script_params params;
        if (v.is_object()) {
            for (const auto& [key, value] : v.items()) {
                auto path = "script_params[" + quote_json(key) + "]";
                if (auto pv = read_param_value(path, value)) params.add(key, std::move(*pv));
            }
        } else if (v.is_array()) {
            // [["--x", 1], ["--x", 2]]: the form that allows repeated keys.
            for (std::size_t i = 0; i < v.size(); ++i) {
                const auto& pair = v[i];
                auto path = "script_params[" + std::to_string(i) + "]";
                if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string()) {
                    type_error(path, pair, "a [key, value] pair with a string key");
                    continue;
                }
                auto key = pair[0].get<std::string>();
                if (auto pv = read_param_value("script_params[" + quote_json(key) + "]", pair[1]))
                    params.add(std::move(key), std::move(*pv));
            }
        } else {
            type_error("script_params", v, "an object or an array of [key, value] pairs");
        }
        return params;
    }

    /// An unreadable host keeps its place (unnamed), so that the rules' paths
    /// (`compute_target.hosts[2]`) still point at the right element.
    host read_host(const std::string& path, const ojson& v) {
        if (v.is_string()) {
            // "name" or "name:slots", Horovod's syntax.
            const auto text = v.get<std::string>();
            const auto colon = text.rfind(':');
            if (colon == std::string::npos) return host{text, 1};
            const auto slots = text.substr(colon + 1);
            if (slots.empty() || slots.size() > 9 || slots.find_first_not_of("0123456789") != std::string::npos) {
                add(path, shown(v), "must be \"host\" or \"host:slots\" with slots a positive integer");
                bad_paths_.push_back(path);
                return host{};
            }
            return host{text.substr(0, colon), std::stoi(slots)};
        }
        if (v.is_object()) {
            host h;
            bool named = false;
            for (const auto& [key, value] : v.items()) {
                if (key == "name") {
                    named = true;  // a name of the wrong type is reported as that
                    h.name = string_at(path + ".name", value).value_or("");
                } else if (key == "slots") {
                    if (auto n = int_at(path + ".slots", value)) h.slots = *n;
                } else {
                    unknown_key(path + "." + key, key, {"name", "slots"});
                }
            }
            if (!named) {
                add(path + ".name", "", "is required");
                bad_paths_.push_back(path + ".name");
            }
            return h;
        }
        type_error(path, v, "\"host:slots\" or {\"name\", \"slots\"}");
        return host{};
    }

    std::optional<compute_target> read_compute_target(const ojson& v) {
        if (v.is_string()) return compute_target(v.get<std::string>());
        if (!v.is_object()) {
            type_error("compute_target", v, "a name or an object");
            return std::nullopt;
        }
        compute_target t;
        bool named = false;
        for (const auto& [key, value] : v.items()) {
            const auto path = "compute_target." + key;
            if (key == "name") {
                named = true;  // a name of the wrong type is reported as that
                t.name = string_at(path, value).value_or("");
            } else if (key == "gpus_per_node") {
                t.gpus_per_node = int_at(path, value);
            } else if (key == "cpus_per_node") {
                t.cpus_per_node = int_at(path, value);
            } else if (key == "max_nodes") {
                t.max_nodes = int_at(path, value);
            } else if (key == "hosts") {
                if (!value.is_array()) {
                    type_error(path, value, "an array of \"host:slots\"");
                    continue;
                }
                for (std::size_t i = 0; i < value.size(); ++i)
                    t.hosts.push_back(read_host(path + "[" + std::to_string(i) + "]", value[i]));
            } else {
                unknown_key(path, key, compute_target_keys(), &spec_keys(),
                            "a top-level key, not part of compute_target");
            }
        }
        if (!named) {
            add("compute_target.name", "", "is required");
            bad_paths_.push_back("compute_target");
        }
        return t;
    }

    std::vector<environment_variable> read_environment(const ojson& v) {
        std::vector<environment_variable> vars;
        if (!v.is_object()) {
            type_error("environment_variables", v, "an object of name: string value");
            return vars;
        }
        for (const auto& [key, value] : v.items()) {
            const auto path = "environment_variables[" + quote_json(key) + "]";
            if (value.is_string())
                vars.push_back({key, value.get<std::string>()});
            else
                type_error(path, value, "a string (write numbers in quotes, as the environment holds text)");
        }
        return vars;
    }

    problems& found_;
    std::vector<std::string> bad_paths_;
};

/// The path of a key inside the object at `parent` ("" for the document).
/// The maps of free-form names use the bracket form of validate().
inline std::string key_path(const std::string& parent, const std::string& key) {
    if (parent.empty()) return key;
    if (parent == "script_params" || parent == "environment_variables" || parent == "mpi.mca")
        return parent + "[" + quote_json(key) + "]";
    return parent + "." + key;
}

/// Parses `text` into `out`. Duplicate keys (nlohmann keeps only one of them
/// silently) and a syntax error go to `found`; false on a syntax error.
inline bool parse_spec_text(std::string_view text, ojson& out, problems& found) {
    struct level {
        std::string path;
        bool is_array = false;
        std::size_t index = 0;  // arrays: the element being read
        std::string key;        // objects: the last key read
        std::set<std::string> keys;
    };
    std::vector<level> stack;
    auto child_path = [&stack]() -> std::string {
        if (stack.empty()) return {};
        const auto& parent = stack.back();
        return parent.is_array ? parent.path + "[" + std::to_string(parent.index) + "]"
                               : key_path(parent.path, parent.key);
    };
    auto element_done = [&stack]() {
        if (!stack.empty() && stack.back().is_array) ++stack.back().index;
    };
    auto callback = [&](int /*depth*/, ojson::parse_event_t event, ojson& parsed) {
        switch (event) {
            case ojson::parse_event_t::object_start:
            case ojson::parse_event_t::array_start: {
                level next;
                next.path = child_path();
                next.is_array = event == ojson::parse_event_t::array_start;
                stack.push_back(std::move(next));
                break;
            }
            case ojson::parse_event_t::object_end:
            case ojson::parse_event_t::array_end:
                if (!stack.empty()) stack.pop_back();
                element_done();
                break;
            case ojson::parse_event_t::key: {
                if (stack.empty()) break;
                auto& object = stack.back();
                object.key = parsed.get<std::string>();
                if (!object.keys.insert(object.key).second) {
                    std::string rule = "duplicate key; JSON readers keep only one of them";
                    if (object.path == "script_params")
                        rule += " (a repeated parameter needs the array form [[\"--x\", 1], [\"--x\", 2]])";
                    found.push_back({key_path(object.path, object.key), "", std::move(rule)});
                }
                break;
            }
            case ojson::parse_event_t::value:
                element_done();
                break;
        }
        return true;
    };
    try {
        out = ojson::parse(text.begin(), text.end(), callback);
    } catch (const ojson::parse_error& e) {
        std::string message = e.what();
        // "[json.exception.parse_error.101] parse error at line 1, column 5: ..." -> "at line 1, column 5: ..."
        if (auto at = message.find(" at line "); at != std::string::npos) message.erase(0, at + 1);
        if (auto repeated = message.find(": syntax error "); repeated != std::string::npos)
            message.replace(repeated, 15, ": ");
        found.push_back({"$", "", "syntax error " + message});
        return false;
    } catch (const ojson::out_of_range& e) {
        // A number beyond a double: "[json.exception.out_of_range.406] number overflow parsing '1e400'".
        std::string message = e.what();
        if (auto bracket = message.find("] "); bracket != std::string::npos) message.erase(0, bracket + 2);
        found.push_back({stack.empty() ? "$" : child_path(), "", message});
        return false;
    }
    return true;
}

}  // namespace detail

/// Reads a spec document's fields. Problems of syntax and type go to
/// `found` (every one of them); the job rules are not checked here. A value
/// that could not be read is left unset; in a list it keeps its place, empty,
/// so that the indices stay those of the document.
inline job_spec read_spec(std::string_view text, problems& found) {
    detail::ojson doc;
    if (!detail::parse_spec_text(text, doc, found)) return {};
    detail::spec_reader reader(found);
    return reader.read(doc);
}

/// Every problem of a spec document: syntax, keys and types, then the job
/// rules (leaving out rules about values that already had the wrong type).
inline problems check_spec(std::string_view text) {
    problems found;
    detail::ojson doc;
    if (!detail::parse_spec_text(text, doc, found)) return found;
    detail::spec_reader reader(found);
    const auto spec = reader.read(doc);
    if (!doc.is_object()) return found;
    // Rules that read an unreadable value are skipped; so is any rule about a path inside one.
    for (auto& p : detail::rule_checker(spec, reader.bad_paths()).run()) {
        const bool moot = std::any_of(reader.bad_paths().begin(), reader.bad_paths().end(),
                                      [&](const std::string& bad) { return detail::path_within(p.path, bad); });
        if (!moot) found.push_back(std::move(p));
    }
    return found;
}

/// Reads and validates a spec document. Throws validation_error listing
/// every problem.
inline any_job load_job(std::string_view text) {
    auto found = check_spec(text);
    if (!found.empty()) throw validation_error(std::move(found));
    problems none;
    return make_job(read_spec(text, none));
}

namespace detail {
inline ojson param_json(const param_scalar& v) {
    return std::visit([](const auto& x) { return ojson(x); }, v.get());
}
inline ojson param_json(const param_value& v) {
    return std::visit(
        [](const auto& x) -> ojson {
            using V = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<V, param_value::list>) {
                ojson list = ojson::array();
                for (const auto& item : x) list.push_back(param_json(item));
                return list;
            } else {
                return ojson(x);
            }
        },
        v.get());
}
}  // namespace detail

/// The spec as a trainspec/v1 JSON document; only the fields that are set,
/// in spec_keys() order.
inline nlohmann::ordered_json to_json(const job_spec& s) {
    detail::ojson j;
    j["apiVersion"] = spec_api_version;
    if (s.name) j["name"] = *s.name;
    j["source_directory"] = s.source_directory;
    j["entry_script"] = s.entry_script;
    if (!s.params.empty()) {
        if (s.params.has_repeated_keys()) {
            auto pairs = detail::ojson::array();
            for (const auto& [key, value] : s.params) pairs.push_back({key, detail::param_json(value)});
            j["script_params"] = std::move(pairs);
        } else {
            detail::ojson object = detail::ojson::object();
            for (const auto& [key, value] : s.params) object[key] = detail::param_json(value);
            j["script_params"] = std::move(object);
        }
    }
    if (s.target) {
        const auto& t = *s.target;
        if (t.is_name_only()) {
            j["compute_target"] = t.name;
        } else {
            detail::ojson target;
            target["name"] = t.name;
            if (t.gpus_per_node) target["gpus_per_node"] = *t.gpus_per_node;
            if (t.cpus_per_node) target["cpus_per_node"] = *t.cpus_per_node;
            if (t.max_nodes) target["max_nodes"] = *t.max_nodes;
            if (!t.hosts.empty()) {
                auto hosts = detail::ojson::array();
                for (const auto& h : t.hosts) hosts.push_back(h.name + ":" + std::to_string(h.slots));
                target["hosts"] = std::move(hosts);
            }
            j["compute_target"] = std::move(target);
        }
    }
    auto put_in = [](detail::ojson& object, const char* key, const auto& optional) {
        if (optional) object[key] = *optional;
    };
    auto put = [&j, &put_in](const char* key, const auto& optional) { put_in(j, key, optional); };
    put("vm_size", s.vm_size);
    put("vm_priority", s.vm_priority);
    put("node_count", s.node_count);
    put("process_count_per_node", s.process_count_per_node);
    if (s.distributed_backend) {
        // An explicit single_node is written as null, which reads back as single_node.
        const auto name = enum_name(*s.distributed_backend);
        j["distributed_backend"] = name.empty() ? detail::ojson(nullptr) : detail::ojson(std::string(name));
    }
    put("worker_count", s.worker_count);
    put("parameter_server_count", s.parameter_server_count);
    put("chief_count", s.chief_count);
    put("evaluator_count", s.evaluator_count);
    put("use_gpu", s.use_gpu);
    put("use_docker", s.use_docker);
    put("custom_docker_image", s.custom_docker_image);
    put("user_managed", s.user_managed);
    if (!s.conda_packages.empty()) j["conda_packages"] = s.conda_packages;
    if (!s.pip_packages.empty()) j["pip_packages"] = s.pip_packages;
    put("conda_dependencies_file", s.conda_dependencies_file);
    put("pip_requirements_file", s.pip_requirements_file);
    if (!s.environment_variables.empty()) {
        detail::ojson env = detail::ojson::object();
        for (const auto& v : s.environment_variables) env[v.name] = v.value;
        j["environment_variables"] = std::move(env);
    }
    put("shm_size", s.shm_size);
    put("max_run_duration_seconds", s.max_run_duration_seconds);
    put("framework_version", s.framework_version);
    put("keras", s.keras);
    put("port", s.port);
    if (s.tf_config) {
        detail::ojson settings = detail::ojson::object();
        if (s.tf_config->profile) settings["profile"] = std::string(enum_name(*s.tf_config->profile));
        if (s.tf_config->consumer) settings["consumer"] = std::string(enum_name(*s.tf_config->consumer));
        if (s.tf_config->rpc_layer) settings["rpc_layer"] = *s.tf_config->rpc_layer;
        if (s.tf_config->sparse) settings["sparse"] = *s.tf_config->sparse;
        j["tf_config"] = std::move(settings);
    }
    if (s.mpi) {
        const auto& m = *s.mpi;
        detail::ojson settings = detail::ojson::object();
        if (m.flavor) settings["flavor"] = std::string(enum_name(*m.flavor));
        if (m.allow_run_as_root)
            settings["allow_run_as_root"] = *m.allow_run_as_root == run_as_root::not_allowed
                                                ? detail::ojson(false)
                                                : detail::ojson(std::string(run_as_root_name(*m.allow_run_as_root)));
        put_in(settings, "network_interface", m.network_interface);
        put_in(settings, "ssh_port", m.ssh_port);
        put_in(settings, "open_mpi_major", m.open_mpi_major);
        for (auto [key, value] : {std::pair{"bind_to", &m.bind_to}, {"map_by", &m.map_by}})
            if (*value) settings[key] = **value ? detail::ojson(***value) : detail::ojson(nullptr);
        if (!m.mca.empty()) {
            detail::ojson mca = detail::ojson::object();
            for (const auto& p : m.mca) mca[p.name] = p.value ? detail::ojson(*p.value) : detail::ojson(nullptr);
            settings["mca"] = std::move(mca);
        }
        if (!m.extra_args.empty()) settings["extra_args"] = m.extra_args;
        if (m.command_prefix) settings["command_prefix"] = *m.command_prefix;
        j["mpi"] = std::move(settings);
    }
    if (s.onnx_export) {
        detail::ojson settings = detail::ojson::object();
        put_in(settings, "saved_model", s.onnx_export->saved_model);
        put_in(settings, "output", s.onnx_export->output);
        put_in(settings, "opset", s.onnx_export->opset);
        j["onnx_export"] = std::move(settings);
    }
    put("image_registry", s.image_registry);
    if (s.slurm_environment) j["slurm_environment"] = std::string(enum_name(*s.slurm_environment));
    return j;
}

/// The spec as text: 2-space indented JSON with a final newline.
inline std::string dump_spec(const job_spec& s) { return to_json(s).dump(2) + "\n"; }

TRAINSPEC_END_NAMESPACE
