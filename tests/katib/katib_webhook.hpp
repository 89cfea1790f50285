// A test oracle for rendered Katib Experiments (kubeflow.org/v1beta1): what
// Katib does to one between `kubectl apply` and the first trial.
//
//   decode_error()          the request decoding into Katib's Go types (strings, not numbers)
//   apply_defaults()        the mutating webhook: the Go round trip, then Experiment.SetDefault()
//   validate()              the validating webhook, CREATE path
//   admission_errors()      all three, in the API server's order
//   check_after_admission() what only fails later: trial creation, the pod webhook, metrics
//
// Messages are Katib's (field errors as `<path>: Invalid value: <v>: <detail>`), except
// those of check_after_admission() and the few marked "oracle:", which are ours.
// Provenance, coverage and what is left out: tests/katib/README.md. Each rule names the
// kubeflow/katib file it follows.

#pragma once

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace katib_oracle {

using json = nlohmann::json;
using errors = std::vector<std::string>;

/// The lists of katib-config that admission and trial creation consult.
struct katib_config {
    std::set<std::string> algorithms;       // runtime.suggestions[].algorithmName
    std::set<std::string> early_stopping;   // runtime.earlyStoppings[].algorithmName
    std::set<std::string> collectors;       // runtime.metricsCollectors[].kind
    std::set<std::string> trial_resources;  // init.controller.trialResources, Kind.version.group

    /// manifests/v1beta1/installs/katib-standalone/katib-config.yaml
    static katib_config standalone() {
        return {{"random", "tpe", "grid", "hyperband", "bayesianoptimization", "cmaes", "sobol", "multivariate-tpe",
                 "enas", "darts", "pbt"},
                {"medianstop"},
                {"StdOut", "File", "TensorFlowEvent"},
                {"TrainJob.v1alpha1.trainer.kubeflow.org", "Job.v1.batch", "TFJob.v1.kubeflow.org",
                 "PyTorchJob.v1.kubeflow.org", "MPIJob.v1.kubeflow.org", "XGBoostJob.v1.kubeflow.org"}};
    }

    /// This config with MPIJob.v2beta1.kubeflow.org listed, as Katib's docs require for
    /// mpi-operator v2beta1 trials.
    katib_config with_mpijob_v2beta1() const {
        katib_config c = *this;
        c.trial_resources.insert("MPIJob.v2beta1.kubeflow.org");
        return c;
    }
};

namespace detail {

// ---------------------------------------------------------------------------
// Reading the JSON the way the Go types see it: absent and null are nil.

inline const json* field(const json& object, const std::string& key) {
    if (!object.is_object()) return nullptr;
    auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}
inline std::string text(const json& object, const std::string& key) {
    const json* v = field(object, key);
    return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}
inline std::vector<std::string> texts(const json& object, const std::string& key) {
    std::vector<std::string> out;
    const json* v = field(object, key);
    if (v != nullptr && v->is_array())
        for (const auto& e : *v) out.push_back(e.is_string() ? e.get<std::string>() : std::string());
    return out;
}
inline const json& items(const json& object, const std::string& key) {
    static const json none = json::array();
    const json* v = field(object, key);
    return v != nullptr && v->is_array() ? *v : none;
}
inline bool has(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}
inline std::string join(const std::vector<std::string>& parts, const std::string& separator) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "" : separator) + parts[i];
    return out;
}
inline std::string index(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

// ---------------------------------------------------------------------------
// Go's formatting, for the values Katib's messages embed.

/// strconv.Quote (fmt %q), for printable UTF-8.
inline std::string go_quote(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\a':
                out += "\\a";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\v':
                out += "\\v";
                break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\x%02x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    return out + "\"";
}

/// fmt %#v of a []string.
inline std::string go_string_slice(const json* list) {
    if (list == nullptr) return "[]string(nil)";
    std::vector<std::string> quoted;
    for (const auto& e : *list) quoted.push_back(go_quote(e.is_string() ? e.get<std::string>() : std::string()));
    return "[]string{" + join(quoted, ", ") + "}";
}

/// The shortest decimal digits that read back as `v`, and the exponent of the first one.
struct decimal {
    bool negative = false;
    std::string digits = "0";
    int exponent = 0;  // v = d.ddd × 10^exponent
};
inline decimal shortest(double v) {
    decimal d;
    d.negative = std::signbit(v);
    if (v == 0) return d;
    char buf[40];
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*e", precision - 1, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    std::string s(buf);
    std::size_t e = s.find('e');
    d.digits.clear();
    for (std::size_t i = 0; i < e; ++i)
        if (std::isdigit(static_cast<unsigned char>(s[i]))) d.digits += s[i];
    while (d.digits.size() > 1 && d.digits.back() == '0') d.digits.pop_back();
    d.exponent = std::atoi(s.c_str() + e + 1);
    return d;
}
inline std::string fixed_form(const decimal& d) {
    const int point = d.exponent + 1;
    const int n = static_cast<int>(d.digits.size());
    std::string out = d.negative ? "-" : "";
    if (point <= 0) return out + "0." + std::string(static_cast<std::size_t>(-point), '0') + d.digits;
    if (point >= n) return out + d.digits + std::string(static_cast<std::size_t>(point - n), '0');
    return out + d.digits.substr(0, static_cast<std::size_t>(point)) + "." +
           d.digits.substr(static_cast<std::size_t>(point));
}
inline std::string exponent_form(const decimal& d, std::size_t min_exponent_digits) {
    std::string out = d.negative ? "-" : "";
    out += d.digits.substr(0, 1);
    if (d.digits.size() > 1) out += "." + d.digits.substr(1);
    std::string e = std::to_string(std::abs(d.exponent));
    if (e.size() < min_exponent_digits) e.insert(0, min_exponent_digits - e.size(), '0');
    return out + (d.exponent < 0 ? "e-" : "e+") + e;
}
/// fmt %v of a float64 (strconv 'g', shortest).
inline std::string go_float(double v) {
    decimal d = shortest(v);
    return d.exponent < -4 || d.exponent >= 6 ? exponent_form(d, 2) : fixed_form(d);
}
/// encoding/json of a float64.
inline std::string go_json_float(double v) {
    decimal d = shortest(v);
    double a = std::fabs(v);
    return a != 0 && (a < 1e-6 || a >= 1e21) ? exponent_form(d, 1) : fixed_form(d);
}
inline std::string go_integer(const json& v) {
    return v.is_number_unsigned() ? std::to_string(v.get<std::uint64_t>()) : std::to_string(v.get<std::int64_t>());
}

/// fmt %v of a value decoded from JSON into interface{} (maps print with sorted keys).
inline std::string go_print(const json& v) {
    if (v.is_null()) return "<nil>";
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number_integer()) return go_integer(v);
    if (v.is_number()) return go_float(v.get<double>());
    if (v.is_string()) return v.get<std::string>();
    std::vector<std::string> parts;
    if (v.is_array()) {
        for (const auto& e : v) parts.push_back(go_print(e));
        return "[" + join(parts, " ") + "]";
    }
    for (const auto& [key, value] : v.items()) parts.push_back(key + ":" + go_print(value));
    return "map[" + join(parts, " ") + "]";
}

/// encoding/json (json.Encoder: HTML-safe) of a value decoded into interface{}: what
/// unstructured.Unstructured.MarshalJSON gives, without the Encoder's final newline.
inline std::string go_json(const json& v) {
    if (v.is_number_integer()) return go_integer(v);
    if (v.is_number()) return go_json_float(v.get<double>());
    if (v.is_string()) {
        const std::string s = v.get<std::string>();
        std::string out = "\"";
        for (std::size_t i = 0; i < s.size(); ++i) {
            unsigned char c = static_cast<unsigned char>(s[i]);
            switch (c) {
                case '"':
                    out += "\\\"";
                    break;
                case '\\':
                    out += "\\\\";
                    break;
                case '\n':
                    out += "\\n";
                    break;
                case '\r':
                    out += "\\r";
                    break;
                case '\t':
                    out += "\\t";
                    break;
                case '\b':
                    out += "\\b";
                    break;
                case '\f':
                    out += "\\f";
                    break;
                case '<':
                    out += "\\u003c";
                    break;
                case '>':
                    out += "\\u003e";
                    break;
                case '&':
                    out += "\\u0026";
                    break;
                default:
                    if (c < 0x20) {
                        char buf[8];
                        std::snprintf(buf, sizeof buf, "\\u%04x", c);
                        out += buf;
                    } else if (c == 0xe2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                               (static_cast<unsigned char>(s[i + 2]) | 1) == 0xa9) {
                        out += static_cast<unsigned char>(s[i + 2]) == 0xa8 ? "\\u2028" : "\\u2029";
                        i += 2;
                    } else {
                        out += static_cast<char>(c);
                    }
            }
        }
        return out + "\"";
    }
    if (v.is_array()) {
        std::vector<std::string> parts;
        for (const auto& e : v) parts.push_back(go_json(e));
        return "[" + join(parts, ",") + "]";
    }
    if (v.is_object()) {
        std::vector<std::string> parts;
        for (const auto& [key, value] : v.items()) parts.push_back(go_json(json(key)) + ":" + go_json(value));
        return "{" + join(parts, ",") + "}";
    }
    return v.dump();  // null, true, false
}

