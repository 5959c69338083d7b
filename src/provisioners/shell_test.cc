// The shell provisioner against a real OpenSSH sshd on 127.0.0.1: each
// option's effect is seen on the "remote" side (the same machine) or in
// what the script printed.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "provisioners/test_support.h"
#include "ssh/client.h"
#include "ssh/sshd_fixture.h"
#include "template/template.h"

namespace kiln::prov {
namespace {

using namespace std::chrono_literals;
using hcl::Value;
using testing::config;
using testing::nums;
using testing::RecordingUi;
using testing::str;
using testing::strmap;
using testing::strs;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int mode_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 07777);
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  for (auto& x : v)
    if (x == s) return true;
  return false;
}

class ShellTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string err = ssh::testing::ensure_openssh();
    if (!err.empty()) {
      if (ssh::testing::under_ci()) FAIL() << err;
      GTEST_SKIP() << err;
    }
    sshd_ = ssh::testing::Sshd::start({}, &err);
    ASSERT_TRUE(sshd_) << err;
    ssh::Config c;
    c.host = "127.0.0.1";
    c.port = sshd_->port();
    c.auth.user = sshd_->user();
    c.auth.private_key_file = sshd_->client_key();
    c.timeout = 30s;
    c.retry_interval = 200ms;
    auto r = ssh::Client::connect(c);
    ASSERT_TRUE(r) << r.error().to_string();
    client_ = std::move(r).value();
    info_.build_name = "nixos";
    info_.builder_type = "hcloud";
    info_.full_name = "hcloud.nixos";
    info_.run_uuid = "0d9b7d4e-1111-2222-3333-444455556666";
  }

  // Prepares and runs a shell provisioner with the given options.
  engine::Status run(const std::map<std::string, Value>& opts, RecordingUi& ui) {
    auto p = engine::make_provisioner("shell");
    EXPECT_TRUE(p);
    // A failed script stays on the machine, as with Packer: keep it in the
    // test's directory so nothing is left in /tmp.
    auto o = opts;
    if (!o.count("remote_path") && !o.count("remote_folder")) o["remote_folder"] = str(dir_.path());
    engine::Status s = p->prepare(config(tmpl::PluginKind::Provisioner, "shell", o), info_);
    if (!s) return s;
    return p->provision(ui, client_.get(), info_, cancel_);
  }

  ssh::testing::TempDir dir_;
  std::unique_ptr<ssh::testing::Sshd> sshd_;
  std::unique_ptr<ssh::Client> client_;
  engine::BuildInfo info_;
  engine::Cancel cancel_;
};

TEST_F(ShellTest, InlineSeesPackerVariablesEnvironmentVarsAndEnv) {
  RecordingUi ui;
  info_.http_addr = "10.0.0.1:8080";
  auto s =
      run({{"inline", strs({"echo hello", "echo oops >&2",
                            "echo \"B=$PACKER_BUILD_NAME T=$PACKER_BUILDER_TYPE F=$FOO E=$BAR\"",
                            "echo \"H=$PACKER_HTTP_ADDR I=$PACKER_HTTP_IP P=$PACKER_HTTP_PORT\""})},
           {"environment_vars", strs({"FOO=it's", "BAR=overridden"})},
           {"env", strmap({{"BAR", "x y"}})}},
          ui);
  ASSERT_TRUE(s) << s.message() << "\n" << ui.dump();
  auto says = ui.of('s');
  ASSERT_EQ(says.size(), 1u) << ui.dump();
  EXPECT_EQ(says[0].rfind("Provisioning with shell script: /tmp/packer-shell", 0), 0u) << says[0];
  // The inline script's local temp file is gone afterwards.
  EXPECT_FALSE(std::filesystem::exists(says[0].substr(says[0].find("/tmp/"))));
  auto msgs = ui.of('m');
  EXPECT_TRUE(contains(msgs, "hello")) << ui.dump();
  EXPECT_TRUE(contains(msgs, "B=nixos T=hcloud F=it's E=x y")) << ui.dump();
  EXPECT_TRUE(contains(msgs, "H=10.0.0.1:8080 I=10.0.0.1 P=8080")) << ui.dump();
  EXPECT_EQ(ui.of('e'), std::vector<std::string>{"oops"});
}

