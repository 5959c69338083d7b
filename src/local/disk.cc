#include "local/disk.h"

#include <blkid/blkid.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/blkpg.h>
#include <linux/fs.h>
#include <linux/loop.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/swap.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <utility>
#include <vector>

namespace kiln::local {
namespace {

std::string errno_text(int err) {
  return std::strerror(err);
}

bool fail(std::string* error, const std::string& message) {
  if (error) *error = message;
  return false;
}

// Closes a descriptor on every path out of a function.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_;
};

std::string read_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string parent_dir(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

bool all_zero(const char* data, size_t n) {
  // Compare against the first byte shifted along: memcmp is vectorised.
  return n == 0 || (data[0] == 0 && std::memcmp(data, data + 1, n - 1) == 0);
}

// Bytes of FD that are data, walking SEEK_DATA/SEEK_HOLE; falls back to the
// allocated blocks where the filesystem cannot tell.
uint64_t data_in(int fd, const struct stat& st) {
  uint64_t total = 0;
  off_t off = 0;
  while (off < st.st_size) {
    off_t data = ::lseek(fd, off, SEEK_DATA);
    if (data < 0) {
      if (errno == ENXIO) break;  // only a hole is left
      return static_cast<uint64_t>(st.st_blocks) * 512;
    }
    off_t hole = ::lseek(fd, data, SEEK_HOLE);
    if (hole < 0) return static_cast<uint64_t>(st.st_blocks) * 512;
    total += static_cast<uint64_t>(hole - data);
    off = hole;
  }
  return total;
}

// Copies [start, end) of IN to OUT at the same offsets, leaving runs of zeros
// as holes (OUT was truncated to full size beforehand, so skipping is enough).
bool copy_range(int in, int out, off_t start, off_t end, std::vector<char>& buf,
                std::string* error) {
  constexpr size_t kChunk = 64 * 1024;
  off_t off = start;
  while (off < end) {
    size_t want = static_cast<size_t>(std::min<off_t>(end - off, buf.size()));
    ssize_t got = ::pread(in, buf.data(), want, off);
    if (got < 0) {
      if (errno == EINTR) continue;
      return fail(error, "reading the source disk: " + errno_text(errno));
    }
    if (got == 0) break;  // the file shrank under us; what is left reads as zeros
    for (size_t at = 0; at < static_cast<size_t>(got); at += kChunk) {
      size_t n = std::min(kChunk, static_cast<size_t>(got) - at);
      if (all_zero(buf.data() + at, n)) continue;
      size_t done = 0;
      while (done < n) {
        ssize_t put = ::pwrite(out, buf.data() + at + done, n - done, off + at + done);
        if (put < 0) {
          if (errno == EINTR) continue;
          return fail(error, "writing the copy: " + errno_text(errno));
        }
        done += static_cast<size_t>(put);
      }
    }
    off += got;
  }
  return true;
}

int partition_number(const std::string& disk, const std::string& entry) {
  // loop3p12 -> 12
  std::string prefix = disk + "p";
  if (entry.rfind(prefix, 0) != 0 || entry.size() == prefix.size()) return 0;
  int n = 0;
  for (size_t i = prefix.size(); i < entry.size(); ++i) {
    if (entry[i] < '0' || entry[i] > '9') return 0;
    n = n * 10 + (entry[i] - '0');
  }
  return n;
}

// Removes the partitions the kernel has for loop device FD/NAME. A device
// detached without LO_FLAGS_PARTSCAN (by another tool) keeps its partitions,
// so a device handed out again could still show the previous disk's.
bool drop_partitions(int fd, const std::string& name, std::string* error) {
  for (const auto& p : kernel_partitions(name)) {
    struct blkpg_partition part {};
    part.pno = p.number;
    struct blkpg_ioctl_arg arg {};
    arg.op = BLKPG_DEL_PARTITION;
    arg.datalen = sizeof(part);
    arg.data = &part;
    if (::ioctl(fd, BLKPG, &arg) != 0 && errno != ENXIO) {
      return fail(error, "cannot remove partition " + p.name + ": " + errno_text(errno));
    }
  }
  return true;
}

dev_t parse_dev(const std::string& text) {
  unsigned maj = 0, min = 0;
  if (std::sscanf(text.c_str(), "%u:%u", &maj, &min) != 2) return 0;
  return makedev(maj, min);
}

}  // namespace

bool create_sparse_disk(const std::string& path, uint64_t bytes, std::string* error) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) return fail(error, "cannot create disk " + path + ": " + errno_text(errno));
  if (::ftruncate(fd.get(), static_cast<off_t>(bytes)) != 0) {
    int err = errno;
    ::unlink(path.c_str());
    return fail(error, "cannot size disk " + path + ": " + errno_text(err));
  }
  return true;
}

