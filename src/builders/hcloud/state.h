// What the hcloud builder's steps share (Packer's state bag), and helpers
// they all use: waiting for actions (cancellable) and journaling.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "builders/hcloud/config.h"
#include "engine/builder.h"
#include "hcloud/hcloud.h"
#include "ssh/client.h"
#include "ssh/keygen.h"

namespace kiln::builders::hcloud_builder {

struct State {
  const Config* config = nullptr;
  engine::Ui* ui = nullptr;
  engine::BuildContext* ctx = nullptr;
  const engine::Cancel* cancel = nullptr;
  std::unique_ptr<hcloud::Client> client;

  // stepPreValidate
  std::string architecture;                 // the server type's (x86 | arm)
  std::vector<std::int64_t> old_snapshots;  // same description, for -force
  // StepSSHKeyGen
  std::optional<ssh::KeyPair> key;  // null with communicator none and no key
  std::string public_key;           // OpenSSH line uploaded to the API
  std::string private_key;          // secret
  // stepCreateSSHKey
  std::int64_t ssh_key_id = 0;
  std::string ssh_key_name;
  // stepCreateServer
  std::int64_t server_id = 0;
  std::string server_ip;
  std::string source_image;  // name or id of the image the server was made from
  std::int64_t source_image_id = 0;
  // StepConnect
  std::unique_ptr<ssh::Client> comm;
  // stepCreateSnapshot
  std::int64_t snapshot_id = 0;
  std::string snapshot_architecture;

  const std::string& endpoint() const { return client->endpoint(); }
  const std::string& build() const { return ctx->info->full_name; }
  // Labels every resource carries: the run id, the managed mark.
  std::map<std::string, std::string> run_labels() const;
};

// Waits for an action (an error names it); cancellation stops the wait.
engine::Status wait_action(State& s, const hcloud::Action& action, const std::string& what,
                           bool cancellable = true);
engine::Status wait_actions(State& s, const std::vector<hcloud::Action>& actions,
                            const std::string& what);

// The steps, each with its cleanup, as the upstream plugin's files.
engine::Status step_pre_validate(State& s);
engine::Status step_ssh_key_gen(State& s);
// -debug only: the temporary private key written to the working directory.
engine::Status step_dump_ssh_key(State& s);
engine::Status step_create_ssh_key(State& s);
void cleanup_ssh_key(State& s);
engine::Status step_create_server(State& s);
void cleanup_server(State& s);
engine::Status step_connect(State& s);
engine::Status step_clear_authorized_keys(State& s);
engine::Status step_shutdown(State& s);
engine::Status step_create_snapshot(State& s);

}  // namespace kiln::builders::hcloud_builder
