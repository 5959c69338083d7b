// `kiln local` itself, killed with SIGKILL while a server runs: its servers
// die with it (no process, mount or loop device left; no swap added), and
// the next start reaps the cgroups and boots the server again; SIGTERM then
// stops everything and leaves nothing.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "local/disk.h"
#include "local/machine.h"
#include "local/netaddr.h"
#include "local/sandbox.h"
#include "local/sandbox_testing.h"
#include "ssh/client.h"
#include "ssh/keygen.h"

extern char** environ;

namespace kiln::local {
namespace {

using json = nlohmann::json;
using testing::ScratchDir;

std::string image_cache_dir() {
  const char* e = std::getenv("KILN_TEST_IMAGE_CACHE");
  return e && *e ? e : "/var/cache/kiln-test/images";
}

struct KilnLocal {
  pid_t pid = -1;
  std::string endpoint;
  std::string log;

  bool start(const std::string& state, const std::string& log_path) {
    log = log_path;
    std::vector<std::string> args = {KILN_BINARY,    "local", "--listen",      "127.0.0.1:0",
                                     "--state",      state,   "--token",       "t",
                                     "--time-scale", "0",     "--image-cache", image_cache_dir()};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    int r = posix_spawn(&pid, KILN_BINARY, &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (r != 0) return false;
    std::string text = testing::wait_for_text(log_path, "export HCLOUD_TOKEN");
    std::smatch m;
    if (!std::regex_search(text, m, std::regex("HCLOUD_ENDPOINT=(http://[0-9.:]+/v1)")))
      return false;
    endpoint = m[1];
    return true;
  }

  json call(const std::string& method, const std::string& path, const json& body = nullptr) {
    std::string cmd =
        "curl -s -X " + method + " -H 'Authorization: Bearer t' " +
        (body.is_null() ? "" : "-H 'Content-Type: application/json' -d '" + body.dump() + "' ") +
        endpoint + path;
    FILE* p = ::popen(cmd.c_str(), "r");
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
    return out.empty() ? json::object() : json::parse(out, nullptr, false);
  }

  json wait(int64_t action) {
    auto end = std::chrono::steady_clock::now() + std::chrono::minutes(30);
    json a;
    while (std::chrono::steady_clock::now() < end) {
      a = call("GET", "/actions/" + std::to_string(action))["action"];
      if (a.is_object() && a["status"] != "running") return a;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return a;
  }

  int stop(int sig) {
    ::kill(pid, sig);
    int st = 0;
    ::waitpid(pid, &st, 0);
    pid = -1;
    return st;
  }
  ~KilnLocal() {
    if (pid > 0) stop(SIGKILL);
  }
};

// Processes whose cgroup (devices hierarchy) lies below `instance`.
std::vector<pid_t> processes_in(const std::string& instance) {
  std::vector<pid_t> out;
  for (auto& e : std::filesystem::directory_iterator("/proc")) {
    std::string n = e.path().filename();
    if (n.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream f(e.path() / "cgroup");
    std::string line;
    while (std::getline(f, line))
      if (line.find(":devices:") != std::string::npos &&
          line.find("/" + instance + "/") != std::string::npos)
        out.push_back(std::stoi(n));
  }
  return out;
}

bool sshd_answers(const std::string& ip) {
  return tcp_bind_problem(ip, 22).find("in use") != std::string::npos;
}

TEST(KilnLocal, SigkillLeavesNothingAndTheNextStartReaps) {
  KILN_REQUIRE_ROOT();
  ScratchDir dir;
  const std::string state = dir.path() + "/state";
  std::string swaps_before;
  {
    std::ifstream f("/proc/swaps");
    std::stringstream ss;
    ss << f.rdbuf();
    swaps_before = ss.str();
  }
  std::string ip;
  int64_t id = 0;
  std::filesystem::create_directories(state);
  const std::string inst = instance_for_state(state);
  {
    KilnLocal k;
    ASSERT_TRUE(k.start(state, dir.path() + "/log1")) << k.log;
    json c = k.call("POST", "/servers",
                    {{"name", "victim"}, {"server_type", "cx23"}, {"image", "debian-12"}});
    ASSERT_TRUE(c.contains("server")) << c.dump();
    id = c["server"]["id"];
    ip = c["server"]["public_net"]["ipv4"]["ip"];
    ASSERT_EQ(k.wait(c["next_actions"][0]["id"])["status"], "success");
    // sshd comes up a moment after the action (host keys first), as on the real cloud.
    for (int i = 0; i < 3000 && !sshd_answers(ip); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_TRUE(sshd_answers(ip)) << "no sshd on " << ip;
    ASSERT_FALSE(processes_in(inst).empty());
    ASSERT_FALSE(loops_backed_under(state).empty());

    k.stop(SIGKILL);
  }
  // Servers died with it: no process, no loop device, no mount, no swap.
  for (int i = 0; i < 500 && !processes_in(inst).empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(processes_in(inst).empty());
  for (int i = 0; i < 500 && !loops_backed_under(state).empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(loops_backed_under(state).empty()) << "loop devices left after SIGKILL";
  EXPECT_FALSE(testing::mounts_below(state));
  EXPECT_FALSE(sshd_answers(ip));
  {
    std::ifstream f("/proc/swaps");
    std::stringstream ss;
    ss << f.rdbuf();
    EXPECT_EQ(ss.str(), swaps_before);
  }

  // The next start reaps what is left (the cgroups) and boots the server again.
  {
    KilnLocal k;
    ASSERT_TRUE(k.start(state, dir.path() + "/log2")) << k.log;
    std::string text = testing::wait_for_text(k.log, "sshd on " + ip);
    EXPECT_NE(text.find("reaped"), std::string::npos) << text;
    EXPECT_NE(text.find("sshd on " + ip), std::string::npos) << text;
    for (int i = 0; i < 3000 && !sshd_answers(ip); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_TRUE(sshd_answers(ip));
    int st = k.stop(SIGTERM);
    EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << st;
  }
  EXPECT_TRUE(processes_in(inst).empty());
  EXPECT_TRUE(loops_backed_under(state).empty());
  EXPECT_FALSE(testing::mounts_below(state));
  EXPECT_FALSE(sshd_answers(ip));
  (void)id;
}

std::string read_swaps() {
  std::ifstream f("/proc/swaps");
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// The seed's script partitions /dev/sda in rescue and runs swapon /dev/sda2:
// a swap area is global, outlives the sandbox and holds the loop device. A
// SIGKILLed kiln local cannot undo it; its next start must.
TEST(KilnLocal, SwapOnTheDiskIsReapedByTheNextStart) {
  KILN_REQUIRE_ROOT();
  ScratchDir dir;
  const std::string state = dir.path() + "/state";
  std::filesystem::create_directories(state);
  const std::string swaps_before = read_swaps();
  auto key = ssh::generate_key_pair(ssh::KeyType::kEd25519, 0, "kiln-test");
  ASSERT_TRUE(key);
  {
    KilnLocal k;
    ASSERT_TRUE(k.start(state, dir.path() + "/log1")) << k.log;
    json kk = k.call("POST", "/ssh_keys", {{"name", "k"}, {"public_key", key->public_key}});
    ASSERT_TRUE(kk.contains("ssh_key")) << kk.dump();
    json c = k.call("POST", "/servers",
                    {{"name", "swapper"},
                     {"server_type", "cx23"},
                     {"image", "debian-12"},
                     {"start_after_create", false}});
    ASSERT_TRUE(c.contains("server")) << c.dump();
    std::string id = std::to_string(c["server"]["id"].get<int64_t>());
    std::string ip = c["server"]["public_net"]["ipv4"]["ip"];
    ASSERT_EQ(k.wait(c["action"]["id"])["status"], "success");
    json r = k.call("POST", "/servers/" + id + "/actions/enable_rescue",
                    {{"ssh_keys", {kk["ssh_key"]["id"]}}});
    ASSERT_TRUE(r.contains("action")) << r.dump();
    ASSERT_EQ(k.wait(r["action"]["id"])["status"], "success");
    json on = k.call("POST", "/servers/" + id + "/actions/poweron", json::object());
    ASSERT_TRUE(on.contains("action")) << on.dump();
    ASSERT_EQ(k.wait(on["action"]["id"])["status"], "success");
    ssh::Config cfg;
    cfg.host = ip;
    cfg.auth.private_key = key->private_key;
    cfg.timeout = std::chrono::seconds(60);
    cfg.retry_interval = std::chrono::milliseconds(200);
    auto cl = ssh::Client::connect(cfg);
    ASSERT_TRUE(cl) << cl.error().to_string();
    std::string out;
    ssh::ExecOptions o;
    o.on_stdout = [&](std::string_view l) { out += std::string(l) + "\n"; };
    o.on_stderr = [&](std::string_view l) { out += std::string(l) + "\n"; };
    auto res = (*cl)->exec(
        "set -e; parted -s /dev/sda -- mklabel gpt mkpart root ext4 512MiB 100% "
        "mkpart swap linux-swap 1MiB 512MiB; mkswap -L swap /dev/sda2 >/dev/null; "
        "swapon /dev/disk/by-label/swap; echo swapped",
        o);
    ASSERT_TRUE(res) << res.error().to_string();
    ASSERT_EQ(res->exit_status, 0) << out;
    EXPECT_NE(read_swaps(), swaps_before);
    k.stop(SIGKILL);
  }
  // Left by the kill: the swap area, and the loop device it holds.
  EXPECT_NE(read_swaps(), swaps_before);
  {
    KilnLocal k;
    ASSERT_TRUE(k.start(state, dir.path() + "/log2")) << k.log;
    std::string text = testing::wait_for_text(k.log, "sshd on");
    EXPECT_NE(text.find("loop device"), std::string::npos) << text;
    EXPECT_EQ(read_swaps(), swaps_before);
    int st = k.stop(SIGTERM);
    EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << st;
  }
  EXPECT_EQ(read_swaps(), swaps_before);
  EXPECT_TRUE(loops_backed_under(state).empty());
  EXPECT_TRUE(processes_in(instance_for_state(state)).empty());
  EXPECT_FALSE(testing::mounts_below(state));
}

}  // namespace
}  // namespace kiln::local
