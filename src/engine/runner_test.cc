// The engine end to end: templates with null builds (communicator "none",
// or SSH to a real sshd), fake provisioners and post-processors, and a fake
// builder whose steps record their cleanups.
#include "engine/runner.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <regex>
#include <thread>

#include "builders/null_builder.h"
#include "builders/registry.h"
#include "engine/steps.h"
#include "engine/test_util.h"
#include "ssh/sshd_fixture.h"

namespace kiln::engine {
namespace {

using testing::fake_log;
using testing::run_template;
using testing::RunSetup;

bool has(const std::string& out, const std::string& s) {
  return out.find(s) != std::string::npos;
}

RunSetup with_builders() {
  RunSetup s;
  s.make_builder = builders::make_builder;
  return s;
}

TEST(Runner, NullBuildsPrintPackersLines) {
  auto r = run_template(R"(
source "null" "a" { communicator = "none" }
build {
  sources = ["source.null.a"]
  provisioner "shell-local" { inline = ["hello from ${source.name}"] }
}
)",
                        with_builders());
  ASSERT_EQ(r.load_errors, "");
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(has(r.output, "==> null.a: hello from a\n")) << r.output;
  EXPECT_TRUE(std::regex_search(r.output, std::regex("Build 'null.a' finished after [0-9]+ ")))
      << r.output;
  EXPECT_TRUE(has(r.output, "\n==> Wait completed after ")) << r.output;
  EXPECT_TRUE(has(r.output,
                  "\n==> Builds finished. The artifacts of successful builds are:\n"
                  "--> null.a: Did not export anything. This is the null builder\n"))
      << r.output;
}

TEST(Runner, OnlyAndExceptGlobsPickBuilds) {
  const char* t = R"(
source "null" "a" { communicator = "none" }
source "null" "b" { communicator = "none" }
source "null" "c" { communicator = "none" }
build {
  sources = ["source.null.a", "source.null.b", "source.null.c"]
  provisioner "shell-local" { inline = ["ran ${source.name}"] }
}
)";
  RunSetup s = with_builders();
  s.only = {"*.a", "null.c"};
  s.parallel = 2;
  auto r = run_template(t, s);
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(has(r.output, "==> null.a: ran a")) << r.output;
  EXPECT_FALSE(has(r.output, "ran b")) << r.output;
  EXPECT_TRUE(has(r.output, "==> null.c: ran c")) << r.output;
  s.only.clear();
  s.except = {"null.[ab]"};
  r = run_template(t, s);
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_FALSE(has(r.output, "ran a")) << r.output;
  EXPECT_FALSE(has(r.output, "ran b")) << r.output;
  EXPECT_TRUE(has(r.output, "ran c")) << r.output;
}

TEST(Runner, RetriesThenRunsTheErrorCleanupProvisioner) {
  auto r = run_template(R"(
source "null" "retry" { communicator = "none" }
build {
  sources = ["source.null.retry"]
  provisioner "shell-local" {
    inline = ["fail"]
    max_retries = 2
  }
  provisioner "shell-local" { inline = ["never reached"] }
  error-cleanup-provisioner "shell-local" { inline = ["cleaning up after failure"] }
}
)",
                        with_builders());
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_TRUE(
      has(r.output, "Provisioner failed with \"fake failure\", retrying with 2 trie(s) left"))
      << r.output;
  EXPECT_TRUE(has(r.output, "retrying with 1 trie(s) left")) << r.output;
  EXPECT_TRUE(has(r.output, "retry limit reached.")) << r.output;
  EXPECT_TRUE(
      has(r.output, "Provisioning step had errors: Running the cleanup provisioner, if present..."))
      << r.output;
  EXPECT_TRUE(has(r.output, "==> null.retry: cleaning up after failure")) << r.output;
  EXPECT_FALSE(has(r.output, "never reached")) << r.output;
  EXPECT_TRUE(std::regex_search(r.output,
                                std::regex("Build 'null.retry' errored after [^:]+: fake failure")))
      << r.output;
  EXPECT_TRUE(has(r.output,
                  "==> Some builds didn't complete successfully and had errors:\n"
                  "--> null.retry: fake failure"))
      << r.output;
  EXPECT_TRUE(has(r.output, "==> Builds finished but no artifacts were created.")) << r.output;
}

