#pragma once
// The machinery of the spec's field tables (detail/spec_field_tables.hpp):
// one row per key says how its value is read into a member and how it is
// written. The reader, the writer and the key lists all walk the same rows,
// so a new key is one enumerator and one row.

#include <algorithm>
#include <array>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <trainspec/detail/json_object.hpp>
#include <trainspec/detail/spec_paths.hpp>
#include <trainspec/detail/spec_value_reader.hpp>
#include <trainspec/spec/enum_names.hpp>
#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

/// One key of an object of the spec.
template <class Key, class Struct>
struct field {
    Key key;
    /// Reads `value`, found at `path` under the key `name`, into the struct.
    void (*read)(spec_value_reader&, Struct&, const std::string& path, std::string_view name, const ojson& value,
                 const char* hint);
    /// Writes the member under `name`, if it is set.
    void (*write)(const Struct&, ojson& object, const std::string& name);
    const char* hint = nullptr;  ///< what a string value looks like, for messages
};

/// Specialised for each object of the spec with
/// `static constexpr std::array<field<Key, Struct>, N> table`, in the order of Key's enumerators.
template <class Struct>
struct spec_fields;

template <class Struct, class = void>
struct has_spec_fields : std::false_type {};
template <class Struct>
struct has_spec_fields<Struct, std::void_t<decltype(spec_fields<Struct>::table)>> : std::true_type {};

template <class Struct>
using spec_key_of = std::decay_t<decltype(spec_fields<Struct>::table[0].key)>;

/// The object's keys, in the order they are written.
template <class Struct>
const std::vector<std::string>& field_names() {
    return enum_name_strings<spec_key_of<Struct>>();
}

/// Every key has one row, in the key enum's order (the order keys are written).
template <class Struct>
constexpr bool fields_in_key_order() {
    constexpr auto& table = spec_fields<Struct>::table;
    constexpr auto keys = enum_values<spec_key_of<Struct>>();
    if (table.size() != keys.size()) return false;
    for (std::size_t i = 0; i < keys.size(); ++i)
        if (table[i].key != keys[i]) return false;
    return true;
}

template <class T>
struct member_pointer;
template <class Owner, class Value>
struct member_pointer<Value Owner::*> {
    using owner = Owner;
    using value = Value;
};
template <auto Member>
using owner_of = typename member_pointer<decltype(Member)>::owner;
template <auto Member>
using value_of = typename member_pointer<decltype(Member)>::value;

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_vector : std::false_type {};
template <class T>
struct is_vector<std::vector<T>> : std::true_type {};

template <class Struct>
ojson write_fields(const Struct& s);

/// A member's value as JSON: an enumerator by its name, an inner optional
/// as null when empty, an object through its table.
template <class T>
ojson json_of(const T& value) {
    if constexpr (std::is_enum_v<T>)
        return std::string(enum_name(value));
    else if constexpr (is_optional<T>::value)
        return value ? json_of(*value) : ojson(nullptr);
    else if constexpr (has_spec_fields<T>::value)
        return write_fields(value);
    else
        return ojson(value);
}

/// Unset optionals and empty lists are left out; a plain value is always written.
template <auto Member>
void write_member(const owner_of<Member>& s, ojson& object, const std::string& name) {
    const auto& value = s.*Member;
    if constexpr (is_optional<value_of<Member>>::value) {
        if (value) object[name] = json_of(*value);
    } else if constexpr (is_vector<value_of<Member>>::value) {
        if (!value.empty()) object[name] = json_of(value);
    } else {
        object[name] = json_of(value);
    }
}

/// A list of {name, value} as an object, in the list's order.
template <auto Member>
void write_map(const owner_of<Member>& s, ojson& object, const std::string& name) {
    if ((s.*Member).empty()) return;
    ojson map = ojson::object();
    ordered_members members(map);
    for (const auto& entry : s.*Member) members.at(entry.name) = json_of(entry.value);
    object[name] = std::move(map);
}

template <class Struct>
ojson write_fields(const Struct& s) {
    ojson object = ojson::object();
    for (const auto& row : spec_fields<Struct>::table) row.write(s, object, std::string(enum_name(row.key)));
    return object;
}

