// The communicator against a real OpenSSH sshd (see sshd_fixture.h).
#include "ssh/client.h"

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "ssh/keygen.h"
#include "ssh/probe.h"
#include "ssh/sshd_fixture.h"

namespace ssh {
namespace {

using namespace std::chrono_literals;
using testing::Sshd;
using testing::SshdOptions;
using testing::TempDir;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void spit(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
}

int mode_of(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 07777);
}

std::string fd_list() {
  std::string out;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    out += e.path().filename().string() + "->" +
           std::filesystem::read_symlink(e.path(), ec).string() + " ";
  }
  return out;
}

int open_fds() {
  int n = 0;
  DIR* d = opendir("/proc/self/fd");
  while (readdir(d) != nullptr) ++n;
  closedir(d);
  return n;
}

std::unique_ptr<Sshd> start_sshd(const SshdOptions& o = {}) {
  std::string err;
  auto s = Sshd::start(o, &err);
  EXPECT_TRUE(s) << err;
  return s;
}

Config key_config(const Sshd& sshd) {
  Config c;
  c.host = "127.0.0.1";
  c.port = sshd.port();
  c.auth.user = sshd.user();
  c.auth.private_key_file = sshd.client_key();
  c.timeout = 30s;
  c.retry_interval = 50ms;
  c.attempt_timeout = 10s;
  return c;
}

std::unique_ptr<Client> must_connect(const Config& c) {
  auto r = Client::connect(c);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
  return r.ok() ? std::move(r).value() : nullptr;
}

TEST(SshProbe, ClosedPortIsRefused) {
  // A port bound but not listening: connects to it are refused, and nobody
  // else can take it meanwhile.
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
  socklen_t len = sizeof(a);
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  const int port = ntohs(a.sin_port);
  Status st = tcp_probe("127.0.0.1", port, 2s);
  close(fd);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().step, "probe");
  EXPECT_NE(st.error().to_string().find("127.0.0.1:" + std::to_string(port)), std::string::npos);
  EXPECT_NE(st.error().message.find("refused"), std::string::npos) << st.error().message;
}

TEST(SshProbe, OpenPortAccepts) {
  auto sshd = start_sshd();
  ASSERT_TRUE(sshd);
  EXPECT_TRUE(tcp_probe("127.0.0.1", sshd->port(), 2s).ok());
}

TEST(SshProbe, UnresolvableHostIsAnError) {
  Status st = tcp_probe("no-such-host.invalid", 22, 2s);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("resolve"), std::string::npos) << st.error().message;
}

TEST(SshConnect, WithKeyFileRunsCommand) {
  auto sshd = start_sshd();
  ASSERT_TRUE(sshd);
  const int fds = open_fds();
  auto c = must_connect(key_config(*sshd));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->attempts(), 1);
  std::vector<std::string> out;
  ExecOptions o;
  o.on_stdout = [&](std::string_view l) { out.emplace_back(l); };
  auto r = c->exec("id -un", o);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->exit_status, 0);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], sshd->user());
  c.reset();
  EXPECT_EQ(open_fds(), fds) << fd_list();  // the socket is closed with the client
}

TEST(SshConnect, WithPrivateKeyTextOfBothGeneratedTypes) {
  auto sshd = start_sshd();
  ASSERT_TRUE(sshd);
  for (KeyType t : {KeyType::kEd25519, KeyType::kRsa}) {
    auto kp = generate_key_pair(t, t == KeyType::kRsa ? 2048 : 0, "packer_test");
    ASSERT_TRUE(kp.ok()) << kp.error().to_string();
    Config c = key_config(*sshd);
    c.auth.private_key_file.clear();
    c.auth.private_key = kp->private_key;
    // Not yet authorized: refused.
    c.handshake_attempts = 1;
    auto denied = Client::connect(c);
    ASSERT_FALSE(denied.ok());
    EXPECT_EQ(denied.error().kind, ErrorKind::kAuth);
    sshd->authorize(kp->public_key);
    auto ok = must_connect(c);
    ASSERT_TRUE(ok);
    auto r = ok->exec("true");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->exit_status, 0);
  }
}

