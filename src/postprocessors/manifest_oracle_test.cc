// The manifest against Packer 1.6.6 itself (Debian's packer, installed by
// scripts/install-deps.sh): two `packer build` runs of a null build append
// two entries; kiln given the same inputs must write the same bytes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "provisioners/test_support.h"

namespace kiln::pp {
namespace {

using hcl::Value;
using prov::testing::config;
using prov::testing::RecordingUi;
using prov::testing::str;
using prov::testing::strmap;
namespace fs = std::filesystem;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ManifestOracle, SameBytesAsPacker166) {
  if (access("/usr/bin/packer", X_OK) != 0) {
    if (const char* ci = std::getenv("CI"); ci && std::string(ci) == "true")
      FAIL() << "/usr/bin/packer is missing (scripts/install-deps.sh installs it)";
    GTEST_SKIP() << "no /usr/bin/packer";
  }
  char tmpl[] = "/tmp/kiln-pp-oracle-XXXXXX";
  ASSERT_TRUE(mkdtemp(tmpl));
  std::string dir = tmpl;
  std::ofstream(dir + "/t.pkr.hcl") << "source \"null\" \"a\" { communicator = \"none\" }\n"
                                       "build {\n"
                                       "  sources = [\"source.null.a\"]\n"
                                       "  post-processor \"manifest\" {\n"
                                       "    output = \"packer.json\"\n"
                                       "    strip_time = true\n"
                                       "    custom_data = { z = \"<&>\", a = \"ü\\\"q\" }\n"
                                       "  }\n"
                                       "}\n";
  std::string cmd = "cd '" + dir + "' && CHECKPOINT_DISABLE=1 HOME='" + dir +
                    "' /usr/bin/packer build t.pkr.hcl > packer.log 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << slurp(dir + "/packer.log");
  ASSERT_EQ(std::system(cmd.c_str()), 0) << slurp(dir + "/packer.log");
  std::string want = slurp(dir + "/packer.json");
  auto j = nlohmann::json::parse(want);
  ASSERT_EQ(j["builds"].size(), 2u);

  engine::BuildInfo info;
  info.build_name = "a";
  info.builder_type = "null";
  engine::Artifact in;
  in.builder_id = "fnoeding.null";
  in.id = "Null";  // the null builder's artifact id
  for (int run = 0; run < 2; ++run) {
    info.run_uuid = j["builds"][run]["packer_run_uuid"];
    auto p = engine::make_post_processor("manifest");
    ASSERT_TRUE(p->prepare(config(tmpl::PluginKind::PostProcessor, "manifest",
                                  {{"output", str(dir + "/kiln.json")},
                                   {"strip_time", Value::boolean(true)},
                                   {"custom_data", strmap({{"z", "<&>"}, {"a", "ü\"q"}})}}),
                           info));
    RecordingUi ui;
    engine::Artifact out;
    bool keep, force_keep;
    engine::Cancel cancel;
    ASSERT_TRUE(p->post_process(ui, info, in, out, keep, force_keep, cancel));
  }
  EXPECT_EQ(slurp(dir + "/kiln.json"), want);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace kiln::pp
