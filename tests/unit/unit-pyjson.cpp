// The Python emulation behind the TF_CONFIG reader, unit by unit: json.loads
// (acceptance, messages and positions), repr() and str(), int() and truth.
// Every expected value is what CPython (3.11, json's C scanner) gives for the
// same input: repr(json.loads(text)), str(e) of its exception, int(...),
// bool(...). The reader's own checks are in unit-tf_config_parse.cpp.

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <string_view>

#include <trainspec/detail/pyjson.hpp>

using namespace trainspec::detail;

namespace {

pyjson::value loads(std::string_view text) { return pyjson::reader(text).read(); }

/// str(e) of the exception json.loads raises; "(accepted)" when none.
std::string error_of(std::string_view text) {
    try {
        loads(text);
    } catch (const pyjson::python_error& e) {
        return e.what();
    }
    return "(accepted)";
}

/// repr(json.loads(text)).
std::string repr_of(std::string_view text) { return pyjson::repr(loads(text)); }

/// str(int(json.loads(text))), or str(e) of the exception int() raises.
std::string int_of(std::string_view text) {
    try {
        return pyjson::to_int(loads(text)).text;
    } catch (const pyjson::python_error& e) {
        return e.what();
    }
}

bool truthy_of(std::string_view text) { return pyjson::truthy(loads(text)); }

}  // namespace

TEST_CASE("json.loads: syntax errors, with line, column and character offset") {
    CHECK(error_of("[1 2]") == "Expecting ',' delimiter: line 1 column 4 (char 3)");
    CHECK(error_of("[1,]") == "Expecting value: line 1 column 4 (char 3)");
    CHECK(error_of("[\n1,\n]") == "Expecting value: line 3 column 1 (char 5)");
    CHECK(error_of("-") == "Expecting value: line 1 column 1 (char 0)");
    CHECK(error_of("-x") == "Expecting value: line 1 column 1 (char 0)");
    CHECK(error_of("tru") == "Expecting value: line 1 column 1 (char 0)");
    CHECK(error_of("nul") == "Expecting value: line 1 column 1 (char 0)");
    // Only space, tab, LF and CR are JSON whitespace.
    CHECK(error_of("\xC2\xA0"
                   "1") == "Expecting value: line 1 column 1 (char 0)");
    CHECK(error_of("{1:2}") == "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)");
    CHECK(error_of("[] []") == "Extra data: line 1 column 4 (char 3)");
    CHECK(error_of("NaNa") == "Extra data: line 1 column 4 (char 3)");
    CHECK(error_of("-Infinityx") == "Extra data: line 1 column 10 (char 9)");
    // A number ends where its grammar ends; what follows is extra.
    CHECK(error_of("1.") == "Extra data: line 1 column 2 (char 1)");
    CHECK(error_of("01") == "Extra data: line 1 column 2 (char 1)");
    CHECK(error_of("1e") == "Extra data: line 1 column 2 (char 1)");
    CHECK(error_of("1e+") == "Extra data: line 1 column 2 (char 1)");
    CHECK(error_of("1.5e") == "Extra data: line 1 column 4 (char 3)");
}

