// The shell provisioner against Packer 1.6.6 itself: the same inline lines
// through `packer build -machine-readable` (null builder, SSH to a real
// sshd on 127.0.0.1) and through kiln must print the same lines, and the
// script must see the same environment.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "provisioners/test_support.h"
#include "ssh/client.h"
#include "ssh/sshd_fixture.h"

namespace kiln::prov {
namespace {

using testing::config;
using testing::RecordingUi;
using testing::str;
using testing::strs;

std::string unescape_machine(std::string s) {
  auto repl = [&](const std::string& from, const std::string& to) {
    size_t pos = 0;
    while ((pos = s.find(from, pos)) != std::string::npos) {
      s.replace(pos, from.size(), to);
      pos += to.size();
    }
  };
  repl("%!(PACKER_COMMA)", ",");
  repl("\\n", "\n");
  repl("\\r", "\r");
  return s;
}

TEST(ShellOracle, SameOutputAndEnvironmentAsPacker166) {
  if (access("/usr/bin/packer", X_OK) != 0) {
    if (ssh::testing::under_ci())
      FAIL() << "/usr/bin/packer is missing (scripts/install-deps.sh installs it)";
    GTEST_SKIP() << "no /usr/bin/packer";
  }
  std::string err = ssh::testing::ensure_openssh();
  ASSERT_TRUE(err.empty()) << err;
  auto sshd = ssh::testing::Sshd::start({}, &err);
  ASSERT_TRUE(sshd) << err;
  ssh::testing::TempDir dir;
  // env minus what differs by design (the session's own variables).
  const std::string script =
      "echo out1; echo err1 >&2; printf 'a\\rb\\n'; echo; echo \"$0\" | sed 's/[0-9]*\\.sh$//'; "
      "env | grep -E '^(PACKER_|FOO)' | sort; echo 'c,d  '; exit 0";
  std::ofstream(dir.path() + "/script.txt") << script;
  std::ofstream(dir.path() + "/t.pkr.hcl")
      << "source \"null\" \"a\" {\n"
         "  ssh_host = \"127.0.0.1\"\n"
         "  ssh_port = "
      << sshd->port()
      << "\n"
         "  ssh_username = \""
      << sshd->user()
      << "\"\n"
         "  ssh_private_key_file = \""
      << sshd->client_key()
      << "\"\n"
         "}\n"
         "build {\n"
         "  sources = [\"source.null.a\"]\n"
         "  provisioner \"shell\" {\n"
         "    inline = [file(\"script.txt\")]\n"
         "    environment_vars = [\"FOO=it's\", \"FOO2=a b\"]\n"
         "  }\n"
         "}\n";
  std::string cmd =
      "cd '" + dir.path() + "' && CHECKPOINT_DISABLE=1 HOME='" + dir.path() +
      "' timeout 120 /usr/bin/packer build -machine-readable t.pkr.hcl > out.txt 2>&1";
  int rc = std::system(cmd.c_str());
  std::ifstream in(dir.path() + "/out.txt");
  std::vector<std::string> want_m, want_e;
  std::string line, all;
  while (std::getline(in, line)) {
    all += line + "\n";
    size_t c1 = line.find(','), c2 = line.find(',', c1 + 1), c3 = line.find(',', c2 + 1),
           c4 = line.find(',', c3 + 1);
    if (c4 == std::string::npos || line.substr(c2 + 1, c3 - c2 - 1) != "ui") continue;
    std::string kind = line.substr(c3 + 1, c4 - c3 - 1);
    std::string text = unescape_machine(line.substr(c4 + 1));
    if (kind == "message" && text.rfind("    null.a:", 0) == 0)
      want_m.push_back(text.size() > 12 ? text.substr(12) : "");
    if (kind == "error" && text.rfind("==> null.a: ", 0) == 0) want_e.push_back(text.substr(12));
  }
  ASSERT_EQ(rc, 0) << all;
  ASSERT_GT(want_m.size(), 4u) << all;

  ssh::Config c;
  c.host = "127.0.0.1";
  c.port = sshd->port();
  c.auth.user = sshd->user();
  c.auth.private_key_file = sshd->client_key();
  auto client = ssh::Client::connect(c);
  ASSERT_TRUE(client) << client.error().to_string();
  engine::BuildInfo info;
  info.build_name = "a";
  info.builder_type = "null";
  auto p = engine::make_provisioner("shell");
  ASSERT_TRUE(p->prepare(
      config(tmpl::PluginKind::Provisioner, "shell",
             {{"inline", strs({script})}, {"environment_vars", strs({"FOO=it's", "FOO2=a b"})}}),
      info));
  RecordingUi ui;
  engine::Cancel cancel;
  auto s = p->provision(ui, client->get(), info, cancel);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(ui.of('m'), want_m) << all;
  EXPECT_EQ(ui.of('e'), want_e) << all;
}

}  // namespace
}  // namespace kiln::prov
