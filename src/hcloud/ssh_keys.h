// SSH keys: list, get (by id, name, fingerprint), create, update, delete.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hcloud/client.h"

namespace hcloud {

struct SshKeyListOpts : ListOpts {
  std::string fingerprint;
};

struct CreateSshKeyOpts {
  std::string name;
  std::string public_key;
  Labels labels;
};

class SshKeys {
 public:
  explicit SshKeys(Client& c) : c_(c) {}

  Result<std::vector<SshKey>> list(const SshKeyListOpts& opts = {});
  Result<std::optional<SshKey>> get(std::int64_t id);
  Result<std::optional<SshKey>> get_by_name(const std::string& name);
  Result<std::optional<SshKey>> get_by_fingerprint(const std::string& fingerprint);
  Result<std::optional<SshKey>> get_by_id_or_name(const std::string& id_or_name);
  // Reconciled by name when the outcome is unknown.
  Result<SshKey> create(const CreateSshKeyOpts& opts);
  Result<SshKey> update(std::int64_t id, const std::optional<std::string>& name,
                        const std::optional<Labels>& labels);
  Status del(std::int64_t id);

 private:
  Client& c_;
};

}  // namespace hcloud
