// Checks Kubernetes custom-resource manifests against a CRD's structural
// schema, as the API server would on create with strict field validation
// (see structural_schema.hpp).
//
// usage: trainspec_validate_crd SCHEMA.json MANIFEST.json... [--expect-invalid=SUBSTRING]
//
// SCHEMA.json is one of tests/k8s/crds/*.schema.json (tools/crd_schema.py).
// Prints every violation; exit 0 when every manifest is valid, 1 when one is
// not, 2 on bad usage or an unreadable file. With --expect-invalid=S the
// manifests are negative controls: exit 0 only if each one is rejected with
// a violation whose message contains S.

#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "structural_schema.hpp"

namespace {

int usage() {
    std::cerr << "usage: trainspec_validate_crd SCHEMA.json MANIFEST.json... [--expect-invalid=SUBSTRING]\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string expect_flag = "--expect-invalid=";
    std::vector<std::string> files;
    std::string expected;
    bool expect_invalid = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg.rfind(expect_flag, 0) == 0) {
            expected = arg.substr(expect_flag.size());
            expect_invalid = true;
            if (expected.empty()) return usage();
        } else if (arg.rfind("--", 0) == 0) {
            return usage();
        } else {
            files.push_back(arg);
        }
    }
    if (files.size() < 2) return usage();

    try {
        const nlohmann::json schema = trainspec_test::load_json_file(files[0]);
        bool ok = true;
        for (std::size_t i = 1; i < files.size(); ++i) {
            const std::string& file = files[i];
            const nlohmann::json manifest = trainspec_test::load_json_file(file);
            const auto violations = trainspec_test::validate_structural(schema, manifest);
            bool seen = false;
            for (const auto& v : violations) {
                std::cout << file << ": " << v.to_string() << '\n';
                seen = seen || v.message.find(expected) != std::string::npos;
            }
            if (!expect_invalid) {
                if (violations.empty())
                    std::cout << file << ": valid " << manifest.value("kind", std::string()) << ' '
                              << manifest.value(nlohmann::json::json_pointer("/metadata/name"), std::string()) << '\n';
                ok = ok && violations.empty();
            } else if (seen) {
                std::cout << file << ": rejected, as expected (a violation mentions \"" << expected << "\")\n";
            } else {
                std::cout << file << ": FAIL: "
                          << (violations.empty() ? "accepted"
                                                 : "rejected, but no violation mentions \"" + expected + "\"")
                          << " (expected a rejection mentioning \"" << expected << "\")\n";
                ok = false;
            }
        }
        return ok ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "trainspec_validate_crd: " << e.what() << '\n';
        return 2;
    }
}
