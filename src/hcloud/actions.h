// Actions: GET /actions/{id} and the batched GET /actions?id=..&id=..
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "hcloud/client.h"

namespace hcloud {

inline constexpr size_t kMaxActionIdsPerRequest = 25;

class Actions {
 public:
  explicit Actions(Client& c) : c_(c) {}

  Result<std::optional<Action>> get(std::int64_t id);
  // One request per 25 ids. Returns the actions the API sent back, which
  // may lack some of `ids`: callers decide what a missing one means.
  Result<std::vector<Action>> get_many(const std::vector<std::int64_t>& ids);

 private:
  Client& c_;
};

}  // namespace hcloud
