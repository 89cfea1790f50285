#pragma once
// The kinds of TensorFlow task: the job names of TF_CONFIG's cluster.

#include <array>
#include <string_view>
#include <utility>

#include <trainspec/spec/enum_names.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

enum class task_type { chief, worker, ps, evaluator };

template <>
struct enum_names<task_type> {
    static constexpr std::array<enum_entry<task_type>, 4> table{{
        {task_type::chief, "chief"},
        {task_type::worker, "worker"},
        {task_type::ps, "ps"},
        {task_type::evaluator, "evaluator"},
    }};
};

TRAINSPEC_END_NAMESPACE
