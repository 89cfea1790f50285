// The job rules of validate.hpp: for every rule an input that breaks it (with
// the exact path and the key words of the rule) and an input that keeps it;
// validation collecting every problem at once; make_job / make_job_as.

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include <trainspec/detail/utf8.hpp>
#include <trainspec/job.hpp>
#include <trainspec/spec_json.hpp>
#include <trainspec/validate.hpp>

#include "property_check.hpp"
#include "test_support.hpp"

using namespace trainspec;
using test_support::base_spec;
using test_support::find_problem;
using test_support::listing;

namespace {

std::size_t count_at(const problems& found, std::string_view path) {
    std::size_t n = 0;
    for (const auto& p : found) n += p.path == path ? 1 : 0;
    return n;
}

job_spec mpi_spec(int nodes, int per_node) { return test_support::mpi_spec(nullptr, nodes, per_node); }

job_spec ps_spec(int workers, int parameter_servers) {
    auto s = base_spec();
    s.distributed_backend = backend_kind::parameter_server;
    s.worker_count = workers;
    s.parameter_server_count = parameter_servers;
    return s;
}

job_spec multi_worker_spec(int nodes) {
    auto s = base_spec();
    s.distributed_backend = backend_kind::multi_worker;
    s.node_count = nodes;
    return s;
}

compute_target target_with(int gpus, int cpus) {
    compute_target t("gpu-cluster");
    t.gpus_per_node = gpus;
    t.cpus_per_node = cpus;
    return t;
}

}  // namespace

// validate(spec) has a problem at `path` whose rule contains `text`.
#define CHECK_PROBLEM(spec, path, text)                                                           \
    do {                                                                                          \
        const auto found_ = validate(spec);                                                       \
        INFO("problems:" << listing(found_));                                                     \
        CHECK_MESSAGE(find_problem(found_, (path), (text)) != nullptr, (path) << ": " << (text)); \
    } while (false)

// validate(spec) has no problem at all.
#define CHECK_VALID(spec)                     \
    do {                                      \
        const auto found_ = validate(spec);   \
        INFO("problems:" << listing(found_)); \
        CHECK(found_.empty());                \
    } while (false)

TEST_CASE("the base spec of these tests is valid") {
    CHECK_VALID(base_spec());
    CHECK_VALID(mpi_spec(2, 4));
    CHECK_VALID(ps_spec(2, 1));
    CHECK_VALID(multi_worker_spec(2));
}

TEST_CASE("problem text and validation_error") {
    const problem p{"node_count", "0", "must be at least 1"};
    CHECK(to_string(p) == "node_count = 0: must be at least 1");
    CHECK(to_string(problem{"entry_script", "", "is required"}) == "entry_script: is required");

    const validation_error one({p});
    CHECK(std::string(one.what()) == "invalid job: 1 problem\n  node_count = 0: must be at least 1");
    const validation_error two({p, {"entry_script", "", "is required"}});
    CHECK(std::string(two.what()) ==
          "invalid job: 2 problems\n  node_count = 0: must be at least 1\n  entry_script: is required");
    REQUIRE(two.all().size() == 2);
    CHECK(two.all()[1].path == "entry_script");
}

TEST_CASE("required fields") {
    SUBCASE("source_directory") {
        auto s = base_spec();
        s.source_directory.clear();
        CHECK_PROBLEM(s, "source_directory", "is required");
    }
    SUBCASE("entry_script") {
        auto s = base_spec();
        s.entry_script.clear();
        CHECK_PROBLEM(s, "entry_script", "is required");
    }
    SUBCASE("compute_target or vm_size, with Azure ML's message") {
        auto s = base_spec();
        s.target.reset();
        CHECK_PROBLEM(s, "compute_target", "Either compute target or VM size should be specified.");
        s.vm_size = "Standard_NC6";
        CHECK_VALID(s);
    }
}

TEST_CASE("vm_size and vm_priority") {
    SUBCASE("vm_size and compute_target conflict") {
        auto s = base_spec();
        s.vm_size = "Standard_NC6";
        CHECK_PROBLEM(s, "vm_size", "give either compute_target or vm_size, not both");
        s.target.reset();
        CHECK_VALID(s);
    }
    SUBCASE("vm_size syntax") {
        auto s = base_spec();
        s.target.reset();
        for (const char* bad : {"Standard NC6", "Standard-NC6", "", "Standard_NC6;rm"}) {
            CAPTURE(bad);
            s.vm_size = bad;
            CHECK_PROBLEM(s, "vm_size", "must be an Azure VM size name");
        }
        for (const char* good : {"Standard_NC6", "Standard_NC24rs_v3", "STANDARD_D2_V2"}) {
            CAPTURE(good);
            s.vm_size = good;
            CHECK_VALID(s);
        }
    }
    SUBCASE("vm_priority values") {
        auto s = base_spec();
        s.target.reset();
        s.vm_size = "Standard_NC6";
        for (const char* bad : {"low", "Dedicated", "low_priority", ""}) {
            CAPTURE(bad);
            s.vm_priority = bad;
            CHECK_PROBLEM(s, "vm_priority", "must be \"dedicated\" or \"lowpriority\"");
        }
        for (const char* good : {"dedicated", "lowpriority"}) {
            CAPTURE(good);
            s.vm_priority = good;
            CHECK_VALID(s);
        }
    }
    SUBCASE("vm_priority needs vm_size") {
        auto s = base_spec();
        s.vm_priority = "lowpriority";
        CHECK_PROBLEM(s, "vm_priority", "applies only together with vm_size");
        const auto found = validate(s);
        CHECK(find_problem(found, "vm_priority", "must be \"dedicated\"") == nullptr);
    }
}

TEST_CASE("compute target fields") {
    SUBCASE("name syntax") {
        auto s = base_spec();
        for (const char* bad : {"", "-cluster", "gpu cluster", ".cluster", "gpu/cluster", "_x"}) {
            CAPTURE(bad);
            s.target = compute_target(bad);
            CHECK_PROBLEM(s, "compute_target.name", "must be a compute target name");
        }
        for (const char* good : {"gpu-cluster", "Cluster1", "a.b_c-d", "local", "9nodes"}) {
            CAPTURE(good);
            s.target = compute_target(good);
            CHECK_VALID(s);
        }
    }
    SUBCASE("gpus_per_node >= 0") {
        auto s = base_spec();
        s.target->gpus_per_node = -1;
        CHECK_PROBLEM(s, "compute_target.gpus_per_node", "must be at least 0");
        s.target->gpus_per_node = 0;
        CHECK_VALID(s);
    }
    SUBCASE("cpus_per_node >= 1") {
        auto s = base_spec();
        s.target->cpus_per_node = 0;
        CHECK_PROBLEM(s, "compute_target.cpus_per_node", "must be at least 1");
        s.target->cpus_per_node = 1;
        CHECK_VALID(s);
    }
    SUBCASE("max_nodes >= 1") {
        auto s = base_spec();
        s.target->max_nodes = 0;
        CHECK_PROBLEM(s, "compute_target.max_nodes", "must be at least 1");
        s.target->max_nodes = 1;
        CHECK_VALID(s);
    }
}

TEST_CASE("the local compute target") {
    SUBCASE("takes no hosts") {
        auto s = base_spec();
        s.target = compute_target("local");
        s.target->hosts = {{"node-a", 1}};
        CHECK_PROBLEM(s, "compute_target.hosts", "takes no host list");
        s.target->hosts.clear();
        CHECK_VALID(s);
    }
    SUBCASE("has exactly one node") {
        auto s = mpi_spec(2, 1);
        s.target = compute_target("local");
        CHECK_PROBLEM(s, "node_count", "a \"local\" compute target has exactly 1 node");
        s = mpi_spec(1, 4);  // several processes on this machine are fine
        s.target = compute_target("local");
        CHECK_VALID(s);
    }
}

TEST_CASE("host lists") {
    auto s = mpi_spec(3, 1);
    s.target->hosts = {{"node-a", 1}, {"node-b", 1}, {"node-c", 1}};
    CHECK_VALID(s);

    SUBCASE("host names") {
        const std::string chars = "a host name may only contain letters, digits, '_', '.', '-'";
        for (const auto& row : std::vector<std::pair<std::string, std::string>>{
                 {"node a", chars},
                 {"", "the host name is empty"},
                 {"node:1", chars},
                 {"node/a", chars},
                 {"n\tode", chars},
                 {std::string(254, 'a'), "a host name has at most 253 characters"},
                 {"-Fpwn", "a host name must not start with '-': ssh"},
                 {"-oProxyCommand=sh", "a host name must not start with '-': ssh"},
                 {"-", "a host name must not start with '-'"}}) {
            const std::string bad = row.first;
            const std::string rule = row.second;
            CAPTURE(bad);
            s.target->hosts[1].name = bad;
            CHECK_PROBLEM(s, "compute_target.hosts[1].name", rule);
        }
        for (const char* good : {"10.0.0.7", "node_b.cluster.local", "Node-B"}) {
            CAPTURE(good);
            s.target->hosts[1].name = good;
            CHECK_VALID(s);
        }
    }
    SUBCASE("slots >= 1") {
        s.target->hosts[2].slots = 0;
        CHECK_PROBLEM(s, "compute_target.hosts[2].slots", "a host needs at least 1 slot");
        s.target->hosts[2].slots = -4;
        CHECK_PROBLEM(s, "compute_target.hosts[2].slots", "a host needs at least 1 slot");
        s.target->hosts[2].slots = 1000001;
        CHECK_PROBLEM(s, "compute_target.hosts[2].slots", "a host has at most 1000000 slots");
    }
    SUBCASE("duplicates: each repeat once, with the words of --hosts and hostfiles") {
        s.target->hosts[1].name = "node-a";
        s.target->hosts[2].name = "node-a";
        const auto found = validate(s);
        INFO(listing(found));
        const std::string twice = "host \"node-a\" is listed twice; give its slots once";
        CHECK(find_problem(found, "compute_target.hosts[1].name", twice) != nullptr);
        CHECK(find_problem(found, "compute_target.hosts[2].name", twice) != nullptr);
        CHECK(count_at(found, "compute_target.hosts[0].name") == 0);
        CHECK(count_at(found, "compute_target.hosts[2].name") == 1);
    }
}

