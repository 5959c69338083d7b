#include "builders/hcloud/builder.h"

#include <nlohmann/json.hpp>

#include "builders/hcloud/state.h"
#include "engine/steps.h"
#include "engine/uuid.h"

namespace kiln::builders::hcloud_builder {

std::string artifact_string(const std::string& name, long long id) {
  return "A snapshot was created: '" + name + "' (ID: " + std::to_string(id) + ")";
}

namespace {

hcloud::ClientOptions client_options(const Config& c) {
  hcloud::ClientOptions o;
  o.endpoint = c.endpoint;
  o.token = c.token;
  return o;
}

class HcloudBuilder : public engine::Builder {
 public:
  engine::Status prepare(const hcl::Value& config, engine::BuildInfo&) override {
    // A fresh id per build: parallel builds of one run get distinct names.
    return decode_config(config, engine::new_uuid(), config_);
  }

  engine::Status run(engine::Ui& ui, engine::BuildContext& ctx, const engine::Cancel& cancel,
                     std::optional<engine::Artifact>& out) override {
    State s;
    s.config = &config_;
    s.ui = &ui;
    s.ctx = &ctx;
    s.cancel = &cancel;
    s.client = std::make_unique<hcloud::Client>(client_options(config_));
    ui.add_secret(config_.token);
    std::vector<engine::Step> steps = {
        {"stepPreValidate", [&] { return step_pre_validate(s); }, {}},
        {"StepSSHKeyGen", [&] { return step_ssh_key_gen(s); }, {}},
        {"stepCreateSSHKey", [&] { return step_create_ssh_key(s); }, [&] { cleanup_ssh_key(s); }},
        {"stepCreateServer", [&] { return step_create_server(s); }, [&] { cleanup_server(s); }},
        {"StepConnect", [&] { return step_connect(s); },
         [&] {
           if (s.comm) s.comm->disconnect();
         }},
        {"StepProvision", [&] { return ctx.provision(ui, s.comm.get()); }, {}},
        {"StepCleanupTempKeys", [&] { return step_clear_authorized_keys(s); }, {}},
        {"stepShutdownServer", [&] { return step_shutdown(s); }, {}},
        {"stepCreateSnapshot", [&] { return step_create_snapshot(s); }, {}},
    };
    if (ctx.debug) {
      // Upstream's multistep.If(debug && no ssh_private_key_file,
      // StepDumpSSHKey): when the condition is false it is a nullStep, which
      // -debug pauses after by that name too.
      engine::Step dump{"StepDumpSSHKey", [&] { return step_dump_ssh_key(s); }, {}};
      if (!config_.comm.ssh.auth.private_key_file.empty())
        dump = {"nullStep", [] { return engine::Status::ok(); }, {}};
      steps.insert(steps.begin() + 2, std::move(dump));
    }
    engine::Status st = engine::run_steps(steps, ui, ctx, cancel);
    if (st.failed()) return st;
    if (s.snapshot_id == 0) return engine::Status::ok();  // skip_create_snapshot: no artifact

    engine::Artifact a;
    a.builder_id = "hcloud.builder";
    a.id = std::to_string(s.snapshot_id);
    a.description = artifact_string(config_.snapshot_name, s.snapshot_id);
    a.state["snapshot_name"] = config_.snapshot_name;
    a.state["source_image"] = s.source_image;
    a.state["source_image_id"] = std::to_string(s.source_image_id);
    a.state["server_type"] = config_.server_type;
    a.state["architecture"] = s.architecture;
    nlohmann::json labels = nlohmann::json::object();
    if (auto img = s.client->images().get(s.snapshot_id); img.ok() && img.value()) {
      for (auto& [k, v] : img.value()->labels) labels[k] = v;
      if (!img.value()->architecture.empty()) a.state["architecture"] = img.value()->architecture;
    } else {
      for (auto& [k, v] : config_.snapshot_labels) labels[k] = v;
    }
    a.state["labels"] = labels.dump();
    Config cfg = config_;
    std::int64_t id = s.snapshot_id;
    a.destroy = [cfg, id]() {
      hcloud::Client c(client_options(cfg));
      auto r = c.images().del(id);
      if (!r.ok() && !r.error().not_found())
        return engine::Status::fail("Error destroying snapshot " + std::to_string(id) + ": " +
                                    r.error().to_string());
      return engine::Status::ok();
    };
    out = std::move(a);
    return engine::Status::ok();
  }

 private:
  Config config_;
};

}  // namespace

std::unique_ptr<engine::Builder> make() {
  return std::make_unique<HcloudBuilder>();
}

}  // namespace kiln::builders::hcloud_builder
