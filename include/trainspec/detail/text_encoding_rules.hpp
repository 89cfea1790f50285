#pragma once
// validate()'s rule that a spec's text is UTF-8: the spec is JSON, and so
// are TF_CONFIG and every manifest rendered from it. The JSON reader takes
// nothing else; a spec built in code can hold any bytes.

#include <string>
#include <string_view>

#include <trainspec/detail/rule_context.hpp>
#include <trainspec/detail/spec_field_tables.hpp>
#include <trainspec/detail/spec_paths.hpp>
#include <trainspec/detail/utf8.hpp>
#include <trainspec/spec/enum_names.hpp>
#include <trainspec/spec/job_spec.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// One problem for each top-level field whose text (a key or a value) is not
/// UTF-8, at the first such text. Each field is written as the spec's JSON
/// writes it, one at a time.
inline void check_text_encoding(spec_rule_context& rules) {
    const auto not_utf8 = [](const std::string& text) { return first_invalid_utf8(text) != std::string_view::npos; };
    for (const auto& row : spec_fields<job_spec>::table) {
        ojson field = ojson::object();
        row.write(rules.spec, field, std::string(enum_name(row.key)));
        const auto path = first_text_path(field, not_utf8);
        if (path.empty()) continue;
        rules.add(path, "",
                  "is not UTF-8 text: the spec is JSON, and so are TF_CONFIG and the manifests rendered from it");
    }
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
