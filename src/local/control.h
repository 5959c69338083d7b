// The control endpoint of `kiln local`, outside the API: /_kiln/faults,
// /_kiln/counters and /_kiln/actions (docs/local-faults.md). It needs no API token, so it
// answers only requests from loopback addresses.
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "local/api.h"
#include "local/counters.h"
#include "local/fault.h"

namespace kiln::local {

// True for 127.0.0.0/8, ::1 and ::ffff:127.x.y.z.
bool is_loopback_address(const std::string& addr);

// Handles a request whose path starts with /_kiln/. `actions` gives the
// action timeline for GET /_kiln/actions (Api::action_timeline); without it
// that path is unknown.
ApiResponse handle_control(Faults& faults, Counters& counters, const ApiRequest& request,
                           const std::string& remote_addr,
                           const std::function<nlohmann::json()>& actions = nullptr);

}  // namespace kiln::local
