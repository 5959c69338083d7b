// StepSSHKeyGen (a temporary key pair, or the public half of
// ssh_private_key_file), StepDumpSSHKey (-debug: the temporary private key
// saved to ./ssh_key_<build name>.pem, and left there, as Packer does) and
// stepCreateSSHKey (uploaded as a labelled, journaled Hetzner SSH key,
// deleted in cleanup).
#include <fcntl.h>
#include <libssh/libssh.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "builders/hcloud/state.h"
#include "engine/journal.h"
#include "engine/uuid.h"

namespace kiln::builders::hcloud_builder {

namespace {

// The OpenSSH public key line of a private key (text); "" and *error when
// it cannot be read.
std::string public_of(const std::string& private_key, std::string* error) {
  ssh_key key = nullptr;
  if (ssh_pki_import_privkey_base64(private_key.c_str(), nullptr, nullptr, nullptr, &key) !=
      SSH_OK) {
    *error = "not a private key libssh can read (encrypted keys are not supported)";
    return "";
  }
  char* b64 = nullptr;
  std::string out;
  if (ssh_pki_export_pubkey_base64(key, &b64) == SSH_OK && b64) {
    out = std::string(ssh_key_type_to_char(ssh_key_type(key))) + " " + b64;
    ssh_string_free_char(b64);
  } else {
    *error = "cannot derive its public key";
  }
  ssh_key_free(key);
  return out;
}

void register_secret(State& s, const std::string& key) {
  s.ui->add_secret(key);
  std::istringstream in(key);
  std::string line;
  while (std::getline(in, line))
    if (line.size() > 16 && line.rfind("-----", 0) != 0) s.ui->add_secret(line);
}

}  // namespace

engine::Status step_ssh_key_gen(State& s) {
  const CommConfig& comm = s.config->comm;
  if (comm.type == "none") return engine::Status::ok();
  if (!comm.ssh.auth.private_key_file.empty()) {
    s.ui->say("Using existing SSH private key");
    std::ifstream in(comm.ssh.auth.private_key_file, std::ios::binary);
    if (!in)
      return engine::Status::fail("Error loading configured private key file: cannot read " +
                                  comm.ssh.auth.private_key_file);
    std::stringstream ss;
    ss << in.rdbuf();
    s.private_key = ss.str();
    register_secret(s, s.private_key);
    std::string err;
    s.public_key = public_of(s.private_key, &err);
    if (s.public_key.empty())
      return engine::Status::fail("Error reading " + comm.ssh.auth.private_key_file + ": " + err);
    return engine::Status::ok();
  }
  auto type = ssh::parse_key_type(comm.temp_key_type);
  if (!type.ok()) return engine::Status::fail(type.error().to_string());
  s.ui->say("Creating temporary " + comm.temp_key_type + " SSH key for instance...");
  // The comment lets ssh_clear_authorized_keys find the line again.
  auto kp = ssh::generate_key_pair(*type, comm.temp_key_bits, "packer_" + s.ctx->info->run_uuid);
  if (!kp.ok())
    return engine::Status::fail("Error creating temporary SSH key: " + kp.error().to_string());
  s.key = std::move(kp.value());
  s.public_key = s.key->public_key;
  s.private_key = s.key->private_key;
  register_secret(s, s.private_key);
  return engine::Status::ok();
}

engine::Status step_dump_ssh_key(State& s) {
  // Packer writes an empty file for communicator "none"; there is no key.
  if (s.private_key.empty()) return engine::Status::ok();
  std::string path = "ssh_key_" + s.ctx->info->build_name + ".pem";
  s.ui->message("Saving key for debug purposes: " + path);
  // Owner-only (Packer: 0700): ssh refuses a key others can read.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  bool ok = fd >= 0 && ::fchmod(fd, 0600) == 0 &&
            ::write(fd, s.private_key.data(), s.private_key.size()) ==
                static_cast<ssize_t>(s.private_key.size());
  if (fd >= 0) ::close(fd);
  if (!ok) return engine::Status::fail("Error saving debug key: cannot write " + path);
  return engine::Status::ok();
}

engine::Status step_create_ssh_key(State& s) {
  if (s.public_key.empty()) return engine::Status::ok();
  s.ui->say("Uploading temporary SSH key for instance...");
  hcloud::CreateSshKeyOpts o;
  // Unique per build, as upstream (server_name may be shared by builds).
  o.name = "packer-" + engine::new_uuid();
  s.ssh_key_name = o.name;
  o.public_key = s.public_key;
  o.labels = s.config->ssh_keys_labels;
  for (auto& [k, v] : s.run_labels()) o.labels[k] = v;
  if (s.ctx->journal)
    s.ctx->journal->creating("ssh_key", o.name, s.endpoint(), s.build(), o.labels);
  auto r = s.client->ssh_keys().create(o);
  if (!r.ok()) {
    if (s.ctx->journal && !r.error().outcome_unknown)
      s.ctx->journal->not_created("ssh_key", o.name, s.endpoint());
    return engine::Status::fail("Error creating temporary SSH key: " + r.error().to_string());
  }
  s.ssh_key_id = r->id;
  if (s.ctx->journal) s.ctx->journal->created("ssh_key", o.name, r->id, s.endpoint(), s.build());
  return engine::Status::ok();
}

void cleanup_ssh_key(State& s) {
  if (s.ssh_key_id == 0) return;
  s.ui->say("Deleting temporary SSH key...");
  auto r = s.client->ssh_keys().del(s.ssh_key_id);
  if (!r.ok() && !r.error().not_found()) {
    s.ui->error("Error cleaning up SSH key. Please delete the key manually (name: " +
                s.ssh_key_name + " id: " + std::to_string(s.ssh_key_id) +
                ") or run `kiln cleanup`. Error: " + r.error().to_string());
    return;
  }
  if (s.ctx->journal) s.ctx->journal->deleted("ssh_key", s.ssh_key_id, s.endpoint());
  s.ssh_key_id = 0;
}

}  // namespace kiln::builders::hcloud_builder
