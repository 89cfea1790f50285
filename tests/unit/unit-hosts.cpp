// Host lists (Horovod's `host:slots,host:slots`), hostfiles (Open MPI's
// `host slots=N`, Hydra's `host:N`), generated hosts and the round trip
// through format_host_list(). Every rejected input must name the offending
// item and the reason.

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include <trainspec/trainspec.hpp>

using namespace trainspec;

namespace {

/// The host_list_error that `parse` throws for `text`; fails the test when
/// nothing (or something else) is thrown.
template <class Parse>
host_list_error rejection(Parse parse, std::string_view text) {
    try {
        const auto hosts = parse(text);
        FAIL_CHECK("accepted: ", std::string(text), " -> ", format_host_list(hosts));
    } catch (const host_list_error& e) {
        return e;
    }
    return host_list_error("<nothing thrown>", "<nothing thrown>");
}

/// Checks that `text` is rejected for `item`, with a reason containing
/// `reason`, and that what() shows both.
template <class Parse>
void check_rejected(Parse parse, std::string_view text, const std::string& item, const std::string& reason) {
    CAPTURE(text);
    const auto e = rejection(parse, text);
    CHECK(e.item() == item);
    CHECK_MESSAGE(e.rule().find(reason) != std::string::npos, "reason: ", e.rule());
    const std::string what = e.what();
    // what() quotes the item as JSON; items with control characters are
    // escaped there, so only the plain ones are looked up verbatim.
    const bool plain = item.find_first_of("\t\n\r") == std::string::npos;
    if (plain) CHECK_MESSAGE(what.find("\"" + item + "\"") != std::string::npos, "what(): ", what);
    CHECK_MESSAGE(what.find(e.rule()) != std::string::npos, "what(): ", what);
}

const auto list = [](std::string_view text) { return parse_host_list(text); };
const auto file = [](std::string_view text) { return parse_hostfile(text); };

}  // namespace

TEST_CASE("parse_host_list reads host:slots items in order") {
    CHECK(parse_host_list("a:2,b:2") == std::vector<host>{{"a", 2}, {"b", 2}});
    CHECK(parse_host_list("node-1.example.com:8") == std::vector<host>{{"node-1.example.com", 8}});
    CHECK(parse_host_list("z:1,a:3,m_2:16") == std::vector<host>{{"z", 1}, {"a", 3}, {"m_2", 16}});
    CHECK(parse_host_list("10.0.0.7:4") == std::vector<host>{{"10.0.0.7", 4}});
    CHECK(parse_host_list("a:1000000") == std::vector<host>{{"a", 1000000}});
}

TEST_CASE("parse_host_list: a bare host has one slot") {
    CHECK(parse_host_list("a") == std::vector<host>{{"a", 1}});
    CHECK(parse_host_list("a,b:4,c") == std::vector<host>{{"a", 1}, {"b", 4}, {"c", 1}});
}

TEST_CASE("parse_host_list rejects whitespace inside the list") {
    // Horovod's parser strips the blank and accepts this; as one mpirun or
    // horovodrun word it would split the argument.
    check_rejected(list, "host1:2, host2:2", " host2:2", "whitespace");
    check_rejected(list, "host1:2 ,host2:2", "host1:2 ", "whitespace");
    check_rejected(list, "host1 :2", "host1 :2", "whitespace");
    check_rejected(list, "a:2,\tb:2", "\tb:2", "whitespace");
    check_rejected(list, "a:2\n", "a:2\n", "whitespace");
    CHECK(std::string(rejection(list, "a:2,\tb:2").what()).find("\"\\tb:2\"") != std::string::npos);
}

TEST_CASE("parse_host_list rejects duplicate hosts") {
    check_rejected(list, "a:2,a:2", "a:2", "listed twice");
    check_rejected(list, "a:2,b:1,a:3", "a:3", "listed twice");
    check_rejected(list, "a,a", "a", "listed twice");
}

