#include "engine/signals.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace kiln::engine {
namespace {

TEST(Signals, FirstAndSecondSignalAreCounted) {
  std::atomic<int> last{0}, signo{0};
  {
    SignalWatch w([&](int count, int s) {
      signo = s;
      last = count;
    });
    ::kill(::getpid(), SIGINT);
    while (last < 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_EQ(signo, SIGINT);
    ::kill(::getpid(), SIGTERM);
    while (last < 2) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_EQ(signo, SIGTERM);
    EXPECT_STREQ(signal_text(SIGTERM), "terminated");
    EXPECT_STREQ(signal_text(SIGINT), "interrupt");
  }
  // The old dispositions are back.
  struct sigaction sa {};
  ::sigaction(SIGINT, nullptr, &sa);
  EXPECT_EQ(sa.sa_handler, SIG_DFL);
}

// kiln build's watch: once the builds have ended, a signal is ignored (a
// late Ctrl-C must not kill kiln while it finishes its journal).
TEST(Signals, IgnoreAfterLeavesBothSignalsIgnored) {
  {
    SignalWatch w([](int, int) {}, /*ignore_after=*/true);
  }
  struct sigaction sa {};
  for (int sig : {SIGINT, SIGTERM}) {
    ::sigaction(sig, nullptr, &sa);
    EXPECT_EQ(sa.sa_handler, SIG_IGN) << sig;
  }
  ::kill(::getpid(), SIGINT);  // ignored: this test goes on
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  ::sigaction(SIGINT, &dfl, nullptr);
  ::sigaction(SIGTERM, &dfl, nullptr);
}

}  // namespace
}  // namespace kiln::engine