TEST_CASE("counts, with Azure ML's messages") {
    SUBCASE("node_count") {
        auto s = mpi_spec(0, 1);
        CHECK_PROBLEM(s, "node_count", "Node count should be at least 1.");
        const auto found = validate(s);
        REQUIRE(find_problem(found, "node_count", "Node count") != nullptr);
        CHECK(find_problem(found, "node_count", "Node count")->value == "0");
        s.node_count = -3;
        CHECK_PROBLEM(s, "node_count", "Node count should be at least 1.");
        s.node_count = 1;
        CHECK_VALID(s);
    }
    SUBCASE("process_count_per_node") {
        auto s = mpi_spec(2, 0);
        CHECK_PROBLEM(s, "process_count_per_node", "Process count per node should be at least 1.");
        s.process_count_per_node = 1;
        CHECK_VALID(s);
    }
    SUBCASE("worker_count") {
        auto s = ps_spec(0, 1);
        CHECK_PROBLEM(s, "worker_count", "must be at least 1");
        s.worker_count = 1;
        CHECK_VALID(s);
        auto m = multi_worker_spec(1);
        m.worker_count = 0;
        CHECK_PROBLEM(m, "worker_count", "must be at least 1");
    }
    SUBCASE("parameter_server_count: at least 1 for ps, 0 accepted for multi_worker") {
        auto s = ps_spec(1, 0);
        CHECK_PROBLEM(s, "parameter_server_count", "must be at least 1");
        auto m = multi_worker_spec(2);
        m.parameter_server_count = 0;
        CHECK_VALID(m);
        m.parameter_server_count = -1;
        CHECK_PROBLEM(m, "parameter_server_count", "must be at least 0");
    }
    SUBCASE("chief_count and evaluator_count are 0 or 1") {
        auto s = ps_spec(2, 1);
        for (int bad : {2, -1}) {
            CAPTURE(bad);
            s.chief_count = bad;
            s.evaluator_count = bad;
            CHECK_PROBLEM(s, "chief_count", "must be 0 or 1");
            CHECK_PROBLEM(s, "evaluator_count", "must be 0 or 1");
        }
        for (int good : {0, 1}) {
            CAPTURE(good);
            s.chief_count = good;
            s.evaluator_count = good;
            CHECK_VALID(s);
        }
    }
    SUBCASE("max_run_duration_seconds") {
        auto s = base_spec();
        s.max_run_duration_seconds = 0;
        CHECK_PROBLEM(s, "max_run_duration_seconds", "must be at least 1");
        s.max_run_duration_seconds = -60;
        CHECK_PROBLEM(s, "max_run_duration_seconds", "must be at least 1");
        s.max_run_duration_seconds = 1;
        CHECK_VALID(s);
        s.max_run_duration_seconds = std::numeric_limits<std::int64_t>::max();
        CHECK_VALID(s);
    }
}

TEST_CASE("several processes need a backend (Azure ML's message)") {
    const char* azure = "must be specified when node_count > 1 or process_count_per_node > 1.";
    auto s = base_spec();
    s.node_count = 2;
    CHECK_PROBLEM(s, "distributed_backend", azure);
    s.node_count = 1;
    s.process_count_per_node = 2;
    CHECK_PROBLEM(s, "distributed_backend", azure);
    // Explicit 1s are what Azure ML's defaults are.
    s.process_count_per_node = 1;
    CHECK_VALID(s);
    // An explicit single_node (JSON null) is no backend either.
    s.distributed_backend = backend_kind::single_node;
    CHECK_VALID(s);
    s.node_count = 4;
    CHECK_PROBLEM(s, "distributed_backend", azure);
}

TEST_CASE("backend-specific fields with the wrong backend") {
    SUBCASE("worker_count: ps and multi_worker only") {
        auto s = mpi_spec(2, 1);
        s.worker_count = 2;
        CHECK_PROBLEM(s, "worker_count",
                      "applies only with distributed_backend \"ps\" or \"multi_worker\" (backend is \"mpi\")");
        auto single = base_spec();
        single.worker_count = 1;
        CHECK_PROBLEM(single, "worker_count", "(backend is none)");
        auto m = multi_worker_spec(2);
        m.worker_count = 2;
        CHECK_VALID(m);
    }
    SUBCASE("parameter_server_count: ps only") {
        auto s = mpi_spec(2, 1);
        s.parameter_server_count = 1;
        CHECK_PROBLEM(s, "parameter_server_count", "applies only with distributed_backend \"ps\" (backend is \"mpi\")");
        auto single = base_spec();
        single.parameter_server_count = 0;
        CHECK_PROBLEM(single, "parameter_server_count", "applies only with distributed_backend \"ps\"");
        auto m = multi_worker_spec(2);
        m.parameter_server_count = 1;
        CHECK_PROBLEM(m, "parameter_server_count", "a multi_worker job has no parameter servers");
    }
    SUBCASE("chief_count and evaluator_count: ps only") {
        auto m = multi_worker_spec(2);
        m.chief_count = 1;
        CHECK_PROBLEM(m, "chief_count", "applies only with distributed_backend \"ps\" (backend is \"multi_worker\")");
        auto s = mpi_spec(1, 1);
        s.evaluator_count = 0;
        CHECK_PROBLEM(s, "evaluator_count", "applies only with distributed_backend \"ps\" (backend is \"mpi\")");
        auto ps = ps_spec(1, 1);
        ps.chief_count = 1;
        ps.evaluator_count = 1;
        CHECK_VALID(ps);
    }
    SUBCASE("process_count_per_node: mpi only") {
        auto s = ps_spec(2, 1);
        s.process_count_per_node = 2;
        CHECK_PROBLEM(s, "process_count_per_node", "applies only with distributed_backend \"mpi\" (backend is \"ps\")");
        s.process_count_per_node = 1;  // even 1: Azure ML v1 silently ignored it with "ps"
        CHECK_PROBLEM(s, "process_count_per_node", "applies only with distributed_backend \"mpi\"");
        auto m = multi_worker_spec(2);
        m.process_count_per_node = 1;
        CHECK_PROBLEM(m, "process_count_per_node", "(backend is \"multi_worker\")");
        CHECK_VALID(mpi_spec(1, 8));
    }
}

TEST_CASE("idle nodes of ps and multi_worker jobs") {
    // ps: worker_count + parameter_server_count (+ chief + evaluator) tasks.
    auto s = ps_spec(1, 1);
    s.node_count = 3;
    CHECK_PROBLEM(s, "node_count", "exceeds the 2 task(s) of this ps job; 1 node(s) would stay idle");
    s.chief_count = 1;
    CHECK_VALID(s);  // 3 tasks on 3 nodes
    s.node_count = 2;
    CHECK_VALID(s);  // fewer nodes than tasks is fine

    auto m = multi_worker_spec(3);
    m.worker_count = 2;
    CHECK_PROBLEM(m, "node_count", "exceeds the 2 task(s) of this multi_worker job; 1 node(s) would stay idle");
    m.worker_count.reset();  // one worker per node by default
    CHECK_VALID(m);
}

