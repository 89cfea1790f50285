// The consumer side of TF_CONFIG: json.loads' errors with their positions,
// tf.train.ClusterSpec's rules (dense and sparse jobs, jobs sorted), the
// task read with str() and int(), the rules of each consumer in TensorFlow's
// order and wording, the derived values (is_chief, counts, master), the
// environment variable, and a round trip through every profile of the
// writer. Expected messages are TensorFlow's (or Python's, where TensorFlow
// lets a Python error through), as docs/tf_config.md gives them.

#include <doctest/doctest.h>

#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <trainspec/consume/consumer_views.hpp>
#include <trainspec/consume/multi_worker_util.hpp>
#include <trainspec/consume/tf_config.hpp>
#include <trainspec/job.hpp>
#include <trainspec/plan.hpp>
#include <trainspec/render/tf_config.hpp>

using namespace trainspec;

namespace {

/// what() of the tf_config_error that parsing throws; "(accepted)" when none.
std::string error_of(std::string_view text, tf_consumer consumer = tf_consumer::custom) {
    try {
        parse_tf_config(text, consumer);
    } catch (const tf_config_error& e) {
        return e.what();
    }
    return "(accepted)";
}

constexpr tf_consumer all_consumers[] = {tf_consumer::custom, tf_consumer::estimator,
                                         tf_consumer::parameter_server_strategy,
                                         tf_consumer::multi_worker_mirrored_strategy};

/// A TF_CONFIG with this cluster JSON and task.
std::string config(const std::string& cluster, const std::string& type, int index) {
    return R"({"cluster":)" + cluster + R"(,"task":{"type":")" + type + R"(","index":)" + std::to_string(index) + "}}";
}

const std::string ps_cluster = R"({"chief":["c:2222"],"ps":["p0:2222","p1:2222"],"worker":["w0:2222","w1:2222"]})";

const std::string note = "\n\nNote that these values may be coming from the TF_CONFIG environment variable.";

}  // namespace

TEST_CASE("malformed JSON: json.loads' message, line, column and character") {
    CHECK(error_of("") == "$: Expecting value: line 1 column 1 (char 0)");
    CHECK(error_of("   ") == "$: Expecting value: line 1 column 4 (char 3)");
    CHECK(error_of("{") == "$: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)");
    CHECK(error_of(R"({"cluster": {"worker": ["a:1",]}})") == "$: Expecting value: line 1 column 31 (char 30)");
    CHECK(error_of("{\n  \"task\": {\"type\": \"worker\" \"index\": 0}\n}") ==
          "$: Expecting ',' delimiter: line 2 column 29 (char 30)");
    CHECK(error_of("{\"cluster\":\n  {\"worker\":\n    [\"a:1\", \"b:2\"\n  }\n}") ==
          "$: Expecting ',' delimiter: line 4 column 3 (char 45)");
    CHECK(error_of("{} x") == "$: Extra data: line 1 column 4 (char 3)");
    CHECK(error_of(R"({"task": "abc)") == "$: Unterminated string starting at: line 1 column 10 (char 9)");
    CHECK(error_of("{\"task\": \"a\tb\"}") == "$: Invalid control character at: line 1 column 12 (char 11)");
    CHECK(error_of(R"({"task": "\q"})") == "$: Invalid \\escape: line 1 column 11 (char 10)");
    CHECK(error_of(R"({"task": "\u12"})") == "$: Invalid \\uXXXX escape: line 1 column 12 (char 11)");
    CHECK(error_of(R"({"a" 1})") == "$: Expecting ':' delimiter: line 1 column 6 (char 5)");
    CHECK(error_of(R"({"cluster": {"worker": ["a:1"]}, })") ==
          "$: Expecting property name enclosed in double quotes: line 1 column 34 (char 33)");
    CHECK(error_of(R"({"task": {"index": 01}})") == "$: Expecting ',' delimiter: line 1 column 21 (char 20)");
    CHECK(error_of("\xEF\xBB\xBF{}") == "$: Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)");
    // Columns count characters, as Python does, not bytes.
    CHECK(error_of("{\"\xC3\xA9\xC3\xA9\": x}") == "$: Expecting value: line 1 column 8 (char 7)");
    CHECK(error_of(std::string(600, '[') + std::string(600, ']')) ==
          "$: maximum recursion depth exceeded while decoding a JSON array from a unicode string");

    SUBCASE("the error names the document and keeps json's words apart") {
        try {
            parse_tf_config("{");
            FAIL("accepted");
        } catch (const tf_config_error& e) {
            CHECK(e.field() == "$");
            CHECK(e.rule() == "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)");
        }
    }
}

TEST_CASE("json.loads' reading: duplicate keys keep the last value, NaN and Infinity are numbers") {
    auto parsed = parse_tf_config(R"({"task": {"type": "ps", "index": 0}, "task": {"type": "worker", "index": 1},
                                      "cluster": {"worker": ["a:1", "b:1"]}})");
    CHECK(parsed.task_type == "worker");
    CHECK(parsed.task_index == 1);
    CHECK(error_of(R"({"task": {"type": "worker", "index": NaN}})") ==
          "task.index: cannot convert float NaN to integer");
    CHECK(error_of(R"({"task": {"type": "worker", "index": -Infinity}})") ==
          "task.index: cannot convert float infinity to integer");
}

