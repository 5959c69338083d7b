// The run journal: every cloud resource a run creates is recorded before
// the create request is sent ("creating", with its unique name and labels)
// and after it ("created", with its id), and again when it is deleted. A
// run that was killed (SIGKILL, power loss) leaves its file behind, and
// `kiln cleanup` reads it to find what is left. One JSON object per line,
// appended and synced before the request goes out. Never holds secrets:
// no token, no key, no password (the endpoint and names only).
//
// Location: $XDG_STATE_HOME/kiln/runs/<run id>.jsonl, else
// ~/.local/state/kiln/runs/<run id>.jsonl.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace kiln::engine {

// $XDG_STATE_HOME/kiln or ~/.local/state/kiln (KILN_STATE_DIR overrides,
// for tests).
std::string state_dir();

// A resource a run created or was creating.
struct JournalResource {
  std::string kind;      // "server", "ssh_key", "snapshot"
  std::string name;      // the unique name it was created with
  std::int64_t id = 0;   // 0 while only "creating" was recorded
  std::string endpoint;  // the API it lives in
  std::string build;     // the build that made it
  std::map<std::string, std::string> labels;
  bool deleted = false;
};

// One run's file, as read back.
struct JournalRun {
  std::string path;
  std::string run_id;
  pid_t pid = 0;
  std::uint64_t start_time = 0;  // the process's start (field 22 of /proc/PID/stat)
  bool ended = false;            // the run finished (its cleanup ran)
  std::vector<JournalResource> resources;
  // True when the process that wrote it still runs.
  bool alive() const;
  // Servers and SSH keys not deleted (snapshots are products, never left-overs).
  std::vector<JournalResource> leftovers() const;
};

class Journal {
 public:
  // Creates <dir>/runs/<run_id>.jsonl and records this process. Null and
  // *error when the directory cannot be made.
  static std::unique_ptr<Journal> open(const std::string& dir, const std::string& run_id,
                                       std::string* error);
  ~Journal();

  void creating(const std::string& kind, const std::string& name, const std::string& endpoint,
                const std::string& build, const std::map<std::string, std::string>& labels);
  void created(const std::string& kind, const std::string& name, std::int64_t id,
               const std::string& endpoint, const std::string& build);
  void deleted(const std::string& kind, std::int64_t id, const std::string& endpoint);
  // The create was refused (the API certainly did not make it).
  void not_created(const std::string& kind, const std::string& name, const std::string& endpoint);
  // The run is over: recorded; the file is removed when nothing is left over.
  void finish();

  const std::string& path() const { return path_; }

 private:
  void append(const std::string& json_line);
  std::string path_;
  int fd_ = -1;
  std::mutex mu_;
};

// Every run file under <dir>/runs, oldest first.
std::vector<JournalRun> read_journal(const std::string& dir);
// Parses one file (also for a file being written: a torn last line is skipped).
JournalRun read_journal_file(const std::string& path);
// The start time of a process (0 when it does not exist).
std::uint64_t process_start_time(pid_t pid);

}  // namespace kiln::engine
