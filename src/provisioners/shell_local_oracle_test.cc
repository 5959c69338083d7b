// shell-local's output against Packer 1.6.6 itself (Debian's packer, from
// scripts/install-deps.sh): the same inline script through `packer build
// -machine-readable` with the null builder and through kiln must give the
// same message lines (stdout) and error lines (stderr).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "provisioners/test_support.h"

namespace kiln::prov {
namespace {

using testing::config;
using testing::RecordingUi;
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

TEST(ShellLocalOracle, SameOutputLinesAsPacker166) {
  if (access("/usr/bin/packer", X_OK) != 0) {
    if (const char* ci = std::getenv("CI"); ci && std::string(ci) == "true")
      FAIL() << "/usr/bin/packer is missing (scripts/install-deps.sh installs it)";
    GTEST_SKIP() << "no /usr/bin/packer";
  }
  const std::string script =
      "echo out1; echo err1 >&2; printf 'a\\rb\\n'; echo; printf 'x  \\n'; "
      "echo \"c,d $FOO $PACKER_BUILD_NAME $PACKER_BUILDER_TYPE\"; echo 'e  ' >&2; printf 'noeol'";
  char tmpl[] = "/tmp/kiln-prov-oracle-XXXXXX";
  ASSERT_TRUE(mkdtemp(tmpl));
  std::string dir = tmpl;
  // The script goes in through a file() call, so HCL escaping cannot differ.
  std::ofstream(dir + "/script.txt") << script;
  std::ofstream(dir + "/t.pkr.hcl") << "source \"null\" \"a\" { communicator = \"none\" }\n"
                                       "build {\n"
                                       "  sources = [\"source.null.a\"]\n"
                                       "  provisioner \"shell-local\" {\n"
                                       "    inline = [file(\"script.txt\")]\n"
                                       "    environment_vars = [\"FOO=it's\"]\n"
                                       "  }\n"
                                       "}\n";
  std::string cmd = "cd '" + dir + "' && CHECKPOINT_DISABLE=1 HOME='" + dir +
                    "' /usr/bin/packer build -machine-readable t.pkr.hcl > out.txt 2>&1";
  int rc = std::system(cmd.c_str());
  std::ifstream in(dir + "/out.txt");
  std::vector<std::string> want_m, want_e;
  std::string line, all;
  while (std::getline(in, line)) {
    all += line + "\n";
    // time,target,ui,kind,text
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
  ASSERT_FALSE(want_m.empty()) << all;

  engine::BuildInfo info;
  info.build_name = "a";
  info.builder_type = "null";
  auto p = engine::make_provisioner("shell-local");
  ASSERT_TRUE(
      p->prepare(config(tmpl::PluginKind::Provisioner, "shell-local",
                        {{"inline", strs({script})}, {"environment_vars", strs({"FOO=it's"})}}),
                 info));
  RecordingUi ui;
  engine::Cancel cancel;
  ASSERT_TRUE(p->provision(ui, nullptr, info, cancel));
  EXPECT_EQ(ui.of('m'), want_m) << all;
  EXPECT_EQ(ui.of('e'), want_e) << all;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kiln::prov
