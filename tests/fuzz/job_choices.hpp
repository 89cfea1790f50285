#pragma once
// Random job specs for the render checks (render_checks.hpp): every field of
// job_spec chosen from values that mostly pass validate(), with hostile text
// (quotes, $(...), newlines, UTF-8, random characters) where a user's text goes.
// One generator, two sources of choices: a fuzzer's bytes (fuzz_render_all)
// and a seeded std::mt19937_64 (tests/property). Each choice is "which of n";
// a spent byte source answers 0, which is always the plain option (field
// unset, first value), so a short input is a small, valid job.
//
// Sizes are capped so that checking a job takes milliseconds: at
// most 64 tasks (8 nodes of 8 ranks), 16 workers, 8 parameter servers, 12 trials.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <trainspec/trainspec.hpp>

namespace render_fuzz {

/// Appends byte `b` read as Latin-1 (U+0000-U+00FF) in UTF-8: random bytes
/// become text a JSON spec can hold, controls and non-ASCII included.
inline void latin1_to_utf8(std::string& out, std::uint8_t b) {
    if (b < 0x80) {
        out += static_cast<char>(b);
    } else {
        out += static_cast<char>(0xc0 | (b >> 6));
        out += static_cast<char>(0x80 | (b & 0x3f));
    }
}

/// Choices read from a fuzzer's input, one byte (or two, for n > 256) each.
class byte_choices {
public:
    byte_choices(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

    std::uint64_t below(std::uint64_t n) {
        if (n <= 1) return 0;
        std::uint64_t value = next();
        if (n > 256) value = value << 8 | next();
        return value % n;
    }

    /// Up to `most` characters of the input (latin1_to_utf8()): text no
    /// palette has.
    std::string raw(std::size_t most) {
        const std::size_t n = static_cast<std::size_t>(below(most + 1));
        std::string out;
        for (std::size_t i = 0; i < n && at_ < size_; ++i) latin1_to_utf8(out, data_[at_++]);
        return out;
    }

private:
    std::uint64_t next() { return at_ < size_ ? data_[at_++] : 0; }

    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t at_ = 0;
};

/// Choices drawn from std::mt19937_64, whose output the standard fixes:
/// the same seed gives the same jobs with every compiler.
class seeded_choices {
public:
    explicit seeded_choices(std::uint64_t seed) : engine_(seed) {}

    std::uint64_t below(std::uint64_t n) { return n <= 1 ? 0 : engine_() % n; }

