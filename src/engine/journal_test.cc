#include "engine/journal.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/test_util.h"

namespace kiln::engine {
namespace {

std::string slurp(const std::string& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Journal, RecordsBeforeAndAfterCreationAndForgetsFinishedRuns) {
  testing::TempDir dir;
  std::string err;
  auto j = Journal::open(dir.path, "run-1", &err);
  ASSERT_TRUE(j) << err;
  j->creating("server", "packer-x", "http://api", "hcloud.a", {{"kiln.run", "run-1"}});
  JournalRun mid = read_journal_file(j->path());
  ASSERT_EQ(mid.resources.size(), 1u);
  EXPECT_EQ(mid.resources[0].id, 0);  // in flight: known by name only
  EXPECT_TRUE(mid.alive());
  j->created("server", "packer-x", 42, "http://api", "hcloud.a");
  j->creating("ssh_key", "packer-x-key", "http://api", "hcloud.a", {});
  j->created("ssh_key", "packer-x-key", 7, "http://api", "hcloud.a");
  j->creating("snapshot", "snap", "http://api", "hcloud.a", {});
  j->created("snapshot", "snap", 99, "http://api", "hcloud.a");
  JournalRun run = read_journal_file(j->path());
  EXPECT_EQ(run.run_id, "run-1");
  EXPECT_EQ(run.pid, ::getpid());
  ASSERT_EQ(run.leftovers().size(), 2u);  // the snapshot is a product
  EXPECT_EQ(run.leftovers()[0].id, 42);
  EXPECT_EQ(run.leftovers()[0].labels.at("kiln.run"), "run-1");
  j->deleted("server", 42, "http://api");
  j->deleted("ssh_key", 7, "http://api");
  EXPECT_TRUE(read_journal_file(j->path()).leftovers().empty());
  std::string path = j->path();
  j->finish();
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(Journal, AFinishedRunWithLeftoversKeepsItsFile) {
  testing::TempDir dir;
  std::string err;
  auto j = Journal::open(dir.path, "run-2", &err);
  ASSERT_TRUE(j) << err;
  j->created("server", "s", 5, "e", "b");
  j->finish();
  auto runs = read_journal(dir.path);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_TRUE(runs[0].ended);
  EXPECT_EQ(runs[0].leftovers().size(), 1u);
}

TEST(Journal, ARunOfADeadProcessIsNotAlive) {
  testing::TempDir dir;
  pid_t child = ::fork();
  if (child == 0) {
    std::string err;
    auto j = Journal::open(dir.path, "dead", &err);
    j->creating("server", "s", "e", "b", {});
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  auto runs = read_journal(dir.path);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].pid, child);
  EXPECT_FALSE(runs[0].alive());
  EXPECT_FALSE(runs[0].ended);
}

TEST(Journal, ATornLastLineIsSkipped) {
  testing::TempDir dir;
  std::string err;
  auto j = Journal::open(dir.path, "torn", &err);
  ASSERT_TRUE(j) << err;
  j->created("server", "s", 5, "e", "b");
  {
    std::ofstream f(j->path(), std::ios::app);
    f << "{\"event\":\"deleted\",\"kind\":\"ser";
  }
  auto run = read_journal_file(j->path());
  EXPECT_EQ(run.leftovers().size(), 1u);
  EXPECT_EQ(slurp(j->path()).find("token"), std::string::npos);
}

}  // namespace
}  // namespace kiln::engine

namespace kiln::engine {
namespace {

TEST(Journal, ARefusedCreateIsNoLeftover) {
  testing::TempDir dir;
  std::string err;
  auto j = Journal::open(dir.path, "refused", &err);
  ASSERT_TRUE(j) << err;
  j->creating("server", "s", "e", "b", {});
  EXPECT_EQ(read_journal_file(j->path()).leftovers().size(), 1u);
  j->not_created("server", "s", "e");
  EXPECT_TRUE(read_journal_file(j->path()).leftovers().empty());
}

}  // namespace
}  // namespace kiln::engine
