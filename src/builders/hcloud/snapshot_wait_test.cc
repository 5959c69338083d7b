// stepCreateSnapshot when waiting for the create_image action fails: a
// snapshot that exists is found and reported, not lost; one that was not
// made is a clear error; one that cannot even be looked up is named. In
// every case the server and the key are gone afterwards. kiln local's
// faults make the API fail; a -debug pause after stepShutdownServer is
// where the test installs them, so that only the snapshot's requests meet
// them.
#include <condition_variable>
#include <mutex>

#include "builders/hcloud/debug_process_test_util.h"

namespace kiln::builders {
namespace {

using testing::count_of;
using testing::slurp;

class SnapshotWait : public testing::DebugProcess {
 protected:
  void SetUp() override {
    DebugProcess::SetUp();
    write_template("  communicator = \"none\"\n  snapshot_name = \"wait-snap\"\n");
  }

  // Runs a -debug build to the pause after stepShutdownServer, adds the
  // rules, then presses enter at every pause to the end; the exit code.
  int build_with_faults_at_snapshot(const nlohmann::json& rules) {
    start({"-debug", "-color=false"});
    std::string line = pause_line("after run of", "stepShutdownServer");
    EXPECT_TRUE(run_to(line)) << output();
    std::string err;
    EXPECT_TRUE(api_->faults().add(rules, &err)) << err;
    for (size_t n = count_of(output(), "Pausing ") + 1;; ++n) {
      press_enter();
      if (!wait_for("Pausing ", n)) break;  // the build ended
    }
    return wait_exit();
  }

  // Every rule fired as often as it may (the test took the path it names).
  void expect_all_fired() {
    // Kept in a local: a range over a member of the temporary would outlive it.
    const nlohmann::json state = api_->faults().to_json();
    for (auto& r : state["rules"]) EXPECT_EQ(r["fired"], r["count"]) << r.dump();
  }

  void expect_nothing_left(const std::string& out) {
    EXPECT_EQ(servers(), 0u) << out;
    EXPECT_EQ(keys(), 0u) << out;
    EXPECT_EQ(journal_text(), "");
    EXPECT_EQ(out.find(kToken), std::string::npos);
    EXPECT_EQ(slurp(log_).find(kToken), std::string::npos);
  }
};

// The action poll fails (403 is not retried); the snapshot was made: the
// build says so and delivers it as its artifact.
TEST_F(SnapshotWait, AvailableSnapshotIsReportedAsTheArtifact) {
  int code = build_with_faults_at_snapshot(
      {{"match", "GET /v1/actions*"},
       {"error", {{"status", 403}, {"code", "forbidden"}, {"message", "no polling today"}}},
       {"count", 1}});
  std::string out = output();
  EXPECT_EQ(code, 0) << out;
  expect_all_fired();
  auto snaps = snapshots();
  ASSERT_EQ(snaps.size(), 1u) << out;
  std::string id = std::to_string(snaps[0].id);
  EXPECT_NE(out.find("Waiting for the snapshot failed (Error creating snapshot: "),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("no polling today"), std::string::npos) << out;
  EXPECT_NE(out.find("but snapshot " + id + " exists and is available: using it."),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("--> hcloud.dbg: A snapshot was created: 'wait-snap' (ID: " + id + ")"),
            std::string::npos)
      << out;
  expect_nothing_left(out);
}

// The action fails and kiln local removes the image, as the real API does:
// a clear error, no snapshot, nothing left.
TEST_F(SnapshotWait, FailedActionWithoutSnapshotIsAClearError) {
  std::string err;
  ASSERT_TRUE(api_->faults().add(
      {{"match", "POST /v1/servers/*/actions/create_image"},
       {"fail_action", {{"code", "image_failed"}, {"message", "disk read error"}}}},
      &err))
      << err;
  start({"-color=false"}, /*with_tty=*/false);
  int code = wait_exit();
  std::string out = output();
  EXPECT_EQ(code, 1) << out;
  EXPECT_EQ(snapshots().size(), 0u) << out;
  EXPECT_NE(out.find("Error creating snapshot: "), std::string::npos) << out;
  EXPECT_NE(out.find("disk read error"), std::string::npos) << out;
  EXPECT_NE(out.find("('wait-snap') was not made"), std::string::npos) << out;
  EXPECT_EQ(out.find("A snapshot was created"), std::string::npos) << out;
  expect_nothing_left(out);
}

// The poll and the look-up both fail: the build fails, naming the snapshot
// that does exist, so that the user can find it.
TEST_F(SnapshotWait, SnapshotThatCannotBeLookedUpIsNamed) {
  nlohmann::json forbidden = {{"status", 403}, {"code", "forbidden"}, {"message", "not now"}};
  int code = build_with_faults_at_snapshot(
      nlohmann::json::array({{{"match", "GET /v1/actions*"}, {"error", forbidden}, {"count", 1}},
                             {{"match", "GET /v1/images/*"}, {"error", forbidden}, {"count", 1}}}));
  std::string out = output();
  EXPECT_EQ(code, 1) << out;
  expect_all_fired();
  auto snaps = snapshots();
  ASSERT_EQ(snaps.size(), 1u) << out;
  std::string id = std::to_string(snaps[0].id);
  EXPECT_NE(out.find("snapshot " + id + " ('wait-snap') may exist, but looking it up failed too"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("A snapshot was created"), std::string::npos) << out;
  expect_nothing_left(out);
}

// A backend whose work is done at once (on its own thread, as the Api
// asks), except create_image's, which stays running: a snapshot that is
// still being made when the wait fails.
class HoldImages : public local::ServerBackend {
 public:
  HoldImages() : thread_([this] { loop(); }) {}
  ~HoldImages() override {
    {
      std::lock_guard<std::mutex> l(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  void submit(const local::ServerWork& w) override {
    if (w.command == "create_image") return;  // never done
    std::lock_guard<std::mutex> l(mu_);
    queue_.push_back(w.action_id);
    cv_.notify_all();
  }
  void image_deleted(int64_t) override {}
  local::Api* api = nullptr;

 private:
  void loop() {
    std::unique_lock<std::mutex> l(mu_);
    while (true) {
      cv_.wait(l, [this] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      int64_t id = queue_.front();
      queue_.erase(queue_.begin());
      l.unlock();
      api->work_done(id, "", nullptr);
      l.lock();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<int64_t> queue_;
  bool stop_ = false;
  std::thread thread_;
};

class SnapshotStillCreating : public SnapshotWait {
 protected:
  void SetUp() override {
    backend_ = &held_;
    SnapshotWait::SetUp();
    held_.api = api_;
  }
  HoldImages held_;
};

// The poll fails while the snapshot is still being made: the build fails,
// naming the snapshot and its status, and keeps it (it may still become
// usable); the server and the key are gone.
TEST_F(SnapshotStillCreating, SnapshotBeingMadeIsNamedAndKept) {
  int code = build_with_faults_at_snapshot(
      {{"match", "GET /v1/actions*"},
       {"error", {{"status", 403}, {"code", "forbidden"}, {"message", "not now"}}},
       {"count", 1}});
  std::string out = output();
  EXPECT_EQ(code, 1) << out;
  expect_all_fired();
  auto snaps = snapshots();
  ASSERT_EQ(snaps.size(), 1u) << out;
  EXPECT_EQ(snaps[0].status, "creating");
  std::string id = std::to_string(snaps[0].id);
  EXPECT_NE(out.find("snapshot " + id + " ('wait-snap') exists with status creating and is kept"),
            std::string::npos)
      << out;
  expect_nothing_left(out);
}

}  // namespace
}  // namespace kiln::builders
