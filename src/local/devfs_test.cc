#include "local/devfs.h"

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "local/disk.h"
#include "local/disk_testing.h"

namespace kiln::local {
namespace {

using testing::run;
using testing::TempDir;

constexpr uint64_t kMiB = 1024 * 1024;

std::string link_of(const std::string& path) {
  char buf[4096];
  ssize_t n = ::readlink(path.c_str(), buf, sizeof(buf));
  return n < 0 ? "" : std::string(buf, static_cast<size_t>(n));
}

std::vector<std::string> list(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return names;
  while (struct dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

size_t open_fds() {
  return list("/proc/self/fd").size();
}

bool mounted_at(const std::string& dir) {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.find(" " + dir + " ") != std::string::npos) return true;
  }
  return false;
}

// A disk attached as a loop device and a devfs for it mounted at DIR/dev,
// recording the devices it asked the cgroup to allow.
class DevfsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    KILN_REQUIRE_ROOT();
    std::string error;
    ASSERT_TRUE(create_sparse_disk(tmp_ / "disk.img", 512 * kMiB, &error)) << error;
    loop_ = LoopDevice::attach(tmp_ / "disk.img", &error);
    ASSERT_TRUE(loop_) << error;
    dev_ = tmp_ / "dev";
    ASSERT_EQ(::mkdir(dev_.c_str(), 0755), 0);
    devfs_ = Devfs::mount(dev_, options(), &error);
    ASSERT_TRUE(devfs_) << error;
  }

  void TearDown() override {
    if (mnt_mounted_) ::umount2((tmp_ / "mnt").c_str(), MNT_DETACH);
    devfs_.reset();
    if (!dev_.empty()) {
      EXPECT_FALSE(mounted_at(dev_)) << "the devfs outlived its Devfs";
    }
    loop_.reset();
  }

  DevfsOptions options() {
    DevfsOptions o;
    o.loop_name = loop_->name();
    o.allow_device = [this](dev_t dev, std::string* why) {
      std::lock_guard<std::mutex> lock(mu_);
      if (refuse_all_but_ != 0 && dev != refuse_all_but_) {
        *why = "refused by the test";
        return false;
      }
      allowed_.insert(dev);
      return true;
    };
    return o;
  }

  bool was_allowed(dev_t dev) {
    std::lock_guard<std::mutex> lock(mu_);
    return allowed_.count(dev) > 0;
  }

  TempDir tmp_;
  std::unique_ptr<LoopDevice> loop_;
  std::unique_ptr<Devfs> devfs_;
  std::string dev_;
  bool mnt_mounted_ = false;
  std::mutex mu_;
  std::set<dev_t> allowed_;
  dev_t refuse_all_but_ = 0;
};

