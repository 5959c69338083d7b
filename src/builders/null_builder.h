#pragma once

#include <memory>

#include "engine/builder.h"

namespace kiln::builders {

std::unique_ptr<engine::Builder> make_null_builder();

}  // namespace kiln::builders
