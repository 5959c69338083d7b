// The SDK's communicator configuration (communicator, ssh_*) read from a
// decoded builder configuration, and StepConnect: wait for SSH and log in.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "engine/plugin.h"
#include "ssh/client.h"

namespace kiln::builders {

struct CommConfig {
  std::string type = "ssh";  // ssh | none (winrm is refused: no Windows on Hetzner)
  std::string host;          // ssh_host
  ssh::Config ssh;           // port, credentials, timeouts, keep-alive, bastion
  std::chrono::milliseconds pause_before_connecting{0};
  bool clear_authorized_keys = false;     // ssh_clear_authorized_keys
  std::string temp_key_type = "ed25519";  // kiln's default (Packer's is rsa)
  int temp_key_bits = 0;
};

// Reads the communicator fields; a failed Status for values kiln cannot use.
engine::Status decode_communicator(const hcl::Value& cfg, CommConfig& out);

// Waits for SSH on host (TCP probe, then handshakes with retries until
// ssh_timeout), with Packer's lines ("Waiting for SSH to become
// available...", "Connected to SSH!").
engine::Status connect_ssh(engine::Ui& ui, const CommConfig& comm, const std::string& host,
                           const engine::Cancel& cancel, std::unique_ptr<ssh::Client>& out);

// Puts the communicator's values into build.* (Host, Port, User, Password,
// ConnType, SSHPublicKey, SSHPrivateKey).
void set_generated(engine::BuildInfo& info, const CommConfig& comm, const std::string& host,
                   const std::string& public_key);

}  // namespace kiln::builders