    std::string raw(std::size_t most) {
        std::string out;
        for (auto n = below(most + 1); n > 0; --n) latin1_to_utf8(out, static_cast<std::uint8_t>(engine_() & 0xff));
        return out;
    }

private:
    std::mt19937_64 engine_;
};

namespace choose {

template <class Choices, class T>
T pick(Choices& c, std::initializer_list<T> options) {
    return options.begin()[c.below(options.size())];
}

template <class Choices>
std::string pick_text(Choices& c, std::initializer_list<const char*> options) {
    return pick(c, options);
}

/// True with probability 1/n; false once the choices are spent.
template <class Choices>
bool rarely(Choices& c, std::uint64_t n) {
    return c.below(n) == 1;
}

/// True with probability (n-1)/n; false once the choices are spent.
template <class Choices>
bool often(Choices& c, std::uint64_t n) {
    return c.below(n) != 0;
}

/// Text that means something to a shell, JSON, YAML, a template engine or
/// a terminal, in pieces that hostile_text() strings together.
inline const std::vector<std::string_view>& hostile_pieces() {
    static const std::vector<std::string_view> pieces = {
        "a",
        "lr",
        "0.5",
        " ",
        "'",
        "\"",
        "$(touch pwned)",
        "`id`",
        "\n",
        "\t",
        "\\",
        "$HOME",
        "${x}",
        ";",
        "&&",
        "|",
        "*",
        "~",
        "#",
        "\xc3\xa9",
        "\xe6\x97\xa5\xe6\x9c\xac",
        "\xf0\x9f\x98\x80",
        "-",
        "--x",
        "=",
        "%",
        "{{",
        "}}",
        "${{search_space.x}}",
        "${trialParameters.x}",
        "\r",
        "\x01",
        "!",
        "?",
        "[",
        "]",
        ": ",
        "- ",
        "<<EOF",
        "EOF",
        "\x7f",
        "\xc2\xa0",
        "",
        "'\\''",
        "$((1+1))",
        "..",
    };
    return pieces;
}

/// One of the enum's named values.
template <class Enum, class Choices>
Enum any(Choices& c) {
    const auto values = trainspec::enum_values<Enum>();
    return values[static_cast<std::size_t>(c.below(values.size()))];
}

}  // namespace choose

/// One to four hostile pieces, or (rarely) raw bytes of the source.
template <class Choices>
std::string hostile_text(Choices& c) {
    if (choose::rarely(c, 8)) return c.raw(12);
    const auto& pieces = choose::hostile_pieces();
    std::string out;
    const auto n = 1 + c.below(4);
    for (std::uint64_t i = 0; i < n; ++i) out += pieces[c.below(pieces.size())];
    return out;
}

/// A plain value most of the time, else a hostile one.
template <class Choices>
std::string some_text(Choices& c, std::initializer_list<const char*> plain) {
    if (choose::rarely(c, 4)) return hostile_text(c);
    return choose::pick_text(c, plain);
}

template <class Choices>
trainspec::param_scalar random_scalar(Choices& c) {
    switch (c.below(6)) {
        case 0:
            return std::int64_t{1} + static_cast<std::int64_t>(c.below(512));
        case 1:
            return choose::pick(c, {0.01, 1e-05, 2.0, 1e21, -0.0, 0.1 + 0.2, 123456.789, -3.5});
        case 2:
            return c.below(2) == 1;
        case 3:
            return choose::pick(c, {std::int64_t{0}, std::int64_t{-1}, INT64_MAX, INT64_MIN});
        default:
            return some_text(c, {"adam", "/data/my set", "relu", "it's", "a,b", ""});
    }
}

template <class Choices>
trainspec::param_value random_param_value(Choices& c) {
    switch (c.below(5)) {
        case 0:
            return nullptr;
        case 1: {
            trainspec::param_value::list values;
            const auto n = 1 + c.below(3);
            for (std::uint64_t i = 0; i < n; ++i) values.push_back(random_scalar(c));
            return values;
        }
        default:
            return std::visit([](const auto& v) { return trainspec::param_value(v); }, random_scalar(c).get());
    }
}

template <class Choices>
std::string random_param_key(Choices& c) {
    return some_text(c, {"--epochs", "--lr", "--data-dir", "--verbose", "-v", "--batch_size", "--tag"});
}

template <class Choices>
trainspec::sweep_settings random_sweep(Choices& c) {
    using namespace trainspec;
    sweep_settings sweep;
    sampling_algorithm sampling;
    sampling.type = choose::pick(c, {sampling_kind::random, sampling_kind::grid, sampling_kind::bayesian});
    if (sampling.type == sampling_kind::random) {
        if (choose::often(c, 2)) sampling.seed = static_cast<std::int64_t>(c.below(max_sweep_seed + 2));
        if (choose::rarely(c, 3)) sampling.rule = choose::pick(c, {random_rule::random, random_rule::sobol});
    }
    sweep.sampling = sampling;
    static constexpr const char* names[] = {"--lr", "--batch-size", "--optimizer", "--momentum"};
    const auto first = c.below(4);
    const auto parameters = 1 + c.below(3);
    for (std::uint64_t i = 0; i < parameters; ++i) {
        sweep_parameter p;
        p.name = choose::rarely(c, 5) ? hostile_text(c) : names[(first + i) % 4];
        // A name given twice is left out: the spec's search_space is a JSON object.
        const bool repeated = std::any_of(sweep.search_space.begin(), sweep.search_space.end(),
                                          [&](const sweep_parameter& q) { return q.name == p.name; });
        auto& d = p.value;
        switch (*sampling.type) {
            case sampling_kind::grid:
                d.type = distribution_kind::choice;
                break;
            case sampling_kind::bayesian:
                d.type = choose::pick(
                    c, {distribution_kind::choice, distribution_kind::uniform, distribution_kind::quniform});
                break;
            case sampling_kind::random:
                d.type = choose::any<distribution_kind>(c);
                break;
        }
        switch (*d.type) {
            case distribution_kind::choice: {
                const auto n = 1 + c.below(4);
                for (std::uint64_t v = 0; v < n; ++v) d.values.push_back(random_scalar(c));
                break;
            }
            case distribution_kind::randint:
                d.upper = static_cast<std::int64_t>(1 + c.below(100));
                break;
            case distribution_kind::uniform:
            case distribution_kind::quniform:
            case distribution_kind::loguniform:
            case distribution_kind::qloguniform:
                d.min_value = choose::pick(c, {0.001, -6.0, 0.5, 16.0});
                d.max_value = *d.min_value + choose::pick(c, {1.0, 0.25, 240.0});
                break;
            default:
                d.mu = choose::pick(c, {0.0, 1.0, -2.5});
                d.sigma = choose::pick(c, {1.0, 0.1, 3.0});
                break;
        }
        if (*d.type == distribution_kind::quniform || *d.type == distribution_kind::qloguniform ||
            *d.type == distribution_kind::qnormal || *d.type == distribution_kind::qlognormal)
            d.q = choose::pick(c, {0.01, 1.0, 16.0});
        if (!repeated) sweep.search_space.push_back(std::move(p));
    }
    sweep_objective objective;
    objective.primary_metric = some_text(c, {"accuracy", "val-loss", "val_acc", "loss|train"});
    objective.goal = choose::pick(c, {objective_goal::maximize, objective_goal::minimize});
    sweep.objective = objective;
    sweep_limits limits;
    limits.max_total_trials = static_cast<int>(1 + c.below(12));
    if (choose::rarely(c, 3)) limits.max_concurrent_trials = static_cast<int>(1 + c.below(*limits.max_total_trials));
    if (choose::rarely(c, 4)) limits.timeout = 7200;
    if (choose::often(c, 2)) limits.trial_timeout = choose::pick(c, {std::int64_t{1800}, std::int64_t{3600}});
    sweep.limits = limits;
    if (choose::rarely(c, 4) && sampling.type != sampling_kind::bayesian) {
        early_termination t;
        t.type = choose::any<early_termination_kind>(c);
        if (t.type == early_termination_kind::bandit) t.slack_factor = 0.1;
        if (t.type == early_termination_kind::truncation_selection) {
            t.truncation_percentage = 10;
            if (choose::rarely(c, 3)) t.exclude_finished_jobs = true;
        }
        if (choose::rarely(c, 3)) t.evaluation_interval = 2;
        if (choose::rarely(c, 2)) t.delay_evaluation = 3;
        sweep.termination = t;
    }
    return sweep;
}

/// A random job spec: mostly valid, with hostile text where users write text.
template <class Choices>
trainspec::job_spec random_job(Choices& c) {
    using namespace trainspec;
    using choose::often;
    using choose::pick;
    using choose::pick_text;
    using choose::rarely;
    job_spec s;
    if (often(c, 2)) s.name = rarely(c, 12) ? hostile_text(c) : pick_text(c, {"mnist", "tf-job-1", "a", "hvd-sweep"});
    s.source_directory = rarely(c, 12) ? hostile_text(c) : pick_text(c, {"src", ".", "./my project", "a/b", "src/"});
    if (rarely(c, 5)) s.writable_source_directory = c.below(2) == 1;
    s.entry_script = rarely(c, 12) ? hostile_text(c) : pick_text(c, {"train.py", "my script.py", "dir/train.py"});
    for (auto n = c.below(5); n > 0; --n) {
        // One statement a choice: the order of a call's arguments is the compiler's.
        auto key = random_param_key(c);
        s.params.add(std::move(key), random_param_value(c));
    }

    const auto backend = c.below(4);
    const int nodes = rarely(c, 4) ? static_cast<int>(1 + c.below(8)) : static_cast<int>(1 + c.below(3));
    switch (backend) {
        case 1:
            s.distributed_backend = backend_kind::mpi;
            s.node_count = nodes;
            if (often(c, 2)) s.process_count_per_node = static_cast<int>(1 + c.below(8));
            break;
        case 2:
            s.distributed_backend = backend_kind::parameter_server;
            s.node_count = nodes;
            if (rarely(c, 5)) {
                // SageMaker's layout: a master, a worker on every other node, a ps on every node.
                s.chief_count = 1;
                s.worker_count = nodes - 1;
                s.parameter_server_count = nodes;
                break;
            }
            if (often(c, 4)) s.worker_count = static_cast<int>(1 + c.below(16));
            if (often(c, 3)) s.parameter_server_count = static_cast<int>(1 + c.below(4));
            if (rarely(c, 2)) s.chief_count = static_cast<int>(c.below(2));
            if (rarely(c, 3)) s.evaluator_count = static_cast<int>(c.below(2));
            break;
        case 3:
            s.distributed_backend = backend_kind::multi_worker;
            s.node_count = nodes;
            if (often(c, 2)) s.worker_count = static_cast<int>(1 + c.below(16));
            break;
        default:
            if (rarely(c, 5)) s.node_count = 1;
            break;
    }
    const auto tasks = effective_task_count(s);
    const int per_node = static_cast<int>((tasks + nodes - 1) / nodes);

    if (rarely(c, 6)) {
        s.vm_size = pick_text(c, {"Standard_NC6", "Standard_NC24", "Standard_ND40rs_v2", "Standard_D2_v2"});
        if (often(c, 2)) s.vm_priority = pick_text(c, {"dedicated", "lowpriority"});
    } else {
        compute_target target(backend == 0 && rarely(c, 4) ? "local"
                                                           : pick_text(c, {"gpu-cluster", "cpu-cluster", "my-aks"}));
        if (rarely(c, 3)) target.gpus_per_node = pick(c, {0, 1, 2, 4, 8});
        if (rarely(c, 4)) target.cpus_per_node = pick(c, {4, 8, 16, 64});
        if (rarely(c, 5)) target.max_nodes = pick(c, {nodes, 16});
        if (!target.is_local() && rarely(c, 4)) {
            const int hosts = nodes + static_cast<int>(c.below(2));
            for (int i = 0; i < hosts; ++i)
                target.hosts.push_back({rarely(c, 30) ? hostile_text(c) : "h" + std::to_string(i) + ".example",
                                        per_node + static_cast<int>(c.below(2))});
        }
        s.target = std::move(target);
    }
    if (often(c, 2)) s.use_gpu = c.below(3) != 0;
    if (rarely(c, 8)) s.use_docker = false;
    if (effective_use_docker(s) && rarely(c, 3))
        s.custom_docker_image = rarely(c, 12) ? hostile_text(c)
                                              : pick_text(c, {"ghcr.io/acme/tf:1", "tensorflow/tensorflow:2.15.0-gpu",
                                                              "registry.example:5000/team/img"});
    if (rarely(c, 4)) s.conda_packages = {pick_text(c, {"numpy", "scipy=1.10", "conda-forge::pandas>=2,<3"})};
    if (rarely(c, 3))
        s.pip_packages = {rarely(c, 12) ? hostile_text(c)
                                        : pick_text(c, {"pandas", "requests[security]>=2.0",
                                                        "torch==2.1; python_version < \"3.12\""})};
    const bool packages = !s.conda_packages.empty() || !s.pip_packages.empty();
    if (!packages && rarely(c, 6))
        s.conda_dependencies_file = "environment.yml";
    else if (rarely(c, 10))
        s.pip_requirements_file = "requirements.txt";
    // An image that has everything: nothing to install.
    if (s.custom_docker_image && !packages && !s.conda_dependencies_file && !s.pip_requirements_file && rarely(c, 4))
        s.user_managed = true;
    static constexpr const char* variables[] = {"NCCL_DEBUG", "MY_VAR", "A_1", "LD_PRELOAD"};
    const auto first_variable = c.below(4);
    for (std::uint64_t i = 0, n = c.below(3); i < n; ++i)
        s.environment_variables.push_back({rarely(c, 32) ? hostile_text(c) : variables[(first_variable + i) % 4],
                                           some_text(c, {"INFO", "1", "a b", ""})});
    if (effective_use_docker(s) && rarely(c, 4)) s.shm_size = pick_text(c, {"2g", "512m", "16g", "1.5g"});
    if (rarely(c, 4)) s.max_run_duration_seconds = pick(c, {std::int64_t{3600}, std::int64_t{59}, std::int64_t{86400}});
    if (rarely(c, 3))
        s.framework_version = backend == 1   ? pick_text(c, {"2.15", "1.13", "1.15", "2.0", "2.10"})
                              : backend == 3 ? pick_text(c, {"2.15", "2.20", "2.0", "2.10", "2.16"})
                                             : pick_text(c, {"2.15", "2.20", "1.13", "2.0", "1.15", "2.10", "2.16"});
    if (rarely(c, 5)) s.keras = true;
    if (backend >= 2) {
        if (rarely(c, 4)) s.port = pick(c, {2222, 3000, 65534, 1});
        if (often(c, 2)) {
            tf_config_settings t;
            if (often(c, 2)) t.profile = choose::any<tf_profile>(c);
            if (rarely(c, 3)) t.consumer = choose::any<tf_consumer>(c);
            if (t.profile != tf_profile::kubeflow && rarely(c, 3))
                t.rpc_layer = rarely(c, 8) ? hostile_text(c) : pick_text(c, {"grpc", "grpc+verbs"});
            if (t.profile == tf_profile::kubeflow && rarely(c, 3)) t.sparse = true;
            s.tf_config = t;
        }
    }
    if (backend == 1 && often(c, 2)) {
        mpi_settings m;
        if (often(c, 2)) m.flavor = choose::any<mpi_flavor>(c);
        if (rarely(c, 3)) m.allow_run_as_root = pick(c, {run_as_root::flag, run_as_root::environment});
        if (rarely(c, 4)) m.network_interface = pick_text(c, {"eth0", "ib0", "enp0s31f6"});
        if (rarely(c, 4)) m.ssh_port = pick(c, {22, 2222});
        if (rarely(c, 4)) m.open_mpi_major = pick(c, {4, 5});
        if (rarely(c, 5)) m.bind_to = pick(c, {std::optional<std::string>(), std::optional<std::string>("core")});
        if (rarely(c, 5)) m.map_by = pick(c, {std::optional<std::string>(), std::optional<std::string>("socket")});
        if (rarely(c, 4))
            m.mca.push_back(pick(c, {mca_setting{"btl_tcp_if_exclude", std::string("lo,docker0")},
                                     mca_setting{"pml", std::nullopt}, mca_setting{"btl", std::string("self,tcp")}}));
        if (rarely(c, 5)) m.extra_args = {rarely(c, 3) ? hostile_text(c) : std::string("--report-bindings")};
        if (rarely(c, 5))
            m.command_prefix = pick(c, {std::vector<std::string>{"python3", "-u"}, std::vector<std::string>{}});
        if (rarely(c, 3)) m.trusted_launcher_settings = true;
        s.mpi = std::move(m);
    }
    if (rarely(c, 6)) {
        onnx_export_settings o;
        if (rarely(c, 3)) o.saved_model = some_text(c, {"out/model", "model dir"});
        if (rarely(c, 3)) o.output = some_text(c, {"out/model.onnx", "m.onnx"});
        if (rarely(c, 3)) o.opset = pick(c, {9, 13, 18});
        s.onnx_export = o;
    }
    if (effective_use_docker(s) && !effective_user_managed(s) && rarely(c, 4))
        s.image_registry = pick_text(c, {"ghcr.io/acme/mnist", "localhost:5000/team/job"});
    if (rarely(c, 4))
        s.slurm_environment = effective_use_docker(s)
                                  ? choose::any<slurm_environment_kind>(c)
                                  : choose::pick(c, {slurm_environment_kind::conda, slurm_environment_kind::none});
    if (rarely(c, 5)) s.sweep = random_sweep(c);
    return s;
}

}  // namespace render_fuzz
