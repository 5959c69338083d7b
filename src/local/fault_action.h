// The end of an action that a fault made fail (docs/local-faults.md): the
// action ends with status "error" and the rule's code and message, and what
// it changed on its resources is undone rather than completed.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "local/store.h"

namespace kiln::local {

// `action` is the stored document, with "_fail": {"code", "message"}; it is
// written back finished at `finished` (RFC 3339).
void finish_failed_action(Store& store, nlohmann::json& action, const std::string& finished);

}  // namespace kiln::local