TEST(SshConnect, WrongKeyFailsWithClearError) {
  auto sshd = start_sshd();
  ASSERT_TRUE(sshd);
  TempDir tmp;
  std::string out;
  ASSERT_EQ(testing::run_command(
                {"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", tmp.path() + "/other"}, &out),
            0)
      << out;
  Config c = key_config(*sshd);
  c.auth.private_key_file = tmp.path() + "/other";
  c.handshake_attempts = 2;
  const int fds = open_fds();
  int attempts_seen = 0;
  c.on_attempt = [&](int n, const Error*) { attempts_seen = n; };
  auto r = Client::connect(c);
  ASSERT_FALSE(r.ok());
  const Error& e = r.error();
  EXPECT_EQ(e.kind, ErrorKind::kAuth);
  EXPECT_EQ(e.step, "authenticate");
  EXPECT_EQ(e.attempts, 2);
  EXPECT_EQ(attempts_seen, 2);
  std::string text = e.to_string();
  EXPECT_NE(text.find(sshd->user() + "@127.0.0.1:" + std::to_string(sshd->port())),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("permission denied"), std::string::npos) << text;
  EXPECT_NE(text.find(tmp.path() + "/other"), std::string::npos) << text;
  EXPECT_EQ(open_fds(), fds) << fd_list();
}

TEST(SshConnect, MissingKeyFileIsAConfigErrorWithoutRetries) {
  auto sshd = start_sshd();
  ASSERT_TRUE(sshd);
  Config c = key_config(*sshd);
  c.auth.private_key_file = "/nonexistent/key";
  auto r = Client::connect(c);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kConfig);
  EXPECT_EQ(r.error().attempts, 1);
  EXPECT_NE(r.error().message.find("/nonexistent/key"), std::string::npos);
}

TEST(SshConnect, RetriesUntilDeadlineThenFailsWithoutLeaks) {
  int holder = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(holder, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
  socklen_t len = sizeof(a);
  getsockname(holder, reinterpret_cast<sockaddr*>(&a), &len);
  const int port = ntohs(a.sin_port);
  const int fds = open_fds();
  Config c;
  c.host = "127.0.0.1";
  c.port = port;
  c.auth.user = "root";
  c.auth.password = "x";
  c.timeout = 600ms;
  c.retry_interval = 50ms;
  auto r = Client::connect(c);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kTimeout);
  EXPECT_GT(r.error().attempts, 1);  // it retried
  EXPECT_NE(r.error().message.find("refused"), std::string::npos) << r.error().message;
  EXPECT_EQ(open_fds(), fds);
  close(holder);
}

TEST(SshConnect, SilentServerCountsAsFailedHandshakes) {
  // Something accepts TCP (the kernel, from the backlog) but never speaks
  // SSH: each attempt's handshake times out and counts against
  // handshake_attempts; no socket is left open.
  int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(lfd, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
  ASSERT_EQ(listen(lfd, 16), 0);
  socklen_t len = sizeof(a);
  getsockname(lfd, reinterpret_cast<sockaddr*>(&a), &len);
  const int fds = open_fds();
  Config c;
  c.host = "127.0.0.1";
  c.port = ntohs(a.sin_port);
  c.auth.private_key_file = "/dev/null";
  c.timeout = 60s;
  c.attempt_timeout = 300ms;
  c.retry_interval = 10ms;
  c.handshake_attempts = 2;
  auto r = Client::connect(c);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().step, "handshake");
  EXPECT_EQ(r.error().attempts, 2);
  EXPECT_EQ(open_fds(), fds) << fd_list();
  close(lfd);
}

TEST(SshConnect, WaitsForServerThatComesUpLater) {
  // sshd goes down, the client starts trying, and sshd comes back on the
  // same port during the third attempt: the client keeps trying and gets in.
  auto sshd = start_sshd();
  ASSERT_TRUE(sshd);
  Config c = key_config(*sshd);
  sshd->stop();
  std::string err;
  bool resumed = false;
  c.on_attempt = [&](int n, const Error* prev) {
    if (n == 3) {
      EXPECT_NE(prev, nullptr);
      resumed = sshd->resume(&err);
    }
  };
  auto r = Client::connect(c);
  ASSERT_TRUE(resumed) << err;
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r.value()->attempts(), 3);
}

