#include "engine/duration.h"

#include <gtest/gtest.h>

namespace kiln::engine {
namespace {

using namespace std::chrono;

TEST(Duration, FormatsTheFirstTwoUnitsAsDurafmt) {
  EXPECT_EQ(format_duration(minutes(7) + seconds(3) + milliseconds(400)), "7 minutes 3 seconds");
  EXPECT_EQ(format_duration(seconds(1)), "1 second");
  EXPECT_EQ(format_duration(milliseconds(14) + microseconds(236) + nanoseconds(5)),
            "14 milliseconds 236 microseconds");
  EXPECT_EQ(format_duration(hours(1) + seconds(5)), "1 hour 5 seconds");
  EXPECT_EQ(format_duration(nanoseconds(0)), "0 seconds");
}

TEST(Duration, ParsesAndPrintsGoDurations) {
  EXPECT_EQ(parse_duration("1m30s"), milliseconds(90000));
  EXPECT_EQ(parse_duration("500ms"), milliseconds(500));
  EXPECT_FALSE(parse_duration("five minutes"));
  EXPECT_EQ(go_duration_string(minutes(5)), "5m0s");
  EXPECT_EQ(go_duration_string(milliseconds(1500)), "1.5s");
  EXPECT_EQ(go_duration_string(milliseconds(500)), "500ms");
  EXPECT_EQ(go_duration_string(hours(1) + seconds(2)), "1h0m2s");
}

}  // namespace
}  // namespace kiln::engine
