// Addresses of kiln local's servers: each server has its own loopback address
// 127.x.y.z (the whole of 127/8 is local on Linux, so no address needs adding)
// reported as public_net.ipv4.ip, and its sshd listens there on port 22.
//
// When port 22 cannot be bound on that address (a host sshd listening on
// 0.0.0.0:22 takes it for every loopback address), the server's sshd gets a
// port of its own instead, 22000 + (server number % 10000) or the next free
// one; the API still
// reports the address only (the Hetzner API has no port field), and kiln
// local says which port on its standard output and in the server's log.
#pragma once

#include <cstdint>
#include <string>

namespace kiln::local {

// The n-th server address (n >= 1): 127.1.1.1, 127.1.1.2, ... never 127.0.0.1.
std::string server_ipv4(int64_t n);

// The ipv4_offset of ApiOptions for a state directory: a block of 254
// addresses (127.a.b.1-254) chosen by its path.
int64_t ipv4_offset_for_state(const std::string& state_dir);

// Whether a TCP listener could bind IP:PORT now ("" when yes, else why not).
std::string tcp_bind_problem(const std::string& ip, int port);

// The port the sshd of server `server_id` on `ip` should listen on: 22 when
// it can be bound, else the fallback port, with *note saying so for people.
int ssh_port_for(const std::string& ip, int64_t server_id, std::string* note);

}  // namespace kiln::local