TEST(SshConnect, HandshakeAttemptsBoundRetriesOnAuthFailure) {
  auto sshd = start_sshd();
  ASSERT_TRUE(sshd);
  Config c = key_config(*sshd);
  c.auth.user = "nobody-such-user";
  c.handshake_attempts = 3;
  auto r = Client::connect(c);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().attempts, 3);
  EXPECT_NE(r.error().message.find("3 failed handshake attempts"), std::string::npos)
      << r.error().message;
}

TEST(SshConnect, PasswordAuthWithThrowawayUser) {
  if (geteuid() != 0) {
    if (testing::under_ci()) FAIL() << "password test needs root under CI";
    GTEST_SKIP() << "needs root to create a throwaway user";
  }
  std::string err;
  auto user = testing::TestUser::create("s3cret-Pw!", &err);
  ASSERT_TRUE(user) << err;
  SshdOptions o;
  o.password_auth = true;
  auto sshd = start_sshd(o);
  ASSERT_TRUE(sshd);
  Config c = key_config(*sshd);
  c.auth.user = user->name();
  c.auth.private_key_file.clear();
  c.auth.password = "wrong";
  c.handshake_attempts = 1;
  auto bad = Client::connect(c);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kAuth);
  EXPECT_EQ(bad.error().to_string().find("wrong"), std::string::npos);  // no secret in errors
  c.auth.password = "s3cret-Pw!";
  auto good = must_connect(c);
  ASSERT_TRUE(good);
  std::string who;
  ExecOptions eo;
  eo.on_stdout = [&](std::string_view l) { who = l; };
  auto r = good->exec("id -un", eo);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(who, user->name());
  good.reset();
  sshd.reset();  // its sessions die before the user goes
}

TEST(SshConnect, AgentAuth) {
  auto sshd = start_sshd();
  ASSERT_TRUE(sshd);
  TempDir tmp;
  const std::string sock = tmp.path() + "/agent.sock";
  pid_t agent = fork();
  if (agent == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    execlp("ssh-agent", "ssh-agent", "-D", "-a", sock.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 500 && access(sock.c_str(), F_OK) != 0; ++i) usleep(10000);
  setenv("SSH_AUTH_SOCK", sock.c_str(), 1);
  std::string out;
  int add = testing::run_command({"ssh-add", sshd->client_key()}, &out);
  Config c = key_config(*sshd);
  c.auth.private_key_file.clear();
  c.auth.agent_auth = true;
  auto r = Client::connect(c);
  unsetenv("SSH_AUTH_SOCK");
  kill(agent, SIGTERM);
  waitpid(agent, nullptr, 0);
  ASSERT_EQ(add, 0) << out;
  ASSERT_TRUE(r.ok()) << r.error().to_string();
}

TEST(SshExec, StreamsManyLinesInOrderWithExitCodes) {
  auto sshd = start_sshd();
  ASSERT_TRUE(sshd);
  auto c = must_connect(key_config(*sshd));
  ASSERT_TRUE(c);
  std::vector<std::string> out, err;
  ExecOptions o;
  o.on_stdout = [&](std::string_view l) { out.emplace_back(l); };
  o.on_stderr = [&](std::string_view l) { err.emplace_back(l); };
  auto r = c->exec(
      "for i in $(seq 1 20000); do echo line $i; done; echo oops >&2; "
      "printf tail; exit 7",
      o);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->exit_status, 7);
  ASSERT_EQ(out.size(), 20001u);
  for (int i = 0; i < 20000; ++i) ASSERT_EQ(out[i], "line " + std::to_string(i + 1));
  EXPECT_EQ(out.back(), "tail");  // unterminated last piece
  ASSERT_EQ(err.size(), 1u);
  EXPECT_EQ(err[0], "oops");
  // Several commands on one connection; stdin reaches the command.
  for (int code : {0, 1, 255}) {
    auto rr = c->exec("exit " + std::to_string(code));
    ASSERT_TRUE(rr.ok());
    EXPECT_EQ(rr->exit_status, code);
  }
  ExecOptions in;
  in.stdin_data = "a\nb\n";
  std::vector<std::string> got;
  in.on_stdout = [&](std::string_view l) { got.emplace_back(l); };
  auto rr = c->exec("tac", in);
  ASSERT_TRUE(rr.ok());
  EXPECT_EQ(got, (std::vector<std::string>{"b", "a"}));
}

