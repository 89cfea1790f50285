// The baseline a header-only user already pays: nlohmann/json and {fmt},
// one object dumped and one line formatted.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <string>

std::string baseline() {
    nlohmann::json j = {{"cluster", {{"worker", {"a:2222", "b:2222"}}}}, {"task", {{"type", "worker"}, {"index", 0}}}};
    return j.dump() + fmt::format("{} tasks\n", 2);
}
