// numeric, string and format functions against Packer 1.6.6's console
// (testdata/oracle/numeric_string.txt, recorded with oracle.py).
#include "funcs/funcs_test_util.h"

namespace kiln::funcs::testing {
namespace {

const Case kOracle[] = {
#include "funcs/testdata/oracle/numeric_string.inc"
};

TEST(NumericString, MatchesPacker166) {
  run_cases(kOracle, std::size(kOracle));
}

// Functions newer than 1.6.6 (sum 1.13, startswith/endswith 1.13,
// strcontains 1.12): expectations from Packer 1.16's source.
const Case kNewer[] = {
    {"sum([1, 2, 3.5])", "6.5"},
    {"sum([])", "ERR: Invalid value for \"list\" parameter: cannot sum an empty list."},
    {"sum([\"1\", 2])", "3"},
    {"sum([\"a\", 2])",
     "ERR: Invalid value for \"list\" parameter: argument must be list, set, or tuple of number "
     "values."},
    {"sum({a=1})",
     "ERR: Invalid value for \"list\" parameter: argument must be list, set, or tuple. Received "
     "object."},
    {"sum(1)", "ERR: Invalid value for \"list\" parameter: cannot sum noniterable."},
    {"startswith(\"hello\", \"he\")", "true"},
    {"startswith(\"hello\", \"lo\")", "false"},
    {"endswith(\"hello\", \"lo\")", "true"},
    {"endswith(\"hello\", \"he\")", "false"},
    {"strcontains(\"hello\", \"ll\")", "true"},
    {"strcontains(\"hello\", \"x\")", "false"},
};

TEST(NumericString, NewerFunctions) {
  run_cases(kNewer, std::size(kNewer));
}

}  // namespace
}  // namespace kiln::funcs::testing

namespace kiln::funcs::testing {
namespace {

// Unicode handling (case mapping, grapheme clusters, Go's unicode.IsSpace)
// against Packer 1.6.6 (testdata/oracle/unicode.txt).
const Case kUnicode[] = {
#include "funcs/testdata/oracle/unicode.inc"
};

TEST(NumericString, UnicodeMatchesPacker166) {
  run_cases(kUnicode, std::size(kUnicode));
}

}  // namespace
}  // namespace kiln::funcs::testing

namespace kiln::funcs::testing {
namespace {

// Number formatting details against go-cty's stdlib
// (testdata/oracle/format.txt, recorded with tools/hcleval.go).
const Case kFormat[] = {
#include "funcs/testdata/oracle/format.inc"
};

TEST(NumericString, FormatMatchesGoCty) {
  run_cases(kFormat, std::size(kFormat));
}

}  // namespace
}  // namespace kiln::funcs::testing
