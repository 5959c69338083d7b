#pragma once

#include <string>

namespace kiln::engine {

// A random (version 4) UUID, "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".
std::string new_uuid();

}  // namespace kiln::engine
