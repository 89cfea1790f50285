// The two front ends agree: a seed job written with the typed builder
// (seed_jobs.hpp) equals the job loaded from its JSON spec file.
//
//   builder_matches_spec SCENARIO SPEC
//
// SCENARIO is tf-mnist, tf-horovod-word2vec, tf-ps-mnist or keras-mnist;
// exit 0 when both give the same job, 1 when they differ (each differing key
// is listed), 2 when SPEC cannot be read or is not a valid job.

#include <cstdio>
#include <exception>
#include <fstream>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <trainspec/trainspec.hpp>

#include "seed_jobs.hpp"

namespace {

/// The keys whose values differ, in spec key order, as "key: builder X, spec Y".
std::vector<std::string> differences(const nlohmann::ordered_json& built, const nlohmann::ordered_json& loaded) {
    std::vector<std::string> lines;
    auto shown = [](const nlohmann::ordered_json& doc, const std::string& key) {
        return doc.contains(key) ? doc.at(key).dump() : std::string("(absent)");
    };
    for (const auto& key : trainspec::spec_keys())
        if (shown(built, key) != shown(loaded, key))
            lines.push_back(key + ": builder " + shown(built, key) + ", spec " + shown(loaded, key));
    return lines;
}

/// 0 when the loaded job is the built one (same backend, same spec), else 1
/// with the differing keys.
template <class Backend>
int compare(const trainspec::job<Backend>& built, const trainspec::any_job& loaded, const std::string& path) {
    const auto built_json = trainspec::to_json(built.spec());
    const auto loaded_json = trainspec::to_json(trainspec::spec_of(loaded));
    // Same backend, same spec: job<Backend>'s == compares the specs.
    const auto* typed = std::get_if<trainspec::job<Backend>>(&loaded);
    const bool same_job = typed != nullptr && *typed == built;
    if (same_job && built_json == loaded_json) {
        fmt::print("{}: the builder's job equals the job loaded from {}\n", built.name(), path);
        return 0;
    }
    fmt::print("{}: the builder's job differs from the job loaded from {}\n", built.name(), path);
    for (const auto& line : differences(built_json, loaded_json)) fmt::print("  {}\n", line);
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        fmt::print(stderr, "usage: builder_matches_spec SCENARIO SPEC\n");
        return 2;
    }
    const std::string scenario = argv[1];
    const std::string path = argv[2];
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    if (!in || !(text << in.rdbuf())) {
        fmt::print(stderr, "builder_matches_spec: cannot read {}\n", path);
        return 2;
    }
    try {
        const trainspec::any_job loaded = trainspec::load_job(text.str());
        if (scenario == "tf-mnist") return compare(seed_jobs::tf_mnist(), loaded, path);
        if (scenario == "tf-horovod-word2vec") return compare(seed_jobs::tf_horovod_word2vec(), loaded, path);
        if (scenario == "tf-ps-mnist") return compare(seed_jobs::tf_ps_mnist(), loaded, path);
        if (scenario == "keras-mnist") return compare(seed_jobs::keras_mnist(), loaded, path);
        fmt::print(stderr, "builder_matches_spec: unknown scenario {}\n", scenario);
        return 2;
    } catch (const trainspec::validation_error& e) {
        fmt::print(stderr, "builder_matches_spec: {}: {}\n", path, e.what());
        return 2;
    } catch (const std::exception& e) {
        fmt::print(stderr, "builder_matches_spec: {}\n", e.what());
        return 1;
    }
}
