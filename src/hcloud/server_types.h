// Server types (GET /server_types, /server_types/{id})
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hcloud/client.h"

namespace hcloud {

class ServerTypes {
 public:
  explicit ServerTypes(Client& c) : c_(c) {}

  Result<std::vector<ServerType>> list(const ListOpts& opts = {});
  Result<std::optional<ServerType>> get(std::int64_t id);
  Result<std::optional<ServerType>> get_by_name(const std::string& name);
  // A decimal string is an ID, anything else a name.
  Result<std::optional<ServerType>> get_by_id_or_name(const std::string& id_or_name);

 private:
  Client& c_;
};

}  // namespace hcloud
