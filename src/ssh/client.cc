#include "ssh/client.h"

#include <fcntl.h>
#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>  // ssh_send_keepalive
#include <libssh/sftp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "ssh/probe.h"

namespace ssh {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::size_t kChunk = 64 * 1024;  // SFTP read/write size (sftp-server caps at 256 KiB)
constexpr int kReadAhead = 16;             // outstanding SFTP reads when downloading

void ensure_init() {
  static std::once_flag once;
  std::call_once(once, [] { ssh_init(); });
}

// libssh 0.10 never closes a socket given with SSH_OPTIONS_FD in
// ssh_disconnect() (it does on some handshake errors). Clearing the option
// first makes ssh_disconnect() close it when it is still open, exactly once.
struct SessionDeleter {
  void operator()(ssh_session_struct* s) const {
    socket_t none = SSH_INVALID_SOCKET;
    ssh_options_set(s, SSH_OPTIONS_FD, &none);  // "fails" by design, resetting it
    ssh_disconnect(s);
    ssh_free(s);
  }
};
using SessionPtr = std::unique_ptr<ssh_session_struct, SessionDeleter>;

struct KeyDeleter {
  void operator()(ssh_key_struct* k) const { ssh_key_free(k); }
};

std::string lib_error(ssh_session s) {
  const char* m = ssh_get_error(s);
  std::string out = m != nullptr && *m != '\0' ? m : "unknown libssh error";
  return out;
}

Error make_error(const std::string& host, int port, const std::string& user, ErrorKind kind,
                 std::string step, std::string message) {
  Error e;
  e.kind = kind;
  e.host = host;
  e.port = port;
  e.user = user;
  e.step = std::move(step);
  e.message = std::move(message);
  return e;
}

// Sleeps up to d, waking early when cancelled; false if cancelled.
bool sleep_for(milliseconds d, const std::function<bool()>& cancelled) {
  const auto end = Clock::now() + d;
  while (Clock::now() < end) {
    if (cancelled && cancelled()) return false;
    auto left = std::chrono::duration_cast<milliseconds>(end - Clock::now());
    std::this_thread::sleep_for(std::min(left, milliseconds(50)));
  }
  return !(cancelled && cancelled());
}

std::string methods_text(int m) {
  std::string s;
  auto add = [&](int bit, const char* name) {
    if ((m & bit) == 0) return;
    if (!s.empty()) s += ",";
    s += name;
  };
  add(SSH_AUTH_METHOD_PUBLICKEY, "publickey");
  add(SSH_AUTH_METHOD_PASSWORD, "password");
  add(SSH_AUTH_METHOD_INTERACTIVE, "keyboard-interactive");
  add(SSH_AUTH_METHOD_GSSAPI_MIC, "gssapi-with-mic");
  add(SSH_AUTH_METHOD_HOSTBASED, "hostbased");
  return s.empty() ? "none" : s;
}

// Answers every keyboard-interactive prompt with the password (as Packer does).
int auth_kbdint(ssh_session s, const std::string& password) {
  int rc = ssh_userauth_kbdint(s, nullptr, nullptr);
  for (int rounds = 0; rc == SSH_AUTH_INFO && rounds < 8; ++rounds) {
    int n = ssh_userauth_kbdint_getnprompts(s);
    for (int i = 0; i < n; ++i) {
      if (ssh_userauth_kbdint_setanswer(s, static_cast<unsigned>(i), password.c_str()) < 0) {
        return SSH_AUTH_ERROR;
      }
    }
    rc = ssh_userauth_kbdint(s, nullptr, nullptr);
  }
  return rc;
}

// Handshake and authentication on an already connected socket `fd`, which the
// session owns from here on (closed on every path).
Result<SessionPtr> open_session(const std::string& host, int port, const Credentials& cred, int fd,
                                milliseconds timeout) {
  ensure_init();
  auto err = [&](ErrorKind k, std::string step, std::string msg) {
    return make_error(host, port, cred.user, k, std::move(step), std::move(msg));
  };
  ssh_session raw = ssh_new();
  if (raw == nullptr) {
    ::close(fd);
    return err(ErrorKind::kConnect, "connect", "libssh could not allocate a session");
  }
  SessionPtr s(raw);
  bool no = false;
  long secs = std::max<long>(1, static_cast<long>(timeout.count() / 1000));
  long usecs = static_cast<long>((timeout.count() % 1000) * 1000);
  if (timeout.count() < 1000) secs = 0;
  int verbosity = SSH_LOG_NOLOG;
  socket_t sock = fd;
  ssh_options_set(raw, SSH_OPTIONS_PROCESS_CONFIG, &no);
  ssh_options_set(raw, SSH_OPTIONS_LOG_VERBOSITY, &verbosity);
  ssh_options_set(raw, SSH_OPTIONS_HOST, host.c_str());
  ssh_options_set(raw, SSH_OPTIONS_PORT, &port);
  ssh_options_set(raw, SSH_OPTIONS_USER, cred.user.c_str());
  ssh_options_set(raw, SSH_OPTIONS_KNOWNHOSTS, "/dev/null");
  ssh_options_set(raw, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
  ssh_options_set(raw, SSH_OPTIONS_TIMEOUT, &secs);
  ssh_options_set(raw, SSH_OPTIONS_TIMEOUT_USEC, &usecs);
  if (ssh_options_set(raw, SSH_OPTIONS_FD, &sock) != SSH_OK) {
    ::close(fd);
    return err(ErrorKind::kConnect, "connect", lib_error(raw));
  }
  if (ssh_connect(raw) != SSH_OK) {
    return err(ErrorKind::kConnect, "handshake", lib_error(raw));
  }

  int rc = ssh_userauth_none(raw, nullptr);
  if (rc == SSH_AUTH_SUCCESS) return s;
  if (rc == SSH_AUTH_ERROR) return err(ErrorKind::kConnect, "authenticate", lib_error(raw));
  const int offered = ssh_userauth_list(raw, nullptr);
  std::vector<std::string> tried;

  auto try_key = [&](ssh_key key) {
    rc = ssh_userauth_publickey(raw, nullptr, key);
    return rc == SSH_AUTH_SUCCESS;
  };
  if (!cred.private_key.empty()) {
    ssh_key k = nullptr;
    if (ssh_pki_import_privkey_base64(cred.private_key.c_str(), nullptr, nullptr, nullptr, &k) !=
        SSH_OK) {
      return err(ErrorKind::kConfig, "authenticate",
                 "the private key text is not a key libssh can read");
    }
    std::unique_ptr<ssh_key_struct, KeyDeleter> key(k);
    if (try_key(k)) return s;
    if (rc == SSH_AUTH_ERROR) return err(ErrorKind::kConnect, "authenticate", lib_error(raw));
    tried.push_back("publickey (private key)");
  }
  if (!cred.private_key_file.empty()) {
    ssh_key k = nullptr;
    if (access(cred.private_key_file.c_str(), R_OK) != 0) {
      return err(
          ErrorKind::kConfig, "authenticate",
          "cannot read private key file " + cred.private_key_file + ": " + std::strerror(errno));
    }
    if (ssh_pki_import_privkey_file(cred.private_key_file.c_str(), nullptr, nullptr, nullptr, &k) !=
        SSH_OK) {
      return err(ErrorKind::kConfig, "authenticate",
                 "private key file " + cred.private_key_file +
                     " is not a key libssh can read (or needs a passphrase)");
    }
    std::unique_ptr<ssh_key_struct, KeyDeleter> key(k);
    if (try_key(k)) return s;
    if (rc == SSH_AUTH_ERROR) return err(ErrorKind::kConnect, "authenticate", lib_error(raw));
    tried.push_back("publickey (" + cred.private_key_file + ")");
  }
  if (cred.agent_auth) {
    const char* sock_path = getenv("SSH_AUTH_SOCK");
    if (sock_path == nullptr || *sock_path == '\0') {
      return err(ErrorKind::kConfig, "authenticate",
                 "ssh_agent_auth is set but SSH_AUTH_SOCK is not (no agent to ask)");
    }
    rc = ssh_userauth_agent(raw, nullptr);
    if (rc == SSH_AUTH_SUCCESS) return s;
    if (rc == SSH_AUTH_ERROR && !ssh_is_connected(raw)) {
      return err(ErrorKind::kConnect, "authenticate", lib_error(raw));
    }
    tried.push_back("agent");
  }
  if (!cred.password.empty()) {
    if ((offered & SSH_AUTH_METHOD_PASSWORD) != 0) {
      rc = ssh_userauth_password(raw, nullptr, cred.password.c_str());
      if (rc == SSH_AUTH_SUCCESS) return s;
      if (rc == SSH_AUTH_ERROR) return err(ErrorKind::kConnect, "authenticate", lib_error(raw));
      tried.push_back("password");
    }
    if ((offered & SSH_AUTH_METHOD_INTERACTIVE) != 0) {
      rc = auth_kbdint(raw, cred.password);
      if (rc == SSH_AUTH_SUCCESS) return s;
      if (rc == SSH_AUTH_ERROR) return err(ErrorKind::kConnect, "authenticate", lib_error(raw));
      tried.push_back("keyboard-interactive");
    }
  }
  if (tried.empty()) {
    if (cred.private_key.empty() && cred.private_key_file.empty() && !cred.agent_auth &&
        cred.password.empty()) {
      return err(ErrorKind::kConfig, "authenticate",
                 "no credentials configured (password, private key or agent)");
    }
    return err(ErrorKind::kAuth, "authenticate",
               "no configured credential fits the methods the server offers (" +
                   methods_text(offered) + ")");
  }
  std::string list;
  for (const auto& t : tried) list += (list.empty() ? "" : ", ") + t;
  return err(ErrorKind::kAuth, "authenticate",
             "permission denied (tried " + list + "; server offers " + methods_text(offered) + ")");
}

}  // namespace

// Carries a TCP stream to the target through a direct-tcpip channel on the
// bastion: a socketpair whose one end is the target session's socket and
// whose other end a thread pumps to and from the channel.
class Tunnel {
 public:
  Tunnel(SessionPtr bastion, ssh_channel ch, int fd)
      : bastion_(std::move(bastion)), ch_(ch), fd_(fd) {
    thread_ = std::thread([this] { run(); });
  }
  ~Tunnel() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    ::close(fd_);
    if (ssh_channel_is_open(ch_)) ssh_channel_close(ch_);
    ssh_channel_free(ch_);
  }