TEST_F(DevfsTest, HoldsTheUsualDevicesAndTheDisk) {
  struct stat st {};
  ASSERT_EQ(::stat((dev_ + "/null").c_str(), &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_EQ(st.st_rdev, makedev(1, 3));
  EXPECT_EQ(st.st_mode & 0777, 0666u);
  ASSERT_EQ(::stat((dev_ + "/urandom").c_str(), &st), 0);
  EXPECT_EQ(st.st_rdev, makedev(1, 9));
  EXPECT_EQ(link_of(dev_ + "/ptmx"), "pts/ptmx");
  EXPECT_EQ(link_of(dev_ + "/fd"), "/proc/self/fd");

  // Device nodes open: the mount has `dev`.
  int fd = ::open((dev_ + "/zero").c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0) << std::strerror(errno);
  char c = 1;
  EXPECT_EQ(::read(fd, &c, 1), 1);
  EXPECT_EQ(c, 0);
  ::close(fd);
  fd = ::open((dev_ + "/null").c_str(), O_WRONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(::write(fd, "x", 1), 1);
  ::close(fd);

  ASSERT_EQ(::stat((dev_ + "/sda").c_str(), &st), 0);
  EXPECT_TRUE(S_ISBLK(st.st_mode));
  EXPECT_EQ(st.st_rdev, loop_->dev());
  EXPECT_TRUE(was_allowed(loop_->dev()));
  fd = ::open((dev_ + "/sda").c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(::pwrite(fd, "kiln", 4, 0), 4);
  ::close(fd);

  // No block device but the server's own.
  for (const auto& name : list(dev_)) {
    ASSERT_EQ(::lstat((dev_ + "/" + name).c_str(), &st), 0) << name;
    if (S_ISBLK(st.st_mode)) {
      EXPECT_EQ(name, "sda");
    }
  }
  EXPECT_EQ(list(dev_ + "/disk"),
            (std::vector<std::string>{"by-label", "by-partlabel", "by-partuuid", "by-uuid"}));
}

TEST_F(DevfsTest, IsReadOnly) {
  EXPECT_NE(::mkdir((dev_ + "/sdb").c_str(), 0755), 0);
  EXPECT_EQ(errno, EROFS);
  EXPECT_NE(::mknod((dev_ + "/vda").c_str(), S_IFBLK | 0600, makedev(253, 0)), 0);
  EXPECT_NE(::symlink("sda", (dev_ + "/disk/by-label/x").c_str()), 0);
  EXPECT_NE(::unlink((dev_ + "/null").c_str()), 0);
  EXPECT_NE(::chmod((dev_ + "/sda").c_str(), 0666), 0);
  int fd = ::open((dev_ + "/newfile").c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
  EXPECT_LT(fd, 0);
  if (fd >= 0) ::close(fd);
}

// The seed's pattern: partition, mkfs, and use the names at once. Repeated
// with new labels each round, so that a stale or late answer shows.
TEST_F(DevfsTest, PartitionsAndLabelsExistAsSoonAsTheToolsReturn) {
  std::string sda = dev_ + "/sda";
  std::string mnt = tmp_ / "mnt";
  ASSERT_EQ(::mkdir(mnt.c_str(), 0755), 0);
  for (int round = 0; round < 12; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::string r = std::to_string(round);
    int bios_end = 2 + round % 3;  // shift the layout each round
    ASSERT_EQ(run("parted -s " + sda + " -- mklabel gpt mkpart bios" + r + " 1MiB " +
                  std::to_string(bios_end) + "MiB set 1 bios_grub on mkpart swap" + r +
                  " linux-swap " + std::to_string(bios_end) + "MiB 100MiB mkpart root" + r +
                  " ext4 100MiB 100% >/dev/null 2>&1"),
              0);
    auto parts = loop_->partitions();
    ASSERT_EQ(parts.size(), 3u);
    for (const auto& p : parts) {
      struct stat st {};
      std::string node = dev_ + "/sda" + std::to_string(p.number);
      ASSERT_EQ(::stat(node.c_str(), &st), 0) << node << " missing right after parted";
      EXPECT_TRUE(S_ISBLK(st.st_mode));
      EXPECT_EQ(st.st_rdev, p.dev);
      EXPECT_TRUE(was_allowed(p.dev)) << "shown before the cgroup allowed it";
    }
    EXPECT_EQ(link_of(dev_ + "/disk/by-partlabel/root" + r), "../../sda3");

    ASSERT_EQ(run("mkfs.ext4 -q -F -L root" + r + " " + dev_ + "/sda3"), 0);
    std::string by_label = dev_ + "/disk/by-label/root" + r;
    ASSERT_EQ(link_of(by_label), "../../sda3") << "no label link right after mkfs";
    ASSERT_EQ(run("mkswap -q -L swap" + r + " " + dev_ + "/sda2"), 0);
    EXPECT_EQ(link_of(dev_ + "/disk/by-label/swap" + r), "../../sda2");
    // vfat, as the seed's ESP (this kernel cannot mount it; blkid reads it).
    ASSERT_EQ(run("mkfs.fat -n BOOT" + r + " " + dev_ + "/sda1"), 0);
    EXPECT_EQ(link_of(dev_ + "/disk/by-label/BOOT" + r), "../../sda1");
    if (round > 0) {
      EXPECT_EQ(link_of(dev_ + "/disk/by-label/root" + std::to_string(round - 1)), "")
          << "a stale label";
    }

    // Mount by label, as the seed's script does.
    ASSERT_EQ(run("mount " + by_label + " " + mnt), 0);
    mnt_mounted_ = true;
    ASSERT_EQ(run("touch " + mnt + "/written && umount " + mnt), 0);
    mnt_mounted_ = false;
  }
  auto uuids = list(dev_ + "/disk/by-uuid");
  EXPECT_EQ(uuids.size(), 3u);  // the vfat, the ext4 and the swap area
  EXPECT_EQ(list(dev_ + "/disk/by-partuuid").size(), 3u);
}

// sfdisk asks the kernel to re-read the table, which this kernel cannot
// parse: the old partitions go, and `partx -a` announces the new ones.
TEST_F(DevfsTest, SfdiskThenPartxShowsTheNewTable) {
  std::string sda = dev_ + "/sda";
  ASSERT_EQ(run("parted -s " + sda + " mklabel gpt mkpart a 1MiB 100MiB mkpart b 100MiB 200MiB"),
            0);
  ASSERT_EQ(loop_->partitions().size(), 2u);
  ASSERT_EQ(run("printf 'label: gpt\\n,50MiB\\n,50MiB\\n,50MiB\\n' | sfdisk -q " + sda +
                " >/dev/null 2>&1 && partx -a " + sda),
            0);
  auto parts = loop_->partitions();
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].size, 50 * kMiB);
  struct stat st {};
  ASSERT_EQ(::stat((dev_ + "/sda3").c_str(), &st), 0);
  EXPECT_EQ(st.st_rdev, parts[2].dev);
}

// A filesystem on the whole disk, no table: the link goes to sda.
TEST_F(DevfsTest, LabelOfAFilesystemOnTheWholeDisk) {
  ASSERT_EQ(run("mkswap -q -L whole " + dev_ + "/sda"), 0);
  EXPECT_EQ(link_of(dev_ + "/disk/by-label/whole"), "../../sda");
  EXPECT_EQ(list(dev_ + "/disk/by-label"), std::vector<std::string>{"whole"});
  EXPECT_EQ(list(dev_ + "/disk/by-uuid").size(), 1u);
}

TEST_F(DevfsTest, HidesAPartitionTheCgroupRefused) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    refuse_all_but_ = loop_->dev();
  }
  ASSERT_EQ(run("parted -s " + dev_ + "/sda mklabel msdos mkpart primary 1MiB 10MiB"), 0);
  ASSERT_EQ(loop_->partitions().size(), 1u);
  struct stat st {};
  EXPECT_EQ(::stat((dev_ + "/sda").c_str(), &st), 0);
  EXPECT_NE(::stat((dev_ + "/sda1").c_str(), &st), 0) << "shown although refused";
  EXPECT_EQ(list(dev_), list(dev_));  // listing works and is stable
  auto names = list(dev_);
  EXPECT_EQ(std::count(names.begin(), names.end(), "sda1"), 0);
  EXPECT_NE(devfs_->last_error().find("not allowed"), std::string::npos) << devfs_->last_error();
}

// The way the sandbox uses it: the FUSE mount is made in another mount
// namespace, and its connection handed over a socket.
TEST(Devfs, ServesAMountMadeInAnotherNamespace) {
  KILN_REQUIRE_ROOT();
  TempDir tmp;
  std::string error;
  ASSERT_TRUE(create_sparse_disk(tmp / "disk.img", 64 * kMiB, &error)) << error;
  auto loop = LoopDevice::attach(tmp / "disk.img", &error);
  ASSERT_TRUE(loop) << error;
  std::string dev = tmp / "dev";
  ASSERT_EQ(::mkdir(dev.c_str(), 0755), 0);
  size_t fds_before = open_fds();
  int sp[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(sp[0]);
    if (::unshare(CLONE_NEWNS) != 0) ::_exit(10);
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) ::_exit(11);
    std::string err;
    int fd = mount_devfs_fuse(dev, &err);
    if (fd < 0) ::_exit(12);
    if (!send_fd(sp[1], fd, &err)) ::_exit(13);
    ::close(fd);  // kiln local holds the only copy now
    char go;
    if (::read(sp[1], &go, 1) != 1) ::_exit(14);
    struct stat st {};
    if (::stat((dev + "/sda").c_str(), &st) != 0 || !S_ISBLK(st.st_mode)) ::_exit(15);
    if (::stat((dev + "/null").c_str(), &st) != 0 || st.st_rdev != makedev(1, 3)) ::_exit(16);
    // Our /sys/block: private to this namespace, the host's is untouched.
    if (!mount_sys_block_view(dev, "/sys/block", &err)) ::_exit(19);
    std::string out = tmp / "parted.out";
    if (std::system(("parted -s " + dev + "/sda mklabel gpt mkpart p 1MiB 20MiB mkpart q 20MiB " +
                     "40MiB mkpart r 40MiB 50MiB >" + out + " 2>&1")
                        .c_str()) != 0)
      ::_exit(17);
    if (::stat((dev + "/sda3").c_str(), &st) != 0 || !S_ISBLK(st.st_mode)) ::_exit(18);
    // libparted found the kernel's view: no "bug" report.
    if (std::system(("! grep -q 'Unable to determine' " + out).c_str()) != 0) ::_exit(20);
    std::ifstream start("/sys/block/sda/sda2/start");
    unsigned long long sector = 0;
    if (!(start >> sector) || sector != 20 * 2048) ::_exit(21);
    if (::access("/sys/block/loop0", F_OK) == 0 || ::access("/sys/block/vda", F_OK) == 0)
      ::_exit(22);
    ::_exit(0);
  }
  ::close(sp[1]);
  int fd = receive_fd(sp[0], &error);
  ASSERT_GE(fd, 0) << error;
  DevfsOptions options;
  options.loop_name = loop->name();
  auto devfs = Devfs::serve_fd(fd, options, &error);
  ASSERT_TRUE(devfs) << error;
  ASSERT_EQ(::write(sp[0], "g", 1), 1);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ::close(sp[0]);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_FALSE(mounted_at(dev)) << "the sandbox's mount reached the host";
  EXPECT_EQ(loop->partitions().size(), 3u);
  EXPECT_TRUE(std::filesystem::exists("/sys/block/" + loop->name()))
      << "the host's /sys/block changed";
  devfs.reset();
  EXPECT_EQ(open_fds(), fds_before) << "the FUSE connection leaked";
}

}  // namespace
}  // namespace kiln::local