TEST_F(ShellTest, DefaultExecuteCommandRunsTheUploadedScriptAndCleansUp) {
  RecordingUi ui;
  std::string path = dir_.path() + "/s.sh";
  // The shell running execute_command execs the script last, so $0 is the
  // remote path (the rendered string itself is checked in build_context_test).
  auto s = run({{"inline", strs({"echo \"$0 $A\""})},
                {"environment_vars", strs({"ZED=1", "A=it's"})},
                {"remote_path", str(path)}},
               ui);
  ASSERT_TRUE(s) << s.message() << "\n" << ui.dump();
  EXPECT_TRUE(contains(ui.of('m'), path + " it's")) << ui.dump();
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST_F(ShellTest, ExitCodesAndPackersMessage) {
  RecordingUi ui;
  auto s = run({{"inline", strs({"exit 3"})}}, ui);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), "Script exited with non-zero exit status: 3. Allowed exit codes are: [0]");
  RecordingUi ui2;
  s = run({{"inline", strs({"exit 3"})}, {"valid_exit_codes", nums({0, 3})}}, ui2);
  EXPECT_TRUE(s) << s.message();
  RecordingUi ui3;
  s = run({{"inline", strs({"exit 0"})}, {"valid_exit_codes", nums({3, 4})}}, ui3);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(),
            "Script exited with non-zero exit status: 0. Allowed exit codes are: [3 4]");
}

TEST_F(ShellTest, ScriptsUploadedWithUnixLineEndingsModeAndSkipClean) {
  std::string local1 = dir_.path() + "/one.sh", local2 = dir_.path() + "/two.sh";
  std::ofstream(local1) << "#!/bin/sh\r\necho one\r\necho -n last";
  std::ofstream(local2) << "#!/bin/sh\necho two\n";
  std::string remote = dir_.path() + "/remote.sh";
  RecordingUi ui;
  auto s = run({{"scripts", strs({local1, local2})},
                {"remote_path", str(remote)},
                {"skip_clean", Value::boolean(true)}},
               ui);
  ASSERT_TRUE(s) << s.message() << "\n" << ui.dump() << slurp(remote);
  EXPECT_EQ(ui.of('s'), (std::vector<std::string>{"Provisioning with shell script: " + local1,
                                                  "Provisioning with shell script: " + local2}));
  EXPECT_EQ(ui.of('m'), (std::vector<std::string>{"one", "last", "two"}));
  // skip_clean: the last script stays, executable, as uploaded.
  EXPECT_EQ(slurp(remote), "#!/bin/sh\necho two\n");
  EXPECT_EQ(mode_of(remote), 0755);

  // The first one was converted: CRLF to LF and a final newline.
  RecordingUi ui2;
  s = run(
      {{"script", str(local1)}, {"remote_path", str(remote)}, {"skip_clean", Value::boolean(true)}},
      ui2);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(slurp(remote), "#!/bin/sh\necho one\necho -n last\n");
  // binary: uploaded byte for byte (so "/bin/sh\r" is not found: 127).
  RecordingUi ui3;
  s = run({{"script", str(local1)},
           {"remote_path", str(remote)},
           {"skip_clean", Value::boolean(true)},
           {"binary", Value::boolean(true)},
           {"valid_exit_codes", nums({126, 127})}},
          ui3);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(slurp(remote), "#!/bin/sh\r\necho one\r\necho -n last");
}

TEST_F(ShellTest, RemoteFolderAndFileAndInlineShebang) {
  RecordingUi ui;
  auto s = run({{"inline", strs({"echo \"bash=${BASH_VERSION:+yes}\""})},
                {"inline_shebang", str("/bin/bash -e")},
                {"remote_folder", str(dir_.path())},
                {"remote_file", str("mine.sh")},
                {"skip_clean", Value::boolean(true)}},
               ui);
  ASSERT_TRUE(s) << s.message() << "\n" << ui.dump();
  std::string remote = dir_.path() + "/mine.sh";
  EXPECT_EQ(slurp(remote), "#!/bin/bash -e\necho \"bash=${BASH_VERSION:+yes}\"\n");
  // "chmod +x path; vars path" runs the file, so its shebang counts.
  EXPECT_TRUE(contains(ui.of('m'), "bash=yes")) << ui.dump();

  // Lines that bring their own shebang keep it (Packer 1.13+).
  RecordingUi ui2;
  s = run({{"inline", strs({"#!/bin/bash", "echo hi"})},
           {"remote_path", str(remote)},
           {"skip_clean", Value::boolean(true)}},
          ui2);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(slurp(remote), "#!/bin/bash\necho hi\n");
}

