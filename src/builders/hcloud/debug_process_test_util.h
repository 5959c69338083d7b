// `kiln build` as a process against kiln local's API served in-process,
// with a terminal: the process is the leader of a new session whose
// controlling terminal is a pseudo-terminal the test holds the master of,
// so -debug's pauses (which read /dev/tty, as Packer's) are answered by
// writing "\n" there. stdin is a pipe the test never writes to. PACKER_LOG
// goes to a file, to be searched for secrets.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "builders/hcloud/local_cloud_test_util.h"
#include "engine/test_util.h"
#include "hcloud/hcloud.h"
#include "local/api.h"
#include "local/http.h"
#include "local/store.h"

namespace kiln::builders::testing {

inline size_t count_of(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) ++n;
  return n;
}

class DebugProcess : public ::testing::Test {
 protected:
  static constexpr const char* kToken = "debug-process-token-5e4d3c2b1a09";

  void SetUp() override {
    local::ApiOptions o;
    o.token = kToken;
    o.time_scale = 0;
    o.backend = backend_;
    ASSERT_EQ(cloud_.start(dir_.path + "/state", o), "");
    api_ = &cloud_.api();
    client_ = &cloud_.client();
    endpoint_ = cloud_.endpoint();
    state_ = dir_.path + "/kiln-state";
    out_ = dir_.path + "/build.out";
    log_ = dir_.path + "/packer.log";
  }

  void TearDown() override {
    if (pid_ > 0) {  // a failed assertion left it running
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (master_ >= 0) ::close(master_);
    if (stdin_w_ >= 0) ::close(stdin_w_);
  }

  // A template with one hcloud source "dbg"; extra goes into the source.
  void write_template(const std::string& extra) {
    std::ofstream(dir_.path + "/t.pkr.hcl")
        << "source \"hcloud\" \"dbg\" {\n  token = \"" << kToken << "\"\n  endpoint = \""
        << endpoint_
        << "\"\n  location = \"nbg1\"\n  server_type = \"cx23\"\n  image = \"debian-12\"\n"
        << extra << "}\nbuild { sources = [\"source.hcloud.dbg\"] }\n";
  }

  // Starts `kiln build <args> t.pkr.hcl` in dir_ (its working directory),
  // in a session of its own, with the pseudo-terminal as its controlling
  // terminal when with_tty.
  void start(const std::vector<std::string>& args, bool with_tty = true) {
    char slave[128] = "";
    if (with_tty) {
      master_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
      ASSERT_GE(master_, 0);
      ASSERT_EQ(::grantpt(master_), 0);
      ASSERT_EQ(::unlockpt(master_), 0);
      ASSERT_EQ(::ptsname_r(master_, slave, sizeof slave), 0);
    }
    int in[2];
    ASSERT_EQ(::pipe2(in, O_CLOEXEC), 0);
    stdin_w_ = in[1];
    // Everything the child needs is made before fork (the test has threads).
    std::string bin = KILN_BINARY;
    std::vector<std::string> argv_s = {bin, "build"};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    argv_s.push_back("t.pkr.hcl");
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_s = {"KILN_STATE_DIR=" + state_,
                                      std::string("HCLOUD_TOKEN=") + kToken,
                                      "PACKER_LOG=1",
                                      "PACKER_LOG_PATH=" + log_,
                                      "HOME=" + dir_.path,
                                      "PATH=/usr/sbin:/usr/bin:/sbin:/bin"};
    std::vector<char*> envp;
    for (auto& e : env_s) envp.push_back(e.data());
    envp.push_back(nullptr);
    const char* out = out_.c_str();
    const char* dir = dir_.path.c_str();
    pid_ = ::fork();
    ASSERT_GE(pid_, 0);
    if (pid_ == 0) {
      ::setsid();  // no terminal of the test's: only ours, if any
      if (with_tty) {
        int s = ::open(slave, O_RDWR);  // a session leader's first tty becomes its own
        if (s < 0) ::_exit(126);
        termios t;
        if (::tcgetattr(s, &t) == 0) {
          t.c_lflag &= ~static_cast<tcflag_t>(ECHO);  // nobody reads the echo
          ::tcsetattr(s, TCSANOW, &t);
        }
        ::close(s);
      }
      int fd = ::open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::dup2(in[0], 0);
      if (::chdir(dir) != 0) ::_exit(126);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    ::close(in[0]);
  }

  int wait_exit() {
    if (pid_ > 0) {
      ::waitpid(pid_, &status_, 0);
      pid_ = -1;
    }
    return WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
  }

  std::string output() const { return slurp(out_); }

  // Waits until needle has appeared n times in the output (a condition;
  // the deadline only stops a hung test). False when the build ended first.
  bool wait_for(const std::string& needle, size_t n = 1) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
      if (count_of(output(), needle) >= n) return true;
      if (pid_ <= 0 || ::waitpid(pid_, &status_, WNOHANG) == pid_) {
        pid_ = -1;
        return count_of(output(), needle) >= n;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  static std::string pause_line(const std::string& where, const std::string& step) {
    return "==> hcloud.dbg: Pausing " + where + " step '" + step + "'. Press enter to continue.";
  }

  void press_enter() { ASSERT_EQ(::write(master_, "\n", 1), 1); }

  // Presses enter at every pause until `line` is the pause shown. False
  // when the build ended (or hung) first.
  bool run_to(const std::string& line) {
    for (size_t n = 1;; ++n) {
      if (!wait_for("Pausing ", n)) return false;
      if (output().find(line) != std::string::npos) return true;
      press_enter();
    }
  }

  // While paused, nothing happens: no API request and no output in a
  // while. (It cannot pass wrongly by being slow: a build that did not wait
  // would only be caught less often.)
  void expect_quiet(const std::string& where) {
    auto before = api_->counters().to_json()["total"].get<int64_t>();
    std::string out = output();
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    EXPECT_EQ(api_->counters().to_json()["total"].get<int64_t>(), before) << where;
    EXPECT_EQ(output(), out) << where;
  }

  size_t servers() {
    auto r = client_->servers().list();
    return r.ok() ? r->size() : 99;
  }
  size_t keys() {
    auto r = client_->ssh_keys().list();
    return r.ok() ? r->size() : 99;
  }
  std::vector<hcloud::Image> snapshots() {
    hcloud::ImageListOpts o;
    o.types = {"snapshot"};
    auto r = client_->images().list(o);
    return r.ok() ? r.value() : std::vector<hcloud::Image>{};
  }
  std::string journal_text() {
    std::string all;
    std::error_code ec;
    for (auto& e : std::filesystem::directory_iterator(state_ + "/runs", ec))
      all += slurp(e.path().string());
    return all;
  }

  local::ServerBackend* backend_ = nullptr;  // set before SetUp: real work (see ApiOptions)
  engine::testing::TempDir dir_;
  InProcessCloud cloud_;
  local::Api* api_ = nullptr;
  hcloud::Client* client_ = nullptr;
  std::string endpoint_, state_, out_, log_;
  pid_t pid_ = -1;
  int status_ = 0;  // of the build, once it ended
  int master_ = -1;
  int stdin_w_ = -1;
};

}  // namespace kiln::builders::testing
