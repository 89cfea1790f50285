// Validates a Kubernetes custom resource against the structural schema of its
// CRD the way the API server does on create with strict field validation
// (kubectl --validate=strict): OpenAPI v3 value validation plus unknown
// fields as errors, and the ObjectMeta rules a manifest must meet. Messages
// follow the API server's wording; every violation is reported.
//
// Not checked: CEL rules (x-kubernetes-validations), defaults (not applied,
// except to the keys of x-kubernetes-list-type: map items), formats other than
// int32, int64 and date-time, oneOf/not, admission webhooks. Stricter than the
// API server on purpose: null in a field without `nullable: true` is an error
// (the server prunes it), and only the ObjectMeta fields a manifest may set
// are accepted. Patterns run on std::regex (recursive: keep fuzzed strings
// short). See tests/k8s/crds/README.md.

#pragma once

#include <cctype>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <memory>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace trainspec_test {

/// One thing the API server would refuse. `path` is the field, as in
/// `spec.tfReplicaSpecs.Worker.template.spec.containers[0].ports[0].containerPort`
/// (empty for the object itself); `message` is what the server says about it.
struct schema_violation {
    std::string path;
    std::string message;

    std::string to_string() const { return path.empty() ? message : path + ": " + message; }
};

namespace structural_detail {

using json = nlohmann::json;

inline std::string dump(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }
inline std::string quote(const std::string& s) { return dump(json(s)); }
inline std::string child(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
}
inline std::string index(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }
inline bool flag(const json& s, const char* key) {
    return s.contains(key) && s[key].is_boolean() && s[key].get<bool>();
}
/// s[key], or null if s is not an object with that key.
inline const json* member(const json* s, const std::string& key) {
    return s != nullptr && s->is_object() && s->contains(key) ? &(*s)[key] : nullptr;
}
inline std::string text(const json& s, const char* key) {
    return s.contains(key) && s[key].is_string() ? s[key].get<std::string>() : std::string();
}

/// The JSON type name the API server reports for a value.
inline std::string type_of(const json& v) {
    return v.is_number_integer() ? "integer" : v.is_number() ? "number" : v.type_name();
}

/// An integer, or a float with an integral value (the server takes 2.0 for an integer too).
inline bool is_integral(const json& v) {
    return v.is_number_integer() ||
           (v.is_number_float() && std::isfinite(v.get<double>()) && std::trunc(v.get<double>()) == v.get<double>());
}

/// Compiled ECMAScript regex for a pattern, cached per thread; null if invalid.
inline const std::regex* compiled(const std::string& pattern) {
    thread_local std::unordered_map<std::string, std::unique_ptr<std::regex>> cache;
    auto [it, fresh] = cache.try_emplace(pattern);
    if (fresh) {
        try {
            it->second = std::make_unique<std::regex>(pattern, std::regex::ECMAScript);
        } catch (const std::regex_error&) {
        }
    }
    return it->second.get();
}
inline bool matches(const std::string& pattern, const std::string& s) {
    const std::regex* re = compiled(pattern);
    return re != nullptr && std::regex_search(s, *re);
}

/// Whether an integral number fits format int32 or int64 (any other format: true).
inline bool fits_format(const std::string& format, const json& v) {
    if (format != "int32" && format != "int64") return true;
    const double limit = std::ldexp(1.0, format == "int32" ? 31 : 63);  // 2^31 or 2^63, exact
    if (v.is_number_unsigned()) return v.get<std::uint64_t>() < static_cast<std::uint64_t>(limit);
    if (v.is_number_integer()) {
        const auto i = v.get<std::int64_t>();
        return format == "int64" || (i >= -2147483648LL && i <= 2147483647LL);
    }
    const double d = v.get<double>();
    return d >= -limit && d < limit;
}

inline std::size_t code_points(const std::string& s) {
    std::size_t n = 0;
    for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

inline constexpr const char* dns1123_label = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
inline constexpr const char* dns1123_subdomain = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
inline constexpr const char* qualified_name = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
inline constexpr const char* rfc3339 =
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$";
inline bool full_match(const char* regex, const std::string& s) { return matches(std::string("^(") + regex + ")$", s); }

/// What a manifest may put in metadata (the other ObjectMeta fields are set by the server).
inline const json& object_meta_schema() {
    static const json schema = json::parse(R"({"type": "object", "properties": {
        "name": {"type": "string"}, "generateName": {"type": "string"}, "namespace": {"type": "string"},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "annotations": {"type": "object", "additionalProperties": {"type": "string"}},
        "finalizers": {"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "set"},
        "ownerReferences": {"type": "array", "items": {"type": "object",
            "required": ["apiVersion", "kind", "name", "uid"], "properties": {
            "apiVersion": {"type": "string"}, "kind": {"type": "string"}, "name": {"type": "string"},
            "uid": {"type": "string"}, "controller": {"type": "boolean"},
            "blockOwnerDeletion": {"type": "boolean"}}}}}})");
    return schema;
}

class validator {
public:
    std::vector<schema_violation> found;
    bool custom_resource = false;  ///< the value at path "" is the custom resource itself

