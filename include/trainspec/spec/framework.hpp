#pragma once
// The TensorFlow versions trainspec knows how to launch.

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// Azure ML v1's supported versions (1.10-2.2) and every later 2.x release
/// up to 2.20. Keep sorted; the last entry is the default.
inline constexpr std::array<std::string_view, 26> supported_framework_versions = {
    "1.10", "1.12", "1.13", "1.14", "1.15", "2.0",  "2.1",  "2.2",  "2.3",  "2.4",  "2.5",  "2.6",  "2.7",
    "2.8",  "2.9",  "2.10", "2.11", "2.12", "2.13", "2.14", "2.15", "2.16", "2.17", "2.18", "2.19", "2.20"};

/// Used when a job names no framework_version (Azure ML used to fall back to
/// an old 1.x release with a warning; trainspec takes the newest it knows).
inline constexpr std::string_view default_framework_version = supported_framework_versions.back();

inline bool is_supported_framework_version(std::string_view version) {
    return std::find(supported_framework_versions.begin(), supported_framework_versions.end(), version) !=
           supported_framework_versions.end();
}

/// "1.10, 1.12, ..., 2.20" for messages.
inline std::string supported_framework_versions_text() {
    std::string text;
    for (auto v : supported_framework_versions) {
        if (!text.empty()) text += ", ";
        text += v;
    }
    return text;
}

/// The major version (1 or 2) of a supported version string.
inline int framework_major(std::string_view version) { return version.empty() ? 0 : version.front() - '0'; }

TRAINSPEC_END_NAMESPACE
