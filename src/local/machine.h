// The real servers behind kiln local's API: for each server a disk file
// (<state>/servers/<id>/disk.raw) attached as a loop device while it runs,
// a sandbox running either the system found on the disk (the images
// engineer's find_root) or the rescue system in RAM, and a FUSE /dev (the
// disk engineer's Devfs) that shows the disk as /dev/sda with its partitions.
// Snapshots are sparse copies in <state>/snapshots/<image id>.raw.
//
// All work runs in order on one thread of the Machines object: sandboxes
// must be created by a thread that lives as long as they do (PDEATHSIG is
// per thread), and one queue keeps a server's operations in order.
//
// Agreed with the images engineer through image_cache.h (ImageCache,
// find_root, grow_root_partition, ensure_arm64_emulation) and with the disk
// engineer through disk.h and devfs.h; nothing more is needed from them.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace kiln::local {

class ImageCache;
struct Machine;

// What a boot needs to know, from the API's server document.
struct BootSpec {
  int64_t id = 0;
  std::string name;                   // hostname
  std::string arch;                   // "x86" | "arm"
  uint64_t memory = 0;                // bytes (the server type's RAM)
  std::string ipv4;                   // 127.x.y.z
  bool rescue = false;                // boot the rescue system in RAM instead of the disk
  std::vector<std::string> ssh_keys;  // public keys to authorise
  std::string root_password;          // set when not empty (secret)
  std::string user_data;              // NoCloud seed for cloud-init (first boot)
};

// Where a new disk's content comes from.
struct DiskSource {
  std::string system_image;  // "debian-12" ...; or
  int64_t snapshot = 0;      // an image id of a snapshot
  std::string arch;          // "x86" | "arm"
};

// The cgroup prefix of a kiln local on STATE_DIR ("kiln-local/<hash of its
// real path>"): two kiln local on two states never reap each other's servers.
std::string instance_for_state(const std::string& state_dir);

class Machines {
 public:
  struct Options {
    std::string state_dir;
    std::string instance;  // cgroup prefix, e.g. "kiln-local/3fa2c1d0"
    ImageCache* images = nullptr;
    std::function<void(const std::string&)> log;  // one line per event (stderr by default)
    int shutdown_grace_ms = 10000;
  };
  explicit Machines(Options options);
  // Stops every sandbox (gracefully, then hard) and releases the disks.
  ~Machines();
  Machines(const Machines&) = delete;
  Machines& operator=(const Machines&) = delete;

  // What a killed kiln local left for this state dir and instance:
  // processes and cgroups, loop devices (swap areas included). Before any
  // machine starts. Returns a line for people ("" when nothing was left).
  static std::string reap(const std::string& state_dir, const std::string& instance);

  // Queues a job for the machines' thread; `done` gets "" or an error, and
  // a JSON-ish result text (the snapshot's data bytes) where relevant.
  using Done = std::function<void(const std::string& error, uint64_t value)>;
  void create_disk(int64_t id, DiskSource source, uint64_t bytes, Done done);
  void boot(BootSpec spec, Done done);  // stops what runs first (reset/reboot)
  void power_off(int64_t id, bool graceful, Done done);
  void snapshot(int64_t id, int64_t image_id, Done done);  // value: data bytes
  void grow_disk(int64_t id, uint64_t bytes, Done done);
  void destroy(int64_t id, Done done);
  void delete_snapshot(int64_t image_id);

  // Waits until every queued job ran (tests).
  void drain();

  std::string disk_path(int64_t id) const;
  std::string snapshot_path(int64_t image_id) const;
  // The port the server's sshd listens on (22 unless the fallback), 0 if none.
  int ssh_port(int64_t id);

 private:
  void post(std::function<void()> job);
  void run();
  Machine& machine(int64_t id);
  std::string do_boot(const BootSpec& spec);
  void do_stop(Machine& m, bool graceful);
  void log(const std::string& line);

  Options opt_;
  std::map<int64_t, std::unique_ptr<Machine>> machines_;  // the thread's only
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool busy_ = false;
  bool quit_ = false;
  std::map<int64_t, int> ports_;  // guarded by mu_
  std::thread thread_;
};

}  // namespace kiln::local
