// The structural-schema validator (structural_schema.hpp) that the k8s.*
// tests trust: first on small hand-written schemas, one rule at a time, with
// the path and the API server's message expected; then on the vendored
// TFJob and MPIJob schemas (tests/k8s/crds/*.schema.json).

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "structural_schema.hpp"

using nlohmann::json;
using trainspec_test::schema_violation;
using trainspec_test::validate_structural;
using trainspec_test::validate_value;

namespace {

/// The violations, one "path: message" a line: doctest prints a string on failure.
std::string report(const std::vector<schema_violation>& violations) {
    std::string out;
    for (const auto& v : violations) out += v.to_string() + "\n";
    return out;
}

std::string check_value(const json& schema, const char* value) {
    return report(validate_value(schema, json::parse(value)));
}

const json widget_schema = json::parse(R"({
    "type": "object", "required": ["name", "port"],
    "properties": {
        "name": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 8},
        "port": {"type": "integer", "format": "int32"},
        "mode": {"type": "string", "enum": ["fast", "slow"]},
        "size": {"anyOf": [{"type": "integer"}, {"type": "string"}], "x-kubernetes-int-or-string": true,
                 "pattern": "^[0-9]+[KMG]?$"},
        "ratio": {"type": "number", "minimum": 0, "maximum": 1, "exclusiveMaximum": true},
        "replicas": {"type": "integer", "minimum": 1, "maximum": 10},
        "note": {"type": "string", "nullable": true},
        "env": {"type": "object", "additionalProperties": {"type": "string"}},
        "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": true,
                  "properties": {"count": {"type": "integer"}}},
        "tags": {"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "set", "maxItems": 3},
        "ports": {"type": "array", "x-kubernetes-list-type": "map",
                  "x-kubernetes-list-map-keys": ["containerPort", "protocol"],
                  "items": {"type": "object", "required": ["containerPort"], "properties": {
                      "containerPort": {"type": "integer", "format": "int32"},
                      "protocol": {"type": "string", "default": "TCP"}}}},
        "started": {"type": "string", "format": "date-time"}
    }
})");

/// A CRD schema document as tools/crd_schema.py writes it.
const json gadget_crd = json::parse(R"({
    "group": "example.com", "kind": "Gadget", "version": "v1",
    "openAPIV3Schema": {"type": "object", "properties": {
        "apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {"type": "object"},
        "spec": {"type": "object", "required": ["size"], "properties": {
            "size": {"type": "integer"},
            "template": {"type": "object", "x-kubernetes-embedded-resource": true,
                         "properties": {"spec": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}}}}}
})");

std::string check_gadget(const char* manifest) {
    return report(validate_structural(gadget_crd, json::parse(manifest)));
}

}  // namespace

TEST_CASE("a valid value has no violations") {
    CHECK(check_value(widget_schema, R"({
        "name": "web", "port": 8080, "mode": "fast", "size": "4G", "ratio": 0.5, "replicas": 3, "note": null,
        "env": {"A": "1"}, "extra": {"count": 2, "anything": {"goes": [1, "x", null]}}, "tags": ["a", "b"],
        "ports": [{"containerPort": 80}, {"containerPort": 80, "protocol": "UDP"}], "started": "2024-05-01T12:00:00Z"
    })") == "");
    CHECK(check_value(widget_schema, R"({"name": "web", "port": 8080.0, "size": 4})") == "");  // integral
}

TEST_CASE("unknown fields are errors, at any depth") {
    CHECK(check_value(widget_schema, R"({"name": "web", "port": 1, "colour": "red"})") ==
          "colour: unknown field \"colour\"\n");
    CHECK(check_value(widget_schema, R"({"name": "web", "port": 1, "ports": [{"containerPort": 1, "hostIP": "x"}]})") ==
          "ports[0].hostIP: unknown field \"ports[0].hostIP\"\n");
}