TEST_CASE("parse_host_list rejects empty items") {
    check_rejected(list, "", "", "the host list is empty");
    check_rejected(list, "a:2,,b:2", "", "empty item");
    check_rejected(list, "a:2,", "", "empty item");
    check_rejected(list, ",a:2", "", "empty item");
    check_rejected(list, ",", "", "empty item");
}

TEST_CASE("parse_host_list rejects bad slot counts") {
    check_rejected(list, "a:0", "a:0", "at least 1");
    check_rejected(list, "a:2,b:0", "b:0", "at least 1");
    check_rejected(list, "a:x", "a:x", "whole number");
    check_rejected(list, "a:2x", "a:2x", "whole number");
    check_rejected(list, "a:-1", "a:-1", "whole number");
    check_rejected(list, "a:+2", "a:+2", "whole number");
    check_rejected(list, "a:1.5", "a:1.5", "whole number");
    check_rejected(list, "a:", "a:", "after ':' is missing");
    check_rejected(list, "a:1000001", "a:1000001", "a host has at most 1000000 slots");
    check_rejected(list, "a:99999999999999999999", "a:99999999999999999999", "a host has at most 1000000 slots");
}

TEST_CASE("parse_host_list rejects host:slots with more than one ':'") {
    check_rejected(list, "a:2:3", "a:2:3", "single ':'");
    check_rejected(list, "fe80::1:2", "fe80::1:2", "single ':'");
}

TEST_CASE("parse_host_list rejects bad host names") {
    check_rejected(list, ":2", ":2", "the host name is empty");
    check_rejected(list, "a/b:2", "a/b:2", "letters, digits");
    check_rejected(list, "a;b", "a;b", "letters, digits");
    check_rejected(list, "user@a:2", "user@a:2", "letters, digits");
    check_rejected(list, "a:2,$(reboot):1", "$(reboot):1", "letters, digits");
    check_rejected(list, "h\xc3\xa9:1", "h\xc3\xa9:1", "letters, digits");
    check_rejected(list, "-Fpwn:1", "-Fpwn:1", "a host name must not start with '-': ssh");
    check_rejected(list, "a:1,-oProxyCommand=id", "-oProxyCommand=id", "must not start with '-'");
    const std::string long_name(254, 'a');
    check_rejected(list, long_name + ":1", long_name + ":1", "at most 253 characters");
    CHECK(parse_host_list(std::string(253, 'a')).front().name.size() == 253);
}

TEST_CASE("parse_hostfile: comments, blank lines, Open MPI and Hydra syntax") {
    const auto hosts = parse_hostfile(
        "# cluster of four\n"
        "\n"
        "node-0 slots=4 max_slots=8\n"
        "   \t\n"
        "node-1:2   # Hydra syntax, trailing comment\n"
        "node-2\n"
        "\tnode-3   slots=1\n"
        "node-4 max_slots=3\n"
        "node-5 max-slots=2 slots=2\n"
        "# end");
    CHECK(hosts ==
          std::vector<host>{{"node-0", 4}, {"node-1", 2}, {"node-2", 1}, {"node-3", 1}, {"node-4", 1}, {"node-5", 2}});
}

TEST_CASE("parse_hostfile: CRLF line endings and no final newline") {
    CHECK(parse_hostfile("a slots=2\r\nb:3\r\n") == std::vector<host>{{"a", 2}, {"b", 3}});
    CHECK(parse_hostfile("a") == std::vector<host>{{"a", 1}});
}

