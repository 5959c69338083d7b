#include "local/token_bucket.h"

#include <algorithm>
#include <cmath>

namespace kiln::local {

TokenBucket::TokenBucket(int64_t capacity, double refill_per_second, double now)
    : capacity_(capacity),
      rate_(refill_per_second),
      tokens_(static_cast<double>(capacity)),
      last_(now) {}

void TokenBucket::refill(double now) {
  if (now > last_) {
    tokens_ = std::min(static_cast<double>(capacity_), tokens_ + (now - last_) * rate_);
    last_ = now;
  }
}

TokenBucket::Result TokenBucket::take(double now) {
  refill(now);
  Result r{};
  r.limit = capacity_;
  r.allowed = tokens_ >= 1.0;
  if (r.allowed) tokens_ -= 1.0;
  r.remaining = static_cast<int64_t>(std::floor(tokens_));
  double missing = static_cast<double>(capacity_) - tokens_;
  r.reset = static_cast<int64_t>(std::ceil(now + (rate_ > 0 ? missing / rate_ : 0)));
  return r;
}

}  // namespace kiln::local
