// stepCreateServer: resolves SSH keys, firewalls, the image and primary IPs,
// creates the server (labelled with the run, journaled before and after),
// waits for it, picks the address to connect to, applies
// upgrade_server_type and rescue. Cleanup deletes the server.
#include <algorithm>
#include <cstdlib>

#include "builders/hcloud/state.h"
#include "engine/journal.h"

namespace kiln::builders::hcloud_builder {

namespace {

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A Primary IP by ID, name or address.
hcloud::Result<std::optional<hcloud::PrimaryIp>> find_primary_ip(hcloud::Client& c,
                                                                 const std::string& ref) {
  if (all_digits(ref)) {
    auto r = c.primary_ips().get(std::strtoll(ref.c_str(), nullptr, 10));
    if (!r.ok() || r.value()) return r;
  }
  auto by_name = c.primary_ips().get_by_name(ref);
  if (!by_name.ok() || by_name.value()) return by_name;
  return c.primary_ips().get_by_ip(ref);
}

engine::Status resolve_image(State& s, std::string& image_id) {
  const Config& c = *s.config;
  if (!c.image.empty()) {
    auto r = s.client->images().get_by_id_or_name(c.image, s.architecture);
    if (!r.ok()) return engine::Status::fail("Error getting image: " + r.error().to_string());
    if (!r.value())
      return engine::Status::fail("Could not find image " + c.image + " for architecture " +
                                  s.architecture);
    if (r.value()->deprecated)
      s.ui->error("Warning: image " + c.image + " is deprecated since " + *r.value()->deprecated);
    image_id = std::to_string(r.value()->id);
    s.source_image = c.image;
    s.source_image_id = r.value()->id;
    return engine::Status::ok();
  }
  std::string selector;
  for (auto& sel : c.image_filter_selectors) selector += (selector.empty() ? "" : ",") + sel;
  hcloud::ImageListOpts o;
  o.label_selector = selector;
  o.statuses = {"available"};
  o.architecture = s.architecture;
  auto r = s.client->images().list(o);
  if (!r.ok()) return engine::Status::fail("Error listing images: " + r.error().to_string());
  if (r->empty()) return engine::Status::fail("no image found for selector \"" + selector + "\"");
  if (r->size() > 1 && !c.image_filter_most_recent)
    return engine::Status::fail("image filter returned " + std::to_string(r->size()) +
                                " images for selector \"" + selector +
                                "\"; set most_recent = true to use the newest");
  auto newest = std::max_element(r->begin(), r->end(), [](auto& a, auto& b) {
    return a.created < b.created || (a.created == b.created && a.id < b.id);
  });
  image_id = std::to_string(newest->id);
  s.source_image = newest->name.value_or(newest->description);
  s.source_image_id = newest->id;
  s.ui->say("Using image " + std::to_string(newest->id) + " (" + s.source_image + ")");
  return engine::Status::ok();
}

// firstAvailableIP: public IPv4, then the IPv6 network's ::1, then the
// first private address.
std::string connect_ip(const hcloud::Server& srv) {
  if (srv.ipv4 && !srv.ipv4->ip.empty()) return srv.ipv4->ip;
  if (srv.ipv6 && !srv.ipv6->ip.empty()) {
    std::string net = srv.ipv6->ip.substr(0, srv.ipv6->ip.find('/'));
    return net + "1";
  }
  if (!srv.private_net.empty()) return srv.private_net.front().ip;
  return "";
}

}  // namespace

engine::Status step_create_server(State& s) {
  const Config& c = *s.config;
  s.ui->say("Creating server...");
  hcloud::CreateServerOpts o;
  o.name = c.server_name;
  o.server_type = c.server_type;
  o.location = c.location;
  o.user_data = c.user_data;
  o.labels = c.server_labels;
  for (auto& [k, v] : s.run_labels()) o.labels[k] = v;
  std::vector<std::int64_t> key_ids;
  if (s.ssh_key_id) key_ids.push_back(s.ssh_key_id);
  for (auto& k : c.ssh_keys) {
    auto r = s.client->ssh_keys().get_by_id_or_name(k);
    if (!r.ok()) return engine::Status::fail("Error fetching SSH key: " + r.error().to_string());
    if (!r.value()) return engine::Status::fail("Could not find SSH key " + k);
    key_ids.push_back(r.value()->id);
  }
  for (auto id : key_ids) o.ssh_keys.push_back(std::to_string(id));
  for (auto& f : c.firewalls) {
    auto r = s.client->firewalls().get_by_id_or_name(f);
    if (!r.ok()) return engine::Status::fail("Error fetching firewall: " + r.error().to_string());
    if (!r.value()) return engine::Status::fail("Could not find firewall " + f);
    o.firewalls.push_back(r.value()->id);
  }
  if (engine::Status st = resolve_image(s, o.image); st.failed()) return st;
  o.enable_ipv4 = !c.public_ipv4_disabled;
  o.enable_ipv6 = !c.public_ipv6_disabled;
  if (!c.public_ipv4.empty() && !c.public_ipv4_disabled) {
    auto r = find_primary_ip(*s.client, c.public_ipv4);
    if (!r.ok()) return engine::Status::fail("Error fetching primary IP: " + r.error().to_string());
    if (!r.value() || r.value()->type != "ipv4")
      return engine::Status::fail("Could not find primary IPv4 " + c.public_ipv4);
    o.ipv4 = r.value()->id;
  }
  if (!c.public_ipv6.empty() && !c.public_ipv6_disabled) {
    auto r = find_primary_ip(*s.client, c.public_ipv6);
    if (!r.ok()) return engine::Status::fail("Error fetching primary IP: " + r.error().to_string());
    if (!r.value() || r.value()->type != "ipv6")
      return engine::Status::fail("Could not find primary IPv6 " + c.public_ipv6);
    o.ipv6 = r.value()->id;
  }
  o.networks = c.networks;
  if (!c.upgrade_server_type.empty()) o.start_after_create = false;

  if (s.ctx->journal) s.ctx->journal->creating("server", o.name, s.endpoint(), s.build(), o.labels);
  auto r = s.client->servers().create(o);
  if (!r.ok()) {
    if (s.ctx->journal && !r.error().outcome_unknown)
      s.ctx->journal->not_created("server", o.name, s.endpoint());
    return engine::Status::fail("Error creating server: " + r.error().to_string());
  }
  // Recorded at once: a failure while waiting still deletes it.
  s.server_id = r->server.id;
  if (s.ctx->journal)
    s.ctx->journal->created("server", o.name, s.server_id, s.endpoint(), s.build());
  if (r->root_password) s.ui->add_secret(*r->root_password);
  s.ctx->info->generated["ID"] = std::to_string(s.server_id);
  if (engine::Status st = wait_action(s, r->action, "Error creating server"); st.failed())
    return st;
  if (engine::Status st = wait_actions(s, r->next_actions, "Error creating server"); st.failed())
    return st;

  auto srv = s.client->servers().get(s.server_id);
  if (!srv.ok() || !srv.value())
    return engine::Status::fail("Error getting server: " +
                                (srv.ok() ? std::string("it is gone") : srv.error().to_string()));
  s.server_ip = connect_ip(*srv.value());
  if (s.server_ip.empty() && c.comm.type != "none")
    return engine::Status::fail("Server " + std::to_string(s.server_id) +
                                " has no IP address to connect to");
  s.ctx->info->generated["Host"] = s.server_ip;

  if (!c.firewalls.empty()) {
    // Firewalls being applied lock the server (upstream #205).
    auto fa = s.client->firewalls().running_actions();
    if (fa.ok()) {
      std::vector<hcloud::Action> mine;
      for (auto& a : fa.value())
        for (auto& res : a.resources)
          if (res.type == "server" && res.id == s.server_id) mine.push_back(a);
      if (engine::Status st = wait_actions(s, mine, "Error applying firewalls"); st.failed())
        return st;
    }
  }
  if (!c.upgrade_server_type.empty()) {
    s.ui->say("Changing server-type...");
    auto ct = s.client->servers().change_type(s.server_id, c.upgrade_server_type, false);
    if (!ct.ok())
      return engine::Status::fail("Error changing server-type: " + ct.error().to_string());
    if (engine::Status st = wait_action(s, ct.value(), "Error changing server-type"); st.failed())
      return st;
    s.ui->say("Starting server...");
    auto on = s.client->servers().poweron(s.server_id);
    if (!on.ok()) return engine::Status::fail("Error starting server: " + on.error().to_string());
    if (engine::Status st = wait_action(s, on.value(), "Error starting server"); st.failed())
      return st;
  }
  if (!c.rescue.empty()) {
    if (srv.value()->rescue_enabled) {
      s.ui->say("Disabling existing rescue mode...");
      auto d = s.client->servers().disable_rescue(s.server_id);
      if (!d.ok()) return engine::Status::fail("Error disabling rescue: " + d.error().to_string());
      if (engine::Status st = wait_action(s, d.value(), "Error disabling rescue"); st.failed())
        return st;
    }
    s.ui->say("Enabling Rescue Mode...");
    auto e = s.client->servers().enable_rescue(s.server_id, c.rescue, key_ids);
    if (!e.ok()) return engine::Status::fail("Error enabling rescue: " + e.error().to_string());
    if (e->root_password) s.ui->add_secret(*e->root_password);
    if (engine::Status st = wait_action(s, e->action, "Error enabling rescue"); st.failed())
      return st;
    s.ui->say("Reboot server...");
    auto rs = s.client->servers().reset(s.server_id);
    if (!rs.ok()) return engine::Status::fail("Error rebooting server: " + rs.error().to_string());
    if (engine::Status st = wait_action(s, rs.value(), "Error rebooting server"); st.failed())
      return st;
  }
  return engine::Status::ok();
}

void cleanup_server(State& s) {
  if (s.server_id == 0) return;
  s.ui->say("Destroying server...");
  auto r = s.client->servers().del(s.server_id);
  if (!r.ok() && !r.error().not_found()) {
    s.ui->error("Error destroying server. Please destroy it manually (id " +
                std::to_string(s.server_id) + ") or run `kiln cleanup`: " + r.error().to_string());
    return;
  }
  // Waited for (unless a second signal hurries us), so that a finished run
  // has really left nothing behind. Journaled as deleted only once it is:
  // a delete that failed, or was not seen to end, stays for `kiln cleanup`
  // (which checks, and records it gone if it is).
  if (r.ok() && r.value()) {
    engine::Status st = wait_action(s, *r.value(), "Error destroying server", false);
    if (st.failed()) {
      if (!s.ctx->hurried())
        s.ui->error(st.message() + ". Please destroy it manually (id " +
                    std::to_string(s.server_id) + ") or run `kiln cleanup`");
      s.server_id = 0;
      return;
    }
  }
  if (s.ctx->journal) s.ctx->journal->deleted("server", s.server_id, s.endpoint());
  s.server_id = 0;
}

}  // namespace kiln::builders::hcloud_builder
