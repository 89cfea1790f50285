#pragma once
// Members added to an ordered JSON object in linear time. ordered_json finds
// a key by scanning its members, so adding n keys one by one with operator[]
// takes n^2/2 comparisons; this keeps an index beside the object. A key added
// twice keeps its first place and takes the last value, as operator[] and
// nlohmann's parser do.

#include <cstddef>
#include <iterator>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include <trainspec/version.hpp>

TRAINSPEC_BEGIN_NAMESPACE
namespace detail {

using ojson = nlohmann::ordered_json;

class ordered_members {
public:
    /// `object`: a JSON object without members yet; it must outlive this.
    explicit ordered_members(ojson& object) : object_(&object) {}

    /// The value of `key`, added last (as null) when new; `added` says whether it was.
    ojson& at(const std::string& key, bool* added = nullptr) {
        auto& members = object_->get_ref<ojson::object_t&>();
        const auto [found, fresh] = index_.emplace(key, members.size());
        if (added != nullptr) *added = fresh;
        if (!fresh) return std::next(members.begin(), static_cast<std::ptrdiff_t>(found->second))->second;
        members.emplace_back(key, nullptr);
        return members.back().second;
    }

private:
    ojson* object_;
    std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace detail
TRAINSPEC_END_NAMESPACE
