#include "engine/duration.h"

#include <cstdint>
#include <vector>

#include "template/schemas.h"

namespace kiln::engine {

std::string format_duration(std::chrono::nanoseconds d) {
  struct Unit {
    const char* one;
    const char* many;
    int64_t us;
  };
  static const Unit kUnits[] = {
      {"year", "years", 365LL * 24 * 3600 * 1000000}, {"week", "weeks", 7LL * 24 * 3600 * 1000000},
      {"day", "days", 24LL * 3600 * 1000000},         {"hour", "hours", 3600LL * 1000000},
      {"minute", "minutes", 60LL * 1000000},          {"second", "seconds", 1000000},
      {"millisecond", "milliseconds", 1000},          {"microsecond", "microseconds", 1},
  };
  int64_t left = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
  if (left < 0) left = -left;
  std::string out;
  int shown = 0;
  for (const Unit& u : kUnits) {
    int64_t n = left / u.us;
    left %= u.us;
    if (n == 0) continue;
    if (!out.empty()) out += ' ';
    out += std::to_string(n) + " " + (n == 1 ? u.one : u.many);
    if (++shown == 2) break;
  }
  return out.empty() ? "0 seconds" : out;
}

std::optional<std::chrono::milliseconds> parse_duration(const std::string& s) {
  std::string err;
  auto secs = tmpl::parse_go_duration(s, &err);
  if (!secs) return std::nullopt;
  return std::chrono::milliseconds(static_cast<int64_t>(*secs * 1000.0 + 0.5));
}

std::string go_duration_string(std::chrono::milliseconds d) {
  int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string sign = ms < 0 ? "-" : "";
  if (ms < 0) ms = -ms;
  if (ms < 1000) return sign + std::to_string(ms) + "ms";
  int64_t h = ms / 3600000, m = (ms / 60000) % 60, s = (ms / 1000) % 60, frac = ms % 1000;
  std::string out = sign;
  if (h) out += std::to_string(h) + "h";
  if (h || m) out += std::to_string(m) + "m";
  out += std::to_string(s);
  if (frac) {
    std::string f = std::to_string(frac + 1000).substr(1);
    while (!f.empty() && f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out + "s";
}

}  // namespace kiln::engine
