// Test support: a TCP forwarder listening on every local address (so also
// on the 127.x.y.z addresses kiln local gives its servers) and relaying to
// one target port on 127.0.0.1, e.g. a test sshd. Threads and sockets end
// with the object.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace kiln::builders::testing {

class TcpForwarder {
 public:
  explicit TcpForwarder(int target_port) : target_(target_port) {
    ::pipe(stop_);
    lfd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(lfd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_ANY);
    ::bind(lfd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(lfd_, 16);
    socklen_t len = sizeof a;
    ::getsockname(lfd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    accept_ = std::thread([this] { accept_loop(); });
  }
  ~TcpForwarder() {
    char c = 0;
    (void)!::write(stop_[1], &c, 1);
    accept_.join();
    for (auto& t : pumps_) t.join();
    ::close(lfd_);
    ::close(stop_[0]);
    ::close(stop_[1]);
  }
  int port() const { return port_; }

 private:
  void accept_loop() {
    while (true) {
      pollfd p[2] = {{lfd_, POLLIN, 0}, {stop_[0], POLLIN, 0}};
      if (::poll(p, 2, -1) < 0) continue;
      if (p[1].revents) return;
      int c = ::accept4(lfd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      int t = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_port = htons(static_cast<uint16_t>(target_));
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      if (::connect(t, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(c);
        ::close(t);
        continue;
      }
      pumps_.emplace_back([this, c, t] { pump(c, t); });
    }
  }
  void pump(int a, int b) {
    char buf[16384];
    while (true) {
      pollfd p[3] = {{a, POLLIN, 0}, {b, POLLIN, 0}, {stop_[0], POLLIN, 0}};
      if (::poll(p, 3, -1) < 0) continue;
      if (p[2].revents) break;
      int from = (p[0].revents & (POLLIN | POLLHUP | POLLERR)) ? a : b;
      int to = from == a ? b : a;
      ssize_t n = ::read(from, buf, sizeof buf);
      if (n <= 0) break;
      // MSG_NOSIGNAL: a peer gone mid-stream ends this pump, not the test.
      if (::send(to, buf, static_cast<size_t>(n), MSG_NOSIGNAL) != n) break;
    }
    ::close(a);
    ::close(b);
  }
  int target_;
  int port_ = 0;
  int lfd_ = -1;
  int stop_[2] = {-1, -1};
  std::thread accept_;
  std::vector<std::thread> pumps_;
};

}  // namespace kiln::builders::testing
