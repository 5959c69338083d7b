// The /dev a sandbox sees, served by `kiln local` as a FUSE filesystem.
//
// Why FUSE: the sandbox's tools create partitions (parted, partx) and
// filesystems (mkfs) and use them at once: the seed's script mounts
// /dev/disk/by-label/... right after mkfs. A node or link created by a
// background watcher would appear some time later (a race); here every lookup
// (entry and attribute timeouts 0, so the kernel asks each time) reads the
// kernel's partitions from /sys/block/loopN and probes labels with libblkid
// at that moment, so what exists is always what the kernel and the disk hold.
// Device nodes are S_IFBLK/S_IFCHR inodes with their rdev: opening one goes
// straight to the device, not through FUSE (the mount needs `dev`).
//
// What it holds (nothing else; no host device but the server's own disk):
//   null zero full random urandom tty fuse     character devices, 0666
//   ptmx -> pts/ptmx, fd -> /proc/self/fd, stdin stdout stderr
//   pts/ shm/ mqueue/                           empty directories: the caller
//                                               mounts devpts (newinstance,
//                                               ptmxmode=0666), tmpfs, mqueue
//   sda                                         the server's loop device
//   sdaN                                        each partition the kernel has
//                                               for it now (loopNpM)
//   disk/by-label disk/by-uuid disk/by-partlabel disk/by-partuuid
//                                               links ../../sdaN (or ../../sda)
//   .kiln/block/sda                             a /sys/block/sda for the
//                                               sandbox (mount_sys_block_view)
// It is read-only: creating, removing or changing entries fails with EROFS.
//
// Two ways to use it:
//  - the sandbox's setup process (in its own mount namespace, before
//    pivot_root, with CAP_SYS_ADMIN) calls mount_devfs_fuse() on its future
//    /dev, sends the returned fd to kiln local with send_fd(), and kiln local
//    calls Devfs::serve_fd() with it. The mount dies with the sandbox's mount
//    namespace, so nothing is left on the host even after SIGKILL.
//  - Devfs::mount() mounts at a directory of kiln local's own namespace
//    (tests, or a sandbox that bind-mounts it); unmounted on destruction.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>

namespace kiln::local {

struct DevfsOptions {
  // The server's disk, shown as sda: "loop3".
  std::string loop_name;
  // Called with each block device number (the disk's and then each new
  // partition's) BEFORE a node with that number is shown, so that the device
  // cgroup can allow it first. Returning false (with *error set) hides the
  // node: failing closed. Called from the devfs thread; may be empty.
  std::function<bool(dev_t, std::string* error)> allow_device;
};

class Devfs {
 public:
  // Serves the FUSE connection FUSE_FD (from mount_devfs_fuse(), in some
  // sandbox's namespace) on a thread of its own. Takes ownership of FUSE_FD
  // (closed on failure too).
  static std::unique_ptr<Devfs> serve_fd(int fuse_fd, DevfsOptions options, std::string* error);

  // Mounts a devfs at DIR (an existing directory) in this process's mount
  // namespace and serves it; unmounts it on destruction.
  static std::unique_ptr<Devfs> mount(const std::string& dir, DevfsOptions options,
                                      std::string* error);

  // Stops serving (the sandbox's /dev then fails with ENOTCONN) and joins the
  // thread; unmounts what mount() mounted.
  ~Devfs();
  Devfs(const Devfs&) = delete;
  Devfs& operator=(const Devfs&) = delete;

  // The last error the serving thread met (empty when none), for logs.
  std::string last_error() const;

  struct Impl;

 private:
  explicit Devfs(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Mounts an empty FUSE filesystem at TARGET for a Devfs to serve (options:
// dev, nosuid, allow_other, default_permissions) and returns the /dev/fuse
// descriptor of the connection (close-on-exec), or -1 with *error set. Meant
// for the sandbox's setup process; it makes no other change.
int mount_devfs_fuse(const std::string& target, std::string* error);

// Shows, in the calling process's mount namespace, SYS_BLOCK (the
// sandbox's /sys/block) as a read-only tmpfs holding only `sda`: a bind of
// the devfs at DEV_DIR's view of the server's disk (dev, size, ro,
// removable, ext_range, and sdaN/{dev,size,ro,start,partition} for each
// partition the kernel has now). Why: libparted checks the kernel's
// partitions in /sys/block/<name>/<name>N by the names it sees (sda, sda1);
// without this it reads nothing (and prints "You found a bug in GNU Parted")
// or, on a host that has a real sda, the host disk's values. Also hides the
// host's block devices from /sys/block. For the sandbox's setup process,
// after mount_devfs_fuse(), once kiln local serves the devfs (it waits).
bool mount_sys_block_view(const std::string& dev_dir, const std::string& sys_block,
                          std::string* error);

// Passes a descriptor over a Unix socket (SCM_RIGHTS), and receives one.
bool send_fd(int sock, int fd, std::string* error);
int receive_fd(int sock, std::string* error);

}  // namespace kiln::local
