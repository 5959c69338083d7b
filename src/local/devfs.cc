// The FUSE side of the sandbox's /dev (see devfs.h for why FUSE). The node
// table maps inode numbers to what they show; static entries have fixed
// numbers (a devpts or tmpfs mounted on pts/ or shm/ must keep its dentry,
// and a changed number would detach it), dynamic ones (sda, sdaN, links) get
// a number per distinct (name, device or target), so that a partition that
// comes back with another device number is a new inode, never a stale one.
#define FUSE_USE_VERSION 35

#include "local/devfs.h"

#include <fuse_lowlevel.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "local/devfs_probe.h"
#include "local/disk.h"

namespace kiln::local {
namespace {

constexpr fuse_ino_t kRoot = FUSE_ROOT_ID;
constexpr fuse_ino_t kDisk = 17;
constexpr fuse_ino_t kByLabel = 18;
constexpr fuse_ino_t kByUuid = 19;
constexpr fuse_ino_t kByPartlabel = 20;
constexpr fuse_ino_t kByPartuuid = 21;
constexpr fuse_ino_t kKiln = 22;
constexpr fuse_ino_t kSysSda = 24;
constexpr fuse_ino_t kFirstDynamic = 1000;

// The files of /sys/block/sda and /sys/block/sda/sdaN that partitioning tools
// read (libparted compares the kernel's start and size with its table there,
// by the names it sees: sda, sda1), copied from loopN and loopNpM.
constexpr const char* kSysDiskFiles[] = {"dev", "size", "ro", "removable", "ext_range"};
constexpr const char* kSysPartFiles[] = {"dev", "size", "ro", "start", "partition"};

struct Node {
  fuse_ino_t parent = 0;
  std::string name;
  mode_t mode = 0;
  dev_t rdev = 0;
  std::string target;  // symlinks
};

struct StaticNode {
  fuse_ino_t ino;
  fuse_ino_t parent;
  const char* name;
  mode_t mode;
  unsigned major, minor;
  const char* target;
};

// The usual character devices (numbers from the kernel's devices.txt), the
// links a /dev always has, and mount points for devpts, tmpfs and mqueue.
constexpr StaticNode kStatic[] = {
    {kRoot, kRoot, "", S_IFDIR | 0755, 0, 0, nullptr},
    {2, kRoot, "null", S_IFCHR | 0666, 1, 3, nullptr},
    {3, kRoot, "zero", S_IFCHR | 0666, 1, 5, nullptr},
    {4, kRoot, "full", S_IFCHR | 0666, 1, 7, nullptr},
    {5, kRoot, "random", S_IFCHR | 0666, 1, 8, nullptr},
    {6, kRoot, "urandom", S_IFCHR | 0666, 1, 9, nullptr},
    {7, kRoot, "tty", S_IFCHR | 0666, 5, 0, nullptr},
    {8, kRoot, "fuse", S_IFCHR | 0666, 10, 229, nullptr},
    {9, kRoot, "ptmx", S_IFLNK | 0777, 0, 0, "pts/ptmx"},
    {10, kRoot, "fd", S_IFLNK | 0777, 0, 0, "/proc/self/fd"},
    {11, kRoot, "stdin", S_IFLNK | 0777, 0, 0, "/proc/self/fd/0"},
    {12, kRoot, "stdout", S_IFLNK | 0777, 0, 0, "/proc/self/fd/1"},
    {13, kRoot, "stderr", S_IFLNK | 0777, 0, 0, "/proc/self/fd/2"},
    {14, kRoot, "pts", S_IFDIR | 0755, 0, 0, nullptr},
    {15, kRoot, "shm", S_IFDIR | 01777, 0, 0, nullptr},
    {16, kRoot, "mqueue", S_IFDIR | 01777, 0, 0, nullptr},
    {kDisk, kRoot, "disk", S_IFDIR | 0755, 0, 0, nullptr},
    {kByLabel, kDisk, "by-label", S_IFDIR | 0755, 0, 0, nullptr},
    {kByUuid, kDisk, "by-uuid", S_IFDIR | 0755, 0, 0, nullptr},
    {kByPartlabel, kDisk, "by-partlabel", S_IFDIR | 0755, 0, 0, nullptr},
    {kByPartuuid, kDisk, "by-partuuid", S_IFDIR | 0755, 0, 0, nullptr},
    // Not /dev proper: what mount_sys_block_view() binds on /sys/block/sda.
    {kKiln, kRoot, ".kiln", S_IFDIR | 0555, 0, 0, nullptr},
    {23, kKiln, "block", S_IFDIR | 0555, 0, 0, nullptr},
    {kSysSda, 23, "sda", S_IFDIR | 0555, 0, 0, nullptr},
};

// Block nodes: root:disk 0660, as udev makes them.
constexpr mode_t kBlockMode = S_IFBLK | 0660;
constexpr gid_t kDiskGroup = 6;

struct DirListing {
  std::vector<char> buf;
};

}  // namespace

struct Devfs::Impl {
  DevfsOptions options;
  fuse_session* se = nullptr;
  bool mounted_here = false;
  int stop_fd = -1;
  std::thread thread;
  time_t born = ::time(nullptr);