// ---------------------------------------------------------------------------
// field.Error as apimachinery prints it.

inline std::string invalid(const std::string& path, const std::string& value, const std::string& detail) {
    return path + ": Invalid value: " + value + ": " + detail;
}
inline std::string required(const std::string& path, const std::string& detail) {
    return path + ": Required value: " + detail;
}

// ---------------------------------------------------------------------------
// The Go types, as far as decoding and re-encoding them changes a document.

enum class kind { string, int32, int64, float64, boolean, object, list, string_map, any };

struct go_type;
using type_ref = std::shared_ptr<const go_type>;

struct go_field {
    std::string name;  // the JSON name
    type_ref type;
    bool pointer;    // *T: only nil is omitted, and nil is what absent and null decode to
    bool omitempty;  // `json:",omitempty"`
};

struct go_type {
    kind k;
    std::string name;              // as Go prints it: "v1beta1.FeasibleSpace", "[]string", "int32"
    std::vector<go_field> fields;  // kind::object, in struct order
    type_ref elem;                 // kind::list
    json zero;                     // kind::any: what the zero value marshals to
};

inline type_ref scalar(kind k, const std::string& name) {
    return std::make_shared<const go_type>(go_type{k, name, {}, nullptr, nullptr});
}
inline type_ref string_type(const std::string& name = "string") { return scalar(kind::string, name); }
inline type_ref object_type(const std::string& name, std::vector<go_field> fields) {
    return std::make_shared<const go_type>(go_type{kind::object, name, std::move(fields), nullptr, nullptr});
}
inline type_ref list_of(const type_ref& elem) {
    return std::make_shared<const go_type>(go_type{kind::list, "[]" + elem->name, {}, elem, nullptr});
}
inline type_ref string_map() {
    return std::make_shared<const go_type>(go_type{kind::string_map, "map[string]string", {}, nullptr, nullptr});
}
/// A type whose inside neither check looks into.
inline type_ref opaque(const std::string& name, json zero = nullptr) {
    return std::make_shared<const go_type>(go_type{kind::any, name, {}, nullptr, std::move(zero)});
}
inline go_field opt(const std::string& name, const type_ref& t) { return {name, t, false, true}; }
inline go_field ptr(const std::string& name, const type_ref& t) { return {name, t, true, true}; }
inline go_field req(const std::string& name, const type_ref& t) { return {name, t, false, false}; }

/// The Experiment, from pkg/apis/controller/experiments/v1beta1/experiment_types.go and
/// pkg/apis/controller/common/v1beta1/common_types.go (metadata: the name only).
inline const go_type& experiment_type() {
    static const type_ref t = [] {
        const type_ref s = string_type();
        const type_ref i32 = scalar(kind::int32, "int32");
        auto setting = [&](const std::string& name) { return object_type(name, {opt("name", s), opt("value", s)}); };
        auto feasible =
            object_type("v1beta1.FeasibleSpace", {opt("max", s), opt("min", s), opt("list", list_of(s)), opt("step", s),
                                                  opt("distribution", string_type("v1beta1.Distribution"))});
        auto parameter = object_type("v1beta1.ParameterSpec",
                                     {opt("name", s), opt("parameterType", string_type("v1beta1.ParameterType")),
                                      opt("feasibleSpace", feasible)});
        auto strategy = object_type("v1beta1.MetricStrategy",
                                    {opt("name", s), opt("value", string_type("v1beta1.MetricStrategyType"))});
        auto objective =
            object_type("v1beta1.ObjectiveSpec",
                        {opt("type", string_type("v1beta1.ObjectiveType")),
                         ptr("goal", scalar(kind::float64, "float64")), opt("objectiveMetricName", s),
                         opt("additionalMetricNames", list_of(s)), opt("metricStrategies", list_of(strategy))});
        auto algorithm = object_type(
            "v1beta1.AlgorithmSpec",
            {opt("algorithmName", s), opt("algorithmSettings", list_of(setting("v1beta1.AlgorithmSetting")))});
        auto early_stopping = object_type(
            "v1beta1.EarlyStoppingSpec",
            {opt("algorithmName", s), opt("algorithmSettings", list_of(setting("v1beta1.EarlyStoppingSetting")))});
        auto config_map = object_type("v1beta1.ConfigMapSource",
                                      {opt("configMapName", s), opt("configMapNamespace", s), opt("templatePath", s)});
        auto trial_parameter =
            object_type("v1beta1.TrialParameterSpec", {opt("name", s), opt("description", s), opt("reference", s)});
        auto trial_template =
            object_type("v1beta1.TrialTemplate",
                        {opt("retain", scalar(kind::boolean, "bool")),
                         ptr("trialSpec", opaque("unstructured.Unstructured")), ptr("configMap", config_map),
                         opt("trialParameters", list_of(trial_parameter)), opt("primaryPodLabels", string_map()),
                         opt("primaryContainerName", s), opt("successCondition", s), opt("failureCondition", s)});
        auto file_system_path =
            object_type("v1beta1.FileSystemPath", {opt("path", s), opt("kind", string_type("v1beta1.FileSystemKind")),
                                                   opt("format", string_type("v1beta1.FileFormat"))});
        auto source =
            object_type("v1beta1.SourceSpec",
                        {ptr("httpGet", opaque("v1.HTTPGetAction")), ptr("fileSystemPath", file_system_path),
                         ptr("filter", object_type("v1beta1.FilterSpec", {opt("metricsFormat", list_of(s))}))});
        auto collector = object_type("v1beta1.CollectorSpec", {req("kind", string_type("v1beta1.CollectorKind")),
                                                               ptr("customCollector", opaque("v1.Container"))});
        auto spec = object_type(
            "v1beta1.ExperimentSpec",
            {opt("parameters", list_of(parameter)), ptr("objective", objective), ptr("algorithm", algorithm),
             ptr("earlyStopping", early_stopping), ptr("trialTemplate", trial_template), ptr("parallelTrialCount", i32),
             ptr("maxTrialCount", i32), ptr("maxFailedTrialCount", i32),
             ptr("metricsCollectorSpec",
                 object_type("v1beta1.MetricsCollectorSpec", {ptr("source", source), ptr("collector", collector)})),
             ptr("nasConfig", opaque("v1beta1.NasConfig")),
             opt("resumePolicy", string_type("v1beta1.ResumePolicyType"))});
        return object_type("v1beta1.Experiment",
                           {opt("metadata", object_type("v1.ObjectMeta", {opt("name", s)})), opt("spec", spec)});
    }();
    return *t;
}
inline const go_type& experiment_spec_type() { return *experiment_type().fields[1].type; }

