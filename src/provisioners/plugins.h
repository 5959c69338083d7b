// The provisioners' constructors, for registry.cc (and the post-processors'
// shell-local, which shares ShellLocal).
#pragma once

#include <memory>

#include "engine/plugin.h"

namespace kiln::prov {

std::unique_ptr<engine::Provisioner> new_shell();
std::unique_ptr<engine::Provisioner> new_file();
std::unique_ptr<engine::Provisioner> new_shell_local();
std::unique_ptr<engine::Provisioner> new_breakpoint();

}  // namespace kiln::prov
