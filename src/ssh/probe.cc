#include "ssh/probe.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ssh {
namespace {

using Clock = std::chrono::steady_clock;

Error probe_error(const std::string& host, int port, ErrorKind kind, std::string msg) {
  Error e;
  e.kind = kind;
  e.host = host;
  e.port = port;
  e.step = "tcp connect";
  e.message = std::move(msg);
  return e;
}

}  // namespace

Result<int> tcp_connect(const std::string& host, int port, std::chrono::milliseconds timeout) {
  if (port <= 0 || port > 65535) {
    return probe_error(host, port, ErrorKind::kConfig, "port out of range");
  }
  const auto deadline = Clock::now() + timeout;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  const std::string service = std::to_string(port);
  int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &res);
  if (rc != 0) {
    return probe_error(host, port, ErrorKind::kConnect,
                       std::string("cannot resolve host: ") + gai_strerror(rc));
  }
  std::string last = "no address";
  ErrorKind last_kind = ErrorKind::kConnect;
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
    if (fd < 0) {
      last = std::string("socket: ") + std::strerror(errno);
      continue;
    }
    int err = 0;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
      err = errno;
      if (err == EINPROGRESS) {
        err = ETIMEDOUT;
        for (;;) {
          auto left =
              std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
          if (left.count() <= 0) break;
          pollfd p{fd, POLLOUT, 0};
          int n = poll(&p, 1, static_cast<int>(left.count()));
          if (n < 0 && errno == EINTR) continue;
          if (n > 0) {
            socklen_t len = sizeof(err);
            if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
          }
          break;
        }
      }
    }
    if (err == 0) {
      freeaddrinfo(res);
      // Back to blocking mode: libssh drives the socket itself.
      int flags = fcntl(fd, F_GETFL);
      fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      return fd;
    }
    close(fd);
    last_kind = err == ETIMEDOUT ? ErrorKind::kTimeout : ErrorKind::kConnect;
    last = err == ETIMEDOUT ? "connection timed out" : std::strerror(err);
    if (Clock::now() >= deadline) break;
  }
  freeaddrinfo(res);
  return probe_error(host, port, last_kind, last);
}

Status tcp_probe(const std::string& host, int port, std::chrono::milliseconds timeout) {
  Result<int> fd = tcp_connect(host, port, timeout);
  if (!fd) {
    Error e = std::move(fd).error();
    e.step = "probe";
    return e;
  }
  close(*fd);
  return Unit{};
}

}  // namespace ssh
