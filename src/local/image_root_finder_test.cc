#include "local/image_root_finder.h"

#include <gtest/gtest.h>
#include <unistd.h>

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

TEST(ImageRootFinder, ParsesFstab) {
  auto entries = image::parse_fstab(
      "# comment\n"
      "UUID=1234-abcd / ext4 errors=remount-ro 0 1\n"
      "\n"
      "LABEL=my\\040boot /boot vfat umask=0077 0 2 # trailing\n"
      "/swapfile none swap\n");
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].spec, "UUID=1234-abcd");
  EXPECT_EQ(entries[0].mountpoint, "/");
  EXPECT_EQ(entries[1].spec, "LABEL=my boot");
  EXPECT_EQ(entries[1].options, "umask=0077");
  EXPECT_EQ(entries[2].options, "defaults");
}

TEST(ImageRootFinder, KernelRootArgument) {
  EXPECT_EQ(image::kernel_root_arg("menuentry 'Debian' {\n"
                                   "  # linux /old root=/dev/sdb1\n"
                                   "  linux /boot/vmlinuz root=UUID=abc ro quiet\n"
                                   "}\n"
                                   "menuentry 'old' { linux /v root=/dev/sda9 }\n"),
            "UUID=abc");
  EXPECT_EQ(image::kernel_root_arg("title NixOS\noptions init=/nix/store/x/init\n"), "");
}

TEST(ImageRootFinder, PartitionNumbers) {
  EXPECT_EQ(image::partition_number("/dev/sda2"), 2);
  EXPECT_EQ(image::partition_number("/dev/vda15"), 15);
  EXPECT_EQ(image::partition_number("/dev/loop3p2"), 2);
  EXPECT_EQ(image::partition_number("/dev/nvme0n1p3"), 3);
  EXPECT_EQ(image::partition_number("/dev/loop3"), 0);
  EXPECT_EQ(image::partition_number("/dev/sda"), 0);
  EXPECT_EQ(image::partition_number("/dev/nvme0n1"), 0);
}

TEST(ImageRootFinder, ResolvesSpecs) {
  std::vector<image::PartitionInfo> parts(3);
  parts[0] = {"/dev/loop7p1", 1, "", "", "", "0a0b-01", "bios"};
  parts[1] = {"/dev/loop7p2", 2, "vfat", "AB12-CD34", "BOOT", "0a0b-02", "ESP"};
  parts[2] = {"/dev/loop7p3", 3, "ext4", "5f3c-uuid", "nixos", "0a0b-03", "root"};
  EXPECT_EQ(image::resolve_spec("UUID=5F3C-UUID", parts), &parts[2]);
  EXPECT_EQ(image::resolve_spec("/dev/disk/by-label/nixos", parts), &parts[2]);
  EXPECT_EQ(image::resolve_spec("LABEL=BOOT", parts), &parts[1]);
  EXPECT_EQ(image::resolve_spec("PARTUUID=0a0b-03", parts), &parts[2]);
  EXPECT_EQ(image::resolve_spec("/dev/disk/by-partlabel/ESP", parts), &parts[1]);
  EXPECT_EQ(image::resolve_spec("/dev/sda3", parts), &parts[2]);
  EXPECT_EQ(image::resolve_spec("/dev/loop7p1", parts), &parts[0]);
  EXPECT_EQ(image::resolve_spec("LABEL=other", parts), nullptr);
  EXPECT_EQ(image::resolve_spec("/dev/sda9", parts), nullptr);
  EXPECT_EQ(image::resolve_spec("tmpfs", parts), nullptr);
}

