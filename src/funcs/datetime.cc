// Date and time functions: formatdate, timeadd (go-cty stdlib), timestamp,
// legacy_isotime, legacy_strftime, rfc3339_parse, unix_timestamp_parse
// (Packer). Times are civil times with a fixed UTC offset, as Go's
// time.Time values these functions handle; layouts follow Go's time
// package.
#include <fmt/format.h>

#include <chrono>
#include <mutex>

#include "funcs/common.h"

namespace kiln::funcs {

namespace {

constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                   "May",       "June",     "July",     "August",
                                   "September", "October",  "November", "December"};
constexpr const char* kDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                 "Thursday", "Friday", "Saturday"};

bool is_leap(int64_t y) {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}
int days_in(int month, int64_t year) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap(year)) return 29;
  return d[month - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// algorithm).
int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int64_t* y, int* m, int* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// A time as Go's time.Time with a fixed zone.
struct Time {
  int64_t unix = 0;  // seconds since the epoch (UTC)
  int64_t nsec = 0;
  int offset = 0;         // seconds east of UTC
  std::string zone_name;  // "UTC" for UTC, "" for a fixed offset

  // Civil fields in the time's own zone.
  struct Civil {
    int64_t year;
    int month, day, hour, min, sec, weekday, yday;  // yday 1-based
  };
  Civil civil() const {
    int64_t local = unix + offset;
    int64_t days = floor_div(local, 86400);
    int64_t secs = local - days * 86400;
    Civil c{};
    civil_from_days(days, &c.year, &c.month, &c.day);
    c.hour = static_cast<int>(secs / 3600);
    c.min = static_cast<int>(secs % 3600 / 60);
    c.sec = static_cast<int>(secs % 60);
    c.weekday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
    c.yday = static_cast<int>(days - days_from_civil(c.year, 1, 1) + 1);
    return c;
  }
  static Time from_civil(int64_t y, int mo, int d, int h, int mi, int s, int64_t ns, int offset,
                         std::string zone) {
    Time t;
    t.unix = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset;
    t.nsec = ns;
    t.offset = offset;
    t.zone_name = std::move(zone);
    return t;
  }
  // Go's ISOWeek.
  std::pair<int64_t, int> iso_week() const {
    Civil c = civil();
    int d = 4 - c.weekday;
    if (d == 4) d = -3;
    int64_t local_days = floor_div(unix + offset, 86400) + d;
    int64_t y;
    int m, dd;
    civil_from_days(local_days, &y, &m, &dd);
    int64_t yday0 = local_days - days_from_civil(y, 1, 1);
    return {y, static_cast<int>(yday0 / 7 + 1)};
  }
};

std::string pad(int64_t v, int width) {
  std::string s = std::to_string(v < 0 ? -v : v);
  if (static_cast<int>(s.size()) < width) s = std::string(width - s.size(), '0') + s;
  return v < 0 ? "-" + s : s;
}

// --- Go's time.Format ---------------------------------------------------------

enum Std {
  kNone,
  kLongMonth,
  kMonth,
  kNumMonth,
  kZeroMonth,
  kLongWeekDay,
  kWeekDay,
  kDay,
  kUnderDay,
  kZeroDay,
  kUnderYearDay,
  kZeroYearDay,
  kHour,
  kHour12,
  kZeroHour12,
  kMinute,
  kZeroMinute,
  kSecond,
  kZeroSecond,
  kLongYear,
  kYear,
  kPM,
  kpm,
  kTZ,
  kISO8601TZ,
  kISO8601SecondsTZ,
  kISO8601ShortTZ,
  kISO8601ColonTZ,
  kISO8601ColonSecondsTZ,
  kNumTZ,
  kNumSecondsTz,
  kNumShortTZ,
  kNumColonTZ,
  kNumColonSecondsTZ,
  kFracSecond0,
  kFracSecond9
};

struct Chunk {
  std::string_view prefix;
  Std std = kNone;
  int frac_digits = 0;
  char frac_sep = '.';
  std::string_view suffix;
  std::string_view stdstr;
};

bool starts_lower(std::string_view s) {
  return !s.empty() && s[0] >= 'a' && s[0] <= 'z';
}
bool digit_at(std::string_view s, size_t i) {
  return i < s.size() && s[i] >= '0' && s[i] <= '9';
}

Chunk next_std_chunk(std::string_view layout) {
  auto make = [&](size_t i, Std s, size_t len) {
    Chunk c;
    c.prefix = layout.substr(0, i);
    c.std = s;
    c.stdstr = layout.substr(i, len);
    c.suffix = layout.substr(i + len);
    return c;
  };
  for (size_t i = 0; i < layout.size(); ++i) {
    char c = layout[i];
    std::string_view rest = layout.substr(i);
    switch (c) {
      case 'J':
        if (rest.starts_with("Jan")) {
          if (rest.starts_with("January")) return make(i, kLongMonth, 7);
          if (!starts_lower(rest.substr(3))) return make(i, kMonth, 3);
        }
        break;
      case 'M':
        if (rest.size() >= 3) {
          if (rest.starts_with("Mon")) {
            if (rest.starts_with("Monday")) return make(i, kLongWeekDay, 6);
            if (!starts_lower(rest.substr(3))) return make(i, kWeekDay, 3);
          }
          if (rest.starts_with("MST")) return make(i, kTZ, 3);
        }
        break;
      case '0':
        if (rest.size() >= 2 && rest[1] >= '1' && rest[1] <= '6') {
          static const Std s0x[] = {kZeroMonth,  kZeroDay,    kZeroHour12,
                                    kZeroMinute, kZeroSecond, kYear};
          return make(i, s0x[rest[1] - '1'], 2);
        }
        if (rest.size() >= 3 && rest[1] == '0' && rest[2] == '2') return make(i, kZeroYearDay, 3);
        break;
      case '1':
        if (rest.size() >= 2 && rest[1] == '5') return make(i, kHour, 2);
        return make(i, kNumMonth, 1);
      case '2':
        if (rest.starts_with("2006")) return make(i, kLongYear, 4);
        return make(i, kDay, 1);
      case '_':
        if (rest.size() >= 2 && rest[1] == '2') {
          if (rest.size() >= 5 && rest.substr(1, 4) == "2006") {
            Chunk ch;
            ch.prefix = layout.substr(0, i + 1);
            ch.std = kLongYear;
            ch.stdstr = layout.substr(i + 1, 4);
            ch.suffix = layout.substr(i + 5);
            return ch;
          }
          return make(i, kUnderDay, 2);
        }
        if (rest.size() >= 3 && rest[1] == '_' && rest[2] == '2') return make(i, kUnderYearDay, 3);
        break;
      case '3':
        return make(i, kHour12, 1);
      case '4':
        return make(i, kMinute, 1);
      case '5':
        return make(i, kSecond, 1);
      case 'P':
        if (rest.size() >= 2 && rest[1] == 'M') return make(i, kPM, 2);
        break;
      case 'p':
        if (rest.size() >= 2 && rest[1] == 'm') return make(i, kpm, 2);
        break;
      case '-':
        if (rest.starts_with("-070000")) return make(i, kNumSecondsTz, 7);
        if (rest.starts_with("-07:00:00")) return make(i, kNumColonSecondsTZ, 9);
        if (rest.starts_with("-0700")) return make(i, kNumTZ, 5);
        if (rest.starts_with("-07:00")) return make(i, kNumColonTZ, 6);
        if (rest.starts_with("-07")) return make(i, kNumShortTZ, 3);
        break;
      case 'Z':
        if (rest.starts_with("Z070000")) return make(i, kISO8601SecondsTZ, 7);
        if (rest.starts_with("Z07:00:00")) return make(i, kISO8601ColonSecondsTZ, 9);
        if (rest.starts_with("Z0700")) return make(i, kISO8601TZ, 5);
        if (rest.starts_with("Z07:00")) return make(i, kISO8601ColonTZ, 6);
        if (rest.starts_with("Z07")) return make(i, kISO8601ShortTZ, 3);
        break;
      case '.':
      case ',':
        if (rest.size() >= 2 && (rest[1] == '0' || rest[1] == '9')) {
          char ch = rest[1];
          size_t j = 1;
          while (j < rest.size() && rest[j] == ch) ++j;
          if (!digit_at(rest, j)) {
            Chunk k = make(i, ch == '0' ? kFracSecond0 : kFracSecond9, j);
            k.frac_digits = static_cast<int>(j - 1);
            k.frac_sep = c;
            return k;
          }
        }
        break;
      default:
        break;
    }
  }
  Chunk c;
  c.prefix = layout;
  return c;
}

std::string go_format(const Time& t, std::string_view layout) {
  Time::Civil c = t.civil();
  std::string b;
  while (!layout.empty()) {
    Chunk ch = next_std_chunk(layout);
    b.append(ch.prefix);
    if (ch.std == kNone) break;
    layout = ch.suffix;
    switch (ch.std) {
      case kYear:
        b += pad(((c.year % 100) + 100) % 100, 2);
        break;
      case kLongYear:
        b += pad(c.year, 4);
        break;
      case kMonth:
        b += std::string(kMonths[c.month - 1]).substr(0, 3);
        break;
      case kLongMonth:
        b += kMonths[c.month - 1];
        break;
      case kNumMonth:
        b += std::to_string(c.month);
        break;
      case kZeroMonth:
        b += pad(c.month, 2);
        break;
      case kWeekDay:
        b += std::string(kDays[c.weekday]).substr(0, 3);
        break;
      case kLongWeekDay:
        b += kDays[c.weekday];
        break;
      case kDay:
        b += std::to_string(c.day);
        break;
      case kUnderDay:
        if (c.day < 10) b += ' ';
        b += std::to_string(c.day);
        break;
      case kZeroDay:
        b += pad(c.day, 2);
        break;
      case kUnderYearDay: {
        std::string s = std::to_string(c.yday);
        b += std::string(3 - std::min<size_t>(3, s.size()), ' ') + s;
        break;
      }
      case kZeroYearDay:
        b += pad(c.yday, 3);
        break;
      case kHour:
        b += pad(c.hour, 2);
        break;
      case kHour12:
        b += std::to_string(c.hour % 12 == 0 ? 12 : c.hour % 12);
        break;
      case kZeroHour12:
        b += pad(c.hour % 12 == 0 ? 12 : c.hour % 12, 2);
        break;
      case kMinute:
        b += std::to_string(c.min);
        break;
      case kZeroMinute:
        b += pad(c.min, 2);
        break;
      case kSecond:
        b += std::to_string(c.sec);
        break;
      case kZeroSecond:
        b += pad(c.sec, 2);
        break;
      case kPM:
        b += c.hour >= 12 ? "PM" : "AM";
        break;
      case kpm:
        b += c.hour >= 12 ? "pm" : "am";
        break;
      case kISO8601TZ:
      case kISO8601ColonTZ:
      case kISO8601SecondsTZ:
      case kISO8601ShortTZ:
      case kISO8601ColonSecondsTZ:
      case kNumTZ:
      case kNumColonTZ:
      case kNumSecondsTz:
      case kNumShortTZ:
      case kNumColonSecondsTZ: {
        bool iso = ch.std == kISO8601TZ || ch.std == kISO8601ColonTZ ||
                   ch.std == kISO8601SecondsTZ || ch.std == kISO8601ShortTZ ||
                   ch.std == kISO8601ColonSecondsTZ;
        if (t.offset == 0 && iso) {
          b += 'Z';
          break;
        }
        int zone = t.offset / 60;
        int absoff = t.offset;
        if (zone < 0) {
          b += '-';
          zone = -zone;
          absoff = -absoff;
        } else {
          b += '+';
        }
        b += pad(zone / 60, 2);
        bool colon = ch.std == kISO8601ColonTZ || ch.std == kNumColonTZ ||
                     ch.std == kISO8601ColonSecondsTZ || ch.std == kNumColonSecondsTZ;
        if (colon) b += ':';
        if (ch.std != kNumShortTZ && ch.std != kISO8601ShortTZ) b += pad(zone % 60, 2);
        if (ch.std == kISO8601SecondsTZ || ch.std == kNumSecondsTz ||
            ch.std == kNumColonSecondsTZ || ch.std == kISO8601ColonSecondsTZ) {
          if (colon) b += ':';
          b += pad(absoff % 60, 2);
        }
        break;
      }
      case kTZ:
        if (!t.zone_name.empty()) {
          b += t.zone_name;
        } else {
          int zone = t.offset / 60;
          if (zone < 0) {
            b += '-';
            zone = -zone;
          } else {
            b += '+';
          }
          b += pad(zone / 60, 2) + pad(zone % 60, 2);
        }
        break;
      case kFracSecond0: {
        std::string digits = pad(t.nsec, 9).substr(0, static_cast<size_t>(ch.frac_digits));
        b += ch.frac_sep;
        b += digits;
        break;
      }
      case kFracSecond9: {
        std::string digits = pad(t.nsec, 9).substr(0, static_cast<size_t>(ch.frac_digits));
        while (!digits.empty() && digits.back() == '0') digits.pop_back();
        if (!digits.empty()) {
          b += ch.frac_sep;
          b += digits;
        }
        break;
      }
      default:
        break;
    }
  }
  return b;
}

// --- Go's time.Parse for the RFC 3339 layouts -----------------------------------

struct ParseError {
  std::string layout_elem, value_elem, message;
};

// getnum: one or two digits (exactly two when fixed).
bool getnum(std::string_view& v, bool fixed, int* out) {
  if (!digit_at(v, 0)) return false;
  if (!digit_at(v, 1)) {
    if (fixed) return false;
    *out = v[0] - '0';
    v.remove_prefix(1);
    return true;
  }
  *out = (v[0] - '0') * 10 + (v[1] - '0');
  v.remove_prefix(2);
  return true;
}

// time.atoi for a 4-character year: optional sign, then digits only.
bool atoi_year(std::string_view s, int64_t* out) {
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return false;
  int64_t x = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    x = x * 10 + (c - '0');
  }
  *out = neg ? -x : x;
  return true;
}

