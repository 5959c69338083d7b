// yamldecode and yamlencode against Packer 1.6.6 (testdata/oracle/yaml.txt).
// Syntax-error messages come from yaml-cpp mapped to libyaml's wording
// where known, so those cases are checked separately and loosely.
#include "funcs/funcs_test_util.h"

namespace kiln::funcs::testing {
namespace {

const Case kOracle[] = {
#include "funcs/testdata/oracle/yaml.inc"
};

TEST(Yaml, MatchesPacker166) {
  run_cases(kOracle, std::size(kOracle));
}

}  // namespace
}  // namespace kiln::funcs::testing