// Real disks from here on: sparse files with partition tables, attached to
// loop devices whose partitions partx announces (this kernel does not parse
// partition tables), then find_root on them. Needs root.
class RootFinderDisk : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) {
      if (std::getenv("CI") != nullptr) FAIL() << "root is needed and CI=true";
      GTEST_SKIP() << "needs root (loop devices, mounts)";
    }
    dir_ = fs::temp_directory_path() / ("kiln-rootfind-test-" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!loop_.empty()) {
      run({"partx", "-d", loop_});
      run({"losetup", "-d", loop_});
    }
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  struct Part {
    int size_mib;    // 0: to the end
    std::string fs;  // "ext4", "vfat" or "" (no filesystem)
    std::string label;
    fs::path tree;  // ext4 contents
  };

  // Writes the disk, attaches it, returns the partition devices.
  std::vector<std::string> make_disk(const std::vector<Part>& parts,
                                     const std::string& label = "gpt") {
    fs::path img = dir_ / "disk.raw";
    run({"truncate", "-s", "256M", img.string()});
    std::string script = "label: " + label + "\n";
    for (const auto& p : parts) {
      script += p.size_mib ? "size=" + std::to_string(p.size_mib) + "MiB\n" : ",\n";
    }
    std::ofstream(dir_ / "script") << script;
    EXPECT_EQ(run({"sh", "-c", "sfdisk -q --no-reread --no-tell-kernel \"$1\" < \"$2\"", "sh",
                   img.string(), (dir_ / "script").string()})
                  .status,
              0);
    // Offsets from sfdisk itself: start and size in sectors per partition.
    image::RunResult dump = run({"sfdisk", "-d", img.string()});
    std::istringstream lines(dump.output);
    std::vector<std::pair<uint64_t, uint64_t>> extents;
    for (std::string line; std::getline(lines, line);) {
      auto s = line.find("start=");
      auto z = line.find("size=");
      if (s == std::string::npos || z == std::string::npos) continue;
      extents.push_back({std::stoull(line.substr(s + 6)), std::stoull(line.substr(z + 5))});
    }
    EXPECT_EQ(extents.size(), parts.size()) << dump.output;
    for (size_t i = 0; i < parts.size() && i < extents.size(); ++i) {
      auto [start, size] = extents[i];
      if (parts[i].fs == "ext4") {
        std::vector<std::string> argv = {"mkfs.ext4", "-q", "-F", "-L", parts[i].label};
        if (!parts[i].tree.empty()) argv.insert(argv.end(), {"-d", parts[i].tree.string()});
        argv.insert(argv.end(), {"-E", "offset=" + std::to_string(start * 512), img.string(),
                                 std::to_string(size / 2) + "k"});
        image::RunResult r = run(argv);
        EXPECT_EQ(r.status, 0) << r.output;
      } else if (parts[i].fs == "vfat") {
        image::RunResult r = run({"mkfs.fat", "-n", parts[i].label, "--offset",
                                  std::to_string(start), img.string(), std::to_string(size / 2)});
        EXPECT_EQ(r.status, 0) << r.output;
      }
    }
    image::RunResult attach = run({"losetup", "--find", "--show", img.string()});
    EXPECT_EQ(attach.status, 0) << attach.output;
    loop_ = image::tail_lines(attach.output, 1);
    EXPECT_EQ(run({"partx", "-a", loop_}).status, 0);
    std::vector<std::string> devices;
    for (size_t i = 1; i <= parts.size(); ++i) devices.push_back(loop_ + "p" + std::to_string(i));
    for (const auto& d : devices) EXPECT_TRUE(fs::exists(d)) << d;
    return devices;
  }

  fs::path tree(const std::string& name) {
    fs::path t = dir_ / name;
    fs::create_directories(t);
    return t;
  }

  static void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }

  // The host's own sshd and ssh-keygen (real ELF binaries of its arch).
  static void put_ssh(const fs::path& dir) {
    fs::create_directories(dir);
    fs::copy_file("/usr/sbin/sshd", dir / "sshd", fs::copy_options::overwrite_existing);
    fs::copy_file("/usr/bin/ssh-keygen", dir / "ssh-keygen", fs::copy_options::overwrite_existing);
  }

  std::string mount_table() {
    std::ifstream in("/proc/self/mountinfo");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  fs::path dir_;
  std::string loop_;
};

TEST_F(RootFinderDisk, DebianByLabelLikeTheSystemImage) {
  fs::path root = tree("debian");
  write(root / "etc/fstab", "LABEL=root / ext4 errors=remount-ro 0 1\n");
  put_ssh(root / "usr/sbin");
  fs::rename(root / "usr/sbin/ssh-keygen", root / "usr/sbin/keygen-elsewhere");
  put_ssh(root / "usr/bin");
  auto parts = make_disk({{0, "ext4", "root", root}}, "dos");
  std::string before = mount_table();
  std::string error;
  auto plan = find_root(parts, &error);
  ASSERT_TRUE(plan) << error;
  ASSERT_EQ(plan->mounts.size(), 1u);
  EXPECT_EQ(plan->mounts[0].device, parts[0]);
  EXPECT_EQ(plan->mounts[0].mountpoint, "/");
  EXPECT_EQ(plan->mounts[0].fstype, "ext4");
  EXPECT_EQ(plan->mounts[0].options, "errors=remount-ro");
  EXPECT_EQ(plan->sshd, (std::vector<std::string>{"/usr/sbin/sshd", "-D", "-e"}));
  ASSERT_EQ(plan->prepare.size(), 1u);
  EXPECT_EQ(plan->prepare[0], (std::vector<std::string>{"/usr/bin/ssh-keygen", "-A"}));
  EXPECT_EQ(plan->arch, arch_name(host_arch()));
  EXPECT_NE(plan->how.find("LABEL=root"), std::string::npos) << plan->how;
  // The scratch mounts lived in the finder's own namespace only.
  EXPECT_EQ(mount_table(), before);
}