  // Touched by the serving thread only.
  std::unordered_map<fuse_ino_t, Node> nodes;
  std::map<std::string, fuse_ino_t> dynamic;
  fuse_ino_t next_ino = kFirstDynamic;
  std::set<dev_t> allowed;
  // What fi->fh points to while open. The kernel releases each, but not
  // when the session ends first (a sandbox killed with files open): then
  // the destructor frees what is left.
  std::unordered_set<std::string*> open_files;
  std::unordered_set<DirListing*> open_dirs;

  mutable std::mutex error_mu;
  std::string error;

  Impl() {
    for (const auto& s : kStatic) {
      Node n;
      n.parent = s.parent;
      n.name = s.name;
      n.mode = s.mode;
      n.rdev = makedev(s.major, s.minor);
      if (s.target) n.target = s.target;
      nodes[s.ino] = n;
    }
  }

  ~Impl() {
    for (auto* f : open_files) delete f;
    for (auto* d : open_dirs) delete d;
  }

  void note_error(const std::string& message) {
    std::lock_guard<std::mutex> lock(error_mu);
    error = message;
  }

  fuse_ino_t dynamic_node(fuse_ino_t parent, const std::string& name, mode_t mode, dev_t rdev,
                          const std::string& target) {
    std::string key = std::to_string(parent) + "/" + name + "|" + std::to_string(mode) + "|" +
                      std::to_string(rdev) + "|" + target;
    auto it = dynamic.find(key);
    if (it != dynamic.end()) return it->second;
    fuse_ino_t ino = next_ino++;
    dynamic.emplace(key, ino);
    nodes[ino] = Node{parent, name, mode, rdev, target};
    return ino;
  }

  // The cgroup must allow a device before any node shows it.
  bool allow(dev_t dev) {
    if (allowed.count(dev)) return true;
    if (options.allow_device) {
      std::string why;
      if (!options.allow_device(dev, &why)) {
        note_error("device " + std::to_string(major(dev)) + ":" + std::to_string(minor(dev)) +
                   " not allowed, so not shown: " + why);
        return false;
      }
    }
    allowed.insert(dev);
    return true;
  }

  struct stat attr(fuse_ino_t ino, const Node& n) const {
    struct stat st {};
    st.st_ino = ino;
    st.st_mode = n.mode;
    st.st_nlink = S_ISDIR(n.mode) ? 2 : 1;
    if (S_ISBLK(n.mode) || S_ISCHR(n.mode)) st.st_rdev = n.rdev;
    st.st_size = S_ISLNK(n.mode)   ? static_cast<off_t>(n.target.size())
                 : S_ISREG(n.mode) ? 4096  // as sysfs says; reads are direct
                                   : 0;
    if (S_ISBLK(n.mode)) st.st_gid = kDiskGroup;
    st.st_atime = st.st_mtime = st.st_ctime = born;
    st.st_blksize = 4096;
    return st;
  }