 private:
  void run() {
    std::vector<char> buf(kChunk);
    const int bfd = ssh_get_fd(bastion_.get());
    bool local_eof = false;
    while (!stop_) {
      bool moved = false;
      int n = ssh_channel_read_nonblocking(ch_, buf.data(), static_cast<uint32_t>(buf.size()), 0);
      if (n == SSH_ERROR || n == SSH_EOF) break;
      if (n > 0) {
        moved = true;
        if (!write_all(buf.data(), static_cast<std::size_t>(n))) break;
      }
      if (!local_eof) {
        ssize_t m = read(fd_, buf.data(), buf.size());
        if (m > 0) {
          moved = true;
          if (ssh_channel_write(ch_, buf.data(), static_cast<uint32_t>(m)) == SSH_ERROR) break;
        } else if (m == 0) {
          local_eof = true;
          ssh_channel_send_eof(ch_);
        } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
          break;
        }
      }
      if (!moved) {
        pollfd p[2] = {{bfd, POLLIN, 0}, {fd_, static_cast<short>(local_eof ? 0 : POLLIN), 0}};
        poll(p, 2, 50);
      }
    }
    // The target session sees the end of its stream.
    shutdown(fd_, SHUT_RDWR);
  }

  // send() with MSG_NOSIGNAL: when the target session has already closed its
  // end, the write fails with EPIPE instead of killing the process by SIGPIPE.
  bool write_all(const char* p, std::size_t n) {
    while (n > 0) {
      ssize_t w = send(fd_, p, n, MSG_NOSIGNAL);
      if (w > 0) {
        p += w;
        n -= static_cast<std::size_t>(w);
        continue;
      }
      if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
        if (stop_) return false;
        pollfd pf{fd_, POLLOUT, 0};
        poll(&pf, 1, 50);
        continue;
      }
      return false;
    }
    return true;
  }

  SessionPtr bastion_;
  ssh_channel ch_;
  int fd_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

