// Servers for real, through the API: create from debian-12, SSH in, rescue,
// reset, write to /dev/sda in rescue, snapshot, a server from the snapshot
// sees the data, delete everything, nothing left. And `kiln local` killed
// with SIGKILL leaves nothing that its next start does not reap.
//
// Uses the image cache shared by the root tests (KILN_TEST_IMAGE_CACHE, or
// /var/cache/kiln-test/images): the first run builds Debian (minutes).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "local/api.h"
#include "local/disk.h"
#include "local/image_cache.h"
#include "local/machine.h"
#include "local/machine_backend.h"
#include "local/netaddr.h"
#include "local/sandbox.h"
#include "local/sandbox_testing.h"
#include "local/store.h"
#include "ssh/client.h"
#include "ssh/keygen.h"

namespace kiln::local {
namespace {

using json = nlohmann::json;
using testing::ScratchDir;

std::string image_cache_dir() {
  const char* e = std::getenv("KILN_TEST_IMAGE_CACHE");
  return e && *e ? e : "/var/cache/kiln-test/images";
}

// What a state directory's servers may leave on the host.
struct Leftovers {
  std::vector<std::string> loops;
  bool cgroups = false;
  bool mounts = false;
  std::string swaps;
};

Leftovers leftovers(const std::string& state, const std::string& instance) {
  Leftovers l;
  l.loops = loops_backed_under(state);
  for (const char* c : {"devices", "memory"}) {
    std::string own;
    std::ifstream f("/proc/self/cgroup");
    std::string line;
    while (std::getline(f, line))
      if (line.find(std::string(":") + c + ":") != std::string::npos)
        own = line.substr(line.rfind(':') + 1);
    std::string dir = cgroup_v1_dir(c) + (own == "/" ? "" : own) + "/" + instance;
    std::error_code ec;
    if (std::filesystem::exists(dir, ec))
      for (auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.is_directory()) l.cgroups = true;
  }
  l.mounts = testing::mounts_below(state);
  std::ifstream sw("/proc/swaps");
  std::string line;
  std::getline(sw, line);  // header
  while (std::getline(sw, line)) l.swaps += line + "\n";
  return l;
}

class Cloud {
 public:
  explicit Cloud(const std::string& state)
      : images_(image_cache_dir()), machines_(options(state)), backend_(machines_) {
    std::string err;
    store_ = Store::open(state + "/db", &err);
    EXPECT_TRUE(store_) << err;
    ApiOptions o;
    o.token = "t";
    o.time_scale = 0;
    o.backend = &backend_;
    o.ipv4_offset = ipv4_offset_for_state(state);
    api_ = std::make_unique<Api>(*store_, o);
    backend_.set_api(api_.get());
    images_.set_log([](const std::string& l) { std::fprintf(stderr, "[images] %s\n", l.c_str()); });
  }
  ~Cloud() { machines_.drain(); }

  json call(const std::string& method, const std::string& path, const json& body = nullptr) {
    ApiRequest r;
    r.method = method;
    r.path = path;
    r.authorization = "Bearer t";
    if (!body.is_null()) r.body = body.dump();
    ApiResponse resp = api_->handle(r);
    json j = resp.body.empty() ? json::object() : json::parse(resp.body);
    j["_status"] = resp.status;
    return j;
  }