TEST(SshExec, StreamedStdinReachesTheCommandInOrder) {
  auto sshd = start_sshd();
  ASSERT_TRUE(sshd);
  auto c = must_connect(key_config(*sshd));
  ASSERT_TRUE(c);
  // 20 MiB of a pattern that differs per offset, handed over in odd-sized
  // pieces; the command echoes stderr lines while reading (drained while we
  // write) and reports the checksum of what it read.
  const std::size_t total = 20u << 20;
  std::size_t made = 0;
  std::uint32_t x = 1;
  TempDir dir;
  std::ofstream local(dir.path() + "/in", std::ios::binary);
  ExecOptions o;
  o.stdin_source = [&](char* buf, std::size_t cap) -> std::ptrdiff_t {
    std::size_t n = std::min<std::size_t>({cap, total - made, 12345});
    for (std::size_t i = 0; i < n; ++i) {
      x = x * 1103515245u + 12345u;
      buf[i] = static_cast<char>(x >> 24);
    }
    local.write(buf, static_cast<std::streamsize>(n));
    made += n;
    return static_cast<std::ptrdiff_t>(n);
  };
  std::vector<std::string> out;
  int err_lines = 0;
  o.on_stdout = [&](std::string_view l) { out.emplace_back(l); };
  o.on_stderr = [&](std::string_view) { ++err_lines; };
  auto r = c->exec("for i in $(seq 2000); do echo noise $i >&2; done; md5sum | cut -d' ' -f1", o);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  local.close();
  EXPECT_EQ(r->exit_status, 0);
  EXPECT_EQ(made, total);
  EXPECT_EQ(err_lines, 2000);
  std::string md5;
  ASSERT_EQ(testing::run_command({"md5sum", dir.path() + "/in"}, &md5), 0);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], md5.substr(0, 32));
}

TEST(SshExec, ACommandThatStopsReadingEndsTheStream) {
  auto sshd = start_sshd();
  ASSERT_TRUE(sshd);
  auto c = must_connect(key_config(*sshd));
  ASSERT_TRUE(c);
  // 1 GiB on offer; the command reads 1 MiB and exits. The window fills
  // and the stream must end with the command, not hang until a timeout.
  std::uint64_t offered = 0;
  ExecOptions o;
  o.stdin_source = [&](char* buf, std::size_t cap) -> std::ptrdiff_t {
    if (offered >= (1u << 30)) return 0;
    std::memset(buf, 'x', cap);
    offered += cap;
    return static_cast<std::ptrdiff_t>(cap);
  };
  auto r = c->exec("head -c 1048576 >/dev/null; exit 3", o);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->exit_status, 3);
  EXPECT_LT(offered, 1u << 30);
}

TEST(SshExec, StreamedStdinFailureAbortsTheCommand) {
  auto sshd = start_sshd();
  ASSERT_TRUE(sshd);
  auto c = must_connect(key_config(*sshd));
  ASSERT_TRUE(c);
  ExecOptions o;
  int calls = 0;
  o.stdin_source = [&](char* buf, std::size_t) -> std::ptrdiff_t {
    if (++calls > 3) return -1;
    buf[0] = 'x';
    return 1;
  };
  auto r = c->exec("cat >/dev/null", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().step, "stdin");
  // The connection stays usable.
  auto again = c->exec("true");
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_EQ(again->exit_status, 0);
}

