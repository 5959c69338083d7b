#include "local/sandbox.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <dirent.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace kiln::local {

namespace {

// ---- small host-side helpers ------------------------------------------------

bool write_file(const std::string& path, const std::string& data, std::string* error) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    if (error) *error = path + ": " + std::strerror(errno);
    return false;
  }
  ssize_t n = ::write(fd, data.data(), data.size());
  int e = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(data.size())) {
    if (error) *error = "writing '" + data + "' to " + path + ": " + std::strerror(e);
    return false;
  }
  return true;
}

bool mkdir_p(const std::string& path, mode_t mode = 0755) {
  if (path.empty()) return true;
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) return S_ISDIR(st.st_mode);
  auto slash = path.find_last_of('/');
  if (slash != std::string::npos && slash > 0 && !mkdir_p(path.substr(0, slash), mode))
    return false;
  return ::mkdir(path.c_str(), mode) == 0 || errno == EEXIST;
}

// This process's cgroup (v1) for a controller, e.g. "/process_api/x" or "".
std::string own_cgroup(const std::string& controller) {
  std::ifstream f("/proc/self/cgroup");
  std::string line;
  while (std::getline(f, line)) {
    auto a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    std::string ctrls = line.substr(a + 1, b - a - 1), path = line.substr(b + 1);
    std::stringstream ss(ctrls);
    std::string c;
    while (std::getline(ss, c, ','))
      if (c == controller) return path == "/" ? "" : path;
  }
  return "";
}

std::string cgroup_path(const std::string& controller, const std::string& rel) {
  std::string base = cgroup_v1_dir(controller);
  if (base.empty()) return "";
  return base + own_cgroup(controller) + "/" + rel;
}

std::vector<pid_t> cgroup_procs(const std::string& dir) {
  std::vector<pid_t> out;
  std::ifstream f(dir + "/cgroup.procs");
  pid_t p;
  while (f >> p) out.push_back(p);
  return out;
}

