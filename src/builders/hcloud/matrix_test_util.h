// Test support for the fault and signal matrices: kiln local's API served
// in-process (time scale 0 unless asked), a real sshd answering for its
// servers (through a forwarder on every loopback address), or `kiln local`
// as a process with real servers in sandboxes (root), `kiln build`
// and `kiln cleanup` run as processes (the binary of this build tree) in a
// process group of their own, and the counts of what a run left behind:
// servers, SSH keys, journal entries, processes, loop devices, mounts.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "builders/hcloud/local_cloud_test_util.h"
#include "builders/hcloud/spawn_test_util.h"
#include "builders/hcloud/tcp_forwarder_test_util.h"
#include "engine/journal.h"
#include "engine/test_util.h"
#include "hcloud/hcloud.h"
#include "local/api.h"
#include "local/http.h"
#include "local/machine.h"
#include "local/store.h"
#include "ssh/sshd_fixture.h"

namespace kiln::builders::testing {

inline bool contains(const std::string& s, const std::string& what) {
  return s.find(what) != std::string::npos;
}

// The environment of the matrices; every resource it makes is gone with it.
// The API runs in this process (InProcessCloud, start()) or as a `kiln local`
// process with sandboxes (start_sandboxes()).
class MatrixCloud {
 public:
  static constexpr const char* kToken = "matrix-test-token-3c4d5e6f7a8b9c0d";

  // Empty string on success, or why the cloud could not start.
  std::string start(double time_scale) {
    local::ApiOptions o;
    o.token = kToken;
    o.time_scale = time_scale;
    in_process_ = std::make_unique<InProcessCloud>();
    std::string err = in_process_->start(dir_.path + "/cloud", o);
    if (!err.empty()) return err;
    endpoint_ = in_process_->endpoint();
    client_ = &in_process_->client();
    err = ssh::testing::ensure_openssh();
    if (!err.empty()) return err;
    sshd_ = ssh::testing::Sshd::start({}, &err);
    if (!sshd_) return err;
    fwd_ = std::make_unique<TcpForwarder>(sshd_->port());
    state_ = dir_.path + "/kiln-state";
    return "";
  }
  // `kiln local` as a process (time scale 0, the test image cache) whose
  // servers are sandboxes answering SSH themselves. "" or why not.
  std::string start_sandboxes() {
    sandboxes_ = true;
    std::string local_state = dir_.path + "/local";
    std::filesystem::create_directories(local_state);
    const char* cache = std::getenv("KILN_TEST_IMAGE_CACHE");
    SpawnSpec spec;
    spec.argv = {
        KILN_BINARY,   "local",         "--listen",
        "127.0.0.1:0", "--state",       local_state,
        "--token",     kToken,          "--time-scale",
        "0",           "--image-cache", cache && *cache ? cache : "/var/cache/kiln-test/images"};
    const std::string log = out_path("kiln-local");
    spec.output = log;
    spec.own_group = true;
    local_pid_ = spawn_process(spec);
    const std::string marker = "export HCLOUD_ENDPOINT=";
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (endpoint_.empty()) {
      std::string text = slurp(log);
      if (size_t at = text.find(marker);
          at != std::string::npos && text.find('\n', at) != std::string::npos)
        endpoint_ = text.substr(at + marker.size(), text.find('\n', at) - at - marker.size());
      else if (::waitpid(local_pid_, nullptr, WNOHANG) == local_pid_) {
        local_pid_ = -1;
        return "kiln local ended: " + text;
      } else if (std::chrono::steady_clock::now() > deadline)
        return "kiln local did not start: " + text;
      else
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!contains(slurp(log), "servers run in sandboxes")) return "no sandboxes: " + slurp(log);
    instance_ = local::instance_for_state(std::filesystem::canonical(local_state).string());
    hcloud::ClientOptions co;
    co.endpoint = endpoint_;
    co.token = kToken;
    own_client_ = std::make_unique<hcloud::Client>(co);
    client_ = own_client_.get();
    state_ = dir_.path + "/kiln-state";
    return "";
  }
  // Stops kiln local (SIGTERM by its PID); its exit code.
  int stop_sandboxes() {
    if (local_pid_ <= 0) return -1;
    ::kill(local_pid_, SIGTERM);
    int code = wait_exit(local_pid_, std::chrono::seconds(120));
    local_pid_ = -1;
    return code;
  }
  ~MatrixCloud() {
    if (local_pid_ > 0) stop_sandboxes();
    client_ = nullptr;
    own_client_.reset();
    in_process_.reset();
    fwd_.reset();
    sshd_.reset();
  }

