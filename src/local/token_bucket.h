// The API's rate limit (hcloud-api.md section 4): a bucket of `capacity`
// tokens refilled at `refill_per_second`; every request takes one, a request
// finding the bucket empty is refused (429) and takes none.
#pragma once

#include <cstdint>

namespace kiln::local {

class TokenBucket {
 public:
  TokenBucket(int64_t capacity, double refill_per_second, double now);

  struct Result {
    bool allowed;
    int64_t limit;
    int64_t remaining;
    int64_t reset;  // UNIX time at which the bucket is full again
  };
  // Takes one token at time `now` (seconds, monotonic with the calls).
  Result take(double now);

 private:
  void refill(double now);
  int64_t capacity_;
  double rate_;
  double tokens_;
  double last_;
};

}  // namespace kiln::local
