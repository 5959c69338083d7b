#include "local/machine.h"

#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "local/devfs.h"
#include "local/disk.h"
#include "local/image_cache.h"
#include "local/netaddr.h"
#include "local/sandbox.h"

namespace kiln::local {

namespace fs = std::filesystem;

struct Machine {
  int64_t id = 0;
  std::unique_ptr<LoopDevice> loop;
  std::unique_ptr<Devfs> devfs;
  std::unique_ptr<Sandbox> sandbox;
  bool running = false;  // booted (a disk without a system runs nothing)
};

namespace {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

bool mounts_below(const std::string& dir) {
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

// Removes a directory tree, never when something is mounted below it.
bool remove_tree(const std::string& dir, std::string* error) {
  if (mounts_below(dir)) {
    *error = "something is still mounted below " + dir + "; left in place";
    return false;
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (ec) {
    *error = dir + ": " + ec.message();
    return false;
  }
  return true;
}

// What sshd needs whatever the system: host keys, its privilege separation
// directory, and to listen on the server's own address.
std::string sshd_line(const std::vector<std::string>& sshd, const std::string& ip, int port) {
  std::string s = "exec";
  for (auto& a : sshd) s += " " + shell_quote(a);
  // PAM's session modules expect a whole booted system; keys and the root
  // password work without it.
  s += " -o ListenAddress=" + ip + ":" + std::to_string(port) +
       " -o PermitRootLogin=yes -o UsePAM=no\n";
  return s;
}

const char* kInstallAccess = R"sh(
if [ -s /run/kiln/authorized_keys ]; then
  mkdir -p /root/.ssh && chmod 700 /root/.ssh
  touch /root/.ssh/authorized_keys
  while IFS= read -r k; do
    grep -qxF "$k" /root/.ssh/authorized_keys || printf '%s\n' "$k" >> /root/.ssh/authorized_keys
  done < /run/kiln/authorized_keys
  chmod 600 /root/.ssh/authorized_keys
fi
if [ -s /run/kiln/rootpw ]; then chpasswd < /run/kiln/rootpw; fi
rm -f /run/kiln/rootpw
)sh";

}  // namespace

std::string instance_for_state(const std::string& state_dir) {
  std::error_code ec;
  auto real = fs::canonical(state_dir, ec);
  std::string key = ec ? state_dir : real.string();
  uint32_t h = 2166136261u;  // FNV-1a: stable across runs and builds
  for (unsigned char ch : key) h = (h ^ ch) * 16777619u;
  char inst[32];
  std::snprintf(inst, sizeof inst, "kiln-local/%08x", h);
  return inst;
}

Machines::Machines(Options options) : opt_(std::move(options)) {
  thread_ = std::thread([this] { run(); });
}

Machines::~Machines() {
  post([this] {
    for (auto& [id, m] : machines_) do_stop(*m, true);
    machines_.clear();
  });
  {
    std::lock_guard<std::mutex> l(mu_);
    quit_ = true;
  }
  cv_.notify_all();
  thread_.join();
  // The instance's own cgroup directories, now empty.
  std::string err;
  if (!opt_.instance.empty() && sandbox_unavailable_reason().empty())
    reap_cgroups(opt_.instance, &err);
}

void Machines::log(const std::string& line) {
  if (opt_.log)
    opt_.log(line);
  else
    std::fprintf(stderr, "kiln local: %s\n", line.c_str());
}

void Machines::post(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> l(mu_);
    queue_.push_back(std::move(job));
  }
  cv_.notify_all();
}

void Machines::run() {
  while (true) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> l(mu_);
      cv_.wait(l, [&] { return quit_ || !queue_.empty(); });
      if (queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
    }
    job();
    {
      std::lock_guard<std::mutex> l(mu_);
      busy_ = false;
    }
    cv_.notify_all();
  }
}

void Machines::drain() {
  std::unique_lock<std::mutex> l(mu_);
  cv_.wait(l, [&] { return queue_.empty() && !busy_; });
}

Machine& Machines::machine(int64_t id) {
  auto& m = machines_[id];
  if (!m) {
    m = std::make_unique<Machine>();
    m->id = id;
  }
  return *m;
}

std::string Machines::disk_path(int64_t id) const {
  return opt_.state_dir + "/servers/" + std::to_string(id) + "/disk.raw";
}

std::string Machines::snapshot_path(int64_t image_id) const {
  return opt_.state_dir + "/snapshots/" + std::to_string(image_id) + ".raw";
}

