// Durations as Packer prints and parses them.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace kiln::engine {

// durafmt.Parse(d).LimitFirstN(2): the first two non-zero units of years,
// weeks, days, hours, minutes, seconds, milliseconds, microseconds, singular
// when 1 ("7 minutes 3 seconds", "1 second", "14 milliseconds 236
// microseconds"). Zero is "0 seconds".
std::string format_duration(std::chrono::nanoseconds d);

// Go's time.ParseDuration ("1m30s", "500ms"); nullopt when malformed.
std::optional<std::chrono::milliseconds> parse_duration(const std::string& s);

// Go's Duration.String() for whole milliseconds ("5m0s", "1.5s", "500ms"),
// as Packer prints pause_before and timeout.
std::string go_duration_string(std::chrono::milliseconds d);

}  // namespace kiln::engine