TEST(Runner, TimeoutCancelsTheProvisioner) {
  auto r = run_template(R"(
source "null" "slow" { communicator = "none" }
build {
  sources = ["source.null.slow"]
  provisioner "shell-local" {
    inline = ["block"]
    timeout = "1s"
  }
}
)",
                        with_builders());
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_TRUE(has(r.output, "Setting a 1s timeout for the next provisioner...")) << r.output;
  EXPECT_TRUE(has(r.output, "Cancelling provisioner after a timeout...")) << r.output;
}

TEST(Runner, PauseBeforeIsSaidAndRuntimeValuesReachProvisioners) {
  auto r = run_template(R"(
source "null" "p" { communicator = "none" }
build {
  sources = ["source.null.p"]
  provisioner "shell-local" {
    pause_before = "10ms"
    inline = ["id=${build.ID} run=${build.PackerRunUUID}"]
  }
}
)",
                        with_builders());
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(has(r.output, "Pausing 10ms before the next provisioner...")) << r.output;
  EXPECT_TRUE(has(r.output, "id=Null run=00000000-0000-4000-8000-000000000001")) << r.output;
}

TEST(Runner, SensitiveValuesAreFilteredFromOutput) {
  RunSetup s = with_builders();
  s.vars = {{"pw", "hunter2-secret"}};
  auto r = run_template(R"(
variable "pw" {
  type      = string
  sensitive = true
}
source "null" "s" { communicator = "none" }
build {
  sources = ["source.null.s"]
  provisioner "shell-local" { inline = ["password is ${var.pw}"] }
}
)",
                        s);
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(has(r.output, "password is <sensitive>")) << r.output;
  EXPECT_FALSE(has(r.output, "hunter2")) << r.output;
}

TEST(Runner, MachineReadableOutput) {
  RunSetup s = with_builders();
  s.machine = true;
  auto r = run_template(R"(
source "null" "m" { communicator = "none" }
build {
  sources = ["source.null.m"]
  provisioner "shell-local" { inline = ["a, b"] }
}
)",
                        s);
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(std::regex_search(
      r.output, std::regex("\n?[0-9]+,,ui,say,==> null.m: a%!\\(PACKER_COMMA\\) b\n")))
      << r.output;
  EXPECT_TRUE(std::regex_search(r.output, std::regex("[0-9]+,null.m,artifact-count,1\n")))
      << r.output;
  EXPECT_TRUE(std::regex_search(r.output,
                                std::regex("[0-9]+,null.m,artifact,0,builder-id,fnoeding.null\n")))
      << r.output;
  EXPECT_TRUE(std::regex_search(r.output, std::regex("[0-9]+,null.m,artifact,0,end\n")))
      << r.output;
  EXPECT_FALSE(has(r.output, "output will be in this color")) << r.output;
}

// A builder of two steps whose cleanups are counted, with an artifact
// that counts its destruction.
struct Counted {
  std::atomic<int> cleanups{0};
};
Counted& counted() {
  static Counted c;
  return c;
}

class FakeBuilder : public Builder {
 public:
  Status prepare(const hcl::Value&, BuildInfo& info) override {
    info.generated["ID"] = "fake-1";
    return Status::ok();
  }
  Status run(Ui& ui, BuildContext& ctx, const Cancel& cancel,
             std::optional<Artifact>& out) override {
    std::vector<Step> steps = {
        {"StepCreate",
         [&] {
           ui.say("creating");
           return Status::ok();
         },
         [&] {
           ui.say("destroying");
           counted().cleanups++;
         }},
        {"StepProvision", [&] { return ctx.provision(ui, nullptr); }, {}},
    };
    Status st = run_steps(steps, ui, ctx, cancel);
    if (st.failed()) return st;
    Artifact a;
    a.builder_id = "fake";
    a.id = "img-1";
    a.description = "fake image";
    a.destroy = [] {
      fake_log().destroyed++;
      return Status::ok();
    };
    out = a;
    return Status::ok();
  }
};

RunSetup with_fake() {
  RunSetup s;
  s.make_builder = [](const std::string&) { return std::make_unique<FakeBuilder>(); };
  return s;
}

constexpr const char* kFailing = R"(
source "null" "f" { communicator = "none" }
build {
  sources = ["source.null.f"]
  provisioner "shell-local" { inline = ["fail"] }
  error-cleanup-provisioner "shell-local" { inline = ["error cleanup ran"] }
}
)";

TEST(Runner, OnErrorCleanupRunsEveryCleanup) {
  counted().cleanups = 0;
  auto r = run_template(kFailing, with_fake());
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(counted().cleanups, 1) << r.output;
  EXPECT_TRUE(has(r.output, "error cleanup ran")) << r.output;
}

