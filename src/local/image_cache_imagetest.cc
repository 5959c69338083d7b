// The image cache for real: debootstrap from Debian's archive into one
// shared cache (KILN_TEST_IMAGE_CACHE, default /var/cache/kiln-test/images),
// so that a CI machine builds each item once. Needs root and the network
// path to the Debian mirror; the first run takes minutes (ctest label
// local_images).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "local/image_build.h"
#include "local/image_cache.h"
#include "local/image_run.h"

namespace kiln::local {
namespace {

namespace fs = std::filesystem;
using image::run;
using image::RunResult;

fs::path cache_dir() {
  const char* env = std::getenv("KILN_TEST_IMAGE_CACHE");
  return env != nullptr && *env != '\0' ? fs::path(env) : fs::path("/var/cache/kiln-test/images");
}

class ImageCacheBuild : public ::testing::TestWithParam<Arch> {
 protected:
  void SetUp() override {
    if (geteuid() != 0) {
      if (std::getenv("CI") != nullptr) FAIL() << "root is needed and CI=true";
      GTEST_SKIP() << "needs root (debootstrap, chroot, loop devices)";
    }
    cache_ = std::make_unique<ImageCache>(cache_dir());
    cache_->set_log(
        [](const std::string& line) { std::fprintf(stderr, "image cache: %s\n", line.c_str()); });
    tmp_ = fs::temp_directory_path() / ("kiln-imagetest-" + std::to_string(getpid()));
    fs::create_directories(tmp_);
  }
  void TearDown() override {
    if (!loop_.empty()) {
      run({"partx", "-d", loop_});
      run({"losetup", "-d", loop_});
    }
    if (!tmp_.empty()) fs::remove_all(tmp_);
  }

  // Runs `script` with sh inside `root` seen through an overlay (the rescue
  // tree is read-only by contract), with the host's /dev, a /proc and a
  // tmpfs /tmp, all in a private mount namespace that dies with it.
  RunResult in_overlay(const fs::path& root, const std::string& script,
                       const std::vector<std::string>& env = {}) {
    fs::create_directories(tmp_ / "upper");
    fs::create_directories(tmp_ / "work");
    fs::create_directories(tmp_ / "merged");
    std::string outer =
        "set -e\n"
        "mount -t overlay overlay -o \"lowerdir=$1,upperdir=$2/upper,workdir=$2/work\" "
        "\"$2/merged\"\n"
        "R=$2/merged\n"
        "mount --rbind /dev \"$R/dev\"\n"
        "mount -t proc proc \"$R/proc\"\n"
        "mount -t tmpfs tmpfs \"$R/tmp\"\n"
        "exec chroot \"$R\" /bin/sh -c \"$3\"\n";
    return run({"unshare", "--mount", "--propagation", "private", "sh", "-c", outer, "sh",
                root.string(), tmp_.string(), script},
               env);
  }

