#include "hcloud/ratelimit.h"

#include <algorithm>
#include <charconv>

namespace hcloud {
namespace {

std::optional<std::int64_t> parse_int(const std::string& s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

Duration RateLimiter::refill_interval() const {
  // The bucket refills `limit` tokens per hour, one at a time.
  std::int64_t limit = b_.limit > 0 ? b_.limit : 3600;
  return Duration(std::max<std::int64_t>(1, 3'600'000 / limit));
}

void RateLimiter::refill(TimePoint now) {
  if (b_.limit <= 0 || now <= last_update_) return;
  double gained =
      static_cast<double>(std::chrono::duration_cast<Duration>(now - last_update_).count()) /
      static_cast<double>(refill_interval().count());
  tokens_ = std::min(static_cast<double>(b_.limit), tokens_ + gained);
  last_update_ = now;
}

Duration RateLimiter::acquire(TimePoint now) {
  std::lock_guard lock(mu_);
  if (b_.limit <= 0) return Duration(0);  // nothing known yet
  refill(now);
  double reserve = std::max(static_cast<double>(min_reserve_),
                            static_cast<double>(b_.limit) * reserve_fraction_);
  Duration wait(0);
  if (tokens_ < reserve) {
    // Low: one request per refill interval, so the bucket stops draining.
    // Empty: additionally wait for the missing tokens.
    TimePoint slot = std::max(next_slot_, now);
    if (tokens_ < 1) {
      auto missing = static_cast<std::int64_t>((1 - tokens_) * refill_interval().count()) + 1;
      slot = std::max(slot, now + Duration(missing));
    }
    wait = std::chrono::duration_cast<Duration>(slot - now);
    next_slot_ = slot + refill_interval();
  }
  tokens_ -= 1;  // this request's token, until the answer tells better
  return wait;
}

void RateLimiter::observe(const HttpResponse& response, TimePoint now) {
  auto limit = parse_int(response.header("ratelimit-limit"));
  auto remaining = parse_int(response.header("ratelimit-remaining"));
  auto reset = parse_int(response.header("ratelimit-reset"));
  if (!limit || !remaining || *limit <= 0) return;
  std::lock_guard lock(mu_);
  b_.limit = *limit;
  b_.remaining = std::clamp<std::int64_t>(*remaining, 0, *limit);
  if (reset) b_.reset_unix = *reset;
  tokens_ = static_cast<double>(b_.remaining);
  last_update_ = now;
}

void RateLimiter::exhausted(TimePoint now) {
  std::lock_guard lock(mu_);
  if (b_.limit <= 0) b_.limit = 3600;
  tokens_ = 0;
  b_.remaining = 0;
  last_update_ = now;
}

RateBudget RateLimiter::budget(TimePoint now) const {
  std::lock_guard lock(mu_);
  RateBudget out = b_;
  if (b_.limit > 0 && now > last_update_) {
    double gained =
        static_cast<double>(std::chrono::duration_cast<Duration>(now - last_update_).count()) /
        static_cast<double>(refill_interval().count());
    out.remaining = static_cast<std::int64_t>(std::min<double>(b_.limit, tokens_ + gained));
  } else if (b_.limit > 0) {
    out.remaining = static_cast<std::int64_t>(std::max(0.0, tokens_));
  }
  return out;
}

}  // namespace hcloud
