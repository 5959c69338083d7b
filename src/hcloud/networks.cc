#include "hcloud/networks.h"

#include "hcloud/id_or_name.h"

namespace hcloud {

Result<std::vector<Network>> Networks::list(const ListOpts& opts) {
  return detail::parse_all(c_.list_all("/networks", "networks", {}, opts), parse_network,
                           "GET /networks");
}

Result<std::optional<Network>> Networks::get(std::int64_t id) {
  return detail::get_by_id(c_, "/networks", id, "network", parse_network);
}

Result<std::optional<Network>> Networks::get_by_name(const std::string& name) {
  return detail::get_by_param(c_, "/networks", "networks", Query().add("name", name),
                              parse_network);
}

Result<std::optional<Network>> Networks::get_by_id_or_name(const std::string& id_or_name) {
  if (auto id = parse_id(id_or_name)) return get(*id);
  return get_by_name(id_or_name);
}

Result<Network> Networks::create(const CreateNetworkOpts& o) {
  Json body = {{"name", o.name}, {"ip_range", o.ip_range}};
  if (!o.subnets.empty()) {
    Json subs = Json::array();
    for (const auto& s : o.subnets)
      subs.push_back(
          {{"type", s.type}, {"ip_range", s.ip_range}, {"network_zone", s.network_zone}});
    body["subnets"] = subs;
  }
  if (!o.labels.empty()) body["labels"] = o.labels;
  auto parse = [](const Json& j, const std::string& request) -> Result<Network> {
    return detail::member(Result<Json>(j), "network", parse_network, request);
  };
  auto lookup = [&]() -> Result<std::optional<Network>> {
    auto found = get_by_name(o.name);
    if (!found.ok() || !found.value()) return found;
    if (!detail::has_labels(found.value()->labels, o.labels)) return std::optional<Network>();
    return found;
  };
  return detail::create_reconciled<Network>(c_, "/networks", body, parse, lookup, true);
}

Result<Network> Networks::update(std::int64_t id, const std::optional<std::string>& name,
                                 const std::optional<Labels>& labels) {
  std::string path = "/networks/" + std::to_string(id);
  Json body = detail::update_body(name, labels);
  return detail::member(c_.call(Method::kPut, path, {}, &body, Safety::kIdempotent), "network",
                        parse_network, detail::request_name(Method::kPut, path));
}

Status Networks::del(std::int64_t id) {
  return detail::delete_by_id(c_, "/networks", id);
}

}  // namespace hcloud
