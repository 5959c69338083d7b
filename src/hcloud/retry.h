// Which failed requests are sent again, and after how long.
#pragma once

#include <random>

#include "hcloud/clock.h"
#include "hcloud/error.h"

namespace hcloud {

// What repeating a request could do.
enum class Safety {
  kIdempotent,  // GET, PUT, DELETE: sending twice is harmless
  kAction,      // POST of an action: must not run twice
  kCreate,      // POST creating a resource: reconciled by lookup, never resent blindly
};

struct RetryPolicy {
  int max_retries = 5;
  Duration base{1000};
  Duration cap{60'000};

  // Whether `error` (after `attempt` retries already) is worth sending again.
  // Answers that prove the request was not carried out (conflict,
  // rate_limit_exceeded, a connection never made) are retried for any
  // request; 5xx, timeout and unknown network outcomes only when
  // idempotent.
  bool should_retry(const Error& error, Safety safety, int attempt) const;
  // Full jitter in [base, min(cap, base * 2^attempt)].
  Duration backoff(int attempt, std::mt19937_64& rng) const;
};

// Error codes whose request had no effect on the server.
bool not_applied(const Error& error);
// Errors after which the outcome of a non-idempotent request is unknown.
bool outcome_unknown(const Error& error);

}  // namespace hcloud
