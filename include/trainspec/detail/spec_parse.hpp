#pragma once
// Parsing a spec's text in one pass: the value, the duplicate keys (JSON
// readers keep only one of them, silently) and a syntax error with its line
// and column.

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <trainspec/detail/json_text.hpp>
#include <trainspec/error.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// The path of a key inside the object at `parent` ("" for the document).
/// The maps of free-form names use the bracket form of validate().
inline std::string key_path(const std::string& parent, const std::string& key) {
    if (parent.empty()) return key;
    if (parent == "script_params" || parent == "environment_variables" || parent == "mpi.mca")
        return parent + "[" + quote_json(key) + "]";
    return parent + "." + key;
}

/// "at line L, column C" of the parser's byte position, counted as the
/// parser counts: a column is the bytes read on its line, and a newline the
/// parser looked at past a number and put back leaves column 0.
inline std::string parse_position(std::string_view text, std::size_t byte) {
    const auto read = text.substr(0, byte);
    std::size_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < read.size(); ++i)
        if (read[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    std::size_t column = byte - line_start;
    const bool put_back_newline =
        byte > 0 && byte < text.size() && text[byte] == '\n' && text[byte - 1] >= '0' && text[byte - 1] <= '9';
    if (put_back_newline) column = 0;
    return "at line " + std::to_string(line) + ", column " + std::to_string(column);
}

/// Parses `text` into `out`. Duplicate keys and a syntax error go to
/// `found`; false on a syntax error.
inline bool parse_spec_text(std::string_view text, nlohmann::ordered_json& out, problems& found) {
    using ojson = nlohmann::ordered_json;
    struct level {
        std::string path;
        bool is_array = false;
        std::size_t index = 0;  // arrays: the element being read
        std::string key;        // objects: the last key read
        std::set<std::string> keys;
    };
    std::vector<level> stack;
    auto child_path = [&stack]() -> std::string {
        if (stack.empty()) return {};
        const auto& parent = stack.back();
        return parent.is_array ? parent.path + "[" + std::to_string(parent.index) + "]"
                               : key_path(parent.path, parent.key);
    };
    auto element_done = [&stack]() {
        if (!stack.empty() && stack.back().is_array) ++stack.back().index;
    };
    auto callback = [&](int /*depth*/, ojson::parse_event_t event, ojson& parsed) {
        switch (event) {
            case ojson::parse_event_t::object_start:
            case ojson::parse_event_t::array_start: {
                level next;
                next.path = child_path();
                next.is_array = event == ojson::parse_event_t::array_start;
                stack.push_back(std::move(next));
                break;
            }
            case ojson::parse_event_t::object_end:
            case ojson::parse_event_t::array_end:
                if (!stack.empty()) stack.pop_back();
                element_done();
                break;
            case ojson::parse_event_t::key: {
                if (stack.empty()) break;
                auto& object = stack.back();
                object.key = parsed.get<std::string>();
                if (!object.keys.insert(object.key).second) {
                    std::string rule = "duplicate key; JSON readers keep only one of them";
                    if (object.path == "script_params")
                        rule += " (a repeated parameter needs the array form [[\"--x\", 1], [\"--x\", 2]])";
                    found.push_back({key_path(object.path, object.key), "", std::move(rule)});
                }
                break;
            }
            case ojson::parse_event_t::value:
                element_done();
                break;
        }
        return true;
    };
    try {
        out = ojson::parse(text.begin(), text.end(), callback);
    } catch (const ojson::parse_error& e) {
        // The position is ours; the parser's own words say what it expected.
        const std::string what = e.what();
        const auto said = what.find("syntax error ");
        const auto description = said == std::string::npos ? what : what.substr(said + 13);
        found.push_back({"$", "", "syntax error " + parse_position(text, e.byte) + ": " + description});
        return false;
    } catch (const ojson::out_of_range& e) {
        // A number beyond a double: "number overflow parsing '1e400'".
        const std::string what = e.what();
        const std::string name = "[json.exception.out_of_range." + std::to_string(e.id) + "] ";
        found.push_back(
            {stack.empty() ? "$" : child_path(), "", what.rfind(name, 0) == 0 ? what.substr(name.size()) : what});
        return false;
    }
    return true;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
