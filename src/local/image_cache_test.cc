#include "local/image_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

namespace kiln::local {
namespace {

namespace fs = std::filesystem;

// build_once with a build step of the test's own, so the locking and the
// atomic rename are tested without debootstrap's minutes.
class TestCache : public ImageCache {
 public:
  using ImageCache::build_once;
  using ImageCache::ImageCache;
};

class ImageCacheOnce : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("kiln-cache-test-" + std::to_string(getpid()));
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::vector<std::string> leftovers() {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_)) {
      if (e.path().filename().string().rfind(".tmp-", 0) == 0) out.push_back(e.path());
    }
    return out;
  }
  fs::path dir_;
};

TEST_F(ImageCacheOnce, ConcurrentCallersShareOneBuild) {
  std::atomic<int> builds{0};
  std::atomic<bool> inside{false};
  std::atomic<bool> overlapped{false};
  auto build = [&](const fs::path& tmp, std::string*) {
    if (inside.exchange(true)) overlapped = true;
    ++builds;
    // Give the other caller every chance to run into the lock.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    std::ofstream(tmp / "out") << "built\n";
    inside = false;
    return true;
  };
  // Separate objects: separate lock file descriptions, as in two processes.
  TestCache a(dir_, "http://mirror.invalid/debian"), b(dir_, "http://mirror.invalid/debian");
  std::optional<fs::path> pa, pb;
  std::string ea, eb;
  std::thread ta([&] { pa = a.build_once("item.raw", build, &ea); });
  std::thread tb([&] { pb = b.build_once("item.raw", build, &eb); });
  ta.join();
  tb.join();
  ASSERT_TRUE(pa) << ea;
  ASSERT_TRUE(pb) << eb;
  EXPECT_EQ(*pa, dir_ / "item.raw");
  EXPECT_EQ(*pa, *pb);
  EXPECT_EQ(builds.load(), 1);
  EXPECT_FALSE(overlapped.load());
  EXPECT_TRUE(leftovers().empty());
  // Reused: no build the next time.
  EXPECT_TRUE(a.build_once("item.raw", build, &ea));
  EXPECT_EQ(builds.load(), 1);
}

TEST_F(ImageCacheOnce, FailedBuildLeavesNothingAndSaysWhy) {
  TestCache cache(dir_, "http://mirror.invalid/debian");
  std::vector<std::string> log;
  cache.set_log([&](const std::string& line) { log.push_back(line); });
  std::string error;
  auto path = cache.build_once(
      "rescue-amd64",
      [](const fs::path& tmp, std::string* err) {
        fs::create_directories(tmp / "out/etc");
        *err = "debootstrap failed";
        return false;
      },
      &error);
  EXPECT_FALSE(path);
  EXPECT_EQ(error, "building rescue-amd64: debootstrap failed");
  EXPECT_FALSE(fs::exists(dir_ / "rescue-amd64"));
  EXPECT_TRUE(leftovers().empty());
  ASSERT_EQ(log.size(), 2u);
  EXPECT_NE(log[0].find("building rescue-amd64"), std::string::npos);
}

TEST_F(ImageCacheOnce, StaleTemporaryOfAKilledBuildIsRemoved) {
  fs::create_directories(dir_ / ".tmp-item.raw-99999/root/etc");
  fs::create_directories(dir_ / ".tmp-other-item-4242/out");
  TestCache cache(dir_, "http://mirror.invalid/debian");
  std::string error;
  auto path = cache.build_once(
      "item.raw",
      [](const fs::path& tmp, std::string*) {
        std::ofstream(tmp / "out") << "x";
        return true;
      },
      &error);
  ASSERT_TRUE(path) << error;
  EXPECT_TRUE(leftovers().empty());
}

TEST(ImageCacheNames, UnknownSystemImage) {
  ImageCache cache(fs::temp_directory_path() / "kiln-never-created",
                   "http://mirror.invalid/debian");
  std::string error;
  EXPECT_FALSE(cache.system_image("ubuntu-24.04", Arch::amd64, &error));
  EXPECT_NE(error.find("debian-12"), std::string::npos) << error;
  EXPECT_EQ(ImageCache::system_image_names(), std::vector<std::string>{"debian-12"});
  EXPECT_FALSE(fs::exists(fs::temp_directory_path() / "kiln-never-created"));
}

}  // namespace
}  // namespace kiln::local
