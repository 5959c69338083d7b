// The SSH communicator: connect with retries until a deadline, run commands
// with their output streamed line by line, and move files over SFTP.
//
// Host keys are not verified, as Packer's communicator does not verify them
// (the server was created seconds ago and its key is unknown). The user's
// ~/.ssh/config and /etc/ssh/ssh_config are never read: only Config counts.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ssh/error.h"

namespace ssh {

// How to log in somewhere (the target or the bastion). Credentials are tried
// in this order: private_key text, private_key_file, agent, password.
struct Credentials {
  std::string user = "root";
  std::string password;          // ssh_password (secret)
  std::string private_key;       // key text, e.g. a temporary key pair (secret)
  std::string private_key_file;  // ssh_private_key_file
  bool agent_auth = false;       // ssh_agent_auth (SSH_AUTH_SOCK)
};

struct Bastion {
  std::string host;  // ssh_bastion_host
  int port = 22;     // ssh_bastion_port
  Credentials auth;  // ssh_bastion_username/password/private_key_file/agent_auth
};

struct Config {
  std::string host;  // ssh_host
  int port = 22;     // ssh_port
  Credentials auth;
  std::optional<Bastion> bastion;

  // ssh_timeout: connect() keeps trying until this long has passed.
  std::chrono::milliseconds timeout = std::chrono::minutes(5);
  // ssh_handshake_attempts: SSH handshakes (after TCP accepted) that may fail
  // before connect() gives up, even with time left.
  int handshake_attempts = 10;
  // Pause between attempts.
  std::chrono::milliseconds retry_interval = std::chrono::seconds(5);
  // Per attempt: TCP connect and SSH handshake each.
  std::chrono::milliseconds attempt_timeout = std::chrono::seconds(30);
  // ssh_keep_alive_interval: a keepalive@openssh.com request after this much
  // silence while a command runs; 0 disables.
  std::chrono::milliseconds keep_alive_interval = std::chrono::seconds(5);

  // Called before each attempt with its number (1-based) and, from the
  // second on, the previous attempt's error; for "Waiting for SSH..." UI.
  std::function<void(int attempt, const Error* previous)> on_attempt;
  // Polled while waiting; true aborts connect() with step "cancelled".
  std::function<bool()> cancelled;
};

struct ExecOptions {
  // Called with each complete line (without its "\n"; a trailing "\r" is
  // kept) as it arrives, and with the last unterminated piece at the end.
  std::function<void(std::string_view line)> on_stdout;
  std::function<void(std::string_view line)> on_stderr;
  // Sent to the command's standard input, then EOF.
  std::string stdin_data;
  // Streamed standard input, used instead of stdin_data when set, so a
  // large input (a disk image) never sits in memory: called for the next
  // bytes with a buffer and its capacity, returns how many it wrote (> 0),
  // 0 at the end (EOF follows), or -1 to abort (exec then fails, "stdin").
  std::function<std::ptrdiff_t(char* buf, std::size_t cap)> stdin_source;
  // A session that drops before an exit status arrives is success when true
  // (a provisioner that reboots the machine).
  bool expect_disconnect = false;
  std::function<bool()> cancelled;
};

struct ExecResult {
  int exit_status = -1;       // -1 when there was none (signal, disconnect)
  std::string exit_signal;    // "KILL", "TERM", ... when killed by a signal
  bool disconnected = false;  // the session dropped before the command ended
};

// Called as bytes go by: the current file, bytes of it done, its size.
using Progress =
    std::function<void(const std::string& path, std::uint64_t done, std::uint64_t total)>;

class Client {
 public:
  // Waits for host:port to accept TCP, then handshakes and authenticates,
  // retrying per Config, through the bastion when one is set.
  static Result<std::unique_ptr<Client>> connect(const Config& config);

  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Runs `command` through the login shell of the user. The result's
  // exit_status is the command's; a failure to run it at all is an Error.
  Result<ExecResult> exec(const std::string& command, const ExecOptions& options = {});

  // A file; mode -1 keeps the local file's permission bits.
  Status upload(const std::string& local_path, const std::string& remote_path,
                const Progress& progress = {}, int mode = -1);
  // Bytes from memory (a script, `content`).
  Status upload_data(std::string_view data, const std::string& remote_path, int mode = 0644);
  // A directory tree, with Packer's rule: "src/" uploads the contents of src
  // into dst; "src" creates dst/<basename of src>. Modes are kept; symlinks
  // are followed.
  Status upload_dir(const std::string& local_dir, const std::string& remote_dir,
                    const Progress& progress = {});
  Status download(const std::string& remote_path, const std::string& local_path,
                  const Progress& progress = {});
  // Same trailing-slash rule as upload_dir, the other way.
  Status download_dir(const std::string& remote_dir, const std::string& local_dir,
                      const Progress& progress = {});

  // True while the session is up.
  bool connected() const;
  void disconnect();

  const Config& config() const;
  int attempts() const;  // connection attempts connect() made

  struct Impl;

 private:
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ssh
