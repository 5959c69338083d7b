// Faults injected at every API call of a build and at every step, then a
// count of what was left. The cases are derived, not listed: a clean build
// (`kiln build` as a process, rescue mode, SSH to a real sshd, a shell
// provisioner) records its requests in kiln local's request log; for each
// request k the matrix fails only that occurrence (a rule whose "after"
// skips the earlier matches of its pattern, "count": 1) with a server
// error, an invalid_input error, a dropped connection, and, for requests
// that start actions, a failed action; and invalid_input again with
// -on-error=abort. The steps add a failing provisioner, SSH that never
// answers, and -on-error=abort.
//
// The expectation is an invariant, not a table: the build succeeds (with
// its snapshot) or exits 1 with an error line naming the fault; afterwards
// no server and no SSH key is left, except where the fault hit a delete or
// the build was told to abort, and there everything left is in the journal
// and `kiln cleanup -yes` (the real command) removes it. No process is
// left either. Prints its counts.
//
// `make test` runs a sample chosen by KILN_FAULT_SEED (default 1);
// KILN_FAULT_MATRIX=full (`make test-full`) runs every case.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "builders/hcloud/matrix_test_util.h"
#include "local/fault.h"

namespace kiln::builders {
namespace {

using testing::contains;
using testing::MatrixCloud;
using testing::slurp;

// Cases run in `make test`: each is a `kiln build` of about 5 s (the
// client's action waiter and SSH wait; kiln local runs at time scale 0).
constexpr size_t kSampleSize = 8;

struct Case {
  std::string name;  // what is failed, for the report
  std::string rule;  // a kiln local fault rule (JSON); "" for a step case
  std::string tag;   // the message of the injected error, to be named by the build
  bool drop = false;
  std::string command = "echo provisioned";  // the provisioner's
  int ssh_port = 0;                          // 0: the test sshd
  std::string ssh_timeout = "30s";
  bool abort = false;         // -on-error=abort: leaves resources, journaled
  bool hits_delete = false;   // the fault is on a delete: what it keeps is journaled
  bool must_fail = false;     // a step case that cannot succeed
  std::string failure_words;  // for step cases: what the error line says
};

// "/v1/servers/42/actions/reset" -> "/v1/servers/*/actions/reset".
std::string glob_of(const std::string& path) {
  std::string t = local::path_template(path);
  std::string out;
  for (size_t i = 0; i < t.size();) {
    if (t.compare(i, 4, "{id}") == 0) {
      out += '*';
      i += 4;
    } else {
      out += t[i++];
    }
  }
  return out;
}

// The cases for every request of the clean build's log.
std::vector<Case> derive_cases(const std::vector<local::LoggedRequest>& log) {
  std::vector<Case> cases;
  for (size_t k = 0; k < log.size(); ++k) {
    const auto& req = log[k];
    std::string glob = glob_of(req.path);
    int64_t after = 0;
    for (size_t j = 0; j < k; ++j)
      after += log[j].method == req.method && local::glob_match(glob, log[j].path);
    std::string where =
        req.method + " " + local::path_template(req.path) + " #" + std::to_string(after + 1);
    std::string match = "\"match\":\"" + req.method + " " + glob +
                        "\",\"after\":" + std::to_string(after) + ",\"count\":1";
    bool is_delete = req.method == "DELETE";
    bool starts_action =
        (req.method == "POST" || req.method == "DELETE") && req.path.rfind("/v1/servers", 0) == 0;
    auto add = [&](const std::string& kind, const std::string& outcome, bool drop,
                   bool abort = false) {
      Case c;
      c.abort = abort;
      c.tag = "injected-fault-" + std::to_string(cases.size() + 1);
      c.name = where + ": " + kind;
      c.rule = "{" + match + "," + outcome + "}";
      if (!drop) {
        size_t at = c.rule.find("TAG");
        if (at != std::string::npos) c.rule.replace(at, 3, c.tag);
      }
      c.drop = drop;
      c.hits_delete = is_delete;
      cases.push_back(c);
    };
    add("server_error", R"("error":{"status":500,"code":"server_error","message":"TAG"})", false);
    add("invalid_input", R"("error":{"code":"invalid_input","message":"TAG"})", false);
    add("dropped connection", R"("drop":true)", true);
    // The error builds do not retry, with the build told to keep what it
    // made: left on purpose, but journaled.
    add("invalid_input, -on-error=abort", R"("error":{"code":"invalid_input","message":"TAG"})",
        false, true);
    if (starts_action)
      add("failed action", R"("fail_action":{"code":"action_failed","message":"TAG"})", false);
  }
  return cases;
}

std::vector<Case> step_cases() {
  std::vector<Case> cases;
  Case prov;
  prov.name = "step provision: shell exits 1";
  prov.command = "exit 1";
  prov.must_fail = true;
  prov.failure_words = "non-zero exit status";
  cases.push_back(prov);
  Case ssh;
  ssh.name = "step connect: SSH never answers";
  ssh.ssh_port = 1;
  ssh.ssh_timeout = "2s";
  ssh.must_fail = true;
  ssh.failure_words = "Timeout waiting for SSH";
  cases.push_back(ssh);
  Case abort = prov;
  abort.name = "step provision: shell exits 1, -on-error=abort";
  abort.abort = true;
  cases.push_back(abort);
  return cases;
}

class FaultMatrix : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string err = cloud_.start(0);
    ASSERT_EQ(err, "");
  }
  MatrixCloud cloud_;
};

