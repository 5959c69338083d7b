// stepCreateSnapshot: create_image with snapshot_name as the description
// and snapshot_labels; a snapshot whose wait failed is looked up and, when
// it exists, reported instead of lost; -force deletes the old same-named
// snapshots only once the new one exists.
#include "builders/hcloud/state.h"
#include "engine/journal.h"

namespace kiln::builders::hcloud_builder {

engine::Status step_create_snapshot(State& s) {
  const Config& c = *s.config;
  if (c.skip_create_snapshot) {
    s.ui->say("Skipping snapshot creation...");
    return engine::Status::ok();
  }
  s.ui->say("Creating snapshot...");
  s.ui->say("This can take some time");
  hcloud::CreateImageOpts o;
  o.description = c.snapshot_name;
  o.labels = c.snapshot_labels;
  o.labels["kiln.run"] = s.ctx->info->run_uuid;
  if (s.ctx->journal)
    s.ctx->journal->creating("snapshot", c.snapshot_name, s.endpoint(), s.build(), o.labels);
  auto r = s.client->servers().create_image(s.server_id, o);
  if (!r.ok()) return engine::Status::fail("Error creating snapshot: " + r.error().to_string());
  s.snapshot_id = r->image.id;
  if (s.ctx->journal)
    s.ctx->journal->created("snapshot", c.snapshot_name, s.snapshot_id, s.endpoint(), s.build());
  engine::Status waited = wait_action(s, r->action, "Error creating snapshot");
  if (waited.failed()) {
    // The snapshot may exist although the wait failed (upstream #400).
    auto img = s.client->images().get(s.snapshot_id);
    std::string id = std::to_string(s.snapshot_id);
    if (img.ok() && img.value() && img.value()->status == "available" && !s.cancel->cancelled()) {
      s.ui->error("Waiting for the snapshot failed (" + waited.message() + "), but snapshot " + id +
                  " exists and is available: using it.");
    } else if (img.ok() && img.value()) {
      return engine::Status::fail(waited.message() + "; snapshot " + id + " ('" + c.snapshot_name +
                                  "') exists with status " + img.value()->status +
                                  " and is kept: check it, and delete it if it is unusable");
    } else if (img.ok()) {
      if (s.ctx->journal) s.ctx->journal->deleted("snapshot", s.snapshot_id, s.endpoint());
      return engine::Status::fail(waited.message() + "; snapshot " + id + " ('" + c.snapshot_name +
                                  "') was not made");
    } else {
      // Not knowing is not "it does not exist": the create was accepted.
      return engine::Status::fail(waited.message() + "; snapshot " + id + " ('" + c.snapshot_name +
                                  "') may exist, but looking it up failed too (" +
                                  img.error().to_string() +
                                  "): check it, and delete it if it is unusable");
    }
  }
  for (auto old : s.old_snapshots) {
    if (old == s.snapshot_id) continue;
    s.ui->say("Deleting old snapshot " + std::to_string(old) + " named '" + c.snapshot_name + "'");
    auto d = s.client->images().del(old);
    if (!d.ok() && !d.error().not_found())
      return engine::Status::fail("Error deleting old snapshot " + std::to_string(old) + ": " +
                                  d.error().to_string());
  }
  return engine::Status::ok();
}

}  // namespace kiln::builders::hcloud_builder
