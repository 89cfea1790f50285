// TF_CONFIG for every task of a large parameter-server job (1,024 and 3,072
// tasks, tf2 and kubeflow profiles):
//
//   tf_configs         trainspec::tf_configs(cluster, options): the cluster
//                      part is serialised once and copied into every task;
//   nlohmann_per_task  the straightforward way: for every task, build the
//                      whole JSON object (cluster dict of lists + task) with
//                      nlohmann::ordered_json and dump() it;
//   memcpy_floor       the same result container and the same allocations,
//                      filled by copying pre-rendered bytes: what rendering
//                      cannot beat.
//
// Before timing, the outputs of tf_configs and of the nlohmann version are
// compared byte for byte on a sample of tasks (exit status 1 otherwise).
// nlohmann::json keeps object keys sorted, which would write the task as
// {"index":..,"type":..}; nlohmann::ordered_json keeps insertion order, so
// the naive version inserts keys in trainspec's order and the bytes match.
//
// Options besides Google Benchmark's own:
//   --samples_dir=DIR  also write the sampled tasks to
//                      DIR/samples-<profile>-<tasks>.tsv (type TAB index TAB
//                      TF_CONFIG), which tf_config_baseline.py --check reads
//   --verify_only      verify (and write samples), run no benchmark

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sys/resource.h>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <trainspec/trainspec.hpp>

namespace {

using ps_cluster = trainspec::cluster<trainspec::parameter_server>;
using trainspec::task_type;
using trainspec::tf_profile;

constexpr int slots_per_host = 8;
// 3,072: the kubeflow profile's TF_CONFIG of 4,096 tasks is past the ceiling
// of one environment string (docs/limits.md).
constexpr std::array<int, 2> task_counts = {1024, 3072};
constexpr std::array<tf_profile, 2> profiles = {tf_profile::tf2, tf_profile::kubeflow};
constexpr const char* job_name = "tfbench";

/// chief 1, one ps per 16 tasks, the rest workers; 8 tasks per host.
struct job_shape {
    int workers;
    int ps;
    int hosts;
};

job_shape shape_for(int tasks) { return {tasks - 1 - tasks / 16, tasks / 16, tasks / slots_per_host}; }

ps_cluster make_cluster(int tasks) {
    const auto shape = shape_for(tasks);
    const trainspec::job<trainspec::parameter_server> job = trainspec::tensorflow()
                                                                .name(job_name)
                                                                .source_directory(".")
                                                                .entry_script("train.py")
                                                                .compute_target("cpu-cluster")
                                                                .node_count(shape.hosts)
                                                                .distributed_backend(trainspec::parameter_server{})
                                                                .chief_count<1>()
                                                                .worker_count(shape.workers)
                                                                .parameter_server_count(shape.ps)
                                                                .build();
    trainspec::plan_options options;
    for (int i = 0; i < shape.hosts; ++i) options.hosts.push_back({"node-" + std::to_string(i), slots_per_host});
    return trainspec::plan(job, options);
}

trainspec::tf_config_options options_for(tf_profile profile) {
    trainspec::tf_config_options options;
    options.profile = profile;
    return options;
}

// ---- the naive version: one full nlohmann serialisation per task ----

using ordered_json = nlohmann::ordered_json;

/// The addresses of one task type, as the profile writes them.
std::vector<std::string> naive_addresses(const ps_cluster& c, task_type type, tf_profile profile) {
    if (profile != tf_profile::kubeflow) return c.addresses(type);
    std::vector<std::string> out;
    const int count = c.count(type);
    for (int i = 0; i < count; ++i)
        out.push_back(std::string(job_name) + "-" + std::string(trainspec::enum_name(type)) + "-" + std::to_string(i) +
                      ".default.svc:" + std::to_string(trainspec::default_port));
    return out;
}

/// The cluster dict: job names in sorted order (chief, ps, worker).
ordered_json naive_cluster_dict(const ps_cluster& c, tf_profile profile) {
    ordered_json cluster = ordered_json::object();
    for (auto type : {task_type::chief, task_type::ps, task_type::worker}) {
        auto list = naive_addresses(c, type, profile);
        if (!list.empty()) cluster[std::string(trainspec::enum_name(type))] = std::move(list);
    }
    return cluster;
}

std::string naive_render(const ordered_json& cluster, task_type type, int index, tf_profile profile) {
    ordered_json config;
    config["cluster"] = cluster;  // a deep copy, as building the object per task implies
    config["task"] = {{"type", trainspec::enum_name(type)}, {"index", index}};
    if (profile != tf_profile::tf2) config["environment"] = "cloud";
    return config.dump();
}

// ---- fixtures: one plan per task count, one rendering per profile ----

struct fixture {
    const ps_cluster* cluster;
    tf_profile profile;
    std::vector<trainspec::task_tf_config> rendered;  // the floor's source bytes
    std::size_t bytes = 0;
};

std::map<int, std::unique_ptr<ps_cluster>>& clusters() {
    static std::map<int, std::unique_ptr<ps_cluster>> all;
    return all;
}

std::map<std::pair<int, int>, fixture>& fixtures() {
    static std::map<std::pair<int, int>, fixture> all;
    return all;
}

fixture& get_fixture(int tasks, tf_profile profile) {
    auto& all = fixtures();
    const auto key = std::make_pair(tasks, static_cast<int>(profile));
    if (auto it = all.find(key); it != all.end()) return it->second;
    auto& cluster = clusters()[tasks];
    if (!cluster) cluster = std::make_unique<ps_cluster>(make_cluster(tasks));
    fixture f{cluster.get(), profile, trainspec::tf_configs(*cluster, options_for(profile))};
    for (const auto& t : f.rendered) f.bytes += t.json.size();
    return all.emplace(key, std::move(f)).first->second;
}

std::string_view profile_label(tf_profile profile) { return trainspec::enum_name(profile); }

/// Page faults of this process so far: first touches of memory the
/// allocator has just obtained from the kernel.
long page_faults() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_minflt + usage.ru_majflt;
}

