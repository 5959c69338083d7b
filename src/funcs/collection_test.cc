// Collection functions against Packer 1.6.6's console
// (testdata/oracle/collection.txt), plus the cases where Packer 1.16
// (go-cty 1.13, Packer's own index/length) differs.
#include "funcs/funcs_test_util.h"

namespace kiln::funcs::testing {
namespace {

const Case kOracle[] = {
#include "funcs/testdata/oracle/collection.inc"
};

TEST(Collection, MatchesPacker166) {
  run_cases(kOracle, std::size(kOracle));
}

// Sets, structural types and mixed element types (testdata/oracle/
// collection2.txt; setunion(list) stands in for toset, which Packer lacks).
const Case kOracle2[] = {
#include "funcs/testdata/oracle/collection2.inc"
};

TEST(Collection, StructuralMatchesPacker166) {
  run_cases(kOracle2, std::size(kOracle2));
}

const Case kPacker116[] = {
    // go-cty 1.13 messages and checks.
    {"chunklist([\"a\"], 1.5)",
     "ERR: Call to function \"chunklist\" failed: invalid size: value must be a whole number, "
     "between -9223372036854775808 and 9223372036854775807."},
    {"element([\"a\", \"b\", \"c\"], -1)",
     "ERR: Call to function \"element\" failed: cannot use element function with a negative "
     "index."},
    {"merge()", "{}"},
    {"range(1, 2, 0)", "ERR: Invalid value for \"params\" parameter: step must not be zero."},
    // Packer's index(list, value) since 1.7.3.
    {"index([\"a\", \"b\", \"c\"], \"b\")", "1"},
    {"index([\"a\", 1], 1)", "1"},
    {"index([\"a\", \"b\"], \"z\")", "ERR: Call to function \"index\" failed: item not found."},
    {"index([], \"z\")", "ERR: Call to function \"index\" failed: cannot search an empty list."},
    {"index({a=1}, 1)",
     "ERR: Call to function \"index\" failed: argument must be a list or tuple."},
    {"alltrue([true, true])", "true"},
    {"alltrue([true, false])", "false"},
    {"alltrue([])", "true"},
    {"alltrue([\"true\"])", "true"},
    {"alltrue([1])", "ERR: Invalid value for \"list\" parameter: element 0: bool required."},
    {"anytrue([false, true])", "true"},
    {"anytrue([])", "false"},
    {"anytrue([false])", "false"},
};

TEST(Collection, Packer116) {
  run_cases(kPacker116, std::size(kPacker116));
}

}  // namespace
}  // namespace kiln::funcs::testing
