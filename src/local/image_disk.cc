// System disk images without loop devices or mounts: sfdisk writes the
// partition table into the file and mkfs.ext4 -d fills the root filesystem
// from a directory at the partition's offset.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "local/image_build.h"
#include "local/image_run.h"

namespace kiln::local::image {

bool make_disk_image(const std::filesystem::path& rootfs, const std::filesystem::path& image,
                     uint64_t size, std::string* error) {
  if (size < kPartitionStart + (64ull << 20)) {
    *error = "disk image size too small";
    return false;
  }
  {
    std::ofstream fstab(rootfs / "etc/fstab", std::ios::trunc);
    fstab << "# <file system> <mount point> <type> <options> <dump> <pass>\n"
          << "LABEL=" << kRootLabel << " / ext4 errors=remount-ro 0 1\n";
    if (!fstab) {
      *error = "cannot write " + (rootfs / "etc/fstab").string();
      return false;
    }
  }
  std::error_code ec;
  std::filesystem::remove(image, ec);
  int fd = open(image.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0 || ftruncate(fd, static_cast<off_t>(size)) != 0) {
    *error = "cannot create " + image.string() + ": " + std::strerror(errno);
    if (fd >= 0) close(fd);
    return false;
  }
  close(fd);
  // sfdisk reads its script from stdin; run() gives /dev/null, so the script
  // goes through a file.
  std::filesystem::path script = image.string() + ".sfdisk";
  {
    std::ofstream out(script, std::ios::trunc);
    out << "label: dos\nstart=" << kPartitionStart / 512 << ", type=83, bootable\n";
  }
  bool ok = run_ok({"sh", "-c", "exec sfdisk --no-reread --no-tell-kernel -q \"$1\" < \"$2\"", "sh",
                    image.string(), script.string()},
                   error);
  std::filesystem::remove(script, ec);
  if (!ok) return false;
  uint64_t fs_kib = (size - kPartitionStart) / 1024;
  return run_ok(
      {"mkfs.ext4", "-q", "-F", "-L", kRootLabel, "-d", rootfs.string(), "-E",
       "offset=" + std::to_string(kPartitionStart), image.string(), std::to_string(fs_kib) + "k"},
      error);
}

}  // namespace kiln::local::image

namespace kiln::local {

bool grow_root_partition(const std::filesystem::path& image, std::string* error) {
  using image::run;
  using image::run_ok;
  // Partition 1 to the end of the file: sfdisk keeps the start, ", +" takes
  // all the space after it.
  if (!run_ok({"sh", "-c", "echo ', +' | exec sfdisk --no-reread --no-tell-kernel -q -N 1 \"$1\"",
               "sh", image.string()},
              error)) {
    return false;
  }
  std::error_code ec;
  uint64_t size = std::filesystem::file_size(image, ec);
  if (ec) {
    *error = image.string() + ": " + ec.message();
    return false;
  }
  // resize2fs has no offset option, so the filesystem gets a loop device of
  // its own for the time of e2fsck and resize2fs.
  image::RunResult attach =
      run({"losetup", "--find", "--show", "--offset", std::to_string(image::kPartitionStart),
           "--sizelimit", std::to_string(size - image::kPartitionStart), image.string()});
  std::string loop = image::tail_lines(attach.output, 1);
  if (attach.status != 0 || loop.rfind("/dev/loop", 0) != 0) {
    *error = "losetup " + image.string() + " failed: " + attach.output;
    return false;
  }
  image::RunResult fsck = run({"e2fsck", "-f", "-p", loop});
  // e2fsck: 0 clean, 1 errors corrected; anything else needs a person.
  bool ok = fsck.status == 0 || fsck.status == 1;
  if (!ok) *error = "e2fsck " + image.string() + ": " + image::tail_lines(fsck.output, 5);
  if (ok) ok = run_ok({"resize2fs", loop}, error);
  std::string detach_error;
  if (!run_ok({"losetup", "--detach", loop}, &detach_error) && ok) {
    *error = detach_error;
    ok = false;
  }
  return ok;
}

}  // namespace kiln::local