TEST_F(ShellTest, ExecuteCommandTemplateAndEnvVarFile) {
  RecordingUi ui;
  auto s = run({{"inline", strs({"echo \"[$1] $FOO\""})},
                {"environment_vars", strs({"FOO=bar"})},
                {"execute_command", str("{{.Vars}} sh {{.Path}} {{ build_name | upper }}")}},
               ui);
  ASSERT_TRUE(s) << s.message() << "\n" << ui.dump();
  EXPECT_TRUE(contains(ui.of('m'), "[NIXOS] bar")) << ui.dump();

  // use_env_var_file: variables come from an uploaded file that is sourced
  // and removed afterwards.
  RecordingUi ui2;
  std::string folder = dir_.path() + "/vf";
  std::filesystem::create_directory(folder);
  s = run({{"inline", strs({"echo \"$FOO $PACKER_BUILD_NAME\"", "ls " + folder})},
           {"environment_vars", strs({"FOO=it's"})},
           {"use_env_var_file", Value::boolean(true)},
           {"remote_folder", str(folder)}},
          ui2);
  ASSERT_TRUE(s) << s.message() << "\n" << ui2.dump();
  auto msgs = ui2.of('m');
  EXPECT_TRUE(contains(msgs, "it's nixos")) << ui2.dump();
  bool saw_varfile = false;
  for (auto& m : msgs) saw_varfile = saw_varfile || m.rfind("varfile_", 0) == 0;
  EXPECT_TRUE(saw_varfile) << ui2.dump();
  EXPECT_TRUE(std::filesystem::is_empty(folder));
}

TEST_F(ShellTest, UnexpectedDisconnectFailsExpectedDisconnectSucceeds) {
  // The script kills the sshd process serving its connection (its parent:
  // the shell running execute_command execs the script); the listener
  // stays, so cleanup can reconnect.
  std::vector<std::string> lines = {"echo before", "kill -9 $PPID", "sleep 5", "echo after"};
  std::string remote = dir_.path() + "/d.sh";
  RecordingUi ui;
  auto s = run({{"inline", strs(lines)}, {"remote_path", str(remote)}}, ui);
  ASSERT_FALSE(s) << ui.dump();
  EXPECT_EQ(s.message().rfind("Script disconnected unexpectedly.", 0), 0u) << s.message();

  RecordingUi ui2;
  auto p = engine::make_provisioner("shell");
  ASSERT_TRUE(p->prepare(config(tmpl::PluginKind::Provisioner, "shell",
                                {{"inline", strs(lines)},
                                 {"remote_path", str(remote)},
                                 {"expect_disconnect", Value::boolean(true)}}),
                         info_));
  // A fresh session for the engine's communicator (the first one dropped).
  client_.reset();
  ssh::Config c;
  c.host = "127.0.0.1";
  c.port = sshd_->port();
  c.auth.user = sshd_->user();
  c.auth.private_key_file = sshd_->client_key();
  auto r = ssh::Client::connect(c);
  ASSERT_TRUE(r) << r.error().to_string();
  client_ = std::move(r).value();
  s = p->provision(ui2, client_.get(), info_, cancel_);
  ASSERT_TRUE(s) << s.message() << "\n" << ui2.dump();
  EXPECT_FALSE(contains(ui2.of('m'), "after"));
  // Cleanup ran on a new connection.
  EXPECT_FALSE(std::filesystem::exists(remote));
}

