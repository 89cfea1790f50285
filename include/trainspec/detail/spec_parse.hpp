#pragma once
// Parsing a spec's text in one pass: the value, the duplicate keys (JSON
// readers keep only one of them, silently) and a syntax error with its line
// and column; the text's size, its nesting and its keys stay within
// docs/limits.md.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <trainspec/detail/json_object.hpp>
#include <trainspec/detail/json_text.hpp>
#include <trainspec/detail/problem_list.hpp>
#include <trainspec/detail/spec_paths.hpp>
#include <trainspec/error.hpp>
#include <trainspec/spec/limits.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

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

/// Builds a spec's document as nlohmann's parser does (a repeated key keeps
/// its first place and its last value) and notes the duplicate keys, which
/// JSON readers drop silently. Linear in the text: an object's keys are found
/// by hash, and the path of the value being read is one string that grows
/// and shrinks with the levels. Stops at the limits of docs/limits.md.
class spec_document_builder {
public:
    /// Thrown past a limit, once its problem is noted.
    struct stopped {};

    spec_document_builder(ojson& root, problems& found) : root_(root), found_(found) {}

    bool null() { return put(nullptr); }
    bool boolean(bool v) { return put(v); }
    bool number_integer(ojson::number_integer_t v) { return put(v); }
    bool number_unsigned(ojson::number_unsigned_t v) { return put(v); }
    bool number_float(ojson::number_float_t v, const ojson::string_t& /*text*/) { return put(v); }
    bool string(ojson::string_t& v) { return put(std::move(v)); }
    bool binary(ojson::binary_t& v) { return put(ojson::binary(v)); }
    bool start_object(std::size_t /*size*/) { return open(ojson::object()); }
    bool start_array(std::size_t /*size*/) { return open(ojson::array()); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }

    bool key(ojson::string_t& k) {
        auto& object = levels_.back();
        if (k.size() > max_key_bytes) {
            note(path_.empty() ? "$" : path_, "",
                 "holds a key of " + std::to_string(k.size()) + " bytes; a key names a variable, a parameter or a " +
                     "setting, and has at most " + std::to_string(max_key_bytes) + " bytes (docs/limits.md)");
            throw stopped{};
        }
        bool fresh = false;
        object.slot = &object.members.at(k, &fresh);
        if (!fresh) {
            std::string rule = "duplicate key; JSON readers keep only one of them";
            if (path_ == "script_params")
                rule += " (a repeated parameter needs the array form [[\"--x\", 1], [\"--x\", 2]])";
            note(path_ + key_segment(path_, k), "", std::move(rule));
        }
        object.key = std::move(k);
        return true;
    }

    /// nlohmann's own error, thrown as its parser throws it.
    template <class Exception>
    bool parse_error(std::size_t /*position*/, const std::string& /*token*/, const Exception& e) {
        throw e;
    }

    /// The path of the value being read: "$" outside the document.
    std::string value_path() const { return levels_.empty() ? "$" : path_ + next_segment(); }

private:
    struct level {
        ojson* container;
        std::size_t path_size;    ///< path_'s size inside this level
        ordered_members members;  ///< objects: the keys so far
        ojson* slot = nullptr;    ///< objects: where the last key's value goes
        std::string key;          ///< objects: the last key
    };

    void note(std::string path, std::string value, std::string rule) {
        list_problem(found_, {std::move(path), std::move(value), std::move(rule)});
    }

    /// What the next value adds to the path of the level it is read in.
    std::string next_segment() const {
        const auto& parent = levels_.back();
        if (parent.container->is_array()) return "[" + std::to_string(parent.container->size()) + "]";
        return key_segment(path_, parent.key);
    }

    /// Where the next value goes.
    ojson& next_slot() {
        if (levels_.empty()) return root_;
        auto& parent = levels_.back();
        if (!parent.container->is_array()) return *parent.slot;
        auto& items = parent.container->get_ref<ojson::array_t&>();
        items.emplace_back();
        return items.back();
    }

    template <class Value>
    bool put(Value&& v) {
        next_slot() = ojson(std::forward<Value>(v));
        return true;
    }

    bool open(ojson container) {
        std::string segment = levels_.empty() ? std::string() : next_segment();
        if (levels_.size() >= static_cast<std::size_t>(max_spec_depth)) {
            note(path_ + segment, "",
                 "nests arrays and objects " + std::to_string(levels_.size() + 1) +
                     " deep; a spec nests them at most " + std::to_string(max_spec_depth) + " deep (docs/limits.md)");
            throw stopped{};
        }
        ojson& slot = next_slot();
        slot = std::move(container);
        path_ += segment;
        levels_.push_back({&slot, path_.size(), ordered_members(slot), nullptr, {}});
        return true;
    }

    bool close() {
        levels_.pop_back();
        path_.resize(levels_.empty() ? 0 : levels_.back().path_size);
        return true;
    }

    ojson& root_;
    problems& found_;
    std::vector<level> levels_;
    std::string path_;  ///< the path of the innermost level
};

/// Parses `text` into `out`. Duplicate keys and a syntax error go to
/// `found`; false on a syntax error or past a limit of docs/limits.md.
inline bool parse_spec_text(std::string_view text, ojson& out, problems& found) {
    if (text.size() > max_spec_bytes) {
        list_problem(found, {"$", "",
                             "the spec has " + std::to_string(text.size()) + " bytes; a spec has at most " +
                                 std::to_string(max_spec_bytes) + " (docs/limits.md)"});
        return false;
    }
    spec_document_builder builder(out, found);
    try {
        ojson::sax_parse(text.begin(), text.end(), &builder);
    } catch (const spec_document_builder::stopped&) {
        return false;
    } catch (const ojson::parse_error& e) {
        // The position is ours; the parser's own words say what it expected.
        const std::string what = e.what();
        const auto said = what.find("syntax error ");
        const auto description = said == std::string::npos ? what : what.substr(said + 13);
        list_problem(found, {"$", "", "syntax error " + parse_position(text, e.byte) + ": " + description});
        return false;
    } catch (const ojson::out_of_range& e) {
        // A number beyond a double: "number overflow parsing '1e400'".
        const std::string what = e.what();
        const std::string name = "[json.exception.out_of_range." + std::to_string(e.id) + "] ";
        list_problem(found, {builder.value_path(), "", what.rfind(name, 0) == 0 ? what.substr(name.size()) : what});
        return false;
    }
    return true;
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
