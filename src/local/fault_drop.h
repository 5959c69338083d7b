// Dropping a connection for a fault: cpp-httplib gives a handler no socket,
// so the socket is found by its addresses among the process's descriptors
// and shut down; the response cpp-httplib then writes goes nowhere, and the
// client sees the connection end without an answer.
#pragma once

#include <string>

namespace kiln::local {

// Shuts down (both directions) the TCP connection whose local port is
// `local_port` and whose peer is remote_addr:remote_port, as cpp-httplib
// reports them. False when no such socket was found.
bool shutdown_connection(int local_port, const std::string& remote_addr, int remote_port);

}  // namespace kiln::local
