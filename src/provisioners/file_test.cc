// The file provisioner against a real sshd on 127.0.0.1: the "remote" side
// is this machine, in a temporary directory.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "provisioners/test_support.h"
#include "ssh/client.h"
#include "ssh/sshd_fixture.h"

namespace kiln::prov {
namespace {

using namespace std::chrono_literals;
using hcl::Value;
using testing::config;
using testing::RecordingUi;
using testing::str;
using testing::strs;
namespace fs = std::filesystem;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
int mode_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 07777);
}

class FileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string err = ssh::testing::ensure_openssh();
    if (!err.empty()) {
      if (ssh::testing::under_ci()) FAIL() << err;
      GTEST_SKIP() << err;
    }
    sshd_ = ssh::testing::Sshd::start({}, &err);
    ASSERT_TRUE(sshd_) << err;
    ssh::Config c;
    c.host = "127.0.0.1";
    c.port = sshd_->port();
    c.auth.user = sshd_->user();
    c.auth.private_key_file = sshd_->client_key();
    auto r = ssh::Client::connect(c);
    ASSERT_TRUE(r) << r.error().to_string();
    client_ = std::move(r).value();
    local_ = dir_.path() + "/local";
    remote_ = dir_.path() + "/remote";
    fs::create_directories(local_);
    fs::create_directories(remote_);
  }
  engine::Status run(const std::map<std::string, Value>& opts, RecordingUi& ui) {
    auto p = engine::make_provisioner("file");
    auto s = p->prepare(config(tmpl::PluginKind::Provisioner, "file", opts), info_);
    if (!s) return s;
    return p->provision(ui, client_.get(), info_, cancel_);
  }
  void write(const std::string& path, const std::string& data, int mode = 0644) {
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << data;
    ::chmod(path.c_str(), static_cast<mode_t>(mode));
  }

  ssh::testing::TempDir dir_;
  std::string local_, remote_;
  std::unique_ptr<ssh::testing::Sshd> sshd_;
  std::unique_ptr<ssh::Client> client_;
  engine::BuildInfo info_;
  engine::Cancel cancel_;
};

TEST_F(FileTest, UploadFileKeepsModeAndTrailingSlashAddsBaseName) {
  write(local_ + "/app.conf", "x=1\n", 0640);
  RecordingUi ui;
  auto s = run({{"source", str(local_ + "/app.conf")}, {"destination", str(remote_ + "/")}}, ui);
  ASSERT_TRUE(s) << s.message() << ui.dump();
  EXPECT_EQ(ui.of('s'),
            std::vector<std::string>{"Uploading " + local_ + "/app.conf => " + remote_ + "/"});
  EXPECT_EQ(slurp(remote_ + "/app.conf"), "x=1\n");
  EXPECT_EQ(mode_of(remote_ + "/app.conf"), 0640);
  // Without the slash the destination is the file's new name.
  RecordingUi ui2;
  s = run({{"source", str(local_ + "/app.conf")}, {"destination", str(remote_ + "/renamed")}}, ui2);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(slurp(remote_ + "/renamed"), "x=1\n");
}

TEST_F(FileTest, UploadDirectoryWithAndWithoutTrailingSlash) {
  write(local_ + "/tree/a.txt", "a");
  write(local_ + "/tree/sub/b.sh", "b", 0755);
  RecordingUi ui;
  ASSERT_TRUE(run({{"source", str(local_ + "/tree")}, {"destination", str(remote_ + "/one")}}, ui));
  EXPECT_EQ(slurp(remote_ + "/one/tree/a.txt"), "a");
  EXPECT_EQ(mode_of(remote_ + "/one/tree/sub/b.sh"), 0755);
  RecordingUi ui2;
  ASSERT_TRUE(
      run({{"source", str(local_ + "/tree/")}, {"destination", str(remote_ + "/two")}}, ui2));
  EXPECT_EQ(slurp(remote_ + "/two/a.txt"), "a");
  EXPECT_EQ(slurp(remote_ + "/two/sub/b.sh"), "b");
  EXPECT_FALSE(fs::exists(remote_ + "/two/tree"));
}

TEST_F(FileTest, SourcesAndContent) {
  write(local_ + "/1", "one");
  write(local_ + "/2", "two");
  RecordingUi ui;
  ASSERT_TRUE(
      run({{"sources", strs({local_ + "/1", local_ + "/2"})}, {"destination", str(remote_ + "/")}},
          ui));
  EXPECT_EQ(slurp(remote_ + "/1"), "one");
  EXPECT_EQ(slurp(remote_ + "/2"), "two");
  EXPECT_EQ(ui.of('s').size(), 2u);
  RecordingUi ui2;
  ASSERT_TRUE(run({{"content", str("hello\n")}, {"destination", str(remote_ + "/c.txt")}}, ui2));
  EXPECT_EQ(slurp(remote_ + "/c.txt"), "hello\n");
  EXPECT_EQ(mode_of(remote_ + "/c.txt"), 0644);
}

