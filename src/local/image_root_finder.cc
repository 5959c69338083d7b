// The root finder for a normal boot: which partition holds the system, as
// its fstab (or else its bootloader configuration) says, and how to start
// its sshd. Partitions are mounted read-only in a mount namespace private
// to one thread, so nothing shows on the host and nothing outlives the
// thread, even if kiln local is killed while looking.
#include <blkid/blkid.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <strings.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "local/image_cache.h"
#include "local/image_root_finder.h"

namespace kiln::local {
namespace image {

std::string fstab_unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isdigit(static_cast<unsigned char>(s[i + 2])) &&
        std::isdigit(static_cast<unsigned char>(s[i + 3]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 3), nullptr, 8));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<FstabEntry> parse_fstab(const std::string& text) {
  std::vector<FstabEntry> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    auto hash = line.find('#');
    if (hash != std::string::npos) line.erase(hash);
    std::istringstream words(line);
    FstabEntry e;
    if (!(words >> e.spec >> e.mountpoint)) continue;
    if (!(words >> e.fstype)) e.fstype = "auto";
    if (!(words >> e.options)) e.options = "defaults";
    e.spec = fstab_unescape(e.spec);
    e.mountpoint = fstab_unescape(e.mountpoint);
    out.push_back(e);
  }
  return out;
}

std::string kernel_root_arg(const std::string& text) {
  std::istringstream in(text);
  std::string found;
  for (std::string line; std::getline(in, line);) {
    auto hash = line.find_first_not_of(" \t");
    if (hash != std::string::npos && line[hash] == '#') continue;
    std::istringstream words(line);
    for (std::string w; words >> w;) {
      if (w.rfind("root=", 0) == 0 && w.size() > 5) {
        std::string v = w.substr(5);
        // The first menu entry is the default one in generated configs.
        if (found.empty()) found = v;
      }
    }
  }
  // grub.cfg quotes: root='UUID=...' is not usual, but strip quotes anyway.
  while (!found.empty() && (found.back() == '\'' || found.back() == '"')) found.pop_back();
  while (!found.empty() && (found.front() == '\'' || found.front() == '"')) found.erase(0, 1);
  return found;
}

int partition_number(const std::string& device) {
  size_t end = device.size();
  size_t b = end;
  while (b > 0 && std::isdigit(static_cast<unsigned char>(device[b - 1]))) --b;
  if (b == end || b == 0) return 0;
  std::string base = device.substr(device.rfind('/') + 1);
  // Disks whose own name ends in a digit number partitions as pN.
  for (const char* p : {"loop", "nvme", "mmcblk", "nbd", "md"}) {
    if (base.rfind(p, 0) == 0) {
      bool after_p =
          device[b - 1] == 'p' && b >= 2 && std::isdigit(static_cast<unsigned char>(device[b - 2]));
      return after_p ? std::stoi(device.substr(b)) : 0;
    }
  }
  // sda1, vda1, xvda1, hda1: letters, then the number.
  return std::isalpha(static_cast<unsigned char>(device[b - 1])) ? std::stoi(device.substr(b)) : 0;
}