TEST(SshExec, KilledBySignalReportsIt) {
  auto sshd = start_sshd();
  ASSERT_TRUE(sshd);
  auto c = must_connect(key_config(*sshd));
  ASSERT_TRUE(c);
  auto r = c->exec("kill -KILL $$");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->exit_status, -1);
  EXPECT_EQ(r->exit_signal, "KILL");
  EXPECT_FALSE(r->disconnected);
  EXPECT_TRUE(c->connected());
}

TEST(SshExec, ExpectDisconnect) {
  auto sshd = start_sshd();
  ASSERT_TRUE(sshd);
  // The command kills the sshd process serving the connection, as a reboot
  // would: the session drops before any exit status.
  const std::string drop = "echo going down; kill -KILL $PPID; sleep 1";
  {
    auto c = must_connect(key_config(*sshd));
    ASSERT_TRUE(c);
    auto r = c->exec(drop);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::kDisconnected);
    EXPECT_EQ(r.error().step, "exec");
    EXPECT_NE(r.error().to_string().find("127.0.0.1"), std::string::npos);
  }
  {
    auto c = must_connect(key_config(*sshd));
    ASSERT_TRUE(c);
    ExecOptions o;
    o.expect_disconnect = true;
    // (The echoed line may be lost with the killed process: not checked.)
    auto r = c->exec(drop, o);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_TRUE(r->disconnected);
    EXPECT_EQ(r->exit_status, -1);
    EXPECT_FALSE(c->connected());
    // A later command says clearly that the connection is gone.
    auto again = c->exec("true");
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().kind, ErrorKind::kDisconnected);
  }
}

TEST(SshExec, CancelStopsWaiting) {
  auto sshd = start_sshd();
  ASSERT_TRUE(sshd);
  auto cl = must_connect(key_config(*sshd));
  ASSERT_TRUE(cl);
  bool started = false;
  ExecOptions o;
  o.on_stdout = [&](std::string_view) { started = true; };
  o.cancelled = [&] { return started; };
  auto r = cl->exec("echo start; exec sleep 600", o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("cancelled"), std::string::npos);
  EXPECT_TRUE(cl->connected());  // the connection stays usable
  auto again = cl->exec("true");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->exit_status, 0);
}

TEST(SshError, NamesHostPortUserAndStep) {
  Error e;
  e.host = "2001:db8::1";
  e.port = 2222;
  e.user = "root";
  e.step = "authenticate";
  e.message = "permission denied";
  e.attempts = 3;
  EXPECT_EQ(e.to_string(),
            "ssh root@[2001:db8::1]:2222: authenticate: permission denied (after 3 attempts)");
  e.host = "10.0.0.1";
  e.attempts = 1;
  EXPECT_EQ(e.to_string(), "ssh root@10.0.0.1:2222: authenticate: permission denied");
}

TEST(SshExec, KeepAlivesDuringSilentCommand) {
  SshdOptions o;
  o.extra_config = "LogLevel DEBUG1\n";
  auto sshd = start_sshd(o);
  ASSERT_TRUE(sshd);
  Config c = key_config(*sshd);
  c.keep_alive_interval = 100ms;
  auto cl = must_connect(c);
  ASSERT_TRUE(cl);
  auto r = cl->exec("sleep 1");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->exit_status, 0);
  cl.reset();
  EXPECT_NE(sshd->log().find("keepalive@openssh.com"), std::string::npos) << sshd->log();
  // Disabled: none sent.
  SshdOptions o2 = o;
  auto quiet = start_sshd(o2);
  ASSERT_TRUE(quiet);
  Config c2 = key_config(*quiet);
  c2.keep_alive_interval = 0ms;
  auto cl2 = must_connect(c2);
  ASSERT_TRUE(cl2);
  ASSERT_TRUE(cl2->exec("sleep 1").ok());
  cl2.reset();
  EXPECT_EQ(quiet->log().find("keepalive@openssh.com"), std::string::npos);
}