  std::unique_ptr<ImageCache> cache_;
  fs::path tmp_;
  std::string loop_;
};

TEST_P(ImageCacheBuild, SystemImageDebian12) {
  Arch arch = GetParam();
  std::string error;
  auto start = std::chrono::steady_clock::now();
  auto image = cache_->system_image("debian-12", arch, &error);
  ASSERT_TRUE(image) << error;
  std::fprintf(stderr, "debian-12 %s ready after %.1f s\n", arch_name(arch),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  EXPECT_TRUE(cache_->has_system_image("debian-12", arch));
  EXPECT_FALSE(cache_->system_image("debian-13", arch, &error));
  EXPECT_NE(error.find("debian-12"), std::string::npos) << error;

  // Sparse: 5 GiB long, a fraction of it allocated.
  struct stat st {};
  ASSERT_EQ(stat(image->c_str(), &st), 0);
  EXPECT_EQ(st.st_size, 5ll << 30);
  EXPECT_LT(st.st_blocks * 512, 2ll << 30);
  std::fprintf(stderr, "debian-12 %s: %lld MiB allocated of %lld MiB\n", arch_name(arch),
               static_cast<long long>(st.st_blocks * 512 >> 20),
               static_cast<long long>(st.st_size >> 20));

  // One partition at 1 MiB, Linux type, in an MBR.
  RunResult table = run({"sfdisk", "-d", image->string()});
  ASSERT_EQ(table.status, 0) << table.output;
  EXPECT_NE(table.output.find("label: dos"), std::string::npos) << table.output;
  EXPECT_NE(table.output.find("start=        2048"), std::string::npos) << table.output;
  EXPECT_NE(table.output.find("type=83"), std::string::npos) << table.output;

  // Read the ext4 in place: e2fsprogs take "file?offset=N".
  std::string fs_at = image->string() + "?offset=" + std::to_string(image::kPartitionStart);
  RunResult fstab = run({"debugfs", "-R", "cat /etc/fstab", fs_at});
  EXPECT_NE(fstab.output.find("LABEL=root / ext4"), std::string::npos) << fstab.output;
  RunResult ssh = run({"debugfs", "-R", "ls /etc/ssh", fs_at});
  EXPECT_NE(ssh.output.find("sshd_config"), std::string::npos) << ssh.output;
  EXPECT_EQ(ssh.output.find("ssh_host_"), std::string::npos) << "host keys must not be baked in";

  // What the sandbox does: a sparse copy, extended, attached, partitions
  // announced; then the root finder and the grown filesystem.
  fs::path copy = tmp_ / "disk.raw";
  ASSERT_EQ(run({"cp", "--sparse=always", image->string(), copy.string()}).status, 0);
  ASSERT_EQ(run({"truncate", "-s", "8G", copy.string()}).status, 0);
  ASSERT_TRUE(grow_root_partition(copy, &error)) << error;
  RunResult attach = run({"losetup", "--find", "--show", copy.string()});
  ASSERT_EQ(attach.status, 0) << attach.output;
  loop_ = image::tail_lines(attach.output, 1);
  ASSERT_EQ(run({"partx", "-a", loop_}).status, 0);
  RunResult label = run({"blkid", "-o", "export", loop_ + "p1"});
  EXPECT_NE(label.output.find("LABEL=root"), std::string::npos) << label.output;
  EXPECT_NE(label.output.find("TYPE=ext4"), std::string::npos) << label.output;
  RunResult size = run({"dumpe2fs", "-h", loop_ + "p1"});
  auto count = size.output.find("Block count:");
  ASSERT_NE(count, std::string::npos) << size.output;
  EXPECT_GT(std::stoll(size.output.substr(count + 12)) * 4096, 7ll << 30)
      << "root grown to the disk";

  auto plan = find_root({loop_ + "p1"}, &error);
  ASSERT_TRUE(plan) << error;
  EXPECT_EQ(plan->mounts.at(0).device, loop_ + "p1");
  EXPECT_EQ(plan->sshd.at(0), "/usr/sbin/sshd");
  EXPECT_EQ(plan->arch, arch_name(arch));
}

TEST_P(ImageCacheBuild, RescueSystem) {
  Arch arch = GetParam();
  std::string error;
  auto start = std::chrono::steady_clock::now();
  auto root = cache_->rescue_rootfs(arch, &error);
  ASSERT_TRUE(root) << error;
  std::fprintf(stderr, "rescue %s ready after %.1f s\n", arch_name(arch),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  for (const char* tool : {"usr/sbin/parted",      "usr/sbin/sgdisk",        "usr/sbin/sfdisk",
                           "usr/sbin/mkfs.ext4",   "usr/sbin/mkfs.vfat",     "usr/sbin/mkfs.xfs",
                           "usr/sbin/mkfs.btrfs",  "usr/bin/unsquashfs",     "usr/bin/bsdtar",
                           "usr/bin/wget",         "usr/bin/curl",           "usr/bin/xz",
                           "usr/bin/zstd",         "usr/bin/rsync",          "usr/bin/unzip",
                           "usr/sbin/sshd",        "usr/bin/fusermount3",    "usr/bin/fusefat",
                           "usr/bin/fuseiso",      "usr/sbin/mount.vfat",    "usr/sbin/mount.fat",
                           "usr/sbin/mount.msdos", "usr/sbin/mount.iso9660", "usr/bin/growpart"}) {
    EXPECT_TRUE(fs::exists(*root / tool)) << tool;
  }
  EXPECT_FALSE(fs::exists(*root / "etc/ssh/ssh_host_ed25519_key"));

  RunResult uname = in_overlay(*root, "uname -m");
  EXPECT_EQ(uname.output, arch == Arch::arm64 ? "aarch64\n" : "x86_64\n") << uname.output;

  // A FAT partition on a real block device: by type, then detected, then a
  // loop-mounted ISO 9660 made with the rescue system's own bsdtar. What
  // mount(8) hands the helper is logged by a wrapper around it.
  fs::path fat = tmp_ / "fat.raw";
  ASSERT_EQ(run({"truncate", "-s", "64M", fat.string()}).status, 0);
  ASSERT_EQ(run({"mkfs.fat", "-n", "boot", fat.string()}).status, 0);
  RunResult attach = run({"losetup", "--find", "--show", fat.string()});
  ASSERT_EQ(attach.status, 0) << attach.output;
  loop_ = image::tail_lines(attach.output, 1);
  std::string script = R"sh(
set -e
trap 'umount /mnt/boot 2>/dev/null || true; umount /mnt/iso 2>/dev/null || true' EXIT
mkdir -p /mnt/boot /mnt/iso /tmp/isotree/sub
mount -t vfat "$DEV" /mnt/boot
mkdir -p /mnt/boot/EFI/BOOT
head -c 2000000 /dev/urandom > /tmp/big
cp /tmp/big /mnt/boot/EFI/BOOT/BOOTX64.EFI
echo first > /mnt/boot/loader.conf
grep -q ' /mnt/boot fuse' /proc/mounts && echo vfat-mounted
umount /mnt/boot
mount "$DEV" /mnt/boot
cmp /tmp/big /mnt/boot/EFI/BOOT/BOOTX64.EFI && echo vfat-data-ok
cat /mnt/boot/loader.conf
umount /mnt/boot
echo "nix store" > /tmp/isotree/sub/nix-store.squashfs
bsdtar --format iso9660 -cf /tmp/x.iso -C /tmp/isotree .
mount -o loop /tmp/x.iso /mnt/iso
cat /mnt/iso/sub/nix-store.squashfs
if echo x > /mnt/iso/new 2>/dev/null; then echo iso-writable; fi
umount /mnt/iso
echo done
)sh";
  RunResult r = in_overlay(*root, script, {"DEV=" + loop_});
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("vfat-mounted\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("vfat-data-ok\nfirst\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("nix store\n"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("iso-writable"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("done\n"), std::string::npos) << r.output;
  // The filesystem is sound for the host's fsck after FUSE wrote it.
  RunResult fsck = run({"fsck.fat", "-n", fat.string()});
  EXPECT_EQ(fsck.status, 0) << fsck.output;
}

INSTANTIATE_TEST_SUITE_P(Arches, ImageCacheBuild, ::testing::Values(Arch::amd64, Arch::arm64),
                         [](const auto& info) { return std::string(arch_name(info.param)); });

}  // namespace
}  // namespace kiln::local
