#include "hcloud/firewalls.h"

#include "hcloud/id_or_name.h"

namespace hcloud {

Result<std::vector<Firewall>> Firewalls::list(const ListOpts& opts) {
  return detail::parse_all(c_.list_all("/firewalls", "firewalls", {}, opts), parse_firewall,
                           "GET /firewalls");
}

Result<std::optional<Firewall>> Firewalls::get(std::int64_t id) {
  return detail::get_by_id(c_, "/firewalls", id, "firewall", parse_firewall);
}

Result<std::optional<Firewall>> Firewalls::get_by_name(const std::string& name) {
  return detail::get_by_param(c_, "/firewalls", "firewalls", Query().add("name", name),
                              parse_firewall);
}

Result<std::optional<Firewall>> Firewalls::get_by_id_or_name(const std::string& id_or_name) {
  if (auto id = parse_id(id_or_name)) return get(*id);
  return get_by_name(id_or_name);
}

Result<CreateFirewallResult> Firewalls::create(const CreateFirewallOpts& o) {
  Json body = {{"name", o.name}};
  if (!o.rules.empty()) {
    Json rules = Json::array();
    for (const auto& r : o.rules) {
      Json rule = {{"direction", r.direction}, {"protocol", r.protocol}};
      if (r.port) rule["port"] = *r.port;
      if (r.direction == "in") rule["source_ips"] = r.source_ips;
      if (r.direction == "out") rule["destination_ips"] = r.destination_ips;
      if (r.description) rule["description"] = *r.description;
      rules.push_back(std::move(rule));
    }
    body["rules"] = rules;
  }
  if (!o.apply_to_servers.empty()) {
    Json apply = Json::array();
    for (auto id : o.apply_to_servers)
      apply.push_back({{"type", "server"}, {"server", {{"id", id}}}});
    body["apply_to"] = apply;
  }
  if (!o.labels.empty()) body["labels"] = o.labels;
  auto parse = [](const Json& j, const std::string& request) -> Result<CreateFirewallResult> {
    auto fw = detail::member(Result<Json>(j), "firewall", parse_firewall, request);
    if (!fw.ok()) return std::move(fw).error();
    CreateFirewallResult out{std::move(fw).value(), {}};
    if (j.contains("actions") && j["actions"].is_array()) {
      for (const auto& a : j["actions"]) {
        auto parsed = parse_action(a, request);
        if (!parsed.ok()) return std::move(parsed).error();
        out.actions.push_back(std::move(parsed).value());
      }
    }
    return out;
  };
  auto lookup = [&]() -> Result<std::optional<CreateFirewallResult>> {
    auto found = get_by_name(o.name);
    if (!found.ok()) return std::move(found).error();
    if (!found.value() || !detail::has_labels(found.value()->labels, o.labels))
      return std::optional<CreateFirewallResult>();
    return std::optional<CreateFirewallResult>(CreateFirewallResult{std::move(*found.value()), {}});
  };
  return detail::create_reconciled<CreateFirewallResult>(c_, "/firewalls", body, parse, lookup,
                                                         true);
}

Result<Firewall> Firewalls::update(std::int64_t id, const std::optional<std::string>& name,
                                   const std::optional<Labels>& labels) {
  std::string path = "/firewalls/" + std::to_string(id);
  Json body = detail::update_body(name, labels);
  return detail::member(c_.call(Method::kPut, path, {}, &body, Safety::kIdempotent), "firewall",
                        parse_firewall, detail::request_name(Method::kPut, path));
}

Status Firewalls::del(std::int64_t id) {
  return detail::delete_by_id(c_, "/firewalls", id);
}

Result<std::vector<Action>> Firewalls::running_actions() {
  return detail::parse_all(
      c_.list_all("/firewalls/actions", "actions", Query().add("status", "running"), {}),
      parse_action, "GET /firewalls/actions");
}

}  // namespace hcloud
