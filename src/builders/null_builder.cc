// The null builder: no machine of its own; connects to ssh_host (or to
// nothing with communicator "none") and runs the provisioners. Its artifact
// says it exported nothing, as Packer's.
#include "builders/null_builder.h"

#include "builders/communicator.h"
#include "engine/steps.h"

namespace kiln::builders {

namespace {

class NullBuilder : public engine::Builder {
 public:
  engine::Status prepare(const hcl::Value& config, engine::BuildInfo& info) override {
    if (engine::Status st = decode_communicator(config, comm_); st.failed()) return st;
    if (comm_.type == "ssh") {
      std::vector<std::string> errs;
      if (comm_.host.empty())
        errs.push_back(
            "a Host must be specified, please reference your communicator documentation");
      if (comm_.ssh.auth.password.empty() && comm_.ssh.auth.private_key_file.empty() &&
          !comm_.ssh.auth.agent_auth)
        errs.push_back(
            "one authentication method must be specified, please reference your communicator "
            "documentation");
      if (!errs.empty()) {
        std::string msg;
        for (auto& e : errs) msg += (msg.empty() ? "" : "\n") + e;
        return engine::Status::fail(msg);
      }
    }
    set_generated(info, comm_, comm_.host, "");
    info.generated["ID"] = "Null";
    return engine::Status::ok();
  }

  engine::Status run(engine::Ui& ui, engine::BuildContext& ctx, const engine::Cancel& cancel,
                     std::optional<engine::Artifact>& out) override {
    std::unique_ptr<ssh::Client> client;
    std::vector<engine::Step> steps;
    if (comm_.type == "ssh") {
      steps.push_back({"StepConnect",
                       [&] { return connect_ssh(ui, comm_, comm_.host, cancel, client); },
                       [&] {
                         if (client) client->disconnect();
                       }});
    }
    steps.push_back({"StepProvision", [&] { return ctx.provision(ui, client.get()); }, {}});
    engine::Status st = engine::run_steps(steps, ui, ctx, cancel);
    if (st.failed()) return st;
    engine::Artifact a;
    a.builder_id = "fnoeding.null";
    a.description = "Did not export anything. This is the null builder";
    out = std::move(a);
    return engine::Status::ok();
  }

 private:
  CommConfig comm_;
};

}  // namespace

std::unique_ptr<engine::Builder> make_null_builder() {
  return std::make_unique<NullBuilder>();
}

}  // namespace kiln::builders
