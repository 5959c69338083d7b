// The block layer of `kiln local`: a server's disk is a sparse file attached
// as a loop device. This machine's kernel does not parse partition tables
// (no MSDOS/EFI partition support built in), so partitions exist only once
// someone announces them through BLKPG: tools inside the sandbox do it
// themselves (parted, partx -a), and announce_partitions() does it for a disk
// that already holds a table (a server created from a snapshot).
//
// Errors are values: functions return false / nullopt / nullptr and set
// *error to a sentence for people.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kiln::local {

// Creates PATH as a sparse file of BYTES (no data blocks), replacing nothing:
// fails when PATH exists.
bool create_sparse_disk(const std::string& path, uint64_t bytes, std::string* error);

// Grows PATH to BYTES (change_type with upgrade_disk). Refuses to shrink.
// An attached loop device sees the new size after LoopDevice::refresh_capacity().
bool grow_disk(const std::string& path, uint64_t bytes, std::string* error);

// Bytes of data PATH holds (allocated blocks, holes excluded): the API's
// image_size / disk usage.
std::optional<uint64_t> disk_data_bytes(const std::string& path, std::string* error);

// Copies FROM to TO keeping holes (FICLONE when the filesystem can share
// extents, otherwise extent by extent with SEEK_DATA/SEEK_HOLE). Checks first
// that TO's filesystem has room for FROM's data and refuses with a clear error
// when it does not. TO must not exist; a failed copy leaves no TO behind.
// FROM should be quiescent (server stopped, or LoopDevice::flush() called).
bool copy_disk_sparse(const std::string& from, const std::string& to, std::string* error);

// A partition the kernel currently has for a loop device (/sys/block/loopN/loopNpM).
struct KernelPartition {
  int number = 0;      // M in loopNpM (sdaM inside the sandbox)
  std::string name;    // "loop3p1"
  dev_t dev = 0;       // major 259 (block extended) on this kernel
  uint64_t start = 0;  // bytes from the start of the disk
  uint64_t size = 0;   // bytes
};

// Partitions the kernel has now for loop device NAME ("loop3"), by number.
// Read from sysfs at each call, never cached.
std::vector<KernelPartition> kernel_partitions(const std::string& loop_name);

// An attached loop device. Attached with LO_FLAGS_AUTOCLEAR: the kernel
// detaches it (and drops its partitions) once the last opener closes it, so a
// killed `kiln local` leaves no loop device behind once its sandboxes are gone.
// Destruction closes this holder's descriptor (the RAII detach).
class LoopDevice {
 public:
  struct Options {
    bool read_only = false;  // LO_FLAGS_READ_ONLY, backing file opened O_RDONLY
  };

  // Attaches FILE to a free loop device (LOOP_CTL_GET_FREE + LOOP_CONFIGURE,
  // retried when another process takes the same device first).
  static std::unique_ptr<LoopDevice> attach(const std::string& file, const Options& options,
                                            std::string* error);
  static std::unique_ptr<LoopDevice> attach(const std::string& file, std::string* error) {
    return attach(file, Options{}, error);
  }
  ~LoopDevice();
  LoopDevice(const LoopDevice&) = delete;
  LoopDevice& operator=(const LoopDevice&) = delete;

  const std::string& name() const { return name_; }  // "loop3"
  std::string path() const { return "/dev/" + name_; }
  dev_t dev() const { return dev_; }  // 7:N
  int fd() const { return fd_; }
  bool read_only() const { return read_only_; }
  const std::string& backing_file() const { return file_; }

  // Reads the partition table on the disk (GPT or MBR, with libblkid) and adds
  // each partition the kernel lacks through BLKPG. Returns how many partitions
  // the table holds (0 for a blank disk).
  std::optional<int> announce_partitions(std::string* error);

  std::vector<KernelPartition> partitions() const { return kernel_partitions(name_); }

  // After grow_disk(): tells the loop driver the backing file's new size.
  bool refresh_capacity(std::string* error);

  // Writes back what the disk and its partitions hold in the page cache, so
  // that the backing file is complete (before copy_disk_sparse on a live disk).
  bool flush(std::string* error);

 private:
  LoopDevice() = default;
  std::string name_;
  std::string file_;
  dev_t dev_ = 0;
  int fd_ = -1;
  bool read_only_ = false;
};

// Loop devices (names) whose backing file lies under DIR: what a killed
// `kiln local` may have left held (by a swap area, say) in STATE/.
std::vector<std::string> loops_backed_under(const std::string& dir);

// Releases loop device NAME: swapoff of its partitions and itself, then
// detach (LOOP_CLR_FD; deferred by the kernel while something else holds it).
bool release_loop(const std::string& loop_name, std::string* error);

}  // namespace kiln::local