struct Client::Impl {
  Config cfg;
  SessionPtr session;
  std::unique_ptr<Tunnel> tunnel;  // after session in declaration: destroyed first? see dtor
  sftp_session sftp = nullptr;
  int attempts = 0;

  ~Impl() { close(); }

  void close() {
    if (sftp != nullptr) {
      sftp_free(sftp);
      sftp = nullptr;
    }
    session.reset();
    tunnel.reset();
  }

  Error err(ErrorKind k, std::string step, std::string msg) const {
    return make_error(cfg.host, cfg.port, cfg.auth.user, k, std::move(step), std::move(msg));
  }

  Error sftp_err(const std::string& step, const std::string& what) const {
    int code = sftp != nullptr ? sftp_get_error(sftp) : 0;
    std::string msg;
    switch (code) {
      case SSH_FX_NO_SUCH_FILE:
        msg = "no such file or directory";
        break;
      case SSH_FX_PERMISSION_DENIED:
        msg = "permission denied";
        break;
      case SSH_FX_FILE_ALREADY_EXISTS:
        msg = "already exists";
        break;
      case SSH_FX_NO_SUCH_PATH:
        msg = "no such path";
        break;
      default:
        msg = session ? lib_error(session.get()) : "session closed";
    }
    if (!session || !ssh_is_connected(session.get())) {
      return err(ErrorKind::kDisconnected, step, "connection lost: " + msg);
    }
    return err(ErrorKind::kSftp, step, what + ": " + msg);
  }

  Status ensure_sftp(const std::string& step) {
    if (!session || !ssh_is_connected(session.get())) {
      return err(ErrorKind::kDisconnected, step, "not connected");
    }
    if (sftp != nullptr) return Unit{};
    sftp = sftp_new(session.get());
    if (sftp == nullptr) {
      return err(ErrorKind::kSftp, step, "cannot open SFTP channel: " + lib_error(session.get()));
    }
    if (sftp_init(sftp) != SSH_OK) {
      std::string m = lib_error(session.get());
      sftp_free(sftp);
      sftp = nullptr;
      return err(ErrorKind::kSftp, step, "SFTP subsystem failed to start: " + m);
    }
    return Unit{};
  }

  Status upload_fd(int fd, std::uint64_t size, const std::string& label, const std::string& remote,
                   int mode, const Progress& progress);
  Status mkdir_p(const std::string& dir, int mode, const std::string& step);
  Status download_file(const std::string& remote, const std::string& local, std::uint64_t size,
                       int mode, const Progress& progress);
  Status download_tree(const std::string& remote, const std::string& local,
                       const Progress& progress, int depth);
};

namespace {

// One attempt: TCP (directly or through the bastion), handshake, auth.
Result<SessionPtr> attempt(const Config& cfg, milliseconds per, std::unique_ptr<Tunnel>* tunnel) {
  if (!cfg.bastion) {
    Result<int> fd = tcp_connect(cfg.host, cfg.port, per);
    if (!fd) {
      Error e = std::move(fd).error();
      e.user = cfg.auth.user;
      return e;
    }
    return open_session(cfg.host, cfg.port, cfg.auth, *fd, per);
  }
  const Bastion& b = *cfg.bastion;
  auto via = [&](Error e) {
    e.step = "bastion " + e.step;
    e.message += " (bastion " + b.auth.user + "@" + b.host + ":" + std::to_string(b.port) + ")";
    return e;
  };
  Result<int> bfd = tcp_connect(b.host, b.port, per);
  if (!bfd) {
    Error e = std::move(bfd).error();
    e.host = b.host;
    e.port = b.port;
    e.user = b.auth.user;
    e.step = "bastion " + e.step;
    return e;
  }
  Result<SessionPtr> bs = open_session(b.host, b.port, b.auth, *bfd, per);
  if (!bs) {
    Error e = std::move(bs).error();
    e.step = "bastion " + e.step;
    return e;
  }
  SessionPtr bastion = std::move(bs).value();
  ssh_channel ch = ssh_channel_new(bastion.get());
  if (ch == nullptr ||
      ssh_channel_open_forward(ch, cfg.host.c_str(), cfg.port, "127.0.0.1", 0) != SSH_OK) {
    std::string m = lib_error(bastion.get());
    if (ch != nullptr) ssh_channel_free(ch);
    return via(make_error(cfg.host, cfg.port, cfg.auth.user, ErrorKind::kConnect, "tcp connect",
                          "bastion could not open a connection to the host: " + m));
  }
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    ssh_channel_free(ch);
    return make_error(cfg.host, cfg.port, cfg.auth.user, ErrorKind::kLocalIo, "tunnel",
                      std::string("socketpair: ") + std::strerror(errno));
  }
  fcntl(sv[1], F_SETFL, fcntl(sv[1], F_GETFL) | O_NONBLOCK);
  auto t = std::make_unique<Tunnel>(std::move(bastion), ch, sv[1]);
  Result<SessionPtr> s = open_session(cfg.host, cfg.port, cfg.auth, sv[0], per);
  if (!s) return via(std::move(s).error());
  *tunnel = std::move(t);
  return s;
}

}  // namespace

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::~Client() = default;

