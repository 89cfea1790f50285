// Every step at 1,000 / 10,000 / 100,000 / 1,000,000 ranks: each must stay
// linear in the size of the job (benchmarks/scale.sh prints the 100k/10k
// ratios next to the times).
//
//   mpi/*        an mpi job of RANKS/8 hosts x 8 ranks, loaded from a spec
//                with default hosts: plan(), hostfile_text(), rank_table(),
//                mpirun_command(), sbatch_script();
//   hosts/*      the same hosts as "host:8,..." and as an Open MPI hostfile:
//                parse_host_list(), parse_hostfile(), and validate() of a
//                spec that lists them in compute_target.hosts;
//   workers/*    a multi_worker job of RANKS tasks, 8 per host: plan(), one
//                task's TF_CONFIG (it holds the whole cluster; past
//                MAX_ARG_STRLEN it is refused, and the time is finding
//                that out), the TFJob (refused the same way).
//   lists/*      check_spec() of a spec whose list holds N entries (N =
//                1k, 10k, 100k; 100k is past the 65,536 entries a list may
//                have, and is still read whole): environment_variables,
//                pip_packages, compute_target.hosts, script_params (bare
//                flags) and mpi.mca, each with its duplicate check; and
//                N entries that cannot be read (integers for package names),
//                each rule about them left out.
//   sweep/*      a sweep of RANKS trials (a grid of 10 x 10 x 100 x 100
//                choices capped at RANKS, and a random sweep of 4
//                expressions): every trial and its argv, one at a time, as
//                `trainspec-gen sweep` streams them.
//
// Counters: items_per_second (ranks or tasks), and for the plans
// bytes_per_task, the heap the plan keeps (task table, host names, GPU
// lists), divided by the tasks, as glibc's mallinfo2() counts it; for the
// sweeps peak_bytes, the most heap in use while the trials stream (the
// same at every size: nothing is kept per trial).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>

#include <malloc.h>

#include <benchmark/benchmark.h>

#include <trainspec/trainspec.hpp>

namespace {

/// Heap bytes in use (glibc: the arena's and the mmapped chunks'); the
/// benchmark is single-threaded, so the difference across a call is what it
/// kept.
std::int64_t live_bytes() {
    const auto info = mallinfo2();
    return static_cast<std::int64_t>(info.uordblks + info.hblkhd);
}

}  // namespace