bool grow_disk(const std::string& path, uint64_t bytes, std::string* error) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return fail(error, path + ": " + errno_text(errno));
  if (static_cast<uint64_t>(st.st_size) > bytes) {
    return fail(error, "disk " + path + " holds " + std::to_string(st.st_size) +
                           " bytes; a disk never shrinks (asked for " + std::to_string(bytes) +
                           ")");
  }
  if (::truncate(path.c_str(), static_cast<off_t>(bytes)) != 0) {
    return fail(error, "cannot grow disk " + path + ": " + errno_text(errno));
  }
  return true;
}

std::optional<uint64_t> disk_data_bytes(const std::string& path, std::string* error) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    fail(error, path + ": " + errno_text(errno));
    return std::nullopt;
  }
  return static_cast<uint64_t>(st.st_blocks) * 512;
}

bool copy_disk_sparse(const std::string& from, const std::string& to, std::string* error) {
  Fd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return fail(error, "cannot open disk " + from + ": " + errno_text(errno));
  struct stat st {};
  if (::fstat(in.get(), &st) != 0) return fail(error, from + ": " + errno_text(errno));
  if (!S_ISREG(st.st_mode)) return fail(error, from + " is not a regular file");

  uint64_t need = data_in(in.get(), st);
  std::string dir = parent_dir(to);
  struct statvfs vfs {};
  if (::statvfs(dir.c_str(), &vfs) != 0) return fail(error, dir + ": " + errno_text(errno));
  uint64_t avail = static_cast<uint64_t>(vfs.f_bavail) * vfs.f_frsize;
  if (need > avail) {
    return fail(error, "not enough free space in " + dir + " to copy " + from + ": it holds " +
                           std::to_string(need) + " bytes of data, " + std::to_string(avail) +
                           " bytes are free");
  }

  Fd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st.st_mode & 0777));
  if (out.get() < 0) return fail(error, "cannot create " + to + ": " + errno_text(errno));
  auto abandon = [&](const std::string& message) {
    out.reset();
    ::unlink(to.c_str());
    return fail(error, message);
  };

  // Shared extents cost nothing and keep holes; most filesystems here (ext4,
  // tmpfs) refuse, and then the data is copied extent by extent.
  if (::ioctl(out.get(), FICLONE, in.get()) == 0) {
    if (::fsync(out.get()) != 0) return abandon("cannot sync " + to + ": " + errno_text(errno));
    return true;
  }
  if (::ftruncate(out.get(), st.st_size) != 0) {
    return abandon("cannot size " + to + ": " + errno_text(errno));
  }
  std::vector<char> buf(1 << 20);
  off_t off = 0;
  while (off < st.st_size) {
    off_t data = ::lseek(in.get(), off, SEEK_DATA);
    off_t hole = st.st_size;
    if (data < 0) {
      if (errno == ENXIO) break;
      if (errno != EINVAL) return abandon("reading " + from + ": " + errno_text(errno));
      data = off;  // no SEEK_DATA: copy everything, zero runs still become holes
    } else {
      hole = ::lseek(in.get(), data, SEEK_HOLE);
      if (hole < 0) return abandon("reading " + from + ": " + errno_text(errno));
    }
    std::string copy_error;
    if (!copy_range(in.get(), out.get(), data, hole, buf, &copy_error)) {
      return abandon(copy_error + " (" + from + " to " + to + ")");
    }
    off = hole;
  }
  if (::fsync(out.get()) != 0) return abandon("cannot sync " + to + ": " + errno_text(errno));
  return true;
}

std::vector<KernelPartition> kernel_partitions(const std::string& loop_name) {
  std::vector<KernelPartition> parts;
  std::string base = "/sys/block/" + loop_name;
  DIR* dir = ::opendir(base.c_str());
  if (!dir) return parts;
  while (struct dirent* e = ::readdir(dir)) {
    int n = partition_number(loop_name, e->d_name);
    if (n <= 0) continue;
    std::string sys = base + "/" + e->d_name;
    KernelPartition p;
    p.number = n;
    p.name = e->d_name;
    p.dev = parse_dev(read_line(sys + "/dev"));
    // sysfs counts in 512-byte sectors whatever the logical block size.
    p.start = std::strtoull(read_line(sys + "/start").c_str(), nullptr, 10) * 512;
    p.size = std::strtoull(read_line(sys + "/size").c_str(), nullptr, 10) * 512;
    // A partition removed between readdir and the reads has no dev: skip it.
    if (p.dev != 0) parts.push_back(std::move(p));
  }
  ::closedir(dir);
  std::sort(parts.begin(), parts.end(),
            [](const KernelPartition& a, const KernelPartition& b) { return a.number < b.number; });
  return parts;
}

