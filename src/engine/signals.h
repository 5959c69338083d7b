// SIGINT and SIGTERM during a build: the first cancels every build (their
// cleanups run), the second asks the cleanups to hurry (no waiting for
// actions). The handler only writes to a pipe; a thread reads it and calls
// back, so the callback may lock and print. Signal masks are left alone, so
// the processes provisioners start get the default dispositions on exec.
#pragma once

#include <signal.h>

#include <functional>
#include <thread>

namespace kiln::engine {

class SignalWatch {
 public:
  // on_signal(count, signo): count is 1 for the first signal, 2 for the
  // second, ... Installs the handlers; the destructor restores the old ones,
  // or with ignore_after leaves both signals ignored (a build that has ended
  // has nothing left to cancel; no window where the default would kill).
  explicit SignalWatch(std::function<void(int count, int signo)> on_signal,
                       bool ignore_after = false);
  ~SignalWatch();
  SignalWatch(const SignalWatch&) = delete;
  SignalWatch& operator=(const SignalWatch&) = delete;

 private:
  std::function<void(int, int)> cb_;
  bool ignore_after_ = false;
  int stop_[2] = {-1, -1};
  struct sigaction old_int_ {
  }, old_term_{};
  std::thread thread_;
};

// "interrupt" or "terminated", as Go's os.Signal String() (Packer's text).
const char* signal_text(int signo);

}  // namespace kiln::engine
