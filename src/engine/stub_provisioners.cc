// Linked only while src/provisioners does not exist: kiln has no
// provisioner type, so every provisioner block fails at prepare time.
#include "engine/plugin.h"

namespace kiln::engine {

std::unique_ptr<Provisioner> make_provisioner(const std::string&) {
  return nullptr;
}

}  // namespace kiln::engine