TEST_CASE("capacity of the compute target") {
    SUBCASE("use_gpu on a target without GPUs") {
        auto s = base_spec();
        s.use_gpu = true;
        s.target->gpus_per_node = 0;
        CHECK_PROBLEM(s, "use_gpu", "compute_target.gpus_per_node = 0: the nodes have no GPU");
        s.target->gpus_per_node = 1;
        CHECK_VALID(s);
        s.target->gpus_per_node.reset();  // unknown: not checked
        CHECK_VALID(s);
        s.target->gpus_per_node = 0;
        s.use_gpu = false;
        CHECK_VALID(s);
    }
    SUBCASE("node_count > max_nodes") {
        auto s = mpi_spec(3, 1);
        s.target->max_nodes = 2;
        CHECK_PROBLEM(s, "node_count", "exceeds compute_target.max_nodes = 2");
        s.node_count = 2;
        CHECK_VALID(s);
    }
    SUBCASE("node_count > hosts") {
        auto s = mpi_spec(3, 1);
        s.target->hosts = {{"node-a", 4}, {"node-b", 4}};
        CHECK_PROBLEM(s, "node_count", "needs 3 hosts; compute_target.hosts lists 2");
        s.node_count = 2;
        CHECK_VALID(s);
    }
    SUBCASE("mpi on GPUs: one GPU per process") {
        auto s = mpi_spec(2, 3);
        s.use_gpu = true;
        s.target = target_with(2, 64);
        CHECK_PROBLEM(s, "process_count_per_node",
                      "exceeds compute_target.gpus_per_node = 2: each process needs its own GPU");
        s.process_count_per_node = 2;
        CHECK_VALID(s);
        // Fewer processes than GPUs: Horovod's one process per GPU would leave some idle.
        s.target = target_with(8, 64);
        s.process_count_per_node = 3;
        CHECK_PROBLEM(s, "process_count_per_node",
                      "uses 3 of the GPUs of compute_target.gpus_per_node = 8: Horovod runs one process per GPU, so 5 "
                      "would stay idle on every node; set process_count_per_node to 8");
    }
    SUBCASE("a known VM size carries its GPUs and CPUs") {
        auto s = mpi_spec(1, 4);
        s.target.reset();
        s.vm_size = "Standard_NC6";  // 6 vCPUs, 1 GPU
        s.use_gpu = true;
        CHECK_PROBLEM(s, "process_count_per_node",
                      "exceeds vm_size \"Standard_NC6\" (1 GPU): each process needs its own GPU");
        s.vm_size = "standard_nc24";  // Azure reads sizes without regard to case: 4 GPUs
        CHECK_VALID(s);
        s.use_gpu = false;
        s.process_count_per_node = 8;
        s.vm_size = "Standard_NC6";
        CHECK_PROBLEM(s, "process_count_per_node",
                      "exceeds vm_size \"Standard_NC6\" (6 vCPUs): each process needs its own CPU");
        s.vm_size = "Standard_D4s_v3";  // not known: not checked
        CHECK_VALID(s);
    }
    SUBCASE("mpi on CPUs: one CPU slot per process") {
        auto s = mpi_spec(2, 5);
        s.target = target_with(0, 4);
        CHECK_PROBLEM(s, "process_count_per_node", "exceeds compute_target.cpus_per_node = 4");
        s.process_count_per_node = 4;
        CHECK_VALID(s);
    }
    SUBCASE("ps on CPUs: tasks <= nodes x cpus_per_node") {
        auto s = ps_spec(3, 2);  // 5 tasks
        s.node_count = 2;
        s.target = target_with(0, 2);  // 2 x 2 = 4 slots
        CHECK_PROBLEM(s, "worker_count", "5 tasks do not fit 2 node(s) of compute_target.cpus_per_node = 2: 4 slots");
        s.target->cpus_per_node = 3;  // 6 slots
        CHECK_VALID(s);
    }
    SUBCASE("ps on GPUs: computing tasks <= nodes x gpus_per_node; parameter servers need no GPU") {
        auto s = ps_spec(5, 1);  // 5 GPU tasks, 1 ps
        s.node_count = 2;
        s.use_gpu = true;
        s.target = target_with(2, 64);  // 4 GPU slots, CPUs plenty
        CHECK_PROBLEM(s, "worker_count",
                      "5 GPU tasks do not fit 2 node(s) of compute_target.gpus_per_node = 2: 4 slots");
        s.worker_count = 4;
        CHECK_VALID(s);
    }
    SUBCASE("tasks must fit the slots of the listed hosts") {
        auto s = mpi_spec(2, 2);  // 4 ranks
        s.target->hosts = {{"node-a", 1}, {"node-b", 2}, {"node-c", 8}};
        CHECK_PROBLEM(s, "process_count_per_node", "4 tasks do not fit the 3 slots of the first 2 host(s)");
        s.target->hosts[0].slots = 2;
        CHECK_VALID(s);

        auto p = ps_spec(2, 1);  // 3 tasks
        p.node_count = 1;
        p.target->hosts = {{"node-a", 2}};
        CHECK_PROBLEM(p, "worker_count", "3 tasks do not fit the 2 slots of the first 1 host(s)");
        p.target->hosts[0].slots = 3;
        CHECK_VALID(p);
    }
}

TEST_CASE("framework_version") {
    SUBCASE("unsupported versions list the supported ones") {
        auto s = base_spec();
        for (const char* bad : {"1.11", "2.21", "3.0", "2", "2.0.0", ""}) {
            CAPTURE(bad);
            s.framework_version = bad;
            CHECK_PROBLEM(s, "framework_version",
                          "unsupported; supported versions: 1.10, 1.12, 1.13, 1.14, 1.15, 2.0,");
            CHECK_PROBLEM(s, "framework_version", "2.19, 2.20");
        }
        for (const char* good : {"1.10", "1.13", "2.0", "2.2", "2.10", "2.20"}) {
            CAPTURE(good);
            s.framework_version = good;
            CHECK_VALID(s);
        }
    }
    SUBCASE("multi_worker needs TensorFlow 2") {
        auto m = multi_worker_spec(2);
        m.framework_version = "1.15";
        CHECK_PROBLEM(m, "framework_version", "needs TensorFlow 2.0 or later");
        m.framework_version = "2.0";
        CHECK_VALID(m);
        m.framework_version.reset();  // the default is a 2.x release
        CHECK_VALID(m);
        // An unsupported version is reported once, as unsupported.
        m.framework_version = "1.11";
        const auto found = validate(m);
        INFO(listing(found));
        CHECK(count_at(found, "framework_version") == 1);
        CHECK(find_problem(found, "framework_version", "unsupported") != nullptr);
        // 1.x is fine for the other backends.
        auto s = mpi_spec(2, 1);
        s.framework_version = "1.13";
        CHECK_VALID(s);
    }
}

TEST_CASE("paths relative to source_directory") {
    SUBCASE("entry_script") {
        auto s = base_spec();
        for (const char* bad : {"/abs/train.py", "\\abs\\train.py"}) {
            CAPTURE(bad);
            s.entry_script = bad;
            CHECK_PROBLEM(s, "entry_script", "must be relative to source_directory");
        }
        for (const char* bad : {"../train.py", "a/../../train.py", "..", "a/.."}) {
            CAPTURE(bad);
            s.entry_script = bad;
            CHECK_PROBLEM(s, "entry_script", "must stay inside source_directory (no '..')");
        }
        for (const char* good : {"scripts/train.py", "..train.py", "a/..b/train.py", "./train.py"}) {
            CAPTURE(good);
            s.entry_script = good;
            CHECK_VALID(s);
        }
    }
    SUBCASE("conda_dependencies_file and pip_requirements_file") {
        auto s = base_spec();
        s.conda_dependencies_file = "/etc/env.yml";
        s.pip_requirements_file = "../requirements.txt";
        CHECK_PROBLEM(s, "conda_dependencies_file", "must be relative to source_directory");
        s.conda_dependencies_file.reset();
        CHECK_PROBLEM(s, "pip_requirements_file", "no '..'");
        s.pip_requirements_file = "";
        CHECK_PROBLEM(s, "pip_requirements_file", "must not be empty");
        s.pip_requirements_file = "env/requirements.txt";
        CHECK_VALID(s);
        s.pip_requirements_file.reset();
        s.conda_dependencies_file = "";
        CHECK_PROBLEM(s, "conda_dependencies_file", "must not be empty");
        s.conda_dependencies_file = "environment.yml";
        CHECK_VALID(s);
    }
    SUBCASE("values a program would read as an option") {
        auto s = base_spec();
        for (const char* bad : {"-cimport os;os.system('id')", "--help", "-", "-m http.server"}) {
            CAPTURE(bad);
            s.entry_script = bad;
            CHECK_PROBLEM(s, "entry_script", "must not start with '-': python would read it as an option");
        }
        s = base_spec();
        s.source_directory = "--privileged";
        CHECK_PROBLEM(s, "source_directory", "must not start with '-'");
        s = base_spec();
        s.pip_requirements_file = "--index-url=http://127.0.0.1:9/simple";
        CHECK_PROBLEM(s, "pip_requirements_file", "must not start with '-': pip would read it as an option");
        s.pip_requirements_file.reset();
        s.conda_dependencies_file = "-n";
        CHECK_PROBLEM(s, "conda_dependencies_file", "must not start with '-': conda would read it as an option");
        s.conda_dependencies_file = "env/-n.yml";
        CHECK_VALID(s);
    }
    SUBCASE("source_directory stays inside the project") {
        // Mounted into containers and uploaded as Azure ML's code: a spec
        // from elsewhere must not name the file system (docs/security.md).
        auto s = base_spec();
        for (const char* bad : {"/", "/var/run", "/home/user/project", "\\server\\share"}) {
            CAPTURE(bad);
            s.source_directory = bad;
            CHECK_PROBLEM(s, "source_directory", "must be relative to the project (the working directory)");
        }
        for (const char* bad : {"..", "../../..", "a/../../b", "a/..", "src/../.."}) {
            CAPTURE(bad);
            s.source_directory = bad;
            CHECK_PROBLEM(s, "source_directory", "must stay inside the project (the working directory) (no '..')");
        }
        for (const char* good : {".", "./src", "src/tf", "..src", "a/..b"}) {
            CAPTURE(good);
            s.source_directory = good;
            CHECK_VALID(s);
        }
    }
    SUBCASE("writable_source_directory: onnx_export writes there") {
        auto s = base_spec();
        s.writable_source_directory = false;
        CHECK_VALID(s);
        s.onnx_export = onnx_export_settings{};
        CHECK_PROBLEM(s, "writable_source_directory",
                      "onnx_export writes its SavedModel and ONNX file into the source directory; it must be writable");
        s.writable_source_directory.reset();
        CHECK_VALID(s);
        CHECK(effective_writable_source_directory(s));
        s.onnx_export.reset();
        CHECK_FALSE(effective_writable_source_directory(s));
    }
    SUBCASE("NUL bytes") {
        auto s = base_spec();
        s.source_directory = std::string("src\0x", 5);
        CHECK_PROBLEM(s, "source_directory", "must not contain NUL");
    }
    SUBCASE("control characters in paths") {
        // A line break would split the launchers' line-based files and logs.
        for (const char* bad : {"src\nx", "src\tx", "src\rx", "src\x7f"}) {
            CAPTURE(bad);
            auto s = base_spec();
            s.source_directory = bad;
            CHECK_PROBLEM(s, "source_directory", "must not contain NUL or other control characters");
            s = base_spec();
            s.entry_script = std::string("scripts/") + bad + ".py";
            CHECK_PROBLEM(s, "entry_script", "must not contain NUL or other control characters");
        }
    }
}

