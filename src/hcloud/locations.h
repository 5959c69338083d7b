// Locations (GET /locations, /locations/{id})
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hcloud/client.h"

namespace hcloud {

class Locations {
 public:
  explicit Locations(Client& c) : c_(c) {}

  Result<std::vector<Location>> list(const ListOpts& opts = {});
  Result<std::optional<Location>> get(std::int64_t id);
  Result<std::optional<Location>> get_by_name(const std::string& name);
  // A decimal string is an ID, anything else a name.
  Result<std::optional<Location>> get_by_id_or_name(const std::string& id_or_name);

 private:
  Client& c_;
};

}  // namespace hcloud
