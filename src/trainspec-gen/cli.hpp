#pragma once
// The command-line plumbing of trainspec-gen: a table of verbs, each with
// its operands and options, and the argv parser that reads a verb's
// arguments against its entry. No CLI library: the grammar is small.
//
//   trainspec-gen VERB [OPERAND...] [--option VALUE | --option=VALUE | --switch]... [--] [OPERAND...]

#include <algorithm>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <trainspec/spec_json.hpp>

namespace trainspec_gen {

/// A command line that does not fit the grammar: exit 2, with a pointer to --help.
class usage_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Input that cannot be used (an unreadable file, ...): exit 2, message as is.
class input_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// One option, declared once as a named constant (options.hpp,
/// render_options.hpp): verbs list it, and read its values through it.
struct option {
    std::string_view name;        ///< "--hosts"
    std::string_view value_name;  ///< "H"; empty for a switch that takes no value
    std::string_view help;

    bool is_switch() const { return value_name.empty(); }
    /// "--hosts H", "--all": as usage lines and messages show it.
    std::string usage() const {
        return is_switch() ? std::string(name) : std::string(name) + " " + std::string(value_name);
    }
};

/// An option as a verb lists it: the declaration, and the verb's own help
/// text when the option means something more specific there.
struct verb_option {
    const option* declaration;
    std::string_view help;  ///< "" for the declaration's help

    std::string_view shown_help() const { return help.empty() ? declaration->help : help; }
};

/// `o` in a verb's list of options.
inline verb_option listed(const option& o, std::string_view help = {}) { return {&o, help}; }

/// A verb's arguments after parsing. Options are read through their
/// declarations; reading one the verb does not list is a defect of the
/// program, reported as an internal error.
class arguments {
public:
    arguments(std::string_view verb_name, const std::vector<verb_option>& listed_options) : verb_name_(verb_name) {
        for (const auto& o : listed_options) listed_.push_back(o.declaration);
    }

    std::vector<std::string> operands;
    bool help = false;  ///< -h or --help was given

    /// Records a value (empty for a switch) of a listed option.
    void add(const option& o, std::string value) {
        require_listed(o);
        given_.emplace_back(&o, std::move(value));
    }
    /// True when the verb lists `o` (whether or not it was given).
    bool takes(const option& o) const { return std::find(listed_.begin(), listed_.end(), &o) != listed_.end(); }
    bool has(const option& o) const {
        require_listed(o);
        return std::any_of(given_.begin(), given_.end(), [&o](const auto& g) { return g.first == &o; });
    }
    /// True when the verb lists `o` and it was given.
    bool given(const option& o) const { return takes(o) && has(o); }
    /// Every value given for `o`, in command-line order.
    std::vector<std::string> values(const option& o) const {
        require_listed(o);
        std::vector<std::string> out;
        for (const auto& g : given_)
            if (g.first == &o) out.push_back(g.second);
        return out;
    }
    /// The value given last for `o`, if any.
    std::optional<std::string> value(const option& o) const {
        require_listed(o);
        for (auto it = given_.rbegin(); it != given_.rend(); ++it)
            if (it->first == &o) return it->second;
        return std::nullopt;
    }

private:
    void require_listed(const option& o) const {
        if (!takes(o))
            throw std::logic_error(std::string(verb_name_) + " reads option '" + std::string(o.name) +
                                   "', which it does not list");
    }

    std::string_view verb_name_;
    std::vector<const option*> listed_;
    std::vector<std::pair<const option*, std::string>> given_;
};

/// One verb: its usage, its options and the function that runs it. Each
/// verb's file fills one in (verbs.hpp), field by field.
struct verb {
    std::string_view name;      ///< "validate"
    std::string_view operands;  ///< "SPEC", for the usage line
    std::string required;       ///< options the verb needs, for the usage line ("" for none)
    std::string_view summary;   ///< one line for --help
    std::size_t min_operands = 0;
    std::size_t max_operands = 0;
    std::vector<verb_option> options;
    int (*run)(const arguments&) = nullptr;
    std::string_view notes;  ///< more text for the verb's own --help ("" for none)
};

/// A verb that reads one spec file: `name SPEC`. The caller adds the rest.
inline verb spec_verb(std::string_view name, std::string_view summary, int (*run)(const arguments&)) {
    verb v;
    v.name = name;
    v.operands = "SPEC";
    v.min_operands = 1;
    v.max_operands = 1;
    v.summary = summary;
    v.run = run;
    return v;
}

/// `name OPERANDS REQUIRED`, and ` [OPTIONS]` when `with_options` and the
/// verb has options: the verb's usage line, without the program.
inline std::string synopsis(const verb& v, bool with_options) {
    std::string text(v.name);
    if (!v.operands.empty()) text += " " + std::string(v.operands);
    if (!v.required.empty()) text += " " + std::string(v.required);
    if (with_options && !v.options.empty()) text += " [OPTIONS]";
    return text;
}

/// "did you mean" text for `word` among `candidates`, or "".
inline std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    if (auto hint = trainspec::closest_match(word, candidates)) return "; did you mean '" + *hint + "'?";
    return "";
}