/// A batch/v1 Job down to the container (k8s.io/api batch/v1, core/v1, meta/v1); deeper
/// structs are opaque.
inline const go_type& batch_job_type() {
    static const type_ref t = [] {
        const type_ref s = string_type();
        const type_ref i32 = scalar(kind::int32, "int32");
        const type_ref i64 = scalar(kind::int64, "int64");
        const type_ref b = scalar(kind::boolean, "bool");
        const type_ref any = opaque("struct");
        auto meta = object_type(
            "v1.ObjectMeta",
            {opt("name", s), opt("generateName", s), opt("namespace", s), opt("selfLink", s), opt("uid", s),
             opt("resourceVersion", s), opt("generation", i64), opt("creationTimestamp", opaque("v1.Time", nullptr)),
             ptr("deletionTimestamp", any), ptr("deletionGracePeriodSeconds", i64), opt("labels", string_map()),
             opt("annotations", string_map()), opt("ownerReferences", list_of(any)), opt("finalizers", list_of(s)),
             opt("managedFields", list_of(any))});
        auto env = object_type("v1.EnvVar", {req("name", s), opt("value", s), ptr("valueFrom", any)});
        auto port = object_type("v1.ContainerPort", {opt("name", s), opt("hostPort", i32), req("containerPort", i32),
                                                     opt("protocol", string_type("v1.Protocol")), opt("hostIP", s)});
        auto mount = object_type("v1.VolumeMount",
                                 {req("name", s), opt("readOnly", b), ptr("recursiveReadOnly", s), req("mountPath", s),
                                  opt("subPath", s), ptr("mountPropagation", s), opt("subPathExpr", s)});
        auto container =
            object_type("v1.Container", {req("name", s),
                                         opt("image", s),
                                         opt("command", list_of(s)),
                                         opt("args", list_of(s)),
                                         opt("workingDir", s),
                                         opt("ports", list_of(port)),
                                         opt("envFrom", list_of(any)),
                                         opt("env", list_of(env)),
                                         opt("resources", opaque("v1.ResourceRequirements", json::object())),
                                         opt("resizePolicy", list_of(any)),
                                         ptr("restartPolicy", s),
                                         opt("volumeMounts", list_of(mount)),
                                         opt("volumeDevices", list_of(any)),
                                         ptr("livenessProbe", any),
                                         ptr("readinessProbe", any),
                                         ptr("startupProbe", any),
                                         ptr("lifecycle", any),
                                         opt("terminationMessagePath", s),
                                         opt("terminationMessagePolicy", string_type("v1.TerminationMessagePolicy")),
                                         opt("imagePullPolicy", string_type("v1.PullPolicy")),
                                         ptr("securityContext", any),
                                         opt("stdin", b),
                                         opt("stdinOnce", b),
                                         opt("tty", b)});
        auto pod_spec = object_type("v1.PodSpec", {opt("volumes", list_of(any)),
                                                   opt("initContainers", list_of(container)),
                                                   req("containers", list_of(container)),
                                                   opt("ephemeralContainers", list_of(any)),
                                                   opt("restartPolicy", string_type("v1.RestartPolicy")),
                                                   ptr("terminationGracePeriodSeconds", i64),
                                                   ptr("activeDeadlineSeconds", i64),
                                                   opt("dnsPolicy", string_type("v1.DNSPolicy")),
                                                   opt("nodeSelector", string_map()),
                                                   opt("serviceAccountName", s),
                                                   opt("serviceAccount", s),
                                                   ptr("automountServiceAccountToken", b),
                                                   opt("nodeName", s),
                                                   opt("hostNetwork", b),
                                                   opt("hostPID", b),
                                                   opt("hostIPC", b),
                                                   ptr("shareProcessNamespace", b),
                                                   ptr("securityContext", any),
                                                   opt("imagePullSecrets", list_of(any)),
                                                   opt("hostname", s),
                                                   opt("subdomain", s),
                                                   ptr("affinity", any),
                                                   opt("schedulerName", s),
                                                   opt("tolerations", list_of(any)),
                                                   opt("hostAliases", list_of(any)),
                                                   opt("priorityClassName", s),
                                                   ptr("priority", i32),
                                                   ptr("dnsConfig", any),
                                                   opt("readinessGates", list_of(any)),
                                                   ptr("runtimeClassName", s),
                                                   ptr("enableServiceLinks", b),
                                                   ptr("preemptionPolicy", s),
                                                   ptr("overhead", opaque("v1.ResourceList")),
                                                   opt("topologySpreadConstraints", list_of(any)),
                                                   ptr("setHostnameAsFQDN", b),
                                                   ptr("os", any),
                                                   ptr("hostUsers", b),
                                                   opt("schedulingGates", list_of(any)),
                                                   opt("resourceClaims", list_of(any)),
                                                   ptr("resources", any)});
        auto job_spec = object_type(
            "v1.JobSpec",
            {ptr("parallelism", i32), ptr("completions", i32), ptr("activeDeadlineSeconds", i64),
             ptr("podFailurePolicy", any), ptr("successPolicy", any), ptr("backoffLimit", i32),
             ptr("backoffLimitPerIndex", i32), ptr("maxFailedIndexes", i32), ptr("selector", any),
             ptr("manualSelector", b),
             req("template", object_type("v1.PodTemplateSpec", {opt("metadata", meta), opt("spec", pod_spec)})),
             ptr("ttlSecondsAfterFinished", i32), ptr("completionMode", s), ptr("suspend", b),
             ptr("podReplacementPolicy", s), ptr("managedBy", s)});
        return object_type("v1.Job", {opt("kind", s), opt("apiVersion", s), opt("metadata", meta),
                                      opt("spec", job_spec), opt("status", opaque("v1.JobStatus", json::object()))});
    }();
    return *t;
}

inline std::string short_name(const std::string& go_name) { return go_name.substr(go_name.rfind('.') + 1); }
inline std::string child(const std::string& path, const std::string& name) {
    return path.empty() ? name : path + "." + name;
}
inline bool fits(const json& v, kind k) {
    const std::int64_t low =
        k == kind::int32 ? std::numeric_limits<std::int32_t>::min() : std::numeric_limits<std::int64_t>::min();
    const std::int64_t high =
        k == kind::int32 ? std::numeric_limits<std::int32_t>::max() : std::numeric_limits<std::int64_t>::max();
    if (v.is_number_unsigned()) return v.get<std::uint64_t>() <= static_cast<std::uint64_t>(high);
    return v.is_number_integer() && v.get<std::int64_t>() >= low && v.get<std::int64_t>() <= high;
}

/// encoding/json (as k8s decodes: case-sensitive, unknown fields ignored): the first
/// UnmarshalTypeError, in struct order, or "".
inline std::string decode_check(const json& v, const go_type& t, const std::string& owner, const std::string& path) {
    if (v.is_null()) return "";
    auto fail = [&](const std::string& what, const std::string& type) {
        return "json: cannot unmarshal " + what + " into Go struct field " + owner + "." + path + " of type " + type;
    };
    const std::string what = v.is_boolean() ? "bool" : v.is_number() ? "number" : v.type_name();
    switch (t.k) {
        case kind::any:
            return "";
        case kind::string:
            return v.is_string() ? "" : fail(what, t.name);
        case kind::boolean:
            return v.is_boolean() ? "" : fail(what, t.name);
        case kind::float64:
            return v.is_number() ? "" : fail(what, t.name);
        case kind::int32:
        case kind::int64:
            if (!v.is_number()) return fail(what, t.name);
            return fits(v, t.k) ? "" : fail("number " + v.dump(), t.name);
        case kind::list:
            if (!v.is_array()) return fail(what, t.name);
            for (const auto& e : v)
                if (auto err = decode_check(e, *t.elem, owner, path); !err.empty()) return err;
            return "";
        case kind::string_map:
            if (!v.is_object()) return fail(what, t.name);
            for (const auto& e : v)
                if (!e.is_null() && !e.is_string()) return fail(e.is_number() ? "number" : e.type_name(), "string");
            return "";
        case kind::object:
            if (!v.is_object()) return fail(what, t.name);
            for (const auto& f : t.fields) {
                auto it = v.find(f.name);
                if (it == v.end()) continue;
                if (auto err = decode_check(*it, *f.type, short_name(t.name), child(path, f.name)); !err.empty())
                    return err;
            }
            return "";
    }
    return "";
}

/// runtime.DefaultUnstructuredConverter.FromUnstructured: its first error, or "".
inline std::string convert_check(const json& v, const go_type& t) {
    if (v.is_null() || t.k == kind::any) return "";
    const std::string from = v.is_object()           ? "map"
                             : v.is_array()          ? "slice"
                             : v.is_string()         ? "string"
                             : v.is_boolean()        ? "bool"
                             : v.is_number_integer() ? "int64"
                                                     : "float64";
    const std::string to_kind = t.k == kind::string    ? "string"
                                : t.k == kind::boolean ? "bool"
                                : t.k == kind::int32   ? "int32"
                                : t.k == kind::int64   ? "int64"
                                                       : "float64";
    switch (t.k) {
        case kind::string:
            if (v.is_string()) return "";
            return v.is_number_integer() ? "cannot convert int64 to " + t.name : "unrecognized type: string";
        case kind::boolean:
            return v.is_boolean() ? "" : "unrecognized type: bool";
        case kind::int32:
        case kind::int64:
        case kind::float64:
            if (v.is_number_integer()) return t.k == kind::float64 ? "cannot convert int64 to " + t.name : "";
            if (v.is_number_float()) {
                const double d = v.get<double>();
                return t.k == kind::float64 || d == std::trunc(d) ? "" : "cannot convert float64 to " + t.name;
            }
            return "unrecognized type: " + to_kind;
        case kind::list:
            if (!v.is_array()) return "cannot restore slice from " + from;
            for (const auto& e : v)
                if (auto err = convert_check(e, *t.elem); !err.empty()) return err;
            return "";
        case kind::string_map:
            if (!v.is_object()) return "cannot restore map from " + from;
            for (const auto& e : v)
                if (auto err = convert_check(e, *string_type()); !err.empty()) return err;
            return "";
        case kind::object:
            if (!v.is_object()) return "cannot restore struct from: " + from;
            for (const auto& f : t.fields)
                if (auto err = convert_check(v.contains(f.name) ? v[f.name] : json(), *f.type); !err.empty())
                    return err;
            return "";
        case kind::any:
            return "";
    }
    return "";
}

