// Images: list with type/status/architecture filters, get, update, delete.
// Snapshots are created through Servers::create_image.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hcloud/client.h"

namespace hcloud {

struct ImageListOpts : ListOpts {
  std::vector<std::string> types;     // system, snapshot, backup, app
  std::vector<std::string> statuses;  // available, creating, unavailable
  std::string architecture;           // x86 | arm
  bool include_deprecated = false;
  std::optional<std::int64_t> bound_to;
};

struct UpdateImageOpts {
  std::optional<std::string> description;
  std::optional<Labels> labels;
};

class Images {
 public:
  explicit Images(Client& c) : c_(c) {}

  Result<std::vector<Image>> list(const ImageListOpts& opts = {});
  Result<std::optional<Image>> get(std::int64_t id);
  // Includes deprecated images, like the Packer plugin; `architecture` may be empty.
  Result<std::optional<Image>> get_by_name(const std::string& name,
                                           const std::string& architecture = {});
  Result<std::optional<Image>> get_by_id_or_name(const std::string& id_or_name,
                                                 const std::string& architecture = {});
  Result<Image> update(std::int64_t id, const UpdateImageOpts& opts);
  Status del(std::int64_t id);

 private:
  Client& c_;
};

}  // namespace hcloud
