// The hcloud builder: Packer's hcloud plugin as a list of steps, one file
// each (step_*.cc), sharing a State.
#pragma once

#include <memory>

#include "engine/builder.h"

namespace kiln::builders::hcloud_builder {

std::unique_ptr<engine::Builder> make();

// Packer's artifact string.
std::string artifact_string(const std::string& name, long long id);

}  // namespace kiln::builders::hcloud_builder