/// `text` as a whole number in [0, max]: digits only, no sign, no spaces.
inline std::optional<int> parse_whole_number(std::string_view text, int max) {
    if (text.empty() || text.size() > 10) return std::nullopt;
    long long n = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
    }
    if (n > max) return std::nullopt;
    return static_cast<int>(n);
}

/// Reads `args` (the words after the verb) against `v`'s table entry.
/// Throws usage_error naming the first word that does not fit.
inline arguments parse_arguments(const verb& v, const std::vector<std::string>& args) {
    arguments parsed(v.name, v.options);
    auto find_option = [&v](std::string_view name) -> const option* {
        for (const auto& o : v.options)
            if (o.declaration->name == name) return o.declaration;
        return nullptr;
    };
    const std::string where(v.name);
    bool only_operands = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& word = args[i];
        if (only_operands || word == "-" || word.empty() || word.front() != '-') {
            parsed.operands.push_back(word);
            continue;
        }
        if (word == "--") {
            only_operands = true;
            continue;
        }
        if (word == "-h" || word == "--help") {
            parsed.help = true;
            continue;
        }
        const auto equals = word.find('=');
        const std::string name = word.substr(0, equals);
        const option* o = find_option(name);
        if (o == nullptr) {
            std::vector<std::string> known{"--help"};
            for (const auto& known_option : v.options) known.emplace_back(known_option.declaration->name);
            throw usage_error(where + ": unknown option '" + name + "'" + did_you_mean(name, known));
        }
        if (o->is_switch()) {
            if (equals != std::string::npos) throw usage_error(where + ": option '" + name + "' takes no value");
            parsed.add(*o, "");
        } else if (equals != std::string::npos) {
            parsed.add(*o, word.substr(equals + 1));
        } else if (i + 1 < args.size()) {
            parsed.add(*o, args[++i]);
        } else {
            throw usage_error(where + ": option '" + name + "' needs a value " + std::string(o->value_name));
        }
    }
    if (parsed.help) return parsed;
    if (parsed.operands.size() < v.min_operands) throw usage_error(where + ": missing " + std::string(v.operands));
    if (parsed.operands.size() > v.max_operands)
        throw usage_error(where + ": unexpected argument '" + parsed.operands[v.max_operands] + "'");
    return parsed;
}

/// A plain text table: columns separated by two spaces, widths fitted to
/// the content, numbers right-aligned, no trailing spaces.
class text_table {
public:
    struct column {
        std::string title;
        bool right_aligned = false;
    };

    explicit text_table(std::vector<column> columns) : columns_(std::move(columns)) {}

    void add_row(std::vector<std::string> cells) {
        cells.resize(columns_.size());
        rows_.push_back(std::move(cells));
    }

    std::string render() const {
        std::vector<std::size_t> widths;
        for (const auto& c : columns_) widths.push_back(c.title.size());
        for (const auto& row : rows_)
            for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());

        std::string out;
        auto line = [&](auto cell_at) {
            std::string text;
            for (std::size_t i = 0; i < columns_.size(); ++i) {
                const std::string& cell = cell_at(i);
                const std::string padding(widths[i] - cell.size(), ' ');
                if (i != 0) text += "  ";
                text += columns_[i].right_aligned ? padding + cell : cell + padding;
            }
            while (!text.empty() && text.back() == ' ') text.pop_back();
            out += text + "\n";
        };
        line([&](std::size_t i) -> const std::string& { return columns_[i].title; });
        for (const auto& row : rows_) line([&](std::size_t i) -> const std::string& { return row[i]; });
        return out;
    }

private:
    std::vector<column> columns_;
    std::vector<std::vector<std::string>> rows_;
};

/// `text` made safe for one line of a terminal: control characters become
/// JSON-style escapes, so that a key in a spec file cannot break the
/// one-problem-per-line output or send terminal escape sequences.
inline std::string one_line(std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\r') {
            out += "\\r";
        } else if (byte < 0x20 || byte == 0x7f) {
            out += "\\u00";
            out += hex[byte >> 4];
            out += hex[byte & 0xF];
        } else {
            out += c;
        }
    }
    return out;
}

/// Every name of an enum, for did-you-mean.
template <class Enum>
std::vector<std::string> names_of() {
    std::vector<std::string> names;
    for (auto e : trainspec::enum_values<Enum>()) names.emplace_back(trainspec::enum_name(e));
    return names;
}

/// `value` of option `o` read as an enumerator of E; input_error names the
/// option, the closest name and every name ("unknown profile; did you mean
/// 'tf2'? (profiles: ...)").
template <class Enum>
Enum enum_option_value(const option& o, const std::string& value, std::string_view noun, std::string_view nouns) {
    if (auto e = trainspec::enum_from_name<Enum>(value)) return *e;
    throw input_error(std::string(o.name) + " '" + one_line(value) + "': unknown " + std::string(noun) +
                      did_you_mean(value, names_of<Enum>()) + " (" + std::string(nouns) + ": " +
                      trainspec::enum_name_list<Enum>() + ")");
}

}  // namespace trainspec_gen