TEST(SshTransfer, FileUploadDownloadKeepsBytesAndMode) {
  auto sshd = start_sshd();
  ASSERT_TRUE(sshd);
  auto c = must_connect(key_config(*sshd));
  ASSERT_TRUE(c);
  TempDir tmp;
  std::string data;
  for (int i = 0; i < 300000; ++i) data += static_cast<char>((static_cast<long>(i) * 7919) % 251);
  spit(tmp.path() + "/src.bin", data);
  chmod((tmp.path() + "/src.bin").c_str(), 0751);
  std::uint64_t last_done = 0, total = 0;
  int calls = 0;
  Progress p = [&](const std::string&, std::uint64_t d, std::uint64_t t) {
    EXPECT_GE(d, last_done);
    last_done = d;
    total = t;
    ++calls;
  };
  const std::string remote = tmp.path() + "/remote/up.bin";
  ASSERT_TRUE(c->exec("mkdir -p " + tmp.path() + "/remote").ok());
  Status up = c->upload(tmp.path() + "/src.bin", remote, p);
  ASSERT_TRUE(up.ok()) << up.error().to_string();
  EXPECT_EQ(slurp(remote), data);
  EXPECT_EQ(mode_of(remote), 0751);
  EXPECT_EQ(last_done, data.size());
  EXPECT_EQ(total, data.size());
  EXPECT_GT(calls, 2);

  last_done = 0;
  Status down = c->download(remote, tmp.path() + "/back.bin", p);
  ASSERT_TRUE(down.ok()) << down.error().to_string();
  EXPECT_EQ(slurp(tmp.path() + "/back.bin"), data);
  EXPECT_EQ(mode_of(tmp.path() + "/back.bin"), 0751);
  EXPECT_EQ(last_done, data.size());

  ASSERT_TRUE(c->upload_data("echo hi\n", tmp.path() + "/script.sh", 0700).ok());
  EXPECT_EQ(slurp(tmp.path() + "/script.sh"), "echo hi\n");
  EXPECT_EQ(mode_of(tmp.path() + "/script.sh"), 0700);

  // Empty file.
  spit(tmp.path() + "/empty", "");
  ASSERT_TRUE(c->upload(tmp.path() + "/empty", tmp.path() + "/remote/empty").ok());
  ASSERT_TRUE(c->download(tmp.path() + "/remote/empty", tmp.path() + "/empty2").ok());
  EXPECT_EQ(slurp(tmp.path() + "/empty2"), "");

  // Errors name the path.
  Status missing = c->download("/nonexistent/file", tmp.path() + "/x");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kSftp);
  EXPECT_NE(missing.error().to_string().find("/nonexistent/file"), std::string::npos);
  EXPECT_NE(missing.error().message.find("no such file"), std::string::npos)
      << missing.error().message;
  Status nolocal = c->upload(tmp.path() + "/absent", "/tmp/x");
  ASSERT_FALSE(nolocal.ok());
  EXPECT_EQ(nolocal.error().kind, ErrorKind::kLocalIo);
}

void make_tree(const std::string& root) {
  namespace fs = std::filesystem;
  fs::create_directories(root + "/a/b/c");
  fs::create_directories(root + "/empty");
  spit(root + "/top.txt", "top");
  spit(root + "/a/one.txt", "one");
  spit(root + "/a/b/two.sh", "#!/bin/sh\n");
  spit(root + "/a/b/c/three", std::string(200000, 'x'));
  chmod((root + "/a/b/two.sh").c_str(), 0755);
  chmod((root + "/a/b").c_str(), 0750);
  chmod((root + "/a/one.txt").c_str(), 0600);
}

void expect_tree(const std::string& root) {
  EXPECT_EQ(slurp(root + "/top.txt"), "top");
  EXPECT_EQ(slurp(root + "/a/one.txt"), "one");
  EXPECT_EQ(slurp(root + "/a/b/two.sh"), "#!/bin/sh\n");
  EXPECT_EQ(slurp(root + "/a/b/c/three"), std::string(200000, 'x'));
  EXPECT_TRUE(std::filesystem::is_directory(root + "/empty"));
  EXPECT_EQ(mode_of(root + "/a/b/two.sh"), 0755);
  EXPECT_EQ(mode_of(root + "/a/b"), 0750);
  EXPECT_EQ(mode_of(root + "/a/one.txt"), 0600);
}

