// The sandbox against the real kernel: namespaces, pivot_root, and that a
// root user inside cannot reach the host's disk, reboot it, change its
// network or exceed its memory. Runs as root (CI does); the probes run this
// very binary inside the sandbox (`--probe NAME ...`, see main()).
#include "local/sandbox.h"

#include <fcntl.h>
#include <linux/reboot.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <vector>

#include <gtest/gtest.h>

#include "local/sandbox_testing.h"

namespace kiln::local {
namespace {

using testing::ScratchDir;
using testing::wait_for_text;

// The host's first real disk ("vda" here), with its device number.
struct HostDisk {
  std::string name;
  unsigned major = 0, minor = 0;
};

HostDisk host_disk() {
  for (auto& e : std::filesystem::directory_iterator("/sys/block")) {
    std::string n = e.path().filename();
    if (n.rfind("loop", 0) == 0 || n.rfind("ram", 0) == 0 || n.rfind("zram", 0) == 0) continue;
    std::ifstream f(e.path() / "dev");
    HostDisk d{n};
    char colon;
    if (f >> d.major >> colon >> d.minor) return d;
  }
  return {};
}

std::string self_exe() {
  return std::filesystem::read_symlink("/proc/self/exe");
}

struct Started {
  std::unique_ptr<Sandbox> sb;
  std::string log;
};

Started start_probe(const ScratchDir& dir, const std::string& script, uint64_t memory,
                    std::string* error) {
  SandboxSpec spec;
  spec.hostname = "probe-host";
  spec.cgroup = "kiln-test/" + std::filesystem::path(dir.path()).filename().string();
  spec.memory_bytes = memory;
  spec.work_dir = dir.path() + "/work";
  testing::make_host_root(dir.path() + "/root", &spec);
  spec.mounts.push_back({self_exe(), "/probe", "", "", true});
  spec.files.push_back({"/run/test.sh", script, 0755});
  spec.argv = {"/bin/sh", "/run/test.sh"};
  spec.log_path = dir.path() + "/log";
  Started s;
  s.log = spec.log_path;
  s.sb = Sandbox::start(spec, error);
  return s;
}

TEST(Sandbox, NamespacesPivotRootAndHostname) {
  KILN_REQUIRE_ROOT();
  ScratchDir dir;
  std::string err;
  auto s = start_probe(dir,
                       "echo pid=$$\n"
                       "echo host=$(hostname)\n"
                       "test -e /tmp/../" +
                           dir.path() +
                           " && echo sees-host || echo no-host\n"
                           "test -d /work && echo sees-work || echo no-work\n"
                           "grep -c . /proc/mounts >/dev/null && echo proc-ok\n"
                           "touch /sys/x 2>/dev/null && echo sys-rw || echo sys-ro\n"
                           "echo 1 > /proc/sys/kernel/ns_last_pid 2>/dev/null && echo procsys-rw "
                           "|| echo procsys-ro\n"
                           "ls /dev\n"
                           "echo DONE\n",
                       0, &err);
  ASSERT_TRUE(s.sb) << err;
  std::string out = wait_for_text(s.log, "DONE");
  EXPECT_NE(out.find("pid=2\n"), std::string::npos) << out;  // init is 1, the script its child
  EXPECT_NE(out.find("host=probe-host\n"), std::string::npos) << out;
  EXPECT_NE(out.find("no-host"), std::string::npos) << out;
  EXPECT_NE(out.find("no-work"), std::string::npos) << out;
  EXPECT_NE(out.find("proc-ok"), std::string::npos) << out;
  EXPECT_NE(out.find("sys-ro"), std::string::npos) << out;
  EXPECT_NE(out.find("procsys-ro"), std::string::npos) << out;
  EXPECT_EQ(out.find("vda"), std::string::npos) << out;
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  EXPECT_NE(std::string(host), "probe-host");  // the UTS namespace kept it inside
  EXPECT_TRUE(s.sb->running());
  EXPECT_TRUE(s.sb->stop(20000));
  EXPECT_FALSE(s.sb->running());
}

// kiln local ignores SIGPIPE (http.cc), and an ignored signal survives
// exec. A machine's processes get the default back, as on a real server:
// `yes | head -n 1` ends quietly instead of yes reporting a broken pipe.
TEST(Sandbox, MachineProcessesGetTheDefaultSigpipeBack) {
  KILN_REQUIRE_ROOT();
  struct sigaction ign {
  }, old{};
  ign.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ign, &old);
  ScratchDir dir;
  std::string err;
  auto s = start_probe(dir, "yes | head -n 1\necho DONE\n", 0, &err);
  ::sigaction(SIGPIPE, &old, nullptr);
  ASSERT_TRUE(s.sb) << err;
  std::string out = wait_for_text(s.log, "DONE");
  EXPECT_EQ(out, "y\nDONE\n");
  EXPECT_TRUE(s.sb->stop(20000));
}

TEST(Sandbox, RootInsideCannotReachTheHost) {
  KILN_REQUIRE_ROOT();
  HostDisk d = host_disk();
  ASSERT_FALSE(d.name.empty()) << "no host disk in /sys/block";
  ScratchDir dir;
  std::string err;
  std::string mm = std::to_string(d.major) + " " + std::to_string(d.minor);
  auto s = start_probe(
      dir,
      "/probe --probe mknod " + mm + "\n" + "/probe --probe devtmpfs " + d.name + "\n" +
          "/probe --probe sysfs " + d.name + "\n" + "/probe --probe reboot\n" +
          "/probe --probe settime\n" +
          "reboot -f >/dev/null 2>&1; echo reboot-command-exit=$?\n"
          "ip link set lo mtu $(cat /sys/class/net/lo/mtu) 2>/dev/null && echo iplink: SUCCEEDED "
          "|| echo iplink: denied\n"
          "ip addr add 127.254.1.1/32 dev lo 2>/dev/null && echo ipaddr: SUCCEEDED || echo "
          "ipaddr: denied\n"
          "echo DONE\n",
      0, &err);
  ASSERT_TRUE(s.sb) << err;
  std::string out = wait_for_text(s.log, "DONE");
  if (out.find("ipaddr: SUCCEEDED") != std::string::npos)
    (void)!std::system("ip addr del 127.254.1.1/32 dev lo");
  for (auto probe : {"mknod", "devtmpfs-open", "sysfs-write", "reboot", "settime"}) {
    EXPECT_NE(out.find(std::string(probe) + ": denied"), std::string::npos)
        << probe << " was not denied:\n"
        << out;
    EXPECT_EQ(out.find(std::string(probe) + ": SUCCEEDED"), std::string::npos) << out;
  }
  EXPECT_EQ(out.find("reboot-command-exit=0"), std::string::npos) << out;
  EXPECT_NE(out.find("iplink: denied"), std::string::npos) << out;
  EXPECT_NE(out.find("ipaddr: denied"), std::string::npos) << out;
  EXPECT_TRUE(s.sb->running()) << "the sandbox died (did reboot reach its init?)";
}

TEST(Sandbox, MemoryLimitIsEnforced) {
  KILN_REQUIRE_ROOT();
  ScratchDir dir;
  std::string err;
  auto s =
      start_probe(dir, "/probe --probe eat 512; echo eat-exit=$?\necho DONE\n", 64ull << 20, &err);
  ASSERT_TRUE(s.sb) << err;
  std::string out = wait_for_text(s.log, "DONE", std::chrono::seconds(120));
  EXPECT_NE(out.find("DONE"), std::string::npos) << out;
  EXPECT_EQ(out.find("survived"), std::string::npos) << out;
  EXPECT_NE(out.find("eat-exit=137"), std::string::npos) << out;  // SIGKILL by the OOM killer
}

TEST(Sandbox, KillLeavesNoProcessOrCgroup) {
  KILN_REQUIRE_ROOT();
  ScratchDir dir;
  std::string err;
  auto s = start_probe(dir, "sleep 1000 & sleep 1000 & echo DONE; wait\n", 0, &err);
  ASSERT_TRUE(s.sb) << err;
  wait_for_text(s.log, "DONE");
  std::string cg = cgroup_v1_dir("devices");
  std::string procs_file;
  {
    std::ifstream f("/proc/self/cgroup");
    std::string line, own;
    while (std::getline(f, line))
      if (line.find(":devices:") != std::string::npos) own = line.substr(line.rfind(':') + 1);
    procs_file = cg + (own == "/" ? "" : own) + "/" + s.sb->cgroup() + "/cgroup.procs";
  }
  std::vector<pid_t> pids;
  {
    std::ifstream f(procs_file);
    pid_t p;
    while (f >> p) pids.push_back(p);
  }
  EXPECT_GE(pids.size(), 4u);  // monitor, init, sh, 2 x sleep
  s.sb->kill();
  for (pid_t p : pids) {
    // A zombie waiting for the host's init to reap it holds nothing; any
    // other state is a survivor.
    std::string state;
    std::ifstream f("/proc/" + std::to_string(p) + "/stat");
    std::string line;
    std::getline(f, line);
    if (auto rp = line.rfind(')'); rp != std::string::npos && rp + 2 < line.size())
      state = line.substr(rp + 2, 1);
    EXPECT_TRUE(state.empty() || state == "Z") << "process " << p << " survived: " << line;
  }
  struct stat st;
  EXPECT_NE(::stat(procs_file.c_str(), &st), 0) << "cgroup left: " << procs_file;
}

TEST(Sandbox, ReportsAFailedStartAsAnError) {
  KILN_REQUIRE_ROOT();
  ScratchDir dir;
  SandboxSpec spec;
  spec.hostname = "bad";
  spec.cgroup = "kiln-test/" + std::filesystem::path(dir.path()).filename().string();
  spec.work_dir = dir.path() + "/work";
  testing::make_host_root(dir.path() + "/root", &spec);
  spec.argv = {"/no/such/program"};
  std::string err;
  auto sb = Sandbox::start(spec, &err);
  EXPECT_FALSE(sb);
  EXPECT_NE(err.find("/no/such/program"), std::string::npos) << err;
}

// ---- probes, run inside the sandbox ------------------------------------------

void report(const std::string& name, bool succeeded) {
  std::cout << name << ": " << (succeeded ? "SUCCEEDED" : "denied") << " ("
            << (succeeded ? "" : std::strerror(errno)) << ")" << std::endl;
}

int probe(int argc, char** argv) {
  std::string what = argv[2];
  if (what == "mknod" && argc >= 5) {
    dev_t dev = makedev(std::stoi(argv[3]), std::stoi(argv[4]));
    bool made = ::mknod("/tmp/hostdisk", S_IFBLK | 0600, dev) == 0;
    int fd = made ? ::open("/tmp/hostdisk", O_RDONLY) : -1;
    report("mknod", made || fd >= 0);
    if (fd >= 0) ::close(fd);
    ::unlink("/tmp/hostdisk");
  } else if (what == "devtmpfs" && argc >= 4) {
    ::mkdir("/tmp/devtmpfs", 0700);
    bool mounted = ::mount("devtmpfs", "/tmp/devtmpfs", "devtmpfs", 0, nullptr) == 0;
    std::cout << "devtmpfs mount: " << (mounted ? "mounted" : std::strerror(errno)) << std::endl;
    int fd = ::open((std::string("/tmp/devtmpfs/") + argv[3]).c_str(), O_RDONLY);
    report("devtmpfs-open", fd >= 0);
    if (fd >= 0) ::close(fd);
    if (mounted) ::umount2("/tmp/devtmpfs", MNT_DETACH);
  } else if (what == "sysfs" && argc >= 4) {
    // Writes back the value it read: harmless even if it got through.
    std::string p = std::string("/sys/block/") + argv[3] + "/queue/read_ahead_kb";
    std::string v;
    std::ifstream(p) >> v;
    int fd = ::open(p.c_str(), O_WRONLY);
    bool wrote = fd >= 0 && ::write(fd, v.data(), v.size()) == static_cast<ssize_t>(v.size());
    report("sysfs-write", wrote);
    if (fd >= 0) ::close(fd);
    // No block device is reachable through /sys either: its dev file is text.
    int dfd = ::open((std::string("/sys/block/") + argv[3]).c_str(), O_RDWR);
    if (dfd >= 0) {
      std::cout << "sysfs-open: SUCCEEDED" << std::endl;
      ::close(dfd);
    }
  } else if (what == "reboot") {
    // CAD_OFF changes nothing even where allowed; the capability check comes first.
    report("reboot", ::syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
                               LINUX_REBOOT_CMD_CAD_OFF, nullptr) == 0);
  } else if (what == "settime") {
    timespec now;
    ::clock_gettime(CLOCK_REALTIME, &now);
    report("settime", ::clock_settime(CLOCK_REALTIME, &now) == 0);
  } else if (what == "eat" && argc >= 4) {
    long mb = std::stol(argv[3]);
    std::vector<char*> blocks;
    for (long i = 0; i < mb; ++i) {
      char* b = static_cast<char*>(std::malloc(1 << 20));
      if (!b) break;
      std::memset(b, 1, 1 << 20);
      blocks.push_back(b);
    }
    std::cout << "survived " << blocks.size() << " MiB" << std::endl;
  } else {
    std::cerr << "unknown probe " << what << std::endl;
    return 2;
  }
  return 0;
}

}  // namespace
}  // namespace kiln::local

