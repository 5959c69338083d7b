#include "builders/communicator.h"

#include "builders/config_util.h"
#include "engine/duration.h"

namespace kiln::builders {

engine::Status decode_communicator(const hcl::Value& cfg, CommConfig& c) {
  std::string err;
  c.type = get_string(cfg, "communicator", "ssh");
  if (c.type == "winrm")
    return engine::Status::fail(
        "communicator \"winrm\" is not supported by kiln (Hetzner Cloud has no Windows images)");
  if (c.type != "ssh" && c.type != "none")
    return engine::Status::fail("Communicator type " + c.type + " is invalid");
  c.host = get_string(cfg, "ssh_host");
  c.ssh.port = static_cast<int>(get_int(cfg, "ssh_port").value_or(22));
  c.ssh.auth.user = get_string(cfg, "ssh_username", "root");
  c.ssh.auth.password = get_string(cfg, "ssh_password");
  c.ssh.auth.private_key_file = get_string(cfg, "ssh_private_key_file");
  c.ssh.auth.agent_auth = get_bool(cfg, "ssh_agent_auth");
  auto timeout = get_duration(cfg, "ssh_timeout", &err);
  if (!timeout) timeout = get_duration(cfg, "ssh_wait_timeout", &err);
  c.ssh.timeout = timeout.value_or(std::chrono::minutes(5));
  c.ssh.handshake_attempts = static_cast<int>(get_int(cfg, "ssh_handshake_attempts").value_or(10));
  // Packer's SDK retries every 2 s; auth failures count against
  // ssh_handshake_attempts (a booting system may not have its keys yet).
  c.ssh.retry_interval = std::chrono::seconds(2);
  c.ssh.keep_alive_interval =
      get_duration(cfg, "ssh_keep_alive_interval", &err).value_or(std::chrono::seconds(5));
  c.pause_before_connecting =
      get_duration(cfg, "pause_before_connecting", &err).value_or(std::chrono::milliseconds(0));
  c.clear_authorized_keys = get_bool(cfg, "ssh_clear_authorized_keys");
  c.temp_key_type = get_string(cfg, "temporary_key_pair_type", "ed25519");
  c.temp_key_bits = static_cast<int>(get_int(cfg, "temporary_key_pair_bits").value_or(0));
  if (c.temp_key_type != "ed25519" && c.temp_key_type != "rsa" && c.temp_key_type != "ecdsa")
    return engine::Status::fail(
        "temporary_key_pair_type must be one of ed25519, rsa, ecdsa; got \"" + c.temp_key_type +
        "\"");
  std::string bastion = get_string(cfg, "ssh_bastion_host");
  if (!bastion.empty()) {
    ssh::Bastion b;
    b.host = bastion;
    b.port = static_cast<int>(get_int(cfg, "ssh_bastion_port").value_or(22));
    b.auth.user = get_string(cfg, "ssh_bastion_username", c.ssh.auth.user);
    b.auth.password = get_string(cfg, "ssh_bastion_password");
    b.auth.private_key_file = get_string(cfg, "ssh_bastion_private_key_file");
    b.auth.agent_auth = get_bool(cfg, "ssh_bastion_agent_auth");
    c.ssh.bastion = b;
  }
  if (!err.empty()) return engine::Status::fail(err);
  return engine::Status::ok();
}

engine::Status connect_ssh(engine::Ui& ui, const CommConfig& comm, const std::string& host,
                           const engine::Cancel& cancel, std::unique_ptr<ssh::Client>& out) {
  if (comm.pause_before_connecting.count() > 0) {
    ui.say("Pausing " + engine::go_duration_string(comm.pause_before_connecting) +
           " before connecting...");
    if (!cancel.sleep_for(comm.pause_before_connecting))
      return engine::Status::fail("Build was cancelled.");
  }
  ssh::Config cfg = comm.ssh;
  cfg.host = host;
  cfg.cancelled = [&cancel] { return cancel.cancelled(); };
  ui.say("Using SSH communicator to connect: " + host);
  ui.say("Waiting for SSH to become available...");
  auto r = ssh::Client::connect(cfg);
  if (!r.ok()) {
    if (cancel.cancelled()) return engine::Status::fail("Build was cancelled.");
    if (r.error().kind == ssh::ErrorKind::kTimeout || r.error().kind == ssh::ErrorKind::kConnect)
      ui.error("Timeout waiting for SSH.");
    return engine::Status::fail(r.error().to_string());
  }
  ui.say("Connected to SSH!");
  out = std::move(r.value());
  return engine::Status::ok();
}

void set_generated(engine::BuildInfo& info, const CommConfig& comm, const std::string& host,
                   const std::string& public_key) {
  info.generated["ConnType"] = comm.type == "none" ? "" : comm.type;
  info.generated["Host"] = host;
  info.generated["Port"] = std::to_string(comm.ssh.port);
  info.generated["User"] = comm.ssh.auth.user;
  info.generated["Password"] = comm.ssh.auth.password;
  if (!public_key.empty()) info.generated["SSHPublicKey"] = public_key;
}

}  // namespace kiln::builders