  // A template: the hcloud builder in rescue mode, SSH to the test sshd,
  // one shell provisioner running `command` on it. ssh_port 0: the sshd.
  std::string write_template(const std::string& name, const std::string& command, int ssh_port = 0,
                             const std::string& ssh_timeout = "30s") {
    std::string path = dir_.path + "/" + name + ".pkr.hcl";
    if (sandboxes_) {
      // The server's own sshd and the builder's temporary key.
      std::ofstream(path) << "source \"hcloud\" \"m\" {\n  endpoint = \"" << endpoint_
                          << "\"\n  location = \"nbg1\"\n  server_type = \"cx23\"\n"
                             "  image = \"debian-12\"\n  rescue = \"linux64\"\n"
                             "  ssh_username = \"root\"\n  ssh_timeout = \"5m\"\n"
                             "  snapshot_name = \"matrix\"\n}\n"
                             "build {\n  sources = [\"source.hcloud.m\"]\n"
                             "  provisioner \"shell\" { inline = [\""
                          << command << "\"] }\n}\n";
      return path;
    }
    std::ofstream(path) << "source \"hcloud\" \"m\" {\n  endpoint = \"" << endpoint_
                        << "\"\n  location = \"nbg1\"\n  server_type = \"cx23\"\n"
                           "  image = \"debian-12\"\n  rescue = \"linux64\"\n"
                           "  ssh_username = \""
                        << sshd_->user() << "\"\n  ssh_private_key_file = \"" << sshd_->client_key()
                        << "\"\n  ssh_port = " << (ssh_port ? ssh_port : fwd_->port())
                        << "\n  ssh_timeout = \"" << ssh_timeout
                        << "\"\n  snapshot_name = \"matrix\"\n}\n"
                           "build {\n  sources = [\"source.hcloud.m\"]\n"
                           "  provisioner \"shell\" {\n    remote_folder = \""
                        << dir_.path  // the host's /tmp is shared with other tests
                        << "\"\n    inline = [\"" << command << "\"]\n  }\n}\n";
    return path;
  }

  // Starts kiln with args in a process group of its own; output (stdout
  // and stderr) to <dir>/<name>.out.
  pid_t spawn(const std::vector<std::string>& args, const std::string& name) {
    SpawnSpec spec;
    spec.argv = {KILN_BINARY};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.set_env = {"KILN_STATE_DIR=" + state_, std::string("HCLOUD_TOKEN=") + kToken};
    spec.unset_env = {"PACKER_LOG", "HCLOUD_ENDPOINT"};
    spec.output = out_path(name);
    spec.own_group = true;
    return spawn_process(spec);
  }
  std::string out_path(const std::string& name) const { return dir_.path + "/" + name + ".out"; }

  // The exit code (128 + signal when killed). A run still going after
  // `limit` is killed and reported as -1: a hang, never a pass.
  static int wait_exit(pid_t pid, std::chrono::seconds limit = std::chrono::seconds(180)) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    int st = 0;
    while (true) {
      pid_t r = ::waitpid(pid, &st, WNOHANG);
      if (r == pid) break;
      if (r < 0) return -2;
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(-pid, SIGKILL);
        ::waitpid(pid, &st, 0);
        return -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  }

  // `kiln cleanup -yes` against this cloud; its exit code.
  int cleanup(const std::string& name) {
    return wait_exit(spawn({"cleanup", "-yes", "-endpoint", endpoint_}, name));
  }

  int servers() {
    auto r = client_->servers().list();
    return r.ok() ? static_cast<int>(r->size()) : 99;
  }
  int keys() {
    auto r = client_->ssh_keys().list();
    return r.ok() ? static_cast<int>(r->size()) : 99;
  }
  // Deletes every server and key (after a failed case, so that the next
  // starts from nothing).
  void remove_all() {
    if (auto s = client_->servers().list(); s.ok())
      for (auto& srv : s.value()) (void)client_->servers().del(srv.id);
    if (auto k = client_->ssh_keys().list(); k.ok())
      for (auto& key : k.value()) (void)client_->ssh_keys().del(key.id);
    std::error_code ec;
    std::filesystem::remove_all(state_ + "/runs", ec);
  }
  // Snapshots are products: counted, then deleted so that the next build's
  // snapshot name is free.
  int take_snapshots() {
    hcloud::ImageListOpts o;
    o.types = {"snapshot"};
    auto r = client_->images().list(o);
    if (!r.ok()) return 99;
    for (auto& i : r.value()) (void)client_->images().del(i.id);
    return static_cast<int>(r->size());
  }