TEST_CASE("package lists") {
    for (const char* field : {"conda_packages", "pip_packages"}) {
        CAPTURE(field);
        const std::string f(field);
        auto with = [&](std::vector<std::string> list) {
            auto s = base_spec();
            (f == "conda_packages" ? s.conda_packages : s.pip_packages) = std::move(list);
            return s;
        };
        CHECK_PROBLEM(with({"numpy", ""}), f + "[1]", "must name a package");
        CHECK_PROBLEM(with({"   "}), f + "[0]", "must name a package");
        CHECK_PROBLEM(with({" numpy"}), f + "[0]", "must not start or end with a space");
        CHECK_PROBLEM(with({"numpy", "scipy\nmatplotlib"}), f + "[1]", "must not contain control characters");
        CHECK_PROBLEM(with({"a\tb"}), f + "[0]", "must not contain control characters");
        CHECK_PROBLEM(with({"numpy", "scipy", "numpy"}), f + "[2]", "duplicates " + f + "[0]");
        CHECK_VALID(with({"numpy==1.26.4", "scikit-learn", "tensorflow-datasets>=4.9"}));
    }
}

TEST_CASE("pip_packages entries are PEP 508 requirements") {
    auto with = [](std::vector<std::string> list) {
        auto s = base_spec();
        s.pip_packages = std::move(list);
        return s;
    };
    const std::string rule =
        "must be a package requirement (PEP 508): name, extras, version, markers; pip options are not accepted";
    for (const char* bad :
         {"--index-url http://127.0.0.1:9/simple", "--extra-index-url=http://x/simple", "-r /etc/passwd",
          "-e git+https://example.com/x.git#egg=x", "-c constraints.txt", "-", "http://example.com/x.whl", "./local",
          "foo bar", "foo;", "foo==", "foo -i http://x", "foo; os_name == 'a' --hash=sha256:00",
          "f\xc3\xa9"
          "e"}) {
        CAPTURE(bad);
        CHECK_PROBLEM(with({"numpy", bad}), "pip_packages[1]", rule);
    }
    CHECK_PROBLEM(with({"foo @ http://127.0.0.1:9/foo.whl"}), "pip_packages[0]",
                  "direct references are not accepted; put them in pip_requirements_file");
    CHECK_PROBLEM(with({"foo [gpu] @ file:///tmp/foo.whl ; os_name == 'posix'"}), "pip_packages[0]",
                  "direct references are not accepted");
    CHECK_PROBLEM(with({"foo; os_name == '\\x41'"}), "pip_packages[0]", "must not hold a backslash");
    CHECK_PROBLEM(with({"foo bar"}), "pip_packages[0]", "(it stops being one at character 5)");
    CHECK_VALID(
        with({"numpy>=1.20,<2", "tf-keras~=2.15.0", "horovod[tensorflow]==0.28.1", "pandas==2.*", "requests (>=2.31)",
              "uvloop; sys_platform != 'win32' and python_version >= '3.8'", "pkg===anything"}));
}

TEST_CASE("conda_packages entries are conda package specs") {
    auto with = [](std::vector<std::string> list) {
        auto s = base_spec();
        s.conda_packages = std::move(list);
        return s;
    };
    for (const char* bad : {"--override-channels", "-c", "-cconda-forge", "--channel=http://127.0.0.1:9/x",
                            "https://example.com/x.tar.bz2", "./local/x.conda", "/abs/pkg", "numpy[version='>=1']",
                            "numpy #comment", "numpy  1.2", "numpy 1.2 py3 extra", "http://x::numpy", "-x::numpy",
                            "numpy=1.2;rm", "'numpy'", "num$py", "n\xc3\xbcmpy"}) {
        CAPTURE(bad);
        CHECK_PROBLEM(with({bad}), "conda_packages[0]", "must be a conda package spec: [channel::]name");
    }
    CHECK_VALID(with({"numpy", "scipy=1.11", "pandas>=2.0,<3", "cudatoolkit 11.8.*", "python 3.11.* *_cpython",
                      "conda-forge::mpi4py", "nvidia/linux-64::cuda-nvcc", "_libgcc_mutex",
                      "libstdcxx-ng=13.2.0=h7e041cc_5", "pytorch>=2|<1"}));
}

TEST_CASE("images must not read as options") {
    auto s = base_spec();
    s.custom_docker_image = "--privileged";
    CHECK_PROBLEM(s, "custom_docker_image", "must not start with '-': docker");
    s.custom_docker_image.reset();
    s.image_registry = "--pid=host";
    CHECK_PROBLEM(s, "image_registry", "must not start with '-'");
}

TEST_CASE("conda_dependencies_file conflicts with other package options") {
    auto s = base_spec();
    s.conda_dependencies_file = "environment.yml";
    CHECK_VALID(s);
    s.conda_packages = {"numpy"};
    CHECK_PROBLEM(s, "conda_dependencies_file", "conflicts with conda_packages");
    s.conda_packages.clear();
    s.pip_packages = {"keras"};
    CHECK_PROBLEM(s, "conda_dependencies_file", "conflicts with pip_packages");
    s.pip_packages.clear();
    s.pip_requirements_file = "requirements.txt";
    CHECK_PROBLEM(s, "conda_dependencies_file", "conflicts with pip_requirements_file");
    // pip packages and a pip requirements file together are fine without a conda file.
    s.conda_dependencies_file.reset();
    s.pip_packages = {"keras"};
    CHECK_VALID(s);
}

TEST_CASE("user_managed conflicts with every package option") {
    auto s = base_spec();
    s.user_managed = true;
    s.custom_docker_image = "myregistry.azurecr.io/team/tf:2.16";
    CHECK_VALID(s);
    auto with = s;
    with.conda_packages = {"numpy"};
    CHECK_PROBLEM(with, "user_managed", "conda_packages would be ignored");
    with = s;
    with.pip_packages = {"keras"};
    CHECK_PROBLEM(with, "user_managed", "pip_packages would be ignored");
    with = s;
    with.conda_dependencies_file = "environment.yml";
    CHECK_PROBLEM(with, "user_managed", "conda_dependencies_file would be ignored");
    with = s;
    with.pip_requirements_file = "requirements.txt";
    CHECK_PROBLEM(with, "user_managed", "pip_requirements_file would be ignored");
    // user_managed = false allows them.
    with.user_managed = false;
    CHECK_VALID(with);
}

TEST_CASE("custom_docker_image") {
    SUBCASE("needs docker") {
        auto s = base_spec();
        s.custom_docker_image = "tensorflow/tensorflow:2.16.1-gpu";
        CHECK_VALID(s);
        s.use_docker = false;
        CHECK_PROBLEM(s, "custom_docker_image", "needs use_docker = true");
        s.use_docker = true;
        CHECK_VALID(s);
    }
    SUBCASE("syntax") {
        auto s = base_spec();
        s.custom_docker_image = "MyImage:1.0";
        CHECK_PROBLEM(s, "custom_docker_image", "the repository name must be lowercase");
        s.custom_docker_image = "myregistry.io/Team/image";
        CHECK_PROBLEM(s, "custom_docker_image", "the repository name must be lowercase");
        s.custom_docker_image = "image:-latest";
        CHECK_PROBLEM(s, "custom_docker_image", "a tag must not start with '.' or '-'");
        s.custom_docker_image = "image:la+test";
        CHECK_PROBLEM(s, "custom_docker_image", "a tag may only contain");
        s.custom_docker_image = "image:";
        CHECK_PROBLEM(s, "custom_docker_image", "a tag must have 1 to 128 characters");
        s.custom_docker_image = "image:" + std::string(129, 'a');
        CHECK_PROBLEM(s, "custom_docker_image", "a tag must have 1 to 128 characters");
        s.custom_docker_image = "";
        CHECK_PROBLEM(s, "custom_docker_image", "must not be empty");
        s.custom_docker_image = "image:" + std::string(128, 'a');
        CHECK_VALID(s);
        s.custom_docker_image = "localhost:5000/team/image:v1";
        CHECK_VALID(s);
    }
}