const PartitionInfo* resolve_spec(const std::string& spec,
                                  const std::vector<PartitionInfo>& parts) {
  auto value_after = [&](const char* prefix) -> std::optional<std::string> {
    size_t n = std::strlen(prefix);
    if (spec.compare(0, n, prefix) == 0) return spec.substr(n);
    return std::nullopt;
  };
  std::string v;
  auto find = [&](auto field) -> const PartitionInfo* {
    for (const auto& p : parts) {
      if (!(p.*field).empty() && strcasecmp((p.*field).c_str(), v.c_str()) == 0) return &p;
    }
    return nullptr;
  };
  if (auto x = value_after("UUID=")) return v = *x, find(&PartitionInfo::uuid);
  if (auto x = value_after("/dev/disk/by-uuid/")) return v = *x, find(&PartitionInfo::uuid);
  if (auto x = value_after("LABEL=")) return v = *x, find(&PartitionInfo::label);
  if (auto x = value_after("/dev/disk/by-label/")) return v = *x, find(&PartitionInfo::label);
  if (auto x = value_after("PARTUUID=")) return v = *x, find(&PartitionInfo::partuuid);
  if (auto x = value_after("/dev/disk/by-partuuid/")) return v = *x, find(&PartitionInfo::partuuid);
  if (auto x = value_after("PARTLABEL=")) return v = *x, find(&PartitionInfo::partlabel);
  if (auto x = value_after("/dev/disk/by-partlabel/"))
    return v = *x, find(&PartitionInfo::partlabel);
  if (spec.rfind("/dev/", 0) == 0) {
    for (const auto& p : parts) {
      if (p.device == spec) return &p;
    }
    // /dev/sda1, /dev/vda1, /dev/nvme0n1p1 name a partition by number on
    // whatever disk the system booted from.
    int n = partition_number(spec);
    if (n == 0) return nullptr;
    for (const auto& p : parts) {
      if (p.number == n) return &p;
    }
  }
  return nullptr;
}

}  // namespace image

namespace {

using image::PartitionInfo;

bool kernel_has(const std::string& fstype) {
  std::ifstream in("/proc/filesystems");
  for (std::string line; std::getline(in, line);) {
    auto tab = line.rfind('\t');
    if (line.substr(tab == std::string::npos ? 0 : tab + 1) == fstype) return true;
  }
  return false;
}

std::string probe_value(blkid_probe pr, const char* name) {
  const char* data = nullptr;
  if (blkid_probe_lookup_value(pr, name, &data, nullptr) == 0 && data != nullptr) return data;
  return "";
}

PartitionInfo probe(const std::string& device, int index) {
  PartitionInfo info;
  info.device = device;
  info.number = image::partition_number(device);
  if (info.number == 0) info.number = index + 1;
  blkid_probe pr = blkid_new_probe_from_filename(device.c_str());
  if (pr == nullptr) return info;
  blkid_probe_enable_superblocks(pr, 1);
  blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_UUID | BLKID_SUBLKS_LABEL);
  blkid_probe_enable_partitions(pr, 1);
  blkid_probe_set_partitions_flags(pr, BLKID_PARTS_ENTRY_DETAILS);
  if (blkid_do_safeprobe(pr) == 0) {
    info.fstype = probe_value(pr, "TYPE");
    info.uuid = probe_value(pr, "UUID");
    info.label = probe_value(pr, "LABEL");
    info.partuuid = probe_value(pr, "PART_ENTRY_UUID");
    info.partlabel = probe_value(pr, "PART_ENTRY_NAME");
  }
  blkid_free_probe(pr);
  return info;
}

// Opens `path` inside the tree at `root_fd`, following symlinks as the
// system itself would (absolute targets stay inside the tree): NixOS's
// /etc/fstab and sshd are symlinks into /nix/store.
int open_in_root(int root_fd, const std::string& path, int flags) {
  open_how how{};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  return static_cast<int>(syscall(SYS_openat2, root_fd, path.c_str(), &how, sizeof how));
}

std::optional<std::string> read_in_root(int root_fd, const std::string& path) {
  int fd = open_in_root(root_fd, path, O_RDONLY);
  if (fd < 0) return std::nullopt;
  std::string out;
  char buf[8192];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  close(fd);
  return out;
}

// "amd64"/"arm64" from an ELF header, "" when not an ELF we know.
std::string elf_arch(int root_fd, const std::string& path) {
  int fd = open_in_root(root_fd, path, O_RDONLY);
  if (fd < 0) return "";
  unsigned char h[20] = {};
  ssize_t n = read(fd, h, sizeof h);
  close(fd);
  if (n < 20 || std::memcmp(h,
                            "\x7f"
                            "ELF",
                            4) != 0)
    return "";
  int machine = h[18] | (h[19] << 8);  // little-endian for both
  if (machine == 0x3e) return "amd64";
  if (machine == 0xb7) return "arm64";
  return "other";
}

bool executable_in_root(int root_fd, const std::string& path) {
  int fd = open_in_root(root_fd, path, O_PATH);
  if (fd < 0) return false;
  bool ok = faccessat(fd, "", X_OK, AT_EMPTY_PATH) == 0;
  close(fd);
  return ok;
}

