// The checksum post-processor, its files verified by coreutils' *sum -c.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "provisioners/test_support.h"

namespace kiln::pp {
namespace {

using hcl::Value;
using prov::testing::config;
using prov::testing::RecordingUi;
using prov::testing::str;
using prov::testing::strs;
namespace fs = std::filesystem;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class ChecksumTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/kiln-pp-test-XXXXXX";
    ASSERT_TRUE(mkdtemp(tmpl));
    dir_ = tmpl;
    fs::create_directories(dir_ + "/art");
    std::ofstream(dir_ + "/art/disk.raw") << std::string(3 << 20, 'k') << "tail";
    std::ofstream(dir_ + "/art/empty");
    in_.builder_id = "x";
    in_.files = {dir_ + "/art/disk.raw", dir_ + "/art/empty"};
    info_.build_name = "a";
    info_.builder_type = "null";
  }
  void TearDown() override { fs::remove_all(dir_); }

  engine::Status run(const std::map<std::string, Value>& opts, engine::Artifact& out) {
    auto p = engine::make_post_processor("checksum");
    auto s = p->prepare(config(tmpl::PluginKind::PostProcessor, "checksum", opts), info_);
    if (!s) return s;
    RecordingUi ui;
    bool keep = false, force_keep = false;
    s = p->post_process(ui, info_, in_, out, keep, force_keep, cancel_);
    EXPECT_TRUE(keep);
    EXPECT_TRUE(force_keep);
    return s;
  }

  std::string dir_;
  engine::BuildInfo info_;
  engine::Artifact in_;
  engine::Cancel cancel_;
};

TEST_F(ChecksumTest, EveryTypeVerifiesWithCoreutils) {
  engine::Artifact out;
  std::vector<std::string> types = {"md5", "sha1", "sha224", "sha256", "sha384", "sha512"};
  auto s =
      run({{"checksum_types", strs(types)},
           {"output", str(dir_ + "/art/{{.BuildName}}_{{.BuilderType}}_{{.ChecksumType}}.sum")}},
          out);
  ASSERT_TRUE(s) << s.message();
  ASSERT_EQ(out.files.size(), types.size());
  for (size_t i = 0; i < types.size(); ++i) {
    std::string f = dir_ + "/art/a_null_" + types[i] + ".sum";
    EXPECT_EQ(out.files[i], f);
    std::string text = slurp(f);
    EXPECT_NE(text.find("\tdisk.raw\n"), std::string::npos) << text;
    // The lines name files by base name, so check from their directory.
    std::string cmd = "cd '" + dir_ + "/art' && " + types[i] + "sum --quiet -c '" + f + "'";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd << "\n" << text;
  }
  EXPECT_EQ(out.builder_id, "packer.post-processor.checksum");
  EXPECT_EQ(out.description.rfind("Created artifact from files: " + out.files[0] + ", ", 0), 0u);
  // Packer's line format, "%x\t%s\n": hex digest, tab, base name.
  std::string md5 = slurp(dir_ + "/art/a_null_md5.sum");
  ASSERT_EQ(md5.size(), 32u + 10 + 32 + 7) << md5;
  EXPECT_EQ(md5.find_first_not_of("0123456789abcdef"), 32u);
  EXPECT_EQ(md5.substr(32, 10), "\tdisk.raw\n");
  EXPECT_NE(slurp(dir_ + "/art/a_null_md5.sum").find("d41d8cd98f00b204e9800998ecf8427e\tempty\n"),
            std::string::npos);
}

TEST_F(ChecksumTest, DefaultsMd5AndPackersFileNameAppending) {
  std::string cwd = fs::current_path();
  fs::current_path(dir_);
  engine::Artifact out;
  auto s = run({}, out);
  engine::Artifact out2;
  auto s2 = run({}, out2);
  fs::current_path(cwd);
  ASSERT_TRUE(s) << s.message();
  ASSERT_TRUE(s2) << s2.message();
  ASSERT_EQ(out.files, std::vector<std::string>{"packer_a_null_md5.checksum"});
  std::string text = slurp(dir_ + "/packer_a_null_md5.checksum");
  // Appended, as Packer opens it O_APPEND: two runs, four lines.
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4) << text;
}

TEST_F(ChecksumTest, OutputDirectoriesAreCreatedAndUnknownTypesRejected) {
  engine::Artifact out;
  ASSERT_TRUE(run({{"output", str(dir_ + "/new/dir/{{.ChecksumType}}.txt")}}, out));
  EXPECT_TRUE(fs::exists(dir_ + "/new/dir/md5.txt"));
  auto s = run({{"checksum_types", strs({"crc32"})}}, out);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), "1 error occurred:\n\t* Unrecognized checksum type: crc32\n\n");
}

TEST_F(ChecksumTest, AnArtifactWithoutFilesGivesAnEmptyOne) {
  // As Packer 1.6.6 prints for the null builder (verified).
  in_.files.clear();
  engine::Artifact out;
  ASSERT_TRUE(run({{"output", str(dir_ + "/x.sum")}}, out));
  EXPECT_TRUE(out.files.empty());
  EXPECT_EQ(out.description, "Created artifact from files: ");
  EXPECT_FALSE(fs::exists(dir_ + "/x.sum"));
}

TEST(ShellLocalPostProcessor, RunsAndKeepsTheInput) {
  auto p = engine::make_post_processor("shell-local");
  engine::BuildInfo info;
  info.build_name = "a";
  info.builder_type = "null";
  ASSERT_TRUE(p->prepare(config(tmpl::PluginKind::PostProcessor, "shell-local",
                                {{"inline", strs({"echo pp $PACKER_BUILD_NAME"})}}),
                         info));
  RecordingUi ui;
  engine::Artifact in, out;
  in.id = "snap-1";
  bool keep = false, force_keep = false;
  engine::Cancel cancel;
  ASSERT_TRUE(p->post_process(ui, info, in, out, keep, force_keep, cancel));
  EXPECT_EQ(out.id, "snap-1");
  EXPECT_TRUE(keep);
  EXPECT_TRUE(force_keep);
  EXPECT_EQ(ui.of('m'), std::vector<std::string>{"pp a"});
  ASSERT_TRUE(p->prepare(
      config(tmpl::PluginKind::PostProcessor, "shell-local", {{"inline", strs({"exit 2"})}}),
      info));
  EXPECT_FALSE(p->post_process(ui, info, in, out, keep, force_keep, cancel));
}

TEST(Registry, PostProcessorTypes) {
  for (auto t : {"manifest", "checksum", "shell-local"})
    EXPECT_TRUE(engine::make_post_processor(t));
  EXPECT_FALSE(engine::make_post_processor("compress"));
}

}  // namespace
}  // namespace kiln::pp