TEST(SshTransfer, DirectoryTreeBothWaysWithPackersSlashRule) {
  auto sshd = start_sshd();
  ASSERT_TRUE(sshd);
  auto c = must_connect(key_config(*sshd));
  ASSERT_TRUE(c);
  TempDir tmp;
  const std::string t = tmp.path();
  make_tree(t + "/tree");
  // "tree" (no slash): creates dst/tree.
  Status a = c->upload_dir(t + "/tree", t + "/up1");
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  expect_tree(t + "/up1/tree");
  // "tree/": the contents go into dst.
  Status b = c->upload_dir(t + "/tree/", t + "/up2");
  ASSERT_TRUE(b.ok()) << b.error().to_string();
  expect_tree(t + "/up2");
  EXPECT_FALSE(std::filesystem::exists(t + "/up2/tree"));

  std::set<std::string> seen;
  Status d =
      c->download_dir(t + "/up2", t + "/down",
                      [&](const std::string& p, std::uint64_t, std::uint64_t) { seen.insert(p); });
  ASSERT_TRUE(d.ok()) << d.error().to_string();
  expect_tree(t + "/down/up2");
  EXPECT_EQ(seen.size(), 4u);  // four files reported
  Status e = c->download_dir(t + "/up2/", t + "/down2");
  ASSERT_TRUE(e.ok()) << e.error().to_string();
  expect_tree(t + "/down2");
}

// The target's key config, reached through the bastion sshd.
Config bastion_config(const Sshd& target, const Sshd& bastion) {
  Config c = key_config(target);
  Bastion b;
  b.host = "127.0.0.1";
  b.port = bastion.port();
  b.auth.user = bastion.user();
  b.auth.private_key_file = bastion.client_key();
  c.bastion = b;
  return c;
}

TEST(SshBastion, ConnectsThroughSecondSshd) {
  auto target = start_sshd();
  ASSERT_TRUE(target);
  SshdOptions bo;
  bo.extra_config = "LogLevel DEBUG1\n";
  auto bastion = start_sshd(bo);
  ASSERT_TRUE(bastion);
  Config c = bastion_config(*target, *bastion);
  const int fds = open_fds();
  {
    auto cl = must_connect(c);
    ASSERT_TRUE(cl);
    std::vector<std::string> out;
    ExecOptions o;
    o.on_stdout = [&](std::string_view l) { out.emplace_back(l); };
    auto r = cl->exec("seq 1 5000", o);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_EQ(out.size(), 5000u);
    TempDir tmp;
    spit(tmp.path() + "/f", std::string(500000, 'z'));
    ASSERT_TRUE(cl->upload(tmp.path() + "/f", tmp.path() + "/g").ok());
    EXPECT_EQ(slurp(tmp.path() + "/g"), std::string(500000, 'z'));
  }
  EXPECT_EQ(open_fds(), fds) << fd_list();  // tunnel socket, bastion session: all closed
  // The bastion logged the forwarded connection to the target's port.
  const std::string log = bastion->log();
  EXPECT_NE(log.find("direct_tcpip"), std::string::npos) << log;
  EXPECT_NE(log.find("port " + std::to_string(target->port())), std::string::npos) << log;
}

// A client dropped while the bastion still streams output to it: the tunnel
// thread then writes into a socket whose other end the target session has
// closed. That must end the tunnel (EPIPE), never the process (SIGPIPE, the
// default action, which once killed a test run here).
TEST(SshBastion, DroppingTheClientMidStreamEndsTheTunnelNotTheProcess) {
  auto target = start_sshd();
  ASSERT_TRUE(target);
  auto bastion = start_sshd();
  ASSERT_TRUE(bastion);
  Config c = bastion_config(*target, *bastion);
  const int fds = open_fds();
  for (int round = 0; round < 5; ++round) {
    auto cl = must_connect(c);
    ASSERT_TRUE(cl);
    std::size_t lines = 0;
    ExecOptions o;
    o.on_stdout = [&](std::string_view) { ++lines; };
    o.cancelled = [&] { return lines >= 2000; };
    auto r = cl->exec("exec yes kiln", o);  // endless output, megabytes in flight
    ASSERT_FALSE(r.ok());
    EXPECT_GE(lines, 2000u);
    cl.reset();  // the session goes while the bastion's channel still delivers
  }
  EXPECT_EQ(open_fds(), fds) << fd_list();
}