TEST_F(FileTest, DownloadCreatesLocalDirectories) {
  write(remote_ + "/log.txt", "log");
  write(remote_ + "/etc/x/y", "y");
  RecordingUi ui;
  std::string dst = local_ + "/out/deeper/";
  auto s = run({{"source", str(remote_ + "/log.txt")},
                {"destination", str(dst)},
                {"direction", str("download")}},
               ui);
  ASSERT_TRUE(s) << s.message() << ui.dump();
  EXPECT_EQ(ui.of('s'), std::vector<std::string>{"Downloading " + remote_ + "/log.txt => " + dst});
  EXPECT_EQ(slurp(dst + "log.txt"), "log");
  RecordingUi ui2;
  s = run({{"source", str(remote_ + "/etc/")},
           {"destination", str(local_ + "/etc-copy")},
           {"direction", str("download")}},
          ui2);
  ASSERT_TRUE(s) << s.message() << ui2.dump();
  EXPECT_EQ(slurp(local_ + "/etc-copy/x/y"), "y");
}

TEST_F(FileTest, DownloadPatternCopiesEveryMatch) {
  write(remote_ + "/logs/a.log", "a");
  write(remote_ + "/logs/b.log", "b");
  write(remote_ + "/logs/c.txt", "c");
  write(remote_ + "/logs/d.log/inner", "i");  // a directory that matches
  RecordingUi ui;
  auto s = run({{"source", str(remote_ + "/logs/*.log")},
                {"destination", str(local_ + "/got")},
                {"direction", str("download")}},
               ui);
  ASSERT_TRUE(s) << s.message() << ui.dump();
  EXPECT_EQ(slurp(local_ + "/got/a.log"), "a");
  EXPECT_EQ(slurp(local_ + "/got/b.log"), "b");
  EXPECT_EQ(slurp(local_ + "/got/d.log/inner"), "i");
  EXPECT_FALSE(fs::exists(local_ + "/got/c.txt"));
  RecordingUi ui2;
  s = run({{"source", str(remote_ + "/logs/*.none")},
           {"destination", str(local_ + "/got")},
           {"direction", str("download")}},
          ui2);
  EXPECT_FALSE(s);
}

TEST_F(FileTest, FailuresSayUploadOrDownloadFailed) {
  RecordingUi ui;
  auto s = run({{"source", str(remote_ + "/missing")},
                {"destination", str(local_ + "/m")},
                {"direction", str("download")}},
               ui);
  ASSERT_FALSE(s);
  ASSERT_EQ(ui.of('e').size(), 1u);
  EXPECT_EQ(ui.of('e')[0].rfind("Download failed: ", 0), 0u) << ui.dump();
  write(local_ + "/f", "f");
  RecordingUi ui2;
  s = run({{"source", str(local_ + "/f")}, {"destination", str("/nonexistent-dir/sub/f")}}, ui2);
  ASSERT_FALSE(s);
  EXPECT_EQ(ui2.of('e')[0].rfind("Upload failed: ", 0), 0u) << ui2.dump();
}

TEST_F(FileTest, PrepareChecksAsPacker) {
  auto p = engine::make_provisioner("file");
  auto s = p->prepare(config(tmpl::PluginKind::Provisioner, "file",
                             {{"source", str(local_ + "/nope")}, {"direction", str("sideways")}}),
                      info_);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(),
            "2 errors occurred:\n\t* Direction must be one of: download, upload.\n\t* "
            "Destination must be specified.\n\n");
  s = p->prepare(config(tmpl::PluginKind::Provisioner, "file",
                        {{"source", str(local_ + "/nope")}, {"destination", str("/tmp/x")}}),
                 info_);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), "1 error occurred:\n\t* Bad source '" + local_ + "/nope': stat " + local_ +
                             "/nope: no such file or directory\n\n");
  // generated: the source may appear during the build.
  s = p->prepare(config(tmpl::PluginKind::Provisioner, "file",
                        {{"source", str(local_ + "/later")},
                         {"destination", str("/tmp/x")},
                         {"generated", Value::boolean(true)}}),
                 info_);
  EXPECT_TRUE(s) << s.message();
}

}  // namespace
}  // namespace kiln::prov
