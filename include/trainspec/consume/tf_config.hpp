#pragma once
// The consumer side of TF_CONFIG: read it as TensorFlow reads it, and reject
// what the TensorFlow API that will read it (the consumer) would reject, in
// TensorFlow's words, prefixed with the field. docs/tf_config.md gives the
// rules followed and their limits.

#include <string_view>

#include <trainspec/consume/parsed_tf_config.hpp>
#include <trainspec/detail/linkage.hpp>
#include <trainspec/spec/tf_config_options.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE

/// Reads a TF_CONFIG text with TensorFlow's rules, and those of `consumer`
/// (the TensorFlow API that will read it). Throws tf_config_error with
/// TensorFlow's message at the first check that fails.
parsed_tf_config parse_tf_config(std::string_view text, tf_consumer consumer = tf_consumer::custom);

/// Reads the environment variable TF_CONFIG. Missing or empty: throws
/// tf_config_error("TF_CONFIG not found.").
parsed_tf_config tf_config_from_env(tf_consumer consumer = tf_consumer::custom);

TRAINSPEC_END_NAMESPACE

#if TRAINSPEC_DEFINITIONS
#include <cstdlib>

#include <trainspec/detail/tf_config_reader.hpp>

TRAINSPEC_BEGIN_NAMESPACE
TRAINSPEC_INLINE parsed_tf_config parse_tf_config(std::string_view text, tf_consumer consumer) {
    return detail::tf_config_reader(consumer).read(text);
}

TRAINSPEC_INLINE parsed_tf_config tf_config_from_env(tf_consumer consumer) {
    const char* text = std::getenv("TF_CONFIG");
    if (text == nullptr || *text == '\0') throw tf_config_error("TF_CONFIG not found.");
    return parse_tf_config(text, consumer);
}
TRAINSPEC_END_NAMESPACE
#endif
