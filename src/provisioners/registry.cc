// make_provisioner: kiln's built-in provisioners by Packer type name.
#include "engine/plugin.h"
#include "provisioners/plugins.h"

namespace kiln::engine {

std::unique_ptr<Provisioner> make_provisioner(const std::string& type) {
  if (type == "shell") return prov::new_shell();
  if (type == "file") return prov::new_file();
  if (type == "shell-local") return prov::new_shell_local();
  if (type == "breakpoint") return prov::new_breakpoint();
  return nullptr;
}

}  // namespace kiln::engine
