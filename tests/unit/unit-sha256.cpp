// SHA-256 against FIPS 180-4's examples and against coreutils' sha256sum on
// inputs of every length around the block boundaries.

#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include <trainspec/detail/sha256.hpp>

using trainspec::detail::sha256;

namespace {

std::string digest(const std::string& text) { return sha256().update(text).hex(); }

std::string sha256sum(const std::string& text) {
    char path[] = "/tmp/trainspec-sha256-XXXXXX";
    const int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    std::FILE* f = fdopen(fd, "wb");
    REQUIRE(f != nullptr);
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
    std::string out;
    FILE* p = popen((std::string("sha256sum ") + path).c_str(), "r");
    REQUIRE(p != nullptr);
    char buffer[128];
    while (std::fgets(buffer, sizeof buffer, p) != nullptr) out += buffer;
    REQUIRE(pclose(p) == 0);
    std::remove(path);
    return out.substr(0, 64);
}

}  // namespace

TEST_CASE("sha256: FIPS 180-4 examples") {
    CHECK(digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(digest(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256: the same as sha256sum, in one piece or many") {
    std::string text;
    unsigned seed = 7;
    for (std::size_t length = 0; length <= 200; ++length) {
        CAPTURE(length);
        const auto want = sha256sum(text);
        CHECK(digest(text) == want);
        sha256 pieces;
        for (std::size_t i = 0; i < text.size(); i += 7) pieces.update(std::string_view(text).substr(i, 7));
        CHECK(pieces.hex() == want);
        seed = seed * 1103515245u + 12345u;
        text += static_cast<char>(seed >> 16);
    }
}
