// "ID or name" arguments as Packer's options give them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace hcloud {

// The ID if `s` is a positive decimal integer, else nullopt (a name).
std::optional<std::int64_t> parse_id(std::string_view s);

}  // namespace hcloud