TEST_CASE("shm_size") {
    SUBCASE("Docker's syntax: a number > 0 and an optional unit b, k, m, g") {
        auto s = base_spec();
        for (const char* bad : {"0", "0g", "", "g", "2x", "-1g", "2.5g", "2gb", "2 g", "1t"}) {
            CAPTURE(bad);
            s.shm_size = bad;
            CHECK_PROBLEM(s, "shm_size", "must be a number greater than 0 with an optional unit b, k, m or g");
        }
        for (const char* good : {"2g", "512m", "1024", "64k", "100b", "8G", "256M"}) {
            CAPTURE(good);
            s.shm_size = good;
            CHECK_VALID(s);
        }
    }
    SUBCASE("needs docker") {
        auto s = base_spec();
        s.use_docker = false;
        s.shm_size = "2g";
        CHECK_PROBLEM(s, "shm_size", "needs use_docker = true");
        s.shm_size.reset();
        CHECK_VALID(s);
    }
}

TEST_CASE("environment_variables") {
    auto s = base_spec();
    SUBCASE("names") {
        for (const char* bad : {"1ABC", "MY-VAR", "MY.VAR", "", "A B", "A=B"}) {
            CAPTURE(bad);
            s.environment_variables = {{bad, "x"}};
            CHECK_PROBLEM(s, "environment_variables[\"" + std::string(bad) + "\"]", "the name must match");
        }
        s.environment_variables = {{"NCCL_DEBUG", "INFO"}, {"_private", ""}, {"a1", "2"}};
        CHECK_VALID(s);
    }
    SUBCASE("a name set twice") {
        s.environment_variables = {{"A", "1"}, {"B", "2"}, {"A", "3"}};
        const auto found = validate(s);
        INFO(listing(found));
        REQUIRE(count_at(found, "environment_variables[\"A\"]") == 1);
        CHECK(find_problem(found, "environment_variables[\"A\"]", "is set twice") != nullptr);
        CHECK(find_problem(found, "environment_variables[\"A\"]", "is set twice")->value == "\"3\"");
    }
    SUBCASE("names that change how the shell, the MPI launcher or Slurm run are refused") {
        for (const char* name :
             {"IFS", "BASH_ENV", "ENV", "CDPATH", "PS4", "SHELL", "OMPI_MCA_plm_rsh_agent", "OMPI_ALLOW_RUN_AS_ROOT",
              "PMIX_RANK", "PRTE_MCA_prte_launch_agent", "OMPI_MCA_mca_base_param_files", "HYDRA_LAUNCHER_EXEC",
              "MPIEXEC_TIMEOUT", "SLURM_JOB_ID", "SBATCH_ACCOUNT", "SRUN_CPUS_PER_TASK", "SALLOC_PARTITION"}) {
            CAPTURE(name);
            s.environment_variables = {{name, "x"}};
            CHECK_PROBLEM(s, "environment_variables[\"" + std::string(name) + "\"]", std::string(name) + " ");
        }
    }
    SUBCASE("names only the task may see are valid (the renderers keep them from the launchers)") {
        s.environment_variables = {{"PATH", "./src/bin:/usr/bin"},
                                   {"LD_PRELOAD", "/x.so"},
                                   {"LD_LIBRARY_PATH", "/usr/local/cuda/lib64"},
                                   {"HOROVOD_TIMELINE", "/t.json"},
                                   {"I_MPI_DEBUG", "5"},
                                   {"PYTHONPATH", "src"},
                                   {"HOME", "/home/x"},
                                   {"OMPI_MCA_btl", "self,tcp"},
                                   {"ENVIRONMENT", "prod"},
                                   {"MY_IFS", "x"}};
        CHECK_VALID(s);
    }
    SUBCASE("values without NUL") {
        s.environment_variables = {{"A", std::string("a\0b", 3)}};
        CHECK_PROBLEM(s, "environment_variables[\"A\"]", "must not contain NUL");
    }
    SUBCASE("TF_CONFIG belongs to trainspec in ps and multi_worker jobs") {
        auto p = ps_spec(2, 1);
        p.environment_variables = {{"TF_CONFIG", "{}"}};
        CHECK_PROBLEM(p, "environment_variables[\"TF_CONFIG\"]", "is written by trainspec");
        auto m = multi_worker_spec(2);
        m.environment_variables = {{"TF_CONFIG", "{}"}};
        CHECK_PROBLEM(m, "environment_variables[\"TF_CONFIG\"]", "is written by trainspec");
        auto mpi = mpi_spec(2, 1);
        mpi.environment_variables = {{"TF_CONFIG", "{}"}};
        CHECK_VALID(mpi);
        s.environment_variables = {{"TF_CONFIG", "{}"}};
        CHECK_VALID(s);
    }
}

TEST_CASE("script_params") {
    auto s = base_spec();
    SUBCASE("an empty key") {
        s.params = {{"", 1}};
        CHECK_PROBLEM(s, "script_params[\"\"]", "the key must not be empty");
    }
    SUBCASE("an empty list") {
        s.params = {{"--x", param_value::list{}}};
        CHECK_PROBLEM(s, "script_params[\"--x\"]", "a list needs at least one element");
        s.params = {{"--x", {1}}};
        CHECK_VALID(s);
    }
    SUBCASE("numbers must be finite") {
        for (double bad :
             {std::nan(""), std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()}) {
            CAPTURE(bad);
            s.params = {{"--lr", bad}};
            CHECK_PROBLEM(s, "script_params[\"--lr\"]", "a number must be finite");
            s.params = {{"--lrs", {0.1, bad}}};
            CHECK_PROBLEM(s, "script_params[\"--lrs\"]", "a number must be finite");
        }
        s.params = {{"--lr", 0.01}, {"--lrs", {0.1, 1e-300}}, {"--max", std::numeric_limits<double>::max()}};
        CHECK_VALID(s);
    }
    SUBCASE("a valid mix") {
        s.params = {{"--verbose", flag}, {"--name", ""}, {"--n", 0}, {"--b", false}, {"--x", 1}, {"--x", 2}};
        CHECK_VALID(s);
    }
}

TEST_CASE("text is UTF-8 (RFC 3629), as JSON holds it") {
    using detail::first_invalid_utf8;
    constexpr auto npos = std::string_view::npos;
    SUBCASE("sequences at the edges of RFC 3629") {
        for (const char* valid : {"", "plain", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf",
                                  "\xed\x9f\xbf", "\xee\x80\x80", "\xc2\x80", "\xdf\xbf"})
            CHECK_MESSAGE(first_invalid_utf8(valid) == npos, property_check::visible(valid));
        const std::pair<const char*, std::size_t> invalid[] = {
            {"a\x80", 1},                // a lone continuation byte
            {"\xc0\xaf", 0},             // overlong '/'
            {"\xc1\xbf", 0},             // overlong
            {"\xe0\x80\xaf", 0},         // overlong, three bytes
            {"\xf0\x80\x80\xaf", 0},     // overlong, four bytes
            {"ok\xed\xa0\x80", 2},       // a UTF-16 surrogate, U+D800
            {"\xed\xbf\xbf", 0},         // U+DFFF
            {"\xf4\x90\x80\x80", 0},     // U+110000, past Unicode
            {"\xf5\x80\x80\x80", 0},     // no such lead byte
            {"\xff", 0},                 //
            {"x\xe2\x82", 1},            // cut short
            {"\xe2\x28\xa1", 0},         // a continuation byte missing
            {"\xc3\xa9\xf0\x9f\x98", 2}  // valid, then cut short
        };
        for (const auto& entry : invalid) {
            INFO(property_check::visible(entry.first));
            CHECK(first_invalid_utf8(entry.first) == entry.second);
        }
    }
    SUBCASE("the same verdict as nlohmann/json's writer on random bytes") {
        // nlohmann's serializer checks UTF-8 with its own decoder and throws
        // type_error 316 for anything else.
        std::uint64_t state = 20261202;
        const auto next = [&state] { return state = state * 6364136223846793005ULL + 1442695040888963407ULL; };
        int valid = 0;
        for (int n = 0; n < 20000; ++n) {
            std::string text;
            const auto length = next() >> 61;
            for (std::uint64_t i = 0; i < length; ++i) {
                const auto r = next() >> 33;
                // Mostly lead and continuation bytes, where the rules are.
                text += static_cast<char>(r % 4 == 0 ? (r >> 8) % 0x80 : 0x80 + (r >> 8) % 0x80);
            }
            bool writes = true;
            try {
                (void)nlohmann::json(text).dump();
            } catch (const nlohmann::json::type_error&) {
                writes = false;
            }
            valid += writes ? 1 : 0;
            CHECK_MESSAGE((first_invalid_utf8(text) == npos) == writes, property_check::visible(text));
        }
        CHECK(valid > 2000);  // both verdicts are exercised
        CHECK(valid < 18000);
    }
    SUBCASE("validate() names the field; the JSON reader takes nothing else") {
        auto s = base_spec();
        s.params = {{"--name", "caf\xc3\xa9"}, {"--emoji", "\xf0\x9f\x98\x80"}};
        s.environment_variables = {{"GREETING", "gr\xc3\xbc\xc3\x9f"}};
        CHECK_VALID(s);
        problems read_problems;
        CHECK(read_spec(dump_spec(s), read_problems) == s);
        CHECK(read_problems.empty());
        s.params = {{"--name", "caf\xe9"}};
        CHECK_PROBLEM(s, "script_params[\"--name\"]", "is not UTF-8 text");
        s.params = {{"\xf6", 1}};
        CHECK_PROBLEM(s, "script_params[\"\xf6\"]", "is not UTF-8 text");
        s.params = {};
        s.environment_variables = {{"GREETING", "\xed\xa0\x80"}};
        CHECK_PROBLEM(s, "environment_variables[\"GREETING\"]", "is not UTF-8 text");
        s.environment_variables = {};
        s.entry_script = "tr\xe4in.py";
        CHECK_PROBLEM(s, "entry_script", "is not UTF-8 text");
    }
}

