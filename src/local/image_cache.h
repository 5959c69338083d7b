// The systems that kiln local's servers run: a cache of Debian 12 (bookworm)
// root filesystems and disk images built with debootstrap from the host's
// Debian mirror, for amd64 and arm64 (arm64 through qemu-user-static and
// binfmt_misc), plus the root finder that tells how to boot a disk normally.
//
// Every build happens once per cache directory: into a temporary sibling,
// then renamed into place, under an flock so that concurrent callers (two
// kiln local processes, parallel tests) wait for one build instead of
// running two. Builds take minutes; later calls return at once.
//
// Needs root (debootstrap, chroot, mknod). Errors are returned as text.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace kiln::local {

enum class Arch { amd64, arm64 };

// Debian's name: "amd64" / "arm64".
const char* arch_name(Arch arch);
// From the Hetzner API's architecture ("x86" / "arm") or Debian's name.
std::optional<Arch> parse_arch(const std::string& name);
// The architecture this process runs on.
Arch host_arch();

// Makes sure the kernel runs aarch64 binaries through Debian's
// qemu-aarch64-static, registered with the F (fix-binary) flag so that it
// works inside a chroot/pivot_root that holds no interpreter of its own.
// Mounts binfmt_misc if needed and registers only if missing. This changes
// HOST state (the registration stays after kiln exits, as binfmt-support
// would leave it). No-op on an arm64 host.
bool ensure_arm64_emulation(std::string* error);

class ImageCache {
 public:
  // `dir` is created if missing (e.g. <state>/images or
  // $XDG_CACHE_HOME/kiln/images). `mirror` is the Debian archive URL; empty
  // means the one the host's apt uses (/etc/apt/sources.list{,.d/*}).
  explicit ImageCache(std::filesystem::path dir, std::string mirror = "");

  const std::filesystem::path& dir() const { return dir_; }
  const std::string& mirror() const { return mirror_; }

  // Receives one line when a build starts and when it ends (with its
  // duration), since a first build takes minutes. Default: none.
  void set_log(std::function<void(const std::string&)> log) { log_ = std::move(log); }

  // The system images the local cloud offers, by API name ("debian-12").
  static std::vector<std::string> system_image_names();

  // A sparse raw disk image of the system image `name` for `arch`: an MBR
  // partition table with one partition (sda1, starting at 1 MiB) holding an
  // ext4 root labelled "root", whose /etc/fstab names it by LABEL=root;
  // openssh-server installed, no SSH host keys (generated at first boot, see
  // BootPlan). The file is the cache's own: copy it sparsely (cp
  // --sparse=always, or FICLONE) before writing, then extend the copy; the
  // partition keeps its size until grown (grow_root_partition below).
  // Builds on first use.
  std::optional<std::filesystem::path> system_image(const std::string& name, Arch arch,
                                                    std::string* error);

  // The rescue system's root directory for `arch`: Debian 12 with the tools
  // Hetzner's rescue system offers (parted, gdisk, fdisk, e2fsprogs,
  // dosfstools, xfsprogs, btrfs-progs, squashfs-tools, bsdtar, wget, curl,
  // xz, zstd, rsync, fuse3 ...), openssh-server without host keys, and
  // /sbin/mount.{vfat,fat,msdos,iso9660} helpers backed by FUSE (fusefat,
  // fuseiso) for the filesystems this kernel lacks; they need /dev/fuse and
  // CAP_SYS_ADMIN inside. READ-ONLY: use it as the lower layer of an
  // overlayfs whose upper layer is a tmpfs sized by the server's RAM, or copy
  // it into such a tmpfs. Start sshd the way BootPlan says (ssh-keygen -A,
  // then /usr/sbin/sshd). Builds on first use.
  std::optional<std::filesystem::path> rescue_rootfs(Arch arch, std::string* error);

  // True when the item is already built (no build is started).
  bool has_system_image(const std::string& name, Arch arch) const;
  bool has_rescue_rootfs(Arch arch) const;

 protected:
  // Builds `name` (a file or directory in dir_) once, under the cache's
  // lock, through `build(tmp_dir, error)` which leaves the result at
  // tmp_dir/out; then renames it into place.
  std::optional<std::filesystem::path> build_once(
      const std::string& name,
      const std::function<bool(const std::filesystem::path&, std::string*)>& build,
      std::string* error);

 private:
  std::filesystem::path dir_;
  std::string mirror_;
  std::function<void(const std::string&)> log_;
};

// The Debian mirror the host's apt uses (first deb.debian.org-like "debian"
// URI of a bookworm suite), or "http://deb.debian.org/debian".
std::string host_debian_mirror();

// Grows partition 1 of a copied system image (after the file was extended)
// to the end of the file and the ext4 inside to the partition, as cloud-init's
// growpart does at first boot on the real cloud. Uses a short-lived loop
// device of its own (auto-cleared). For ext4 only.
bool grow_root_partition(const std::filesystem::path& image, std::string* error);

// How to boot a disk normally, as found by find_root().
struct BootPlan {
  struct Mount {
    std::string device;      // one of the partitions given to find_root
    std::string mountpoint;  // "/" first, then e.g. "/boot", "/nix", in fstab order
    std::string fstype;      // "ext4", "xfs", "btrfs"
    std::string options;     // for mount(8) -o, e.g. "subvol=@" ("defaults" if none)
  };
  // Root first. Only filesystems the host kernel mounts (ext4, xfs, btrfs);
  // entries it cannot mount (vfat /boot, swap, tmpfs) are left out.
  std::vector<Mount> mounts;
  std::string arch;  // "amd64" / "arm64": the ELF machine of the sshd binary
  // Commands to run, in order, inside the mounted root (chroot or
  // pivot_root'ed) as root. Generates missing host keys with the system's own
  // ssh-keygen: {"/usr/bin/ssh-keygen", "-A"}.
  std::vector<std::vector<std::string>> prepare;
  // The system's sshd in the foreground, logging to stderr:
  // {"/usr/sbin/sshd", "-D", "-e"}. Append "-o", "ListenAddress=..." as needed.
  std::vector<std::string> sshd;
  std::string how;  // for logs: "fstab on /dev/loop3p1", "grub.cfg root=UUID=..."
};

// Finds the root filesystem of the system on a disk, given its partitions
// (e.g. {"/dev/loop3p1", "/dev/loop3p2"}; a whole unpartitioned device works
// too): mounts each candidate read-only in a private temporary directory,
// reads /etc/fstab (or, if it names no root, the root= of grub.cfg or a
// systemd-boot/extlinux entry), and resolves UUID=, LABEL=, PARTUUID=,
// PARTLABEL= and /dev/sdaN names against the given partitions. Needs root.
// nullopt with *error set when the disk holds no bootable system (the server
// then never answers SSH, as on the real cloud).
std::optional<BootPlan> find_root(const std::vector<std::string>& partitions, std::string* error);

}  // namespace kiln::local