/// The value Go marshals for a field that is unset (nil for pointers, slices, maps).
inline json go_zero(const go_field& f);
/// Decode into the Go type, then json.Marshal: unknown fields vanish, so do empty omitempty ones.
inline json round_trip(const json& v, const go_type& t) {
    switch (t.k) {
        case kind::object: {
            json out = json::object();
            for (const auto& f : t.fields) {
                const json* in = field(v, f.name);
                if (in == nullptr) {
                    const bool nil = f.pointer || f.type->k == kind::list || f.type->k == kind::string_map;
                    const bool scalar = f.type->k != kind::object && f.type->k != kind::any;
                    if (!f.omitempty || !(nil || scalar)) out[f.name] = go_zero(f);
                    continue;
                }
                json value = round_trip(*in, *f.type);
                const bool empty = (value.is_string() && value.get<std::string>().empty()) ||
                                   (value.is_number() && value.get<double>() == 0) ||
                                   (value.is_boolean() && !value.get<bool>()) ||
                                   ((f.type->k == kind::list || f.type->k == kind::string_map) && value.empty());
                if (f.omitempty && !f.pointer && empty) continue;
                out[f.name] = std::move(value);
            }
            return out;
        }
        case kind::list: {
            if (!v.is_array()) return v;
            json out = json::array();
            for (const auto& e : v) out.push_back(round_trip(e, *t.elem));
            return out;
        }
        case kind::string:
            return v.is_null() ? json("") : v;
        default:
            return v;
    }
}
inline json go_zero(const go_field& f) {
    if (f.pointer) return nullptr;
    switch (f.type->k) {
        case kind::string:
            return "";
        case kind::int32:
        case kind::int64:
        case kind::float64:
            return 0;
        case kind::boolean:
            return false;
        case kind::object:
            return round_trip(json::object(), *f.type);
        case kind::any:
            return f.type->zero;
        default:
            return nullptr;
    }
}

/// The first JSON-patch operation other than "remove" in the patch from `after` to `before`:
/// a value of `before` that `after` lost or changed. Paths are JSON pointers.
inline bool first_loss(const json& before, const json& after, const std::string& path, std::string& where,
                       json& value) {
    auto escape = [](std::string key) {
        for (std::size_t i = 0; (i = key.find_first_of("~/", i)) != std::string::npos; i += 2)
            key.replace(i, 1, key[i] == '~' ? "~0" : "~1");
        return key;
    };
    if (before.is_object() && after.is_object()) {
        for (const auto& [key, item] : before.items()) {
            const std::string at = path + "/" + escape(key);
            if (!after.contains(key)) {
                where = at;
                value = item;
                return true;
            }
            if (first_loss(item, after[key], at, where, value)) return true;
        }
        return false;
    }
    if (before.is_array() && after.is_array() && before.size() == after.size()) {
        for (std::size_t i = 0; i < before.size(); ++i)
            if (first_loss(before[i], after[i], path + "/" + std::to_string(i), where, value)) return true;
        return false;
    }
    if (before == after || path.find("/resources/limits/") != std::string::npos ||
        path.find("/resources/requests/") != std::string::npos)
        return false;
    where = path;
    value = before;
    return true;
}

// ---------------------------------------------------------------------------
// Go's regexp syntax (RE2): the parse error Go reports, or "". The errors a metrics filter
// is likely to meet are Go's own; the rest of the syntax is checked by std::regex on an
// ECMAScript rewrite of the pattern.

inline std::string go_regexp_error(const std::string& re) {
    auto fail = [](const std::string& code, const std::string& expr) {
        return "error parsing regexp: " + code + ": `" + expr + "`";
    };
    static const std::regex repetition(R"(^\{([0-9]+)(,([0-9]*))?\})");
    std::string ecma;
    int depth = 0;
    bool operand = false;   // something a repetition operator can apply to precedes
    bool repeated = false;  // ... and it is already repeated
    std::size_t repeat_at = 0;
    for (std::size_t i = 0; i < re.size(); ++i) {
        const char c = re[i];
        std::smatch m;
        const std::string rest = re.substr(i);
        const bool counted = c == '{' && std::regex_search(rest, m, repetition);
        if (c == '*' || c == '+' || c == '?' || counted) {
            const std::string op = counted ? m.str() : std::string(1, c);
            if (!operand) return fail("missing argument to repetition operator", op);
            if (repeated)
                return fail("invalid nested repetition operator", re.substr(repeat_at, i + op.size() - repeat_at));
            if (counted) {  // {min}, {min,}, {min,max}: at most 1000, min <= max
                auto number = [](const std::string& digits) { return digits.size() > 4 ? 9999 : std::stoi(digits); };
                const int min = number(m[1].str()), max = m[3].length() > 0 ? number(m[3].str()) : min;
                if (min > 1000 || max > 1000 || max < min) return fail("invalid repeat count", op);
            }
            ecma += op;
            repeat_at = i;
            i += op.size() - 1;
            if (i + 1 < re.size() && re[i + 1] == '?') ecma += re[++i];  // non-greedy
            repeated = true;
            continue;
        }
        repeated = false;
        operand = true;
        if (c == '\\') {
            if (i + 1 == re.size()) return fail("trailing backslash at end of expression", "");
            const char n = re[i + 1];
            if ((n >= '1' && n <= '9') || (std::isalpha(static_cast<unsigned char>(n)) &&
                                           std::string("afnrtvdDsSwWbBAzpPx").find(n) == std::string::npos))
                return fail("invalid escape sequence", re.substr(i, 2));
            if (n == 'p' || n == 'P') {  // a Unicode class: any character will do here
                const std::size_t end = i + 2 < re.size() && re[i + 2] == '{' ? re.find('}', i) : i + 2;
                if (end == std::string::npos) return fail("invalid character class range", re.substr(i));
                ecma += ".";
                i = end;
                continue;
            }
            ecma += n == 'A' ? std::string("^") : n == 'z' ? std::string("$") : re.substr(i, 2);
            ++i;
        } else if (c == '[') {  // a class ends at the first ] that is not its first member
            std::size_t j = i + 1;
            if (j < re.size() && re[j] == '^') ++j;
            if (j < re.size() && re[j] == ']') ++j;
            while (j < re.size() && re[j] != ']') j += re[j] == '\\' ? 2 : 1;
            if (j >= re.size()) return fail("missing closing ]", re.substr(i));
            ecma += re.substr(i, j - i + 1);
            i = j;
        } else if (c == '(') {
            ++depth;
            operand = false;
            if (re.compare(i, 3, "(?=") == 0 || re.compare(i, 3, "(?!") == 0 || re.compare(i, 3, "(?<") == 0) {
                if (re.compare(i, 4, "(?<=") == 0 || re.compare(i, 4, "(?<!") == 0 || re[i + 2] != '<')
                    return fail("invalid or unsupported Perl syntax", re.substr(i, 3));
            }
            if (re.compare(i, 2, "(?") != 0) {
                ecma += '(';
                continue;
            }
            const std::size_t end = re.find_first_of(">):", i + 2);
            if (end == std::string::npos) return fail("missing closing )", re);
            if (re[end] == '>') {  // (?P<name>  (?<name>
                ecma += '(';
            } else if (re[end] == ':') {  // (?:  (?flags:
                ecma += "(?:";
            } else {  // (?flags)
                --depth;
            }
            i = end;
        } else if (c == ')') {
            if (depth == 0) return fail("unexpected )", re);
            --depth;
            ecma += ')';
        } else if (c == '|') {
            operand = false;
            ecma += '|';
        } else if (c == '{' || c == '}') {  // a brace that opens no repetition is a literal
            ecma += std::string("\\") + c;
        } else {
            ecma += c;
        }
    }
    if (depth > 0) return fail("missing closing )", re);
    try {
        std::regex compiled(ecma, std::regex::ECMAScript);
        (void)compiled;
        return "";
    } catch (const std::regex_error&) {
        return "error parsing regexp: oracle: std::regex refuses `" + re + "`";
    }
}

// ---------------------------------------------------------------------------
// Printing Katib's values the way its messages do.

/// fmt %v of []TrialParameterSpec.
inline std::string go_trial_parameters(const json& list) {
    std::vector<std::string> parts;
    for (const auto& p : list)
        parts.push_back("{" + text(p, "name") + " " + text(p, "description") + " " + text(p, "reference") + "}");
    return "[" + join(parts, " ") + "]";
}
/// fmt %v of []ParameterSpec.
inline std::string go_parameters(const json& list) {
    std::vector<std::string> parts;
    for (const auto& p : list) {
        const json fs = p.is_object() && p.contains("feasibleSpace") ? p["feasibleSpace"] : json::object();
        parts.push_back("{" + text(p, "name") + " " + text(p, "parameterType") + " {" + text(fs, "max") + " " +
                        text(fs, "min") + " [" + join(texts(fs, "list"), " ") + "] " + text(fs, "step") + " " +
                        text(fs, "distribution") + "}}");
    }
    return "[" + join(parts, " ") + "]";
}
/// fmt %#v of a FeasibleSpace.
inline std::string go_feasible_space(const json& fs) {
    return "v1beta1.FeasibleSpace{Max:" + go_quote(text(fs, "max")) + ", Min:" + go_quote(text(fs, "min")) +
           ", List:" + go_string_slice(field(fs, "list")) + ", Step:" + go_quote(text(fs, "step")) +
           ", Distribution:" + go_quote(text(fs, "distribution")) + "}";
}
inline std::string print_labels(const json& labels) {
    std::vector<std::string> parts;
    for (const auto& [key, value] : labels.items())
        parts.push_back(key + ": " + (value.is_string() ? value.get<std::string>() : value.dump()));
    return "{" + join(parts, ", ") + "}";
}

