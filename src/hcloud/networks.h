// Networks: list, get, create, update, delete.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hcloud/client.h"

namespace hcloud {

struct CreateNetworkOpts {
  std::string name;
  std::string ip_range;  // e.g. 10.0.0.0/16
  struct SubnetOpts {
    std::string type = "cloud";  // cloud | server | vswitch
    std::string ip_range;
    std::string network_zone;  // eu-central, ...
  };
  std::vector<SubnetOpts> subnets;
  Labels labels;
};

class Networks {
 public:
  explicit Networks(Client& c) : c_(c) {}

  Result<std::vector<Network>> list(const ListOpts& opts = {});
  Result<std::optional<Network>> get(std::int64_t id);
  Result<std::optional<Network>> get_by_name(const std::string& name);
  Result<std::optional<Network>> get_by_id_or_name(const std::string& id_or_name);
  // Reconciled by name when the outcome is unknown.
  Result<Network> create(const CreateNetworkOpts& opts);
  Result<Network> update(std::int64_t id, const std::optional<std::string>& name,
                         const std::optional<Labels>& labels);
  Status del(std::int64_t id);

 private:
  Client& c_;
};

}  // namespace hcloud