TEST_CASE("mpi settings") {
    auto s = mpi_spec(2, 2);
    auto with = [&s](auto change) {
        auto copy = s;
        mpi_settings m;
        change(m);
        copy.mpi = m;
        return copy;
    };
    SUBCASE("every setting together is valid") {
        CHECK_VALID(with([](mpi_settings& m) {
            m.flavor = mpi_flavor::openmpi;
            m.allow_run_as_root = run_as_root::flag;
            m.network_interface = "eth0";
            m.ssh_port = 2222;
            m.open_mpi_major = 5;
            m.bind_to = std::optional<std::string>("core");
            m.map_by = std::optional<std::string>();
            m.mca = {{"btl", std::nullopt}, {"pml", "ucx"}};
            m.extra_args = {"--report-bindings"};
            m.command_prefix = std::vector<std::string>{"python3", "-u"};
            m.trusted_launcher_settings = true;
        }));
        CHECK_VALID(with([](mpi_settings&) {}));
    }
    SUBCASE("only for mpi jobs") {
        auto p = ps_spec(2, 1);
        p.mpi = mpi_settings{};
        CHECK_PROBLEM(p, "mpi", "applies only to distributed_backend \"mpi\" (backend is \"ps\")");
        auto single = base_spec();
        single.mpi = mpi_settings{};
        CHECK_PROBLEM(single, "mpi", "(backend is none)");
        auto m = multi_worker_spec(2);
        m.mpi = mpi_settings{};
        m.mpi->ssh_port = 0;
        const auto found = validate(m);
        INFO(listing(found));
        CHECK(found.size() == 1);  // the rest of mpi is not checked
    }
    SUBCASE("network_interface: [A-Za-z0-9_.:-]+") {
        for (const char* bad : {"", "eth 0", "eth0;", "eth/0", "eth0\n", "ib@0"}) {
            CAPTURE(bad);
            CHECK_PROBLEM(with([&](mpi_settings& m) { m.network_interface = bad; }), "mpi.network_interface",
                          "must be a network interface name");
        }
        for (const char* good : {"eth0", "ib0", "enp3s0f1", "bond0.100", "eth0:1", "br-lan", "wg_0"}) {
            CAPTURE(good);
            CHECK_VALID(with([&](mpi_settings& m) { m.network_interface = good; }));
        }
    }
    SUBCASE("network_interface: at most 15 characters") {
        CHECK_VALID(with([](mpi_settings& m) { m.network_interface = "enp129s0f1np1v1"; }));
        CHECK_PROBLEM(with([](mpi_settings& m) { m.network_interface = "enp129s0f1np1v12"; }), "mpi.network_interface",
                      "has 16 characters; a network interface name has at most 15");
    }
    SUBCASE("network_interface and NCCL_SOCKET_IFNAME in environment_variables") {
        s.environment_variables = {{"NCCL_SOCKET_IFNAME", "eth1"}};
        CHECK_PROBLEM(with([](mpi_settings& m) { m.network_interface = "eth0"; }), "mpi.network_interface",
                      "also sets NCCL_SOCKET_IFNAME");
        CHECK_VALID(with([](mpi_settings&) {}));
    }
    SUBCASE("ssh_port: 1-65535") {
        for (int bad : {0, -1, 65536}) {
            CAPTURE(bad);
            CHECK_PROBLEM(with([&](mpi_settings& m) { m.ssh_port = bad; }), "mpi.ssh_port",
                          "must be a TCP port, 1-65535");
        }
        for (int good : {1, 22, 65535}) CHECK_VALID(with([&](mpi_settings& m) { m.ssh_port = good; }));
    }
    SUBCASE("ssh_port: not with MPICH") {
        CHECK_PROBLEM(with([](mpi_settings& m) {
                          m.flavor = mpi_flavor::mpich;
                          m.ssh_port = 2222;
                      }),
                      "mpi.ssh_port", "MPICH's mpiexec cannot pass ssh arguments");
        for (auto f : {mpi_flavor::openmpi, mpi_flavor::intel, mpi_flavor::horovodrun})
            CHECK_VALID(with([&](mpi_settings& m) {
                m.flavor = f;
                m.ssh_port = 2222;
            }));
    }
    SUBCASE("open_mpi_major: 4 or 5") {
        for (int bad : {0, 3, 6}) {
            CAPTURE(bad);
            CHECK_PROBLEM(with([&](mpi_settings& m) { m.open_mpi_major = bad; }), "mpi.open_mpi_major",
                          "must be 4 or 5");
        }
        for (int good : {4, 5}) CHECK_VALID(with([&](mpi_settings& m) { m.open_mpi_major = good; }));
    }
    SUBCASE("open_mpi_major: Open MPI only") {
        CHECK_PROBLEM(with([](mpi_settings& m) {
                          m.flavor = mpi_flavor::mpich;
                          m.open_mpi_major = 5;
                      }),
                      "mpi.open_mpi_major", "applies only to flavor \"openmpi\" (flavor is \"mpich\")");
        CHECK_VALID(with([](mpi_settings& m) {
            m.flavor = mpi_flavor::openmpi;
            m.open_mpi_major = 5;
        }));
    }
    SUBCASE("bind_to and map_by: one word") {
        CHECK_PROBLEM(with([](mpi_settings& m) { m.bind_to = std::optional<std::string>(""); }), "mpi.bind_to",
                      "must not be empty; null leaves the flag out");
        for (const auto& bad : {std::string("core socket"), std::string("core\t"), std::string("co\0re", 5)}) {
            CAPTURE(bad);
            CHECK_PROBLEM(with([&](mpi_settings& m) { m.bind_to = std::optional<std::string>(bad); }), "mpi.bind_to",
                          "must be one word");
        }
        CHECK_PROBLEM(with([](mpi_settings& m) { m.map_by = std::optional<std::string>("ppr:2 :node"); }), "mpi.map_by",
                      "must be one word");
        CHECK_PROBLEM(with([](mpi_settings& m) { m.map_by = std::optional<std::string>(std::string("a\0b", 3)); }),
                      "mpi.map_by", "must be one word");
        CHECK_VALID(with([](mpi_settings& m) {
            m.bind_to = std::optional<std::string>("core");
            m.map_by = std::optional<std::string>("ppr:2:node:PE=4");
        }));
        CHECK_VALID(with([](mpi_settings& m) {
            m.bind_to = std::optional<std::string>();
            m.map_by = std::optional<std::string>();
        }));
    }
    SUBCASE("bind_to and map_by: not for Intel MPI or horovodrun") {
        CHECK_PROBLEM(with([](mpi_settings& m) {
                          m.flavor = mpi_flavor::intel;
                          m.bind_to = std::optional<std::string>("core");
                      }),
                      "mpi.bind_to", "Intel MPI gets no binding arguments");
        CHECK_PROBLEM(with([](mpi_settings& m) {
                          m.flavor = mpi_flavor::horovodrun;
                          m.map_by = std::optional<std::string>("socket");
                      }),
                      "mpi.map_by", "horovodrun applies Horovod's binding itself");
        // Removing the default is fine everywhere; MPICH takes values.
        for (auto f : {mpi_flavor::intel, mpi_flavor::horovodrun})
            CHECK_VALID(with([&](mpi_settings& m) {
                m.flavor = f;
                m.bind_to = std::optional<std::string>();
            }));
        CHECK_VALID(with([](mpi_settings& m) {
            m.flavor = mpi_flavor::mpich;
            m.bind_to = std::optional<std::string>("core");
        }));
    }
    SUBCASE("mca: parameter names") {
        for (const char* bad : {"", "btl-tcp", "btl tcp", "btl.if"}) {
            CAPTURE(bad);
            CHECK_PROBLEM(with([&](mpi_settings& m) {
                              m.mca = {{bad, "x"}};
                          }),
                          "mpi.mca[\"" + std::string(bad) + "\"]", "an MCA parameter name has only letters, digits");
        }
        CHECK_VALID(with([](mpi_settings& m) { m.mca = {{"btl_tcp_if_exclude", "lo,docker0"}}; }));
    }
    SUBCASE("mca: a parameter set twice") {
        CHECK_PROBLEM(with([](mpi_settings& m) {
                          m.mca = {{"btl", "tcp"}, {"pml", "ob1"}, {"btl", std::nullopt}};
                      }),
                      "mpi.mca[\"btl\"]", "is set twice");
        CHECK_VALID(with([](mpi_settings& m) { m.mca = {{"btl", "tcp"}, {"pml", std::nullopt}}; }));
    }
    SUBCASE("mca: values") {
        CHECK_PROBLEM(with([](mpi_settings& m) {
                          m.mca = {{"btl", ""}};
                      }),
                      "mpi.mca[\"btl\"]", "must not be empty (to remove a parameter, leave it out, or null in a spec)");
        for (const char* bad : {"a\"b", "`id`", "$HOME", "a\\b", "a\nb"}) {
            CAPTURE(bad);
            CHECK_PROBLEM(with([&](mpi_settings& m) {
                              m.mca = {{"btl", bad}};
                          }),
                          "mpi.mca[\"btl\"]", "Open MPI passes MCA values to remote daemons in double quotes");
        }
        CHECK_VALID(with([](mpi_settings& m) {
            m.mca = {{"btl", "^openib,vader"}, {"plm_rsh_args", "-p 2222"}};  // ssh's arguments: trusted
            m.trusted_launcher_settings = true;
        }));
    }
    SUBCASE("mca: Open MPI only, but removing is fine everywhere") {
        for (auto f : {mpi_flavor::mpich, mpi_flavor::intel, mpi_flavor::horovodrun}) {
            CAPTURE(enum_name(f));
            CHECK_PROBLEM(with([&](mpi_settings& m) {
                              m.flavor = f;
                              m.mca = {{"btl", "tcp"}};
                          }),
                          "mpi.mca[\"btl\"]", "MCA parameters are Open MPI's; flavor");
            CHECK_VALID(with([&](mpi_settings& m) {
                m.flavor = f;
                m.mca = {{"btl", std::nullopt}};
            }));
        }
    }
    SUBCASE("mca: a parameter another setting writes (the words mpirun_command() uses)") {
        CHECK_PROBLEM(with([](mpi_settings& m) {
                          m.network_interface = "eth0";
                          m.mca = {{"btl_tcp_if_include", "eth1"}};
                      }),
                      "mpi.mca[\"btl_tcp_if_include\"]",
                      "is also written by network_interface; set one of them (erase the MCA key)");
        CHECK_PROBLEM(with([](mpi_settings& m) {
                          m.ssh_port = 2222;
                          m.mca = {{"plm_rsh_args", "-p 22"}};
                          m.trusted_launcher_settings = true;
                      }),
                      "mpi.mca[\"plm_rsh_args\"]", "is also written by ssh_port");
        CHECK_PROBLEM(with([](mpi_settings& m) {
                          m.open_mpi_major = 5;
                          m.ssh_port = 2222;
                          m.mca = {{"plm_ssh_args", "-p 22"}};
                          m.trusted_launcher_settings = true;
                      }),
                      "mpi.mca[\"plm_ssh_args\"]", "is also written by ssh_port");
        // Removing the parameter (null) is no conflict.
        CHECK_VALID(with([](mpi_settings& m) {
            m.network_interface = "eth0";
            m.mca = {{"btl_tcp_if_include", std::nullopt}};
        }));
    }
    SUBCASE("mca: an include list and an exclude list of TCP interfaces") {
        CHECK_PROBLEM(with([](mpi_settings& m) {
                          m.network_interface = "eth0";
                          m.mca = {{"btl_tcp_if_exclude", "lo"}};
                      }),
                      "mpi.mca[\"btl_tcp_if_exclude\"]", "network_interface sets btl_tcp_if_include");
        CHECK_PROBLEM(with([](mpi_settings& m) {
                          m.mca = {{"btl_tcp_if_include", "eth0"}, {"btl_tcp_if_exclude", "lo"}};
                      }),
                      "mpi.mca[\"btl_tcp_if_exclude\"]", "only one of btl_tcp_if_include and btl_tcp_if_exclude");
        CHECK_VALID(with([](mpi_settings& m) {
            m.network_interface = "eth0";
            m.mca = {{"btl_tcp_if_exclude", std::nullopt}};
        }));
        CHECK_VALID(with([](mpi_settings& m) { m.mca = {{"btl_tcp_if_exclude", "lo,docker0"}}; }));
    }
    SUBCASE("extra_args and command_prefix: no empty argument, no NUL") {
        CHECK_PROBLEM(with([](mpi_settings& m) {
                          m.extra_args = {"-v", ""};
                      }),
                      "mpi.extra_args[1]", "must not be empty");
        CHECK_PROBLEM(with([](mpi_settings& m) { m.extra_args = {std::string("a\0b", 3)}; }), "mpi.extra_args[0]",
                      "must not contain NUL");
        CHECK_PROBLEM(with([](mpi_settings& m) { m.command_prefix = std::vector<std::string>{""}; }),
                      "mpi.command_prefix[0]", "must not be empty");
        CHECK_PROBLEM(with([](mpi_settings& m) { m.command_prefix = std::vector<std::string>{std::string("p\0", 2)}; }),
                      "mpi.command_prefix[0]", "must not contain NUL");
        CHECK_VALID(with([](mpi_settings& m) {
            m.extra_args = {"--report-bindings", "two words"};
            m.command_prefix = std::vector<std::string>{};  // runs the entry script itself
            m.trusted_launcher_settings = true;
        }));
    }
    SUBCASE("settings that run programs need the spec's trust") {
        CHECK_PROBLEM(with([](mpi_settings& m) { m.extra_args = {"--report-bindings"}; }), "mpi.extra_args",
                      "\"trusted_launcher_settings\": true");
        CHECK_PROBLEM(with([](mpi_settings& m) { m.extra_args = {"--report-bindings"}; }), "mpi.extra_args",
                      "--trust-launcher-settings");
        CHECK_PROBLEM(with([](mpi_settings& m) {
                          m.command_prefix = std::vector<std::string>{"sh", "-c", "id"};
                      }),
                      "mpi.command_prefix", "is the program every rank runs");
        CHECK_PROBLEM(with([](mpi_settings& m) {
                          m.trusted_launcher_settings = false;
                          m.command_prefix = std::vector<std::string>{"python3"};
                      }),
                      "mpi.command_prefix", "trusted_launcher_settings");
        CHECK_VALID(with([](mpi_settings& m) { m.command_prefix = std::vector<std::string>{}; }));
        for (const char* name :
             {"plm_rsh_agent", "orte_launch_agent", "prte_launch_agent", "plm_ssh_args", "plm_rsh_args",
              "orte_fork_agent", "mca_base_param_files", "mca_base_env_list", "orte_tmpdir_base", "plm_rsh_chdir",
              "mca_base_component_path", "orte_xterm", "hwloc_base_topo_file", "opal_stacktrace_output"}) {
            CAPTURE(name);
            const auto path = "mpi.mca[\"" + std::string(name) + "\"]";
            CHECK_PROBLEM(with([name](mpi_settings& m) {
                              m.mca = {{name, "sh -c touch\t/tmp/x"}};
                          }),
                          path, "names a program, its arguments, a path or variables");
            CHECK_VALID(with([name](mpi_settings& m) {
                m.mca = {{name, "/usr/bin/ssh"}};
                m.trusted_launcher_settings = true;
            }));
            CHECK_VALID(with([name](mpi_settings& m) { m.mca = {{name, std::nullopt}}; }));  // removing is safe
        }
        for (const char* name : {"btl", "pml", "btl_tcp_if_include", "plm_rsh_no_tree_spawn", "coll_tuned_priority"}) {
            CAPTURE(name);
            CHECK_VALID(with([name](mpi_settings& m) { m.mca = {{name, "x"}}; }));
        }
    }
    SUBCASE("MCA parameters and variables inside extra_args follow mpi.mca's rules, even when trusted") {
        const auto trusted = [&with](std::vector<std::string> args) {
            return with([&args](mpi_settings& m) {
                m.extra_args = args;
                m.trusted_launcher_settings = true;
            });
        };
        for (const char* flag : {"-mca", "--mca", "-gmca", "--gmca", "-prtemca", "--prtemca", "--omca", "--pmixmca"}) {
            CAPTURE(flag);
            CHECK_PROBLEM(trusted({flag, "btl_tcp_if_include", "eth0$(touch /tmp/x)"}), "mpi.extra_args[2]",
                          "double quotes");
            CHECK_PROBLEM(trusted({flag, "btl_tcp_if_include", "a`id`"}), "mpi.extra_args[2]", "double quotes");
            CHECK_PROBLEM(trusted({flag, "btl;id", "x"}), "mpi.extra_args[1]", "an MCA parameter name");
            CHECK_VALID(trusted({flag, "plm_rsh_agent", "ssh -x"}));  // trusted: names a program
        }
        CHECK_PROBLEM(trusted({"-x", "A=$(id)"}), "mpi.extra_args[1]", "double quotes");
        CHECK_PROBLEM(trusted({"-x", "LD_PRELOAD=/x.so", "-x", "OMPI_MCA_plm_rsh_agent=sh"}), "mpi.extra_args[3]",
                      "OMPI_MCA_plm_rsh_agent sets the MCA parameter plm_rsh_agent");
        CHECK_PROBLEM(trusted({"-x", "A-B=1"}), "mpi.extra_args[1]", "the name must match");
        CHECK_PROBLEM(trusted({"--mca=btl", "tcp"}), "mpi.extra_args[0]", "as the next word");
        CHECK_VALID(trusted({"-x", "LD_PRELOAD=/x.so", "-x", "NCCL_DEBUG", "--mca", "btl", "tcp,self"}));
    }
}

