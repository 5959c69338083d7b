#include "hcloud/retry.h"

#include <algorithm>

namespace hcloud {

bool not_applied(const Error& e) {
  if (e.kind == ErrorKind::kNetwork) return !e.outcome_unknown && !e.is("tls_verification_failed");
  if (e.kind != ErrorKind::kApi) return false;
  return e.is("conflict") || e.is("rate_limit_exceeded") || e.is("limit_reached") ||
         e.http_status == 429;
}

bool outcome_unknown(const Error& e) {
  if (e.kind == ErrorKind::kNetwork) return e.outcome_unknown;
  if (e.kind != ErrorKind::kApi) return false;
  if (not_applied(e)) return false;
  return e.http_status >= 500 || e.is("timeout") || e.is("bad_gateway") || e.is("server_error") ||
         e.is("unavailable");
}

bool RetryPolicy::should_retry(const Error& e, Safety safety, int attempt) const {
  if (attempt >= max_retries) return false;
  if (not_applied(e)) return true;
  if (safety != Safety::kIdempotent) return false;
  return outcome_unknown(e);
}

Duration RetryPolicy::backoff(int attempt, std::mt19937_64& rng) const {
  std::int64_t hi = base.count();
  for (int i = 0; i < attempt && hi < cap.count(); ++i) hi *= 2;
  hi = std::min(hi, cap.count());
  std::uniform_int_distribution<std::int64_t> dist(base.count(), std::max(base.count(), hi));
  return Duration(dist(rng));
}

}  // namespace hcloud