int Machines::ssh_port(int64_t id) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = ports_.find(id);
  return it == ports_.end() ? 0 : it->second;
}

std::string Machines::reap(const std::string& state_dir, const std::string& instance) {
  std::string err, out;
  int cgroups = reap_cgroups(instance, &err);
  if (cgroups > 0) out += std::to_string(cgroups) + " cgroup(s) with their processes";
  // Other instances' empty cgroups: left by a SIGKILLed kiln local whose
  // state directory was then deleted, so that no start ever reaps it by name.
  if (auto slash = instance.find('/'); slash != std::string::npos) {
    int empty = remove_empty_cgroups(instance.substr(0, slash));
    if (empty > 0)
      out +=
          (out.empty() ? "" : ", ") + std::to_string(empty) + " empty cgroup(s) of gone instances";
  }
  int loops = 0;
  for (auto& name : loops_backed_under(state_dir)) {
    std::string e;
    if (release_loop(name, &e))
      ++loops;
    else
      out += (out.empty() ? "" : "; ") + ("cannot release " + name + ": " + e);
  }
  if (loops > 0) out += (out.empty() ? "" : ", ") + std::to_string(loops) + " loop device(s)";
  if (!err.empty()) out += (out.empty() ? "" : "; ") + err;
  return out;
}

// ---- jobs ---------------------------------------------------------------------

void Machines::create_disk(int64_t id, DiskSource source, uint64_t bytes, Done done) {
  post([this, id, source, bytes, done] {
    std::string err;
    std::string disk = disk_path(id);
    fs::create_directories(fs::path(disk).parent_path());
    fs::remove(disk);
    // A new disk (create, rebuild) boots first as a fresh system does: keys,
    // password and user data are installed again.
    fs::remove(fs::path(disk).parent_path() / "first-boot-done");
    auto arch = parse_arch(source.arch).value_or(host_arch());
    bool ok;
    if (source.snapshot) {
      ok = copy_disk_sparse(snapshot_path(source.snapshot), disk, &err);
      if (ok && fs::file_size(disk) < bytes) ok = kiln::local::grow_disk(disk, bytes, &err);
    } else {
      std::optional<fs::path> img;
      auto names = ImageCache::system_image_names();
      bool offered = std::find(names.begin(), names.end(), source.system_image) != names.end();
      if (opt_.images && offered) img = opt_.images->system_image(source.system_image, arch, &err);
      if (img) {
        ok = copy_disk_sparse(img->string(), disk, &err) &&
             kiln::local::grow_disk(disk, bytes, &err) && grow_root_partition(disk, &err);
      } else if (!offered || !opt_.images) {
        // An image kiln local does not build: the disk holds no system, so
        // the server never answers SSH (rescue still works).
        log("server " + std::to_string(id) + ": image " + source.system_image +
            " is not built locally; its disk is blank");
        ok = create_sparse_disk(disk, bytes, &err);
      } else {
        ok = false;
      }
    }
    if (!ok) fs::remove(disk);
    done(ok ? "" : err, 0);
  });
}

void Machines::do_stop(Machine& m, bool graceful) {
  if (m.sandbox) {
    if (graceful)
      m.sandbox->stop(opt_.shutdown_grace_ms + 5000);
    else
      m.sandbox->kill();
    m.sandbox.reset();
  }
  m.devfs.reset();
  if (m.loop) {
    std::string e;
    // A swap area on the disk (swapon inside) would hold the loop device.
    if (!release_loop(m.loop->name(), &e)) log("server " + std::to_string(m.id) + ": " + e);
    m.loop.reset();
  }
  m.running = false;
  std::lock_guard<std::mutex> l(mu_);
  ports_.erase(m.id);
}

void Machines::boot(BootSpec spec, Done done) {
  post([this, spec, done] {
    std::string err = do_boot(spec);
    if (!err.empty()) do_stop(machine(spec.id), false);
    done(err, 0);
  });
}

