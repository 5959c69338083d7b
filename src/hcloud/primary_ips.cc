#include "hcloud/primary_ips.h"

namespace hcloud {

Result<std::vector<PrimaryIp>> PrimaryIps::list(const PrimaryIpListOpts& opts) {
  Query q;
  if (!opts.ip.empty()) q.add("ip", opts.ip);
  return detail::parse_all(c_.list_all("/primary_ips", "primary_ips", q, opts), parse_primary_ip,
                           "GET /primary_ips");
}

Result<std::optional<PrimaryIp>> PrimaryIps::get(std::int64_t id) {
  return detail::get_by_id(c_, "/primary_ips", id, "primary_ip", parse_primary_ip);
}

Result<std::optional<PrimaryIp>> PrimaryIps::get_by_name(const std::string& name) {
  return detail::get_by_param(c_, "/primary_ips", "primary_ips", Query().add("name", name),
                              parse_primary_ip);
}

Result<std::optional<PrimaryIp>> PrimaryIps::get_by_ip(const std::string& ip) {
  return detail::get_by_param(c_, "/primary_ips", "primary_ips", Query().add("ip", ip),
                              parse_primary_ip);
}

Result<CreatePrimaryIpResult> PrimaryIps::create(const CreatePrimaryIpOpts& o) {
  // `assignee_type` is required even when unassigned; `datacenter` is never
  // sent (removed 2026-07-01), `location` instead.
  Json body = {{"name", o.name}, {"type", o.type}, {"assignee_type", "server"}};
  if (o.assignee_id) {
    body["assignee_id"] = *o.assignee_id;
  } else if (!o.location.empty()) {
    body["location"] = o.location;
  }
  body["auto_delete"] = o.auto_delete;
  if (!o.labels.empty()) body["labels"] = o.labels;
  auto parse = [](const Json& j, const std::string& request) -> Result<CreatePrimaryIpResult> {
    auto ip = detail::member(Result<Json>(j), "primary_ip", parse_primary_ip, request);
    if (!ip.ok()) return std::move(ip).error();
    CreatePrimaryIpResult out{std::move(ip).value(), {}};
    if (j.contains("action") && !j["action"].is_null()) {
      auto a = parse_action(j["action"], request);
      if (!a.ok()) return std::move(a).error();
      out.action = std::move(a).value();
    }
    return out;
  };
  auto lookup = [&]() -> Result<std::optional<CreatePrimaryIpResult>> {
    auto found = get_by_name(o.name);
    if (!found.ok()) return std::move(found).error();
    if (!found.value() || !detail::has_labels(found.value()->labels, o.labels))
      return std::optional<CreatePrimaryIpResult>();
    return std::optional<CreatePrimaryIpResult>(
        CreatePrimaryIpResult{std::move(*found.value()), std::nullopt});
  };
  return detail::create_reconciled<CreatePrimaryIpResult>(c_, "/primary_ips", body, parse, lookup,
                                                          true);
}

Result<PrimaryIp> PrimaryIps::update(std::int64_t id, const std::optional<std::string>& name,
                                     const std::optional<Labels>& labels,
                                     std::optional<bool> auto_delete) {
  std::string path = "/primary_ips/" + std::to_string(id);
  Json body = detail::update_body(name, labels);
  if (auto_delete) body["auto_delete"] = *auto_delete;
  return detail::member(c_.call(Method::kPut, path, {}, &body, Safety::kIdempotent), "primary_ip",
                        parse_primary_ip, detail::request_name(Method::kPut, path));
}

Status PrimaryIps::del(std::int64_t id) {
  return detail::delete_by_id(c_, "/primary_ips", id);
}

}  // namespace hcloud