/// Reads the object's keys through its table; an unknown key goes to `unknown(path, key)`.
template <class Struct, class Unknown>
void read_fields(spec_value_reader& r, Struct& s, const std::string& path, const ojson& object, Unknown unknown) {
    const auto& table = spec_fields<Struct>::table;
    for (const auto& entry : object.items()) {
        const std::string& key = entry.key();
        const auto item = path + key_segment(path, key);
        auto row = std::find_if(table.begin(), table.end(), [&key](const auto& f) { return enum_name(f.key) == key; });
        if (row == table.end())
            unknown(item, key);
        else
            row->read(r, s, item, key, entry.value(), row->hint);
    }
}

// The kinds of values: each makes the row of one member.

template <auto Member, class Key>
constexpr field<Key, owner_of<Member>> text(Key key, const char* hint = nullptr) {
    return {key,
            [](spec_value_reader& r, owner_of<Member>& s, const std::string& path, std::string_view, const ojson& v,
               const char* h) {
                auto value = r.string_at(path, v, h);
                if constexpr (std::is_same_v<value_of<Member>, std::string>)
                    s.*Member = value.value_or("");
                else
                    s.*Member = std::move(value);
            },
            &write_member<Member>, hint};
}

/// A string, or null for a default removed.
template <auto Member, class Key>
constexpr field<Key, owner_of<Member>> text_or_null(Key key, const char* hint) {
    return {key,
            [](spec_value_reader& r, owner_of<Member>& s, const std::string& path, std::string_view, const ojson& v,
               const char* h) { s.*Member = r.string_or_null_at(path, v, h); },
            &write_member<Member>, hint};
}

/// An integer within the member's type.
template <auto Member, class Key>
constexpr field<Key, owner_of<Member>> integer(Key key) {
    return {key,
            [](spec_value_reader& r, owner_of<Member>& s, const std::string& path, std::string_view, const ojson& v,
               const char*) {
                using T = typename value_of<Member>::value_type;
                const auto value = r.integer_at(path, v, std::numeric_limits<T>::max());
                s.*Member = value ? std::optional<T>(static_cast<T>(*value)) : std::nullopt;
            },
            &write_member<Member>};
}

/// A value one reader of spec_value_reader reads whole.
template <auto Member, auto Read, class Key>
constexpr field<Key, owner_of<Member>> read_by(Key key) {
    return {key,
            [](spec_value_reader& r, owner_of<Member>& s, const std::string& path, std::string_view, const ojson& v,
               const char*) { s.*Member = (r.*Read)(path, v); },
            &write_member<Member>};
}

/// A number, integer or not.
template <auto Member, class Key>
constexpr field<Key, owner_of<Member>> number(Key key) {
    return read_by<Member, &spec_value_reader::number_at>(key);
}

template <auto Member, class Key>
constexpr field<Key, owner_of<Member>> boolean(Key key) {
    return read_by<Member, &spec_value_reader::bool_at>(key);
}

template <auto Member, class Key>
constexpr field<Key, owner_of<Member>> text_list(Key key) {
    return read_by<Member, &spec_value_reader::strings_at>(key);
}

/// An enumerator, by the name its enum_names table gives it.
template <auto Member, class Key>
constexpr field<Key, owner_of<Member>> named(Key key) {
    return {
        key,
        [](spec_value_reader& r, owner_of<Member>& s, const std::string& path, std::string_view name, const ojson& v,
           const char*) { s.*Member = r.named_at<typename value_of<Member>::value_type>(path, v, name); },
        &write_member<Member>};
}

/// An object read through its table; nullopt after a type error.
template <class Settings>
std::optional<Settings> read_object(spec_value_reader& r, const std::string& path, const ojson& v) {
    const auto& keys = field_names<Settings>();
    if (!v.is_object()) {
        r.type_error(path, v, "an object with " + enum_name_list<spec_key_of<Settings>>());
        return std::nullopt;
    }
    Settings settings;
    read_fields(r, settings, path, v,
                [&](const std::string& item, const std::string& k) { r.unknown_key(item, k, keys); });
    return settings;
}

/// An object read and written through its own table.
template <auto Member, class Key>
constexpr field<Key, owner_of<Member>> object(Key key) {
    return {key,
            [](spec_value_reader& r, owner_of<Member>& s, const std::string& path, std::string_view, const ojson& v,
               const char*) { s.*Member = read_object<typename value_of<Member>::value_type>(r, path, v); },
            &write_member<Member>};
}

}  // namespace detail
TRAINSPEC_END_NAMESPACE