const Config& Client::config() const {
  return impl_->cfg;
}
int Client::attempts() const {
  return impl_->attempts;
}

bool Client::connected() const {
  return impl_->session && ssh_is_connected(impl_->session.get());
}

void Client::disconnect() {
  impl_->close();
}

Result<std::unique_ptr<Client>> Client::connect(const Config& cfg) {
  ensure_init();
  const auto start = Clock::now();
  const auto deadline = start + cfg.timeout;
  int handshakes_failed = 0;
  std::optional<Error> last;
  for (int n = 1;; ++n) {
    if (cfg.cancelled && cfg.cancelled()) {
      Error e = make_error(cfg.host, cfg.port, cfg.auth.user, ErrorKind::kTimeout, "cancelled",
                           "waiting for SSH was cancelled");
      e.attempts = n - 1;
      return e;
    }
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      Error e = last ? *last
                     : make_error(cfg.host, cfg.port, cfg.auth.user, ErrorKind::kTimeout, "connect",
                                  "no attempt made");
      e.kind = ErrorKind::kTimeout;
      e.message = "timeout after " +
                  std::to_string(std::chrono::duration_cast<milliseconds>(cfg.timeout).count()) +
                  " ms waiting for SSH; last error: " + e.message;
      e.attempts = n - 1;
      return e;
    }
    if (cfg.on_attempt) cfg.on_attempt(n, last ? &*last : nullptr);
    std::unique_ptr<Tunnel> tunnel;
    Result<SessionPtr> s = attempt(cfg, std::min(left, cfg.attempt_timeout), &tunnel);
    if (s) {
      auto impl = std::make_unique<Impl>();
      impl->cfg = cfg;
      impl->session = std::move(s).value();
      impl->tunnel = std::move(tunnel);
      impl->attempts = n;
      return std::unique_ptr<Client>(new Client(std::move(impl)));
    }
    Error e = std::move(s).error();
    e.attempts = n;
    if (e.kind == ErrorKind::kConfig) return e;
    // A refused or timed-out TCP connect means "not up yet"; anything after
    // TCP (handshake, auth) counts against ssh_handshake_attempts.
    bool tcp_stage = e.step.find("tcp connect") != std::string::npos;
    if (!tcp_stage && ++handshakes_failed >= std::max(1, cfg.handshake_attempts)) {
      e.message +=
          " (gave up after " + std::to_string(handshakes_failed) + " failed handshake attempts)";
      return e;
    }
    last = std::move(e);
    auto wait = std::min(cfg.retry_interval,
                         std::chrono::duration_cast<milliseconds>(deadline - Clock::now()));
    if (wait.count() > 0 && !sleep_for(wait, cfg.cancelled)) continue;
  }
}

namespace {

struct LineSplitter {
  std::string buf;
  const std::function<void(std::string_view)>* sink;
  void feed(const char* p, std::size_t n) {
    if (sink == nullptr || !*sink) return;
    buf.append(p, n);
    std::size_t start = 0;
    for (;;) {
      std::size_t nl = buf.find('\n', start);
      if (nl == std::string::npos) break;
      (*sink)(std::string_view(buf).substr(start, nl - start));
      start = nl + 1;
    }
    buf.erase(0, start);
  }
  void finish() {
    if (sink != nullptr && *sink && !buf.empty()) (*sink)(buf);
    buf.clear();
  }
};

struct ExitInfo {
  std::string signal;
  bool exited = false;  // an exit status or signal arrived
};

void on_exit_status(ssh_session, ssh_channel, int, void* userdata) {
  static_cast<ExitInfo*>(userdata)->exited = true;
}

void on_exit_signal(ssh_session, ssh_channel, const char* signal, int, const char*, const char*,
                    void* userdata) {
  static_cast<ExitInfo*>(userdata)->signal = signal != nullptr ? signal : "";
  static_cast<ExitInfo*>(userdata)->exited = true;
}

struct ChannelCloser {
  void operator()(ssh_channel_struct* ch) const {
    if (ssh_channel_is_open(ch)) ssh_channel_close(ch);
    ssh_channel_free(ch);
  }
};

}  // namespace