// A partition mounted read-only at a private temporary directory.
class ScratchMount {
 public:
  ScratchMount(const std::string& device, const std::string& fstype, const std::string& at,
               const std::string& data = "")
      : at_(at) {
    mounted_ = mount(device.c_str(), at.c_str(), fstype.c_str(), MS_RDONLY | MS_NODEV | MS_NOSUID,
                     data.empty() ? nullptr : data.c_str()) == 0;
    if (!mounted_) error_ = std::strerror(errno);
  }
  ~ScratchMount() {
    if (mounted_) umount2(at_.c_str(), MNT_DETACH);
  }
  ScratchMount(const ScratchMount&) = delete;
  ScratchMount& operator=(const ScratchMount&) = delete;
  bool ok() const { return mounted_; }
  const std::string& error() const { return error_; }

 private:
  std::string at_;
  bool mounted_ = false;
  std::string error_;
};

const std::vector<std::string>& sshd_paths() {
  static const std::vector<std::string> paths = {"/usr/sbin/sshd", "/usr/bin/sshd", "/sbin/sshd",
                                                 // NixOS: /run/current-system exists only once
                                                 // booted; the profile link is on the disk.
                                                 "/nix/var/nix/profiles/system/sw/bin/sshd",
                                                 "/run/current-system/sw/bin/sshd"};
  return paths;
}

