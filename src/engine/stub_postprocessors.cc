// Linked only while src/postprocessors does not exist: kiln has no
// post-processor type, so every post-processor block fails at prepare time.
#include "engine/plugin.h"

namespace kiln::engine {

std::unique_ptr<PostProcessor> make_post_processor(const std::string&) {
  return nullptr;
}

}  // namespace kiln::engine