  // Whole disk and partitions, as they are now: (name, device).
  std::vector<std::pair<std::string, dev_t>> disks() const {
    std::vector<std::pair<std::string, dev_t>> out;
    std::string sys = "/sys/block/" + options.loop_name + "/dev";
    // The loop device's number never changes while attached; reading sysfs
    // also tells whether it still is.
    FILE* f = std::fopen(sys.c_str(), "re");
    if (!f) return out;
    unsigned maj = 0, min = 0;
    int got = std::fscanf(f, "%u:%u", &maj, &min);
    std::fclose(f);
    if (got != 2) return out;
    out.emplace_back("sda", makedev(maj, min));
    for (const auto& p : kernel_partitions(options.loop_name)) {
      out.emplace_back("sda" + std::to_string(p.number), p.dev);
    }
    return out;
  }

  const std::map<std::string, std::string>* pick(const DiskLinks& links, fuse_ino_t dir) const {
    switch (dir) {
      case kByLabel:
        return &links.by_label;
      case kByUuid:
        return &links.by_uuid;
      case kByPartlabel:
        return &links.by_partlabel;
      case kByPartuuid:
        return &links.by_partuuid;
      default:
        return nullptr;
    }
  }

  // Children of DIR now: (name, ino). Block devices are allowed first.
  std::vector<std::pair<std::string, fuse_ino_t>> children(fuse_ino_t dir, const char* only) {
    std::vector<std::pair<std::string, fuse_ino_t>> out;
    for (const auto& s : kStatic) {
      if (s.ino != kRoot && s.parent == dir && (!only || std::strcmp(only, s.name) == 0)) {
        out.emplace_back(s.name, s.ino);
      }
    }
    // Static names (null, pts...) need no look at the kernel's partitions.
    if (only && !out.empty()) return out;
    if (dir == kRoot) {
      if (only && std::strncmp(only, "sda", 3) != 0) return out;
      for (const auto& [name, dev] : disks()) {
        if (only && name != only) continue;
        if (!allow(dev)) continue;
        out.emplace_back(name, dynamic_node(kRoot, name, kBlockMode, dev, ""));
      }
    } else if (dir == kSysSda) {
      std::string sys = "/sys/block/" + options.loop_name;
      for (const char* f : kSysDiskFiles) {
        if (only && std::strcmp(only, f) != 0) continue;
        out.emplace_back(f, dynamic_node(dir, f, S_IFREG | 0444, 0, sys + "/" + f));
      }
      for (const auto& p : kernel_partitions(options.loop_name)) {
        std::string name = "sda" + std::to_string(p.number);
        if (only && name != only) continue;
        out.emplace_back(name, dynamic_node(dir, name, S_IFDIR | 0555, p.dev, sys + "/" + p.name));
      }
    } else if (auto it = nodes.find(dir);
               it != nodes.end() && it->second.parent == kSysSda && S_ISDIR(it->second.mode)) {
      for (const char* f : kSysPartFiles) {
        if (only && std::strcmp(only, f) != 0) continue;
        out.emplace_back(f, dynamic_node(dir, f, S_IFREG | 0444, 0, it->second.target + "/" + f));
      }
    } else if (dir >= kByLabel && dir <= kByPartuuid) {
      DiskLinks links = probe_disk_links(options.loop_name, kernel_partitions(options.loop_name));
      for (const auto& [name, target] : *pick(links, dir)) {
        if (only && name != only) continue;
        out.emplace_back(name, dynamic_node(dir, name, S_IFLNK | 0777, 0, "../../" + target));
      }
    }
    return out;
  }
};

namespace {

Devfs::Impl* impl_of(fuse_req_t req) {
  return static_cast<Devfs::Impl*>(fuse_req_userdata(req));
}

void reply_entry(fuse_req_t req, Devfs::Impl* impl, fuse_ino_t ino) {
  fuse_entry_param e{};
  e.ino = ino;
  e.attr = impl->attr(ino, impl->nodes.at(ino));
  // Zero timeouts: the kernel asks again at every path walk, so what the
  // sandbox sees is what the kernel and the disk hold at that moment.
  e.attr_timeout = 0;
  e.entry_timeout = 0;
  fuse_reply_entry(req, &e);
}

void op_lookup(fuse_req_t req, fuse_ino_t parent, const char* name) {
  Devfs::Impl* impl = impl_of(req);
  auto found = impl->children(parent, name);
  if (found.empty()) {
    fuse_reply_err(req, ENOENT);
    return;
  }
  reply_entry(req, impl, found.front().second);
}

void op_forget(fuse_req_t req, fuse_ino_t, uint64_t) {
  fuse_reply_none(req);
}

void op_getattr(fuse_req_t req, fuse_ino_t ino, fuse_file_info*) {
  Devfs::Impl* impl = impl_of(req);
  auto it = impl->nodes.find(ino);
  if (it == impl->nodes.end()) {
    fuse_reply_err(req, ENOENT);
    return;
  }
  struct stat st = impl->attr(ino, it->second);
  fuse_reply_attr(req, &st, 0);
}

void op_readlink(fuse_req_t req, fuse_ino_t ino) {
  Devfs::Impl* impl = impl_of(req);
  auto it = impl->nodes.find(ino);
  if (it == impl->nodes.end() || !S_ISLNK(it->second.mode)) {
    fuse_reply_err(req, EINVAL);
    return;
  }
  fuse_reply_readlink(req, it->second.target.c_str());
}

void op_opendir(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
  Devfs::Impl* impl = impl_of(req);
  auto it = impl->nodes.find(ino);
  if (it == impl->nodes.end() || !S_ISDIR(it->second.mode)) {
    fuse_reply_err(req, ENOTDIR);
    return;
  }
  // The listing is fixed at opendir, so that offsets stay meaningful across
  // the several readdir calls of one listing.
  auto* listing = new DirListing();
  std::vector<std::pair<std::string, fuse_ino_t>> entries = {{".", ino}, {"..", it->second.parent}};
  for (auto& c : impl->children(ino, nullptr)) entries.push_back(std::move(c));
  for (const auto& [name, child] : entries) {
    struct stat st {};
    st.st_ino = child;
    st.st_mode = impl->nodes.at(child).mode;
    size_t old = listing->buf.size();
    size_t need = fuse_add_direntry(req, nullptr, 0, name.c_str(), nullptr, 0);
    listing->buf.resize(old + need);
    fuse_add_direntry(req, listing->buf.data() + old, need, name.c_str(), &st,
                      static_cast<off_t>(old + need));
  }
  fi->fh = reinterpret_cast<uint64_t>(listing);
  if (fuse_reply_open(req, fi) != 0)
    delete listing;
  else
    impl->open_dirs.insert(listing);
}

void op_readdir(fuse_req_t req, fuse_ino_t, size_t size, off_t off, fuse_file_info* fi) {
  auto* listing = reinterpret_cast<DirListing*>(fi->fh);
  size_t at = static_cast<size_t>(off);
  if (at >= listing->buf.size()) {
    fuse_reply_buf(req, nullptr, 0);
    return;
  }
  fuse_reply_buf(req, listing->buf.data() + at, std::min(size, listing->buf.size() - at));
}

// Regular files are copies of sysfs attributes, read afresh at each open.
void op_open(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
  Devfs::Impl* impl = impl_of(req);
  auto it = impl->nodes.find(ino);
  if (it == impl->nodes.end() || !S_ISREG(it->second.mode)) {
    fuse_reply_err(req, EISDIR);
    return;
  }
  if ((fi->flags & O_ACCMODE) != O_RDONLY) {
    fuse_reply_err(req, EROFS);
    return;
  }
  std::ifstream in(it->second.target, std::ios::binary);
  if (!in) {
    fuse_reply_err(req, ENOENT);  // the partition went away
    return;
  }
  auto* content = new std::string(std::istreambuf_iterator<char>(in), {});
  fi->fh = reinterpret_cast<uint64_t>(content);
  fi->direct_io = 1;  // no page cache: the size stated is not the content's
  if (fuse_reply_open(req, fi) != 0)
    delete content;
  else
    impl->open_files.insert(content);
}

void op_read(fuse_req_t req, fuse_ino_t, size_t size, off_t off, fuse_file_info* fi) {
  auto* content = reinterpret_cast<std::string*>(fi->fh);
  size_t at = static_cast<size_t>(off);
  if (at >= content->size()) {
    fuse_reply_buf(req, nullptr, 0);
    return;
  }
  fuse_reply_buf(req, content->data() + at, std::min(size, content->size() - at));
}

void op_release(fuse_req_t req, fuse_ino_t, fuse_file_info* fi) {
  auto* content = reinterpret_cast<std::string*>(fi->fh);
  impl_of(req)->open_files.erase(content);
  delete content;
  fuse_reply_err(req, 0);
}

void op_releasedir(fuse_req_t req, fuse_ino_t, fuse_file_info* fi) {
  auto* listing = reinterpret_cast<DirListing*>(fi->fh);
  impl_of(req)->open_dirs.erase(listing);
  delete listing;
  fuse_reply_err(req, 0);
}

// The tree is the kernel's and the disk's; nobody changes it from inside.
void op_setattr(fuse_req_t req, fuse_ino_t, struct stat*, int, fuse_file_info*) {
  fuse_reply_err(req, EROFS);
}
void op_mknod(fuse_req_t req, fuse_ino_t, const char*, mode_t, dev_t) {
  fuse_reply_err(req, EROFS);
}
void op_mkdir(fuse_req_t req, fuse_ino_t, const char*, mode_t) {
  fuse_reply_err(req, EROFS);
}
void op_unlink(fuse_req_t req, fuse_ino_t, const char*) {
  fuse_reply_err(req, EROFS);
}
void op_symlink(fuse_req_t req, const char*, fuse_ino_t, const char*) {
  fuse_reply_err(req, EROFS);
}
void op_rename(fuse_req_t req, fuse_ino_t, const char*, fuse_ino_t, const char*, unsigned) {
  fuse_reply_err(req, EROFS);
}
void op_link(fuse_req_t req, fuse_ino_t, fuse_ino_t, const char*) {
  fuse_reply_err(req, EROFS);
}
void op_create(fuse_req_t req, fuse_ino_t, const char*, mode_t, fuse_file_info*) {
  fuse_reply_err(req, EROFS);
}

const fuse_lowlevel_ops* ops() {
  static const fuse_lowlevel_ops table = [] {
    fuse_lowlevel_ops o{};
    o.lookup = op_lookup;
    o.forget = op_forget;
    o.getattr = op_getattr;
    o.readlink = op_readlink;
    o.opendir = op_opendir;
    o.readdir = op_readdir;
    o.releasedir = op_releasedir;
    o.open = op_open;
    o.read = op_read;
    o.release = op_release;
    o.setattr = op_setattr;
    o.mknod = op_mknod;
    o.mkdir = op_mkdir;
    o.unlink = op_unlink;
    o.rmdir = op_unlink;
    o.symlink = op_symlink;
    o.rename = op_rename;
    o.link = op_link;
    o.create = op_create;
    return o;
  }();
  return &table;
}

void serve(Devfs::Impl* impl) {
  fuse_buf buf{};
  pollfd fds[2] = {{fuse_session_fd(impl->se), POLLIN, 0}, {impl->stop_fd, POLLIN, 0}};
  while (!fuse_session_exited(impl->se)) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      impl->note_error(std::string("poll: ") + std::strerror(errno));
      break;
    }
    if (fds[1].revents) break;  // asked to stop
    int res = fuse_session_receive_buf(impl->se, &buf);
    if (res == -EINTR || res == -EAGAIN) continue;
    if (res <= 0) {
      // -ENODEV: unmounted, the sandbox's namespace is gone. Normal end.
      if (res < 0 && res != -ENODEV) impl->note_error(std::string("fuse: ") + std::strerror(-res));
      break;
    }
    fuse_session_process_buf(impl->se, &buf);
  }
  std::free(buf.mem);
}

