#include "hcloud/clock.h"

#include <thread>

namespace hcloud {

std::int64_t RealClock::unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void RealClock::sleep_for(Duration d) {
  if (d.count() > 0) std::this_thread::sleep_for(d);
}

TimePoint FakeClock::now() {
  std::lock_guard lock(mu_);
  return TimePoint{} + elapsed_;
}

std::int64_t FakeClock::unix_seconds() {
  std::lock_guard lock(mu_);
  return unix_start_ + std::chrono::duration_cast<std::chrono::seconds>(elapsed_).count();
}

void FakeClock::sleep_for(Duration d) {
  std::lock_guard lock(mu_);
  sleeps_.push_back(d);
  if (d.count() > 0) elapsed_ += d;
}

void FakeClock::advance(Duration d) {
  std::lock_guard lock(mu_);
  elapsed_ += d;
}

void FakeClock::set(TimePoint t) {
  std::lock_guard lock(mu_);
  auto e = std::chrono::duration_cast<Duration>(t - TimePoint{});
  if (e > elapsed_) elapsed_ = e;
}

std::vector<Duration> FakeClock::sleeps() const {
  std::lock_guard lock(mu_);
  return sleeps_;
}

Duration FakeClock::elapsed() const {
  std::lock_guard lock(mu_);
  return elapsed_;
}

}  // namespace hcloud