TEST_CASE("the document must be an object; keys TensorFlow does not read or treats specially") {
    CHECK(error_of("[]") == "$: TF_CONFIG must be a JSON object with \"cluster\" and \"task\", not an array");
    CHECK(error_of("\"cluster\"") == "$: TF_CONFIG must be a JSON object with \"cluster\" and \"task\", not a string");
    CHECK(error_of(R"({"sparseCluster": {"worker": {"1": "w:1"}}, "task": {"type": "worker", "index": 1}})")
              .rfind("sparseCluster: TensorFlow does not read \"sparseCluster\"", 0) == 0);
    CHECK(error_of(R"({"environment": "google"})")
              .rfind("environment: \"google\" has a special meaning inside TensorFlow", 0) == 0);
    CHECK(parse_tf_config(R"({"environment": "cloud"})").environment == "cloud");
    CHECK(error_of(R"({"environment": 1})") == "environment: must be a string such as \"cloud\", not a number");
    CHECK(error_of(R"({"rpc_layer": ["grpc"]})") == "rpc_layer: must be a string such as \"grpc\", not an array");
    CHECK(error_of(R"({"session_master": true})") ==
          "session_master: must be a string such as \"grpc://host:2222\", not a boolean");
    // null is what TensorFlow's `is not None` tests treat as absent.
    const auto nulls = parse_tf_config(R"({"rpc_layer": null, "session_master": null, "environment": null})");
    CHECK_FALSE(nulls.rpc_layer);
    CHECK_FALSE(nulls.session_master);
    CHECK_FALSE(nulls.environment);
    CHECK(error_of(R"({"task": "worker"})") ==
          "task: must be an object such as {\"type\": \"worker\", \"index\": 0}, not a string");
    CHECK(error_of(R"({"task": null})") ==
          "task: must be an object such as {\"type\": \"worker\", \"index\": 0}, not null");
    // Keys TensorFlow ignores are ignored.
    CHECK(error_of(R"({"model_dir": "gs://b/m", "eval_session_master": "", "whatever": 1})") == "(accepted)");
}

TEST_CASE("tf.train.ClusterSpec's rules") {
    CHECK(error_of(R"({"cluster": ["a:1"]})") ==
          "cluster: `cluster` must be a dictionary mapping one or more job names to lists of network addresses, or a "
          "`ClusterDef` protocol buffer");
    CHECK(error_of(R"({"cluster": null})") ==
          "cluster: `cluster` must be a dictionary mapping one or more job names to lists of network addresses, or a "
          "`ClusterDef` protocol buffer");
    // A host list written as one comma-separated string.
    CHECK(error_of(R"({"cluster": {"worker": "a:1,b:1"}})") ==
          "cluster.worker: The tasks for job 'worker' must be a list or a dictionary from integers to strings.");
    CHECK(error_of(R"({"cluster": {"ps": null}})") ==
          "cluster.ps: The tasks for job 'ps' must be a list or a dictionary from integers to strings.");
    CHECK(error_of(R"({"cluster": {"my job": 3}})") ==
          "cluster[\"my job\"]: The tasks for job 'my job' must be a list or a dictionary from integers to strings.");
    // int() of a key: Python's ValueError, with ClusterSpec's rule.
    CHECK(error_of(R"({"cluster": {"worker": {"x": "a:1"}}})") ==
          "cluster.worker[\"x\"]: invalid literal for int() with base 10: 'x' (The tasks for job 'worker' must be a "
          "list or a dictionary from integers to strings.)");
    // Addresses must be strings.
    CHECK(error_of(R"({"cluster": {"worker": ["a:1", 2222]}})") ==
          "cluster.worker[1]: Task address 2222 must be bytes or unicode");
    CHECK(error_of(R"({"cluster": {"worker": [null]}})") ==
          "cluster.worker[0]: Task address None must be bytes or unicode");
    CHECK(error_of(R"({"cluster": {"worker": {"1": ["a:1"]}}})") ==
          "cluster.worker[\"1\"]: Task address ['a:1'] must be bytes or unicode");
    // The indices of a ClusterDef are int32.
    CHECK(error_of(R"({"cluster": {"worker": {"4294967296": "a:1"}}})") ==
          "cluster.worker[\"4294967296\"]: Value out of range: 4294967296");
    // Job values are checked in the document's order, addresses job by job in sorted order.
    CHECK(error_of(R"({"cluster": {"worker": [1], "ps": "p"}})") ==
          "cluster.ps: The tasks for job 'ps' must be a list or a dictionary from integers to strings.");
    CHECK(error_of(R"({"cluster": {"worker": [1], "ps": [2]}})") ==
          "cluster.ps[0]: Task address 2 must be bytes or unicode");
}

TEST_CASE("tf_cluster_spec: jobs sorted, tasks by index, dense and sparse") {
    const auto parsed = parse_tf_config(
        R"({"cluster": {"worker": {"3": "w3:2222", " 1 ": "w1:2222"}, "ps": ["p0:2222", "p1:2222"], "chief": ["c:2222"], "evaluator": {}},
            "task": {"type": "worker", "index": "3"}})");
    const auto& cluster = parsed.cluster;
    CHECK(cluster.jobs() == std::vector<std::string>{"chief", "evaluator", "ps", "worker"});
    CHECK(cluster.num_tasks("worker") == 2);
    CHECK(cluster.num_tasks("evaluator") == 0);
    CHECK(cluster.task_indices("worker") == std::vector<int>{1, 3});
    CHECK(cluster.task_indices("ps") == std::vector<int>{0, 1});
    CHECK(cluster.task_address("worker", 3) == "w3:2222");
    CHECK(cluster.task_address("ps", 1) == "p1:2222");
    CHECK(cluster.is_dense("ps"));
    CHECK(cluster.is_dense("chief"));
    CHECK_FALSE(cluster.is_dense("worker"));
    CHECK_FALSE(cluster.is_dense("evaluator"));  // as_dict() gives {} for an empty job
    CHECK(cluster.has_job("evaluator"));
    CHECK_FALSE(cluster.has_job("master"));
    CHECK(cluster.count("master") == 0);
    CHECK_FALSE(cluster.empty());
    CHECK(cluster.to_json() ==
          R"({"chief":["c:2222"],"evaluator":{},"ps":["p0:2222","p1:2222"],"worker":{"1":"w1:2222","3":"w3:2222"}})");
    CHECK(cluster.str() ==
          "ClusterSpec({'chief': ['c:2222'], 'evaluator': {}, 'ps': ['p0:2222', 'p1:2222'], 'worker': {1: "
          "'w1:2222', 3: 'w3:2222'}})");
    CHECK(parsed.task_type == "worker");
    CHECK(parsed.task_index == 3);
    CHECK(parsed.task_address() == "w3:2222");

    CHECK_THROWS_WITH_AS(cluster.num_tasks("x"), "No such job in cluster: 'x'", tf_config_error);
    CHECK_THROWS_WITH_AS(cluster.task_indices("master"), "No such job in cluster: 'master'", tf_config_error);
    CHECK_THROWS_WITH_AS(cluster.task_address("worker", 2), "No task with index 2 in job 'worker'", tf_config_error);
    CHECK_THROWS_WITH_AS(cluster.is_dense("x"), "No such job in cluster: 'x'", tf_config_error);

    SUBCASE("a sparse job whose indices are 0..n-1 is dense; int() of keys merges \"01\" and \"1\"") {
        const auto dense = parse_tf_config(R"({"cluster": {"worker": {"1": "b:1", "0": "a:1", "01": "c:1"}}})");
        CHECK(dense.cluster.is_dense("worker"));
        CHECK(dense.cluster.task_address("worker", 1) == "c:1");
        CHECK(dense.cluster.to_json() == R"({"worker":["a:1","c:1"]})");
    }
    SUBCASE("the JSON form reads back as the same cluster") {
        CHECK(parse_tf_config(R"({"cluster":)" + cluster.to_json() + "}").cluster == cluster);
    }
    SUBCASE("built directly") {
        const tf_cluster_spec direct({{"worker", {{0, "a:1"}, {2, "b:1"}}}});
        CHECK(direct.task_indices("worker") == std::vector<int>{0, 2});
        CHECK(direct.str() == "ClusterSpec({'worker': {0: 'a:1', 2: 'b:1'}})");
        CHECK(tf_cluster_spec().empty());
    }
}

TEST_CASE("the task as TFConfigClusterResolver reads it: str(type), int(index)") {
    const std::string cluster = R"("cluster": {"worker": ["w0:1", "w1:1", "w2:1"]})";
    auto task = [&](const std::string& t) { return "{" + cluster + R"(, "task": )" + t + "}"; };
    CHECK(parse_tf_config(task(R"({"type": "worker", "index": "1"})")).task_index == 1);
    CHECK(parse_tf_config(task(R"({"type": "worker", "index": " 2\n"})")).task_index == 2);
    CHECK(parse_tf_config(task(R"({"type": "worker", "index": "+0_1"})")).task_index == 1);
    CHECK(parse_tf_config(task(R"({"type": "worker", "index": 1.9})")).task_index == 1);
    CHECK(parse_tf_config(task(R"({"type": "worker", "index": true})")).task_index == 1);
    CHECK(error_of(task(R"({"type": "worker", "index": "x"})")) ==
          "task.index: invalid literal for int() with base 10: 'x'");
    CHECK(error_of(task(R"({"type": "worker", "index": "1_"})")) ==
          "task.index: invalid literal for int() with base 10: '1_'");
    CHECK(error_of(task(R"({"type": "worker", "index": ""})")) ==
          "task.index: invalid literal for int() with base 10: ''");
    CHECK(error_of(task(R"({"type": "worker", "index": null})")) ==
          "task.index: int() argument must be a string, a bytes-like object or a real number, not 'NoneType'");
    CHECK(error_of(task(R"({"type": "worker", "index": [0]})")) ==
          "task.index: int() argument must be a string, a bytes-like object or a real number, not 'list'");
    // str() of a type that is not a string.
    CHECK(error_of(task(R"({"type": 1, "index": 0})")) == "task.type: No such job in cluster: '1'");
    CHECK(error_of(task(R"({"type": null, "index": 0})")) == "task.type: No such job in cluster: 'None'");
    // Absent parts stay absent.
    const auto none = parse_tf_config("{" + cluster + "}");
    CHECK(none.task_type.empty());
    CHECK_FALSE(none.task_index);
    // An index beyond int in a cluster where TensorFlow would not look it up.
    CHECK(error_of(R"({"task": {"type": "worker", "index": 99999999999999999999}})") ==
          "task.index: 99999999999999999999 does not fit a task index (at most 2147483647)");
}

TEST_CASE("custom consumer: the task must be a task of the cluster") {
    CHECK(error_of(config(ps_cluster, "master", 0)) == "task.type: No such job in cluster: 'master'");
    CHECK(error_of(config(ps_cluster, "worker", 2)) == "task.index: No task with index 2 in job 'worker'");
    CHECK(error_of(config(ps_cluster, "worker", -1)) == "task.index: No task with index -1 in job 'worker'");
    CHECK(error_of(R"({"cluster": {"worker": {"3": "w:1"}}, "task": {"type": "worker", "index": 0}})") ==
          "task.index: No task with index 0 in job 'worker'");
    // The evaluator may run outside the cluster; an empty cluster is a local run.
    CHECK(error_of(config(ps_cluster, "evaluator", 0)) == "(accepted)");
    CHECK(error_of(R"({"task": {"type": "worker", "index": 5}})") == "(accepted)");
    // The seed's own parameter-server example: ps + worker, no chief.
    CHECK(error_of(config(R"({"ps":["h0:2222"],"worker":["h0:2223","h1:2222"]})", "worker", 1)) == "(accepted)");
    // The master of a SageMaker-style cluster is just a job.
    CHECK(error_of(config(R"({"master":["m:2222"],"ps":["p:2223"],"worker":["w:2222"]})", "master", 0)) ==
          "(accepted)");
}

TEST_CASE("TF2 strategies: multi_worker_util._validate_cluster_spec") {
    for (auto consumer : {tf_consumer::parameter_server_strategy, tf_consumer::multi_worker_mirrored_strategy}) {
        CAPTURE(enum_name(consumer));
        CHECK(error_of(config(R"({"master":["m:1"],"worker":["w:1"]})", "worker", 0), consumer) ==
              "cluster.master: Disallowed task type found in cluster spec. Allowed types are ('chief', 'worker', "
              "'evaluator', 'ps', None) and the cluster spec is ClusterSpec({'master': ['m:1'], 'worker': "
              "['w:1']}).");
        CHECK(error_of(config(R"({"ps":["p:1"],"worker":["w:1"]})", "master", 0), consumer) ==
              "task.type: Unrecognized task_type: master, valid task types are: ('chief', 'worker', 'evaluator', "
              "'ps', None)");
        // str() text goes into the message as Python prints it; only a NUL is escaped, for what().
        CHECK(error_of(R"({"cluster":{"worker":["w:1"]},"task":{"type":"mas\u0000ter","index":0}})", consumer) ==
              "task.type: Unrecognized task_type: mas\\x00ter, valid task types are: ('chief', 'worker', "
              "'evaluator', 'ps', None)");
        CHECK(error_of(config(R"({"ps":["p:1"],"worker":["w:1"]})", "chief", 0), consumer) ==
              "task.type: `task_type` 'chief' not found in cluster_spec.");
        CHECK(error_of(config(R"({"chief":["c:1","d:1"],"ps":["p:1"],"worker":["w:1"]})", "worker", 0), consumer) ==
              "cluster.chief: There must be at most one 'chief' job.");
        CHECK(error_of(
                  config(R"({"chief":["c:1"],"evaluator":["e:1","f:1"],"ps":["p:1"],"worker":["w:1"]})", "worker", 0),
                  consumer) == "cluster.evaluator: There must be at most one 'evaluator' job.");
        CHECK(error_of(config(R"({"chief":["c:1"],"ps":["p:1"],"worker":["w:1","x:1","y:1"]})", "worker", 3),
                       consumer) == "task.index: The `task_id` 3 exceeds the maximum id of worker.");
    }
}

TEST_CASE("TF2 ParameterServerStrategy") {
    const auto pss = tf_consumer::parameter_server_strategy;
    CHECK(error_of("{}", pss) ==
          "cluster: Cluster spec must be non-empty in `tf.distribute.cluster_resolver.ClusterResolver`.");
    CHECK(error_of(config(R"({"chief":["c:1"],"worker":["w:1"]})", "chief", 0), pss) ==
          "cluster.ps: There must be at least one ps.");
    CHECK(error_of(config(R"({"chief":["c:1"],"ps":["p:1"]})", "chief", 0), pss) ==
          "cluster.worker: There must be at least one worker.");
    CHECK(error_of(config(R"({"chief":["c:1"],"ps":["p:1"],"worker":[]})", "chief", 0), pss) ==
          "cluster.worker: There must be at least one worker.");
    CHECK(error_of(config(R"({"ps":["p:1"],"worker":["w:1"]})", "worker", 0), pss) ==
          "cluster.chief: ParameterServerStrategy runs its coordinator as the 'chief' task: the cluster needs one "
          "'chief' job");
    CHECK(error_of(config(ps_cluster, "chief", 0), pss) == "(accepted)");
    CHECK(error_of(config(ps_cluster, "ps", 1), pss) == "(accepted)");
    // The evaluator runs on the side.
    CHECK(error_of(config(ps_cluster, "evaluator", 0), pss) == "(accepted)");
}

TEST_CASE("TF2 MultiWorkerMirroredStrategy") {
    const auto mwms = tf_consumer::multi_worker_mirrored_strategy;
    CHECK(error_of("{}", mwms) == "(accepted)");  // no cluster: a local run
    CHECK(error_of(R"({"cluster": {"worker": ["w:1", "x:1"]}})", mwms) ==
          "task: When `cluster_spec` is given, you must also specify `task_type` and `task_id`.");
    CHECK(error_of(R"({"cluster": {"worker": ["w:1", "x:1"]}, "task": {"type": "worker"}})", mwms) ==
          "task: When `cluster_spec` is given, you must also specify `task_type` and `task_id`.");
    CHECK(error_of(config(R"({"ps":["p:1"],"worker":["w:1"]})", "ps", 0), mwms) ==
          "task.type: There is no id for task_type 'ps'");
    CHECK(error_of(config(R"({"ps":["p:1"],"worker":["w:1"]})", "worker", 0), mwms) ==
          "cluster.ps: MultiWorkerMirroredStrategy has no parameter servers: the cluster must not have a 'ps' job");
    CHECK(error_of(config(R"({"master":["m:1"],"worker":["w:1"]})", "master", 0), mwms)
              .rfind("cluster.master: Disallowed task type found in cluster spec.", 0) == 0);
    CHECK(error_of(config(R"({"chief":["c:1"],"worker":["w:1","x:1"]})", "worker", 1), mwms) == "(accepted)");
    CHECK(error_of(config(R"({"worker":["w:1","x:1"]})", "worker", 0), mwms) == "(accepted)");
}

TEST_CASE("tf.estimator RunConfig, checks in order") {
    const auto est = tf_consumer::estimator;
    const std::string no_chief = R"({"ps":["p:1"],"worker":["w:1","x:1"]})";
    CHECK(error_of(config(no_chief, "worker", 0), est) ==
          "cluster.chief: If \"cluster\" is set in TF_CONFIG, it must have one \"chief\" node.");
    CHECK(error_of(config(R"({"chief":["c:1","d:1"],"worker":["w:1"]})", "worker", 0), est) ==
          "cluster.chief: The \"cluster\" in TF_CONFIG must have only one \"chief\" node.");
    CHECK(error_of(R"({"cluster":)" + ps_cluster + "}", est) ==
          "task.type: If \"cluster\" is set in TF_CONFIG, task type must be set.");
    CHECK(error_of(R"({"cluster":)" + ps_cluster + R"(, "task": {"type": ""}})", est) ==
          "task.type: If \"cluster\" is set in TF_CONFIG, task type must be set.");
    CHECK(error_of(R"({"cluster":)" + ps_cluster + R"(, "task": {"type": "worker"}})", est) ==
          "task.index: If \"cluster\" is set in TF_CONFIG, task index must be set.");
    CHECK(error_of(R"({"cluster":)" + ps_cluster + R"(, "task": {"type": "worker", "index": null}})", est) ==
          "task.index: If \"cluster\" is set in TF_CONFIG, task index must be set.");
    CHECK(error_of(config(ps_cluster, "worker", -1), est) == "task.index: Task index must be non-negative number.");
    CHECK(error_of(config(ps_cluster, "master", 0), est) ==
          "task.type: master is not a valid task_type in the cluster_spec:\nClusterSpec({'chief': ['c:2222'], 'ps': "
          "['p0:2222', 'p1:2222'], 'worker': ['w0:2222', 'w1:2222']})" +
              note);
    CHECK(error_of(config(ps_cluster, "worker", 2), est) ==
          "task.index: 2 is not a valid task_id for task_type worker in the cluster_spec:\nClusterSpec({'chief': "
          "['c:2222'], 'ps': ['p0:2222', 'p1:2222'], 'worker': ['w0:2222', 'w1:2222']})" +
              note);
    // The evaluator is not part of the training cluster: no upper bound.
    CHECK(error_of(config(ps_cluster, "evaluator", 7), est) == "(accepted)");
    CHECK(error_of(config(ps_cluster, "ps", 1), est) == "(accepted)");

    SUBCASE("legacy master mode") {
        CHECK(error_of(config(R"({"chief":["c:1"],"master":["m:1"],"worker":["w:1"]})", "worker", 0), est) ==
              "cluster.chief: If `master` node exists in `cluster`, job `chief` is not supported.");
        CHECK(error_of(config(R"({"master":["m:1","n:1"],"worker":["w:1"]})", "worker", 0), est) ==
              "cluster.master: The \"cluster\" in TF_CONFIG must have only one \"master\" node.");
        CHECK(error_of(config(R"({"master":["m:1"],"worker":["w:1"]})", "evaluator", 0), est) ==
              "task.type: If `master` node exists in `cluster`, task_type `evaluator` is not supported.");
        CHECK(error_of(config(R"({"master":["m:1"],"ps":["p:1"],"worker":["w:1"]})", "master", 0), est) ==
              "(accepted)");
    }
    SUBCASE("no cluster: a local worker 0") {
        CHECK(error_of(R"({"task": {"type": "chief", "index": 0}})", est) ==
              "task.type: If \"cluster\" is not set in TF_CONFIG, task type must be WORKER.");
        CHECK(error_of(R"({"task": {"type": "evaluator", "index": 0}})", est) ==
              "task.type: If \"cluster\" is not set in TF_CONFIG, task type must be WORKER.");
        CHECK(error_of(R"({"task": {"type": "worker", "index": 1}})", est) ==
              "task.index: If \"cluster\" is not set in TF_CONFIG, task index must be 0.");
        CHECK(error_of(R"({"task": {"index": "x"}})", est) ==
              "task.index: invalid literal for int() with base 10: 'x'");
        CHECK(error_of(R"({"task": {"type": "worker"}})", est) == "(accepted)");
        // RunConfig reads json.loads(os.environ.get('TF_CONFIG', '{}')): set
        // but empty is a JSON error there too.
        CHECK(error_of("", est) == "$: Expecting value: line 1 column 1 (char 0)");
        CHECK(error_of("", tf_consumer::custom) == "$: Expecting value: line 1 column 1 (char 0)");
    }
    SUBCASE("service must be a dict") {
        CHECK(error_of(R"({"service": "x"})", est) ==
              "service: If \"service\" is set in TF_CONFIG, it must be a dict. Given <class 'str'>");
        CHECK(error_of(R"({"service": {"a": 1}})", est) == "(accepted)");
    }
}

TEST_CASE("every consumer accepts a well-formed chief/worker/ps task") {
    for (auto consumer : all_consumers) {
        CAPTURE(enum_name(consumer));
        const std::string cluster = consumer == tf_consumer::multi_worker_mirrored_strategy
                                        ? R"({"chief":["c:2222"],"worker":["w0:2222","w1:2222"]})"
                                        : ps_cluster;
        const auto parsed = parse_tf_config(config(cluster, "worker", 1), consumer);
        CHECK(parsed.task_type == "worker");
        CHECK(parsed.task_index == 1);
        CHECK(parsed.task_address() == "w1:2222");
    }
}

TEST_CASE("derived values: is_chief, num_workers, num_ps") {
    auto chief_of = [](const std::string& cluster, const std::string& type, int index) {
        return parse_tf_config(config(cluster, type, index)).is_chief();
    };
    const std::string workers = R"({"ps":["p:1"],"worker":["w0:1","w1:1"]})";
    CHECK(chief_of(ps_cluster, "chief", 0));
    CHECK_FALSE(chief_of(ps_cluster, "worker", 0));
    CHECK_FALSE(chief_of(ps_cluster, "ps", 0));
    CHECK(chief_of(ps_cluster, "evaluator", 0));
    CHECK(chief_of(workers, "worker", 0));
    CHECK_FALSE(chief_of(workers, "worker", 1));
    CHECK_FALSE(chief_of(workers, "ps", 0));
    CHECK(chief_of(workers, "evaluator", 0));
    // Legacy master mode: the master is the chief, worker 0 is not.
    const std::string master = R"({"master":["m:1"],"ps":["p:1"],"worker":["w0:1"]})";
    CHECK(chief_of(master, "master", 0));
    CHECK_FALSE(chief_of(master, "worker", 0));
    // One local process.
    CHECK(parse_tf_config("{}").is_chief());

    const auto parsed = parse_tf_config(config(ps_cluster, "ps", 0));
    CHECK(parsed.num_workers() == 3);
    CHECK(parsed.num_ps() == 2);
    const auto legacy =
        parse_tf_config(config(R"({"master":["m:1"],"ps":["p:1","q:1"],"worker":["w0:1","w1:1"]})", "worker", 0));
    CHECK(legacy.num_workers() == 3);
    CHECK(legacy.num_ps() == 2);
    CHECK(parse_tf_config(config(workers, "worker", 0)).num_workers() == 2);
    CHECK(parse_tf_config("{}").num_workers() == 0);
}

TEST_CASE("master(): TFConfigClusterResolver.master()") {
    CHECK(parse_tf_config(config(ps_cluster, "worker", 1)).master() == "w1:2222");
    CHECK(parse_tf_config(R"({"cluster":)" + ps_cluster + R"(,"task":{"type":"worker","index":1},"rpc_layer":"grpc"})")
              .master() == "grpc://w1:2222");
    CHECK(parse_tf_config(R"({"cluster":)" + ps_cluster + R"(,"task":{"type":"worker","index":1},"rpc_layer":""})")
              .master() == "w1:2222");
    CHECK(parse_tf_config(R"({"cluster":)" + ps_cluster +
                          R"(,"task":{"type":"worker","index":1},"rpc_layer":"grpc","session_master":"local"})")
              .master() == "local");
    // Empty cluster, or one job of one task: "".
    CHECK(parse_tf_config(R"({"rpc_layer":"grpc"})").master().empty());
    CHECK(parse_tf_config(R"({"cluster":{"worker":["w:1"]},"task":{"type":"worker","index":0},"rpc_layer":"grpc"})")
              .master()
              .empty());
    // One task of index 3 is not a one-task cluster for job_tasks(): [None, None, None, 'w:1'].
    CHECK(parse_tf_config(R"({"cluster":{"worker":{"3":"w:1"}},"task":{"type":"worker","index":3}})").master() ==
          "w:1");
    // An evaluator outside the cluster has no address.
    CHECK_THROWS_WITH_AS(parse_tf_config(config(ps_cluster, "evaluator", 0)).master(),
                         "No such job in cluster: 'evaluator'", tf_config_error);
    CHECK_THROWS_WITH_AS(parse_tf_config(R"({"cluster":)" + ps_cluster + "}").master(), "No such job in cluster: None",
                         tf_config_error);
    CHECK_THROWS_WITH_AS(parse_tf_config(R"({"cluster":)" + ps_cluster + R"(,"task":{"type":"worker"}})").master(),
                         "No task with index None in job 'worker'", tf_config_error);
}

namespace {

job_spec tensorflow_spec(backend_kind backend) {
    job_spec s;
    s.name = "mnist";
    s.source_directory = "src";
    s.entry_script = "train.py";
    s.target = compute_target("gpu-cluster");
    s.distributed_backend = backend;
    return s;
}

/// Kubeflow's address of replica `index` of `type`: J-t-i.N.svc[.DOMAIN]:PORT.
std::string kubeflow_address(const std::string& job, std::string_view type, int index, const std::string& ns,
                             const std::string& domain, int port) {
    return job + "-" + std::string(type) + "-" + std::to_string(index) + "." + ns + ".svc" +
           (domain.empty() ? "" : "." + domain) + ":" + std::to_string(port);
}

/// Every task's TF_CONFIG parses with `consumer` and gives back the task's
/// type (as written in the cluster), index and address.
template <class Backend>
void check_round_trip(const cluster<Backend>& plan_, const tf_config_options& options, tf_consumer consumer,
                      bool evaluator_in_cluster) {
    const auto profile = *options.profile;
    for (const auto& t : plan_.tasks()) {
        CAPTURE(enum_name(profile));
        CAPTURE(enum_name(consumer));
        CAPTURE(enum_name(t.type));
        CAPTURE(t.index);
        const auto json = tf_config(plan_, t.type, t.index, options);
        REQUIRE(json);
        const auto parsed = parse_tf_config(*json, consumer);
        const std::string type =
            profile == tf_profile::sagemaker && t.type == task_type::chief ? "master" : std::string(enum_name(t.type));
        CHECK(parsed.task_type == type);
        CHECK(parsed.task_index == t.index);
        if (t.type == task_type::evaluator && !evaluator_in_cluster) {
            CHECK_THROWS_WITH_AS(parsed.task_address(), "No such job in cluster: 'evaluator'", tf_config_error);
            continue;
        }
        const std::string expected =
            profile == tf_profile::kubeflow
                ? kubeflow_address(plan_.job().name(), enum_name(t.type), t.index, options.kubernetes_namespace,
                                   options.cluster_domain, default_port)
                : plan_.address(t);
        CHECK(parsed.task_address() == expected);
        if (profile != tf_profile::tf2 && !(profile == tf_profile::kubeflow && options.sparse.value_or(false)))
            CHECK(parsed.environment == "cloud");
    }
}

}  // namespace

TEST_CASE("round trip: the parser reads back what every profile writes") {
    auto ps_spec = tensorflow_spec(backend_kind::parameter_server);
    ps_spec.node_count = 2;
    ps_spec.worker_count = 2;
    ps_spec.parameter_server_count = 2;
    ps_spec.chief_count = 1;
    ps_spec.evaluator_count = 1;
    const auto ps_plan = plan(make_job_as<parameter_server>(ps_spec));

    SUBCASE("tf2: evaluator outside the cluster") {
        tf_config_options options;
        options.profile = tf_profile::tf2;
        for (auto consumer : {tf_consumer::custom, tf_consumer::parameter_server_strategy})
            check_round_trip(ps_plan, options, consumer, false);
        // The coordinator is the chief; without one, worker 0 would be.
        for (const auto& t : ps_plan.tasks()) {
            const auto parsed = parse_tf_config(*tf_config(ps_plan, t.type, t.index, options));
            CHECK(parsed.is_chief() == (t.type == task_type::chief || t.type == task_type::evaluator));
            CHECK(parsed.num_workers() == 3);
            CHECK(parsed.num_ps() == 2);
            CHECK_FALSE(parsed.environment);
        }
    }
    SUBCASE("tf2 with an rpc layer: master() carries it") {
        tf_config_options options;
        options.profile = tf_profile::tf2;
        options.rpc_layer = "grpc";
        const auto& worker = ps_plan.find(task_type::worker, 1);
        const auto parsed = parse_tf_config(*tf_config(ps_plan, task_type::worker, 1, options));
        CHECK(parsed.rpc_layer == "grpc");
        CHECK(parsed.master() == "grpc://" + ps_plan.address(worker));
    }
    SUBCASE("tf2 multi-worker, read by MultiWorkerMirroredStrategy") {
        auto mw = tensorflow_spec(backend_kind::multi_worker);
        mw.node_count = 3;
        const auto mw_plan = plan(make_job_as<multi_worker>(mw));
        tf_config_options options;
        options.profile = tf_profile::tf2;
        for (auto consumer : {tf_consumer::custom, tf_consumer::multi_worker_mirrored_strategy})
            check_round_trip(mw_plan, options, consumer, false);
        CHECK(parse_tf_config(*tf_config(mw_plan, task_type::worker, 0, options)).is_chief());
        CHECK_FALSE(parse_tf_config(*tf_config(mw_plan, task_type::worker, 2, options)).is_chief());
    }
    SUBCASE("estimator: one chief, evaluator outside the cluster") {
        tf_config_options options;
        options.profile = tf_profile::estimator;
        for (auto consumer : {tf_consumer::custom, tf_consumer::estimator})
            check_round_trip(ps_plan, options, consumer, false);
    }
    SUBCASE("kubeflow: service addresses, evaluator inside the cluster") {
        tf_config_options options;
        options.profile = tf_profile::kubeflow;
        check_round_trip(ps_plan, options, tf_consumer::custom, true);
        options.kubernetes_namespace = "team-a";
        options.cluster_domain = "corp.example";
        check_round_trip(ps_plan, options, tf_consumer::custom, true);
    }
    SUBCASE("kubeflow sparse form (enableDynamicWorker)") {
        auto sparse_spec = tensorflow_spec(backend_kind::parameter_server);
        sparse_spec.node_count = 2;
        sparse_spec.worker_count = 3;
        sparse_spec.parameter_server_count = 1;
        const auto sparse_plan = plan(make_job_as<parameter_server>(sparse_spec));
        tf_config_options options;
        options.profile = tf_profile::kubeflow;
        options.sparse = true;
        check_round_trip(sparse_plan, options, tf_consumer::custom, true);
        // A worker sees itself alone under a sparse "worker" job.
        const auto worker2 = parse_tf_config(*tf_config(sparse_plan, task_type::worker, 2, options));
        CHECK_FALSE(worker2.cluster.is_dense("worker"));
        CHECK(worker2.cluster.task_indices("worker") == std::vector<int>{2});
        CHECK(worker2.cluster.num_tasks("ps") == 1);
        CHECK_FALSE(worker2.environment);

        // Where the sparse form and TensorFlow's ClusterSpec disagree: a ps
        // sees itself as the only ps (index 0), whatever its own index; the
        // chief sees neither itself nor anyone else.
        const auto two_ps = [&] {
            auto s = sparse_spec;
            s.parameter_server_count = 2;
            s.chief_count = 1;
            s.node_count = 3;
            return plan(make_job_as<parameter_server>(s));
        }();
        CHECK(error_of(*tf_config(two_ps, task_type::ps, 0, options)) == "(accepted)");
        CHECK(error_of(*tf_config(two_ps, task_type::ps, 1, options)) ==
              "task.index: No task with index 1 in job 'ps'");
        CHECK(error_of(*tf_config(two_ps, task_type::chief, 0, options)) ==
              "task.type: No such job in cluster: 'chief'");
    }
    SUBCASE("azureml-v1: ps and worker, no chief") {
        auto azure = tensorflow_spec(backend_kind::parameter_server);
        azure.node_count = 2;
        azure.worker_count = 2;
        azure.parameter_server_count = 1;
        const auto azure_plan = plan(make_job_as<parameter_server>(azure));
        tf_config_options options;
        options.profile = tf_profile::azureml_v1;
        check_round_trip(azure_plan, options, tf_consumer::custom, false);
        CHECK(parse_tf_config(*tf_config(azure_plan, task_type::worker, 0, options)).is_chief());
        // tf.estimator needs a chief, which Azure ML's ps backend never wrote.
        CHECK(error_of(*tf_config(azure_plan, task_type::worker, 0, options), tf_consumer::estimator) ==
              "cluster.chief: If \"cluster\" is set in TF_CONFIG, it must have one \"chief\" node.");
    }
    SUBCASE("sagemaker: master, workers, a ps on every host") {
        auto sm = tensorflow_spec(backend_kind::parameter_server);
        sm.node_count = 3;
        sm.chief_count = 1;
        sm.worker_count = 2;
        sm.parameter_server_count = 3;
        const auto sm_plan = plan(make_job_as<parameter_server>(sm));
        tf_config_options options;
        options.profile = tf_profile::sagemaker;
        for (auto consumer : {tf_consumer::custom, tf_consumer::estimator})
            check_round_trip(sm_plan, options, consumer, false);
        const auto master = parse_tf_config(*tf_config(sm_plan, task_type::chief, 0, options));
        CHECK(master.is_chief());
        CHECK(master.num_workers() == 3);
        CHECK(master.num_ps() == 3);
        CHECK_FALSE(parse_tf_config(*tf_config(sm_plan, task_type::worker, 0, options)).is_chief());
        // TF2 strategies reject master.
        CHECK(error_of(*tf_config(sm_plan, task_type::worker, 0, options), tf_consumer::parameter_server_strategy)
                  .rfind("cluster.master: Disallowed task type found in cluster spec.", 0) == 0);
    }
}

namespace {

/// Sets TF_CONFIG for one scope and puts the previous value back.
class scoped_tf_config {
public:
    explicit scoped_tf_config(const char* value) {
        if (const char* old = std::getenv("TF_CONFIG")) saved_ = old;
        if (value)
            setenv("TF_CONFIG", value, 1);
        else
            unsetenv("TF_CONFIG");
    }
    ~scoped_tf_config() {
        if (saved_)
            setenv("TF_CONFIG", saved_->c_str(), 1);
        else
            unsetenv("TF_CONFIG");
    }
    scoped_tf_config(const scoped_tf_config&) = delete;
    scoped_tf_config& operator=(const scoped_tf_config&) = delete;

private:
    std::optional<std::string> saved_;
};

}  // namespace

TEST_CASE("tf_config_from_env") {
    {
        // Unset reads as {}: no cluster, no task; a local run where the API allows one.
        const scoped_tf_config env(nullptr);
        const auto parsed = tf_config_from_env();
        CHECK(parsed.cluster.empty());
        CHECK(parsed.task_type.empty());
        CHECK_FALSE(parsed.task_index);
        CHECK(run_config_of(tf_config_from_env(tf_consumer::estimator)).num_worker_replicas == 1);
        CHECK(strategy_view_of(tf_config_from_env(tf_consumer::multi_worker_mirrored_strategy)).local);
        CHECK_THROWS_WITH_AS(
            tf_config_from_env(tf_consumer::parameter_server_strategy),
            "cluster: Cluster spec must be non-empty in `tf.distribute.cluster_resolver.ClusterResolver`.",
            tf_config_error);
    }
    {
        // Set but empty: json.loads('') fails, for every consumer.
        const scoped_tf_config env("");
        for (auto consumer : {tf_consumer::custom, tf_consumer::estimator})
            CHECK_THROWS_WITH_AS(tf_config_from_env(consumer), "$: Expecting value: line 1 column 1 (char 0)",
                                 tf_config_error);
    }
    {
        const scoped_tf_config env(
            R"({"cluster":{"chief":["c:2222"],"worker":["w:2222"]},"task":{"type":"worker","index":0}})");
        const auto parsed = tf_config_from_env(tf_consumer::estimator);
        CHECK(parsed.task_type == "worker");
        CHECK(parsed.task_index == 0);
        CHECK(parsed.task_address() == "w:2222");
        CHECK(parsed.master() == "w:2222");
        CHECK_FALSE(parsed.is_chief());
    }
    {
        const scoped_tf_config env(R"({"cluster":{"worker":["w:2222","x:2222"]},"task":{"type":"worker","index":0}})");
        CHECK_THROWS_WITH_AS(tf_config_from_env(tf_consumer::estimator),
                             "cluster.chief: If \"cluster\" is set in TF_CONFIG, it must have one \"chief\" node.",
                             tf_config_error);
    }
}

// What the consumers conclude beyond upstream's own cases (tests/upstream):
// the rules of run_config.py and multi_worker_util.py on inputs upstream's
// tests do not try.
TEST_CASE("run_config_of: RunConfig's properties") {
    const auto est = tf_consumer::estimator;
    SUBCASE("the global id counts len(job_tasks()): a sparse job's highest index + 1") {
        const auto view = run_config_of(parse_tf_config(
            R"({"cluster":{"chief":["c:1"],"worker":{"0":"a:1","5":"b:1"},"ps":["p:1"]},"task":{"type":"ps","index":0}})",
            est));
        CHECK(view.global_id_in_cluster == 7);  // chief 1 + worker 6
        CHECK(view.num_worker_replicas == 3);   // as_dict().get('worker'): 2 entries, + the chief
    }
    SUBCASE("the master is grpc:// whatever the rpc_layer") {
        const auto view = run_config_of(parse_tf_config(
            R"({"cluster":{"chief":["c:1"],"worker":["w:1"]},"task":{"type":"worker","index":0},"rpc_layer":"grpc+verbs"})",
            est));
        CHECK(view.master == "grpc://w:1");
        CHECK_FALSE(view.is_chief);
    }
    SUBCASE("model_dir: a string; RunConfig's errors for empty and false values") {
        CHECK(run_config_of(parse_tf_config(R"({"model_dir": null})", est)).model_dir == std::nullopt);
        CHECK(run_config_of(parse_tf_config(R"({"model_dir": "gs://b/m"})", est)).model_dir == "gs://b/m");
        CHECK(error_of(R"({"model_dir": ""})", est) == "model_dir: model_dir in TF_CONFIG should be non-empty.");
        CHECK(error_of(R"({"model_dir": 0})", est) == "model_dir: model_dir should be non-empty");
        CHECK(error_of(R"({"model_dir": []})", est) == "model_dir: model_dir should be non-empty");
        CHECK(error_of(R"({"model_dir": 5})", est).rfind("model_dir: must be a string such as", 0) == 0);
        // No other consumer reads model_dir.
        CHECK(error_of(R"({"model_dir": 5})") == "(accepted)");
        CHECK(error_of(R"({"model_dir": ""})") == "(accepted)");
    }
    SUBCASE("a sparse job's hole fails where RunConfig builds the master") {
        CHECK(error_of(R"({"cluster":{"chief":["c:1"],"worker":{"1":"w:1"}},"task":{"type":"worker","index":0}})",
                       est) == "task.index: can only concatenate str (not \"NoneType\") to str");
        // With a session_master, RunConfig never looks the address up.
        CHECK(run_config_of(parse_tf_config(R"({"cluster":{"chief":["c:1"],"worker":{"1":"w:1"}},)"
                                            R"("task":{"type":"worker","index":0},"session_master":"s"})",
                                            est))
                  .master == "s");
    }
    SUBCASE("only a TF_CONFIG read with RunConfig's rules") {
        CHECK_THROWS_AS(run_config_of(parse_tf_config("{}")), std::invalid_argument);
        CHECK_THROWS_AS(strategy_view_of(parse_tf_config("{}", est)), std::invalid_argument);
    }
}

TEST_CASE("strategy_view_of: multi_worker_util's answers") {
    const auto mwms = tf_consumer::multi_worker_mirrored_strategy;
    SUBCASE("without a chief, worker 0 is chief and leads the collectives") {
        const auto view = strategy_view_of(
            parse_tf_config(R"({"cluster":{"worker":["a:1","b:1"]},"task":{"type":"worker","index":1}})", mwms));
        CHECK_FALSE(view.local);
        CHECK_FALSE(view.is_chief);
        CHECK(view.id_in_cluster == 1);
        CHECK(view.worker_count == 2);
        CHECK(view.collective_leader == "/job:worker/replica:0/task:0");
        CHECK(view.training_jobs == std::vector<std::string>{"worker"});
        CHECK(view.in_training_cluster);
        CHECK(view.errors.empty());
    }
    SUBCASE("an evaluator in the cluster is its own chief, outside the training jobs") {
        const auto view = strategy_view_of(parse_tf_config(
            R"({"cluster":{"chief":["c:1"],"worker":["a:1"],"evaluator":["e:1"]},"task":{"type":"evaluator","index":0}})",
            mwms));
        CHECK(view.is_chief);
        CHECK(view.id_in_cluster == 0);
        CHECK(view.worker_count == 1);
        CHECK(view.collective_leader.empty());
        CHECK(view.training_jobs == std::vector<std::string>{"chief", "worker"});
        CHECK_FALSE(view.in_training_cluster);
    }
    SUBCASE("an evaluator outside the cluster cannot create MultiWorkerMirroredStrategy") {
        CHECK(error_of(R"({"cluster":{"worker":["a:1"]},"task":{"type":"evaluator","index":0}})", mwms)
                  .rfind("task.type: KeyError: 'evaluator'", 0) == 0);
    }
    SUBCASE("the coordinator's view of a ps job: no task, then multi_worker_util's None answers") {
        const auto view = strategy_view_of(parse_tf_config(
            R"({"cluster":{"chief":["c:1"],"worker":["a:1"],"ps":["p:1"]}})", tf_consumer::parameter_server_strategy));
        CHECK_FALSE(view.is_chief);
        CHECK(view.collective_leader == "/job:chief/replica:0/task:0");
        CHECK_FALSE(view.id_in_cluster);
        CHECK_FALSE(view.worker_count);
        REQUIRE(view.errors.size() == 2);
        CHECK(view.errors[0] ==
              std::pair<std::string, std::string>{"id_in_cluster", "There is no id for task_type None"});
        CHECK(view.errors[1] == std::pair<std::string, std::string>{"worker_count", "Unexpected `task_type` None"});
        CHECK_FALSE(view.in_training_cluster);
    }
}

TEST_CASE("multi_worker_util: hostile task types and ids") {
    const auto cluster = parse_tf_config(R"({"cluster":{"chief":["c:1"],"worker":["a:1","b:1"]}})").cluster;
    CHECK_THROWS_WITH_AS(multi_worker_util::is_chief(cluster, std::string("wor\0ker", 7), 0),
                         "task.type: Unrecognized task_type: wor\\x00ker, valid task types are: ('chief', "
                         "'worker', 'evaluator', 'ps', None)",
                         tf_config_error);
    CHECK_THROWS_WITH_AS(multi_worker_util::id_in_cluster(cluster, std::string("worker"), 9'000'000'000LL),
                         "task.index: The `task_id` 9000000000 exceeds the maximum id of worker.", tf_config_error);
    CHECK_THROWS_WITH_AS(multi_worker_util::is_chief(cluster, std::string("worker"), std::nullopt),
                         "task.index: is not set ('>=' not supported between instances of 'NoneType' and 'int')",
                         tf_config_error);
    CHECK(multi_worker_util::id_in_cluster(cluster, std::string("worker"), 1) == 2);
    CHECK(multi_worker_util::worker_count(cluster, std::string("chief")) == 3);
}
