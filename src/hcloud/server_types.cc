#include "hcloud/server_types.h"

#include "hcloud/id_or_name.h"

namespace hcloud {

Result<std::vector<ServerType>> ServerTypes::list(const ListOpts& opts) {
  return detail::parse_all(c_.list_all("/server_types", "server_types", {}, opts),
                           parse_server_type, "GET /server_types");
}

Result<std::optional<ServerType>> ServerTypes::get(std::int64_t id) {
  return detail::get_by_id(c_, "/server_types", id, "server_type", parse_server_type);
}

Result<std::optional<ServerType>> ServerTypes::get_by_name(const std::string& name) {
  return detail::get_by_param(c_, "/server_types", "server_types", Query().add("name", name),
                              parse_server_type);
}

Result<std::optional<ServerType>> ServerTypes::get_by_id_or_name(const std::string& id_or_name) {
  if (auto id = parse_id(id_or_name)) return get(*id);
  return get_by_name(id_or_name);
}

}  // namespace hcloud