TEST_CASE("wrong types") {
    CHECK(check_value(widget_schema, R"({"name": "web", "port": "8080"})") ==
          "port: Invalid value: \"string\": port in body must be of type integer: \"string\"\n");
    CHECK(check_value(widget_schema, R"({"name": "web", "port": 80.5})") ==
          "port: Invalid value: \"number\": port in body must be of type integer: \"number\"\n");
    CHECK(check_value(widget_schema, R"({"name": "web", "port": 1, "env": {"A": 1}})") ==
          "env.A: Invalid value: \"integer\": env.A in body must be of type string: \"integer\"\n");
    CHECK(check_value(widget_schema, R"({"name": "web", "port": 1, "ratio": 0})") == "");  // number takes integers
    CHECK(check_value(widget_schema, R"([1])") ==
          "Invalid value: \"array\": body in body must be of type object: \"array\"\n");
}

TEST_CASE("null only where nullable") {
    CHECK(check_value(widget_schema, R"({"name": "web", "port": 1, "note": null})") == "");
    CHECK(check_value(widget_schema, R"({"name": null, "port": 1})") ==
          "name: Invalid value: \"null\": name in body must be of type string: \"null\"\n");
}

TEST_CASE("required fields") {
    CHECK(check_value(widget_schema, "{}") == "name: Required value\nport: Required value\n");
    CHECK(check_value(widget_schema, R"({"name": "web", "port": 1, "ports": [{"protocol": "TCP"}]})") ==
          "ports[0].containerPort: Required value\n");
}

TEST_CASE("enum") {
    CHECK(check_value(widget_schema, R"({"name": "web", "port": 1, "mode": "medium"})") ==
          "mode: Unsupported value: \"medium\": supported values: \"fast\", \"slow\"\n");
}