std::unique_ptr<LoopDevice> LoopDevice::attach(const std::string& file, const Options& options,
                                               std::string* error) {
  int mode = options.read_only ? O_RDONLY : O_RDWR;
  Fd backing(::open(file.c_str(), mode | O_CLOEXEC));
  if (backing.get() < 0) {
    fail(error, "cannot open disk " + file + ": " + errno_text(errno));
    return nullptr;
  }
  Fd control(::open("/dev/loop-control", O_RDWR | O_CLOEXEC));
  if (control.get() < 0) {
    fail(error, "cannot open /dev/loop-control (loop devices need root): " + errno_text(errno));
    return nullptr;
  }
  // Another process may configure the free device we were given before we
  // do: LOOP_CONFIGURE then says EBUSY and we ask again.
  for (int attempt = 0; attempt < 64; ++attempt) {
    int n = ::ioctl(control.get(), LOOP_CTL_GET_FREE);
    if (n < 0) {
      fail(error, "no free loop device: " + errno_text(errno));
      return nullptr;
    }
    std::string name = "loop" + std::to_string(n);
    Fd loop(::open(("/dev/" + name).c_str(), mode | O_CLOEXEC));
    if (loop.get() < 0) {
      fail(error, "cannot open /dev/" + name + ": " + errno_text(errno));
      return nullptr;
    }
    struct loop_config config {};
    config.fd = static_cast<uint32_t>(backing.get());
    // LO_FLAGS_PARTSCAN although this kernel parses no table: a re-read
    // (BLKRRPART: sfdisk, wipefs, blockdev --rereadpt) then drops the old
    // partitions as a parsing kernel would replace them, so that `sfdisk;
    // partx -a` ends with the new table rather than the stale one; and the
    // kernel drops a detached device's partitions itself.
    config.info.lo_flags =
        LO_FLAGS_AUTOCLEAR | LO_FLAGS_PARTSCAN | (options.read_only ? LO_FLAGS_READ_ONLY : 0);
    std::strncpy(reinterpret_cast<char*>(config.info.lo_file_name), file.c_str(), LO_NAME_SIZE - 1);
    if (::ioctl(loop.get(), LOOP_CONFIGURE, &config) != 0) {
      if (errno == EBUSY) continue;
      fail(error, "cannot attach " + file + " to /dev/" + name + ": " + errno_text(errno));
      return nullptr;
    }
    // Partitions left by the disk this device held before are not ours.
    if (!drop_partitions(loop.get(), name, error)) return nullptr;
    struct stat st {};
    ::fstat(loop.get(), &st);
    std::unique_ptr<LoopDevice> dev(new LoopDevice());
    dev->name_ = name;
    dev->file_ = file;
    dev->dev_ = st.st_rdev;
    dev->fd_ = loop.release();
    dev->read_only_ = options.read_only;
    return dev;
  }
  fail(error, "no free loop device: every one offered was taken by another process first");
  return nullptr;
}

LoopDevice::~LoopDevice() {
  if (fd_ < 0) return;
  // Tidy when nothing uses the partitions any more; one still in use (a swap
  // area) keeps the device, and attach() drops it when the number comes back.
  drop_partitions(fd_, name_, nullptr);
  ::close(fd_);
}