TEST(SshBastion, TrafficReallyGoesThroughIt) {
  auto target = start_sshd();
  ASSERT_TRUE(target);
  SshdOptions o;
  o.extra_config = "PermitOpen 127.0.0.1:1\n";  // forwarding to the target forbidden
  auto bastion = start_sshd(o);
  ASSERT_TRUE(bastion);
  Config c = bastion_config(*target, *bastion);
  c.timeout = 500ms;
  auto r = Client::connect(c);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().step.find("bastion"), std::string::npos) << r.error().to_string();
  // Wrong bastion key: the error is about the bastion. It is not retried,
  // so a long timeout costs nothing and keeps a slow (ASan) handshake from
  // turning the step into "bastion handshake".
  c.timeout = 30s;
  c.bastion->auth.private_key_file = "/nonexistent";
  auto r2 = Client::connect(c);
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().port, bastion->port());
  EXPECT_EQ(r2.error().step, "bastion authenticate");
}

TEST(SshKeyGen, TypesSizesAndFormats) {
  auto ed = generate_key_pair(KeyType::kEd25519, 0, "c1");
  ASSERT_TRUE(ed.ok());
  EXPECT_EQ(ed->public_key.rfind("ssh-ed25519 AAAA", 0), 0u) << ed->public_key;
  EXPECT_EQ(ed->public_key.substr(ed->public_key.size() - 3), " c1");
  EXPECT_NE(ed->private_key.find("BEGIN OPENSSH PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(ed->fingerprint_md5.size(), 47u);  // 16 bytes as aa:bb:...
  EXPECT_EQ(ed->fingerprint_sha256.rfind("SHA256:", 0), 0u);
  auto rsa = generate_key_pair(KeyType::kRsa, 2048);
  ASSERT_TRUE(rsa.ok());
  EXPECT_EQ(rsa->public_key.rfind("ssh-rsa AAAA", 0), 0u);
  EXPECT_EQ(rsa->bits, 2048);
  // Different each time.
  auto ed2 = generate_key_pair(KeyType::kEd25519);
  ASSERT_TRUE(ed2.ok());
  EXPECT_NE(ed->public_key.substr(0, 80), ed2->public_key.substr(0, 80));
  // ssh-keygen agrees on the fingerprint of the public key.
  TempDir tmp;
  spit(tmp.path() + "/k.pub", ed->public_key + "\n");
  std::string out;
  ASSERT_EQ(
      testing::run_command({"ssh-keygen", "-l", "-E", "md5", "-f", tmp.path() + "/k.pub"}, &out), 0)
      << out;
  EXPECT_NE(out.find("MD5:" + ed->fingerprint_md5), std::string::npos) << out;
  // ssh-keygen reads the private key and derives the same public key.
  spit(tmp.path() + "/k", ed->private_key);
  chmod((tmp.path() + "/k").c_str(), 0600);
  out.clear();
  ASSERT_EQ(testing::run_command({"ssh-keygen", "-y", "-f", tmp.path() + "/k"}, &out), 0) << out;
  const std::string derived = out.substr(0, out.find_first_of(" \n", 12));
  EXPECT_EQ(derived, ed->public_key.substr(0, ed->public_key.find(' ', 12)));
}

TEST(SshKeyGen, RejectsBadInput) {
  EXPECT_FALSE(parse_key_type("dsa").ok());
  EXPECT_EQ(*parse_key_type("rsa"), KeyType::kRsa);
  EXPECT_EQ(*parse_key_type(""), KeyType::kEd25519);
  auto r = generate_key_pair(KeyType::kRsa, 512);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("512"), std::string::npos);
  EXPECT_FALSE(generate_key_pair(KeyType::kEcdsa, 300).ok());
}

}  // namespace
}  // namespace ssh