Result<ExecResult> Client::exec(const std::string& command, const ExecOptions& opt) {
  Impl& im = *impl_;
  const std::string step = "exec";
  if (!connected()) return im.err(ErrorKind::kDisconnected, step, "not connected");
  ssh_session s = im.session.get();
  std::unique_ptr<ssh_channel_struct, ChannelCloser> ch(ssh_channel_new(s));
  if (!ch) return im.err(ErrorKind::kChannel, step, "cannot allocate a channel");
  ExecResult out;
  auto dropped = [&](const std::string& what) -> Result<ExecResult> {
    if (opt.expect_disconnect) {
      out.disconnected = true;
      return out;
    }
    return im.err(ErrorKind::kDisconnected, step, "connection lost " + what + ": " + lib_error(s));
  };
  if (ssh_channel_open_session(ch.get()) != SSH_OK) {
    if (!ssh_is_connected(s)) return dropped("opening a session");
    return im.err(ErrorKind::kChannel, step, "cannot open a session: " + lib_error(s));
  }
  ExitInfo exit_info;
  ssh_channel_callbacks_struct cb{};
  cb.userdata = &exit_info;
  cb.channel_exit_signal_function = on_exit_signal;
  cb.channel_exit_status_function = on_exit_status;
  ssh_callbacks_init(&cb);
  ssh_set_channel_callbacks(ch.get(), &cb);
  // cb lives on this stack frame: unregister it on every way out (a
  // cancelled or failed command returns early), or libssh calls into a
  // dead frame when the channel or session is closed later.
  struct CallbacksGuard {
    ssh_channel ch;
    ssh_channel_callbacks cb;
    ~CallbacksGuard() { ssh_remove_channel_callbacks(ch, cb); }
  } callbacks_guard{ch.get(), &cb};

  if (ssh_channel_request_exec(ch.get(), command.c_str()) != SSH_OK) {
    if (!ssh_is_connected(s)) return dropped("starting the command");
    return im.err(ErrorKind::kChannel, step,
                  "the server refused to run the command: " + lib_error(s));
  }
  LineSplitter out_lines{{}, &opt.on_stdout};
  LineSplitter err_lines{{}, &opt.on_stderr};
  std::vector<char> buf(kChunk);
  ssh_event event = ssh_event_new();
  ssh_event_add_session(event, s);
  struct EventFree {
    ssh_session s;
    ssh_event e;
    ~EventFree() {
      ssh_event_remove_session(e, s);
      ssh_event_free(e);
    }
  } event_free{s, event};
  auto drain = [&] {
    for (int stream = 0; stream < 2; ++stream) {
      int r = ssh_channel_read_nonblocking(ch.get(), buf.data(), buf.size(), stream);
      if (r > 0)
        (stream == 0 ? out_lines : err_lines).feed(buf.data(), static_cast<std::size_t>(r));
    }
  };
  // Sends [p, p+left): 1 when sent, 0 when the command closed its input or
  // ended (its output still counts), -1 when the connection dropped, -2
  // when cancelled. Never writes more than the window allows, so a command
  // that exits without reading everything cannot leave us blocked.
  auto send = [&](const char* p, std::size_t left) -> int {
    while (left > 0) {
      uint32_t win = ssh_channel_window_size(ch.get());
      if (win == 0) {
        if (opt.cancelled && opt.cancelled()) return -2;
        if (exit_info.exited || !ssh_channel_is_open(ch.get())) return 0;
        if (!ssh_is_connected(s)) return -1;
        // Returns as soon as packets (a window adjustment) were processed.
        ssh_event_dopoll(event, 100);
        drain();
        continue;
      }
      uint32_t n = static_cast<uint32_t>(std::min<std::size_t>({left, kChunk, std::size_t{win}}));
      int w = ssh_channel_write(ch.get(), p, n);
      if (w == SSH_ERROR) return ssh_is_connected(s) ? 0 : -1;
      p += w;
      left -= static_cast<std::size_t>(w);
    }
    return 1;
  };
  if (opt.stdin_source) {
    std::vector<char> in(kChunk);
    for (;;) {
      if (opt.cancelled && opt.cancelled()) {
        ssh_channel_request_send_signal(ch.get(), "TERM");
        return im.err(ErrorKind::kChannel, step, "cancelled");
      }
      std::ptrdiff_t n = opt.stdin_source(in.data(), in.size());
      if (n < 0) {
        ssh_channel_request_send_signal(ch.get(), "TERM");
        return im.err(ErrorKind::kChannel, "stdin", "reading the standard input failed");
      }
      if (n == 0) break;
      int sent = send(in.data(), static_cast<std::size_t>(n));
      if (sent == -2) {
        ssh_channel_request_send_signal(ch.get(), "TERM");
        return im.err(ErrorKind::kChannel, step, "cancelled");
      }
      if (sent < 0) return dropped("sending standard input");
      if (sent == 0) break;
      // Drain what the command printed meanwhile, so its output never
      // fills the window and stalls it while we are still writing.
      drain();
    }
  } else if (!opt.stdin_data.empty()) {
    int sent = send(opt.stdin_data.data(), opt.stdin_data.size());
    if (sent == -2) {
      ssh_channel_request_send_signal(ch.get(), "TERM");
      return im.err(ErrorKind::kChannel, step, "cancelled");
    }
    if (sent < 0) return dropped("sending standard input");
  }
  ssh_channel_send_eof(ch.get());

  auto quiet_since = Clock::now();
  const auto ka = im.cfg.keep_alive_interval;
  const int poll_ms = ka.count() > 0 ? static_cast<int>(std::min<long>(ka.count(), 1000)) : 1000;
  bool lost = false;
  bool cancelled = false;
  for (;;) {
    if (opt.cancelled && opt.cancelled()) {
      cancelled = true;
      break;
    }
    int n1 = ssh_channel_read_nonblocking(ch.get(), buf.data(), buf.size(), 0);
    if (n1 > 0) out_lines.feed(buf.data(), static_cast<std::size_t>(n1));
    int n2 = ssh_channel_read_nonblocking(ch.get(), buf.data(), buf.size(), 1);
    if (n2 > 0) err_lines.feed(buf.data(), static_cast<std::size_t>(n2));
    if (n1 == SSH_ERROR || n2 == SSH_ERROR) {
      lost = true;
      break;
    }
    if (n1 > 0 || n2 > 0) {
      quiet_since = Clock::now();
      continue;
    }
    if ((n1 == SSH_EOF || ssh_channel_is_eof(ch.get())) && n2 <= 0) break;
    if (!ssh_is_connected(s)) {
      lost = true;
      break;
    }
    if (ssh_event_dopoll(event, poll_ms) == SSH_ERROR && !ssh_is_connected(s)) {
      lost = true;
      break;
    }
    if (ka.count() > 0 && Clock::now() - quiet_since >= ka) {
      ssh_send_keepalive(s);
      quiet_since = Clock::now();
    }
  }
  out_lines.finish();
  err_lines.finish();
  if (cancelled) {
    ssh_channel_request_send_signal(ch.get(), "TERM");
    return im.err(ErrorKind::kChannel, step, "cancelled");
  }
  if (!lost) {
    int status = ssh_channel_get_exit_status(ch.get());
    if (!ssh_is_connected(s)) lost = true;
    out.exit_status = status;
    out.exit_signal = exit_info.signal;
    if (status < 0 && exit_info.signal.empty() && !ssh_is_connected(s)) lost = true;
  }
  if (lost && out.exit_status < 0 && out.exit_signal.empty()) {
    return dropped("while the command ran");
  }
  return out;
}