void set_counters(benchmark::State& state, const fixture& f, long faults) {
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(f.bytes));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(f.rendered.size()));
    state.counters["MB"] = benchmark::Counter(static_cast<double>(f.bytes) / 1e6);
    state.counters["faults"] = benchmark::Counter(static_cast<double>(faults), benchmark::Counter::kAvgIterations);
}

// ---- the benchmarks ----

void bm_tf_configs(benchmark::State& state, int tasks, tf_profile profile) {
    const auto& f = get_fixture(tasks, profile);
    const auto options = options_for(profile);
    const long faults = page_faults();
    for (auto _ : state) {
        auto out = trainspec::tf_configs(*f.cluster, options);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    set_counters(state, f, page_faults() - faults);
}

void bm_nlohmann_per_task(benchmark::State& state, int tasks, tf_profile profile) {
    const auto& f = get_fixture(tasks, profile);
    const long faults = page_faults();
    for (auto _ : state) {
        const ordered_json cluster = naive_cluster_dict(*f.cluster, profile);
        std::vector<trainspec::task_tf_config> out;
        out.reserve(f.cluster->tasks().size());
        for (const auto& t : f.cluster->tasks())
            out.push_back({t.type, t.index, naive_render(cluster, t.type, t.index, profile)});
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    set_counters(state, f, page_faults() - faults);
}

void bm_memcpy_floor(benchmark::State& state, int tasks, tf_profile profile) {
    const auto& f = get_fixture(tasks, profile);
    const long faults = page_faults();
    for (auto _ : state) {
        std::vector<trainspec::task_tf_config> out;
        out.reserve(f.rendered.size());
        for (const auto& source : f.rendered) {
            std::string json;
            json.reserve(source.json.size());
            json.append(source.json.data(), source.json.size());  // one allocation, one memcpy
            benchmark::DoNotOptimize(json.data());
            out.push_back({source.type, source.index, std::move(json)});
        }
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    set_counters(state, f, page_faults() - faults);
}

/// The streaming form: every TF_CONFIG rendered into one reused buffer and
/// handed to a sink, as a launcher writing them out one by one would use it.
void bm_for_each_tf_config(benchmark::State& state, int tasks, tf_profile profile) {
    const auto& f = get_fixture(tasks, profile);
    const auto options = options_for(profile);
    const long faults = page_faults();
    for (auto _ : state) {
        std::size_t bytes = 0;
        trainspec::for_each_tf_config(
            *f.cluster,
            [&bytes](const trainspec::task&, std::string_view json) {
                benchmark::DoNotOptimize(json.data());
                bytes += json.size();
            },
            options);
        benchmark::DoNotOptimize(bytes);
        benchmark::ClobberMemory();
    }
    set_counters(state, f, page_faults() - faults);
}

/// The floor of the streaming form: the same bytes copied into one reused buffer.
void bm_memcpy_floor_streamed(benchmark::State& state, int tasks, tf_profile profile) {
    const auto& f = get_fixture(tasks, profile);
    const long faults = page_faults();
    for (auto _ : state) {
        std::string buffer;
        std::size_t bytes = 0;
        for (const auto& source : f.rendered) {
            buffer.assign(source.json.data(), source.json.size());
            benchmark::DoNotOptimize(buffer.data());
            bytes += buffer.size();
        }
        benchmark::DoNotOptimize(bytes);
        benchmark::ClobberMemory();
    }
    set_counters(state, f, page_faults() - faults);
}

// ---- verification, before anything is timed ----

std::vector<std::size_t> sample_ranks(std::size_t count) {
    std::vector<std::size_t> ranks = {0, 1, 2, count / 2, count - 2, count - 1};
    for (std::size_t r = 0; r < count; r += count / 16) ranks.push_back(r);
    std::sort(ranks.begin(), ranks.end());
    ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
    return ranks;
}

/// The text around the first byte where `a` and `b` differ.
std::string around_difference(const std::string& a, const std::string& b) {
    std::size_t at = 0;
    while (at < a.size() && at < b.size() && a[at] == b[at]) ++at;
    const std::size_t from = at < 60 ? 0 : at - 60;
    return "byte " + std::to_string(at) + ": ..." + a.substr(from, 120) + "...";
}

bool verify(int tasks, tf_profile profile, const std::string& samples_dir) {
    const auto& f = get_fixture(tasks, profile);
    const auto label = std::string(profile_label(profile)) + "/" + std::to_string(tasks);
    if (f.rendered.size() != static_cast<std::size_t>(tasks)) {
        std::fprintf(stderr, "VERIFY FAILED %s: %zu TF_CONFIGs for %d tasks\n", label.c_str(), f.rendered.size(),
                     tasks);
        return false;
    }
    // The streaming form gives the same bytes as tf_configs(), task by task.
    std::size_t streamed = 0;
    bool same = true;
    trainspec::for_each_tf_config(
        *f.cluster,
        [&](const trainspec::task& t, std::string_view json) {
            same = same && streamed < f.rendered.size() && f.rendered[streamed].type == t.type &&
                   f.rendered[streamed].index == t.index && f.rendered[streamed].json == json;
            ++streamed;
        },
        options_for(profile));
    if (!same || streamed != f.rendered.size()) {
        std::fprintf(stderr, "VERIFY FAILED %s: for_each_tf_config differs from tf_configs\n", label.c_str());
        return false;
    }
    const ordered_json cluster = naive_cluster_dict(*f.cluster, profile);
    std::ofstream samples;
    if (!samples_dir.empty()) {
        const auto path =
            samples_dir + "/samples-" + std::string(profile_label(profile)) + "-" + std::to_string(tasks) + ".tsv";
        samples.open(path);
        if (!samples) {
            std::fprintf(stderr, "cannot write %s\n", path.c_str());
            return false;
        }
    }
    const auto ranks = sample_ranks(f.rendered.size());
    for (auto rank : ranks) {
        const auto& ours = f.rendered[rank];
        const auto naive = naive_render(cluster, ours.type, ours.index, profile);
        if (naive != ours.json || nlohmann::json::parse(naive) != nlohmann::json::parse(ours.json)) {
            std::fprintf(
                stderr,
                "VERIFY FAILED %s task %s:%d: trainspec and nlohmann differ\n  trainspec: %s\n  nlohmann:  %s\n",
                label.c_str(), std::string(trainspec::enum_name(ours.type)).c_str(), ours.index,
                around_difference(ours.json, naive).c_str(), around_difference(naive, ours.json).c_str());
            return false;
        }
        if (samples.is_open())
            samples << trainspec::enum_name(ours.type) << '\t' << ours.index << '\t' << ours.json << '\n';
    }
    std::printf("verified %-14s %zu sampled tasks byte-identical (trainspec == nlohmann), %.1f MB per rendering\n",
                label.c_str(), ranks.size(), static_cast<double>(f.bytes) / 1e6);
    return true;
}

double min_of(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }

template <class Function>
void register_case(const char* what, Function function, int tasks, tf_profile profile) {
    const auto name = std::string(what) + "/" + std::string(profile_label(profile)) + "/" + std::to_string(tasks);
    benchmark::RegisterBenchmark(name.c_str(), function, tasks, profile)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->ComputeStatistics("min", min_of);
}

}  // namespace

int main(int argc, char** argv) {
    std::string samples_dir;
    bool verify_only = false;
    std::vector<char*> args;
    for (int i = 0; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg.rfind("--samples_dir=", 0) == 0)
            samples_dir = std::string(arg.substr(14));
        else if (arg == "--verify_only")
            verify_only = true;
        else
            args.push_back(argv[i]);
    }
    int benchmark_argc = static_cast<int>(args.size());
    benchmark::Initialize(&benchmark_argc, args.data());
    if (benchmark::ReportUnrecognizedArguments(benchmark_argc, args.data())) return 2;

    try {
        bool ok = true;
        for (auto profile : profiles)
            for (int tasks : task_counts) ok = verify(tasks, profile, samples_dir) && ok;
        if (!ok) return 1;
        std::fflush(stdout);
        if (verify_only) return 0;

        for (auto profile : profiles)
            for (int tasks : task_counts) {
                register_case("tf_configs", bm_tf_configs, tasks, profile);
                register_case("memcpy_floor", bm_memcpy_floor, tasks, profile);
                register_case("nlohmann_per_task", bm_nlohmann_per_task, tasks, profile);
                register_case("for_each_tf_config", bm_for_each_tf_config, tasks, profile);
                register_case("memcpy_floor_streamed", bm_memcpy_floor_streamed, tasks, profile);
            }
        benchmark::RunSpecifiedBenchmarks();
        benchmark::Shutdown();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "tf_config_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