TEST_F(ShellTest, RetriesUntilTheMachineIsBackWithinStartRetryTimeout) {
  sshd_->stop();  // the machine "reboots": connection gone, nothing listens
  RecordingUi ui;
  std::string remote = dir_.path() + "/r.sh";
  auto p = engine::make_provisioner("shell");
  ASSERT_TRUE(p->prepare(config(tmpl::PluginKind::Provisioner, "shell",
                                {{"inline", strs({"echo back"})},
                                 {"remote_path", str(remote)},
                                 {"start_retry_timeout", str("1m")}}),
                         info_));
  engine::Status s = engine::Status::fail("not run");
  std::thread t([&] { s = p->provision(ui, client_.get(), info_, cancel_); });
  // Let it fail at least once, then bring sshd back; the assertion does not
  // depend on this pause.
  std::this_thread::sleep_for(1s);
  std::string err;
  if (!sshd_->resume(&err)) {
    cancel_.cancel();  // a joinable thread must not outlive the test
    t.join();
    FAIL() << err;
  }
  t.join();
  ASSERT_TRUE(s) << s.message() << "\n" << ui.dump();
  EXPECT_TRUE(contains(ui.of('m'), "back")) << ui.dump();
}

TEST_F(ShellTest, GivesUpAfterStartRetryTimeout) {
  sshd_->stop();
  RecordingUi ui;
  auto s = run({{"inline", strs({"echo never"})}, {"start_retry_timeout", str("1s")}}, ui);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message().rfind("Error uploading script: ", 0), 0u) << s.message();
  EXPECT_FALSE(contains(ui.of('m'), "never"));
}

TEST_F(ShellTest, PauseAfterSaysSo) {
  RecordingUi ui;
  auto s = run({{"inline", strs({"true"})}, {"pause_after", str("100ms")}}, ui);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(ui.of('s').back(), "Pausing 100ms after this provisioner...");
}

TEST_F(ShellTest, SecretsAreFilteredFromOutputAndErrors) {
  tmpl::Config cfg;
  cfg.extra_secrets = {"hunter2"};
  info_.config = &cfg;
  RecordingUi ui;
  auto s = run({{"inline", strs({"echo pw=hunter2", "echo hunter2 >&2", "exit 1"})},
                {"valid_exit_codes", nums({0})}},
               ui);
  ASSERT_FALSE(s);
  EXPECT_EQ(ui.dump().find("hunter2"), std::string::npos) << ui.dump();
  EXPECT_TRUE(contains(ui.of('m'), "pw=<sensitive>")) << ui.dump();
  EXPECT_TRUE(contains(ui.of('e'), "<sensitive>")) << ui.dump();
}

TEST_F(ShellTest, CancelStopsARunningScript) {
  RecordingUi ui;
  ui.on_line = [&](const RecordingUi::Line& l) {
    if (l.text == "started") cancel_.cancel();
  };
  std::string pidfile = dir_.path() + "/remote.pid";
  auto s = run({{"inline", strs({"echo $$ > " + pidfile, "echo started", "exec sleep 60"})}}, ui);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), "Provisioning was cancelled");
  // The remote command may outlive its session (no pty, as with Packer):
  // stop it here by its PID so the test leaves nothing running.
  pid_t remote = 0;
  std::ifstream(pidfile) >> remote;
  ASSERT_GT(remote, 0);
  kill(remote, SIGKILL);
}

TEST_F(ShellTest, PrepareErrorsAreListedAsPackerDoes) {
  auto p = engine::make_provisioner("shell");
  auto s = p->prepare(config(tmpl::PluginKind::Provisioner, "shell", {}), info_);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(),
            "1 error occurred:\n\t* Either a script file or inline script must be specified.\n\n");
  s = p->prepare(config(tmpl::PluginKind::Provisioner, "shell",
                        {{"inline", strs({"x"})},
                         {"environment_vars", strs({"NOEQUALS"})},
                         {"script", str("/nonexistent/x.sh")}}),
                 info_);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message().rfind("3 errors occurred:\n\t* ", 0), 0u) << s.message();
  s = p->prepare(config(tmpl::PluginKind::Provisioner, "shell",
                        {{"inline", strs({"x"})}, {"pause_after", str("5 minutes")}}),
                 info_);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("error decoding 'pause_after'"), std::string::npos) << s.message();
}

TEST_F(ShellTest, NoCommunicatorIsAnError) {
  auto p = engine::make_provisioner("shell");
  ASSERT_TRUE(p->prepare(
      config(tmpl::PluginKind::Provisioner, "shell", {{"inline", strs({"true"})}}), info_));
  RecordingUi ui;
  auto s = p->provision(ui, nullptr, info_, cancel_);
  EXPECT_FALSE(s);
}

}  // namespace
}  // namespace kiln::prov