  // The servers and keys the cloud holds that no journal of this state
  // directory lists as left over ("" when all are journaled).
  std::string unjournaled() {
    std::set<std::pair<std::string, int64_t>> journaled;
    for (auto& run : engine::read_journal(state_))
      for (auto& res : run.leftovers()) journaled.insert({res.kind, res.id});
    std::string out;
    if (auto s = client_->servers().list(); s.ok())
      for (auto& srv : s.value())
        if (!journaled.count({"server", srv.id})) out += " server " + std::to_string(srv.id);
    if (auto k = client_->ssh_keys().list(); k.ok())
      for (auto& key : k.value())
        if (!journaled.count({"ssh_key", key.id})) out += " ssh_key " + std::to_string(key.id);
    return out;
  }
  // Journal files of this state directory (a clean end leaves none).
  int journal_files() {
    int n = 0;
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(state_ + "/runs", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
      n++;
    return n;
  }

  // Processes left: any in the group of `pgid`, or any whose command line
  // names this test's directory (template, state). "" when none.
  std::string processes_left(pid_t pgid) const {
    std::string out;
    if (pgid > 0 && ::kill(-pgid, 0) == 0) out += " group " + std::to_string(pgid) + " alive;";
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator("/proc", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
      std::string pid = it->path().filename().string();
      if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
      // This test and the kiln local it runs are not the build's.
      if (std::stoi(pid) == ::getpid() || std::stoi(pid) == local_pid_) continue;
      std::string cmd = slurp("/proc/" + pid + "/cmdline");
      for (auto& c : cmd)
        if (c == '\0') c = ' ';
      if (contains(cmd, dir_.path)) out += " " + pid + ": " + cmd + ";";
    }
    return out;
  }

  // Loop devices whose backing file, and mounts whose source or target, is
  // under this test's directory; processes in the sandboxes' cgroups. ""
  // when none.
  std::string loops_left() const {
    std::string out;
    ssh::testing::run_command({"losetup", "-J"}, &out);
    auto j = nlohmann::json::parse(out.empty() ? "{}" : out, nullptr, false);
    std::string left;
    if (j.is_object() && j.contains("loopdevices"))
      for (auto& d : j["loopdevices"])
        if (contains(d.value("back-file", ""), dir_.path))
          left += " " + d.value("name", "?") + " (" + d.value("back-file", "") + ")";
    return left;
  }
  std::string mounts_left() const {
    std::istringstream in(slurp("/proc/self/mountinfo"));
    std::string line, left;
    while (std::getline(in, line))
      if (contains(line, dir_.path)) left += " [" + line + "]";
    return left;
  }
  std::string sandbox_processes_left() const {
    if (instance_.empty()) return "";
    std::string left;
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator("/proc", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
      std::string pid = it->path().filename().string();
      if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
      if (contains(slurp("/proc/" + pid + "/cgroup"), "/" + instance_ + "/")) left += " " + pid;
    }
    return left;
  }

  local::Api& api() { return in_process_->api(); }  // the in-process cloud's
  hcloud::Client& client() { return *client_; }
  const std::string& endpoint() const { return endpoint_; }
  const std::string& dir() const { return dir_.path; }

 private:
  engine::testing::TempDir dir_;
  std::unique_ptr<InProcessCloud> in_process_;  // start(): the API in this process
  std::unique_ptr<hcloud::Client> own_client_;  // start_sandboxes(): a client of kiln local
  hcloud::Client* client_ = nullptr;            // one of the two
  std::string endpoint_, state_;
  std::unique_ptr<ssh::testing::Sshd> sshd_;
  std::unique_ptr<TcpForwarder> fwd_;
  bool sandboxes_ = false;
  pid_t local_pid_ = -1;
  std::string instance_;  // the sandboxes' cgroup name
};

// Waits until `what` returns "" (a condition; the deadline only stops a
// hung test), then returns its last answer.
template <typename F>
std::string settled(F what) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::string s = what();
  while (!s.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    s = what();
  }
  return s;
}

// KILN_FAULT_MATRIX=full runs every case; otherwise a sample chosen by
// KILN_FAULT_SEED (default 1).
inline bool full_matrix() {
  const char* m = std::getenv("KILN_FAULT_MATRIX");
  return m && std::string(m) == "full";
}
inline unsigned matrix_seed() {
  const char* s = std::getenv("KILN_FAULT_SEED");
  return s && *s ? static_cast<unsigned>(std::strtoul(s, nullptr, 10)) : 1u;
}

}  // namespace kiln::builders::testing