// parseNanoseconds for value[0] == '.' or ','; nbytes includes the
// separator.
int64_t parse_nanos(std::string_view v, size_t nbytes) {
  if (nbytes > 10) nbytes = 10;
  int64_t ns = 0;
  for (size_t i = 1; i < nbytes; ++i) ns = ns * 10 + (v[i] - '0');
  for (size_t i = nbytes; i < 10; ++i) ns *= 10;
  return ns;
}

// time.Parse(layout, value) where layout is RFC3339 ("2006-01-02T15:04:05Z07:00"),
// RFC3339Nano, or either with a space for the T.
std::optional<Time> go_parse_rfc3339(std::string_view value, char sep, bool nano,
                                     ParseError* perr) {
  int64_t year = 0;
  int month = -1, day = -1, hour = 0, min = 0, sec = 0;
  int64_t nsec = 0;
  bool utc = false;
  int zone_offset = -1;
  std::string_view v = value;
  auto err = [&](std::string layout, std::string_view val, std::string msg = "") {
    *perr = ParseError{std::move(layout), std::string(val), std::move(msg)};
    return std::nullopt;
  };
  auto skip = [&](char p) -> bool {
    if (v.empty() || v[0] != p) return false;
    v.remove_prefix(1);
    return true;
  };
  // 2006
  {
    // Go reports the value after the four characters when they are not a
    // number.
    if (v.size() < 4 || !digit_at(v, 0)) return err("2006", v);
    std::string_view p = v.substr(0, 4);
    v.remove_prefix(4);
    if (!atoi_year(p, &year)) return err("2006", v);
  }
  if (!skip('-')) return err("-", v);
  {
    std::string_view hold = v;
    if (!getnum(v, true, &month)) return err("01", hold);
    if (month <= 0 || month > 12) return err("01", v, ": month out of range");
  }
  if (!skip('-')) return err("-", v);
  {
    std::string_view hold = v;
    if (!getnum(v, true, &day)) return err("02", hold);
  }
  if (!skip(sep)) return err(std::string(1, sep), v);
  {
    std::string_view hold = v;
    if (!getnum(v, false, &hour)) return err("15", hold);
    if (hour < 0 || hour >= 24) return err("15", v, ": hour out of range");
  }
  if (!skip(':')) return err(":", v);
  {
    std::string_view hold = v;
    if (!getnum(v, true, &min)) return err("04", hold);
    if (min < 0 || min >= 60) return err("04", v, ": minute out of range");
  }
  if (!skip(':')) return err(":", v);
  {
    std::string_view hold = v;
    if (!getnum(v, true, &sec)) return err("05", hold);
    if (sec < 0 || sec >= 60) return err("05", v, ": second out of range");
    if (!nano && v.size() >= 2 && (v[0] == '.' || v[0] == ',') && digit_at(v, 1)) {
      size_t n = 2;
      while (n < v.size() && digit_at(v, n)) ++n;
      nsec = parse_nanos(v, n);
      v.remove_prefix(n);
    }
  }
  if (nano) {
    // .999999999
    if (v.size() >= 2 && (v[0] == '.' || v[0] == ',') && v[1] >= '0' && v[1] <= '9') {
      size_t i = 0;
      while (i + 1 < v.size() && v[i + 1] >= '0' && v[i + 1] <= '9') ++i;
      nsec = parse_nanos(v, 1 + i);
      v.remove_prefix(1 + i);
    }
  }
  // Z07:00
  {
    std::string_view hold = v;
    if (!v.empty() && v[0] == 'Z') {
      v.remove_prefix(1);
      utc = true;
    } else {
      if (v.size() < 6 || v[3] != ':') return err("Z07:00", hold);
      char sign = v[0];
      std::string_view hh = v.substr(1, 2), mm = v.substr(4, 2);
      v.remove_prefix(6);
      int hr = 0, mi = 0;
      if (!getnum(hh, true, &hr) || !getnum(mm, true, &mi)) return err("Z07:00", hold);
      if (hr > 24) return err("Z07:00", v, ": time zone offset hour out of range");
      if (mi > 60) return err("Z07:00", v, ": time zone offset minute out of range");
      if (sign != '+' && sign != '-') return err("Z07:00", hold);
      zone_offset = (hr * 60 + mi) * 60;
      if (sign == '-') zone_offset = -zone_offset;
    }
  }
  if (!v.empty()) return err("", v, ": extra text: " + go_quote(v));
  if (day < 1 || day > days_in(month, year)) return err("", v, ": day out of range");
  if (utc) return Time::from_civil(year, month, day, hour, min, sec, nsec, 0, "UTC");
  // With TZ unset the local zone is UTC: a zero offset takes its name.
  return Time::from_civil(year, month, day, hour, min, sec, nsec, zone_offset,
                          zone_offset == 0 ? "UTC" : "");
}

