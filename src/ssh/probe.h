// TCP readiness probe: one non-blocking connect with a timeout. It costs no
// API request and tells whether anything listens on host:port yet.
#pragma once

#include <chrono>
#include <string>

#include "ssh/error.h"

namespace ssh {

// Resolves host (numeric or by name) and tries each address until one accepts
// a TCP connection within `timeout` (in total). The connection is closed at
// once. The error (kind kConnect or kTimeout, step "probe") says why not.
Status tcp_probe(const std::string& host, int port, std::chrono::milliseconds timeout);

// Opens a connected TCP socket the same way (for the SSH session itself).
// Returns the file descriptor; the caller owns it.
Result<int> tcp_connect(const std::string& host, int port, std::chrono::milliseconds timeout);

}  // namespace ssh