std::optional<int> LoopDevice::announce_partitions(std::string* error) {
  blkid_probe pr = blkid_new_probe();
  if (!pr) {
    fail(error, "libblkid: out of memory");
    return std::nullopt;
  }
  struct Free {
    blkid_probe pr;
    ~Free() { blkid_free_probe(pr); }
  } free_probe{pr};
  // The kernel does not cache what we read here: pages read through the loop
  // device are its own, and a fresh attach has none.
  if (blkid_probe_set_device(pr, fd_, 0, 0) != 0) {
    fail(error, "libblkid cannot probe /dev/" + name_);
    return std::nullopt;
  }
  blkid_probe_enable_superblocks(pr, 0);
  blkid_probe_enable_partitions(pr, 1);
  blkid_partlist list = blkid_probe_get_partitions(pr);
  if (!list) return 0;  // no partition table: a blank disk, or a filesystem on the whole disk
  int count = blkid_partlist_numof_partitions(list);
  auto present = partitions();
  for (int i = 0; i < count; ++i) {
    blkid_partition part = blkid_partlist_get_partition(list, i);
    int number = blkid_partition_get_partno(part);
    uint64_t start = static_cast<uint64_t>(blkid_partition_get_start(part)) * 512;
    uint64_t size = static_cast<uint64_t>(blkid_partition_get_size(part)) * 512;
    // An MBR extended partition is a container: like partx and the kernel's
    // own parser, show 1 KiB of it so that nothing mistakes it for a filesystem.
    if (blkid_partition_is_extended(part)) size = std::min<uint64_t>(size, 1024);
    auto same = std::find_if(present.begin(), present.end(),
                             [&](const KernelPartition& p) { return p.number == number; });
    if (same != present.end()) {
      if (same->start == start && same->size == size) continue;
      fail(error, "/dev/" + name_ + " already has a partition " + std::to_string(number) +
                      " that differs from the table on the disk");
      return std::nullopt;
    }
    struct blkpg_partition p {};
    p.start = static_cast<long long>(start);
    p.length = static_cast<long long>(size);
    p.pno = number;
    struct blkpg_ioctl_arg arg {};
    arg.op = BLKPG_ADD_PARTITION;
    arg.datalen = sizeof(p);
    arg.data = &p;
    if (::ioctl(fd_, BLKPG, &arg) != 0) {
      fail(error, "cannot add partition " + std::to_string(number) + " of /dev/" + name_ + ": " +
                      errno_text(errno));
      return std::nullopt;
    }
  }
  return count;
}

bool LoopDevice::refresh_capacity(std::string* error) {
  if (::ioctl(fd_, LOOP_SET_CAPACITY, 0) != 0) {
    return fail(error, "cannot resize /dev/" + name_ + ": " + errno_text(errno));
  }
  return true;
}

bool LoopDevice::flush(std::string* error) {
  // Partitions have page caches of their own; each fsync ends in a flush of
  // the loop device, which syncs the backing file.
  for (const auto& p : partitions()) {
    Fd part(::open(("/dev/" + p.name).c_str(), O_RDONLY | O_CLOEXEC));
    if (part.get() < 0) continue;  // removed meanwhile
    if (::fsync(part.get()) != 0) {
      return fail(error, "cannot flush /dev/" + p.name + ": " + errno_text(errno));
    }
  }
  if (::fsync(fd_) != 0)
    return fail(error, "cannot flush /dev/" + name_ + ": " + errno_text(errno));
  return true;
}

std::vector<std::string> loops_backed_under(const std::string& dir) {
  std::vector<std::string> found;
  char* real = ::realpath(dir.c_str(), nullptr);
  if (!real) return found;
  std::string root = real;
  ::free(real);
  if (root.back() != '/') root += '/';
  DIR* d = ::opendir("/sys/block");
  if (!d) return found;
  while (struct dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name.rfind("loop", 0) != 0) continue;
    std::string backing = read_line("/sys/block/" + name + "/loop/backing_file");
    if (backing.rfind(root, 0) == 0) found.push_back(name);
  }
  ::closedir(d);
  std::sort(found.begin(), found.end());
  return found;
}

bool release_loop(const std::string& loop_name, std::string* error) {
  // A swap area is global, not tied to the sandbox's namespaces: it is the one
  // holder that outlives a killed sandbox. swapoff by our own path to the same
  // device; EINVAL means it was not swap.
  std::vector<std::string> nodes;
  for (const auto& p : kernel_partitions(loop_name)) nodes.push_back("/dev/" + p.name);
  nodes.push_back("/dev/" + loop_name);
  for (const auto& node : nodes) {
    if (::swapoff(node.c_str()) != 0 && errno != EINVAL && errno != ENOENT) {
      return fail(error, "cannot swapoff " + node + ": " + errno_text(errno));
    }
  }
  Fd loop(::open(("/dev/" + loop_name).c_str(), O_RDONLY | O_CLOEXEC));
  if (loop.get() < 0) return fail(error, "/dev/" + loop_name + ": " + errno_text(errno));
  if (!drop_partitions(loop.get(), loop_name, error)) return false;
  if (::ioctl(loop.get(), LOOP_CLR_FD, 0) != 0 && errno != ENXIO) {
    return fail(error, "cannot detach /dev/" + loop_name + ": " + errno_text(errno));
  }
  return true;
}

}  // namespace kiln::local