TEST_CASE("pattern and length") {
    CHECK(check_value(widget_schema, R"({"name": "Web", "port": 1})") ==
          "name: Invalid value: \"Web\": name in body should match '^[a-z]+$'\n");
    CHECK(check_value(widget_schema, R"({"name": "abcdefghi", "port": 1})") ==
          "name: Too long: may not be more than 8 bytes\n");
    CHECK(check_value(json::parse(R"({"type": "string", "pattern": "(("})"), R"("x")") ==
          "Invalid value: \"x\": body in body should match '((', but pattern is invalid\n");
}

TEST_CASE("format int32 and int64 ranges, date-time") {
    CHECK(check_value(widget_schema, R"({"name": "web", "port": 2147483647})") == "");
    CHECK(check_value(widget_schema, R"({"name": "web", "port": -2147483648})") == "");
    CHECK(check_value(widget_schema, R"({"name": "web", "port": 2147483648})") ==
          "port: Invalid value: 2147483648: Checked value must be of type integer with format int32 in port\n");
    const json int64 = json::parse(R"({"type": "integer", "format": "int64"})");
    CHECK(check_value(int64, "9223372036854775807") == "");
    CHECK(check_value(int64, "9223372036854775808") ==
          "Invalid value: 9223372036854775808: Checked value must be of type integer with format int64 in body\n");
    CHECK(check_value(widget_schema, R"({"name": "web", "port": 1, "started": "yesterday"})") ==
          "started: Invalid value: \"yesterday\": started in body must be of type date-time: \"yesterday\"\n");
}

TEST_CASE("minimum and maximum") {
    CHECK(check_value(widget_schema, R"({"name": "web", "port": 1, "replicas": 0})") ==
          "replicas: Invalid value: 0: replicas in body should be greater than or equal to 1\n");
    CHECK(check_value(widget_schema, R"({"name": "web", "port": 1, "replicas": 11})") ==
          "replicas: Invalid value: 11: replicas in body should be less than or equal to 10\n");
    CHECK(check_value(widget_schema, R"({"name": "web", "port": 1, "ratio": 1})") ==
          "ratio: Invalid value: 1: ratio in body should be less than 1\n");
}

TEST_CASE("x-kubernetes-int-or-string takes an integer or a string, nothing else") {
    CHECK(check_value(widget_schema, R"({"name": "web", "port": 1, "size": 3})") == "");
    CHECK(check_value(widget_schema, R"({"name": "web", "port": 1, "size": "3M"})") == "");
    CHECK(check_value(widget_schema, R"({"name": "web", "port": 1, "size": true})") ==
          "size: Invalid value: \"boolean\": size in body must be of type integer,string: \"boolean\"\n");
    CHECK(check_value(widget_schema, R"({"name": "web", "port": 1, "size": "3 MB"})") ==
          "size: Invalid value: \"3 MB\": size in body should match '^[0-9]+[KMG]?$'\n");
}

TEST_CASE("x-kubernetes-preserve-unknown-fields keeps unknown keys but checks declared ones") {
    CHECK(check_value(widget_schema, R"({"name": "web", "port": 1, "extra": {"x": {"y": [true]}, "count": 1}})") == "");
    CHECK(check_value(widget_schema, R"({"name": "web", "port": 1, "extra": {"x": 1, "count": "one"}})") ==
          "extra.count: Invalid value: \"string\": extra.count in body must be of type integer: \"string\"\n");
}

TEST_CASE("x-kubernetes-list-type set and map: no duplicates") {
    CHECK(check_value(widget_schema, R"({"name": "web", "port": 1, "tags": ["a", "b", "a"]})") ==
          "tags[2]: Duplicate value: \"a\"\n");
    // protocol defaults to TCP before the keys are compared, as on the server
    CHECK(
        check_value(
            widget_schema,
            R"({"name": "web", "port": 1, "ports": [{"containerPort": 80}, {"containerPort": 80, "protocol": "TCP"}]})") ==
        "ports[1]: Duplicate value: {\"containerPort\":80,\"protocol\":\"TCP\"}\n");
    CHECK(check_value(widget_schema, R"({"name": "web", "port": 1, "tags": ["a", "b", "c", "d"]})") ==
          "tags: Too many: 4: must have at most 3 items\n");
}

TEST_CASE("every violation is reported") {
    CHECK(check_value(widget_schema, R"({"port": "x", "mode": "medium", "colour": 1})") ==
          "colour: unknown field \"colour\"\n"
          "mode: Unsupported value: \"medium\": supported values: \"fast\", \"slow\"\n"
          "port: Invalid value: \"string\": port in body must be of type integer: \"string\"\n"
          "name: Required value\n");
}

TEST_CASE("the custom resource: apiVersion, kind and metadata") {
    CHECK(check_gadget(R"({"apiVersion": "example.com/v1", "kind": "Gadget",
                           "metadata": {"name": "g-1.example", "namespace": "team-a",
                                        "labels": {"app.kubernetes.io/name": "g", "tier": ""},
                                        "annotations": {"Example.COM/Note": "anything at all"},
                                        "finalizers": ["example.com/cleanup"]},
                           "spec": {"size": 1}})") == "");
    CHECK(check_gadget(R"({"apiVersion": "example.com/v2", "kind": "Widget", "metadata": {"name": "g"},
                           "spec": {"size": 1}})") ==
          "apiVersion: Invalid value: \"example.com/v2\": must be example.com/v1\n"
          "kind: Invalid value: \"Widget\": must be Gadget\n");
    CHECK(check_gadget(R"({"kind": "Gadget", "metadata": {"name": "g"}, "spec": {"size": 1}})") ==
          "apiVersion: Required value\n");
    CHECK(check_gadget(R"({"apiVersion": "example.com/v1", "kind": "Gadget", "spec": {"size": 1}})") ==
          "metadata.name: Required value: name or generateName is required\n");
    CHECK(check_gadget(R"({"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"generateName": "g-"},
                           "spec": {"size": 1}})") == "");
    CHECK(check_gadget(R"({"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g"}, "spec": {},
                           "status": {}})") == "spec.size: Required value\nstatus: unknown field \"status\"\n");
}

