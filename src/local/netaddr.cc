#include "local/netaddr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace kiln::local {

std::string server_ipv4(int64_t n) {
  int64_t x = n - 1;
  return "127." + std::to_string((x / (254 * 254)) % 254 + 1) + "." +
         std::to_string((x / 254) % 254 + 1) + "." + std::to_string(x % 254 + 1);
}

int64_t ipv4_offset_for_state(const std::string& state_dir) {
  std::error_code ec;
  auto real = std::filesystem::canonical(state_dir, ec);
  std::string key = ec ? state_dir : real.string();
  uint32_t h = 2166136261u;
  for (unsigned char ch : key) h = (h ^ ch) * 16777619u;
  // Blocks of 254 (a third octet): 63500 of them, so that two states rarely
  // share one; a state that made more servers goes on into the next block.
  return static_cast<int64_t>(h % (250 * 254)) * 254;
}

std::string tcp_bind_problem(const std::string& ip, int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, ip.c_str(), &a.sin_addr) != 1) return "not an IPv4 address: " + ip;
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::string("socket: ") + std::strerror(errno);
  // As sshd binds: SO_REUSEADDR, so that a TIME_WAIT of a previous sshd is no conflict.
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  std::string problem;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
    problem = ip + ":" + std::to_string(port) + ": " + std::strerror(errno);
  ::close(fd);
  return problem;
}

int ssh_port_for(const std::string& ip, int64_t server_id, std::string* note) {
  std::string p22 = tcp_bind_problem(ip, 22);
  if (p22.empty()) return 22;
  // Another kiln local's server may hold the first choice: take the next free one.
  int port = 22000 + static_cast<int>(server_id % 10000);
  for (int i = 0; i < 100 && !tcp_bind_problem(ip, port).empty(); ++i) ++port;
  if (note)
    *note = "cannot listen on " + ip + ":22 (" + p22 +
            "; is a host sshd listening on 0.0.0.0:22?): this server's sshd listens on " + ip +
            ":" + std::to_string(port) + " instead";
  return port;
}

}  // namespace kiln::local
