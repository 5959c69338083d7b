// Internals of the image cache: the steps that build rootfs trees and disk
// images, split out so that tests can drive them one by one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "local/image_cache.h"

namespace kiln::local::image {

// The first Debian archive URI serving the suite "bookworm" in apt sources
// texts, one-line ("deb [opts] URI suite comps") or deb822 ("URIs:",
// "Suites:"), in the order given; "" if none.
std::string debian_mirror_from_sources(const std::vector<std::string>& texts);

// What goes into each tree, beyond debootstrap's minbase.
std::vector<std::string> system_packages();
std::vector<std::string> rescue_packages();
// Installed with apt inside the tree after debootstrap, because debootstrap's
// resolver picks the first alternative of "fuse | fuse3" and then fails on
// fuse3 breaking fuse.
std::vector<std::string> rescue_apt_packages(Arch arch);

// Debian 12 builds no fusefat for arm64, and its arm64 fuseiso spins
// forever under qemu-user. On an amd64 host an arm64 tree gets the amd64
// fusefat and fuseiso with their libraries unpacked in a directory of their
// own (/usr/lib/kiln-amd64, run through its own ld.so by wrappers in
// /usr/bin): they run natively, and dpkg's state in the tree stays clean.
// No-op for amd64 trees; on an arm64 host vfat mounts say why they fail.
bool install_foreign_fusefat(Arch arch, const std::filesystem::path& root, std::string* error);

// debootstrap --variant=minbase of bookworm for `arch` into `target` (which
// must not exist), with `.debs` kept in `deb_cache` for the next build. For
// a foreign arch, runs the second stage under qemu-user through binfmt.
// Runs in a private mount namespace so that nothing it mounts outlives it.
bool debootstrap(Arch arch, const std::string& mirror, const std::vector<std::string>& include,
                 const std::filesystem::path& target, const std::filesystem::path& deb_cache,
                 std::string* error);

// apt-get install inside a tree (in a private mount namespace with /proc),
// services kept from starting by a policy-rc.d.
bool apt_install(const std::filesystem::path& root, const std::vector<std::string>& packages,
                 std::string* error);

// Removes SSH host keys and the machine id, so that each server made from
// the tree gets its own at first boot; cleans apt's download cache.
bool make_first_boot(const std::filesystem::path& root, std::string* error);

// Writes /sbin/mount.{vfat,fat,msdos,iso9660} (FUSE-backed) into a tree.
bool install_mount_helpers(const std::filesystem::path& root, std::string* error);
// The helpers' texts (shell scripts).
std::string vfat_mount_helper();
std::string iso9660_mount_helper();

// Layout of the system disk image.
constexpr uint64_t kPartitionStart = 1ull << 20;  // 1 MiB, as parted and sfdisk align
constexpr const char* kRootLabel = "root";

// A sparse raw disk image of `size` bytes at `image` (replaced if present):
// MBR with partition 1 from 1 MiB to the end, ext4 labelled kRootLabel made
// from `rootfs` with mkfs.ext4 -d at the partition's offset (no loop device,
// no mount), and /etc/fstab naming LABEL=root.
bool make_disk_image(const std::filesystem::path& rootfs, const std::filesystem::path& image,
                     uint64_t size, std::string* error);

}  // namespace kiln::local::image
