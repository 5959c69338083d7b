// cidr functions against Packer 1.6.6 (testdata/oracle/network.txt).
#include "funcs/funcs_test_util.h"

namespace kiln::funcs::testing {
namespace {

const Case kOracle[] = {
#include "funcs/testdata/oracle/network.inc"
};

TEST(Network, MatchesPacker166) {
  run_cases(kOracle, std::size(kOracle));
}

}  // namespace
}  // namespace kiln::funcs::testing
