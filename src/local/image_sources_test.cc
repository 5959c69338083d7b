#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "local/image_build.h"
#include "local/image_run.h"

namespace kiln::local::image {
namespace {

TEST(ImageMirror, Deb822StanzaServingBookworm) {
  // The shape of this machine's /etc/apt/sources.list.d/debian.sources.
  std::string debian = R"(Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
)";
  std::string nodesource =
      "Types: deb\nURIs: https://deb.nodesource.com/node_20.x\n"
      "Suites: nodistro\nComponents: main\n";
  EXPECT_EQ(debian_mirror_from_sources({"", nodesource, debian}), "http://deb.debian.org/debian");
}

TEST(ImageMirror, SecurityOnlyAndDisabledStanzasAreNotMirrors) {
  std::string text =
      "Types: deb\nURIs: http://security.example/debian-security\n"
      "Suites: bookworm-security\n\n"
      "Types: deb\nEnabled: no\nURIs: http://off.example/debian\nSuites: bookworm\n\n"
      "Types: deb-src\nURIs: http://src.example/debian\nSuites: bookworm\n\n"
      "Types: deb\nURIs: http://mirror.example/debian/\nSuites: bookworm\n";
  EXPECT_EQ(debian_mirror_from_sources({text}), "http://mirror.example/debian");
}

TEST(ImageMirror, OneLineFormatWithOptions) {
  std::string text =
      "# comment\n"
      "deb https://packages.cloud.google.com/apt cloud-sdk-bookworm main\n"
      "deb-src http://src.example/debian bookworm main\n"
      "deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://ftp.de.debian.org/debian "
      "bookworm main contrib\n";
  EXPECT_EQ(debian_mirror_from_sources({text}), "http://ftp.de.debian.org/debian");
  EXPECT_EQ(debian_mirror_from_sources({"deb http://x/debian trixie main\n"}), "");
}

TEST(ImageMirror, HostMirrorIsAnHttpUrl) {
  std::string m = host_debian_mirror();
  EXPECT_TRUE(m.rfind("http://", 0) == 0 || m.rfind("https://", 0) == 0) << m;
}

TEST(ImageArch, Names) {
  EXPECT_EQ(parse_arch("x86"), Arch::amd64);
  EXPECT_EQ(parse_arch("arm"), Arch::arm64);
  EXPECT_EQ(parse_arch("aarch64"), Arch::arm64);
  EXPECT_FALSE(parse_arch("riscv64"));
  EXPECT_STREQ(arch_name(Arch::arm64), "arm64");
}

TEST(ImageRun, StatusOutputAndTail) {
  RunResult r = run({"sh", "-c", "echo one; echo two >&2; exit 3"});
  EXPECT_EQ(r.status, 3);
  EXPECT_EQ(r.output, "one\ntwo\n");
  std::string error;
  EXPECT_FALSE(run_ok({"sh", "-c", "printf 'a\\nb\\nc\\n'; exit 1"}, &error));
  EXPECT_NE(error.find("failed with status 1"), std::string::npos) << error;
  EXPECT_EQ(tail_lines("a\nb\nc\n", 2), "b\nc");
  EXPECT_EQ(tail_lines("a\nb\nc", 5), "a\nb\nc");
  EXPECT_EQ(run({"/nonexistent/tool"}).status, -1);
}

// kiln local ignores SIGPIPE; the tools it runs get the default back, so a
// pipeline in them ends as it would from a shell.
TEST(ImageRun, ToolsGetTheDefaultSigpipeBack) {
  struct sigaction ign {
  }, old{};
  ign.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ign, &old);
  RunResult r = run({"sh", "-c", "yes | head -n 1"});
  sigaction(SIGPIPE, &old, nullptr);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.output, "y\n");
}

// kiln local blocks SIGINT and SIGTERM in all its threads (its main thread
// waits for them); a tool must not start with them blocked, or a Ctrl-C
// would wait for a whole image build.
TEST(ImageRun, ToolsStartWithNoSignalBlocked) {
  sigset_t stop, old;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, &old);
  RunResult r = run({"grep", "^SigBlk:", "/proc/self/status"});
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  EXPECT_EQ(r.output, "SigBlk:\t0000000000000000\n");
}

TEST(ImageRescue, HelpersAreValidShell) {
  for (const auto& text : {vfat_mount_helper(), iso9660_mount_helper()}) {
    std::filesystem::path p = std::filesystem::temp_directory_path() / "kiln-helper-syntax.sh";
    std::ofstream(p) << text;
    RunResult r = run({"sh", "-n", p.string()});
    EXPECT_EQ(r.status, 0) << r.output;
    std::filesystem::remove(p);
  }
}

// The option filter: what mount(8) passes for the kernel's vfat driver must
// not reach FUSE, which rejects what it does not know. A stub fusefat on
// PATH prints its arguments.
TEST(ImageRescue, VfatHelperPassesFuseOptionsOnly) {
  auto dir = std::filesystem::temp_directory_path() / ("kiln-helper-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "fusefat") << "#!/bin/sh\necho \"$@\"\necho chatter >&2\n";
  std::filesystem::permissions(dir / "fusefat", std::filesystem::perms(0755));
  std::ofstream(dir / "helper") << vfat_mount_helper();
  std::ofstream(dir / "disk");
  std::string path = dir.string() + ":" + std::getenv("PATH");
  RunResult r = run({"sh", (dir / "helper").string(), (dir / "disk").string(), "/mnt/boot", "-o",
                     "rw,loop,umask=0077,codepage=437,noatime,iocharset=ascii"},
                    {"PATH=" + path});
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(r.output, "-o rw+,fsname=" + (dir / "disk").string() +
                          ",subtype=vfat,umask=0077,noatime " + (dir / "disk").string() +
                          " /mnt/boot\n");
  r = run({"sh", (dir / "helper").string(), (dir / "disk").string(), "/mnt/boot", "-r"},
          {"PATH=" + path});
  EXPECT_EQ(r.output.rfind("-o ro,", 0), 0u) << r.output;
  r = run({"sh", (dir / "helper").string(), "/nonexistent", "/mnt/boot"}, {"PATH=" + path});
  EXPECT_EQ(r.status, 32);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kiln::local::image