TEST(Runner, OnErrorAbortLeavesResourcesAndSkipsTheCleanupProvisioner) {
  counted().cleanups = 0;
  RunSetup s = with_fake();
  s.on_error = OnError::kAbort;
  auto r = run_template(kFailing, s);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(counted().cleanups, 0) << r.output;
  EXPECT_FALSE(has(r.output, "error cleanup ran")) << r.output;
  EXPECT_TRUE(has(r.output, "Skipping cleanup")) << r.output;
}

TEST(Runner, OnErrorRunCleanupProvisionerRunsItButNotTheCleanups) {
  counted().cleanups = 0;
  RunSetup s = with_fake();
  s.on_error = OnError::kRunCleanupProvisioner;
  auto r = run_template(kFailing, s);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(counted().cleanups, 0) << r.output;
  EXPECT_TRUE(has(r.output, "error cleanup ran")) << r.output;
}

TEST(Runner, OnErrorAskWithoutATerminalCleansUp) {
  counted().cleanups = 0;
  RunSetup s = with_fake();
  s.on_error = OnError::kAsk;
  auto r = run_template(kFailing, s);
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.output, "[c] Clean up and exit, [a] abort without cleanup, or [r] retry step"))
      << r.output;
  EXPECT_EQ(counted().cleanups, 1) << r.output;
}

TEST(Runner, InterruptCancelsTheBuildAndCleansUp) {
  counted().cleanups = 0;
  fake_log().provisioning = false;
  RunSetup s = with_fake();
  s.on_error = OnError::kAbort;  // an interrupt cleans up all the same
  s.during = [](Runner& r) {
    while (!fake_log().provisioning) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    r.interrupt(SIGINT);
  };
  auto r = run_template(R"(
source "null" "i" { communicator = "none" }
build {
  sources = ["source.null.i"]
  provisioner "shell-local" { inline = ["block"] }
}
)",
                        s);
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.output, "Cancelling build after receiving interrupt")) << r.output;
  EXPECT_TRUE(has(r.output, "Cleanly cancelled builds after being interrupted.")) << r.output;
  EXPECT_EQ(counted().cleanups, 1) << r.output;
}

// A signal after the builds have ended has nothing to cancel: no
// "Cancelling build" after a success (the signal matrix once caught a
// SIGINT landing just as a build finished).
TEST(Runner, AnInterruptAfterTheBuildsEndedIsIgnored) {
  RunSetup s = with_fake();
  bool interrupted_after = true;
  s.after = [&](Runner& r) {
    r.interrupt(SIGINT);
    interrupted_after = r.interrupted();
  };
  auto r = run_template(R"(
source "null" "late" { communicator = "none" }
build { sources = ["source.null.late"] }
)",
                        s);
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_FALSE(interrupted_after);
  EXPECT_FALSE(has(r.output, "Cancelling build")) << r.output;
}

TEST(Runner, PostProcessorChainsAndKeepInputArtifact) {
  fake_log().destroyed = 0;
  auto r = run_template(R"(
source "null" "pp" { communicator = "none" }
build {
  sources = ["source.null.pp"]
  post-processor "checksum" {}
}
)",
                        with_fake());
  EXPECT_EQ(r.code, 0) << r.output;
  // checksum does not keep its input: the builder's artifact is destroyed.
  EXPECT_EQ(fake_log().destroyed, 1);
  EXPECT_TRUE(has(r.output, "==> null.pp: Running post-processor:  (type checksum)")) << r.output;
  EXPECT_TRUE(has(r.output, "==> null.pp (checksum): processing img-1")) << r.output;
  EXPECT_TRUE(has(r.output, "--> null.pp: checksum of fake image")) << r.output;
  EXPECT_FALSE(has(r.output, "--> null.pp: fake image")) << r.output;

  fake_log().destroyed = 0;
  r = run_template(R"(
source "null" "pp" { communicator = "none" }
build {
  sources = ["source.null.pp"]
  post-processors {
    post-processor "checksum" { keep_input_artifact = true }
    post-processor "manifest" {}
  }
}
)",
                   with_fake());
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(fake_log().destroyed, 0);
  // The kept builder artifact first, then the chain's last.
  EXPECT_TRUE(
      has(r.output, "--> null.pp: fake image\n--> null.pp: manifest of checksum of fake image"))
      << r.output;
}

