#pragma once
// The Azure VM sizes whose GPU and vCPU counts trainspec knows, so that a
// job given `vm_size` is checked against the machine it asks for (a layout
// a VM cannot hold is an error). docs/compute.md lists the sources.

#include <array>
#include <optional>
#include <string_view>

#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

struct vm_size_info {
    std::string_view name;  ///< as Azure writes it
    int vcpus;
    int gpus;
};

/// Azure's GPU families for training: NC (K80), NCv2 (P100), NCv3 (V100),
/// ND (P40), NDv2 (V100), NCasT4_v3 (T4), NC A100 v4, ND A100 v4, NDm A100 v4,
/// NC H100 v5, ND H100 v5, NC A10 v4, NV (M60), NVv2 (M60), NVv3 (M60).
inline constexpr std::array<vm_size_info, 41> known_vm_sizes = {{
    {"Standard_NC6", 6, 1},
    {"Standard_NC12", 12, 2},
    {"Standard_NC24", 24, 4},
    {"Standard_NC24r", 24, 4},
    {"Standard_NC6s_v2", 6, 1},
    {"Standard_NC12s_v2", 12, 2},
    {"Standard_NC24s_v2", 24, 4},
    {"Standard_NC24rs_v2", 24, 4},
    {"Standard_NC6s_v3", 6, 1},
    {"Standard_NC12s_v3", 12, 2},
    {"Standard_NC24s_v3", 24, 4},
    {"Standard_NC24rs_v3", 24, 4},
    {"Standard_ND6s", 6, 1},
    {"Standard_ND12s", 12, 2},
    {"Standard_ND24s", 24, 4},
    {"Standard_ND24rs", 24, 4},
    {"Standard_ND40rs_v2", 40, 8},
    {"Standard_NC4as_T4_v3", 4, 1},
    {"Standard_NC8as_T4_v3", 8, 1},
    {"Standard_NC16as_T4_v3", 16, 1},
    {"Standard_NC64as_T4_v3", 64, 4},
    {"Standard_NC24ads_A100_v4", 24, 1},
    {"Standard_NC48ads_A100_v4", 48, 2},
    {"Standard_NC96ads_A100_v4", 96, 4},
    {"Standard_ND96asr_v4", 96, 8},
    {"Standard_ND96amsr_A100_v4", 96, 8},
    {"Standard_NC40ads_H100_v5", 40, 1},
    {"Standard_NC80adis_H100_v5", 80, 2},
    {"Standard_ND96isr_H100_v5", 96, 8},
    {"Standard_NV6", 6, 1},
    {"Standard_NV12", 12, 2},
    {"Standard_NV24", 24, 4},
    {"Standard_NV12s_v3", 12, 1},
    {"Standard_NV24s_v3", 24, 2},
    {"Standard_NV48s_v3", 48, 4},
    {"Standard_NC8ads_A10_v4", 8, 1},
    {"Standard_NC16ads_A10_v4", 16, 1},
    {"Standard_NC32ads_A10_v4", 32, 2},
    {"Standard_NV6s_v2", 6, 1},
    {"Standard_NV12s_v2", 12, 2},
    {"Standard_NV24s_v2", 24, 4},
}};

namespace detail {
constexpr char ascii_lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr bool equal_ignoring_case(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}
}  // namespace detail

/// The size's counts; Azure reads size names without regard to case.
constexpr std::optional<vm_size_info> find_vm_size(std::string_view name) noexcept {
    for (const auto& size : known_vm_sizes)
        if (detail::equal_ignoring_case(size.name, name)) return size;
    return std::nullopt;
}

TRAINSPEC_END_NAMESPACE
