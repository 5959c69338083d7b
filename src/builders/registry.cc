#include "builders/registry.h"

#include "builders/hcloud/builder.h"
#include "builders/hcloud_upload.h"
#include "builders/null_builder.h"

namespace kiln::builders {

std::unique_ptr<engine::Builder> make_builder(const std::string& type) {
  if (type == "null") return make_null_builder();
  if (type == "hcloud") return hcloud_builder::make();
  if (type == "hcloud-upload") return make_hcloud_upload_builder();
  return nullptr;
}

}  // namespace kiln::builders