    /// The value at `path` against one schema node (and everything below it).
    void check(const json& s, const json& v, const std::string& path) {
        if (!s.is_object()) return;  // no schema, or `true`: anything goes
        if (v.is_null() && flag(s, "nullable")) return;
        if (!type_ok(s, v, path)) return;
        if (s.contains("enum") && s["enum"].is_array()) check_enum(s["enum"], v, path);
        if (v.is_string()) check_string(s, v.get<std::string>(), path);
        if (v.is_number()) check_number(s, v, path);
        if (v.is_array()) check_array(s, v, path);
        if (v.is_object()) check_object(s, v, path);
        if (s.contains("allOf") && s["allOf"].is_array())
            for (const auto& branch : s["allOf"]) check(branch, v, path);
        if (s.contains("anyOf") && s["anyOf"].is_array()) check_any_of(s["anyOf"], v, path);
    }

    /// apiVersion, kind and metadata of a resource (the custom resource, or an embedded one).
    void check_resource(const json& v, const std::string& path, const std::string& api_version,
                        const std::string& kind) {
        header_field(v, path, "apiVersion", api_version);
        header_field(v, path, "kind", kind);
        const std::string at = child(path, "metadata");
        const json meta = v.contains("metadata") ? v["metadata"] : json::object();
        check(object_meta_schema(), meta, at);
        if (!meta.is_object()) return;
        const auto given = [&](const char* key) {
            return meta.contains(key) && meta[key].is_string() && meta[key] != "";
        };
        if (path.empty() && !given("name") && !given("generateName"))
            add(child(at, "name"), "Required value: name or generateName is required");
        if (given("name")) dns_name(meta["name"], child(at, "name"), true);
        if (given("namespace")) dns_name(meta["namespace"], child(at, "namespace"), false);
        if (given("generateName")) {  // a prefix: the server appends a random suffix
            std::string prefix = meta["generateName"];
            while (!prefix.empty() && prefix.back() == '-') prefix.pop_back();
            dns_name(prefix, child(at, "generateName"), true);
        }
        for (const char* map : {"labels", "annotations"}) {
            const json* m = member(&meta, map);
            if (m == nullptr || !m->is_object()) continue;
            const bool labels = *map == 'l';
            std::size_t size = 0;
            for (const auto& [key, value] : m->items()) {
                qualified_key(key, child(at, map), !labels);  // annotation keys are checked lowercased
                if (labels && value.is_string()) label_value(value, child(at, map));
                size += key.size() + (value.is_string() ? value.get_ref<const std::string&>().size() : 0);
            }
            if (!labels && size > 262144) add(child(at, map), "Too long: must have at most 262144 bytes");
        }
        if (const json* f = member(&meta, "finalizers"); f != nullptr && f->is_array())
            for (const auto& name : *f)
                if (name.is_string()) qualified_key(name, child(at, "finalizers"), false);
    }

private:
    void add(const std::string& path, std::string message) { found.push_back({path, std::move(message)}); }
    void invalid(const std::string& path, const json& v, const std::string& detail) {
        add(path, "Invalid value: " + dump(v) + ": " + detail);
    }
    static std::string where(const std::string& path) { return path.empty() ? "body" : path; }
    static std::string in_body(const std::string& path) { return where(path) + " in body"; }

