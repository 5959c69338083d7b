// `kiln build` and `kiln cleanup` as processes against kiln local's API
// (in-process here): a SIGKILLed build leaves a journaled server and key
// that `kiln cleanup -yes` deletes; SIGINT cancels and cleans up; the
// token appears in no output and no journal. The builds wait for SSH on a
// port where nothing listens, so they are still running when signalled.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>
#include <thread>

#include "builders/hcloud/local_cloud_test_util.h"
#include "builders/hcloud/spawn_test_util.h"
#include "engine/journal.h"
#include "engine/test_util.h"
#include "hcloud/hcloud.h"
#include "local/api.h"
#include "local/http.h"
#include "local/store.h"

namespace kiln::builders {
namespace {

constexpr const char* kToken = "process-test-token-9f8e7d6c5b4a";

using testing::slurp;

class KilnProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    local::ApiOptions o;
    o.token = kToken;
    o.time_scale = 0;
    ASSERT_EQ(cloud_.start(dir_.path + "/state", o), "");
    api_ = &cloud_.api();
    client_ = &cloud_.client();
    endpoint_ = cloud_.endpoint();
    state_ = dir_.path + "/kiln-state";
    std::ofstream(dir_.path + "/t.pkr.hcl")
        << "source \"hcloud\" \"wait\" {\n  token = \"" << kToken << "\"\n  endpoint = \""
        << endpoint_
        << "\"\n  location = \"nbg1\"\n  server_type = \"cx23\"\n  image = \"debian-12\"\n"
           "  ssh_username = \"root\"\n  ssh_port = 1\n  ssh_timeout = \"10m\"\n}\n"
           "build { sources = [\"source.hcloud.wait\"] }\n";
  }

