// Reads a JSON array of strings on stdin and prints, for each, how
// trainspec reads it as a PEP 508 requirement (compare_packaging.py
// compares that with pypa/packaging).

#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include <trainspec/detail/pep508.hpp>

int main() {
    using trainspec::detail::requirement_verdict;
    const auto input = nlohmann::json::parse(std::cin);
    auto verdicts = nlohmann::json::array();
    for (const auto& item : input) {
        switch (trainspec::detail::read_requirement(item.template get<std::string>()).verdict) {
            case requirement_verdict::requirement:
                verdicts.push_back("requirement");
                break;
            case requirement_verdict::direct_reference:
                verdicts.push_back("direct_reference");
                break;
            case requirement_verdict::marker_escape:
                verdicts.push_back("marker_escape");
                break;
            case requirement_verdict::malformed:
                verdicts.push_back("malformed");
                break;
        }
    }
    std::cout << verdicts.dump() << "\n";
}
