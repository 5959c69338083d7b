#include "provisioners/local_command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace kiln::prov {

namespace {

struct Lines {
  std::string buf;
  const std::function<void(std::string_view)>* sink;
  void feed(const char* p, size_t n) {
    buf.append(p, n);
    size_t start = 0, nl;
    while ((nl = buf.find('\n', start)) != std::string::npos) {
      if (*sink) (*sink)(std::string_view(buf).substr(start, nl - start));
      start = nl + 1;
    }
    buf.erase(0, start);
  }
  void finish() {
    if (!buf.empty() && *sink) (*sink)(buf);
    buf.clear();
  }
};

}  // namespace

LocalResult run_local(const std::vector<std::string>& argv,
                      const std::function<void(std::string_view)>& on_stdout,
                      const std::function<void(std::string_view)>& on_stderr,
                      const engine::Cancel& cancel) {
  LocalResult r;
  if (argv.empty()) {
    r.error = "empty command";
    return r;
  }
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);

  int out[2], err[2], status_pipe[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    r.error = std::string("pipe: ") + std::strerror(errno);
    return r;
  }
  if (pipe2(err, O_CLOEXEC) != 0) {
    r.error = std::string("pipe: ") + std::strerror(errno);
    ::close(out[0]);
    ::close(out[1]);
    return r;
  }
  if (pipe2(status_pipe, O_CLOEXEC) != 0) {
    r.error = std::string("pipe: ") + std::strerror(errno);
    for (int fd : {out[0], out[1], err[0], err[1]}) ::close(fd);
    return r;
  }
  pid_t pid = fork();
  if (pid < 0) {
    r.error = std::string("fork: ") + std::strerror(errno);
    for (int fd : {out[0], out[1], err[0], err[1], status_pipe[0], status_pipe[1]}) ::close(fd);
    return r;
  }
  if (pid == 0) {
    // Only async-signal-safe calls from here: the parent may have threads.
    setpgid(0, 0);
    // kiln ignores SIGPIPE (cloud_main.cc) and an ignored signal survives
    // exec: the user's command gets the default back, as under Packer.
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGPIPE, &dfl, nullptr);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    execvp(cargv[0], cargv.data());
    int e = errno;
    ssize_t ignored = write(status_pipe[1], &e, sizeof e);
    (void)ignored;
    _exit(127);
  }
  setpgid(pid, pid);  // also in the parent, so a kill cannot race the child's call
  ::close(out[1]);
  ::close(err[1]);
  ::close(status_pipe[1]);
  int exec_errno = 0;
  if (read(status_pipe[0], &exec_errno, sizeof exec_errno) != sizeof exec_errno) exec_errno = 0;
  ::close(status_pipe[0]);

  Lines lo{{}, &on_stdout}, le{{}, &on_stderr};
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open_fds = 2;
  bool cancelled = false;
  auto term_at = std::chrono::steady_clock::time_point::max();
  char buf[8192];
  while (open_fds > 0) {
    if (!cancelled && cancel.cancelled()) {
      cancelled = true;
      kill(-pid, SIGTERM);
      term_at = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    }
    if (cancelled && std::chrono::steady_clock::now() >= term_at) {
      kill(-pid, SIGKILL);
      term_at = std::chrono::steady_clock::time_point::max();
    }
    int n = poll(fds, 2, 200);
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        (i == 0 ? lo : le).feed(buf, static_cast<size_t>(got));
      } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) ::close(f.fd);
  lo.finish();
  le.finish();
  int status = 0;
  // Output closed; the process may still run (it closed its streams or a
  // grandchild holds them no more). Wait, still honouring cancellation.
  for (;;) {
    pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) break;
    if (!cancelled && cancel.cancelled()) {
      cancelled = true;
      kill(-pid, SIGTERM);
      term_at = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    }
    if (cancelled && std::chrono::steady_clock::now() >= term_at) {
      kill(-pid, SIGKILL);
      term_at = std::chrono::steady_clock::time_point::max();
    }
    cancel.sleep_for(std::chrono::milliseconds(50));
    if (cancelled) usleep(50000);
  }
  if (exec_errno != 0) {
    r.error = "exec: \"" + argv[0] + "\": " + std::strerror(exec_errno);
    return r;
  }
  if (cancelled) {
    kill(-pid, SIGKILL);  // anything of the group left behind
    r.error = "cancelled";
    return r;
  }
  if (WIFEXITED(status)) r.exit_status = WEXITSTATUS(status);
  return r;
}

}  // namespace kiln::prov
