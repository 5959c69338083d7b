#include "local/image_run.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

extern char** environ;

namespace kiln::local::image {

RunResult run(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  RunResult result;
  if (argv.empty()) return result;
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    result.output = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  env_strings.insert(env_strings.end(), env.begin(), env.end());
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  // kiln local ignores SIGPIPE and blocks SIGINT/SIGTERM (cli/local.cc
  // waits for them), and both survive exec: the tools (debootstrap's
  // pipelines, apt) get the defaults and an empty mask back.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t pipe_sig, none;
  sigemptyset(&pipe_sig);
  sigaddset(&pipe_sig, SIGPIPE);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &pipe_sig);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &actions, &attr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(pipe_fds[1]);
  if (rc != 0) {
    close(pipe_fds[0]);
    result.output = argv[0] + ": " + std::strerror(rc);
    return result;
  }
  char buf[65536];
  for (;;) {
    ssize_t n = read(pipe_fds[0], buf, sizeof buf);
    if (n > 0) {
      result.output.append(buf, static_cast<size_t>(n));
      // Keep memory bounded for chatty tools (debootstrap, apt): only the
      // end matters for error messages.
      if (result.output.size() > (4u << 20))
        result.output.erase(0, result.output.size() - (1u << 20));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    break;
  }
  close(pipe_fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    result.status = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.status = 128 + WTERMSIG(status);
  }
  return result;
}

std::string tail_lines(const std::string& text, int lines) {
  size_t end = text.size();
  while (end > 0 && text[end - 1] == '\n') --end;
  size_t start = end;
  int seen = 0;
  while (start > 0) {
    size_t nl = text.rfind('\n', start - 1);
    if (nl == std::string::npos) {
      start = 0;
      break;
    }
    start = nl;
    if (++seen == lines) {
      ++start;
      break;
    }
  }
  if (start < end && text[start] == '\n') ++start;
  return text.substr(start, end - start);
}

bool run_ok(const std::vector<std::string>& argv, std::string* error,
            const std::vector<std::string>& env) {
  RunResult r = run(argv, env);
  if (r.status == 0) return true;
  if (error != nullptr) {
    std::string cmd;
    for (const auto& a : argv) cmd += (cmd.empty() ? "" : " ") + a;
    *error = cmd + (r.status < 0 ? " could not start"
                                 : " failed with status " + std::to_string(r.status));
    std::string tail = tail_lines(r.output, 8);
    if (!tail.empty()) *error += ":\n" + tail;
  }
  return false;
}

}  // namespace kiln::local::image
