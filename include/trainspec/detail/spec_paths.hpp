#pragma once
// The paths problems name in a spec (`a.b`, `list[2]`, and the bracket form
// of the maps of free-form names, `script_params["--lr"]`), as the reader
// and validate() write them, and the search of a spec's document for a text.

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// What a key adds to the path of the object at `parent` ("" for the
/// document).
inline std::string key_segment(std::string_view parent, const std::string& key) {
    if (parent.empty()) return key;
    if (parent == "script_params" || parent == "environment_variables" || parent == "mpi.mca" ||
        parent == "sweep.search_space")
        return "[" + quote_json(key) + "]";
    return "." + key;
}

/// The path of the first text in `doc` (a key or a string, in document
/// order) for which `holds(text)` is true, or "" when there is none.
template <class Holds>
std::string first_text_path(const nlohmann::ordered_json& doc, const Holds& holds, const std::string& path = {}) {
    if (doc.is_string()) return holds(doc.get_ref<const std::string&>()) ? path : std::string();
    if (!doc.is_structured()) return {};
    std::size_t i = 0;
    for (auto it = doc.begin(); it != doc.end(); ++it, ++i) {
        const std::string at =
            doc.is_object() ? path + key_segment(path, it.key()) : path + "[" + std::to_string(i) + "]";
        if (doc.is_object() && holds(it.key())) return at;
        if (auto found = first_text_path(*it, holds, at); !found.empty()) return found;
    }
    return {};
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