// cty's parseRFC3339 fast path (strict).
std::optional<Time> cty_fast_rfc3339(std::string_view s) {
  bool ok = true;
  auto parse_uint = [&](std::string_view p, int lo, int hi) {
    int x = 0;
    for (char c : p) {
      if (c < '0' || c > '9') {
        ok = false;
        return lo;
      }
      x = x * 10 + (c - '0');
    }
    if (x < lo || hi < x) {
      ok = false;
      return lo;
    }
    return x;
  };
  if (s.size() < 19) return std::nullopt;
  int year = parse_uint(s.substr(0, 4), 0, 9999);
  int month = parse_uint(s.substr(5, 2), 1, 12);
  int day = parse_uint(s.substr(8, 2), 1, days_in(month, year));
  int hour = parse_uint(s.substr(11, 2), 0, 23);
  int min = parse_uint(s.substr(14, 2), 0, 59);
  int sec = parse_uint(s.substr(17, 2), 0, 59);
  if (!ok || !(s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':')) {
    return std::nullopt;
  }
  s.remove_prefix(19);
  int64_t nsec = 0;
  if (s.size() >= 2 && s[0] == '.' && digit_at(s, 1)) {
    size_t n = 2;
    while (n < s.size() && digit_at(s, n)) ++n;
    nsec = parse_nanos(s, n);
    s.remove_prefix(n);
  }
  if (s.size() == 1 && s[0] == 'Z')
    return Time::from_civil(year, month, day, hour, min, sec, nsec, 0, "UTC");
  if (s.size() != 6) return std::nullopt;
  int hr = parse_uint(s.substr(1, 2), 0, 23);
  int mm = parse_uint(s.substr(4, 2), 0, 59);
  if (!ok || !((s[0] == '-' || s[0] == '+') && s[3] == ':')) return std::nullopt;
  int off = (hr * 60 + mm) * 60;
  if (s[0] == '-') off = -off;
  return Time::from_civil(year, month, day, hour, min, sec, nsec, off, "");
}