std::unique_ptr<Devfs::Impl> start(const std::string& where, DevfsOptions options, bool mounting,
                                   std::string* error) {
  auto impl = std::make_unique<Devfs::Impl>();
  impl->options = std::move(options);
  if (impl->options.loop_name.empty()) {
    if (error) *error = "devfs: no loop device given for sda";
    return nullptr;
  }
  // Mount options matter only when libfuse mounts (Devfs::mount); `dev`
  // lifts libfuse's default nodev, or no device node would open.
  const char* argv[] = {"kiln-devfs", "-o",
                        "allow_other,dev,default_permissions,fsname=kiln-dev,subtype=kiln-dev"};
  fuse_args args = FUSE_ARGS_INIT(3, const_cast<char**>(argv));
  impl->se = fuse_session_new(&args, ops(), sizeof(fuse_lowlevel_ops), impl.get());
  fuse_opt_free_args(&args);
  if (!impl->se) {
    if (error) *error = "devfs: cannot create a FUSE session";
    return nullptr;
  }
  if (fuse_session_mount(impl->se, where.c_str()) != 0) {
    if (error) *error = "devfs: cannot mount FUSE at " + where;
    fuse_session_destroy(impl->se);
    impl->se = nullptr;
    return nullptr;
  }
  impl->mounted_here = mounting;
  impl->stop_fd = ::eventfd(0, EFD_CLOEXEC);
  if (impl->stop_fd < 0) {
    if (error) *error = std::string("devfs: eventfd: ") + std::strerror(errno);
    if (mounting) fuse_session_unmount(impl->se);
    fuse_session_destroy(impl->se);
    impl->se = nullptr;
    return nullptr;
  }
  impl->thread = std::thread(serve, impl.get());
  return impl;
}

}  // namespace