TEST_CASE("name: DNS-1035 label") {
    auto s = base_spec();
    for (const std::string& bad :
         {std::string("Tf-mnist"), std::string("1job"), std::string("job-"), std::string("-job"),
          std::string("tf_mnist"), std::string("tf.mnist"), std::string(""), std::string(64, 'a')}) {
        CAPTURE(bad);
        s.name = bad;
        CHECK_PROBLEM(s, "name", "must be a DNS-1035 label");
    }
    for (const std::string& good :
         {std::string("tf-mnist"), std::string("a"), std::string("job-2"), std::string("a--b"), std::string(63, 'a')}) {
        CAPTURE(good);
        s.name = good;
        CHECK_VALID(s);
    }
}

TEST_CASE("name: derived resource names fit 63 characters") {
    // Kubernetes names each task's Service `<job>-<type>-<index>` and the MPI
    // launcher `<job>-launcher`; each must be a DNS-1035 label (<= 63).
    SUBCASE("ps: <name>-worker-11 of a 56-character name") {
        auto s = ps_spec(12, 1);
        s.name = std::string(56, 'n');
        // 56 + len("-worker-") 8 + len("11") 2 = 66
        CHECK_PROBLEM(s, "name",
                      "the derived resource name \"" + *s.name +
                          "-worker-11\" has 66 characters; Kubernetes allows "
                          "at most 63");
    }
    SUBCASE("ps: the boundary at 63") {
        auto s = ps_spec(10, 1);
        s.name = std::string(54, 'n');  // 54 + len("-worker-9") 9 = 63
        CHECK_VALID(s);
        s.worker_count = 11;  // 54 + len("-worker-10") 10 = 64
        CHECK_PROBLEM(s, "name", "has 64 characters");
    }
    SUBCASE("ps: chief and evaluator") {
        auto s = ps_spec(1, 1);
        s.name = std::string(52, 'n');  // 52 + len("-evaluator-0") 12 = 64
        s.evaluator_count = 1;
        CHECK_PROBLEM(s, "name", "-evaluator-0\" has 64 characters");
        s.evaluator_count = 0;
        s.chief_count = 1;  // 52 + len("-chief-0") 8 = 60
        CHECK_VALID(s);
    }
    SUBCASE("ps: parameter servers") {
        auto s = ps_spec(1, 100000);
        s.name = std::string(54, 'n');  // 54 + len("-ps-99999") 9 = 63; "-worker-0" 9 = 63
        CHECK_VALID(s);
        s.parameter_server_count = 100001;  // 54 + len("-ps-100000") 10 = 64
        CHECK_PROBLEM(s, "name", "-ps-100000\" has 64 characters");
    }
    SUBCASE("mpi: <name>-launcher") {
        auto s = mpi_spec(2, 1);
        s.name = std::string(54, 'n');  // 54 + len("-launcher") 9 = 63; "-worker-1" 9 = 63
        CHECK_VALID(s);
        s.name = std::string(55, 'n');
        CHECK_PROBLEM(s, "name", "-launcher\" has 64 characters");
    }
    SUBCASE("multi_worker: <name>-worker-<n-1>") {
        auto s = multi_worker_spec(100);
        s.name = std::string(53, 'n');  // 53 + len("-worker-99") 10 = 63
        CHECK_VALID(s);
        s.name = std::string(54, 'n');
        CHECK_PROBLEM(s, "name", "-worker-99\" has 64 characters");
    }
    SUBCASE("single node: no derived names") {
        auto s = base_spec();
        s.name = std::string(63, 'n');
        CHECK_VALID(s);
    }
}