    bool type_ok(const json& s, const json& v, const std::string& path) {
        std::string want = text(s, "type");
        bool ok = true;
        if (flag(s, "x-kubernetes-int-or-string")) {
            want = "integer,string";
            ok = v.is_string() || is_integral(v);
        } else if (want == "integer") {
            ok = is_integral(v);
        } else if (want == "number") {
            ok = v.is_number();
        } else if (!want.empty()) {
            ok = type_of(v) == want;
        }  // untyped: an allOf/anyOf branch, or x-kubernetes-preserve-unknown-fields alone
        if (!ok) invalid(path, type_of(v), in_body(path) + " must be of type " + want + ": " + quote(type_of(v)));
        return ok;
    }

    void check_enum(const json& allowed, const json& v, const std::string& path) {
        std::string list;
        for (const auto& a : allowed) {
            if (a == v) return;
            list += (list.empty() ? "" : ", ") + (a.is_string() ? quote(a.get<std::string>()) : dump(a));
        }
        add(path, "Unsupported value: " + dump(v) + ": supported values: " + list);
    }

    void check_string(const json& s, const std::string& str, const std::string& path) {
        const std::size_t length = code_points(str);
        if (s.contains("maxLength") && s["maxLength"].is_number() &&
            static_cast<double>(length) > s["maxLength"].get<double>())
            add(path, "Too long: may not be more than " + dump(s["maxLength"]) + " bytes");
        if (s.contains("minLength") && s["minLength"].is_number() &&
            static_cast<double>(length) < s["minLength"].get<double>())
            invalid(path, str, in_body(path) + " should be at least " + dump(s["minLength"]) + " chars long");
        const std::string pattern = text(s, "pattern");
        if (!pattern.empty() && !matches(pattern, str))
            invalid(path, str,
                    in_body(path) + " should match '" + pattern + "'" +
                        (compiled(pattern) ? "" : ", but pattern is invalid"));
        if (text(s, "format") == "date-time" && !matches(rfc3339, str))
            invalid(path, str, in_body(path) + " must be of type date-time: " + quote(str));
    }

    void check_number(const json& s, const json& v, const std::string& path) {
        const double d = v.get<double>();
        if (text(s, "type") == "integer" && !fits_format(text(s, "format"), v))
            invalid(path, v,
                    "Checked value must be of type integer with format " + text(s, "format") + " in " + where(path));
        const auto bound = [&](const char* key, const char* exclusive, bool upper) {
            if (!s.contains(key) || !s[key].is_number()) return;
            const double b = s[key].get<double>();
            const bool strict = flag(s, exclusive);
            const bool bad = upper ? (strict ? d >= b : d > b) : (strict ? d <= b : d < b);
            if (bad)
                invalid(path, v,
                        in_body(path) + " should be " + (upper ? "less than " : "greater than ") +
                            (strict ? "" : "or equal to ") + dump(s[key]));
        };
        bound("maximum", "exclusiveMaximum", true);
        bound("minimum", "exclusiveMinimum", false);
        if (s.contains("multipleOf") && s["multipleOf"].is_number() && s["multipleOf"].get<double>() > 0 &&
            std::fmod(d, s["multipleOf"].get<double>()) != 0)
            invalid(path, v, in_body(path) + " should be a multiple of " + dump(s["multipleOf"]));
    }