// ---- SFTP -----------------------------------------------------------------

namespace {

struct SftpFileCloser {
  void operator()(sftp_file_struct* f) const { sftp_close(f); }
};
using SftpFilePtr = std::unique_ptr<sftp_file_struct, SftpFileCloser>;

struct AttrFree {
  void operator()(sftp_attributes_struct* a) const { sftp_attributes_free(a); }
};

std::string join(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  if (dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

std::string basename_of(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  auto pos = p.rfind('/');
  return pos == std::string::npos ? p : p.substr(pos + 1);
}

}  // namespace

Status Client::Impl::upload_fd(int fd, std::uint64_t size, const std::string& label,
                               const std::string& remote, int mode, const Progress& progress) {
  const std::string step = "upload " + remote;
  Status ok = ensure_sftp(step);
  if (!ok) return ok;
  SftpFilePtr f(sftp_open(sftp, remote.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                          static_cast<mode_t>(mode & 07777)));
  if (!f) return sftp_err(step, "cannot create the remote file");
  std::vector<char> buf(kChunk);
  std::uint64_t done = 0;
  if (progress) progress(label, 0, size);
  for (;;) {
    ssize_t n = read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return err(ErrorKind::kLocalIo, step, "reading " + label + ": " + std::strerror(errno));
    }
    if (n == 0) break;
    std::size_t off = 0;
    while (off < static_cast<std::size_t>(n)) {
      ssize_t w = sftp_write(f.get(), buf.data() + off, static_cast<std::size_t>(n) - off);
      if (w < 0) return sftp_err(step, "write failed");
      off += static_cast<std::size_t>(w);
    }
    done += static_cast<std::uint64_t>(n);
    if (progress) progress(label, done, size);
  }
  if (sftp_close(f.release()) != SSH_OK) return sftp_err(step, "closing the remote file failed");
  // The remote umask applied at creation; set the exact bits.
  if (sftp_chmod(sftp, remote.c_str(), static_cast<mode_t>(mode & 07777)) != SSH_OK) {
    return sftp_err(step, "cannot set the file mode");
  }
  return Unit{};
}

Status Client::upload(const std::string& local_path, const std::string& remote_path,
                      const Progress& progress, int mode) {
  Impl& im = *impl_;
  const std::string step = "upload " + remote_path;
  int fd = open(local_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return im.err(ErrorKind::kLocalIo, step,
                  "cannot open " + local_path + ": " + std::strerror(errno));
  }
  struct stat st {};
  fstat(fd, &st);
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return im.err(ErrorKind::kLocalIo, step, local_path + " is a directory (use upload_dir)");
  }
  Status r = im.upload_fd(fd, static_cast<std::uint64_t>(st.st_size), local_path, remote_path,
                          mode >= 0 ? mode : static_cast<int>(st.st_mode & 07777), progress);
  ::close(fd);
  return r;
}

Status Client::upload_data(std::string_view data, const std::string& remote_path, int mode) {
  Impl& im = *impl_;
  const std::string step = "upload " + remote_path;
  Status ok = im.ensure_sftp(step);
  if (!ok) return ok;
  SftpFilePtr f(sftp_open(im.sftp, remote_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                          static_cast<mode_t>(mode & 07777)));
  if (!f) return im.sftp_err(step, "cannot create the remote file");
  std::size_t off = 0;
  while (off < data.size()) {
    std::size_t n = std::min(kChunk, data.size() - off);
    ssize_t w = sftp_write(f.get(), data.data() + off, n);
    if (w < 0) return im.sftp_err(step, "write failed");
    off += static_cast<std::size_t>(w);
  }
  if (sftp_close(f.release()) != SSH_OK) return im.sftp_err(step, "closing the remote file failed");
  if (sftp_chmod(im.sftp, remote_path.c_str(), static_cast<mode_t>(mode & 07777)) != SSH_OK) {
    return im.sftp_err(step, "cannot set the file mode");
  }
  return Unit{};
}

