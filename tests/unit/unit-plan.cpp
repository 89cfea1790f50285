// The cluster plan: each placement rule documented at the top of plan.hpp,
// checked against a task table written out by hand, and every error plan()
// reports.

#include <doctest/doctest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <trainspec/trainspec.hpp>

#include "test_support.hpp"

using namespace trainspec;
using test_support::base_spec;
using test_support::mpi_spec;
using test_support::multi_worker_spec;
using test_support::plan_of;
using test_support::ps_spec;

namespace {

plan_options on_hosts(std::string_view list) {
    plan_options options;
    options.hosts = parse_host_list(list);
    return options;
}

std::string gpu_text(const std::optional<std::vector<int>>& gpus) {
    if (!gpus) return "all";
    if (gpus->empty()) return "none";
    std::string text;
    for (int g : *gpus) text += (text.empty() ? "" : ",") + std::to_string(g);
    return text;
}

/// One line per task, in the order of tasks():
/// `type:index host:port rank=R local=L gpus=G` (gpus: all = unrestricted,
/// none = an empty list).
std::string table(const std::vector<host>& hosts, const std::vector<task>& tasks) {
    std::string text;
    for (const auto& t : tasks) {
        text += std::string(enum_name(t.type)) + ":" + std::to_string(t.index) + " " + hosts[t.host_index].name + ":" +
                std::to_string(t.port) + " rank=" + std::to_string(t.rank) + " local=" + std::to_string(t.local_rank) +
                " gpus=" + gpu_text(t.gpus) + "\n";
    }
    return text;
}

template <class Backend>
std::string table(const cluster<Backend>& c) {
    return table(c.hosts(), c.tasks());
}

/// The single problem plan() reports through `f`.
template <class F>
problem plan_failure(F f) {
    try {
        f();
        FAIL_CHECK("plan() accepted the job");
    } catch (const validation_error& e) {
        CHECK(e.all().size() == 1);
        if (!e.all().empty()) return e.all().front();
    }
    return {};
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("hosts: explicit hosts come before the compute target's") {
    auto s = ps_spec("train", 2, 2, 1);
    s.target->hosts = {{"t0", 4}, {"t1", 4}};
    const auto c = plan_of<parameter_server>(s, on_hosts("e0:4,e1:4"));
    CHECK(c.hosts() == std::vector<host>{{"e0", 4}, {"e1", 4}});
    CHECK(table(c) ==
          "worker:0 e0:2222 rank=0 local=0 gpus=all\n"
          "ps:0 e0:2223 rank=1 local=1 gpus=all\n"
          "worker:1 e1:2222 rank=2 local=0 gpus=all\n");
}

TEST_CASE("hosts: the compute target's hosts, the first node_count of them") {
    auto s = ps_spec("train", 2, 2, 1);
    s.target->hosts = {{"t0", 4}, {"t1", 4}, {"t2", 4}};
    const auto c = plan_of<parameter_server>(s);
    CHECK(c.hosts() == std::vector<host>{{"t0", 4}, {"t1", 4}});
    CHECK(table(c) ==
          "worker:0 t0:2222 rank=0 local=0 gpus=all\n"
          "ps:0 t0:2223 rank=1 local=1 gpus=all\n"
          "worker:1 t1:2222 rank=2 local=0 gpus=all\n");

    const auto explicit_three = plan_of<parameter_server>(ps_spec("train", 2, 2, 1), on_hosts("x:1,y:2,z:9"));
    CHECK(explicit_three.hosts() == std::vector<host>{{"x", 1}, {"y", 2}});
}

TEST_CASE("hosts: the local target is localhost with a slot per task") {
    auto s = ps_spec("train", 1, 2, 1);
    s.target = compute_target("local");
    const auto c = plan_of<parameter_server>(s);
    CHECK(c.hosts() == std::vector<host>{{"localhost", 3}});
    CHECK(table(c) ==
          "worker:0 localhost:2222 rank=0 local=0 gpus=all\n"
          "worker:1 localhost:2223 rank=1 local=1 gpus=all\n"
          "ps:0 localhost:2224 rank=2 local=2 gpus=all\n");
    // Explicit hosts still win over the local target.
    CHECK(plan_of<parameter_server>(s, on_hosts("box:3")).hosts() == std::vector<host>{{"box", 3}});
}

TEST_CASE("hosts: generated <job>-node-<i> names when nothing else is known") {
    // 4 tasks on 2 nodes: 2 slots each.
    const auto c = plan_of<parameter_server>(ps_spec("train", 2, 3, 1));
    CHECK(c.hosts() == std::vector<host>{{"train-node-0", 2}, {"train-node-1", 2}});
    CHECK(table(c) ==
          "worker:0 train-node-0:2222 rank=0 local=0 gpus=all\n"
          "worker:2 train-node-0:2223 rank=1 local=1 gpus=all\n"
          "worker:1 train-node-1:2222 rank=2 local=0 gpus=all\n"
          "ps:0 train-node-1:2223 rank=3 local=1 gpus=all\n");
    // mpi: process_count_per_node slots per generated host.
    auto m = mpi_spec("train", 2, 3);
    m.name = "hvd";
    CHECK(plan_of<mpi>(m).hosts() == std::vector<host>{{"hvd-node-0", 3}, {"hvd-node-1", 3}});
    // 5 tasks on 2 nodes: rounded up to 3 slots each.
    CHECK(plan_of<parameter_server>(ps_spec("train", 2, 3, 2)).hosts() ==
          std::vector<host>{{"train-node-0", 3}, {"train-node-1", 3}});
}

TEST_CASE("the seed parameter-server job: ps and worker share node 0 on 2223 and 2222") {
    // examples/specs/tf-ps-mnist.json: 2 nodes, 2 workers, 1 ps. Batch AI ran
    // a worker and a ps on one node, on ports 2222 and 2223.
    const auto job = load_job(R"({
        "apiVersion": "trainspec/v1",
        "name": "tf-ps-mnist",
        "source_directory": "./tf-distr-ps",
        "entry_script": "train.py",
        "script_params": {"--num_gpus": 1, "--train_steps": 500},
        "compute_target": "gpu-cluster",
        "node_count": 2,
        "distributed_backend": "ps",
        "worker_count": 2,
        "parameter_server_count": 1,
        "use_gpu": true,
        "framework_version": "1.13"
    })");
    const auto planned = plan(job);
    REQUIRE(std::holds_alternative<cluster<parameter_server>>(planned));
    const auto& c = std::get<cluster<parameter_server>>(planned);
    CHECK(table(c) ==
          "worker:0 tf-ps-mnist-node-0:2222 rank=0 local=0 gpus=all\n"
          "ps:0 tf-ps-mnist-node-0:2223 rank=1 local=1 gpus=none\n"
          "worker:1 tf-ps-mnist-node-1:2222 rank=2 local=0 gpus=all\n");
    CHECK(c.address(c.find(task_type::ps, 0)) == "tf-ps-mnist-node-0:2223");
    CHECK(c.address(c.find(task_type::worker, 0)) == "tf-ps-mnist-node-0:2222");
    CHECK(c.count(task_type::worker) == 2);
    CHECK(c.count(task_type::ps) == 1);
    CHECK(c.count(task_type::chief) == 0);
}

TEST_CASE("round robin: chief, workers, ps, evaluator; ranks host by host") {
    // chief -> h0, worker 0 -> h1, worker 1 -> h2, worker 2 -> h0, ps 0 -> h1,
    // ps 1 -> h2, evaluator -> h0; then ranks count h0's tasks first.
    const auto c = plan_of<parameter_server>(ps_spec("train", 3, 3, 2, 1, 1), on_hosts("h0:4,h1:4,h2:4"));
    CHECK(table(c) ==
          "chief:0 h0:2222 rank=0 local=0 gpus=all\n"
          "worker:2 h0:2223 rank=1 local=1 gpus=all\n"
          "evaluator:0 h0:2224 rank=2 local=2 gpus=all\n"
          "worker:0 h1:2222 rank=3 local=0 gpus=all\n"
          "ps:0 h1:2223 rank=4 local=1 gpus=all\n"
          "worker:1 h2:2222 rank=5 local=0 gpus=all\n"
          "ps:1 h2:2223 rank=6 local=1 gpus=all\n");
    // tasks() is by rank.
    for (std::size_t i = 0; i < c.tasks().size(); ++i) CHECK(c.tasks()[i].rank == static_cast<int>(i));
    // addresses() is by index, not by rank.
    CHECK(c.addresses(task_type::worker) == std::vector<std::string>{"h1:2222", "h2:2222", "h0:2223"});
    CHECK(c.addresses(task_type::ps) == std::vector<std::string>{"h1:2223", "h2:2223"});
    CHECK(c.addresses(task_type::evaluator) == std::vector<std::string>{"h0:2224"});
}

TEST_CASE("round robin skips full hosts") {
    // a holds 1, b 3, c 1: worker 0 -> a, 1 -> b, 2 -> c, worker 3 skips the
    // full a and lands on b, ps 0 skips c and a and lands on b.
    const auto c = plan_of<parameter_server>(ps_spec("train", 3, 4, 1), on_hosts("a:1,b:3,c:1"));
    CHECK(table(c) ==
          "worker:0 a:2222 rank=0 local=0 gpus=all\n"
          "worker:1 b:2222 rank=1 local=0 gpus=all\n"
          "worker:3 b:2223 rank=2 local=1 gpus=all\n"
          "ps:0 b:2224 rank=3 local=2 gpus=all\n"
          "worker:2 c:2222 rank=4 local=0 gpus=all\n");
}

TEST_CASE("multi_worker: one worker per node by default") {
    const auto c = plan_of<multi_worker>(multi_worker_spec("train", 3, 3), on_hosts("a:2,b:2,c:2"));
    CHECK(table(c) ==
          "worker:0 a:2222 rank=0 local=0 gpus=all\n"
          "worker:1 b:2222 rank=1 local=0 gpus=all\n"
          "worker:2 c:2222 rank=2 local=0 gpus=all\n");
}

TEST_CASE("ports: port + k per host; unique_ports gives port + rank") {
    // chief -> h0, worker 0 -> h1, worker 1 -> h0, ps 0 -> h1.
    auto options = on_hosts("h0:2,h1:2");
    CHECK(table(plan_of<parameter_server>(ps_spec("train", 2, 2, 1, 1), options)) ==
          "chief:0 h0:2222 rank=0 local=0 gpus=all\n"
          "worker:1 h0:2223 rank=1 local=1 gpus=all\n"
          "worker:0 h1:2222 rank=2 local=0 gpus=all\n"
          "ps:0 h1:2223 rank=3 local=1 gpus=all\n");
    options.unique_ports = true;
    CHECK(table(plan_of<parameter_server>(ps_spec("train", 2, 2, 1, 1), options)) ==
          "chief:0 h0:2222 rank=0 local=0 gpus=all\n"
          "worker:1 h0:2223 rank=1 local=1 gpus=all\n"
          "worker:0 h1:2224 rank=2 local=0 gpus=all\n"
          "ps:0 h1:2225 rank=3 local=1 gpus=all\n");
}

TEST_CASE("ports: the job's port, and plan_options.port over it") {
    auto s = ps_spec("train", 1, 1, 1);
    s.port = 3000;
    CHECK(table(plan_of<parameter_server>(s, on_hosts("h:2"))) ==
          "worker:0 h:3000 rank=0 local=0 gpus=all\n"
          "ps:0 h:3001 rank=1 local=1 gpus=all\n");
    auto options = on_hosts("h:2");
    options.port = 4000;
    CHECK(table(plan_of<parameter_server>(s, options)) ==
          "worker:0 h:4000 rank=0 local=0 gpus=all\n"
          "ps:0 h:4001 rank=1 local=1 gpus=all\n");
    // The highest ports that still fit.
    s.port = 65534;
    CHECK(table(plan_of<parameter_server>(s, on_hosts("h:2"))) ==
          "worker:0 h:65534 rank=0 local=0 gpus=all\n"
          "ps:0 h:65535 rank=1 local=1 gpus=all\n");
}

TEST_CASE("mpi: host i runs ranks i*P .. i*P+P-1; no ports") {
    // c has more slots than process_count_per_node; only P ranks go there.
    const auto c = plan_of<mpi>(mpi_spec("train", 3, 2), on_hosts("a:2,b:2,c:8"));
    CHECK(table(c) ==
          "worker:0 a:0 rank=0 local=0 gpus=all\n"
          "worker:1 a:0 rank=1 local=1 gpus=all\n"
          "worker:2 b:0 rank=2 local=0 gpus=all\n"
          "worker:3 b:0 rank=3 local=1 gpus=all\n"
          "worker:4 c:0 rank=4 local=0 gpus=all\n"
          "worker:5 c:0 rank=5 local=1 gpus=all\n");
}

TEST_CASE("single node: one task, no port") {
    const auto c = plan_of<single_node>(base_spec("train"));
    CHECK(c.hosts() == std::vector<host>{{"train-node-0", 1}});
    CHECK(table(c) == "worker:0 train-node-0:0 rank=0 local=0 gpus=all\n");
}

TEST_CASE("GPUs: MPI ranks use one GPU each, the one of their local rank (Horovod)") {
    auto s = mpi_spec("train", 2, 4);
    s.use_gpu = true;
    s.target->gpus_per_node = 4;
    CHECK(table(plan_of<mpi>(s, on_hosts("a:4,b:4"))) ==
          "worker:0 a:0 rank=0 local=0 gpus=0\n"
          "worker:1 a:0 rank=1 local=1 gpus=1\n"
          "worker:2 a:0 rank=2 local=2 gpus=2\n"
          "worker:3 a:0 rank=3 local=3 gpus=3\n"
          "worker:4 b:0 rank=4 local=0 gpus=0\n"
          "worker:5 b:0 rank=5 local=1 gpus=1\n"
          "worker:6 b:0 rank=6 local=2 gpus=2\n"
          "worker:7 b:0 rank=7 local=3 gpus=3\n");
    // 4 GPUs, 3 ranks a node: the fourth would stay idle, which validate() refuses.
    s.process_count_per_node = 3;
    CHECK_THROWS_WITH_AS(plan_of<mpi>(s), doctest::Contains("Horovod runs one process per GPU, so 1 would stay idle"),
                         validation_error);
}

TEST_CASE("GPUs: every computing task the same share; parameter servers get an empty list and do not count") {
    auto s = ps_spec("train", 2, 2, 1);
    s.use_gpu = true;
    s.target->gpus_per_node = 2;
    // node 0: worker 0 is the only GPU task next to the ps: both GPUs.
    CHECK(table(plan_of<parameter_server>(s)) ==
          "worker:0 train-node-0:2222 rank=0 local=0 gpus=0,1\n"
          "ps:0 train-node-0:2223 rank=1 local=1 gpus=none\n"
          "worker:1 train-node-1:2222 rank=2 local=0 gpus=0,1\n");
    // chief, worker and evaluator compute; 3 GPUs for the 3 of them.
    auto one = ps_spec("train", 1, 1, 1, 1, 1);
    one.use_gpu = true;
    one.target->gpus_per_node = 3;
    CHECK(table(plan_of<parameter_server>(one, on_hosts("h:4"))) ==
          "chief:0 h:2222 rank=0 local=0 gpus=0\n"
          "worker:0 h:2223 rank=1 local=1 gpus=1\n"
          "ps:0 h:2224 rank=2 local=2 gpus=none\n"
          "evaluator:0 h:2225 rank=3 local=3 gpus=2\n");
}

TEST_CASE("GPUs left idle by the layout are an error naming the host") {
    // 4 GPUs for 3 computing tasks: one would stay idle.
    auto one = ps_spec("train", 1, 1, 1, 1, 1);
    one.use_gpu = true;
    one.target->gpus_per_node = 4;
    const auto p = plan_failure([&] { plan_of<parameter_server>(one, on_hosts("h:4")); });
    CHECK(p.path == "compute_target.gpus_per_node");
    CHECK(p.value == "4");
    CHECK(contains(p.rule, "host \"h\" runs 3 GPU task(s) of 1 GPU(s) each"));
    CHECK(contains(p.rule, "leaving 1 of the GPUs of compute_target.gpus_per_node = 4 idle"));
    // 3 workers on 2 nodes of 2 GPUs: one GPU each, the second host would keep one idle.
    auto three = multi_worker_spec("train", 2, 3);
    three.use_gpu = true;
    three.target->gpus_per_node = 2;
    CHECK(contains(plan_failure([&] { plan_of<multi_worker>(three, on_hosts("a:2,b:2")); }).rule,
                   "host \"b\" runs 1 GPU task(s) of 1 GPU(s) each (the same for every task: 2 GPU tasks on the "
                   "busiest host), leaving 1 of the GPUs"));
    // A known VM size is the declared count, named as such.
    auto vm = ps_spec("train", 1, 1, 1, 1, 1);
    vm.target.reset();
    vm.vm_size = "Standard_NC24s_v3";
    vm.use_gpu = true;
    const auto q = plan_failure([&] { plan_of<parameter_server>(vm, on_hosts("h:4")); });
    CHECK(q.path == "vm_size");
    CHECK(contains(q.rule, "vm_size \"Standard_NC24s_v3\" (4 GPUs) idle"));
}

TEST_CASE("GPUs: without a declared count, a lone task is unrestricted, several get one each") {
    auto s = ps_spec("train", 2, 2, 1);
    s.use_gpu = true;
    CHECK(table(plan_of<parameter_server>(s)) ==
          "worker:0 train-node-0:2222 rank=0 local=0 gpus=all\n"
          "ps:0 train-node-0:2223 rank=1 local=1 gpus=none\n"
          "worker:1 train-node-1:2222 rank=2 local=0 gpus=all\n");
    auto m = mpi_spec("train", 1, 3);
    m.use_gpu = true;
    CHECK(table(plan_of<mpi>(m)) ==
          "worker:0 train-node-0:0 rank=0 local=0 gpus=0\n"
          "worker:1 train-node-0:0 rank=1 local=1 gpus=1\n"
          "worker:2 train-node-0:0 rank=2 local=2 gpus=2\n");
    m.process_count_per_node = 1;
    CHECK(table(plan_of<mpi>(m)) == "worker:0 train-node-0:0 rank=0 local=0 gpus=all\n");
    // Two GPU tasks and a ps on one host: the GPU tasks are numbered among themselves.
    auto shared = ps_spec("train", 1, 2, 1);
    shared.use_gpu = true;
    CHECK(table(plan_of<parameter_server>(shared)) ==
          "worker:0 train-node-0:2222 rank=0 local=0 gpus=0\n"
          "worker:1 train-node-0:2223 rank=1 local=1 gpus=1\n"
          "ps:0 train-node-0:2224 rank=2 local=2 gpus=none\n");
}

TEST_CASE("GPUs: a CPU job restricts nothing, not even the ps") {
    CHECK(table(plan_of<parameter_server>(ps_spec("train", 1, 1, 1))) ==
          "worker:0 train-node-0:2222 rank=0 local=0 gpus=all\n"
          "ps:0 train-node-0:2223 rank=1 local=1 gpus=all\n");
}

TEST_CASE("error: fewer hosts than node_count") {
    const auto p = plan_failure([] { plan_of<mpi>(mpi_spec("train", 2, 1), on_hosts("a:4")); });
    CHECK(p.path == "hosts");
    CHECK(p.rule == "1 host(s) given; node_count is 2");
    const auto q = plan_failure([] { plan_of<parameter_server>(ps_spec("train", 3, 3, 1), on_hosts("a:4,b:4")); });
    CHECK(q.rule == "2 host(s) given; node_count is 3");
}

TEST_CASE("error: fewer slots than tasks") {
    // 2 workers + 1 ps + 1 chief = 4 tasks, 3 slots.
    const auto p = plan_failure([] { plan_of<parameter_server>(ps_spec("train", 2, 2, 1, 1), on_hosts("a:2,b:1")); });
    CHECK(p.path == "hosts");
    CHECK(p.value == "a:2,b:1");
    CHECK(contains(p.rule, "4 tasks need 4 slots; the 2 host(s) have 3"));
    // Exactly enough is fine.
    CHECK_NOTHROW(plan_of<parameter_server>(ps_spec("train", 2, 2, 1, 1), on_hosts("a:2,b:2")));
}

TEST_CASE("error: a host listed twice") {
    plan_options options;
    options.hosts = {{"a", 2}, {"b", 2}, {"a", 2}};
    const auto p = plan_failure([&] { plan_of<parameter_server>(ps_spec("train", 2, 2, 1), options); });
    CHECK(p.path == "hosts");
    CHECK(p.value == "\"a\"");
    CHECK(contains(p.rule, "listed twice"));
}

TEST_CASE("error: explicit hosts that are no host or have no slot") {
    plan_options options;
    options.hosts = {{"a", 2}, {"b c", 2}};
    auto p = plan_failure([&] { plan_of<parameter_server>(ps_spec("train", 2, 2, 1), options); });
    CHECK(p.path == "hosts");
    CHECK(p.value == "\"b c\"");
    CHECK(contains(p.rule, "host name"));
    options.hosts = {{"a", 4}, {"b", 0}};
    p = plan_failure([&] { plan_of<parameter_server>(ps_spec("train", 2, 2, 1), options); });
    CHECK(p.value == "b:0");
    CHECK(contains(p.rule, "at least 1"));
    options.hosts = {{"a", 4}, {"b", -3}};
    p = plan_failure([&] { plan_of<mpi>(mpi_spec("train", 2, 1), options); });
    CHECK(p.value == "b:-3");
    CHECK(p.rule == "a host needs at least 1 slot");
}

TEST_CASE("error: more tasks on a generated host than a host list can hold") {
    // Generated hosts are written as host:slots lists, which stop at 1000000.
    const auto p = plan_failure([] { plan_of<multi_worker>(multi_worker_spec("train", 1, 1000001)); });
    CHECK(p.path == "node_count");
    CHECK(p.value == "1");
    CHECK(contains(p.rule, "1000001 tasks on 1 node(s) put 1000001 on one node"));
}

TEST_CASE("error: an mpi host with fewer slots than process_count_per_node") {
    const auto p = plan_failure([] { plan_of<mpi>(mpi_spec("train", 2, 2), on_hosts("a:2,b:1")); });
    CHECK(p.path == "hosts");
    CHECK(p.value == "b:1");
    CHECK(p.rule == "host \"b\" has 1 slot(s); process_count_per_node is 2");
}

TEST_CASE("error: a port beyond 65535") {
    // Valid as a job (65535 is a port), but a second task on the host would
    // need 65536.
    const auto job = load_job(R"({"apiVersion": "trainspec/v1", "name": "edge", "source_directory": "src",
        "entry_script": "train.py", "compute_target": "gpu-cluster", "distributed_backend": "multi_worker",
        "node_count": 1, "worker_count": 2, "port": 65535})");
    auto p = plan_failure([&] { plan(job); });
    CHECK(p.path == "port");
    CHECK(p.value == "65535");
    CHECK(contains(p.rule, "task worker:1 on host \"edge-node-0\" would listen on port 65536"));

