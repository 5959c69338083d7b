// The builders kiln has, by source type.
#pragma once

#include <memory>
#include <string>

#include "engine/builder.h"

namespace kiln::builders {

// Null for a type kiln does not have.
std::unique_ptr<engine::Builder> make_builder(const std::string& type);

}  // namespace kiln::builders