TEST_F(FaultMatrix, EveryRequestAndStepFailedInTurnLeavesNothing) {
  // The clean build whose requests the cases are made of.
  std::string clean = cloud_.write_template("clean", "echo provisioned");
  cloud_.api().counters().reset();
  auto t0 = std::chrono::steady_clock::now();
  int code = MatrixCloud::wait_exit(cloud_.spawn({"build", "-color=false", clean}, "clean"));
  double clean_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  auto log = cloud_.api().counters().log();  // before the test's own requests
  std::string out = slurp(cloud_.out_path("clean"));
  ASSERT_EQ(code, 0) << out;
  ASSERT_TRUE(contains(out, "Connected to SSH!")) << out;
  ASSERT_EQ(cloud_.take_snapshots(), 1);
  ASSERT_EQ(cloud_.servers(), 0);
  ASSERT_EQ(cloud_.keys(), 0);
  ASSERT_GT(log.size(), 5u);
  std::printf("fault matrix: the clean build took %.2f s and sent %zu requests:\n", clean_s,
              log.size());
  for (auto& r : log) std::printf("  %s %s\n", r.method.c_str(), r.path.c_str());

  std::vector<Case> all = derive_cases(log);
  size_t api_cases = all.size();
  for (auto& c : step_cases()) all.push_back(c);

  std::vector<size_t> chosen(all.size());
  for (size_t i = 0; i < chosen.size(); ++i) chosen[i] = i;
  unsigned seed = testing::matrix_seed();
  bool full = testing::full_matrix();
  if (!full) {
    // A sample of the API cases and one step case.
    std::mt19937 rng(seed);
    std::vector<size_t> api(chosen.begin(), chosen.begin() + api_cases);
    std::shuffle(api.begin(), api.end(), rng);
    api.resize(std::min(api.size(), kSampleSize - 1));
    api.push_back(api_cases + rng() % (all.size() - api_cases));
    chosen = api;
    std::sort(chosen.begin(), chosen.end());
  }
  std::printf("fault matrix: %zu cases (%zu API, %zu step), running %s (KILN_FAULT_SEED=%u):",
              all.size(), api_cases, all.size() - api_cases, full ? "all" : "a sample", seed);
  for (size_t i : chosen) std::printf(" %zu", i + 1);
  std::printf("\n");
  std::fflush(stdout);

  int ok = 0, failed = 0, left_before = 0, left_after = 0, snapshots_of_failed = 0;
  int journals_kept = 0;  // runs whose journal stayed for `kiln cleanup`
  auto started = std::chrono::steady_clock::now();
  for (size_t i : chosen) {
    const Case& c = all[i];
    std::string label = "case " + std::to_string(i + 1) + " (" + c.name + ")";
    SCOPED_TRACE(label + (c.rule.empty() ? "" : " rule " + c.rule));
    std::string err;
    if (!c.rule.empty()) {
      ASSERT_TRUE(cloud_.api().faults().load(nlohmann::json::parse(c.rule), &err)) << err;
    }
    std::string tmpl =
        cloud_.write_template("case" + std::to_string(i + 1), c.command, c.ssh_port, c.ssh_timeout);
    std::vector<std::string> args = {"build", "-color=false"};
    if (c.abort) args.push_back("-on-error=abort");
    args.push_back(tmpl);
    std::string name = "case" + std::to_string(i + 1);
    pid_t pid = cloud_.spawn(args, name);
    int code = MatrixCloud::wait_exit(pid);
    nlohmann::json rules = cloud_.api().faults().to_json()["rules"];
    cloud_.api().faults().clear();
    std::string out = slurp(cloud_.out_path(name));

    // The fault hit the request it was made for (the build's requests up to
    // it are the clean build's).
    if (!c.rule.empty()) {
      EXPECT_EQ(rules[0]["fired"], 1) << out;
    }
    // Succeeded with its snapshot, or failed naming the failure.
    EXPECT_TRUE(code == 0 || code == 1) << "exit " << code << "\n" << out;
    int snaps = cloud_.take_snapshots();
    if (code == 0) {
      ok++;
      EXPECT_FALSE(c.must_fail) << out;
      EXPECT_EQ(snaps, 1) << out;
      EXPECT_TRUE(contains(out, "A snapshot was created: 'matrix'")) << out;
    } else {
      failed++;
      snapshots_of_failed += snaps;
      std::string words = !c.failure_words.empty() ? c.failure_words : c.drop ? "EOF" : c.tag;
      EXPECT_TRUE(contains(out, words)) << "no error line with '" << words << "'\n" << out;
      EXPECT_TRUE(contains(out, "Build 'hcloud.m' errored")) << out;
    }
    EXPECT_FALSE(contains(out, MatrixCloud::kToken));
    EXPECT_FALSE(contains(out, "PRIVATE KEY"));

    // What is left: only where a delete failed or the build aborted, and
    // then all of it in the journal; `kiln cleanup -yes` takes it away.
    int left = cloud_.servers() + cloud_.keys();
    left_before += left;
    if (left > 0) {
      EXPECT_TRUE(c.abort || c.hits_delete) << "left " << left << "\n" << out;
      EXPECT_EQ(cloud_.unjournaled(), "") << out;
    }
    if (c.abort && c.must_fail) {
      EXPECT_EQ(cloud_.servers(), 1) << "abort keeps the server\n" << out;
    }
    int journals = cloud_.journal_files();
    journals_kept += journals;
    if (left > 0 || journals > 0) {
      int cc = cloud_.cleanup(name + "-cleanup");
      EXPECT_EQ(cc, 0) << slurp(cloud_.out_path(name + "-cleanup"));
    }
    int after = cloud_.servers() + cloud_.keys();
    left_after += after;
    EXPECT_EQ(after, 0) << slurp(cloud_.out_path(name + "-cleanup"));
    EXPECT_EQ(cloud_.journal_files(), 0);
    EXPECT_EQ(cloud_.processes_left(pid), "");
    // The next case starts from nothing, whatever this one left.
    if (after > 0) cloud_.remove_all();
    std::printf("  case %zu %-60s exit %d, left %d, journal %d, after cleanup %d\n", i + 1,
                c.name.c_str(), code, left, journals, after);
    std::fflush(stdout);
  }
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf(
      "fault matrix: %zu cases run of %zu, %d builds ok, %d builds failed (%d of them left a "
      "snapshot), left %d servers+keys before cleanup (%d journals kept), %d after; %.1f s\n",
      chosen.size(), all.size(), ok, failed, snapshots_of_failed, left_before, journals_kept,
      left_after, took);
  EXPECT_EQ(left_after, 0);
}

