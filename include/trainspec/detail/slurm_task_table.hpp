#pragma once
// The plan as a Slurm script hands it to its tasks: the task table, the
// TF_CONFIG each task builds from it, and the GPUs it picks (docs/slurm.md).

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <trainspec/detail/join.hpp>
#include <trainspec/detail/tf_config_writer.hpp>
#include <trainspec/launch.hpp>
#include <trainspec/plan.hpp>
#include <trainspec/render/tf_config.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// The GPUs one node is asked for: the most any host's tasks use.
inline int gpus_per_node(const job_spec& s, const std::vector<task>& tasks, std::size_t host_count) {
    std::vector<int> used(host_count, 0);
    for (const auto& t : tasks) used[t.host_index] += granted_gpus(s, t);
    return used.empty() ? 0 : *std::max_element(used.begin(), used.end());
}

inline std::string gpu_field(const std::optional<std::vector<int>>& gpus) {
    if (!gpus) return "-";
    if (gpus->empty()) return "none";
    return join(*gpus, ",", [](int g) { return std::to_string(g); });
}

/// The task table: one row per task, `NODE LOCAL TYPE INDEX PORT GPUS`.
inline std::string task_table(const std::vector<task>& tasks) {
    std::string table;
    for (const auto& t : tasks) {
        table += fmt::format("{} {} {} {} {} {}\n", t.host_index, t.local_rank, enum_name(t.type), t.index, t.port,
                             gpu_field(t.gpus));
    }
    return table;
}

/// Picks a task's GPUs, as positions within what Slurm granted the step on
/// its node (CUDA_VISIBLE_DEVICES, global indices without device cgroups);
/// the positions themselves when Slurm manages no GPUs.
inline constexpr std::string_view slurm_gpu_code = R"(case $trainspec_gpus in
    -) ;;
    none) CUDA_VISIBLE_DEVICES=; export CUDA_VISIBLE_DEVICES ;;
    *)
        if [ -n "${CUDA_VISIBLE_DEVICES:-}" ]; then
            CUDA_VISIBLE_DEVICES=$(awk -v want="$trainspec_gpus" -v granted="$CUDA_VISIBLE_DEVICES" 'BEGIN {
                n = split(granted, g, ","); m = split(want, w, ","); out = ""
                for (i = 1; i <= m; i++) {
                    if (w[i] + 1 > n) { print "trainspec: Slurm granted GPUs " granted "; this task needs position " w[i] > "/dev/stderr"; exit 1 }
                    out = out (i > 1 ? "," : "") g[w[i] + 1]
                }
                print out }')
        else
            CUDA_VISIBLE_DEVICES=$trainspec_gpus
        fi
        export CUDA_VISIBLE_DEVICES
        ;;
esac
)";

/// Builds TF_CONFIG from the task table and the allocated hosts: the cluster
/// keys in TRAINSPEC_TF_KEYS (`type=key`, in the writer's order), the task's
/// own type and index, then TRAINSPEC_TF_TAIL.
inline constexpr std::string_view slurm_tf_config_code =
    R"(TF_CONFIG=$(awk -v me_type="$trainspec_type" -v me_index="$trainspec_index" 'BEGIN {
    split(ENVIRON["TRAINSPEC_HOSTS"], host, " ")
    rows = split(ENVIRON["TRAINSPEC_TASKS"], row, "\n")
    keys = split(ENVIRON["TRAINSPEC_TF_KEYS"], pair, " ")
    for (k = 1; k <= keys; k++) { split(pair[k], kv, "="); type[k] = kv[1]; key[kv[1]] = kv[2]; size[kv[1]] = 0 }
    for (r = 1; r <= rows; r++) {
        if (split(row[r], f, " ") < 6 || !(f[3] in size)) continue
        address[f[3], f[4]] = host[f[1] + 1] ":" f[5]
        if (f[4] + 1 > size[f[3]]) size[f[3]] = f[4] + 1
    }
    out = "{\"cluster\":{"
    for (k = 1; k <= keys; k++) {
        out = out (k > 1 ? "," : "") "\"" key[type[k]] "\":["
        for (i = 0; i < size[type[k]]; i++) out = out (i > 0 ? "," : "") "\"" address[type[k], i] "\""
        out = out "]"
    }
    own = me_type in key ? key[me_type] : ENVIRON["TRAINSPEC_TF_OWN_KEY"]
    printf "%s", out "},\"task\":{\"type\":\"" own "\",\"index\":" me_index "}" ENVIRON["TRAINSPEC_TF_TAIL"] }')
export TF_CONFIG
)";

/// The cluster's keys for TRAINSPEC_TF_KEYS: `type=key`, sorted by key as
/// the writer sorts them (sagemaker's chief is "master").
template <class Backend>
std::string tf_config_keys(const cluster<Backend>& c, const tf_config_writer& writer) {
    std::vector<std::pair<std::string_view, task_type>> keys;
    for (auto type : {task_type::chief, task_type::worker, task_type::ps, task_type::evaluator})
        if (writer.in_cluster(type) && c.count(type) > 0) keys.emplace_back(writer.job_key(type), type);
    std::sort(keys.begin(), keys.end());
    return join(keys, " ", [](const std::pair<std::string_view, task_type>& k) {
        return std::string(enum_name(k.second)) + "=" + std::string(k.first);
    });
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
