#include "hcloud/servers.h"

#include <algorithm>

namespace hcloud {
namespace {

Result<CreateServerResult> parse_create(const Json& j, const std::string& request) {
  auto server = detail::member(Result<Json>(j), "server", parse_server, request);
  if (!server.ok()) return std::move(server).error();
  auto action = detail::member(Result<Json>(j), "action", parse_action, request);
  if (!action.ok()) return std::move(action).error();
  CreateServerResult out{std::move(server).value(), std::move(action).value(), {}, {}, false};
  if (j.contains("next_actions") && !j["next_actions"].is_null()) {
    if (!j["next_actions"].is_array()) return malformed(request, "next_actions is not an array");
    for (const auto& a : j["next_actions"]) {
      auto parsed = parse_action(a, request);
      if (!parsed.ok()) return std::move(parsed).error();
      out.next_actions.push_back(std::move(parsed).value());
    }
  }
  if (j.contains("root_password") && j["root_password"].is_string())
    out.root_password = j["root_password"].get<std::string>();
  return out;
}

}  // namespace

Json Servers::create_body(const CreateServerOpts& o) {
  // ID-or-name fields travel as strings, as the API documents them
  // ("42" is an ID). `datacenter` is never sent: removed 2026-07-01.
  Json body = {{"name", o.name}, {"server_type", o.server_type}, {"image", o.image}};
  if (!o.location.empty()) body["location"] = o.location;
  if (!o.ssh_keys.empty()) body["ssh_keys"] = o.ssh_keys;
  if (o.user_data) body["user_data"] = *o.user_data;
  if (!o.labels.empty()) body["labels"] = o.labels;
  if (o.start_after_create) body["start_after_create"] = *o.start_after_create;
  Json pn = {{"enable_ipv4", o.enable_ipv4}, {"enable_ipv6", o.enable_ipv6}};
  if (o.ipv4) pn["ipv4"] = *o.ipv4;
  if (o.ipv6) pn["ipv6"] = *o.ipv6;
  body["public_net"] = pn;
  if (!o.networks.empty()) body["networks"] = o.networks;
  if (!o.firewalls.empty()) {
    Json fws = Json::array();
    for (auto id : o.firewalls) fws.push_back({{"firewall", id}});
    body["firewalls"] = fws;
  }
  if (o.placement_group) body["placement_group"] = *o.placement_group;
  if (!o.volumes.empty()) body["volumes"] = o.volumes;
  if (o.automount) body["automount"] = *o.automount;
  return body;
}

Result<std::vector<Server>> Servers::list(const ServerListOpts& opts) {
  Query q;
  for (const auto& s : opts.statuses) q.add("status", s);
  return detail::parse_all(c_.list_all("/servers", "servers", q, opts), parse_server,
                           "GET /servers");
}

Result<std::optional<Server>> Servers::get(std::int64_t id) {
  return detail::get_by_id(c_, "/servers", id, "server", parse_server);
}

Result<std::optional<Server>> Servers::get_by_name(const std::string& name) {
  return detail::get_by_param(c_, "/servers", "servers", Query().add("name", name), parse_server);
}

Result<std::vector<Action>> Servers::actions(std::int64_t id,
                                             const std::vector<std::string>& statuses) {
  std::string path = "/servers/" + std::to_string(id) + "/actions";
  Query q;
  for (const auto& s : statuses) q.add("status", s);
  ListOpts opts;
  opts.sort = {"id"};
  return detail::parse_all(c_.list_all(path, "actions", q, opts), parse_action,
                           detail::request_name(Method::kGet, path));
}

Result<CreateServerResult> Servers::create(const CreateServerOpts& opts) {
  Json body = create_body(opts);
  auto lookup = [&]() -> Result<std::optional<CreateServerResult>> {
    auto found = get_by_name(opts.name);
    if (!found.ok()) return std::move(found).error();
    if (!found.value() || !detail::has_labels(found.value()->labels, opts.labels))
      return std::optional<CreateServerResult>();
    CreateServerResult out;
    out.server = std::move(*found.value());
    out.reconciled = true;
    // Recover the create action and what followed it.
    auto acts = actions(out.server.id);
    if (!acts.ok()) return std::move(acts).error();
    bool have_create = false;
    for (auto& a : acts.value()) {
      if (!have_create && a.command == "create_server") {
        out.action = a;
        have_create = true;
      } else if (have_create && a.command == "start_server") {
        out.next_actions.push_back(a);
      }
    }
    if (!have_create) {
      // Nothing to wait for: treat creation as done.
      out.action.command = "create_server";
      out.action.status = "success";
      out.action.progress = 100;
    }
    return std::optional<CreateServerResult>(std::move(out));
  };
  return detail::create_reconciled<CreateServerResult>(c_, "/servers", body, parse_create, lookup,
                                                       true);
}

Result<Server> Servers::update(std::int64_t id, const std::optional<std::string>& name,
                               const std::optional<Labels>& labels) {
  std::string path = "/servers/" + std::to_string(id);
  Json body = detail::update_body(name, labels);
  return detail::member(c_.call(Method::kPut, path, {}, &body, Safety::kIdempotent), "server",
                        parse_server, detail::request_name(Method::kPut, path));
}

Result<std::optional<Action>> Servers::del(std::int64_t id) {
  std::string path = "/servers/" + std::to_string(id);
  auto r = c_.call(Method::kDelete, path, {}, nullptr, Safety::kIdempotent);
  if (!r.ok() && r.error().not_found() && r.error().attempts > 1) return std::optional<Action>();
  if (!r.ok()) return std::move(r).error();
  if (r.value().is_null() || !r.value().contains("action")) return std::optional<Action>();
  auto a = parse_action(r.value()["action"], detail::request_name(Method::kDelete, path));
  if (!a.ok()) return std::move(a).error();
  return std::optional<Action>(std::move(a).value());
}

Result<Action> Servers::simple_action(std::int64_t id, const char* name, const Json* body) {
  std::string path = "/servers/" + std::to_string(id) + "/actions/" + name;
  return detail::member(c_.call(Method::kPost, path, {}, body, Safety::kAction), "action",
                        parse_action, detail::request_name(Method::kPost, path));
}

Result<Action> Servers::poweron(std::int64_t id) {
  return simple_action(id, "poweron", nullptr);
}
Result<Action> Servers::poweroff(std::int64_t id) {
  return simple_action(id, "poweroff", nullptr);
}
Result<Action> Servers::shutdown(std::int64_t id) {
  return simple_action(id, "shutdown", nullptr);
}
Result<Action> Servers::reboot(std::int64_t id) {
  return simple_action(id, "reboot", nullptr);
}
Result<Action> Servers::reset(std::int64_t id) {
  return simple_action(id, "reset", nullptr);
}
Result<Action> Servers::disable_rescue(std::int64_t id) {
  return simple_action(id, "disable_rescue", nullptr);
}

Result<Action> Servers::change_type(std::int64_t id, const std::string& server_type,
                                    bool upgrade_disk) {
  Json body = {{"server_type", server_type}, {"upgrade_disk", upgrade_disk}};
  return simple_action(id, "change_type", &body);
}

Result<EnableRescueResult> Servers::enable_rescue(std::int64_t id, const std::string& type,
                                                  const std::vector<std::int64_t>& ssh_keys) {
  std::string path = "/servers/" + std::to_string(id) + "/actions/enable_rescue";
  std::string request = detail::request_name(Method::kPost, path);
  Json body = Json::object();
  if (!type.empty()) body["type"] = type;
  if (!ssh_keys.empty()) body["ssh_keys"] = ssh_keys;
  auto r = c_.call(Method::kPost, path, {}, &body, Safety::kAction);
  auto action = detail::member(r, "action", parse_action, request);
  if (!action.ok()) return std::move(action).error();
  EnableRescueResult out{std::move(action).value(), {}};
  if (r.value().contains("root_password") && r.value()["root_password"].is_string())
    out.root_password = r.value()["root_password"].get<std::string>();
  return out;
}

Result<CreateImageResult> Servers::create_image(std::int64_t id, const CreateImageOpts& opts) {
  std::string path = "/servers/" + std::to_string(id) + "/actions/create_image";
  Json body = Json::object();
  if (!opts.type.empty()) body["type"] = opts.type;
  if (opts.description) body["description"] = *opts.description;
  if (!opts.labels.empty()) body["labels"] = opts.labels;
  auto parse = [](const Json& j, const std::string& request) -> Result<CreateImageResult> {
    auto action = detail::member(Result<Json>(j), "action", parse_action, request);
    if (!action.ok()) return std::move(action).error();
    auto image = detail::member(Result<Json>(j), "image", parse_image, request);
    if (!image.ok()) return std::move(image).error();
    return CreateImageResult{std::move(action).value(), std::move(image).value()};
  };
  auto lookup = [&]() -> Result<std::optional<CreateImageResult>> {
    // Without labels an image cannot be told apart safely.
    if (opts.labels.empty()) {
      Error e;
      e.message = "a snapshot without labels cannot be looked up";
      return e;
    }
    std::string selector;
    for (const auto& [k, v] : opts.labels) {
      if (!selector.empty()) selector += ",";
      selector += k + "=" + v;
    }
    ListOpts lo;
    lo.label_selector = selector;
    Query q;
    q.add("type", opts.type.empty() ? "snapshot" : opts.type);
    auto images =
        detail::parse_all(c_.list_all("/images", "images", q, lo), parse_image, "GET /images");
    if (!images.ok()) return std::move(images).error();
    for (auto& img : images.value()) {
      if (!img.created_from || img.created_from->id != id) continue;
      if (opts.description && img.description != *opts.description) continue;
      // Recover the create_image action of this server.
      auto acts = actions(id);
      if (!acts.ok()) return std::move(acts).error();
      CreateImageResult out;
      out.image = img;
      out.action.command = "create_image";
      out.action.status = img.status == "available" ? "success" : "running";
      for (auto it = acts.value().rbegin(); it != acts.value().rend(); ++it) {
        if (it->command == "create_image") {
          out.action = *it;
          break;
        }
      }
      return std::optional<CreateImageResult>(std::move(out));
    }
    return std::optional<CreateImageResult>();
  };
  return detail::create_reconciled<CreateImageResult>(c_, path, body, parse, lookup, false);
}

}  // namespace hcloud
