#pragma once
// The identifiers engines give a sweep's parameters (Azure ML's
// ${{search_space.<id>}}, Katib's ${trialParameters.<id>}): the parameter's
// name without its leading dashes, each character outside [A-Za-z0-9_] as
// '_', '_' in front of a leading digit; a repeat gets _2, _3, ...

#include <string>
#include <unordered_set>
#include <vector>

#include <trainspec/spec/sweep.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

inline std::vector<std::string> sweep_parameter_ids(const sweep_settings& sweep) {
    std::vector<std::string> ids;
    std::unordered_set<std::string> taken;
    for (const auto& parameter : sweep.search_space) {
        std::string id;
        std::size_t start = parameter.name.find_first_not_of('-');
        if (start == std::string::npos) start = parameter.name.size();
        for (std::size_t i = start; i < parameter.name.size(); ++i) {
            const char c = parameter.name[i];
            const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            id += word ? c : '_';
        }
        if (id.empty() || (id[0] >= '0' && id[0] <= '9')) id.insert(0, "_");
        std::string unique = id;
        for (int n = 2; !taken.insert(unique).second; ++n) unique = id + "_" + std::to_string(n);
        ids.push_back(unique);
    }
    return ids;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
