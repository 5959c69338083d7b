#include "provisioners/build_context.h"

#include <gtest/gtest.h>

namespace kiln::prov {
namespace {

TEST(BuildContext, PackerEnvSortedEscapedEnvWins) {
  engine::BuildInfo info;
  info.build_name = "nixos";
  info.builder_type = "hcloud";
  auto vars = packer_env(info, {"ZED=1", "A=it's", "B=a=b", "C=old"}, {{"C", "new"}});
  // The default execute_command's {{.Vars}}, byte for byte as Packer's.
  EXPECT_EQ(flatten_env(vars, "%s='%s' "),
            "A='it'\"'\"'s' B='a=b' C='new' PACKER_BUILDER_TYPE='hcloud' "
            "PACKER_BUILD_NAME='nixos' ZED='1' ");
  EXPECT_EQ(flatten_env({{"K", "v"}}, "export %s='%s'\n"), "export K='v'\n");
}

TEST(BuildContext, HttpAddrSplitsIntoIpAndPort) {
  engine::BuildInfo info;
  info.http_addr = "10.0.0.2:8123";
  auto vars = packer_env(info, {}, {});
  EXPECT_EQ(vars["PACKER_HTTP_ADDR"], "10.0.0.2:8123");
  EXPECT_EQ(vars["PACKER_HTTP_IP"], "10.0.0.2");
  EXPECT_EQ(vars["PACKER_HTTP_PORT"], "8123");
  engine::BuildInfo none;
  EXPECT_EQ(packer_env(none, {}, {}).count("PACKER_HTTP_ADDR"), 0u);
}

TEST(BuildContext, GoSprintfLikeGo) {
  EXPECT_EQ(go_sprintf_s("%s=%s;", {"a", "b"}), "a=b;");
  EXPECT_EQ(go_sprintf_s("%s %s %%", {"a"}), "a %!s(MISSING) %");
  EXPECT_EQ(go_sprintf_s("%s", {"a", "b"}), "a%!(EXTRA string=b)");
}

}  // namespace
}  // namespace kiln::prov
