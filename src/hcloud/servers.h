// Servers: list, get, create, update, delete, and the server actions the
// builder uses (poweron, poweroff, shutdown, reboot, reset, enable_rescue,
// disable_rescue, create_image, change_type).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hcloud/client.h"

namespace hcloud {

struct ServerListOpts : ListOpts {
  std::vector<std::string> statuses;
};

struct CreateServerOpts {
  std::string name;
  std::string server_type;            // ID or name
  std::string image;                  // ID or name
  std::string location;               // ID or name; empty: the API chooses
  std::vector<std::string> ssh_keys;  // IDs or names
  std::optional<std::string> user_data;
  Labels labels;
  std::optional<bool> start_after_create;
  bool enable_ipv4 = true;
  bool enable_ipv6 = true;
  std::optional<std::int64_t> ipv4;  // Primary IP IDs
  std::optional<std::int64_t> ipv6;
  std::vector<std::int64_t> networks;
  std::vector<std::int64_t> firewalls;
  std::optional<std::int64_t> placement_group;
  std::vector<std::int64_t> volumes;
  std::optional<bool> automount;
};

struct CreateServerResult {
  Server server;
  Action action;
  std::vector<Action> next_actions;
  std::optional<std::string> root_password;  // only without SSH keys; never log it
  bool reconciled = false;                   // found by lookup after an unknown outcome
};

struct EnableRescueResult {
  Action action;
  std::optional<std::string> root_password;
};

struct CreateImageOpts {
  std::string type = "snapshot";  // snapshot | backup
  std::optional<std::string> description;
  Labels labels;
};

struct CreateImageResult {
  Action action;
  Image image;
};

class Servers {
 public:
  explicit Servers(Client& c) : c_(c) {}

  Result<std::vector<Server>> list(const ServerListOpts& opts = {});
  Result<std::optional<Server>> get(std::int64_t id);
  Result<std::optional<Server>> get_by_name(const std::string& name);
  // POST /servers. When the outcome is unknown the server is looked up by
  // name (and its labels) and its create actions are recovered; the create
  // is only sent again when it certainly does not exist.
  Result<CreateServerResult> create(const CreateServerOpts& opts);
  Result<Server> update(std::int64_t id, const std::optional<std::string>& name,
                        const std::optional<Labels>& labels);
  // The delete action; nullopt when the API answered without one.
  Result<std::optional<Action>> del(std::int64_t id);

  Result<Action> poweron(std::int64_t id);
  Result<Action> poweroff(std::int64_t id);
  Result<Action> shutdown(std::int64_t id);
  Result<Action> reboot(std::int64_t id);
  Result<Action> reset(std::int64_t id);
  Result<EnableRescueResult> enable_rescue(std::int64_t id, const std::string& type = "linux64",
                                           const std::vector<std::int64_t>& ssh_keys = {});
  Result<Action> disable_rescue(std::int64_t id);
  // Reconciled by labels, description and server when the outcome is unknown
  // (never resent: snapshots have no unique name).
  Result<CreateImageResult> create_image(std::int64_t id, const CreateImageOpts& opts);
  Result<Action> change_type(std::int64_t id, const std::string& server_type, bool upgrade_disk);

  // GET /servers/{id}/actions (all pages), e.g. to recover lost actions.
  Result<std::vector<Action>> actions(std::int64_t id,
                                      const std::vector<std::string>& statuses = {});

  // The JSON body create() sends (exposed for validation).
  static Json create_body(const CreateServerOpts& opts);

 private:
  Result<Action> simple_action(std::int64_t id, const char* name, const Json* body);

  Client& c_;
};

}  // namespace hcloud