// A NixOS-like hybrid disk: BIOS boot, ESP (vfat, which this kernel cannot
// mount), root by UUID with /etc/fstab and sshd reached through absolute
// symlinks into /nix/store, and a separate /home.
TEST_F(RootFinderDisk, NixosHybridLayoutThroughStoreSymlinks) {
  fs::path root = tree("nixos");
  std::string uuid = "6c0a5b1e-2f55-4c1e-9d0e-1d2a3b4c5d6e";
  fs::path store = root / "nix/store";
  write(store / "aaa-etc/etc/fstab", "UUID=" + uuid +
                                         " / ext4 x-initrd.mount 0 1\n"
                                         "/dev/disk/by-label/BOOT /boot vfat umask=0077 0 2\n"
                                         "LABEL=home /home ext4 defaults 0 2\n"
                                         "/dev/disk/by-label/gone /data ext4 defaults 0 2\n");
  fs::create_directories(root / "etc");
  fs::create_symlink("/etc/static/fstab", root / "etc/fstab");
  fs::create_symlink("/nix/store/aaa-etc/etc", root / "etc/static");
  put_ssh(store / "bbb-openssh/bin");
  fs::create_directories(store / "ccc-system/sw/bin");
  fs::create_symlink("/nix/store/bbb-openssh/bin/sshd", store / "ccc-system/sw/bin/sshd");
  fs::create_symlink("/nix/store/bbb-openssh/bin/ssh-keygen",
                     store / "ccc-system/sw/bin/ssh-keygen");
  fs::create_directories(root / "nix/var/nix/profiles");
  fs::create_symlink("system-1-link", root / "nix/var/nix/profiles/system");
  fs::create_symlink("/nix/store/ccc-system", root / "nix/var/nix/profiles/system-1-link");
  fs::path home = tree("home");
  write(home / "alice/.profile", "\n");

  auto parts = make_disk({{1, "", "", {}},
                          {64, "vfat", "BOOT", {}},
                          {96, "ext4", "nixos", root},
                          {0, "ext4", "home", home}});
  ASSERT_EQ(run({"tune2fs", "-U", uuid, parts[2]}).status, 0);
  std::string error;
  auto plan = find_root(parts, &error);
  ASSERT_TRUE(plan) << error;
  ASSERT_EQ(plan->mounts.size(), 2u);
  EXPECT_EQ(plan->mounts[0].device, parts[2]);
  EXPECT_EQ(plan->mounts[0].mountpoint, "/");
  EXPECT_EQ(plan->mounts[1].device, parts[3]);
  EXPECT_EQ(plan->mounts[1].mountpoint, "/home");
  EXPECT_EQ(plan->sshd[0], "/nix/var/nix/profiles/system/sw/bin/sshd");
  EXPECT_EQ(plan->prepare[0][0], "/nix/var/nix/profiles/system/sw/bin/ssh-keygen");
  EXPECT_EQ(plan->arch, arch_name(host_arch()));
}

TEST_F(RootFinderDisk, GrubRootWhenThereIsNoFstab) {
  fs::path root = tree("grubonly");
  put_ssh(root / "usr/sbin");
  put_ssh(root / "usr/bin");
  fs::path boot = tree("boot");
  write(boot / "grub/grub.cfg", "menuentry 'Linux' {\n  linux /vmlinuz root=LABEL=sys ro\n}\n");
  auto parts = make_disk({{32, "ext4", "boot", boot}, {0, "ext4", "sys", root}});
  std::string error;
  auto plan = find_root(parts, &error);
  ASSERT_TRUE(plan) << error;
  EXPECT_EQ(plan->mounts[0].device, parts[1]);
  EXPECT_NE(plan->how.find("grub.cfg"), std::string::npos) << plan->how;
}

TEST_F(RootFinderDisk, NoSystemSaysSo) {
  fs::path data = tree("data");
  write(data / "file", "just data\n");
  auto parts = make_disk({{32, "vfat", "ESP", {}}, {0, "ext4", "data", data}});
  std::string error;
  EXPECT_FALSE(find_root(parts, &error));
  EXPECT_NE(error.find("no system on the disk"), std::string::npos) << error;
  EXPECT_NE(error.find("never answers SSH"), std::string::npos) << error;

  // A disk that was never written: no partitions at all.
  fs::path blank = dir_ / "blank.raw";
  run({"truncate", "-s", "64M", blank.string()});
  image::RunResult a = run({"losetup", "--find", "--show", blank.string()});
  std::string whole = image::tail_lines(a.output, 1);
  EXPECT_FALSE(find_root({whole}, &error));
  EXPECT_NE(error.find("no filesystem"), std::string::npos) << error;
  run({"losetup", "-d", whole});
}

TEST_F(RootFinderDisk, SystemWithoutSshd) {
  fs::path root = tree("nossh");
  write(root / "etc/fstab", "/dev/sda1 / ext4 defaults 0 1\n");
  auto parts = make_disk({{0, "ext4", "x", root}}, "dos");
  std::string error;
  EXPECT_FALSE(find_root(parts, &error));
  EXPECT_NE(error.find("has no sshd"), std::string::npos) << error;
}

}  // namespace
}  // namespace kiln::local