TEST_CASE("metadata.name, namespace, labels and unknown metadata fields") {
    CHECK(check_gadget(R"({"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "My_Gadget"},
                           "spec": {"size": 1}})") ==
          "metadata.name: Invalid value: \"My_Gadget\": a lowercase RFC 1123 subdomain must consist of lower case "
          "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
          "'example.com', regex used for validation is "
          "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n");
    const std::string long_name = std::string(254, 'a');
    CHECK(report(validate_structural(gadget_crd, {{"apiVersion", "example.com/v1"},
                                                  {"kind", "Gadget"},
                                                  {"metadata", {{"name", long_name}}},
                                                  {"spec", {{"size", 1}}}})) ==
          "metadata.name: Invalid value: \"" + long_name + "\": must be no more than 253 characters\n");
    CHECK(check_gadget(
              R"({"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g", "namespace": "a.b"},
                           "spec": {"size": 1}})")
              .rfind("metadata.namespace: Invalid value: \"a.b\": a lowercase RFC 1123 label must consist", 0) == 0);
    CHECK(check_gadget(R"({"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g", "uid": "1234"},
                           "spec": {"size": 1}})") == "metadata.uid: unknown field \"metadata.uid\"\n");
    CHECK(check_gadget(R"({"apiVersion": "example.com/v1", "kind": "Gadget",
                           "metadata": {"name": "g", "labels": {"bad key": "x", "ok": "-x", "n": 1}},
                           "spec": {"size": 1}})") ==
          "metadata.labels.n: Invalid value: \"integer\": metadata.labels.n in body must be of type string: "
          "\"integer\"\n"
          "metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' "
          "or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
          "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')\n"
          "metadata.labels: Invalid value: \"-x\": a valid label must be an empty string or consist of alphanumeric "
          "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
          "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')\n");
}

TEST_CASE("x-kubernetes-embedded-resource: apiVersion, kind and metadata allowed and checked") {
    CHECK(check_gadget(R"({"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g"},
                           "spec": {"size": 1, "template": {"apiVersion": "v1", "kind": "Pod",
                                    "metadata": {"labels": {"a": "b"}}, "spec": {"anything": 1}}}})") == "");
    CHECK(check_gadget(R"({"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g"},
                           "spec": {"size": 1, "template": {"metadata": {"name": "Bad", "owner": "me"}}}})")
              .find("spec.template.apiVersion: Required value\nspec.template.kind: Required value\n"
                    "spec.template.metadata.owner: unknown field \"spec.template.metadata.owner\"\n"
                    "spec.template.metadata.name: Invalid value: \"Bad\"") == 0);
}

namespace {

json crd_schema(const char* file) {
    return trainspec_test::load_json_file(std::string(TRAINSPEC_CRD_DIR) + "/" + file);
}

const json tfjob_crd = crd_schema("kubeflow.org_tfjobs.v1.schema.json");
const json mpijob_crd = crd_schema("kubeflow.org_mpijobs.v2beta1.schema.json");

const char* const worker_path = "spec.tfReplicaSpecs.Worker.template.spec.containers[0]";

json minimal_tfjob() {
    return json::parse(R"({
        "apiVersion": "kubeflow.org/v1", "kind": "TFJob", "metadata": {"name": "mnist", "namespace": "default"},
        "spec": {"runPolicy": {"cleanPodPolicy": "None"}, "tfReplicaSpecs": {"Worker": {
            "replicas": 2, "restartPolicy": "OnFailure",
            "template": {"metadata": {"labels": {"app": "mnist"}}, "spec": {"containers": [{
                "name": "tensorflow", "image": "tensorflow/tensorflow:2.15.0",
                "command": ["python", "train.py"], "ports": [{"name": "tfjob-port", "containerPort": 2222}],
                "env": [{"name": "TF_CPP_MIN_LOG_LEVEL", "value": "2"}],
                "resources": {"limits": {"nvidia.com/gpu": 1, "memory": "4Gi", "cpu": "500m"}}}]}}}}}
    })");
}