TEST_CASE("parse_hostfile errors name the line") {
    check_rejected(file, "a slots=2\n\nb slots=x\n", "line 3: b", "whole number");
    check_rejected(file, "# hosts\na slots=0\n", "line 2: a", "at least 1");
    check_rejected(file, "a slots=\n", "line 1: a", "after '=' is missing");
    check_rejected(file, "a:2\nb\na:4\n", "line 3: a:4", "listed twice");
    check_rejected(file, "a cpus=2\n", "line 1: a", "unknown field \"cpus=2\"");
    check_rejected(file, "a b\n", "line 1: a", "unknown field \"b\"");
    check_rejected(file, "a slots=2 slots=3\n", "line 1: a", "given twice");
    check_rejected(file, "a:2 slots=3\n", "line 1: a:2", "given twice");
    check_rejected(file, "\n\n\n\na slots=4 max_slots=2\n", "line 5: a", "max_slots is smaller than slots");
    check_rejected(file, "a:2:3\n", "line 1: a:2:3", "single ':'");
    check_rejected(file, "a\nb/c\n", "line 2: b...", "letters, digits");
    check_rejected(file, "a\n-Fpwn slots=1\n", "line 2: -Fpwn", "must not start with '-'");
}

TEST_CASE("parse_hostfile errors show no more of a file that is no hostfile") {
    // A secret named by mistake: an error shows the line number and the
    // start of its first word, as far as a host entry's characters go.
    const std::string shadow = "root:$6$Zsalt$SECRETHASHvalue:19000:0:99999:7:::\nuser:!:19000::::::\n";
    check_rejected(file, shadow, "line 1: root:...", "single ':'");
    const auto e = rejection(file, shadow);
    CHECK(std::string(e.what()).find("SECRET") == std::string::npos);
    CHECK(std::string(e.what()).find("salt") == std::string::npos);
    // A second word is shown the same way; a long word is cut at 64 characters.
    check_rejected(file, "a cpus=2$x\n", "line 1: a", "unknown field \"cpus=2...\"");
    const std::string long_word(100, 'k');
    check_rejected(file, long_word + ":x\n", "line 1: " + std::string(64, 'k') + "...", "slot count");
}

TEST_CASE("parse_hostfile rejects a file without hosts") {
    check_rejected(file, "", "", "no host");
    check_rejected(file, "# only a comment\n\n   \n", "", "no host");
}

TEST_CASE("generate_hosts numbers a pattern from 0") {
    CHECK(generate_hosts("node-{index}", 3, 4) == std::vector<host>{{"node-0", 4}, {"node-1", 4}, {"node-2", 4}});
    CHECK(generate_hosts("{index}.workers.example", 2, 1) ==
          std::vector<host>{{"0.workers.example", 1}, {"1.workers.example", 1}});
    CHECK(generate_hosts("w{index}", 12, 2).back() == host{"w11", 2});
    CHECK(generate_hosts("node-{index}", 0, 1).empty());
}

TEST_CASE("generate_hosts rejects patterns and counts that give unusable hosts") {
    auto gen = [](std::string_view pattern) { return generate_hosts(pattern, 2, 1); };
    check_rejected(gen, "node", "node", "needs {index}");
    check_rejected(gen, "node {index}", "node 0", "letters, digits");
    check_rejected([](std::string_view p) { return generate_hosts(p, 2, 0); }, "n-{index}", "n-{index}",
                   "a host needs at least 1 slot");
    check_rejected([](std::string_view p) { return generate_hosts(p, -1, 1); }, "n-{index}", "n-{index}", "at least 0");
}

TEST_CASE("format_host_list writes what parse_host_list reads") {
    CHECK(format_host_list({{"a", 2}, {"b", 1}}) == "a:2,b:1");
    CHECK(format_host_list({}) == "");
    // A bare host is written with its slot count.
    CHECK(format_host_list(parse_host_list("a,b:3,c")) == "a:1,b:3,c:1");
    for (const auto& hosts : {std::vector<host>{{"a", 1}}, std::vector<host>{{"x.example", 8}, {"y-2", 3}},
                              generate_hosts("n{index}", 5, 2), parse_hostfile("p slots=2\nq:7\n")}) {
        CAPTURE(format_host_list(hosts));
        CHECK(parse_host_list(format_host_list(hosts)) == hosts);
    }
}