// Kills what runs in `dir` and its children, waits until they are gone, and
// removes the directories, deepest first. Counts removed directories.
int kill_and_remove(const std::string& dir, std::string* error) {
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) return 0;
  int removed = 0;
  std::vector<std::string> subdirs;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n == "." || n == "..") continue;
      if (e->d_type == DT_DIR) subdirs.push_back(dir + "/" + n);
    }
    ::closedir(d);
  }
  for (auto& s : subdirs) removed += kill_and_remove(s, error);
  // Processes leave a cgroup a moment after SIGKILL; wait, bounded.
  for (int i = 0; i < 2000; ++i) {
    auto procs = cgroup_procs(dir);
    if (procs.empty()) break;
    for (pid_t p : procs) ::kill(p, SIGKILL);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (int i = 0; i < 200; ++i) {
    if (::rmdir(dir.c_str()) == 0 || errno == ENOENT) return removed + 1;
    if (errno != EBUSY) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (error) *error = "cannot remove cgroup " + dir + ": " + std::strerror(errno);
  return removed;
}

// ---- inside the sandbox (forked children: only async-signal-safe habits) ---

[[noreturn]] void fail(int errfd, const std::string& what) {
  std::string msg = what + ": " + std::strerror(errno);
  ssize_t ignored = ::write(errfd, msg.data(), msg.size());
  (void)ignored;
  ::_exit(127);
}

void mount_or_fail(int errfd, const char* src, const std::string& target, const char* type,
                   unsigned long flags, const std::string& data) {
  if (::mount(src, target.c_str(), type, flags, data.empty() ? nullptr : data.c_str()) != 0)
    fail(errfd,
         std::string("mount ") + (type ? type : "bind") + " " + (src ? src : "") + " on " + target);
}

// A read-only bind of a path onto itself (e.g. /proc/sys).
void bind_readonly(int errfd, const std::string& path) {
  mount_or_fail(errfd, path.c_str(), path, nullptr, MS_BIND | MS_REC, "");
  mount_or_fail(errfd, nullptr, path, nullptr,
                MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "");
}

const std::vector<SandboxDevice>& usual_devices() {
  static const std::vector<SandboxDevice> devs = {
      {"null", 'c', 1, 3},    {"zero", 'c', 1, 5}, {"full", 'c', 1, 7},   {"random", 'c', 1, 8},
      {"urandom", 'c', 1, 9}, {"tty", 'c', 5, 0},  {"fuse", 'c', 10, 229}};
  return devs;
}

void build_dev(int errfd, const std::string& dev, const SandboxSpec& spec) {
  mkdir_p(dev);
  mount_or_fail(errfd, "tmpfs", dev, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755,size=1m");
  auto node = [&](const SandboxDevice& d, mode_t perm) {
    if (d.name.empty()) return;
    std::string p = dev + "/" + d.name;
    auto slash = p.find_last_of('/');
    mkdir_p(p.substr(0, slash));
    mode_t m = (d.type == 'b' ? S_IFBLK : S_IFCHR) | perm;
    if (::mknod(p.c_str(), m, makedev(d.major, d.minor)) != 0) fail(errfd, "mknod " + p);
    ::chmod(p.c_str(), perm);
  };
  for (auto& d : usual_devices()) node(d, 0666);
  for (auto& d : spec.devices) node(d, 0660);
  mkdir_p(dev + "/pts");
  mkdir_p(dev + "/shm");
  mount_or_fail(errfd, "devpts", dev + "/pts", "devpts", MS_NOSUID | MS_NOEXEC,
                "newinstance,ptmxmode=0666,mode=0620,gid=5");
  mount_or_fail(errfd, "tmpfs", dev + "/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
  (void)!::symlink("pts/ptmx", (dev + "/ptmx").c_str());
  (void)!::symlink("/proc/self/fd", (dev + "/fd").c_str());
  (void)!::symlink("/proc/self/fd/0", (dev + "/stdin").c_str());
  (void)!::symlink("/proc/self/fd/1", (dev + "/stdout").c_str());
  (void)!::symlink("/proc/self/fd/2", (dev + "/stderr").c_str());
}

void drop_capabilities(int errfd) {
  static const cap_value_t dropped[] = {CAP_MKNOD,    CAP_SYS_BOOT,   CAP_NET_ADMIN,
                                        CAP_SYS_TIME, CAP_SYS_MODULE, CAP_SYS_RAWIO};
  for (cap_value_t c : dropped)
    if (::prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0) fail(errfd, "dropping a capability");
  cap_t caps = cap_get_proc();
  if (!caps) fail(errfd, "cap_get_proc");
  int n = sizeof dropped / sizeof dropped[0];
  cap_set_flag(caps, CAP_EFFECTIVE, n, dropped, CAP_CLEAR);
  cap_set_flag(caps, CAP_PERMITTED, n, dropped, CAP_CLEAR);
  cap_set_flag(caps, CAP_INHERITABLE, n, dropped, CAP_CLEAR);
  if (cap_set_proc(caps) != 0) fail(errfd, "cap_set_proc");
  cap_free(caps);
  ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
}

void on_signal(int) {}

// PID 1 of the sandbox.
[[noreturn]] void run_init(const SandboxSpec& spec, int errfd, int logfd) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    fail(errfd, "making mounts private");
  if (::sethostname(spec.hostname.data(), spec.hostname.size()) != 0)
    fail(errfd, "sethostname " + spec.hostname);

  const std::string root = spec.work_dir + "/root";
  mkdir_p(root);
  if (!spec.root_dir.empty()) {
    mount_or_fail(errfd, spec.root_dir.c_str(), root, nullptr, MS_BIND | MS_REC, "");
  } else if (!spec.root_device.empty()) {
    mount_or_fail(errfd, spec.root_device.c_str(), root, spec.root_fstype.c_str(), 0, "");
  } else if (!spec.overlay_lower.empty()) {
    const std::string ram = spec.work_dir + "/ram";
    mkdir_p(ram);
    uint64_t size = spec.ram_bytes ? spec.ram_bytes : spec.memory_bytes;
    mount_or_fail(errfd, "tmpfs", ram, "tmpfs", 0,
                  size ? "mode=755,size=" + std::to_string(size) : "mode=755");
    mkdir_p(ram + "/upper");
    mkdir_p(ram + "/work");
    mount_or_fail(
        errfd, "overlay", root, "overlay", 0,
        "lowerdir=" + spec.overlay_lower + ",upperdir=" + ram + "/upper,workdir=" + ram + "/work");
  } else {
    errno = EINVAL;
    fail(errfd, "sandbox without a root");
  }

  for (auto& m : spec.mounts) {
    std::string target = root + m.target;
    struct stat st;
    bool file = m.fstype.empty() && ::stat(m.source.c_str(), &st) == 0 && !S_ISDIR(st.st_mode);
    if (file) {
      mkdir_p(target.substr(0, target.find_last_of('/')));
      int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
      if (fd >= 0) ::close(fd);
    } else {
      mkdir_p(target);
    }
    if (m.fstype.empty()) {
      mount_or_fail(errfd, m.source.c_str(), target, nullptr, MS_BIND | MS_REC, "");
      if (m.readonly)
        mount_or_fail(errfd, nullptr, target, nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY, "");
    } else {
      mount_or_fail(errfd, m.source.c_str(), target, m.fstype.c_str(), m.readonly ? MS_RDONLY : 0,
                    m.data);
    }
  }

  mkdir_p(root + "/proc");
  mount_or_fail(errfd, "proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "");
  bind_readonly(errfd, root + "/proc/sys");
  struct stat sysrq;
  if (::stat((root + "/proc/sysrq-trigger").c_str(), &sysrq) == 0)
    bind_readonly(errfd, root + "/proc/sysrq-trigger");
  mkdir_p(root + "/sys");
  mount_or_fail(errfd, "sysfs", root + "/sys", "sysfs",
                MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "");
  mkdir_p(root + "/run");
  mount_or_fail(errfd, "tmpfs", root + "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=755");
  if (spec.make_dev) {
    std::string err;
    if (!spec.make_dev(root, &err)) {
      errno = 0;
      fail(errfd, "making /dev: " + err);
    }
  } else {
    build_dev(errfd, root + "/dev", spec);
  }

  if (::chdir(root.c_str()) != 0) fail(errfd, "chdir " + root);
  if (::syscall(SYS_pivot_root, ".", ".") != 0) fail(errfd, "pivot_root " + root);
  if (::umount2(".", MNT_DETACH) != 0) fail(errfd, "detaching the old root");
  if (::chdir("/") != 0) fail(errfd, "chdir /");

  for (auto& f : spec.files) {
    mkdir_p(f.path.substr(0, f.path.find_last_of('/')));
    int fd = ::open(f.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, f.mode);
    if (fd < 0) fail(errfd, "writing " + f.path);
    if (::write(fd, f.content.data(), f.content.size()) != static_cast<ssize_t>(f.content.size()))
      fail(errfd, "writing " + f.path);
    ::fchmod(fd, f.mode);
    ::close(fd);
  }

  drop_capabilities(errfd);

  // Signals: handled (a namespace's init gets only signals it handles) but
  // blocked, and taken with sigtimedwait.
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  for (int s : {SIGTERM, SIGINT, SIGHUP, SIGCHLD}) ::sigaction(s, &sa, nullptr);
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGTERM, SIGINT, SIGHUP, SIGCHLD}) sigaddset(&set, s);
  ::sigprocmask(SIG_BLOCK, &set, nullptr);

  if (!spec.argv.empty()) {
    int ep[2];
    if (::pipe2(ep, O_CLOEXEC) != 0) fail(errfd, "pipe");
    std::vector<char*> argv, envp;
    for (auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::vector<std::string> env = {
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root",
        "LANG=C.UTF-8"};
    for (auto& e : spec.env) env.push_back(e);
    for (auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    pid_t child = ::fork();
    if (child < 0) fail(errfd, "fork");
    if (child == 0) {
      sigset_t none;
      sigemptyset(&none);
      ::sigprocmask(SIG_SETMASK, &none, nullptr);
      // kiln local ignores SIGPIPE (http.cc) and an ignored signal survives
      // exec: a machine's processes get the default back, as on a real
      // server, so `yes | head -1` in a user's script ends as it would there.
      struct sigaction dfl {};
      dfl.sa_handler = SIG_DFL;
      ::sigaction(SIGPIPE, &dfl, nullptr);
      ::setsid();
      int null = ::open("/dev/null", O_RDWR);
      ::dup2(null, 0);
      ::dup2(logfd >= 0 ? logfd : null, 1);
      ::dup2(logfd >= 0 ? logfd : null, 2);
      ::execve(argv[0], argv.data(), envp.data());
      int e = errno;
      ssize_t ignored = ::write(ep[1], &e, sizeof e);
      (void)ignored;
      ::_exit(127);
    }
    ::close(ep[1]);
    int e = 0;
    if (::read(ep[0], &e, sizeof e) == sizeof e) {
      errno = e;
      fail(errfd, "starting " + spec.argv[0]);
    }
    ::close(ep[0]);
  }
  if (logfd >= 0) ::close(logfd);
  ssize_t ignored = ::write(errfd, "OK", 2);
  (void)ignored;
  ::close(errfd);

  bool stopping = false;
  auto deadline = std::chrono::steady_clock::time_point::max();
  while (true) {
    timespec ts{0, 200 * 1000 * 1000};
    siginfo_t info;
    int sig = ::sigtimedwait(&set, &info, &ts);
    if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP) {
      if (!stopping) {
        stopping = true;
        deadline =
            std::chrono::steady_clock::now() + std::chrono::milliseconds(spec.shutdown_grace_ms);
        ::kill(-1, SIGTERM);
      }
    }
    // Reap every child: init adopts the orphans of the namespace.
    while (true) {
      pid_t p = ::waitpid(-1, nullptr, WNOHANG);
      if (p > 0) continue;
      if (p < 0 && errno == ECHILD && stopping) ::_exit(0);
      break;
    }
    if (stopping && std::chrono::steady_clock::now() >= deadline) {
      ::kill(-1, SIGKILL);
      deadline = std::chrono::steady_clock::time_point::max();
    }
  }
}

// The monitor: in the host PID namespace, parent of init.
[[noreturn]] void run_monitor(const SandboxSpec& spec, pid_t parent, int gofd, int errfd,
                              int logfd) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (::getppid() != parent) ::_exit(1);
  // Keep only our pipes, the log and the spec's descriptors: kiln's sockets
  // and database stay out.
  std::vector<int> keep = spec.keep_fds;
  for (int fd : {gofd, errfd, logfd})
    if (fd >= 0) keep.push_back(fd);
  std::sort(keep.begin(), keep.end());
  unsigned from = 3;
  for (int fd : keep) {
    if (fd < 3) continue;
    if (static_cast<unsigned>(fd) > from) ::close_range(from, fd - 1, 0);
    from = std::max(from, static_cast<unsigned>(fd) + 1);
  }
  ::close_range(from, ~0U, 0);
  int keep_go = gofd, keep_err = errfd, keep_log = logfd;
  char b;
  if (::read(keep_go, &b, 1) != 1) ::_exit(1);
  ::close(keep_go);
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGTERM, SIGINT, SIGHUP, SIGCHLD}) sigaddset(&set, s);
  ::sigprocmask(SIG_BLOCK, &set, nullptr);
  if (::unshare(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID) != 0)
    fail(keep_err, "unshare");
  pid_t init = ::fork();
  if (init < 0) fail(keep_err, "fork");
  if (init == 0) run_init(spec, keep_err, keep_log);
  ::close(keep_err);
  if (keep_log >= 0) ::close(keep_log);
  while (true) {
    siginfo_t info;
    int sig = ::sigwaitinfo(&set, &info);
    if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP) ::kill(init, SIGTERM);
    int st = 0;
    if (::waitpid(init, &st, WNOHANG) == init)
      ::_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
  }
}

}  // namespace

