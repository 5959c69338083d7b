// `kiln build -debug` as Packer's: a pause after the run of every step and
// before the cleanup of every step that ran, each ended by enter on the
// controlling terminal (not stdin) or by an interrupt; the temporary key
// saved to ./ssh_key_<build>.pem and left there. Without a terminal
// nothing pauses. The token reaches neither the output nor PACKER_LOG.
#include <libssh/libssh.h>
#include <sys/stat.h>

#include "builders/hcloud/debug_process_test_util.h"

namespace kiln::builders {
namespace {

using testing::count_of;
using testing::slurp;

// Upstream's step list with -debug (StepDumpSSHKey included).
const std::vector<std::string> kSteps = {
    "stepPreValidate",    "StepSSHKeyGen",     "StepDumpSSHKey", "stepCreateSSHKey",
    "stepCreateServer",   "StepConnect",       "StepProvision",  "StepCleanupTempKeys",
    "stepShutdownServer", "stepCreateSnapshot"};

class DebugPause : public testing::DebugProcess {};

TEST_F(DebugPause, PausesAfterEachStepAndBeforeEachCleanupUntilEnter) {
  write_template("  communicator = \"none\"\n  snapshot_name = \"dbg-snap\"\n");
  start({"-debug", "-color=false"});
  size_t pauses = 0;
  for (const auto& step : kSteps) {
    std::string line = pause_line("after run of", step);
    ASSERT_TRUE(wait_for(line)) << line << "\n" << output();
    ++pauses;
    EXPECT_EQ(count_of(output(), "Pausing "), pauses) << output();
    expect_quiet(line);
    // What the step did is done, and what the next does is not yet.
    if (step == "stepPreValidate") {
      EXPECT_EQ(servers(), 0u);
    }
    if (step == "stepCreateSSHKey") {  // communicator none: no key
      EXPECT_EQ(servers(), 0u);
    }
    if (step == "stepCreateServer") {
      EXPECT_EQ(servers(), 1u);
    }
    if (step == "stepShutdownServer") {
      auto list = client_->servers().list();
      ASSERT_TRUE(list.ok() && list->size() == 1);
      EXPECT_EQ(list->at(0).status, "off");
      EXPECT_EQ(snapshots().size(), 0u);
    }
    if (step == "stepCreateSnapshot") {
      EXPECT_EQ(snapshots().size(), 1u);
      EXPECT_EQ(servers(), 1u);  // deleted by the cleanup, later
    }
    press_enter();
  }
  for (auto it = kSteps.rbegin(); it != kSteps.rend(); ++it) {
    std::string line = pause_line("before cleanup of", *it);
    ASSERT_TRUE(wait_for(line)) << line << "\n" << output();
    ++pauses;
    EXPECT_EQ(count_of(output(), "Pausing "), pauses) << output();
    expect_quiet(line);
    if (*it == "stepCreateServer") {
      EXPECT_EQ(servers(), 1u);
    }
    if (*it == "stepCreateSSHKey") {  // stepCreateServer's cleanup ran
      EXPECT_EQ(servers(), 0u);
    }
    press_enter();
  }
  EXPECT_EQ(wait_exit(), 0) << output();
  std::string out = output();
  EXPECT_NE(out.find("Debug mode enabled. Builds will not be parallelized."), std::string::npos)
      << out;
  EXPECT_NE(out.find("A snapshot was created: 'dbg-snap'"), std::string::npos) << out;
  EXPECT_EQ(count_of(out, "Pausing "), 2 * kSteps.size());
  EXPECT_EQ(servers(), 0u);
  EXPECT_EQ(snapshots().size(), 1u);
  EXPECT_EQ(out.find(kToken), std::string::npos);
  std::string log = slurp(log_);
  EXPECT_NE(log.find("POST /servers"), std::string::npos) << "PACKER_LOG has the requests";
  EXPECT_EQ(log.find(kToken), std::string::npos);
  EXPECT_EQ(journal_text(), "");
  // No key to save with communicator "none" (Packer writes an empty file).
  EXPECT_FALSE(std::filesystem::exists(dir_.path + "/ssh_key_dbg.pem"));
}

// The public half, "ssh-ed25519 AAAA...", of a private key file.
std::string public_of_file(const std::string& path) {
  ssh_key key = nullptr;
  if (ssh_pki_import_privkey_file(path.c_str(), nullptr, nullptr, nullptr, &key) != SSH_OK)
    return "";
  char* b64 = nullptr;
  std::string out;
  if (ssh_pki_export_pubkey_base64(key, &b64) == SSH_OK && b64) {
    out = std::string(ssh_key_type_to_char(ssh_key_type(key))) + " " + b64;
    ssh_string_free_char(b64);
  }
  ssh_key_free(key);
  return out;
}

// SSH never answers (port 1), so the build would wait 10 minutes at
// StepConnect: the interrupt comes during the pause before it.
TEST_F(DebugPause, SavesTheTemporaryKeyAndAnInterruptEndsAPause) {
  write_template(
      "  ssh_username = \"root\"\n  ssh_port = 1\n  ssh_timeout = \"10m\"\n"
      "  temporary_key_pair_type = \"ed25519\"\n");
  start({"-debug", "-color=false"});
  std::string pem = dir_.path + "/ssh_key_dbg.pem";
  ASSERT_TRUE(run_to(pause_line("after run of", "StepDumpSSHKey"))) << output();
  EXPECT_NE(output().find("hcloud.dbg: Saving key for debug purposes: ssh_key_dbg.pem"),
            std::string::npos)
      << output();
  struct stat st {};
  ASSERT_EQ(::stat(pem.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::string pub = public_of_file(pem);
  ASSERT_NE(pub, "") << "not a private key: " << pem;
  press_enter();

  ASSERT_TRUE(wait_for(pause_line("after run of", "stepCreateSSHKey"))) << output();
  auto uploaded = client_->ssh_keys().list();
  ASSERT_TRUE(uploaded.ok() && uploaded->size() == 1);
  EXPECT_EQ(uploaded->at(0).public_key.rfind(pub, 0), 0u)
      << "the saved key is the one the server trusts: " << uploaded->at(0).public_key;
  press_enter();

  ASSERT_TRUE(wait_for(pause_line("after run of", "stepCreateServer"))) << output();
  EXPECT_EQ(servers(), 1u);
  ::kill(pid_, SIGINT);  // nobody presses enter
  EXPECT_EQ(wait_exit(), 1) << output();
  std::string out = output();
  EXPECT_NE(out.find("Cancelling build after receiving interrupt"), std::string::npos) << out;
  EXPECT_EQ(out.find("Pausing before cleanup"), std::string::npos) << out;
  EXPECT_EQ(out.find(pause_line("after run of", "StepConnect")), std::string::npos) << out;
  EXPECT_EQ(servers(), 0u) << out;
  EXPECT_EQ(keys(), 0u) << out;
  EXPECT_EQ(journal_text(), "");
  // As Packer, the key file stays for the user (the server it opened is gone).
  EXPECT_EQ(public_of_file(pem), pub);
  std::string key = slurp(pem);
  std::string body = key.substr(key.find('\n') + 1, 40);  // a line of the key's base64
  for (const std::string& text : {out, slurp(log_)}) {
    EXPECT_EQ(text.find(kToken), std::string::npos);
    EXPECT_EQ(text.find(body), std::string::npos);
  }
}

// Packer reads answers from /dev/tty: a build without a controlling
// terminal does not pause, even with -debug and a stdin that never closes.
TEST_F(DebugPause, WithoutATerminalNothingPauses) {
  write_template("  communicator = \"none\"\n  snapshot_name = \"dbg-snap\"\n");
  start({"-debug", "-color=false"}, /*with_tty=*/false);
  EXPECT_EQ(wait_exit(), 0) << output();
  std::string out = output();
  EXPECT_EQ(out.find("Pausing"), std::string::npos) << out;
  EXPECT_NE(out.find("A snapshot was created: 'dbg-snap'"), std::string::npos) << out;
  EXPECT_EQ(servers(), 0u);
}

// -on-error=ask reads its answer from the terminal too: "r" retries the
// step that failed, and the build goes on.
TEST_F(DebugPause, OnErrorAskIsAnsweredOnTheTerminal) {
  std::string err;
  ASSERT_TRUE(api_->faults().add({{"match", "POST /v1/servers"},
                                  {"error", {{"status", 403}, {"code", "forbidden"}}},
                                  {"count", 1}},
                                 &err))
      << err;
  write_template("  communicator = \"none\"\n  snapshot_name = \"ask-snap\"\n");
  start({"-on-error=ask", "-color=false"});
  ASSERT_TRUE(wait_for("[r] retry step")) << output();
  EXPECT_NE(output().find("==> hcloud.dbg: Step \"stepCreateServer\" failed"), std::string::npos)
      << output();
  ASSERT_EQ(::write(master_, "r\n", 2), 2);
  EXPECT_EQ(wait_exit(), 0) << output();
  EXPECT_NE(output().find("A snapshot was created: 'ask-snap'"), std::string::npos) << output();
  EXPECT_EQ(servers(), 0u);
}

}  // namespace
}  // namespace kiln::builders
