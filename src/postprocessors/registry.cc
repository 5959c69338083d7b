// make_post_processor: kiln's built-in post-processors by Packer type name.
#include "engine/plugin.h"
#include "postprocessors/plugins.h"

namespace kiln::engine {

std::unique_ptr<PostProcessor> make_post_processor(const std::string& type) {
  if (type == "manifest") return pp::new_manifest();
  if (type == "checksum") return pp::new_checksum();
  if (type == "shell-local") return pp::new_shell_local();
  return nullptr;
}

}  // namespace kiln::engine
