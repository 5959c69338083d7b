// Pieces of the root finder (find_root in image_cache.h), exposed for tests.
#pragma once

#include <string>
#include <vector>

namespace kiln::local::image {

struct FstabEntry {
  std::string spec, mountpoint, fstype, options;
};
// fstab(5) lines, with \040-style escapes decoded.
std::vector<FstabEntry> parse_fstab(const std::string& text);

// The root= of the first kernel command line in a grub.cfg, extlinux.conf
// or systemd-boot entry ("" if none).
std::string kernel_root_arg(const std::string& text);

// What libblkid says about one partition.
struct PartitionInfo {
  std::string device;
  int number = 0;  // from the device name (loop3p2 -> 2), else its place in the list
  std::string fstype, uuid, label, partuuid, partlabel;
};

// The partition number in a device name: /dev/sda2, /dev/vda2, /dev/loop3p2,
// /dev/nvme0n1p2 -> 2; a whole disk (/dev/sda, /dev/loop3) -> 0.
int partition_number(const std::string& device);

// The partition an fstab or root= spec names (UUID=, LABEL=, PARTUUID=,
// PARTLABEL=, /dev/disk/by-*/..., /dev/sdaN by number), or nullptr.
const PartitionInfo* resolve_spec(const std::string& spec, const std::vector<PartitionInfo>& parts);

}  // namespace kiln::local::image