// The null builder over SSH against a real sshd: connect, run commands,
// stream their output, and see build.Host/Port at run time.
TEST(Runner, NullBuilderOverSsh) {
  std::string err = ssh::testing::ensure_openssh();
  ASSERT_EQ(err, "");
  auto sshd = ssh::testing::Sshd::start({}, &err);
  ASSERT_TRUE(sshd) << err;
  std::string t = R"(
source "null" "ssh" {
  ssh_host             = "127.0.0.1"
  ssh_port             = )" +
                  std::to_string(sshd->port()) +
                  R"(
  ssh_username         = ")" +
                  sshd->user() +
                  R"("
  ssh_private_key_file = ")" +
                  sshd->client_key() +
                  R"("
  ssh_timeout          = "30s"
}
build {
  sources = ["source.null.ssh"]
  provisioner "shell" { inline = ["echo out-line", "echo err-line >&2"] }
  provisioner "shell" { inline = ["echo host=${build.Host} port=${build.Port}"] }
  provisioner "shell" { inline = ["exit 3"] }
}
)";
  auto r = run_template(t, with_builders());
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_TRUE(has(r.output, "==> null.ssh: Using SSH communicator to connect: 127.0.0.1"))
      << r.output;
  EXPECT_TRUE(has(r.output, "==> null.ssh: Connected to SSH!")) << r.output;
  EXPECT_TRUE(has(r.output, "==> null.ssh: out-line\n")) << r.output;
  EXPECT_TRUE(has(r.output, "==> null.ssh: err-line\n")) << r.output;
  EXPECT_TRUE(has(r.output, "==> null.ssh: host=127.0.0.1 port=" + std::to_string(sshd->port())))
      << r.output;
  EXPECT_TRUE(has(r.output, "Script exited with non-zero exit status: 3")) << r.output;
}

}  // namespace
}  // namespace kiln::engine

namespace kiln::engine {
namespace {

TEST(Runner, ASecondInterruptHurriesTheCleanups) {
  counted().cleanups = 0;
  fake_log().provisioning = false;
  RunSetup s = with_fake();
  s.during = [](Runner& r) {
    while (!fake_log().provisioning) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    r.interrupt(SIGTERM);
    r.interrupt(SIGTERM);
  };
  auto r = run_template(R"(
source "null" "h" { communicator = "none" }
build {
  sources = ["source.null.h"]
  provisioner "shell-local" { inline = ["block"] }
}
)",
                        s);
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.output, "Cancelling build after receiving terminated")) << r.output;
  EXPECT_TRUE(has(r.output, "Interrupted again: cleaning up without waiting")) << r.output;
  EXPECT_EQ(counted().cleanups, 1) << r.output;
}

}  // namespace
}  // namespace kiln::engine

namespace kiln::engine {
namespace {

// A step that fails the first time it runs.
class FlakyBuilder : public Builder {
 public:
  Status prepare(const hcl::Value&, BuildInfo&) override { return Status::ok(); }
  Status run(Ui& ui, BuildContext& ctx, const Cancel& cancel,
             std::optional<Artifact>& out) override {
    int runs = 0;
    std::vector<Step> steps = {
        {"StepFlaky",
         [&] { return ++runs == 1 ? Status::fail("flaky the first time") : Status::ok(); },
         [&] { counted().cleanups++; }},
    };
    Status st = run_steps(steps, ui, ctx, cancel);
    if (st.failed()) return st;
    ui.say("step ran " + std::to_string(runs) + " times");
    out = Artifact{};
    out->description = "flaky artifact";
    return Status::ok();
  }
};

TEST(Runner, OnErrorAskRetriesTheStepWhenAnsweredR) {
  counted().cleanups = 0;
  RunSetup s;
  s.make_builder = [](const std::string&) { return std::make_unique<FlakyBuilder>(); };
  s.on_error = OnError::kAsk;
  s.stdin_text = "r\n";
  auto r = run_template(
      "source \"null\" \"ask\" { communicator = \"none\" }\n"
      "build { sources = [\"source.null.ask\"] }\n",
      s);
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(has(r.output, "==> null.ask: Step \"StepFlaky\" failed")) << r.output;
  EXPECT_TRUE(has(r.output, "==> null.ask: step ran 2 times")) << r.output;
  EXPECT_EQ(counted().cleanups, 1);

  counted().cleanups = 0;
  s.stdin_text = "a\n";
  r = run_template(
      "source \"null\" \"ask\" { communicator = \"none\" }\n"
      "build { sources = [\"source.null.ask\"] }\n",
      s);
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_EQ(counted().cleanups, 0) << r.output;  // abort: left in place
}

}  // namespace
}  // namespace kiln::engine
