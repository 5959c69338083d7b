// Starting kiln from a test process that has threads (its in-process kiln
// local, forwarders): posix_spawn, with argv and environment made before.
// A forked child of a threaded process may not allocate: a lock another
// thread held at fork() stays held in the child, which then hangs (ASan's
// allocator does not guard against it as glibc's malloc does).
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

extern char** environ;

namespace kiln::builders::testing {

struct SpawnSpec {
  std::vector<std::string> argv;       // argv[0] is the program's path
  std::vector<std::string> set_env;    // "NAME=value", replacing the test's own
  std::vector<std::string> unset_env;  // names dropped from the test's environment
  std::string output;                  // stdout and stderr go to this file (truncated)
  int stdout_fd = -1;                  // when >= 0, stdout goes here instead
  bool own_group = false;              // a process group of its own
  // A pseudo-terminal's slave: a new session whose controlling terminal it
  // is (a terminal's foreground job); stdout and stderr go to it.
  std::string terminal;
};

// The child's pid, or -1. Standard input is /dev/null. SIGPIPE has its
// default (the test's kiln local ignores it; an ignored signal survives
// exec) and no signal is blocked, as when started from a shell.
inline pid_t spawn_process(const SpawnSpec& s) {
  auto named = [](const std::string& entry, const std::string& name) {
    return entry.size() > name.size() && entry.compare(0, name.size(), name) == 0 &&
           entry[name.size()] == '=';
  };
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry = *e;
    bool drop = false;
    for (const auto& n : s.unset_env) drop = drop || named(entry, n);
    for (const auto& kv : s.set_env) drop = drop || named(entry, kv.substr(0, kv.find('=')));
    if (!drop) env.push_back(std::move(entry));
  }
  env.insert(env.end(), s.set_env.begin(), s.set_env.end());
  std::vector<char*> envp, argv;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = s.argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  if (!s.terminal.empty()) {
    // After the setsid, the session's first terminal opened becomes its own.
    posix_spawn_file_actions_addopen(&fa, 2, s.terminal.c_str(), O_RDWR, 0);
    posix_spawn_file_actions_adddup2(&fa, 2, 1);
  } else {
    posix_spawn_file_actions_addopen(&fa, 2, s.output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&fa, s.stdout_fd >= 0 ? s.stdout_fd : 2, 1);
  }
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, pipe_sig;
  sigemptyset(&none);
  sigemptyset(&pipe_sig);
  sigaddset(&pipe_sig, SIGPIPE);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &pipe_sig);
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  if (!s.terminal.empty()) {
    flags |= POSIX_SPAWN_SETSID;  // its own process group too
  } else if (s.own_group) {
    flags |= POSIX_SPAWN_SETPGROUP;
    posix_spawnattr_setpgroup(&attr, 0);
  }
  posix_spawnattr_setflags(&attr, flags);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0], &fa, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  return rc == 0 ? pid : -1;
}

}  // namespace kiln::builders::testing