std::string Machines::do_boot(const BootSpec& b) {
  Machine& m = machine(b.id);
  do_stop(m, true);
  std::string err;
  const std::string dir = opt_.state_dir + "/servers/" + std::to_string(b.id);
  const std::string work = dir + "/run";
  if (fs::exists(work) && !remove_tree(work, &err)) return err;
  fs::create_directories(work);
  auto arch = parse_arch(b.arch).value_or(host_arch());
  if (arch == Arch::arm64 && host_arch() != Arch::arm64 && !ensure_arm64_emulation(&err))
    return err;

  m.loop = LoopDevice::attach(disk_path(b.id), &err);
  if (!m.loop) return err;
  if (!m.loop->announce_partitions(&err)) return err;

  SandboxSpec s;
  s.hostname = b.name;
  s.cgroup = opt_.instance + "/server-" + std::to_string(b.id);
  s.memory_bytes = b.memory;
  s.work_dir = work;
  s.log_path = dir + "/console.log";
  s.shutdown_grace_ms = opt_.shutdown_grace_ms;
  s.devices.push_back({"", 'b', major(m.loop->dev()), minor(m.loop->dev())});
  // Partitions known now (the root is mounted from one before /dev exists);
  // the devfs allows those that appear later.
  for (auto& p : m.loop->partitions()) s.devices.push_back({"", 'b', major(p.dev), minor(p.dev)});

  std::string note;
  int port = ssh_port_for(b.ipv4, b.id, &note);
  if (!note.empty()) log("server " + std::to_string(b.id) + ": " + note);

  std::string keys;
  for (auto& k : b.ssh_keys) keys += k + "\n";
  s.files.push_back({"/run/kiln/authorized_keys", keys, 0600});
  if (!b.root_password.empty())
    s.files.push_back({"/run/kiln/rootpw", "root:" + b.root_password + "\n", 0600});

  std::string script = "#!/bin/sh\n# written by kiln local\n";
  bool first_boot_marker = false;
  if (b.rescue) {
    auto lower = opt_.images ? opt_.images->rescue_rootfs(arch, &err) : std::nullopt;
    if (!lower) return "rescue system: " + (err.empty() ? "no image cache" : err);
    s.overlay_lower = lower->string();
    s.ram_bytes = b.memory;
    script += kInstallAccess;
    script += "ssh-keygen -A >/dev/null\nmkdir -p /run/sshd && chmod 755 /run/sshd\n";
    script += sshd_line({"/usr/sbin/sshd", "-D", "-e"}, b.ipv4, port);
  } else {
    std::vector<std::string> parts;
    for (auto& p : m.loop->partitions()) parts.push_back("/dev/" + p.name);
    if (parts.empty()) parts.push_back(m.loop->path());
    std::string why;
    auto plan = find_root(parts, &why);
    if (!plan || plan->mounts.empty()) {
      // As on the real cloud: the server is on, nothing answers.
      log("server " + std::to_string(b.id) + ": no system on its disk (" + why +
          "); it will not answer SSH");
      m.running = true;
      return "";
    }
    s.root_device = plan->mounts[0].device;
    s.root_fstype = plan->mounts[0].fstype;
    for (size_t i = 1; i < plan->mounts.size(); ++i) {
      auto& pm = plan->mounts[i];
      s.mounts.push_back(
          {pm.device, pm.mountpoint, pm.fstype, pm.options == "defaults" ? "" : pm.options, false});
    }
    for (auto& cmd : plan->prepare) {
      std::string line;
      for (auto& a : cmd) line += (line.empty() ? "" : " ") + shell_quote(a);
      script += line + " >/dev/null 2>&1\n";
    }
    // First boot: what cloud-init does on the real cloud (keys, password,
    // the NoCloud seed); later boots keep what the system has.
    if (!fs::exists(dir + "/first-boot-done")) {
      first_boot_marker = true;
      script += kInstallAccess;
      std::string meta =
          "instance-id: kiln-local-" + std::to_string(b.id) + "\nlocal-hostname: " + b.name + "\n";
      s.files.push_back({"/run/kiln/meta-data", meta, 0644});
      s.files.push_back({"/run/kiln/user-data", b.user_data, 0600});
      script +=
          "mkdir -p /var/lib/cloud/seed/nocloud\n"
          "cp /run/kiln/meta-data /var/lib/cloud/seed/nocloud/meta-data\n";
      if (!b.user_data.empty())
        script += "cp /run/kiln/user-data /var/lib/cloud/seed/nocloud/user-data\n";
    }
    script += "mkdir -p /run/sshd && chmod 755 /run/sshd\n";
    script += sshd_line(
        plan->sshd.empty() ? std::vector<std::string>{"/usr/sbin/sshd", "-D", "-e"} : plan->sshd,
        b.ipv4, port);
  }
  s.files.push_back({"/run/kiln/boot.sh", script, 0700});
  s.argv = {"/bin/sh", "/run/kiln/boot.sh"};

  // The FUSE /dev: mounted by the sandbox's init in its own namespace, served
  // here (a thread receives the connection while the sandbox starts).
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    return std::string("socketpair: ") + std::strerror(errno);
  int child_sock = sv[1];
  s.keep_fds.push_back(child_sock);
  s.make_dev = [child_sock](const std::string& root, std::string* e) {
    std::string dev = root + "/dev";
    ::mkdir(dev.c_str(), 0755);
    int fd = mount_devfs_fuse(dev, e);
    if (fd < 0) return false;
    bool sent = send_fd(child_sock, fd, e);
    ::close(fd);
    ::close(child_sock);
    if (!sent) return false;
    const std::string data = "newinstance,ptmxmode=0666,mode=0620,gid=5";
    if (::mount("devpts", (dev + "/pts").c_str(), "devpts", MS_NOSUID | MS_NOEXEC, data.c_str()) !=
            0 ||
        ::mount("tmpfs", (dev + "/shm").c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") != 0) {
      *e = std::string("mounting /dev/pts or /dev/shm: ") + std::strerror(errno);
      return false;
    }
    // libparted checks its table against /sys/block/sda/sdaN/start: without
    // this view it reports "You found a bug in GNU Parted" (or, on a host
    // with a real sda, reads the host disk's values).
    return mount_sys_block_view(dev, root + "/sys/block", e);
  };
  const std::string cgroup = s.cgroup;
  DevfsOptions dopt;
  dopt.loop_name = m.loop->name();
  dopt.allow_device = [cgroup](dev_t d, std::string* e) {
    return allow_device_in_cgroup(cgroup, 'b', major(d), minor(d), e);
  };
  int parent_sock = sv[0];
  auto served = std::async(std::launch::async, [parent_sock, dopt]() -> std::unique_ptr<Devfs> {
    std::string e;
    int fd = receive_fd(parent_sock, &e);
    ::close(parent_sock);
    if (fd < 0) return nullptr;
    return Devfs::serve_fd(fd, dopt, &e);
  });
  m.sandbox = Sandbox::start(s, &err);
  ::close(child_sock);  // the receiver now sees EOF if nothing was sent
  m.devfs = served.get();
  if (!m.sandbox) return "starting the sandbox: " + err;
  if (!m.devfs) return "the sandbox's /dev could not be served";
  if (first_boot_marker) std::ofstream(dir + "/first-boot-done") << "1\n";
  m.running = true;
  {
    std::lock_guard<std::mutex> l(mu_);
    ports_[b.id] = port;
  }
  log("server " + std::to_string(b.id) + " (" + b.name +
      "): " + (b.rescue ? "rescue system" : "system on its disk") + ", sshd on " + b.ipv4 + ":" +
      std::to_string(port));
  return "";
}

void Machines::power_off(int64_t id, bool graceful, Done done) {
  post([this, id, graceful, done] {
    do_stop(machine(id), graceful);
    done("", 0);
  });
}

void Machines::snapshot(int64_t id, int64_t image_id, Done done) {
  post([this, id, image_id, done] {
    std::string err;
    Machine& m = machine(id);
    if (m.loop && !m.loop->flush(&err)) return done(err, 0);
    std::string to = snapshot_path(image_id);
    fs::create_directories(fs::path(to).parent_path());
    fs::remove(to);
    if (!copy_disk_sparse(disk_path(id), to, &err)) return done(err, 0);
    auto bytes = disk_data_bytes(to, &err);
    if (!bytes) return done(err, 0);
    done("", *bytes);
  });
}

void Machines::grow_disk(int64_t id, uint64_t bytes, Done done) {
  post([this, id, bytes, done] {
    std::string err;
    Machine& m = machine(id);
    bool ok = kiln::local::grow_disk(disk_path(id), bytes, &err);
    if (ok && m.loop) ok = m.loop->refresh_capacity(&err);
    done(ok ? "" : err, 0);
  });
}

void Machines::destroy(int64_t id, Done done) {
  post([this, id, done] {
    auto it = machines_.find(id);
    if (it != machines_.end()) {
      do_stop(*it->second, false);
      machines_.erase(it);
    }
    std::string err;
    std::string dir = opt_.state_dir + "/servers/" + std::to_string(id);
    bool ok = !fs::exists(dir) || remove_tree(dir, &err);
    done(ok ? "" : err, 0);
  });
}

void Machines::delete_snapshot(int64_t image_id) {
  post([this, image_id] {
    std::error_code ec;
    fs::remove(snapshot_path(image_id), ec);
  });
}

}  // namespace kiln::local