inline const std::string katib_config_map = "katib-config";
inline const std::string job_success = R"(status.conditions.#(type=="Complete")#|#(status=="True")#)";
inline const std::string kubeflow_success = R"(status.conditions.#(type=="Succeeded")#|#(status=="True")#)";
inline const std::string any_failure = R"(status.conditions.#(type=="Failed")#|#(status=="True")#)";
inline const std::string job_role = "training.kubeflow.org/job-role";

// ---------------------------------------------------------------------------
// Defaulter: pkg/apis/controller/experiments/v1beta1/experiment_defaults.go, constants.go.

inline void default_parallel_trial_count(json& spec) {
    if (field(spec, "parallelTrialCount") == nullptr) spec["parallelTrialCount"] = 3;
}
inline void default_resume_policy(json& spec) {
    if (text(spec, "resumePolicy").empty()) spec["resumePolicy"] = "Never";
}
/// The objective's strategy, then one per additional metric, by objective type.
inline void default_objective(json& spec) {
    if (field(spec, "objective") == nullptr) return;
    json& objective = spec["objective"];
    const std::string name = text(objective, "objectiveMetricName");
    const std::string type = text(objective, "type");
    const std::string by = type == "minimize" ? "min" : type == "maximize" ? "max" : "latest";
    json strategies = items(objective, "metricStrategies");
    bool objective_has_default = false;
    std::set<std::string> with_default;
    for (const auto& s : strategies) {
        if (text(s, "name") == name)
            objective_has_default = true;
        else
            with_default.insert(text(s, "name"));
    }
    if (!objective_has_default) strategies.push_back({{"name", name}, {"value", by}});
    for (const auto& metric : texts(objective, "additionalMetricNames"))
        if (with_default.count(metric) == 0) strategies.push_back({{"name", metric}, {"value", by}});
    objective["metricStrategies"] = strategies;
}
/// Conditions for a Job, conditions and primaryPodLabels for Kubeflow jobs (kind only).
inline void default_trial_template(json& spec) {
    if (field(spec, "trialTemplate") == nullptr) return;
    json& t = spec["trialTemplate"];
    const json* trial_spec = field(t, "trialSpec");
    if (trial_spec == nullptr) return;
    const std::string k = text(*trial_spec, "kind");
    const bool kubeflow = k == "TFJob" || k == "PyTorchJob" || k == "XGBoostJob" || k == "MPIJob";
    if (k != "Job" && !kubeflow) return;
    if (text(t, "successCondition").empty()) t["successCondition"] = k == "Job" ? job_success : kubeflow_success;
    if (text(t, "failureCondition").empty()) t["failureCondition"] = any_failure;
    const json* labels = field(t, "primaryPodLabels");
    if (kubeflow && (labels == nullptr || labels->empty())) t["primaryPodLabels"] = {{job_role, "master"}};
}
/// StdOut when unset; File, TensorFlowEvent and PrometheusMetric get their source.
inline void default_metrics_collector(json& spec) {
    if (field(spec, "metricsCollectorSpec") == nullptr) spec["metricsCollectorSpec"] = json::object();
    json& mc = spec["metricsCollectorSpec"];
    if (field(mc, "collector") == nullptr) mc["collector"] = {{"kind", "StdOut"}};
    const std::string k = text(mc["collector"], "kind");
    if (k != "PrometheusMetric" && k != "File" && k != "TensorFlowEvent") return;
    if (field(mc, "source") == nullptr) mc["source"] = json::object();
    json& source = mc["source"];
    if (k == "PrometheusMetric") {
        if (field(source, "httpGet") == nullptr) source["httpGet"] = json::object();
        json& get = source["httpGet"];
        if (text(get, "path").empty()) get["path"] = "/metrics";
        const json* port = field(get, "port");
        if (port == nullptr || *port == json(0) || *port == json("0")) get["port"] = 8080;
        return;
    }
    if (field(source, "fileSystemPath") == nullptr) source["fileSystemPath"] = json::object();
    json& fsp = source["fileSystemPath"];
    const bool file = k == "File";
    if (text(fsp, "kind").empty()) fsp["kind"] = file ? "File" : "Directory";
    if (text(fsp, "path").empty()) fsp["path"] = file ? "/var/log/katib/metrics.log" : "/var/log/katib/tfevent/";
    if (file && text(fsp, "format").empty()) fsp["format"] = "TEXT";
}
/// Every parameter, whatever its type.
inline void default_parameter_distribution(json& spec) {
    if (field(spec, "parameters") == nullptr) return;
    for (auto& p : spec["parameters"]) {
        if (!p.is_object()) p = json::object();
        if (field(p, "feasibleSpace") == nullptr) p["feasibleSpace"] = json::object();
        if (text(p["feasibleSpace"], "distribution").empty()) p["feasibleSpace"]["distribution"] = "uniform";
    }
}

// ---------------------------------------------------------------------------
// Validator: pkg/webhook/v1beta1/experiment/validator/validator.go, in its order.

/// Rule 1: the naming regex (a prefix match) and at most 40 characters (katib PR #2468).
inline void check_name(const json& experiment, errors& out) {
    const std::string name = experiment.contains("metadata") ? text(experiment["metadata"], "name") : "";
    static const std::regex convention("^[a-z]([-a-z0-9]*[a-z0-9])?");
    if (!std::regex_search(name, convention) || name.size() > 40)
        out.push_back(invalid("metadata.name", go_quote(name),
                              "name must consist of lower case alphanumeric characters or '-', start with an "
                              "alphabetic character, and end with an alphanumeric character (e.g. 'my-name', or "
                              "'abc-123', regex used for validation is '^[a-z]([-a-z0-9]*[a-z0-9])?)' and may not "
                              "be larger than 40 characters."));
}

/// Rule 2: the three counts, alone and against maxTrialCount.
inline void check_counts(const json& spec, errors& out) {
    auto count = [&](const char* key) -> const json* {
        const json* v = field(spec, key);
        return v != nullptr && v->is_number_integer() ? v : nullptr;
    };
    const json* failed = count("maxFailedTrialCount");
    const json* max = count("maxTrialCount");
    const json* parallel = count("parallelTrialCount");
    auto value = [](const json* v) { return v->get<std::int64_t>(); };
    if (failed && value(failed) < 0)
        out.push_back(invalid("spec.maxFailedTrialCount", go_integer(*failed), "should not be less than 0"));
    if (max && value(max) <= 0)
        out.push_back(invalid("spec.maxTrialCount", go_integer(*max), "must be greater than 0"));
    if (parallel && value(parallel) <= 0)
        out.push_back(invalid("spec.parallelTrialCount", go_integer(*parallel), "must be greater than 0"));
    if (failed && max && value(failed) > value(max))
        out.push_back(invalid("spec.maxFailedTrialCount", go_integer(*failed),
                              "should be less than or equal to spec.maxTrialCount"));
    if (parallel && max && value(parallel) > value(max))
        out.push_back(invalid("spec.parallelTrialCount", go_integer(*parallel),
                              "should be less than or equal to spec.maxTrialCount"));
}

/// Rule 4: the objective. False when validation stops here (any objective error).
inline bool check_objective(const json& spec, errors& out) {
    const json* objective = field(spec, "objective");
    if (objective == nullptr) {
        out.push_back(required("spec.objective", "must be specified"));
        return false;
    }
    const std::size_t before = out.size();
    const std::string type = text(*objective, "type");
    if (type != "minimize" && type != "maximize")
        out.push_back(invalid("spec.objective.type", go_quote(type), "must be minimize or maximize"));
    const std::string name = text(*objective, "objectiveMetricName");
    if (name.empty()) out.push_back(required("spec.objective.objectiveMetricName", "must be specified"));
    if (has(texts(*objective, "additionalMetricNames"), name))
        out.push_back(invalid("spec.objective.additionalMetricNames",
                              go_string_slice(field(*objective, "additionalMetricNames")),
                              "should not contain spec.objective.objectiveMetricName"));
    return out.size() == before;
}

/// Rule 5: the suggestion algorithm, named in katib-config (pkg/util/v1beta1/katibconfig/config.go).
inline void check_algorithm(const json& spec, const katib_config& config, errors& out) {
    const json* algorithm = field(spec, "algorithm");
    if (algorithm == nullptr) {
        out.push_back(required("spec.algorithm", "must be specified"));
        return;
    }
    const std::string name = text(*algorithm, "algorithmName");
    if (name.empty()) out.push_back(required("spec.algorithm.algorithmName", "must be specified"));
    if (config.algorithms.count(name) == 0)
        out.push_back(invalid("spec.algorithm.algorithmName", go_quote(name),
                              "unable to get Suggestion config data for algorithm " + name +
                                  ": failed to find suggestion config for algorithm: " + name +
                                  " in ConfigMap: " + katib_config_map));
}

