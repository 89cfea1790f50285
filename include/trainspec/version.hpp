#pragma once

#define TRAINSPEC_VERSION_MAJOR 0
#define TRAINSPEC_VERSION_MINOR 2
#define TRAINSPEC_VERSION_PATCH 0
#define TRAINSPEC_VERSION_STRING "0.2.0"

// The inline namespace carries the version so that objects built against two
// different trainspec versions cannot be linked together by accident.
#define TRAINSPEC_ABI_NAMESPACE v0_2_0
#define TRAINSPEC_BEGIN_NAMESPACE \
    namespace trainspec {         \
    inline namespace TRAINSPEC_ABI_NAMESPACE {
#define TRAINSPEC_END_NAMESPACE \
    }                           \
    }

TRAINSPEC_BEGIN_NAMESPACE
inline constexpr int version_major = TRAINSPEC_VERSION_MAJOR;
inline constexpr int version_minor = TRAINSPEC_VERSION_MINOR;
inline constexpr int version_patch = TRAINSPEC_VERSION_PATCH;
inline constexpr const char* version_string = TRAINSPEC_VERSION_STRING;
TRAINSPEC_END_NAMESPACE
