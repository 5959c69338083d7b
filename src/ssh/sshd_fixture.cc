#include "ssh/sshd_fixture.h"

#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "ssh/probe.h"

namespace ssh::testing {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0) {
    socklen_t len = sizeof(a);
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
  }
  close(fd);
  return port;
}

// Every descendant of pid, found through /proc/*/stat parent links.
std::set<pid_t> descendants(pid_t root) {
  std::multimap<pid_t, pid_t> children;
  DIR* d = opendir("/proc");
  if (d == nullptr) return {};
  while (dirent* e = readdir(d)) {
    char* end = nullptr;
    long p = std::strtol(e->d_name, &end, 10);
    if (end == e->d_name || *end != '\0') continue;
    std::string stat = read_file(std::string("/proc/") + e->d_name + "/stat");
    auto close_paren = stat.rfind(')');
    if (close_paren == std::string::npos) continue;
    std::istringstream rest(stat.substr(close_paren + 2));
    char state;
    pid_t ppid;
    if (rest >> state >> ppid) children.emplace(ppid, static_cast<pid_t>(p));
  }
  closedir(d);
  std::set<pid_t> out;
  std::vector<pid_t> todo{root};
  while (!todo.empty()) {
    pid_t p = todo.back();
    todo.pop_back();
    auto [b, e] = children.equal_range(p);
    for (auto it = b; it != e; ++it) {
      if (out.insert(it->second).second) todo.push_back(it->second);
    }
  }
  return out;
}

// Reaps this process's dead sshd children: connection processes orphaned
// while the test ran came to this process (a child subreaper).
void reap_sshd_zombies() {
  DIR* d = opendir("/proc");
  if (d == nullptr) return;
  const pid_t self = getpid();
  while (dirent* e = readdir(d)) {
    char* end = nullptr;
    long p = std::strtol(e->d_name, &end, 10);
    if (end == e->d_name || *end != '\0') continue;
    std::string stat = read_file(std::string("/proc/") + e->d_name + "/stat");
    auto open_paren = stat.find('(');
    auto close_paren = stat.rfind(')');
    if (open_paren == std::string::npos || close_paren == std::string::npos) continue;
    std::string comm = stat.substr(open_paren + 1, close_paren - open_paren - 1);
    std::istringstream rest(stat.substr(close_paren + 2));
    char state;
    pid_t ppid;
    if (!(rest >> state >> ppid)) continue;
    if (ppid == self && state == 'Z' && comm == "sshd") {
      waitpid(static_cast<pid_t>(p), nullptr, WNOHANG);
    }
  }
  closedir(d);
}

// True once p is reaped (by us: the fixture is a child subreaper, so orphaned
// sshd processes become ours) or no longer exists.
bool gone(pid_t p) {
  int st;
  pid_t r = waitpid(p, &st, WNOHANG);
  if (r == p) return true;
  return r < 0 && errno == ECHILD && access(("/proc/" + std::to_string(p)).c_str(), F_OK) != 0;
}

}  // namespace

bool under_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

int run_command(const std::vector<std::string>& argv, std::string* out) {
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) return -1;
  // Made before fork: the caller may have threads, and a forked child of a
  // threaded process must not allocate.
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    dup2(pipefd[1], 1);
    dup2(pipefd[1], 2);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(pipefd[1]);
  char buf[4096];
  ssize_t n;
  while ((n = read(pipefd[0], buf, sizeof(buf))) > 0) {
    if (out != nullptr) out->append(buf, static_cast<std::size_t>(n));
  }
  close(pipefd[0]);
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

