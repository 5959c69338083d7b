#include "engine/signals.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace kiln::engine {

namespace {

// One watch at a time (a process runs one build command).
int g_pipe[2] = {-1, -1};

void on_signal(int signo) {
  int saved = errno;
  unsigned char b = static_cast<unsigned char>(signo);
  if (g_pipe[1] >= 0) (void)!::write(g_pipe[1], &b, 1);
  errno = saved;
}

}  // namespace

const char* signal_text(int signo) {
  return signo == SIGTERM ? "terminated" : "interrupt";
}

SignalWatch::SignalWatch(std::function<void(int, int)> cb, bool ignore_after)
    : cb_(std::move(cb)), ignore_after_(ignore_after) {
  if (::pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) g_pipe[0] = g_pipe[1] = -1;
  if (::pipe2(stop_, O_CLOEXEC) != 0) stop_[0] = stop_[1] = -1;
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  ::sigaction(SIGINT, &sa, &old_int_);
  ::sigaction(SIGTERM, &sa, &old_term_);
  int rd = g_pipe[0], stop = stop_[0];
  thread_ = std::thread([this, rd, stop] {
    int count = 0;
    while (true) {
      pollfd p[2] = {{rd, POLLIN, 0}, {stop, POLLIN, 0}};
      int n = ::poll(p, 2, -1);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 || (p[1].revents & (POLLIN | POLLHUP))) return;
      unsigned char b;
      while (::read(rd, &b, 1) == 1) cb_(++count, b);
    }
  });
}

SignalWatch::~SignalWatch() {
  if (ignore_after_) {
    struct sigaction ign {};
    ign.sa_handler = SIG_IGN;
    ::sigaction(SIGINT, &ign, nullptr);
    ::sigaction(SIGTERM, &ign, nullptr);
  } else {
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
  }
  if (stop_[1] >= 0) {
    char c = 0;
    (void)!::write(stop_[1], &c, 1);
  }
  if (thread_.joinable()) thread_.join();
  for (int fd : {g_pipe[0], g_pipe[1], stop_[0], stop_[1]})
    if (fd >= 0) ::close(fd);
  g_pipe[0] = g_pipe[1] = -1;
}

}  // namespace kiln::engine
