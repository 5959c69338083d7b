// stepPreValidate: the server types exist (and agree on architecture), and
// the snapshot name is free unless -force.
#include "builders/hcloud/state.h"

namespace kiln::builders::hcloud_builder {

engine::Status step_pre_validate(State& s) {
  const Config& c = *s.config;
  s.ui->say("Prevalidating server types");
  auto st = s.client->server_types().get_by_id_or_name(c.server_type);
  if (!st.ok())
    return engine::Status::fail("Error fetching server type: " + st.error().to_string());
  if (!st.value())
    return engine::Status::fail("could not find server type '" + c.server_type + "'");
  s.architecture = st.value()->architecture;
  if (!c.upgrade_server_type.empty()) {
    auto up = s.client->server_types().get_by_id_or_name(c.upgrade_server_type);
    if (!up.ok())
      return engine::Status::fail("Error fetching server type: " + up.error().to_string());
    if (!up.value())
      return engine::Status::fail("could not find upgrade server type '" + c.upgrade_server_type +
                                  "'");
    if (up.value()->architecture != s.architecture)
      return engine::Status::fail(
          "server_type and upgrade_server_type have incompatible architectures: " + s.architecture +
          " and " + up.value()->architecture);
  }
  if (c.skip_create_snapshot) return engine::Status::ok();
  s.ui->say("Prevalidating snapshot name: " + c.snapshot_name);
  hcloud::ImageListOpts o;
  o.types = {"snapshot"};
  o.architecture = s.architecture;
  auto images = s.client->images().list(o);
  if (!images.ok())
    return engine::Status::fail("Error listing snapshots: " + images.error().to_string());
  for (const auto& img : images.value()) {
    if (img.description != c.snapshot_name) continue;
    if (!s.ctx->force)
      return engine::Status::fail("snapshot name: '" + c.snapshot_name +
                                  "' is already in use (use -force to replace it)");
    s.old_snapshots.push_back(img.id);
  }
  if (!s.old_snapshots.empty())
    s.ui->say("Found " + std::to_string(s.old_snapshots.size()) + " snapshot(s) named '" +
              c.snapshot_name + "': -force deletes them once the new snapshot exists");
  return engine::Status::ok();
}

}  // namespace kiln::builders::hcloud_builder
