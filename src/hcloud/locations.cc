#include "hcloud/locations.h"

#include "hcloud/id_or_name.h"

namespace hcloud {

Result<std::vector<Location>> Locations::list(const ListOpts& opts) {
  return detail::parse_all(c_.list_all("/locations", "locations", {}, opts), parse_location,
                           "GET /locations");
}

Result<std::optional<Location>> Locations::get(std::int64_t id) {
  return detail::get_by_id(c_, "/locations", id, "location", parse_location);
}

Result<std::optional<Location>> Locations::get_by_name(const std::string& name) {
  return detail::get_by_param(c_, "/locations", "locations", Query().add("name", name),
                              parse_location);
}

Result<std::optional<Location>> Locations::get_by_id_or_name(const std::string& id_or_name) {
  if (auto id = parse_id(id_or_name)) return get(*id);
  return get_by_name(id_or_name);
}

}  // namespace hcloud