  // Waits (bounded: a first image build takes minutes) for an action's end.
  json wait(const json& action) {
    int64_t id = action["id"];
    auto end = std::chrono::steady_clock::now() + std::chrono::minutes(30);
    json a;
    while (std::chrono::steady_clock::now() < end) {
      a = call("GET", "/v1/actions/" + std::to_string(id))["action"];
      if (a["status"] != "running") return a;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return a;
  }

  Machines& machines() { return machines_; }
  std::string instance() const { return instance_; }

 private:
  Machines::Options options(const std::string& state) {
    Machines::Options o;
    o.state_dir = state;
    instance_ =
        "kiln-test-machines/" + std::filesystem::path(state).parent_path().filename().string();
    o.instance = instance_;
    o.images = &images_;
    o.shutdown_grace_ms = 3000;
    return o;
  }
  std::string instance_;
  ImageCache images_;
  Machines machines_;
  MachineBackend backend_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Api> api_;
};

std::unique_ptr<ssh::Client> ssh_in(const std::string& ip, int port, const std::string& key,
                                    std::string* error) {
  ssh::Config c;
  c.host = ip;
  c.port = port;
  c.auth.private_key = key;
  c.timeout = std::chrono::seconds(60);
  c.retry_interval = std::chrono::milliseconds(200);
  auto r = ssh::Client::connect(c);
  if (!r) {
    *error = r.error().to_string();
    return nullptr;
  }
  return std::move(*r);
}

std::string run(ssh::Client& c, const std::string& cmd, int* status = nullptr) {
  std::string out;
  ssh::ExecOptions o;
  o.on_stdout = [&](std::string_view l) { out += std::string(l) + "\n"; };
  o.on_stderr = [&](std::string_view l) { out += "stderr: " + std::string(l) + "\n"; };
  auto r = c.exec(cmd, o);
  if (status) *status = r ? r->exit_status : -1;
  return out;
}

TEST(Machines, LifecycleOverTheApi) {
  KILN_REQUIRE_ROOT();
  ScratchDir dir;
  const std::string state = dir.path() + "/state";
  std::string err;
  auto key = ssh::generate_key_pair(ssh::KeyType::kEd25519, 0, "kiln-test");
  ASSERT_TRUE(key) << key.error().to_string();
  std::string instance;
  {
    Cloud cloud(state);
    instance = cloud.instance();
    json k = cloud.call("POST", "/v1/ssh_keys", {{"name", "k"}, {"public_key", key->public_key}});
    ASSERT_EQ(k["_status"], 201) << k.dump();

    // A server from debian-12: it boots the system on its disk, with our key.
    json c = cloud.call("POST", "/v1/servers",
                        {{"name", "alpha"},
                         {"server_type", "cx23"},
                         {"image", "debian-12"},
                         {"ssh_keys", {k["ssh_key"]["id"]}},
                         {"user_data", "#cloud-config\n"}});
    ASSERT_EQ(c["_status"], 201) << c.dump();
    int64_t id = c["server"]["id"];
    std::string ip = c["server"]["public_net"]["ipv4"]["ip"];
    ASSERT_EQ(cloud.wait(c["action"])["status"], "success");
    json started = cloud.wait(c["next_actions"][0]);
    ASSERT_EQ(started["status"], "success") << started.dump();
    EXPECT_EQ(cloud.call("GET", "/v1/servers/" + std::to_string(id))["server"]["status"],
              "running");
    int port = cloud.machines().ssh_port(id);
    ASSERT_GT(port, 0);
    auto s = ssh_in(ip, port, key->private_key, &err);
    ASSERT_TRUE(s) << err;
    std::string out = run(*s,
                          "hostname; . /etc/os-release; echo $VERSION_CODENAME; "
                          "ls /var/lib/cloud/seed/nocloud/; findmnt -no SOURCE /");
    EXPECT_NE(out.find("alpha\n"), std::string::npos) << out;
    EXPECT_NE(out.find("bookworm\n"), std::string::npos) << out;
    EXPECT_NE(out.find("user-data"), std::string::npos) << out;
    s.reset();

    // Rescue: enable, reset; root in RAM, the disk as /dev/sda; write to it.
    json r = cloud.call("POST", "/v1/servers/" + std::to_string(id) + "/actions/enable_rescue",
                        {{"type", "linux64"}, {"ssh_keys", {k["ssh_key"]["id"]}}});
    ASSERT_EQ(r["_status"], 201) << r.dump();
    ASSERT_EQ(cloud.wait(r["action"])["status"], "success");
    json reset = cloud.call("POST", "/v1/servers/" + std::to_string(id) + "/actions/reset");
    ASSERT_EQ(cloud.wait(reset["action"])["status"], "success");
    EXPECT_EQ(cloud.call("GET", "/v1/servers/" + std::to_string(id))["server"]["rescue_enabled"],
              false);
    s = ssh_in(ip, cloud.machines().ssh_port(id), key->private_key, &err);
    ASSERT_TRUE(s) << err;
    int st = -1;
    out = run(*s,
              "set -e; findmnt -no FSTYPE /; ls /dev/sda /dev/sda1; mount /dev/sda1 /mnt; "
              "echo kiln-was-here > /mnt/root/kiln-data; umount /mnt; "
              "dd if=/dev/urandom of=/dev/null bs=1k count=1 2>/dev/null; echo rescue-ok",
              &st);
    EXPECT_EQ(st, 0) << out;
    EXPECT_NE(out.find("overlay\n"), std::string::npos) << out;
    EXPECT_NE(out.find("rescue-ok"), std::string::npos) << out;
    // Root in rescue, through the real server's FUSE /dev and cgroups, still
    // cannot reach the host's disk or network.
    std::string hd;
    for (auto& e : std::filesystem::directory_iterator("/sys/block")) {
      std::string n = e.path().filename();
      if (n.rfind("loop", 0) && n.rfind("ram", 0) && n.rfind("zram", 0)) {
        hd = n;
        break;
      }
    }
    std::string mm;
    std::getline(std::ifstream("/sys/block/" + hd + "/dev"), mm);
    std::replace(mm.begin(), mm.end(), ':', ' ');
    out =
        run(*s, "mknod /tmp/hd b " + mm +
                    " 2>/dev/null && head -c1 /tmp/hd >/dev/null 2>&1 && "
                    "echo MKNOD-OPENED; mkdir -p /tmp/dt; mount -t devtmpfs none /tmp/dt "
                    "2>/dev/null; head -c1 /tmp/dt/" +
                    hd +
                    " >/dev/null 2>&1 && echo DEVTMPFS-OPENED; "
                    "umount /tmp/dt 2>/dev/null; ip addr add 127.254.2.2/32 dev lo 2>/dev/null && "
                    "echo IPADDR-ADDED; ls /dev; echo checked");
    if (out.find("IPADDR-ADDED") != std::string::npos)
      (void)!std::system("ip addr del 127.254.2.2/32 dev lo");
    EXPECT_NE(out.find("checked"), std::string::npos) << out;
    EXPECT_EQ(out.find("OPENED"), std::string::npos) << out;
    EXPECT_EQ(out.find("IPADDR-ADDED"), std::string::npos) << out;
    EXPECT_EQ(out.find(hd + "\n"), std::string::npos) << "host disk in /dev: " << out;
    s.reset();

    // Snapshot (server running), with labels; then a server from it.
    json snap = cloud.call("POST", "/v1/servers/" + std::to_string(id) + "/actions/create_image",
                           {{"description", "t"}, {"labels", {{"kiln-test", "yes"}}}});
    ASSERT_EQ(snap["_status"], 201) << snap.dump();
    ASSERT_EQ(cloud.wait(snap["action"])["status"], "success");
    int64_t iid = snap["image"]["id"];
    json img = cloud.call("GET", "/v1/images/" + std::to_string(iid))["image"];
    EXPECT_EQ(img["status"], "available");
    EXPECT_GT(img["image_size"].get<double>(), 0.1) << img.dump();
    EXPECT_LT(img["image_size"].get<double>(), 10.0) << img.dump();  // sparse: data, not 40 GB

    json c2 = cloud.call("POST", "/v1/servers",
                         {{"name", "beta"},
                          {"server_type", "cx23"},
                          {"image", iid},
                          {"ssh_keys", {k["ssh_key"]["id"]}}});
    ASSERT_EQ(c2["_status"], 201) << c2.dump();
    int64_t id2 = c2["server"]["id"];
    ASSERT_EQ(cloud.wait(c2["action"])["status"], "success");
    ASSERT_EQ(cloud.wait(c2["next_actions"][0])["status"], "success");
    s = ssh_in(c2["server"]["public_net"]["ipv4"]["ip"], cloud.machines().ssh_port(id2),
               key->private_key, &err);
    ASSERT_TRUE(s) << err;
    out = run(*s, "cat /root/kiln-data; hostname");
    EXPECT_NE(out.find("kiln-was-here"), std::string::npos) << out;
    EXPECT_NE(out.find("beta"), std::string::npos) << out;
    s.reset();

    // Delete everything.
    for (int64_t sid : {id, id2}) {
      json d = cloud.call("DELETE", "/v1/servers/" + std::to_string(sid));
      ASSERT_EQ(cloud.wait(d["action"])["status"], "success") << d.dump();
    }
    EXPECT_EQ(cloud.call("DELETE", "/v1/images/" + std::to_string(iid))["_status"], 204);
    cloud.machines().drain();
    EXPECT_FALSE(std::filesystem::exists(state + "/servers/" + std::to_string(id)));
    EXPECT_FALSE(std::filesystem::exists(cloud.machines().snapshot_path(iid)));
  }
  Leftovers l = leftovers(state, instance);
  EXPECT_TRUE(l.loops.empty());
  EXPECT_FALSE(l.cgroups);
  EXPECT_FALSE(l.mounts);
}

// Power actions and change_type on a real server: shutdown and poweroff stop
// the system (no sshd), poweron and reboot bring it back, a type change with
// upgrade_disk grows the disk file.
TEST(Machines, PowerActionsAndChangeType) {
  KILN_REQUIRE_ROOT();
  ScratchDir dir;
  const std::string state = dir.path() + "/state";
  std::string err, instance;
  auto key = ssh::generate_key_pair(ssh::KeyType::kEd25519, 0, "kiln-test");
  ASSERT_TRUE(key);
  {
    Cloud cloud(state);
    instance = cloud.instance();
    json k = cloud.call("POST", "/v1/ssh_keys", {{"name", "k"}, {"public_key", key->public_key}});
    json c = cloud.call("POST", "/v1/servers",
                        {{"name", "gamma"},
                         {"server_type", "cx23"},
                         {"image", "debian-12"},
                         {"ssh_keys", {k["ssh_key"]["id"]}}});
    ASSERT_EQ(c["_status"], 201) << c.dump();
    const std::string sid = std::to_string(c["server"]["id"].get<int64_t>());
    const int64_t id = c["server"]["id"];
    const std::string ip = c["server"]["public_net"]["ipv4"]["ip"];
    ASSERT_EQ(cloud.wait(c["next_actions"][0])["status"], "success");
    auto act = [&](const std::string& name, const json& body = json::object()) {
      json r = cloud.call("POST", "/v1/servers/" + sid + "/actions/" + name, body);
      EXPECT_EQ(r["_status"], 201) << name << ": " << r.dump();
      return r.contains("action") ? cloud.wait(r["action"])["status"] : json("no action");
    };
    auto answers = [&] {
      auto s = ssh_in(ip, cloud.machines().ssh_port(id), key->private_key, &err);
      return s && run(*s, "echo up").find("up") != std::string::npos;
    };
    EXPECT_TRUE(answers()) << err;
    // A file written before the reboot is still there after it: the same disk.
    {
      auto s = ssh_in(ip, cloud.machines().ssh_port(id), key->private_key, &err);
      ASSERT_TRUE(s) << err;
      run(*s, "echo persisted > /root/mark; sync");
    }
    EXPECT_EQ(act("reboot"), "success");
    {
      auto s = ssh_in(ip, cloud.machines().ssh_port(id), key->private_key, &err);
      ASSERT_TRUE(s) << err;
      EXPECT_NE(run(*s, "cat /root/mark").find("persisted"), std::string::npos);
    }
    EXPECT_EQ(act("shutdown"), "success");
    EXPECT_EQ(cloud.call("GET", "/v1/servers/" + sid)["server"]["status"], "off");
    EXPECT_EQ(cloud.machines().ssh_port(id), 0);
    EXPECT_TRUE(tcp_bind_problem(ip, 22).empty()) << "sshd still listens after shutdown";
    EXPECT_EQ(act("poweron"), "success");
    EXPECT_TRUE(answers()) << err;
    EXPECT_EQ(act("poweroff"), "success");
    EXPECT_TRUE(tcp_bind_problem(ip, 22).empty()) << "sshd still listens after poweroff";
    uint64_t before = std::filesystem::file_size(cloud.machines().disk_path(id));
    EXPECT_EQ(act("change_type", {{"server_type", "cx33"}, {"upgrade_disk", true}}), "success");
    uint64_t after = std::filesystem::file_size(cloud.machines().disk_path(id));
    EXPECT_EQ(after, 2 * before);
    EXPECT_EQ(act("poweron"), "success");
    EXPECT_TRUE(answers()) << err;
    json d = cloud.call("DELETE", "/v1/servers/" + sid);
    EXPECT_EQ(cloud.wait(d["action"])["status"], "success");
    cloud.machines().drain();
  }
  Leftovers l = leftovers(state, instance);
  EXPECT_TRUE(l.loops.empty());
  EXPECT_FALSE(l.cgroups);
  EXPECT_FALSE(l.mounts);
}

}  // namespace
}  // namespace kiln::local