TEST_CASE("json.loads: string errors") {
    CHECK(error_of("\"abc") == "Unterminated string starting at: line 1 column 1 (char 0)");
    CHECK(error_of("\"a\\") == "Unterminated string starting at: line 1 column 1 (char 0)");
    CHECK(error_of("[\"a\nb\"]") == "Invalid control character at: line 1 column 4 (char 3)");
    CHECK(error_of(R"("\x")") == "Invalid \\escape: line 1 column 2 (char 1)");
    CHECK(error_of(R"("\u00zz")") == "Invalid \\uXXXX escape: line 1 column 3 (char 2)");
    CHECK(error_of(R"("\u12")") == "Invalid \\uXXXX escape: line 1 column 3 (char 2)");
    CHECK(error_of(R"("\ud800)") == "Invalid \\uXXXX escape: line 1 column 3 (char 2)");
    // After a high surrogate, a second \u escape must be complete too.
    CHECK(error_of(R"("\ud800\u)") == "Invalid \\uXXXX escape: line 1 column 9 (char 8)");
    CHECK(error_of(R"("\ud800\u12")") == "Invalid \\uXXXX escape: line 1 column 9 (char 8)");
    CHECK(error_of(R"("\ud800\udc0")") == "Invalid \\uXXXX escape: line 1 column 9 (char 8)");
}

TEST_CASE("json.loads: positions count characters; invalid UTF-8 bytes count one each") {
    CHECK(error_of("\"\xC3\xA9\" x") == "Extra data: line 1 column 5 (char 4)");
    // The environment is decoded with surrogateescape: one character per bad byte.
    CHECK(error_of("\"\xFF\xFE\" x") == "Extra data: line 1 column 6 (char 5)");
}

TEST_CASE("json.loads: values") {
    CHECK(repr_of(" \t\n\r 1 ") == "1");
    CHECK(repr_of(R"({"a": [1, {"b": null}], "c": true, "d": false})") ==
          "{'a': [1, {'b': None}], 'c': True, 'd': False}");
    CHECK(repr_of(R"("\/\b\f\n\r\t\"\\")") == R"('/\x08\x0c\n\r\t"\\')");
    CHECK(repr_of(R"("\u00e9")") == "'\xC3\xA9'");

    SUBCASE("numbers: huge integers stay exact, floats overflow to infinity") {
        CHECK(repr_of("123456789012345678901234567890") == "123456789012345678901234567890");
        CHECK(repr_of("-123456789012345678901234567890") == "-123456789012345678901234567890");
        CHECK(repr_of("-0") == "0");
        CHECK(repr_of("-0.0") == "-0.0");
        CHECK(repr_of("1E5") == "100000.0");
        CHECK(repr_of("1e400") == "inf");
        CHECK(repr_of("-1e400") == "-inf");
        CHECK(repr_of("1.5e-400") == "0.0");
        CHECK(loads("12").type == pyjson::value::kind::integer);
        CHECK(loads("12.0").type == pyjson::value::kind::floating);
    }
    SUBCASE("NaN, Infinity and -Infinity are floats") {
        CHECK(repr_of("[NaN, Infinity, -Infinity]") == "[nan, inf, -inf]");
        const auto nan = loads("NaN");
        CHECK(nan.type == pyjson::value::kind::floating);
        CHECK(std::isnan(nan.number));
        CHECK(loads("-Infinity").number == -HUGE_VAL);
    }
    SUBCASE("a duplicate key keeps its first place and its last value") {
        CHECK(repr_of(R"({"a": 1, "b": 2, "a": 3})") == "{'a': 3, 'b': 2}");
        const auto dict = loads(R"({"a": 1, "b": 2, "a": 3})");
        REQUIRE(dict.find("a") != nullptr);
        CHECK(dict.find("a")->text == "3");
        CHECK(dict.find("c") == nullptr);
    }
    SUBCASE("lone surrogates are kept; an escaped pair is one character") {
        CHECK(repr_of(R"("\ud800")") == R"('\ud800')");
        CHECK(repr_of(R"("\udc00\ud800")") == R"('\udc00\ud800')");
        CHECK(repr_of(R"("\ud800\u0041")") == R"('\ud800A')");
        CHECK(repr_of(R"("\ud800\udbff")") == R"('\ud800\udbff')");
        CHECK(repr_of(R"("\ud83d\ude00")") == "'\xF0\x9F\x98\x80'");
        // A byte that is no UTF-8 reads as U+DCxx and is written back as that byte.
        CHECK(loads("\"\xFF\"").text == "\xFF");
        CHECK(repr_of("\"\xFF\"") == R"('\udcff')");
    }
}

TEST_CASE("repr() of a str: the quote, the escapes, the characters that are not printable") {
    CHECK(pyjson::repr_string("") == "''");
    CHECK(pyjson::repr_string("a'b") == R"("a'b")");
    CHECK(pyjson::repr_string("a\"b") == R"('a"b')");
    CHECK(pyjson::repr_string("a'\"b") == R"('a\'"b')");
    CHECK(pyjson::repr_string("a\\b") == R"('a\\b')");
    CHECK(pyjson::repr_string("tab\tnl\ncr\r") == R"('tab\tnl\ncr\r')");
    CHECK(pyjson::repr_string(std::string("\0\x1F\x0B\x0C", 4)) == R"('\x00\x1f\x0b\x0c')");
    CHECK(pyjson::repr_string("\x7F\xC2\x80\xC2\x9F\xC2\xA0") == R"('\x7f\x80\x9f\xa0')");
    CHECK(pyjson::repr_string("\xC2\xAD") == R"('\xad')");
    CHECK(pyjson::repr_string("\xC3\xA9\xE4\xB8\xAD") == "'\xC3\xA9\xE4\xB8\xAD'");  // é中
    CHECK(pyjson::repr_string("\xE2\x80\x8B") == R"('\u200b')");                     // U+200B
    CHECK(pyjson::repr_string("\xE2\x80\xA8") == R"('\u2028')");                     // U+2028
    CHECK(pyjson::repr_string("\xE3\x80\x80") == R"('\u3000')");                     // U+3000
    CHECK(pyjson::repr_string("\xD8\x80") == R"('\u0600')");                         // U+0600
    CHECK(pyjson::repr_string("\xEF\xBB\xBF") == R"('\ufeff')");                     // U+FEFF
    CHECK(pyjson::repr_string("\xEE\x80\x80") == R"('\ue000')");                     // U+E000
    CHECK(pyjson::repr_string("\xEF\xB7\x90") == R"('\ufdd0')");                     // U+FDD0
    CHECK(pyjson::repr_string("\xEF\xBF\xBE") == R"('\ufffe')");                     // U+FFFE
    CHECK(pyjson::repr_string("\xF0\x9F\x98\x80") == "'\xF0\x9F\x98\x80'");          // U+1F600
    CHECK(pyjson::repr_string("\xF4\x8F\xBF\xBF") == R"('\U0010ffff')");             // U+10FFFF
    CHECK(pyjson::repr_string("\xF3\xA0\x80\x81") == R"('\U000e0001')");             // U+E0001
}

TEST_CASE("repr() of a float: shortest round trip, fixed notation for exponents -4..15") {
    CHECK(pyjson::repr_float(0.1) == "0.1");
    CHECK(pyjson::repr_float(2.5) == "2.5");
    CHECK(pyjson::repr_float(100.0) == "100.0");
    CHECK(pyjson::repr_float(-0.0) == "-0.0");
    CHECK(pyjson::repr_float(0.0001) == "0.0001");
    CHECK(pyjson::repr_float(0.00001) == "1e-05");
    CHECK(pyjson::repr_float(-1.25e-7) == "-1.25e-07");
    CHECK(pyjson::repr_float(1e15) == "1000000000000000.0");
    CHECK(pyjson::repr_float(123456789012345.6) == "123456789012345.6");
    CHECK(pyjson::repr_float(1e16) == "1e+16");
    CHECK(pyjson::repr_float(1e22) == "1e+22");
    CHECK(pyjson::repr_float(12345678901234567890.0) == "1.2345678901234567e+19");
    CHECK(pyjson::repr_float(1.5e300) == "1.5e+300");
    CHECK(pyjson::repr_float(5e-324) == "5e-324");
    CHECK(pyjson::repr_float(1.7976931348623157e308) == "1.7976931348623157e+308");
}

TEST_CASE("repr() and str() of values") {
    CHECK(repr_of(R"([1, "a", null, true, false, 1.0, [], {}])") == "[1, 'a', None, True, False, 1.0, [], {}]");
    CHECK(pyjson::str(loads(R"([1, "a"])")) == "[1, 'a']");
    CHECK(pyjson::str(loads(R"({"k": "it's"})")) == R"({'k': "it's"})");
    CHECK(pyjson::str(loads(R"("a'b")")) == "a'b");
    CHECK(pyjson::str(loads("true")) == "True");
    CHECK(pyjson::str(loads("null")) == "None");
    CHECK(pyjson::str(loads("2.0")) == "2.0");
    CHECK(pyjson::str(loads("1000000000000000000000000000000")) == "1000000000000000000000000000000");
}

TEST_CASE("int(): bools, floats toward zero, strings with Python's rules, huge values") {
    CHECK(int_of("true") == "1");
    CHECK(int_of("false") == "0");
    CHECK(int_of("-2.7") == "-2");
    CHECK(int_of("-0.5") == "0");
    CHECK(int_of("1e20") == "100000000000000000000");
    CHECK(int_of("123456789012345678901234567890") == "123456789012345678901234567890");
    CHECK(int_of(R"(" 12 ")") == "12");
    CHECK(int_of(R"("\t3\u000b")") == "3");
    CHECK(int_of(R"("-0")") == "0");
    CHECK(int_of(R"("-000")") == "0");
    CHECK(int_of(R"("+7")") == "7");
    CHECK(int_of(R"("00012")") == "12");
    CHECK(int_of(R"("1_000")") == "1000");
    CHECK(int_of(R"("123456789012345678901")") == "123456789012345678901");

    CHECK(int_of(R"("1__0")") == "invalid literal for int() with base 10: '1__0'");
    CHECK(int_of(R"("_1")") == "invalid literal for int() with base 10: '_1'");
    CHECK(int_of(R"("0x10")") == "invalid literal for int() with base 10: '0x10'");
    CHECK(int_of(R"("- 1")") == "invalid literal for int() with base 10: '- 1'");
    CHECK(int_of(R"(" ")") == "invalid literal for int() with base 10: ' '");
    CHECK(int_of(R"("NaN")") == "invalid literal for int() with base 10: 'NaN'");
    CHECK(int_of(R"("\u00e9")") == "invalid literal for int() with base 10: '\xC3\xA9'");
    CHECK(int_of("NaN") == "cannot convert float NaN to integer");
    CHECK(int_of("Infinity") == "cannot convert float infinity to integer");
    CHECK(int_of("-Infinity") == "cannot convert float infinity to integer");
    CHECK(int_of("null") == "int() argument must be a string, a bytes-like object or a real number, not 'NoneType'");
    CHECK(int_of("[]") == "int() argument must be a string, a bytes-like object or a real number, not 'list'");
    CHECK(int_of("{}") == "int() argument must be a string, a bytes-like object or a real number, not 'dict'");
}

TEST_CASE("int(): Python's ordering, at any size") {
    const auto of = [](std::string_view text) { return pyjson::to_int(loads(text)); };
    CHECK(of("2147483647").fits_int());
    CHECK(of("-2147483648").fits_int());
    CHECK_FALSE(of("2147483648").fits_int());
    CHECK_FALSE(of("123456789012345678901").fits_int());
    CHECK(of("-123456789012345678901") < of("-5"));
    CHECK(of("-123456789012345678901") < of("-123456789012345678900"));
    CHECK(of("5") < of("123456789012345678901"));
    CHECK(of("123456789012345678900") < of("123456789012345678901"));
    CHECK_FALSE(of("123456789012345678901") < of("123456789012345678901"));
    CHECK(of("-123456789012345678901").less_than(0));
    CHECK_FALSE(of("123456789012345678901").less_than(3));
    CHECK(of("2").less_than(3));
}

TEST_CASE("truth values") {
    CHECK_FALSE(truthy_of("null"));
    CHECK_FALSE(truthy_of("false"));
    CHECK(truthy_of("true"));
    CHECK_FALSE(truthy_of("0"));
    CHECK_FALSE(truthy_of("-0"));
    CHECK(truthy_of("7"));
    CHECK_FALSE(truthy_of("0.0"));
    CHECK_FALSE(truthy_of("-0.0"));
    CHECK(truthy_of("NaN"));
    CHECK_FALSE(truthy_of(R"("")"));
    CHECK(truthy_of(R"("0")"));
    CHECK_FALSE(truthy_of("[]"));
    CHECK(truthy_of("[0]"));
    CHECK_FALSE(truthy_of("{}"));
    CHECK(truthy_of(R"({"a": 0})"));
}