// cty's parseTimestamp: a strict RFC 3339 timestamp, or the error message.
std::optional<Time> parse_timestamp(const std::string& ts, std::string* error) {
  if (auto t = cty_fast_rfc3339(ts)) return t;
  ParseError pe;
  auto lenient = go_parse_rfc3339(ts, 'T', false, &pe);
  if (lenient) {
    // Accepted by time.Parse but not strict: say why.
    std::string_view s = ts;
    auto num2 = [](std::string_view x) { return 10 * (x[0] - '0') + (x[1] - '0'); };
    if (s[std::string_view("2006-01-02T").size() + 1] == ':') {
      pe = {"15", std::string(s.substr(11, 1)), ": hour must have two digits"};
    } else if (s[19] == ',') {
      pe = {".", ",", ": sub-second separator must be a period"};
    } else if (s.back() != 'Z') {
      if (num2(s.substr(s.size() - 5)) >= 24) {
        pe = {"Z07:00", std::string(s.substr(s.size() - 6)), ": timezone hour out of range"};
      } else if (num2(s.substr(s.size() - 2)) >= 60) {
        pe = {"Z07:00", std::string(s.substr(s.size() - 6)), ": timezone minute out of range"};
      } else {
        return lenient;
      }
    } else {
      pe = {"2006-01-02T15:04:05Z07:00", ts, ""};
    }
  }
  if (pe.layout_elem.empty() && pe.value_elem.empty() && !pe.message.empty()) {
    *error = "not a valid RFC3339 timestamp" + pe.message;
    return std::nullopt;
  }
  std::string what;
  const std::string& le = pe.layout_elem;
  if (le == "2006")
    what = "year";
  else if (le == "01")
    what = "month";
  else if (le == "02")
    what = "day of month";
  else if (le == "15")
    what = "hour";
  else if (le == "04")
    what = "minute";
  else if (le == "05")
    what = "second";
  else if (le == "Z07:00")
    what = "UTC offset";
  else if (le == "T") {
    *error = "not a valid RFC3339 timestamp: missing required time introducer 'T'";
    return std::nullopt;
  } else if (le == ":" || le == "-") {
    if (pe.value_elem.empty()) {
      *error =
          "not a valid RFC3339 timestamp: end of string where " + go_quote(le) + " is expected";
    } else {
      *error = "not a valid RFC3339 timestamp: found " + go_quote(pe.value_elem) + " where " +
               go_quote(le) + " is expected";
    }
    return std::nullopt;
  } else {
    what = "timestamp segment";
  }
  if (pe.value_elem.empty()) {
    *error = "not a valid RFC3339 timestamp: end of string before " + what;
  } else if (what == "hour" && pe.value_elem.find(':') != std::string::npos) {
    *error = "not a valid RFC3339 timestamp: hour must be between 0 and 23 inclusive";
  } else if (what == "hour" && pe.value_elem.size() != 2) {
    *error = "not a valid RFC3339 timestamp: hour must have exactly two digits";
  } else if (what == "minute" && pe.value_elem.size() != 2) {
    *error = "not a valid RFC3339 timestamp: minute must have exactly two digits";
  } else {
    *error = "not a valid RFC3339 timestamp: cannot use " + go_quote(pe.value_elem) + " as " + what;
  }
  return std::nullopt;
}

