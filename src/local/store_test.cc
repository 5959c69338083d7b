#include "local/store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace kiln::local {
namespace {

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/kiln-local-store.XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

TEST(Store, PutGetListEraseCounters) {
  TempDir d;
  std::string err;
  auto st = Store::open(d.path, &err);
  ASSERT_TRUE(st) << err;
  EXPECT_TRUE(st->put("server", 2, {{"name", "b"}}));
  EXPECT_TRUE(st->put("server", 1, {{"name", "a"}}, 5.0));
  EXPECT_EQ((*st->get("server", 1))["name"], "a");
  auto all = st->list("server");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]["name"], "a");
  EXPECT_EQ(st->due_before("server", 4.0).size(), 0u);
  EXPECT_EQ(st->due_before("server", 5.0), std::vector<int64_t>{1});
  EXPECT_TRUE(st->erase("server", 2));
  EXPECT_FALSE(st->get("server", 2));
  EXPECT_EQ(st->next_id("server", 100), 101);
  EXPECT_EQ(st->next_id("server", 100), 102);
}

TEST(Store, RefusesAnUnusableDirectory) {
  std::string err;
  EXPECT_FALSE(Store::open("/proc/kiln-no-such/dir", &err));
  EXPECT_NE(err.find("/proc/kiln-no-such/dir"), std::string::npos);
}

// A committed write survives the process being killed with SIGKILL right
// after the commit (no close, no checkpoint).
TEST(Store, CommittedWriteSurvivesSigkill) {
  TempDir d;
  int pipefd[2];
  ASSERT_EQ(pipe(pipefd), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(pipefd[0]);
    std::string err;
    auto st = Store::open(d.path, &err);
    if (!st) _exit(2);
    st->begin();
    st->put("ssh_key", 7, {{"name", "k"}});
    int64_t id = st->next_id("ssh_key", 10);
    if (!st->commit()) _exit(3);
    // Tell the parent the write is acknowledged, then die without cleanup.
    char c = static_cast<char>(id);
    if (write(pipefd[1], &c, 1) != 1) _exit(4);
    st->begin();
    st->put("ssh_key", 8, {{"name", "uncommitted"}});
    raise(SIGKILL);
    _exit(5);
  }
  close(pipefd[1]);
  char c = 0;
  ASSERT_EQ(read(pipefd[0], &c, 1), 1);
  close(pipefd[0]);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  EXPECT_EQ(c, 11);

  std::string err;
  auto st = Store::open(d.path, &err);
  ASSERT_TRUE(st) << err;
  auto k = st->get("ssh_key", 7);
  ASSERT_TRUE(k);
  EXPECT_EQ((*k)["name"], "k");
  EXPECT_FALSE(st->get("ssh_key", 8));
  EXPECT_EQ(st->next_id("ssh_key", 10), 12);
}

}  // namespace
}  // namespace kiln::local
