// The post-processors' constructors, for registry.cc.
#pragma once

#include <memory>

#include "engine/plugin.h"

namespace kiln::pp {

std::unique_ptr<engine::PostProcessor> new_manifest();
std::unique_ptr<engine::PostProcessor> new_checksum();
std::unique_ptr<engine::PostProcessor> new_shell_local();

}  // namespace kiln::pp
