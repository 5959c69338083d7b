// What /dev/disk/by-* of a sandbox holds: labels and UUIDs of the
// filesystems (and swap areas) on the server's disk and its partitions, and
// the names and UUIDs of its GPT partitions. Read from the disk at each call
// (libblkid, no cache) so that a label exists as soon as mkfs has returned.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "local/disk.h"

namespace kiln::local {

// Each map goes from the link's name (encoded as udev does: "/" and unsafe
// bytes become \x2f...) to its target as the sandbox sees it: "sda" or "sdaN".
struct DiskLinks {
  std::map<std::string, std::string> by_label;
  std::map<std::string, std::string> by_uuid;
  std::map<std::string, std::string> by_partlabel;
  std::map<std::string, std::string> by_partuuid;
};

// Probes loop device LOOP_NAME ("loop3") and the partitions PARTS the kernel
// has for it. Devices that cannot be read (removed meanwhile) are skipped.
DiskLinks probe_disk_links(const std::string& loop_name, const std::vector<KernelPartition>& parts);

}  // namespace kiln::local