Status Client::Impl::mkdir_p(const std::string& dir, int mode, const std::string& step) {
  Status ok = ensure_sftp(step);
  if (!ok) return ok;
  std::string path;
  std::size_t pos = 0;
  std::vector<std::string> prefixes;
  while (pos <= dir.size()) {
    std::size_t slash = dir.find('/', pos);
    if (slash == std::string::npos) slash = dir.size();
    path = dir.substr(0, slash);
    if (!path.empty() && path != "/" && slash > pos) prefixes.push_back(path);
    pos = slash + 1;
  }
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    const std::string& p = prefixes[i];
    const bool last = i + 1 == prefixes.size();
    std::unique_ptr<sftp_attributes_struct, AttrFree> a(sftp_stat(sftp, p.c_str()));
    if (a) {
      if (a->type != SSH_FILEXFER_TYPE_DIRECTORY) {
        return err(ErrorKind::kSftp, step, p + " exists and is not a directory");
      }
      if (last && sftp_chmod(sftp, p.c_str(), static_cast<mode_t>(mode & 07777)) != SSH_OK) {
        return sftp_err(step, "cannot set the mode of " + p);
      }
      continue;
    }
    if (sftp_mkdir(sftp, p.c_str(), last ? static_cast<mode_t>(mode & 07777) : 0755) != SSH_OK) {
      return sftp_err(step, "cannot create directory " + p);
    }
    if (last && sftp_chmod(sftp, p.c_str(), static_cast<mode_t>(mode & 07777)) != SSH_OK) {
      return sftp_err(step, "cannot set the mode of " + p);
    }
  }
  return Unit{};
}

Status Client::upload_dir(const std::string& local_dir, const std::string& remote_dir,
                          const Progress& progress) {
  namespace fs = std::filesystem;
  Impl& im = *impl_;
  const std::string step = "upload " + local_dir;
  std::error_code ec;
  fs::path src(local_dir);
  if (!fs::is_directory(src, ec)) {
    return im.err(ErrorKind::kLocalIo, step, local_dir + " is not a directory");
  }
  std::string root = remote_dir;
  if (local_dir.empty() || local_dir.back() != '/') root = join(remote_dir, basename_of(local_dir));
  struct stat st {};
  if (stat(local_dir.c_str(), &st) != 0) {
    return im.err(ErrorKind::kLocalIo, step, std::string("stat: ") + std::strerror(errno));
  }
  // The destination itself keeps its mode when the contents go into it.
  if (local_dir.back() == '/') {
    Status ok = im.ensure_sftp(step);
    if (!ok) return ok;
    std::unique_ptr<sftp_attributes_struct, AttrFree> a(sftp_stat(im.sftp, root.c_str()));
    if (!a) {
      Status m = im.mkdir_p(root, static_cast<int>(st.st_mode & 07777), step);
      if (!m) return m;
    }
  } else {
    Status m = im.mkdir_p(root, static_cast<int>(st.st_mode & 07777), step);
    if (!m) return m;
  }
  fs::recursive_directory_iterator it(src, fs::directory_options::follow_directory_symlink, ec);
  if (ec)
    return im.err(ErrorKind::kLocalIo, step, "cannot read " + local_dir + ": " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return im.err(ErrorKind::kLocalIo, step, ec.message());
    const fs::path rel = fs::relative(it->path(), src, ec);
    const std::string remote = join(root, rel.generic_string());
    struct stat es {};
    if (stat(it->path().c_str(), &es) != 0) continue;  // a dangling symlink
    if (S_ISDIR(es.st_mode)) {
      Status m = im.mkdir_p(remote, static_cast<int>(es.st_mode & 07777), "upload " + remote);
      if (!m) return m;
    } else if (S_ISREG(es.st_mode)) {
      Status u = upload(it->path().string(), remote, progress);
      if (!u) return u;
    }
  }
  return Unit{};
}

Status Client::Impl::download_file(const std::string& remote, const std::string& local,
                                   std::uint64_t size, int mode, const Progress& progress) {
  const std::string step = "download " + remote;
  SftpFilePtr f(sftp_open(sftp, remote.c_str(), O_RDONLY, 0));
  if (!f) return sftp_err(step, "cannot open the remote file");
  int fd = open(local.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                static_cast<mode_t>(mode & 07777));
  if (fd < 0) {
    return err(ErrorKind::kLocalIo, step, "cannot create " + local + ": " + std::strerror(errno));
  }
  std::vector<char> buf(kChunk);
  std::deque<int> pending;
  std::uint64_t requested = 0, done = 0;
  bool eof = false;
  Status result = Unit{};
  if (progress) progress(remote, 0, size);
  // Keep kReadAhead reads in flight; the answers come back in order. Requests
  // beyond the size seen at stat() are made one at a time until EOF so a file
  // that grew is still read whole.
  while (!eof) {
    while (static_cast<int>(pending.size()) < kReadAhead && (requested < size || pending.empty())) {
      int id = sftp_async_read_begin(f.get(), static_cast<uint32_t>(kChunk));
      if (id < 0) {
        result = sftp_err(step, "read request failed");
        break;
      }
      pending.push_back(id);
      requested += kChunk;
    }
    if (!result.ok()) break;
    int id = pending.front();
    pending.pop_front();
    int n = sftp_async_read(f.get(), buf.data(), static_cast<uint32_t>(kChunk),
                            static_cast<uint32_t>(id));
    if (n < 0) {
      result = sftp_err(step, "read failed");
      break;
    }
    if (n == 0) {
      eof = true;
      break;
    }
    std::size_t off = 0;
    while (off < static_cast<std::size_t>(n)) {
      ssize_t w = write(fd, buf.data() + off, static_cast<std::size_t>(n) - off);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) {
        result = err(ErrorKind::kLocalIo, step, "writing " + local + ": " + std::strerror(errno));
        break;
      }
      off += static_cast<std::size_t>(w);
    }
    if (!result.ok()) break;
    done += static_cast<std::uint64_t>(n);
    if (progress) progress(remote, done, std::max(size, done));
  }
  // Collect answers still in flight so the session stays in step.
  for (int id : pending) {
    sftp_async_read(f.get(), buf.data(), static_cast<uint32_t>(kChunk), static_cast<uint32_t>(id));
  }
  if (fchmod(fd, static_cast<mode_t>(mode & 07777)) != 0 && result.ok()) {
    result = err(ErrorKind::kLocalIo, step, "chmod " + local + ": " + std::strerror(errno));
  }
  if (::close(fd) != 0 && result.ok()) {
    result = err(ErrorKind::kLocalIo, step, "closing " + local + ": " + std::strerror(errno));
  }
  return result;
}

