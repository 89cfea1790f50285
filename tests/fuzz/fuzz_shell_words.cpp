// libFuzzer target: script_params -> argv -> one sh line -> words again.
// The input is read as script parameters (keys, and values of every kind:
// flags, booleans, integers, finite doubles, strings, lists); to_argv()
// must render them by Azure ML's rules (script_params.hpp: key then
// value, Python's str() of each value), and the sh lines the library
// writes of that argv must read back as exactly that argv through the
// POSIX sh reader of shell_words.hpp:
//   shell_join(argv)                    a simple command running argv
//                                       (no assignment, no reserved word)
//   shell_join(python train.py argv)    the same words
//   shell_join_expanding(...)           a marker inside a word (not the
//                                       first) becomes the value of the
//                                       expansion "$here" or "${there}";
//                                       the first marker of the list found
//                                       in a word, at its first place.
// NUL bytes are dropped from the strings: an argument cannot hold one.
// shell_words_seeds.py writes the seed corpus in this target's input format.

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <trainspec/render/shell_quote.hpp>
#include <trainspec/spec/script_params.hpp>

#include "property_check.hpp"
#include "shell_words.hpp"

namespace {

using property_check::require;
using property_check::visible;

/// TRAINSPEC_FUZZ_PRINT=1 prints what an input was read as (to check the
/// seeds that shell_words_seeds.py writes, or a crash's input).
bool printing() {
    static const bool print = std::getenv("TRAINSPEC_FUZZ_PRINT") != nullptr;
    return print;
}

std::string text_of(FuzzedDataProvider& in, std::size_t max_length) {
    auto s = in.ConsumeRandomLengthString(max_length);
    s.erase(std::remove(s.begin(), s.end(), '\0'), s.end());
    return s;
}

double finite_double(FuzzedDataProvider& in) {
    const auto bits = in.ConsumeIntegral<std::uint64_t>();
    double d = 0;
    std::memcpy(&d, &bits, sizeof d);
    return std::isfinite(d) ? d : 0.0;
}

trainspec::param_scalar scalar_of(FuzzedDataProvider& in) {
    switch (in.ConsumeIntegralInRange(0, 3)) {
        case 0:
            return in.ConsumeBool();
        case 1:
            return in.ConsumeIntegral<std::int64_t>();
        case 2:
            return finite_double(in);
        default:
            return text_of(in, 32);
    }
}

trainspec::param_value value_of(FuzzedDataProvider& in) {
    switch (in.ConsumeIntegralInRange(0, 5)) {
        case 0:
            return nullptr;
        case 1:
            return in.ConsumeBool();
        case 2:
            return in.ConsumeIntegral<std::int64_t>();
        case 3:
            return finite_double(in);
        case 4:
            return text_of(in, 32);
        default: {
            trainspec::param_value::list items;
            for (int i = 0, n = in.ConsumeIntegralInRange(0, 4); i < n; ++i) items.push_back(scalar_of(in));
            return items;
        }
    }
}

/// The significant digits of a number's text, without sign, point,
/// exponent and the zeros around them.
std::string significant_digits(std::string_view text) {
    std::string digits;
    for (char c : text.substr(0, text.find('e')))
        if (c >= '0' && c <= '9') digits += c;
    digits.erase(0, std::min(digits.size(), digits.find_first_not_of('0')));
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    return digits;
}

/// Python's str() of a finite float (repr's 'r' format): the shortest
/// digits that read back as the same double; exponent notation exactly when
/// the decimal exponent is below -4 or 16 and above, written e-05 / e+16;
/// otherwise fixed notation that always has a point ("2.0").
void check_float_text(double d, const std::string& text) {
    const std::string shown = visible(text);
    require(
        std::strtod(text.c_str(), nullptr) == d && std::signbit(std::strtod(text.c_str(), nullptr)) == std::signbit(d),
        "a float's text reads back as the same double", shown);
    int precision = 0;
    char shortest[64];
    for (; precision <= 17; ++precision) {
        std::snprintf(shortest, sizeof shortest, "%.*e", precision, d);
        if (std::strtod(shortest, nullptr) == d) break;
    }
    require(significant_digits(text).size() <= significant_digits(shortest).size(),
            "a float's text has no more digits than needed", shown + " vs " + shortest);
    const int exponent = d == 0 ? 0 : std::atoi(std::strchr(shortest, 'e') + 1);
    const auto e = text.find('e');
    require((e != std::string::npos) == (exponent < -4 || exponent >= 16), "Python's choice of exponent notation",
            shown);
    if (e != std::string::npos) {
        const auto digits = std::string_view(text).substr(e + 2);
        require((text[e + 1] == '+' || text[e + 1] == '-') && digits.size() >= 2 &&
                    digits.find_first_not_of("0123456789") == std::string_view::npos &&
                    (digits.size() == 2 || digits[0] != '0'),
                "an exponent has a sign and at least two digits", shown);
    } else {
        const auto point = text.find('.');
        require(point != std::string::npos && point > 0 && point + 1 < text.size() && text[point - 1] >= '0' &&
                    text[point - 1] <= '9',
                "a float in fixed notation has digits on both sides of its point", shown);
    }
}

/// The argument Azure ML passes for `value` (Python's str()), checked
/// against the rules, then returned.
std::string argument_of(const trainspec::param_scalar& value) {
    const auto text = trainspec::to_argument(value);
    if (const auto* b = std::get_if<bool>(&value.get())) {
        require(text == (*b ? "True" : "False"), "a boolean is True or False", visible(text));
    } else if (const auto* i = std::get_if<std::int64_t>(&value.get())) {
        char expected[32];
        std::snprintf(expected, sizeof expected, "%lld", static_cast<long long>(*i));
        require(text == expected, "an integer is its decimal digits", visible(text));
    } else if (const auto* d = std::get_if<double>(&value.get())) {
        check_float_text(*d, text);
    } else {
        require(text == std::get<std::string>(value.get()), "a string is itself", visible(text));
    }
    return text;
}

/// The argv Azure ML's estimator gives the entry script for `params`.
std::vector<std::string> expected_argv(const trainspec::script_params& params) {
    std::vector<std::string> argv;
    for (const auto& p : params) {
        argv.push_back(p.key);
        const auto& v = p.value.get();
        if (std::holds_alternative<std::nullptr_t>(v)) continue;
        if (const auto* s = std::get_if<std::string>(&v); s && s->empty()) continue;  // "" is a bare flag
        if (const auto* list = std::get_if<trainspec::param_value::list>(&v)) {
            for (const auto& item : *list) argv.push_back(argument_of(item));
        } else {
            std::visit(
                [&argv](const auto& x) {
                    using X = std::decay_t<decltype(x)>;
                    if constexpr (!std::is_same_v<X, std::nullptr_t> &&
                                  !std::is_same_v<X, trainspec::param_value::list>)
                        argv.push_back(argument_of(trainspec::param_scalar(x)));
                },
                v);
        }
    }
    return argv;
}

/// `argv` with `marker` put into some of its words, the first one aside.
std::vector<std::string> with_markers(FuzzedDataProvider& in, std::vector<std::string> argv,
                                      const std::string& marker) {
    for (std::size_t i = 1; i < argv.size(); ++i) {
        if (!in.ConsumeBool()) continue;
        const auto at = in.ConsumeIntegralInRange<std::size_t>(0, argv[i].size());
        argv[i].insert(at, marker);
    }
    return argv;
}

/// A marker, the sh expansion shell_join_expanding() writes for it, and
/// the variable that expansion reads.
struct marker_expansion {
    std::string marker;
    std::string expansion;
    std::string variable;
};

/// What sh makes of `argv` written by shell_join_expanding(): in each word
/// but the first, the first marker of `expansions` that the word holds, at
/// its first place, becomes its variable's value.
std::vector<std::string> expanded(std::vector<std::string> argv, const std::vector<marker_expansion>& expansions,
                                  const shell_words::variables& values) {
    for (std::size_t i = 1; i < argv.size(); ++i)
        for (const auto& e : expansions) {
            const auto at = e.marker.empty() ? std::string::npos : argv[i].find(e.marker);
            if (at == std::string::npos) continue;
            argv[i].replace(at, e.marker.size(), values.find(e.variable)->second);
            break;
        }
    return argv;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    try {
        trainspec::script_params params;
        for (int i = 0, n = in.ConsumeIntegralInRange(1, 8); i < n && in.remaining_bytes() > 0; ++i) {
            auto key = text_of(in, 32);  // before the value: both may read strings
            params.add(std::move(key), value_of(in));
        }
        const auto argv = trainspec::to_argv(params);
        if (printing()) std::fprintf(stderr, "argv: %s\n", visible(argv).c_str());
        require(argv == expected_argv(params), "to_argv() renders by Azure ML's rules", visible(argv));

        const auto line = trainspec::shell_join(argv);
        const auto command = shell_words::parse_simple_command(line);
        require(command && command->assignments.empty() && command->argv == argv,
                "shell_join() is a simple command that runs argv", visible(argv) + "\nline: " + visible(line));

        std::vector<std::string> full{"python", "train.py"};
        full.insert(full.end(), argv.begin(), argv.end());
        const auto full_line = trainspec::shell_join(full);
        require(shell_words::split_shell_words(full_line) == full, "shell_join() reads back as its words",
                visible(full) + "\nline: " + visible(full_line));

        const std::string marker = in.ConsumeBool() ? std::string("\x01pwd\x01") : text_of(in, 8);
        const std::string other = in.ConsumeBool() ? std::string("\x01trial0\x01") : text_of(in, 8);
        const shell_words::variables values{{"here", text_of(in, 16)}, {"there", text_of(in, 16)}};
        const auto marked = with_markers(in, with_markers(in, full, marker), other);
        std::vector<marker_expansion> expansions{{marker, "\"$here\"", "here"}};
        if (in.ConsumeBool()) expansions.push_back({other, "\"${there}\"", "there"});
        std::string expanding_line;
        if (expansions.size() == 1) {
            expanding_line = trainspec::shell_join_expanding(marked, marker, expansions[0].expansion);
        } else {
            std::vector<std::pair<std::string, std::string>> pairs;
            for (const auto& e : expansions) pairs.emplace_back(e.marker, e.expansion);
            expanding_line = trainspec::shell_join_expanding(marked, pairs);
        }
        if (printing())
            std::fprintf(stderr, "marked: %s\nexpanding line: %s\n", visible(marked).c_str(),
                         visible(expanding_line).c_str());
        require(shell_words::split_shell_words(expanding_line, values) == expanded(marked, expansions, values),
                "shell_join_expanding() puts the value of each word's first marker in its place",
                visible(marked) + "\nline: " + visible(expanding_line));
    } catch (const std::exception& e) {
        require(false, "no exception", e.what());
    }
    return 0;
}