// The matrix's find, kept as a fixed case: a delete whose action fails
// leaves the server, and the journal must still list it (the build used to
// record it deleted once the DELETE was accepted).
TEST_F(FaultMatrix, AFailedServerDeleteStaysJournaledUntilCleanup) {
  std::string err;
  ASSERT_TRUE(cloud_.api().faults().load(
      nlohmann::json::parse(
          R"({"match":"DELETE /v1/servers/*","fail_action":{"code":"action_failed","message":"no"}})"),
      &err))
      << err;
  std::string tmpl = cloud_.write_template("t", "echo provisioned");
  int code = MatrixCloud::wait_exit(cloud_.spawn({"build", "-color=false", tmpl}, "build"));
  cloud_.api().faults().clear();
  std::string out = slurp(cloud_.out_path("build"));
  // As Packer: a failed cleanup is reported, the build's result stands.
  EXPECT_EQ(code, 0) << out;
  EXPECT_TRUE(contains(out, "Error destroying server")) << out;
  EXPECT_TRUE(contains(out, "run `kiln cleanup`")) << out;
  EXPECT_EQ(cloud_.servers(), 1);
  EXPECT_EQ(cloud_.keys(), 0);
  EXPECT_EQ(cloud_.unjournaled(), "");
  EXPECT_EQ(cloud_.journal_files(), 1);
  EXPECT_EQ(cloud_.cleanup("cleanup"), 0) << slurp(cloud_.out_path("cleanup"));
  EXPECT_EQ(cloud_.servers(), 0) << slurp(cloud_.out_path("cleanup"));
  EXPECT_EQ(cloud_.journal_files(), 0);
}

// A build killed while deleting leaves a journal listing a server the cloud
// no longer has (and, killed while creating, a key it never made): `kiln
// cleanup` records them gone, so the journal is done with, rather than
// kept (and looked up again) forever.
TEST_F(FaultMatrix, CleanupRecordsWhatIsAlreadyGone) {
  std::string runs = cloud_.dir() + "/kiln-state/runs";
  std::filesystem::create_directories(runs);
  std::string ep = cloud_.endpoint();
  std::ofstream(runs + "/dead-run.jsonl")
      << R"({"event":"run","run":"dead-run","pid":0,"start_time":0})"
      << "\n"
      << R"({"event":"creating","kind":"server","name":"packer-gone","endpoint":")" << ep
      << R"(","build":"hcloud.m","labels":{}})"
      << "\n"
      << R"({"event":"created","kind":"server","name":"packer-gone","id":424242,"endpoint":")" << ep
      << R"(","build":"hcloud.m"})"
      << "\n"
      << R"({"event":"creating","kind":"ssh_key","name":"packer-never","endpoint":")" << ep
      << R"(","build":"hcloud.m","labels":{}})"
      << "\n";
  ASSERT_EQ(cloud_.journal_files(), 1);
  EXPECT_EQ(cloud_.cleanup("cleanup"), 0) << slurp(cloud_.out_path("cleanup"));
  EXPECT_TRUE(contains(slurp(cloud_.out_path("cleanup")), "Nothing to clean up."))
      << slurp(cloud_.out_path("cleanup"));
  EXPECT_EQ(cloud_.journal_files(), 0);
}

}  // namespace
}  // namespace kiln::builders
