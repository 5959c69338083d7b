// SIGINT, SIGTERM and SIGKILL at random points of a real `kiln build`
// (the binary of this build tree) against kiln local's API, with SSH to a
// real sshd and a shell provisioner. The points are seeded random delays
// within the duration of a clean build, measured first. After SIGINT or
// SIGTERM the build exits as Packer's does (1, cancelled; 0 only when it
// had already finished) and leaves nothing; after SIGKILL everything it
// left is in its journal and `kiln cleanup -yes` removes it. Either way no
// process of the build is left (its process group, or any process naming
// the test's directory). Prints the seed, the delays and the counts.
//
// `make test` runs one point per signal chosen by KILN_FAULT_SEED (default
// 1); KILN_FAULT_MATRIX=full runs kPointsFull points per signal, spread
// over the whole build. A second test does the same with kiln local's real
// servers (root): no loop device, mount or sandbox process is left.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>

#include "builders/hcloud/matrix_test_util.h"

namespace kiln::builders {
namespace {

using testing::contains;
using testing::MatrixCloud;
using testing::slurp;

constexpr int kPointsFull = 8;
constexpr int kPointsFullSandboxes = 2;

const char* signal_name(int sig) {
  return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGKILL";
}

struct Point {
  int sig;
  double delay_s;
};

// A clean build of `tmpl` (measured), then `per_signal` points for each
// signal within its duration (stratified: one in each n-th), or with
// `only_one`, one point of a signal chosen by the seed.
struct Matrix {
  double clean_s = 0;
  std::vector<Point> points;
};

Matrix plan(MatrixCloud& cloud, const std::string& tmpl, int per_signal, bool only_one) {
  Matrix m;
  auto t0 = std::chrono::steady_clock::now();
  int code = MatrixCloud::wait_exit(cloud.spawn({"build", "-color=false", tmpl}, "clean"));
  m.clean_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(code, 0) << slurp(cloud.out_path("clean"));
  EXPECT_EQ(cloud.take_snapshots(), 1);
  unsigned seed = testing::matrix_seed();
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<int> sigs = {SIGINT, SIGTERM, SIGKILL};
  if (only_one) sigs = {sigs[rng() % 3]};
  for (int sig : sigs)
    for (int i = 0; i < per_signal; ++i)
      m.points.push_back({sig, m.clean_s * (i + unit(rng)) / per_signal});
  std::printf("signal matrix: clean build %.2f s; %zu points (%s, KILN_FAULT_SEED=%u)\n", m.clean_s,
              m.points.size(), testing::full_matrix() ? "full" : "sample", seed);
  std::fflush(stdout);
  return m;
}

// Signals each point's build and checks what it left; prints the counts.
void run_points(MatrixCloud& cloud, const std::string& tmpl, const std::vector<Point>& points,
                bool sandboxes) {
  int cancelled = 0, finished = 0, killed = 0, left_before = 0, left_after = 0, snapshots = 0;
  auto started = std::chrono::steady_clock::now();
  for (size_t i = 0; i < points.size(); ++i) {
    const Point& p = points[i];
    std::string name = "p" + std::to_string(i + 1);
    char what[96];
    std::snprintf(what, sizeof what, "point %zu: %s after %.3f s", i + 1, signal_name(p.sig),
                  p.delay_s);
    SCOPED_TRACE(what);
    pid_t pid = cloud.spawn({"build", "-color=false", tmpl}, name);
    std::this_thread::sleep_for(std::chrono::duration<double>(p.delay_s));
    // SIGINT as a terminal sends it (to the process group); the others to
    // the process, as kill(1) or a supervisor does.
    if (p.sig == SIGINT)
      ::kill(-pid, SIGINT);
    else
      ::kill(pid, p.sig);
    int code = MatrixCloud::wait_exit(pid);
    std::string out = slurp(cloud.out_path(name));
    int left = cloud.servers() + cloud.keys();
    left_before += left;
    std::string cleanup_out;
    if (code == 0) {
      // The signal came after the build had finished its work (a point near
      // the clean build's end, in a run that went faster): even SIGKILL
      // finds nothing left to do, or the process already gone.
      finished++;
      EXPECT_TRUE(contains(out, "A snapshot was created: 'matrix'")) << out;
      EXPECT_FALSE(contains(out, "Cancelling build")) << "cancelled, yet exit 0\n" << out;
      EXPECT_EQ(left, 0) << out;
    } else if (p.sig == SIGKILL) {
      killed++;
      EXPECT_EQ(code, 128 + SIGKILL) << out;
      // Whatever it left, its journal knows.
      EXPECT_EQ(cloud.unjournaled(), "") << out;
      EXPECT_EQ(cloud.cleanup(name + "-cleanup"), 0) << slurp(cloud.out_path(name + "-cleanup"));
      cleanup_out = slurp(cloud.out_path(name + "-cleanup"));
    } else {
      cancelled++;
      EXPECT_EQ(code, 1) << out;
      EXPECT_TRUE(contains(out, "Cleanly cancelled builds after being interrupted.")) << out;
      EXPECT_EQ(left, 0) << out;
    }
    int after = cloud.servers() + cloud.keys();
    left_after += after;
    EXPECT_EQ(after, 0) << out << cleanup_out;
    EXPECT_EQ(cloud.journal_files(), 0) << out << cleanup_out;
    EXPECT_EQ(cloud.processes_left(pid), "");
    if (sandboxes) {
      // The deleted server's sandbox goes: its processes, its disk's loop
      // device, its mounts.
      EXPECT_EQ(testing::settled([&] { return cloud.sandbox_processes_left(); }), "") << out;
      EXPECT_EQ(testing::settled([&] { return cloud.loops_left(); }), "") << out;
      EXPECT_EQ(testing::settled([&] { return cloud.mounts_left(); }), "") << out;
    }
    EXPECT_FALSE(contains(out, MatrixCloud::kToken));
    int snaps = cloud.take_snapshots();
    snapshots += snaps;
    std::printf("  %-32s exit %3d, left %d, after cleanup %d, snapshot %d\n", what, code, left,
                after, snaps);
    std::fflush(stdout);
  }
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf(
      "signal matrix%s: %zu points, %d cancelled (exit 1), %d finished first (exit 0), %d killed; "
      "left %d servers+keys before cleanup, %d after; %d snapshots made; %.1f s\n",
      sandboxes ? " (sandboxes)" : "", points.size(), cancelled, finished, killed, left_before,
      left_after, snapshots, took);
  EXPECT_EQ(left_after, 0);
}

TEST(SignalMatrix, InterruptedOrKilledBuildsLeaveNothing) {
  MatrixCloud cloud;
  ASSERT_EQ(cloud.start(0), "");
  std::string tmpl = cloud.write_template("build", "echo provisioned; sleep 0.5");
  bool full = testing::full_matrix();
  Matrix m = plan(cloud, tmpl, full ? kPointsFull : 1, false);
  run_points(cloud, tmpl, m.points, false);
}

// The same with kiln local's real servers (sandboxes, loop devices,
// mounts; needs root): nothing of a signalled build's server is left on
// this machine once the server is gone. `make test` runs one point.
TEST(SignalMatrix, SandboxedBuildsLeaveNoLoopDeviceMountOrProcess) {
  if (::geteuid() != 0) {
    if (ssh::testing::under_ci()) FAIL() << "kiln local's sandboxes need root";
    GTEST_SKIP() << "kiln local's sandboxes need root";
  }
  MatrixCloud cloud;
  ASSERT_EQ(cloud.start_sandboxes(), "");
  std::string tmpl = cloud.write_template("build", "echo disk: $(ls /dev/sda); sleep 0.5");
  bool full = testing::full_matrix();
  Matrix m = plan(cloud, tmpl, full ? kPointsFullSandboxes : 1, !full);
  run_points(cloud, tmpl, m.points, true);
  EXPECT_EQ(cloud.stop_sandboxes(), 0);
  EXPECT_EQ(cloud.loops_left(), "");
  EXPECT_EQ(cloud.mounts_left(), "");
  EXPECT_EQ(cloud.sandbox_processes_left(), "");
}

}  // namespace
}  // namespace kiln::builders