/// Rule 5: the early-stopping algorithm, when there is one.
inline void check_early_stopping(const json& spec, const katib_config& config, errors& out) {
    const json* early_stopping = field(spec, "earlyStopping");
    if (early_stopping == nullptr) return;
    const std::string name = text(*early_stopping, "algorithmName");
    if (name.empty()) out.push_back(required("spec.earlyStopping.algorithmName", "must be specified"));
    if (config.early_stopping.count(name) == 0)
        out.push_back(invalid("spec.earlyStopping.algorithmName", go_quote(name),
                              "unable to get EarlyStopping config data for algorithm " + name +
                                  ": failed to find early stopping config for algorithm: " + name +
                                  " in ConfigMap: " + katib_config_map));
}

/// Rule 6: resumePolicy.
inline void check_resume_policy(const json& spec, errors& out) {
    const std::string policy = text(spec, "resumePolicy");
    if (policy != "" && policy != "Never" && policy != "LongRunning" && policy != "FromVolume")
        out.push_back(invalid("spec.resumePolicy", go_quote(policy), "invalid ResumePolicyType"));
}

/// A reference to the trial's own metadata: ${trialSpec.Name}, ${trialSpec.Labels[key]}, ...
inline bool is_meta_key(const std::string& reference) {
    static const std::regex meta(R"(\$\{trialSpec\.(.+?)\})");
    static const std::regex indexed(R"((.+)\[(.+)])");
    static const std::vector<std::string> keys{"Name", "Namespace", "Kind", "APIVersion", "Annotations", "Labels"};
    std::smatch match, sub;
    if (!std::regex_search(reference, match, meta)) return false;
    const std::string key = match[1];
    if (has(keys, key)) return true;
    return std::regex_search(key, sub, indexed) && has(keys, sub[1].str());
}

/// validateTrialJob: a batch/v1 Job must survive FromUnstructured and json.Marshal unchanged.
inline std::string check_batch_job(const json& run_spec) {
    if (auto err = convert_check(run_spec, batch_job_type()); !err.empty())
        return "unable to convert spec.TrialTemplate: " + go_print(run_spec) + " to Job: " + err;
    const json typed = round_trip(run_spec, batch_job_type());
    std::string where;
    json value;
    if (first_loss(run_spec, typed, "", where, value))
        return "unable to convert: " + where + " - " + go_print(value) +
               " to Job, converted template: " + go_json(typed);
    return "";
}

/// Rule 7: the trial template and its parameters.
inline void check_trial_template(const json& spec, errors& out) {
    const std::string path = "spec.trialTemplate";
    const json* tt = field(spec, "trialTemplate");
    if (tt == nullptr) {
        out.push_back(required(path, "must be specified"));
        return;
    }
    if (text(*tt, "primaryContainerName").empty())
        out.push_back(required(path + ".primaryContainerName", "must be specified"));
    if (text(*tt, "successCondition").empty() || text(*tt, "failureCondition").empty())
        out.push_back(required(path, "successCondition and failureCondition must be specified"));
    if (field(*tt, "trialParameters") == nullptr) {
        out.push_back(required(path + ".trialParameters", "must be specified"));
        return;
    }
    const json* trial_spec = field(*tt, "trialSpec");
    const json* config_map = field(*tt, "configMap");
    if (trial_spec == nullptr && config_map == nullptr) {
        out.push_back(required(path + ".TrialSource",
                               "spec.trialTemplate.trialSpec or spec.trialTemplate.configMap must be specified"));
        return;
    }
    if (trial_spec != nullptr && config_map != nullptr) {
        out.push_back(required(
            path, "only one of spec.trialTemplate.trialSpec or spec.trialTemplate.configMap can be specified"));
        return;
    }
    if (config_map != nullptr) {
        if (text(*config_map, "configMapName").empty() || text(*config_map, "configMapNamespace").empty() ||
            text(*config_map, "templatePath").empty())
            out.push_back(
                required(path + ".configMap", "configMapName, configMapNamespace and templatePath must be specified"));
        return;  // the template is in the cluster: not read here
    }

    std::string tmpl = go_json(*trial_spec) + "\n";  // GetTrialTemplate: the inline spec as JSON
    const json& trial_parameters = (*tt)["trialParameters"];
    std::set<std::string> parameter_names, names, references;
    for (const auto& p : items(spec, "parameters")) parameter_names.insert(text(p, "name"));
    for (std::size_t i = 0; i < trial_parameters.size(); ++i) {
        const json& p = trial_parameters[i];
        const std::string at = index(path + ".trialParameters", i);
        const std::string name = text(p, "name"), reference = text(p, "reference");
        if (name.empty() || reference.empty() || name.find_first_of("{}") != std::string::npos) {
            out.push_back(
                invalid(at, "\"\"", "name and reference must be specified and name must not contain '{' or '}'"));
            continue;
        }
        if (names.count(name) != 0) {
            out.push_back(invalid(at + ".name", go_quote(name),
                                  "parameter name " + name +
                                      " can't be duplicated in spec.trialTemplate.trialParameters: " +
                                      go_trial_parameters(trial_parameters)));
            continue;
        }
        if (references.count(reference) != 0) {
            out.push_back(invalid(at + ".reference", go_quote(reference),
                                  "parameter reference " + reference +
                                      " can't be duplicated in spec.trialTemplate.trialParameters: " +
                                      go_trial_parameters(trial_parameters)));
            continue;
        }
        names.insert(name);
        references.insert(reference);
        if (!parameter_names.empty() && !is_meta_key(reference) && parameter_names.count(reference) == 0)
            out.push_back(invalid(at + ".reference", go_quote(reference),
                                  "parameter reference " + reference + " does not exist in spec.parameters: " +
                                      go_parameters(items(spec, "parameters"))));
        const std::string placeholder = "${trialParameters." + name + "}";
        if (tmpl.find(placeholder) == std::string::npos) {
            out.push_back(invalid(
                at + ".name", go_quote(name),
                "parameter name: " + name + " in spec.trialParameters not found in spec.trialTemplate: " + tmpl));
            return;
        }
        for (std::size_t pos = 0; (pos = tmpl.find(placeholder, pos)) != std::string::npos; pos += 10)
            tmpl.replace(pos, placeholder.size(), "test-value");
    }

    static const std::regex leftover(R"(\$\{trialParameters\..+?\})");
    std::vector<std::string> unknown;
    for (auto it = std::sregex_iterator(tmpl.begin(), tmpl.end(), leftover); it != std::sregex_iterator(); ++it)
        unknown.push_back(it->str());
    if (!unknown.empty())
        out.push_back(invalid(
            path, "\"\"",
            "parameters: [" + join(unknown, " ") +
                "] in spec.trialTemplate not found in spec.trialParameters: " + go_trial_parameters(trial_parameters)));

    const json run_spec = json::parse(tmpl);
    const json metadata = run_spec.contains("metadata") ? run_spec["metadata"] : json::object();
    if (!text(metadata, "name").empty() || !text(metadata, "namespace").empty())
        out.push_back(
            invalid(path, "\"\"", "metadata.name and metadata.namespace in spec.trialTemplate must be omitted"));
    const std::string api_version = text(run_spec, "apiVersion"), k = text(run_spec, "kind");
    if (api_version.empty() || k.empty())
        out.push_back(required(path, "APIVersion and Kind in spec.trialTemplate must be specified"));
    if (api_version == "batch/v1" && k == "Job")
        if (auto err = check_batch_job(run_spec); !err.empty())
            out.push_back(invalid(path, "\"\"", "invalid spec.trialTemplate: " + err));
}

/// Rule 8: parameters (or nasConfig), each parameter's type, distribution and feasible space.
inline void check_search_space(const json& spec, errors& out) {
    const json& parameters = items(spec, "parameters");
    const bool nas = field(spec, "nasConfig") != nullptr;
    if (parameters.empty() && !nas)
        out.push_back(required("spec", "spec.parameters or spec.nasConfig must be specified"));
    if (!parameters.empty() && nas)  // Katib prints the whole spec with %#v, pointers as addresses
        out.push_back(invalid("spec", "v1beta1.ExperimentSpec{...}",
                              "only one of spec.parameters and spec.nasConfig can be specified"));
    static const std::vector<std::string> types{"int", "double", "categorical", "discrete", "unknown"};
    static const std::vector<std::string> distributions{"uniform", "logUniform", "normal", "logNormal", "unknown"};
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        const json& p = parameters[i];
        const std::string at = index("spec.parameters", i);
        const std::string type = text(p, "parameterType");
        const json fs = field(p, "feasibleSpace") != nullptr ? p["feasibleSpace"] : json::object();
        if (!has(types, type))
            out.push_back(
                invalid(at + ".parameterType", go_quote(type), "parameterType: " + type + " is not supported"));
        const std::string distribution = text(fs, "distribution");
        if (!distribution.empty() && !has(distributions, distribution))
            out.push_back(invalid(at + ".feasibleSpace.distribution", go_quote(distribution),
                                  "distribution: " + distribution + " is not supported"));
        const std::string max = text(fs, "max"), min = text(fs, "min"), step = text(fs, "step");
        const bool list = !items(fs, "list").empty();
        if (max.empty() && min.empty() && step.empty() && distribution.empty() && !list) {
            out.push_back(required(at + ".feasibleSpace", "feasibleSpace must be specified"));
        } else if (type == "double" || type == "int") {
            if (list)
                out.push_back(invalid(at + ".feasibleSpace.list", go_string_slice(field(fs, "list")),
                                      "feasibleSpace.list is not supported for parameterType: " + type));
            if (max.empty() || min.empty())
                out.push_back(
                    required(at + ".feasibleSpace.max",
                             "feasibleSpace.max or feasibleSpace.min must be specified for parameterType: " + type));
        } else if (type == "categorical" || type == "discrete") {
            if (!max.empty() || !min.empty() || !step.empty())
                out.push_back(
                    invalid(at + ".feasibleSpace", go_feasible_space(fs),
                            "feasibleSpace .max, .min and .step is not supported for parameterType: " + type));
        }
    }
}

