// regex, regexall, regex_replace and replace against go-cty's stdlib
// (testdata/oracle/regex.txt, recorded with the hcl+cty Go helper; the
// functions are not in Packer 1.6.6 except regex_replace and replace).
#include "funcs/funcs_test_util.h"

namespace kiln::funcs::testing {
namespace {

const Case kOracle[] = {
#include "funcs/testdata/oracle/regex.inc"
};

TEST(Regex, MatchesGoCty) {
  run_cases(kOracle, std::size(kOracle));
}

// Go 1.22+ (Packer 1.16's toolchain) accepts (?<name>...); Go rejects \C,
// which RE2 alone would accept.
const Case kGo122[] = {
    {"regex(\"(?<x>a)\", \"a\")", "{\"x\":\"a\"}"},
    {"regex(\"[(?<]x\", \"<x\")", "\"\\u003cx\""},
    {"regex(\"(?<=a)b\", \"ab\")",
     "ERR: Invalid value for \"pattern\" parameter: invalid regexp pattern: invalid or "
     "unsupported Perl syntax in (?<."},
    {"regex(\"\\\\C\", \"a\")",
     "ERR: Invalid value for \"pattern\" parameter: invalid regexp pattern: invalid escape "
     "sequence in \\C."},
    {"regex_replace(\"a\", \"\\\\C\", \"b\")",
     "ERR: Call to function \"regex_replace\" failed: error parsing regexp: invalid escape "
     "sequence: `\\C`."},
};

TEST(Regex, Go122Syntax) {
  run_cases(kGo122, std::size(kGo122));
}

const Case kReplace[] = {
    // Packer's replace is cty's plain substring replace: "/re/" is not a
    // regular expression (verified on Packer 1.6.6).
    {"replace(\"hello\", \"/l+/\", \"L\")", "\"hello\""},
    {"replace(\"a/l+/b\", \"/l+/\", \"L\")", "\"aLb\""},
};

TEST(Regex, ReplaceIsLiteral) {
  run_cases(kReplace, std::size(kReplace));
}

}  // namespace
}  // namespace kiln::funcs::testing
