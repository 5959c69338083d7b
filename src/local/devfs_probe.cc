#include "local/devfs_probe.h"

#include <blkid/blkid.h>
#include <fcntl.h>
#include <unistd.h>

#include <optional>
#include <string>

namespace kiln::local {
namespace {

// A probe on a descriptor we opened; both released on every path.
class Probe {
 public:
  explicit Probe(const std::string& node) {
    fd_ = ::open(node.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd_ < 0) return;
    // Drop clean cached pages of this device so that what another device
    // node wrote to the same sectors (the whole disk vs. a partition have
    // page caches of their own) is read afresh from the loop device.
    ::posix_fadvise(fd_, 0, 0, POSIX_FADV_DONTNEED);
    pr_ = blkid_new_probe();
    if (pr_ && blkid_probe_set_device(pr_, fd_, 0, 0) != 0) {
      blkid_free_probe(pr_);
      pr_ = nullptr;
    }
  }
  ~Probe() {
    if (pr_) blkid_free_probe(pr_);
    if (fd_ >= 0) ::close(fd_);
  }
  Probe(const Probe&) = delete;
  Probe& operator=(const Probe&) = delete;
  blkid_probe get() const { return pr_; }

 private:
  int fd_ = -1;
  blkid_probe pr_ = nullptr;
};

std::string encode(const char* raw) {
  if (!raw || !*raw) return "";
  std::string in = raw;
  // blkid_encode_string needs 4 bytes per input byte at most (\xNN).
  std::string out(in.size() * 4 + 1, '\0');
  if (blkid_encode_string(in.c_str(), out.data(), out.size()) != 0) return "";
  out.resize(std::char_traits<char>::length(out.c_str()));
  // "." and ".." would be directory entries, not links.
  if (out == "." || out == "..") return "";
  return out;
}

void add(std::map<std::string, std::string>& links, const char* raw, const std::string& target) {
  std::string name = encode(raw);
  // The first device with a name keeps it (whole disk, then partitions in
  // order), so a duplicated label resolves the same way every time.
  if (!name.empty()) links.emplace(name, target);
}

void probe_filesystem(const std::string& node, const std::string& target, DiskLinks& links) {
  Probe probe(node);
  blkid_probe pr = probe.get();
  if (!pr) return;
  blkid_probe_enable_superblocks(pr, 1);
  blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID | BLKID_SUBLKS_TYPE);
  blkid_probe_enable_partitions(pr, 0);
  // Safe probing refuses ambivalent results (two signatures), as udev does.
  if (blkid_do_safeprobe(pr) != 0) return;
  const char* value = nullptr;
  if (blkid_probe_lookup_value(pr, "LABEL", &value, nullptr) == 0)
    add(links.by_label, value, target);
  if (blkid_probe_lookup_value(pr, "UUID", &value, nullptr) == 0) add(links.by_uuid, value, target);
}

void probe_table(const std::string& node, const std::vector<KernelPartition>& parts,
                 DiskLinks& links) {
  Probe probe(node);
  blkid_probe pr = probe.get();
  if (!pr) return;
  blkid_probe_enable_superblocks(pr, 0);
  blkid_probe_enable_partitions(pr, 1);
  blkid_partlist list = blkid_probe_get_partitions(pr);
  if (!list) return;
  int count = blkid_partlist_numof_partitions(list);
  for (int i = 0; i < count; ++i) {
    blkid_partition part = blkid_partlist_get_partition(list, i);
    int number = blkid_partition_get_partno(part);
    // A link only for partitions the kernel has: the table may be newer.
    for (const auto& k : parts) {
      if (k.number != number) continue;
      std::string target = "sda" + std::to_string(number);
      add(links.by_partlabel, blkid_partition_get_name(part), target);
      add(links.by_partuuid, blkid_partition_get_uuid(part), target);
    }
  }
}

}  // namespace

DiskLinks probe_disk_links(const std::string& loop_name,
                           const std::vector<KernelPartition>& parts) {
  DiskLinks links;
  probe_filesystem("/dev/" + loop_name, "sda", links);
  for (const auto& p : parts)
    probe_filesystem("/dev/" + p.name, "sda" + std::to_string(p.number), links);
  probe_table("/dev/" + loop_name, parts, links);
  return links;
}

}  // namespace kiln::local