    // unique_ports runs out sooner: rank 3 of 4 needs port + 3.
    plan_options options = on_hosts("a:2,b:2");
    options.port = 65533;
    options.unique_ports = true;
    p = plan_failure([&] { plan_of<multi_worker>(multi_worker_spec("train", 2, 4), options); });
    CHECK(contains(p.rule, "would listen on port 65536"));
    options.unique_ports = false;
    CHECK_NOTHROW(plan_of<multi_worker>(multi_worker_spec("train", 2, 4), options));

    // An override below 1.
    options.port = 0;
    p = plan_failure([&] { plan_of<multi_worker>(multi_worker_spec("train", 2, 4), options); });
    CHECK(p.path == "port");
    CHECK(p.value == "0");
}

TEST_CASE("error: GPUs over-subscribed") {
    // 4 workers on a:3,b:1 with 2 GPUs per node: a runs 3 GPU tasks.
    auto s = multi_worker_spec("train", 2, 4);
    s.use_gpu = true;
    s.target->gpus_per_node = 2;
    const auto p = plan_failure([&] { plan_of<multi_worker>(s, on_hosts("a:3,b:1")); });
    CHECK(p.path == "compute_target.gpus_per_node");
    CHECK(p.value == "2");
    CHECK(contains(p.rule, "host \"a\" runs 3 GPU tasks but has compute_target.gpus_per_node = 2"));
    // Spread evenly, the same job fits.
    CHECK(table(plan_of<multi_worker>(s, on_hosts("a:2,b:2"))) ==
          "worker:0 a:2222 rank=0 local=0 gpus=0\n"
          "worker:2 a:2223 rank=1 local=1 gpus=1\n"
          "worker:1 b:2222 rank=2 local=0 gpus=0\n"
          "worker:3 b:2223 rank=3 local=1 gpus=1\n");
}

TEST_CASE("find() and count()") {
    const auto c = plan_of<parameter_server>(ps_spec("train", 2, 2, 1, 1, 1), on_hosts("a:3,b:3"));
    CHECK(c.count(task_type::chief) == 1);
    CHECK(c.count(task_type::worker) == 2);
    CHECK(c.count(task_type::ps) == 1);
    CHECK(c.count(task_type::evaluator) == 1);
    CHECK(c.host_of(c.find(task_type::evaluator, 0)).name == "a");
    CHECK_THROWS_WITH_AS(c.find(task_type::worker, 2), "task = worker:2: no such task in this plan", trainspec::error);
    CHECK_THROWS_AS(c.find(task_type::ps, -1), trainspec::error);
    CHECK(c.job().spec() == ps_spec("train", 2, 2, 1, 1, 1));
}

TEST_CASE("the plan is deterministic") {
    const auto s = ps_spec("train", 3, 5, 2, 1, 1);
    CHECK(plan_of<parameter_server>(s).tasks() == plan_of<parameter_server>(s).tasks());
}