    void check_array(const json& s, const json& v, const std::string& path) {
        if (s.contains("maxItems") && s["maxItems"].is_number() &&
            static_cast<double>(v.size()) > s["maxItems"].get<double>())
            add(path,
                "Too many: " + std::to_string(v.size()) + ": must have at most " + dump(s["maxItems"]) + " items");
        if (s.contains("minItems") && s["minItems"].is_number() &&
            static_cast<double>(v.size()) < s["minItems"].get<double>())
            invalid(path, v.size(), in_body(path) + " should have at least " + dump(s["minItems"]) + " items");
        const json none;
        const json& items = s.contains("items") ? s["items"] : none;
        for (std::size_t i = 0; i < v.size(); ++i) check(items, v[i], index(path, i));

        const std::string list_type = text(s, "x-kubernetes-list-type");
        if (list_type != "set" && list_type != "map") return;
        std::set<json> seen;
        for (std::size_t i = 0; i < v.size(); ++i) {
            json key = v[i];
            if (list_type == "map") {
                if (!v[i].is_object()) continue;
                key = json::object();
                for (const auto& k : s.value("x-kubernetes-list-map-keys", json::array())) {
                    if (!k.is_string()) continue;
                    const std::string name = k.get<std::string>();
                    // The server defaults before it compares: {containerPort: 80} is {80, TCP}.
                    const json* def = member(member(member(&items, "properties"), name), "default");
                    key[name] = v[i].contains(name) ? v[i][name] : def != nullptr ? *def : json();
                }
            }
            if (!seen.insert(key).second) add(index(path, i), "Duplicate value: " + dump(key));
        }
    }

    void check_object(const json& s, const json& v, const std::string& path) {
        const bool embedded = flag(s, "x-kubernetes-embedded-resource") || (path.empty() && custom_resource);
        const json none;
        const json& properties = s.contains("properties") && s["properties"].is_object() ? s["properties"] : none;
        const json& extra = s.contains("additionalProperties") ? s["additionalProperties"] : none;
        // Only typed object nodes prune: allOf/anyOf branches (untyped) leave unknown fields to the node.
        const bool strict = text(s, "type") == "object" && !flag(s, "x-kubernetes-preserve-unknown-fields") &&
                            !(extra.is_boolean() && extra.get<bool>());
        for (const auto& [key, value] : v.items()) {
            const std::string at = child(path, key);
            if (embedded && (key == "apiVersion" || key == "kind" || key == "metadata")) continue;
            if (properties.is_object() && properties.contains(key)) {
                check(properties[key], value, at);
            } else if (extra.is_object()) {
                check(extra, value, at);
            } else if (strict) {
                add(at, "unknown field " + quote(at));
            }
        }
        if (s.contains("required") && s["required"].is_array())
            for (const auto& name : s["required"])
                if (name.is_string() && !v.contains(name.get<std::string>()))
                    add(child(path, name.get<std::string>()), "Required value");
        if (embedded && !(path.empty() && custom_resource)) check_resource(v, path, "", "");
    }

    void check_any_of(const json& branches, const json& v, const std::string& path) {
        std::vector<schema_violation> best;
        for (const auto& branch : branches) {
            validator one;
            one.check(branch, v, path);
            if (one.found.empty()) return;
            if (best.empty() || one.found.size() < best.size()) best = std::move(one.found);
        }
        if (branches.empty()) return;
        invalid(path, v, in_body(path) + " must validate at least one schema (anyOf)");
        found.insert(found.end(), best.begin(), best.end());
    }

    /// apiVersion or kind: required; equal to `want` unless want is empty (embedded resources).
    void header_field(const json& v, const std::string& path, const char* key, const std::string& want) {
        const std::string at = child(path, key);
        if (!v.contains(key) || (v[key].is_string() && v[key].get<std::string>().empty())) {
            add(at, "Required value");
        } else if (!v[key].is_string()) {
            invalid(at, type_of(v[key]), in_body(at) + " must be of type string: " + quote(type_of(v[key])));
        } else if (!want.empty() && v[key].get<std::string>() != want) {
            invalid(at, v[key], "must be " + want);
        }
    }