// --- Go's time.ParseDuration ---------------------------------------------------

std::optional<int64_t> parse_duration(const std::string& orig, std::string* error) {
  std::string_view s = orig;
  auto invalid = [&]() {
    *error = "time: invalid duration " + go_quote(orig);
    return std::nullopt;
  };
  uint64_t d = 0;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  if (s.empty()) return invalid();
  while (!s.empty()) {
    uint64_t v = 0, f = 0;
    double scale = 1;
    if (!(s[0] == '.' || (s[0] >= '0' && s[0] <= '9'))) return invalid();
    size_t pl = s.size();
    bool overflow = false;
    size_t i = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (v > (uint64_t(1) << 63) / 10) overflow = true;
      v = v * 10 + uint64_t(s[i] - '0');
      if (v > (uint64_t(1) << 63)) overflow = true;
      ++i;
    }
    if (overflow) return invalid();
    s.remove_prefix(i);
    bool pre = pl != s.size();
    bool post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      size_t pl2 = s.size();
      size_t j = 0;
      bool of = false;
      while (j < s.size() && s[j] >= '0' && s[j] <= '9') {
        if (!of) {
          if (f > (uint64_t(1) << 63) / 10) {
            of = true;
          } else {
            uint64_t y = f * 10 + uint64_t(s[j] - '0');
            if (y > (uint64_t(1) << 63)) {
              of = true;
            } else {
              f = y;
              scale *= 10;
            }
          }
        }
        ++j;
      }
      s.remove_prefix(j);
      post = pl2 != s.size();
    }
    if (!pre && !post) return invalid();
    size_t u = 0;
    while (u < s.size() && s[u] != '.' && !(s[u] >= '0' && s[u] <= '9')) ++u;
    if (u == 0) {
      *error = "time: missing unit in duration " + go_quote(orig);
      return std::nullopt;
    }
    std::string_view unit = s.substr(0, u);
    s.remove_prefix(u);
    uint64_t mult;
    if (unit == "ns")
      mult = 1;
    else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs")
      mult = 1000;
    else if (unit == "ms")
      mult = 1000000;
    else if (unit == "s")
      mult = 1000000000ULL;
    else if (unit == "m")
      mult = 60ULL * 1000000000ULL;
    else if (unit == "h")
      mult = 3600ULL * 1000000000ULL;
    else {
      *error = "time: unknown unit " + go_quote(unit) + " in duration " + go_quote(orig);
      return std::nullopt;
    }
    if (v > (uint64_t(1) << 63) / mult) return invalid();
    v *= mult;
    if (f > 0) {
      v += static_cast<uint64_t>(static_cast<double>(f) * (static_cast<double>(mult) / scale));
      if (v > (uint64_t(1) << 63)) return invalid();
    }
    d += v;
    if (d > (uint64_t(1) << 63)) return invalid();
  }
  if (neg) return -static_cast<int64_t>(d);
  if (d > static_cast<uint64_t>(INT64_MAX)) return invalid();
  return static_cast<int64_t>(d);
}