/// Rule 9: the metrics collector: its kind in katib-config, its source, its filters.
inline void check_metrics_collector(const json& spec, const katib_config& config, errors& out) {
    const std::string path = "spec.metricsCollectorSpec";
    const json* mc = field(spec, "metricsCollectorSpec");
    const json* collector = mc != nullptr ? field(*mc, "collector") : nullptr;
    if (collector == nullptr) {
        out.push_back(path + ".collector: oracle: nil, which Katib's validator dereferences (the defaulter sets it)");
        return;
    }
    const std::string k = text(*collector, "kind");
    if ((k == "StdOut" || k == "TensorFlowEvent" || k == "File" || k == "PrometheusMetric") &&
        config.collectors.count(k) == 0)
        out.push_back(
            invalid(path + ".collector.kind", go_quote(k),
                    "GetMetricsCollectorConfigData failed: failed to find metrics collector config for kind: " + k +
                        " in ConfigMap: " + katib_config_map));
    const json* source = field(*mc, "source");
    const json* fsp = source != nullptr ? field(*source, "fileSystemPath") : nullptr;
    const std::string fsp_path = fsp != nullptr ? text(*fsp, "path") : "";
    const bool absolute = !fsp_path.empty() && fsp_path[0] == '/';
    const std::string fsp_kind = fsp != nullptr ? text(*fsp, "kind") : "";
    const std::string source_path = path + ".source";
    if (k == "Push" || k == "StdOut") return;
    if (k == "File") {
        if (fsp == nullptr || fsp_kind != "File" || !absolute)
            out.push_back(
                required(source_path + ".fileSystemPath.path", "file path where metrics file exists is required"));
        if (fsp == nullptr) return;  // Katib's validator would dereference nil here
        const std::string format = text(*fsp, "format");
        if (format != "TEXT" && format != "JSON")
            out.push_back(required(source_path + ".fileSystemPath.format",
                                   "format of metrics file is required for metrics collector"));
        if (format == "JSON" && field(*source, "filter") != nullptr)
            out.push_back(
                invalid(source_path + ".filter", "\"\"", "filter must be nil when format of metrics file is json"));
    } else if (k == "TensorFlowEvent") {
        if (fsp == nullptr || fsp_kind != "Directory" || !absolute)
            out.push_back(required(source_path,
                                   "directory path where tensorflow event files exist is required by "
                                   ".spec.metricsCollectorSpec.source.fileSystemPath.path"));
        if (fsp == nullptr) return;  // as above
        if (!text(*fsp, "format").empty())
            out.push_back(
                invalid(source_path + ".fileSystemPath.format", go_quote(text(*fsp, "format")), "must be empty"));
    } else if (k == "PrometheusMetric") {
        const json* get = source != nullptr ? field(*source, "httpGet") : nullptr;
        if (get == nullptr) return;  // as above
        const json* port = field(*get, "port");
        const std::string port_text = port == nullptr     ? "0"
                                      : port->is_string() ? port->get<std::string>()
                                                          : port->dump();
        if (!std::regex_match(port_text, std::regex("[+-]?[0-9]+")) || std::atoll(port_text.c_str()) <= 0)
            out.push_back(invalid(source_path + ".httpGet.port", go_quote(port_text),
                                  "must be a positive integer value for metrics collector kind: " + k));
        const std::string get_path = text(*get, "path");
        if (get_path.empty() || get_path[0] != '/')
            out.push_back(invalid(source_path + ".httpGet.path", go_quote(get_path),
                                  "path is invalid for metrics collector kind: " + k));
    } else if (k == "Custom") {
        if (field(*collector, "customCollector") == nullptr)
            out.push_back(
                required(path + ".collector.customCollector", "metrics collector kind: " + k + " is required"));
        if (fsp != nullptr && (!absolute || (fsp_kind != "Directory" && fsp_kind != "File")))
            out.push_back(
                invalid(source_path + ".fileSystemPath", "\"\"", ".spec.metricsCollectorSpec.source is invalid"));
    } else {
        out.push_back(invalid(path + ".collector.kind", go_quote(k), "invalid metrics collector kind: " + k));
    }
    const json* filter = source != nullptr ? field(*source, "filter") : nullptr;
    if (filter == nullptr) return;
    static const std::regex two_groups(R"(.*\(.*\).*\(.*\).*)");
    for (const auto& format : texts(*filter, "metricsFormat")) {
        if (auto err = go_regexp_error(format); !err.empty())
            out.push_back(invalid(source_path + ".filter.metricsFormat", go_quote(format), "invalid filter: " + err));
        else if (!std::regex_search(format, two_groups))
            out.push_back(invalid(source_path + ".filter.metricsFormat", go_quote(format),
                                  "two top subexpressions are required"));
    }
}

// ---------------------------------------------------------------------------
// After admission (ours): trial creation, the pod webhook, metrics collection.

struct trial_pod {
    std::string where;  // "TFJob replica Worker[0]"
    json labels;        // what the operator sets, over the template's own
    json containers;
    std::string replica;
};

/// The pods a trial's job creates, with their labels; empty for kinds not modelled.
inline std::vector<trial_pod> trial_pods(const json& trial_spec) {
    std::vector<trial_pod> pods;
    const std::string k = text(trial_spec, "kind"), api = text(trial_spec, "apiVersion");
    const json spec = field(trial_spec, "spec") != nullptr ? trial_spec["spec"] : json::object();
    auto from_template = [](const json& owner) {
        const json tmpl = field(owner, "template") != nullptr ? owner["template"] : json::object();
        const json* meta = field(tmpl, "metadata");
        const json* labels = meta != nullptr ? field(*meta, "labels") : nullptr;
        const json* pod_spec = field(tmpl, "spec");
        return std::make_pair(labels != nullptr ? *labels : json::object(),
                              pod_spec != nullptr ? items(*pod_spec, "containers") : json::array());
    };
    auto replicas_of = [](const json& rs) {
        const json* n = field(rs, "replicas");
        return std::min<std::int64_t>(n != nullptr && n->is_number_integer() ? n->get<std::int64_t>() : 1, 64);
    };
    if (k == "Job" && api == "batch/v1") {
        auto [labels, containers] = from_template(spec);
        pods.push_back({"Job pod", labels, containers, "Job"});
    } else if (k == "TFJob" && api == "kubeflow.org/v1") {
        const json replicas = field(spec, "tfReplicaSpecs") != nullptr ? spec["tfReplicaSpecs"] : json::object();
        const bool chief = replicas.contains("Chief") || replicas.contains("Master");
        for (const auto& [type, rs] : replicas.items()) {
            auto [labels, containers] = from_template(rs);
            std::string lower = type;
            std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
            for (std::int64_t i = 0; i < replicas_of(rs); ++i) {
                json l = labels;
                l["training.kubeflow.org/operator-name"] = "tfjob-controller";
                l["training.kubeflow.org/replica-type"] = lower;
                l["training.kubeflow.org/replica-index"] = std::to_string(i);
                if (chief ? (type == "Chief" || type == "Master") : (type == "Worker" && i == 0))
                    l[job_role] = "master";
                pods.push_back({"TFJob replica " + type + "[" + std::to_string(i) + "]", l, containers, type});
            }
        }
    } else if (k == "MPIJob" && api == "kubeflow.org/v2beta1") {
        const json replicas = field(spec, "mpiReplicaSpecs") != nullptr ? spec["mpiReplicaSpecs"] : json::object();
        for (const auto& [type, rs] : replicas.items()) {
            auto [labels, containers] = from_template(rs);
            const bool launcher = type == "Launcher";
            for (std::int64_t i = 0; i < (launcher ? 1 : replicas_of(rs)); ++i) {
                json l = labels;
                l["training.kubeflow.org/operator-name"] = "mpi-operator";
                l[job_role] = launcher ? "launcher" : "worker";
                if (!launcher) l["training.kubeflow.org/replica-index"] = std::to_string(i);
                pods.push_back({"MPIJob replica " + type + "[" + std::to_string(i) + "]", l, containers, type});
            }
        }
    }
    return pods;
}

