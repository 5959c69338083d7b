// Helpers shared by the block-layer tests (disk_test.cc, devfs_test.cc):
// they need root and loop devices, which CI has; elsewhere they skip, but
// never when CI=true.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#define KILN_REQUIRE_ROOT()                                                                   \
  do {                                                                                        \
    if (::geteuid() != 0 || ::access("/dev/loop-control", R_OK | W_OK) != 0) {                \
      const char* ci = std::getenv("CI");                                                     \
      if (ci && std::string(ci) == "true") FAIL() << "CI=true: root and loop devices needed"; \
      GTEST_SKIP() << "needs root and /dev/loop-control";                                     \
    }                                                                                         \
  } while (0)

namespace kiln::local::testing {

// A temporary directory removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kiln-disk-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data()) ? tmpl : "";
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Runs a shell command; its exit status (-1 when it did not run to the end).
// Its output is shown only when it fails, to keep the test log readable
// (parted complains about the missing udevadm on every run).
inline int run(const std::string& command) {
  FILE* p = ::popen(("(" + command + ") 2>&1").c_str(), "r");
  if (!p) return -1;
  std::string output;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) output.append(buf, n);
  int status = ::pclose(p);
  if (status == -1 || !WIFEXITED(status)) return -1;
  if (WEXITSTATUS(status) != 0) std::fprintf(stderr, "$ %s\n%s", command.c_str(), output.c_str());
  return WEXITSTATUS(status);
}

}  // namespace kiln::local::testing