    void dns_name(const std::string& name, const std::string& at, bool subdomain) {
        const std::size_t max = subdomain ? 253 : 63;
        const char* regex = subdomain ? dns1123_subdomain : dns1123_label;
        if (name.size() > max) return invalid(at, name, "must be no more than " + std::to_string(max) + " characters");
        if (!full_match(regex, name))
            invalid(at, name,
                    std::string("a lowercase RFC 1123 ") +
                        (subdomain ? "subdomain must consist of lower case alphanumeric characters, '-' or '.'"
                                   : "label must consist of lower case alphanumeric characters or '-'") +
                        ", and must start and end with an alphanumeric character (e.g. '" +
                        (subdomain ? "example.com" : "my-name',  or '123-abc") + "', regex used for validation is '" +
                        regex + "')");
    }

    /// A label or annotation key, or a finalizer: [DNS-1123 subdomain prefix '/'] name (≤ 63).
    void qualified_key(const std::string& key, const std::string& at, bool lowercase) {
        std::string checked = key;
        if (lowercase)
            for (char& c : checked) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const auto slash = checked.find('/');
        const std::string name = slash == std::string::npos ? checked : checked.substr(slash + 1);
        if (slash != std::string::npos &&
            (slash == 0 || slash > 253 || !full_match(dns1123_subdomain, checked.substr(0, slash))))
            invalid(at, key,
                    "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                    "characters, '-' or '.', and must start and end with an alphanumeric character");
        if (name.empty()) return invalid(at, key, "name part must be non-empty");
        if (name.size() > 63) return invalid(at, key, "name part must be no more than 63 characters");
        if (!full_match(qualified_name, name))
            invalid(at, key,
                    std::string("name part must consist of alphanumeric characters, '-', '_' or '.', and must start "
                                "and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
                                "regex used for validation is '") +
                        qualified_name + "')");
    }

    void label_value(const std::string& s, const std::string& at) {
        if (s.size() > 63) return invalid(at, s, "must be no more than 63 characters");
        if (!s.empty() && !full_match(qualified_name, s))
            invalid(at, s,
                    std::string("a valid label must be an empty string or consist of alphanumeric characters, '-', "
                                "'_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  "
                                "or 'my_value',  or '12345', regex used for validation is '(") +
                        qualified_name + ")?')");
    }
};

}  // namespace structural_detail

/// A value against an OpenAPI v3 structural schema node (no resource rules).
inline std::vector<schema_violation> validate_value(const nlohmann::json& schema, const nlohmann::json& value) {
    structural_detail::validator v;
    v.check(schema, value, "");
    return std::move(v.found);
}

/// A custom resource against `crd`: {"group", "kind", "version", "openAPIV3Schema"}, as
/// tools/crd_schema.py writes tests/k8s/crds/*.schema.json. Empty when the API server would accept it.
/// Throws std::invalid_argument if `crd` is not such a document.
inline std::vector<schema_violation> validate_structural(const nlohmann::json& crd, const nlohmann::json& object) {
    const auto field = [&](const char* key) { return structural_detail::text(crd, key); };
    const auto* schema = structural_detail::member(&crd, "openAPIV3Schema");
    if (field("group").empty() || field("version").empty() || field("kind").empty() || !schema || !schema->is_object())
        throw std::invalid_argument("not a CRD schema document {group, version, kind, openAPIV3Schema}");
    structural_detail::validator v;
    if (!object.is_object()) {
        v.found.push_back({"", "Invalid value: " + structural_detail::quote(structural_detail::type_of(object)) +
                                   ": the object must be of type object"});
        return std::move(v.found);
    }
    v.custom_resource = true;
    v.check_resource(object, "", field("group") + "/" + field("version"), field("kind"));
    v.check(*schema, object, "");
    return std::move(v.found);
}

/// A JSON file, parsed; throws std::runtime_error naming the file.
inline nlohmann::json load_json_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error& e) {
        throw std::runtime_error(path + ": " + e.what());
    }
}

}  // namespace trainspec_test
