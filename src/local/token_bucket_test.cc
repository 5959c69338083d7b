#include "local/token_bucket.h"

#include <gtest/gtest.h>

namespace kiln::local {
namespace {

TEST(TokenBucket, SpendsAndRefusesWhenEmpty) {
  TokenBucket b(3, 1.0, 1000.0);
  auto r = b.take(1000.0);
  EXPECT_TRUE(r.allowed);
  EXPECT_EQ(r.limit, 3);
  EXPECT_EQ(r.remaining, 2);
  EXPECT_EQ(r.reset, 1001);
  EXPECT_TRUE(b.take(1000.0).allowed);
  EXPECT_TRUE(b.take(1000.0).allowed);
  auto refused = b.take(1000.0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0);
  EXPECT_EQ(refused.reset, 1003);
  // A refused request costs nothing: one second later one token is back.
  auto later = b.take(1001.0);
  EXPECT_TRUE(later.allowed);
  EXPECT_EQ(later.remaining, 0);
}

TEST(TokenBucket, RefillsOnePerSecondUpToCapacity) {
  TokenBucket b(3600, 1.0, 0.0);
  for (int i = 0; i < 3600; ++i) ASSERT_TRUE(b.take(0.0).allowed);
  EXPECT_FALSE(b.take(0.0).allowed);
  EXPECT_FALSE(b.take(0.5).allowed);
  EXPECT_TRUE(b.take(1.0).allowed);
  auto r = b.take(11.0);  // 10 s later: 10 tokens back, one taken
  EXPECT_EQ(r.remaining, 9);
  EXPECT_EQ(r.reset, 11 + 3591);
  auto full = b.take(1e6);
  EXPECT_EQ(full.remaining, 3599);
}

}  // namespace
}  // namespace kiln::local
