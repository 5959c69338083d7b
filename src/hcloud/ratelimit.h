// Client-side view of the API's token bucket (RateLimit-Limit, -Remaining,
// -Reset). When the budget runs low, requests are paced to the refill rate
// so that the client slows down before the API answers 429.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>

#include "hcloud/clock.h"
#include "hcloud/transport.h"

namespace hcloud {

struct RateBudget {
  std::int64_t limit = -1;      // requests per hour; -1 until a header was seen
  std::int64_t remaining = -1;  // estimated tokens left now
  std::int64_t reset_unix = 0;  // when the bucket is full again
};

class RateLimiter {
 public:
  // Pacing starts when fewer than max(min_reserve, limit * reserve_fraction)
  // tokens are left.
  explicit RateLimiter(double reserve_fraction = 0.05, std::int64_t min_reserve = 10)
      : reserve_fraction_(reserve_fraction), min_reserve_(min_reserve) {}

  // How long to wait before sending a request now; reserves its slot.
  Duration acquire(TimePoint now);
  // Reads the headers of an answer (any status).
  void observe(const HttpResponse& response, TimePoint now);
  // A 429 arrived: nothing is left until the next refill.
  void exhausted(TimePoint now);

  RateBudget budget(TimePoint now) const;

 private:
  Duration refill_interval() const;  // time for one token
  void refill(TimePoint now);        // adds the tokens that accrued since last_update_

  mutable std::mutex mu_;
  double reserve_fraction_;
  std::int64_t min_reserve_;
  RateBudget b_;
  double tokens_ = 0;  // fractional estimate of remaining
  TimePoint last_update_{};
  TimePoint next_slot_{};
};

}  // namespace hcloud