json minimal_mpijob() {
    return json::parse(R"({
        "apiVersion": "kubeflow.org/v2beta1", "kind": "MPIJob", "metadata": {"name": "horovod"},
        "spec": {"slotsPerWorker": 1, "mpiImplementation": "OpenMPI", "mpiReplicaSpecs": {
            "Launcher": {"replicas": 1, "template": {"spec": {"containers": [{
                "name": "launcher", "image": "horovod/horovod:latest", "command": ["mpirun", "python", "train.py"]}]}}},
            "Worker": {"replicas": 2, "template": {"spec": {"containers": [{
                "name": "worker", "image": "horovod/horovod:latest"}]}}}}}
    })");
}

}  // namespace

TEST_CASE("the vendored schemas: a minimal TFJob and MPIJob are valid") {
    REQUIRE(tfjob_crd.value("kind", "") == "TFJob");
    REQUIRE(mpijob_crd.value("kind", "") == "MPIJob");
    CHECK(report(validate_structural(tfjob_crd, minimal_tfjob())) == "");
    CHECK(report(validate_structural(mpijob_crd, minimal_mpijob())) == "");
}

TEST_CASE("the vendored TFJob schema rejects what the API server rejects") {
    SUBCASE("containerPort as a string") {
        auto job = minimal_tfjob();
        job["spec"]["tfReplicaSpecs"]["Worker"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] =
            "2222";
        const std::string at = std::string(worker_path) + ".ports[0].containerPort";
        CHECK(report(validate_structural(tfjob_crd, job)) ==
              at + ": Invalid value: \"string\": " + at + " in body must be of type integer: \"string\"\n");
    }
    SUBCASE("no spec.tfReplicaSpecs") {
        auto job = minimal_tfjob();
        job["spec"].erase("tfReplicaSpecs");
        CHECK(report(validate_structural(tfjob_crd, job)) == "spec.tfReplicaSpecs: Required value\n");
    }
    SUBCASE("an unknown field in a container") {
        auto job = minimal_tfjob();
        job["spec"]["tfReplicaSpecs"]["Worker"]["template"]["spec"]["containers"][0]["gpus"] = 1;
        const std::string at = std::string(worker_path) + ".gpus";
        CHECK(report(validate_structural(tfjob_crd, job)) == at + ": unknown field \"" + at + "\"\n");
    }
    SUBCASE("a quantity that is not one") {
        auto job = minimal_tfjob();
        job["spec"]["tfReplicaSpecs"]["Worker"]["template"]["spec"]["containers"][0]["resources"]["limits"]["memory"] =
            "4 GB";
        CHECK(report(validate_structural(tfjob_crd, job))
                  .find(std::string(worker_path) + ".resources.limits.memory: Invalid value: \"4 GB\": ") == 0);
    }
    SUBCASE("an MPIJob is not a TFJob") {
        CHECK(report(validate_structural(tfjob_crd, minimal_mpijob()))
                  .find("apiVersion: Invalid value: \"kubeflow.org/v2beta1\": must be kubeflow.org/v1\n"
                        "kind: Invalid value: \"MPIJob\": must be TFJob\n") == 0);
    }
}

TEST_CASE("the vendored MPIJob schema rejects an MPI implementation it does not know") {
    auto job = minimal_mpijob();
    job["spec"]["mpiImplementation"] = "MVAPICH";
    CHECK(report(validate_structural(mpijob_crd, job)) ==
          "spec.mpiImplementation: Unsupported value: \"MVAPICH\": supported values: \"OpenMPI\", \"Intel\", "
          "\"MPICH\"\n");
}
