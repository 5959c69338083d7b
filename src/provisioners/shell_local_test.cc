// shell-local and breakpoint: real local processes, no communicator.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "provisioners/test_support.h"
#include "ssh/sshd_fixture.h"

namespace kiln::prov {
namespace {

using hcl::Value;
using testing::config;
using testing::nums;
using testing::RecordingUi;
using testing::str;
using testing::strmap;
using testing::strs;

class ShellLocalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    info_.build_name = "a";
    info_.builder_type = "null";
    info_.full_name = "null.a";
  }
  engine::Status run(const std::map<std::string, Value>& opts, RecordingUi& ui,
                     const std::string& type = "shell-local") {
    auto p = engine::make_provisioner(type);
    EXPECT_TRUE(p);
    auto s = p->prepare(config(tmpl::PluginKind::Provisioner, type, opts), info_);
    if (!s) return s;
    return p->provision(ui, nullptr, info_, cancel_);
  }
  ssh::testing::TempDir dir_;
  engine::BuildInfo info_;
  engine::Cancel cancel_;
};

TEST_F(ShellLocalTest, InlineStreamsAsPackerDoes) {
  RecordingUi ui;
  auto s =
      run({{"inline", strs({"echo out1; echo err1 >&2; printf 'a\\rb\\n'; echo",
                            "echo \"X=$FOO B=$PACKER_BUILD_NAME T=$PACKER_BUILDER_TYPE Y=$BAR\""})},
           {"environment_vars", strs({"FOO=it's"})},
           {"env", strmap({{"BAR", "from env"}})}},
          ui);
  ASSERT_TRUE(s) << s.message() << ui.dump();
  // Packer 1.6.6's output for the same provisioner (null builder, verified):
  //   ==> null.a: Running local shell script: /tmp/packer-shell3505454693
  //       null.a: out1 / ==> null.a: err1 (error) / null.a: b / null.a: (empty)
  auto says = ui.of('s');
  ASSERT_EQ(says.size(), 1u);
  EXPECT_EQ(says[0].rfind("Running local shell script: /tmp/packer-shell", 0), 0u);
  EXPECT_FALSE(std::filesystem::exists(says[0].substr(says[0].find("/tmp/"))));
  EXPECT_EQ(ui.of('m'),
            (std::vector<std::string>{"out1", "b", "", "X=it's B=a T=null Y=from env"}));
  EXPECT_EQ(ui.of('e'), std::vector<std::string>{"err1"});
}

TEST_F(ShellLocalTest, CommandScriptsAndExecuteCommand) {
  RecordingUi ui;
  auto s = run({{"command", str("echo \"cmd $0\"")}}, ui);
  ASSERT_TRUE(s) << s.message();
  ASSERT_EQ(ui.of('m').size(), 1u);
  EXPECT_EQ(ui.of('m')[0].rfind("cmd /tmp/packer-shell", 0), 0u) << ui.dump();

  std::string script = dir_.path() + "/s.sh";
  std::ofstream(script) << "#!/bin/sh\necho \"script $V $1\"\n";
  std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  RecordingUi ui2;
  s = run({{"scripts", strs({script, script})}, {"environment_vars", strs({"V=v1"})}}, ui2);
  ASSERT_TRUE(s) << s.message() << ui2.dump();
  EXPECT_EQ(ui2.of('s'), (std::vector<std::string>{"Running local shell script: " + script,
                                                   "Running local shell script: " + script}));
  EXPECT_EQ(ui2.of('m'), (std::vector<std::string>{"script v1", "script v1"}));

  // execute_command is a list; no shell unless the command is one.
  RecordingUi ui3;
  s = run({{"script", str(script)},
           {"execute_command", strs({"/bin/bash", "{{.Script}}", "arg-{{.BuildName}}"})}},
          ui3);
  ASSERT_TRUE(s) << s.message() << ui3.dump();
  EXPECT_EQ(ui3.of('m'), std::vector<std::string>{"script  arg-a"});
}

TEST_F(ShellLocalTest, InlineShebangAndEnvVarFormat) {
  RecordingUi ui;
  auto s = run({{"inline", strs({"echo \"bash=${BASH_VERSION:+yes} $K\""})},
                {"inline_shebang", str("/bin/bash -e")},
                {"env_var_format", str("export %s=\"%s\"; ")},
                {"environment_vars", strs({"K=v"})},
                {"execute_command", strs({"/bin/sh", "-c", "{{.Vars}} exec {{.Script}}"})}},
               ui);
  ASSERT_TRUE(s) << s.message() << ui.dump();
  EXPECT_EQ(ui.of('m'), std::vector<std::string>{"bash=yes v"});
}

TEST_F(ShellLocalTest, ExitCodes) {
  RecordingUi ui;
  auto s = run({{"inline", strs({"exit 7"})}}, ui);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), "Script exited with non-zero exit status: 7. Allowed exit codes are: [0]");
  RecordingUi ui2;
  s = run({{"inline", strs({"exit 7"})}, {"valid_exit_codes", nums({7})}}, ui2);
  EXPECT_TRUE(s) << s.message();
  RecordingUi ui3;
  s = run({{"command", str("true")}, {"execute_command", strs({"/no/such/binary"})}}, ui3);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message().rfind("Error executing script: ", 0), 0u) << s.message();
}