Devfs::Devfs(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

std::unique_ptr<Devfs> Devfs::serve_fd(int fuse_fd, DevfsOptions options, std::string* error) {
  // libfuse takes "/dev/fd/N" as a mount someone else made, and closes N
  // when the session is destroyed.
  auto impl = start("/dev/fd/" + std::to_string(fuse_fd), std::move(options), false, error);
  if (!impl) {
    ::close(fuse_fd);
    return nullptr;
  }
  return std::unique_ptr<Devfs>(new Devfs(std::move(impl)));
}

std::unique_ptr<Devfs> Devfs::mount(const std::string& dir, DevfsOptions options,
                                    std::string* error) {
  auto impl = start(dir, std::move(options), true, error);
  if (!impl) return nullptr;
  return std::unique_ptr<Devfs>(new Devfs(std::move(impl)));
}

Devfs::~Devfs() {
  if (!impl_) return;
  uint64_t one = 1;
  if (::write(impl_->stop_fd, &one, sizeof(one)) < 0) {
    // An eventfd write fails only on overflow; the thread is told already.
  }
  if (impl_->thread.joinable()) impl_->thread.join();
  if (impl_->mounted_here) fuse_session_unmount(impl_->se);
  fuse_session_destroy(impl_->se);
  ::close(impl_->stop_fd);
}

std::string Devfs::last_error() const {
  std::lock_guard<std::mutex> lock(impl_->error_mu);
  return impl_->error;
}

}  // namespace kiln::local