std::string ensure_openssh() {
  if (access("/usr/sbin/sshd", X_OK) == 0 && access("/usr/bin/ssh-keygen", X_OK) == 0) return "";
  if (geteuid() != 0) return "/usr/sbin/sshd is missing and installing it needs root";
  std::string out;
  setenv("DEBIAN_FRONTEND", "noninteractive", 1);
  int rc = run_command({"apt-get", "install", "-y", "-qq", "--no-install-recommends",
                        "openssh-server", "openssh-client"},
                       &out);
  if (rc != 0) {
    run_command({"apt-get", "update", "-qq"}, &out);
    rc = run_command({"apt-get", "install", "-y", "-qq", "--no-install-recommends",
                      "openssh-server", "openssh-client"},
                     &out);
  }
  if (rc != 0 || access("/usr/sbin/sshd", X_OK) != 0) {
    return "apt-get install openssh-server failed: " + out;
  }
  return "";
}

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/kiln-ssh-test-XXXXXX";
  if (mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::unique_ptr<Sshd> Sshd::start(const SshdOptions& options, std::string* error) {
  std::string why = ensure_openssh();
  if (!why.empty()) {
    *error = why;
    return nullptr;
  }
  std::unique_ptr<Sshd> s(new Sshd());
  s->dir_ = std::make_unique<TempDir>();
  if (s->dir().empty()) {
    *error = "mkdtemp failed";
    return nullptr;
  }
  // The fixture's processes stay its descendants even when orphaned, so
  // stop() can reap every one of them.
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  if (geteuid() == 0) mkdir("/run/sshd", 0755);  // privilege separation directory
  passwd* pw = getpwuid(geteuid());
  s->user_ = pw != nullptr ? pw->pw_name : "root";
  const std::string d = s->dir();
  std::string out;
  if (run_command({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "kiln-test-host", "-f",
                   d + "/host_ed25519"},
                  &out) != 0 ||
      run_command({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "kiln-test-client", "-f",
                   d + "/client_ed25519"},
                  &out) != 0) {
    *error = "ssh-keygen failed: " + out;
    return nullptr;
  }
  {
    std::ofstream ak(d + "/authorized_keys");
    ak << read_file(d + "/client_ed25519.pub");
  }
  chmod((d + "/authorized_keys").c_str(), 0600);

  for (int tries = 0; tries < 5; ++tries) {
    s->port_ = free_port();
    std::ofstream cfg(d + "/sshd_config", std::ios::trunc);
    // Extra lines first: for most keywords sshd keeps the first value.
    cfg << options.extra_config << "\n"
        << "Port " << s->port_ << "\n"
        << "ListenAddress 127.0.0.1\n"
        << "HostKey " << d << "/host_ed25519\n"
        << "PidFile none\n"
        << "AuthorizedKeysFile " << d << "/authorized_keys\n"
        << "StrictModes no\n"
        << "UsePAM no\n"
        << "PermitRootLogin yes\n"
        << "PubkeyAuthentication yes\n"
        << "PasswordAuthentication " << (options.password_auth ? "yes" : "no") << "\n"
        << "KbdInteractiveAuthentication no\n"
        << "PermitEmptyPasswords no\n"
        << "AllowTcpForwarding yes\n"
        << "MaxStartups 200\n"
        << "MaxSessions 100\n"
        << "UseDNS no\n"
        << "LogLevel VERBOSE\n"
        << "Subsystem sftp internal-sftp\n";
    cfg.close();
    int up = s->spawn(error);
    if (up == 1) return s;
    if (up < 0) return nullptr;  // ~Sshd stops it
    if (s->log().find("Address already in use") == std::string::npos) {
      *error = "sshd exited at start: " + s->log();
      return nullptr;
    }
  }
  *error = "no free port for sshd: " + s->log();
  return nullptr;
}

int Sshd::spawn(std::string* error) {
  const std::string d = dir();
  const std::string log_path = d + "/sshd.log";
  const std::string cfgpath = d + "/sshd_config";
  const std::size_t log_offset = log().size();  // what earlier starts wrote
  pid_t pid = fork();
  if (pid < 0) {
    *error = std::string("fork: ") + std::strerror(errno);
    return -1;
  }
  if (pid == 0) {
    setpgid(0, 0);
    // If the test process dies without teardown (an abort), sshd dies too.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    int logfd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    int devnull = open("/dev/null", O_RDWR);
    dup2(devnull, 0);
    dup2(logfd, 1);
    dup2(logfd, 2);
    execl("/usr/sbin/sshd", "/usr/sbin/sshd", "-D", "-e", "-f", cfgpath.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  pid_ = pid;
  // Listening is this sshd's own word in its log (this start's part of it),
  // not just a port that answers: between free_port() and sshd's bind,
  // another process may have taken the number.
  const std::string listening =
      "Server listening on 127.0.0.1 port " + std::to_string(port_) + ".";
  for (int i = 0; i < 1000; ++i) {  // hang guard of about 10 s, not a timing assertion
    int st;
    if (waitpid(pid, &st, WNOHANG) == pid) {
      pid_ = -1;
      *error = "sshd exited at start: " + log();
      return 0;
    }
    if (log().find(listening, log_offset) != std::string::npos &&
        tcp_probe("127.0.0.1", port_, std::chrono::milliseconds(200)).ok())
      return 1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  *error = "sshd did not start listening: " + log();
  return -1;
}

bool Sshd::resume(std::string* error) {
  if (pid_ > 0) return true;
  return spawn(error) == 1;
}

Sshd::~Sshd() {
  stop();
}

void Sshd::stop() {
  if (pid_ <= 0) return;
  // Freeze the listener so it forks no more connection processes, then
  // freeze its descendants until no new one appears (a stopped process
  // cannot fork), then kill them all by PID. Connection processes call
  // setsid(), so the process group would miss them.
  kill(pid_, SIGSTOP);
  int st;
  while (waitpid(pid_, &st, WUNTRACED) < 0 && errno == EINTR) {
  }
  std::set<pid_t> procs;
  for (int round = 0; round < 100; ++round) {
    bool added = false;
    for (pid_t p : descendants(pid_)) {
      if (procs.insert(p).second) {
        kill(p, SIGSTOP);
        added = true;
      }
    }
    if (!added) break;
  }
  for (pid_t p : procs) kill(p, SIGKILL);
  kill(pid_, SIGKILL);
  while (waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  // Orphans come to this process (a child subreaper) and are reaped here.
  for (int i = 0; i < 2000 && !procs.empty(); ++i) {
    for (auto it = procs.begin(); it != procs.end();) {
      it = gone(*it) ? procs.erase(it) : std::next(it);
    }
    if (!procs.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  reap_sshd_zombies();
}

std::string Sshd::client_pubkey() const {
  return read_file(client_key() + ".pub");
}

void Sshd::authorize(const std::string& line) {
  std::ofstream ak(dir() + "/authorized_keys", std::ios::app);
  ak << line << "\n";
}

std::string Sshd::log() const {
  return read_file(dir() + "/sshd.log");
}

std::unique_ptr<TestUser> TestUser::create(const std::string& password, std::string* error) {
  if (geteuid() != 0) {
    *error = "creating a test user needs root";
    return nullptr;
  }
  std::unique_ptr<TestUser> u(new TestUser());
  u->name_ = "kilnssh" + std::to_string(getpid());
  std::string out;
  if (run_command({"useradd", "-m", "-s", "/bin/sh", u->name_}, &out) != 0) {
    *error = "useradd failed: " + out;
    u->name_.clear();
    return nullptr;
  }
  // chpasswd reads "user:password" on stdin; feed it through a pipe.
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) {
    *error = "pipe failed";
    return nullptr;
  }
  pid_t pid = fork();
  if (pid == 0) {
    dup2(p[0], 0);
    execlp("chpasswd", "chpasswd", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(p[0]);
  std::string line = u->name_ + ":" + password + "\n";
  ssize_t w = write(p[1], line.data(), line.size());
  close(p[1]);
  int st = 0;
  waitpid(pid, &st, 0);
  if (w != static_cast<ssize_t>(line.size()) || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    *error = "chpasswd failed";
    return nullptr;
  }
  return u;
}

TestUser::~TestUser() {
  if (name_.empty()) return;
  // userdel -f removes the user even if a session of it lingers; the Sshd
  // fixture kills its sessions by PID (destroy it before this object).
  run_command({"userdel", "-r", "-f", name_});
}

}  // namespace ssh::testing