TEST_F(ShellLocalTest, OnlyOnOtherSystemsSkips) {
  RecordingUi ui;
  auto s = run({{"command", str("echo ran")}, {"only_on", strs({"windows", "darwin"})}}, ui);
  ASSERT_TRUE(s);
  EXPECT_EQ(ui.of('s'), std::vector<std::string>{"Skipping shell-local due to runtime OS"});
  EXPECT_TRUE(ui.of('m').empty());
  RecordingUi ui2;
  s = run({{"command", str("echo ran")}, {"only_on", strs({"linux"})}}, ui2);
  ASSERT_TRUE(s);
  EXPECT_EQ(ui2.of('m'), std::vector<std::string>{"ran"});
}

// kiln-cloud ignores SIGPIPE, and an ignored signal survives exec. The
// user's command must get the default back: `yes | head -n 1` ends quietly
// (yes dies of SIGPIPE) instead of yes reporting a broken pipe.
TEST_F(ShellLocalTest, CommandsGetTheDefaultSigpipeBack) {
  struct sigaction ign {
  }, old{};
  ign.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ign, &old);
  RecordingUi ui;
  auto s = run({{"inline", strs({"yes | head -n 1"})}}, ui);
  sigaction(SIGPIPE, &old, nullptr);
  ASSERT_TRUE(s) << s.message() << ui.dump();
  EXPECT_EQ(ui.of('m'), std::vector<std::string>{"y"});
  EXPECT_EQ(ui.of('e'), std::vector<std::string>{});
}

TEST_F(ShellLocalTest, CancelKillsTheProcessGroup) {
  std::string marker = dir_.path() + "/child.pid";
  RecordingUi ui;
  ui.on_line = [&](const RecordingUi::Line& l) {
    if (l.text == "started") cancel_.cancel();
  };
  auto s = run({{"inline", strs({"sleep 60 & echo $! > " + marker, "echo started", "wait"})}}, ui);
  ASSERT_FALSE(s);
  // The background child of the script died with it.
  std::ifstream in(marker);
  pid_t child = 0;
  in >> child;
  ASSERT_GT(child, 0);
  // Gone, or a zombie waiting for this process (a child subreaper).
  auto alive = [](pid_t pid) {
    std::ifstream st("/proc/" + std::to_string(pid) + "/stat");
    std::string pid_s, comm, state;
    if (!(st >> pid_s >> comm >> state)) return false;
    return state != "Z";
  };
  for (int i = 0; i < 250 && alive(child); ++i) usleep(20000);
  EXPECT_FALSE(alive(child)) << "child " << child << " still runs";
  waitpid(child, nullptr, WNOHANG);
}

TEST_F(ShellLocalTest, PrepareErrors) {
  auto p = engine::make_provisioner("shell-local");
  auto s = p->prepare(config(tmpl::PluginKind::Provisioner, "shell-local", {}), info_);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(),
            "1 error occurred:\n\t* Command, Inline, Script and Scripts options cannot all be "
            "empty.\n\n");
}

TEST_F(ShellLocalTest, BreakpointDisabledAndNotes) {
  RecordingUi ui;
  ASSERT_TRUE(run({{"disable", Value::boolean(true)}, {"note", str("n")}}, ui, "breakpoint"));
  ASSERT_TRUE(run({{"disable", Value::boolean(true)}}, ui, "breakpoint"));
  EXPECT_EQ(ui.of('s'), (std::vector<std::string>{
                            "Breakpoint provisioner with note \"n\" disabled; continuing...",
                            "Breakpoint provisioner disabled; continuing..."}));
  EXPECT_TRUE(ui.of('a').empty());
}

TEST_F(ShellLocalTest, BreakpointAsksOnATerminalAndFailsWithoutOne) {
  RecordingUi ui;
  info_.interactive = true;
  ASSERT_TRUE(run({{"note", str("look")}}, ui, "breakpoint"));
  EXPECT_EQ(ui.of('s'),
            std::vector<std::string>{"Pausing at breakpoint provisioner with note \"look\"."});
  EXPECT_EQ(ui.of('a'), std::vector<std::string>{"Press enter to continue."});
  // Packer 1.6.6 without a tty (verified): the build errors.
  RecordingUi ui2;
  info_.interactive = false;
  auto s = run({}, ui2, "breakpoint");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), "Error asking for input: no available tty");
  EXPECT_EQ(ui2.of('s'), std::vector<std::string>{"Pausing at breakpoint provisioner."});
}

// Ctrl-C ends a breakpoint's pause: it asks the cancellable question (the
// engine's Ui gives up on it when the build is cancelled), and a cancelled
// build fails the provisioner.
TEST_F(ShellLocalTest, BreakpointPauseEndsOnCancel) {
  struct CancellableUi : RecordingUi {
    const engine::Cancel* asked_with = nullptr;
    std::string ask_cancellable(const std::string& q, const engine::Cancel& cancel) override {
      asked_with = &cancel;
      return ask(q);
    }
  } ui;
  info_.interactive = true;
  cancel_.cancel();  // as if Ctrl-C came while paused
  auto s = run({}, ui, "breakpoint");
  EXPECT_EQ(ui.asked_with, &cancel_);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), "Provisioning was cancelled");
}

TEST(Registry, KnownAndUnknownTypes) {
  for (auto t : {"shell", "file", "shell-local", "breakpoint"})
    EXPECT_TRUE(engine::make_provisioner(t)) << t;
  EXPECT_FALSE(engine::make_provisioner("ansible"));
}

}  // namespace
}  // namespace kiln::prov
