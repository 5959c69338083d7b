// Test support: a real OpenSSH sshd on 127.0.0.1 and an ephemeral port, run
// as a non-daemon (`sshd -D -e -f <config>`) with its own host key and
// authorized_keys in a temporary directory. Everything it starts (the
// listener and every per-connection process) is killed by PID when the
// Sshd object goes away, and the directory is removed.
//
// Password authentication: sshd runs with `UsePAM no` and checks /etc/shadow
// itself. Only a throwaway user (TestUser, created with useradd and removed
// with userdel) ever gets a password; root's stays untouched.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace ssh::testing {

// Makes sure /usr/sbin/sshd and ssh-keygen exist, installing openssh-server
// with apt-get when root. Returns "" or why not.
std::string ensure_openssh();

// True when the environment demands that nothing is skipped (CI=true).
bool under_ci();

class TempDir {
 public:
  TempDir();  // mkdtemp under $TMPDIR or /tmp
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct SshdOptions {
  bool password_auth = false;  // PasswordAuthentication yes
  std::string extra_config;    // lines appended to sshd_config
};

class Sshd {
 public:
  // Starts sshd and waits until it accepts connections. On failure returns
  // null and sets *error (with sshd's log).
  static std::unique_ptr<Sshd> start(const SshdOptions& options, std::string* error);
  ~Sshd();
  Sshd(const Sshd&) = delete;
  Sshd& operator=(const Sshd&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& dir() const { return dir_->path(); }
  // The user running the tests (root here): the login for key tests.
  const std::string& user() const { return user_; }
  // An ed25519 key made by ssh-keygen and listed in authorized_keys.
  std::string client_key() const { return dir() + "/client_ed25519"; }
  std::string client_pubkey() const;
  // Appends one OpenSSH public key line to authorized_keys.
  void authorize(const std::string& public_key_line);
  std::string log() const;

  // Starts sshd again after stop(), same port and keys; false and *error
  // when it does not come up.
  bool resume(std::string* error);

  // Kills every process of this sshd (listener and connections) and waits
  // until they are gone. Idempotent.
  void stop();

 private:
  Sshd() = default;
  // Forks sshd and waits until it listens: 1 up, 0 exited (port taken), -1 error.
  int spawn(std::string* error);
  std::unique_ptr<TempDir> dir_;
  std::string user_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// A local user with a password, for password authentication tests; removed
// (userdel -r) on destruction. Needs root.
class TestUser {
 public:
  static std::unique_ptr<TestUser> create(const std::string& password, std::string* error);
  ~TestUser();
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

// Runs argv (no shell), returns its exit status; output appended to *out.
int run_command(const std::vector<std::string>& argv, std::string* out = nullptr);

}  // namespace ssh::testing
