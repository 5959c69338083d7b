// Primary IPs: list (name, ip, labels), get, create, update, delete.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hcloud/client.h"

namespace hcloud {

struct PrimaryIpListOpts : ListOpts {
  std::string ip;
};

struct CreatePrimaryIpOpts {
  std::string name;
  std::string type = "ipv4";  // ipv4 | ipv6
  std::string location;       // ID or name; unused when assignee_id is set
  std::optional<std::int64_t> assignee_id;
  bool auto_delete = false;
  Labels labels;
};

struct CreatePrimaryIpResult {
  PrimaryIp primary_ip;
  std::optional<Action> action;
};

class PrimaryIps {
 public:
  explicit PrimaryIps(Client& c) : c_(c) {}

  Result<std::vector<PrimaryIp>> list(const PrimaryIpListOpts& opts = {});
  Result<std::optional<PrimaryIp>> get(std::int64_t id);
  Result<std::optional<PrimaryIp>> get_by_name(const std::string& name);
  Result<std::optional<PrimaryIp>> get_by_ip(const std::string& ip);
  // Reconciled by name when the outcome is unknown.
  Result<CreatePrimaryIpResult> create(const CreatePrimaryIpOpts& opts);
  Result<PrimaryIp> update(std::int64_t id, const std::optional<std::string>& name,
                           const std::optional<Labels>& labels,
                           std::optional<bool> auto_delete = std::nullopt);
  Status del(std::int64_t id);

 private:
  Client& c_;
};

}  // namespace hcloud
