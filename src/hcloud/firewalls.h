// Firewalls: list, get, create, update, delete, and their running actions
// (which lock the servers they touch).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hcloud/client.h"

namespace hcloud {

struct CreateFirewallOpts {
  std::string name;
  std::vector<FirewallRule> rules;
  std::vector<std::int64_t> apply_to_servers;
  Labels labels;
};

struct CreateFirewallResult {
  Firewall firewall;
  std::vector<Action> actions;
};

class Firewalls {
 public:
  explicit Firewalls(Client& c) : c_(c) {}

  Result<std::vector<Firewall>> list(const ListOpts& opts = {});
  Result<std::optional<Firewall>> get(std::int64_t id);
  Result<std::optional<Firewall>> get_by_name(const std::string& name);
  Result<std::optional<Firewall>> get_by_id_or_name(const std::string& id_or_name);
  // Reconciled by name when the outcome is unknown.
  Result<CreateFirewallResult> create(const CreateFirewallOpts& opts);
  Result<Firewall> update(std::int64_t id, const std::optional<std::string>& name,
                          const std::optional<Labels>& labels);
  Status del(std::int64_t id);
  // GET /firewalls/actions?status=running (all pages).
  Result<std::vector<Action>> running_actions();

 private:
  Client& c_;
};

}  // namespace hcloud