Time add_duration(Time t, int64_t ns) {
  int64_t secs = ns / 1000000000;
  int64_t rem = ns % 1000000000;
  t.unix += secs;
  t.nsec += rem;
  if (t.nsec >= 1000000000) {
    t.nsec -= 1000000000;
    ++t.unix;
  } else if (t.nsec < 0) {
    t.nsec += 1000000000;
    --t.unix;
  }
  return t;
}

constexpr const char* kRFC3339 = "2006-01-02T15:04:05Z07:00";

Time now_utc() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now).count();
  Time t;
  t.unix = floor_div(ns, 1000000000);
  t.nsec = ns - t.unix * 1000000000;
  t.zone_name = "UTC";
  return t;
}

// formatdate's tokens.
bool is_verb_char(char b) {
  return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
}

std::optional<std::string> format_date(const std::string& f, const Time& t, FunctionError* err) {
  std::string buf;
  Time::Civil c = t.civil();
  size_t i = 0;
  while (i < f.size()) {
    // split one token
    size_t start = i;
    std::string_view tok;
    if (f[i] == '\'') {
      if (i + 1 < f.size() && f[i + 1] == '\'') {
        i += 2;
      } else {
        size_t j = i + 1;
        bool closed = false;
        for (; j < f.size(); ++j) {
          if (f[j] == '\'') {
            if (j + 1 < f.size() && f[j + 1] == '\'') {
              ++j;
              continue;
            }
            closed = true;
            break;
          }
        }
        i = closed ? j + 1 : f.size();
      }
      tok = std::string_view(f).substr(start, i - start);
      if (tok.back() != '\'' || tok.size() == 1) {
        return fail(err, "unterminated literal '", 0);
      }
      if (tok.size() == 2) {
        buf += '\'';
      } else {
        std::string_view raw = tok.substr(1, tok.size() - 2);
        for (size_t k = 0; k < raw.size(); ++k) {
          buf += raw[k];
          if (raw[k] == '\'') ++k;
        }
      }
      continue;
    }
    if (!is_verb_char(f[i])) {
      size_t j = i + 1;
      while (j < f.size() && f[j] != '\'' && !is_verb_char(f[j])) ++j;
      buf.append(f, i, j - i);
      i = j;
      continue;
    }
    size_t j = i + 1;
    while (j < f.size() && f[j] == f[i]) ++j;
    tok = std::string_view(f).substr(i, j - i);
    i = j;
    size_t n = tok.size();
    auto bad = [&](const std::string& why) {
      std::string msg = "invalid date format verb " + go_quote(tok);
      if (!why.empty()) msg += ": " + why;
      return fail(err, msg, 0);
    };
    switch (tok[0]) {
      case 'Y':
        if (n == 2)
          buf += pad(((c.year % 100) + 100) % 100, 2);
        else if (n == 4)
          buf += pad(c.year, 4);
        else
          return bad("year must either be \"YY\" or \"YYYY\"");
        break;
      case 'M':
        if (n == 1)
          buf += std::to_string(c.month);
        else if (n == 2)
          buf += pad(c.month, 2);
        else if (n == 3)
          buf += std::string(kMonths[c.month - 1]).substr(0, 3);
        else if (n == 4)
          buf += kMonths[c.month - 1];
        else
          return bad("month must be \"M\", \"MM\", \"MMM\", or \"MMMM\"");
        break;
      case 'D':
        if (n == 1)
          buf += std::to_string(c.day);
        else if (n == 2)
          buf += pad(c.day, 2);
        else
          return bad("day of month must either be \"D\" or \"DD\"");
        break;
      case 'E':
        if (n == 3)
          buf += std::string(kDays[c.weekday]).substr(0, 3);
        else if (n == 4)
          buf += kDays[c.weekday];
        else
          return bad("day of week must either be \"EEE\" or \"EEEE\"");
        break;
      case 'h':
        if (n == 1)
          buf += std::to_string(c.hour);
        else if (n == 2)
          buf += pad(c.hour, 2);
        else
          return bad("24-hour must either be \"h\" or \"hh\"");
        break;
      case 'H': {
        int h = c.hour % 12;
        if (h == 0) h = 12;
        if (n == 1)
          buf += std::to_string(h);
        else if (n == 2)
          buf += pad(h, 2);
        else
          return bad("12-hour must either be \"H\" or \"HH\"");
        break;
      }
      case 'A':
      case 'a': {
        if (n != 2) {
          std::string l(1, tok[0]);
          return bad("must be \"" + l + l + "\"");
        }
        bool upper = tok[0] == 'A';
        if (c.hour / 12 == 0)
          buf += upper ? "AM" : "am";
        else
          buf += upper ? "PM" : "pm";
        break;
      }
      case 'm':
        if (n == 1)
          buf += std::to_string(c.min);
        else if (n == 2)
          buf += pad(c.min, 2);
        else
          return bad("minute must either be \"m\" or \"mm\"");
        break;
      case 's':
        if (n == 1)
          buf += std::to_string(c.sec);
        else if (n == 2)
          buf += pad(c.sec, 2);
        else
          return bad("second must either be \"s\" or \"ss\"");
        break;
      case 'Z':
        if (n == 1) {
          buf += go_format(t, "Z07:00");
        } else if (n == 3) {
          std::string s = go_format(t, "-0700");
          buf += s == "+0000" ? "UTC" : s;
        } else if (n == 4) {
          buf += go_format(t, "-0700");
        } else if (n == 5) {
          buf += go_format(t, "-07:00");
        } else {
          return bad("timezone must be Z, ZZZZ, or ZZZZZ");
        }
        break;
      default:
        return bad("");
    }
  }
  return buf;
}

