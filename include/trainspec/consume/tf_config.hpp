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

/// Reads the environment variable TF_CONFIG as TensorFlow does: unset is
/// "{}" (no cluster: a local run for RunConfig and MultiWorkerMirroredStrategy),
/// set but empty is a JSON error.
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
    // os.environ.get('TF_CONFIG', '{}')
    const char* text = std::getenv("TF_CONFIG");
    return parse_tf_config(text == nullptr ? "{}" : text, consumer);
}
TRAINSPEC_END_NAMESPACE
#endif
