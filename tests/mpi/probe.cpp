// The program the real-launch tests start on every rank instead of
// `python train.py`. It is no MPI program: it reports what the launcher gave
// it, as one JSON object:
//
//   {"runtime": "openmpi" | "pmi" | "none",
//    "rank": R, "size": S, "local_rank": L, "local_size": N,
//    "argv": [...],                        every argument, exactly
//    "env": {"NAME": "value" | null, ...}}  the variables TRAINSPEC_PROBE_ENV lists (comma-separated)
//
// Rank variables: Open MPI's OMPI_COMM_WORLD_RANK/SIZE/LOCAL_RANK/LOCAL_SIZE,
// else Hydra's PMI_RANK/PMI_SIZE/MPI_LOCALRANKID/MPI_LOCALNRANKS (-1 when
// absent). With TRAINSPEC_PROBE_OUT set, the object goes to
// $TRAINSPEC_PROBE_OUT/rank-R.json (written to a temporary name, then
// renamed), else to stdout.

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include <unistd.h>

#include <nlohmann/json.hpp>

namespace {

int number(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return -1;
    char* end = nullptr;
    const long n = std::strtol(value, &end, 10);
    return *end == '\0' ? static_cast<int>(n) : -2;
}

}  // namespace

int main(int argc, char** argv) {
    nlohmann::json report;
    if (std::getenv("OMPI_COMM_WORLD_RANK") != nullptr) {
        report["runtime"] = "openmpi";
        report["rank"] = number("OMPI_COMM_WORLD_RANK");
        report["size"] = number("OMPI_COMM_WORLD_SIZE");
        report["local_rank"] = number("OMPI_COMM_WORLD_LOCAL_RANK");
        report["local_size"] = number("OMPI_COMM_WORLD_LOCAL_SIZE");
    } else if (std::getenv("PMI_RANK") != nullptr) {
        report["runtime"] = "pmi";
        report["rank"] = number("PMI_RANK");
        report["size"] = number("PMI_SIZE");
        report["local_rank"] = number("MPI_LOCALRANKID");
        report["local_size"] = number("MPI_LOCALNRANKS");
    } else {
        report["runtime"] = "none";
        report["rank"] = report["size"] = report["local_rank"] = report["local_size"] = -1;
    }

    auto args = nlohmann::json::array();
    for (int i = 0; i < argc; ++i) args.push_back(argv[i]);
    report["argv"] = args;

    auto env = nlohmann::json::object();
    if (const char* names = std::getenv("TRAINSPEC_PROBE_ENV")) {
        std::string list = names;
        std::size_t start = 0;
        while (start <= list.size()) {
            const auto comma = list.find(',', start);
            const auto name = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            if (!name.empty()) {
                const char* value = std::getenv(name.c_str());
                env[name] = value != nullptr ? nlohmann::json(value) : nlohmann::json(nullptr);
            }
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
    }
    report["env"] = env;

    // Bytes that are not UTF-8 are replaced rather than aborting the report.
    const auto text = report.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    const char* out = std::getenv("TRAINSPEC_PROBE_OUT");
    if (out == nullptr || *out == '\0') {
        std::cout << text << '\n';
        return std::cout ? 0 : 1;
    }
    const int rank = report["rank"].get<int>();
    const std::string base = std::string(out) + "/rank-" + (rank >= 0 ? std::to_string(rank) : "unknown");
    const std::string temporary = base + ".tmp." + std::to_string(getpid());
    {
        std::ofstream file(temporary);
        file << text << '\n';
        if (!file) {
            std::cerr << "probe: cannot write " << temporary << '\n';
            return 1;
        }
    }
    if (std::rename(temporary.c_str(), (base + ".json").c_str()) != 0) {
        std::perror(("probe: rename to " + base + ".json").c_str());
        return 1;
    }
    return 0;
}