// jehiah/go-strftime: each "%x" becomes a Go layout element, then the
// whole is formatted as a Go layout.
std::string strftime_layout(const std::string& format) {
  static const std::map<char, const char*> conv = {
      {'B', "January"}, {'b', "Jan"}, {'m', "01"}, {'A', "Monday"}, {'a', "Mon"},
      {'d', "02"},      {'H', "15"},  {'I', "03"}, {'M', "04"},     {'S', "05"},
      {'Y', "2006"},    {'y', "06"},  {'p', "PM"}, {'Z', "MST"},    {'z', "-0700"}};
  std::string layout;
  size_t i = 0;
  while (i <= format.size()) {
    size_t j = format.find('%', i);
    if (j == std::string::npos) j = format.size();
    std::string chunk = format.substr(i, j - i);
    i = j + 1;
    if (chunk.empty()) continue;
    auto it = conv.find(chunk[0]);
    if (it != conv.end()) {
      layout += it->second;
      layout += chunk.substr(1);
    } else {
      layout += "%" + chunk;
    }
  }
  return layout;
}

Value time_object(const Time& t, bool with_unix) {
  Time::Civil c = t.civil();
  auto [iy, iw] = t.iso_week();
  std::map<std::string, Value> m = {
      {"year", Value::number(c.year)},
      {"year_day", Value::number(int64_t{c.yday})},
      {"day", Value::number(int64_t{c.day})},
      {"month", Value::number(int64_t{c.month})},
      {"month_name", Value::string(kMonths[c.month - 1])},
      {"weekday", Value::number(int64_t{c.weekday})},
      {"weekday_name", Value::string(kDays[c.weekday])},
      {"hour", Value::number(int64_t{c.hour})},
      {"minute", Value::number(int64_t{c.min})},
      {"second", Value::number(int64_t{c.sec})},
      {"iso_year", Value::number(iy)},
      {"iso_week", Value::number(int64_t{iw})},
  };
  if (with_unix) {
    m["unix"] = Value::number(t.unix);
  } else {
    m["rfc3339"] = Value::string(go_format(t, kRFC3339));
  }
  return Value::object(std::move(m));
}

