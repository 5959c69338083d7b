#include "local/machine_backend.h"

#include <memory>

#include "local/catalog.h"
#include "local/netaddr.h"

namespace kiln::local {

using json = nlohmann::json;

namespace {

constexpr uint64_t kGiB = uint64_t{1} << 30;

const ServerTypeInfo* type_of(const json& server) {
  return server.contains("server_type") && server["server_type"].is_number_integer()
             ? find_server_type(server["server_type"].get<int64_t>())
             : nullptr;
}

// Where a server's new disk comes from: its image (a system image by name,
// else a snapshot by id), for its type's architecture.
DiskSource disk_source(const json& server) {
  DiskSource src;
  const ServerTypeInfo* t = type_of(server);
  src.arch = t ? t->architecture : "x86";
  json img = server.value("_image", json::object());
  if (img.value("type", std::string()) == "system")
    src.system_image = img.value("name", std::string());
  else
    src.snapshot = img.value("id", int64_t{0});
  return src;
}

uint64_t disk_bytes(const json& server) {
  return server.value("primary_disk_size", int64_t{40}) * kGiB;
}

}  // namespace

BootSpec MachineBackend::boot_spec(const ServerWork& w) {
  const json& s = w.server;
  BootSpec b;
  b.id = s["id"];
  b.name = s.value("name", std::string("server"));
  const ServerTypeInfo* t = type_of(s);
  b.arch = t ? t->architecture : "x86";
  b.memory = t ? static_cast<uint64_t>(t->memory * kGiB) : 2 * kGiB;
  if (s.contains("_ipv4") && s["_ipv4"].is_object())
    b.ipv4 = s["_ipv4"]["ip"];
  else
    b.ipv4 = server_ipv4(b.id);  // no public IPv4: an address of its own all the same
  b.rescue = w.effect.value("rescue", false);
  b.ssh_keys = w.ssh_keys;
  b.root_password = w.root_password;
  if (s.contains("_user_data") && s["_user_data"].is_string()) b.user_data = s["_user_data"];
  return b;
}

Machines::Done MachineBackend::done_for(int64_t action_id) {
  return [this, action_id](const std::string& error, uint64_t) {
    if (api_) api_->work_done(action_id, error, nullptr);
  };
}

void MachineBackend::submit(const ServerWork& w) {
  if (w.server.is_null()) {
    if (api_) api_->work_done(w.action_id, "", nullptr);
    return;
  }
  int64_t id = w.server["id"];
  const std::string& c = w.command;
  const std::string status = w.server.value("status", std::string());
  if (c == "create_server") {
    machines_.create_disk(id, disk_source(w.server), disk_bytes(w.server), done_for(w.action_id));
  } else if (c == "rebuild_server") {
    // Off, a new disk from the image, booted again: one queue keeps them in
    // order. The action fails with the first error.
    machines_.power_off(id, false, [](const std::string&, uint64_t) {});
    auto disk_error = std::make_shared<std::string>();
    machines_.create_disk(id, disk_source(w.server), disk_bytes(w.server),
                          [disk_error](const std::string& e, uint64_t) { *disk_error = e; });
    Machines::Done done = done_for(w.action_id);
    machines_.boot(boot_spec(w), [disk_error, done](const std::string& e, uint64_t v) {
      done(disk_error->empty() ? e : *disk_error, v);
    });
  } else if (c == "start_server") {
    // poweron of a server that runs already changes nothing.
    if (status == "running" && w.action_id != 0) {
      done_for(w.action_id)("", 0);
      return;
    }
    machines_.boot(boot_spec(w), done_for(w.action_id));
  } else if (c == "reboot_server") {
    machines_.boot(boot_spec(w), done_for(w.action_id));  // graceful stop first
  } else if (c == "reset_server") {
    machines_.power_off(id, false, [](const std::string&, uint64_t) {});
    machines_.boot(boot_spec(w), done_for(w.action_id));
  } else if (c == "stop_server" || c == "shutdown_server") {
    machines_.power_off(id, c == "shutdown_server", done_for(w.action_id));
  } else if (c == "create_image") {
    int64_t iid = w.effect.value("image", int64_t{0});
    int64_t aid = w.action_id;
    machines_.snapshot(id, iid, [this, aid](const std::string& error, uint64_t bytes) {
      if (api_)
        api_->work_done(
            aid, error,
            error.empty() ? json{{"image_size", static_cast<double>(bytes) / kGiB}} : json());
    });
  } else if (c == "change_server_type") {
    if (w.effect.value("upgrade_disk", false))
      machines_.grow_disk(id, w.effect.value("disk", int64_t{0}) * kGiB, done_for(w.action_id));
    else
      done_for(w.action_id)("", 0);
  } else if (c == "delete_server") {
    machines_.destroy(id, done_for(w.action_id));
  } else {
    done_for(w.action_id)("", 0);
  }
}

void MachineBackend::image_deleted(int64_t image_id) {
  machines_.delete_snapshot(image_id);
}

}  // namespace kiln::local