std::string cgroup_v1_dir(const std::string& controller) {
  std::string d = "/sys/fs/cgroup/" + controller;
  struct stat st;
  if (::stat((d + "/cgroup.procs").c_str(), &st) != 0) return "";
  return d;
}

std::string sandbox_unavailable_reason() {
  if (::geteuid() != 0) return "kiln local is not running as root";
  if (cgroup_v1_dir("devices").empty())
    return "no cgroup v1 devices controller at /sys/fs/cgroup/devices";
  if (cgroup_v1_dir("memory").empty())
    return "no cgroup v1 memory controller at /sys/fs/cgroup/memory";
  return "";
}

int reap_cgroups(const std::string& prefix, std::string* error) {
  int n = 0;
  for (const char* c : {"devices", "memory"}) {
    std::string dir = cgroup_path(c, prefix);
    if (!dir.empty()) n += kill_and_remove(dir, error);
  }
  return n;
}

namespace {

int remove_empty_below(const std::string& dir, int min_age_seconds) {
  int removed = 0;
  std::vector<std::string> subdirs;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != ".." && e->d_type == DT_DIR) subdirs.push_back(dir + "/" + n);
    }
    ::closedir(d);
  }
  for (auto& s : subdirs) {
    removed += remove_empty_below(s, min_age_seconds);
    struct stat st;
    if (::stat(s.c_str(), &st) != 0 || ::time(nullptr) - st.st_mtime < min_age_seconds) continue;
    // EBUSY when it has processes or children: left alone.
    if (cgroup_procs(s).empty() && ::rmdir(s.c_str()) == 0) ++removed;
  }
  return removed;
}

}  // namespace