TEST_CASE("validation collects every problem at once") {
    auto s = base_spec();
    s.source_directory.clear();                     // 1
    s.framework_version = "3.0";                    // 2
    s.shm_size = "big";                             // 3
    s.conda_packages = {"numpy", ""};               // 4
    s.environment_variables = {{"1BAD", "value"}};  // 5
    const auto found = validate(s);
    INFO(listing(found));
    REQUIRE(found.size() == 5);
    CHECK(find_problem(found, "source_directory", "is required") != nullptr);
    CHECK(find_problem(found, "framework_version", "unsupported") != nullptr);
    CHECK(find_problem(found, "shm_size", "must be a number") != nullptr);
    CHECK(find_problem(found, "conda_packages[1]", "must name a package") != nullptr);
    CHECK(find_problem(found, "environment_variables[\"1BAD\"]", "the name must match") != nullptr);

    // make_job reports the same problems.
    try {
        (void)make_job(s);
        FAIL("make_job accepted an invalid spec");
    } catch (const validation_error& e) {
        CHECK(e.all() == found);
        CHECK(std::string(e.what()).rfind("invalid job: 5 problems\n", 0) == 0);
    }
}

TEST_CASE("make_job returns the alternative of the backend") {
    const auto single = make_job(base_spec());
    CHECK(std::holds_alternative<job<single_node>>(single));
    CHECK(backend_of(single) == backend_kind::single_node);

    const auto m = make_job(mpi_spec(2, 4));
    REQUIRE(std::holds_alternative<job<mpi>>(m));
    CHECK(std::get<job<mpi>>(m).process_count_per_node() == 4);
    CHECK(std::get<job<mpi>>(m).task_count() == 8);

    const auto p = make_job(ps_spec(3, 2));
    REQUIRE(std::holds_alternative<job<parameter_server>>(p));
    CHECK(std::get<job<parameter_server>>(p).worker_count() == 3);
    CHECK(std::get<job<parameter_server>>(p).parameter_server_count() == 2);
    CHECK(std::get<job<parameter_server>>(p).task_count() == 5);

    const auto w = make_job(multi_worker_spec(3));
    REQUIRE(std::holds_alternative<job<multi_worker>>(w));
    CHECK(std::get<job<multi_worker>>(w).worker_count() == 3);

    // An explicit single_node is the single-node alternative.
    auto explicit_single = base_spec();
    explicit_single.distributed_backend = backend_kind::single_node;
    CHECK(std::holds_alternative<job<single_node>>(make_job(explicit_single)));

    CHECK(spec_of(p) == ps_spec(3, 2));
}

TEST_CASE("make_job_as checks the backend") {
    CHECK(make_job_as<mpi>(mpi_spec(2, 1)).node_count() == 2);
    CHECK(make_job_as<single_node>(base_spec()).entry_script() == "train.py");

    SUBCASE("ps spec as mpi") {
        try {
            (void)make_job_as<mpi>(ps_spec(2, 1));
            FAIL("make_job_as<mpi> accepted a ps spec");
        } catch (const validation_error& e) {
            REQUIRE(e.all().size() == 1);
            CHECK(e.all()[0].path == "distributed_backend");
            CHECK(e.all()[0].value == "\"ps\"");
            CHECK(e.all()[0].rule == "must be \"mpi\" for this job type");
        }
    }
    SUBCASE("single-node spec as parameter_server") {
        CHECK_THROWS_WITH_AS((void)make_job_as<parameter_server>(base_spec()),
                             doctest::Contains("distributed_backend: must be \"ps\" for this job type"),
                             validation_error);
    }
    SUBCASE("mpi spec as single_node") {
        CHECK_THROWS_WITH_AS((void)make_job_as<single_node>(mpi_spec(1, 1)),
                             doctest::Contains("distributed_backend = \"mpi\": must be absent"), validation_error);
    }
    SUBCASE("a mismatch and a rule problem are listed together") {
        auto s = mpi_spec(0, 1);
        try {
            (void)make_job_as<multi_worker>(s);
            FAIL("make_job_as<multi_worker> accepted an invalid mpi spec");
        } catch (const validation_error& e) {
            INFO(listing(e.all()));
            CHECK(find_problem(e.all(), "node_count", "Node count should be at least 1.") != nullptr);
            CHECK(find_problem(e.all(), "distributed_backend", "must be \"multi_worker\"") != nullptr);
        }
    }
}
