// The control endpoint of `kiln local`, outside the API: /_kiln/faults and
// /_kiln/counters (docs/local-faults.md). It needs no API token, so it
// answers only requests from loopback addresses.
#pragma once

#include <string>

#include "local/api.h"
#include "local/counters.h"
#include "local/fault.h"

namespace kiln::local {

// True for 127.0.0.0/8, ::1 and ::ffff:127.x.y.z.
bool is_loopback_address(const std::string& addr);

// Handles a request whose path starts with /_kiln/.
ApiResponse handle_control(Faults& faults, Counters& counters, const ApiRequest& request,
                           const std::string& remote_addr);

}  // namespace kiln::local