Type time_object_type(bool with_unix) {
  std::map<std::string, Type> m = {
      {"year", Type::number()},         {"year_day", Type::number()},
      {"day", Type::number()},          {"month", Type::number()},
      {"month_name", Type::string()},   {"weekday", Type::number()},
      {"weekday_name", Type::string()}, {"hour", Type::number()},
      {"minute", Type::number()},       {"second", Type::number()},
      {"iso_year", Type::number()},     {"iso_week", Type::number()},
  };
  if (with_unix) {
    m["unix"] = Type::number();
  } else {
    m["rfc3339"] = Type::string();
  }
  return Type::object(std::move(m));
}

Time init_time(const FuncsOptions& opts) {
  if (opts.init_time_unix_nanos) {
    Time t;
    t.unix = floor_div(*opts.init_time_unix_nanos, 1000000000);
    t.nsec = *opts.init_time_unix_nanos - t.unix * 1000000000;
    t.zone_name = "UTC";
    return t;
  }
  static const Time process_start = now_utc();
  return process_start;
}

}  // namespace

void register_datetime(FuncMap& m, const FuncsOptions& opts) {
  m["formatdate"] =
      make_function({param("format", Type::string()), param("time", Type::string())}, std::nullopt,
                    static_type(Type::string()),
                    [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
                      std::string e;
                      auto t = parse_timestamp(a[1].as_string(), &e);
                      if (!t) return fail(err, e, 1);
                      auto s = format_date(a[0].as_string(), *t, err);
                      if (!s) return std::nullopt;
                      return Value::string(std::move(*s));
                    });
  m["timeadd"] =
      make_function({param("timestamp", Type::string()), param("duration", Type::string())},
                    std::nullopt, static_type(Type::string()),
                    [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
                      std::string e;
                      auto t = parse_timestamp(a[0].as_string(), &e);
                      if (!t) return fail(err, e);
                      auto d = parse_duration(a[1].as_string(), &e);
                      if (!d) return fail(err, e);
                      return Value::string(go_format(add_duration(*t, *d), kRFC3339));
                    });
  m["timestamp"] =
      make_function({}, std::nullopt, static_type(Type::string()),
                    [](const Args&, const Type&, FunctionError*) -> std::optional<Value> {
                      return Value::string(go_format(now_utc(), kRFC3339));
                    });
  Time start = init_time(opts);
  auto legacy = [start](bool strftime) {
    return make_function(
        {}, param("format", Type::string()), static_type(Type::string()),
        [start, strftime](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
          if (a.size() > 1) {
            std::string list;
            for (size_t i = 0; i < a.size(); ++i) {
              if (i) list += ' ';
              // Go's %v of a cty string value: its struct fields.
              list += "{{{{} 83}} " + a[i].as_string() + "}";
            }
            return fail(err, "too many values, 1 needed: [" + list + "]");
          }
          if (a.empty()) return Value::string(go_format(start, kRFC3339));
          const std::string& f = a[0].as_string();
          return Value::string(go_format(start, strftime ? strftime_layout(f) : f));
        });
  };
  m["legacy_isotime"] = legacy(false);
  m["legacy_strftime"] = legacy(true);

  m["rfc3339_parse"] = make_function(
      {param("timestamp", Type::string())}, std::nullopt, static_type(time_object_type(true)),
      [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
        const std::string& ts = a[0].as_string();
        ParseError pe;
        auto t = go_parse_rfc3339(ts, 'T', true, &pe);
        if (!t) t = go_parse_rfc3339(ts, ' ', true, &pe);
        if (!t) return fail(err, go_quote(ts) + " is not a valid RFC3339 timestamp", 0);
        return time_object(*t, true);
      });
  m["unix_timestamp_parse"] = make_function(
      {param("unix_timestamp", Type::number())}, std::nullopt, static_type(time_object_type(false)),
      [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
        std::string e;
        auto ts = to_int(a[0], &e);
        if (!ts) {
          return fail(err,
                      "unix_timestamp must be a whole number of seconds representable as a "
                      "64-bit integer: " +
                          e,
                      0);
        }
        Time t;
        t.unix = *ts;
        t.zone_name = "UTC";
        return time_object(t, false);
      });
}

}  // namespace kiln::funcs
