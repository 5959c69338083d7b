// A server's sandbox: its processes in new mount, PID, UTS and IPC namespaces
// (the host's network, so that sshd can listen on a host loopback address),
// pivot_root into its own root, /proc with /proc/sys read-only, /sys
// read-only, capabilities that reach the host (mknod, reboot, network, time,
// modules, raw I/O) dropped from the bounding set, a cgroup v1 device
// allow-list and a memory cgroup.
//
// Process tree: kiln local ─ monitor (host PID namespace) ─ init (PID 1 of the
// sandbox) ─ the system (spec.argv). Each level has PR_SET_PDEATHSIG=SIGKILL,
// so a SIGKILLed kiln local takes its sandboxes with it; when init dies the
// kernel kills every process of the PID namespace, and the mounts, all made
// inside the sandbox's mount namespace, go with it. The monitor exists
// because fork() (not clone()) is the only safe way to start a child of a
// multi-threaded process; it unshares the namespaces and forks init.
//
// Create and stop sandboxes from one long-lived thread: PDEATHSIG fires when
// the creating *thread* exits.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace kiln::local {

// A device the sandbox may use: a node made in its /dev (when the sandbox
// builds /dev itself) and allowed in its device cgroup.
struct SandboxDevice {
  std::string name;  // under /dev, e.g. "sda", "sda1"; empty: only allowed
  char type = 'b';   // 'b' or 'c'
  unsigned major = 0, minor = 0;
};

// A mount made inside the sandbox after its root, before pivot_root.
struct SandboxMount {
  std::string source;  // host path (bind) or device
  std::string target;  // path inside the sandbox's root
  std::string fstype;  // "" for a bind mount
  std::string data;
  bool readonly = false;
};

// A file written inside the sandbox after pivot_root, before the system runs.
struct SandboxFile {
  std::string path;  // absolute, inside
  std::string content;
  unsigned mode = 0644;
};

struct SandboxSpec {
  std::string hostname;
  // Cgroup path below the v1 hierarchies, e.g. "kiln-local/ab12/server-42".
  std::string cgroup;
  uint64_t memory_bytes = 0;  // memory cgroup limit; 0 = none
  // An empty host directory the sandbox may use for its mount points.
  std::string work_dir;

  // The root, one of: a directory (bind-mounted read-write), a block device
  // with its filesystem type, or a directory overlaid with writes in RAM
  // (tmpfs upper, size ram_bytes or memory_bytes).
  std::string root_dir;
  std::string root_device, root_fstype;
  std::string overlay_lower;
  uint64_t ram_bytes = 0;

  std::vector<SandboxMount> mounts;
  std::vector<SandboxDevice> devices;
  // Runs in init after the root and /proc, /sys are mounted, before /dev is
  // built and before pivot_root, with the path of the new root. When set, it
  // provides /dev (e.g. a FUSE devfs) and the sandbox builds none. Runs in a
  // forked child: no locks of the parent may be taken.
  std::function<bool(const std::string& root, std::string* error)> make_dev;

  // Descriptors the sandbox's processes keep (e.g. the socket make_dev sends
  // the FUSE connection over); every other descriptor of kiln is closed.
  std::vector<int> keep_fds;

  std::vector<SandboxFile> files;
  std::vector<std::string> argv;  // the system; empty: nothing runs (no SSH)
  std::vector<std::string> env;   // KEY=VALUE for argv
  std::string log_path;           // host file for the system's output; "" = /dev/null
  int shutdown_grace_ms = 10000;  // SIGTERM to SIGKILL inside, on stop()
};

class Sandbox {
 public:
  // Starts the sandbox; returns once its root is set up and the system was
  // started, or nullptr with *error saying what failed (nothing left behind).
  static std::unique_ptr<Sandbox> start(const SandboxSpec& spec, std::string* error);
  // Kills whatever still runs and removes the cgroups.
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  // Allows one more device (a partition that appeared) in the device cgroup.
  bool allow_device(char type, unsigned major, unsigned minor, std::string* error);
  // Graceful: SIGTERM to every process inside, SIGKILL after the grace time,
  // then waits up to timeout_ms before killing. True when it ended by itself.
  bool stop(int timeout_ms);
  // Hard: SIGKILL, waits until every process is gone.
  void kill();
  bool running();
  pid_t monitor_pid() const { return monitor_; }
  const std::string& cgroup() const { return cgroup_; }

 private:
  Sandbox() = default;
  bool wait_exit(int timeout_ms);
  void remove_cgroups();
  pid_t monitor_ = -1;
  int pidfd_ = -1;
  bool exited_ = false;
  std::string cgroup_;
};

// Sandbox::allow_device before the Sandbox object exists (from a devfs
// callback while the sandbox starts): the cgroup is made before any process.
bool allow_device_in_cgroup(const std::string& cgroup, char type, unsigned major, unsigned minor,
                            std::string* error);

// Cgroup v1 mount points this machine has; "" when missing.
std::string cgroup_v1_dir(const std::string& controller);

// Kills every process in the cgroups below `prefix` (e.g. "kiln-local/ab12")
// in the devices and memory hierarchies and removes them. For the reap at
// start of what a killed kiln local left. Returns how many cgroups it removed.
int reap_cgroups(const std::string& prefix, std::string* error);

// Removes the empty cgroups below `parent` (e.g. "kiln-local") in the
// devices and memory hierarchies, deepest first: what a SIGKILLed kiln local
// whose state directory is gone left (its processes died with it, but
// nothing will ever reap its instance by name). Never kills: a cgroup with
// processes, or with a child that has them, is busy and stays; so does one
// made less than `min_age_seconds` ago (another kiln local may be about to
// put a sandbox in it). Returns how many it removed.
int remove_empty_cgroups(const std::string& parent, int min_age_seconds = 60);

// Whether this process may make sandboxes (root, cgroup v1 devices+memory,
// namespaces); "" when yes, else why not, for people.
std::string sandbox_unavailable_reason();

}  // namespace kiln::local