Status Client::download(const std::string& remote_path, const std::string& local_path,
                        const Progress& progress) {
  Impl& im = *impl_;
  const std::string step = "download " + remote_path;
  Status ok = im.ensure_sftp(step);
  if (!ok) return ok;
  std::unique_ptr<sftp_attributes_struct, AttrFree> a(sftp_stat(im.sftp, remote_path.c_str()));
  if (!a) return im.sftp_err(step, "cannot stat the remote file");
  if (a->type == SSH_FILEXFER_TYPE_DIRECTORY) {
    return im.err(ErrorKind::kSftp, step, "is a directory (use download_dir)");
  }
  return im.download_file(remote_path, local_path, a->size, static_cast<int>(a->permissions),
                          progress);
}

Status Client::Impl::download_tree(const std::string& remote, const std::string& local,
                                   const Progress& progress, int depth) {
  const std::string step = "download " + remote;
  if (depth > 64) return err(ErrorKind::kSftp, step, "directory tree too deep (symlink loop?)");
  sftp_dir d = sftp_opendir(sftp, remote.c_str());
  if (d == nullptr) return sftp_err(step, "cannot open the remote directory");
  std::vector<std::unique_ptr<sftp_attributes_struct, AttrFree>> entries;
  while (sftp_attributes a = sftp_readdir(sftp, d)) {
    entries.emplace_back(a);
  }
  bool complete = sftp_dir_eof(d) != 0;
  sftp_closedir(d);
  if (!complete) return sftp_err(step, "listing the directory failed");
  for (auto& e : entries) {
    std::string name = e->name != nullptr ? e->name : "";
    if (name.empty() || name == "." || name == "..") continue;
    const std::string rpath = join(remote, name);
    const std::string lpath = join(local, name);
    sftp_attributes_struct* a = e.get();
    std::unique_ptr<sftp_attributes_struct, AttrFree> followed;
    if (a->type == SSH_FILEXFER_TYPE_SYMLINK) {
      followed.reset(sftp_stat(sftp, rpath.c_str()));
      if (!followed) continue;  // dangling
      a = followed.get();
    }
    const int mode = static_cast<int>(a->permissions & 07777);
    if (a->type == SSH_FILEXFER_TYPE_DIRECTORY) {
      if (::mkdir(lpath.c_str(), 0700) != 0 && errno != EEXIST) {
        return err(ErrorKind::kLocalIo, step, "mkdir " + lpath + ": " + std::strerror(errno));
      }
      Status r = download_tree(rpath, lpath, progress, depth + 1);
      if (!r) return r;
      if (::chmod(lpath.c_str(), static_cast<mode_t>(mode)) != 0) {
        return err(ErrorKind::kLocalIo, step, "chmod " + lpath + ": " + std::strerror(errno));
      }
    } else if (a->type == SSH_FILEXFER_TYPE_REGULAR) {
      Status r = download_file(rpath, lpath, a->size, mode, progress);
      if (!r) return r;
    }
  }
  return Unit{};
}

Status Client::download_dir(const std::string& remote_dir, const std::string& local_dir,
                            const Progress& progress) {
  Impl& im = *impl_;
  const std::string step = "download " + remote_dir;
  Status ok = im.ensure_sftp(step);
  if (!ok) return ok;
  std::unique_ptr<sftp_attributes_struct, AttrFree> a(sftp_stat(im.sftp, remote_dir.c_str()));
  if (!a) return im.sftp_err(step, "cannot stat the remote directory");
  if (a->type != SSH_FILEXFER_TYPE_DIRECTORY) {
    return im.err(ErrorKind::kSftp, step, "is not a directory");
  }
  std::string root = local_dir;
  if (remote_dir.empty() || remote_dir.back() != '/') {
    root = join(local_dir, basename_of(remote_dir));
  }
  std::error_code ec;
  std::filesystem::create_directories(root, ec);
  if (ec) return im.err(ErrorKind::kLocalIo, step, "cannot create " + root + ": " + ec.message());
  Status r = im.download_tree(remote_dir, root, progress, 0);
  if (!r) return r;
  if (::chmod(root.c_str(), static_cast<mode_t>(a->permissions & 07777)) != 0) {
    return im.err(ErrorKind::kLocalIo, step, "chmod " + root + ": " + std::strerror(errno));
  }
  return Unit{};
}

}  // namespace ssh
