// The client reads RateLimit-* and slows down before the API answers 429.
// Time is simulated: waiting shows as recorded sleeps of a fake clock.
#include <gtest/gtest.h>

#include <numeric>

#include "hcloud/hcloud.h"
#include "hcloud/test_fixtures.h"

namespace hcloud {
namespace {

using testing::CannedResponse;
using testing::TestServer;
using Json = nlohmann::json;

HttpResponse with_budget(long limit, long remaining) {
  HttpResponse r;
  r.headers["ratelimit-limit"] = std::to_string(limit);
  r.headers["ratelimit-remaining"] = std::to_string(remaining);
  r.headers["ratelimit-reset"] = "1800000000";
  return r;
}

TEST(RateLimiter, NoWaitWhileTheBudgetIsAmple) {
  RateLimiter rl;
  TimePoint t{};
  EXPECT_EQ(rl.acquire(t), Duration(0));  // nothing known yet
  rl.observe(with_budget(3600, 3000), t);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(rl.acquire(t), Duration(0));
  EXPECT_EQ(rl.budget(t).remaining, 2900);
  EXPECT_EQ(rl.budget(t).limit, 3600);
  // The bucket refills one token a second.
  EXPECT_EQ(rl.budget(t + Duration(10'000)).remaining, 2910);
}

TEST(RateLimiter, PacesToTheRefillRateWhenLow) {
  RateLimiter rl;
  TimePoint t{};
  rl.observe(with_budget(3600, 50), t);  // below the 5% reserve (180)
  EXPECT_EQ(rl.acquire(t), Duration(0));
  EXPECT_EQ(rl.acquire(t), Duration(1000));
  EXPECT_EQ(rl.acquire(t), Duration(2000));
  // A project with twice the limit refills twice as fast.
  RateLimiter fast;
  fast.observe(with_budget(7200, 50), t);
  EXPECT_EQ(fast.acquire(t), Duration(0));
  EXPECT_EQ(fast.acquire(t), Duration(500));
}

TEST(RateLimiter, EmptyBucketWaitsForAToken) {
  RateLimiter rl;
  TimePoint t{};
  rl.observe(with_budget(3600, 0), t);
  Duration w = rl.acquire(t);
  EXPECT_GE(w, Duration(1000));
  EXPECT_LE(w, Duration(1001));
  rl.exhausted(t + Duration(5000));
  EXPECT_GE(rl.acquire(t + Duration(5000)), Duration(1000));
}

TEST(RateLimiter, MissingOrBrokenHeadersChangeNothing) {
  RateLimiter rl;
  HttpResponse r;
  r.headers["ratelimit-limit"] = "lots";
  r.headers["ratelimit-remaining"] = "1";
  rl.observe(r, TimePoint{});
  EXPECT_EQ(rl.budget(TimePoint{}).limit, -1);
  EXPECT_EQ(rl.acquire(TimePoint{}), Duration(0));
}

// A server that enforces a real token bucket on simulated time.
TEST(RateLimitedClient, SlowsDownInsteadOfHitting429) {
  TestServer server;
  auto clock = std::make_shared<FakeClock>();
  const double start_tokens = 20;
  const auto t0 = clock->now();
  std::mutex mu;
  double used = 0;
  int rejected = 0;
  server.set_handler([&](const testing::RecordedRequest&) {
    std::lock_guard lock(mu);
    double refilled = std::chrono::duration<double>(clock->now() - t0).count();
    double tokens = std::min(3600.0, start_tokens + refilled - used);
    if (tokens < 1) {
      ++rejected;
      return CannedResponse::error(429, "rate_limit_exceeded", "limit")
          .with_rate_limit(3600, 0, clock->unix_seconds() + 3600);
    }
    used += 1;
    long remaining = static_cast<long>(tokens - 1);
    return CannedResponse::json(200, {{"action", testing::action_json(1, "x", "success")}})
        .with_rate_limit(3600, remaining, clock->unix_seconds() + (3600 - remaining));
  });
  Client client(testing::test_options(server, clock));
  for (int i = 0; i < 120; ++i) {
    auto r = client.actions().get(1);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
  }
  EXPECT_EQ(rejected, 0);
  EXPECT_EQ(server.request_count(), 120u);
  // It waited: about one second per request beyond the initial budget.
  auto sleeps = clock->sleeps();
  Duration total = std::accumulate(sleeps.begin(), sleeps.end(), Duration(0));
  EXPECT_GE(total, Duration(100'000));
  EXPECT_LE(total, Duration(125'000));
}

TEST(RateLimitedClient, AmpleBudgetCostsNoWaiting) {
  TestServer server;
  auto clock = std::make_shared<FakeClock>();
  server.set_handler([&](const testing::RecordedRequest&) {
    return CannedResponse::json(200, {{"action", testing::action_json(1, "x", "success")}})
        .with_rate_limit(3600, 3500, clock->unix_seconds() + 100);
  });
  Client client(testing::test_options(server, clock));
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(client.actions().get(1).ok());
  EXPECT_TRUE(clock->sleeps().empty());
  EXPECT_EQ(client.rate_limiter().budget(clock->now()).remaining, 3500);
}

}  // namespace
}  // namespace hcloud