int remove_empty_cgroups(const std::string& parent, int min_age_seconds) {
  int n = 0;
  for (const char* c : {"devices", "memory"}) {
    std::string dir = cgroup_path(c, parent);
    if (!dir.empty()) n += remove_empty_below(dir, min_age_seconds);
  }
  return n;
}

std::unique_ptr<Sandbox> Sandbox::start(const SandboxSpec& spec, std::string* error) {
  std::string why = sandbox_unavailable_reason();
  if (!why.empty()) {
    *error = why;
    return nullptr;
  }
  std::unique_ptr<Sandbox> sb(new Sandbox());
  sb->cgroup_ = spec.cgroup;
  const std::string dev = cgroup_path("devices", spec.cgroup);
  const std::string mem = cgroup_path("memory", spec.cgroup);
  if (!mkdir_p(dev) || !mkdir_p(mem)) {
    *error = "cannot create cgroup " + spec.cgroup + ": " + std::strerror(errno);
    sb->remove_cgroups();
    return nullptr;
  }
  // The allow-list: the usual character devices, a devpts of its own, and
  // the devices of the spec (its disk). Everything else is denied.
  std::vector<std::string> allow = {"c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm"};
  for (auto& d : usual_devices())
    allow.push_back("c " + std::to_string(d.major) + ":" + std::to_string(d.minor) + " rwm");
  for (auto& d : spec.devices)
    allow.push_back(std::string(1, d.type) + " " + std::to_string(d.major) + ":" +
                    std::to_string(d.minor) + " rwm");
  bool ok = write_file(dev + "/devices.deny", "a", error);
  for (auto& a : allow) ok = ok && write_file(dev + "/devices.allow", a, error);
  if (ok && spec.memory_bytes) {
    ok = write_file(mem + "/memory.limit_in_bytes", std::to_string(spec.memory_bytes), error);
    struct stat st;
    if (ok && ::stat((mem + "/memory.memsw.limit_in_bytes").c_str(), &st) == 0)
      ok = write_file(mem + "/memory.memsw.limit_in_bytes", std::to_string(spec.memory_bytes),
                      error);
  }
  if (!ok) {
    sb->remove_cgroups();
    return nullptr;
  }
  if (!spec.work_dir.empty()) mkdir_p(spec.work_dir, 0700);

  int logfd = -1;
  if (!spec.log_path.empty()) {
    logfd = ::open(spec.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (logfd < 0) {
      *error = spec.log_path + ": " + std::strerror(errno);
      sb->remove_cgroups();
      return nullptr;
    }
  }
  int go[2], ep[2];
  if (::pipe2(go, O_CLOEXEC) != 0 || ::pipe2(ep, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + std::strerror(errno);
    if (logfd >= 0) ::close(logfd);
    sb->remove_cgroups();
    return nullptr;
  }
  pid_t parent = ::getpid();
  pid_t m = ::fork();
  if (m < 0) {
    *error = std::string("fork: ") + std::strerror(errno);
    for (int fd : {go[0], go[1], ep[0], ep[1], logfd}) ::close(fd);
    sb->remove_cgroups();
    return nullptr;
  }
  if (m == 0) run_monitor(spec, parent, go[0], ep[1], logfd);
  ::close(go[0]);
  ::close(ep[1]);
  if (logfd >= 0) ::close(logfd);
  sb->monitor_ = m;
  sb->pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, m, 0));
  ok = write_file(dev + "/cgroup.procs", std::to_string(m), error) &&
       write_file(mem + "/cgroup.procs", std::to_string(m), error);
  if (ok) ok = ::write(go[1], "g", 1) == 1;
  ::close(go[1]);
  std::string msg;
  char buf[512];
  ssize_t n;
  while ((n = ::read(ep[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0) msg.append(buf, n);
  ::close(ep[0]);
  if (!ok || msg != "OK") {
    if (ok) *error = msg.empty() ? "the sandbox ended while starting" : msg;
    sb->kill();
    return nullptr;
  }
  return sb;
}

Sandbox::~Sandbox() {
  kill();
  if (pidfd_ >= 0) ::close(pidfd_);
}

bool Sandbox::allow_device(char type, unsigned major, unsigned minor, std::string* error) {
  return allow_device_in_cgroup(cgroup_, type, major, minor, error);
}

bool allow_device_in_cgroup(const std::string& cgroup, char type, unsigned major, unsigned minor,
                            std::string* error) {
  return write_file(
      cgroup_path("devices", cgroup) + "/devices.allow",
      std::string(1, type) + " " + std::to_string(major) + ":" + std::to_string(minor) + " rwm",
      error);
}

bool Sandbox::wait_exit(int timeout_ms) {
  if (exited_) return true;
  if (monitor_ <= 0) return true;
  if (pidfd_ >= 0) {
    pollfd p{pidfd_, POLLIN, 0};
    int r;
    do r = ::poll(&p, 1, timeout_ms);
    while (r < 0 && errno == EINTR);
    if (r == 0) return false;
  }
  int st;
  pid_t r = ::waitpid(monitor_, &st, pidfd_ >= 0 ? 0 : WNOHANG);
  if (r == monitor_ || (r < 0 && errno == ECHILD)) exited_ = true;
  return exited_;
}

bool Sandbox::running() {
  if (exited_ || monitor_ <= 0) return false;
  int st;
  pid_t r = ::waitpid(monitor_, &st, WNOHANG);
  if (r == monitor_ || (r < 0 && errno == ECHILD)) exited_ = true;
  return !exited_;
}

bool Sandbox::stop(int timeout_ms) {
  if (!running()) {
    kill();
    return true;
  }
  ::kill(monitor_, SIGTERM);
  bool clean = wait_exit(timeout_ms);
  kill();
  return clean;
}

void Sandbox::kill() {
  if (monitor_ > 0 && !exited_) {
    ::kill(monitor_, SIGKILL);
    wait_exit(-1);
  }
  remove_cgroups();
}

void Sandbox::remove_cgroups() {
  if (cgroup_.empty()) return;
  std::string err;
  for (const char* c : {"devices", "memory"}) {
    std::string dir = cgroup_path(c, cgroup_);
    if (!dir.empty()) kill_and_remove(dir, &err);
  }
}

}  // namespace kiln::local
