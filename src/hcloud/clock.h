// Time source for the client: real, or simulated in tests and benchmarks.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <vector>

namespace hcloud {

using Duration = std::chrono::milliseconds;
using TimePoint = std::chrono::steady_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() = 0;
  virtual std::int64_t unix_seconds() = 0;  // wall clock, for RateLimit-Reset
  virtual void sleep_for(Duration d) = 0;
};

class RealClock final : public Clock {
 public:
  TimePoint now() override { return std::chrono::steady_clock::now(); }
  std::int64_t unix_seconds() override;
  void sleep_for(Duration d) override;
};

// Simulated time: sleeping advances it at once and is recorded.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::int64_t unix_start = 1'800'000'000) : unix_start_(unix_start) {}
  TimePoint now() override;
  std::int64_t unix_seconds() override;
  void sleep_for(Duration d) override;
  void advance(Duration d);
  void set(TimePoint t);
  std::vector<Duration> sleeps() const;
  Duration elapsed() const;

 private:
  mutable std::mutex mu_;
  std::int64_t unix_start_;
  Duration elapsed_{0};
  std::vector<Duration> sleeps_;
};

}  // namespace hcloud
