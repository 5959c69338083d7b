// Helpers for the root tests of sandboxes and servers (*_roottest.cc):
// a scratch directory removed only when nothing is mounted below it, a
// root filesystem made of a skeleton plus the host's /usr bound read-only
// (no build needed), and a wait for a line in a log file.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "local/sandbox.h"

namespace kiln::local::testing {

// True when some mount of this process's namespace lies at or below DIR.
inline bool mounts_below(const std::string& dir) {
  std::ifstream f("/proc/self/mountinfo");
  std::string line;
  while (std::getline(f, line)) {
    std::istringstream ss(line);
    std::string id, parent, devno, root, point;
    ss >> id >> parent >> devno >> root >> point;
    if (point == dir || point.rfind(dir + "/", 0) == 0) return true;
  }
  return false;
}

// A scratch directory under /tmp. Never removed while anything is mounted
// below it (a bug that left the host's /usr bound inside must not lead to
// deleting the host's /usr).
class ScratchDir {
 public:
  ScratchDir() {
    char tmpl[] = "/tmp/kiln-sbx-XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~ScratchDir() {
    if (mounts_below(path_)) {
      ADD_FAILURE() << "mounts left below " << path_ << "; not removing it";
      return;
    }
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A minimal root: merged-/usr symlinks, empty mount points, and the host's
// /usr bound read-only by the sandbox itself (inside its mount namespace).
inline void make_host_root(const std::string& root, SandboxSpec* spec) {
  namespace fs = std::filesystem;
  for (auto d : {"usr", "etc", "tmp", "root", "var", "proc", "sys", "dev", "run", "mnt"})
    fs::create_directories(fs::path(root) / d);
  fs::permissions(fs::path(root) / "tmp", fs::perms::all | fs::perms::sticky_bit);
  for (auto [l, t] : {std::pair{"bin", "usr/bin"},
                      {"sbin", "usr/sbin"},
                      {"lib", "usr/lib"},
                      {"lib64", "usr/lib64"}})
    fs::create_symlink(t, fs::path(root) / l);
  std::ofstream(fs::path(root) / "etc/passwd") << "root:x:0:0:root:/root:/bin/sh\n";
  std::ofstream(fs::path(root) / "etc/group") << "root:x:0:\ntty:x:5:\n";
  spec->root_dir = root;
  spec->mounts.push_back({"/usr", "/usr", "", "", true});
}

// Waits (bounded, generous; not a timing assertion) until FILE holds NEEDLE;
// returns the file's content either way.
inline std::string wait_for_text(const std::string& file, const std::string& needle,
                                 std::chrono::seconds limit = std::chrono::seconds(60)) {
  auto end = std::chrono::steady_clock::now() + limit;
  std::string text;
  while (std::chrono::steady_clock::now() < end) {
    std::ifstream f(file);
    std::stringstream ss;
    ss << f.rdbuf();
    text = ss.str();
    if (text.find(needle) != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return text;
}

// Root tests run as root; under CI=true a missing root is a failure, not a skip.
#define KILN_REQUIRE_ROOT()                                                            \
  do {                                                                                 \
    std::string why = ::kiln::local::sandbox_unavailable_reason();                     \
    if (!why.empty()) {                                                                \
      const char* ci = std::getenv("CI");                                              \
      if (ci && std::string(ci) == "true") FAIL() << "sandboxes unavailable: " << why; \
      GTEST_SKIP() << "sandboxes unavailable: " << why;                                \
    }                                                                                  \
  } while (0)

}  // namespace kiln::local::testing