/// Every parameter is assigned through exactly one trialParameter (the experiment controller).
inline void check_parameter_references(const json& spec, errors& out) {
    const json* tt = field(spec, "trialTemplate");
    const json& parameters = items(spec, "parameters");
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        const std::string name = text(parameters[i], "name");
        int uses = 0;
        if (tt != nullptr)
            for (const auto& p : items(*tt, "trialParameters")) uses += text(p, "reference") == name ? 1 : 0;
        if (uses != 1)
            out.push_back(index("spec.parameters", i) + ": parameter " + go_quote(name) + " is the reference of " +
                          std::to_string(uses) +
                          " spec.trialTemplate.trialParameters, not 1: trials are not created (unable to find "
                          "parameter from ParameterAssignment in TrialParameters)");
    }
}

/// The trial's kind is among katib-config's trialResources.
inline void check_trial_resource(const json& spec, const katib_config& config, errors& out) {
    const json* tt = field(spec, "trialTemplate");
    const json* trial_spec = tt != nullptr ? field(*tt, "trialSpec") : nullptr;
    if (trial_spec == nullptr) return;
    const std::string api = text(*trial_spec, "apiVersion");
    const std::size_t slash = api.find('/');
    const std::string group = slash == std::string::npos ? "" : api.substr(0, slash);
    const std::string version = slash == std::string::npos ? api : api.substr(slash + 1);
    const std::string resource = text(*trial_spec, "kind") + "." + version + "." + group;
    if (config.trial_resources.count(resource) == 0)
        out.push_back("spec.trialTemplate.trialSpec: " + resource +
                      " is not in katib-config init.controller.trialResources [" +
                      join({config.trial_resources.begin(), config.trial_resources.end()}, " ") +
                      "]: the Katib controller does not watch it");
}

/// The pods primaryPodLabels select exist, and have primaryContainerName (the pod webhook,
/// pkg/webhook/v1beta1/pod/inject_webhook.go and utils.go).
inline void check_primary_pods(const json& spec, errors& out) {
    const json* tt = field(spec, "trialTemplate");
    const json* trial_spec = tt != nullptr ? field(*tt, "trialSpec") : nullptr;
    if (trial_spec == nullptr) return;
    const std::vector<trial_pod> pods = trial_pods(*trial_spec);
    if (pods.empty()) return;
    const json* selector = field(*tt, "primaryPodLabels");
    auto primary = [&](const trial_pod& pod) {
        if (selector == nullptr) return true;
        for (const auto& [key, value] : selector->items())
            if (!pod.labels.contains(key) || pod.labels[key] != value) return false;
        return true;
    };
    const json* mc = field(spec, "metricsCollectorSpec");
    const json* collector = mc != nullptr ? field(*mc, "collector") : nullptr;
    const std::string k = collector != nullptr ? text(*collector, "kind") : "";
    const std::string container = text(*tt, "primaryContainerName");
    std::vector<std::string> described;
    std::set<std::string> reported;
    bool any = false;
    for (const auto& pod : pods) {
        described.push_back(pod.where + " " + print_labels(pod.labels));
        if (!primary(pod)) continue;
        any = true;
        bool found = false;
        std::vector<std::string> names;
        for (const auto& c : pod.containers) {
            names.push_back(text(c, "name"));
            found = found || names.back() == container;
        }
        if (!found && (k == "StdOut" || k == "File" || k == "TensorFlowEvent") && reported.insert(pod.replica).second)
            out.push_back("spec.trialTemplate.primaryContainerName: " + go_quote(container) +
                          " is not a container of the primary pod " + pod.where + " [" + join(names, " ") +
                          "]: the Katib pod webhook refuses the pod (unable to find primary container in mutated "
                          "pod containers)");
    }
    if (!any && k != "Push")
        out.push_back("spec.trialTemplate.primaryPodLabels: " + print_labels(*selector) + " select no pod of the " +
                      text(*trial_spec, "kind") + " (" + join(described, ", ") +
                      "): no metrics collector is injected, every trial ends MetricsUnavailable");
}

}  // namespace detail

// ---------------------------------------------------------------------------
// The API.

/// The error Katib answers before any webhook rule runs when the request does not decode
/// into its Go types (a JSON number where a string is declared: feasibleSpace min, max,
/// step and list items, every setting value; a string or fraction where a count is
/// declared), or "". One error: the first in the types' field order.
inline std::string decode_error(const json& experiment) {
    if (!experiment.is_object())
        return "json: cannot unmarshal " + std::string(experiment.type_name()) +
               " into Go value of type v1beta1.Experiment";
    if (auto err = detail::decode_check(experiment, detail::experiment_type(), "", ""); !err.empty()) return err;
    // unstructured.Unstructured insists on a kind (apimachinery unstructured.go).
    const json* spec = detail::field(experiment, "spec");
    const json* tt = spec != nullptr ? detail::field(*spec, "trialTemplate") : nullptr;
    const json* trial_spec = tt != nullptr ? detail::field(*tt, "trialSpec") : nullptr;
    if (trial_spec != nullptr && !trial_spec->is_object())
        return "json: cannot unmarshal " + std::string(trial_spec->type_name()) +
               " into Go value of type map[string]interface {}";
    if (trial_spec != nullptr && detail::text(*trial_spec, "kind").empty())
        return "Object 'Kind' is missing in '" + trial_spec->dump() + "'";
    return "";
}

/// The mutating webhook (pkg/webhook/v1beta1/experiment/mutate_webhook.go): the spec
/// decoded and re-encoded by the Go types (unknown fields and empty omitempty values
/// vanish), then Experiment.SetDefault(). Returns the experiment as the validator sees it;
/// one that does not decode comes back unchanged (Katib refuses it).
inline json apply_defaults(json experiment) {
    if (!decode_error(experiment).empty()) return experiment;
    json spec = detail::round_trip(experiment.contains("spec") ? experiment["spec"] : json::object(),
                                   detail::experiment_spec_type());
    detail::default_parallel_trial_count(spec);
    detail::default_resume_policy(spec);
    detail::default_objective(spec);
    detail::default_trial_template(spec);
    detail::default_metrics_collector(spec);
    detail::default_parameter_distribution(spec);
    experiment["spec"] = detail::round_trip(spec, detail::experiment_spec_type());
    return experiment;
}

/// The validating webhook on CREATE (validator.go ValidateExperiment with no old object),
/// applied to `experiment` as given: pass apply_defaults() output to see what Katib sees.
/// A decoding error comes alone, as Katib answers it.
inline errors validate(const json& experiment, const katib_config& config) {
    if (auto err = decode_error(experiment); !err.empty()) return {err};
    errors out;
    const json spec = experiment.contains("spec") ? experiment["spec"] : json::object();
    detail::check_name(experiment, out);
    detail::check_counts(spec, out);
    if (!detail::check_objective(spec, out)) return out;
    detail::check_algorithm(spec, config, out);
    detail::check_early_stopping(spec, config, out);
    detail::check_resume_policy(spec, out);
    detail::check_trial_template(spec, out);
    detail::check_search_space(spec, out);
    detail::check_metrics_collector(spec, config, out);
    return out;
}

/// What `kubectl apply` answers: decoding, then the defaulter, then the validator.
inline errors admission_errors(const json& experiment, const katib_config& config) {
    if (auto err = decode_error(experiment); !err.empty()) return {err};
    return validate(apply_defaults(experiment), config);
}

/// The errors as the webhook response prints them (field.ErrorList.ToAggregate): "" for
/// none, one as is, several as "[a, b]" without repeats.
inline std::string to_aggregate(const errors& list) {
    errors unique;
    for (const auto& e : list)
        if (!detail::has(unique, e)) unique.push_back(e);
    if (unique.size() == 1) return unique.front();
    return unique.empty() ? "" : "[" + detail::join(unique, ", ") + "]";
}

/// What an admitted experiment (defaults are applied here) still fails on: every parameter
/// is the reference of exactly one trialParameter; the trial kind is in trialResources; the
/// pods primaryPodLabels select exist (TFJob: job-role master is Chief/Master, else Worker 0;
/// MPIJob v2beta1 labels its launcher job-role launcher) and hold primaryContainerName.
/// Messages are ours. Inline trialSpec only; batch/v1 Job, kubeflow.org/v1 TFJob and
/// kubeflow.org/v2beta1 MPIJob pods.
inline errors check_after_admission(const json& experiment, const katib_config& config) {
    if (auto err = decode_error(experiment); !err.empty()) return {err};
    const json spec = apply_defaults(experiment)["spec"];
    errors out;
    detail::check_parameter_references(spec, out);
    detail::check_trial_resource(spec, config, out);
    detail::check_primary_pods(spec, out);
    return out;
}

}  // namespace katib_oracle