std::optional<BootPlan> find_root_here(const std::vector<std::string>& devices,
                                       std::string* error) {
  std::vector<PartitionInfo> parts;
  for (size_t i = 0; i < devices.size(); ++i)
    parts.push_back(probe(devices[i], static_cast<int>(i)));

  char tmpl[] = "/tmp/kiln-rootfind-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    *error = std::string("cannot create a temporary directory: ") + std::strerror(errno);
    return std::nullopt;
  }
  std::string mnt = tmpl;
  struct RemoveDir {
    std::string path;
    ~RemoveDir() { rmdir(path.c_str()); }
  } remove_dir{mnt};

  std::vector<std::string> looked;
  std::map<std::string, std::string> boot_configs;  // device -> text holding root=
  // First: a filesystem whose fstab names a root on this disk.
  for (const auto& p : parts) {
    std::string what = p.device + (p.fstype.empty() ? " (no filesystem)" : " (" + p.fstype + ")");
    looked.push_back(what);
    if (p.fstype.empty() || !kernel_has(p.fstype)) continue;
    ScratchMount m(p.device, p.fstype, mnt);
    if (!m.ok()) continue;
    int root_fd = open(mnt.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0) continue;
    // btrfs systems usually live in a subvolume (@, @root, root).
    std::vector<std::pair<std::string, int>> trees = {{"", root_fd}};
    if (p.fstype == "btrfs") {
      for (const char* sub : {"@", "@root", "root", "@rootfs"}) {
        int fd = open_in_root(root_fd, sub, O_PATH | O_DIRECTORY);
        if (fd >= 0) trees.push_back({sub, fd});
      }
    }
    std::optional<BootPlan> plan;
    for (auto& [subvol, fd] : trees) {
      if (plan) break;
      for (const char* cfg : {"/boot/grub/grub.cfg", "/grub/grub.cfg",
                              "/boot/extlinux/extlinux.conf", "/extlinux/extlinux.conf"}) {
        if (auto text = read_in_root(fd, cfg)) boot_configs[p.device + " " + cfg] = *text;
      }
      auto fstab = read_in_root(fd, "/etc/fstab");
      if (!fstab) continue;
      for (const auto& e : image::parse_fstab(*fstab)) {
        if (e.mountpoint != "/") continue;
        const PartitionInfo* root = image::resolve_spec(e.spec, parts);
        if (root != &p) continue;  // names another disk, or another partition: try that one
        BootPlan b;
        std::string opts = e.options;
        if (!subvol.empty() && opts.find("subvol") == std::string::npos) {
          opts = (opts == "defaults" ? "" : opts + ",") + "subvol=" + subvol;
        }
        b.mounts.push_back({p.device, "/", p.fstype, opts});
        b.how = "fstab on " + p.device + (subvol.empty() ? "" : " subvolume " + subvol) +
                " names the root as " + e.spec;
        for (const auto& other : image::parse_fstab(*fstab)) {
          if (other.mountpoint == "/" || other.mountpoint.empty() || other.mountpoint[0] != '/')
            continue;
          if (other.options.find("noauto") != std::string::npos) continue;
          const PartitionInfo* dev = image::resolve_spec(other.spec, parts);
          if (dev == nullptr) continue;
          std::string type = other.fstype == "auto" ? dev->fstype : other.fstype;
          if (type != dev->fstype || !kernel_has(type)) continue;
          b.mounts.push_back({dev->device, other.mountpoint, type, other.options});
        }
        // The system's own sshd and ssh-keygen, through its own symlinks.
        for (const auto& path : sshd_paths()) {
          if (executable_in_root(fd, path)) {
            b.sshd = {path, "-D", "-e"};
            b.arch = elf_arch(fd, path);
            std::string keygen = path.substr(0, path.rfind('/') + 1) + "ssh-keygen";
            if (!executable_in_root(fd, keygen)) keygen = "/usr/bin/ssh-keygen";
            b.prepare.push_back({keygen, "-A"});
            break;
          }
        }
        plan = b;
        break;
      }
    }
    for (auto& [subvol, fd] : trees) close(fd);
    if (plan) {
      if (plan->sshd.empty()) {
        *error = "the system on " + plan->mounts.front().device +
                 " has no sshd (looked for /usr/sbin/sshd and NixOS's profile), so the server "
                 "never answers SSH";
        return std::nullopt;
      }
      return plan;
    }
  }
  // Second: a bootloader's root= (a system without fstab, or whose fstab
  // names the root another way).
  for (const auto& [where, text] : boot_configs) {
    std::string spec = image::kernel_root_arg(text);
    if (spec.empty()) continue;
    const PartitionInfo* root = image::resolve_spec(spec, parts);
    if (root == nullptr || !kernel_has(root->fstype)) continue;
    ScratchMount m(root->device, root->fstype, mnt);
    if (!m.ok()) continue;
    int fd = open(mnt.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) continue;
    BootPlan b;
    b.mounts.push_back({root->device, "/", root->fstype, "defaults"});
    b.how = where.substr(where.find(' ') + 1) + " on " + where.substr(0, where.find(' ')) +
            " says root=" + spec;
    for (const auto& path : sshd_paths()) {
      if (executable_in_root(fd, path)) {
        b.sshd = {path, "-D", "-e"};
        b.arch = elf_arch(fd, path);
        b.prepare.push_back({path.substr(0, path.rfind('/') + 1) + "ssh-keygen", "-A"});
        break;
      }
    }
    close(fd);
    if (b.sshd.empty()) {
      *error = "the system on " + root->device + " has no sshd, so the server never answers SSH";
      return std::nullopt;
    }
    return b;
  }
  std::string list;
  for (const auto& l : looked) list += (list.empty() ? "" : ", ") + l;
  *error = "no system on the disk: none of " +
           (list.empty() ? std::string("its partitions") : list) +
           " holds an /etc/fstab or bootloader configuration naming a root filesystem this "
           "kernel can mount, so the server never answers SSH";
  return std::nullopt;
}

}  // namespace

std::optional<BootPlan> find_root(const std::vector<std::string>& partitions, std::string* error) {
  std::optional<BootPlan> plan;
  std::string err;
  // A thread of its own, unshared from the process's mount namespace: the
  // scratch mounts are invisible elsewhere and die with the thread.
  std::thread worker([&] {
    if (unshare(CLONE_NEWNS) != 0 ||
        mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
      err = std::string("cannot make a private mount namespace to look at the disk: ") +
            std::strerror(errno);
      return;
    }
    plan = find_root_here(partitions, &err);
  });
  worker.join();
  if (!plan) *error = err;
  return plan;
}

}  // namespace kiln::local