namespace {

using namespace trainspec;

constexpr int slots_per_host = 8;

job_spec base_spec(const char* name) {
    job_spec s;
    s.name = name;
    s.source_directory = "src";
    s.entry_script = "train.py";
    s.target = compute_target("cluster");
    return s;
}

job<mpi> mpi_job(int ranks) {
    auto s = base_spec("scale");
    s.distributed_backend = backend_kind::mpi;
    s.node_count = ranks / slots_per_host;
    s.process_count_per_node = slots_per_host;
    return std::get<job<mpi>>(load_job(dump_spec(s)));
}

job<multi_worker> workers_job(int tasks) {
    auto s = base_spec("scale");
    s.distributed_backend = backend_kind::multi_worker;
    s.node_count = tasks / slots_per_host;
    s.worker_count = tasks;
    return make_job_as<multi_worker>(s);
}

/// One plan per size, made once for the steps that start from it.
const cluster<mpi>& mpi_plan(int ranks) {
    static std::map<int, cluster<mpi>> plans;
    auto it = plans.find(ranks);
    if (it == plans.end()) it = plans.emplace(ranks, plan(mpi_job(ranks))).first;
    return it->second;
}

const cluster<multi_worker>& workers_plan(int tasks) {
    static std::map<int, cluster<multi_worker>> plans;
    auto it = plans.find(tasks);
    if (it == plans.end()) it = plans.emplace(tasks, plan(workers_job(tasks))).first;
    return it->second;
}

std::string host_list_text(int ranks) {
    std::string out;
    for (int h = 0; h < ranks / slots_per_host; ++h)
        out += (h ? "," : "") + ("node-" + std::to_string(h)) + ":" + std::to_string(slots_per_host);
    return out;
}

template <class Backend>
void plan_step(benchmark::State& state, const job<Backend>& j) {
    std::int64_t kept = 0;
    for (auto _ : state) {
        const auto before = live_bytes();
        auto c = plan(j);
        kept = live_bytes() - before;
        benchmark::DoNotOptimize(c);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.counters["bytes_per_task"] = static_cast<double>(kept) / static_cast<double>(state.range(0));
}

void mpi_plan_step(benchmark::State& state) { plan_step(state, mpi_job(static_cast<int>(state.range(0)))); }

void workers_plan_step(benchmark::State& state) { plan_step(state, workers_job(static_cast<int>(state.range(0)))); }

/// A step that starts from the plan of state.range(0) ranks.
template <class Plan, class Step>
void from_plan(benchmark::State& state, Plan plan_of, Step step) {
    const auto& c = plan_of(static_cast<int>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(step(c));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}

void mpi_hostfile(benchmark::State& state) {
    from_plan(state, mpi_plan, [](const auto& c) { return hostfile_text(c, mpi_flavor::openmpi); });
}
void mpi_rank_table(benchmark::State& state) {
    from_plan(state, mpi_plan, [](const auto& c) { return rank_table(c); });
}
void mpi_mpirun_command(benchmark::State& state) {
    from_plan(state, mpi_plan, [](const auto& c) { return mpirun_command(c, {}); });
}
void mpi_sbatch_script(benchmark::State& state) {
    from_plan(state, mpi_plan, [](const auto& c) { return sbatch_script(c); });
}
/// `step`'s result, or the problem that refused it (a TF_CONFIG past its
/// ceiling).
template <class Step>
std::string or_refusal(Step step) {
    try {
        return step();
    } catch (const validation_error& e) {
        return e.rule();
    }
}

void workers_tf_config(benchmark::State& state) {
    from_plan(state, workers_plan, [](const auto& c) {
        return or_refusal([&] { return tf_config(c, task_type::worker, 0).value_or(""); });
    });
}
void workers_tfjob(benchmark::State& state) {
    from_plan(state, workers_plan,
              [](const auto& c) { return or_refusal([&] { return tfjob_manifest(c, {}).dump(); }); });
}

void hosts_parse_list(benchmark::State& state) {
    const auto text = host_list_text(static_cast<int>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(parse_host_list(text));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}

void hosts_parse_hostfile(benchmark::State& state) {
    const auto text =
        hostfile_text(parse_host_list(host_list_text(static_cast<int>(state.range(0)))), mpi_flavor::openmpi);
    for (auto _ : state) benchmark::DoNotOptimize(parse_hostfile(text));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}

void hosts_validate(benchmark::State& state) {
    auto s = mpi_job(static_cast<int>(state.range(0))).spec();
    s.target->hosts = parse_host_list(host_list_text(static_cast<int>(state.range(0))));
    for (auto _ : state) benchmark::DoNotOptimize(validate(s));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}

/// A spec of `fields`, then `entries` entries between `open` and `close`.
std::string spec_with_list(const std::string& fields, int entries, const char* open, const char* close,
                           std::string (*entry)(int)) {
    std::string text =
        R"({"apiVersion": "trainspec/v1", "source_directory": "src", "entry_script": "train.py", )" + fields + open;
    for (int i = 0; i < entries; ++i) text += (i ? ", " : "") + entry(i);
    return text + close + "}";
}

void check_list(benchmark::State& state, const std::string& text) {
    std::int64_t found = 0;
    for (auto _ : state) found = static_cast<std::int64_t>(check_spec(text).size());
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.counters["problems"] = static_cast<double>(found);
}

constexpr const char* target = R"("compute_target": "c", )";

void lists_environment(benchmark::State& state) {
    check_list(state, spec_with_list(target, static_cast<int>(state.range(0)), R"("environment_variables": {)", "}",
                                     [](int i) { return "\"V" + std::to_string(i) + "\": \"1\""; }));
}
void lists_pip_packages(benchmark::State& state) {
    check_list(state, spec_with_list(target, static_cast<int>(state.range(0)), R"("pip_packages": [)", "]",
                                     [](int i) { return "\"p" + std::to_string(i) + "\""; }));
}
void lists_hosts(benchmark::State& state) {
    check_list(state,
               spec_with_list("", static_cast<int>(state.range(0)), R"("compute_target": {"name": "c", "hosts": [)",
                              "]}", [](int i) { return "\"h" + std::to_string(i) + "\""; }));
}
void lists_script_params(benchmark::State& state) {
    check_list(state, spec_with_list(target, static_cast<int>(state.range(0)), R"("script_params": {)", "}",
                                     [](int i) { return "\"-" + std::to_string(i) + "\": null"; }));
}
void lists_mca(benchmark::State& state) {
    check_list(state, spec_with_list(R"("compute_target": "c", "distributed_backend": "mpi", )",
                                     static_cast<int>(state.range(0)), R"("mpi": {"mca": {)", "}}",
                                     [](int i) { return "\"p" + std::to_string(i) + "\": \"1\""; }));
}
void lists_unreadable(benchmark::State& state) {
    check_list(state, spec_with_list(target, static_cast<int>(state.range(0)), R"("pip_packages": [)", "]",
                                     [](int i) { return std::to_string(i); }));
}

/// A sweep of `trials` trials over four parameters.
job_spec sweep_spec(sampling_kind sampling, int trials) {
    auto s = base_spec("sweep");
    sweep_settings sweep;
    sweep.sampling = sampling_algorithm{sampling, std::nullopt, std::nullopt};
    auto choices = [](int n, double step) {
        search_distribution d;
        d.type = distribution_kind::choice;
        for (int i = 0; i < n; ++i) d.values.emplace_back(i * step);
        return d;
    };
    if (sampling == sampling_kind::grid) {
        sweep.search_space = {
            {"--a", choices(10, 1)}, {"--b", choices(10, 0.5)}, {"--c", choices(100, 0.01)}, {"--d", choices(100, 2)}};
    } else {
        search_distribution lr, width, noise;
        lr.type = distribution_kind::loguniform;
        lr.min_value = -9;
        lr.max_value = -1;
        width.type = distribution_kind::randint;
        width.upper = 1024;
        noise.type = distribution_kind::qnormal;
        noise.mu = 0;
        noise.sigma = 1;
        noise.q = 0.01;
        sweep.search_space = {{"--lr", lr}, {"--width", width}, {"--noise", noise}, {"--c", choices(100, 0.01)}};
    }
    sweep.objective = sweep_objective{std::string("accuracy"), objective_goal::maximize};
    sweep.limits = sweep_limits{trials, std::nullopt, std::nullopt, std::nullopt};
    s.sweep = sweep;
    return s;
}

void sweep_step(benchmark::State& state, sampling_kind sampling) {
    const auto s = sweep_spec(sampling, static_cast<int>(state.range(0)));
    std::int64_t peak = 0;
    for (auto _ : state) {
        const auto before = live_bytes();
        const sweep_trials trials(s);
        for (std::int64_t t = 0; t < trials.size(); ++t) {
            benchmark::DoNotOptimize(to_argv(trials.trial(t)));
            if ((t & 4095) == 0) peak = std::max(peak, live_bytes() - before);
        }
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.counters["peak_bytes"] = static_cast<double>(peak);
}

void sweep_grid(benchmark::State& state) { sweep_step(state, sampling_kind::grid); }
void sweep_random(benchmark::State& state) { sweep_step(state, sampling_kind::random); }

void sizes(benchmark::internal::Benchmark* b) {
    for (const int ranks : {1000, 10000, 100000, 1000000}) b->Arg(ranks);
    b->Unit(benchmark::kMillisecond);
}

/// A spec of a million entries would be past its 4 MiB.
void list_sizes(benchmark::internal::Benchmark* b) {
    for (const int entries : {1000, 10000, 100000}) b->Arg(entries);
    b->Unit(benchmark::kMillisecond);
}

BENCHMARK(mpi_plan_step)->Name("mpi/plan")->Apply(sizes);
BENCHMARK(mpi_hostfile)->Name("mpi/hostfile_text")->Apply(sizes);
BENCHMARK(mpi_rank_table)->Name("mpi/rank_table")->Apply(sizes);
BENCHMARK(mpi_mpirun_command)->Name("mpi/mpirun_command")->Apply(sizes);
BENCHMARK(mpi_sbatch_script)->Name("mpi/sbatch_script")->Apply(sizes);
BENCHMARK(hosts_parse_list)->Name("hosts/parse_host_list")->Apply(sizes);
BENCHMARK(hosts_parse_hostfile)->Name("hosts/parse_hostfile")->Apply(sizes);
BENCHMARK(hosts_validate)->Name("hosts/validate")->Apply(sizes);
BENCHMARK(workers_plan_step)->Name("workers/plan")->Apply(sizes);
BENCHMARK(workers_tf_config)->Name("workers/tf_config_one_task")->Apply(sizes);
BENCHMARK(workers_tfjob)->Name("workers/tfjob_manifest")->Apply(sizes);
BENCHMARK(lists_environment)->Name("lists/environment_variables")->Apply(list_sizes);
BENCHMARK(lists_pip_packages)->Name("lists/pip_packages")->Apply(list_sizes);
BENCHMARK(lists_hosts)->Name("lists/compute_target_hosts")->Apply(list_sizes);
BENCHMARK(lists_script_params)->Name("lists/script_params")->Apply(list_sizes);
BENCHMARK(lists_mca)->Name("lists/mpi_mca")->Apply(list_sizes);
BENCHMARK(lists_unreadable)->Name("lists/unreadable_entries")->Apply(list_sizes);
BENCHMARK(sweep_grid)->Name("sweep/grid_trials")->Apply(sizes);
BENCHMARK(sweep_random)->Name("sweep/random_trials")->Apply(sizes);

}  // namespace

BENCHMARK_MAIN();