int main(int argc, char** argv) {
  if (argc >= 3 && std::string(argv[1]) == "--probe") return kiln::local::probe(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  // The parent cgroups the tests' sandboxes used ("kiln-test/..."), when
  // empty: rmdir only, since ctest -j may run other tests' sandboxes there.
  struct Cleanup : ::testing::Environment {
    void TearDown() override {
      for (const char* c : {"devices", "memory"}) {
        std::string own;
        std::ifstream f("/proc/self/cgroup");
        std::string line;
        while (std::getline(f, line))
          if (line.find(std::string(":") + c + ":") != std::string::npos)
            own = line.substr(line.rfind(':') + 1);
        std::string base = kiln::local::cgroup_v1_dir(c) + (own == "/" ? "" : own);
        for (const char* p : {"/kiln-test", "/kiln-test-machines"}) ::rmdir((base + p).c_str());
      }
    }
  };
  ::testing::AddGlobalTestEnvironment(new Cleanup);
  return RUN_ALL_TESTS();
}

namespace kiln::local {
namespace {

// What a SIGKILLed kiln local whose state directory is gone leaves: empty
// cgroups under kiln-local/ that no start reaps by name. They go; a cgroup
// holding a process (another instance's running server) stays, and so does
// a fresh one when a minimum age is asked for.
TEST(Sandbox, EmptyCgroupsOfGoneInstancesAreRemoved) {
  KILN_REQUIRE_ROOT();
  const std::string parent = "kiln-local-test-" + std::to_string(::getpid());
  auto cgroup_path = [](const char* c, const std::string& rel) {
    std::ifstream f("/proc/self/cgroup");
    std::string line, own;
    while (std::getline(f, line))
      if (line.find(std::string(":") + c + ":") != std::string::npos)
        own = line.substr(line.rfind(':') + 1);
    return cgroup_v1_dir(c) + (own == "/" ? "" : own) + "/" + rel;
  };
  auto dir_of = [&](const char* c, const std::string& rel) {
    return cgroup_path(c, parent + "/" + rel);
  };
  for (const char* c : {"devices", "memory"}) {
    ASSERT_TRUE(std::filesystem::create_directories(dir_of(c, "gone/server-1")));
    ASSERT_TRUE(std::filesystem::create_directories(dir_of(c, "busy/server-2")));
  }
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::pause();
    ::_exit(0);
  }
  std::ofstream(dir_of("devices", "busy/server-2") + "/cgroup.procs") << child << "\n";
  EXPECT_EQ(remove_empty_cgroups(parent, 3600), 0);  // all fresh: nothing
  // devices: gone/server-1, gone; memory: those and busy/server-2, busy
  // (the process is in the devices hierarchy only).
  EXPECT_EQ(remove_empty_cgroups(parent, 0), 6);
  struct stat st;
  EXPECT_NE(::stat(dir_of("devices", "gone").c_str(), &st), 0);
  EXPECT_NE(::stat(dir_of("memory", "gone").c_str(), &st), 0);
  EXPECT_EQ(::stat(dir_of("devices", "busy/server-2").c_str(), &st), 0);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  EXPECT_EQ(remove_empty_cgroups(parent, 0), 2);  // busy/server-2, busy
  for (const char* c : {"devices", "memory"}) ::rmdir(cgroup_path(c, parent).c_str());
  EXPECT_NE(::stat(cgroup_path("devices", parent).c_str(), &st), 0);
}

}  // namespace
}  // namespace kiln::local
