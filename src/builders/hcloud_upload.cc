#include "builders/hcloud_upload.h"

#include <unistd.h>
#include <chrono>
#include <stop_token>
#include <thread>

#include "builders/config_util.h"
#include "builders/hcloud/builder.h"
#include "engine/journal.h"
#include "engine/steps.h"
#include "hcloud/hcloud.h"
#include "upload/upload.h"

namespace kiln::builders {

namespace {

class HcloudUploadBuilder : public engine::Builder {
 public:
  engine::Status prepare(const hcl::Value& config, engine::BuildInfo& info) override {
    // The schema's prepare (src/template/schemas.cc) has checked the
    // choices; here they become kiln upload's options.
    token_ = get_string(config, "token");
    if (token_.empty())
      if (const char* env = std::getenv("HCLOUD_TOKEN")) token_ = env;
    if (token_.empty()) return engine::Status::fail("token for auth must be specified");
    endpoint_ = get_string(config, "endpoint");
    o_.input.path = get_string(config, "image_path");
    o_.image_url = get_string(config, "image_url");
    if (std::string c = get_string(config, "compression"); !c.empty()) {
      auto parsed = upload::parse_compression(c);
      if (!parsed) return engine::Status::fail("compression must be none, gz, bz2, xz or zstd");
      o_.input.compression = *parsed;
      o_.url_compression = *parsed;
    }
    if (std::string f = get_string(config, "format"); !f.empty()) {
      auto parsed = upload::parse_format(f);
      if (!parsed) return engine::Status::fail("format must be raw or qcow2");
      o_.input.format = *parsed;
    }
    o_.architecture = get_string(config, "architecture");
    o_.server_type = get_string(config, "server_type");
    o_.location = get_string(config, "location");
    o_.description = get_string(config, "description");
    o_.labels = get_string_map(config, "labels");
    o_.run_id = info.run_uuid;
    info.generated["ID"] = "";
    return engine::Status::ok();
  }

  engine::Status run(engine::Ui& ui, engine::BuildContext& ctx, const engine::Cancel& cancel,
                     std::optional<engine::Artifact>& out) override {
    ui.add_secret(token_);
    hcloud::ClientOptions co;
    co.endpoint = endpoint_;
    co.token = token_;
    hcloud::Client client(co);
    o_.force = ctx.force;
    o_.terminal = false;  // the build's UI prints lines, one per message
    o_.say = [&](const std::string& s) { ui.say(s); };
    if (ctx.journal)
      o_.hooks = journal_hooks(ctx.journal, client.endpoint(),
                               ctx.info ? ctx.info->full_name : "hcloud-upload");
    // The upload takes a stop_token; the engine cancels through Cancel.
    std::stop_source stop;
    o_.stop = stop.get_token();
    std::jthread watch([&](std::stop_token done) {
      while (!done.stop_requested()) {
        if (cancel.cancelled()) {
          stop.request_stop();
          return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
    upload::UploadResult r;
    std::string err;
    bool ok = upload::run_upload(client, o_, &r, &err);
    watch.request_stop();
    watch.join();
    if (!ok) return engine::Status::fail(err);
    if (ctx.info) ctx.info->generated["ID"] = std::to_string(r.image_id);

    // Provisioners run without a communicator (shell-local, breakpoint):
    // the upload's server is gone by now.
    if (engine::Status st = ctx.provision(ui, nullptr); st.failed()) return st;

    engine::Artifact a;
    a.builder_id = "hcloud.builder";
    a.id = std::to_string(r.image_id);
    std::string name = o_.description.empty() ? a.id : o_.description;
    a.description = hcloud_builder::artifact_string(name, r.image_id);
    if (r.reused) a.description += " (reused: same content)";
    a.state["snapshot_id"] = a.id;
    if (!r.hash_label.empty()) a.state["kiln.sha256"] = r.hash_label;
    out = std::move(a);
    return engine::Status::ok();
  }

 private:
  std::string token_, endpoint_;
  upload::UploadOptions o_;
};

}  // namespace

upload::ResourceHooks journal_hooks(engine::Journal* j, const std::string& endpoint,
                                    const std::string& by) {
  upload::ResourceHooks h;
  h.creating = [=](const std::string& k, const std::string& n,
                   const std::map<std::string, std::string>& l) {
    j->creating(k, n, endpoint, by, l);
  };
  h.created = [=](const std::string& k, const std::string& n, std::int64_t id) {
    j->created(k, n, id, endpoint, by);
  };
  h.deleted = [=](const std::string& k, std::int64_t id) { j->deleted(k, id, endpoint); };
  h.not_created = [=](const std::string& k, const std::string& n) {
    j->not_created(k, n, endpoint);
  };
  return h;
}

std::unique_ptr<engine::Builder> make_hcloud_upload_builder() {
  return std::make_unique<HcloudUploadBuilder>();
}

}  // namespace kiln::builders