  // Starts kiln with args; output to <dir>/<name>.out. `adjust` may change
  // how (standard output, process group, terminal).
  pid_t spawn(const std::vector<std::string>& args, const std::string& name,
              const std::function<void(testing::SpawnSpec&)>& adjust = {}) {
    testing::SpawnSpec spec;
    spec.argv = {KILN_BINARY};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.set_env = {"KILN_STATE_DIR=" + state_, std::string("HCLOUD_TOKEN=") + kToken};
    spec.unset_env = {"PACKER_LOG"};
    spec.output = dir_.path + "/" + name + ".out";
    if (adjust) adjust(spec);
    return testing::spawn_process(spec);
  }
  int wait_exit(pid_t pid) {
    int st = 0;
    ::waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  }
  // Waits until the build has told the journal about its server and is
  // waiting for SSH (a condition, not a time: the deadline only stops a
  // hung test).
  bool wait_for_server(const std::string& out) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
      if (slurp(out).find("Waiting for SSH") != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  size_t servers() {
    auto r = client_->servers().list();
    return r.ok() ? r->size() : 99;
  }
  size_t keys() {
    auto r = client_->ssh_keys().list();
    return r.ok() ? r->size() : 99;
  }
  std::string journal_text() {
    std::string all;
    std::error_code ec;
    for (auto& e : std::filesystem::directory_iterator(state_ + "/runs", ec))
      all += slurp(e.path().string());
    return all;
  }

  // `kiln build -local` of `provisioner` (needs root: the servers are
  // sandboxes answering SSH), in a process group of its own as a terminal's
  // job is, or in a session on `terminal` (a pty slave; the output goes
  // there); `during` is called with the pid while it runs. Its own local
  // cloud state (HOME), the machine's image cache. The exit code.
  int build_local(const std::string& provisioner, const std::string& name,
                  const std::function<void(pid_t)>& during = {}, const std::string& terminal = "") {
    std::ofstream(dir_.path + "/" + name + ".pkr.hcl")
        << "source \"hcloud\" \"demo\" {\n  location = \"nbg1\"\n  server_type = \"cx23\"\n"
           "  image = \"debian-12\"\n  ssh_username = \"root\"\n  rescue = \"linux64\"\n"
           "  ssh_timeout = \"5m\"\n  snapshot_name = \"demo\"\n}\n"
           "build {\n  sources = [\"source.hcloud.demo\"]\n"
        << provisioner << "}\n";
    const char* home = std::getenv("HOME");
    std::string cache = std::getenv("XDG_CACHE_HOME")
                            ? std::getenv("XDG_CACHE_HOME")
                            : std::string(home ? home : "/root") + "/.cache";
    ::setenv("XDG_CACHE_HOME", cache.c_str(), 1);
    std::string saved_home = home ? home : "";
    ::setenv("HOME", (dir_.path + "/home").c_str(), 1);
    pid_t pid = spawn({"build", "-local", "-color=false", dir_.path + "/" + name + ".pkr.hcl"},
                      name, [&](testing::SpawnSpec& spec) {
                        spec.own_group = true;
                        spec.terminal = terminal;
                      });
    ::setenv("HOME", saved_home.c_str(), 1);
    if (during) during(pid);
    return wait_exit(pid);
  }

  engine::testing::TempDir dir_;
  testing::InProcessCloud cloud_;
  local::Api* api_ = nullptr;
  hcloud::Client* client_ = nullptr;
  std::string endpoint_, state_;
};

TEST_F(KilnProcess, CleanupDeletesWhatASigkilledBuildLeft) {
  pid_t pid = spawn({"build", "-color=false", dir_.path + "/t.pkr.hcl"}, "build");
  ASSERT_TRUE(wait_for_server(dir_.path + "/build.out")) << slurp(dir_.path + "/build.out");
  ::kill(pid, SIGKILL);
  EXPECT_EQ(wait_exit(pid), 128 + SIGKILL);
  EXPECT_EQ(servers(), 1u);
  EXPECT_EQ(keys(), 1u);
  std::string journal = journal_text();
  EXPECT_NE(journal.find("\"created\""), std::string::npos) << journal;
  EXPECT_EQ(journal.find(kToken), std::string::npos);
  EXPECT_EQ(journal.find("PRIVATE KEY"), std::string::npos);

  // Listing without -yes deletes nothing.
  EXPECT_EQ(wait_exit(spawn({"cleanup", "-endpoint", endpoint_}, "list")), 0);
  std::string list = slurp(dir_.path + "/list.out");
  EXPECT_NE(list.find("server "), std::string::npos) << list;
  EXPECT_NE(list.find("ssh_key "), std::string::npos) << list;
  EXPECT_EQ(servers(), 1u);

  EXPECT_EQ(wait_exit(spawn({"cleanup", "-yes", "-endpoint", endpoint_}, "cleanup")), 0)
      << slurp(dir_.path + "/cleanup.out");
  EXPECT_EQ(servers(), 0u) << slurp(dir_.path + "/cleanup.out");
  EXPECT_EQ(keys(), 0u) << slurp(dir_.path + "/cleanup.out");
  EXPECT_EQ(journal_text(), "");  // the dead run's journal is done with
  for (auto* f : {"build.out", "list.out", "cleanup.out"})
    EXPECT_EQ(slurp(dir_.path + "/" + f).find(kToken), std::string::npos) << f;

  // Nothing left: a second cleanup says so.
  EXPECT_EQ(wait_exit(spawn({"cleanup", "-yes", "-endpoint", endpoint_}, "again")), 0);
  EXPECT_NE(slurp(dir_.path + "/again.out").find("Nothing to clean up."), std::string::npos);
}

TEST_F(KilnProcess, SigintCancelsAndCleansUp) {
  pid_t pid = spawn({"build", "-color=false", dir_.path + "/t.pkr.hcl"}, "build");
  ASSERT_TRUE(wait_for_server(dir_.path + "/build.out")) << slurp(dir_.path + "/build.out");
  ::kill(pid, SIGINT);
  EXPECT_EQ(wait_exit(pid), 1);
  std::string out = slurp(dir_.path + "/build.out");
  EXPECT_NE(out.find("Cancelling build after receiving interrupt"), std::string::npos) << out;
  EXPECT_NE(out.find("Cleanly cancelled builds after being interrupted."), std::string::npos)
      << out;
  EXPECT_EQ(servers(), 0u) << out;
  EXPECT_EQ(keys(), 0u) << out;
  EXPECT_EQ(out.find(kToken), std::string::npos);
  EXPECT_EQ(journal_text(), "");  // a clean end leaves no journal
}

// A build whose reader went away (`kiln build | head -1`, a closed
// terminal) goes on, and still cleans up when interrupted: its first line to
// the closed pipe fails with EPIPE instead of killing it by SIGPIPE, which
// would leave its server billed.
TEST_F(KilnProcess, AClosedStdoutNeitherKillsTheBuildNorLeaksItsServer) {
  int gone[2];
  ASSERT_EQ(::pipe2(gone, O_CLOEXEC), 0);
  ::close(gone[0]);  // the reader is gone before kiln writes a line
  pid_t pid = spawn({"build", "-color=false", dir_.path + "/t.pkr.hcl"}, "closed",
                    [&](testing::SpawnSpec& spec) { spec.stdout_fd = gone[1]; });
  ::close(gone[1]);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (servers() == 0 && std::chrono::steady_clock::now() < deadline) {
    int st = 0;
    if (::waitpid(pid, &st, WNOHANG) == pid) {
      FAIL() << "kiln ended before creating its server: "
             << (WIFSIGNALED(st) ? ::strsignal(WTERMSIG(st)) : "exit")
             << slurp(dir_.path + "/closed.out");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(servers(), 1u);
  ::kill(pid, SIGINT);
  EXPECT_EQ(wait_exit(pid), 1) << slurp(dir_.path + "/closed.out");
  EXPECT_EQ(servers(), 0u);
  EXPECT_EQ(keys(), 0u);
  EXPECT_EQ(journal_text(), "");
}

#define KILN_REQUIRE_SANDBOXES()                                           \
  do {                                                                     \
    if (::geteuid() != 0) {                                                \
      if (std::getenv("CI")) FAIL() << "kiln local's sandboxes need root"; \
      GTEST_SKIP() << "kiln local's sandboxes need root";                  \
    }                                                                      \
  } while (0)

// `kiln build -local`: a kiln local started for the build, with servers in
// sandboxes answering SSH. Rescue mode, a provisioner over SSH seeing the
// disk, a snapshot; kiln local stops with the build.
TEST_F(KilnProcess, BuildLocalRunsTheWholePipelineOverSsh) {
  KILN_REQUIRE_SANDBOXES();
  int code = build_local("  provisioner \"shell\" { inline = [\"echo disk: $(ls /dev/sda)\"] }\n",
                         "local");
  std::string out = slurp(dir_.path + "/local.out");
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("==> hcloud.demo: Connected to SSH!"), std::string::npos) << out;
  EXPECT_NE(out.find("==> hcloud.demo: disk: /dev/sda"), std::string::npos) << out;
  EXPECT_NE(out.find("A snapshot was created: 'demo'"), std::string::npos) << out;
  EXPECT_NE(out.find("kiln local: SIGTERM, stopping"), std::string::npos) << out;
}

// Ctrl-C at the terminal reaches the build's whole process group. The build
// cancels and deletes its server and key from its local cloud, which stops
// only afterwards: it is in a group of its own.
TEST_F(KilnProcess, CtrlCOnBuildLocalCleansUpBeforeTheCloudStops) {
  KILN_REQUIRE_SANDBOXES();
  const std::string out_path = dir_.path + "/ctrlc.out";
  int code =
      build_local("  provisioner \"shell\" { inline = [\"echo started\", \"sleep 600\"] }\n",
                  "ctrlc", [&](pid_t pid) {
                    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(300);
                    while (slurp(out_path).find("hcloud.demo: started") == std::string::npos &&
                           std::chrono::steady_clock::now() < deadline)
                      std::this_thread::sleep_for(std::chrono::milliseconds(20));
                    ::kill(-pid, SIGINT);
                  });
  std::string out = slurp(out_path);
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find("Cleanly cancelled builds after being interrupted."), std::string::npos)
      << out;
  EXPECT_EQ(out.find("Error destroying server"), std::string::npos) << out;
  EXPECT_EQ(out.find("Error cleaning up SSH key"), std::string::npos) << out;
  EXPECT_EQ(out.find("Please destroy it manually"), std::string::npos) << out;
  // Its journal was finished: nothing was left to record.
  EXPECT_EQ(journal_text(), "");
  EXPECT_NE(out.find("kiln local: SIGTERM, stopping"), std::string::npos) << out;
}

// On a terminal with `stty tostop`, a background process group that writes
// to the terminal is stopped (SIGTTOU). kiln local runs in a group of its
// own and logs to the terminal (stderr): it must keep running, or the build
// would wait on a stopped cloud.
TEST_F(KilnProcess, BuildLocalOnATerminalWithTostopIsNotStopped) {
  KILN_REQUIRE_SANDBOXES();
  int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  ASSERT_GE(master, 0);
  ASSERT_EQ(::grantpt(master), 0);
  ASSERT_EQ(::unlockpt(master), 0);
  char slave[128] = "";
  ASSERT_EQ(::ptsname_r(master, slave, sizeof slave), 0);
  // Held open by the test while the build runs: a master whose slave is
  // open nowhere reads as hung up.
  int held = ::open(slave, O_RDWR | O_NOCTTY | O_CLOEXEC);
  ASSERT_GE(held, 0);
  termios t{};
  ASSERT_EQ(::tcgetattr(held, &t), 0);
  t.c_lflag |= TOSTOP;
  ASSERT_EQ(::tcsetattr(held, TCSANOW, &t), 0);
  // What the terminal shows, read as it comes (a full pty would block).
  std::mutex mu;
  std::string shown;
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    char buf[4096];
    while (!stop) {
      pollfd p{master, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      ssize_t n = ::read(master, buf, sizeof buf);
      if (n <= 0) return;  // hung up: every slave closed
      std::lock_guard<std::mutex> l(mu);
      shown.append(buf, static_cast<size_t>(n));
    }
  });
  // A stopped cloud would hang the build: end it after a generous while.
  int code = build_local(
      "  provisioner \"shell\" { inline = [\"echo on-the-server\"] }\n", "tty",
      [&](pid_t pid) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(240);
        siginfo_t info{};
        while (std::chrono::steady_clock::now() < deadline) {
          info.si_pid = 0;
          if (::waitid(P_PID, pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid)
            return;
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        ::kill(-pid, SIGKILL);
      },
      slave);
  ::close(held);  // the reader reads what is left, then sees the hang-up
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop = true;  // or stops, should a stopped kiln local still hold the terminal
  reader.join();
  ::close(master);
  std::lock_guard<std::mutex> l(mu);
  EXPECT_EQ(code, 0) << shown;
  EXPECT_NE(shown.find("hcloud.demo: on-the-server"), std::string::npos) << shown;
  EXPECT_NE(shown.find("kiln local: server"), std::string::npos) << shown;  // it did write
}

}  // namespace
}  // namespace kiln::builders
