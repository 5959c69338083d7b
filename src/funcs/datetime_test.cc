// Date and time functions. formatdate/timeadd cases were recorded from
// go-cty's stdlib (testdata/oracle/datetime.txt); the strict RFC 3339
// checks of go-cty 1.13 (Packer 1.16) and Packer's own functions are
// written from their source.
#include "funcs/funcs_test_util.h"

#include <regex>

namespace kiln::funcs::testing {
namespace {

const Case kOracle[] = {
#include "funcs/testdata/oracle/datetime.inc"
};

TEST(Datetime, MatchesGoCty) {
  run_cases(kOracle, std::size(kOracle));
}

const Case kStrict[] = {
    {"formatdate(\"YYYY\", \"2018-01-02T25:12:01Z\")",
     "ERR: Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: hour must be "
     "between 0 and 23 inclusive."},
    {"formatdate(\"YYYY\", \"2018-01-02T23:1:01Z\")",
     "ERR: Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: minute must "
     "have exactly two digits."},
    {"formatdate(\"YYYY\", \"2018-01-02T2:12:01Z\")",
     "ERR: Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: hour must have "
     "exactly two digits."},
    {"formatdate(\"YYYY\", \"2018-01-02T23:12:01,5Z\")",
     "ERR: Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: cannot use \",\" "
     "as timestamp segment."},
    {"formatdate(\"YYYY\", \"2018-01-02T23:12:01+24:00\")",
     "ERR: Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: cannot use "
     "\"+24:00\" as UTC offset."},
    {"formatdate(\"YYYY\", \"2018-01-02T23:12:01+25:00\")",
     "ERR: Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: end of string "
     "before UTC offset."},
    {"formatdate(\"YYYY\", \"2018-01-02T23:12:01+05:61\")",
     "ERR: Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: end of string "
     "before UTC offset."},
    {"rfc3339_parse(\"2023-07-25T23:43:16Z\")",
     "{\"day\":25,\"hour\":23,\"iso_week\":30,\"iso_year\":2023,\"minute\":43,\"month\":7,"
     "\"month_name\":\"July\",\"second\":16,\"unix\":1690328596,\"weekday\":2,\"weekday_name\":"
     "\"Tuesday\",\"year\":2023,\"year_day\":206}"},
    {"rfc3339_parse(\"2021-01-01 10:00:00.5+02:00\")",
     "{\"day\":1,\"hour\":10,\"iso_week\":53,\"iso_year\":2020,\"minute\":0,\"month\":1,"
     "\"month_name\":\"January\",\"second\":0,\"unix\":1609488000,\"weekday\":5,\"weekday_name\":"
     "\"Friday\",\"year\":2021,\"year_day\":1}"},
    {"rfc3339_parse(\"2023-07-25\")",
     "ERR: Invalid value for \"timestamp\" parameter: \"2023-07-25\" is not a valid RFC3339 "
     "timestamp."},
    {"unix_timestamp_parse(1690328596)",
     "{\"day\":25,\"hour\":23,\"iso_week\":30,\"iso_year\":2023,\"minute\":43,\"month\":7,"
     "\"month_name\":\"July\",\"rfc3339\":\"2023-07-25T23:43:16Z\",\"second\":16,\"weekday\":2,"
     "\"weekday_name\":\"Tuesday\",\"year\":2023,\"year_day\":206}"},
    {"unix_timestamp_parse(-1)",
     "{\"day\":31,\"hour\":23,\"iso_week\":1,\"iso_year\":1970,\"minute\":59,\"month\":12,"
     "\"month_name\":\"December\",\"rfc3339\":\"1969-12-31T23:59:59Z\",\"second\":59,"
     "\"weekday\":3,\"weekday_name\":\"Wednesday\",\"year\":1969,\"year_day\":365}"},
    {"unix_timestamp_parse(1.5)",
     "ERR: Invalid value for \"unix_timestamp\" parameter: unix_timestamp must be a whole number "
     "of seconds representable as a 64-bit integer: value must be a whole number, between "
     "-9223372036854775808 and 9223372036854775807."},
};

TEST(Datetime, Packer116) {
  run_cases(kStrict, std::size(kStrict));
}

TEST(Datetime, LegacyIsotimeAndStrftime) {
  FuncsOptions o;
  // 2006-01-02T15:04:05.123456789Z, a Monday.
  o.init_time_unix_nanos = int64_t{1136214245} * 1000000000 + 123456789;
  hcl::EvalContext ctx;
  ctx.functions = packer_functions(o);
  const Case cases[] = {
      {"legacy_isotime()", "\"2006-01-02T15:04:05Z\""},
      {"legacy_isotime(\"2006-01-02\")", "\"2006-01-02\""},
      {"legacy_isotime(\"Mon Jan _2 3:04PM MST .000 .999 -07:00 Z07:00\")",
       "\"Mon Jan  2 3:04PM UTC .123 .123 +00:00 Z\""},
      {"legacy_isotime(\"January Monday 002 __2 06 pm .999999999\")",
       "\"January Monday 002   2 06 pm .123456789\""},
      {"legacy_isotime(\"a\", \"b\")",
       "ERR: Call to function \"legacy_isotime\" failed: too many values, 1 needed: "
       "[{{{{} 83}} a} {{{{} 83}} b}]."},
      {"legacy_strftime()", "\"2006-01-02T15:04:05Z\""},
      {"legacy_strftime(\"%Y-%m-%d %H:%M:%S\")", "\"2006-01-02 15:04:05\""},
      {"legacy_strftime(\"%a %A %b %B %I%p %y %Z %z %q\")",
       "\"Mon Monday Jan January 03PM 06 UTC +0000 %q\""},
  };
  run_cases(cases, std::size(cases), ctx);
}

TEST(Datetime, TimestampIsCurrentUtc) {
  std::string got = eval_outcome("timestamp()", test_context());
  EXPECT_TRUE(std::regex_match(got, std::regex("\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\"")))
      << got;
}

}  // namespace
}  // namespace kiln::funcs::testing
