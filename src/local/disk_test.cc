#include "local/disk.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/fs.h>
#include <linux/loop.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "local/disk_testing.h"

namespace kiln::local {
namespace {

using testing::run;
using testing::TempDir;

constexpr uint64_t kMiB = 1024 * 1024;

void write_at(const std::string& path, off_t off, const std::string& bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::pwrite(fd, bytes.data(), bytes.size(), off), static_cast<ssize_t>(bytes.size()));
  ::close(fd);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Is loop device NAME bound to a file? (LOOP_GET_STATUS64 says ENXIO when not.)
// Whether loop device `name` is attached to the file at `image`. By the
// file's identity, not just "attached": tests running in parallel attach
// loop devices too, and the kernel hands a freed device to the next one.
bool loop_bound(const std::string& name, const std::string& image) {
  struct stat st {};
  if (::stat(image.c_str(), &st) != 0) return false;
  int fd = ::open(("/dev/" + name).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  loop_info64 info{};
  bool bound = ::ioctl(fd, LOOP_GET_STATUS64, &info) == 0 && info.lo_inode == st.st_ino &&
               info.lo_device == st.st_dev;
  ::close(fd);
  return bound;
}

// Released: no longer attached to `image`, allowing a moment for an
// opener such as udev's probe, which defers the kernel's autoclear.
bool loop_released(const std::string& name, const std::string& image) {
  for (int i = 0; i < 250; ++i) {
    if (!loop_bound(name, image)) return true;
    ::usleep(20000);
  }
  return false;
}

uint64_t device_bytes(int fd) {
  uint64_t bytes = 0;
  ::ioctl(fd, BLKGETSIZE64, &bytes);
  return bytes;
}

TEST(Disk, CreateSparseHoldsNoData) {
  TempDir tmp;
  std::string error;
  ASSERT_TRUE(create_sparse_disk(tmp / "d.img", 40ull * 1024 * kMiB, &error)) << error;
  struct stat st {};
  ASSERT_EQ(::stat((tmp / "d.img").c_str(), &st), 0);
  EXPECT_EQ(static_cast<uint64_t>(st.st_size), 40ull * 1024 * kMiB);
  EXPECT_EQ(disk_data_bytes(tmp / "d.img", &error), 0u);
  EXPECT_FALSE(create_sparse_disk(tmp / "d.img", kMiB, &error));
  EXPECT_NE(error.find("d.img"), std::string::npos);
}

TEST(Disk, GrowNeverShrinks) {
  TempDir tmp;
  std::string error;
  ASSERT_TRUE(create_sparse_disk(tmp / "d.img", 64 * kMiB, &error)) << error;
  EXPECT_FALSE(grow_disk(tmp / "d.img", 32 * kMiB, &error));
  EXPECT_NE(error.find("never shrinks"), std::string::npos) << error;
  EXPECT_TRUE(grow_disk(tmp / "d.img", 128 * kMiB, &error)) << error;
  struct stat st {};
  ::stat((tmp / "d.img").c_str(), &st);
  EXPECT_EQ(static_cast<uint64_t>(st.st_size), 128 * kMiB);
}

TEST(Disk, CopyIsSparseAndEqual) {
  TempDir tmp;
  std::string error;
  std::string from = tmp / "d.img", to = tmp / "snap.img";
  ASSERT_TRUE(create_sparse_disk(from, 256 * kMiB, &error)) << error;
  write_at(from, 0, std::string(4096, 'a'));
  write_at(from, 100 * kMiB + 17, "in the middle");
  write_at(from, 200 * kMiB, std::string(2 * kMiB, 'b'));
  // Zeros written as data: the copy may leave them as a hole.
  write_at(from, 150 * kMiB, std::string(kMiB, '\0'));
  write_at(from, 256 * kMiB - 3, "end");

  ASSERT_TRUE(copy_disk_sparse(from, to, &error)) << error;
  EXPECT_EQ(run("cmp -s " + from + " " + to), 0) << "the copy differs";
  auto data_from = disk_data_bytes(from, &error);
  auto data_to = disk_data_bytes(to, &error);
  ASSERT_TRUE(data_from && data_to);
  EXPECT_LE(*data_to, *data_from);
  EXPECT_LT(*data_to, 8 * kMiB) << "the copy is not sparse";
  EXPECT_GE(*data_to, 2 * kMiB);

  // Never over an existing file.
  EXPECT_FALSE(copy_disk_sparse(from, to, &error));
}

TEST(Disk, CopyRefusesWhenTheDataDoesNotFit) {
  KILN_REQUIRE_ROOT();
  TempDir tmp;
  std::string error;
  std::string from = tmp / "d.img", small = tmp / "small";
  ASSERT_TRUE(create_sparse_disk(from, 256 * kMiB, &error)) << error;
  write_at(from, 10 * kMiB, std::string(12 * kMiB, 'x'));
  ASSERT_EQ(::mkdir(small.c_str(), 0700), 0);
  ASSERT_EQ(::mount("kiln-test", small.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=8m"), 0);
  std::string to = small + "/snap.img";
  EXPECT_FALSE(copy_disk_sparse(from, to, &error));
  EXPECT_NE(error.find("not enough free space"), std::string::npos) << error;
  EXPECT_NE(::access(to.c_str(), F_OK), 0) << "a refused copy left a file";
  // The same disk with less data fits: the check counts data, not size.
  ASSERT_EQ(::truncate(from.c_str(), 0), 0);
  ASSERT_EQ(::truncate(from.c_str(), 256 * kMiB), 0);
  write_at(from, 200 * kMiB, std::string(2 * kMiB, 'y'));
  EXPECT_TRUE(copy_disk_sparse(from, to, &error)) << error;
  EXPECT_EQ(run("cmp -s " + from + " " + to), 0);
  ASSERT_EQ(::umount2(small.c_str(), 0), 0);
}

TEST(Disk, AttachDetachAndReadOnly) {
  KILN_REQUIRE_ROOT();
  TempDir tmp;
  std::string error;
  ASSERT_TRUE(create_sparse_disk(tmp / "d.img", 64 * kMiB, &error)) << error;
  std::string name;
  {
    auto loop = LoopDevice::attach(tmp / "d.img", &error);
    ASSERT_TRUE(loop) << error;
    name = loop->name();
    EXPECT_TRUE(loop_bound(name, tmp / "d.img"));
    EXPECT_EQ(device_bytes(loop->fd()), 64 * kMiB);
    struct stat st {};
    ASSERT_EQ(::stat(loop->path().c_str(), &st), 0);
    EXPECT_EQ(st.st_rdev, loop->dev());
    EXPECT_EQ(major(loop->dev()), 7u);
    // Writes through the device reach the file.
    ASSERT_EQ(::pwrite(loop->fd(), "kiln", 4, 4096), 4);
    ASSERT_TRUE(loop->flush(&error)) << error;
    EXPECT_EQ(slurp(tmp / "d.img").substr(4096, 4), "kiln");

    ASSERT_TRUE(grow_disk(tmp / "d.img", 96 * kMiB, &error)) << error;
    ASSERT_TRUE(loop->refresh_capacity(&error)) << error;
    EXPECT_EQ(device_bytes(loop->fd()), 96 * kMiB);
  }
  EXPECT_TRUE(loop_released(name, tmp / "d.img")) << "the loop device outlived its holder";

  auto ro = LoopDevice::attach(tmp / "d.img", LoopDevice::Options{.read_only = true}, &error);
  ASSERT_TRUE(ro) << error;
  EXPECT_TRUE(ro->read_only());
  std::ifstream flag("/sys/block/" + ro->name() + "/ro");
  int value = 0;
  flag >> value;
  EXPECT_EQ(value, 1);
  // The kernel may let the device open for writing; no write gets through.
  int rw = ::open(ro->path().c_str(), O_RDWR | O_CLOEXEC);
  if (rw >= 0) {
    EXPECT_LT(::pwrite(rw, "x", 1, 0), 0) << "a read-only disk took a write";
    ::close(rw);
  }
}

TEST(Disk, AutoclearWhenTheHolderIsKilled) {
  KILN_REQUIRE_ROOT();
  TempDir tmp;
  std::string error;
  ASSERT_TRUE(create_sparse_disk(tmp / "d.img", 64 * kMiB, &error)) << error;
  int pipefd[2];
  ASSERT_EQ(::pipe2(pipefd, O_CLOEXEC), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::string err;
    auto loop = LoopDevice::attach(tmp / "d.img", &err);
    std::string name = loop ? loop->name() : "";
    name.resize(32);
    if (::write(pipefd[1], name.data(), name.size()) < 0) ::_exit(2);
    ::pause();  // killed here, holding the device
    ::_exit(0);
  }
  ::close(pipefd[1]);
  char buf[32] = {};
  ASSERT_EQ(::read(pipefd[0], buf, sizeof(buf)), 32);
  ::close(pipefd[0]);
  std::string name(buf);
  ASSERT_FALSE(name.empty());
  EXPECT_TRUE(loop_bound(name, tmp / "d.img"));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(loop_released(name, tmp / "d.img"))
      << name << " is still attached after its holder died";
}

// parted writes a table; the kernel drops the partitions with the device; a
// new attach (of the disk or of its copy) shows them only once announced.
void check_announce(const std::string& label) {
  TempDir tmp;
  std::string error;
  std::string disk = tmp / "d.img";
  ASSERT_TRUE(create_sparse_disk(disk, 128 * kMiB, &error)) << error;
  std::vector<KernelPartition> made;
  {
    auto loop = LoopDevice::attach(disk, &error);
    ASSERT_TRUE(loop) << error;
    std::string parts = label == "gpt" ? "mkpart a ext4 1MiB 33MiB mkpart b ext4 33MiB 100MiB"
                                       : "mkpart primary 1MiB 33MiB mkpart primary 33MiB 100MiB";
    ASSERT_EQ(run("parted -s " + loop->path() + " mklabel " + label + " " + parts), 0);
    made = loop->partitions();
    ASSERT_EQ(made.size(), 2u);
    EXPECT_EQ(major(made[0].dev), 259u);
    EXPECT_EQ(made[0].start, 1 * kMiB);
    EXPECT_EQ(made[1].size, 67 * kMiB);
    ASSERT_EQ(run("mkfs.ext4 -q -L announced /dev/" + made[1].name), 0);
  }
  ASSERT_TRUE(copy_disk_sparse(disk, tmp / "copy.img", &error)) << error;
  for (const std::string& file : {disk, tmp / "copy.img"}) {
    auto loop = LoopDevice::attach(file, &error);
    ASSERT_TRUE(loop) << error;
    EXPECT_TRUE(loop->partitions().empty()) << "this kernel parsed the table itself";
    auto count = loop->announce_partitions(&error);
    ASSERT_TRUE(count) << error;
    EXPECT_EQ(*count, 2);
    auto now = loop->partitions();
    ASSERT_EQ(now.size(), 2u);
    for (size_t i = 0; i < 2; ++i) {
      EXPECT_EQ(now[i].number, made[i].number);
      EXPECT_EQ(now[i].start, made[i].start);
      EXPECT_EQ(now[i].size, made[i].size);
    }
    // Announcing again changes nothing.
    EXPECT_EQ(loop->announce_partitions(&error), 2);
    EXPECT_EQ(run("blkid -p -s LABEL -o value /dev/" + now[1].name + " | grep -qx announced"), 0);
  }
}

TEST(Disk, AnnouncesGptPartitionsOfADiskAndItsCopy) {
  KILN_REQUIRE_ROOT();
  check_announce("gpt");
}

TEST(Disk, AnnouncesMbrPartitions) {
  KILN_REQUIRE_ROOT();
  check_announce("msdos");
}

TEST(Disk, BlankDiskHasNoPartitions) {
  KILN_REQUIRE_ROOT();
  TempDir tmp;
  std::string error;
  ASSERT_TRUE(create_sparse_disk(tmp / "d.img", 16 * kMiB, &error)) << error;
  auto loop = LoopDevice::attach(tmp / "d.img", &error);
  ASSERT_TRUE(loop) << error;
  EXPECT_EQ(loop->announce_partitions(&error), 0);
}

// What a killed kiln local can leave: a swap area on a partition keeps the
// loop device alive after every descriptor is closed.
TEST(Disk, ReleasesALoopHeldBySwap) {
  KILN_REQUIRE_ROOT();
  TempDir tmp;
  std::string error;
  ASSERT_TRUE(create_sparse_disk(tmp / "d.img", 64 * kMiB, &error)) << error;
  std::string name;
  {
    auto loop = LoopDevice::attach(tmp / "d.img", &error);
    ASSERT_TRUE(loop) << error;
    name = loop->name();
    ASSERT_EQ(run("parted -s " + loop->path() + " mklabel gpt mkpart s linux-swap 1MiB 60MiB"), 0);
    ASSERT_EQ(run("mkswap -q /dev/" + name + "p1 && swapon /dev/" + name + "p1"), 0);
  }
  EXPECT_TRUE(loop_bound(name, tmp / "d.img")) << "swap should hold the device";
  auto held = loops_backed_under(tmp.path());
  ASSERT_EQ(held, std::vector<std::string>{name});
  EXPECT_TRUE(release_loop(name, &error)) << error;
  EXPECT_TRUE(loop_released(name, tmp / "d.img"));
  EXPECT_EQ(run("grep -q '^/dev/" + name + "' /proc/swaps"), 1);
  EXPECT_TRUE(loops_backed_under(tmp.path()).empty());
}

}  // namespace
}  // namespace kiln::local
