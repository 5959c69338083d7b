// StepConnect (SSH to the server's address, TCP-probed first) and
// StepCleanupTempKeys (ssh_clear_authorized_keys).
#include "builders/hcloud/state.h"

namespace kiln::builders::hcloud_builder {

engine::Status step_connect(State& s) {
  const CommConfig& comm = s.config->comm;
  set_generated(*s.ctx->info, comm, s.server_ip, s.public_key);
  if (!s.private_key.empty()) s.ctx->info->generated["SSHPrivateKey"] = s.private_key;
  if (comm.type == "none") return engine::Status::ok();
  CommConfig with_key = comm;
  if (!s.private_key.empty()) with_key.ssh.auth.private_key = s.private_key;
  return connect_ssh(*s.ui, with_key, s.server_ip, *s.cancel, s.comm);
}

engine::Status step_clear_authorized_keys(State& s) {
  if (!s.config->comm.clear_authorized_keys || !s.comm || !s.key) return engine::Status::ok();
  s.ui->say("Trying to remove ephemeral keys from authorized_keys files");
  std::string tag = "packer_" + s.ctx->info->run_uuid;
  auto r = s.comm->exec("sed -i.bak '/ " + tag +
                        "$/d' ~/.ssh/authorized_keys && rm -f ~/.ssh/authorized_keys.bak");
  if (!r.ok())
    return engine::Status::fail("Error removing temporary key from authorized_keys: " +
                                r.error().to_string());
  if (r->exit_status != 0)
    return engine::Status::fail("Error removing temporary key from authorized_keys: exit status " +
                                std::to_string(r->exit_status));
  return engine::Status::ok();
}

}  // namespace kiln::builders::hcloud_builder
